#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl check on this host: the conflicts it finds in configuration files
# (under HVCTL_ROOT), the kernel command line (HVCTL_CMDLINE) and the
# claims, against devices read from sysfs here.  The guest suite
# (tests/guest/060-check.bats) checks the hardware verdicts.

load helpers

setup() {
	export HVCTL_ROOT=$BATS_TEST_TMPDIR/root
	mkdir -p "$HVCTL_ROOT/etc/modprobe.d"
	export HVCTL_CONF=$HVCTL_ROOT/etc/hvctl.conf
	export HVCTL_CMDLINE=$BATS_TEST_TMPDIR/cmdline
	echo "root=/dev/sda1 ro quiet" >"$HVCTL_CMDLINE"
	# A device of this host, its ids from sysfs.
	local d
	for d in /sys/bus/pci/devices/*; do
		[[ -r $d/vendor ]] && break
	done
	[[ -r $d/vendor ]] || skip "this host has no PCI devices"
	ADDR=${d##*/}
	ID=$(printf '%04x:%04x' "$(<"$d/vendor")" "$(<"$d/device")")
}

# verdicts NAME: the statuses of every check NAME in the JSON output
verdicts() {
	jq -c "[.checks[] | select(.name == \"$1\") | .status]" <<<"$output"
}

@test "check: one line per check, PASS/WARN/FAIL, a fix under each non-pass; JSON has the same" {
	run_hvctl '?' check
	local names
	names=$(grep -oE '^(PASS|WARN|FAIL)  [a-z0-9-]+' <<<"$output" | awk '{ print $2 }' | sort -u | tr '\n' ' ')
	expect_eq "$names" "claims conflicts cpu-virt hugepages-1g hugetlbfs hvctl-module iommu irq-remap kvm kvm-nested memlock thp vfio " "checks"
	# Every WARN or FAIL line is followed by its fix.
	awk '/^(WARN|FAIL)/ { w = 1; next } w && !/^      fix: / { print "no fix after a non-pass"; exit 1 } { w = 0 }' <<<"$output"
	local rc=$status
	run_hvctl '?' -j check
	expect_eq "$status" "$rc" "same exit status with -j"
	expect_jq '[.checks[] | select(.status != "pass" and .fix == null)] | length' 0 "every non-pass has a fix"
	expect_jq '.ready' "$( ((rc == 0)) && echo true || echo false)" "ready agrees with the exit status"
	expect_jq '.fail' "$(jq '[.checks[] | select(.status == "fail")] | length' <<<"$output")" "fail count"
}

@test "conflicts: vfio-pci.ids= on the command line catching an unclaimed device; a claim settles it" {
	echo "root=/dev/sda1 vfio-pci.ids=$ID,ffff:ffff quiet" >"$HVCTL_CMDLINE"
	run_hvctl '?' -j check
	expect_jq "[.checks[] | select(.name == \"conflicts\" and (.message | contains(\"$ADDR\")) and (.message | contains(\"kernel command line\")))] | length" 1 "the conflict"
	expect_jq "[.checks[] | select(.name == \"conflicts\")][0].fix | contains(\"hvctl boot add addr $ADDR\")" true "its fix"
	echo "claim addr $ADDR" >"$HVCTL_CONF"
	run_hvctl '?' -j check
	expect_eq "$(verdicts conflicts)" '["pass"]' "conflicts once the device is claimed"
}

@test "conflicts: options vfio_pci ids= in modprobe.d, named by file and line" {
	printf '# passthrough\noptions vfio_pci ids=%s disable_vga=1\n' "$ID" >"$HVCTL_ROOT/etc/modprobe.d/vfio.conf"
	run_hvctl '?' -j check
	expect_jq "[.checks[] | select(.name == \"conflicts\") | .message | contains(\"$HVCTL_ROOT/etc/modprobe.d/vfio.conf:2\")] | any" true "file:line"
	expect_eq "$(verdicts conflicts)" '["warn"]' "one warning"
}

@test "conflicts: blacklist vfio-pci fails with claims (exit 1), warns without; driverctl overrides warn" {
	echo "blacklist vfio-pci" >"$HVCTL_ROOT/etc/modprobe.d/bl.conf"
	run_hvctl '?' -j check
	expect_eq "$(verdicts conflicts)" '["warn"]' "without claims"
	echo "claim addr $ADDR" >"$HVCTL_CONF"
	run_hvctl 1 -j check
	expect_jq '[.checks[] | select(.name == "conflicts")][0] | [.status, (.fix | contains("remove line 1 of"))]' '["fail",true]' "with a claim"
	expect_jq .ready false "not ready"
	rm "$HVCTL_ROOT/etc/modprobe.d/bl.conf"
	mkdir -p "$HVCTL_ROOT/etc/driverctl.d"
	echo vfio-pci >"$HVCTL_ROOT/etc/driverctl.d/pci-0000:07:00.0"
	run_hvctl '?' -j check
	expect_jq '[.checks[] | select(.name == "conflicts")][0] | [.status, (.message | contains("driverctl override 0000:07:00.0 -> vfio-pci")), (.fix | startswith("driverctl unset-override 0000:07:00.0"))]' '["warn",true,true]' "driverctl"
}

@test "claims: one that catches nothing fails; a bad file fails and names the way to see why" {
	echo "claim addr 00ff:ff:1f.7" >"$HVCTL_CONF"
	run_hvctl 1 -j check
	expect_eq "$(verdicts claims)" '["fail"]' "a claim catching nothing"
	expect_jq '[.checks[] | select(.name == "claims")][0].message | contains("line 1") and contains("catches no device")' true "message"
	echo "claim bogus" >"$HVCTL_CONF"
	run_hvctl 1 -j check
	expect_jq '[.checks[] | select(.name == "claims")][0] | [.status, .fix]' '["fail","hvctl boot check shows each bad line"]' "bad lines"
}

@test "check help and usage errors" {
	run_hvctl check help
	expect_output "Usage: hvctl [ -j ] check"
	run_hvctl 2 check extra
	expect_stderr 'unexpected argument "extra"'
}
