#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# End to end with a real VFIO user: hvctl hands the GPU-like card's group
# (display + audio functions) to vfio-pci, and a nested QEMU in this guest
# gets both functions as -device vfio-pci.  The nested guest boots this
# guest's own kernel with a busybox initramfs that lists the PCI devices it
# sees on its console: the ground truth is that list, read from the nested
# console, not hvctl's output.  While the nested QEMU holds the group,
# unbinding it is refused.  About 90 s of nested TCG boot: run by
# "make check-e2e", not "make check".

load ../guest/helpers

setup_file() {
	modprobe hvctl
	modprobe vfio-pci
	modprobe vfio_iommu_type1
}

setup() {
	GPU=$(addr_of 1234 1111)
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
}

teardown() {
	local pid
	read -r pid 2>/dev/null <"$BATS_FILE_TMPDIR/qemu.pid" || return 0
	kill "$pid" 2>/dev/null || true
}

# group_held ID: some process has /dev/vfio/ID open
group_held() {
	local f
	for f in /proc/[0-9]*/fd/*; do
		[[ $(readlink "$f" 2>/dev/null) != "/dev/vfio/$1" ]] || return 0
	done
	return 1
}

@test "a nested QEMU receives both functions of the group hvctl bound, and unbind is refused while it runs" {
	gv=$(<"$SYS_PCI/$GPU/vendor") gd=$(<"$SYS_PCI/$GPU/device")
	av=$(<"$SYS_PCI/$AUDIO/vendor") ad=$(<"$SYS_PCI/$AUDIO/device")
	run_hvctl dev bind "$GPU"
	expect_driver "$GPU" vfio-pci
	expect_driver "$AUDIO" vfio-pci
	group=$(group_of "$GPU")
	[[ -c /dev/vfio/$group ]]

	timeout 900 "$BATS_TEST_DIRNAME/nested.sh" "$BATS_FILE_TMPDIR" \
		"$GPU" "$AUDIO" >"$BATS_FILE_TMPDIR/qemu.err" 2>&1 &
	qemu=$!
	echo "$qemu" >"$BATS_FILE_TMPDIR/qemu.pid"
	# The group is held by a VFIO user once QEMU has opened it.
	for _ in $(seq 150); do
		group_held "$group" && break
		sleep 0.2
	done
	group_held "$group"
	run_hvctl 6 dev unbind "$GPU"
	expect_driver "$GPU" vfio-pci

	wait "$qemu" || true
	log=$BATS_FILE_TMPDIR/console.log
	grep -q NESTED-DONE "$log" || {
		cat "$log" "$BATS_FILE_TMPDIR/qemu.err" >&2
		false
	}
	grep -q "NESTED-PCI ${gv#0x}:${gd#0x}" "$log"
	grep -q "NESTED-PCI ${av#0x}:${ad#0x}" "$log"
	run_hvctl dev unbind "$GPU"
	expect_driver "$GPU" bochs-drm
	expect_driver "$AUDIO" snd_hda_intel
}
