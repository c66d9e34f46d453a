// SPDX-License-Identifier: GPL-2.0-only
/*
 * Handing devices, or whole IOMMU groups, to vfio-pci (or pci-stub) as one
 * transaction, and giving them back.
 *
 * A bind plans first (which members, which refusals), then changes one
 * member at a time: remember its driver and override, set the override,
 * release the driver, attach the target.  When any step fails, or the
 * group is not viable at the end, every member changed so far goes back
 * to its driver, in reverse order.  One mutex serialises all binds and
 * unbinds, so two requests never interleave on a group.
 */
#include <linux/cred.h>
#include <linux/iommu.h>
#include <linux/kmod.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>

#include "hvctl.h"
#include "plan.h"

static DEFINE_MUTEX(hvctl_bind_lock);

/*
 * Drivers devices had before hvctl bound them, so unbind can give them
 * back.  Keyed by address: the pci_dev may be removed and come back.
 */
struct hvctl_orig {
	struct list_head node;
	u32 domain;
	u8 bus;
	u8 devfn;
	char driver[HVCTL_NAME_MAX];
};

static LIST_HEAD(hvctl_origs);

static struct hvctl_orig *hvctl_orig_find(struct pci_dev *pdev)
{
	struct hvctl_orig *o;

	lockdep_assert_held(&hvctl_bind_lock);
	list_for_each_entry(o, &hvctl_origs, node)
		if (o->domain == pci_domain_nr(pdev->bus) &&
		    o->bus == pdev->bus->number && o->devfn == pdev->devfn)
			return o;
	return NULL;
}

/* Remember @driver as @pdev's own; an existing record is kept. */
static void hvctl_orig_remember(struct pci_dev *pdev, const char *driver)
{
	struct hvctl_orig *o;

	if (hvctl_orig_find(pdev))
		return;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return; /* unbind then falls back to normal probing */
	o->domain = pci_domain_nr(pdev->bus);
	o->bus = pdev->bus->number;
	o->devfn = pdev->devfn;
	strscpy(o->driver, driver, sizeof(o->driver));
	list_add(&o->node, &hvctl_origs);
}

static void hvctl_orig_forget(struct pci_dev *pdev)
{
	struct hvctl_orig *o = hvctl_orig_find(pdev);

	if (o) {
		list_del(&o->node);
		kfree(o);
	}
}

/**
 * hvctl_bind_exit() - forget the original drivers on module unload
 *
 * Devices stay where they are: a VM may be using them.
 */
void hvctl_bind_exit(void)
{
	struct hvctl_orig *o, *tmp;

	mutex_lock(&hvctl_bind_lock);
	list_for_each_entry_safe(o, tmp, &hvctl_origs, node) {
		list_del(&o->node);
		kfree(o);
	}
	mutex_unlock(&hvctl_bind_lock);
}

/* Find a PCI driver by name, loading its module if need be, and pin it. */
static struct device_driver *hvctl_driver_get(const char *name, bool load)
{
	struct device_driver *drv = driver_find(name, &pci_bus_type);

	if (!drv && load && !request_module("%s", name))
		drv = driver_find(name, &pci_bus_type);
	if (drv && !try_module_get(drv->owner))
		drv = NULL;
	return drv;
}

static void hvctl_driver_put(struct device_driver *drv)
{
	if (drv)
		module_put(drv->owner);
}

/* One line per change; a request without a pid is a boot claim. */
static void hvctl_log(struct hvctl_change *ch, const char *verb,
		      const struct hvctl_bind_req *req)
{
	if (!req->pid)
		hv_info(ch->pdev, "%s: %s -> %s (boot claim)\n", verb,
			ch->before[0] ? ch->before : "(none)",
			ch->after[0] ? ch->after : "(none)");
	else
		hv_info(ch->pdev, "%s: %s -> %s (uid %u pid %d)\n", verb,
			ch->before[0] ? ch->before : "(none)",
			ch->after[0] ? ch->after : "(none)", req->uid,
			req->pid);
}

/* A device's driver and override names, into HVCTL_NAME_MAX buffers. */
static void hvctl_dev_state_names(struct pci_dev *pdev, char *driver,
				  char *override)
{
	struct hvctl_dev_state st;

	hvctl_dev_state(pdev, &st);
	strscpy(driver, st.driver, HVCTL_NAME_MAX);
	if (override)
		strscpy(override, st.override, HVCTL_NAME_MAX);
}

/**
 * hvctl_plan_free() - free a plan and drop its device references
 * @plan: a plan from hvctl_bind()/hvctl_unbind(), or NULL
 */
void hvctl_plan_free(struct hvctl_plan *plan)
{
	unsigned int i;

	if (!plan)
		return;
	for (i = 0; i < plan->n; i++)
		pci_dev_put(plan->ch[i].pdev);
	kvfree(plan);
}

/*
 * Which devices a request is about: the one its selector names, or the
 * group it names; unless nogroup, the whole group of that device.
 */
static struct hvctl_snap *hvctl_bind_targets(const struct hvctl_bind_req *req,
					     struct netlink_ext_ack *extack)
{
	struct hvctl_snap *snap;
	unsigned int group;

	if (req->has_group) {
		group = req->group;
	} else {
		snap = hvctl_snap_take(HVCTL_SNAP_BY_ADDR, &req->sel, NULL);
		if (!snap)
			return ERR_PTR(-ENOMEM);
		if (snap->n != 1) {
			bool many = snap->n > 1;

			if (many)
				HV_ERR(extack,
				       "selector matches more than one device; name one by address");
			else
				HV_ERR(extack,
				       "no device matches the selector");
			hvctl_snap_free(snap);
			return ERR_PTR(many ? -EINVAL : -ENODEV);
		}
		if (req->nogroup)
			return snap;
		if (!snap->ent[0].has_group) {
			HV_ERR(extack,
			       "the device is in no IOMMU group (is the IOMMU on?)");
			hvctl_snap_free(snap);
			return ERR_PTR(-ENODEV);
		}
		group = snap->ent[0].group;
		hvctl_snap_free(snap);
	}

	snap = hvctl_snap_take(HVCTL_SNAP_BY_ADDR, NULL, &group);
	if (!snap)
		return ERR_PTR(-ENOMEM);
	if (!snap->n) {
		HV_ERR(extack, "no IOMMU group with this id has PCI devices");
		hvctl_snap_free(snap);
		return ERR_PTR(-ENODEV);
	}
	return snap;
}

/*
 * Turn the target devices into a plan: one change per member that is not
 * a bridge.  Refusals that force cannot lift come first.
 */
static struct hvctl_plan *hvctl_plan_make(const struct hvctl_bind_req *req,
					  bool bind,
					  struct netlink_ext_ack *extack)
{
	struct hvctl_plan_opts opts;
	struct hvctl_snap *snap;
	struct hvctl_plan *plan;
	unsigned int i;
	int ret = 0;

	snap = hvctl_bind_targets(req, extack);
	if (IS_ERR(snap))
		return ERR_CAST(snap);

	plan = kvzalloc(struct_size(plan, ch, snap->n), GFP_KERNEL);
	if (!plan) {
		ret = -ENOMEM;
		goto out;
	}
	plan->whole_group = !req->nogroup;
	if (snap->ent[0].has_group) {
		plan->group = snap->ent[0].group;
		plan->has_group = true;
	}

	opts.bind = bind;
	opts.force = req->force;
	opts.nogroup = req->nogroup;
	opts.ntargets = snap->n;
	for (i = 0; i < snap->n; i++) {
		struct pci_dev *pdev = snap->ent[i].pdev;
		struct hvctl_change *ch = &plan->ch[plan->n];
		struct hvctl_member m = {
			.bridge = pci_is_bridge(pdev),
			.class = pdev->class >> 8,
			.boot_vga = pdev == vga_default_device(),
			.driver = ch->before,
		};
		const char *msg = NULL;

		/*
		 * A display driver on the boot VGA drives the console and
		 * its framebuffer; vfio-pci would remove both.  Firmware
		 * framebuffers and vgacon are for hvctl to see in sysfs.
		 */
		hvctl_dev_state_names(pdev, ch->before, ch->old_override);
		ret = hvctl_plan_member(&m, &opts, &msg);
		if (ret < 0) {
			hvctl_nl_err(extack, NULL, msg);
			goto out;
		}
		if (ret == HVCTL_MEMBER_SKIP) {
			/* stays on its driver */
			memset(ch, 0, sizeof(*ch));
			ret = 0;
			continue;
		}
		ch->pdev = pci_dev_get(pdev);
		plan->n++;
	}
	if (!plan->n) {
		HV_ERR(extack, "nothing to do: the group holds only bridges");
		ret = -EINVAL;
	}
out:
	hvctl_snap_free(snap);
	if (ret) {
		hvctl_plan_free(plan);
		return ERR_PTR(ret);
	}
	return plan;
}

static bool hvctl_plan_has_planned(const struct hvctl_plan *plan,
				   const struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < plan->n; i++)
		if (plan->ch[i].pdev == pdev &&
		    plan->ch[i].status == HVCTL_CHANGE_PLANNED)
			return true;
	return false;
}

/*
 * Is the group of @plan viable now (all members, bridges included)?  For
 * a dry run, members the plan would move count as moved.
 */
static bool hvctl_plan_group_viable(struct hvctl_plan *plan)
{
	struct hvctl_dev_state st;
	struct hvctl_snap *snap;
	bool viable = true;
	unsigned int i;

	if (!plan->has_group)
		return false;
	snap = hvctl_snap_take(HVCTL_SNAP_BY_ADDR, NULL, &plan->group);
	if (!snap)
		return false;
	for (i = 0; i < snap->n; i++) {
		if (hvctl_plan_has_planned(plan, snap->ent[i].pdev))
			continue;
		hvctl_dev_state(snap->ent[i].pdev, &st);
		if (st.driver[0] && !st.dma_user)
			viable = false;
	}
	hvctl_snap_free(snap);
	return viable;
}

/* Is a VFIO user (a VM) holding the group of @plan? */
static bool hvctl_plan_group_in_use(struct hvctl_plan *plan)
{
	struct iommu_group *grp;
	bool in_use;

	if (!plan->n)
		return false;
	grp = iommu_group_get(&plan->ch[0].pdev->dev);
	if (!grp)
		return false;
	in_use = iommu_group_dma_owner_claimed(grp) &&
		 hvctl_plan_group_viable(plan);
	iommu_group_put(grp);
	return in_use;
}

/*
 * Put one device on @drv (NULL: leave it unbound) with @override as its
 * driver_override.  Records the failing step in @ch.
 */
static int hvctl_move(struct hvctl_change *ch, struct device_driver *drv,
		      const char *override)
{
	struct device *dev = &ch->pdev->dev;
	int ret;

	ch->step = "override";
	ret = hvctl_set_driver_override(ch->pdev, override);
	if (ret)
		return ret;
	ch->step = "release";
	device_release_driver(dev);
	if (!drv)
		return 0;
	ch->step = "attach";
	ret = device_driver_attach(drv, dev);
	if (!ret && dev->driver != drv)
		ret = -ENODEV;
	return ret;
}

/* Give @ch's device back to the driver it had before. */
static void hvctl_restore(struct hvctl_change *ch,
			  const struct hvctl_bind_req *req)
{
	struct device_driver *drv = NULL;

	if (ch->before[0])
		drv = hvctl_driver_get(ch->before, false);
	if (hvctl_move(ch, drv,
		       ch->old_override[0] ? ch->old_override : NULL) &&
	    ch->before[0]) {
		/* Its driver refused it back: let normal probing try. */
		if (device_attach(&ch->pdev->dev) < 0)
			hv_warn(ch->pdev,
				"could not give the device back to %s\n",
				ch->before);
	}
	hvctl_driver_put(drv);
	strscpy(ch->after, ch->before, sizeof(ch->after));
	hvctl_log(ch, "rolled back", req);
}

static void hvctl_rollback(struct hvctl_plan *plan, unsigned int upto,
			   const struct hvctl_bind_req *req)
{
	unsigned int i = upto;

	while (i--) {
		struct hvctl_change *ch = &plan->ch[i];
		int status = hvctl_rollback_status(ch->status);

		if (!status)
			continue;
		hvctl_restore(ch, req);
		ch->status = status;
	}
}

/**
 * hvctl_bind() - bind a device or group to a VFIO driver, all or nothing
 * @req: the request
 * @extack: for the reason of a failure
 *
 * Return: the plan with each member's outcome (the caller reports it and
 * frees it with hvctl_plan_free()), or an ERR_PTR when nothing was tried.
 * When the transaction failed and was rolled back, plan->err is set.
 */
struct hvctl_plan *hvctl_bind(const struct hvctl_bind_req *req,
			      struct netlink_ext_ack *extack)
{
	struct device_driver *drv = NULL;
	struct hvctl_plan *plan;
	unsigned int i;
	int ret = 0;

	if (!hvctl_is_target_driver(req->driver)) {
		HV_ERR(extack, "target driver must be vfio-pci or pci-stub");
		return ERR_PTR(-EINVAL);
	}

	mutex_lock(&hvctl_bind_lock);
	plan = hvctl_plan_make(req, true, extack);
	if (IS_ERR(plan))
		goto unlock;

	if (plan->whole_group && hvctl_plan_group_in_use(plan)) {
		HV_ERR(extack, "a VFIO user (a VM) holds this group");
		ret = -EBUSY;
		goto fail_plan;
	}

	drv = hvctl_driver_get(req->driver, !req->dry_run);
	if (!drv && !req->dry_run) {
		HV_ERR(extack,
		       "target driver is not available (module missing?)");
		ret = -ENOENT;
		goto fail_plan;
	}

	for (i = 0; i < plan->n; i++) {
		struct hvctl_change *ch = &plan->ch[i];

		strscpy(ch->after, req->driver, sizeof(ch->after));
		if (hvctl_bind_step(ch->before, ch->old_override,
				    req->driver) == HVCTL_STEP_NONE) {
			ch->status = HVCTL_CHANGE_UNCHANGED;
			continue;
		}
		if (req->dry_run) {
			ch->status = HVCTL_CHANGE_PLANNED;
			continue;
		}
		ret = hvctl_move(ch, drv, req->driver);
		if (ret) {
			ch->status = HVCTL_CHANGE_FAILED;
			ch->err = ret;
			plan->err = ret;
			HV_ERR(extack,
			       "binding failed; every device went back to its driver");
			hvctl_rollback(plan, i + 1, req);
			goto out;
		}
		ch->status = HVCTL_CHANGE_DONE;
		hvctl_log(ch, "bound", req);
	}

	plan->viable = hvctl_plan_group_viable(plan);
	if (plan->whole_group && !plan->viable && !req->dry_run) {
		plan->err = -EBUSY;
		HV_ERR(extack,
		       "group not viable after binding (a member went back to a host driver); rolled back");
		hvctl_rollback(plan, plan->n, req);
		goto out;
	}
	if (!req->dry_run)
		for (i = 0; i < plan->n; i++)
			if (plan->ch[i].status == HVCTL_CHANGE_DONE)
				hvctl_orig_remember(plan->ch[i].pdev,
						    plan->ch[i].before);
	goto out;

fail_plan:
	hvctl_plan_free(plan);
	plan = ERR_PTR(ret);
out:
	hvctl_driver_put(drv);
unlock:
	mutex_unlock(&hvctl_bind_lock);
	return plan;
}

/**
 * hvctl_unbind() - give a device or group back to its own drivers
 * @req: the request (driver, force and dry run are ignored but dry run)
 * @extack: for the reason of a failure
 *
 * Members on vfio-pci or pci-stub go back to the driver they had before
 * hvctl bound them, or to normal probing, and lose their override.  A
 * group a VFIO user holds is refused: unbinding would block until the VM
 * lets go.
 *
 * Return: the plan with each member's outcome, or an ERR_PTR.
 */
struct hvctl_plan *hvctl_unbind(const struct hvctl_bind_req *req,
				struct netlink_ext_ack *extack)
{
	struct hvctl_plan *plan;
	struct hvctl_orig *o;
	unsigned int i;

	mutex_lock(&hvctl_bind_lock);
	plan = hvctl_plan_make(req, false, extack);
	if (IS_ERR(plan))
		goto unlock;

	if (hvctl_plan_group_in_use(plan)) {
		HV_ERR(extack,
		       "a VFIO user (a VM) holds this group; stop it first");
		hvctl_plan_free(plan);
		plan = ERR_PTR(-EBUSY);
		goto unlock;
	}

	for (i = 0; i < plan->n; i++) {
		struct hvctl_change *ch = &plan->ch[i];
		struct device_driver *drv = NULL;

		if (hvctl_unbind_step(ch->before, ch->old_override) ==
		    HVCTL_STEP_NONE) {
			strscpy(ch->after, ch->before, sizeof(ch->after));
			ch->status = HVCTL_CHANGE_UNCHANGED;
			continue;
		}
		o = hvctl_orig_find(ch->pdev);
		if (req->dry_run) {
			strscpy(ch->after, o ? o->driver : "",
				sizeof(ch->after));
			ch->status = HVCTL_CHANGE_PLANNED;
			continue;
		}
		if (o && o->driver[0])
			drv = hvctl_driver_get(o->driver, true);
		ch->err = hvctl_move(ch, drv, NULL);
		hvctl_driver_put(drv);
		if (!drv || ch->err) {
			/* Unknown or refusing driver: normal probing decides. */
			ch->err = device_attach(&ch->pdev->dev);
			ch->err = ch->err < 0 ? ch->err : 0;
		}
		hvctl_dev_state_names(ch->pdev, ch->after, NULL);
		ch->status = ch->err ? HVCTL_CHANGE_FAILED : HVCTL_CHANGE_DONE;
		if (ch->err)
			plan->err = ch->err;
		hvctl_orig_forget(ch->pdev);
		hvctl_log(ch, "unbound", req);
	}
	plan->viable = hvctl_plan_group_viable(plan);
unlock:
	mutex_unlock(&hvctl_bind_lock);
	return plan;
}

/**
 * hvctl_claim_bind() - bind one claimed device to its claim's driver
 * @pdev: the device
 * @driver: vfio-pci or pci-stub
 * @may_take: the device may be taken from another driver it is bound to
 *
 * An unbound device keeps the override even when the driver cannot be had
 * or refuses it: the claim says no host driver may take it.  A device
 * taken from its driver goes back to it if the claim's driver refuses.
 *
 * Return: 0 when the device is on @driver, or a negative errno.
 */
int hvctl_claim_bind(struct pci_dev *pdev, const char *driver, bool may_take)
{
	struct hvctl_bind_req req = { .pid = 0 };
	struct hvctl_change ch = { .pdev = pdev };
	char now[HVCTL_NAME_MAX];
	struct device_driver *drv;
	int ret;

	strscpy(req.driver, driver, sizeof(req.driver));
	/* First: loading the driver attaches a device whose override it is. */
	drv = hvctl_driver_get(driver, true);
	mutex_lock(&hvctl_bind_lock);
	hvctl_dev_state_names(pdev, ch.before, ch.old_override);
	strscpy(ch.after, driver, sizeof(ch.after));
	if (!strcmp(ch.before, driver)) {
		ret = hvctl_set_driver_override(pdev, driver);
		goto unlock;
	}
	if (ch.before[0] && !may_take) {
		hv_info(pdev,
			"claimed for %s but bound to %s: left alone (only the initramfs, with takeover=1, takes bound devices)\n",
			driver, ch.before);
		ret = -EBUSY;
		goto unlock;
	}
	if (!drv) {
		hv_err(pdev, "claimed for %s, which is not available\n",
		       driver);
		ret = -ENOENT;
		if (!ch.before[0])
			hvctl_set_driver_override(pdev, driver);
		goto unlock;
	}
	ret = hvctl_move(&ch, drv, driver);
	if (ret) {
		/*
		 * A device that has just appeared may be probed by the driver
		 * core meanwhile, and the override lets only @driver take it:
		 * that is the claim done.
		 */
		hvctl_dev_state_names(pdev, now, NULL);
		if (!strcmp(now, driver))
			ret = 0;
	}
	if (ret) {
		hv_err(pdev, "claim for %s failed at step %s: %d\n", driver,
		       ch.step, ret);
		if (ch.before[0])
			hvctl_restore(&ch, &req);
		goto unlock;
	}
	hvctl_log(&ch, "claimed", &req);
	hvctl_orig_remember(pdev, ch.before);
unlock:
	mutex_unlock(&hvctl_bind_lock);
	hvctl_driver_put(drv);
	return ret;
}
