#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl boot add|remove (edit /etc/hvctl.conf in place), apply|revert (the
# files that carry the claims into the boot path) and dev bind ... persist.
# Everything happens under a per-test HVCTL_ROOT, which also keeps apply
# from rebuilding this host's initramfs.  The files are read back
# directly, never through hvctl.

load helpers

setup_file() {
	build_hvctl
}

setup() {
	export HVCTL_ROOT=$BATS_TEST_TMPDIR/root
	mkdir -p "$HVCTL_ROOT/etc"
	CONF=$HVCTL_ROOT/etc/hvctl.conf
	MODPROBE=$HVCTL_ROOT/etc/modprobe.d/hvctl.conf
	UDEV=$HVCTL_ROOT/etc/udev/rules.d/70-hvctl-sriov.rules
	LIST=$HVCTL_ROOT/var/lib/hvctl/boot-files
	unset HVCTL_CONF HVCTL_INITRAMFS_TOOL
}

# expect_file FILE CONTENT: FILE holds exactly CONTENT (plus a final newline)
expect_file() {
	local got
	got=$(cat "$1") || return 1
	expect_eq "$got" "$2" "contents of $1"
}

# expect_no_temp: no temporary file left next to the configuration
expect_no_temp() {
	local left
	left=$(find "$HVCTL_ROOT" -name '*.??????' | head -n 1)
	expect_eq "$left" "" "no temporary file left"
}

@test "add: canonical claims appended, comments and other lines kept byte for byte, mode kept" {
	printf '# my claims\n\nclaim 01:00.0   # GPU\nhugepages a size 2M count 1\n' >"$CONF"
	chmod 600 "$CONF"
	run_hvctl boot add addr=05:00.0,driver=pci-stub
	run_hvctl boot add "02:00.0 nogroup; serial 00-11-22-33-44-55-66-77"
	expect_file "$CONF" "# my claims

claim 01:00.0   # GPU
hugepages a size 2M count 1
claim addr 0000:05:00.0 driver pci-stub
claim addr 0000:02:00.0 nogroup
claim serial 00-11-22-33-44-55-66-77"
	expect_eq "$(stat -c %a "$CONF")" 600 "file mode kept"
	expect_no_temp
}

@test "add: creates the file when there is none" {
	rm -rf "$HVCTL_ROOT/etc"
	run_hvctl boot add 01:00.0
	expect_file "$CONF" "claim addr 0000:01:00.0"
}

@test "add: the same claim again changes nothing; another claim for the same devices is refused" {
	echo "claim 01:00.0" >"$CONF"
	run_hvctl boot add addr 0000:01:00.0
	expect_output "already in $CONF (line 1)"
	expect_file "$CONF" "claim 01:00.0"
	run_hvctl 2 boot add 01:00.0 driver pci-stub
	expect_stderr "$CONF:1: \"claim addr 0000:01:00.0\" is there for the same devices: remove it first"
	expect_file "$CONF" "claim 01:00.0"
}

@test "add: a bad claim, or a file with bad lines, changes nothing" {
	printf 'claim 01:00.0\n' >"$CONF"
	run_hvctl 2 boot add 02:00.0 driver e1000
	expect_stderr "unknown driver, expected vfio-pci or pci-stub"
	run_hvctl 2 boot add "02:00.0; bogus"
	expect_stderr 'invalid claim " bogus"'
	expect_file "$CONF" "claim 01:00.0"
	printf 'claim 01:00.0\nclaim what\n' >"$CONF"
	run_hvctl 2 boot add 02:00.0
	expect_stderr "$CONF:2:7: unknown selector"
	expect_stderr "has 1 bad lines (above): fix them first, nothing changed"
	expect_file "$CONF" "claim 01:00.0
claim what"
	run_hvctl 2 boot add
	expect_stderr "add needs a claim"
}

@test "add: an id claim that catches a storage controller on this host is refused (exit 6)" {
	local d c id=""
	for d in /sys/bus/pci/devices/*; do
		read -r c <"$d/class"
		[[ $c == 0x01* ]] || continue
		id=$(sed 's/^0x//' "$d/vendor"):$(sed 's/^0x//' "$d/device")
		break
	done
	[[ -n $id ]] || skip "no storage controller on this host"
	run_hvctl 6 boot add id "$id"
	expect_stderr "an id claim catches a storage controller"
	[[ ! -e $CONF ]]
}

@test "remove: by the selector in any spelling; the other lines stay; unknown is exit 3" {
	printf '# c\nclaim 01:00.0 driver pci-stub # x\nclaim 02:00.0\n' >"$CONF"
	run_hvctl boot remove addr=0000:01:00.0
	expect_output "removed line 2: claim 01:00.0 driver pci-stub # x"
	expect_file "$CONF" "# c
claim 02:00.0"
	run_hvctl 3 boot remove 01:00.0
	expect_stderr "no claim for \"addr 0000:01:00.0\" in $CONF"
	expect_file "$CONF" "# c
claim 02:00.0"
	run_hvctl 2 boot remove
	expect_stderr "remove needs a claim or selector"
	expect_no_temp
}

@test "apply: modprobe.d options with every claim in the command-line form, softdep, list of files" {
	cat >"$CONF" <<'EOF2'
claim 01:00.0
claim id 8086:10d3 driver pci-stub nogroup
claim serial 00-11-22-33-44-55-66-77
hugepages a size 2M count 1
EOF2
	run_hvctl boot apply
	expect_output "initramfs not rebuilt (HVCTL_ROOT is set)"
	expect_file "$MODPROBE" "# written by hvctl boot apply from $CONF; \"hvctl boot revert\" removes it.
# hvctl claims these devices when it loads; the initramfs loads it
# with takeover=1 before udev starts, then records the hugepages
# lines (hvctl boot reserve). hvctl.disable=1 on the kernel command
# line skips both.
options hvctl claim=\"addr=0000:01:00.0;id=8086:10d3,driver=pci-stub,nogroup;serial=00-11-22-33-44-55-66-77\"
softdep hvctl pre: vfio-pci pci-stub"
	expect_file "$LIST" "# written by hvctl boot apply: the files it wrote, for \"hvctl boot revert\".
/etc/modprobe.d/hvctl.conf"
	[[ ! -e $UDEV ]]
	expect_no_temp
}

@test "apply: sriov lines become udev rules on the addresses the selectors catch now" {
	local addr
	addr=$(cd /sys/bus/pci/devices && ls | head -n 1)
	[[ -n $addr ]] || skip "no PCI devices"
	printf 'sriov %s numvfs 3\nsriov addr 00ff:00:00.0 numvfs 1\n' "$addr" >"$CONF"
	run_hvctl boot apply
	expect_stderr "warning: sriov \"addr 00ff:00:00.0\" catches no device on this host now"
	grep -q "written by hvctl boot apply" "$UDEV"
	expect_eq "$(grep -v '^#' "$UDEV")" \
		"ACTION==\"bind\", SUBSYSTEM==\"pci\", KERNEL==\"$addr\", ATTR{sriov_numvfs}=\"3\"" \
		"one rule, on the address"
	[[ ! -e $MODPROBE ]]
	expect_eq "$(grep -v '^#' "$LIST")" "/etc/udev/rules.d/70-hvctl-sriov.rules" "list"
}

@test "apply again: a file no longer needed goes; revert removes exactly what apply wrote" {
	mkdir -p "$HVCTL_ROOT/etc/modprobe.d"
	echo "options other x=1" >"$HVCTL_ROOT/etc/modprobe.d/other.conf"
	printf 'claim 01:00.0\nsriov 00:00.0 numvfs 1\n' >"$CONF"
	run_hvctl boot apply
	[[ -e $MODPROBE && -e $UDEV ]]
	echo "claim 01:00.0" >"$CONF"
	run_hvctl boot apply
	expect_output "removed $UDEV"
	[[ -e $MODPROBE && ! -e $UDEV ]]
	run_hvctl boot revert
	expect_output "removed $MODPROBE"
	expect_output "removed $LIST"
	[[ ! -e $MODPROBE && ! -e $LIST ]]
	expect_file "$HVCTL_ROOT/etc/modprobe.d/other.conf" "options other x=1"
	expect_file "$CONF" "claim 01:00.0"
	run_hvctl boot revert
	expect_output "nothing to revert"
}

@test "apply: 1G hugepages lines on GRUB's and kernel-install's command line; revert takes exactly them out" {
	local grub=$HVCTL_ROOT/etc/default/grub.d/hvctl.cfg kcmd=$HVCTL_ROOT/etc/kernel/cmdline
	mkdir -p "$HVCTL_ROOT/etc/kernel"
	echo "root=UUID=1234 ro quiet hugepages=16" >"$kcmd"
	printf '%s\n' "hugepages a size 1G count 2 node 1" "hugepages b size 2M count 64" \
		"hugepages c size 1G count 1 node 0" "hugepages d size 1GiB count 3 node 1" >"$CONF"
	run_hvctl boot apply
	expect_output "GRUB configuration not rebuilt (HVCTL_ROOT is set)"
	grep -qxF 'GRUB_CMDLINE_LINUX_DEFAULT="${GRUB_CMDLINE_LINUX_DEFAULT} hugepagesz=1G hugepages=0:1,1:5"' "$grub"
	expect_file "$kcmd" "root=UUID=1234 ro quiet hugepages=16 hugepagesz=1G hugepages=0:1,1:5"
	# Huge pages alone still load hvctl from the initramfs (boot reserve).
	[[ -e $MODPROBE ]]
	# Apply again after an edit: the old words go, the user's stay.
	sed -i 's/count 3 node 1/count 1 node 1/' "$CONF"
	run_hvctl boot apply
	expect_file "$kcmd" "root=UUID=1234 ro quiet hugepages=16 hugepagesz=1G hugepages=0:1,1:3"
	run_hvctl boot revert
	expect_output "removed $grub"
	[[ ! -e $grub && ! -e $HVCTL_ROOT/var/lib/hvctl/kernel-cmdline ]]
	expect_file "$kcmd" "root=UUID=1234 ro quiet hugepages=16"
}

@test "apply: without /etc/kernel/cmdline only GRUB's drop-in; total 1G count without nodes" {
	printf '%s\n' "hugepages a size 1G count 2" "hugepages b size 1G count 1" >"$CONF"
	run_hvctl boot apply
	grep -qF 'hugepagesz=1G hugepages=3"' "$HVCTL_ROOT/etc/default/grub.d/hvctl.cfg"
	[[ ! -e $HVCTL_ROOT/etc/kernel/cmdline ]]
	run_hvctl -j boot show
	expect_jq .cmdline '"hugepagesz=1G hugepages=3"' "boot show"
}

@test "check: 1G lines mixing per-node and total counts are an error at the line; apply writes nothing" {
	printf '%s\n' "hugepages a size 1G count 2 node 0" "hugepages b size 1G count 1" >"$CONF"
	run_hvctl 2 boot check
	expect_stderr "$CONF:2:1: 1G pages are allocated at boot per node or in total"
	run_hvctl 2 boot apply
	[[ ! -e $HVCTL_ROOT/etc/default/grub.d/hvctl.cfg && ! -e $LIST ]]
}

@test "revert leaves a listed file alone once it no longer carries the header" {
	echo "claim 01:00.0" >"$CONF"
	run_hvctl boot apply
	echo "options hvctl claim=mine" >"$MODPROBE"
	run_hvctl boot revert
	expect_stderr "no longer says \"written by hvctl boot apply\": left alone"
	expect_file "$MODPROBE" "options hvctl claim=mine"
	[[ ! -e $LIST ]]
}

@test "apply refuses a file with bad lines and writes nothing" {
	printf 'claim 01:00.0\nclaim 01:00.0 driver e1000\n' >"$CONF"
	run_hvctl 2 boot apply
	expect_stderr "$CONF:2:22: unknown driver"
	expect_stderr "nothing applied"
	[[ ! -e $MODPROBE && ! -e $LIST ]]
}

@test "apply and revert: usage errors" {
	run_hvctl 2 boot apply -k
	expect_stderr "-k needs a kernel version"
	run_hvctl 2 boot apply --now
	expect_stderr 'unexpected argument "--now"'
	run_hvctl 2 boot revert x
	expect_stderr 'unexpected argument "x"'
	[[ ! -e $LIST ]]
}

@test "apply and revert run the initramfs tool named, with -k, and fail when it fails" {
	# A stand-in update-initramfs that records its arguments; the real
	# tools run in the guest (tests/guest/040-boot.bats).
	local bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	printf '#!/bin/sh\necho "$0 $*" >>%s/calls\nexit ${FAKE_RC:-0}\n' \
		"$BATS_TEST_TMPDIR" >"$bin/update-initramfs"
	chmod +x "$bin/update-initramfs"
	export PATH=$bin:$PATH HVCTL_INITRAMFS_TOOL=update-initramfs
	echo "claim 01:00.0" >"$CONF"
	run_hvctl boot apply -k 6.1.0-56-amd64
	run_hvctl boot revert
	expect_file "$BATS_TEST_TMPDIR/calls" "$bin/update-initramfs -u -k 6.1.0-56-amd64
$bin/update-initramfs -u"
	export FAKE_RC=1
	run_hvctl 1 boot apply
	expect_stderr "update-initramfs failed: the initramfs may not have the new claims"
	run_hvctl boot apply --no-initramfs
	expect_output "initramfs not rebuilt (--no-initramfs)"
	HVCTL_INITRAMFS_TOOL=grub run_hvctl 2 boot apply
	expect_stderr 'unknown initramfs tool "grub"'
}

@test "dev bind ... persist: the claim is checked before the bind and written only after it" {
	echo "claim 01:00.0" >"$CONF"
	run_hvctl 2 dev bind 02:00.0 driver e1000 persist
	expect_stderr "unknown driver, expected vfio-pci or pci-stub"
	run_hvctl 2 dev bind 01:00.0 driver pci-stub persist
	expect_stderr "is there for the same devices"
	# No module on this host: the bind fails (5), nothing is written.
	run_hvctl 5 dev bind 03:00.0 persist
	expect_file "$CONF" "claim 01:00.0"
	run_hvctl 2 dev unbind 01:00.0 persist
	expect_stderr 'unexpected argument "persist"'
}
