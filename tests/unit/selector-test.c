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

static int sel_equal(const struct hvctl_selector *a,
		     const struct hvctl_selector *b)
{
	return a->kind == b->kind && a->domain == b->domain &&
	       a->bus == b->bus && a->devfn == b->devfn &&
	       a->vendor == b->vendor && a->device == b->device &&
	       a->has_subsys == b->has_subsys &&
	       a->subvendor == b->subvendor && a->subdevice == b->subdevice &&
	       a->serial == b->serial && !strcmp(a->slot, b->slot);
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
	if (!sel_equal(&sel, &c->want)) {
		report(0, "selector", c->desc, "parsed fields differ");
		return;
	}
	/* The canonical form must parse back to the same selector. */
	hvctl_selector_format(&sel, buf, sizeof(buf));
	ret = hvctl_selector_parse(buf, strlen(buf), &again, &err);
	snprintf(why, sizeof(why), "'%s' does not round-trip", buf);
	report(!ret && sel_equal(&sel, &again), "selector", c->desc, why);
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
		    (!sel_equal(&claim.sel, &c->want[n].sel) ||
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
	struct hvctl_dev_key key = {
		.domain = 0, .bus = 1, .devfn = 0x01, .vendor = 0x8086,
		.device = 0x10d3, .subvendor = 0x8086, .subdevice = 0x0000,
		.serial = 0x525400fffe123456ULL, .has_serial = true,
		.slot = "4",
	};
	static const struct {
		const char *desc, *sel;
		int match;
	} cases[] = {
		{ "address matches", "01:00.1", 1 },
		{ "other function", "01:00.0", 0 },
		{ "other domain", "0001:01:00.1", 0 },
		{ "id matches", "id 8086:10d3", 1 },
		{ "id with subsystem matches", "id 8086:10d3:8086:0000", 1 },
		{ "id with other subsystem", "id 8086:10d3:1af4:1100", 0 },
		{ "other device id", "id 8086:100e", 0 },
		{ "serial matches", "serial 52-54-00-ff-fe-12-34-56", 1 },
		{ "other serial", "serial 52-54-00-ff-fe-12-34-57", 0 },
		{ "slot matches", "slot 4", 1 },
		{ "other slot", "slot 40", 0 },
	};
	struct hvctl_selector sel;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		hvctl_selector_parse(cases[i].sel, strlen(cases[i].sel), &sel,
				     NULL);
		report(hvctl_selector_match(&sel, &key) == cases[i].match,
		       "match", cases[i].desc, "wrong verdict");
	}
	/* A device without DSN or slot never matches those selectors. */
	key.has_serial = false;
	key.slot = NULL;
	hvctl_selector_parse("serial 52-54-00-ff-fe-12-34-56", 30, &sel, NULL);
	report(!hvctl_selector_match(&sel, &key), "match",
	       "no DSN capability", "matched");
	hvctl_selector_parse("slot 4", 6, &sel, NULL);
	report(!hvctl_selector_match(&sel, &key), "match", "no slot",
	       "matched");
}

/* The guard against id claims that catch the host's boot devices. */
static void run_broad_cases(void)
{
	static const struct {
		const char *desc, *claim;
		uint32_t class;
		bool boot_vga, broad;
	} cases[] = {
		{ "id on an NVMe controller", "id 1b36:0010", 0x010802, 0, 1 },
		{ "addr on an NVMe controller", "addr 04:00.0", 0x010802, 0,
		  0 },
		{ "serial on a storage device", "serial 01-02-03-04-05-06-07-08",
		  0x010601, 0, 0 },
		{ "slot on a storage device", "slot 4", 0x010601, 0, 0 },
		{ "id on the boot VGA", "id 1234:1111", 0x030000, 1, 1 },
		{ "id on a secondary VGA", "id 1234:1111", 0x030000, 0, 0 },
		{ "addr on the boot VGA", "addr 00:01.0", 0x030000, 1, 0 },
		{ "id on a NIC", "id 8086:10d3", 0x020000, 0, 0 },
	};
	struct hvctl_claim claim;
	struct hvctl_parse_err err;
	unsigned int i;
	size_t off;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		off = 0;
		hvctl_claims_next(cases[i].claim, strlen(cases[i].claim), &off,
				  &claim, &err);
		report(!hvctl_claim_too_broad(&claim, cases[i].class,
					      cases[i].boot_vga) ==
			       !cases[i].broad,
		       "too broad", cases[i].desc, "wrong verdict");
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
