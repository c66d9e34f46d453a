// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The rules of a bind or unbind transaction (kernel/plan.h): pure
 * decisions on facts bind.c reads from the devices.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <uapi/linux/hvctl.h>
#else
#include <errno.h>
#include <string.h>
#include <linux/hvctl.h>
#endif

#include "plan.h"

/* Named: as an assignment it would not fit in 100 columns. */
#define MSG_BOOT_VGA \
	"the boot VGA drives the console and framebuffer; binding it removes them (use force)"

/**
 * hvctl_is_target_driver() - is @name a driver hvctl binds devices to?
 * @name: a driver name
 *
 * Return: true for vfio-pci and pci-stub.
 */
bool hvctl_is_target_driver(const char *name)
{
	return !strcmp(name, "vfio-pci") || !strcmp(name, "pci-stub");
}

/**
 * hvctl_plan_member() - decide what a transaction does with one device
 * @m: the device
 * @o: the request
 * @msg: set to the reason when the request is refused
 *
 * Bridges in a group stay on their driver; a request that names only a
 * bridge, or a bridge on its own, is refused, as is a PCI function IOMMU,
 * force or not.  Binding the boot VGA while a host driver (the console's
 * and framebuffer's) holds it is refused unless forced.
 *
 * Return: HVCTL_MEMBER_MOVE or HVCTL_MEMBER_SKIP, or a negative errno
 * that refuses the whole request.
 */
int hvctl_plan_member(const struct hvctl_member *m,
		      const struct hvctl_plan_opts *o, const char **msg)
{
	if (m->bridge) {
		if (o->nogroup || o->ntargets == 1) {
			*msg = "bridges are never handed to VFIO";
			return -EINVAL;
		}
		return HVCTL_MEMBER_SKIP;
	}
	if (m->class == HVCTL_CLASS_IOMMU) {
		*msg = "the IOMMU itself is never handed to VFIO";
		return -EINVAL;
	}
	if (o->bind && !o->force && m->boot_vga && m->driver[0] &&
	    !hvctl_is_target_driver(m->driver)) {
		*msg = MSG_BOOT_VGA;
		return -EBUSY;
	}
	return HVCTL_MEMBER_MOVE;
}

/**
 * hvctl_bind_step() - what binding a member to @target takes
 * @before: its driver, "" when unbound
 * @old_override: its driver_override, "" when none
 * @target: the driver asked for
 *
 * Return: HVCTL_STEP_NONE when it is on @target with @target as its
 * override already, else HVCTL_STEP_MOVE.
 */
enum hvctl_step hvctl_bind_step(const char *before, const char *old_override,
				const char *target)
{
	if (!strcmp(before, target) && !strcmp(old_override, target))
		return HVCTL_STEP_NONE;
	return HVCTL_STEP_MOVE;
}

/**
 * hvctl_unbind_step() - what giving a member back takes
 * @before: its driver, "" when unbound
 * @old_override: its driver_override, "" when none
 *
 * Only what hvctl could have bound is given back: a member neither on a
 * target driver nor overridden to one is left alone.
 *
 * Return: HVCTL_STEP_NONE or HVCTL_STEP_MOVE.
 */
enum hvctl_step hvctl_unbind_step(const char *before, const char *old_override)
{
	if (!hvctl_is_target_driver(before) &&
	    !hvctl_is_target_driver(old_override))
		return HVCTL_STEP_NONE;
	return HVCTL_STEP_MOVE;
}

/**
 * hvctl_rollback_status() - does a rollback restore a member, and to what
 * @status: the member's enum hvctl_change_status when the step failed
 *
 * A rollback undoes, in reverse order, what was done, and also restores
 * the member whose step failed (its override may be set and its driver
 * gone).  Members unchanged, planned or never reached are not touched.
 *
 * Return: the member's status after it was restored, or 0 when the
 * rollback leaves it alone.
 */
int hvctl_rollback_status(int status)
{
	switch (status) {
	case HVCTL_CHANGE_DONE:
		return HVCTL_CHANGE_ROLLED_BACK;
	case HVCTL_CHANGE_FAILED:
		return HVCTL_CHANGE_FAILED;
	default:
		return 0;
	}
}
