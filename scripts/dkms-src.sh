#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Copy what DKMS needs to build hvctl.ko (Kbuild, VERSION, kernel/,
# include/) into DEST, with dkms.conf's PACKAGE_VERSION set from VERSION:
#   scripts/dkms-src.sh DEST        e.g. /usr/src/hvctl-0.1.0
# make dkms-install, make check-dkms and the hvctl-dkms package use it, so
# the three ship the same tree. DEST is replaced, not merged into.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:?usage: $0 DEST}
version=$(<"$top/VERSION")

if [[ ! $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]]; then
	echo "dkms-src.sh: VERSION '$version' is not a version dkms and dpkg accept" >&2
	exit 1
fi

rm -rf "$dest"
mkdir -p "$dest/kernel"
cp -p "$top/Kbuild" "$top/VERSION" "$dest/"
cp -p "$top"/kernel/*.c "$top"/kernel/*.h "$dest/kernel/"
cp -pR "$top/include" "$dest/"
sed "s/#MODULE_VERSION#/$version/g" "$top/dkms.conf" >"$dest/dkms.conf"
chmod 0644 "$dest/dkms.conf"
