#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# dkms.conf and the source tree scripts/dkms-src.sh copies to
# /usr/src/hvctl-<version>, checked without kernel headers: against Kbuild
# and VERSION, and BUILD_EXCLUSIVE_KERNEL through the real dkms (it decides
# before looking for headers). make check-dkms builds for real.

load helpers

setup() {
	VERSION=$(<"$HVCTL_TOP/VERSION")
	SRC=$BATS_TEST_TMPDIR/src/hvctl-$VERSION
	bash "$HVCTL_TOP/scripts/dkms-src.sh" "$SRC"
}

@test "dkms-src.sh: dkms.conf carries VERSION, nothing else is changed" {
	grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$SRC/dkms.conf"
	run diff <(sed "s/#MODULE_VERSION#/$VERSION/" "$HVCTL_TOP/dkms.conf") "$SRC/dkms.conf"
	[ "$status" -eq 0 ]
	cmp "$HVCTL_TOP/Kbuild" "$SRC/Kbuild"
	cmp "$HVCTL_TOP/VERSION" "$SRC/VERSION"
}

@test "dkms-src.sh: every object Kbuild names has its source in the tree" {
	local objs o n=0
	# hvctl-y := kernel/main.o ... (continued over backslashed lines)
	objs=$(sed -n '/^hvctl-y/,/[^\\]$/p' "$HVCTL_TOP/Kbuild" | grep -o '[^ ]*\.o')
	for o in $objs; do
		[ -f "$SRC/${o%.o}.c" ] || { echo "missing ${o%.o}.c" >&2; return 1; }
		cmp "$HVCTL_TOP/${o%.o}.c" "$SRC/${o%.o}.c"
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
	# and the headers they include
	for h in "$HVCTL_TOP"/kernel/*.h "$HVCTL_TOP"/include/uapi/linux/*.h; do
		cmp "$h" "$SRC/${h#"$HVCTL_TOP"/}"
	done
}

@test "dkms.conf: builds Kbuild's module and nothing of the tool" {
	local objm
	objm=$(sed -n 's/^obj-m += \(.*\)\.o$/\1/p' "$HVCTL_TOP/Kbuild")
	(
		# dkms sources dkms.conf with these set
		kernel_source_dir=/K dkms_tree=/D
		# shellcheck disable=SC1091
		. "$SRC/dkms.conf"
		[ "${BUILT_MODULE_NAME[0]}" = "$objm" ]
		[ "$PACKAGE_NAME" = hvctl ] && [ "$AUTOINSTALL" = yes ]
		[ "${DEST_MODULE_LOCATION[0]}" = /updates/dkms ]
		[ "${MAKE[0]}" = "make -C /K M=/D/hvctl/$VERSION/build modules" ]
	)
	[ -z "$(grep -v '^#' "$SRC/dkms.conf" | grep 'user\|libnl\|tool' || true)" ]
	[ ! -e "$SRC/user" ] && [ ! -e "$SRC/Makefile" ]
}

@test "dkms.conf: dkms refuses kernels before 6.1 (77) and takes later ones" {
	command -v dkms >/dev/null || skip "dkms not installed"
	local d=$BATS_TEST_TMPDIR/dkms k want rc
	local flags=(--dkmstree "$d" --sourcetree "$BATS_TEST_TMPDIR/src" --installtree "$d/lib")
	mkdir -p "$d"
	# dkms readies signing first, and for a kernel whose sign-file exists
	# (6.1.*) would make its key in /var/lib/dkms.
	export mok_signing_key=$d/mok.key mok_certificate=$d/mok.pub
	dkms "${flags[@]}" add "hvctl/$VERSION" >/dev/null
	while read -r k want; do
		rc=0
		dkms "${flags[@]}" build "hvctl/$VERSION" -k "$k" >/dev/null 2>&1 || rc=$?
		echo "$k: dkms exit $rc, want $want"
		if [ "$want" = refuse ]; then [ "$rc" -eq 77 ]; else [ "$rc" -ne 77 ]; fi
	done <<-EOF
		4.19.0-27-amd64 refuse
		5.10.0-30-amd64 refuse
		6.0.0-1-amd64 refuse
		6.1.0-99-amd64 take
		6.12.999+deb12-amd64 take
		7.0.0-1-amd64 take
		10.1.0-1-amd64 take
	EOF
}
