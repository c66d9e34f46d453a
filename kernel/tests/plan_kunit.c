// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite hvctl_plan: the rules of a bind or unbind transaction
 * (kernel/plan.c) on the tables of kernel/tests/plan_cases.h, the same
 * tables the host test runs.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <uapi/linux/hvctl.h>

#include "plan_cases.h"

static void hvctl_member_case_desc(const struct hvctl_member_case *c,
				   char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_member, hvctl_member_cases, hvctl_member_case_desc);

static void hvctl_plan_member_test(struct kunit *test)
{
	const struct hvctl_member_case *c = test->param_value;
	const char *msg = NULL;
	int ret;

	ret = hvctl_plan_member(&c->m, &c->o, &msg);
	KUNIT_EXPECT_EQ(test, ret, c->want);
	/* A refusal always says why, for the extack. */
	if (ret < 0)
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
}

static void hvctl_step_case_desc(const struct hvctl_step_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_step, hvctl_step_cases, hvctl_step_case_desc);

static void hvctl_step_test(struct kunit *test)
{
	const struct hvctl_step_case *c = test->param_value;
	enum hvctl_step got;

	if (c->bind)
		got = hvctl_bind_step(c->before, c->old_override, c->target);
	else
		got = hvctl_unbind_step(c->before, c->old_override);
	KUNIT_EXPECT_EQ(test, got, c->want);
}

static void hvctl_rollback_case_desc(const struct hvctl_rollback_case *c,
				     char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hvctl_rollback, hvctl_rollback_cases,
		  hvctl_rollback_case_desc);

static void hvctl_rollback_test(struct kunit *test)
{
	const struct hvctl_rollback_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, hvctl_rollback_status(c->status), c->want);
}

/* Only vfio-pci and pci-stub are targets; names are compared whole. */
static void hvctl_target_driver_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, hvctl_is_target_driver("vfio-pci"));
	KUNIT_EXPECT_TRUE(test, hvctl_is_target_driver("pci-stub"));
	KUNIT_EXPECT_FALSE(test, hvctl_is_target_driver("vfio"));
	KUNIT_EXPECT_FALSE(test, hvctl_is_target_driver("vfio-pci2"));
	KUNIT_EXPECT_FALSE(test, hvctl_is_target_driver("e1000e"));
	KUNIT_EXPECT_FALSE(test, hvctl_is_target_driver(""));
}

static struct kunit_case hvctl_plan_test_cases[] = {
	KUNIT_CASE_PARAM(hvctl_plan_member_test, hvctl_member_gen_params),
	KUNIT_CASE_PARAM(hvctl_step_test, hvctl_step_gen_params),
	KUNIT_CASE_PARAM(hvctl_rollback_test, hvctl_rollback_gen_params),
	KUNIT_CASE(hvctl_target_driver_test),
	{}
};

static struct kunit_suite hvctl_plan_suite = {
	.name = "hvctl_plan",
	.test_cases = hvctl_plan_test_cases,
};

kunit_test_suite(hvctl_plan_suite);
