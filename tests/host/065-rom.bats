#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl dev rom on this host: the command line, the selector (exactly one
# device, from sysfs) and the refusals that need no ROM.  Reading real
# ROMs is tests/guest/065-rom.bats; the checker itself is
# tests/unit/rom-test.c.

load helpers

COMPLETION=$HVCTL_TOP/scripts/hvctl.bash-completion

setup_file() {
	build_hvctl
}

# A device of this host without a ROM BAR (no rom file), from sysfs.
no_rom_device() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[[ -e $d/rom ]] || {
			echo "${d##*/}"
			return 0
		}
	done
	return 1
}

@test "dev rom: usage errors are exit status 2 and name the mistake" {
	run_hvctl 2 dev rom
	expect_stderr "needs a SELECTOR"
	expect_empty_stdout
	run_hvctl 2 dev rom 00:00.0 -o
	expect_stderr "-o needs a FILE"
	run_hvctl 2 dev rom 00:00.0 -o a -o b
	expect_stderr "-o given twice"
	run_hvctl 2 dev rom id 8086:zz
	expect_stderr "invalid selector"
}

@test "dev rom: a selector that matches nothing is exit status 3" {
	run_hvctl 3 dev rom 0000:7f:1f.7
	expect_stderr 'no device matches "0000:7f:1f.7"'
	expect_empty_stdout
}

@test "dev rom: a selector that matches several devices is refused" {
	local id n
	# An id that sysfs shows on more than one device, if there is one.
	id=$(for d in /sys/bus/pci/devices/*; do
		printf '%04x:%04x\n' "$(<"$d/vendor")" "$(<"$d/device")"
	done | sort | uniq -d | head -n 1)
	[[ -n $id ]] || skip "no two devices of this host share an id"
	n=$(for d in /sys/bus/pci/devices/*; do
		printf '%04x:%04x\n' "$(<"$d/vendor")" "$(<"$d/device")"
	done | grep -c "^$id\$")
	run_hvctl 2 dev rom id "$id"
	expect_stderr "selects $n devices"
}

@test "dev rom: a device without a ROM BAR is exit status 4, nothing written" {
	local addr
	addr=$(no_rom_device) || skip "every device here has a rom file"
	run_hvctl 4 dev rom "$addr" -o "$BATS_TEST_TMPDIR/out.rom"
	expect_stderr "$addr has no expansion ROM"
	expect_empty_stdout
	[[ ! -e $BATS_TEST_TMPDIR/out.rom ]]
	run_hvctl 4 -j dev rom "$addr"
	expect_empty_stdout
}

@test "completion: dev rom takes a selector, then -o and a file" {
	local got
	got=$(HVCTL_LINE="hvctl dev r" bash -c '
		source "$1"; COMP_LINE=$HVCTL_LINE; COMP_POINT=${#COMP_LINE}
		_hvctl; printf "%s\n" "${COMPREPLY[@]}"' bash "$COMPLETION")
	expect_eq "$got" rom "hvctl dev r"
	got=$(HVCTL_LINE="hvctl dev rom 0000:00:00.0 " bash -c '
		source "$1"; COMP_LINE=$HVCTL_LINE; COMP_POINT=${#COMP_LINE}
		_hvctl; printf "%s\n" "${COMPREPLY[@]}"' bash "$COMPLETION")
	expect_eq "$got" -o "after the selector"
	touch "$BATS_TEST_TMPDIR/gpu.rom"
	got=$(cd "$BATS_TEST_TMPDIR" && HVCTL_LINE="hvctl dev rom 01:00.0 -o gp" bash -c '
		source "$1"; COMP_LINE=$HVCTL_LINE; COMP_POINT=${#COMP_LINE}
		_hvctl 2>/dev/null; printf "%s\n" "${COMPREPLY[@]}"' bash "$COMPLETION")
	expect_eq "$got" gpu.rom "the file after -o"
}
