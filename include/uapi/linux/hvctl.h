/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * hvctl generic netlink family: the wire API shared by hvctl.ko and the
 * hvctl tool.  Documentation/netlink/specs/hvctl.yaml is the specification;
 * scripts/spec-check.py keeps this header and the kernel's policies in step
 * with it.  Attribute and command numbers never change once released: grow
 * by appending.
 */
#ifndef _UAPI_LINUX_HVCTL_H
#define _UAPI_LINUX_HVCTL_H

#define HVCTL_FAMILY_NAME "hvctl"
#define HVCTL_FAMILY_VERSION 1

/* Longest selector text accepted, terminating NUL included. */
#define HVCTL_SELECTOR_MAX 128

enum {
	HVCTL_A_DEV_UNSPEC,
	HVCTL_A_DEV_PAD,
	HVCTL_A_DEV_ADDR,
	HVCTL_A_DEV_VENDOR,
	HVCTL_A_DEV_DEVICE,
	HVCTL_A_DEV_SUBSYS_VENDOR,
	HVCTL_A_DEV_SUBSYS_DEVICE,
	HVCTL_A_DEV_CLASS,
	HVCTL_A_DEV_REVISION,
	HVCTL_A_DEV_GROUP,
	HVCTL_A_DEV_DRIVER,
	HVCTL_A_DEV_DRIVER_OVERRIDE,
	HVCTL_A_DEV_BRIDGE,
	HVCTL_A_DEV_BOOT_VGA,
	HVCTL_A_DEV_NUMA_NODE,
	HVCTL_A_DEV_SERIAL,
	HVCTL_A_DEV_SLOT,
	HVCTL_A_DEV_RESET_METHOD,
	HVCTL_A_DEV_DMA_USER,
	HVCTL_A_DEV_BLOCKING,
	HVCTL_A_DEV_SELECTOR,

	__HVCTL_A_DEV_MAX,
	HVCTL_A_DEV_MAX = (__HVCTL_A_DEV_MAX - 1)
};

enum {
	HVCTL_A_GROUP_UNSPEC,
	HVCTL_A_GROUP_ID,
	HVCTL_A_GROUP_VIABLE,
	HVCTL_A_GROUP_IN_USE,
	HVCTL_A_GROUP_DEVICE,

	__HVCTL_A_GROUP_MAX,
	HVCTL_A_GROUP_MAX = (__HVCTL_A_GROUP_MAX - 1)
};

enum {
	HVCTL_CMD_UNSPEC,
	HVCTL_CMD_GROUP_GET,
	HVCTL_CMD_DEVICE_GET,

	__HVCTL_CMD_MAX,
	HVCTL_CMD_MAX = (__HVCTL_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_HVCTL_H */
