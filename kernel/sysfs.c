// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/hvctl: a small, stable place to see that the module is there,
 * which version it is and which huge page reservations it records
 * (Documentation/ABI/testing/sysfs-kernel-hvctl).
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "hvctl.h"

static struct kobject *hvctl_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", HVCTL_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t generation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", (unsigned int)atomic_read(&hvctl_gen));
}

static struct kobj_attribute generation_attr = __ATTR_RO(generation);

static ssize_t hugepages_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return hvctl_hp_sysfs_show(buf);
}

static struct kobj_attribute hugepages_attr = __ATTR_RO(hugepages);

static struct attribute *hvctl_attrs[] = {
	&version_attr.attr,
	&generation_attr.attr,
	&hugepages_attr.attr,
	NULL,
};

static const struct attribute_group hvctl_attr_group = {
	.attrs = hvctl_attrs,
};

/**
 * hvctl_sysfs_init() - create /sys/kernel/hvctl
 *
 * Return: 0 or a negative errno.
 */
int hvctl_sysfs_init(void)
{
	int ret;

	hvctl_kobj = kobject_create_and_add("hvctl", kernel_kobj);
	if (!hvctl_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(hvctl_kobj, &hvctl_attr_group);
	if (ret)
		kobject_put(hvctl_kobj);
	return ret;
}

/**
 * hvctl_sysfs_exit() - remove /sys/kernel/hvctl
 */
void hvctl_sysfs_exit(void)
{
	kobject_put(hvctl_kobj);
}
