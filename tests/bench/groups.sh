#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench-groups: boot a guest with 32, then 256 extra PCI devices, time
# hvctl against dpdk-devbind.py, driverctl and the shell loop in each boot,
# and print the ratios and hvctl's 256/32 scaling.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${HVCTL_BENCH_KERNEL:-6.1}
abi=$("$top/tests/vm/kernels.sh" "$kernel")

declare -A t
for topo in bench32 bench256; do
	"$top/tests/vm/run.sh" --kernel "$kernel" --topology "$topo" \
		--script tests/bench/groups-guest.sh >/dev/null
	res=$top/build/vm/$abi-$topo/bench.txt
	while read -r tool secs _; do
		t[$topo.$tool]=$secs
	done <"$res"
done

echo
echo "Listing IOMMU groups (seconds per run, TCG guest, kernel $kernel)"
printf '%-14s %12s %12s\n' tool "${t[bench32.devices]} devs" "${t[bench256.devices]} devs"
for tool in hvctl dpdk-devbind driverctl shell-loop; do
	printf '%-14s %12.4f %12.4f\n' "$tool" "${t[bench32.$tool]}" "${t[bench256.$tool]}"
done
echo
for topo in bench32 bench256; do
	for tool in dpdk-devbind driverctl shell-loop; do
		awk -v a="${t[$topo.$tool]}" -v b="${t[$topo.hvctl]}" -v n="$tool" -v s="$topo" \
			'BEGIN { printf "%-9s hvctl is %7.1fx faster than %s\n", s, a / b, n }'
	done
done
awk -v a="${t[bench256.hvctl]}" -v b="${t[bench32.hvctl]}" \
	'BEGIN { printf "hvctl 256/32 cost: %.2fx (target <= 8x)\n", a / b }'
