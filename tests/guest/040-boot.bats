#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl boot apply|revert with the distribution's initramfs tools: a claim
# of the GPU-like card (its group: the HDA function) goes into modprobe.d,
# initramfs-tools builds an image with hvctl.ko, vfio-pci, the options and
# init-top/hvctl ordered before init-top/udev; dracut builds one with
# 90hvctl.  Ground truth: the images themselves, unpacked with the tools'
# own unpackers, and sysfs.  The initramfs-tools image is left in
# $HVCTL_RESULTS/initrd-hvctl.img for a boot through it (045-boot-initrd).

load helpers

setup_file() {
	KVER=$(uname -r)
	export KVER
	bash /hvctl/scripts/install-boot.sh
	# The image holds only what this host needs (MODULES=most takes over
	# ten minutes under TCG) plus the native drivers of the test devices,
	# which the initramfs then loads itself right after init-top: the
	# boot through this image (045-boot-initrd.bats) shows they still
	# never get the claimed devices.  The root is a snapshot: all of this
	# vanishes at power-off.
	echo MODULES=dep >/etc/initramfs-tools/conf.d/zz-hvctl-test
	printf '%s\n' e1000 e1000e bochs snd_hda_intel >>/etc/initramfs-tools/modules
	rm -f /etc/hvctl.conf
	[[ ! -e /var/lib/hvctl/boot-files ]]
	# A systemd-boot/kernel-install host's command line, for apply to edit.
	mkdir -p /etc/kernel
	echo "root=/dev/vda rw quiet" >/etc/kernel/cmdline
}

teardown_file() {
	hvctl boot revert --no-initramfs >/dev/null 2>&1 || true
	rm -f /etc/hvctl.conf /etc/kernel/cmdline
}

setup() {
	GPU=$(addr_of 1234 1111)
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
	IR=$BATS_FILE_TMPDIR/initramfs-tools
}

# in_image DIR PATH-GLOB: the one file in an unpacked image matching PATH-GLOB
in_image() {
	find "$1" -path "$2" | head -n 1
}

@test "boot add + apply: modprobe.d carries the claim, update-initramfs rebuilds the image" {
	local img=/boot/initrd.img-$KVER before
	before=$(stat -c %Y "$img")
	sleep 1
	run_hvctl boot add addr "$GPU"
	# Huge pages at boot: 1G on the command line, 2M from the initramfs.
	cat >>/etc/hvctl.conf <<-EOF
		hugepages vm-gpu size 1G count 1 node 0
		hugepages vm-nic size 1G count 1 node 1
		hugepages dpdk size 2M count 64 node 1
	EOF
	run_hvctl boot apply -k "$KVER"
	expect_output "running update-initramfs -u $KVER"
	grep -qx "options hvctl claim=\"addr=$GPU\"" /etc/modprobe.d/hvctl.conf
	grep -qx "softdep hvctl pre: vfio-pci" /etc/modprobe.d/hvctl.conf
	(($(stat -c %Y "$img") > before))
	rm -rf "$IR"
	unmkinitramfs "$img" "$IR"
	cp "$img" "$HVCTL_RESULTS/initrd-hvctl.img"
}

@test "boot apply: the 1G lines go on GRUB's and kernel-install's command line, per node" {
	local words="hugepagesz=1G hugepages=0:1,1:1"
	grep -qxF "GRUB_CMDLINE_LINUX_DEFAULT=\"\${GRUB_CMDLINE_LINUX_DEFAULT} $words\"" \
		/etc/default/grub.d/hvctl.cfg
	# Sourced as grub-mkconfig sources /etc/default/grub.d/*.cfg.
	expect_eq "$(GRUB_CMDLINE_LINUX_DEFAULT=quiet bash -c \
		'. /etc/default/grub.d/hvctl.cfg; echo "$GRUB_CMDLINE_LINUX_DEFAULT"')" \
		"quiet $words" "GRUB's command line"
	expect_eq "$(</etc/kernel/cmdline)" "root=/dev/vda rw quiet $words" "/etc/kernel/cmdline"
	run_hvctl -j boot show
	expect_jq .cmdline "\"$words\"" "the command line boot show prints"
	# For the boot through the image (045-boot-initrd.bats).
	jq -r .cmdline <<<"$output" >"$HVCTL_RESULTS/boot-cmdline"
	# A second apply replaces its words, never adds them twice.
	run_hvctl boot apply --no-initramfs
	expect_eq "$(</etc/kernel/cmdline)" "root=/dev/vda rw quiet $words" "after a second apply"
}

@test "the initramfs-tools image: hvctl and hvctl.conf for the hugepages lines" {
	[[ -d $IR ]] || skip "no image (the first test failed)"
	local bin lib
	bin=$(in_image "$IR" "*/sbin/hvctl")
	[[ -n $bin ]]
	cmp "$bin" "$(command -v hvctl)"
	cmp "$(in_image "$IR" "*/etc/hvctl.conf")" /etc/hvctl.conf
	# Its libraries came along (copy_exec), so it runs there.
	for lib in libnl-genl-3.so libkmod.so libpci.so; do
		[[ -n $(find "$IR" -name "$lib*" | head -n 1) ]] || {
			echo "no $lib in the image" >&2
			return 1
		}
	done
}

@test "the initramfs-tools image: hvctl.ko as installed, vfio-pci, the options, init-top/hvctl before udev" {
	[[ -d $IR ]] || skip "no image (the first test failed)"
	local ko mp order h u
	ko=$(in_image "$IR" "*/lib/modules/$KVER/updates/hvctl.ko")
	[[ -n $ko ]]
	cmp "$ko" "/lib/modules/$KVER/updates/hvctl.ko"
	[[ -n $(in_image "$IR" "*/lib/modules/$KVER/kernel/drivers/vfio/pci/vfio-pci.ko*") ]]
	[[ -n $(in_image "$IR" "*/lib/modules/$KVER/kernel/drivers/vfio/vfio_iommu_type1.ko*") ]]
	grep -q "updates/hvctl.ko:" "$(in_image "$IR" "*/lib/modules/$KVER/modules.dep")"
	mp=$(in_image "$IR" "*/etc/modprobe.d/hvctl.conf")
	cmp "$mp" /etc/modprobe.d/hvctl.conf
	cmp "$(in_image "$IR" "*/scripts/init-top/hvctl")" \
		/usr/share/initramfs-tools/scripts/init-top/hvctl
	order=$(in_image "$IR" "*/scripts/init-top/ORDER")
	cat "$order"
	h=$(grep -n '^/scripts/init-top/hvctl ' "$order" | cut -d: -f1)
	u=$(grep -n '^/scripts/init-top/udev ' "$order" | cut -d: -f1)
	[[ -n $h && -n $u ]]
	((h < u))
}

@test "boot show: the claim catches the GPU and, from sysfs, its whole IOMMU group" {
	local g want
	g=$(group_of "$GPU")
	want=$(for d in /sys/kernel/iommu_groups/"$g"/devices/*; do echo "${d##*/}"; done |
		LC_ALL=C sort | jq -Rnc '[inputs]')
	[[ $want == *"$AUDIO"* ]]
	run_hvctl -j boot show
	expect_jq '[.claims[0].devices[].address] | sort' "$want" "group members"
	expect_jq '[.claims[0].devices[] | select(.address == "'"$GPU"'") | .driver]' \
		"[\"$(driver_of "$GPU")\"]" "driver now"
}

@test "dracut: 90hvctl puts hvctl.ko, vfio-pci, the options and a pre-udev hook into the image" {
	command -v dracut >/dev/null || skip "no dracut"
	local img=$BATS_FILE_TMPDIR/dracut.img list
	dracut --no-hostonly --no-early-microcode -f -m "base hvctl" "$img" "$KVER"
	list=$(lsinitrd "$img")
	grep -E "hvctl|vfio|modules.dep" <<<"$list" || true
	grep -F "lib/modules/$KVER/updates/hvctl.ko" <<<"$list"
	grep -F "lib/modules/$KVER/kernel/drivers/vfio/pci/vfio-pci.ko" <<<"$list"
	grep -F "lib/dracut/hooks/pre-udev/00-hvctl-pre-udev.sh" <<<"$list"
	# The hugepages lines: the tool and the configuration for boot reserve.
	grep -E "(^| )(usr/)?sbin/hvctl$" <<<"$list"
	expect_eq "$(lsinitrd -f etc/hvctl.conf "$img")" "$(cat /etc/hvctl.conf)" "hvctl.conf in the image"
	expect_eq "$(lsinitrd -f etc/modprobe.d/hvctl.conf "$img")" \
		"$(cat /etc/modprobe.d/hvctl.conf)" "the options in the image"
}

@test "boot revert: the files apply wrote go, and the rebuilt image has no hvctl.ko and no options" {
	local img=/boot/initrd.img-$KVER list
	run_hvctl boot revert -k "$KVER"
	expect_output "removed /etc/modprobe.d/hvctl.conf"
	expect_output "removed /etc/default/grub.d/hvctl.cfg"
	[[ ! -e /etc/modprobe.d/hvctl.conf && ! -e /var/lib/hvctl/boot-files ]]
	[[ ! -e /etc/default/grub.d/hvctl.cfg && ! -e /var/lib/hvctl/kernel-cmdline ]]
	expect_eq "$(</etc/kernel/cmdline)" "root=/dev/vda rw quiet" "/etc/kernel/cmdline"
	list=$(lsinitramfs "$img")
	if grep -E "updates/hvctl.ko|modprobe.d/hvctl.conf|sbin/hvctl$" <<<"$list"; then
		echo "FAIL: still in the image (above)" >&2
		return 1
	fi
	# The claim itself stays in /etc/hvctl.conf for a later apply.
	grep -qx "claim addr $GPU" /etc/hvctl.conf
}
