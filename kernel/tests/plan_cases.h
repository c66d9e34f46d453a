/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Table of bind and unbind planner cases (kernel/plan.c), shared by the
 * host test (tests/unit/plan-test.c) and the KUnit suite hvctl_plan
 * (kernel/tests/plan_kunit.c).
 */
#ifndef _HVCTL_PLAN_CASES_H
#define _HVCTL_PLAN_CASES_H

#include "../plan.h"

#define NIC 0x0200
#define VGA 0x0300
#define BRIDGE 0x0604
#define IOMMU HVCTL_CLASS_IOMMU

struct hvctl_member_case {
	const char *desc;
	struct hvctl_member m;
	struct hvctl_plan_opts o;
	int want;		/* enum hvctl_member_verdict or -errno */
};

/* .o: { bind, force, nogroup, ntargets } */
static const struct hvctl_member_case hvctl_member_cases[] = {
	{ "NIC in its group", { false, NIC, false, "e1000e" },
	  { true, false, false, 2 }, HVCTL_MEMBER_MOVE },
	{ "NIC named alone", { false, NIC, false, "e1000e" },
	  { true, false, true, 1 }, HVCTL_MEMBER_MOVE },
	{ "bridge in a group stays", { true, BRIDGE, false, "pcieport" },
	  { true, false, false, 3 }, HVCTL_MEMBER_SKIP },
	{ "bridge in a group stays on unbind", { true, BRIDGE, false, "" },
	  { false, false, false, 3 }, HVCTL_MEMBER_SKIP },
	{ "bridge alone is refused", { true, BRIDGE, false, "pcieport" },
	  { true, false, false, 1 }, -EINVAL },
	{ "bridge alone with force is refused", { true, BRIDGE, false, "" },
	  { true, true, false, 1 }, -EINVAL },
	{ "bridge named with nogroup is refused", { true, BRIDGE, false, "" },
	  { true, false, true, 2 }, -EINVAL },
	{ "IOMMU function is refused", { false, IOMMU, false, "" },
	  { true, false, false, 2 }, -EINVAL },
	{ "IOMMU function with force is refused", { false, IOMMU, false, "" },
	  { true, true, false, 2 }, -EINVAL },
	{ "boot VGA on its display driver", { false, VGA, true, "bochs-drm" },
	  { true, false, false, 1 }, -EBUSY },
	{ "boot VGA on its display driver, forced",
	  { false, VGA, true, "bochs-drm" }, { true, true, false, 1 },
	  HVCTL_MEMBER_MOVE },
	{ "boot VGA without a driver", { false, VGA, true, "" },
	  { true, false, false, 1 }, HVCTL_MEMBER_MOVE },
	{ "boot VGA on vfio-pci already", { false, VGA, true, "vfio-pci" },
	  { true, false, false, 1 }, HVCTL_MEMBER_MOVE },
	{ "boot VGA given back", { false, VGA, true, "vfio-pci" },
	  { false, false, false, 1 }, HVCTL_MEMBER_MOVE },
	{ "secondary VGA on its display driver",
	  { false, VGA, false, "bochs-drm" }, { true, false, false, 1 },
	  HVCTL_MEMBER_MOVE },
};

struct hvctl_step_case {
	const char *desc;
	bool bind;
	const char *before;
	const char *old_override;
	const char *target;	/* bind only */
	enum hvctl_step want;
};

static const struct hvctl_step_case hvctl_step_cases[] = {
	{ "bind from a native driver", true, "e1000e", "", "vfio-pci",
	  HVCTL_STEP_MOVE },
	{ "bind what is bound and overridden", true, "vfio-pci", "vfio-pci",
	  "vfio-pci", HVCTL_STEP_NONE },
	{ "bind sets a missing override", true, "vfio-pci", "", "vfio-pci",
	  HVCTL_STEP_MOVE },
	{ "bind an overridden, unbound device", true, "", "vfio-pci",
	  "vfio-pci", HVCTL_STEP_MOVE },
	{ "bind from pci-stub to vfio-pci", true, "pci-stub", "pci-stub",
	  "vfio-pci", HVCTL_STEP_MOVE },
	{ "bind from vfio-pci to pci-stub", true, "vfio-pci", "vfio-pci",
	  "pci-stub", HVCTL_STEP_MOVE },
	{ "unbind from vfio-pci", false, "vfio-pci", "vfio-pci", NULL,
	  HVCTL_STEP_MOVE },
	{ "unbind vfio-pci without override", false, "vfio-pci", "", NULL,
	  HVCTL_STEP_MOVE },
	{ "unbind an override with no driver", false, "", "vfio-pci", NULL,
	  HVCTL_STEP_MOVE },
	{ "unbind from pci-stub", false, "pci-stub", "", NULL,
	  HVCTL_STEP_MOVE },
	{ "unbind leaves a native driver", false, "e1000e", "", NULL,
	  HVCTL_STEP_NONE },
	{ "unbind leaves a native override", false, "e1000e", "e1000e", NULL,
	  HVCTL_STEP_NONE },
	{ "unbind leaves an unbound device", false, "", "", NULL,
	  HVCTL_STEP_NONE },
};

struct hvctl_rollback_case {
	const char *desc;
	int status;
	int want;
};

static const struct hvctl_rollback_case hvctl_rollback_cases[] = {
	{ "done is rolled back", HVCTL_CHANGE_DONE, HVCTL_CHANGE_ROLLED_BACK },
	{ "the failed member is restored", HVCTL_CHANGE_FAILED,
	  HVCTL_CHANGE_FAILED },
	{ "unchanged is left alone", HVCTL_CHANGE_UNCHANGED, 0 },
	{ "planned is left alone", HVCTL_CHANGE_PLANNED, 0 },
	{ "never reached is left alone", 0, 0 },
	{ "rolled back is not restored twice", HVCTL_CHANGE_ROLLED_BACK, 0 },
};

#undef NIC
#undef VGA
#undef BRIDGE
#undef IOMMU

#endif /* _HVCTL_PLAN_CASES_H */
