#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# The real hvctl on a host without the module: it tries to load hvctl.ko
# with libkmod, fails, and says so with exit status 5; it never crashes,
# as root or not.

load helpers

setup_file() {
	build_hvctl
}

setup() {
	if [[ -e /sys/module/hvctl ]]; then
		skip "the hvctl module is loaded on this machine"
	fi
}

# The message and the hint of a failed module load.
expect_module_error() {
	expect_empty_stdout
	expect_stderr "Error: the hvctl kernel module is not loaded and loading it failed: "
	expect_stderr 'Hint: install the module with "make install" or DKMS and check "modinfo hvctl";'
	expect_stderr "Secure Boot"
}

@test "every command that needs the module exits 5 with the module message" {
	local cmd
	for cmd in "group show" "group show 7" "dev show" "dev show 01:00.0" \
		"-j group show" "-p dev show" "g" "d"; do
		# shellcheck disable=SC2086 # the words of the command
		run_hvctl 5 $cmd
		expect_module_error
	done
}

@test "the reason names the module and where it was looked for" {
	run_hvctl 5 group show
	expect_stderr "module hvctl not found in directory /lib/modules/$(uname -r)"
}

@test "as an unprivileged user: exit 5 too, no crash" {
	command -v setpriv >/dev/null || skip "no setpriv"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$HVCTL" group show
	echo "$stderr"
	[ "$status" -eq 5 ]
	expect_module_error
}

@test "no leaks or memory errors on the module path (valgrind)" {
	command -v valgrind >/dev/null || skip "no valgrind"
	run --separate-stderr valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$HVCTL" group show
	echo "$stderr"
	[ "$status" -eq 5 ]
}
