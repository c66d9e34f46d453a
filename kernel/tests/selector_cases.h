/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Table of selector and claim parser cases, shared by the host test
 * (tests/unit/selector-test.c) and the KUnit suite, so both worlds check
 * the one parser against the same expectations.
 */
#ifndef _HVCTL_SELECTOR_CASES_H
#define _HVCTL_SELECTOR_CASES_H

#include "../selector.h"

struct hvctl_sel_case {
	const char *desc;
	const char *in;
	int ret;			/* 0 or -EINVAL */
	struct hvctl_selector want;	/* when ret == 0 */
	size_t err_pos;			/* when ret != 0 */
};

#define SEL_ADDR(d, b, dev, fn) \
	{ .kind = HVCTL_SEL_ADDR, .domain = (d), .bus = (b), \
	  .devfn = (__u8)(((dev) << 3) | (fn)) }
#define SEL_ID(v, d) { .kind = HVCTL_SEL_ID, .vendor = (v), .device = (d) }
#define SEL_SUB(v, d, sv, sd) \
	{ .kind = HVCTL_SEL_ID, .vendor = (v), .device = (d), \
	  .has_subsys = true, .subvendor = (sv), .subdevice = (sd) }
#define SEL_SERIAL(x) { .kind = HVCTL_SEL_SERIAL, .serial = (x) }

static const struct hvctl_sel_case hvctl_sel_cases[] = {
	{ "full address", "addr 0000:01:00.0", 0, SEL_ADDR(0, 1, 0, 0) },
	{ "short address", "addr 01:00.0", 0, SEL_ADDR(0, 1, 0, 0) },
	{ "bare address", "0000:02:1f.7", 0, SEL_ADDR(0, 2, 0x1f, 7) },
	{ "bare short address", "ff:1f.7", 0, SEL_ADDR(0, 0xff, 0x1f, 7) },
	{ "upper-case hex", "addr 0000:0A:0B.1", 0, SEL_ADDR(0, 0xa, 0xb, 1) },
	{ "large domain (VMD)", "10000:e1:00.0", 0, SEL_ADDR(0x10000, 0xe1, 0, 0) },
	{ "space-free form", "addr=01:00.0", 0, SEL_ADDR(0, 1, 0, 0) },
	{ "leading and trailing blanks", "  addr   01:00.0  ", 0, SEL_ADDR(0, 1, 0, 0) },
	{ "device number too large", "addr 00:20.0", -EINVAL, {}, 5 },
	{ "function too large", "addr 00:01.8", -EINVAL, {}, 5 },
	{ "bus not hex", "addr 0000:zz:00.0", -EINVAL, {}, 5 },
	{ "missing function", "addr 01:00", -EINVAL, {}, 5 },
	{ "three colons", "addr 0:0:01:00.0", -EINVAL, {}, 5 },
	{ "trailing garbage in address", "addr 01:00.0x", -EINVAL, {}, 5 },
	{ "addr without value", "addr", -EINVAL, {}, 0 },
	{ "vendor:device", "id 10de:2204", 0, SEL_ID(0x10de, 0x2204) },
	{ "id with subsystem", "id 10de:2204:1458:403b", 0,
	  SEL_SUB(0x10de, 0x2204, 0x1458, 0x403b) },
	{ "id with 3 digits", "id 10de:220", -EINVAL, {}, 3 },
	{ "id without device", "id 8086", -EINVAL, {}, 3 },
	{ "id with three parts", "id 8086:10d3:1234", -EINVAL, {}, 3 },
	{ "id with five digits", "id 8086:10d30", -EINVAL, {}, 3 },
	{ "serial", "serial 12-34-56-ff-fe-78-9a-bc", 0,
	  SEL_SERIAL(0x123456fffe789abcULL) },
	{ "serial upper case", "serial=12-34-56-FF-FE-78-9A-BC", 0,
	  SEL_SERIAL(0x123456fffe789abcULL) },
	{ "serial too short", "serial 12-34", -EINVAL, {}, 7 },
	{ "serial too long", "serial 12-34-56-ff-fe-78-9a-bc-00", -EINVAL, {}, 7 },
	{ "serial odd digits", "serial 1-34-56-ff-fe-78-9a-bc", -EINVAL, {}, 7 },
	{ "slot", "slot 1", 0, { .kind = HVCTL_SEL_SLOT, .slot = "1" } },
	{ "slot name too long", "slot 0123456789012345678901234567890123456789",
	  -EINVAL, {}, 5 },
	{ "unknown keyword", "name eth0", -EINVAL, {}, 0 },
	{ "empty", "", -EINVAL, {}, 0 },
	{ "only blanks", "   ", -EINVAL, {}, 3 },
	{ "two selectors", "addr 01:00.0 id 8086:10d3", -EINVAL, {}, 13 },
	{ "claim separator in selector", "addr 01:00.0;", -EINVAL, {}, 12 },
};

struct hvctl_claims_case {
	const char *desc;
	const char *in;
	/* Claims expected, in order; a NULL driver ends the list. */
	int nclaims;
	int nerrors;
	struct {
		struct hvctl_selector sel;
		const char *driver;
		bool nogroup;
	} want[3];
};

static const struct hvctl_claims_case hvctl_claims_cases[] = {
	{ "one claim", "addr 01:00.0", 1, 0,
	  { { SEL_ADDR(0, 1, 0, 0), "", false } } },
	{ "claim with options", "id 10de:2204 driver pci-stub nogroup", 1, 0,
	  { { SEL_ID(0x10de, 0x2204), "pci-stub", true } } },
	{ "space-free list", "addr=01:00.0,driver=vfio-pci;id=8086:10d3,nogroup",
	  2, 0,
	  { { SEL_ADDR(0, 1, 0, 0), "vfio-pci", false },
	    { SEL_ID(0x8086, 0x10d3), "", true } } },
	{ "empty claims skipped", ";;01:00.0;;", 1, 0,
	  { { SEL_ADDR(0, 1, 0, 0), "", false } } },
	{ "bad claim does not drop the rest", "addr 01:00.0;bogus 1;02:00.0",
	  2, 1,
	  { { SEL_ADDR(0, 1, 0, 0), "", false },
	    { SEL_ADDR(0, 2, 0, 0), "", false } } },
	{ "unknown option", "01:00.0 fast", 0, 1, {} },
	{ "driver without name", "01:00.0 driver", 0, 1, {} },
	{ "driver name too long",
	  "01:00.0 driver abcdefghijklmnopqrstuvwxyz0123456789", 0, 1, {} },
	{ "empty list", "", 0, 0, {} },
};

/* Matching: one device, selectors that do and do not reach it. */
static const struct hvctl_dev_key hvctl_match_key = {
	.domain = 0, .bus = 1, .devfn = 0x01, .vendor = 0x8086,
	.device = 0x10d3, .subvendor = 0x8086, .subdevice = 0x0000,
	.serial = 0x525400fffe123456ULL, .has_serial = true,
	.slot = "4",
};

struct hvctl_match_case {
	const char *desc;
	const char *sel;
	bool no_serial;		/* the device has no DSN capability */
	bool no_slot;		/* nor a physical slot */
	bool match;
};

static const struct hvctl_match_case hvctl_match_cases[] = {
	{ "address matches", "01:00.1", false, false, true },
	{ "other function", "01:00.0", false, false, false },
	{ "other domain", "0001:01:00.1", false, false, false },
	{ "id matches", "id 8086:10d3", false, false, true },
	{ "id with subsystem matches", "id 8086:10d3:8086:0000", false, false, true },
	{ "id with other subsystem", "id 8086:10d3:1af4:1100", false, false, false },
	{ "other device id", "id 8086:100e", false, false, false },
	{ "serial matches", "serial 52-54-00-ff-fe-12-34-56", false, false, true },
	{ "other serial", "serial 52-54-00-ff-fe-12-34-57", false, false, false },
	{ "slot matches", "slot 4", false, false, true },
	{ "other slot", "slot 40", false, false, false },
	{ "no DSN capability", "serial 52-54-00-ff-fe-12-34-56", true, false, false },
	{ "no slot", "slot 4", false, true, false },
};

/* The guard against id claims that catch the host's boot devices. */
struct hvctl_broad_case {
	const char *desc;
	const char *claim;
	__u32 class;
	bool boot_vga;
	bool broad;
};

static const struct hvctl_broad_case hvctl_broad_cases[] = {
	{ "id on an NVMe controller", "id 1b36:0010", 0x010802, false, true },
	{ "addr on an NVMe controller", "addr 04:00.0", 0x010802, false, false },
	{ "serial on a storage device", "serial 01-02-03-04-05-06-07-08",
	  0x010601, false, false },
	{ "slot on a storage device", "slot 4", 0x010601, false, false },
	{ "id on the boot VGA", "id 1234:1111", 0x030000, true, true },
	{ "id on a secondary VGA", "id 1234:1111", 0x030000, false, false },
	{ "addr on the boot VGA", "addr 00:01.0", 0x030000, true, false },
	{ "id on a NIC", "id 8086:10d3", 0x020000, false, false },
};

/* Field by field, slot by content. */
static inline bool hvctl_sel_equal(const struct hvctl_selector *a,
				   const struct hvctl_selector *b)
{
	return a->kind == b->kind && a->domain == b->domain &&
	       a->bus == b->bus && a->devfn == b->devfn &&
	       a->vendor == b->vendor && a->device == b->device &&
	       a->has_subsys == b->has_subsys &&
	       a->subvendor == b->subvendor && a->subdevice == b->subdevice &&
	       a->serial == b->serial && !strcmp(a->slot, b->slot);
}

#endif /* _HVCTL_SELECTOR_CASES_H */
