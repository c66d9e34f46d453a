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
