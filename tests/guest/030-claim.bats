#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot claims in the module: "modprobe hvctl claim=... [takeover=1]
# [disable=1]", the way the initramfs and modprobe.d load it, and the bus
# notifier that claims devices appearing later before their first probe.
# Ground truth: sysfs driver links and driver_override, the module's
# parameter file, and the driver core's own log of every probe (dynamic
# debug of drivers/base/dd.c), never hvctl's output.

load helpers

setup_file() {
	local d
	modprobe vfio-pci
	# The driver core logs every probe, "probing driver X with device Y"
	# (run.sh boots with dyndbg for dd.c; this makes the file self-reliant).
	echo 'file drivers/base/dd.c +p' >/proc/dynamic_debug/control
	for d in "$SYS_PCI"/*; do
		echo "${d##*/} $(driver_of "${d##*/}")"
	done >"$BATS_FILE_TMPDIR/drivers"
}

setup() {
	rmmod hvctl 2>/dev/null || true
	GPU=$(addr_of 1234 1111)
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
	NIC=$(addr_of 8086 10d3)
	PF=$(addr_of 1b36 0010)
	echo "hvctl-test: mark $BATS_TEST_NUMBER" >/dev/kmsg
}

# Put every device back on the driver it had when the file started.
teardown() {
	local a d cur
	rmmod hvctl 2>/dev/null || true
	! mountpoint -q /proc/cmdline || umount /proc/cmdline
	rm -f /etc/modprobe.d/hvctl-test.conf
	echo 0 >"$SYS_PCI/$PF/sriov_numvfs"
	while read -r a d; do
		[[ -e $SYS_PCI/$a ]] || continue
		echo >"$SYS_PCI/$a/driver_override"
		cur=$(driver_of "$a")
		[[ $cur != "$d" ]] || continue
		[[ -z $cur ]] || echo "$a" >"$SYS_PCI/$a/driver/unbind"
		echo "$a" >/sys/bus/pci/drivers_probe
	done <"$BATS_FILE_TMPDIR/drivers"
}

# The kernel log since this test's mark.
klog() {
	dmesg | sed -n "/hvctl-test: mark $BATS_TEST_NUMBER\$/,\$p"
}

# expect_klog REGEX: a kernel log line since the mark matches
expect_klog() {
	klog | grep -qE -- "$1" || {
		echo "FAIL: no kernel log line matches '$1'; since the mark:" >&2
		klog | grep -E 'hvctl|probing' >&2
		return 1
	}
}

# expect_no_probe DRIVER ADDR: DRIVER never probed ADDR since the mark
expect_no_probe() {
	if klog | grep -E "probing driver $1 with device" | grep -q "$2"; then
		echo "FAIL: $1 probed $2:" >&2
		klog | grep -E "probing driver $1 with device" >&2
		return 1
	fi
}

# with_cmdline WORDS...: the kernel command line, as kmod reads it, gets
# WORDS (a file bind-mounted over /proc/cmdline; teardown removes it)
with_cmdline() {
	echo "$(</proc/cmdline) $*" >"$BATS_TEST_TMPDIR/cmdline"
	mount --bind "$BATS_TEST_TMPDIR/cmdline" /proc/cmdline
}

@test "a plain modprobe never takes a bound device: the claim waits for takeover=1" {
	before=$(driver_of "$GPU")
	[[ -n $before ]]
	modprobe hvctl claim="addr=$GPU"
	expect_driver "$GPU" "$before"
	expect_override "$GPU" "(null)"
	expect_klog "$GPU: hvctl: claimed for vfio-pci but bound to $before: left alone"
}

@test "takeover=1: the claimed device and its group are on vfio-pci when modprobe returns, and stay there after rmmod" {
	before=$(driver_of "$GPU")
	modprobe hvctl claim="addr=$GPU" takeover=1
	# No settle, no sleep: modprobe returns with the claims applied.
	for a in "$GPU" "$AUDIO"; do
		expect_driver "$a" vfio-pci
		expect_override "$a" vfio-pci
	done
	expect_klog "$GPU: hvctl: claimed: $before -> vfio-pci \(boot claim\)"
	expect_klog "$AUDIO: hvctl: claimed: .* -> vfio-pci \(boot claim\)"
	rmmod hvctl
	expect_driver "$GPU" vfio-pci
	expect_driver "$AUDIO" vfio-pci
}

@test "claims from modprobe.d and from the kernel command line add up" {
	echo "options hvctl claim=addr=$NIC" >/etc/modprobe.d/hvctl-test.conf
	with_cmdline "hvctl.claim=addr=$GPU,nogroup" hvctl.takeover=1
	modprobe hvctl
	expect_driver "$NIC" vfio-pci
	expect_driver "$GPU" vfio-pci
	# nogroup: the audio function stays with the host.
	expect_driver "$AUDIO" snd_hda_intel
	grep -q "addr=$NIC" /sys/module/hvctl/parameters/claim
	grep -q "addr=$GPU,nogroup" /sys/module/hvctl/parameters/claim
}

@test "hvctl.disable=1 on the kernel command line skips every claim" {
	before=$(driver_of "$GPU")
	echo "options hvctl claim=addr=$GPU takeover=1" \
		>/etc/modprobe.d/hvctl-test.conf
	with_cmdline hvctl.disable=1
	modprobe hvctl
	expect_driver "$GPU" "$before"
	expect_override "$GPU" "(null)"
	expect_klog "hvctl: disable=1: claims \"addr=$GPU\" skipped"
	# Devices that appear later are not claimed either.
	echo 1 >"$SYS_PCI/$GPU/remove"
	echo 1 >/sys/bus/pci/rescan
	udevadm settle
	expect_driver "$GPU" "$before"
}

@test "a malformed claim is logged with its offset; the claims after it still apply" {
	modprobe hvctl claim="addr=zz:00.0;addr=$NIC" takeover=1
	expect_driver "$NIC" vfio-pci
	expect_klog "hvctl: claim=\"addr=zz:00.0;addr=$NIC\": .* at offset [0-9]+; the other claims still apply"
}

@test "an id claim never catches a storage controller or the boot VGA" {
	boot=$(for d in "$SYS_PCI"/*; do [[ $(<"$d/class") != 0x03* || $(<"$d/boot_vga") != 1 ]] || echo "${d##*/}"; done)
	boot_drv=$(driver_of "$boot")
	pf_drv=$(driver_of "$PF")
	# The boot VGA and the GPU-like card share the id 1234:1111.
	modprobe hvctl claim="id=1234:1111;id=1b36:0010" takeover=1
	expect_driver "$GPU" vfio-pci
	expect_driver "$boot" "$boot_drv"
	expect_driver "$PF" "$pf_drv"
	expect_override "$boot" "(null)"
	expect_klog "$boot: hvctl: not claimed: an id claim catches the boot VGA"
	expect_klog "$PF: hvctl: not claimed: an id claim catches a storage controller"
}

# first_vf PF: the address the PF's first virtual function will have (the
# PF's routing id plus its VF offset)
first_vf() {
	local off dom bus dev fn rid
	read -r off <"$SYS_PCI/$1/sriov_offset"
	IFS=':.' read -r dom bus dev fn <<<"$1"
	rid=$(((0x$bus << 8 | 0x$dev << 3 | fn) + off))
	printf '%s:%02x:%02x.%x\n' "$dom" $((rid >> 8)) $(((rid >> 3) & 31)) $((rid & 7))
}

@test "an SR-IOV VF named by a claim appears on vfio-pci: its native driver never probes it" {
	vf=$(first_vf "$PF")
	modprobe hvctl claim="addr=$vf"
	echo 1 >"$SYS_PCI/$PF/sriov_numvfs"
	udevadm settle
	expect_driver "$vf" vfio-pci
	expect_override "$vf" vfio-pci
	expect_klog "$vf: hvctl: claimed before its first probe: driver_override=vfio-pci \\(boot claim\\)"
	expect_klog "probing driver vfio-pci with device.*$vf|$vf.*probing driver vfio-pci with device"
	expect_no_probe nvme "$vf"
}

@test "a VF claimed for pci-stub, not loaded: the claim loads it, and only pci-stub probes the VF" {
	vf=$(first_vf "$PF")
	modprobe -r pci-stub 2>/dev/null || true
	[[ ! -d /sys/bus/pci/drivers/pci-stub ]]
	modprobe hvctl claim="addr=$vf,driver=pci-stub"
	echo 1 >"$SYS_PCI/$PF/sriov_numvfs"
	udevadm settle
	# The work loads pci-stub; its registration attaches the VF.
	for _ in $(seq 50); do
		[[ $(driver_of "$vf") != pci-stub ]] || break
		sleep 0.1
	done
	expect_driver "$vf" pci-stub
	expect_override "$vf" pci-stub
	expect_no_probe nvme "$vf"
	if klog | grep "hvctl: claim for pci-stub failed"; then false; fi
}

@test "a device removed and rescanned is claimed by serial number before its first probe" {
	dsn=$(lspci -vvv -s "$NIC" | awk '/Device Serial Number/ { print $NF }')
	[[ -n $dsn ]]
	modprobe hvctl claim="serial=$dsn"
	# Bound to e1000e and no takeover: left alone until it comes back.
	expect_driver "$NIC" e1000e
	echo 1 >"$SYS_PCI/$NIC/remove"
	echo 1 >/sys/bus/pci/rescan
	udevadm settle
	expect_driver "$NIC" vfio-pci
	expect_no_probe e1000e "$NIC"
	expect_klog "$NIC: hvctl: claimed before its first probe"
	expect_klog "probing driver vfio-pci with device.*$NIC|$NIC.*probing driver vfio-pci"
}
