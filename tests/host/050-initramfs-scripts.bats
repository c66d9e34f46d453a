#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# The initramfs scripts on the host, run the way each tool runs them: the
# ORDER initramfs-tools computes (with its own hook-functions), and the
# boot-time scripts with a recording modprobe on PATH and a command line
# from a file (HVCTL_CMDLINE).  The real boots are tests/guest/040-boot.bats;
# mkinitcpio is not packaged in Debian, so its hooks are only tested here.

load helpers

SRC=$HVCTL_TOP/initramfs

setup() {
	BIN=$BATS_TEST_TMPDIR/bin
	CALLS=$BATS_TEST_TMPDIR/calls
	mkdir -p "$BIN"
	: >"$CALLS"
	# modprobe: records its arguments; FAKE_NOMOD=1: module not in the image
	# (-n fails); FAKE_FAIL=1: loading fails.
	cat >"$BIN/modprobe" <<EOF2
#!/bin/sh
echo "modprobe \$*" >>"$CALLS"
case " \$* " in
*" -n "*) [ -z "\${FAKE_NOMOD:-}" ] ;;
*) [ -z "\${FAKE_FAIL:-}" ] ;;
esac
EOF2
	chmod +x "$BIN/modprobe"
	export PATH=$BIN:$PATH HVCTL_CMDLINE=$BATS_TEST_TMPDIR/cmdline
	echo "root=/dev/vda ro quiet" >"$HVCTL_CMDLINE"
	unset FAKE_NOMOD FAKE_FAIL
}

@test "initramfs-tools: hook-functions orders init-top/hvctl before init-top/udev" {
	[[ -f /usr/share/initramfs-tools/hook-functions ]] || skip "no initramfs-tools"
	local img=$BATS_TEST_TMPDIR/img conf=$BATS_TEST_TMPDIR/conf
	mkdir -p "$img/scripts/init-top" "$conf/scripts/init-top"
	cp /usr/share/initramfs-tools/scripts/init-top/* "$img/scripts/init-top/"
	cp "$SRC/initramfs-tools/scripts/init-top/hvctl" "$img/scripts/init-top/"
	cp "$SRC/initramfs-tools/scripts/init-top/hvctl" "$conf/scripts/init-top/"
	CONFDIR=$conf sh -c '. /usr/share/initramfs-tools/hook-functions
		cache_run_scripts "$1" /scripts/init-top' sh "$img"
	cat "$img/scripts/init-top/ORDER"
	local h u
	h=$(grep -n '^/scripts/init-top/hvctl ' "$img/scripts/init-top/ORDER" | cut -d: -f1)
	u=$(grep -n '^/scripts/init-top/udev ' "$img/scripts/init-top/ORDER" | cut -d: -f1)
	[[ -n $h && -n $u ]]
	((h < u))
}

# run_boot_script NAME: the boot-time script of one tool, as it runs it
run_boot_script() {
	case $1 in
	initramfs-tools) run sh "$SRC/initramfs-tools/scripts/init-top/hvctl" ;;
	dracut) run sh -c '. "$1"' sh "$SRC/dracut/90hvctl/hvctl-pre-udev.sh" ;;
	mkinitcpio) run sh -c '. "$1"; run_earlyhook' sh "$SRC/mkinitcpio/hooks/hvctl" ;;
	esac
}

@test "boot scripts: modprobe hvctl takeover=1; hvctl.disable=1 skips it; nothing fails the boot" {
	local t
	for t in initramfs-tools dracut mkinitcpio; do
		: >"$CALLS"
		run_boot_script "$t"
		expect_eq "$status" 0 "$t: exit status"
		expect_eq "$(cat "$CALLS")" "modprobe -q -n hvctl
modprobe hvctl takeover=1" "$t: loads hvctl with takeover=1"

		: >"$CALLS"
		echo "root=/dev/vda hvctl.disable=1 quiet" >"$HVCTL_CMDLINE"
		run_boot_script "$t"
		expect_eq "$status" 0 "$t: exit status, disabled"
		expect_eq "$(cat "$CALLS")" "" "$t: hvctl.disable=1 loads nothing"
		[[ $output == *"hvctl.disable=1: no boot claims"* ]]
		echo "root=/dev/vda ro" >"$HVCTL_CMDLINE"

		: >"$CALLS"
		FAKE_NOMOD=1 run_boot_script "$t"
		expect_eq "$status" 0 "$t: no module in the image"
		expect_eq "$(cat "$CALLS")" "modprobe -q -n hvctl" "$t: no load without the module"

		FAKE_FAIL=1 run_boot_script "$t"
		expect_eq "$status" 0 "$t: a failed load does not fail the boot"
		[[ $output == *"cannot load the module"* ]]
	done
}

@test "dracut module-setup.sh: included when claims are applied; a missing module warns" {
	local root=$BATS_TEST_TMPDIR/sysroot
	mkdir -p "$root/etc/modprobe.d"
	run bash -c '
		dracutsysrootdir=$1 moddir=/m kernel=6.1.0-56-amd64
		instmods() { echo "instmods $*"; [[ $1 != pci-stub ]]; }
		dwarn() { echo "dwarn $*"; }
		inst_hook() { echo "inst_hook $*"; }
		inst_simple() { echo "inst_simple $*"; }
		. "$2"
		check; echo "check=$?"
		touch "$1/etc/modprobe.d/hvctl.conf"
		check; echo "check=$?"
		installkernel; echo "installkernel=$?"
		install; echo "install=$?"' bash "$root" "$SRC/dracut/90hvctl/module-setup.sh"
	echo "$output"
	expect_eq "$output" "check=255
check=0
instmods hvctl
instmods vfio-pci
instmods vfio_iommu_type1
instmods pci-stub
dwarn hvctl: module pci-stub not found for kernel 6.1.0-56-amd64: the boot claims will not apply from the initramfs
installkernel=0
inst_hook pre-udev 00 /m/hvctl-pre-udev.sh
inst_simple /etc/modprobe.d/hvctl.conf
install=0" "dracut module calls"
}

@test "mkinitcpio install/hvctl: adds the modules and the runscript; a missing module warns" {
	cat >"$BIN/modinfo" <<'EOF2'
#!/bin/sh
[ "$3" != pci-stub ]
EOF2
	chmod +x "$BIN/modinfo"
	run bash -c '
		KERNELVERSION=6.12.117+deb12-amd64
		add_module() { echo "add_module $*"; }
		add_file() { echo "add_file $*"; }
		add_runscript() { echo "add_runscript"; }
		warning() { echo "warning $*"; }
		. "$1"
		build; echo "build=$?"
		help | head -n 1' bash "$SRC/mkinitcpio/install/hvctl"
	echo "$output"
	local want="add_module hvctl
add_module vfio-pci
add_module vfio_iommu_type1
warning hvctl: module pci-stub not found for 6.12.117+deb12-amd64: the boot claims will not apply from the initramfs"
	[[ ! -e /etc/modprobe.d/hvctl.conf ]] || want+="
add_file /etc/modprobe.d/hvctl.conf"
	want+="
add_runscript
build=0
Loads hvctl (with the claims of /etc/hvctl.conf, see \"hvctl boot apply\")"
	expect_eq "$output" "$want" "mkinitcpio build"
}

@test "make install-boot DESTDIR= puts every hook where its tool looks" {
	local d=$BATS_TEST_TMPDIR/dest
	make -s -C "$HVCTL_TOP" install-boot DESTDIR="$d" >/dev/null
	run bash -c 'cd "$1" && find . -type f -printf "%m %p\n" | LC_ALL=C sort' bash "$d"
	expect_eq "$output" "644 ./usr/lib/initcpio/hooks/hvctl
644 ./usr/lib/initcpio/install/hvctl
755 ./usr/lib/dracut/modules.d/90hvctl/hvctl-pre-udev.sh
755 ./usr/lib/dracut/modules.d/90hvctl/module-setup.sh
755 ./usr/share/initramfs-tools/hooks/hvctl
755 ./usr/share/initramfs-tools/scripts/init-top/hvctl" "installed files"
}
