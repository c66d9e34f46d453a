#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The default devices with no IOMMU at all (no DMAR, no IVRS) and a CPU
# without 1 GiB pages (no pdpe1gb): what hvctl check says and which fix
# it gives on such a host (tests/guest/060-check.bats).
set -euo pipefail
# shellcheck source=tests/vm/qemu-args.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-args.sh"
machine 4 none qemu64
devices
common
