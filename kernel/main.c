// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl.ko: IOMMU groups, VFIO rebinding and huge page reservations for
 * hypervisor hosts, over the "hvctl" generic netlink family.
 *
 * Only init and exit live here; each job has its own file.
 */
#include <linux/module.h>

#include "hvctl.h"

static int __init hvctl_init(void)
{
	int ret;

	ret = hvctl_sysfs_init();
	if (ret)
		return ret;
	ret = hvctl_claim_init();
	if (ret)
		goto err_sysfs;
	ret = genl_register_family(&hvctl_nl_family);
	if (ret)
		goto err_claim;
	/* The notifier sends events through the family and claims. */
	ret = hvctl_pcidev_init();
	if (ret)
		goto err_family;
	pr_info("hvctl %s loaded\n", HVCTL_VERSION);
	/* Last: the devices present now; later ones are the notifier's. */
	hvctl_claim_start();
	return 0;

err_family:
	genl_unregister_family(&hvctl_nl_family);
err_claim:
	hvctl_claim_exit();
err_sysfs:
	hvctl_sysfs_exit();
	return ret;
}

/* Devices hvctl bound stay bound: a VM may be using them. */
static void __exit hvctl_exit(void)
{
	hvctl_pcidev_exit();
	hvctl_claim_exit();
	genl_unregister_family(&hvctl_nl_family);
	hvctl_bind_exit();
	hvctl_sysfs_exit();
	hvctl_hp_exit();
}

module_init(hvctl_init);
module_exit(hvctl_exit);

MODULE_AUTHOR("The hvctl developers");
#define HVCTL_DESCRIPTION \
	"IOMMU groups, VFIO rebinding and huge pages for hypervisor hosts"
MODULE_DESCRIPTION(HVCTL_DESCRIPTION);
MODULE_LICENSE("GPL");
MODULE_VERSION(HVCTL_VERSION);
