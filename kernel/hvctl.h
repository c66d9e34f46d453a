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

/* sysfs.c */
int hvctl_sysfs_init(void);
void hvctl_sysfs_exit(void);

/* netlink.c: handlers named by nl-spec.c */
int hvctl_nl_pre_doit(const hvctl_genl_ops_t *ops, struct sk_buff *skb,
		      struct genl_info *info);
int hvctl_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int hvctl_nl_group_get_start(struct netlink_callback *cb);
int hvctl_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int hvctl_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info);
int hvctl_nl_device_get_start(struct netlink_callback *cb);
int hvctl_nl_device_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int hvctl_nl_snap_done(struct netlink_callback *cb);

#endif /* _HVCTL_H */
