#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# The helpers must fail when they should, or no test below can fail.

load helpers

setup_file() {
	build_hvctl
}

@test "run_hvctl fails on an unexpected exit status" {
	run run_hvctl 0 --no-such-option
	[ "$status" -ne 0 ]
	run run_hvctl 2 help
	[ "$status" -ne 0 ]
}

@test "run_hvctl passes on the expected exit status" {
	run_hvctl 2 --no-such-option
	run_hvctl help
	run_hvctl '?' --no-such-option
}

@test "run_hvctl keeps stdout and stderr apart" {
	run_hvctl 2 --no-such-option
	expect_empty_stdout
	expect_stderr "Error:"
}

# must_fail CMD...: CMD fails on the fixed $output/$stderr below.
must_fail() {
	output='[{"a":1}]'
	stderr='Error: x.'
	run "$@"
	if [ "$status" -eq 0 ]; then
		echo "FAIL: '$*' passed" >&2
		return 1
	fi
}

@test "expect_* fail on a mismatch" {
	must_fail expect_jq '.[0].a' '2' "a"
	must_fail expect_jq '.[0' '1' "bad filter"
	must_fail expect_stderr "nope"
	must_fail expect_output "nope"
	must_fail expect_empty_stdout
	must_fail expect_eq a b "a is not b"
}

@test "expect_* pass on a match" {
	output='[{"a":1}]'
	stderr='Error: x.'
	expect_jq '.[0].a' '1' "a"
	expect_stderr "x."
	expect_output '"a"'
	expect_eq a a "a is a"
}
