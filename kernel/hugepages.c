// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ledger of named huge page reservations: who holds how many pages of
 * which size on which NUMA node.  The kernel exports nothing that resizes
 * a hugetlb pool, so hvctl grows and shrinks the pools through sysfs and
 * records here what it obtained (HUGEPAGES_RESERVE) and gave back
 * (HUGEPAGES_RELEASE); HUGEPAGES_GET and /sys/kernel/hvctl/hugepages
 * report it.  The arithmetic lives in hp-ledger.c.
 */
#include <linux/cred.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "hvctl.h"
#include "hp-ledger.h"

/* The ledger, in the order reservations were recorded. */
static DEFINE_MUTEX(hvctl_hp_lock);
static struct hvctl_hp_resv *hvctl_hp_ledger[HVCTL_HP_LEDGER_MAX];
static unsigned int hvctl_hp_n;
/* Bumped on every change; dumps use it to flag interruption. */
static unsigned int hvctl_hp_gen = 1;

static const struct hvctl_hp_resv *const *hvctl_hp_view(void)
{
	return (const struct hvctl_hp_resv *const *)hvctl_hp_ledger;
}

/* The huge page sizes this machine's hugetlb has (HVCTL_HP_HAVE_*). */
static unsigned int hvctl_hp_have(void)
{
	unsigned int have = 0;

#if defined(CONFIG_X86) && defined(CONFIG_HUGETLB_PAGE)
	if (boot_cpu_has(X86_FEATURE_PSE))
		have |= HVCTL_HP_HAVE_2M;
	if (boot_cpu_has(X86_FEATURE_GBPAGES))
		have |= HVCTL_HP_HAVE_1G;
#endif
	return have;
}

/* One entry's attributes: the same for replies, dumps and events. */
static int hvctl_hp_put(struct sk_buff *skb, const struct hvctl_hp_resv *r)
{
	struct nlattr *nest;
	u32 i;

	if (nla_put_string(skb, HVCTL_A_HUGEPAGES_NAME, r->name) ||
	    nla_put_u32(skb, HVCTL_A_HUGEPAGES_SIZE_KB, r->size_kb) ||
	    nla_put_u32(skb, HVCTL_A_HUGEPAGES_UID, r->uid) ||
	    nla_put_u64_64bit(skb, HVCTL_A_HUGEPAGES_TIME, r->time,
			      HVCTL_A_HUGEPAGES_PAD))
		return -EMSGSIZE;
	for (i = 0; i < r->nr_nodes; i++) {
		nest = nla_nest_start(skb, HVCTL_A_HUGEPAGES_NODE);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u32(skb, HVCTL_A_HP_NODE_ID, r->node[i].node) ||
		    nla_put_u64_64bit(skb, HVCTL_A_HP_NODE_COUNT,
				      r->node[i].count, HVCTL_A_HP_NODE_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int hvctl_hp_fill(struct sk_buff *skb, const struct hvctl_hp_resv *r,
			 u8 cmd, u32 portid, u32 seq, int flags,
			 struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &hvctl_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (hvctl_hp_put(skb, r)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Tell the events group; @r is a copy the caller owns. */
static void hvctl_hp_notify(const struct hvctl_hp_resv *r, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&hvctl_nl_family, &init_net,
				HVCTL_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (hvctl_hp_fill(msg, r, cmd, 0, 0, 0, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&hvctl_nl_family, msg, 0, HVCTL_NLGRP_EVENTS,
			  GFP_KERNEL);
}

static int hvctl_hp_reply(struct genl_info *info, const struct hvctl_hp_resv *r,
			  u8 cmd)
{
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = hvctl_hp_fill(msg, r, cmd, info->snd_portid, info->snd_seq, 0,
			    NULL);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* One HVCTL_A_HUGEPAGES_NODE nest of a RESERVE request into @r. */
static int hvctl_hp_parse_node(struct nlattr *attr, struct hvctl_hp_resv *r,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HVCTL_A_HP_NODE_MAX + 1];
	const char *msg;
	u32 node;
	u64 count;
	int ret;

	ret = nla_parse_nested(tb, HVCTL_A_HP_NODE_MAX, attr,
			       hvctl_hp_node_nl_policy, extack);
	if (ret)
		return ret;
	if (!tb[HVCTL_A_HP_NODE_ID] || !tb[HVCTL_A_HP_NODE_COUNT]) {
		HV_ERRA(extack, attr, "a node entry needs both ID and COUNT");
		return -EINVAL;
	}
	node = nla_get_u32(tb[HVCTL_A_HP_NODE_ID]);
	if (node >= MAX_NUMNODES || !node_online(node)) {
		HV_ERRA(extack, tb[HVCTL_A_HP_NODE_ID],
			"NUMA node is not online");
		return -EINVAL;
	}
	count = nla_get_u64(tb[HVCTL_A_HP_NODE_COUNT]);
	ret = hvctl_hp_resv_add_node(r, node, count, &msg);
	if (ret)
		hvctl_nl_err(extack, tb[HVCTL_A_HP_NODE_COUNT], msg);
	/* A bad count, a node twice, too many nodes: all EINVAL. */
	return ret ? -EINVAL : 0;
}

/* A RESERVE request into @r; everything but the ledger is checked. */
static int hvctl_hp_parse(struct genl_info *info, struct hvctl_hp_resv *r)
{
	struct nlattr **tb = info->attrs, *a;
	const char *msg;
	int rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, HVCTL_A_HUGEPAGES_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, HVCTL_A_HUGEPAGES_SIZE_KB) ||
	    GENL_REQ_ATTR_CHECK(info, HVCTL_A_HUGEPAGES_NODE))
		return -EINVAL;
	a = tb[HVCTL_A_HUGEPAGES_NAME];
	msg = hvctl_hp_name_check(nla_data(a),
				  strnlen(nla_data(a), nla_len(a)));
	if (msg) {
		hvctl_nl_err(info->extack, a, msg);
		return -EINVAL;
	}
	nla_strscpy(r->name, a, sizeof(r->name));
	a = tb[HVCTL_A_HUGEPAGES_SIZE_KB];
	r->size_kb = nla_get_u32(a);
	msg = hvctl_hp_size_check(r->size_kb, hvctl_hp_have());
	if (msg) {
		hvctl_nl_err(info->extack, a, msg);
		return -EINVAL;
	}
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != HVCTL_A_HUGEPAGES_NODE)
			continue;
		ret = hvctl_hp_parse_node(a, r, info->extack);
		if (ret)
			return ret;
	}
	r->uid = from_kuid(&init_user_ns, current_uid());
	r->time = ktime_get_real_seconds();
	return 0;
}

static void hvctl_hp_log(const char *what, const struct hvctl_hp_resv *r)
{
	u32 i;

	pr_info("hvctl: huge page reservation \"%s\" %s by uid %u pid %d: %u kB pages\n",
		r->name, what, from_kuid(&init_user_ns, current_uid()),
		task_tgid_vnr(current), r->size_kb);
	for (i = 0; i < r->nr_nodes; i++)
		pr_info("hvctl:   \"%s\" node %u: %llu pages\n", r->name,
			r->node[i].node, r->node[i].count);
}

int hvctl_nl_hugepages_reserve_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hvctl_hp_resv *r;
	const char *msg;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	ret = hvctl_hp_parse(info, r);
	if (ret)
		goto out_free;

	mutex_lock(&hvctl_hp_lock);
	ret = hvctl_hp_fits(hvctl_hp_view(), hvctl_hp_n, r, &msg);
	if (ret) {
		mutex_unlock(&hvctl_hp_lock);
		hvctl_nl_err(info->extack,
			     ret == -EEXIST ?
				     info->attrs[HVCTL_A_HUGEPAGES_NAME] :
				     NULL,
			     msg);
		if (ret == -EOVERFLOW)
			ret = -EINVAL;
		goto out_free;
	}
	if (nla_get_flag(info->attrs[HVCTL_A_HUGEPAGES_DRY_RUN])) {
		mutex_unlock(&hvctl_hp_lock);
		goto out_free;
	}
	hvctl_hp_ledger[hvctl_hp_n++] = r;
	hvctl_hp_gen++;
	/* Under the lock: a RELEASE may free @r as soon as it is dropped. */
	hvctl_hp_log("recorded", r);
	hvctl_hp_notify(r, HVCTL_CMD_HUGEPAGES_RESERVE);
	/* The entry is recorded; a failed reply does not undo that. */
	hvctl_hp_reply(info, r, HVCTL_CMD_HUGEPAGES_RESERVE);
	mutex_unlock(&hvctl_hp_lock);
	return 0;

out_free:
	kfree(r);
	return ret;
}

int hvctl_nl_hugepages_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = info->attrs[HVCTL_A_HUGEPAGES_NAME];
	char name[HVCTL_HP_NAME_MAX];
	struct hvctl_hp_resv *r;
	unsigned int i;

	if (GENL_REQ_ATTR_CHECK(info, HVCTL_A_HUGEPAGES_NAME))
		return -EINVAL;
	nla_strscpy(name, a, sizeof(name));

	mutex_lock(&hvctl_hp_lock);
	for (i = 0; i < hvctl_hp_n; i++)
		if (!strcmp(hvctl_hp_ledger[i]->name, name))
			break;
	if (i == hvctl_hp_n) {
		mutex_unlock(&hvctl_hp_lock);
		HV_ERRA(info->extack, a,
			"no huge page reservation with this name");
		return -ENOENT;
	}
	if (nla_get_flag(info->attrs[HVCTL_A_HUGEPAGES_DRY_RUN])) {
		mutex_unlock(&hvctl_hp_lock);
		return 0;
	}
	r = hvctl_hp_ledger[i];
	memmove(&hvctl_hp_ledger[i], &hvctl_hp_ledger[i + 1],
		(hvctl_hp_n - i - 1) * sizeof(hvctl_hp_ledger[0]));
	hvctl_hp_ledger[--hvctl_hp_n] = NULL;
	hvctl_hp_gen++;
	hvctl_hp_log("released", r);
	hvctl_hp_notify(r, HVCTL_CMD_HUGEPAGES_RELEASE);
	hvctl_hp_reply(info, r, HVCTL_CMD_HUGEPAGES_RELEASE);
	mutex_unlock(&hvctl_hp_lock);
	kfree(r);
	return 0;
}

/* Dump state, kept in cb->ctx: where to resume, and the name filter. */
struct hvctl_hp_dump_ctx {
	unsigned int idx;
	char name[HVCTL_HP_NAME_MAX];
};

static struct hvctl_hp_dump_ctx *hvctl_hp_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct hvctl_hp_dump_ctx) > sizeof(cb->ctx));
	return (struct hvctl_hp_dump_ctx *)cb->ctx;
}

int hvctl_nl_hugepages_get_start(struct netlink_callback *cb)
{
	struct hvctl_hp_dump_ctx *ctx = hvctl_hp_dump_ctx(cb);
	struct nlattr **attrs = hvctl_dump_attrs(cb);

	memset(ctx, 0, sizeof(*ctx));
	if (attrs && attrs[HVCTL_A_HUGEPAGES_NAME])
		nla_strscpy(ctx->name, attrs[HVCTL_A_HUGEPAGES_NAME],
			    sizeof(ctx->name));
	return 0;
}

/*
 * Resumes by index; an entry released between two calls shifts the rest,
 * which the generation number reports as an interrupted dump.
 */
int hvctl_nl_hugepages_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct hvctl_hp_dump_ctx *ctx = hvctl_hp_dump_ctx(cb);
	const struct hvctl_hp_resv *r;
	int ret = 0;

	mutex_lock(&hvctl_hp_lock);
	cb->seq = hvctl_hp_gen;
	for (; ctx->idx < hvctl_hp_n; ctx->idx++) {
		r = hvctl_hp_ledger[ctx->idx];
		if (ctx->name[0] && strcmp(ctx->name, r->name))
			continue;
		ret = hvctl_hp_fill(skb, r, HVCTL_CMD_HUGEPAGES_GET,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (ret) {
			ret = skb->len ? skb->len : ret;
			break;
		}
	}
	mutex_unlock(&hvctl_hp_lock);
	return ret;
}

/**
 * hvctl_hp_sysfs_show() - the ledger for /sys/kernel/hvctl/hugepages
 * @buf: a sysfs page
 *
 * One line per reservation, in the order recorded:
 * "NAME SIZE_KB NODE:COUNT[,NODE:COUNT...] UID TIME".  When the page
 * would overflow, a last line "# N more" says how many were left out.
 *
 * Return: bytes written.
 */
ssize_t hvctl_hp_sysfs_show(char *buf)
{
	/* Room kept for the "# N more" line. */
	const size_t room = PAGE_SIZE - 16;
	const struct hvctl_hp_resv *r;
	unsigned int i;
	size_t need;
	int at = 0;
	u32 j;

	mutex_lock(&hvctl_hp_lock);
	for (i = 0; i < hvctl_hp_n; i++) {
		r = hvctl_hp_ledger[i];
		need = snprintf(NULL, 0, "%s %u  %u %lld\n", r->name,
				r->size_kb, r->uid, (long long)r->time);
		for (j = 0; j < r->nr_nodes; j++)
			need += snprintf(NULL, 0, "%u:%llu,", r->node[j].node,
					 r->node[j].count);
		if (at + need > room) {
			at += sysfs_emit_at(buf, at, "# %u more\n",
					    hvctl_hp_n - i);
			break;
		}
		at += sysfs_emit_at(buf, at, "%s %u ", r->name, r->size_kb);
		for (j = 0; j < r->nr_nodes; j++)
			at += sysfs_emit_at(buf, at, "%s%u:%llu", j ? "," : "",
					    r->node[j].node, r->node[j].count);
		at += sysfs_emit_at(buf, at, " %u %lld\n", r->uid,
				    (long long)r->time);
	}
	mutex_unlock(&hvctl_hp_lock);
	return at;
}

/**
 * hvctl_hp_exit() - forget the ledger when the module goes
 *
 * The pools stay as they are: the pages belong to the kernel's hugetlb.
 */
void hvctl_hp_exit(void)
{
	unsigned int i;

	for (i = 0; i < hvctl_hp_n; i++)
		kfree(hvctl_hp_ledger[i]);
	hvctl_hp_n = 0;
}
