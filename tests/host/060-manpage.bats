#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl(8) and the bash completion against the tool itself.  The ground
# truth is the tool's own help ("hvctl help", "hvctl OBJECT help" for
# every object "hvctl help" names), never a list written here: every
# OBJECT VERB the help shows must be in the man page's SYNOPSIS and
# COMMANDS, and every one the SYNOPSIS shows must be in the help; the
# same for the words each command takes, the options and the exit
# statuses.  The completion must offer the objects, verbs and options the
# help lists, and the addresses and groups sysfs has.

load helpers

MANPAGE=$HVCTL_TOP/Documentation/hvctl.8
COMPLETION=$HVCTL_TOP/scripts/hvctl.bash-completion

setup_file() {
	build_hvctl
}

# man-db and groff-base are host packages (scripts/deps.sh host).
setup() {
	if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
		echo "FAIL: man or groff missing: bash scripts/deps.sh host" >&2
		return 1
	fi
}

# The man page as text: ASCII, no line wrapped.
render_man() {
	LC_ALL=C MANWIDTH=1000 man -l "$MANPAGE"
}

# man_section NAME: the rendered lines of section NAME, without its heading
man_section() {
	render_man | awk -v s="$1" '
		/^[A-Z]/ { on = ($0 == s); next }
		on'
}

# The usage text of the tool: "hvctl help" and "hvctl OBJECT help" for
# every object in its "OBJECT := { ... }" line.
tool_objects() {
	"$HVCTL" help | sed -n 's/^.*OBJECT := {\(.*\)}.*$/\1/p' |
		tr '|' ' ' | tr -s ' ' '\n' | grep .
}

tool_usage() {
	local o
	"$HVCTL" help || return 1
	for o in $(tool_objects); do
		"$HVCTL" "$o" help || return 1
	done
}

# Command lines of a usage text or a SYNOPSIS on stdin, one per line as
# "KEY<TAB>WORDS": KEY is "OBJECT VERB" (or "OBJECT" when no verb
# follows; "X help" for any object X is "OBJECT help"), WORDS the
# options and keywords the line shows, sorted.
command_lines() {
	awk '
	{
		line = $0
		sub(/^Usage:/, "", line)
		if (line !~ /^[ \t]*hvctl[ \t]/)
			next
		gsub(/[][{}|]/, " ", line)
		n = split(line, t, " ")
		kw = ""
		for (i = 2; i <= n && (t[i] ~ /^-/ || t[i] == "OPTIONS"); i++)
			if (t[i] ~ /^-/)
				kw = kw " " t[i]
		obj = t[i++]
		verb = ""
		if (i <= n && t[i] ~ /^[a-z]+$/)
			verb = t[i++]
		for (; i <= n; i++)
			if (t[i] ~ /^(--?[A-Za-z][A-Za-z0-9-]*|[a-z][a-z0-9-]*)$/)
				kw = kw " " t[i]
		key = verb == "" ? obj : obj " " verb
		if (verb == "help" && obj != "help")
			key = "OBJECT help"
		m = split(kw, k, " ")
		out = ""
		for (a = 1; a <= m; a++)
			for (b = a + 1; b <= m; b++)
				if (k[b] < k[a]) { x = k[a]; k[a] = k[b]; k[b] = x }
		for (a = 1; a <= m; a++)
			if (a == 1 || k[a] != k[a - 1])
				out = out (out == "" ? "" : " ") k[a]
		print key "\t" out
	}'
}

tool_lines() {
	tool_usage | command_lines
}

man_lines() {
	man_section SYNOPSIS | command_lines
}

# The options of "hvctl help" (its Options: list), one per line.
tool_options() {
	"$HVCTL" help | awk '
		/^Options:/ { on = 1; next }
		on && /^$/ { exit }
		on { for (i = 1; i <= NF && $i ~ /^-/; i++) { sub(/,$/, "", $i); print $i } }'
}

# The exit statuses of "hvctl help" (its Exit status: list), one per line.
tool_exit_codes() {
	"$HVCTL" help | awk '
		/^Exit status:/ { on = 1; next }
		on && /^  [0-9]+  / { print $1 }'
}

# words_of KEY FILE: the union of the WORDS of KEY's lines in FILE
words_of() {
	awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$2" | tr ' ' '\n' | grep . |
		sort -u
}

# expect_same_sets A_FILE B_FILE WHAT: the lines of A and B, as sets, agree
expect_same_sets() {
	local only_a only_b
	only_a=$(comm -23 <(sort -u "$1") <(sort -u "$2"))
	only_b=$(comm -13 <(sort -u "$1") <(sort -u "$2"))
	if [[ -n $only_a || -n $only_b ]]; then
		echo "FAIL: $3" >&2
		[[ -z $only_a ]] || echo "  only in $(basename "$1"): $(paste -sd' ' <<<"$only_a")" >&2
		[[ -z $only_b ]] || echo "  only in $(basename "$2"): $(paste -sd' ' <<<"$only_b")" >&2
		return 1
	fi
}

@test "man --warnings: the man page formats without a warning" {
	local lang
	# ASCII and UTF-8 take different paths through groff.
	for lang in C C.UTF-8; do
		echo "\$ LC_ALL=$lang man --warnings -l Documentation/hvctl.8"
		run --separate-stderr env LC_ALL=$lang man --warnings -l "$MANPAGE"
		echo "[ rc=$status ]"
		[[ -z $stderr ]] || printf 'stderr: %s\n' "$stderr"
		expect_eq "$status" 0 "man exit status ($lang)"
		expect_eq "$stderr" "" "man --warnings prints nothing on stderr ($lang)"
		expect_output "SYNOPSIS" "the rendered page"
	done
}

@test "the tool's help lists commands, options and exit statuses (test precondition)" {
	tool_lines >"$BATS_TEST_TMPDIR/tool"
	cat "$BATS_TEST_TMPDIR/tool"
	# Not a hard-coded list: only that the parser found something of each.
	[[ $(tool_objects | wc -l) -ge 2 ]]
	[[ $(cut -f1 "$BATS_TEST_TMPDIR/tool" | grep -c ' ') -ge 5 ]]
	[[ $(tool_options | wc -l) -ge 4 ]]
	[[ $(tool_exit_codes | wc -l) -ge 3 ]]
}

@test "SYNOPSIS: every OBJECT VERB of the tool's help, and no other" {
	tool_lines | cut -f1 | sort -u >"$BATS_TEST_TMPDIR/tool-help"
	man_lines | cut -f1 | sort -u >"$BATS_TEST_TMPDIR/hvctl.8"
	echo "tool: $(paste -sd, "$BATS_TEST_TMPDIR/tool-help")"
	echo "man:  $(paste -sd, "$BATS_TEST_TMPDIR/hvctl.8")"
	expect_same_sets "$BATS_TEST_TMPDIR/tool-help" "$BATS_TEST_TMPDIR/hvctl.8" \
		"the commands of the tool's help and of the man page's SYNOPSIS differ"
}

@test "SYNOPSIS: each command takes the keywords and options the tool's help shows" {
	local tool=$BATS_TEST_TMPDIR/tool man=$BATS_TEST_TMPDIR/man key missing
	local globals=$BATS_TEST_TMPDIR/globals bad=0
	tool_lines >"$tool"
	man_lines >"$man"
	tool_options | sort -u >"$globals"
	while IFS= read -r key; do
		# What the help shows must be in the man page...
		missing=$(comm -23 <(words_of "$key" "$tool") <(words_of "$key" "$man"))
		if [[ -n $missing ]]; then
			echo "FAIL: hvctl $key: the man page lacks: $(paste -sd" " <<<"$missing")" >&2
			bad=1
		fi
		# ... and the man page shows nothing else but global options.
		missing=$(comm -23 <(words_of "$key" "$man") \
			<(sort -u <(words_of "$key" "$tool") "$globals"))
		if [[ -n $missing ]]; then
			echo "FAIL: hvctl $key: the tool's help has no: $(paste -sd" " <<<"$missing")" >&2
			bad=1
		fi
	done < <(cut -f1 "$tool" | sort -u)
	((bad == 0))
}

@test "COMMANDS: a paragraph for every OBJECT VERB of the tool's help" {
	local key bad=0 commands
	commands=$(man_section COMMANDS)
	while IFS= read -r key; do
		[[ $key == OBJECT ]] && continue
		if ! grep -Eq "^       ${key}( |\$)" <<<"$commands"; then
			echo "FAIL: no paragraph for \"$key\" in COMMANDS" >&2
			bad=1
		fi
	done < <(tool_lines | cut -f1 | sort -u)
	((bad == 0))
}

@test "OPTIONS and EXIT STATUS: those of hvctl help, and no others" {
	tool_options | sort -u >"$BATS_TEST_TMPDIR/tool-options"
	man_section OPTIONS | awk '/^       -/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) print $i }' |
		sort -u >"$BATS_TEST_TMPDIR/man-options"
	expect_same_sets "$BATS_TEST_TMPDIR/tool-options" \
		"$BATS_TEST_TMPDIR/man-options" "options"
	tool_exit_codes | sort -u >"$BATS_TEST_TMPDIR/tool-exit"
	man_section "EXIT STATUS" | awk '/^       [0-9]+ / { print $1 }' |
		sort -u >"$BATS_TEST_TMPDIR/man-exit"
	expect_same_sets "$BATS_TEST_TMPDIR/tool-exit" \
		"$BATS_TEST_TMPDIR/man-exit" "exit statuses"
}

@test "the man page's footer carries the tool's version" {
	run_hvctl -V
	render_man | tail -n 1 | grep -F "$output"
}

@test "the completion script is shellcheck-clean" {
	shellcheck -s bash "$COMPLETION"
}

# complete LINE: COMPREPLY, sorted, for the cursor at the end of LINE,
# with COMP_WORDS and COMP_CWORD split as bash splits them (at blanks and
# at each ':' of COMP_WORDBREAKS), COMP_LINE and COMP_POINT as bash sets
# them.  With COMP_ONLY_WORDS=1, only COMP_WORDS and COMP_CWORD.
complete_line() {
	HVCTL_LINE=$1 bash -c '
		source "$1" || exit 1
		[[ -z ${2-} ]] || _hvctl_sys=$2
		line=$HVCTL_LINE
		COMP_WORDS=()
		rest=$line
		while [[ -n $rest ]]; do
			rest=${rest#"${rest%%[! ]*}"}
			[[ -z $rest ]] && break
			if [[ $rest == :* ]]; then
				COMP_WORDS+=(":")
				rest=${rest#:}
			else
				w=${rest%%[ :]*}
				COMP_WORDS+=("$w")
				rest=${rest#"$w"}
			fi
		done
		[[ $line == *" " || $line == *: ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		if [[ ${COMP_ONLY_WORDS-} != 1 ]]; then
			COMP_LINE=$line
			COMP_POINT=${#line}
		fi
		COMP_WORDBREAKS=${COMP_WORDBREAKS-"\"'\''><=;|&(:"}
		_hvctl
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' bash "$COMPLETION" "${2-}"
}

# expect_completion LINE EXPECTED... [-- SYSFS]
expect_completion() {
	local line=$1 got want
	shift
	got=$(complete_line "$line" "${SYSFS-}")
	want=$(printf '%s\n' "$@" | sort)
	echo "complete \"$line\": $(paste -sd' ' <<<"$got")"
	expect_eq "$got" "$want" "completion of \"$line\""
}

@test "completion: hvctl d completes to dev, objects and options from the help" {
	expect_completion "hvctl d" dev
	COMP_ONLY_WORDS=1 expect_completion "hvctl d" dev
	# shellcheck disable=SC2046 # one word each
	expect_completion "hvctl " $(tool_objects) help
	# shellcheck disable=SC2046
	expect_completion "hvctl -" $(tool_options)
	# shellcheck disable=SC2046
	expect_completion "hvctl -j --dry-run " $(tool_objects) help
}

@test "completion: every object's verbs are those of its help" {
	local o
	for o in $(tool_objects); do
		# "OBJECT help" always works ("hvctl help": OBJECT { COMMAND | help }).
		# shellcheck disable=SC2046
		expect_completion "hvctl $o " $(tool_usage | command_lines | cut -f1 |
			awk -v o="$o" '$1 == o && NF == 2 { print $2 }' | sort -u) help
	done
	# Abbreviated objects, as the tool takes them.
	# shellcheck disable=SC2046
	expect_completion "hvctl hu " $("$HVCTL" hugepages help | command_lines |
		cut -f1 | awk '$1 == "hugepages" && NF == 2 { print $2 }' | sort -u) help
	expect_completion "hvctl dev b" bind
}

@test "completion: selectors complete to the PCI addresses and groups of sysfs" {
	local sys=$BATS_TEST_TMPDIR/sys a
	mkdir -p "$sys/kernel/iommu_groups/"{0,3,12} "$sys/bus/pci/slots/4"
	for a in 0000:00:00.0=8086:29c0 0000:01:00.0=10de:2204 0000:01:00.1=10de:1aef; do
		mkdir -p "$sys/bus/pci/devices/${a%=*}"
		echo "0x${a#*=}" | cut -d: -f1 >"$sys/bus/pci/devices/${a%=*}/vendor"
		echo "0x${a##*:}" >"$sys/bus/pci/devices/${a%=*}/device"
	done
	SYSFS=$sys expect_completion "hvctl dev bind addr " \
		0000:00:00.0 0000:01:00.0 0000:01:00.1
	SYSFS=$sys expect_completion "hvctl dev bind " \
		addr id serial slot 0000:00:00.0 0000:01:00.0 0000:01:00.1
	SYSFS=$sys expect_completion "hvctl dev show id " 10de:1aef 10de:2204 8086:29c0
	SYSFS=$sys expect_completion "hvctl boot add slot " 4
	SYSFS=$sys expect_completion "hvctl group bind " 0 12 3
	SYSFS=$sys expect_completion "hvctl group show 1" 12
	# bash splits at ':'; readline replaces what follows the last one.
	SYSFS=$sys expect_completion "hvctl dev bind 0000:01:" 00.0 00.1
	SYSFS=$sys expect_completion "hvctl dev unbind 0000:01:00.1 " nogroup
	SYSFS=$sys expect_completion "hvctl dev bind 01:00.1 driver " \
		pci-stub vfio-pci
}

@test "completion: on this host, dev selectors are /sys/bus/pci/devices" {
	local want
	want=$(find /sys/bus/pci/devices/ -mindepth 1 -maxdepth 1 -printf '%f\n')
	[[ -n $want ]] || skip "no PCI devices in /sys/bus/pci/devices"
	# shellcheck disable=SC2086
	expect_completion "hvctl dev bind addr " $want
}

@test "make install puts the man page and the completion in place" {
	local d=$BATS_TEST_TMPDIR/root
	make -s -C "$HVCTL_TOP" install-doc DESTDIR="$d" PREFIX=/usr/local \
		BASHCOMPDIR=/usr/share/bash-completion/completions
	cmp "$MANPAGE" "$d/usr/local/share/man/man8/hvctl.8"
	cmp "$COMPLETION" "$d/usr/share/bash-completion/completions/hvctl"
	# and "make install" runs it
	make -C "$HVCTL_TOP" -pq __none__ 2>/dev/null | grep -E '^install:.* install-doc'
}
