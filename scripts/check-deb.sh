#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-deb: look inside the .debs make deb left in build/deb/ and
# compare them with what the checkout's own install paths produce:
#   both      Version is VERSION
#   hvctl     usr/sbin/hvctl --version says VERSION; the initramfs files are
#             scripts/install-boot.sh's (without mkinitcpio's, which Debian
#             lacks); hvctl.8 is shipped if and only if Documentation/ has it
#   hvctl-dkms  usr/src/hvctl-VERSION is scripts/dkms-src.sh's tree, file for
#             file, and the real dkms builds it for the first guest kernel
#             (temporary dkms tree) into a module whose version is VERSION
# Exit 0 pass, 1 fail, 77 when the build part had no kernel headers.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(<"$top/VERSION")
debs=$top/build/deb
tool=$(find "$debs" -maxdepth 1 -name "hvctl_${version}_*.deb" | head -n1 || true)
dkmsdeb=$debs/hvctl-dkms_${version}_all.deb

fails=0
skipped=
ok() { echo "ok: $*"; }
bad() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

if [[ -z $tool || ! -f $dkmsdeb ]]; then
	echo "FAIL: no hvctl_${version}_*.deb or hvctl-dkms_${version}_all.deb in $debs (make deb)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvctl-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for deb in "$tool" "$dkmsdeb"; do
	v=$(dpkg-deb -f "$deb" Version)
	if [[ $v == "$version" ]]; then
		ok "${deb##*/}: Version $v is VERSION"
	else
		bad "${deb##*/}: Version '$v', VERSION '$version'"
	fi
done

# ---- hvctl
dpkg-deb -x "$tool" "$tmp/tool"
out=$("$tmp/tool/usr/sbin/hvctl" --version 2>&1 || true)
if [[ $out == "hvctl $version" ]]; then
	ok "hvctl --version: $out"
else
	bad "hvctl --version: '$out'"
fi

bash "$top/scripts/install-boot.sh" "$tmp/boot"
rm -r "$tmp/boot/usr/lib/initcpio"
while read -r f; do
	if cmp -s "$tmp/boot/$f" "$tmp/tool/$f" &&
		[[ $(stat -c %a "$tmp/tool/$f") == "$(stat -c %a "$tmp/boot/$f")" ]]; then
		ok "hvctl: ${f#./} is install-boot's (mode too)"
	else
		bad "hvctl: $f differs from install-boot's, or is missing"
	fi
done < <(cd "$tmp/boot" && find . -type f | sort)

man=$tmp/tool/usr/share/man/man8/hvctl.8.gz
if [[ -f $top/Documentation/hvctl.8 ]]; then
	if [[ -f $man ]] && zcat "$man" | cmp -s - "$top/Documentation/hvctl.8"; then
		ok "hvctl: hvctl.8 is Documentation/hvctl.8"
	else
		bad "hvctl: Documentation/hvctl.8 exists but the package's hvctl.8.gz is missing or differs"
	fi
elif [[ -e $man ]]; then
	bad "hvctl: ships hvctl.8 though Documentation/hvctl.8 does not exist"
else
	ok "hvctl: no hvctl.8 (Documentation/hvctl.8 not written yet)"
fi

# ---- hvctl-dkms
dpkg-deb -x "$dkmsdeb" "$tmp/dkmsdeb"
bash "$top/scripts/dkms-src.sh" "$tmp/ref/hvctl-$version"
if diff -r "$tmp/ref/hvctl-$version" "$tmp/dkmsdeb/usr/src/hvctl-$version"; then
	ok "hvctl-dkms: usr/src/hvctl-$version is dkms-src.sh's tree (dkms.conf PACKAGE_VERSION=\"$version\")"
else
	bad "hvctl-dkms: usr/src/hvctl-$version differs from dkms-src.sh's tree (above)"
fi
if dpkg-deb --ctrl-tarfile "$dkmsdeb" | tar -xO ./postinst |
	grep -qx "DKMS_VERSION=$version"; then
	ok "hvctl-dkms: postinst adds and builds hvctl $version"
else
	bad "hvctl-dkms: postinst does not name DKMS_VERSION=$version"
fi

k=$("$top/tests/vm/kernels.sh" | sed -n 1p)
if ! command -v dkms >/dev/null || [[ ! -e /lib/modules/$k/build/include ]]; then
	echo "SKIP: dkms build of the packaged source (no dkms, or no headers for $k)"
	skipped=1
else
	d=$tmp/dkms
	mkdir -p "$d/tree" "$d/lib/$k"
	flags=(--dkmstree "$d/tree" --sourcetree "$tmp/dkmsdeb/usr/src"
		--installtree "$d/lib" --no-depmod)
	export mok_signing_key=$d/mok.key mok_certificate=$d/mok.pub
	if dkms "${flags[@]}" add "hvctl/$version" >"$d/log" 2>&1 &&
		dkms "${flags[@]}" build "hvctl/$version" -k "$k" >>"$d/log" 2>&1; then
		ko=$(find "$d/tree/hvctl/$version/$k" -name 'hvctl.ko*' | head -n1 || true)
		if [[ -n $ko && $(modinfo -F version "$ko") == "$version" &&
			$(modinfo -F vermagic "$ko") == "$k "* ]]; then
			ok "hvctl-dkms: dkms builds the packaged source for $k (version $version)"
		else
			bad "hvctl-dkms: built module for $k missing or wrong: '$ko'"
		fi
	else
		cat "$d/log"
		bad "hvctl-dkms: dkms add/build of the packaged source for $k"
	fi
fi

if [[ $fails -gt 0 ]]; then
	echo "check-deb: FAIL ($fails)"
	exit 1
fi
if [[ -n $skipped ]]; then
	echo "check-deb: SKIP (package contents fine, dkms build not run)"
	exit 77
fi
echo "check-deb: PASS: ${tool##*/} ${dkmsdeb##*/}"
