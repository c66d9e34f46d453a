// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host run of the selector/claim parser tables in
 * kernel/tests/selector_cases.h (the KUnit suite runs the same tables in
 * the kernel).  Prints one line per case and "N passed, N failed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/tests/selector_cases.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int passed, failed;

static void report(int ok, const char *what, const char *desc,
		   const char *why)
{
	if (ok) {
		passed++;
		printf("ok   %s: %s\n", what, desc);
	} else {
		failed++;
		printf("FAIL %s: %s: %s\n", what, desc, why);
	}
}

static void run_sel_case(const struct hvctl_sel_case *c)
{
	struct hvctl_parse_err err = { 0 };
	struct hvctl_selector sel, again;
	char buf[160], why[256];
	int ret;

	ret = hvctl_selector_parse(c->in, strlen(c->in), &sel, &err);
	if (ret != c->ret) {
		snprintf(why, sizeof(why), "returned %d, want %d (%s)", ret,
			 c->ret, ret ? err.msg : "no error");
		report(0, "selector", c->desc, why);
		return;
	}
	if (ret) {
		snprintf(why, sizeof(why), "error at %zu, want %zu (%s)",
			 err.pos, c->err_pos, err.msg);
		report(err.pos == c->err_pos && err.msg, "selector", c->desc,
		       why);
		return;
	}
	if (!hvctl_sel_equal(&sel, &c->want)) {
		report(0, "selector", c->desc, "parsed fields differ");
		return;
	}
	/* The canonical form must parse back to the same selector. */
	hvctl_selector_format(&sel, buf, sizeof(buf));
	ret = hvctl_selector_parse(buf, strlen(buf), &again, &err);
	snprintf(why, sizeof(why), "'%s' does not round-trip", buf);
	report(!ret && hvctl_sel_equal(&sel, &again), "selector", c->desc, why);
}

static void run_claims_case(const struct hvctl_claims_case *c)
{
	struct hvctl_parse_err err;
	struct hvctl_claim claim;
	int n = 0, errors = 0, ret, ok = 1;
	size_t off = 0, len = strlen(c->in);
	char why[256] = "";

	while ((ret = hvctl_claims_next(c->in, len, &off, &claim, &err))) {
		if (ret < 0) {
			errors++;
			continue;
		}
		if (n < c->nclaims &&
		    (!hvctl_sel_equal(&claim.sel, &c->want[n].sel) ||
		     strcmp(claim.driver, c->want[n].driver) ||
		     claim.nogroup != c->want[n].nogroup)) {
			snprintf(why, sizeof(why), "claim %d differs", n);
			ok = 0;
		}
		n++;
	}
	if (n != c->nclaims || errors != c->nerrors) {
		snprintf(why, sizeof(why), "%d claims and %d errors, want %d and %d",
			 n, errors, c->nclaims, c->nerrors);
		ok = 0;
	}
	report(ok, "claims", c->desc, why);
}

static void run_match_cases(void)
{
	struct hvctl_selector sel;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvctl_match_cases); i++) {
		const struct hvctl_match_case *c = &hvctl_match_cases[i];
		struct hvctl_dev_key key = hvctl_match_key;

		if (c->no_serial)
			key.has_serial = false;
		if (c->no_slot)
			key.slot = NULL;
		hvctl_selector_parse(c->sel, strlen(c->sel), &sel, NULL);
		report(hvctl_selector_match(&sel, &key) == c->match, "match",
		       c->desc, "wrong verdict");
	}
}

static void run_broad_cases(void)
{
	struct hvctl_parse_err err;
	struct hvctl_claim claim;
	unsigned int i;
	size_t off;

	for (i = 0; i < ARRAY_SIZE(hvctl_broad_cases); i++) {
		const struct hvctl_broad_case *c = &hvctl_broad_cases[i];

		off = 0;
		hvctl_claims_next(c->claim, strlen(c->claim), &off, &claim,
				  &err);
		report(!hvctl_claim_too_broad(&claim, c->class, c->boot_vga) ==
			       !c->broad,
		       "too broad", c->desc, "wrong verdict");
	}
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvctl_sel_cases); i++)
		run_sel_case(&hvctl_sel_cases[i]);
	for (i = 0; i < ARRAY_SIZE(hvctl_claims_cases); i++)
		run_claims_case(&hvctl_claims_cases[i]);
	run_match_cases();
	run_broad_cases();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
