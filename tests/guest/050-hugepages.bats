#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl hugepages on the real module and the real hugetlb pools of the
# guest (two NUMA nodes of 4 GiB, pdpe1gb).  Ground truth: the kernel's
# per-node pool files under /sys/devices/system/node, /proc/meminfo,
# the module's ledger in /sys/kernel/hvctl/hugepages and findmnt, never
# hvctl's own output.

load helpers

NODE_SYS=/sys/devices/system/node
LEDGER=/sys/kernel/hvctl/hugepages
MNT=/tmp/hvctl-hp-test

# pool NODE KB [FILE]: a per-node pool counter (default nr_hugepages)
pool() {
	cat "$NODE_SYS/node$1/hugepages/hugepages-$2kB/${3:-nr_hugepages}"
}

# pools: every node's nr_hugepages of every size, one "node kb nr" a line
pools() {
	local f n k
	for f in "$NODE_SYS"/node*/hugepages/hugepages-*kB/nr_hugepages; do
		n=${f#"$NODE_SYS"/node}
		n=${n%%/*}
		k=${f#*hugepages-}
		k=${k%%kB/*}
		echo "$n $k $(<"$f")"
	done
}

# mounts_on PATH: how many mounts /proc/self/mountinfo has on PATH
mounts_on() {
	awk -v p="$1" '$5 == p { n++ } END { print n + 0 }' /proc/self/mountinfo
}

# ledger_line NAME: the module's sysfs line of reservation NAME, or nothing
ledger_line() {
	grep "^$1 " "$LEDGER" || true
}

# expect_state_unchanged: pools and ledger as saved by save_state
save_state() {
	pools >"$BATS_TEST_TMPDIR/pools"
	cat "$LEDGER" >"$BATS_TEST_TMPDIR/ledger"
}

expect_state_unchanged() {
	expect_eq "$(pools)" "$(<"$BATS_TEST_TMPDIR/pools")" "every pool as before"
	expect_eq "$(<"$LEDGER")" "$(<"$BATS_TEST_TMPDIR/ledger")" "ledger as before"
}

setup() {
	modprobe hvctl
	[[ -f $LEDGER ]]
	echo "hvctl-test: mark $BATS_TEST_NUMBER" >/dev/kmsg
}

# Every test starts from empty pools and an empty ledger.
teardown() {
	local f
	rm -f "$MNT"/*/* 2>/dev/null || true
	for f in "$MNT"/* /dev/hugepages-2M /dev/hugepages-1G; do
		while mountpoint -q "$f" 2>/dev/null; do umount "$f"; done
	done
	rmmod hvctl 2>/dev/null || true
	for f in "$NODE_SYS"/node*/hugepages/hugepages-*kB/nr_hugepages; do
		echo 0 >"$f"
	done
}

@test "reserve 2M on node 1: node 1 grows by exactly N, node 0 stays" {
	local n0 n1 total
	n0=$(pool 0 2048)
	n1=$(pool 1 2048)
	run_hvctl hugepages reserve vm1 size 2M count 8 node 1
	expect_eq "$(pool 1 2048)" "$((n1 + 8))" "node 1 nr_hugepages"
	expect_eq "$(pool 0 2048)" "$n0" "node 0 nr_hugepages"
	total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)
	expect_eq "$total" "$((n0 + n1 + 8))" "/proc/meminfo HugePages_Total"
	[[ $(ledger_line vm1) =~ ^vm1\ 2048\ 1:8\ 0\ [0-9]+$ ]] || {
		echo "FAIL: ledger line: '$(ledger_line vm1)'" >&2
		return 1
	}
}

@test "reserve spread: split over both nodes; any: node by node" {
	local n0 n1
	n0=$(pool 0 2048)
	n1=$(pool 1 2048)
	run_hvctl hugepages reserve sp size 2048kB count 7 spread
	expect_eq "$(pool 0 2048)" "$((n0 + 4))" "node 0 has 4 more"
	expect_eq "$(pool 1 2048)" "$((n1 + 3))" "node 1 has 3 more"
	expect_eq "$(ledger_line sp | cut -d' ' -f1-3)" "sp 2048 0:4,1:3" "ledger"
	run_hvctl hugepages reserve an size 2MB count 3 any
	expect_eq "$(pool 0 2048)" "$((n0 + 7))" "any: node 0 first"
	expect_eq "$(pool 1 2048)" "$((n1 + 3))" "any: node 1 untouched"
	expect_eq "$(ledger_line an | cut -d' ' -f1-3)" "an 2048 0:3" "ledger"
}

@test "adopt: pages no reservation holds are recorded as they are, the pool grows only for the rest" {
	# Pages someone put there (the kernel command line, vm.nr_hugepages).
	echo 6 >"$NODE_SYS/node0/hugepages/hugepages-2048kB/nr_hugepages"
	[[ $(pool 0 2048) == 6 ]]
	run_hvctl hugepages reserve boot1 size 2M count 4 node 0 adopt
	expect_eq "$(pool 0 2048)" 6 "node 0: nothing grown for boot1"
	expect_eq "$(ledger_line boot1 | cut -d' ' -f1-3)" "boot1 2048 0:4" "boot1"
	# Two of the six are still unheld: adopt them, grow by three.
	run_hvctl hugepages reserve boot2 size 2M count 5 node 0 adopt
	expect_eq "$(pool 0 2048)" 9 "node 0: grown by 3 for boot2"
	expect_eq "$(ledger_line boot2 | cut -d' ' -f1-3)" "boot2 2048 0:5" "boot2"
	# any: adopts where pages are unheld (none left), grows node by node.
	echo 2 >"$NODE_SYS/node1/hugepages/hugepages-2048kB/nr_hugepages"
	run_hvctl hugepages reserve boot3 size 2M count 2 any adopt
	expect_eq "$(pool 0 2048) $(pool 1 2048)" "9 2" "any: node 1's unheld pages"
	expect_eq "$(ledger_line boot3 | cut -d' ' -f1-3)" "boot3 2048 1:2" "boot3"
	# Without adopt, unheld pages are not taken: the pool grows.
	run_hvctl hugepages reserve plain size 2M count 1 node 1
	expect_eq "$(pool 1 2048)" 3 "node 1 grown without adopt"
}

@test "boot reserve: each hugepages line once, adopting; again changes nothing" {
	local conf=$BATS_TEST_TMPDIR/hvctl.conf
	printf '%s\n' "hugepages a size 2M count 3 node 0" \
		"hugepages b size 2M count 2" >"$conf"
	echo 3 >"$NODE_SYS/node0/hugepages/hugepages-2048kB/nr_hugepages"
	HVCTL_CONF=$conf run_hvctl boot reserve
	expect_eq "$(ledger_line a | cut -d' ' -f1-3)" "a 2048 0:3" "a adopted"
	expect_eq "$(ledger_line b | cut -d' ' -f1-3)" "b 2048 0:2" "b grown on node 0"
	expect_eq "$(pool 0 2048) $(pool 1 2048)" "5 0" "pools"
	save_state
	HVCTL_CONF=$conf run_hvctl boot reserve
	expect_output "a: already reserved"
	expect_state_unchanged
}

@test "show agrees with sysfs and the ledger file" {
	local kb n f
	run_hvctl hugepages reserve a size 2M count 3 node 0
	run_hvctl hugepages reserve b size 2M count 2 node 1
	run_hvctl -j hugepages show
	for f in "$NODE_SYS"/node*/hugepages/hugepages-*kB; do
		n=${f#"$NODE_SYS"/node}
		n=${n%%/*}
		kb=${f##*hugepages-}
		kb=${kb%kB}
		expect_jq ".sizes[] | select(.size_kb == $kb) | .nodes[] | select(.node == $n) | [.total, .free, .surplus] | map(tostring) | join(\" \")" \
			"\"$(<"$f/nr_hugepages") $(<"$f/free_hugepages") $(<"$f/surplus_hugepages")\"" \
			"node $n, $kb kB"
	done
	expect_jq '[.reservations[].name] | join(" ")' "\"$(cut -d' ' -f1 "$LEDGER" | paste -sd' ')\"" "names"
	expect_jq '.sizes[] | select(.size_kb == 2048) | .nodes[] | select(.node == 0) | .ledger' 3 "ledger sum"
	expect_jq '.gbpages' true "pdpe1gb"
	expect_jq '.thp' "\"$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled)\"" "THP mode"
	expect_jq '.drift' false "no drift"
}

@test "over-ask: fails, says how many, every pool exactly as before" {
	save_state
	# 4096 2M pages are 8 GiB: more than node 1's 4 GiB.
	run_hvctl 1 hugepages reserve big size 2M count 4096 node 1
	expect_stderr "Error: obtained only "
	expect_stderr "of 4096 2M pages (node 1: "
	expect_stderr "Every pool is back as it was"
	expect_state_unchanged
	[[ -z $(ledger_line big) ]]
}

@test "1G on a node: all or nothing, after one compaction" {
	local n0
	n0=$(pool 0 1048576)
	save_state
	run_hvctl '?' hugepages reserve giga size 1G count 1 node 0
	if [[ $status -eq 0 ]]; then
		expect_eq "$(pool 0 1048576)" "$((n0 + 1))" "node 0 got one 1G page"
		expect_eq "$(ledger_line giga | cut -d' ' -f1-3)" "giga 1048576 0:1" "ledger"
	else
		expect_eq "$status" 1 "a short 1G reserve exits 1"
		expect_stderr "obtained only 0 of 1 1G pages (node 0: 0 of 1)"
		expect_state_unchanged
	fi
	# Four 1 GiB pages never fit in a 4 GiB node next to its memmap.
	save_state
	run_hvctl 1 hugepages reserve giga4 size 1GiB count 4 node 1
	expect_stderr "of 4 1G pages (node 1: "
	expect_state_unchanged
}

@test "release never shrinks below the pages in use, and says so" {
	local n1
	n1=$(pool 1 2048)
	run_hvctl hugepages reserve hold size 2M count 4 node 1
	mkdir -p "$MNT/m"
	mount -t hugetlbfs -o pagesize=2M none "$MNT/m"
	# Two pages in use: allocated into a hugetlbfs file (only node 1 has any).
	fallocate -l 4M "$MNT/m/f"
	expect_eq "$(pool 1 2048 free_hugepages)" "$((n1 + 2))" "two pages in use"
	run_hvctl hugepages release hold
	expect_output "released hold: 2 of 4 2M pages given back"
	expect_stderr "could not shrink fully"
	expect_stderr "node 1: 2 of 4 given back, 2 in use"
	expect_eq "$(pool 1 2048)" "$((n1 + 2))" "the two pages in use stay"
	[[ -z $(ledger_line hold) ]]
}

@test "release gives the pages back and drops the entry" {
	local n0
	n0=$(pool 0 2048)
	run_hvctl hugepages reserve r1 size 2M count 5 node 0
	run_hvctl hugepages reserve r2 size 2M count 2 node 0
	run_hvctl hugepages release r1
	expect_eq "$(pool 0 2048)" "$((n0 + 2))" "r2's pages stay"
	[[ -z $(ledger_line r1) ]]
	[[ -n $(ledger_line r2) ]]
	run_hvctl 3 hugepages release r1
	expect_stderr "Error: no huge page reservation with this name."
}

@test "drift: someone shrinks the pool behind hvctl's back" {
	run_hvctl hugepages reserve d size 2M count 4 node 1
	run_hvctl -j hugepages show
	expect_jq '.drift' false "no drift yet"
	echo 1 >"$NODE_SYS/node1/hugepages/hugepages-2048kB/nr_hugepages"
	run_hvctl -j hugepages show
	expect_jq '.sizes[] | select(.size_kb == 2048) | .nodes[] | select(.node == 1) | .drift' true "node 1 drifts"
	expect_jq '.sizes[] | select(.size_kb == 2048) | .nodes[] | select(.node == 0) | .drift' false "node 0 does not"
	expect_jq '.drift' true "drift overall"
	run_hvctl hugepages show
	expect_output "DRIFT: the pool has 1 persistent pages, the ledger holds 4"
	# A pool larger than the ledger is no drift.
	echo 9 >"$NODE_SYS/node1/hugepages/hugepages-2048kB/nr_hugepages"
	run_hvctl -j hugepages show
	expect_jq '.drift' false "more pages than reserved"
}

@test "duplicate name, offline node, bad size, overflow: refused, nothing changes" {
	run_hvctl hugepages reserve dup size 2M count 1 node 0
	save_state
	run_hvctl 4 hugepages reserve dup size 2M count 1 node 1
	expect_stderr "Error: a reservation with this name exists."
	expect_state_unchanged
	run_hvctl 4 hugepages reserve off size 2M count 1 node 5
	expect_stderr "Error: NUMA node is not online."
	expect_state_unchanged
	run_hvctl 2 hugepages reserve bad size 4M count 1 node 0
	expect_stderr "unsupported huge page size 4M"
	run_hvctl 2 hugepages reserve bad size 3M count 1 node 0
	expect_stderr "not a power of two"
	expect_state_unchanged
	run_hvctl 2 hugepages reserve ovf size 2M count 8796093022208 node 0
	expect_stderr "overflows 64 bits of bytes"
	run_hvctl 2 hugepages reserve ovf size 1G count 99999999999999999999 node 0
	expect_stderr "too large"
	expect_state_unchanged
}

@test "unprivileged reserve and release are refused, nothing changes" {
	run_hvctl hugepages reserve priv size 2M count 2 node 0
	save_state
	_run_bin setpriv 4 --reuid=65534 --regid=65534 --clear-groups \
		"$HVCTL" hugepages reserve np size 2M count 1 node 0
	expect_stderr "Operation not permitted"
	expect_state_unchanged
	_run_bin setpriv 4 --reuid=65534 --regid=65534 --clear-groups \
		"$HVCTL" hugepages release priv
	expect_state_unchanged
	# Reading the ledger is for everyone.
	_run_bin setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HVCTL" -j hugepages show
	expect_jq '[.reservations[].name] | join(" ")' '"priv"' "ledger as a user"
}

@test "mount: one hugetlbfs per size, idempotent" {
	local opts
	run_hvctl hugepages mount "$MNT/two" size 2M
	run_hvctl hugepages mount "$MNT/two" size 2M
	expect_output "already mounted"
	expect_eq "$(mounts_on "$MNT/two")" 1 "one mount, not two"
	opts=$(findmnt -n -o FS-OPTIONS -M "$MNT/two")
	[[ $opts == *pagesize=2M* ]] || {
		echo "FAIL: options '$opts'" >&2
		return 1
	}
	run_hvctl 1 hugepages mount "$MNT/two" size 1G
	expect_stderr "is a hugetlbfs mount with pagesize=2M, not pagesize=1G"
	expect_eq "$(mounts_on "$MNT/two")" 1 "still one mount"
	# Defaults: /dev/hugepages-SIZE; 1G too.
	run_hvctl hugepages mount size 1G
	expect_eq "$(findmnt -n -o FSTYPE -M /dev/hugepages-1G)" hugetlbfs "/dev/hugepages-1G"
	opts=$(findmnt -n -o FS-OPTIONS -M /dev/hugepages-1G)
	[[ $opts == *pagesize=1024M* || $opts == *pagesize=1G* ]] || {
		echo "FAIL: options '$opts'" >&2
		return 1
	}
	# min_size holds pages of the pool for the mount.
	run_hvctl hugepages reserve m size 2M count 2 node 0
	run_hvctl hugepages mount "$MNT/min" size 2M min 4M
	run_hvctl hugepages mount "$MNT/min" size 2M min 4M
	expect_eq "$(mounts_on "$MNT/min")" 1 "one min_size mount"
	[[ $(findmnt -n -o FS-OPTIONS -M "$MNT/min") == *min_size=4194304* ]]
	expect_eq "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages)" 2 "min_size reserves 2 pages"
	# Not hugetlbfs at all.
	mkdir -p "$MNT/tmpfs"
	mount -t tmpfs none "$MNT/tmpfs"
	run_hvctl 1 hugepages mount "$MNT/tmpfs"
	expect_stderr "is a tmpfs mount, not hugetlbfs"
}

@test "monitor prints reservations recorded and released" {
	local pid
	"$HVCTL" -j monitor >"$BATS_TEST_TMPDIR/events" &
	pid=$!
	sleep 1
	run_hvctl hugepages reserve ev size 2M count 2 node 0
	run_hvctl hugepages release ev
	sleep 1
	kill "$pid"
	wait "$pid" || true
	output=$(jq -sc '[.[] | select(.name == "ev") | [.event, .size_kb, .pages, .nodes[0].node]]' "$BATS_TEST_TMPDIR/events")
	expect_eq "$output" '[["reserve",2048,2,0],["release",2048,2,0]]' "events"
}
