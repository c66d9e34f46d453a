#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl dev/group bind and unbind on the real module and real vfio-pci.
# Every verdict comes from sysfs (driver links, driver_override) or from
# the kernel's own VFIO API (tests/tools/vfio-group), never from hvctl.
#
# Topology (tests/vm/topology/default.sh): a GPU-like card on a root port
# (secondary-vga 1234:1111 at function 0, ICH9 HDA 8086:293e at function 1,
# one IOMMU group), two e1000 (8086:100e) behind a PCIe-to-PCI bridge (one
# group with the bridge), an e1000e, an NVMe, the boot VGA on the root bus.

load helpers

VFIO_GROUP=/hvctl/build/tools/vfio-group

setup_file() {
	modprobe hvctl
	modprobe vfio-pci
}

setup() {
	GPU=$(addr_of 1234 1111)
	# The GPU-like card is the secondary one, never the boot VGA.
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
	NIC1=$(addr_of 8086 100e 1)
	NIC2=$(addr_of 8086 100e 2)
}

@test "bind: the GPU's display function moves the whole card, and a VFIO user sees the group viable" {
	expect_driver "$GPU" bochs-drm
	expect_driver "$AUDIO" snd_hda_intel
	run_hvctl dev bind "$GPU"
	expect_driver "$GPU" vfio-pci
	expect_driver "$AUDIO" vfio-pci
	expect_override "$GPU" vfio-pci
	expect_override "$AUDIO" vfio-pci
	group=$(group_of "$GPU")
	[[ -c /dev/vfio/$group ]]
	run "$VFIO_GROUP" status "$group"
	echo "$output"
	[[ $status -eq 0 && $output == viable ]]
}

@test "unbind: the card goes back to bochs-drm and snd_hda_intel, overrides cleared" {
	run_hvctl dev unbind "$GPU"
	expect_driver "$GPU" bochs-drm
	expect_driver "$AUDIO" snd_hda_intel
	expect_override "$GPU" "(null)"
	expect_override "$AUDIO" "(null)"
}

@test "group bind / unbind by id: the NICs move, the bridge stays, the group is viable" {
	group=$(group_of "$NIC1")
	[[ $(group_of "$NIC2") == "$group" ]]
	bridge=""
	for d in /sys/kernel/iommu_groups/"$group"/devices/*; do
		[[ $(<"$d/class") != 0x0604* ]] || bridge=${d##*/}
	done
	[[ -n $bridge ]]
	bridge_driver=$(driver_of "$bridge")
	run_hvctl -j group bind "$group"
	expect_driver "$NIC1" vfio-pci
	expect_driver "$NIC2" vfio-pci
	expect_driver "$bridge" "$bridge_driver"
	run "$VFIO_GROUP" status "$group"
	[[ $status -eq 0 ]]
	run_hvctl group unbind "$group"
	expect_driver "$NIC1" e1000
	expect_driver "$NIC2" e1000
}

@test "nogroup: only the named function moves and the reply says not viable" {
	run_hvctl -j dev bind "$GPU" nogroup
	echo "$output" | jq -e '.viable == false'
	expect_driver "$GPU" vfio-pci
	expect_driver "$AUDIO" snd_hda_intel
	run "$VFIO_GROUP" status "$(group_of "$GPU")"
	[[ $output == "not viable" ]]
	run_hvctl dev unbind "$GPU" nogroup
	expect_driver "$GPU" bochs-drm
}

@test "dry run: the plan is printed and nothing changes" {
	run_hvctl --dry-run -j dev bind "$GPU"
	echo "$output" | jq -e '[.changes[].status] | all(. == "planned")'
	echo "$output" | jq -e '.viable == true'
	run_hvctl --dry-run -j dev bind "$GPU" nogroup
	echo "$output" | jq -e '.viable == false'
	expect_driver "$GPU" bochs-drm
	expect_driver "$AUDIO" snd_hda_intel
	expect_override "$GPU" "(null)"
}

@test "refused: a bridge, an ambiguous selector, an unknown device, a bad driver; nothing changes" {
	bridge=$(for d in "$SYS_PCI"/*; do [[ $(<"$d/class") != 0x0604* ]] || echo "${d##*/}"; done | head -n 1)
	run_hvctl 4 dev bind "$bridge" nogroup
	expect_stderr "bridge"
	run_hvctl 4 dev bind id 8086:100e
	expect_stderr "more than one device"
	run_hvctl 3 dev bind 0000:7f:1f.7
	expect_stderr "no device"
	run_hvctl 4 dev bind "$GPU" driver e1000
	expect_stderr "vfio-pci or pci-stub"
	expect_driver "$GPU" bochs-drm
	expect_driver "$NIC1" e1000
}

@test "refused without --force: the boot VGA; the kernel says why" {
	boot=$(for d in "$SYS_PCI"/*; do [[ ! -e $d/boot_vga || $(<"$d/boot_vga") != 1 ]] || echo "${d##*/}"; done)
	[[ -n $boot ]]
	before=$(driver_of "$boot")
	run_hvctl 6 dev bind "$boot"
	expect_stderr "console"
	expect_driver "$boot" "$before"
}

@test "the boot VGA with no driver, framebuffer or console on it binds without --force" {
	boot=$(for d in "$SYS_PCI"/*; do [[ ! -e $d/boot_vga || $(<"$d/boot_vga") != 1 ]] || echo "${d##*/}"; done)
	before=$(driver_of "$boot")
	[[ -n $before ]]
	echo "$boot" >"$SYS_PCI/$boot/driver/unbind"
	# Ground truth: nothing in sysfs draws on it any more.
	for fb in /sys/class/graphics/fb* /sys/class/drm/card*; do
		[[ ! -e $fb/device ]] || [[ $(readlink -f "$fb/device") != */"$boot" ]]
	done
	run_hvctl dev bind "$boot"
	expect_driver "$boot" vfio-pci
	run_hvctl dev unbind "$boot"
	expect_driver "$boot" "$before"
}

@test "rollback: vfio-pci refuses an SR-IOV PF mid-transaction; the PF goes back to nvme, nothing else moved" {
	pf=$(addr_of 1b36 0010)
	echo 1 >"$SYS_PCI/$pf/sriov_numvfs"
	udevadm settle
	members=$(ls "$SYS_PCI/$pf/iommu_group/devices")
	declare -A drv=()
	for m in $members; do drv[$m]=$(driver_of "$m"); done
	[[ ${drv[$pf]} == nvme ]]
	run_hvctl 1 dev bind "$pf"
	expect_stderr "went back"
	# The step that failed, and the device it failed on.
	expect_output "$pf  nvme -> nvme  failed at step attach"
	for m in $members; do
		expect_driver "$m" "${drv[$m]}"
		expect_override "$m" "(null)"
	done
	# One log line for the failed attach's rollback, naming the PF.
	dmesg | grep -E "$pf: hvctl: rolled back"
	echo 0 >"$SYS_PCI/$pf/sriov_numvfs"
}

@test "refused without --force: the disk holding the root filesystem" {
	root=$(findmnt -no SOURCE /)
	pci=$(readlink -f "/sys/class/block/${root#/dev/}" | grep -o '0000:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7]' | tail -n 1)
	[[ -n $pci ]]
	before=$(driver_of "$pci")
	run_hvctl 6 dev bind "$pci" nogroup
	expect_stderr "mounted"
	expect_driver "$pci" "$before"
}

@test "refused without --force: a NIC that is up and carries a route; --force takes it" {
	# The e1000e's net device link is the PCI function itself (no virtio
	# device in between): the check must still find the interface.
	nic=$(addr_of 8086 10d3)
	expect_driver "$nic" e1000e
	ifname=$(ls "$SYS_PCI/$nic/net")
	ip link set "$ifname" up
	ip addr add 192.0.2.1/24 dev "$ifname"
	grep -q "^$ifname[[:space:]]" /proc/net/route
	run_hvctl 6 dev bind "$nic"
	expect_stderr "route"
	expect_driver "$nic" e1000e
	run_hvctl --force dev bind "$nic"
	expect_driver "$nic" vfio-pci
	run_hvctl dev unbind "$nic"
	expect_driver "$nic" e1000e
}

@test "unbind while a VFIO user holds the group: EBUSY at once, nothing hangs" {
	run_hvctl dev bind "$GPU"
	group=$(group_of "$GPU")
	coproc HOLD { exec "$VFIO_GROUP" hold "$group"; }
	read -r -t 30 line <&"${HOLD[0]}"
	[[ $line == holding ]]
	run_hvctl -j group show "$group"
	echo "$output" | jq -e '.[0].in_use == true'
	run timeout 60 "$HVCTL" dev unbind "$GPU"
	echo "$output"
	kill "$HOLD_PID"
	wait "$HOLD_PID" || true
	[[ $status -eq 6 ]]
	expect_driver "$GPU" vfio-pci
	run_hvctl dev unbind "$GPU"
	expect_driver "$GPU" bochs-drm
}

@test "privilege: nobody, root with only CAP_NET_ADMIN, and a user namespace are refused; nothing changes" {
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$HVCTL" dev bind "$GPU"
	echo "$output"
	[[ $status -ne 0 ]]
	run capsh --drop=cap_sys_admin -- -c "$HVCTL dev bind $GPU"
	echo "$output"
	[[ $status -eq 4 && $output == *CAP_SYS_ADMIN* ]]
	run unshare -Urn "$HVCTL" dev bind "$GPU"
	echo "$output"
	[[ $status -ne 0 ]]
	expect_driver "$GPU" bochs-drm
	expect_driver "$AUDIO" snd_hda_intel
}

@test "monitor: sees each bind and unbind; nobody cannot join the event group" {
	hvctl -j monitor >"$BATS_TEST_TMPDIR/events" &
	mon=$!
	sleep 2
	run_hvctl dev bind "$GPU"
	run_hvctl dev unbind "$GPU"
	sleep 2
	kill "$mon"
	wait "$mon" || true
	cat "$BATS_TEST_TMPDIR/events"
	jq -se --arg a "$GPU" '[.[] | select(.event == "bind") | .changes[] | select(.address == $a)] | length == 1' "$BATS_TEST_TMPDIR/events"
	jq -se --arg a "$GPU" '[.[] | select(.event == "unbind") | .changes[] | select(.address == $a)] | length == 1' "$BATS_TEST_TMPDIR/events"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups timeout 5 "$HVCTL" monitor
	echo "$output"
	[[ $status -ne 0 && $status -ne 124 ]]
}

@test "races: two binds of one group at once, and a bind racing the device's removal, leave no half-bound group" {
	"$HVCTL" dev bind "$NIC1" >/dev/null 2>&1 &
	a=$!
	"$HVCTL" dev bind "$NIC2" >/dev/null 2>&1 &
	b=$!
	wait "$a" || true
	wait "$b" || true
	expect_driver "$NIC1" vfio-pci
	expect_driver "$NIC2" vfio-pci
	run_hvctl dev unbind "$NIC1"
	expect_driver "$NIC1" e1000
	expect_driver "$NIC2" e1000
	# Remove the second NIC while a bind of its group runs; rescan after.
	"$HVCTL" dev bind "$NIC1" >/dev/null 2>&1 &
	a=$!
	echo 1 >"$SYS_PCI/$NIC2/remove"
	wait "$a" || true
	echo 1 >/sys/bus/pci/rescan
	udevadm settle
	[[ -e $SYS_PCI/$NIC2 ]]
	"$HVCTL" dev unbind "$NIC1" >/dev/null 2>&1 || true
	for n in "$NIC1" "$NIC2"; do
		d=$(driver_of "$n")
		[[ $d == e1000 || $d == vfio-pci ]]
	done
	"$HVCTL" group unbind "$(group_of "$NIC1")" >/dev/null 2>&1 || true
}

@test "rmmod during binds: no splat, devices stay where they are" {
	"$HVCTL" dev bind "$GPU" >/dev/null 2>&1 &
	a=$!
	rmmod hvctl 2>/dev/null || true
	wait "$a" || true
	modprobe hvctl
	for n in "$GPU" "$AUDIO"; do
		d=$(driver_of "$n")
		[[ $d == vfio-pci || $d == bochs-drm || $d == snd_hda_intel ]]
	done
	"$HVCTL" dev unbind "$GPU" >/dev/null 2>&1 || true
}
