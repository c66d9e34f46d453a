// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite hvctl_hugepages: reservation names, sizes, per size and
 * node sums and their overflow checks (kernel/hp-ledger.c).
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "hp_ledger_cases.h"

static void hvctl_hp_name_case_desc(const struct hvctl_hp_name_case *c,
				    char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "name \"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(hvctl_hp_name, hvctl_hp_name_cases, hvctl_hp_name_case_desc);

static void hvctl_hp_name_test(struct kunit *test)
{
	const struct hvctl_hp_name_case *c = test->param_value;
	const char *msg = hvctl_hp_name_check(c->in, strlen(c->in));

	KUNIT_EXPECT_EQ_MSG(test, !msg, c->ok, "%s", msg ?: "accepted");
}

static void hvctl_hp_size_test(struct kunit *test)
{
	const unsigned int both = HVCTL_HP_HAVE_2M | HVCTL_HP_HAVE_1G;

	KUNIT_EXPECT_NULL(test, hvctl_hp_size_check(HVCTL_HP_KB_2M, both));
	KUNIT_EXPECT_NULL(test, hvctl_hp_size_check(HVCTL_HP_KB_1G, both));
	KUNIT_EXPECT_NOT_NULL(test, hvctl_hp_size_check(HVCTL_HP_KB_1G,
							HVCTL_HP_HAVE_2M));
	KUNIT_EXPECT_NOT_NULL(test, hvctl_hp_size_check(4096, both));
	KUNIT_EXPECT_NOT_NULL(test, hvctl_hp_size_check(HVCTL_HP_KB_2M, 0));
}

static struct hvctl_hp_resv *resv_new(struct kunit *test, const char *name,
				      u32 kb)
{
	struct hvctl_hp_resv *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	strscpy(r->name, name, sizeof(r->name));
	r->size_kb = kb;
	return r;
}

/* Refusals change nothing; sums are per size and node. */
static void hvctl_hp_sum_test(struct kunit *test)
{
	struct hvctl_hp_resv *a = resv_new(test, "a", HVCTL_HP_KB_2M);
	struct hvctl_hp_resv *b = resv_new(test, "b", HVCTL_HP_KB_2M);
	struct hvctl_hp_resv *c = resv_new(test, "c", HVCTL_HP_KB_1G);
	struct hvctl_hp_resv *d = resv_new(test, "b", HVCTL_HP_KB_2M);
	const struct hvctl_hp_resv *v[3] = { a, b, c };
	const char *msg;
	u64 sum;

	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(a, 0, 4, &msg), 0);
	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(a, 1, 6, &msg), 0);
	KUNIT_EXPECT_EQ(test, hvctl_hp_resv_add_node(a, 1, 1, &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, hvctl_hp_resv_add_node(a, 2, 0, &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, a->nr_nodes, 2u);
	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(b, 1, 3, &msg), 0);
	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(c, 1, 2, &msg), 0);

	KUNIT_EXPECT_EQ(test, hvctl_hp_sum(v, 3, HVCTL_HP_KB_2M, 1, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, 9ull);
	KUNIT_EXPECT_EQ(test, hvctl_hp_sum(v, 3, HVCTL_HP_KB_2M, 0, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, 4ull);
	KUNIT_EXPECT_EQ(test, hvctl_hp_sum(v, 3, HVCTL_HP_KB_1G, 1, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, 2ull);
	KUNIT_EXPECT_EQ(test, hvctl_hp_sum(v, 3, HVCTL_HP_KB_2M, 7, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, 0ull);
	KUNIT_EXPECT_PTR_EQ(test, hvctl_hp_find(v, 3, "b"),
			    (const struct hvctl_hp_resv *)b);
	KUNIT_EXPECT_NULL(test, hvctl_hp_find(v, 3, "x"));

	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(d, 0, 1, &msg), 0);
	KUNIT_EXPECT_EQ(test, hvctl_hp_fits(v, 3, d, &msg), -EEXIST);
	strscpy(d->name, "d", sizeof(d->name));
	KUNIT_EXPECT_EQ(test, hvctl_hp_fits(v, 3, d, &msg), 0);
}

/* Counts overflow in pages and in bytes (count * size_kb * 1024). */
static void hvctl_hp_overflow_test(struct kunit *test)
{
	struct hvctl_hp_resv *a = resv_new(test, "a", HVCTL_HP_KB_2M);
	struct hvctl_hp_resv *big = resv_new(test, "big", HVCTL_HP_KB_2M);
	struct hvctl_hp_resv *d = resv_new(test, "d", HVCTL_HP_KB_2M);
	const struct hvctl_hp_resv *v[2] = { a, big };
	const char *msg;
	u64 sum;

	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(a, 0, 4, &msg), 0);
	KUNIT_EXPECT_EQ(test, hvctl_hp_resv_add_node(big, 0, U64_MAX, &msg),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test,
			hvctl_hp_resv_add_node(big, 0, U64_MAX >> 21, &msg), 0);
	KUNIT_EXPECT_EQ(test, hvctl_hp_resv_add_node(big, 1, 1, &msg),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, big->nr_nodes, 1u);
	KUNIT_ASSERT_EQ(test, hvctl_hp_resv_add_node(d, 0, 1, &msg), 0);
	KUNIT_EXPECT_EQ(test, hvctl_hp_fits(v, 2, d, &msg), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, hvctl_hp_sum(v, 2, HVCTL_HP_KB_2M, 0, &sum),
			-EOVERFLOW);
}

/* At most HVCTL_HP_RESV_NODES nodes and HVCTL_HP_LEDGER_MAX entries. */
static void hvctl_hp_limits_test(struct kunit *test)
{
	const struct hvctl_hp_resv **v;
	struct hvctl_hp_resv *a = resv_new(test, "a", HVCTL_HP_KB_2M);
	struct hvctl_hp_resv *d = resv_new(test, "d", HVCTL_HP_KB_2M);
	const char *msg;
	unsigned int i;
	int ret = 0;

	for (i = 0; i <= HVCTL_HP_RESV_NODES && !ret; i++)
		ret = hvctl_hp_resv_add_node(d, i, 1, &msg);
	KUNIT_EXPECT_EQ(test, ret, -E2BIG);
	KUNIT_EXPECT_EQ(test, d->nr_nodes, HVCTL_HP_RESV_NODES);

	v = kunit_kcalloc(test, HVCTL_HP_LEDGER_MAX, sizeof(*v), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, v);
	for (i = 0; i < HVCTL_HP_LEDGER_MAX; i++)
		v[i] = a;
	d = resv_new(test, "d", HVCTL_HP_KB_2M);
	KUNIT_EXPECT_EQ(test, hvctl_hp_fits(v, HVCTL_HP_LEDGER_MAX, d, &msg),
			-ENOSPC);
}

static struct kunit_case hvctl_hugepages_test_cases[] = {
	KUNIT_CASE_PARAM(hvctl_hp_name_test, hvctl_hp_name_gen_params),
	KUNIT_CASE(hvctl_hp_size_test),
	KUNIT_CASE(hvctl_hp_sum_test),
	KUNIT_CASE(hvctl_hp_overflow_test),
	KUNIT_CASE(hvctl_hp_limits_test),
	{}
};

static struct kunit_suite hvctl_hugepages_suite = {
	.name = "hvctl_hugepages",
	.test_cases = hvctl_hugepages_test_cases,
};

kunit_test_suite(hvctl_hugepages_suite);
