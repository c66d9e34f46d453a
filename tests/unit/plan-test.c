// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host run of the bind and unbind planner tables in
 * kernel/tests/plan_cases.h (the KUnit suite hvctl_plan runs the same
 * tables in the kernel).  Prints one line per case and "N passed, N failed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/hvctl.h>

#include "../../kernel/tests/plan_cases.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int passed, failed;

static void report(int ok, const char *what, const char *desc, int got)
{
	if (ok) {
		passed++;
		printf("ok   %s: %s\n", what, desc);
	} else {
		failed++;
		printf("FAIL %s: %s: got %d\n", what, desc, got);
	}
}

int main(void)
{
	unsigned int i;
	int got;

	for (i = 0; i < ARRAY_SIZE(hvctl_member_cases); i++) {
		const struct hvctl_member_case *c = &hvctl_member_cases[i];
		const char *msg = NULL;

		got = hvctl_plan_member(&c->m, &c->o, &msg);
		/* A refusal always says why. */
		report(got == c->want && (got >= 0 || (msg && *msg)), "member",
		       c->desc, got);
	}
	for (i = 0; i < ARRAY_SIZE(hvctl_step_cases); i++) {
		const struct hvctl_step_case *c = &hvctl_step_cases[i];

		got = c->bind ? hvctl_bind_step(c->before, c->old_override,
						c->target) :
				hvctl_unbind_step(c->before, c->old_override);
		report(got == (int)c->want, "step", c->desc, got);
	}
	for (i = 0; i < ARRAY_SIZE(hvctl_rollback_cases); i++) {
		const struct hvctl_rollback_case *c = &hvctl_rollback_cases[i];

		got = hvctl_rollback_status(c->status);
		report(got == c->want, "rollback", c->desc, got);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
