#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The test topology: 8 GiB in two NUMA nodes, VT-d, a GPU-like card
# (VGA + HDMI-audio functions), two NICs behind a PCIe-to-PCI bridge, an
# e1000e with a DSN, an NVMe controller with SR-IOV, a test device
# behind a root port without ACS, and a PCI test device with a corrupted
# option ROM (rom_devices).
set -euo pipefail
# shellcheck source=tests/vm/qemu-args.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-args.sh"
machine 4
devices
no_acs_port
rom_devices
common
