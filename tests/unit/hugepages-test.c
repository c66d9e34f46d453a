// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the huge page arithmetic shared by hvctl.ko and the tool
 * (kernel/hp-ledger.c: names, sizes, per-node sums, overflow) and of the
 * tool's size and count parser (user/hp-size.c).  Tables of cases, one
 * line per case, "N passed, N failed" at the end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hp-ledger.h"
#include "tests/hp_ledger_cases.h"
#include "hp-size.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int passed, failed;

static void report(int ok, const char *what, const char *desc, const char *why)
{
	if (ok) {
		passed++;
		printf("ok   %s: %s\n", what, desc);
	} else {
		failed++;
		printf("FAIL %s: %s: %s\n", what, desc, why);
	}
}

static const struct {
	const char *in;
	int ret;
	uint64_t bytes;
} size_cases[] = {
	{ "2M", 0, 2 << 20 },
	{ "2MB", 0, 2 << 20 },
	{ "2MiB", 0, 2 << 20 },
	{ "2m", 0, 2 << 20 },
	{ "2048k", 0, 2 << 20 },
	{ "2048kB", 0, 2 << 20 },
	{ "2048K", 0, 2 << 20 },
	{ "2048KiB", 0, 2 << 20 },
	{ "1G", 0, 1 << 30 },
	{ "1GiB", 0, 1 << 30 },
	{ "1gb", 0, 1 << 30 },
	{ "1024M", 0, 1 << 30 },
	{ "16T", 0, 16ULL << 40 },
	{ "2", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "M", -EINVAL, 0 },
	{ "-2M", -EINVAL, 0 },
	{ " 2M", -EINVAL, 0 },
	{ "2 M", -EINVAL, 0 },
	{ "2Mx", -EINVAL, 0 },
	{ "2MBB", -EINVAL, 0 },
	{ "2P", -EINVAL, 0 },
	{ "0M", -EINVAL, 0 },
	{ "1.5G", -EINVAL, 0 },
	{ "0x2M", -EINVAL, 0 },
	{ "16777216T", -ERANGE, 0 },
	{ "16777215T", 0, 16777215ULL << 40 },
	{ "99999999999999999999k", -ERANGE, 0 },
};

static void run_size_cases(void)
{
	char why[256], desc[64];
	uint64_t bytes = 0;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(size_cases); i++) {
		why[0] = '\0';
		ret = hvctl_size_parse(size_cases[i].in, &bytes, why,
				       sizeof(why));
		snprintf(desc, sizeof(desc), "\"%s\"", size_cases[i].in);
		if (ret != size_cases[i].ret) {
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 " (returned %d, want %d)", ret,
				 size_cases[i].ret);
			report(0, "size", desc, why);
		} else if (ret) {
			/* Every error names the input. */
			report(strstr(why, size_cases[i].in) != NULL, "size",
			       desc, "message does not name the input");
		} else {
			report(bytes == size_cases[i].bytes, "size", desc,
			       "wrong value");
		}
	}
}

static const struct {
	const char *in;
	int ret;
	uint32_t kb;
} hp_size_cases[] = {
	{ "2M", 0, 2048 },    { "1G", 0, 1048576 },  { "4k", 0, 4 },
	{ "64k", 0, 64 },     { "3M", -EINVAL, 0 },  { "2k", -EINVAL, 0 },
	{ "4T", -EINVAL, 0 }, { "2T", 0, 2u << 30 }, { "x", -EINVAL, 0 },
};

static void run_hp_size_cases(void)
{
	char why[256], desc[64];
	uint32_t kb = 0;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hp_size_cases); i++) {
		ret = hvctl_hp_size_parse(hp_size_cases[i].in, &kb, why,
					  sizeof(why));
		snprintf(desc, sizeof(desc), "page size \"%s\"",
			 hp_size_cases[i].in);
		report(ret == hp_size_cases[i].ret &&
			       (ret || kb == hp_size_cases[i].kb),
		       "hp-size", desc, ret ? why : "wrong value");
	}
}

static const struct {
	const char *in;
	int ret;
	uint64_t n;
} count_cases[] = {
	{ "1", 0, 1 },
	{ "4096", 0, 4096 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "0", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ "1k", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
};

static void run_count_cases(void)
{
	char why[256] = "", desc[64];
	uint64_t n = 0;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(count_cases); i++) {
		ret = hvctl_count_parse(count_cases[i].in, &n, why,
					sizeof(why));
		snprintf(desc, sizeof(desc), "count \"%s\"", count_cases[i].in);
		report(ret == count_cases[i].ret &&
			       (ret || n == count_cases[i].n),
		       "count", desc, ret ? why : "wrong value");
	}
}

static void run_name_cases(void)
{
	char desc[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hvctl_hp_name_cases); i++) {
		const struct hvctl_hp_name_case *c = &hvctl_hp_name_cases[i];
		const char *msg = hvctl_hp_name_check(c->in, strlen(c->in));

		snprintf(desc, sizeof(desc), "name \"%s\"", c->in);
		report((msg == NULL) == c->ok, "name", desc,
		       msg ? msg : "accepted");
	}
	report(!hvctl_hp_name_check("ab\0cd", 2) &&
		       hvctl_hp_name_check("ab\0cd", 5),
	       "name", "length counts, NUL is no name character",
	       "wrong verdict");
}

static void run_size_check_cases(void)
{
	const unsigned int both = HVCTL_HP_HAVE_2M | HVCTL_HP_HAVE_1G;

	report(!hvctl_hp_size_check(2048, both), "size-check", "2M on 2M+1G",
	       "refused");
	report(!hvctl_hp_size_check(1048576, both), "size-check", "1G on 2M+1G",
	       "refused");
	report(hvctl_hp_size_check(1048576, HVCTL_HP_HAVE_2M) != NULL,
	       "size-check", "1G without pdpe1gb", "accepted");
	report(hvctl_hp_size_check(4096, both) != NULL, "size-check",
	       "4M is no x86 page size", "accepted");
	report(hvctl_hp_size_check(2048, 0) != NULL, "size-check",
	       "2M on a kernel without hugetlb", "accepted");
}

static void resv_init(struct hvctl_hp_resv *r, const char *name, uint32_t kb)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->size_kb = kb;
}

static void run_ledger_cases(void)
{
	static struct hvctl_hp_resv a, b, c, d, big;
	const struct hvctl_hp_resv *v[HVCTL_HP_LEDGER_MAX + 1];
	const char *msg = "";
	__u64 sum = 0;
	size_t i;
	int ret;

	resv_init(&a, "a", 2048);
	report(!hvctl_hp_resv_add_node(&a, 0, 4, &msg) &&
		       !hvctl_hp_resv_add_node(&a, 1, 6, &msg),
	       "ledger", "two nodes", msg);
	report(hvctl_hp_resv_add_node(&a, 1, 1, &msg) == -EINVAL, "ledger",
	       "a node twice is refused", "accepted");
	report(hvctl_hp_resv_add_node(&a, 2, 0, &msg) == -EINVAL, "ledger",
	       "a zero count is refused", "accepted");
	report(a.nr_nodes == 2, "ledger", "refusals change nothing",
	       "nodes changed");

	resv_init(&b, "b", 2048);
	hvctl_hp_resv_add_node(&b, 1, 3, &msg);
	resv_init(&c, "c", 1048576);
	hvctl_hp_resv_add_node(&c, 1, 2, &msg);
	v[0] = &a;
	v[1] = &b;
	v[2] = &c;
	report(!hvctl_hp_sum(v, 3, 2048, 1, &sum) && sum == 9, "ledger",
	       "sum of 2M on node 1 (6 + 3, not the 1G entry)", "wrong sum");
	report(!hvctl_hp_sum(v, 3, 2048, 0, &sum) && sum == 4, "ledger",
	       "sum of 2M on node 0", "wrong sum");
	report(!hvctl_hp_sum(v, 3, 1048576, 1, &sum) && sum == 2, "ledger",
	       "sum of 1G on node 1", "wrong sum");
	report(!hvctl_hp_sum(v, 3, 2048, 7, &sum) && sum == 0, "ledger",
	       "sum on a node nobody holds", "wrong sum");
	report(hvctl_hp_find(v, 3, "b") == &b && !hvctl_hp_find(v, 3, "x"),
	       "ledger", "find by name", "wrong entry");

	resv_init(&d, "b", 2048);
	hvctl_hp_resv_add_node(&d, 0, 1, &msg);
	report(hvctl_hp_fits(v, 3, &d, &msg) == -EEXIST, "ledger",
	       "a duplicate name is refused with EEXIST", "accepted");
	snprintf(d.name, sizeof(d.name), "d");
	report(!hvctl_hp_fits(v, 3, &d, &msg), "ledger", "a new name fits",
	       msg);

	/* Overflow: in pages, and in bytes (count * size_kb * 1024). */
	resv_init(&big, "big", 2048);
	report(hvctl_hp_resv_add_node(&big, 0, UINT64_MAX, &msg) == -EOVERFLOW,
	       "overflow", "UINT64_MAX 2M pages overflow in bytes", "accepted");
	report(!hvctl_hp_resv_add_node(&big, 0, (UINT64_MAX >> 21), &msg),
	       "overflow", "the largest 2M count that fits in bytes", msg);
	report(hvctl_hp_resv_add_node(&big, 1, 1, &msg) == -EOVERFLOW &&
		       big.nr_nodes == 1,
	       "overflow", "one more page on another node overflows the total",
	       "accepted");
	resv_init(&d, "d", 2048);
	hvctl_hp_resv_add_node(&d, 0, 1, &msg);
	v[3] = &big;
	report(hvctl_hp_fits(v, 4, &d, &msg) == -EOVERFLOW, "overflow",
	       "a node's ledger total would overflow", "accepted");
	report(hvctl_hp_sum(v, 4, 2048, 0, &sum) == -EOVERFLOW, "overflow",
	       "a sum that does not fit in bytes is an error", "accepted");

	/* Too many nodes in one reservation; a full ledger. */
	resv_init(&d, "d", 2048);
	for (i = 0, ret = 0; i <= HVCTL_HP_RESV_NODES && !ret; i++)
		ret = hvctl_hp_resv_add_node(&d, i, 1, &msg);
	report(ret == -E2BIG && d.nr_nodes == HVCTL_HP_RESV_NODES, "ledger",
	       "at most HVCTL_HP_RESV_NODES nodes", "wrong limit");
	for (i = 0; i < HVCTL_HP_LEDGER_MAX; i++)
		v[i] = &a;
	resv_init(&d, "d", 2048);
	report(hvctl_hp_fits(v, HVCTL_HP_LEDGER_MAX, &d, &msg) == -ENOSPC,
	       "ledger", "a full ledger is refused with ENOSPC", "accepted");
}

static void run_name_cases_size(void)
{
	static const struct {
		uint64_t kb;
		const char *want;
	} c[] = {
		{ 2048, "2M" }, { 1048576, "1G" }, { 64, "64k" },
		{ 3072, "3M" }, { 1536, "1536k" }, { 2ULL << 30, "2T" },
	};
	char buf[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		report(!strcmp(hvctl_size_name(c[i].kb, buf, sizeof(buf)),
			       c[i].want),
		       "size-name", c[i].want, buf);
}

int main(void)
{
	run_size_cases();
	run_hp_size_cases();
	run_count_cases();
	run_name_cases();
	run_size_check_cases();
	run_ledger_cases();
	run_name_cases_size();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
