# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Helpers for the guest tests (root, hvctl.ko installed under updates/,
# hvctl on PATH): run_hvctl and the expect_* checks of the host helpers,
# run against the installed hvctl, plus ground truth read from sysfs and
# lspci.  Ground truth never comes from hvctl itself.

HVCTL=${HVCTL:-$(command -v hvctl)}
# shellcheck source=tests/host/helpers.bash
source "$BATS_TEST_DIRNAME/../host/helpers.bash"

SYS_PCI=/sys/bus/pci/devices

# The drivers that leave DMA to userspace (driver_managed_dma): a group is
# viable when every member is unbound or bound to one of these.
DMA_USER_DRIVERS='["vfio-pci","pci-stub","pcieport"]'

# sysfs_addrs: every PCI device, in address order.
sysfs_addrs() {
	local d
	for d in "$SYS_PCI"/*; do
		echo "${d##*/}"
	done | LC_ALL=C sort
}

# The maps sysfs_devs fills from directory listings (no process per
# device: processes are slow in the TCG guest): address -> IOMMU group,
# driver, slot name, serial number.
declare -gA SYSFS_GROUP=() SYSFS_DRIVER=() SYSFS_SLOT=() SYSFS_SERIAL=()

sysfs_maps() {
	local p v a s
	SYSFS_GROUP=() SYSFS_DRIVER=() SYSFS_SLOT=() SYSFS_SERIAL=()
	for p in /sys/kernel/iommu_groups/*/devices/*; do
		[[ -e $p ]] || continue
		v=${p%/devices/*}
		SYSFS_GROUP[${p##*/}]=${v##*/}
	done
	for p in /sys/bus/pci/drivers/*/[0-9a-f]*:*; do
		[[ -e $p ]] || continue
		v=${p%/*}
		SYSFS_DRIVER[${p##*/}]=${v##*/}
	done
	# A slot's address is DDDD:BB:DD: every function of that device is in it.
	for p in /sys/bus/pci/slots/*/address; do
		[[ -e $p ]] || continue
		read -r v <"$p" || continue
		p=${p%/address}
		SYSFS_SLOT[$v]=${p##*/}
	done
	# The Device Serial Number as lspci -vvv prints it.
	while read -r a s; do
		SYSFS_SERIAL[$a]=$s
	done < <(lspci -vvv -D | awk '
		/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:/ { addr = $1 }
		/Device Serial Number/ { print addr, tolower($NF) }')
}

# sysfs_dev_fields ADDR: the raw facts about one device, separated by US
# (0x1f) characters, for sysfs_devs
sysfs_dev_fields() {
	local a=$1 d=$SYS_PCI/$1 f v hdr numa=-1 boot_vga=0 reset="" override=""
	for f in vendor device subsystem_vendor subsystem_device class revision; do
		read -r v <"$d/$f" || true
		printf '%s\x1f' "${v#0x}"
	done
	# read fails on an empty file: the default stays.
	[[ ! -e $d/numa_node ]] || read -r numa <"$d/numa_node" || true
	[[ ! -e $d/boot_vga ]] || read -r boot_vga <"$d/boot_vga" || true
	[[ ! -e $d/reset_method ]] || read -r reset <"$d/reset_method" || true
	read -r override <"$d/driver_override" || true
	# The header type (config byte 0x0e) without the multifunction bit.
	hdr=$(od -An -tx1 -j14 -N1 "$d/config")
	hdr=$((0x${hdr// /} & 0x7f))
	printf '%s\x1f' "$a" "${SYSFS_GROUP[$a]:-}" "${SYSFS_DRIVER[$a]:-}" \
		"$override" "$hdr" "$boot_vga" "$numa" "${SYSFS_SERIAL[$a]:-}" \
		"${SYSFS_SLOT[${a%.*}]:-}" "$reset"
	printf '\n'
}

# sysfs_devs: every device as "hvctl -n -j dev show" must print it, read
# from sysfs (and lspci for the serial numbers), one JSON array
sysfs_devs() {
	local a
	sysfs_maps
	for a in $(sysfs_addrs); do
		sysfs_dev_fields "$a"
	done | jq -Rn --argjson dma_drivers "$DMA_USER_DRIVERS" '
		def or_null: if . == "" then null else . end;
		[inputs | split("\u001f") | {
			address: .[6],
			vendor: .[0],
			device: .[1],
			subsystem_vendor: .[2],
			subsystem_device: .[3],
			class: .[4],
			revision: .[5],
			group: (.[7] | or_null | if . == null then null else tonumber end),
			driver: (.[8] | or_null),
			driver_override: (if .[9] == "(null)" then null else .[9] end),
			bridge: (.[10] == "1" or .[10] == "2"),
			boot_vga: (.[11] == "1"),
			numa_node: (if .[12] == "-1" then null else (.[12] | tonumber) end),
			serial: (.[13] | or_null),
			slot: (.[14] | or_null),
			reset_methods: (.[15] | split(" ") | map(select(. != ""))),
			dma_user: (.[8] as $d | $dma_drivers | any(. == $d))
		}]'
}

# sysfs_groups: [{group, devices: [addresses]}] from /sys/kernel/iommu_groups
sysfs_groups() {
	local g d
	for g in /sys/kernel/iommu_groups/*; do
		for d in "$g"/devices/*; do
			if [[ -e $d ]]; then
				echo "${g##*/} ${d##*/}"
			fi
		done
	done | jq -Rn '[inputs | split(" ") | {group: (.[0] | tonumber),
		address: .[1]}] | group_by(.group) |
		map({group: .[0].group, devices: (map(.address) | sort)})'
}

# expect_same_devices HVCTL_JSON SYSFS_JSON DESCRIPTION: two arrays of
# device objects are the same devices with the same fields; on failure,
# list each difference.
expect_same_devices() {
	local diff
	diff=$(jq -rn --argjson h "$1" --argjson s "$2" '
		($h | map({key: .address, value: .}) | from_entries) as $hm |
		($s | map({key: .address, value: .}) | from_entries) as $sm |
		(($h | map(.address)) - ($s | map(.address)) | .[] |
			"\(.): from hvctl, not in sysfs"),
		(($s | map(.address)) - ($h | map(.address)) | .[] |
			"\(.): in sysfs, not from hvctl"),
		($hm | keys[] as $a | select($sm[$a]) |
			(($hm[$a] | keys) + ($sm[$a] | keys) | unique)[] as $k |
			select($hm[$a][$k] != $sm[$a][$k]) |
			"\($a) \($k): hvctl \($hm[$a][$k] | tojson), sysfs \($sm[$a][$k] | tojson)")')
	if [[ -n $diff ]]; then
		echo "FAIL: $3:" >&2
		echo "$diff" >&2
		return 1
	fi
}

# link_name LINK: the last component of a symlink's target, or nothing
link_name() {
	local t
	[[ -e $1 ]] || return 0
	t=$(readlink -f "$1")
	echo "${t##*/}"
}

# addr_of VENDOR DEVICE [N]: the Nth (default first) device with this id
addr_of() {
	local d n=${3:-1}
	for d in "$SYS_PCI"/*; do
		if [[ $(<"$d/vendor") == "0x$1" && $(<"$d/device") == "0x$2" ]]; then
			((--n)) || {
				echo "${d##*/}"
				return
			}
		fi
	done
	echo "no device $1:$2" >&2
	return 1
}

driver_of() {
	link_name "$SYS_PCI/$1/driver"
}

group_of() {
	link_name "$SYS_PCI/$1/iommu_group"
}

# expect_driver ADDR DRIVER: sysfs says ADDR is bound to DRIVER ("" unbound)
expect_driver() {
	local got
	got=$(driver_of "$1")
	if [[ $got != "$2" ]]; then
		echo "FAIL: $1 is on '${got}', expected '$2'" >&2
		return 1
	fi
}

# expect_override ADDR VALUE: sysfs driver_override of ADDR
expect_override() {
	local got
	read -r got <"$SYS_PCI/$1/driver_override" || true
	if [[ $got != "$2" ]]; then
		echo "FAIL: $1 driver_override is '$got', expected '$2'" >&2
		return 1
	fi
}
