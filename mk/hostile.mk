# SPDX-License-Identifier: GPL-2.0-only
#
# The adversarial netlink client (tests/tools/nl-hostile.c), built with the
# other guest tools by "make test-tools" and run by
# tests/guest/070-hostile.bats: the table of malformed requests, the
# privilege cases and 20000 random mutations (the fast part, in
# check-guest).  Included by the top-level Makefile.
#
#   make fuzz-netlink   the long random run (HVCTL_FUZZ_COUNT, default
#                       500000 messages; HVCTL_FUZZ_SEED) in a 6.1 guest.
#                       Meant for a debug kernel (KASAN, lockdep,
#                       kmemleak) once the harness has one: run.sh already
#                       fails on any WARN, BUG or sanitizer report.

HVCTL_FUZZ_COUNT ?= 500000
HVCTL_FUZZ_SEED ?= 1

test-tools: build/tools/nl-hostile

# The tool includes the family's UAPI header by a relative path.
build/tools/nl-hostile: include/uapi/linux/hvctl.h

.PHONY: fuzz-netlink

fuzz-netlink:
	bash scripts/deps.sh vm
	tests/vm/run.sh --kernel 6.1 --tests 070-hostile.bats \
		--append "hvctl_hostile.count=$(HVCTL_FUZZ_COUNT) hvctl_hostile.seed=$(HVCTL_FUZZ_SEED)"
