#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl group show / dev show on the real module, checked against what
# sysfs and lspci say (helpers.bash reads them; nothing here trusts hvctl's
# own output).  Runs as root in the QEMU guest of tests/vm, whose topology
# has an e1000e (8086:10d3, with a Device Serial Number), hotplug slots on
# the root ports and no VFIO user.
#
# Processes are slow under TCG: the checks run hvctl once per case and
# compare all cases with one jq.

load helpers

setup_file() {
	modprobe hvctl
	sysfs_devs >"$BATS_FILE_TMPDIR/devs.json"
	sysfs_groups >"$BATS_FILE_TMPDIR/groups.json"
}

setup() {
	modprobe hvctl
	SYSFS_DEVS=$(<"$BATS_FILE_TMPDIR/devs.json")
	SYSFS_GROUPS=$(<"$BATS_FILE_TMPDIR/groups.json")
}

# selector_cases KIND: "SELECTOR|EXPECTED ADDRESSES (JSON)" lines for every
# selector of KIND (addr, short, id, subsys, serial, slot) that the devices
# in sysfs give, with the devices sysfs says it selects
selector_cases() {
	jq -r --arg kind "$1" '
		def case(sel): "\(sel)|\(map(.address) | tojson)";
		def short: sub("^0(?=.)"; "");
		if $kind == "addr" then
			.[] | [.] | case("addr \(.[0].address)")
		elif $kind == "short" then
			.[] | select(.address | startswith("0000:")) | [.] |
			case("\(.[0].address[5:])"),
			case("\(.[0].address[5:7] | short):\(.[0].address[8:10] | short).\(.[0].address[11:12])")
		elif $kind == "id" then
			group_by([.vendor, .device])[] |
			case("id \(.[0].vendor):\(.[0].device)")
		elif $kind == "subsys" then
			group_by([.vendor, .device, .subsystem_vendor, .subsystem_device])[] |
			case("id \(.[0] | "\(.vendor):\(.device):\(.subsystem_vendor):\(.subsystem_device)")")
		elif $kind == "serial" then
			map(select(.serial)) | group_by(.serial)[] |
			case("serial \(.[0].serial)")
		else
			map(select(.slot)) | group_by(.slot)[] | case("slot \(.[0].slot)")
		end' <<<"$SYSFS_DEVS"
}

# expect_selections: for each "SELECTOR|EXPECTED" line on stdin, the
# addresses "hvctl -n -j dev show SELECTOR" prints are EXPECTED, in order
# (-n: no names, no pci.ids to read each time)
expect_selections() {
	local sel want got=() n=0 bad
	while IFS='|' read -r sel want; do
		# shellcheck disable=SC2086 # a selector is several words
		run_hvctl -n -j dev show $sel
		got+=("{\"sel\": \"$sel\", \"want\": $want, \"got\": $output}")
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || {
		echo "FAIL: no cases" >&2
		return 1
	}
	bad=$(printf '%s\n' "${got[@]}" | jq -rs '.[] |
		select((.got | map(.address)) != .want) |
		"\(.sel): hvctl \(.got | map(.address)), sysfs \(.want)"')
	if [[ -n $bad ]]; then
		echo "FAIL: selections differ from sysfs:" >&2
		echo "$bad" >&2
		return 1
	fi
	echo "$n selectors checked"
}

@test "ground truth: the topology has devices, groups, slots and an e1000e" {
	output=$SYSFS_DEVS
	expect_jq 'length > 5' true "devices in sysfs"
	expect_jq 'map(select(.vendor == "8086" and .device == "10d3")) | length' 1 "one e1000e"
	expect_jq 'map(select(.slot != null)) | length > 0' true "devices in slots"
	expect_jq 'map(select(.serial != null)) | length > 0' true "devices with a DSN"
	output=$SYSFS_GROUPS
	expect_jq 'length > 1' true "IOMMU groups"
}

@test "hvctl loads the module itself when it is not loaded" {
	modprobe -r hvctl
	[ ! -e /sys/module/hvctl ]
	run_hvctl -j group show
	[ -e /sys/module/hvctl ]
}

@test "-j dev show: every sysfs device exactly once, in address order" {
	run_hvctl -j dev show
	expect_jq 'map(.address)' "$(jq -c 'map(.address)' <<<"$SYSFS_DEVS")" \
		"addresses, sorted, each once"
}

@test "-n -j dev show: every field as sysfs and lspci have it" {
	run_hvctl -n -j dev show
	expect_same_devices "$output" "$SYSFS_DEVS" "hvctl -n -j dev show vs sysfs"
}

@test "-j dev show: vendor, device and class names as lspci prints them" {
	local want bad
	# lspci's names, null where it falls back to numbers ("Device 1111")
	want=$(lspci -vmm -D | jq -Rs --argjson sysfs "$SYSFS_DEVS" '
		($sysfs | map({key: .address, value: .}) | from_entries) as $ids |
		split("\n\n")[] | select(length > 0) |
		[split("\n")[] | capture("^(?<key>[A-Za-z]+):\\s+(?<value>.*)$")] |
		from_entries | $ids[.Slot] as $id | {
			address: .Slot,
			vendor_name: (if .Vendor == "Vendor \($id.vendor)" then null else .Vendor end),
			device_name: (if .Device == "Device \($id.device)" then null else .Device end),
			class_name: (if (.Class | test("^Class [0-9a-f]{4}$")) then null
				     else .Class | sub(" \\[[0-9a-f]{4}\\]$"; "") end)
		}' | jq -cs .)
	run_hvctl -j dev show
	bad=$(jq -rn --argjson h "$output" --argjson l "$want" '
		($l | map({key: .address, value: .}) | from_entries) as $lm |
		$h[] | {address, vendor_name, device_name, class_name} |
		select(. != $lm[.address]) |
		"\(.address): hvctl \(tojson), lspci \($lm[.address] | tojson)"')
	if [[ -n $bad ]]; then
		echo "FAIL: names differ from lspci:" >&2
		echo "$bad" >&2
		return 1
	fi
}

@test "-j group show: the groups and members of /sys/kernel/iommu_groups" {
	run_hvctl -j group show
	expect_jq 'map({group, devices: ([.devices[].address] | sort)})' \
		"$(jq -c . <<<"$SYSFS_GROUPS")" "groups in order, and their members"
}

@test "-j group show: viable iff every member is unbound or on vfio-pci, pci-stub, pcieport" {
	local want
	want=$(jq -c --argjson dma "$DMA_USER_DRIVERS" '
		def dma_ok: .driver == null or (.driver as $d | $dma | any(. == $d));
		[group_by(.group)[] | select(.[0].group != null) | {
			group: .[0].group,
			viable: (map(dma_ok) | all),
			blocking: ([.[] | select(dma_ok | not) | .address] | sort),
			in_use: false
		}]' <<<"$SYSFS_DEVS")
	# in_use: no VFIO user runs in this guest.
	run_hvctl -j group show
	expect_jq 'map({group, viable, blocking: (.blocking | sort), in_use})' \
		"$want" "viability, blocking members, in use"
}

@test "-n -j group show: members' fields as sysfs has them" {
	run_hvctl -n -j group show
	expect_same_devices "$(jq -c '[.[].devices[]]' <<<"$output")" \
		"$(jq -c 'map(select(.group != null))' <<<"$SYSFS_DEVS")" \
		"group members vs sysfs"
}

@test "-j group show ID: an array with just that group, for every group" {
	local id got=()
	for id in $(jq -r '.[].group' <<<"$SYSFS_GROUPS"); do
		run_hvctl -n -j group show "$id"
		got+=("$output")
	done
	output=$(printf '%s\n' "${got[@]}" | jq -cs .)
	expect_jq 'map(length)' "$(jq -c 'map(1)' <<<"$SYSFS_GROUPS")" \
		"one group each"
	expect_jq 'map(.[0] | {group, devices: ([.devices[].address] | sort)})' \
		"$(jq -c . <<<"$SYSFS_GROUPS")" "the group asked for, its members"
	expect_same_devices "$(jq -c '[.[][].devices[]]' <<<"$output")" \
		"$(jq -c 'map(select(.group != null))' <<<"$SYSFS_DEVS")" \
		"members vs sysfs"
}

@test "-j dev show id 8086:10d3: the devices sysfs has with that id" {
	run_hvctl -j dev show id 8086:10d3
	expect_jq 'map(.address)' \
		"$(jq -c 'map(select(.vendor == "8086" and .device == "10d3") |
			.address)' <<<"$SYSFS_DEVS")" "id 8086:10d3"
}

@test "dev show of the e1000e: its Device Serial Number, as lspci has it" {
	local a serial
	a=$(jq -r 'first(.[] | select(.vendor == "8086" and .device == "10d3")) |
		.address' <<<"$SYSFS_DEVS")
	serial=$(lspci -vvv -s "$a" | sed -n 's/.*Device Serial Number //p')
	[ -n "$serial" ]
	run_hvctl -j dev show "$a"
	expect_jq '.[0].serial' "\"${serial,,}\"" "serial of $a"
	run_hvctl dev show "$a"
	expect_output "  $a  " "text: address"
	expect_output "[8086:10d3]" "text: ids"
}

@test "selector addr selects each device alone" {
	selector_cases addr | expect_selections
}

@test "bare addresses, with and without leading zeros, select each device alone" {
	selector_cases short | expect_selections
}

@test "selector id selects every device with that vendor and device id" {
	selector_cases id | expect_selections
}

@test "selector id with subsystem selects the devices with all four ids" {
	selector_cases subsys | expect_selections
}

@test "selector serial selects the devices lspci shows with that serial" {
	selector_cases serial | expect_selections
}

@test "selector slot selects every function in that slot" {
	selector_cases slot | expect_selections
}

@test "text: group show, a header per group and a line per member" {
	run_hvctl group show
	expect_eq "$(grep -c '^group [0-9]*  \(viable\|not viable\)' <<<"$output")" \
		"$(jq length <<<"$SYSFS_GROUPS")" "group headers"
	expect_eq "$(grep -c '^    [0-9a-f]\{4\}:' <<<"$output")" \
		"$(jq '[.[].devices[]] | length' <<<"$SYSFS_GROUPS")" "member lines"
}

@test "text: dev show, a line per device with its address, ids and driver" {
	local a ids drv line bad=0
	run_hvctl dev show
	expect_eq "${#lines[@]}" "$(jq length <<<"$SYSFS_DEVS")" "one line per device"
	while IFS='|' read -r a ids drv; do
		line=$(grep -F "  $a  " <<<"$output") || true
		if [[ $line != *"$ids"* || $line != *"$drv"* ]]; then
			echo "$a: expected '$ids' and '$drv' in: $line" >&2
			bad=1
		fi
	done < <(jq -r '.[] | "\(.address)|[\(.vendor):\(.device)]|" +
		(if .driver then "  driver \(.driver)" else "  no driver" end)' \
		<<<"$SYSFS_DEVS")
	[ "$bad" -eq 0 ]
}

@test "-p: the same JSON, indented" {
	run_hvctl -j group show
	local flat=$output
	run_hvctl -p group show
	expect_eq "$(jq -c . <<<"$output")" "$flat" "same content"
	expect_output $'[\n  {' "indented"
}

@test "a group that does not exist: exit 3 and an error" {
	expect_eq "$(jq 'map(.group) | index(99999)' <<<"$SYSFS_GROUPS")" null \
		"no group 99999 in sysfs"
	run_hvctl 3 group show 99999
	expect_empty_stdout
	expect_stderr "Error: "
}

@test "no device matches: exit 3 naming the selector" {
	expect_eq "$(jq -c 'map(select(.vendor == "8086" and .device == "ffff"))' \
		<<<"$SYSFS_DEVS")" "[]" "no 8086:ffff in sysfs"
	run_hvctl 3 dev show id 8086:ffff
	expect_empty_stdout
	expect_stderr 'Error: no device matches "id 8086:ffff".'
}

@test "bad input: usage errors, exit 2" {
	run_hvctl 2 dev show addr 0000:zz:00.0
	expect_stderr 'invalid selector "addr 0000:zz:00.0"'
	run_hvctl 2 group show abc
	expect_stderr 'invalid group id "abc"'
	run_hvctl 2 frobnicate show
	expect_stderr 'unknown object "frobnicate"'
	run_hvctl 2 group frobnicate
	expect_stderr 'unknown command "frobnicate"'
}
