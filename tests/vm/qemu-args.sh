# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# QEMU argument builders shared by tests/vm/topology/*.sh (sourced, not run).
# Each function prints arguments one per line. Recipes from
# /work/shared/FACTS.md, all checked under TCG with QEMU 7.2.
# Fixed addresses on pcie.0 so that adding devices never shifts the others:
#   01 boot VGA, 02-05 rp1-rp4, 06 root disk, 07-08 9p shares,
#   09 pci-testdev with a corrupted ROM (rom_devices), 0e root port
#   without ACS (default topology only), 10-13 bench root ports (8 per
#   slot, multifunction).

# QEMU splits option values at ',' and reads ',,' as a literal comma.
qemu_escape() { echo "${1//,/,,}"; }

# machine GIB_PER_NODE [IOMMU [CPU]]: q35 + emulated VT-d (interrupt
# remapping, caching mode so a nested VFIO user works), two sockets in two
# NUMA nodes (one socket per node: plain -smp 2 makes 6.1 WARN in
# topology_sane).  IOMMU: intel (default) or none (amd_iommu below adds
# QEMU's AMD IOMMU); CPU: the -cpu model (default qemu64 with 1 GiB pages).
machine() {
	local gib=$1 iommu=${2:-intel} cpu=${3:-qemu64,+pdpe1gb}
	local -a dev=()
	case $iommu in
	intel) dev=(-device "intel-iommu,intremap=on,caching-mode=on") ;;
	none) ;;
	*) echo "machine: unknown IOMMU '$iommu'" >&2 && return 1 ;;
	esac
	printf '%s\n' \
		-M q35,kernel-irqchip=split \
		"${dev[@]}" \
		-cpu "$cpu" \
		-smp 2,sockets=2,cores=1,threads=1 \
		-m "$((2 * gib))G" \
		-object "memory-backend-ram,id=m0,size=${gib}G" \
		-object "memory-backend-ram,id=m1,size=${gib}G" \
		-numa node,nodeid=0,cpus=0,memdev=m0 \
		-numa node,nodeid=1,cpus=1,memdev=m1 \
		-vga std
}

# amd_iommu: QEMU's AMD IOMMU (an IVRS table instead of DMAR), for a
# machine with IOMMU none.  Its PCI function takes the first free slot
# on pcie.0, so it comes after every device with a fixed address (common's
# too).
amd_iommu() {
	printf '%s\n' -device amd-iommu,intremap=on
}

# devices: the PCI landscape the tool is about. restrict=on: user-mode
# networking that can reach nothing outside the guest.
devices() {
	printf '%s\n' \
		-device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x2 \
		-device secondary-vga,bus=rp1,addr=0.0,multifunction=on \
		-device ich9-intel-hda,bus=rp1,addr=0.1 \
		-device pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x3 \
		-device pcie-pci-bridge,id=br1,bus=rp2 \
		-netdev user,id=n0,restrict=on \
		-device e1000,bus=br1,addr=1,netdev=n0 \
		-netdev user,id=n1,restrict=on \
		-device e1000,bus=br1,addr=2,netdev=n1 \
		-device pcie-root-port,id=rp3,chassis=3,slot=3,bus=pcie.0,addr=0x4 \
		-device nvme-subsys,id=sub0 \
		-device nvme,serial=deadbeef,bus=rp3,subsys=sub0,sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4,msix_qsize=9 \
		-device pcie-root-port,id=rp4,chassis=4,slot=4,bus=pcie.0,addr=0x5 \
		-netdev user,id=n2,restrict=on \
		-device e1000e,bus=rp4,netdev=n2
}

# no_acs_port: a root port QEMU gives no ACS capability (disable-acs=on)
# with a PCI test device (1b36:0005, no Linux driver) behind it, so the
# kernel puts the two in one IOMMU group: the port-no-acs reason of
# "hvctl group show ID" (tests/guest/055-group-reasons.bats). The other
# root ports have ACS, which Linux turns on.
no_acs_port() {
	printf '%s\n' \
		-device pcie-root-port,id=rp5,chassis=14,slot=14,disable-acs=on,bus=pcie.0,addr=0xe \
		-device pci-testdev,bus=rp5,addr=0.0
}

# rng_endpoints N: N cheap devices, 8-function modern-only virtio-rng
# endpoints (no I/O BARs) behind N/8 root ports that reserve no I/O space
# (4 KiB each would exhaust the 64 KiB I/O space). vectors=0 (INTx, no
# MSI-X BAR): with VT-d every device has its own DMA address space and each
# BAR/command write rebuilds all of them in QEMU, so boot time grows with
# devices x regions; without the MSI-X BAR bench256 boots ~2.5x faster.
rng_endpoints() {
	local n=$1 i f slot mf
	for ((i = 0; i < n / 8; i++)); do
		slot=$((0x10 + i / 8))
		mf=
		((i % 8)) || mf=,multifunction=on
		printf '%s\n' -device "pcie-root-port,id=rng$i,chassis=$((16 + i)),slot=$((16 + i)),io-reserve=0,bus=pcie.0,addr=$(printf '0x%x.%x' "$slot" $((i % 8)))$mf"
		for ((f = 0; f < 8; f++)); do
			mf=
			((f)) || mf=,multifunction=on
			printf '%s\n' -device "virtio-rng-pci,disable-legacy=on,vectors=0,bus=rng$i,addr=0.$f$mf"
		done
	done
}

# common: root disk and the two 9p shares, from the environment run.sh sets.
# snapshot=on: guest writes go to a throwaway overlay, every run starts clean.
common() {
	local img repo res
	img=$(qemu_escape "${HVCTL_VM_ROOT_IMG:?}")
	repo=$(qemu_escape "${HVCTL_VM_REPO:?}")
	res=$(qemu_escape "${HVCTL_VM_RESULTS:?}")
	printf '%s\n' \
		-drive "file=$img,if=none,id=root,format=raw,snapshot=on" \
		-device virtio-blk-pci,drive=root,bus=pcie.0,addr=0x6 \
		-fsdev "local,id=fsrepo,path=$repo,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=fsrepo,mount_tag=hvctl,bus=pcie.0,addr=0x7 \
		-fsdev "local,id=fsres,path=$res,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=fsres,mount_tag=results,bus=pcie.0,addr=0x8
}

# nic_endpoints N: N virtio-net functions, laid out like rng_endpoints (8
# per root port, modern-only, INTx), for benchmarks whose peers only take
# device classes they know (dpdk-devbind.py binds network devices, not
# virtio-rng). All on one hub, no host side: QEMU warns once, no traffic
# (the guest never brings them up). romfile= skips 64 PXE option ROMs.
nic_endpoints() {
	local n=$1 i f slot mf
	for ((i = 0; i < n / 8; i++)); do
		slot=$((0x10 + i / 8))
		mf=
		((i % 8)) || mf=,multifunction=on
		printf '%s\n' -device "pcie-root-port,id=nicrp$i,chassis=$((16 + i)),slot=$((16 + i)),io-reserve=0,bus=pcie.0,addr=$(printf '0x%x.%x' "$slot" $((i % 8)))$mf"
		for ((f = 0; f < 8; f++)); do
			mf=
			((f)) || mf=,multifunction=on
			printf '%s\n' -netdev "hubport,id=nic$i.$f,hubid=0" \
				-device "virtio-net-pci,netdev=nic$i.$f,disable-legacy=on,vectors=0,romfile=,bus=nicrp$i,addr=0.$f$mf"
		done
	done
}

# qemu_firmware FILE: the path of FILE in QEMU's firmware search path
# (qemu -L help: /usr/share/qemu, seabios, ipxe's ROMs on Debian), as QEMU
# finds it for a device's romfile=.
qemu_firmware() {
	local d
	while read -r d; do
		if [[ -f $d/$1 ]]; then
			realpath "$d/$1"
			return 0
		fi
	done < <(qemu-system-x86_64 -L help)
	echo "qemu_firmware: no $1 in QEMU's firmware path" >&2
	return 1
}

# rom_devices: tests/guest/065-rom.bats. Its ground truth goes to
# $HVCTL_VM_RESULTS/roms (the guest's /results/roms): the option ROMs
# QEMU loads for the e1000 and e1000e of devices(), and a corrupted ROM
# (pxe-e1000.rom with one byte flipped inside its legacy image: bad
# checksum) that a pci-testdev carries at 00:09.0. 1b36:0005 has no
# guest driver and no other test selects it; it is in a group of its own.
rom_devices() {
	local dir=${HVCTL_VM_RESULTS:?}/roms f src b
	mkdir -p "$dir"
	for f in efi-e1000.rom efi-e1000e.rom; do
		cp "$(qemu_firmware "$f")" "$dir/$f"
	done
	src=$(qemu_firmware pxe-e1000.rom)
	cp "$src" "$dir/corrupt.rom"
	b=$(od -An -tu1 -j4096 -N1 "$src")
	# shellcheck disable=SC2059 # the format is the byte
	printf "\\$(printf '%03o' $((b ^ 0x20)))" |
		dd of="$dir/corrupt.rom" bs=1 seek=4096 conv=notrunc status=none
	printf '%s\n' \
		-device "pci-testdev,bus=pcie.0,addr=0x9,romfile=$(qemu_escape "$dir/corrupt.rom")"
}
