#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Demo, run in the guest by 'make demo' (placeholder until the tool grows):
# load the module and show what the tool sees.
set -euo pipefail
set -x
modprobe hvctl
hvctl group show
hvctl dev show
