/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Device selectors and claims: one grammar, one parser, compiled into both
 * hvctl.ko and the hvctl tool.  Pure C: no allocation, no libc, no kernel
 * calls, so the same tables test it on the host and under KUnit.
 *
 * Grammar (Documentation/selectors.rst has the full text):
 *
 *   selector := "addr" ADDR | "id" VVVV:DDDD[:SSSS:ssss]
 *             | "serial" XX-XX-XX-XX-XX-XX-XX-XX | "slot" NAME | ADDR
 *   ADDR     := [DDDD:]BB:DD.F            (hex; domain defaults to 0000)
 *   claim    := selector [ "driver" NAME ] [ "nogroup" ]
 *   claims   := claim { ";" claim }
 *
 * Words are separated by blanks, ',' or '=', so "addr=01:00.0,driver=pci-stub"
 * is the space-free form of "addr 01:00.0 driver pci-stub" used on the kernel
 * command line.
 */
#ifndef _HVCTL_SELECTOR_H
#define _HVCTL_SELECTOR_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* __u32 and the like: the kernel and userspace both have them. */
#include <linux/types.h>
#endif

#define HVCTL_SLOT_NAME_MAX 32
#define HVCTL_DRIVER_NAME_MAX 32
/* PCI base class of mass storage controllers. */
#define HVCTL_CLASS_STORAGE 0x01

enum hvctl_sel_kind {
	HVCTL_SEL_NONE,
	HVCTL_SEL_ADDR,
	HVCTL_SEL_ID,
	HVCTL_SEL_SERIAL,
	HVCTL_SEL_SLOT,
};

/**
 * struct hvctl_selector - a parsed selector
 * @kind: which of the fields below is meaningful
 * @domain: PCI domain (addr)
 * @bus: PCI bus number (addr)
 * @devfn: device and function, as PCI_DEVFN() packs them (addr)
 * @vendor: vendor id (id)
 * @device: device id (id)
 * @subvendor: subsystem vendor id, valid when @has_subsys (id)
 * @subdevice: subsystem device id, valid when @has_subsys (id)
 * @has_subsys: the id selector named a subsystem too
 * @serial: PCIe Device Serial Number (serial)
 * @slot: physical slot name, NUL-terminated (slot)
 */
struct hvctl_selector {
	enum hvctl_sel_kind kind;
	__u32 domain;
	__u8 bus;
	__u8 devfn;
	__u16 vendor;
	__u16 device;
	__u16 subvendor;
	__u16 subdevice;
	bool has_subsys;
	__u64 serial;
	char slot[HVCTL_SLOT_NAME_MAX];
};

/**
 * struct hvctl_claim - a selector with what to do with the devices it picks
 * @sel: the devices
 * @driver: target driver, "" for the default (vfio-pci)
 * @nogroup: claim only the selected devices, not their whole IOMMU group
 */
struct hvctl_claim {
	struct hvctl_selector sel;
	char driver[HVCTL_DRIVER_NAME_MAX];
	bool nogroup;
};

/**
 * struct hvctl_dev_key - what a selector is matched against
 * @domain: PCI domain
 * @bus: bus number
 * @devfn: device and function
 * @vendor: vendor id
 * @device: device id
 * @subvendor: subsystem vendor id
 * @subdevice: subsystem device id
 * @serial: Device Serial Number, when @has_serial
 * @has_serial: the device has a DSN capability
 * @slot: physical slot name, or NULL
 */
struct hvctl_dev_key {
	__u32 domain;
	__u8 bus;
	__u8 devfn;
	__u16 vendor;
	__u16 device;
	__u16 subvendor;
	__u16 subdevice;
	__u64 serial;
	bool has_serial;
	const char *slot;
};

/**
 * struct hvctl_parse_err - where and why parsing failed
 * @msg: static, human-readable reason (suitable for extack)
 * @pos: byte offset into the input where the offending word starts
 */
struct hvctl_parse_err {
	const char *msg;
	size_t pos;
};

int hvctl_selector_parse(const char *s, size_t len, struct hvctl_selector *sel,
			 struct hvctl_parse_err *err);
int hvctl_claims_next(const char *s, size_t len, size_t *off,
		      struct hvctl_claim *claim, struct hvctl_parse_err *err);
bool hvctl_selector_match(const struct hvctl_selector *sel,
			  const struct hvctl_dev_key *key);
const char *hvctl_claim_too_broad(const struct hvctl_claim *claim, __u32 class,
				  bool boot_vga);
int hvctl_selector_format(const struct hvctl_selector *sel, char *buf,
			  size_t size);

#endif /* _HVCTL_SELECTOR_H */
