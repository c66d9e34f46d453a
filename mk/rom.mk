# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl dev rom: the host unit test of the expansion ROM checker
# (user/rom.c), part of check-unit.  Built with AddressSanitizer and
# UBSan: the test gives the checker truncated and corrupted ROMs in
# buffers of their exact size, so any read out of bounds aborts it.
# Included by the top-level Makefile.

ROM_TEST_SAN	?= -fsanitize=address,undefined -fno-sanitize-recover=all

$(BUILD)/rom-test: tests/unit/rom-test.c user/rom.c user/rom.h
	@mkdir -p $(BUILD)
	$(CC) -Wall -Wextra -Werror -O2 -g $(ROM_TEST_SAN) -Iuser \
		-o $@ tests/unit/rom-test.c user/rom.c

.PHONY: check-unit-rom

check-unit: check-unit-rom

check-unit-rom: $(BUILD)/rom-test
	$(BUILD)/rom-test
