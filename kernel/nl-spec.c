// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hvctl family as Documentation/netlink/specs/hvctl.yaml describes it:
 * per-command policies, the operations table and the family.  Only the
 * spec's content lives here; scripts/spec-check.py compares the two.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "hvctl.h"

/* GROUP_GET: the group to report (do); dumps take no attributes. */
static const struct nla_policy hvctl_group_get_nl_policy[HVCTL_A_GROUP_ID + 1] = {
	[HVCTL_A_GROUP_ID] = { .type = NLA_U32, },
};

/* DEVICE_GET: the selector naming the device (do) or filtering (dump). */
static const struct nla_policy hvctl_device_get_nl_policy[HVCTL_A_DEV_SELECTOR + 1] = {
	[HVCTL_A_DEV_SELECTOR] = { .type = NLA_NUL_STRING, .len = HVCTL_SELECTOR_MAX - 1, },
};

/* DEVICE_BIND: a device or a group, the target driver, the options. */
static const struct nla_policy hvctl_device_bind_nl_policy[HVCTL_A_BIND_FORCE + 1] = {
	[HVCTL_A_BIND_SELECTOR] = { .type = NLA_NUL_STRING, .len = HVCTL_SELECTOR_MAX - 1, },
	[HVCTL_A_BIND_GROUP] = { .type = NLA_U32, },
	[HVCTL_A_BIND_DRIVER] = { .type = NLA_NUL_STRING, .len = HVCTL_DRIVER_NAME_MAX - 1, },
	[HVCTL_A_BIND_NOGROUP] = { .type = NLA_FLAG, },
	[HVCTL_A_BIND_DRY_RUN] = { .type = NLA_FLAG, },
	[HVCTL_A_BIND_FORCE] = { .type = NLA_FLAG, },
};

/* DEVICE_UNBIND: a device or a group. */
static const struct nla_policy hvctl_device_unbind_nl_policy[HVCTL_A_BIND_DRY_RUN + 1] = {
	[HVCTL_A_BIND_SELECTOR] = { .type = NLA_NUL_STRING, .len = HVCTL_SELECTOR_MAX - 1, },
	[HVCTL_A_BIND_GROUP] = { .type = NLA_U32, },
	[HVCTL_A_BIND_NOGROUP] = { .type = NLA_FLAG, },
	[HVCTL_A_BIND_DRY_RUN] = { .type = NLA_FLAG, },
};

/* HUGEPAGES_GET: an optional name (dump filter). */
static const struct nla_policy hvctl_hugepages_get_nl_policy[HVCTL_A_HUGEPAGES_NAME + 1] = {
	[HVCTL_A_HUGEPAGES_NAME] = { .type = NLA_NUL_STRING, .len = HVCTL_HP_NAME_MAX - 1, },
};

/* One node of a reservation, nested in HVCTL_A_HUGEPAGES_NODE. */
const struct nla_policy hvctl_hp_node_nl_policy[HVCTL_A_HP_NODE_COUNT + 1] = {
	[HVCTL_A_HP_NODE_ID] = { .type = NLA_U32, },
	[HVCTL_A_HP_NODE_COUNT] = { .type = NLA_U64, },
};

/* HUGEPAGES_RESERVE: name, size, one nest per node, dry run. */
static const struct nla_policy hvctl_hugepages_reserve_nl_policy[HVCTL_A_HUGEPAGES_DRY_RUN + 1] = {
	[HVCTL_A_HUGEPAGES_NAME] = { .type = NLA_NUL_STRING, .len = HVCTL_HP_NAME_MAX - 1, },
	[HVCTL_A_HUGEPAGES_SIZE_KB] = { .type = NLA_U32, },
	[HVCTL_A_HUGEPAGES_NODE] = {
		.type = NLA_NESTED,
		.nested_policy = hvctl_hp_node_nl_policy,
		.len = HVCTL_A_HP_NODE_COUNT,
	},
	[HVCTL_A_HUGEPAGES_DRY_RUN] = { .type = NLA_FLAG, },
};

/* HUGEPAGES_RELEASE: the name, dry run. */
static const struct nla_policy hvctl_hugepages_release_nl_policy[HVCTL_A_HUGEPAGES_DRY_RUN + 1] = {
	[HVCTL_A_HUGEPAGES_NAME] = { .type = NLA_NUL_STRING, .len = HVCTL_HP_NAME_MAX - 1, },
	[HVCTL_A_HUGEPAGES_DRY_RUN] = { .type = NLA_FLAG, },
};

static const struct genl_ops hvctl_nl_ops[] = {
	{
		.cmd = HVCTL_CMD_GROUP_GET,
		.doit = hvctl_nl_group_get_doit,
		.start = hvctl_nl_group_get_start,
		.dumpit = hvctl_nl_group_get_dumpit,
		.done = hvctl_nl_snap_done,
		.policy = hvctl_group_get_nl_policy,
		.maxattr = HVCTL_A_GROUP_ID,
	},
	{
		.cmd = HVCTL_CMD_DEVICE_GET,
		.doit = hvctl_nl_device_get_doit,
		.start = hvctl_nl_device_get_start,
		.dumpit = hvctl_nl_device_get_dumpit,
		.done = hvctl_nl_snap_done,
		.policy = hvctl_device_get_nl_policy,
		.maxattr = HVCTL_A_DEV_SELECTOR,
	},
	{
		.cmd = HVCTL_CMD_DEVICE_BIND,
		.doit = hvctl_nl_device_bind_doit,
		.policy = hvctl_device_bind_nl_policy,
		.maxattr = HVCTL_A_BIND_FORCE,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HVCTL_CMD_DEVICE_UNBIND,
		.doit = hvctl_nl_device_unbind_doit,
		.policy = hvctl_device_unbind_nl_policy,
		.maxattr = HVCTL_A_BIND_DRY_RUN,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HVCTL_CMD_HUGEPAGES_GET,
		.start = hvctl_nl_hugepages_get_start,
		.dumpit = hvctl_nl_hugepages_get_dumpit,
		.policy = hvctl_hugepages_get_nl_policy,
		.maxattr = HVCTL_A_HUGEPAGES_NAME,
	},
	{
		.cmd = HVCTL_CMD_HUGEPAGES_RESERVE,
		.doit = hvctl_nl_hugepages_reserve_doit,
		.policy = hvctl_hugepages_reserve_nl_policy,
		.maxattr = HVCTL_A_HUGEPAGES_DRY_RUN,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HVCTL_CMD_HUGEPAGES_RELEASE,
		.doit = hvctl_nl_hugepages_release_doit,
		.policy = hvctl_hugepages_release_nl_policy,
		.maxattr = HVCTL_A_HUGEPAGES_DRY_RUN,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group hvctl_nl_mcgrps[] = {
	[HVCTL_NLGRP_EVENTS] = {
		.name = HVCTL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family hvctl_nl_family __ro_after_init = {
	.name = HVCTL_FAMILY_NAME,
	.version = HVCTL_FAMILY_VERSION,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = hvctl_nl_ops,
	.n_ops = ARRAY_SIZE(hvctl_nl_ops),
	.pre_doit = hvctl_nl_pre_doit,
	.mcgrps = hvctl_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hvctl_nl_mcgrps),
};
