#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in the guest (tests/vm/run.sh --script): times listing IOMMU groups
# with hvctl and with the tools people use today, in this one boot, and
# writes "tool seconds-per-run runs" lines to /results/bench.txt.
set -euo pipefail

out=/results/bench.txt
: >"$out"

modprobe hvctl
ndev=$(find /sys/bus/pci/devices -mindepth 1 -maxdepth 1 | wc -l)
echo "devices $ndev" >>"$out"

# The classic script from passthrough guides.
shell_loop() {
	local g d
	for g in /sys/kernel/iommu_groups/*; do
		echo "IOMMU group ${g##*/}:"
		for d in "$g"/devices/*; do
			echo -e "\t$(lspci -nns "${d##*/}")"
		done
	done
}

# time_tool NAME RUNS COMMAND...: mean wall time of RUNS runs, after one
# warm-up run so every tool starts with warm caches.
time_tool() {
	local name=$1 runs=$2 i t0 t1
	shift 2
	"$@" >/dev/null
	t0=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do
		"$@" >/dev/null
	done
	t1=$(date +%s%N)
	awk -v n="$name" -v ns=$((t1 - t0)) -v r="$runs" \
		'BEGIN { printf "%s %.6f %d\n", n, ns / r / 1e9, r }' | tee -a "$out"
}

# Sanity: hvctl must see every device sysfs has, or timing it means nothing.
seen=$(hvctl -j group show | jq '[.[].devices[]] | length')
grouped=$(find /sys/kernel/iommu_groups/*/devices -mindepth 1 -maxdepth 1 | wc -l)
if [ "$seen" != "$grouped" ]; then
	echo "hvctl lists $seen grouped devices, sysfs has $grouped" >&2
	exit 1
fi

big=$((ndev > 100))
time_tool hvctl 20 hvctl -j group show
time_tool dpdk-devbind $((big ? 2 : 5)) dpdk-devbind.py --status
time_tool driverctl $((big ? 1 : 3)) driverctl list-devices
time_tool shell-loop $((big ? 1 : 3)) shell_loop
