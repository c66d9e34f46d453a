#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# Smoke test of the VM harness (tests/vm): the guest is the machine every
# other guest test assumes, and the module installed by guest-init loads.

bats_load_library bats-support
bats_load_library bats-assert

@test "harness: the IOMMU is on (VT-d, iommu groups exist)" {
	run ls /sys/kernel/iommu_groups
	assert_success
	refute_output ""
	[ -e /sys/class/iommu/dmar0 ]
}

@test "harness: two NUMA nodes" {
	run cat /sys/devices/system/node/online
	assert_output "0-1"
}

@test "harness: modprobe hvctl loads the module from updates/" {
	local kver
	kver=$(uname -r)
	if [[ ! -f /hvctl/build/kmod/$kver/hvctl.ko ]]; then
		skip "no module built for $kver in build/kmod"
	fi
	run modinfo -n hvctl
	assert_output "/lib/modules/$kver/updates/hvctl.ko"
	run modprobe hvctl
	assert_success
	[ -d /sys/module/hvctl ]
	modprobe -r hvctl
}
