// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot claims: devices that go to vfio-pci (or pci-stub) as soon as hvctl
 * loads, and devices that appear later (hotplug, SR-IOV virtual functions),
 * before any native driver probes them.
 *
 * The claims come from the "claim" parameter in the grammar of
 * Documentation/selectors.rst.  Every claim= occurrence adds claims: kmod
 * merges "options hvctl claim=..." lines from modprobe.d and
 * "hvctl.claim=..." words from the kernel command line into one parameter
 * string, and a last-one-wins parameter would silently drop all but one.
 *
 * A claimed device gets its driver_override set at once (for a device
 * that appears later: in the bus notifier, before its first probe, so no
 * native driver can take it); the binding itself runs from a workqueue,
 * never inside the notifier.  A device already bound to another driver
 * is taken only with takeover=1, which only the initramfs passes: a stray
 * "modprobe hvctl" on a running host never pulls a device from under it.
 * disable=1 (hvctl.disable=1 on the kernel command line) skips every claim.
 */
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vgaarb.h>
#include <linux/workqueue.h>

#include "hvctl.h"

/* Longest claim text kept: more than any command line allows. */
#define HVCTL_CLAIM_TEXT_MAX 4096

static char *hvctl_claim_text;

static bool takeover;
module_param(takeover, bool, 0444);
#define HVCTL_TAKEOVER_DESC \
	"Take claimed devices from the drivers they are bound to (the initramfs sets it)"
MODULE_PARM_DESC(takeover, HVCTL_TAKEOVER_DESC);

static bool disable;
module_param(disable, bool, 0444);
#define HVCTL_DISABLE_DESC \
	"Skip every claim (hvctl.disable=1: the way out for a host that no longer boots)"
MODULE_PARM_DESC(disable, HVCTL_DISABLE_DESC);

static int hvctl_claim_param_set(const char *val, const struct kernel_param *kp)
{
	size_t old = hvctl_claim_text ? strlen(hvctl_claim_text) + 1 : 0;
	char *s;

	if (!val)
		return -EINVAL;
	if (old + strlen(val) >= HVCTL_CLAIM_TEXT_MAX) {
		pr_err("hvctl: claim: more than %d bytes of claims\n",
		       HVCTL_CLAIM_TEXT_MAX);
		return -ENOSPC;
	}
	if (hvctl_claim_text)
		s = kasprintf(GFP_KERNEL, "%s;%s", hvctl_claim_text, val);
	else
		s = kstrdup(val, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	kfree(hvctl_claim_text);
	hvctl_claim_text = s;
	return 0;
}

static int hvctl_claim_param_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n", hvctl_claim_text ?: "");
}

static void hvctl_claim_param_free(void *arg)
{
	kfree(hvctl_claim_text);
	hvctl_claim_text = NULL;
}

static const struct kernel_param_ops hvctl_claim_param_ops = {
	.set = hvctl_claim_param_set,
	.get = hvctl_claim_param_get,
	.free = hvctl_claim_param_free,
};
module_param_cb(claim, &hvctl_claim_param_ops, NULL, 0444);
#define HVCTL_CLAIM_DESC \
	"Devices for vfio-pci at load and when they appear: \"SELECTOR[,driver=NAME][,nogroup];...\"; adds up over occurrences"
MODULE_PARM_DESC(claim, HVCTL_CLAIM_DESC);

/* The parsed claims; set up before the notifier runs, read-only after. */
static struct hvctl_claim *hvctl_claims;
static unsigned int hvctl_nclaims;

/**
 * struct hvctl_claimed - a device a claim caught
 * @node: in hvctl_claimed_list
 * @pdev: the device, referenced
 * @claim: the claim that caught it (or its group)
 * @takeover: the device may be taken from the driver it is bound to
 * @pending: queued for the work to bind
 */
struct hvctl_claimed {
	struct list_head node;
	struct pci_dev *pdev;
	const struct hvctl_claim *claim;
	bool takeover;
	bool pending;
};

static LIST_HEAD(hvctl_claimed_list);
static DEFINE_MUTEX(hvctl_claimed_lock);
static struct workqueue_struct *hvctl_claim_wq;

static const char *hvctl_claim_driver(const struct hvctl_claim *c)
{
	return c->driver[0] ? c->driver : "vfio-pci";
}

/* Parse hvctl_claim_text; malformed claims are logged and skipped. */
static int hvctl_claims_parse(void)
{
	const char *s = hvctl_claim_text;
	struct hvctl_parse_err err;
	struct hvctl_claim c;
	unsigned int n = 0;
	size_t len, off = 0;
	int ret;

	if (!s)
		return 0;
	len = strlen(s);
	/* Upper bound: one claim per ';'. */
	hvctl_nclaims = 1;
	for (off = 0; off < len; off++)
		hvctl_nclaims += s[off] == ';';
	hvctl_claims =
		kcalloc(hvctl_nclaims, sizeof(*hvctl_claims), GFP_KERNEL);
	if (!hvctl_claims)
		return -ENOMEM;

	off = 0;
	while ((ret = hvctl_claims_next(s, len, &off, &c, &err))) {
		if (ret < 0) {
			pr_err("hvctl: claim=\"%s\": %s at offset %zu; the other claims still apply\n",
			       s, err.msg, err.pos);
			continue;
		}
		if (strcmp(hvctl_claim_driver(&c), "vfio-pci") &&
		    strcmp(hvctl_claim_driver(&c), "pci-stub")) {
			pr_err("hvctl: claim=\"%s\": driver %s: claims bind vfio-pci or pci-stub; the other claims still apply\n",
			       s, c.driver);
			continue;
		}
		hvctl_claims[n++] = c;
	}
	hvctl_nclaims = n;
	return 0;
}

/*
 * The first claim that catches @pdev.  An id claim never catches a storage
 * controller or the boot VGA: the host may boot from it (see
 * hvctl_claim_too_broad()).
 */
static const struct hvctl_claim *hvctl_claim_match(struct pci_dev *pdev)
{
	const struct hvctl_claim *c;
	struct hvctl_dev_key key;
	const char *why;
	unsigned int i;

	hvctl_dev_key(pdev, &key);
	for (i = 0; i < hvctl_nclaims; i++) {
		c = &hvctl_claims[i];
		if (!hvctl_selector_match(&c->sel, &key))
			continue;
		why = hvctl_claim_too_broad(c, pdev->class,
					    pdev == vga_default_device());
		if (!why)
			return c;
		hv_note(pdev, "not claimed: %s\n", why);
	}
	return NULL;
}

static struct hvctl_claimed *hvctl_claimed_find(struct pci_dev *pdev)
{
	struct hvctl_claimed *e;

	lockdep_assert_held(&hvctl_claimed_lock);
	list_for_each_entry(e, &hvctl_claimed_list, node)
		if (e->pdev == pdev)
			return e;
	return NULL;
}

/*
 * The whole-group claim that caught another member of @pdev's IOMMU
 * group, if any: a device joining a claimed group is claimed too, or the
 * group would stop being viable the moment a native driver took it.
 */
static const struct hvctl_claim *hvctl_claim_by_group(struct pci_dev *pdev)
{
	unsigned int id, other;
	struct hvctl_claimed *e;

	lockdep_assert_held(&hvctl_claimed_lock);
	if (!hvctl_dev_group(pdev, &id))
		return NULL;
	list_for_each_entry(e, &hvctl_claimed_list, node)
		if (!e->claim->nogroup && e->pdev != pdev &&
		    hvctl_dev_group(e->pdev, &other) && other == id)
			return e->claim;
	return NULL;
}

/* Record @pdev as caught by @c; the caller queues the work. */
static struct hvctl_claimed *hvctl_claimed_add(struct pci_dev *pdev,
					       const struct hvctl_claim *c,
					       bool may_take)
{
	struct hvctl_claimed *e;

	lockdep_assert_held(&hvctl_claimed_lock);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	e->pdev = pci_dev_get(pdev);
	e->claim = c;
	e->takeover = may_take;
	e->pending = true;
	list_add_tail(&e->node, &hvctl_claimed_list);
	return e;
}

/* Bind every pending claimed device, one at a time. */
static void hvctl_claim_work_fn(struct work_struct *work)
{
	struct hvctl_claimed *e;
	struct pci_dev *pdev;
	const char *driver;
	bool may_take;

	for (;;) {
		pdev = NULL;
		mutex_lock(&hvctl_claimed_lock);
		list_for_each_entry(e, &hvctl_claimed_list, node) {
			if (!e->pending)
				continue;
			e->pending = false;
			pdev = pci_dev_get(e->pdev);
			driver = hvctl_claim_driver(e->claim);
			may_take = e->takeover;
			break;
		}
		mutex_unlock(&hvctl_claimed_lock);
		if (!pdev)
			return;
		hvctl_claim_bind(pdev, driver, may_take);
		pci_dev_put(pdev);
	}
}

static DECLARE_WORK(hvctl_claim_work, hvctl_claim_work_fn);

/**
 * hvctl_claim_added() - a PCI device appeared: claim it before its probe
 * @pdev: the device
 *
 * Called from the bus notifier (BUS_NOTIFY_ADD_DEVICE), before the driver
 * core probes the device.  Sets the driver_override here, so the first
 * probe already goes to the claim's driver; the binding (and loading that
 * driver) happens in the work.
 */
void hvctl_claim_added(struct pci_dev *pdev)
{
	const struct hvctl_claim *c;
	struct hvctl_claimed *e;
	bool queue = false;

	if (disable || !hvctl_nclaims || pci_is_bridge(pdev))
		return;
	mutex_lock(&hvctl_claimed_lock);
	if (hvctl_claimed_find(pdev))
		goto unlock;
	c = hvctl_claim_match(pdev);
	if (!c)
		c = hvctl_claim_by_group(pdev);
	if (!c)
		goto unlock;
	if (hvctl_set_driver_override(pdev, hvctl_claim_driver(c))) {
		hv_warn(pdev, "cannot set driver_override for claim\n");
		goto unlock;
	}
	e = hvctl_claimed_add(pdev, c, false);
	if (!e)
		goto unlock;
	/*
	 * With its driver loaded, the driver core's probe right after this
	 * notifier binds it; else the work loads the driver (whose
	 * registration attaches it) and checks.
	 */
	e->pending = !driver_find(hvctl_claim_driver(c), &pci_bus_type);
	queue = e->pending;
	hv_info(pdev,
		"claimed before its first probe: driver_override=%s (boot claim)\n",
		hvctl_claim_driver(c));
unlock:
	mutex_unlock(&hvctl_claimed_lock);
	if (queue)
		queue_work(hvctl_claim_wq, &hvctl_claim_work);
}

/**
 * hvctl_claim_removed() - a PCI device went away: forget it
 * @pdev: the device
 */
void hvctl_claim_removed(struct pci_dev *pdev)
{
	struct hvctl_claimed *e;

	mutex_lock(&hvctl_claimed_lock);
	e = hvctl_claimed_find(pdev);
	if (e) {
		list_del(&e->node);
		pci_dev_put(e->pdev);
		kfree(e);
	}
	mutex_unlock(&hvctl_claimed_lock);
}

/*
 * Catch the devices present now: those a claim names, then the other
 * members of their IOMMU groups (bridges stay where they are).
 */
static int hvctl_claims_catch(void)
{
	const struct hvctl_claim *c;
	struct hvctl_snap *snap;
	unsigned int i;
	int ret = 0;

	snap = hvctl_snap_take(HVCTL_SNAP_BY_ADDR, NULL, NULL);
	if (!snap)
		return -ENOMEM;
	mutex_lock(&hvctl_claimed_lock);
	for (i = 0; !ret && i < snap->n; i++) {
		struct pci_dev *pdev = snap->ent[i].pdev;

		c = hvctl_claim_match(pdev);
		if (!c || pci_is_bridge(pdev) || hvctl_claimed_find(pdev))
			continue;
		if (!hvctl_claimed_add(pdev, c, takeover))
			ret = -ENOMEM;
	}
	for (i = 0; !ret && i < snap->n; i++) {
		struct pci_dev *pdev = snap->ent[i].pdev;

		if (pci_is_bridge(pdev) || hvctl_claimed_find(pdev))
			continue;
		c = hvctl_claim_by_group(pdev);
		if (c && !hvctl_claimed_add(pdev, c, takeover))
			ret = -ENOMEM;
	}
	mutex_unlock(&hvctl_claimed_lock);
	hvctl_snap_free(snap);
	return ret;
}

/**
 * hvctl_claim_init() - parse the claims and apply them to present devices
 *
 * Runs before the bus notifier is registered.  Malformed claims are logged
 * and skipped; the module loads whatever the claims say.
 *
 * Return: 0 or a negative errno (out of memory only).
 */
int hvctl_claim_init(void)
{
	int ret;

	hvctl_claim_wq = alloc_ordered_workqueue("hvctl_claim", 0);
	if (!hvctl_claim_wq)
		return -ENOMEM;
	if (disable) {
		if (hvctl_claim_text)
			pr_notice("hvctl: disable=1: claims \"%s\" skipped\n",
				  hvctl_claim_text);
		return 0;
	}
	ret = hvctl_claims_parse();
	if (ret)
		goto err;
	return 0;
err:
	destroy_workqueue(hvctl_claim_wq);
	return ret;
}

/**
 * hvctl_claim_start() - claim the devices present now, and wait for it
 *
 * Runs after the bus notifier is registered, so a device that appears
 * meanwhile is caught by one or the other.  When modprobe returns, every
 * claimed device is bound (or its failure logged).
 */
void hvctl_claim_start(void)
{
	if (disable || !hvctl_nclaims)
		return;
	if (hvctl_claims_catch())
		pr_err("hvctl: out of memory while applying claims\n");
	queue_work(hvctl_claim_wq, &hvctl_claim_work);
	flush_workqueue(hvctl_claim_wq);
}

/**
 * hvctl_claim_exit() - stop claiming; devices stay where they are
 *
 * Runs after the bus notifier is gone: waits for queued work, then drops
 * the list.
 */
void hvctl_claim_exit(void)
{
	struct hvctl_claimed *e, *tmp;

	destroy_workqueue(hvctl_claim_wq);
	list_for_each_entry_safe(e, tmp, &hvctl_claimed_list, node) {
		list_del(&e->node);
		pci_dev_put(e->pdev);
		kfree(e);
	}
	kfree(hvctl_claims);
	hvctl_claims = NULL;
	hvctl_nclaims = 0;
}
