#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl group show ID: why a group holds the devices it does.  The ground
# truth is config space as setpci (pciutils) reads it, the sysfs parent
# links and the kernel's groups in /sys/kernel/iommu_groups, never hvctl.
#
# Topology (tests/vm/topology/default.sh), one group per reason:
#   pci-bridge            two e1000 (8086:100e) behind QEMU's pcie-pci-bridge
#   multifunction-no-acs  the GPU-like card: secondary-vga (1234:1111) at
#                         function 0, ICH9 HDA at function 1, no ACS
#   port-no-acs           pci-testdev (1b36:0005) behind a root port with
#                         disable-acs=on (no ACS capability)
#   none                  the e1000e (8086:10d3) and the NVMe (1b36:0010)
#                         alone behind root ports with ACS on
# A port whose ACS capability is there but whose controls are off is in no
# topology (Linux turns ACS on at boot; pci=disable_acs_redir= would need
# its own boot): tests/unit/acs-test.c covers it.

load helpers

# The controls the kernel requires (REQ_ACS_FLAGS): SV, RR, CR, UF.
REQUIRED=$((0x1d))

setup_file() {
	modprobe hvctl
}

setup() {
	modprobe hvctl
	GPU=$(addr_of 1234 1111)
	# The GPU-like card is the secondary one, never the boot VGA.
	[[ $(<"$SYS_PCI/$GPU/boot_vga") == 0 ]] || GPU=$(addr_of 1234 1111 2)
	AUDIO=${GPU%.0}.1
	NIC1=$(addr_of 8086 100e 1)
	NIC2=$(addr_of 8086 100e 2)
}

# parent_of ADDR: the PCI device whose sysfs directory holds ADDR's, or
# nothing on a root bus
parent_of() {
	local p
	p=$(readlink -f "$SYS_PCI/$1")
	p=${p%/*}
	p=${p##*/}
	[[ ! -e $SYS_PCI/$p ]] || echo "$p"
}

# cfg_type ADDR: the PCI Express device/port type, -1 without a PCI
# Express capability
cfg_type() {
	local f
	if f=$(setpci -s "$1" CAP_EXP+2.w 2>/dev/null); then
		echo $(((0x$f >> 4) & 0xf))
	else
		echo -1
	fi
}

# cfg_acs ADDR: "CAP CTRL" of the ACS capability, nothing without one
cfg_acs() {
	local v
	v=$(setpci -s "$1" ECAP_ACS+4.w ECAP_ACS+6.w 2>/dev/null) || return 0
	# shellcheck disable=SC2086 # two words, one per register
	set -- $v
	echo "$((0x$1)) $((0x$2))"
}

# cfg_multifunction ADDR: the header type says so, or the function number
# is above 0 (the kernel's scan sets it then) and it is not a VF
cfg_multifunction() {
	local h
	h=$(setpci -s "$1" HEADER_TYPE)
	if ((0x$h & 0x80)); then
		return 0
	fi
	[[ ${1##*.} != 0 && ! -e $SYS_PCI/$1/physfn ]]
}

# cfg_lacking ADDR: of the required controls, those ADDR does not give
# (0: isolated, or ACS does not apply), by the PCIe rules the kernel uses:
# conventional PCI and PCI bridges never isolate, ports must have ACS,
# other PCIe functions only as part of a multifunction device; a control
# the capability does not offer counts as on.
cfg_lacking() {
	local t acs cap ctrl
	t=$(cfg_type "$1")
	case $t in
	-1 | 7 | 8 | 10)
		echo "$REQUIRED"
		return
		;;
	4 | 6) ;;
	0 | 1 | 5 | 9)
		if ! cfg_multifunction "$1"; then
			echo 0
			return
		fi
		;;
	*)
		echo 0
		return
		;;
	esac
	acs=$(cfg_acs "$1")
	if [[ -z $acs ]]; then
		echo "$REQUIRED"
		return
	fi
	read -r cap ctrl <<<"$acs"
	echo $((REQUIRED & (cap | 0x20) & ~ctrl))
}

# reason_json KIND ADDR MISSING: the reason object hvctl must print, its
# keys in the order of REASONS below (key order means nothing in JSON)
reason_json() {
	local acs=false
	[[ -z $(cfg_acs "$2") ]] || acs=true
	jq -cn --arg k "$1" --arg d "$2" --argjson m "$3" --argjson a "$acs" '
		{kind: $k, device: $d,
		 missing: [[1, "source-validation"], [4, "request-redirect"],
			[8, "completion-redirect"], [16, "upstream-forwarding"]] |
			map(select(($m / .[0] | floor) % 2 == 1) | .[1]),
		 acs_capability: $a}'
}

# REASONS: the filter that takes the reasons from a group show ID reply
REASONS='.[0].reasons | map({kind, device, missing, acs_capability})'

# group_members G: the members sysfs has, one per line
group_members() {
	local d
	for d in /sys/kernel/iommu_groups/"$1"/devices/*; do
		echo "${d##*/}"
	done
}

@test "ground truth: config space is readable in full, setpci finds capabilities" {
	local br
	br=$(parent_of "$NIC1")
	expect_eq "$(wc -c <"$SYS_PCI/$br/config")" 4096 "config space of $br as root"
	expect_eq "$(cfg_type "$(parent_of "$br")")" 4 "the root port above $br"
}

@test "pci-bridge: the NICs share the PCIe-to-PCI bridge's group; hvctl names the bridge" {
	local br g
	br=$(parent_of "$NIC1")
	expect_eq "$(parent_of "$NIC2")" "$br" "both NICs behind one bridge"
	expect_eq "$(cfg_type "$br")" 7 "PCIe type of $br (PCIe-to-PCI bridge)"
	expect_eq "$(cfg_lacking "$(parent_of "$br")")" 0 \
		"ACS on at the root port above the bridge"
	g=$(group_of "$NIC1")
	expect_eq "$(group_of "$NIC2") $(group_of "$br")" "$g $g" "one group"
	run_hvctl -j group show "$g"
	expect_jq "$REASONS" "[$(reason_json pci-bridge "$br" 0)]" \
		"reasons of group $g"
	run_hvctl group show "$g"
	expect_output "    reason: $br is a PCIe-to-PCI bridge: the devices behind it share its requester ID"
}

@test "multifunction-no-acs: the card's two functions lack ACS and share a group; hvctl names both" {
	local g lg la phrase
	g=$(group_of "$GPU")
	expect_eq "$(group_of "$AUDIO")" "$g" "both functions in one group"
	cfg_multifunction "$GPU"
	cfg_multifunction "$AUDIO"
	lg=$(cfg_lacking "$GPU")
	la=$(cfg_lacking "$AUDIO")
	if ((lg == 0 || la == 0)); then
		echo "FAIL: QEMU gave a function of the card ACS ($lg, $la):" \
			"this topology has no multifunction reason" >&2
		return 1
	fi
	expect_eq "$(cfg_lacking "$(parent_of "$GPU")")" 0 "ACS on at the card's root port"
	run_hvctl -j group show "$g"
	expect_jq "$REASONS" \
		"$(printf '%s\n' "$(reason_json multifunction-no-acs "$GPU" "$lg")" \
			"$(reason_json multifunction-no-acs "$AUDIO" "$la")" | jq -cs .)" \
		"reasons of group $g"
	phrase="with ACS controls off"
	[[ -n $(cfg_acs "$GPU") ]] || phrase="without ACS"
	run_hvctl group show "$g"
	expect_output "    reason: $GPU is a function of a multifunction device $phrase"
	expect_output "    reason: $AUDIO is a function of a multifunction device"
}

@test "port-no-acs: the test device shares the group of its root port without ACS; hvctl names the port" {
	local td rp g
	# The pci-testdev behind the port (065-rom.bats has another on bus 0).
	local n a
	for n in 1 2; do
		a=$(addr_of 1b36 0005 "$n") || break
		[[ $a == 0000:00:* ]] || td=$a
	done
	[[ -n $td ]]
	rp=$(parent_of "$td")
	expect_eq "$(cfg_type "$rp")" 4 "PCIe type of $rp (root port)"
	expect_eq "$(cfg_acs "$rp")" "" "ACS capability of $rp (none)"
	g=$(group_of "$td")
	expect_eq "$(group_of "$rp")" "$g" "the device in its port's group"
	run_hvctl -j group show "$g"
	expect_jq "$REASONS" "[$(reason_json port-no-acs "$rp" "$REQUIRED")]" \
		"reasons of group $g"
	expect_jq '.[0].reasons[0].missing | length' 4 "all four controls missing"
	run_hvctl group show "$g"
	expect_output "    reason: $rp is a root port without ACS: the devices below it are not isolated from each other"
}

@test "clean: the e1000e and the NVMe are alone behind root ports with ACS on; no reasons" {
	local a rp g
	for a in "$(addr_of 8086 10d3)" "$(addr_of 1b36 0010)"; do
		rp=$(parent_of "$a")
		expect_eq "$(cfg_type "$rp")" 4 "PCIe type of $rp (root port)"
		[[ -n $(cfg_acs "$rp") ]] || {
			echo "FAIL: $rp has no ACS capability" >&2
			return 1
		}
		expect_eq "$(cfg_lacking "$rp")" 0 "ACS controls of $rp"
		g=$(group_of "$a")
		expect_eq "$(group_members "$g")" "$a" "group $g holds $a alone"
		run_hvctl -j group show "$g"
		expect_jq '.[0].reasons' '[]' "reasons of group $g"
		run_hvctl group show "$g"
		[[ $output != *reason* ]] || {
			echo "FAIL: a reason line for group $g" >&2
			return 1
		}
	done
}

@test "every group: reasons name members only; a group of one has none, a larger one at least one" {
	local g got=() members=()
	for g in /sys/kernel/iommu_groups/*; do
		g=${g##*/}
		run_hvctl -j group show "$g"
		got+=("$output")
		members+=("$(group_members "$g" | jq -Rcn --argjson g "$g" \
			'{group: $g, members: [inputs]}')")
	done
	output=$(printf '%s\n' "${got[@]}" | jq -cs 'map(.[0])')
	expect_jq '[.[] | select((.devices | length) > 1 and (.reasons | length) == 0) | .group]' \
		'[]' "large groups without a reason"
	expect_jq '[.[] | select((.devices | length) == 1 and (.reasons | length) > 0) | .group]' \
		'[]' "groups of one with a reason"
	# shellcheck disable=SC2016 # jq variables
	expect_jq '[.[] | [.devices[].address] as $m | select(any(.reasons[]; .device as $d | $m | index($d) | not)) | .group]' \
		'[]' "groups whose reasons name a non-member"
	expect_jq "[.[] | {group, members: ([.devices[].address] | sort)}]" \
		"$(printf '%s\n' "${members[@]}" | jq -cs 'map(.members |= sort)')" \
		"members as sysfs has them"
}

# expected_reasons G: the reasons of group G as config space and the sysfs
# parent links give them, walking from every member to its root bus as the
# kernel's pci_device_group() does: bridges that take over requester IDs
# (PCIe-to-PCI, PCI-to-PCIe, conventional), then every port above them that
# fails ACS, then the functions of the device the walk ended at.  One JSON
# array, by address, then pci-bridge, multifunction-no-acs, port-no-acs.
expected_reasons() {
	local m p t top s k
	local -A kinds=()
	for m in $(group_members "$1"); do
		top=$m
		p=$(parent_of "$m")
		while [[ -n $p ]]; do
			t=$(cfg_type "$p")
			if [[ $t == -1 || $t == 7 || $t == 8 ]]; then
				kinds[$p]+=" pci-bridge"
				top=$p
			fi
			p=$(parent_of "$p")
		done
		p=$(parent_of "$top")
		while [[ -n $p ]]; do
			if (($(cfg_lacking "$p"))); then
				kinds[$p]+=" port-no-acs"
				top=$p
			fi
			p=$(parent_of "$p")
		done
		if cfg_multifunction "$top" && (($(cfg_lacking "$top"))); then
			for s in "$SYS_PCI/${top%.*}".*; do
				s=${s##*/}
				if [[ $s != "$top" ]] && (($(cfg_lacking "$s"))); then
					kinds[$top]+=" multifunction-no-acs"
					break
				fi
			done
		fi
	done
	for m in $(group_members "$1" | LC_ALL=C sort); do
		for k in pci-bridge multifunction-no-acs port-no-acs; do
			[[ " ${kinds[$m]:-} " == *" $k "* ]] || continue
			if [[ $k == pci-bridge ]]; then
				reason_json "$k" "$m" 0
			else
				reason_json "$k" "$m" "$(cfg_lacking "$m")"
			fi
		done
	done | jq -cs .
}

@test "every group: the reasons are those config space gives by the kernel's walk" {
	local g got=() want=()
	for g in /sys/kernel/iommu_groups/*; do
		g=${g##*/}
		run_hvctl -j group show "$g"
		got+=("$(jq -c --argjson g "$g" "{group: \$g, reasons: ($REASONS)}" <<<"$output")")
		want+=("$(jq -cn --argjson g "$g" --argjson r "$(expected_reasons "$g")" \
			'{group: $g, reasons: $r}')")
	done
	output=$(printf '%s\n' "${got[@]}" | jq -cs .)
	expect_jq . "$(printf '%s\n' "${want[@]}" | jq -cs .)" "reasons of every group"
	# The topology has all three kinds.
	expect_jq '[.[].reasons[].kind] | unique' \
		'["multifunction-no-acs","pci-bridge","port-no-acs"]' "kinds seen"
}

@test "group show without ID: the listing carries no reasons" {
	run_hvctl -j group show
	expect_jq 'map(has("reasons")) | any' false "reasons in the listing"
	run_hvctl group show
	[[ $output != *"reason:"* ]]
}

@test "without root: config space is cut to 64 bytes, reasons are null with a note" {
	local br g
	br=$(parent_of "$NIC1")
	expect_eq "$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		head -c 4096 "$SYS_PCI/$br/config" | wc -c)" 64 "config bytes for nobody"
	g=$(group_of "$NIC1")
	_run_bin setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HVCTL" -j group show "$g"
	expect_jq '.[0] | [.group, .reasons]' "[$g,null]" "reasons for nobody"
	_run_bin setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HVCTL" group show "$g"
	expect_output "    reasons unknown: config space past its first 64 bytes is readable by root only"
}
