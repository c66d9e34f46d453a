#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark topology: the default devices plus 32 virtio-rng functions
# (4 root ports x 8 functions); 4 GiB is enough, still two nodes.
set -euo pipefail
# shellcheck source=tests/vm/qemu-args.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-args.sh"
machine 2
devices
rng_endpoints 32
common
