# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel's own linters on the module's sources; included by the
# top-level Makefile (check-host runs both).
#   make check-patch   checkpatch.pl --strict from Debian's linux-source-6.1
#                      on every C file and header of the module, its KUnit
#                      suites and its uapi header; any finding fails
#   make check-sparse  the module built with sparse (C=1) and W=1 against
#                      both guest kernels' headers (tests/vm/kernels.sh), in
#                      copies under build/sparse/; any warning fails
#                      (scripts/check-sparse.sh)

HVCTL_LINT_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

# Only checkpatch.pl and the two files it reads next to itself, unpacked
# from the tarball once and again only when the tarball changes (tar -m:
# the files get the extraction time, not the tarball's old member times).
CHECKPATCH_TARBALL	?= /usr/src/linux-source-6.1.tar.xz
CHECKPATCH_DIR		:= $(HVCTL_LINT_TOP)/build/checkpatch
CHECKPATCH_MEMBERS	:= checkpatch.pl spelling.txt const_structs.checkpatch
CHECKPATCH		:= $(CHECKPATCH_DIR)/checkpatch.pl

# The sources checkpatch sees: the module's files, shared ones included.
# kernel/selector.[ch], hp-ledger.[ch], plan.[ch] and tests/*_cases.h are
# compiled into the tool and the host tests too; they use __u32 and the
# like from <linux/types.h>, which both worlds have and checkpatch accepts,
# so no check is turned off for them.
CHECKPATCH_FILES = $(sort $(wildcard $(HVCTL_LINT_TOP)/kernel/*.c \
	$(HVCTL_LINT_TOP)/kernel/*.h $(HVCTL_LINT_TOP)/kernel/tests/*.c \
	$(HVCTL_LINT_TOP)/kernel/tests/*.h)) \
	$(HVCTL_LINT_TOP)/include/uapi/linux/hvctl.h

.PHONY: check-patch check-sparse

$(CHECKPATCH): $(CHECKPATCH_TARBALL)
	@mkdir -p $(CHECKPATCH_DIR)
	tar -xmf $< -C $(CHECKPATCH_DIR) --strip-components=2 \
		$(addprefix linux-source-6.1/scripts/,$(CHECKPATCH_MEMBERS))

# The tarball comes with linux-source-6.1 (scripts/deps.sh kunit), which
# must be there before make looks at the rule above: a sub-make.
check-patch:
	@bash $(HVCTL_LINT_TOP)/scripts/deps.sh kunit
	@$(MAKE) --no-print-directory -f $(HVCTL_LINT_TOP)/mk/lint.mk \
		check-patch-run

.PHONY: check-patch-run
check-patch-run: $(CHECKPATCH)
	cd $(HVCTL_LINT_TOP) && perl $(CHECKPATCH) --strict --no-tree --terse \
		--show-types -f $(patsubst $(HVCTL_LINT_TOP)/%,%,$(CHECKPATCH_FILES))
	@echo "check-patch: $(words $(CHECKPATCH_FILES)) files, no findings"

# About 25 s for both kernels on 2 cores.
check-sparse:
	@bash $(HVCTL_LINT_TOP)/scripts/deps.sh headers
	MAKE="$(MAKE)" bash $(HVCTL_LINT_TOP)/scripts/check-sparse.sh $(HVCTL_LINT_TOP)/build/sparse
