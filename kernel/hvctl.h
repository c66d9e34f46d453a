/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvctl.ko internals shared between its files.
 */
#ifndef _HVCTL_H
#define _HVCTL_H

#include <linux/atomic.h>
#include <linux/pci.h>
#include <net/genetlink.h>
#include <uapi/linux/hvctl.h>

#include "selector.h"

/* Longest driver or driver_override name reported. */
#define HVCTL_NAME_MAX 64

/*
 * The module's device log lines and netlink error messages, under names of
 * at most 7 letters: with its '(' the name is no wider than a continuation
 * indent, so clang-format keeps a long message aligned with the call's other
 * arguments instead of breaking the line after the '(' (which checkpatch
 * --strict flags).  The log lines get their "hvctl: " prefix here.  HV_ERR()
 * and HV_ERRA() take a literal, like NL_SET_ERR_MSG() and
 * NL_SET_ERR_MSG_ATTR(), which they are.
 */
#define hv_err(pdev, fmt, ...) pci_err(pdev, "hvctl: " fmt, ##__VA_ARGS__)
#define hv_warn(pdev, fmt, ...) pci_warn(pdev, "hvctl: " fmt, ##__VA_ARGS__)
#define hv_note(pdev, fmt, ...) pci_notice(pdev, "hvctl: " fmt, ##__VA_ARGS__)
#define hv_info(pdev, fmt, ...) pci_info(pdev, "hvctl: " fmt, ##__VA_ARGS__)
#define HV_ERR(extack, msg) NL_SET_ERR_MSG(extack, msg)
#define HV_ERRA(extack, attr, msg) NL_SET_ERR_MSG_ATTR(extack, attr, msg)

/**
 * struct hvctl_dev_state - what a device is doing, read under its lock
 * @driver: bound driver's name, "" when unbound
 * @override: driver_override, "" when none
 * @dma_user: the bound driver leaves DMA to userspace (vfio-pci, pci-stub,
 *	pcieport: its pci_driver has driver_managed_dma set)
 */
struct hvctl_dev_state {
	char driver[HVCTL_NAME_MAX];
	char override[HVCTL_NAME_MAX];
	bool dma_user;
};

/**
 * struct hvctl_snap_ent - one device of a snapshot
 * @pdev: the device, referenced
 * @group: its IOMMU group id, valid when @has_group
 * @has_group: the device is in an IOMMU group
 */
struct hvctl_snap_ent {
	struct pci_dev *pdev;
	unsigned int group;
	bool has_group;
};

/**
 * struct hvctl_snap - the PCI devices at one moment, sorted
 * @gen: hvctl_gen when the snapshot was taken
 * @n: number of entries
 * @ent: the entries
 */
struct hvctl_snap {
	unsigned int gen;
	unsigned int n;
	struct hvctl_snap_ent ent[];
};

enum hvctl_snap_order {
	HVCTL_SNAP_BY_ADDR,
	HVCTL_SNAP_BY_GROUP,
};

/* Bumped whenever a PCI device comes, goes, binds or unbinds. */
extern atomic_t hvctl_gen;

extern struct genl_family hvctl_nl_family;

enum hvctl_nlgrp {
	HVCTL_NLGRP_EVENTS,
};

/**
 * struct hvctl_bind_req - a bind or unbind request
 * @sel: the device, when @has_group is false
 * @group: the IOMMU group, when @has_group
 * @has_group: the request names a group by id
 * @driver: target driver (bind)
 * @nogroup: only the selected device, not its whole group
 * @dry_run: plan and report, change nothing
 * @force: lift the refusals that may be lifted
 * @uid: the requester's uid, for the log
 * @pid: the requester's pid, for the log
 */
struct hvctl_bind_req {
	struct hvctl_selector sel;
	unsigned int group;
	bool has_group;
	char driver[HVCTL_DRIVER_NAME_MAX];
	bool nogroup;
	bool dry_run;
	bool force;
	u32 uid;
	pid_t pid;
};

/**
 * struct hvctl_change - one member of a bind or unbind
 * @pdev: the device, referenced
 * @before: its driver before, "" when unbound
 * @old_override: its driver_override before, "" when none
 * @after: its driver after
 * @status: enum hvctl_change_status
 * @step: the step that failed, when @status is HVCTL_CHANGE_FAILED
 * @err: the error of that step
 */
struct hvctl_change {
	struct pci_dev *pdev;
	char before[HVCTL_NAME_MAX];
	char old_override[HVCTL_NAME_MAX];
	char after[HVCTL_NAME_MAX];
	int status;
	const char *step;
	int err;
};

/**
 * struct hvctl_plan - a bind or unbind, planned and then carried out
 * @group: the IOMMU group, when @has_group
 * @has_group: the devices are in an IOMMU group
 * @whole_group: the request was for the whole group
 * @viable: the group was viable at the end
 * @err: the transaction failed (and was rolled back) with this error
 * @n: number of changes
 * @ch: the changes, in address order
 */
struct hvctl_plan {
	unsigned int group;
	bool has_group;
	bool whole_group;
	bool viable;
	int err;
	unsigned int n;
	struct hvctl_change ch[];
};

/* pcidev.c */
int hvctl_pcidev_init(void);
void hvctl_pcidev_exit(void);
void hvctl_dev_key(struct pci_dev *pdev, struct hvctl_dev_key *key);
void hvctl_dev_state(struct pci_dev *pdev, struct hvctl_dev_state *st);
bool hvctl_dev_group(struct pci_dev *pdev, unsigned int *id);
const char *hvctl_reset_method_name(u8 m);
struct hvctl_snap *hvctl_snap_take(enum hvctl_snap_order order,
				   const struct hvctl_selector *sel,
				   const unsigned int *group);
void hvctl_snap_free(struct hvctl_snap *snap);

/* bind.c */
struct hvctl_plan *hvctl_bind(const struct hvctl_bind_req *req,
			      struct netlink_ext_ack *extack);
struct hvctl_plan *hvctl_unbind(const struct hvctl_bind_req *req,
				struct netlink_ext_ack *extack);
void hvctl_plan_free(struct hvctl_plan *plan);
int hvctl_claim_bind(struct pci_dev *pdev, const char *driver, bool may_take);
void hvctl_bind_exit(void);

/* claim.c */
int hvctl_claim_init(void);
void hvctl_claim_start(void);
void hvctl_claim_exit(void);
void hvctl_claim_added(struct pci_dev *pdev);
void hvctl_claim_removed(struct pci_dev *pdev);

/* sysfs.c */
int hvctl_sysfs_init(void);
void hvctl_sysfs_exit(void);

/* netlink.c: handlers named by nl-spec.c */
void hvctl_nl_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		  const char *msg);
int hvctl_nl_pre_doit(const struct hvctl_genl_ops *ops, struct sk_buff *skb,
		      struct genl_info *info);
int hvctl_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int hvctl_nl_group_get_start(struct netlink_callback *cb);
int hvctl_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int hvctl_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info);
int hvctl_nl_device_get_start(struct netlink_callback *cb);
int hvctl_nl_device_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int hvctl_nl_snap_done(struct netlink_callback *cb);
void hvctl_nl_notify_dev(struct pci_dev *pdev, u8 cmd);

/* nl-spec.c */
extern const struct nla_policy
	hvctl_hp_node_nl_policy[HVCTL_A_HP_NODE_COUNT + 1];

/* hugepages.c: the reservation ledger */
int hvctl_nl_hugepages_get_start(struct netlink_callback *cb);
int hvctl_nl_hugepages_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);
int hvctl_nl_hugepages_reserve_doit(struct sk_buff *skb,
				    struct genl_info *info);
int hvctl_nl_hugepages_release_doit(struct sk_buff *skb,
				    struct genl_info *info);
ssize_t hvctl_hp_sysfs_show(char *buf);
void hvctl_hp_exit(void);

/* nl-bind.c */
int hvctl_nl_device_bind_doit(struct sk_buff *skb, struct genl_info *info);
int hvctl_nl_device_unbind_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _HVCTL_H */
