// SPDX-License-Identifier: GPL-2.0-only
/*
 * Why an IOMMU group is large: the kernel's grouping decisions repeated
 * over configuration space bytes (see acs.h).  No I/O here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acs.h"

#define CFG_STATUS 0x06
#define CFG_STATUS_CAP_LIST 0x10
#define CFG_HEADER_TYPE 0x0e
#define CFG_HEADER_MULTI 0x80
#define CFG_HEADER_LAYOUT 0x7f
#define CFG_HEADER_CARDBUS 2
#define CFG_CAP_PTR 0x34
#define CFG_CB_CAP_PTR 0x14
#define CFG_EXP_FLAGS 2 /* PCI Express Capabilities register */
#define CFG_ACS_CAP 4
#define CFG_ACS_CTRL 6

/* Reasons of one device, as bits of enum acs_kind. */
#define KIND_BIT(k) (1u << (k))

static unsigned int rd8(const uint8_t *cfg, size_t len, unsigned int off)
{
	return off < len ? cfg[off] : 0xff;
}

static unsigned int rd16(const uint8_t *cfg, size_t len, unsigned int off)
{
	if (off + 2 > len)
		return 0xffff;
	return cfg[off] | cfg[off + 1] << 8;
}

static uint32_t rd32(const uint8_t *cfg, size_t len, unsigned int off)
{
	if (off + 4 > len)
		return 0xffffffff;
	return (uint32_t)cfg[off] | (uint32_t)cfg[off + 1] << 8 |
	       (uint32_t)cfg[off + 2] << 16 | (uint32_t)cfg[off + 3] << 24;
}

/* The standard capability list, as pci_find_capability() walks it. */
unsigned int acs_find_cap(const uint8_t *cfg, size_t len, uint8_t id)
{
	unsigned int pos, ttl = 48;

	if (!(rd16(cfg, len, CFG_STATUS) & CFG_STATUS_CAP_LIST) ||
	    rd16(cfg, len, CFG_STATUS) == 0xffff)
		return 0;
	if ((rd8(cfg, len, CFG_HEADER_TYPE) & CFG_HEADER_LAYOUT) ==
	    CFG_HEADER_CARDBUS)
		pos = rd8(cfg, len, CFG_CB_CAP_PTR);
	else
		pos = rd8(cfg, len, CFG_CAP_PTR);
	while (ttl--) {
		pos &= ~3u;
		if (pos < 0x40 || pos + 2 > len)
			return 0;
		if (cfg[pos] == 0xff)
			return 0;
		if (cfg[pos] == id)
			return pos;
		pos = cfg[pos + 1];
	}
	return 0;
}

/* The extended capability list from 0x100, as pci_find_ext_capability(). */
unsigned int acs_find_ext_cap(const uint8_t *cfg, size_t len, uint16_t id)
{
	unsigned int pos = 0x100, ttl = (ACS_CFG_PCIE - 0x100) / 8;
	uint32_t h;

	if (len <= ACS_CFG_PCI)
		return 0;
	h = rd32(cfg, len, pos);
	/* No extended capabilities: 0, or all ones when nothing answers. */
	if (!h || h == 0xffffffff)
		return 0;
	while (ttl--) {
		if ((h & 0xffff) == id)
			return pos;
		pos = (h >> 20) & 0xffc;
		if (pos < 0x100)
			return 0;
		h = rd32(cfg, len, pos);
		if (h == 0xffffffff)
			return 0;
	}
	return 0;
}

int acs_pcie_type(const uint8_t *cfg, size_t len)
{
	unsigned int pos = acs_find_cap(cfg, len, ACS_CAP_ID_EXP);

	if (!pos)
		return ACS_TYPE_NONE;
	return (rd16(cfg, len, pos + CFG_EXP_FLAGS) >> 4) & 0xf;
}

/* "DDDD:BB:DD.F": F, or -1 */
static int addr_fn(const char *addr)
{
	const char *dot = strrchr(addr, '.');

	if (!dot || dot[1] < '0' || dot[1] > '7' || dot[2])
		return -1;
	return dot[1] - '0';
}

/* Same domain, bus and device number: functions of one device. */
static bool same_slot(const char *a, const char *b)
{
	const char *da = strrchr(a, '.'), *db = strrchr(b, '.');

	return da && db && da - a == db - b && !strncmp(a, b, da - a);
}

/*
 * Like the kernel's pdev->multifunction: the header says so, or the
 * scan found it at a function number above 0 (pci_scan_slot()); virtual
 * functions are not found by scanning.
 */
bool acs_multifunction(const struct acs_fn *fn)
{
	if (rd8(fn->cfg, fn->len, CFG_HEADER_TYPE) & CFG_HEADER_MULTI)
		return true;
	return !fn->virtfn && addr_fn(fn->addr) > 0;
}

/*
 * pci_acs_flags_enabled(): controls the capability does not offer are
 * hard-wired on (egress control aside, which is not required here).
 */
static uint16_t flags_lacking(const struct acs_fn *fn, unsigned int pos)
{
	unsigned int cap, ctrl, want;

	if (!pos)
		return ACS_REQUIRED;
	cap = rd16(fn->cfg, fn->len, pos + CFG_ACS_CAP);
	ctrl = rd16(fn->cfg, fn->len, pos + CFG_ACS_CTRL);
	want = ACS_REQUIRED & (cap | ACS_EC);
	return want & ~ctrl;
}

/* pci_acs_enabled(dev, REQ_ACS_FLAGS), as what is missing. */
uint16_t acs_lacking(const struct acs_fn *fn, bool *has_acs)
{
	unsigned int pos =
		acs_find_ext_cap(fn->cfg, fn->len, ACS_EXT_CAP_ID_ACS);

	*has_acs = pos != 0;
	switch (acs_pcie_type(fn->cfg, fn->len)) {
	/* Conventional PCI: a shared bus, everyone sees everything. */
	case ACS_TYPE_NONE:
	/* PCI on one side: ACS does not apply (PCIe r3.0, 6.12.1). */
	case ACS_TYPE_PCIE_BRIDGE:
	case ACS_TYPE_PCI_BRIDGE:
	case ACS_TYPE_RC_EC:
		return ACS_REQUIRED;
	/* Ports must say how they route peer-to-peer traffic. */
	case ACS_TYPE_DOWNSTREAM:
	case ACS_TYPE_ROOT_PORT:
		return flags_lacking(fn, pos);
	/* The rest only as functions of a multifunction device. */
	case ACS_TYPE_ENDPOINT:
	case ACS_TYPE_UPSTREAM:
	case ACS_TYPE_LEG_END:
	case ACS_TYPE_RC_END:
		if (!acs_multifunction(fn))
			return 0;
		return flags_lacking(fn, pos);
	}
	return 0;
}

/* pci_for_each_dma_alias(): which bridges speak for the devices behind. */
bool acs_bridge_aliases(const struct acs_fn *bridge)
{
	switch (acs_pcie_type(bridge->cfg, bridge->len)) {
	case ACS_TYPE_NONE:
	case ACS_TYPE_PCI_BRIDGE:
	case ACS_TYPE_PCIE_BRIDGE:
		return true;
	}
	return false;
}

static uint16_t lacking(const struct acs_fn *fn)
{
	bool has_acs;

	return acs_lacking(fn, &has_acs);
}

/* The path from @i to a root is made of valid indices and ends. */
static bool path_ok(const struct acs_fn *t, size_t n, size_t i)
{
	size_t hops = 0;
	int p = t[i].parent;

	while (p >= 0) {
		if ((size_t)p >= n || ++hops > n)
			return false;
		p = t[p].parent;
	}
	return p == -1;
}

/*
 * Mark the reasons on the path of member @m, following pci_device_group():
 * first the DMA alias (the highest bridge that takes over the requester
 * ID), then upwards every port that fails ACS (the group extends to the
 * highest), and at the device where that ends, functions of the same
 * device that are not isolated.
 */
static void walk(const struct acs_fn *t, size_t n, size_t m, uint8_t *kinds)
{
	size_t top = m, i;
	int p;

	for (p = t[m].parent; p >= 0; p = t[p].parent) {
		if (acs_bridge_aliases(&t[p])) {
			kinds[p] |= KIND_BIT(ACS_REASON_PCI_BRIDGE);
			top = p;
		}
	}
	for (p = t[top].parent; p >= 0; p = t[p].parent) {
		if (lacking(&t[p])) {
			kinds[p] |= KIND_BIT(ACS_REASON_PORT);
			top = p;
		}
	}
	if (!acs_multifunction(&t[top]) || !lacking(&t[top]))
		return;
	for (i = 0; i < n; i++) {
		if (i != top && same_slot(t[i].addr, t[top].addr) &&
		    lacking(&t[i])) {
			kinds[top] |= KIND_BIT(ACS_REASON_MULTIFUNCTION);
			return;
		}
	}
}

int acs_group_reasons(const struct acs_fn *t, size_t n, struct acs_reason *out,
		      size_t max)
{
	uint8_t *kinds;
	size_t *order, i, j, k;
	int count = 0;

	for (i = 0; i < n; i++) {
		if (t[i].len < ACS_CFG_PCI)
			return -EACCES;
		if (!path_ok(t, n, i))
			return -EINVAL;
	}
	kinds = calloc(n ? n : 1, sizeof(*kinds));
	order = calloc(n ? n : 1, sizeof(*order));
	if (!kinds || !order) {
		free(kinds);
		free(order);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (t[i].member)
			walk(t, n, i, kinds);

	/* By address: insertion sort of the indices, tables are small. */
	for (i = 0; i < n; i++) {
		for (j = i;
		     j > 0 && strcmp(t[order[j - 1]].addr, t[i].addr) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < n; i++) {
		const struct acs_fn *fn = &t[order[i]];

		/* Only members: a non-member the kernel isolated by a quirk. */
		if (!fn->member)
			continue;
		for (k = ACS_REASON_PCI_BRIDGE; k <= ACS_REASON_PORT; k++) {
			struct acs_reason r = { .kind = k, .dev = order[i] };

			if (!(kinds[order[i]] & KIND_BIT(k)))
				continue;
			r.type = acs_pcie_type(fn->cfg, fn->len);
			r.missing = acs_lacking(fn, &r.has_acs);
			if (k == ACS_REASON_PCI_BRIDGE)
				r.missing = 0;
			if ((size_t)count < max)
				out[count] = r;
			count++;
		}
	}
	free(kinds);
	free(order);
	return count;
}

const char *acs_kind_name(enum acs_kind kind)
{
	switch (kind) {
	case ACS_REASON_PCI_BRIDGE:
		return "pci-bridge";
	case ACS_REASON_MULTIFUNCTION:
		return "multifunction-no-acs";
	case ACS_REASON_PORT:
		return "port-no-acs";
	}
	return "unknown";
}

const char *acs_ctrl_name(uint16_t bit)
{
	switch (bit) {
	case ACS_SV:
		return "source-validation";
	case ACS_RR:
		return "request-redirect";
	case ACS_CR:
		return "completion-redirect";
	case ACS_UF:
		return "upstream-forwarding";
	}
	return NULL;
}

const char *acs_type_name(int type, bool bridge)
{
	switch (type) {
	case ACS_TYPE_NONE:
		return bridge ? "conventional PCI bridge" :
				"conventional PCI device";
	case ACS_TYPE_ENDPOINT:
		return "PCIe endpoint";
	case ACS_TYPE_LEG_END:
		return "legacy PCIe endpoint";
	case ACS_TYPE_ROOT_PORT:
		return "root port";
	case ACS_TYPE_UPSTREAM:
		return "switch upstream port";
	case ACS_TYPE_DOWNSTREAM:
		return "switch downstream port";
	case ACS_TYPE_PCI_BRIDGE:
		return "PCIe-to-PCI bridge";
	case ACS_TYPE_PCIE_BRIDGE:
		return "PCI-to-PCIe bridge";
	case ACS_TYPE_RC_END:
		return "root complex integrated endpoint";
	case ACS_TYPE_RC_EC:
		return "root complex event collector";
	}
	return "PCIe device";
}

/* The words for one control in text: "source validation". */
static const char *ctrl_words(uint16_t bit)
{
	switch (bit) {
	case ACS_SV:
		return "source validation";
	case ACS_RR:
		return "request redirect";
	case ACS_CR:
		return "completion redirect";
	case ACS_UF:
		return "upstream forwarding";
	}
	return NULL;
}

/* "without ACS" or "with ACS controls off (request redirect, ...)" */
static void acs_phrase(const struct acs_reason *r, char *buf, size_t size)
{
	uint16_t bit;
	size_t n;
	const char *sep = " (";

	if (!r->has_acs) {
		snprintf(buf, size, "without ACS");
		return;
	}
	snprintf(buf, size, "with ACS controls off");
	for (bit = ACS_SV; bit <= ACS_UF; bit <<= 1) {
		const char *name = ctrl_words(bit);

		if (!(r->missing & bit) || !name)
			continue;
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", sep, name);
		sep = ", ";
	}
	n = strlen(buf);
	if (*sep == ',')
		snprintf(buf + n, size - n, ")");
}

int acs_reason_text(const struct acs_fn *t, const struct acs_reason *r,
		    char *buf, size_t size)
{
	const char *addr = t[r->dev].addr;
	char acs[160];

	switch (r->kind) {
	case ACS_REASON_PCI_BRIDGE:
		return snprintf(
			buf, size,
			"%s is a %s: the devices behind it share its requester ID",
			addr, acs_type_name(r->type, true));
	case ACS_REASON_MULTIFUNCTION:
		acs_phrase(r, acs, sizeof(acs));
		return snprintf(
			buf, size,
			"%s is a function of a multifunction device %s: its functions are not isolated from each other",
			addr, acs);
	case ACS_REASON_PORT:
		acs_phrase(r, acs, sizeof(acs));
		return snprintf(
			buf, size,
			"%s is a %s %s: the devices below it are not isolated from each other",
			addr, acs_type_name(r->type, true), acs);
	}
	return snprintf(buf, size, "%s", addr);
}
