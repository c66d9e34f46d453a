#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dracut module: hvctl.ko, vfio-pci and the claims of "hvctl boot apply"
# (/etc/modprobe.d/hvctl.conf) into the initramfs, and a pre-udev hook that
# loads hvctl with takeover=1 before udev coldplugs the native drivers.
# Missing pieces are warnings, never a failed build.
# shellcheck disable=SC2154 # $dracutsysrootdir, $kernel, $moddir: dracut's

# Included when claims were applied; otherwise only on request.
check() {
	[[ -e $dracutsysrootdir/etc/modprobe.d/hvctl.conf ]] && return 0
	return 255
}

depends() {
	return 0
}

installkernel() {
	local m
	for m in hvctl vfio-pci vfio_iommu_type1 pci-stub; do
		# hostonly= : also in a host-only image, where no device uses them yet.
		# shellcheck disable=SC2034
		hostonly='' instmods "$m" ||
			dwarn "hvctl: module $m not found for kernel $kernel: the boot claims will not apply from the initramfs"
	done
	return 0
}

install() {
	inst_hook pre-udev 00 "$moddir/hvctl-pre-udev.sh"
	if [[ -e $dracutsysrootdir/etc/modprobe.d/hvctl.conf ]]; then
		inst_simple /etc/modprobe.d/hvctl.conf ||
			dwarn "hvctl: cannot install /etc/modprobe.d/hvctl.conf"
	fi
	# hugepages lines: the hook records them with "hvctl boot reserve".
	if grep -Eqs '^[[:space:]]*hugepages[[:space:]]' "$dracutsysrootdir/etc/hvctl.conf"; then
		local d bin=
		for d in /usr/sbin /usr/local/sbin /sbin /usr/bin /usr/local/bin; do
			[[ -x $dracutsysrootdir$d/hvctl ]] && bin=$d/hvctl && break
		done
		if [[ -z $bin ]] || ! inst_binary "$bin" /sbin/hvctl ||
			! inst_simple /etc/hvctl.conf; then
			dwarn "hvctl: cannot install hvctl and /etc/hvctl.conf: the hugepages lines will not be reserved at boot"
		fi
	fi
	return 0
}
