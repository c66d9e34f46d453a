#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in the default guest (tests/vm/run.sh --script): asks for 1 GiB
# pages on node 1 with each tool, under the same memory conditions made by
# build/tools/memhold, and writes /results/bench-hugepages.txt, one line a
# run: "row SCENARIO TOOL ASK RC NODE0 NODE1 SECONDS" (NODEn: the 1 GiB
# pages each node's pool holds right after the tool returned, from sysfs).
#   loaded      node 1 has about 2.5 GiB free; 2 pages asked
#   fragmented  node 1 has about 1.8 GiB free in 64 MiB holes between
#               pages a process holds; 2 pages asked
#   overask     as loaded, 3 pages asked: more than fit
# Booted with hugepagesz= on the command line, it records what the kernel
# gave at boot instead ("row cmdline kernel 0 NODE0 NODE1 0").
set -euo pipefail

out=/results/bench-hugepages.txt
kb=1048576
hold=/hvctl/build/tools/memhold
: >"$out"

nr() {
	cat "/sys/devices/system/node/node$1/hugepages/hugepages-${kb}kB/nr_hugepages"
}
reset() {
	local n
	for n in 0 1; do
		echo 0 >"/sys/devices/system/node/node$n/hugepages/hugepages-${kb}kB/nr_hugepages"
	done
	[[ $(nr 0) == 0 && $(nr 1) == 0 ]]
}
free_mib() {
	awk '/MemFree/ { print int($4 / 1024) }' /sys/devices/system/node/node1/meminfo
}

if grep -qw 'hugepagesz=1G' /proc/cmdline; then
	want=$(grep -o 'hugepages=1:[0-9]*' /proc/cmdline | tail -n 1 | cut -d: -f2)
	echo "row cmdline kernel ${want:-0} 0 $(nr 0) $(nr 1) 0" >>"$out"
	echo "asked $(grep -o 'hugepages=[^ ]*' /proc/cmdline | tail -n 1)" >>"$out"
	exit 0
fi

modprobe hvctl
reset

# run_tool TOOL: the tool's request for $ask 1 GiB pages on node 1
run_tool() {
	case $1 in
	sysfs) echo "$ask" >"/sys/devices/system/node/node1/hugepages/hugepages-${kb}kB/nr_hugepages" ;;
	hvctl) hvctl hugepages reserve bench size 1G count "$ask" node 1 ;;
	dpdk) dpdk-hugepages.py -p 1G -n 1 -r "${ask}G" ;;
	# hugeadm has no node option: its pool is the global one.
	hugeadm) hugeadm --pool-pages-min "1G:$ask" ;;
	esac
}

for scenario in loaded fragmented overask; do
	ask=2
	[[ $scenario != overask ]] || ask=3
	for tool in sysfs hvctl dpdk hugeadm; do
		reset
		sync
		echo 3 >/proc/sys/vm/drop_caches
		f=$(free_mib)
		if [[ $scenario != fragmented ]]; then
			"$hold" 1 $((f - 2560)) >/dev/shm/hold.out &
		else
			# Hold nearly all, then give back every other 64 MiB.
			"$hold" 1 $((f - 128)) 64 >/dev/shm/hold.out &
		fi
		pid=$!
		until grep -q held /dev/shm/hold.out 2>/dev/null; do
			kill -0 "$pid" || { echo "memhold failed" >&2; exit 1; }
			sleep 0.2
		done
		echo "free $scenario $tool $(free_mib)" >>"$out"
		t0=$(date +%s.%N)
		rc=0
		run_tool "$tool" >/dev/shm/tool.out 2>&1 || rc=$?
		t1=$(date +%s.%N)
		echo "row $scenario $tool $ask $rc $(nr 0) $(nr 1) $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" >>"$out"
		sed "s/^/# $tool: /" /dev/shm/tool.out | tail -n 3 >>"$out"
		[[ $tool != hvctl || $rc != 0 ]] || hvctl hugepages release bench >/dev/null
		kill "$pid"
		wait "$pid" 2>/dev/null || true
	done
done
reset
