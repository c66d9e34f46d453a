// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of user/acs.c: why an IOMMU group is large, on synthetic
 * config spaces built here byte by byte (a capability list with a power
 * management capability before PCI Express, extended capabilities with
 * one before ACS at 0x148, as QEMU lays them out).  One topology per
 * reason the kernel merges devices for, a clean ACS port, and the cases
 * where it does not merge.  Prints one line per case and
 * "N passed, N failed".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "acs.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_NODES 8
#define MAX_WANT 6
#define NO_ACS (-1)

static int passed, failed;

static void report(int ok, const char *desc, const char *why)
{
	if (ok) {
		passed++;
		printf("ok   %s\n", desc);
	} else {
		failed++;
		printf("FAIL %s: %s\n", desc, why);
	}
}

/**
 * struct spec - what one function's config space says
 * @hdr: header type byte (0x80: multifunction; 1: bridge)
 * @type: PCI Express type, ACS_TYPE_NONE for no PCIe capability
 * @acs_cap: ACS capability register, NO_ACS for no ACS capability
 * @acs_ctrl: ACS control register
 * @len: bytes read, 0 for the full size (4096, 256 without PCIe)
 */
struct spec {
	int hdr;
	int type;
	int acs_cap;
	int acs_ctrl;
	size_t len;
};

static void put16(uint8_t *cfg, unsigned int off, unsigned int v)
{
	cfg[off] = v & 0xff;
	cfg[off + 1] = v >> 8;
}

static void put32(uint8_t *cfg, unsigned int off, uint32_t v)
{
	put16(cfg, off, v & 0xffff);
	put16(cfg, off + 2, v >> 16);
}

/* Build @cfg from @s; returns its length. */
static size_t mkcfg(uint8_t *cfg, const struct spec *s)
{
	size_t len = s->type == ACS_TYPE_NONE ? ACS_CFG_PCI : ACS_CFG_PCIE;

	memset(cfg, 0, ACS_CFG_PCIE);
	put16(cfg, 0x00, 0x1b36); /* vendor */
	put16(cfg, 0x02, 0x0042); /* device */
	cfg[0x0e] = s->hdr;
	if (s->type != ACS_TYPE_NONE) {
		put16(cfg, 0x06, 0x0010); /* status: capability list */
		cfg[0x34] = 0x40;
		cfg[0x40] = 0x01; /* power management, then PCIe */
		cfg[0x41] = 0x60;
		cfg[0x60] = ACS_CAP_ID_EXP;
		cfg[0x61] = 0x00;
		put16(cfg, 0x62, 0x0002 | s->type << 4);
		/* AER at 0x100, then ACS at 0x148 (or the end) */
		put32(cfg, 0x100,
		      0x0001 | 1 << 16 |
			      (s->acs_cap == NO_ACS ? 0 : 0x148) << 20);
		if (s->acs_cap != NO_ACS) {
			put32(cfg, 0x148, ACS_EXT_CAP_ID_ACS | 1 << 16);
			put16(cfg, 0x14c, s->acs_cap);
			put16(cfg, 0x14e, s->acs_ctrl);
		}
	}
	return s->len ? s->len : len;
}

struct node {
	const char *addr;
	int parent;
	bool virtfn;
	bool member;
	struct spec s;
};

struct want {
	enum acs_kind kind;
	const char *dev;
	uint16_t missing;
	bool has_acs;
};

struct tcase {
	const char *desc;
	struct node nodes[MAX_NODES];
	struct want want[MAX_WANT];
	int nwant; /* or a negative errno */
	const char *text; /* the text of the first reason, if given */
};

/* Config spaces of the usual players */
#define ACS_ALL (ACS_SV | ACS_TB | ACS_RR | ACS_CR | ACS_UF | ACS_DT)
/* What QEMU's pcie-root-port offers and Linux enables */
#define RP_OK                                                      \
	{                                                          \
		0x01, ACS_TYPE_ROOT_PORT, ACS_ALL, ACS_REQUIRED, 0 \
	}
#define RP_NOACS                                       \
	{                                              \
		0x01, ACS_TYPE_ROOT_PORT, NO_ACS, 0, 0 \
	}
#define EP                                            \
	{                                             \
		0x00, ACS_TYPE_ENDPOINT, NO_ACS, 0, 0 \
	}
#define PCI_DEV                                   \
	{                                         \
		0x00, ACS_TYPE_NONE, NO_ACS, 0, 0 \
	}
#define PCIE_PCI_BR                                     \
	{                                               \
		0x01, ACS_TYPE_PCI_BRIDGE, NO_ACS, 0, 0 \
	}
#define PCI_BR                                    \
	{                                         \
		0x01, ACS_TYPE_NONE, NO_ACS, 0, 0 \
	}

static const struct tcase cases[] = {
	{
		.desc = "clean: an endpoint below a root port with ACS on is alone",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0", 0, false, true, EP } },
		.nwant = 0,
	},
	{
		.desc = "clean: the root port itself, with ACS on, blames nobody",
		.nodes = { { "0000:00:02.0", -1, false, true, RP_OK } },
		.nwant = 0,
	},
	{
		.desc = "pci-bridge: devices behind a PCIe-to-PCI bridge share its requester ID",
		.nodes = { { "0000:00:03.0", -1, false, false, RP_OK },
			   { "0000:02:00.0", 0, false, true, PCIE_PCI_BR },
			   { "0000:03:01.0", 1, false, true, PCI_DEV },
			   { "0000:03:02.0", 1, false, true, PCI_DEV } },
		.want = { { ACS_REASON_PCI_BRIDGE, "0000:02:00.0", 0, false } },
		.nwant = 1,
		.text = "0000:02:00.0 is a PCIe-to-PCI bridge: the devices behind it share its requester ID",
	},
	{
		.desc = "pci-bridge: a conventional bridge without a PCIe capability",
		.nodes = { { "0000:00:03.0", -1, false, false, RP_OK },
			   { "0000:02:00.0", 0, false, true, PCI_BR },
			   { "0000:03:01.0", 1, false, true, PCI_DEV } },
		.want = { { ACS_REASON_PCI_BRIDGE, "0000:02:00.0", 0, false } },
		.nwant = 1,
		.text = "0000:02:00.0 is a conventional PCI bridge: the devices behind it share its requester ID",
	},
	{
		.desc = "pci-bridge: a conventional bridge behind a PCIe-to-PCI bridge, both named",
		.nodes = { { "0000:00:03.0", -1, false, false, RP_OK },
			   { "0000:02:00.0", 0, false, true, PCIE_PCI_BR },
			   { "0000:03:01.0", 1, false, true, PCI_BR },
			   { "0000:04:00.0", 2, false, true, PCI_DEV } },
		.want = { { ACS_REASON_PCI_BRIDGE, "0000:02:00.0", 0, false },
			  { ACS_REASON_PCI_BRIDGE, "0000:03:01.0", 0, false } },
		.nwant = 2,
	},
	{
		.desc = "pci-bridge: a bridge with nothing behind it is alone, no reason",
		.nodes = { { "0000:00:03.0", -1, false, false, RP_OK },
			   { "0000:02:00.0", 0, false, true, PCIE_PCI_BR } },
		.nwant = 0,
	},
	{
		.desc = "multifunction-no-acs: a conventional function 0 and a PCIe function 1, no ACS",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_NONE, NO_ACS, 0, 0 } },
			   { "0000:01:00.1", 0, false, true, EP } },
		.want = { { ACS_REASON_MULTIFUNCTION, "0000:01:00.0",
			    ACS_REQUIRED, false },
			  { ACS_REASON_MULTIFUNCTION, "0000:01:00.1",
			    ACS_REQUIRED, false } },
		.nwant = 2,
		.text = "0000:01:00.0 is a function of a multifunction device without ACS: its functions are not isolated from each other",
	},
	{
		.desc = "multifunction-no-acs: ACS present, request redirect off",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_ENDPOINT,
			       ACS_SV | ACS_RR | ACS_CR | ACS_UF,
			       ACS_SV | ACS_CR | ACS_UF, 0 } },
			   { "0000:01:00.1",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_ENDPOINT,
			       ACS_SV | ACS_RR | ACS_CR | ACS_UF,
			       ACS_SV | ACS_CR | ACS_UF, 0 } } },
		.want = { { ACS_REASON_MULTIFUNCTION, "0000:01:00.0", ACS_RR,
			    true },
			  { ACS_REASON_MULTIFUNCTION, "0000:01:00.1", ACS_RR,
			    true } },
		.nwant = 2,
		.text = "0000:01:00.0 is a function of a multifunction device with ACS controls off (request redirect): its functions are not isolated from each other",
	},
	{
		.desc = "multifunction: functions with ACS on are isolated",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_ENDPOINT, ACS_ALL, ACS_REQUIRED,
			       0 } },
			   { "0000:01:00.1",
			     0,
			     false,
			     false,
			     { 0x80, ACS_TYPE_ENDPOINT, ACS_ALL, ACS_REQUIRED,
			       0 } } },
		.nwant = 0,
	},
	{
		.desc = "multifunction: ACS without any of the controls is hard-wired isolation",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_ENDPOINT, 0, 0, 0 } },
			   { "0000:01:00.1",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_ENDPOINT, 0, 0, 0 } } },
		.nwant = 0,
	},
	{
		.desc = "multifunction: not isolated itself, but its only sibling is: no shared group",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0",
			     0,
			     false,
			     true,
			     { 0x80, ACS_TYPE_ENDPOINT, NO_ACS, 0, 0 } },
			   { "0000:01:00.1",
			     0,
			     false,
			     false,
			     { 0x80, ACS_TYPE_ENDPOINT, ACS_ALL, ACS_REQUIRED,
			       0 } } },
		.nwant = 0,
	},
	{
		.desc = "multifunction: an SR-IOV VF at function 1 is not a multifunction sibling",
		.nodes = { { "0000:00:04.0", -1, false, false, RP_OK },
			   { "0000:04:00.0", 0, false, false, EP },
			   { "0000:04:00.1", 0, true, true, EP } },
		.nwant = 0,
	},
	{
		.desc = "port-no-acs: a root port without an ACS capability",
		.nodes = { { "0000:00:1c.0", -1, false, true, RP_NOACS },
			   { "0000:06:00.0", 0, false, true, PCI_DEV } },
		.want = { { ACS_REASON_PORT, "0000:00:1c.0", ACS_REQUIRED,
			    false } },
		.nwant = 1,
		.text = "0000:00:1c.0 is a root port without ACS: the devices below it are not isolated from each other",
	},
	{
		.desc = "port-no-acs: a root port with request and completion redirect off",
		.nodes = { { "0000:00:1c.0",
			     -1,
			     false,
			     true,
			     { 0x01, ACS_TYPE_ROOT_PORT, ACS_ALL,
			       ACS_SV | ACS_UF, 0 } },
			   { "0000:06:00.0", 0, false, true, EP } },
		.want = { { ACS_REASON_PORT, "0000:00:1c.0", ACS_RR | ACS_CR,
			    true } },
		.nwant = 1,
		.text = "0000:00:1c.0 is a root port with ACS controls off (request redirect, completion redirect): the devices below it are not isolated from each other",
	},
	{
		.desc = "port-no-acs: every control off, all four named",
		.nodes = { { "0000:00:1c.0",
			     -1,
			     false,
			     true,
			     { 0x01, ACS_TYPE_ROOT_PORT, ACS_ALL, 0, 0 } },
			   { "0000:06:00.0", 0, false, true, EP } },
		.want = { { ACS_REASON_PORT, "0000:00:1c.0", ACS_REQUIRED,
			    true } },
		.nwant = 1,
		.text = "0000:00:1c.0 is a root port with ACS controls off (source validation, request redirect, completion redirect, upstream forwarding): the devices below it are not isolated from each other",
	},
	{
		.desc = "port: a control the capability does not offer is hard-wired on",
		.nodes = { { "0000:00:1c.0",
			     -1,
			     false,
			     true,
			     { 0x01, ACS_TYPE_ROOT_PORT,
			       ACS_SV | ACS_RR | ACS_CR,
			       ACS_SV | ACS_RR | ACS_CR, 0 } },
			   { "0000:06:00.0", 0, false, true, EP } },
		.nwant = 0,
	},
	{
		.desc = "port-no-acs: a switch downstream port without ACS; its upstream port needs none",
		.nodes = { { "0000:00:02.0", -1, false, false, RP_OK },
			   { "0000:01:00.0",
			     0,
			     false,
			     false,
			     { 0x01, ACS_TYPE_UPSTREAM, NO_ACS, 0, 0 } },
			   { "0000:02:01.0",
			     1,
			     false,
			     true,
			     { 0x01, ACS_TYPE_DOWNSTREAM, NO_ACS, 0, 0 } },
			   { "0000:03:00.0", 2, false, true, EP } },
		.want = { { ACS_REASON_PORT, "0000:02:01.0", ACS_REQUIRED,
			    false } },
		.nwant = 1,
		.text = "0000:02:01.0 is a switch downstream port without ACS: the devices below it are not isolated from each other",
	},
	{
		.desc = "port-no-acs: a root port without ACS above a switch with ACS: only the root port",
		.nodes = { { "0000:00:02.0", -1, false, true, RP_NOACS },
			   { "0000:01:00.0",
			     0,
			     false,
			     true,
			     { 0x01, ACS_TYPE_UPSTREAM, NO_ACS, 0, 0 } },
			   { "0000:02:01.0",
			     1,
			     false,
			     true,
			     { 0x01, ACS_TYPE_DOWNSTREAM, ACS_ALL, ACS_REQUIRED,
			       0 } },
			   { "0000:03:00.0", 2, false, true, EP } },
		.want = { { ACS_REASON_PORT, "0000:00:02.0", ACS_REQUIRED,
			    false } },
		.nwant = 1,
	},
	{
		.desc = "port: not a member (a kernel quirk isolates it): not blamed",
		.nodes = { { "0000:00:1c.0", -1, false, false, RP_NOACS },
			   { "0000:06:00.0", 0, false, true, EP } },
		.nwant = 0,
	},
	{
		.desc = "pci-bridge and port-no-acs: a PCIe-to-PCI bridge below a root port without ACS",
		.nodes = { { "0000:00:03.0", -1, false, true, RP_NOACS },
			   { "0000:02:00.0", 0, false, true, PCIE_PCI_BR },
			   { "0000:03:01.0", 1, false, true, PCI_DEV } },
		.want = { { ACS_REASON_PORT, "0000:00:03.0", ACS_REQUIRED,
			    false },
			  { ACS_REASON_PCI_BRIDGE, "0000:02:00.0", 0, false } },
		.nwant = 2,
	},
	{
		.desc = "multifunction root ports without ACS: both kinds, sorted by address",
		.nodes = { { "0000:00:1c.1", -1, false, true, RP_NOACS },
			   { "0000:00:1c.0",
			     -1,
			     false,
			     true,
			     { 0x81, ACS_TYPE_ROOT_PORT, NO_ACS, 0, 0 } },
			   { "0000:06:00.0", 1, false, true, EP } },
		.want = { { ACS_REASON_MULTIFUNCTION, "0000:00:1c.0",
			    ACS_REQUIRED, false },
			  { ACS_REASON_PORT, "0000:00:1c.0", ACS_REQUIRED,
			    false },
			  { ACS_REASON_MULTIFUNCTION, "0000:00:1c.1",
			    ACS_REQUIRED, false } },
		.nwant = 3,
	},
	{
		.desc = "config space read without root (64 bytes): -EACCES",
		.nodes = { { "0000:00:02.0",
			     -1,
			     false,
			     false,
			     { 0x01, ACS_TYPE_ROOT_PORT, ACS_ALL, ACS_REQUIRED,
			       64 } },
			   { "0000:01:00.0", 0, false, true, EP } },
		.nwant = -EACCES,
	},
	{
		.desc = "parent links in a loop: -EINVAL",
		.nodes = { { "0000:01:00.0", 1, false, true, EP },
			   { "0000:02:00.0", 0, false, true, EP } },
		.nwant = -EINVAL,
	},
};

static uint8_t cfgs[MAX_NODES][ACS_CFG_PCIE];

static size_t build(const struct tcase *c, struct acs_fn *t)
{
	size_t n;

	for (n = 0; n < MAX_NODES && c->nodes[n].addr; n++) {
		const struct node *d = &c->nodes[n];

		t[n] = (struct acs_fn){
			.addr = d->addr,
			.cfg = cfgs[n],
			.len = mkcfg(cfgs[n], &d->s),
			.parent = d->parent,
			.virtfn = d->virtfn,
			.member = d->member,
		};
	}
	return n;
}

static void run_case(const struct tcase *c)
{
	struct acs_fn t[MAX_NODES];
	struct acs_reason r[MAX_WANT + 2];
	char why[640], text[512];
	size_t n = build(c, t);
	int got, i;

	got = acs_group_reasons(t, n, r, ARRAY_SIZE(r));
	if (got != c->nwant) {
		snprintf(why, sizeof(why), "%d reasons, want %d", got,
			 c->nwant);
		report(0, c->desc, why);
		return;
	}
	for (i = 0; i < got; i++) {
		const struct want *w = &c->want[i];

		if (r[i].kind != w->kind || strcmp(t[r[i].dev].addr, w->dev) ||
		    r[i].missing != w->missing || r[i].has_acs != w->has_acs) {
			snprintf(
				why, sizeof(why),
				"reason %d: %s %s missing %#x acs %d, want %s %s missing %#x acs %d",
				i, acs_kind_name(r[i].kind), t[r[i].dev].addr,
				r[i].missing, r[i].has_acs,
				acs_kind_name(w->kind), w->dev, w->missing,
				w->has_acs);
			report(0, c->desc, why);
			return;
		}
	}
	if (c->text) {
		acs_reason_text(t, &r[0], text, sizeof(text));
		if (strcmp(text, c->text)) {
			snprintf(why, sizeof(why), "text \"%s\"", text);
			report(0, c->desc, why);
			return;
		}
	}
	report(1, c->desc, NULL);
}

/* The parsers on their own, and the limit on what is written. */
static void parser_cases(void)
{
	static uint8_t cfg[ACS_CFG_PCIE];
	struct spec rp = RP_OK, pci = PCI_DEV;
	struct acs_fn t[MAX_NODES];
	struct acs_reason r[1];
	size_t len;
	int got;

	len = mkcfg(cfg, &rp);
	report(acs_find_cap(cfg, len, ACS_CAP_ID_EXP) == 0x60,
	       "parse: PCI Express capability after power management",
	       "offset");
	report(acs_pcie_type(cfg, len) == ACS_TYPE_ROOT_PORT,
	       "parse: the port type from the PCIe capability", "type");
	report(acs_find_ext_cap(cfg, len, ACS_EXT_CAP_ID_ACS) == 0x148,
	       "parse: ACS after AER in the extended list", "offset");
	report(acs_find_ext_cap(cfg, 256, ACS_EXT_CAP_ID_ACS) == 0,
	       "parse: no extended capabilities in 256 bytes", "found");
	cfg[0x61] = 0x40; /* PCIe capability points back at PM: a loop */
	cfg[0x60] = 0x05;
	report(acs_pcie_type(cfg, len) == ACS_TYPE_NONE,
	       "parse: a looping capability list ends", "type");
	put32(cfg, 0x148, (ACS_EXT_CAP_ID_ACS + 1) | 0x100 << 20);
	report(acs_find_ext_cap(cfg, len, ACS_EXT_CAP_ID_ACS) == 0,
	       "parse: a looping extended list ends", "found");
	len = mkcfg(cfg, &pci);
	report(acs_pcie_type(cfg, len) == ACS_TYPE_NONE && len == 256,
	       "parse: no capability list, conventional PCI", "type");
	memset(cfg, 0xff, sizeof(cfg));
	report(acs_pcie_type(cfg, len) == ACS_TYPE_NONE &&
		       acs_find_ext_cap(cfg, ACS_CFG_PCIE,
					ACS_EXT_CAP_ID_ACS) == 0,
	       "parse: all ones (a device that is gone)", "found");

	report(!strcmp(acs_ctrl_name(ACS_SV), "source-validation") &&
		       !strcmp(acs_ctrl_name(ACS_RR), "request-redirect") &&
		       !strcmp(acs_ctrl_name(ACS_CR), "completion-redirect") &&
		       !strcmp(acs_ctrl_name(ACS_UF), "upstream-forwarding") &&
		       !acs_ctrl_name(ACS_TB),
	       "names: the four required controls", "name");
	report(!strcmp(acs_kind_name(ACS_REASON_PCI_BRIDGE), "pci-bridge") &&
		       !strcmp(acs_kind_name(ACS_REASON_MULTIFUNCTION),
			       "multifunction-no-acs") &&
		       !strcmp(acs_kind_name(ACS_REASON_PORT), "port-no-acs"),
	       "names: the three kinds", "name");

	/* The last table case with room for one reason: counts all three. */
	for (got = 0; got < (int)ARRAY_SIZE(cases); got++)
		if (cases[got].nwant == 3)
			break;
	len = build(&cases[got], t);
	got = acs_group_reasons(t, len, r, ARRAY_SIZE(r));
	report(got == 3 && r[0].kind == ACS_REASON_MULTIFUNCTION,
	       "limit: three reasons counted, the first written", "count");
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	parser_cases();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
