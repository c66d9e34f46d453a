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
};
