#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# /etc/hvctl.conf: the parser (every bad line reported as FILE:LINE:COL,
# the good ones kept), hvctl boot check and hvctl boot show.  Each test has
# its own HVCTL_ROOT; nothing outside it is read but sysfs, which is the
# ground truth for what a claim catches on this host.

load helpers

setup_file() {
	build_hvctl
}

setup() {
	export HVCTL_ROOT=$BATS_TEST_TMPDIR/root
	mkdir -p "$HVCTL_ROOT/etc"
	CONF=$HVCTL_ROOT/etc/hvctl.conf
	unset HVCTL_CONF
}

# sysfs_storage: the address of a mass storage controller (class 01xxxx)
# on this host, or nothing
sysfs_storage() {
	local d c
	for d in /sys/bus/pci/devices/*; do
		read -r c <"$d/class"
		[[ $c == 0x01* ]] && {
			echo "${d##*/}"
			return
		}
	done
}

# sysfs_id ADDR: VVVV:DDDD of a device, from sysfs
sysfs_id() {
	local v d
	read -r v <"/sys/bus/pci/devices/$1/vendor"
	read -r d <"/sys/bus/pci/devices/$1/device"
	echo "${v#0x}:${d#0x}"
}

@test "a valid file: check exits 0 and counts every entry; show -j has them in canonical form" {
	cat >"$CONF" <<'EOF2'
# GPU for the VM
claim addr 01:00.0            # with its audio function (same group)

claim id 8086:10d3 driver pci-stub nogroup
claim serial 00-11-22-33-44-55-66-77
	claim slot 4 driver vfio-pci
sriov addr 0000:04:00.0 numvfs 2
hugepages vm1 size 2M count 512 node 1
hugepages vm-2.big size 1G count 4
EOF2
	run_hvctl boot check
	expect_output "$CONF: 4 claims, 1 sriov, 2 hugepages, 0 errors"
	run_hvctl -j boot show
	expect_jq '[.claims[] | [.line, .claim]]' \
		'[[2,"addr 0000:01:00.0"],[4,"id 8086:10d3 driver pci-stub nogroup"],[5,"serial 00-11-22-33-44-55-66-77"],[6,"slot 4 driver vfio-pci"]]' \
		"claims, canonical"
	expect_jq '[.claims[] | [.driver, .group]]' \
		'[["vfio-pci",true],["pci-stub",false],["vfio-pci",true],["vfio-pci",true]]' \
		"drivers and groups"
	expect_jq '.sriov | map([.line, .selector, .numvfs])' '[[7,"addr 0000:04:00.0",2]]' "sriov"
	expect_jq '.hugepages' \
		'[{"name":"vm1","size":"2M","count":512,"node":1,"line":8},{"name":"vm-2.big","size":"1G","count":4,"node":null,"line":9}]' \
		"hugepages"
	expect_jq '.errors' 0 "no errors"
}

@test "a missing file is an empty configuration" {
	run_hvctl boot check
	expect_output "0 claims, 0 sriov, 0 hugepages, 0 errors"
	run_hvctl -j boot show
	expect_jq '[.claims, .sriov, .hugepages]' '[[],[],[]]' "empty"
}

@test "HVCTL_CONF names the file" {
	export HVCTL_CONF=$BATS_TEST_TMPDIR/other.conf
	echo "claim addr 02:00.0" >"$HVCTL_CONF"
	run_hvctl -j boot show
	expect_jq '.config' "\"$HVCTL_CONF\"" "the file"
	expect_jq '[.claims[].claim]' '["addr 0000:02:00.0"]' "its claim"
}

# Each bad line alone: FILE:LINE:COL: message, exit 2.
@test "bad lines: each error names the line, the column of the offending word and why" {
	local -a cases=(
		# line | column | message
		"claim|6|a claim needs a selector"
		"claim foo|7|unknown selector, expected addr, id, serial, slot or a PCI address"
		"claim addr 01:00|12|malformed PCI device number"
		"claim  id 8086|11|malformed id"
		"claim 01:00.0 driver e1000|22|unknown driver, expected vfio-pci or pci-stub"
		"claim 01:00.0 driver|15|'driver' needs a driver name"
		"claim 01:00.0 group|15|unknown claim option"
		"claim 01:00.0;02:00.0|14|one claim per line"
		"sriov numvfs 2|6|'sriov' needs a selector"
		"sriov 04:00.0|14|'sriov' needs numvfs N"
		"sriov 04:00.0 numvfs|15|'numvfs' needs a number"
		"sriov 04:00.0 numvfs 0|22|numvfs must be a decimal number from 1 to 65535"
		"sriov 04:00.0 numvfs -1|22|numvfs must be a decimal number"
		"sriov 04:00.0 numvfs 2 now|24|unexpected text after numvfs N"
		"hugepages|10|'hugepages' needs a pool name"
		"hugepages a/b size 2M count 1|11|bad pool name"
		"hugepages abcdefghijabcdefghijabcdefghijabc size 2M count 1|11|bad pool name"
		"hugepages p size 2X count 1|18|bad page size"
		"hugepages p size 2M count 1x|27|count must be a decimal number"
		"hugepages p size 2M count 1 node n|34|node must be a decimal number"
		"hugepages p size 2M|20|'hugepages' needs size SIZE and count N"
		"hugepages p size 2M count 1 size 1G|29|'size' given twice"
		"hugepages p size 2M count 1 colour red|29|unknown hugepages option"
		"hugepages p size 2M count|21|'count' needs a value"
		"  bogus 1|3|unknown keyword 'bogus', expected claim, sriov or hugepages"
	)
	local c line col msg
	for c in "${cases[@]}"; do
		IFS='|' read -r line col msg <<<"$c"
		printf '%s\n' "$line" >"$CONF"
		run_hvctl 2 boot check
		expect_stderr "$CONF:1:$col: $msg" "line '$line'"
		expect_output "1 errors" "line '$line'"
	done
}

@test "every bad line is reported, in order, and the good lines between them are kept" {
	cat >"$CONF" <<'EOF2'
claim addr 01:00.0
claim nonsense
sriov 04:00.0 numvfs many
claim 05:00.0 driver pci-stub
hugepages x size 2M
claim 06:00.0
EOF2
	run_hvctl 2 boot check
	expect_output "3 claims, 0 sriov, 0 hugepages, 3 errors"
	local errs
	errs=$(grep -vE ': (warning|note): ' <<<"$stderr" |
		grep -oE "^$CONF:[0-9]+:[0-9]+:" | tr '\n' ' ')
	expect_eq "$errs" "$CONF:2:7: $CONF:3:22: $CONF:5:20: " "errors in line order"
	run_hvctl 2 -j boot show
	expect_jq '[.claims[] | .line]' '[1,4,6]' "the good claims, bad ones between"
	expect_jq '.errors' 3 "error count"
}

@test "duplicates are errors naming the first line: the same selector in any spelling" {
	cat >"$CONF" <<'EOF2'
claim addr 01:00.0
claim 0000:01:00.0 nogroup
claim addr=01:00.0,driver=pci-stub
sriov 04:00.0 numvfs 1
sriov addr 0000:04:00.0 numvfs 2
hugepages a size 2M count 1
hugepages a size 1G count 1
EOF2
	run_hvctl 2 boot check
	expect_stderr "$CONF:2:7: duplicate claim, first at line 1"
	expect_stderr "$CONF:3:7: duplicate claim, first at line 1"
	expect_stderr "$CONF:5:7: duplicate sriov line, first at line 4"
	expect_stderr "$CONF:7:11: duplicate pool name 'a', first at line 6"
	expect_output "1 claims, 1 sriov, 1 hugepages, 4 errors"
}

@test "check and show: a claim catches what sysfs says (address, driver now)" {
	local addr drv=""
	addr=$(cd /sys/bus/pci/devices && ls | head -n 1)
	[[ -n $addr ]] || skip "no PCI devices on this host"
	[[ ! -e /sys/bus/pci/devices/$addr/driver ]] ||
		drv=$(basename "$(readlink "/sys/bus/pci/devices/$addr/driver")")
	echo "claim $addr nogroup" >"$CONF"
	run_hvctl boot check
	expect_stderr "$CONF:1:7: note: claim \"addr $addr nogroup\" catches $addr (now ${drv:-no driver})"
	run_hvctl -j boot show
	expect_jq '[.claims[0].devices[] | [.address, .driver]]' \
		"[[\"$addr\",${drv:+\"$drv\"}${drv:-null}]]" "the device and its driver"
	echo "claim addr 00ff:1f:1f.7" >"$CONF"
	run_hvctl boot check
	expect_stderr "$CONF:1:7: warning: claim \"addr 00ff:1f:1f.7\" catches no device on this host now"
}

@test "check: an id claim that catches a storage controller is refused; by addr it is fine" {
	local addr
	addr=$(sysfs_storage)
	[[ -n $addr ]] || skip "no storage controller on this host"
	printf '# x\nclaim id %s\n' "$(sysfs_id "$addr")" >"$CONF"
	run_hvctl 2 boot check
	expect_stderr "$CONF:2:7: an id claim catches a storage controller: name it by addr, serial or slot (it catches $addr)"
	expect_output "1 errors"
	printf '# x\nclaim addr %s\n' "$addr" >"$CONF"
	run_hvctl boot check
	expect_output "0 errors"
}

@test "boot help and usage errors" {
	run_hvctl boot help
	expect_output "hvctl boot add CLAIM"
	expect_output "hvctl.disable=1"
	run_hvctl 2 boot check extra
	expect_stderr 'unexpected argument "extra"'
	run_hvctl 2 boot frobnicate
	expect_stderr 'unknown command "frobnicate" for object "boot"'
}

@test "the parser has no memory errors or leaks (valgrind)" {
	command -v valgrind >/dev/null || skip "no valgrind"
	printf 'claim 01:00.0\nclaim x\nsriov 04:00.0 numvfs 2\nhugepages a size 2M count 1\nhugepages a size 2M count 1\n' >"$CONF"
	run valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$HVCTL" -j boot show
	echo "$output"
	[[ $status -eq 2 ]]
}
