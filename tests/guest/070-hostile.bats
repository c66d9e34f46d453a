#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# Hostile netlink input on the real module (tests/tools/nl-hostile.c):
# malformed requests for every command, each checked for its errno and
# extack message against the tool's table; every mutating command and
# the events group from unprivileged contexts; seeded random mutations,
# each of which must be answered.  Ground truth for "nothing changed" is
# sysfs, read before and after: every device's driver and driver_override,
# the module's ledger (/sys/kernel/hvctl/hugepages) and every hugetlb pool.
# run.sh fails the run on any WARN, BUG or sanitizer report in dmesg.

load helpers

# A copy outside the repo's 9p mount, so that nobody may run it whatever
# the host's permissions on the worktree (the root image is a snapshot).
HOSTILE=/usr/local/bin/nl-hostile
LEDGER=/sys/kernel/hvctl/hugepages
KEEP=hostile-keep

# cmdline_arg NAME DEFAULT: NAME=VALUE from the kernel command line
# (make fuzz-netlink raises the random run there)
cmdline_arg() {
	local a
	for a in $(</proc/cmdline); do
		if [[ $a == "$1="* ]]; then
			echo "${a#*=}"
			return
		fi
	done
	echo "$2"
}

# state: what no refused or malformed request may change, from sysfs
state() {
	local d a o f
	for d in "$SYS_PCI"/*; do
		a=${d##*/}
		o=""
		read -r o <"$d/driver_override" || true
		echo "$a driver=$(driver_of "$a") override=$o"
	done
	echo "ledger:"
	cat "$LEDGER"
	for f in /sys/devices/system/node/node*/hugepages/hugepages-*kB/nr_hugepages; do
		echo "$f $(<"$f")"
	done
}

save_state() {
	state >"$BATS_TEST_TMPDIR/state.before"
}

expect_state_unchanged() {
	state >"$BATS_TEST_TMPDIR/state.after"
	if ! diff -u "$BATS_TEST_TMPDIR/state.before" \
		"$BATS_TEST_TMPDIR/state.after" >&2; then
		echo "FAIL: $1 changed sysfs (diff above)" >&2
		return 1
	fi
}

# hostile ARGS...: run the tool and show its TAP (in the suite's output
# when it passes too: the table is the record of what the module
# answers); its exit status goes to HOSTILE_STATUS for verdict
hostile() {
	echo "\$ $*"
	run "$@"
	HOSTILE_STATUS=$status
	printf '%s\n' "$output"
	if ((status == 0)); then
		printf '%s\n' "\$ $*" "$output" | sed 's/^/# /' >&3
	fi
}

# verdict WHAT: sysfs as save_state found it and the tool's exit status 0;
# both are checked and reported, so a refusal that did not refuse shows
# what it changed
verdict() {
	local rc=0
	expect_state_unchanged "$1" || rc=1
	if ((HOSTILE_STATUS != 0)); then
		echo "FAIL: $1: nl-hostile exit status $HOSTILE_STATUS" >&2
		rc=1
	fi
	return "$rc"
}

setup_file() {
	install -m 0755 /hvctl/build/tools/nl-hostile "$HOSTILE"
	modprobe hvctl
	modprobe vfio-pci
	NIC1=$(addr_of 8086 100e 1)
	E1000E=$(addr_of 8086 10d3)
	export NIC1 E1000E
	# Something for the unprivileged to unbind and to release: the e1000e
	# on vfio-pci, a ledger entry (the ledger only; no pool grows).
	"$HVCTL" dev bind "$E1000E" >&2
	[[ $(driver_of "$E1000E") == vfio-pci ]]
	"$HOSTILE" --reserve "$KEEP"
	grep -q "^$KEEP " "$LEDGER"
}

teardown_file() {
	local g
	"$HOSTILE" --drop "$KEEP" || true
	"$HOSTILE" --drop hostile-priv 2>/dev/null || true
	"$HVCTL" dev unbind "$E1000E" >&2 || true
	# A refusal that failed to refuse bound the NICs: put them back.
	g=$(group_of "$NIC1")
	if [[ $(driver_of "$NIC1") == vfio-pci ]]; then
		"$HVCTL" group unbind "$g" >&2 || true
	fi
}

setup() {
	echo "hvctl-test: mark $BATS_TEST_NUMBER" >/dev/kmsg
}

@test "table: every malformed request gets its errno and extack message, nothing changes" {
	save_state
	hostile "$HOSTILE" --table
	verdict "the table"
}

@test "the table can fail: a wrong expectation is reported as not ok" {
	# The same checks against a family that is not hvctl (nlctrl, id 16):
	# the valid requests must come back "not ok", and the run exit 1.
	run "$HOSTILE" --family-id 16 --table
	[[ $status -eq 1 ]]
	[[ $output == *"not ok 1 group-get: the valid request (control)"* ]]
}

@test "privilege: root (the control) may make every request as a dry run" {
	save_state
	hostile "$HOSTILE" --priv root --bind "$NIC1" --unbind "$E1000E" \
		--release "$KEEP"
	verdict "root's dry runs"
}

@test "privilege: nobody is refused every mutating command and the events group" {
	save_state
	hostile setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$HOSTILE" --priv nobody --bind "$NIC1" --unbind "$E1000E" \
		--release "$KEEP"
	verdict "nobody"
	expect_driver "$E1000E" vfio-pci
	grep -q "^$KEEP " "$LEDGER"
}

@test "privilege: root with only CAP_NET_ADMIN is refused (CAP_SYS_ADMIN), may join the events group" {
	save_state
	hostile setpriv --bounding-set=-all,+net_admin --inh-caps=-all \
		"$HOSTILE" --priv netadmin --bind "$NIC1" --unbind "$E1000E" \
		--release "$KEEP"
	verdict "CAP_NET_ADMIN only"
}

@test "privilege: root with only CAP_SYS_ADMIN is refused (CAP_NET_ADMIN) and kept out of the events group" {
	save_state
	hostile setpriv --bounding-set=-all,+sys_admin --inh-caps=-all \
		"$HOSTILE" --priv sysadmin --bind "$NIC1" --unbind "$E1000E" \
		--release "$KEEP"
	verdict "CAP_SYS_ADMIN only"
}

@test "privilege: root of a user namespace (unshare -Ur) is refused" {
	save_state
	hostile unshare -Ur "$HOSTILE" --priv userns --bind "$NIC1" \
		--unbind "$E1000E" --release "$KEEP"
	verdict "unshare -Ur"
}

@test "privilege: in a user and network namespace (unshare -Urn) the family is not there" {
	local ids
	ids=$("$HOSTILE" --ids)
	save_state
	# The ids from init_net: sending to them directly must not reach hvctl.
	hostile unshare -Urn "$HOSTILE" --priv netns --bind "$NIC1" \
		--unbind "$E1000E" --release "$KEEP" \
		--family-id "${ids% *}" --mcgrp-id "${ids#* }"
	verdict "unshare -Urn"
}

@test "events: a member in another netns hears nothing, root's member hears the reservation" {
	local ids out_ns out_root pid_ns pid_root
	ids=$("$HOSTILE" --ids)
	out_ns=$BATS_TEST_TMPDIR/ns.out
	out_root=$BATS_TEST_TMPDIR/root.out
	unshare -Urn "$HOSTILE" --listen 4000 --family-id "${ids% *}" \
		--mcgrp-id "${ids#* }" >"$out_ns" &
	pid_ns=$!
	"$HOSTILE" --listen 4000 >"$out_root" &
	pid_root=$!
	# Both joined before anything happens.
	for _ in $(seq 50); do
		grep -q joined "$out_ns" && grep -q joined "$out_root" && break
		sleep 0.1
	done
	"$HOSTILE" --reserve hostile-event
	"$HOSTILE" --drop hostile-event
	wait "$pid_root"
	wait "$pid_ns" || true # a refused join is as good as a deaf one
	cat "$out_ns" "$out_root"
	grep -qx "events 2" "$out_root"
	grep -qx -e "events 0" -e "join E[A-Z]*" "$out_ns"
}

@test "random: seeded mutations of valid requests, every one answered, nothing changes" {
	local count seed
	count=$(cmdline_arg hvctl_hostile.count 20000)
	seed=$(cmdline_arg hvctl_hostile.seed 1)
	save_state
	hostile "$HOSTILE" --random "$seed" --count "$count"
	verdict "the random run"
}

@test "after all of it: the module unloads and loads again" {
	# A reference leaked by a failed request would keep rmmod from working.
	"$HOSTILE" --drop "$KEEP"
	"$HVCTL" dev unbind "$E1000E" >&2
	modprobe -r hvctl
	[[ ! -d /sys/module/hvctl ]]
	modprobe hvctl
	[[ -f $LEDGER ]]
	"$HOSTILE" --reserve "$KEEP"
	"$HVCTL" dev bind "$E1000E" >&2
}
