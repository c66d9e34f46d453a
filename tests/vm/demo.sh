#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: runs in the emulated host (tests/vm/run.sh --script) and tells
# the story so far: the groups and why some are large, the GPU-like card
# and its audio function handed to vfio-pci as one group, a real VFIO
# user's view, and back.
set -euo pipefail

say() { printf '\n### %s\n' "$*"; }
run() {
	printf '# %s\n' "$*"
	"$@"
}

modprobe hvctl
say "IOMMU groups of this host, and whether each can go to a VM"
run hvctl group show
say "The PCI devices"
run hvctl dev show
say "Why groups hold several devices: a PCIe-to-PCI bridge, a port without ACS"
for id in 0x8086:0x100e 0x1b36:0x0005; do
	for d in /sys/bus/pci/devices/*; do
		if [[ $(<"$d/vendor"):$(<"$d/device") == "$id" ]]; then
			run hvctl group show "$(basename "$(readlink "$d/iommu_group")")"
			break
		fi
	done
done

gpu=
for d in /sys/bus/pci/devices/*; do
	# The secondary card has no boot_vga file (or a 0 in it).
	if [[ $(<"$d/vendor") == 0x1234 && $(<"$d/device") == 0x1111 &&
		$(cat "$d/boot_vga" 2>/dev/null || echo 0) == 0 ]]; then
		gpu=${d##*/}
	fi
done
group=$(basename "$(readlink "/sys/bus/pci/devices/$gpu/iommu_group")")

say "What binding the GPU-like card would do"
run hvctl --dry-run dev bind "$gpu"
say "Bind it: display and audio functions move together"
run hvctl dev bind "$gpu"
run hvctl group show "$group"
say "A VFIO user (what QEMU does) sees the group viable"
run /hvctl/build/tools/vfio-group status "$group"
say "A real VFIO user: a nested QEMU receives both functions (about 90 s)"
nested=$(mktemp -d)
run /hvctl/tests/e2e/nested.sh "$nested" "$gpu" "${gpu%.0}.1"
grep NESTED "$nested/console.log"
say "The boot VGA carries the console: refused"
boot=$(grep -l 1 /sys/bus/pci/devices/*/boot_vga | head -n 1)
boot=${boot%/boot_vga}
run hvctl dev bind "${boot##*/}" || true
say "Give the card back to its drivers"
run hvctl dev unbind "$gpu"
say "The kernel log says who changed what"
dmesg | grep 'hvctl:' | tail -n 4
