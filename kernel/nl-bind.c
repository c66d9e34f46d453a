// SPDX-License-Identifier: GPL-2.0-only
/*
 * DEVICE_BIND and DEVICE_UNBIND: parse the request, run the transaction
 * (bind.c), reply with what happened to each member, and tell the events
 * group.
 */
#include <linux/cred.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "hvctl.h"

static int hvctl_nl_bind_parse(struct genl_info *info,
			       struct hvctl_bind_req *req)
{
	struct nlattr **tb = info->attrs;
	struct hvctl_parse_err err;
	struct nlattr *sel = tb[HVCTL_A_BIND_SELECTOR];

	memset(req, 0, sizeof(*req));
	if (!sel == !tb[HVCTL_A_BIND_GROUP]) {
		HV_ERR(info->extack, "give either a selector or a group id");
		return -EINVAL;
	}
	if (sel && hvctl_selector_parse(nla_data(sel), nla_len(sel), &req->sel,
					&err)) {
		hvctl_nl_err(info->extack, sel, err.msg);
		return -EINVAL;
	}
	if (tb[HVCTL_A_BIND_GROUP]) {
		req->has_group = true;
		req->group = nla_get_u32(tb[HVCTL_A_BIND_GROUP]);
	}
	strscpy(req->driver, "vfio-pci", sizeof(req->driver));
	if (tb[HVCTL_A_BIND_DRIVER])
		nla_strscpy(req->driver, tb[HVCTL_A_BIND_DRIVER],
			    sizeof(req->driver));
	req->nogroup = nla_get_flag(tb[HVCTL_A_BIND_NOGROUP]);
	req->dry_run = nla_get_flag(tb[HVCTL_A_BIND_DRY_RUN]);
	req->force = nla_get_flag(tb[HVCTL_A_BIND_FORCE]);
	if (req->nogroup && req->has_group) {
		HV_ERRA(info->extack, tb[HVCTL_A_BIND_NOGROUP],
			"nogroup needs a device selector, not a group");
		return -EINVAL;
	}
	req->uid = from_kuid(&init_user_ns, current_uid());
	req->pid = task_tgid_vnr(current);
	return 0;
}

static int hvctl_nl_change_put(struct sk_buff *skb,
			       const struct hvctl_change *ch)
{
	struct nlattr *nest = nla_nest_start(skb, HVCTL_A_BIND_CHANGE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, HVCTL_A_CHANGE_ADDR, pci_name(ch->pdev)) ||
	    (ch->before[0] &&
	     nla_put_string(skb, HVCTL_A_CHANGE_BEFORE, ch->before)) ||
	    (ch->after[0] &&
	     nla_put_string(skb, HVCTL_A_CHANGE_AFTER, ch->after)) ||
	    nla_put_u8(skb, HVCTL_A_CHANGE_STATUS, ch->status))
		goto cancel;
	if (ch->status == HVCTL_CHANGE_FAILED &&
	    ((ch->step && nla_put_string(skb, HVCTL_A_CHANGE_STEP, ch->step)) ||
	     nla_put_u32(skb, HVCTL_A_CHANGE_ERROR, -ch->err)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static struct sk_buff *hvctl_nl_plan_msg(const struct hvctl_plan *plan,
					 const struct hvctl_bind_req *req,
					 u8 cmd, u32 portid, u32 seq)
{
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE + plan->n * 256, GFP_KERNEL);
	if (!msg)
		return NULL;
	hdr = genlmsg_put(msg, portid, seq, &hvctl_nl_family, 0, cmd);
	if (!hdr)
		goto err;
	if (nla_put_u8(msg, HVCTL_A_BIND_VIABLE, plan->viable) ||
	    nla_put_u32(msg, HVCTL_A_BIND_UID, req->uid) ||
	    nla_put_u32(msg, HVCTL_A_BIND_PID, req->pid))
		goto err;
	for (i = 0; i < plan->n; i++)
		if (hvctl_nl_change_put(msg, &plan->ch[i]))
			goto err;
	genlmsg_end(msg, hdr);
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

/* Tell the events group what a bind or unbind changed. */
static void hvctl_nl_plan_notify(const struct hvctl_plan *plan,
				 const struct hvctl_bind_req *req, u8 cmd)
{
	struct sk_buff *msg;

	if (req->dry_run || !genl_has_listeners(&hvctl_nl_family, &init_net,
						HVCTL_NLGRP_EVENTS))
		return;
	msg = hvctl_nl_plan_msg(plan, req, cmd, 0, 0);
	if (msg)
		genlmsg_multicast(&hvctl_nl_family, msg, 0, HVCTL_NLGRP_EVENTS,
				  GFP_KERNEL);
}

static int hvctl_nl_plan_doit(struct genl_info *info, bool bind)
{
	u8 cmd = bind ? HVCTL_CMD_DEVICE_BIND : HVCTL_CMD_DEVICE_UNBIND;
	struct hvctl_bind_req req;
	struct hvctl_plan *plan;
	struct sk_buff *msg;
	int ret;

	ret = hvctl_nl_bind_parse(info, &req);
	if (ret)
		return ret;
	plan = bind ? hvctl_bind(&req, info->extack) :
		      hvctl_unbind(&req, info->extack);
	if (IS_ERR(plan))
		return PTR_ERR(plan);

	hvctl_nl_plan_notify(plan, &req, cmd);
	/*
	 * The reply goes out even when the transaction failed: it says which
	 * step failed on which device and that the others were rolled back.
	 * The error then follows in the ack, with its extack message.
	 */
	msg = hvctl_nl_plan_msg(plan, &req, cmd, info->snd_portid,
				info->snd_seq);
	ret = plan->err;
	hvctl_plan_free(plan);
	if (!msg)
		return ret ? ret : -ENOMEM;
	genlmsg_unicast(genl_info_net(info), msg, info->snd_portid);
	return ret;
}

int hvctl_nl_device_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	return hvctl_nl_plan_doit(info, true);
}

int hvctl_nl_device_unbind_doit(struct sk_buff *skb, struct genl_info *info)
{
	return hvctl_nl_plan_doit(info, false);
}
