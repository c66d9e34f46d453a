# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# shellcheck disable=SC2154 # $status, $output, $stderr: set by bats' run
#
# Helpers for the host tests (no kernel module needed).
#
# On the host the tool never finds the hvctl family (no module can load
# here); what needs the kernel is tested in the guest (tests/guest).
# Set HVCTL to test another build.

bats_require_minimum_version 1.5.0

HVCTL_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HVCTL=${HVCTL:-$HVCTL_TOP/user/hvctl}

# Build the tool once per file: make is incremental.
build_hvctl() {
	make -s -C "$HVCTL_TOP/user" >&2
}

# _run_bin BINARY [EXPECTED_RC] ARGS...
#   Run BINARY with ARGS; log "$ hvctl ARGS", its stdout, its stderr and
#   "[ rc=N (expected M) ]"; fail unless the exit status is EXPECTED_RC
#   (default 0; "?" takes any).  Leaves $output (stdout), $stderr and
#   $status as bats' run does.
_run_bin() {
	local bin=$1 expected=0
	shift
	if [[ $1 =~ ^([0-9]+|\?)$ ]]; then
		expected=$1
		shift
	fi
	echo "\$ hvctl $*"
	run --separate-stderr "$bin" "$@"
	[[ -z $output ]] || printf '%s\n' "$output"
	[[ -z $stderr ]] || printf '%s\n' "$stderr" | sed 's/^/stderr: /'
	echo "[ rc=$status (expected $expected) ]"
	if [[ $expected != "?" && $status -ne $expected ]]; then
		echo "FAIL: exit status $status, expected $expected" >&2
		return 1
	fi
}

# run_hvctl [EXPECTED_RC] ARGS...: the real hvctl
run_hvctl() {
	_run_bin "$HVCTL" "$@"
}

# expect_stderr TEXT [DESCRIPTION]: stderr contains TEXT
expect_stderr() {
	if [[ $stderr != *"$1"* ]]; then
		echo "FAIL: ${2:-stderr}: expected to contain: $1" >&2
		echo "      got: $stderr" >&2
		return 1
	fi
}

# expect_output TEXT [DESCRIPTION]: stdout contains TEXT
expect_output() {
	if [[ $output != *"$1"* ]]; then
		echo "FAIL: ${2:-stdout}: expected to contain: $1" >&2
		echo "      got: $output" >&2
		return 1
	fi
}

# expect_empty_stdout: nothing on stdout (errors go to stderr only)
expect_empty_stdout() {
	if [[ -n $output ]]; then
		echo "FAIL: expected nothing on stdout, got: $output" >&2
		return 1
	fi
}

# expect_eq ACTUAL EXPECTED DESCRIPTION
expect_eq() {
	if [[ $1 != "$2" ]]; then
		echo "FAIL: $3" >&2
		echo "      expected: $2" >&2
		echo "      actual:   $1" >&2
		return 1
	fi
}

# expect_jq FILTER EXPECTED DESCRIPTION: jq -c FILTER on $output gives EXPECTED
expect_jq() {
	local got
	got=$(jq -c "$1" <<<"$output") || {
		echo "FAIL: $3: jq '$1' failed on: $output" >&2
		return 1
	}
	expect_eq "$got" "$2" "$3 (jq '$1')"
}
