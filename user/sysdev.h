/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI devices of this host as sysfs shows them now, for the commands
 * that work without the module (hvctl boot ...).
 */
#ifndef HVCTL_SYSDEV_H
#define HVCTL_SYSDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "selector.h"

struct hvctl_sysdev {
	char addr[16];
	struct hvctl_dev_key key;
	uint32_t class;
	bool boot_vga;
	int group; /* -1: no IOMMU group */
	char driver[64];
	char slot[HVCTL_SLOT_NAME_MAX];
};

struct hvctl_sysdevs {
	struct hvctl_sysdev *v;
	size_t n;
};

int hvctl_sysdevs_read(struct hvctl_sysdevs *devs);
void hvctl_sysdevs_free(struct hvctl_sysdevs *devs);

#endif /* HVCTL_SYSDEV_H */
