#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages a profile needs, only those that are missing:
#   host   build the module and the tool, lint, run host-side tests
#   vm     host + kunit + QEMU, debootstrap, depmod and the exact headers
#          of both guest kernels (all that make check needs)
#   kunit  host + Debian's kernel source and what building UML takes
#          (scripts/kunit.sh)
#   headers host + the exact headers of both guest kernels (make check-sparse)
#   bench  same as vm (benchmarks run in the same guests, other topologies)
# Instant when everything is present: dpkg-query first, apt only if needed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
profile=${1:-host}

host_pkgs=(build-essential pkg-config libnl-3-dev libnl-genl-3-dev libpci-dev
	libkmod-dev bats bats-assert bats-support jq shellcheck python3-yaml
	clang-format sparse man-db groff-base)
kunit_pkgs=(linux-source-6.1 flex bison bc python3)
vm_pkgs=(qemu-system-x86 qemu-utils debootstrap e2fsprogs kmod)

case $profile in
host | kunit | vm | bench | headers) ;;
*)
	echo "usage: $0 [host|kunit|vm|bench|headers]" >&2
	exit 2
	;;
esac

# Run as root directly, else through sudo (CI runners without root).
sudo=()
if [[ $(id -u) -ne 0 ]]; then
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

# The headers must match the guest kernel images: resolve both ABIs.
header_pkgs() {
	local abi
	for abi in $("$here/../tests/vm/kernels.sh"); do
		echo "linux-headers-$abi"
	done
}

wanted() {
	printf '%s\n' "${host_pkgs[@]}"
	case $profile in
	kunit | vm | bench) printf '%s\n' "${kunit_pkgs[@]}" ;;
	esac
	case $profile in
	vm | bench) printf '%s\n' "${vm_pkgs[@]}" ;;
	esac
	case $profile in
	vm | bench | headers) header_pkgs ;;
	esac
}

# Print the packages of "$@" that are not installed (one dpkg-query call).
missing() {
	local -A ok=()
	local p st
	while read -r st p; do
		[[ $st == ii ]] && ok[$p]=1
	done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null || true)
	for p in "$@"; do
		[[ -n ${ok[$p]:-} ]] || echo "$p"
	done
}

# Resolving the kernels needs apt lists; on a machine without any, update first.
if ! pkgs=$(wanted 2>/dev/null); then
	"${sudo[@]}" apt-get update -qq
	pkgs=$(wanted)
fi
mapfile -t pkgs <<<"$pkgs"
mapfile -t todo < <(missing "${pkgs[@]}")

if [[ ${#todo[@]} -eq 0 ]]; then
	echo "deps.sh: $profile: all ${#pkgs[@]} packages present"
	exit 0
fi

"${sudo[@]}" apt-get update -qq
# Lists just changed: a newer kernel ABI may have appeared, re-resolve.
mapfile -t pkgs < <(wanted)
mapfile -t todo < <(missing "${pkgs[@]}")
if [[ ${#todo[@]} -eq 0 ]]; then
	echo "deps.sh: $profile: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "deps.sh: $profile: installing ${todo[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
