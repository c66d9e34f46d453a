/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why an IOMMU group is large, from PCI configuration space alone.
 *
 * The kernel builds a group by walking from a device towards the root
 * (pci_device_group() in drivers/iommu/iommu.c): devices behind a bridge
 * that takes over their requester ID join the bridge; below a port that
 * does not isolate peer-to-peer traffic with ACS they join the port; and
 * functions of one multifunction device that are not isolated from each
 * other share a group.  The helpers that decide it (pci_acs_enabled() and
 * friends) are not exported, so this file repeats the decisions over
 * bytes of configuration space (read by the caller from
 * /sys/bus/pci/devices/ADDR/config) and a table describing the topology.
 * It does no I/O, which keeps it testable on synthetic config spaces
 * (tests/unit/acs-test.c).
 *
 * What it cannot see: the kernel's ACS and DMA alias quirks for specific
 * devices (drivers/pci/quirks.c).  A reason is only reported for a device
 * that is a member of the group, so a port the kernel knows to be
 * isolated by a quirk (and that therefore is not in the group) is not
 * blamed.
 */
#ifndef HVCTL_ACS_H
#define HVCTL_ACS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ACS capability and control register bits (PCIe r6.0, 7.7.8) */
#define ACS_SV 0x0001 /* source validation */
#define ACS_TB 0x0002 /* translation blocking */
#define ACS_RR 0x0004 /* P2P request redirect */
#define ACS_CR 0x0008 /* P2P completion redirect */
#define ACS_UF 0x0010 /* upstream forwarding */
#define ACS_EC 0x0020 /* P2P egress control */
#define ACS_DT 0x0040 /* direct translated P2P */

/* What the kernel requires of a device to call it isolated (REQ_ACS_FLAGS). */
#define ACS_REQUIRED (ACS_SV | ACS_RR | ACS_CR | ACS_UF)

/* PCI Express capability device/port types (PCI_EXP_FLAGS_TYPE >> 4) */
#define ACS_TYPE_NONE (-1) /* no PCI Express capability: conventional PCI */
#define ACS_TYPE_ENDPOINT 0x0
#define ACS_TYPE_LEG_END 0x1
#define ACS_TYPE_ROOT_PORT 0x4
#define ACS_TYPE_UPSTREAM 0x5
#define ACS_TYPE_DOWNSTREAM 0x6
#define ACS_TYPE_PCI_BRIDGE 0x7 /* PCIe-to-PCI/PCI-X bridge */
#define ACS_TYPE_PCIE_BRIDGE 0x8 /* PCI/PCI-X-to-PCIe bridge */
#define ACS_TYPE_RC_END 0x9
#define ACS_TYPE_RC_EC 0xa

#define ACS_CAP_ID_EXP 0x10 /* PCI Express capability */
#define ACS_EXT_CAP_ID_ACS 0x000d /* ACS extended capability */

/* Config space sizes: what an unprivileged reader gets, conventional, PCIe */
#define ACS_CFG_USER 64
#define ACS_CFG_PCI 256
#define ACS_CFG_PCIE 4096

/**
 * struct acs_fn - one PCI function, as the caller read it
 * @addr: "0000:02:00.0" (domain:bus:device.function)
 * @cfg: its configuration space
 * @len: bytes of @cfg: 4096 (PCIe), 256 (conventional, or PCIe without
 *	extended config access), 64 when read without root
 * @parent: index in the table of the bridge above it, -1 on a root bus
 * @virtfn: an SR-IOV virtual function (the kernel does not call a VF
 *	multifunction for its function number)
 * @member: in the group the reasons are asked for
 */
struct acs_fn {
	const char *addr;
	const uint8_t *cfg;
	size_t len;
	int parent;
	bool virtfn;
	bool member;
};

enum acs_kind {
	ACS_REASON_PCI_BRIDGE, /* "pci-bridge": aliases the devices behind it */
	ACS_REASON_MULTIFUNCTION, /* "multifunction-no-acs" */
	ACS_REASON_PORT, /* "port-no-acs" */
};

/**
 * struct acs_reason - one reason the group is as large as it is
 * @kind: which
 * @dev: index in the table of the device responsible (a member)
 * @type: its PCI Express type, ACS_TYPE_NONE for conventional PCI
 * @missing: the ACS_REQUIRED controls it does not enable (0 for
 *	ACS_REASON_PCI_BRIDGE, where ACS does not apply)
 * @has_acs: it has an ACS extended capability
 */
struct acs_reason {
	enum acs_kind kind;
	size_t dev;
	int type;
	uint16_t missing;
	bool has_acs;
};

/* Config space parsing. Offsets 0: not found. */
unsigned int acs_find_cap(const uint8_t *cfg, size_t len, uint8_t id);
unsigned int acs_find_ext_cap(const uint8_t *cfg, size_t len, uint16_t id);
int acs_pcie_type(const uint8_t *cfg, size_t len);
bool acs_multifunction(const struct acs_fn *fn);

/*
 * The ACS_REQUIRED controls @fn lacks to be isolated in the kernel's
 * sense (pci_acs_enabled()), 0 when it is isolated or ACS does not
 * apply to it; *@has_acs: it has an ACS capability.
 */
uint16_t acs_lacking(const struct acs_fn *fn, bool *has_acs);

/* The bridge takes over the requester ID of the devices behind it. */
bool acs_bridge_aliases(const struct acs_fn *bridge);

/*
 * The reasons group members (@t[i].member) share their group, sorted by
 * device address and kind, at most @max of them into @out.  Returns how
 * many there are (may exceed @max), -EACCES when a config space the walk
 * needs is shorter than 256 bytes (read without root), -EINVAL for a
 * table whose parent links do not lead to a root.
 */
int acs_group_reasons(const struct acs_fn *t, size_t n, struct acs_reason *out,
		      size_t max);

/* "pci-bridge", "multifunction-no-acs", "port-no-acs" */
const char *acs_kind_name(enum acs_kind kind);
/* "source-validation" ... for one ACS_* bit; NULL for other bits */
const char *acs_ctrl_name(uint16_t bit);
/* "root port", "PCIe-to-PCI bridge", ... */
const char *acs_type_name(int type, bool bridge);

/*
 * The text line for @r (without "reason: " and newline), e.g.
 * "0000:02:00.0 is a PCIe-to-PCI bridge: the devices behind it share its
 * requester ID"; returns what snprintf() does.
 */
int acs_reason_text(const struct acs_fn *t, const struct acs_reason *r,
		    char *buf, size_t size);

#endif /* HVCTL_ACS_H */
