/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The decisions of a bind or unbind transaction, apart from the devices
 * they are about: which member of a group moves, which is left alone and
 * which refuses the whole request; what a member's step is in a bind and
 * in an unbind; which members a rollback restores.
 * Pure C, no allocation and no locking, so the KUnit suite hvctl_plan
 * (kernel/tests/plan_kunit.c) checks every rule with tables.
 */
#ifndef _HVCTL_PLAN_H
#define _HVCTL_PLAN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* __u32 and the like: the kernel and userspace both have them. */
#include <linux/types.h>
#endif

/* PCI class (base and sub class) of an IOMMU: a PCI function IOMMU. */
#define HVCTL_CLASS_IOMMU 0x0806

/**
 * struct hvctl_member - what the planner needs to know of one device
 * @bridge: the device is a PCI bridge
 * @class: its class code, without the programming interface (class >> 8)
 * @boot_vga: it is the boot VGA device
 * @driver: its driver now, "" when unbound
 */
struct hvctl_member {
	bool bridge;
	__u32 class;
	bool boot_vga;
	const char *driver;
};

/**
 * struct hvctl_plan_opts - the request, as far as the planner cares
 * @bind: a bind (else an unbind)
 * @force: lift the refusals force may lift
 * @nogroup: the request names devices, not their whole group
 * @ntargets: how many devices the request is about (bridges included)
 */
struct hvctl_plan_opts {
	bool bind;
	bool force;
	bool nogroup;
	unsigned int ntargets;
};

/* What hvctl_plan_member() decides for a member. */
enum hvctl_member_verdict {
	HVCTL_MEMBER_MOVE, /* part of the transaction */
	HVCTL_MEMBER_SKIP, /* left on its driver (a bridge in a group) */
};

/* What one member's step is, once the plan holds it. */
enum hvctl_step {
	HVCTL_STEP_NONE, /* already where asked: unchanged */
	HVCTL_STEP_MOVE, /* override, release, attach */
};

bool hvctl_is_target_driver(const char *name);
int hvctl_plan_member(const struct hvctl_member *m,
		      const struct hvctl_plan_opts *o, const char **msg);
enum hvctl_step hvctl_bind_step(const char *before, const char *old_override,
				const char *target);
enum hvctl_step hvctl_unbind_step(const char *before, const char *old_override);
int hvctl_rollback_status(int status);

#endif /* _HVCTL_PLAN_H */
