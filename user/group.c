// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl group: IOMMU groups, their members and whether a VM can have them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "acs-sysfs.h"
#include "dev.h"
#include "bind.h"
#include "nl.h"
#include "print.h"

/**
 * struct hvctl_group - one IOMMU group
 * @id: its number
 * @viable: every member is unbound or on a driver that leaves DMA to
 *	userspace, so VFIO can hand the group to a VM
 * @in_use: a VFIO user (a VM) holds the group
 * @devs: the members
 */
struct hvctl_group {
	uint32_t id;
	bool viable;
	bool in_use;
	struct hvctl_devs devs;
};

/* group show: the groups received, and the one asked for (do) */
struct group_dump {
	struct hvctl_group *v;
	size_t n;
	bool one;
	uint32_t id;
};

static const struct nla_policy group_policy[HVCTL_A_GROUP_MAX + 1] = {
	[HVCTL_A_GROUP_ID] = { .type = NLA_U32 },
	[HVCTL_A_GROUP_VIABLE] = { .type = NLA_U8 },
	[HVCTL_A_GROUP_IN_USE] = { .type = NLA_U8 },
	[HVCTL_A_GROUP_DEVICE] = { .type = NLA_NESTED },
};

static void group_reset(void *arg)
{
	struct group_dump *d = arg;
	size_t i;

	for (i = 0; i < d->n; i++)
		hvctl_devs_free(&d->v[i].devs);
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

static struct hvctl_group *group_add(struct group_dump *d)
{
	struct hvctl_group *v;

	v = realloc(d->v, (d->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->v = v;
	v = &d->v[d->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

static int group_members(struct hvctl_group *g, struct nlattr *head, int len,
			 char *why, size_t size)
{
	struct nlattr *a;
	int rem, err;

	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != HVCTL_A_GROUP_DEVICE)
			continue;
		err = hvctl_dev_parse(&g->devs, nla_data(a), nla_len(a), why,
				      size);
		if (err)
			return err;
	}
	return 0;
}

static int group_reply(struct nl_msg *msg, void *arg, char *why, size_t size)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *head = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[HVCTL_A_GROUP_MAX + 1];
	struct group_dump *d = arg;
	struct hvctl_group *g;

	if (nla_parse(tb, HVCTL_A_GROUP_MAX, head, len, group_policy) < 0) {
		snprintf(why, size, "bad group attribute");
		return -EBADMSG;
	}
	if (!tb[HVCTL_A_GROUP_ID] || !tb[HVCTL_A_GROUP_VIABLE] ||
	    !tb[HVCTL_A_GROUP_IN_USE]) {
		snprintf(why, size, "group without ID, VIABLE or IN_USE");
		return -EBADMSG;
	}
	g = group_add(d);
	if (!g)
		return -ENOMEM;
	g->id = nla_get_u32(tb[HVCTL_A_GROUP_ID]);
	g->viable = nla_get_u8(tb[HVCTL_A_GROUP_VIABLE]);
	g->in_use = nla_get_u8(tb[HVCTL_A_GROUP_IN_USE]);
	return group_members(g, head, len, why, size);
}

static int group_fill(struct nl_msg *msg, void *arg)
{
	struct group_dump *d = arg;

	if (d->one && nla_put_u32(msg, HVCTL_A_GROUP_ID, d->id))
		return -EMSGSIZE;
	return 0;
}

/* ": 0000:02:01.0 (e1000) is on a host driver" */
static void print_blockers(const struct hvctl_group *g)
{
	const struct hvctl_dev *dev;
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < g->devs.n; i++) {
		dev = &g->devs.v[i];
		if (!dev->blocking)
			continue;
		print_text("%s %s (%s)", n++ ? "," : ":", dev->addr,
			   dev->driver ? dev->driver : "no driver");
	}
	if (n)
		print_text(n == 1 ? " is on a host driver" :
				    " are on host drivers");
}

/* One reason: {"kind", "device", "missing", "acs_capability"}, or a line. */
static void print_reason(const struct hvctl_acs_sys *s,
			 const struct acs_reason *r)
{
	char text[512];
	uint16_t bit;

	open_obj(NULL);
	print_str(PRINT_JSON, "kind", NULL, acs_kind_name(r->kind));
	print_str(PRINT_JSON, "device", NULL, s->fn[r->dev].addr);
	open_arr("missing");
	for (bit = ACS_SV; bit <= ACS_UF; bit <<= 1)
		if ((r->missing & bit) && acs_ctrl_name(bit))
			print_str(PRINT_JSON, NULL, NULL, acs_ctrl_name(bit));
	close_arr();
	print_bool(PRINT_JSON, "acs_capability", NULL, r->has_acs);
	acs_reason_text(s->fn, r, text, sizeof(text));
	print_str(PRINT_TEXT, NULL, "    reason: %s\n", text);
	close_obj();
}

/*
 * group show ID: why the group holds the devices it does, read from
 * config space now (the kernel decided at boot or hotplug).
 */
static void print_reasons(const struct hvctl_group *g)
{
	struct hvctl_acs_sys s;
	const char **addrs;
	size_t i;

	addrs = calloc(g->devs.n ? g->devs.n : 1, sizeof(*addrs));
	if (!addrs) {
		print_null(PRINT_JSON, "reasons", NULL);
		return;
	}
	for (i = 0; i < g->devs.n; i++)
		addrs[i] = g->devs.v[i].addr;
	hvctl_acs_sys_read(&s, addrs, g->devs.n);
	free(addrs);
	if (s.nreasons < 0) {
		print_null(PRINT_JSON, "reasons", NULL);
		if (s.nreasons == -EACCES)
			print_text(
				"    reasons unknown: config space past its first 64 bytes is readable by root only\n");
		else
			print_text(
				"    reasons unknown: cannot read the config space%s%s: %s\n",
				*s.failed ? " of " : "", s.failed,
				strerror(-s.nreasons));
		hvctl_acs_sys_free(&s);
		return;
	}
	open_arr("reasons");
	for (i = 0; i < (size_t)s.nreasons; i++)
		print_reason(&s, &s.reasons[i]);
	close_arr();
	if (!s.nreasons && g->devs.n > 1)
		print_text(
			"    reason: none found in config space (a kernel quirk or DMA alias for these devices?)\n");
	hvctl_acs_sys_free(&s);
}

static void print_group(const struct hvctl_ctx *ctx,
			const struct hvctl_group *g, bool detail)
{
	size_t i;

	open_obj(NULL);
	print_uint(PRINT_ANY, "group", "group %llu  ", g->id);
	print_bool(PRINT_JSON, "viable", NULL, g->viable);
	print_bool(PRINT_JSON, "in_use", NULL, g->in_use);
	print_text("%s", g->viable ? "viable" : "not viable");
	if (!g->viable)
		print_blockers(g);
	if (g->in_use)
		print_text(", in use by a VFIO user");
	print_text("\n");

	open_arr("devices");
	for (i = 0; i < g->devs.n; i++)
		hvctl_dev_print(ctx, &g->devs.v[i], -1);
	close_arr();
	open_arr("blocking");
	for (i = 0; i < g->devs.n; i++)
		if (g->devs.v[i].blocking)
			print_str(PRINT_JSON, NULL, NULL, g->devs.v[i].addr);
	close_arr();
	if (detail)
		print_reasons(g);
	close_obj();
}

static int group_help(struct hvctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("Usage: hvctl group show [ ID ]\n"
	       "       hvctl [ --dry-run ] [ --force ] group bind ID [ driver NAME ]\n"
	       "       hvctl [ --dry-run ] group unbind ID\n"
	       "       hvctl group help\n"
	       "\n"
	       "Show IOMMU groups (all, or group ID), their devices and whether the\n"
	       "group is viable: only a viable group can be given to a VM, and it is\n"
	       "viable when every member is unbound or bound to vfio-pci, pci-stub\n"
	       "or pcieport.  For one group, also why it holds the devices it does:\n"
	       "devices behind a PCIe-to-PCI bridge share its requester ID, functions\n"
	       "of a multifunction device without ACS, a root or downstream port\n"
	       "without ACS or with ACS controls off (read from config space: root).\n");
	return HVCTL_EXIT_OK;
}

/* A group id: decimal, 0 to 4294967295, nothing else. */
int hvctl_parse_group_id(const char *s, uint32_t *id)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		goto bad;
	*id = v;
	return 0;
bad:
	return usage_err(
		"group",
		"invalid group id \"%s\": expected a number from 0 to %u", s,
		UINT32_MAX);
}

static int group_show(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct group_dump d = { .one = argc > 0 };
	struct hvctl_req req = {
		.cmd = HVCTL_CMD_GROUP_GET,
		.dump = !d.one,
		.fill = group_fill,
		.reply = group_reply,
		.reset = group_reset,
		.arg = &d,
	};
	char notfound[64];
	size_t i;
	int ret;

	if (argc && hvctl_is_help(argv[0]))
		return group_help(ctx, argc, argv);
	if (argc > 1)
		return usage_err("group", "unexpected argument \"%s\"",
				 argv[1]);
	if (argc && hvctl_parse_group_id(argv[0], &d.id))
		return HVCTL_EXIT_USAGE;
	snprintf(notfound, sizeof(notfound), "IOMMU group %u does not exist",
		 d.id);
	req.notfound = notfound;

	ret = hvctl_connect(ctx);
	if (ret)
		return ret;
	ret = hvctl_nl_run(ctx->nl, &req);
	if (ret)
		goto out;
	if (!d.n && !d.one && !ctx->json)
		fprintf(stderr,
			"No IOMMU groups: is the IOMMU enabled (intel_iommu=on or amd_iommu=on)?\n");
	open_arr(NULL);
	for (i = 0; i < d.n; i++)
		print_group(ctx, &d.v[i], d.one);
	close_arr();
out:
	group_reset(&d);
	return ret;
}

int cmd_group(struct hvctl_ctx *ctx, int argc, char **argv)
{
	static const struct hvctl_cmd verbs[] = {
		{ "show", group_show },
		{ "bind", hvctl_group_bind },
		{ "unbind", hvctl_group_unbind },
		{ "help", group_help },
	};

	if (!argc)
		return group_show(ctx, 0, NULL);
	return hvctl_dispatch(ctx, verbs, ARRAY_SIZE(verbs), "group", argc,
			      argv);
}
