/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels hvctl builds against, in one place.
 * Kbuild defines HVCTL_HAVE_* by looking for the feature in the target
 * kernel's headers; the rest of the module reads like upstream code.
 */
#ifndef _HVCTL_COMPAT_H
#define _HVCTL_COMPAT_H

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <net/genetlink.h>

/* pre_doit/post_doit take split ops once the kernel has them. */
#ifdef HVCTL_HAVE_GENL_SPLIT_OPS
#define hvctl_genl_ops genl_split_ops
#else
#define hvctl_genl_ops genl_ops
#endif

/* The attributes a dump request carried, parsed with the op's policy. */
static inline struct nlattr **hvctl_dump_attrs(struct netlink_callback *cb)
{
#ifdef HVCTL_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Copy a device's driver_override into @buf ("" when none).  It moved from
 * struct pci_dev (under the device lock) into struct device (under its own
 * spinlock).  The caller holds the device lock either way.
 */
static inline void hvctl_driver_override(struct pci_dev *pdev, char *buf,
					 size_t size)
{
#ifdef HVCTL_HAVE_DEV_DRIVER_OVERRIDE
	spin_lock(&pdev->dev.driver_override.lock);
	strscpy(buf, pdev->dev.driver_override.name ?: "", size);
	spin_unlock(&pdev->dev.driver_override.lock);
#else
	device_lock_assert(&pdev->dev);
	strscpy(buf, pdev->driver_override ?: "", size);
#endif
}

/* Set (or, with NULL, clear) a device's driver_override. */
static inline int hvctl_set_driver_override(struct pci_dev *pdev,
					    const char *name)
{
#ifdef HVCTL_HAVE_DEV_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name ?: "");
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override,
				   name ?: "", name ? strlen(name) : 0);
#endif
}

#endif /* _HVCTL_COMPAT_H */
