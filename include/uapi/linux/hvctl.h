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
/* Longest driver name accepted, terminating NUL included. */
#define HVCTL_DRIVER_NAME_MAX 32
/* Longest huge page reservation name, terminating NUL included. */
#define HVCTL_HP_NAME_MAX 33

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

/* What happened to one device in a bind or unbind (HVCTL_A_CHANGE_STATUS). */
enum hvctl_change_status {
	HVCTL_CHANGE_PLANNED = 1, /* dry run: would change */
	HVCTL_CHANGE_DONE, /* changed */
	HVCTL_CHANGE_UNCHANGED, /* already where it was asked to be */
	HVCTL_CHANGE_ROLLED_BACK, /* changed, then put back */
	HVCTL_CHANGE_FAILED, /* the step named failed here */
};

enum {
	HVCTL_A_BIND_UNSPEC,
	HVCTL_A_BIND_SELECTOR,
	HVCTL_A_BIND_GROUP,
	HVCTL_A_BIND_DRIVER,
	HVCTL_A_BIND_NOGROUP,
	HVCTL_A_BIND_DRY_RUN,
	HVCTL_A_BIND_FORCE,
	HVCTL_A_BIND_VIABLE,
	HVCTL_A_BIND_CHANGE,
	HVCTL_A_BIND_UID,
	HVCTL_A_BIND_PID,

	__HVCTL_A_BIND_MAX,
	HVCTL_A_BIND_MAX = (__HVCTL_A_BIND_MAX - 1)
};

enum {
	HVCTL_A_CHANGE_UNSPEC,
	HVCTL_A_CHANGE_ADDR,
	HVCTL_A_CHANGE_BEFORE,
	HVCTL_A_CHANGE_AFTER,
	HVCTL_A_CHANGE_STATUS,
	HVCTL_A_CHANGE_STEP,
	HVCTL_A_CHANGE_ERROR,

	__HVCTL_A_CHANGE_MAX,
	HVCTL_A_CHANGE_MAX = (__HVCTL_A_CHANGE_MAX - 1)
};

enum {
	HVCTL_A_HUGEPAGES_UNSPEC,
	HVCTL_A_HUGEPAGES_PAD,
	HVCTL_A_HUGEPAGES_NAME,
	HVCTL_A_HUGEPAGES_SIZE_KB,
	HVCTL_A_HUGEPAGES_NODE,
	HVCTL_A_HUGEPAGES_UID,
	HVCTL_A_HUGEPAGES_TIME,
	HVCTL_A_HUGEPAGES_DRY_RUN,

	__HVCTL_A_HUGEPAGES_MAX,
	HVCTL_A_HUGEPAGES_MAX = (__HVCTL_A_HUGEPAGES_MAX - 1)
};

enum {
	HVCTL_A_HP_NODE_UNSPEC,
	HVCTL_A_HP_NODE_PAD,
	HVCTL_A_HP_NODE_ID,
	HVCTL_A_HP_NODE_COUNT,

	__HVCTL_A_HP_NODE_MAX,
	HVCTL_A_HP_NODE_MAX = (__HVCTL_A_HP_NODE_MAX - 1)
};

enum {
	HVCTL_CMD_UNSPEC,
	HVCTL_CMD_GROUP_GET,
	HVCTL_CMD_DEVICE_GET,
	HVCTL_CMD_DEVICE_BIND,
	HVCTL_CMD_DEVICE_UNBIND,
	HVCTL_CMD_DEVICE_ADD_NTF,
	HVCTL_CMD_DEVICE_DEL_NTF,
	HVCTL_CMD_HUGEPAGES_GET,
	HVCTL_CMD_HUGEPAGES_RESERVE,
	HVCTL_CMD_HUGEPAGES_RELEASE,

	__HVCTL_CMD_MAX,
	HVCTL_CMD_MAX = (__HVCTL_CMD_MAX - 1)
};

/*
 * Multicast group of bind, unbind, device add and remove events, and of
 * huge page reservations recorded and released.
 */
#define HVCTL_MCGRP_EVENTS "events"

#endif /* _UAPI_LINUX_HVCTL_H */
