#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build hvctl.ko with sparse (C=1) and the compiler's extra warnings (W=1)
# against the headers of both guest kernels (tests/vm/kernels.sh):
#   scripts/check-sparse.sh [OUT]       OUT defaults to build/sparse
# Each kernel builds its own copy of the module's source (the tree
# scripts/dkms-src.sh copies for dkms) in OUT/ABI, so no object lands in
# kernel/; OUT/ABI.log keeps the build's output. Fails when a build fails
# or when sparse or the compiler prints a warning or an error.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$top/build/sparse}
make=${MAKE:-make}

command -v sparse >/dev/null || {
	echo "check-sparse: sparse not found: apt install sparse" >&2
	exit 1
}
mapfile -t abis < <("$top/tests/vm/kernels.sh")
if [[ ${#abis[@]} -eq 0 ]]; then
	echo "check-sparse: tests/vm/kernels.sh printed no kernel" >&2
	exit 1
fi

mkdir -p "$out"
rc=0
for abi in "${abis[@]}"; do
	kdir=/lib/modules/$abi/build
	if [[ ! -d $kdir ]]; then
		echo "check-sparse: $abi: no headers at $kdir" \
			"(apt install linux-headers-$abi, or scripts/deps.sh vm)" >&2
		rc=1
		continue
	fi
	src=$out/$abi
	log=$out/$abi.log
	bash "$top/scripts/dkms-src.sh" "$src"
	start=$SECONDS
	built=1
	"$make" -C "$kdir" M="$src" C=1 W=1 -j"$(nproc)" modules >"$log" 2>&1 ||
		built=0
	if grep -E 'warning:|error:' "$log" >&2; then
		echo "check-sparse: $abi: warnings above (all output: $log)" >&2
		rc=1
	elif [[ $built -eq 0 ]]; then
		tail -n 20 "$log" >&2
		echo "check-sparse: $abi: the build failed (all output: $log)" >&2
		rc=1
	else
		echo "check-sparse: $abi: sparse and W=1 clean ($((SECONDS - start)) s)"
	fi
done
exit "$rc"
