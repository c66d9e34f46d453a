#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nested.sh DIR ADDR...: boot a nested QEMU (TCG) that receives the PCI
# devices ADDR... as -device vfio-pci: a real VFIO user.  It boots this
# guest's own kernel with a busybox initramfs whose init prints
# "NESTED-PCI VENDOR:DEVICE" for each PCI device it sees, then
# "NESTED-DONE", and powers off.  The nested console goes to DIR/console.log.
# Runs in the test guest (tests/e2e, make demo); about 90 s under TCG.
set -euo pipefail

dir=$1
shift
root=$dir/initramfs
mkdir -p "$root"/{bin,proc,sys,dev}
cp /bin/busybox "$root/bin/"
for lib in $(ldd /bin/busybox | grep -o '/[^ ]*'); do
	mkdir -p "$root${lib%/*}"
	cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
for d in /sys/bus/pci/devices/*; do
	read -r v <"$d/vendor"
	read -r p <"$d/device"
	echo "NESTED-PCI ${v#0x}:${p#0x}"
done
echo NESTED-DONE
/bin/busybox poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.img"

args=()
for a in "$@"; do
	# rombar=0: the nested guest needs no option ROM, and VGA ROMs of
	# emulated cards are not worth the read.
	args+=(-device "vfio-pci,host=$a,rombar=0")
done
exec qemu-system-x86_64 -accel tcg -M q35 -m 256M -nodefaults -nographic \
	-no-reboot -display none -serial "file:$dir/console.log" \
	-kernel "/boot/vmlinuz-$(uname -r)" -initrd "$dir/initramfs.img" \
	-append "console=ttyS0 panic=-1 quiet" "${args[@]}"
