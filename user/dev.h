/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PCI device as the kernel reports it (HVCTL_A_DEV_*), top level in
 * DEVICE_GET replies and nested in GROUP_GET replies.
 */
#ifndef HVCTL_DEV_H
#define HVCTL_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>

#include "hvctl.h"

/**
 * struct hvctl_dev - one device
 * @addr: "0000:01:00.0"
 * @vendor: vendor id
 * @device: device id
 * @subvendor: subsystem vendor id
 * @subdevice: subsystem device id
 * @class: class code, 24 bits
 * @revision: revision id
 * @group: IOMMU group, valid when @has_group
 * @numa_node: NUMA node, valid when @has_numa
 * @serial: Device Serial Number, valid when @has_serial
 * @driver: bound driver, NULL when unbound
 * @driver_override: driver_override, NULL when none
 * @slot: physical slot name, NULL when none
 * @reset_methods: reset methods in the kernel's order
 * @n_reset: number of @reset_methods
 * @has_group: @group is valid
 * @has_numa: @numa_node is valid
 * @has_serial: @serial is valid
 * @bridge: a PCI bridge
 * @boot_vga: the firmware's boot display
 * @dma_user: the bound driver leaves DMA to userspace
 * @blocking: keeps its group from being viable
 */
struct hvctl_dev {
	char *addr;
	uint16_t vendor;
	uint16_t device;
	uint16_t subvendor;
	uint16_t subdevice;
	uint32_t class;
	uint8_t revision;
	uint32_t group;
	uint32_t numa_node;
	uint64_t serial;
	char *driver;
	char *driver_override;
	char *slot;
	char **reset_methods;
	unsigned int n_reset;
	bool has_group;
	bool has_numa;
	bool has_serial;
	bool bridge;
	bool boot_vga;
	bool dma_user;
	bool blocking;
};

/* A growing array of devices. */
struct hvctl_devs {
	struct hvctl_dev *v;
	size_t n;
	size_t cap;
};

int hvctl_dev_parse(struct hvctl_devs *devs, struct nlattr *head, int len,
		    char *why, size_t size);
void hvctl_devs_free(struct hvctl_devs *devs);
int hvctl_nla_strdup(char **dst, const struct nlattr *a);
void hvctl_dev_print(const struct hvctl_ctx *ctx, const struct hvctl_dev *dev,
		     int group_width);
int hvctl_dev_rom(struct hvctl_ctx *ctx, int argc, char **argv);

#endif /* HVCTL_DEV_H */
