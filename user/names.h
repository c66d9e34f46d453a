/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Vendor, device and class names from the PCI ID database (libpci): what
 * lspci prints.  Each returns NULL when the database does not know the id.
 */
#ifndef HVCTL_NAMES_H
#define HVCTL_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define HVCTL_NAME_LEN 256

const char *names_vendor(char *buf, size_t size, uint16_t vendor);
const char *names_device(char *buf, size_t size, uint16_t vendor,
			 uint16_t device);
const char *names_class(char *buf, size_t size, uint32_t class);
void names_exit(void);

#endif /* HVCTL_NAMES_H */
