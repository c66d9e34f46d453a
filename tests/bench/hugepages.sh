#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-hugepages: 1 GiB pages on node 1, asked of the plain sysfs
# write, hvctl, dpdk-hugepages.py and hugeadm in one boot under the same
# memory conditions (tests/bench/hugepages-guest.sh), then a boot with the
# kernel command line hvctl boot apply writes for the same pages.  Prints
# per run what each node's pool held afterwards, whether the tool left a
# partial pool (some pages, fewer than asked), and its time.
# Targets: never a partial pool from hvctl; at runtime at least as many
# pages as the best peer; 100% from the command line (asked for the 2
# pages the runtime rows ask; 3 of a 4 GiB node do not fit even at boot).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${HVCTL_BENCH_KERNEL:-6.1}
abi=$("$top/tests/vm/kernels.sh" "$kernel")
res=$top/build/vm/$abi-default

# HVCTL_BENCH_REPORT=1: only print the table of the last run's files.
if [[ -z ${HVCTL_BENCH_REPORT:-} ]]; then
	"$top/tests/vm/run.sh" --kernel "$kernel" --topology default \
		--script tests/bench/hugepages-guest.sh >/dev/null
	cp "$res/bench-hugepages.txt" "$top/build/bench-hugepages-runtime.txt"
	"$top/tests/vm/run.sh" --kernel "$kernel" --topology default --no-build \
		--append "hugepagesz=1G hugepages=1:2" \
		--script tests/bench/hugepages-guest.sh >/dev/null
	cp "$res/bench-hugepages.txt" "$top/build/bench-hugepages-cmdline.txt"
fi

cat "$top/build/bench-hugepages-runtime.txt" "$top/build/bench-hugepages-cmdline.txt" |
	awk -v kernel="$kernel" '
$1 == "free" { free[$2, $3] = $4 }
$1 == "row" {
	n++; sc[n] = $2; tool[n] = $3; ask[n] = $4; rc[n] = $5; n0[n] = $6; n1[n] = $7; t[n] = $8
}
END {
	printf "1 GiB pages asked on node 1 (Debian %s kernel, TCG; hugeadm has no node option)\n\n", kernel
	printf "%-11s %-9s %4s %5s %9s %6s %6s %-8s %7s\n", "scenario", "tool", "ask", "exit",
		"free MiB", "node0", "node1", "partial", "seconds"
	for (i = 1; i <= n; i++) {
		got = n0[i] + n1[i]
		partial = (got > 0 && got < ask[i]) ? "PARTIAL" : "no"
		if (sc[i] == "cmdline") partial = "-"
		fm = "-"
		if ((sc[i], tool[i]) in free) fm = free[sc[i], tool[i]]
		printf "%-11s %-9s %4d %5s %9s %6d %6d %-8s %7.2f\n", sc[i], tool[i], ask[i], rc[i],
			fm, n0[i], n1[i], partial, t[i]
		if (tool[i] == "hvctl" && partial == "PARTIAL") bad = 1
		# Complete requests on node 1: what a VM pinned to node 1 can use.
		full = n1[i] == ask[i]
		if (sc[i] != "cmdline" && tool[i] != "hvctl" && full) best[sc[i]] = 1
		if (sc[i] != "cmdline" && !(sc[i] in best)) best[sc[i]] = best[sc[i]] + 0
		if (tool[i] == "hvctl") hv[sc[i]] = full
		if (sc[i] == "cmdline") { cmd = n1[i]; cmdask = ask[i] }
	}
	printf "\n"
	for (s in hv)
		printf "%s: hvctl %s the request on node 1; a peer %s: %s\n", s,
			(hv[s] ? "met" : "did not meet"), (best[s] ? "did" : "did not"),
			(hv[s] >= best[s] ? "hvctl at least as good" : "hvctl WORSE")
	if (cmdask)
		printf "command line (hugepages=1:%d): %d of %d on node 1 (%d%%)\n", cmdask, cmd,
			cmdask, 100 * cmd / cmdask
	printf "hvctl partial pools: %s\n", (bad ? "YES (bug)" : "none")
}'
