// SPDX-License-Identifier: GPL-2.0-only
/*
 * Handlers of the hvctl generic netlink family.  nl-spec.c wires them to
 * commands and policies.  One fill function per object serves do, dump and
 * (later) notifications.
 */
#include <linux/capability.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/vgaarb.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "hvctl.h"

/**
 * hvctl_nl_err() - report a message chosen at run time
 * @extack: where to report it, may be NULL
 * @attr: the attribute at fault, may be NULL
 * @msg: a static string
 *
 * NL_SET_ERR_MSG_ATTR() only takes literals.
 */
void hvctl_nl_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		  const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

/* Dump state, kept in cb->ctx between the calls of one dump. */
struct hvctl_nl_dump_ctx {
	struct hvctl_snap *snap;
	unsigned int idx;
};

static struct hvctl_nl_dump_ctx *hvctl_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct hvctl_nl_dump_ctx) > sizeof(cb->ctx));
	return (struct hvctl_nl_dump_ctx *)cb->ctx;
}

/**
 * hvctl_nl_pre_doit() - privilege check common to all do requests
 * @ops: the operation
 * @skb: the request
 * @info: its parsed form
 *
 * GENL_ADMIN_PERM only asks for CAP_NET_ADMIN, which containers often
 * hold; rebinding host devices needs CAP_SYS_ADMIN as well.
 *
 * Return: 0 or -EPERM.
 */
int hvctl_nl_pre_doit(const struct hvctl_genl_ops *ops, struct sk_buff *skb,
		      struct genl_info *info)
{
	if ((ops->flags & GENL_ADMIN_PERM) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		HV_ERR(info->extack, "changing devices needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

/*
 * Put one device's attributes into @skb.  Sets *@blocking when the device
 * keeps its group from being viable (bound to a driver that does DMA
 * through the kernel).
 */
static int hvctl_nl_dev_put(struct sk_buff *skb, const struct hvctl_snap_ent *e,
			    bool *blocking)
{
	struct pci_dev *pdev = e->pdev, *vga;
	struct hvctl_dev_state st;
	struct hvctl_dev_key key;
	bool boot_vga;
	int node, i;

	hvctl_dev_key(pdev, &key);
	hvctl_dev_state(pdev, &st);
	*blocking = st.driver[0] && !st.dma_user;

	/* As sysfs' boot_vga decides it. */
	vga = vga_default_device();
	if (vga)
		boot_vga = vga == pdev;
	else
		boot_vga = pdev->resource[PCI_ROM_RESOURCE].flags &
			   IORESOURCE_ROM_SHADOW;

	if (nla_put_string(skb, HVCTL_A_DEV_ADDR, pci_name(pdev)) ||
	    nla_put_u16(skb, HVCTL_A_DEV_VENDOR, pdev->vendor) ||
	    nla_put_u16(skb, HVCTL_A_DEV_DEVICE, pdev->device) ||
	    nla_put_u16(skb, HVCTL_A_DEV_SUBSYS_VENDOR,
			pdev->subsystem_vendor) ||
	    nla_put_u16(skb, HVCTL_A_DEV_SUBSYS_DEVICE,
			pdev->subsystem_device) ||
	    nla_put_u32(skb, HVCTL_A_DEV_CLASS, pdev->class) ||
	    nla_put_u8(skb, HVCTL_A_DEV_REVISION, pdev->revision))
		return -EMSGSIZE;
	if (e->has_group && nla_put_u32(skb, HVCTL_A_DEV_GROUP, e->group))
		return -EMSGSIZE;
	if (st.driver[0] && nla_put_string(skb, HVCTL_A_DEV_DRIVER, st.driver))
		return -EMSGSIZE;
	if (st.override[0] &&
	    nla_put_string(skb, HVCTL_A_DEV_DRIVER_OVERRIDE, st.override))
		return -EMSGSIZE;
	if ((pci_is_bridge(pdev) && nla_put_flag(skb, HVCTL_A_DEV_BRIDGE)) ||
	    (boot_vga && nla_put_flag(skb, HVCTL_A_DEV_BOOT_VGA)) ||
	    (st.dma_user && nla_put_flag(skb, HVCTL_A_DEV_DMA_USER)) ||
	    (*blocking && nla_put_flag(skb, HVCTL_A_DEV_BLOCKING)))
		return -EMSGSIZE;
	node = dev_to_node(&pdev->dev);
	if (node >= 0 && nla_put_u32(skb, HVCTL_A_DEV_NUMA_NODE, node))
		return -EMSGSIZE;
	if (key.has_serial && nla_put_u64_64bit(skb, HVCTL_A_DEV_SERIAL,
						key.serial, HVCTL_A_DEV_PAD))
		return -EMSGSIZE;
	if (key.slot && nla_put_string(skb, HVCTL_A_DEV_SLOT, key.slot))
		return -EMSGSIZE;
	for (i = 0; i < PCI_NUM_RESET_METHODS && pdev->reset_methods[i]; i++) {
		const char *name =
			hvctl_reset_method_name(pdev->reset_methods[i]);

		if (name && nla_put_string(skb, HVCTL_A_DEV_RESET_METHOD, name))
			return -EMSGSIZE;
	}
	return 0;
}

/* One DEVICE_GET message for one device. */
static int hvctl_nl_dev_fill(struct sk_buff *skb,
			     const struct hvctl_snap_ent *e, u32 portid,
			     u32 seq, int flags, struct netlink_callback *cb)
{
	bool blocking;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &hvctl_nl_family, flags,
			  HVCTL_CMD_DEVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (hvctl_nl_dev_put(skb, e, &blocking)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * One GROUP_GET message for the group whose members are @ent[0..n).
 * Viability is decided from the same reads that fill the members, so the
 * message is consistent with itself.
 */
static int hvctl_nl_group_fill(struct sk_buff *skb,
			       const struct hvctl_snap_ent *ent, unsigned int n,
			       u32 portid, u32 seq, int flags,
			       struct netlink_callback *cb)
{
	struct iommu_group *grp;
	bool viable = true, in_use, blocking;
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &hvctl_nl_family, flags,
			  HVCTL_CMD_GROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, HVCTL_A_GROUP_ID, ent[0].group))
		goto cancel;

	for (i = 0; i < n; i++) {
		nest = nla_nest_start(skb, HVCTL_A_GROUP_DEVICE);
		if (!nest || hvctl_nl_dev_put(skb, &ent[i], &blocking))
			goto cancel;
		nla_nest_end(skb, nest);
		viable &= !blocking;
	}

	/*
	 * The kernel counts both host DMA drivers and VFIO users as owners;
	 * with no host driver left in the group, an owner is a VFIO user.
	 */
	grp = iommu_group_get(&ent[0].pdev->dev);
	in_use = viable && grp && iommu_group_dma_owner_claimed(grp);
	iommu_group_put(grp);

	if (nla_put_u8(skb, HVCTL_A_GROUP_VIABLE, viable) ||
	    nla_put_u8(skb, HVCTL_A_GROUP_IN_USE, in_use))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Rough upper bound of one device's attributes, to size do replies. */
#define HVCTL_NL_DEV_SIZE 512

int hvctl_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hvctl_snap *snap;
	struct sk_buff *msg;
	unsigned int id;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, HVCTL_A_GROUP_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[HVCTL_A_GROUP_ID]);

	snap = hvctl_snap_take(HVCTL_SNAP_BY_GROUP, NULL, &id);
	if (!snap)
		return -ENOMEM;
	if (!snap->n) {
		HV_ERRA(info->extack, info->attrs[HVCTL_A_GROUP_ID],
			"no IOMMU group with this id has PCI devices");
		ret = -ENODEV;
		goto out;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE + snap->n * HVCTL_NL_DEV_SIZE,
			  GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = hvctl_nl_group_fill(msg, snap->ent, snap->n, info->snd_portid,
				  info->snd_seq, 0, NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	hvctl_snap_free(snap);
	return ret;
}

int hvctl_nl_group_get_start(struct netlink_callback *cb)
{
	struct hvctl_nl_dump_ctx *ctx = hvctl_nl_dump_ctx(cb);

	ctx->snap = hvctl_snap_take(HVCTL_SNAP_BY_GROUP, NULL, NULL);
	if (!ctx->snap)
		return -ENOMEM;
	ctx->idx = 0;
	cb->seq = ctx->snap->gen;
	cb->prev_seq = ctx->snap->gen;
	return 0;
}

int hvctl_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hvctl_nl_dump_ctx *ctx = hvctl_nl_dump_ctx(cb);
	struct hvctl_snap *snap = ctx->snap;
	unsigned int end;
	int ret;

	cb->seq = atomic_read(&hvctl_gen);
	while (ctx->idx < snap->n && snap->ent[ctx->idx].has_group) {
		for (end = ctx->idx + 1; end < snap->n; end++)
			if (!snap->ent[end].has_group ||
			    snap->ent[end].group != snap->ent[ctx->idx].group)
				break;
		ret = hvctl_nl_group_fill(skb, &snap->ent[ctx->idx],
					  end - ctx->idx,
					  NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (ret)
			/* A group too large for an empty message is an error. */
			return skb->len ? skb->len : ret;
		ctx->idx = end;
	}
	return 0;
}

/* Parse the optional selector of a DEVICE_GET request. */
static int hvctl_nl_parse_selector(struct nlattr *attr,
				   struct netlink_ext_ack *extack,
				   struct hvctl_selector *sel)
{
	struct hvctl_parse_err err;

	if (hvctl_selector_parse(nla_data(attr), nla_len(attr), sel, &err)) {
		hvctl_nl_err(extack, attr, err.msg);
		return -EINVAL;
	}
	return 0;
}

int hvctl_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hvctl_selector sel;
	struct hvctl_snap *snap;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, HVCTL_A_DEV_SELECTOR))
		return -EINVAL;
	ret = hvctl_nl_parse_selector(info->attrs[HVCTL_A_DEV_SELECTOR],
				      info->extack, &sel);
	if (ret)
		return ret;

	snap = hvctl_snap_take(HVCTL_SNAP_BY_ADDR, &sel, NULL);
	if (!snap)
		return -ENOMEM;
	if (snap->n != 1) {
		struct nlattr *attr = info->attrs[HVCTL_A_DEV_SELECTOR];

		if (snap->n)
			HV_ERRA(info->extack, attr,
				"selector matches more than one device; dump to list them");
		else
			HV_ERRA(info->extack, attr,
				"no device matches the selector");
		ret = snap->n ? -EINVAL : -ENODEV;
		goto out;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = hvctl_nl_dev_fill(msg, &snap->ent[0], info->snd_portid,
				info->snd_seq, 0, NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	hvctl_snap_free(snap);
	return ret;
}

int hvctl_nl_device_get_start(struct netlink_callback *cb)
{
	struct hvctl_nl_dump_ctx *ctx = hvctl_nl_dump_ctx(cb);
	struct nlattr **attrs = hvctl_dump_attrs(cb);
	struct hvctl_selector sel, *filter = NULL;
	int ret;

	if (attrs && attrs[HVCTL_A_DEV_SELECTOR]) {
		ret = hvctl_nl_parse_selector(attrs[HVCTL_A_DEV_SELECTOR],
					      cb->extack, &sel);
		if (ret)
			return ret;
		filter = &sel;
	}

	ctx->snap = hvctl_snap_take(HVCTL_SNAP_BY_ADDR, filter, NULL);
	if (!ctx->snap)
		return -ENOMEM;
	ctx->idx = 0;
	cb->seq = ctx->snap->gen;
	cb->prev_seq = ctx->snap->gen;
	return 0;
}

int hvctl_nl_device_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hvctl_nl_dump_ctx *ctx = hvctl_nl_dump_ctx(cb);
	struct hvctl_snap *snap = ctx->snap;
	int ret;

	cb->seq = atomic_read(&hvctl_gen);
	for (; ctx->idx < snap->n; ctx->idx++) {
		ret = hvctl_nl_dev_fill(skb, &snap->ent[ctx->idx],
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (ret)
			return skb->len ? skb->len : ret;
	}
	return 0;
}

int hvctl_nl_snap_done(struct netlink_callback *cb)
{
	struct hvctl_nl_dump_ctx *ctx = hvctl_nl_dump_ctx(cb);

	hvctl_snap_free(ctx->snap);
	ctx->snap = NULL;
	return 0;
}

/**
 * hvctl_nl_notify_dev() - tell the events group a device came or went
 * @pdev: the device
 * @cmd: HVCTL_CMD_DEVICE_ADD_NTF or HVCTL_CMD_DEVICE_DEL_NTF
 *
 * Called from the bus notifier, possibly with the device lock held: only
 * identity is reported, nothing that needs the lock.
 */
void hvctl_nl_notify_dev(struct pci_dev *pdev, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&hvctl_nl_family, &init_net,
				HVCTL_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &hvctl_nl_family, 0, cmd);
	if (!hdr || nla_put_string(msg, HVCTL_A_DEV_ADDR, pci_name(pdev)) ||
	    nla_put_u16(msg, HVCTL_A_DEV_VENDOR, pdev->vendor) ||
	    nla_put_u16(msg, HVCTL_A_DEV_DEVICE, pdev->device) ||
	    nla_put_u32(msg, HVCTL_A_DEV_CLASS, pdev->class)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&hvctl_nl_family, msg, 0, HVCTL_NLGRP_EVENTS,
			  GFP_KERNEL);
}
