#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl dev rom against the option ROMs QEMU gives the emulated devices.
# Ground truth: the ROM files QEMU loaded, copied from the host by
# rom_devices (tests/vm/qemu-args.sh) into /results/roms: efi-e1000.rom
# and efi-e1000e.rom (iPXE, legacy x86 + EFI images) for the NICs, and
# corrupt.rom (pxe-e1000.rom with one byte flipped) on a pci-testdev
# (1b36:0005).  Image facts come from those files' bytes (od), the
# device ids from sysfs; never from hvctl.

load helpers

setup() {
	ROMS=${HVCTL_RESULTS:-/results}/roms
	[[ -f $ROMS/corrupt.rom ]] ||
		skip "no $ROMS: a topology without rom_devices"
	OUT=$BATS_TEST_TMPDIR
}

# rd16 FILE OFFSET: the little-endian 16-bit word at OFFSET
rd16() {
	local v
	v=$(od -An -tu2 -j"$2" -N2 "$1")
	echo $((v))
}

# byte_sum FILE OFFSET LENGTH: the sum of LENGTH bytes at OFFSET, mod 256
byte_sum() {
	od -An -tu1 -v -j"$2" -N"$3" "$1" |
		awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s % 256 }'
}

# rom_images FILE: the image chain as JSON, [[offset, length, code type,
# last]...], read from the bytes: 55 AA, PCIR pointer at 0x18, image
# length in 512-byte units at PCIR+0x10, code type +0x14, indicator +0x15.
rom_images() {
	local f=$1 off=0 pcir len code ind size out=""
	size=$(stat -c %s "$f")
	while ((off + 0x1a <= size)) && [[ $(rd16 "$f" "$off") == $((0xaa55)) ]]; do
		pcir=$((off + $(rd16 "$f" $((off + 0x18)))))
		len=$(($(rd16 "$f" $((pcir + 0x10))) * 512))
		code=$(($(rd16 "$f" $((pcir + 0x14))) & 0xff))
		ind=$(($(rd16 "$f" $((pcir + 0x14))) >> 8))
		out+="${out:+,}[$off,$len,$code,$(((ind & 0x80) ? 1 : 0))]"
		((ind & 0x80)) && break
		off=$((off + len))
	done
	echo "[$out]"
}

# expect_same_rom DUMP FILE: DUMP is FILE as the ROM BAR shows it: the
# bytes both have are identical, and what only the longer one has is
# padding (QEMU rounds the BAR up to a power of two; the kernel returns
# the images, up to the end of the last one): all 0x00 or all 0xff.
# DUMP holds at least FILE's whole image chain (its tail is padding too,
# so a short dump must not pass as "the rest is padding").
expect_same_rom() {
	local dump=$1 file=$2 a b n tail end
	a=$(stat -c %s "$dump")
	b=$(stat -c %s "$file")
	n=$((a < b ? a : b))
	end=$(rom_images "$file" | jq '.[-1] | .[0] + .[1]')
	end=$((end < b ? end : b))
	echo "dump $a bytes, $file $b bytes, its images end at $end"
	((a >= end && end >= 512)) || {
		echo "FAIL: $dump has $a bytes, $file's images $end" >&2
		return 1
	}
	cmp -n "$n" "$dump" "$file" || {
		echo "FAIL: $dump differs from $file in their first $n bytes" >&2
		return 1
	}
	((a == b)) && return 0
	if ((a > b)); then
		tail=$(tail -c +$((n + 1)) "$dump" | od -An -tx1 -v | tr -s ' \n' '\n' | grep . | sort -u)
	else
		tail=$(tail -c +$((n + 1)) "$file" | od -An -tx1 -v | tr -s ' \n' '\n' | grep . | sort -u)
	fi
	[[ $tail == 00 || $tail == ff ]] || {
		echo "FAIL: the bytes after $n are not padding: $(paste -sd' ' <<<"$tail")" >&2
		return 1
	}
}

# rom_off ADDR: the device's rom attribute is not enabled (a read fails)
expect_rom_off() {
	if cat "$SYS_PCI/$1/rom" >/dev/null 2>&1; then
		echo "FAIL: $SYS_PCI/$1/rom is still enabled for reading" >&2
		return 1
	fi
}

@test "ground truth: the NICs and the pci-testdev have a ROM BAR" {
	ls "$SYS_PCI"/*/rom
	local a
	for a in "$(addr_of 8086 100e 1)" "$(addr_of 8086 100e 2)" \
		"$(addr_of 8086 10d3)" "$(addr_of 1b36 0005)"; do
		[[ -e $SYS_PCI/$a/rom ]]
	done
	[[ $(rom_images "$ROMS/efi-e1000.rom") == "[[0,"*",0,0],["*",3,1]]" ]]
}

@test "e1000 x2, e1000e: dev rom -o writes QEMU's ROM file byte for byte; valid; attribute off again" {
	local spec v d n f a want
	for spec in "8086 100e 1 efi-e1000.rom" "8086 100e 2 efi-e1000.rom" \
		"8086 10d3 1 efi-e1000e.rom"; do
		read -r v d n f <<<"$spec"
		a=$(addr_of "$v" "$d" "$n")
		want=$(driver_of "$a")
		run_hvctl dev rom "$a" -o "$OUT/$a.rom"
		expect_same_rom "$OUT/$a.rom" "$ROMS/$f"
		# No more than the ROM BAR (the rom file's size is the BAR's).
		(($(stat -c %s "$OUT/$a.rom") <= $(stat -c %s "$SYS_PCI/$a/rom")))
		expect_output "$a: ROM of $(stat -c %s "$OUT/$a.rom") bytes for device $v:$d"
		expect_output "valid: 2 images"
		grep -E "^image 0  offset 0x00000  length [0-9]+  x86  $v:$d  checksum ok\$" <<<"$output"
		grep -E "^image 1  .*  efi  $v:$d  checksum n/a  .*  last\$" <<<"$output"
		expect_rom_off "$a"
		expect_driver "$a" "$want"
	done
}

@test "-j dev rom: images, checksum and EFI header as the ROM file's bytes say" {
	local a f=$ROMS/efi-e1000e.rom img1 sum0 len0
	a=$(addr_of 8086 10d3)
	run_hvctl -j dev rom "$a" -o "$OUT/e.rom"
	expect_jq '[.images[] | [.offset, .length, .code_type, (if .last then 1 else 0 end)]]' \
		"$(rom_images "$f")" "the image chain"
	expect_jq '[.address, .vendor, .device, .size, .valid, .error, .file]' \
		"[\"$a\",\"8086\",\"10d3\",$(stat -c %s "$OUT/e.rom"),true,null,\"$OUT/e.rom\"]" \
		"the device and the verdict"
	len0=$(jq '.images[0].length' <<<"$output")
	sum0=$(byte_sum "$f" 0 "$len0")
	expect_eq "$sum0" 0 "ground truth: image 0 of $f sums to 0"
	expect_jq '[.images[] | .checksum]' '["ok",null]' "checksums"
	img1=$(jq '.images[1].offset' <<<"$output")
	expect_jq '.images[1].efi | [.subsystem, .machine, .compression]' \
		"[$(rd16 "$f" $((img1 + 8))),\"$(printf %04x "$(rd16 "$f" $((img1 + 10)))")\",$(rd16 "$f" $((img1 + 12)))]" \
		"EFI subsystem, machine type, compression at 0x08/0x0a/0x0c"
	expect_jq '[.images[] | .vendor_match and .device_match] | all' true "ids"
	expect_jq '.warnings' '[]' "no warnings"
}

@test "a corrupted ROM (bad checksum) is reported invalid, exit 1, the file still written" {
	local a f=$ROMS/corrupt.rom len
	a=$(addr_of 1b36 0005)
	len=$(($(rd16 "$f" $(($(rd16 "$f" 0x18) + 0x10))) * 512))
	[[ $(byte_sum "$f" 0 "$len") != 0 ]] # ground truth: it is corrupted
	run_hvctl 1 dev rom "$a" -o "$OUT/bad.rom"
	expect_same_rom "$OUT/bad.rom" "$f"
	grep -E '^image 0  offset 0x00000  length '"$len"'  x86  8086:100e  checksum bad  last  error: ' <<<"$output"
	expect_output "invalid: image 0 at offset 0x0: the checksum of the legacy image is bad"
	# The ROM is an e1000's: the ids are a warning, not the verdict.
	expect_output "warning: image 0: vendor 8086 is not the device's 1b36"
	expect_rom_off "$a"
	run_hvctl 1 -j dev rom "$a"
	expect_jq '[.valid, .images[0].checksum, .images[0].vendor_match, (.warnings | length > 0)]' \
		'[false,"bad",false,true]' "JSON verdict"
}

@test "refusals: no ROM BAR (4), not root (4), several devices (2); nothing written" {
	local d none="" a n
	for d in "$SYS_PCI"/*; do
		[[ -e $d/rom ]] || {
			none=${d##*/}
			break
		}
	done
	[[ -n $none ]]
	run_hvctl 4 dev rom "$none" -o "$OUT/none.rom"
	expect_stderr "$none has no expansion ROM"
	[[ ! -e $OUT/none.rom ]]

	a=$(addr_of 8086 10d3)
	_run_bin setpriv 4 --reuid=nobody --regid=nogroup --clear-groups \
		"$HVCTL" dev rom "$a" -o "$OUT/nobody.rom"
	expect_stderr "needs root"
	[[ ! -e $OUT/nobody.rom ]]
	expect_rom_off "$a"

	n=$(grep -lx 0x100e "$SYS_PCI"/*/device | wc -l)
	((n > 1))
	run_hvctl 2 dev rom id 8086:100e
	expect_stderr "selects $n devices"
}
