#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-bind: boot the bench64 guest once, let tests/bench/bind-guest.sh
# hand its 64 NICs to vfio-pci and back with bare sysfs writes (the floor),
# hvctl, dpdk-devbind.py and driverctl, and print per tool the median round
# (bind + back), its overhead above the floor, and each peer's overhead
# over hvctl's (target: >= 10). Overhead two ways: median total minus the
# floor's median total, and the median of per-round differences (each
# round runs every tool once, so a slow spell of the host hits both).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${HVCTL_BENCH_KERNEL:-6.1}
abi=$("$top/tests/vm/kernels.sh" "$kernel")
res=$top/build/vm/$abi-bench64

"$top/tests/vm/run.sh" --kernel "$kernel" --topology bench64 \
	--script tests/bench/bind-guest.sh >/dev/null

awk -v kernel="$kernel" '
function median(tool, col,   n, i, j, v, t) {
	n = nr[tool]
	for (i = 1; i <= n; i++) v[i] = val[tool, i, col]
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
$1 == "devices" { devs = $2 }
$1 == "groups" { groups = $2 }
$1 == "round" {
	i = ++nr[$2]
	val[$2, i, "bind"] = $4
	val[$2, i, "back"] = $5
	val[$2, i, "total"] = $4 + $5
	round[$2, $3] = $4 + $5
}
END {
	if (!nr["floor"] || !nr["hvctl"] || !nr["dpdk"] || !nr["driverctl"]) {
		print "bench-bind: incomplete results" > "/dev/stderr"
		exit 1
	}
	name["floor"] = "floor (sysfs)"; name["hvctl"] = "hvctl"
	name["dpdk"] = "dpdk-devbind"; name["driverctl"] = "driverctl"
	printf "\nBinding %d NICs (%d IOMMU groups) to vfio-pci and back, TCG guest, kernel %s\n", devs, groups, kernel
	printf "seconds, median of %d rounds; overhead: minus the median floor; paired: median of per-round differences\n", nr["hvctl"]
	printf "%-14s %9s %9s %9s %9s %9s\n", "tool", "bind", "back", "total",
		"overhead", "paired"
	f = median("floor", "total")
	split("floor hvctl dpdk driverctl", order, " ")
	for (k = 1; k <= 4; k++) {
		t = order[k]
		tot[t] = median(t, "total")
		ovh[t] = tot[t] - f
		for (r = 1; r <= nr[t]; r++)
			val[t, r, "paired"] = round[t, r] - round["floor", r]
		pair[t] = median(t, "paired")
		printf "%-14s %9.3f %9.3f %9.3f %9s %9s\n", name[t], median(t, "bind"),
			median(t, "back"), tot[t],
			t == "floor" ? "-" : sprintf("%.3f", ovh[t]),
			t == "floor" ? "-" : sprintf("%.3f", pair[t])
	}
	print ""
	for (k = 3; k <= 4; k++) {
		t = order[k]
		if (ovh["hvctl"] <= 0 || pair["hvctl"] <= 0)
			printf "%-14s overhead %.3f s; hvctl is within the noise of the floor\n", name[t], ovh[t]
		else
			printf "%-14s overhead / hvctl overhead = %5.1fx, paired %5.1fx (target >= 10x)\n",
				name[t], ovh[t] / ovh["hvctl"], pair[t] / pair["hvctl"]
	}
}' "$res/bench-bind.txt"
