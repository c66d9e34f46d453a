#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-bind: boot the bench64 guest once, let tests/bench/bind-guest.sh
# hand its 64 NICs to vfio-pci and back with bare sysfs writes (the floor),
# hvctl, dpdk-devbind.py and driverctl, and print per tool the median round
# (bind + back), its overhead above the floor, and each peer's overhead
# over hvctl's (target: >= 10).
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
}
END {
	if (!nr["floor"] || !nr["hvctl"] || !nr["dpdk"] || !nr["driverctl"]) {
		print "bench-bind: incomplete results" > "/dev/stderr"
		exit 1
	}
	name["floor"] = "floor (sysfs)"; name["hvctl"] = "hvctl"
	name["dpdk"] = "dpdk-devbind"; name["driverctl"] = "driverctl"
	printf "\nBinding %d NICs (%d IOMMU groups) to vfio-pci and back, TCG guest, kernel %s\n", devs, groups, kernel
	printf "seconds: median of %d rounds; overhead: above the floor\n", nr["hvctl"]
	printf "%-14s %9s %9s %9s %9s\n", "tool", "bind", "back", "total", "overhead"
	f = median("floor", "total")
	split("floor hvctl dpdk driverctl", order, " ")
	for (k = 1; k <= 4; k++) {
		t = order[k]
		tot[t] = median(t, "total")
		ovh[t] = tot[t] - f
		printf "%-14s %9.3f %9.3f %9.3f %9s\n", name[t], median(t, "bind"),
			median(t, "back"), tot[t], t == "floor" ? "-" : sprintf("%.3f", ovh[t])
	}
	print ""
	for (k = 3; k <= 4; k++) {
		t = order[k]
		if (ovh["hvctl"] <= 0)
			printf "%-14s overhead %.3f s; hvctl is within the noise of the floor\n", name[t], ovh[t]
		else
			printf "%-14s overhead / hvctl overhead = %6.1fx (target >= 10x)\n", name[t], ovh[t] / ovh["hvctl"]
	}
}' "$res/bench-bind.txt"
