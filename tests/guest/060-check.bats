#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl check in the emulated host (intel-iommu, pdpe1gb, two NUMA nodes,
# no VT-x under TCG).  Each verdict is compared, field by field, with
# ground truth read here: /proc/cpuinfo, /proc/interrupts, /sys/kernel/
# iommu_groups, the ACPI tables, THP's sysfs file, the mounts, sysfs
# drivers.  With intel_iommu=off on the command line, with QEMU's AMD
# IOMMU (topology amd) and with no IOMMU and no 1 GiB pages (topology
# noiommu), boots of their own from make check-guest, the IOMMU and 1G
# verdicts and their fixes are checked instead.

load helpers

NODE_SYS=/sys/devices/system/node

setup() {
	modprobe hvctl
	GPU=$(addr_of 1234 1111)
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
	export HVCTL_CONF=$BATS_TEST_TMPDIR/hvctl.conf
	: >"$HVCTL_CONF"
}

teardown() {
	hvctl dev unbind "$GPU" >/dev/null 2>&1 || true
	echo madvise >/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true
	umount "$BATS_TEST_TMPDIR/hp" 2>/dev/null || true
	local f
	for f in "$NODE_SYS"/node*/hugepages/hugepages-*kB/nr_hugepages; do
		echo 0 >"$f"
	done
}

iommu_off() {
	grep -qw intel_iommu=off /proc/cmdline
}

# has_groups: the IOMMU is on (some topology boots have none)
has_groups() {
	[[ -n $(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 2>/dev/null) ]]
}

# check_field NAME FIELD: FIELD of the first check NAME in $output
check_field() {
	jq -r "[.checks[] | select(.name == \"$1\")][0].$2" <<<"$output"
}

# expect_verdict NAME STATUS: the first check NAME has STATUS
expect_verdict() {
	expect_eq "$(check_field "$1" status)" "$2" "check $1: $(check_field "$1" message)"
}

@test "check: CPU, KVM, IOMMU, interrupt remapping, vfio, the module, 1G pages agree with /proc and /sys" {
	iommu_off && skip "intel_iommu=off"
	[[ -e /sys/firmware/acpi/tables/DMAR ]] || skip "no Intel IOMMU in this boot"
	run_hvctl '?' -j check
	local want groups units
	grep -qwE 'vmx|svm' /proc/cpuinfo && want=pass || want=fail
	expect_verdict cpu-virt "$want"
	[[ -e /dev/kvm ]] && want=pass || want=fail
	expect_verdict kvm "$want"
	[[ -e /sys/firmware/acpi/tables/DMAR ]]
	groups=$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)
	((groups > 0))
	expect_verdict iommu pass
	units=$(find /sys/class/iommu -mindepth 1 -maxdepth 1 | wc -l)
	expect_eq "$(check_field iommu message)" \
		"Intel VT-d (DMAR): $units IOMMU unit$( ((units == 1)) || echo s), $groups groups" "iommu message"
	grep -q 'IR-' /proc/interrupts && want=pass || want=warn
	expect_verdict irq-remap "$want"
	expect_verdict vfio pass
	expect_verdict hvctl-module pass
	[[ $(check_field hvctl-module message) == *"hvctl.ko $(</sys/module/hvctl/version) loaded"* ]]
	grep -qw pdpe1gb /proc/cpuinfo && want=pass || want=warn
	expect_verdict hugepages-1g "$want"
	# Ready exactly when nothing failed; the exit status says so too.
	want=$(jq '[.checks[] | select(.status == "fail")] | length == 0' <<<"$output")
	expect_jq .ready "$want" "ready"
	[[ $want == true ]] && ((status == 0)) || ((status == 1))
}

@test "check: THP always warns with its fix; madvise and never pass" {
	local f=/sys/kernel/mm/transparent_hugepage/enabled m
	for m in always madvise never; do
		echo "$m" >"$f"
		[[ $(<"$f") == *"[$m]"* ]]
		run_hvctl '?' -j check
		expect_eq "$(check_field thp message)" "transparent huge pages: $m$([[ $m == always ]] && echo " (khugepaged compacts host memory behind the VMs' backs and takes the memory 1G pages need)")" "thp message"
		expect_verdict thp "$([[ $m == always ]] && echo warn || echo pass)"
	done
	[[ $(check_field thp fix) == null ]]
}

@test "check: hugetlbfs not mounted warns; mounted passes and names the mount point" {
	local mnt=$BATS_TEST_TMPDIR/hp
	findmnt -t hugetlbfs -n -o TARGET | while read -r m; do umount "$m"; done
	run_hvctl '?' -j check
	expect_verdict hugetlbfs warn
	mkdir -p "$mnt"
	mount -t hugetlbfs -o pagesize=2M none "$mnt"
	run_hvctl '?' -j check
	expect_verdict hugetlbfs pass
	expect_eq "$(check_field hugetlbfs message)" "mounted on $(findmnt -t hugetlbfs -n -o TARGET | tr '\n' ' ' | sed 's/ $//')" "mounts"
}

@test "check: a memlock limit below the huge pages warns; unlimited passes" {
	echo 64 >"$NODE_SYS/node0/hugepages/hugepages-2048kB/nr_hugepages"
	[[ $(<"$NODE_SYS/node0/hugepages/hugepages-2048kB/nr_hugepages") == 64 ]]
	output=$(bash -c 'ulimit -l 1024; hvctl -j check' || true)
	expect_verdict memlock warn
	expect_eq "$(check_field memlock message)" "memlock limit 1 MiB is below the 128 MiB of huge pages" "memlock message"
	output=$(bash -c 'ulimit -l unlimited; hvctl -j check' || true)
	expect_verdict memlock pass
}

@test "check: the GPU's claim warns while it is on bochs-drm, passes once bound, fails when its group is not viable" {
	has_groups || skip "no IOMMU groups to bind in this boot"
	local g
	g=$(group_of "$GPU")
	echo "claim addr $GPU" >"$HVCTL_CONF"
	run_hvctl '?' -j check
	expect_verdict claims warn
	[[ $(check_field claims message) == *"$GPU is on $(driver_of "$GPU") now"* ]]
	run_hvctl group bind "$g"
	expect_driver "$GPU" vfio-pci
	run_hvctl '?' -j check
	expect_verdict claims pass
	run_hvctl dev unbind "$GPU"
	run_hvctl dev bind "$GPU" nogroup
	expect_driver "$GPU" vfio-pci
	expect_driver "$AUDIO" snd_hda_intel
	echo "claim addr $GPU nogroup" >"$HVCTL_CONF"
	run_hvctl 1 -j check
	expect_verdict claims fail
	expect_eq "$(check_field claims fix)" "claim the whole group (no nogroup), or hvctl group bind $g" "fix"
	[[ $(check_field claims message) == *"group $g is not viable: $AUDIO is on snd_hda_intel"* ]]
}

@test "check: intel_iommu=off: the IOMMU fails with the command line fix" {
	iommu_off || skip "no intel_iommu=off on the command line"
	run_hvctl 1 -j check
	expect_verdict iommu fail
	expect_eq "$(check_field iommu message)" "the firmware has a DMAR table but the IOMMU is off (intel_iommu=off on the command line)" "message"
	[[ $(check_field iommu fix) == "add intel_iommu=on to the kernel command line, then reboot:"* ]]
	expect_jq .ready false "ready"
}

@test "check: QEMU's AMD IOMMU: AMD-Vi from the IVRS table, its units and groups" {
	[[ -e /sys/firmware/acpi/tables/IVRS ]] || skip "no AMD IOMMU in this boot"
	[[ ! -e /sys/firmware/acpi/tables/DMAR ]]
	run_hvctl '?' -j check
	local units groups
	units=$(find /sys/class/iommu -mindepth 1 -maxdepth 1 | wc -l)
	groups=$(find /sys/kernel/iommu_groups -mindepth 1 -maxdepth 1 | wc -l)
	((units > 0 && groups > 0))
	expect_verdict iommu pass
	expect_eq "$(check_field iommu message)" \
		"AMD-Vi (IVRS): $units IOMMU unit$( ((units == 1)) || echo s), $groups groups" "iommu message"
}

@test "check: no IOMMU at all: FAIL with the firmware or VM fix, and no interrupt remapping" {
	[[ ! -e /sys/firmware/acpi/tables/DMAR && ! -e /sys/firmware/acpi/tables/IVRS ]] ||
		skip "this boot has an IOMMU"
	run_hvctl 1 -j check
	expect_verdict iommu fail
	expect_eq "$(check_field iommu message)" "no IOMMU: the firmware reports none (no DMAR or IVRS ACPI table)" "message"
	grep -qw hypervisor /proc/cpuinfo
	expect_eq "$(check_field iommu fix)" "give this VM an IOMMU (QEMU: -machine q35 -device intel-iommu or -device amd-iommu), then reboot" "fix"
	expect_verdict irq-remap warn
	expect_eq "$(check_field irq-remap fix)" "needs the IOMMU (above)" "irq-remap fix"
	expect_jq .ready false "ready"
}

@test "check: a CPU without pdpe1gb: 1G pages warn with the VM fix" {
	grep -qw pdpe1gb /proc/cpuinfo && skip "this CPU has pdpe1gb"
	run_hvctl '?' -j check
	expect_verdict hugepages-1g warn
	expect_eq "$(check_field hugepages-1g message)" "no 1 GiB pages (no pdpe1gb CPU flag)" "message"
	[[ $(check_field hugepages-1g fix) == *"+pdpe1gb"* ]]
}
