#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Bind benchmark topology: the default devices plus 64 virtio-net functions
# (8 root ports x 8 functions, one IOMMU group per root port); NICs because
# dpdk-devbind.py refuses device classes it does not know (virtio-rng).
set -euo pipefail
# shellcheck source=tests/vm/qemu-args.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-args.sh"
machine 2
devices
nic_endpoints 64
common
