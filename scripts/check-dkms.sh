#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-dkms: the real dkms builds and installs hvctl.ko for both
# Debian kernel lines (tests/vm/kernels.sh) from the installed headers, in
# a temporary dkms tree, source tree and install tree, so the host's
# /var/lib/dkms, /usr/src and /lib/modules are never written (checked at
# the end). It goes through the make rules (make dkms-install, make
# dkms-remove) with DKMS_FLAGS pointing dkms at the temporary trees, and:
#   kernel 1  make dkms-install KVER=   (dkms add, build -k, install -k)
#   kernel 2  dkms build -k, dkms install -k
#   kernel 2  dkms remove -k, then dkms autoinstall -k: what a kernel
#             package's /etc/kernel/postinst.d/dkms runs for a new kernel
# After each install it checks, from the files themselves: hvctl.ko is in
# <installtree>/<kernel>/updates/dkms, its vermagic is the kernel's own
# (include/generated/utsrelease.h, and an in-tree module's vermagic where
# the kernel image is installed), its version is the VERSION file, and its
# signature is from the MOK certificate dkms signed it with (generated in
# the temporary tree). BUILD_EXCLUSIVE_KERNEL is checked through dkms too:
# it must refuse kernels older than 6.1 (exit 77) and accept newer ones.
#
# The modules stay in build/dkms/<kernel>/hvctl.ko (uncompressed) for a
# guest to load. Exit 0 pass, 1 fail, 77 skipped (no dkms, or a kernel's
# headers are missing: never reported as a pass).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(<"$top/VERSION")
out=$top/build/dkms

skip() {
	echo "check-dkms: SKIP: $*"
	exit 77
}

command -v dkms >/dev/null || skip "dkms is not installed (apt install dkms)"
command -v modinfo >/dev/null || skip "modinfo is not installed (apt install kmod)"
[[ $(id -u) -eq 0 ]] || skip "dkms install needs root"

mapfile -t kernels < <("$top/tests/vm/kernels.sh")
missing=()
for k in "${kernels[@]}"; do
	[[ -e /lib/modules/$k/build/include ]] || missing+=("$k")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	skip "no headers for ${missing[*]} (apt install" \
		"$(printf 'linux-headers-%s ' "${missing[@]}")or bash scripts/deps.sh vm)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvctl-dkms.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/dkms" "$tmp/src" "$tmp/lib"
flags=(--dkmstree "$tmp/dkms" --sourcetree "$tmp/src" --installtree "$tmp/lib" --no-depmod)
# dkms signs with these (prepare_signing) and generates them when missing:
# here, not /var/lib/dkms/mok.key.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
# dkms refuses to install for a kernel whose install-tree directory is missing.
for k in "${kernels[@]}"; do
	mkdir -p "$tmp/lib/$k"
done

# What the host has before we start, to prove at the end we left it alone.
host_state() {
	{
		find /var/lib/dkms /usr/src -maxdepth 2 -printf '%p %s %T@\n' 2>/dev/null
		for k in "${kernels[@]}"; do
			find "/lib/modules/$k" -maxdepth 1 -printf '%p %s %T@\n' 2>/dev/null
			find "/lib/modules/$k" -name 'hvctl.ko*' 2>/dev/null
		done
	} | sort
}
host_state >"$tmp/host.before"

fails=0
ok() { echo "ok: $*"; }
bad() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
run() {
	echo "+ $*"
	"$@"
}

# Refusals and acceptances by BUILD_EXCLUSIVE_KERNEL, asked of dkms itself
# (it checks before looking for headers: accepted ones then fail with 1).
exclusive_cases() {
	local k want rc
	while read -r k want; do
		rc=0
		dkms "${flags[@]}" build "hvctl/$version" -k "$k" >"$tmp/excl.log" 2>&1 || rc=$?
		if [[ $want == refuse && $rc -eq 77 ]] || [[ $want == accept && $rc -ne 77 ]]; then
			ok "BUILD_EXCLUSIVE_KERNEL: $k: $want (dkms exit $rc)"
		else
			bad "BUILD_EXCLUSIVE_KERNEL: $k: want $want, dkms exit $rc"
			cat "$tmp/excl.log"
		fi
	done <<-'EOF'
		5.10.0-30-amd64 refuse
		6.0.0-1-amd64 refuse
		4.19.0-27-amd64 refuse
		6.1.0-99-amd64 accept
		6.10.0-1-amd64 accept
		6.12.999+deb12-amd64 accept
		7.0.0-1-amd64 accept
		10.1.0-1-amd64 accept
	EOF
}

# The kernel's vermagic as the kernel itself states it.
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"/lib/modules/$1/build/include/generated/utsrelease.h"
}

# verify KERNEL: the installed module is right for KERNEL; keeps a copy.
verify() {
	local k=$1 ko vm rel intree ver serial sigkey
	ko=$(find "$tmp/lib/$k/updates/dkms" -name 'hvctl.ko*' 2>/dev/null | head -n1 || true)
	if [[ -z $ko ]]; then
		bad "$k: no hvctl.ko in $tmp/lib/$k/updates/dkms"
		return
	fi
	ok "$k: installed ${ko#"$tmp"/}"

	vm=$(modinfo -F vermagic "$ko")
	rel=$(kernel_release "$k")
	if [[ $rel == "$k" && ${vm%% *} == "$k" ]]; then
		ok "$k: vermagic '$vm' is the headers' UTS_RELEASE"
	else
		bad "$k: vermagic '$vm', headers' UTS_RELEASE '$rel'"
	fi
	# The whole string (SMP preempt modversions...) against an in-tree module.
	intree=$(find "/lib/modules/$k/kernel" -name 'loop.ko*' 2>/dev/null | head -n1 || true)
	if [[ -n $intree ]]; then
		if [[ $(modinfo -F vermagic "$intree") == "$vm" ]]; then
			ok "$k: vermagic equals in-tree ${intree##*/}'s"
		else
			bad "$k: vermagic '$vm', in-tree ${intree##*/}: '$(modinfo -F vermagic "$intree")'"
		fi
	fi

	ver=$(modinfo -F version "$ko")
	if [[ $ver == "$version" ]]; then
		ok "$k: version $ver is VERSION"
	else
		bad "$k: version '$ver', VERSION '$version'"
	fi

	# sign-file names the key by the certificate's serial number.
	if [[ -f $mok_certificate ]]; then
		serial=$(openssl x509 -inform DER -in "$mok_certificate" -noout -serial)
		serial=${serial#serial=}
		sigkey=$(modinfo -F sig_key "$ko" | tr -d ':')
		if [[ -n $sigkey && ${sigkey^^} == "${serial^^}" ]] &&
			[[ $(modinfo -F signer "$ko") == "DKMS module signing key" ]]; then
			ok "$k: signed by the dkms MOK certificate (serial $serial)"
		else
			bad "$k: signature key '$sigkey' signer '$(modinfo -F signer "$ko")'," \
				"MOK certificate serial '$serial'"
		fi
	else
		bad "$k: dkms made no MOK certificate at $mok_certificate"
	fi

	mkdir -p "$out/$k"
	case $ko in
	*.xz) xz -dc "$ko" >"$out/$k/hvctl.ko" ;;
	*.zst) zstd -qdc "$ko" >"$out/$k/hvctl.ko" ;;
	*.gz) gzip -dc "$ko" >"$out/$k/hvctl.ko" ;;
	*) cp "$ko" "$out/$k/hvctl.ko" ;;
	esac
}

gone() {
	local k=$1 left
	left=$(find "$tmp/lib/$k" -name 'hvctl.ko*' 2>/dev/null || true)
	if [[ -z $left ]]; then
		ok "$k: $2: no hvctl.ko left in the install tree"
	else
		bad "$k: $2: still installed: $left"
	fi
}

mk=(make -C "$top" --no-print-directory DKMS_FLAGS="${flags[*]}" DKMS_SOURCETREE="$tmp/src")
k1=${kernels[0]} k2=${kernels[1]}
rm -rf "$out"

echo "== make dkms-install KVER=$k1 (dkms add, build, install)"
if run "${mk[@]}" dkms-install KVER="$k1"; then
	verify "$k1"
	if cmp -s "$tmp/src/hvctl-$version/kernel/main.c" "$top/kernel/main.c" &&
		grep -qx "PACKAGE_VERSION=\"$version\"" "$tmp/src/hvctl-$version/dkms.conf"; then
		ok "source tree hvctl-$version has the checkout's source, PACKAGE_VERSION=\"$version\""
	else
		bad "source tree $tmp/src/hvctl-$version is not the checkout's, or dkms.conf's version is wrong"
	fi
else
	bad "make dkms-install KVER=$k1"
fi

echo "== BUILD_EXCLUSIVE_KERNEL (minimum 6.1)"
exclusive_cases

echo "== dkms build and install -k $k2"
if run dkms "${flags[@]}" build "hvctl/$version" -k "$k2" &&
	run dkms "${flags[@]}" install "hvctl/$version" -k "$k2"; then
	verify "$k2"
else
	bad "dkms build/install -k $k2"
fi

echo "== dkms autoinstall -k $k2, after dkms remove -k $k2"
run dkms "${flags[@]}" remove "hvctl/$version" -k "$k2" || bad "dkms remove -k $k2"
gone "$k2" "after dkms remove -k"
rm -rf "${out:?}/$k2"
if run dkms "${flags[@]}" autoinstall -k "$k2"; then
	verify "$k2"
else
	bad "dkms autoinstall -k $k2"
fi
run dkms "${flags[@]}" status

echo "== make dkms-remove"
if run "${mk[@]}" dkms-remove; then
	for k in "${kernels[@]}"; do
		gone "$k" "after make dkms-remove"
	done
	if [[ -e $tmp/src/hvctl-$version || -n $(dkms "${flags[@]}" status hvctl) ]]; then
		bad "make dkms-remove left the source or the dkms entry"
	else
		ok "make dkms-remove removed the source tree and the dkms entry"
	fi
else
	bad "make dkms-remove"
fi

host_state >"$tmp/host.after"
if diff -u "$tmp/host.before" "$tmp/host.after"; then
	ok "host /var/lib/dkms, /usr/src and /lib/modules/{$k1,$k2} unchanged"
else
	bad "the host's dkms, source or module trees changed (diff above)"
fi

if [[ $fails -gt 0 ]]; then
	echo "check-dkms: FAIL ($fails)"
	exit 1
fi
echo "check-dkms: PASS: hvctl $version for ${kernels[*]}"
echo "check-dkms: modules for a guest: $(printf "$out/%s/hvctl.ko " "${kernels[@]}")"
