#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# The module real dkms built on the host for this kernel (make check-dkms
# leaves it in build/dkms/KVER/hvctl.ko, built from the tree dkms add got
# through scripts/dkms-src.sh, signed with dkms's own key) loads here and
# works.  Skipped when that build is not there (make check runs without it).

load helpers

setup() {
	KO=$HVCTL_SRC/build/dkms/$(uname -r)/hvctl.ko
	[[ -f $KO ]] || skip "no DKMS build for $(uname -r) (make check-dkms makes one)"
}

teardown() {
	rmmod hvctl 2>/dev/null || true
}

@test "dkms: the module DKMS built for this kernel loads, reports the tree's version and lists the groups" {
	rmmod hvctl 2>/dev/null || true
	[[ ! -e /sys/module/hvctl ]]
	expect_eq "$(modinfo -F vermagic "$KO" | cut -d' ' -f1)" "$(uname -r)" "vermagic"
	expect_eq "$(modinfo -F signer "$KO")" "DKMS module signing key" "signer"
	insmod "$KO"
	expect_eq "$(</sys/module/hvctl/version)" "$(<"$HVCTL_SRC/VERSION")" "version"
	# Not the suite's own build: a different file, the same version.
	! cmp -s "$KO" "/lib/modules/$(uname -r)/updates/hvctl.ko"
	run_hvctl -j group show
	expect_jq 'length' "$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)" "groups"
}
