#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs in the bench64 guest (tests/vm/run.sh --script): times handing the
# 64 virtio-net functions to vfio-pci and back to their own driver with
# bare sysfs writes (the floor, build/tools/bind-floor), hvctl,
# dpdk-devbind.py and driverctl, in this one boot. Writes to
# /results/bench-bind.txt the facts ("devices 64", ...) and one line per
# timed round: "round TOOL N BIND_SECONDS BACK_SECONDS".
#
# Every phase is checked in sysfs afterwards (all 64 on vfio-pci, then all
# back on their driver with no override left): a tool that failed quietly
# aborts the benchmark instead of winning it.
set -euo pipefail

out=/results/bench-bind.txt
log=/results/bench-bind.log
err=/dev/shm/bench-bind.err # tools' stderr; tmpfs, so it costs no one
floor=/hvctl/build/tools/bind-floor
target=vfio-pci
warmup=1 rounds=5
: >"$out"
: >"$err"

die() {
	echo "bind-guest: $*" >&2
	echo "bind-guest: $*" >>"$log"
	[[ ! -s $err ]] || {
		echo "--- tools' stderr (tail) ---"
		tail -n 20 "$err"
	} >&2
	exit 1
}

[[ -x $floor ]] || die "no $floor (make test-tools)"
modprobe -a hvctl vfio-pci

# The devices: every modern virtio-net function (1af4:1041); the default
# topology has none, bench64 adds 64.
addrs=()
for d in /sys/bus/pci/devices/*; do
	read -r v <"$d/vendor"
	read -r p <"$d/device"
	[[ $v == 0x1af4 && $p == 0x1041 ]] && addrs+=("${d##*/}")
done
((${#addrs[@]} == 64)) || die "expected 64 virtio-net functions, found ${#addrs[@]} (topology bench64?)"

# drv_of ADDR: the driver sysfs says ADDR is bound to, or "(none)".
drv_of() {
	local l
	l=$(readlink "/sys/bus/pci/devices/$1/driver") || {
		echo "(none)"
		return
	}
	echo "${l##*/}"
}

# Their own driver (virtio-pci; virtio_net then binds the virtio device).
home=$(drv_of "${addrs[0]}")
[[ $home != "(none)" && $home != "$target" ]] || die "${addrs[0]} is on $home at boot"

# The IOMMU groups hvctl binds: they must hold exactly our 64 functions
# (and bridges, which stay), or hvctl would be moving a different set.
declare -A ours=() groups=()
for a in "${addrs[@]}"; do
	ours[$a]=1
	g=$(readlink "/sys/bus/pci/devices/$a/iommu_group") || die "$a is in no IOMMU group"
	groups[${g##*/}]=1
done
mapfile -t group_ids < <(printf '%s\n' "${!groups[@]}" | sort -n)
for g in "${group_ids[@]}"; do
	for m in /sys/kernel/iommu_groups/"$g"/devices/*; do
		m=${m##*/}
		read -r cls <"/sys/bus/pci/devices/$m/class"
		[[ -n ${ours[$m]:-} || $cls == 0x0604* ]] ||
			die "IOMMU group $g also holds $m (class $cls): not a clean benchmark"
	done
done

# on DRIVER: every device is on DRIVER; with "clean", no override is left.
on() {
	local a d o bad=0
	for a in "${addrs[@]}"; do
		d=$(drv_of "$a")
		read -r o <"/sys/bus/pci/devices/$a/driver_override"
		if [[ $d != "$1" ]] || [[ ${2:-} == clean && $o != "(null)" ]]; then
			echo "  $a: driver $d, override $o (want $1${2:+, no override})" >>"$log"
			bad=$((bad + 1))
		fi
	done
	((bad == 0)) || {
		echo "$bad of ${#addrs[@]} devices"
		return 1
	}
}

on "$home" clean >/dev/null || die "not every device starts on $home without override"
{
	echo "kernel $(uname -r)"
	echo "devices ${#addrs[@]}"
	echo "groups ${#group_ids[@]}"
	echo "home $home"
} | tee -a "$out"

# The tools: TOOL bind|back, each one invocation or the loop a user writes.
floor_tool() {
	if [[ $1 == bind ]]; then
		"$floor" "$target" "${addrs[@]}"
	else
		"$floor" --clear "${addrs[@]}"
	fi
}

# hvctl binds one device's group, or one group, per request: no request
# takes a list, so one "group bind" per group (each is a dry run for the
# userspace safety checks, then the transaction).
hvctl_tool() {
	local g
	for g in "${group_ids[@]}"; do
		if [[ $1 == bind ]]; then
			hvctl group bind "$g" driver "$target" || return
		else
			hvctl group unbind "$g" || return
		fi
	done
}

dpdk_tool() {
	if [[ $1 == bind ]]; then
		dpdk-devbind.py -b "$target" "${addrs[@]}"
	else
		dpdk-devbind.py -b "$home" "${addrs[@]}"
	fi
}

driverctl_tool() {
	local a
	for a in "${addrs[@]}"; do
		if [[ $1 == bind ]]; then
			driverctl set-override "$a" "$target" || return
		else
			driverctl unset-override "$a" || return
		fi
	done
}

# phase TOOL bind|back: run it, print its wall time in microseconds, then
# (untimed) let udev finish and check sysfs.
phase() {
	local tool=$1 what=$2 t0 t1 st=0 bad
	echo "== $tool $what" >>"$err"
	t0=${EPOCHREALTIME/./}
	"${tool}_tool" "$what" >/dev/null 2>>"$err" || st=$?
	t1=${EPOCHREALTIME/./}
	udevadm settle --timeout=120 || true
	((st == 0)) || die "$tool $what exited with status $st"
	if [[ $what == bind ]]; then
		bad=$(on "$target") ||
			die "after $tool bind, $bad are not on $target (see $log)"
	else
		bad=$(on "$home" clean) ||
			die "after $tool back, $bad are not on $home without override (see $log)"
	fi
	echo $((t1 - t0))
}

secs() { printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }

tools=(floor hvctl dpdk driverctl)
for ((r = 1 - warmup; r <= rounds; r++)); do
	# Rotate the order each round: no tool always runs right after another.
	for ((i = 0; i < ${#tools[@]}; i++)); do
		t=${tools[(i + r + warmup) % ${#tools[@]}]}
		b=$(phase "$t" bind)
		k=$(phase "$t" back)
		line="$t $r $(secs "$b") $(secs "$k")"
		if ((r < 1)); then
			echo "warm-up $line" >>"$log"
		else
			echo "round $line" | tee -a "$out"
		fi
	done
done
cp "$err" /results/bench-bind.err
