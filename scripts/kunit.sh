#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run hvctl's KUnit suites (kernel/tests/*_kunit.c) with kunit.py, in UML,
# from Debian's linux-source-6.1.  The extracted tree and the build
# directory are cached outside the repository (HVCTL_CACHE, default
# /var/cache/hvctl-test/kunit): about 3 minutes from clean on 2 cores,
# seconds after.  Extra arguments go to kunit.py run (a suite glob, say).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${HVCTL_CACHE:-/var/cache/hvctl-test}
kdir=$cache/kunit
tarball=/usr/src/linux-source-6.1.tar.xz

if [[ ! -f $tarball ]]; then
	echo "kunit.sh: $tarball missing: apt install linux-source-6.1" >&2
	exit 1
fi

# One kernel build or guest at a time on this machine (tests/vm/run.sh
# takes the same lock).
mkdir -p "$kdir"
exec 8>"$cache/.vm.lock"
if ! flock -n 8; then
	echo "kunit.sh: waiting for another kernel build or guest" >&2
	flock 8
fi

# Extract once per source package version.
stamp=$(stat -c '%s-%Y' "$tarball")
src=$kdir/linux-source-6.1
if [[ ! -f $kdir/.extracted-$stamp ]]; then
	echo "kunit.sh: extracting $tarball" >&2
	rm -rf "$src" "$kdir"/.extracted-* "$kdir/build"
	tar -C "$kdir" -xf "$tarball"
	touch "$kdir/.extracted-$stamp"
fi

# drivers/misc/hvctl-kunit: our sources, laid out as in the repository.
dst=$src/drivers/misc/hvctl-kunit
mkdir -p "$dst/kernel/tests" "$dst/include/uapi/linux"
copy() {
	# Only what changed, so an unchanged tree builds nothing.
	cmp -s "$1" "$2" || cp "$1" "$2"
}
for f in selector.c selector.h hp-ledger.c hp-ledger.h plan.c plan.h; do
	copy "$top/kernel/$f" "$dst/kernel/$f"
done
for f in "$top"/kernel/tests/*_kunit.c "$top"/kernel/tests/*_cases.h; do
	copy "$f" "$dst/kernel/tests/${f##*/}"
done
copy "$top/include/uapi/linux/hvctl.h" "$dst/include/uapi/linux/hvctl.h"
copy "$top/kernel/tests/Kconfig.kunit" "$dst/Kconfig"
copy "$top/kernel/tests/Makefile.kunit" "$dst/Makefile"
grep -q hvctl-kunit "$src/drivers/misc/Kconfig" ||
	sed -i 's|^endmenu|source "drivers/misc/hvctl-kunit/Kconfig"\n&|' \
		"$src/drivers/misc/Kconfig"
grep -q hvctl-kunit "$src/drivers/misc/Makefile" ||
	echo 'obj-y += hvctl-kunit/' >>"$src/drivers/misc/Makefile"

cd "$src"
exec python3 tools/testing/kunit/kunit.py run \
	--build_dir="$kdir/build" --jobs="$(nproc)" \
	--kunitconfig="$top/kernel/tests/.kunitconfig" "$@"
