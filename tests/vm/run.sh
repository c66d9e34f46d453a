#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the module (out of tree, for one Debian kernel) and the tool, boot
# that kernel in QEMU (TCG) on the cached root image with one topology, run
# the tests or a script inside, and judge the result:
#   exit status = the guest's rc, but non-zero if the guest never wrote one,
#   if dmesg has a kernel warning/oops/sanitizer report, or if the kernel is
#   tainted other than O (out-of-tree) and E (unsigned module).
# Results (console.log, output, dmesg, tainted, rc) go to
# build/vm/<abi>-<topology>/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() {
	cat <<EOF
usage: $0 [options]
  --kernel 6.1|6.12|ABI   guest kernel (default 6.1)
  --topology NAME         tests/vm/topology/NAME.sh (default: default)
  --tests LIST            comma-separated globs in tests/guest (default *.bats)
  --script PATH           run PATH (relative to the repo) instead of the tests
  --shell                 interactive shell on the console instead
  --append ARGS           extra kernel command line
  --initrd PATH           boot with this initramfs instead of the root image's
                          (e.g. one a guest test built; adds hvctl_vm.initrd=custom)
  --no-build              use build/kmod and user/hvctl as they are
  --allow-taint-n         also accept taint N (a KUnit test module was loaded)
environment: HVCTL_VM_TIMEOUT (seconds, default 1200), HVCTL_CACHE,
  HVCTL_KERNELS (see kernels.sh)
EOF
}

kernel=6.1 topology=default tests='*.bats' script='' append='' build=1 initrd=
allow_n=0 shell=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel | --topology | --tests | --script | --append | --initrd)
		[[ $# -ge 2 ]] || {
			usage >&2
			exit 2
		}
		declare "${1#--}=$2"
		shift 2
		;;
	--no-build) build=0 && shift ;;
	--allow-taint-n) allow_n=1 && shift ;;
	--shell) shell=1 && shift ;;
	-h | --help) usage && exit 0 ;;
	*) usage >&2 && exit 2 ;;
	esac
done

die() {
	echo "run.sh: $*" >&2
	exit 1
}
log() { echo "run.sh: $*" >&2; }

abi=$("$here/kernels.sh" "$kernel")
topo=$here/topology/$topology.sh
[[ -x $topo ]] || die "no topology '$topology' ($topo)"
timeout_s=${HVCTL_VM_TIMEOUT:-1200}

# One run at a time on this machine (2 cores: a second TCG guest would
# halve both and break their timeouts; a second run would also clobber
# build/ and the results). Released when this script and QEMU exit.
lockdir=${HVCTL_CACHE:-/var/cache/hvctl-test}
mkdir -p "$lockdir"
exec 8>"$lockdir/.vm.lock"
if ! flock -n 8; then
	log "waiting for another run to finish"
	flock 8
fi

# Module: copy the sources out so the tree stays clean and each kernel gets
# its own objects. Kbuild sets -Werror; modpost warnings fail here too.
build_module() {
	local src=$repo/build/kmod-src/$abi hdr=/usr/src/linux-headers-$abi
	[[ -f $repo/Kbuild ]] || die "no Kbuild in $repo (use --no-build)"
	[[ -d $hdr ]] || die "no $hdr (run scripts/deps.sh vm)"
	rm -rf "$src"
	mkdir -p "$src" "$repo/build/kmod/$abi"
	cp -a "$repo/Kbuild" "$repo/kernel" "$repo/include" "$src/"
	# Kbuild reads $(src)/VERSION for the module version string.
	[[ ! -f $repo/VERSION ]] || cp "$repo/VERSION" "$src/"
	log "building hvctl.ko for $abi"
	if ! make -s -C "$hdr" M="$src" -j"$(nproc)" modules >"$src/build.log" 2>&1; then
		cat "$src/build.log" >&2
		die "module build failed for $abi"
	fi
	if grep -E 'warning:|WARNING:' "$src/build.log" >&2; then
		die "module build for $abi has warnings"
	fi
	cp "$src/hvctl.ko" "$repo/build/kmod/$abi/hvctl.ko"
}

if ((build)); then
	build_module
	log "building the tool"
	make -s -C "$repo" tool test-tools || die "'make tool test-tools' failed (use --no-build)"
fi

img_dir=$("$here/mkroot.sh")

# depmod in the guest takes 25 s (6.1) to 60 s (6.12: xz modules) under
# TCG, so index the guest's module tree here, natively, against the copy
# mkroot keeps; guest-init copies the index files in.
index_module() {
	local ko=$repo/build/kmod/$abi/hvctl.ko tree=$repo/build/kmod/$abi/depmod
	local mods=$img_dir/modules/$abi e
	local dst=$tree/lib/modules/$abi
	rm -rf "$tree"
	[[ -f $ko ]] || return 0
	mkdir -p "$dst/updates"
	for e in "$mods"/*; do
		case ${e##*/} in
		modules.order | modules.builtin | modules.builtin.modinfo) cp "$e" "$dst/" ;;
		modules.* | updates) ;; # the index is what we regenerate
		*) [[ ! -d $e ]] || ln -s "$e" "$dst/" ;;
		esac
	done
	cp "$ko" "$dst/updates/"
	# A warning here (unknown symbol...) means modprobe would fail in the guest.
	if ! depmod -b "$tree" "$abi" 2>"$tree/depmod.log" || [[ -s $tree/depmod.log ]]; then
		cat "$tree/depmod.log" >&2
		die "depmod of hvctl.ko for $abi failed or warned"
	fi
}
index_module

res=$repo/build/vm/$abi-$topology
# The initrd may come from the results of the last run, which go now.
boot_initrd=$img_dir/initrd.img-$abi
if [[ -n $initrd ]]; then
	[[ -f $initrd ]] || die "no initrd $initrd"
	boot_initrd=$repo/build/vm/initrd-custom-$abi.img
	[[ $initrd -ef $boot_initrd ]] || cp "$initrd" "$boot_initrd"
fi
rm -rf "$res"
mkdir -p "$res"

export HVCTL_VM_ROOT_IMG=$img_dir/root.img HVCTL_VM_REPO=$repo HVCTL_VM_RESULTS=$res
topo_args=$("$topo") || die "topology $topology failed"
mapfile -t qargs <<<"$topo_args"

# Guest-side limit below the host's, so a hung test still reports.
guest_limit=$((timeout_s > 240 ? timeout_s - 120 : timeout_s / 2))
if ((shell)); then
	action=shell
elif [[ -n $script ]]; then
	[[ -f $repo/$script ]] || die "no script $repo/$script"
	action=script:$script
else
	action=suite
fi
# dd.c debug: every driver bind is logged, ground truth for the tests.
cmdline="root=/dev/vda rw console=ttyS0 intel_iommu=on"
# log_buf_len: the default 128 KiB wraps in bench256, hiding early lines.
cmdline+=" init=/sbin/hvctl-guest-init panic=-1 log_buf_len=8M"
cmdline+=' dyndbg="file drivers/base/dd.c +p"'
cmdline+=" hvctl_vm.test=$action hvctl_vm.tests=$tests hvctl_vm.timeout=$guest_limit"
[[ -z $initrd ]] || cmdline+=" hvctl_vm.initrd=custom"
cmdline+=${append:+ $append}

log "booting $abi, topology $topology, action $action (timeout ${timeout_s}s)"
qemu=(qemu-system-x86_64 -accel tcg -name "hvctl-$abi-$topology"
	-no-user-config -nodefaults -display none -no-reboot
	-kernel "$img_dir/vmlinuz-$abi" -initrd "$boot_initrd"
	-append "$cmdline"
	-chardev "stdio,id=con,signal=on,logfile=${res//,/,,}/console.log"
	-serial chardev:con
	"${qargs[@]}")

t0=$SECONDS
set +e
if ((shell)); then
	timeout --foreground "$timeout_s" "${qemu[@]}"
else
	timeout --kill-after=10 "$timeout_s" "${qemu[@]}" </dev/null
fi
qrc=$?
set -e
elapsed=$((SECONDS - t0))

fail=0
if [[ ! -s $res/rc ]]; then
	((qrc == 124)) && log "QEMU killed after ${timeout_s}s"
	log "guest wrote no rc (QEMU exit $qrc); console tail:"
	tail -n 40 "$res/console.log" >&2 || true
	exit 1
fi
rc=$(<"$res/rc")
log "guest rc=$rc after ${elapsed}s"

# Anything the kernel reports as a bug fails the run, whatever the tests say.
if grep -nE 'BUG:|WARNING:|Oops|KASAN|UBSAN|general protection|Call Trace' \
	"$res/dmesg" >&2; then
	log "FAIL: kernel reported problems (above; full log $res/dmesg)"
	fail=1
fi

taint=$(<"$res/tainted")
allowed=$(((1 << 12) | (1 << 13)))             # O out-of-tree, E unsigned
((allow_n)) && allowed=$((allowed | (1 << 18))) # N test module (KUnit)
if ((taint & ~allowed)); then
	letters=PFSRMBUDAWCIOELKXTN flags=''
	for ((i = 0; i < ${#letters}; i++)); do
		((taint & (1 << i))) && flags+=${letters:i:1}
	done
	log "FAIL: kernel tainted $taint ($flags); allowed: O E$( ((allow_n)) && echo ' N')"
	fail=1
fi

if ((fail)); then
	exit 1
fi
exit "$rc"
