#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# The command line: help, version, options, abbreviations and usage errors.
# None of these may need the module or netlink, so they run the real hvctl,
# which on this host has no hvctl family (a netlink attempt exits 5).

load helpers

setup_file() {
	build_hvctl
}

@test "hvctl help prints the usage and the exit statuses on stdout" {
	run_hvctl help
	expect_output "Usage: hvctl [ OPTIONS ] OBJECT"
	expect_output "OBJECT := { group | dev | monitor | hugepages | boot | check }"
	local code
	for code in "0  success" "1  failure" "2  usage error" \
		"3  not found" "4  the kernel refused" "5  the hvctl kernel module" \
		"6  unsafe operation refused"; do
		expect_output "$code" "exit status table"
	done
	expect_eq "$stderr" "" "nothing on stderr"
}

@test "-h and --help are hvctl help" {
	run_hvctl help
	local want=$output
	run_hvctl -h
	expect_eq "$output" "$want" "-h"
	run_hvctl --help
	expect_eq "$output" "$want" "--help"
}

@test "no object: usage on stderr, exit 2" {
	run_hvctl 2
	expect_empty_stdout
	expect_stderr "Usage: hvctl"
}

@test "every object has help, also by abbreviation and via hvctl help OBJECT" {
	run_hvctl group help
	expect_output "Usage: hvctl group show [ ID ]"
	run_hvctl g h
	expect_output "Usage: hvctl group show [ ID ]"
	run_hvctl help group
	expect_output "Usage: hvctl group show [ ID ]"
	run_hvctl group show help
	expect_output "Usage: hvctl group show [ ID ]"

	run_hvctl dev help
	expect_output "Usage: hvctl dev show [ SELECTOR ]"
	expect_output "id VVVV:DDDD[:SSSS:ssss]" "selector grammar"
	run_hvctl d h
	expect_output "Usage: hvctl dev show [ SELECTOR ]"
	run_hvctl help dev
	expect_output "Usage: hvctl dev show [ SELECTOR ]"
	run_hvctl dev show help
	expect_output "Usage: hvctl dev show [ SELECTOR ]"
}

@test "-V and --version print the version from VERSION" {
	local version
	version=$(cat "$HVCTL_TOP/VERSION")
	run_hvctl -V
	expect_eq "$output" "hvctl $version" "-V"
	run_hvctl --version
	expect_eq "$output" "hvctl $version" "--version"
}

@test "unknown object: exit 2, names it, hints at help" {
	run_hvctl 2 frobnicate
	expect_empty_stdout
	expect_stderr 'Error: unknown object "frobnicate".'
	expect_stderr 'Try "hvctl help".'
}

@test "unknown verb: exit 2, names it and the object" {
	run_hvctl 2 group frobnicate
	expect_stderr 'Error: unknown command "frobnicate" for object "group".'
	expect_stderr 'Try "hvctl group help".'
	run_hvctl 2 dev x
	expect_stderr 'Error: unknown command "x" for object "dev".'
}

@test "an object or verb longer than its name is no abbreviation" {
	run_hvctl 2 groups
	expect_stderr 'unknown object "groups"'
	run_hvctl 2 dev shows
	expect_stderr 'unknown command "shows"'
}

@test "unknown options: exit 2, named" {
	run_hvctl 2 -x group show
	expect_stderr 'Error: unknown option "-x".'
	run_hvctl 2 --bogus group show
	expect_stderr 'Error: unknown option "--bogus".'
}

@test "options after the object are arguments, not options" {
	run_hvctl 2 group show -j
	expect_stderr 'invalid group id "-j"'
}

@test "group show: bad ids are usage errors that name the id" {
	local id
	for id in abc -1 1x 0x10 4294967296 99999999999999999999 ""; do
		run_hvctl 2 group show "$id"
		expect_empty_stdout
		expect_stderr "Error: invalid group id \"$id\": expected a number from 0 to 4294967295."
	done
}

@test "group show: trailing words are a usage error" {
	run_hvctl 2 group show 7 8
	expect_stderr 'Error: unexpected argument "8".'
	run_hvctl 2 help group extra
	expect_stderr 'Error: unexpected argument "extra".'
}

# bad_selector EXPECTED_WORD MESSAGE WORDS...: dev show WORDS is a usage
# error naming the offending word with the parser's message.
bad_selector() {
	local word=$1 msg=$2
	shift 2
	run_hvctl 2 dev show "$@"
	expect_empty_stdout
	expect_stderr "Error: invalid selector \"$*\": $msg"
	if [[ -n $word ]]; then
		expect_stderr "(at \"$word\")" "offending word"
	fi
	expect_stderr 'Try "hvctl dev help".'
}

@test "dev show: bad selectors are usage errors naming the word" {
	bad_selector 0000:zz:00.0 "malformed PCI bus number" addr 0000:zz:00.0
	bad_selector 8086 "malformed id" id 8086
	bad_selector 8086:10d3:1 "malformed id" id 8086:10d3:1
	bad_selector 12-34 "malformed serial number" serial 12-34
	bad_selector 01:20.0 "malformed PCI device number" 01:20.0
	bad_selector 01:00.8 "malformed PCI function number" 01:00.8
	bad_selector frob "unknown selector" frob
	bad_selector addr "'addr' needs a PCI address" addr
	bad_selector extra "unexpected text after selector" 01:00.0 extra
	bad_selector "" "empty selector" ""
}

@test "dev show: a selector longer than the kernel takes is a usage error" {
	run_hvctl 2 dev show slot "$(printf 'x%.0s' {1..200})"
	expect_stderr "selector too long (at most 127 characters)"
}

@test "a valid selector gets past the parser to netlink (exit 5 here)" {
	[[ ! -e /sys/module/hvctl ]] || skip "the hvctl module is loaded on this machine"
	local sel
	for sel in "addr 0000:01:00.0" "01:00.0" "id 8086:10d3" \
		"id 8086:10d3:8086:0000" "serial 52-54-00-ff-fe-12-34-56" \
		"slot 4" "addr=01:00.0"; do
		# shellcheck disable=SC2086 # one word per selector word
		run_hvctl 5 dev show $sel
	done
}

@test "help and usage errors work without netlink, also as an unprivileged user" {
	command -v setpriv >/dev/null || skip "no setpriv"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$HVCTL" help
	[ "$status" -eq 0 ]
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$HVCTL" dev show id 8086
	[ "$status" -eq 2 ]
}
