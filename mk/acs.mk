# SPDX-License-Identifier: GPL-2.0-only
#
# Why an IOMMU group is large (user/acs.c): its host unit test on
# synthetic config spaces, run by "make check-unit".  Included by the
# top-level Makefile.

.PHONY: check-unit-acs

$(BUILD)/acs-test: tests/unit/acs-test.c user/acs.c user/acs.h
	@mkdir -p $(BUILD)
	$(CC) -Wall -Wextra -Werror -O2 -g -std=gnu11 -Iuser \
		-o $@ tests/unit/acs-test.c user/acs.c

check-unit: check-unit-acs

check-unit-acs: $(BUILD)/acs-test
	$(BUILD)/acs-test
