#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dracut pre-udev hook (sourced by dracut's init before udevd starts and
# coldplugs): load hvctl with takeover=1 so the claimed devices get
# vfio-pci before any native driver.  hvctl.disable=1 skips it.
# shellcheck disable=SC2317 # dracut sources this file; return is reachable

hvctl_disabled() {
	read -r hvctl_cmdline <"${HVCTL_CMDLINE:-/proc/cmdline}" || true
	for w in $hvctl_cmdline; do
		case $w in
		hvctl.disable=1 | hvctl.disable=y | hvctl.disable=Y) return 0 ;;
		esac
	done
	return 1
}

if hvctl_disabled; then
	echo "hvctl: hvctl.disable=1: no boot claims" >&2
elif modprobe -q -n hvctl 2>/dev/null; then
	if ! modprobe hvctl takeover=1; then
		echo "hvctl: cannot load the module: boot claims not applied" >&2
	elif [ -x /sbin/hvctl ] && [ -e /etc/hvctl.conf ]; then
		/sbin/hvctl boot reserve ||
			echo "hvctl: some hugepages lines were not reserved (above)" >&2
	fi
fi
