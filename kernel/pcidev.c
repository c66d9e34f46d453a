// SPDX-License-Identifier: GPL-2.0-only
/*
 * What hvctl knows about PCI devices: their identity, what they are bound
 * to, their IOMMU group, and sorted snapshots for dumps.  A bus notifier
 * bumps a generation counter whenever that changes, so dumps can tell the
 * reader when the snapshot they came from went stale.
 */
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "hvctl.h"

/* Starts at 1: netlink treats a dump's previous sequence of 0 as unset. */
atomic_t hvctl_gen = ATOMIC_INIT(1);

static int hvctl_pci_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		atomic_inc(&hvctl_gen);
		/* Before the first probe: a claimed device goes nowhere else. */
		hvctl_claim_added(to_pci_dev(data));
		hvctl_nl_notify_dev(to_pci_dev(data), HVCTL_CMD_DEVICE_ADD_NTF);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		atomic_inc(&hvctl_gen);
		hvctl_claim_removed(to_pci_dev(data));
		hvctl_nl_notify_dev(to_pci_dev(data), HVCTL_CMD_DEVICE_DEL_NTF);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
	case BUS_NOTIFY_UNBOUND_DRIVER:
		atomic_inc(&hvctl_gen);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block hvctl_pci_nb = {
	.notifier_call = hvctl_pci_notify,
};

/**
 * hvctl_pcidev_init() - start watching the PCI bus
 *
 * Return: 0 or a negative errno.
 */
int hvctl_pcidev_init(void)
{
	return bus_register_notifier(&pci_bus_type, &hvctl_pci_nb);
}

/**
 * hvctl_pcidev_exit() - stop watching the PCI bus
 */
void hvctl_pcidev_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &hvctl_pci_nb);
}

/*
 * Names of the kernel's reset methods, indexed like pdev->reset_methods[]
 * (the order of pci_reset_fn_methods[] in drivers/pci/pci.c; new methods
 * are only ever appended there).
 */
static const char *const hvctl_reset_names[] = {
	[1] = "device_specific", [2] = "acpi", [3] = "flr",
	[4] = "af_flr",		 [5] = "pm",   [6] = "bus",
	[7] = "cxl_bus",
};

/**
 * hvctl_reset_method_name() - name of a reset method index
 * @m: an entry of pdev->reset_methods[]
 *
 * Return: the name as sysfs' reset_method shows it, or NULL if unknown.
 */
const char *hvctl_reset_method_name(u8 m)
{
	return m < ARRAY_SIZE(hvctl_reset_names) ? hvctl_reset_names[m] : NULL;
}

/**
 * hvctl_dev_key() - a device's identity, for selector matching
 * @pdev: the device
 * @key: filled in; key->slot points into @pdev and lives as long as it
 */
void hvctl_dev_key(struct pci_dev *pdev, struct hvctl_dev_key *key)
{
	key->domain = pci_domain_nr(pdev->bus);
	key->bus = pdev->bus->number;
	key->devfn = pdev->devfn;
	key->vendor = pdev->vendor;
	key->device = pdev->device;
	key->subvendor = pdev->subsystem_vendor;
	key->subdevice = pdev->subsystem_device;
	key->serial = pci_get_dsn(pdev);
	key->has_serial = key->serial != 0;
	key->slot = pdev->slot ? pci_slot_name(pdev->slot) : NULL;
}

/**
 * hvctl_dev_state() - what a device is bound to, read under its lock
 * @pdev: the device
 * @st: filled in
 *
 * Sleeps: takes the device lock, as the driver core's own sysfs readers do.
 */
void hvctl_dev_state(struct pci_dev *pdev, struct hvctl_dev_state *st)
{
	struct device_driver *drv;

	device_lock(&pdev->dev);
	drv = pdev->dev.driver;
	strscpy(st->driver, drv ? drv->name : "", sizeof(st->driver));
	st->dma_user = drv && to_pci_driver(drv)->driver_managed_dma;
	hvctl_driver_override(pdev, st->override, sizeof(st->override));
	device_unlock(&pdev->dev);
}

/**
 * hvctl_dev_group() - a device's IOMMU group id
 * @pdev: the device
 * @id: the id, when there is a group
 *
 * Return: true when the device is in an IOMMU group.
 */
bool hvctl_dev_group(struct pci_dev *pdev, unsigned int *id)
{
	struct iommu_group *grp = iommu_group_get(&pdev->dev);

	if (!grp)
		return false;
	*id = iommu_group_id(grp);
	iommu_group_put(grp);
	return true;
}

static int hvctl_addr_cmp(const struct pci_dev *a, const struct pci_dev *b)
{
	int da = pci_domain_nr(a->bus), db = pci_domain_nr(b->bus);

	if (da != db)
		return da < db ? -1 : 1;
	if (a->bus->number != b->bus->number)
		return a->bus->number < b->bus->number ? -1 : 1;
	if (a->devfn != b->devfn)
		return a->devfn < b->devfn ? -1 : 1;
	return 0;
}

static int hvctl_snap_cmp_addr(const void *a, const void *b)
{
	const struct hvctl_snap_ent *x = a, *y = b;

	return hvctl_addr_cmp(x->pdev, y->pdev);
}

/* Grouped devices by group id, then address; ungrouped ones last. */
static int hvctl_snap_cmp_group(const void *a, const void *b)
{
	const struct hvctl_snap_ent *x = a, *y = b;

	if (x->has_group != y->has_group)
		return x->has_group ? -1 : 1;
	if (x->has_group && x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return hvctl_addr_cmp(x->pdev, y->pdev);
}

static bool hvctl_snap_want(struct pci_dev *pdev,
			    const struct hvctl_selector *sel,
			    const struct hvctl_snap_ent *e,
			    const unsigned int *group)
{
	struct hvctl_dev_key key;

	if (group && (!e->has_group || e->group != *group))
		return false;
	if (!sel)
		return true;
	hvctl_dev_key(pdev, &key);
	return hvctl_selector_match(sel, &key);
}

/**
 * hvctl_snap_take() - the PCI devices now, referenced and sorted
 * @order: by address, or by IOMMU group then address
 * @sel: only devices matching this selector, or NULL for all
 * @group: only devices in this IOMMU group, or NULL for all
 *
 * Devices that appear while the snapshot is taken may be missed; the
 * generation recorded in it lets a dump say so.  Cost is linear in the
 * number of devices (plus the sort).
 *
 * Return: the snapshot (free with hvctl_snap_free()) or NULL when out of
 * memory.
 */
struct hvctl_snap *hvctl_snap_take(enum hvctl_snap_order order,
				   const struct hvctl_selector *sel,
				   const unsigned int *group)
{
	struct pci_dev *pdev = NULL;
	struct hvctl_snap *snap;
	unsigned int max = 0;

	for_each_pci_dev(pdev)
		max++;

	snap = kvzalloc(struct_size(snap, ent, max), GFP_KERNEL);
	if (!snap)
		return NULL;
	snap->gen = atomic_read(&hvctl_gen);

	for_each_pci_dev(pdev) {
		struct hvctl_snap_ent *e = &snap->ent[snap->n];

		if (snap->n == max) {
			/* Newer than our count: the generation tells. */
			pci_dev_put(pdev);
			break;
		}
		e->has_group = hvctl_dev_group(pdev, &e->group);
		if (!hvctl_snap_want(pdev, sel, e, group))
			continue;
		e->pdev = pci_dev_get(pdev);
		snap->n++;
	}

	sort(snap->ent, snap->n, sizeof(snap->ent[0]),
	     order == HVCTL_SNAP_BY_GROUP ? hvctl_snap_cmp_group :
					    hvctl_snap_cmp_addr,
	     NULL);
	return snap;
}

/**
 * hvctl_snap_free() - drop a snapshot and its device references
 * @snap: the snapshot, or NULL
 */
void hvctl_snap_free(struct hvctl_snap *snap)
{
	unsigned int i;

	if (!snap)
		return;
	for (i = 0; i < snap->n; i++)
		pci_dev_put(snap->ent[i].pdev);
	kvfree(snap);
}
