// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite hvctl_selector: the selector and claim parser
 * (kernel/selector.c) on the tables of kernel/tests/selector_cases.h, the
 * same tables the host test runs against the userspace build.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "selector_cases.h"

static void hvctl_sel_case_desc(const struct hvctl_sel_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_sel, hvctl_sel_cases, hvctl_sel_case_desc);

static void hvctl_selector_parse_test(struct kunit *test)
{
	const struct hvctl_sel_case *c = test->param_value;
	struct hvctl_parse_err err = {};
	struct hvctl_selector sel, again;
	char buf[160];
	int ret;

	ret = hvctl_selector_parse(c->in, strlen(c->in), &sel, &err);
	KUNIT_ASSERT_EQ_MSG(test, ret, c->ret, "\"%s\": %s", c->in,
			    ret ? err.msg : "no error");
	if (ret) {
		KUNIT_EXPECT_EQ(test, err.pos, c->err_pos);
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, err.msg);
		return;
	}
	KUNIT_EXPECT_TRUE(test, hvctl_sel_equal(&sel, &c->want));
	/* The canonical form parses back to the same selector. */
	hvctl_selector_format(&sel, buf, sizeof(buf));
	ret = hvctl_selector_parse(buf, strlen(buf), &again, &err);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE_MSG(test, hvctl_sel_equal(&sel, &again),
			      "\"%s\" does not round-trip", buf);
}

static void hvctl_claims_case_desc(const struct hvctl_claims_case *c,
				   char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_claims, hvctl_claims_cases, hvctl_claims_case_desc);

static void hvctl_claims_next_test(struct kunit *test)
{
	const struct hvctl_claims_case *c = test->param_value;
	size_t off = 0, len = strlen(c->in);
	struct hvctl_parse_err err;
	struct hvctl_claim claim;
	int n = 0, errors = 0, ret;

	while ((ret = hvctl_claims_next(c->in, len, &off, &claim, &err))) {
		if (ret < 0) {
			errors++;
			continue;
		}
		if (n < c->nclaims) {
			KUNIT_EXPECT_TRUE_MSG(test,
					      hvctl_sel_equal(&claim.sel,
							      &c->want[n].sel),
					      "claim %d", n);
			KUNIT_EXPECT_STREQ(test, claim.driver,
					   c->want[n].driver);
			KUNIT_EXPECT_EQ(test, claim.nogroup,
					c->want[n].nogroup);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, c->nclaims);
	KUNIT_EXPECT_EQ(test, errors, c->nerrors);
}

static void hvctl_match_case_desc(const struct hvctl_match_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_match, hvctl_match_cases, hvctl_match_case_desc);

static void hvctl_selector_match_test(struct kunit *test)
{
	const struct hvctl_match_case *c = test->param_value;
	struct hvctl_dev_key key = hvctl_match_key;
	struct hvctl_selector sel;
	int ret;

	if (c->no_serial)
		key.has_serial = false;
	if (c->no_slot)
		key.slot = NULL;
	ret = hvctl_selector_parse(c->sel, strlen(c->sel), &sel, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, hvctl_selector_match(&sel, &key), c->match);
}

static void hvctl_broad_case_desc(const struct hvctl_broad_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_broad, hvctl_broad_cases, hvctl_broad_case_desc);

static void hvctl_claim_too_broad_test(struct kunit *test)
{
	const struct hvctl_broad_case *c = test->param_value;
	struct hvctl_parse_err err;
	struct hvctl_claim claim;
	size_t off = 0;

	KUNIT_ASSERT_EQ(test,
			hvctl_claims_next(c->claim, strlen(c->claim), &off,
					  &claim, &err),
			1);
	KUNIT_EXPECT_EQ(test,
			!!hvctl_claim_too_broad(&claim, c->class, c->boot_vga),
			c->broad);
}

static struct kunit_case hvctl_selector_cases[] = {
	KUNIT_CASE_PARAM(hvctl_selector_parse_test, hvctl_sel_gen_params),
	KUNIT_CASE_PARAM(hvctl_claims_next_test, hvctl_claims_gen_params),
	KUNIT_CASE_PARAM(hvctl_selector_match_test, hvctl_match_gen_params),
	KUNIT_CASE_PARAM(hvctl_claim_too_broad_test, hvctl_broad_gen_params),
	{}
};

static struct kunit_suite hvctl_selector_suite = {
	.name = "hvctl_selector",
	.test_cases = hvctl_selector_cases,
};

kunit_test_suite(hvctl_selector_suite);
