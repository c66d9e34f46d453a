#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (or reuse) the cached Debian bookworm guest root for the VM tests and
# print the directory that holds it:
#   root.img                 ext4, sparse, booted with snapshot=on
#   vmlinuz-ABI initrd.img-ABI   for both kernel lines (tests/vm/kernels.sh)
#   modules/ABI/             copy of the guest's /lib/modules/ABI, so run.sh
#                            can run depmod natively (25-60 s under TCG)
#
# The cache lives outside the repo (${HVCTL_CACHE:-/var/cache/hvctl-test}) and
# is keyed by the package list, this script and the kernel ABIs, so it is
# rebuilt only when one of them changes. Needs root (debootstrap, chroot).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${HVCTL_CACHE:-/var/cache/hvctl-test}

# Guest userspace: what the tests and the tool need, plus the peer tools
# (dpdk-devbind.py, driverctl) the benchmarks compare against.
packages=(kmod udev initramfs-tools busybox bats bats-assert bats-support jq
	pciutils iproute2 procps util-linux libcap2-bin libnl-3-200
	libnl-genl-3-200 libpci3 libkmod2 python3 dpdk driverctl e2fsprogs
	zstd # initramfs-tools falls back to slower gzip without it
	dracut-core       # the dracut module's test (beside initramfs-tools)
	libhugetlbfs-bin  # hugeadm: the huge page peer
	qemu-system-x86)  # a real VFIO user: a nested guest gets the device

mapfile -t kernels < <("$here/kernels.sh")
[[ ${#kernels[@]} -eq 2 ]] || {
	echo "mkroot.sh: kernels.sh gave no kernels" >&2
	exit 1
}

key=$({
	printf '%s\n' "${packages[@]}" "${kernels[@]}"
	cat "${BASH_SOURCE[0]}"
} | sha256sum | cut -c1-16)
out=$cache/root-$key

log() { echo "mkroot.sh: $*" >&2; }

mkdir -p "$cache"
# One builder at a time; a second caller waits and then reuses the result.
exec 9>"$cache/.lock"
flock 9

if [[ -f $out/done ]]; then
	touch "$out/done" # last use, for pruning below
	echo "$out"
	exit 0
fi

[[ $(id -u) -eq 0 ]] || {
	log "building the guest root needs root (debootstrap, chroot)"
	exit 1
}

# Debian sites the host's apt uses, as "SITE SUITE COMPONENT" lines
# (sources.list and deb822 alike); third-party repositories are left out.
host_sources() {
	# shellcheck disable=SC2016 # apt's own $(FIELD) syntax, not shell
	apt-get indextargets --format '$(SITE) $(RELEASE) $(COMPONENT)' \
		'Identifier: Packages' 2>/dev/null |
		awk '$2 ~ /^bookworm(-updates|-security)?$/' | sort -u
}
mirror=${HVCTL_MIRROR:-$(host_sources | awk '$2 == "bookworm" { print $1; exit }')}
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d "$cache/.build.XXXXXX")
root=$work/root
mounted=()
steplog=$work/debootstrap.log # the log a failure report shows

umount_all() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
	done
	mounted=()
}

cleanup() {
	local rc=$?
	umount_all
	if [[ $rc -ne 0 ]]; then
		log "failed (rc=$rc), end of ${steplog##*/}:"
		tail -n 30 "$steplog" >&2 2>/dev/null || true
	fi
	# --one-file-system: never descend into a bind mount of the host's /dev.
	if [[ -d $work ]] && ! findmnt -rn -o TARGET | grep -q "^$work/"; then
		rm -rf --one-file-system "$work"
	fi
}
trap cleanup EXIT

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

t0=$SECONDS
log "building $out (kernels ${kernels[*]}, mirror $mirror)"

log "debootstrap"
debootstrap --variant=minbase --components=main bookworm "$root" "$mirror" \
	>"$work/debootstrap.log" 2>&1

# The host's Debian sources (bookworm-security carries the current kernel ABI).
host_sources | awk '{ print "deb " $1 " " $2 " " $3 }' >"$root/etc/apt/sources.list"
[[ -s $root/etc/apt/sources.list ]] ||
	echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No daemons may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# No docs, man pages or translations: smaller image, faster mkfs.
cat >"$root/etc/dpkg/dpkg.cfg.d/01-hvctl-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
EOF

for fs in proc sys dev; do
	case $fs in
	proc) mount -t proc proc "$root/proc" ;;
	sys) mount -t sysfs sysfs "$root/sys" ;;
	dev) mount --bind /dev "$root/dev" ;;
	esac
	mounted+=("$root/$fs")
done

apt_get() { in_root apt-get -y -q --no-install-recommends "$@"; }

log "apt-get install (userspace)"
steplog=$work/apt.log
{
	apt_get update
	apt_get install "${packages[@]}"
} >"$work/apt.log" 2>&1

# Root is on virtio-blk: force its drivers into the initramfs and load them
# early, whatever udev in the initramfs decides. No swap, no resume device.
printf '%s\n' virtio_pci virtio_blk ext4 >>"$root/etc/initramfs-tools/modules"
echo RESUME=none >"$root/etc/initramfs-tools/conf.d/resume"

log "apt-get install (kernels; their postinst builds the initramfs)"
steplog=$work/kernel.log
apt_get install "${kernels[@]/#/linux-image-}" >"$steplog" 2>&1 || {
	log "cannot install linux-image-{${kernels[*]}}: are the host's apt" \
		"lists current (apt-get update)? kernels.sh resolves ABIs from them"
	exit 1
}
for k in "${kernels[@]}"; do
	[[ -s $root/boot/vmlinuz-$k && -s $root/boot/initrd.img-$k ]] || {
		log "no vmlinuz/initrd for $k in the image"
		exit 1
	}
done

# PID 1 stub: only mounts the shares, the real logic is in the repo
# (tests/vm/guest-init), so it changes without rebuilding this image.
cat >"$root/sbin/hvctl-guest-init" <<'EOF'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hvctl test guest PID 1 stub, installed by tests/vm/mkroot.sh.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mountpoint -q /run || mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mountpoint -q /tmp || mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
modprobe 9pnet_virtio
modprobe 9p
o=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$o,ro" hvctl /hvctl
mount -t 9p -o "$o" results /results
if [ -x /hvctl/tests/vm/guest-init ]; then
	exec /hvctl/tests/vm/guest-init
fi
echo "hvctl-guest-init: cannot run /hvctl/tests/vm/guest-init" >&2
echo 125 >/results/rc
sync
echo o >/proc/sysrq-trigger
sleep 60
EOF
chmod 755 "$root/sbin/hvctl-guest-init"
mkdir -p "$root/hvctl" "$root/results"
echo hvctl-guest >"$root/etc/hostname"
echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$root/etc/fstab"

in_root apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root/usr/sbin/policy-rc.d"
: >"$root/etc/resolv.conf"
umount_all

mkdir -p "$work/out/modules"
for k in "${kernels[@]}"; do
	cp "$root/boot/vmlinuz-$k" "$root/boot/initrd.img-$k" "$work/out/"
	cp -a "$root/lib/modules/$k" "$work/out/modules/"
done

log "mkfs.ext4 -d"
truncate -s 4G "$work/out/root.img"
steplog=$work/mkfs.log
mkfs.ext4 -q -F -L hvctl-root -d "$root" "$work/out/root.img" >"$steplog" 2>&1
rm -rf --one-file-system "$root"
printf '%s\n' "${kernels[@]}" >"$work/out/kernels"
touch "$work/out/done"

# Publish atomically, then drop images of other keys unused for a day (not
# at once: two clones of different versions may share this cache).
mv "$work/out" "$out"
for old in "$cache"/root-*; do
	[[ $old != "$out" && -z $(find "$old/done" -mtime -1 2>/dev/null) ]] ||
		continue
	rm -rf --one-file-system "$old"
done
log "done in $((SECONDS - t0)) s: $(du -sh --apparent-size "$out/root.img" | cut -f1) apparent, $(du -sh "$out/root.img" | cut -f1) used"
echo "$out"
