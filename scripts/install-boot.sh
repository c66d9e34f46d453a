#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the initramfs integration (make install-boot; the guest tests
# call it too):  scripts/install-boot.sh [DESTDIR]
# The paths are where each initramfs tool looks, whatever PREFIX is.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../initramfs" && pwd)
dest=${1:-}

inst() { install -D -m "$1" "$src/$2" "$dest$3"; }

inst 0755 initramfs-tools/hooks/hvctl /usr/share/initramfs-tools/hooks/hvctl
inst 0755 initramfs-tools/scripts/init-top/hvctl \
	/usr/share/initramfs-tools/scripts/init-top/hvctl
inst 0755 dracut/90hvctl/module-setup.sh /usr/lib/dracut/modules.d/90hvctl/module-setup.sh
inst 0755 dracut/90hvctl/hvctl-pre-udev.sh \
	/usr/lib/dracut/modules.d/90hvctl/hvctl-pre-udev.sh
inst 0644 mkinitcpio/install/hvctl /usr/lib/initcpio/install/hvctl
inst 0644 mkinitcpio/hooks/hvctl /usr/lib/initcpio/hooks/hvctl
