#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: runs in the emulated host (tests/vm/run.sh --script) and tells
# the story: is the host ready, the groups and why some are large, the
# GPU-like card and its audio function handed to vfio-pci as one group, a
# real VFIO user's view, the claim persisted for the next boot, huge
# pages, and back.
set -euo pipefail

say() { printf '\n### %s\n' "$*"; }
run() {
	printf '# %s\n' "$*"
	"$@"
}

modprobe hvctl
say "Is this host ready for passthrough? (the fix under each non-pass)"
run hvctl check || true
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
say "Claim it at every boot too: the next boot gives it to vfio-pci from the initramfs"
run hvctl dev bind "$gpu" persist
run hvctl boot show
run hvctl boot apply --no-initramfs
say "Huge pages for the VM: 1G on node 0, all or nothing, named"
run hvctl hugepages reserve vm-gpu size 1G count 1 node 0
run hvctl hugepages reserve vm-nic size 2M count 256 spread
run hvctl hugepages show
say "Over-asking changes nothing and says what was possible"
run hvctl hugepages reserve greedy size 1G count 64 node 1 || true
say "Give everything back"
run hvctl hugepages release vm-gpu
run hvctl hugepages release vm-nic
run hvctl boot revert --no-initramfs
run hvctl boot remove addr "$gpu"
run hvctl dev unbind "$gpu"
say "The kernel log says who changed what"
dmesg | grep 'hvctl:' | tail -n 4
