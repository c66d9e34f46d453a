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
	  .devfn = (uint8_t)(((dev) << 3) | (fn)) }
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

#endif /* _HVCTL_SELECTOR_CASES_H */
