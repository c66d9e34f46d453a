#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# A boot through the initramfs 040-boot.bats built (claim of the GPU-like
# card, its group with the HDA function).  Only runs in a guest booted with
# it (tests/vm/run.sh --initrd, which adds hvctl_vm.initrd=custom):
#
#   tests/vm/run.sh --kernel 6.1 --tests 040-boot.bats
#   tests/vm/run.sh --kernel 6.1 --tests 045-boot-initrd.bats \
#       --initrd build/vm/6.1.0-56-amd64-default/initrd-hvctl.img
#   tests/vm/run.sh ... --append hvctl.disable=1     (the way out)
#
# Ground truth: sysfs, and the driver core's log of every probe (run.sh
# boots with dyndbg="file drivers/base/dd.c +p"), from the first line on.

load helpers

setup() {
	grep -qw hvctl_vm.initrd=custom /proc/cmdline ||
		skip "not booted through a custom initrd (run.sh --initrd)"
	GPU=$(addr_of 1234 1111)
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
	NIC=$(addr_of 8086 10d3)
	BOOTVGA=$(for d in "$SYS_PCI"/*; do
		[[ $(<"$d/class") != 0x03* || $(<"$d/boot_vga") != 1 ]] || echo "${d##*/}"
	done)
	dmesg >"$BATS_TEST_TMPDIR/klog"
}

disabled() {
	grep -qw hvctl.disable=1 /proc/cmdline
}

# probes DRIVER ADDR: how many times the driver core probed ADDR with DRIVER
probes() {
	grep -E "probing driver $1 with device" "$BATS_TEST_TMPDIR/klog" | grep -c "$2" || true
}

# line_of REGEX: the first kernel log line number matching REGEX
line_of() {
	grep -nE -- "$1" "$BATS_TEST_TMPDIR/klog" | head -n 1 | cut -d: -f1
}

@test "claimed: the GPU and its HDA function went to vfio-pci before the root was mounted" {
	disabled && skip "hvctl.disable=1"
	expect_driver "$GPU" vfio-pci
	expect_driver "$AUDIO" vfio-pci
	expect_override "$GPU" vfio-pci
	expect_override "$AUDIO" vfio-pci
	local p r
	p=$(line_of "probing driver vfio-pci with device.*$GPU|$GPU.*probing driver vfio-pci")
	r=$(line_of "EXT4-fs \(vda\): mounted filesystem")
	[[ -n $p && -n $r ]]
	((p < r))
	grep -E "$GPU: hvctl: claimed: .* -> vfio-pci \(boot claim\)" "$BATS_TEST_TMPDIR/klog"
}

@test "claimed: bochs-drm and snd_hda_intel never probed the claimed functions" {
	disabled && skip "hvctl.disable=1"
	# Both were loaded (and bochs-drm took the boot VGA): they had the chance.
	[[ -d /sys/bus/pci/drivers/bochs-drm && -d /sys/bus/pci/drivers/snd_hda_intel ]]
	[[ $(probes bochs-drm "$BOOTVGA") -gt 0 ]]
	expect_eq "$(probes bochs-drm "$GPU")" 0 "bochs-drm probes of $GPU"
	expect_eq "$(probes snd_hda_intel "$AUDIO")" 0 "snd_hda_intel probes of $AUDIO"
}

@test "unclaimed devices got their native drivers" {
	expect_driver "$BOOTVGA" bochs-drm
	expect_driver "$NIC" e1000e
}

@test "hvctl.disable=1: nothing claimed, the native drivers have the card" {
	disabled || skip "no hvctl.disable=1"
	expect_driver "$GPU" bochs-drm
	expect_driver "$AUDIO" snd_hda_intel
	expect_eq "$(probes vfio-pci "$GPU")" 0 "vfio-pci probes of $GPU"
	[[ ! -e /sys/module/hvctl ]] || expect_override "$GPU" "(null)"
}

# Huge pages (the hugepages lines of 040-boot.bats): the kernel command
# line "hvctl boot show" printed gave the 1G pages; init-top/hvctl ran
# "hvctl boot reserve" from the image.  Ground truth: the per-node pools
# and the module's ledger in sysfs.
NODE_SYS=/sys/devices/system/node
LEDGER=/sys/kernel/hvctl/hugepages

# nr NODE KB: that node's pool
nr() {
	cat "$NODE_SYS/node$1/hugepages/hugepages-$2kB/nr_hugepages"
}

@test "hugepages: every 1G page the command line asked for is there, per node" {
	grep -qw hugepagesz=1G /proc/cmdline || skip "booted without the command line boot show printed"
	expect_eq "$(nr 0 1048576)" 1 "1G pages on node 0"
	expect_eq "$(nr 1 1048576)" 1 "1G pages on node 1"
}

@test "hugepages: the ledger names the command line's 1G pages (adopted, none added) and the initramfs's 2M pages" {
	disabled && skip "hvctl.disable=1"
	grep -qw hugepagesz=1G /proc/cmdline || skip "booted without the command line boot show printed"
	cat "$LEDGER"
	expect_eq "$(grep '^vm-gpu ' "$LEDGER" | cut -d' ' -f1-4)" "vm-gpu 1048576 0:1 0" "vm-gpu"
	expect_eq "$(grep '^vm-nic ' "$LEDGER" | cut -d' ' -f1-4)" "vm-nic 1048576 1:1 0" "vm-nic"
	expect_eq "$(grep '^dpdk ' "$LEDGER" | cut -d' ' -f1-4)" "dpdk 2048 1:64 0" "dpdk"
	# Adopted: the pools hold exactly what the lines ask, nothing grown.
	expect_eq "$(nr 0 1048576) $(nr 1 1048576)" "1 1" "1G pools"
	expect_eq "$(nr 0 2048) $(nr 1 2048)" "0 64" "2M pools"
	# Recorded before the root was mounted: from the initramfs.
	local r m
	r=$(grep -nE "EXT4-fs \(vda\): mounted filesystem" "$BATS_TEST_TMPDIR/klog" | head -n 1 | cut -d: -f1)
	m=$(grep -nF 'hvctl: huge page reservation "dpdk"' "$BATS_TEST_TMPDIR/klog" | head -n 1 | cut -d: -f1)
	[[ -n $r && -n $m ]]
	((m < r))
}

@test "hvctl.disable=1: no huge pages recorded (the command line's 1G pages stay unnamed)" {
	disabled || skip "no hvctl.disable=1"
	if [[ -e $LEDGER ]]; then
		expect_eq "$(grep -vc '^#' "$LEDGER" || true)" 0 "ledger entries"
	fi
	expect_eq "$(nr 0 2048) $(nr 1 2048)" "0 0" "2M pools"
}
