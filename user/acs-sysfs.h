/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The topology table of acs.h read from sysfs for the members of one
 * IOMMU group: their config spaces, the bridges above them (the parent
 * directories of /sys/bus/pci/devices/ADDR) and the other functions of
 * every device on those paths.
 */
#ifndef HVCTL_ACS_SYSFS_H
#define HVCTL_ACS_SYSFS_H

#include "acs.h"

struct acs_sys_raw;

/**
 * struct hvctl_acs_sys - a group's reasons and the table they index
 * @fn: the table (acs.h)
 * @n: entries in @fn
 * @reasons: the reasons, @nreasons of them
 * @nreasons: how many, or a negative errno: -EACCES without root (config
 *	space past 64 bytes is root's), else why sysfs could not be read
 * @failed: the device whose config space could not be read, if any
 */
struct hvctl_acs_sys {
	struct acs_fn *fn;
	size_t n;
	struct acs_reason *reasons;
	int nreasons;
	char failed[32];
	/* private */
	struct acs_sys_raw *raw;
	size_t cap;
};

/* Fill @s for the group whose members are @addrs; see @s->nreasons. */
void hvctl_acs_sys_read(struct hvctl_acs_sys *s, const char *const *addrs,
			size_t n);
void hvctl_acs_sys_free(struct hvctl_acs_sys *s);

#endif /* HVCTL_ACS_SYSFS_H */
