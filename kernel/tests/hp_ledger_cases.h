/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Table of reservation name cases (kernel/hp-ledger.c), shared by the host
 * test (tests/unit/hugepages-test.c) and the KUnit suite hvctl_hugepages
 * (kernel/tests/hp_ledger_kunit.c).
 */
#ifndef _HVCTL_HP_LEDGER_CASES_H
#define _HVCTL_HP_LEDGER_CASES_H

#include "../hp-ledger.h"

struct hvctl_hp_name_case {
	const char *in;
	bool ok;
};

static const struct hvctl_hp_name_case hvctl_hp_name_cases[] = {
	{ "vm1", true },
	{ "win10.gpu-pass_1", true },
	{ "abcdefghijklmnopqrstuvwxyz012345", true }, /* 32 */
	{ "abcdefghijklmnopqrstuvwxyz0123456", false }, /* 33 */
	{ "", false },
	{ "a b", false },
	{ "a/b", false },
	{ "a:b", false },
	{ ".", false },
	{ "..", false },
	{ "...", true },
	{ "\xc3\xa9", false },
};

#endif /* _HVCTL_HP_LEDGER_CASES_H */
