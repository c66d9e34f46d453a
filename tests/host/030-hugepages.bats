#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl hugepages on the command line: help, size, count, name and node
# errors.  All are found before hvctl opens netlink or touches a pool, so
# they run here without the module (a netlink attempt would exit 5).

load helpers

setup_file() {
	build_hvctl
}

@test "hugepages help, also by abbreviation and via hvctl help" {
	run_hvctl hugepages help
	expect_output "Usage: hvctl [ -j ] hugepages show"
	expect_output "hugepages reserve NAME size SIZE count N [ node N | spread | any ]"
	expect_output "hugepages release NAME"
	expect_output "hugepages mount [ PATH ] [ size SIZE ] [ min SIZE ]"
	run_hvctl hu h
	expect_output "Usage: hvctl [ -j ] hugepages show"
	run_hvctl help hugepages
	expect_output "Usage: hvctl [ -j ] hugepages show"
	run_hvctl hugepages reserve help
	expect_output "hugepages release NAME"
}

@test "reserve: malformed sizes are usage errors naming the size" {
	local s
	for s in 2 "" M 2Mx 0M 1.5G -2M 2P; do
		run_hvctl 2 hugepages reserve vm1 size "$s" count 1 node 0
		expect_empty_stdout
		expect_stderr "Error: invalid size \"$s\""
		expect_stderr 'Try "hvctl hugepages help".'
	done
	run_hvctl 2 hugepages reserve vm1 size 2 count 1
	expect_stderr "missing unit"
	run_hvctl 2 hugepages reserve vm1 size 2Q count 1
	expect_stderr 'unknown unit "Q"'
	run_hvctl 2 hugepages reserve vm1 size 99999999999999999999k count 1
	expect_stderr "too large"
}

@test "reserve: sizes that are no page size, or that the kernel lacks" {
	run_hvctl 2 hugepages reserve vm1 size 3M count 1
	expect_stderr 'invalid huge page size "3M": not a power of two'
	run_hvctl 2 hugepages reserve vm1 size 16G count 1
	expect_stderr "unsupported huge page size 16G"
	if [[ ! -d /sys/kernel/mm/hugepages/hugepages-1048576kB ]]; then
		run_hvctl 2 hugepages reserve vm1 size 1G count 1
		expect_stderr "unsupported huge page size 1G"
	fi
}

@test "reserve: every spelling of 2M gets past the parser" {
	[[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]] || skip "no 2M pages here"
	[[ ! -e /sys/module/hvctl ]] || skip "the hvctl module is loaded on this machine"
	local s
	for s in 2M 2MB 2MiB 2m 2048k 2048kB 2048K 2048KiB; do
		# Past parsing, hvctl asks the kernel first: no module, exit 5.
		run_hvctl 5 hugepages reserve vm1 size "$s" count 1 node 0
	done
}

@test "reserve: bad and overflowing counts" {
	local c
	for c in 0 -1 +1 1k 0x10 ""; do
		run_hvctl 2 hugepages reserve vm1 size 2M count "$c"
		expect_stderr "Error: invalid count \"$c\": expected a number of pages, at least 1"
	done
	run_hvctl 2 hugepages reserve vm1 size 2M count 18446744073709551616
	expect_stderr 'invalid count "18446744073709551616": too large'
	[[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]] || skip "no 2M pages here"
	run_hvctl 2 hugepages reserve vm1 size 2M count 18446744073709551615
	expect_stderr "count 18446744073709551615 of 2048 kB pages overflows 64 bits of bytes"
	run_hvctl 2 hugepages reserve vm1 size 2M count 8796093022208
	expect_stderr "overflows"
}

@test "reserve: bad names, nodes and arguments" {
	run_hvctl 2 hugepages reserve "a b" size 2M count 1
	expect_stderr 'Error: invalid name "a b": reservation names are made of'
	run_hvctl 2 hugepages reserve "$(printf 'x%.0s' {1..33})" size 2M count 1
	expect_stderr "too long (at most 32 characters)"
	run_hvctl 2 hugepages reserve .. size 2M count 1
	expect_stderr 'may not be "." or ".."'
	run_hvctl 2 hugepages reserve vm1 size 2M count 1 node x
	expect_stderr 'invalid node "x"'
	run_hvctl 2 hugepages reserve vm1 size 2M count 1 node -1
	expect_stderr 'invalid node "-1"'
	run_hvctl 2 hugepages reserve vm1 size 2M count 1 node 0 spread
	expect_stderr "give one of node N, spread or any"
	run_hvctl 2 hugepages reserve vm1 size 2M
	expect_stderr "reserve needs size SIZE and count N"
	run_hvctl 2 hugepages reserve vm1 size
	expect_stderr '"size" needs a value'
	run_hvctl 2 hugepages reserve
	expect_stderr "reserve needs a NAME"
	run_hvctl 2 hugepages reserve vm1 size 2M count 1 frob
	expect_stderr 'unexpected argument "frob"'
}

@test "release and show: usage errors" {
	run_hvctl 2 hugepages release
	expect_stderr "release needs a NAME"
	run_hvctl 2 hugepages release a b
	expect_stderr 'unexpected argument "b"'
	run_hvctl 2 hugepages release 'a/b'
	expect_stderr 'invalid name "a/b"'
	run_hvctl 2 hugepages show extra
	expect_stderr 'unexpected argument "extra"'
}

@test "mount: usage errors" {
	run_hvctl 2 hugepages mount relative/path
	expect_stderr 'unexpected argument "relative/path" (a PATH is absolute)'
	run_hvctl 2 hugepages mount size 3M
	expect_stderr 'invalid huge page size "3M"'
	run_hvctl 2 hugepages mount size 2M min
	expect_stderr '"min" needs a value'
	run_hvctl 2 hugepages mount size 2M min 1x
	expect_stderr 'invalid size "1x"'
	run_hvctl 2 hugepages mount size 16G
	expect_stderr "unsupported huge page size 16G"
}
