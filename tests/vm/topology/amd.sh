#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The default devices behind QEMU's AMD IOMMU (an IVRS table, no DMAR):
# hvctl check's verdict on an AMD-Vi host (tests/guest/060-check.bats).
set -euo pipefail
# shellcheck source=tests/vm/qemu-args.sh
. "$(dirname "${BASH_SOURCE[0]}")/../qemu-args.sh"
machine 4 none
devices
common
amd_iommu
