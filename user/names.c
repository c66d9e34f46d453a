// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names from the PCI ID database through libpci, opened on first use.
 * Only the name lookup is used: no pci_init(), no access to devices.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "hvctl.h"
#include "names.h"

static struct pci_access *pacc;

/* libpci calls this only when it cannot go on (a corrupt pci.ids). */
static void __attribute__((noreturn)) pci_fatal(char *msg, ...)
{
	va_list ap;

	fputs("Error: libpci: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	if (!*msg || msg[strlen(msg) - 1] != '\n')
		fputc('\n', stderr);
	exit(HVCTL_EXIT_FAIL);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static struct pci_access *access_get(void)
{
	if (pacc)
		return pacc;
	pacc = pci_alloc();
	pacc->error = pci_fatal;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	/* Neither the network nor the cache file in $HOME. */
	pacc->id_lookup_mode = 0;
	return pacc;
}

const char *names_vendor(char *buf, size_t size, uint16_t vendor)
{
	return pci_lookup_name(access_get(), buf, size,
			       PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS,
			       vendor);
}

const char *names_device(char *buf, size_t size, uint16_t vendor,
			 uint16_t device)
{
	return pci_lookup_name(access_get(), buf, size,
			       PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
			       vendor, device);
}

/*
 * The subclass name, else the base class name.  libpci appends the number
 * to a base class name ("Mass storage controller [01ff]"): drop it.
 */
const char *names_class(char *buf, size_t size, uint32_t class)
{
	unsigned int cls = (class >> 8) & 0xffff;
	char num[sizeof(" [0000]")];
	const char *name;
	size_t len, n;

	name = pci_lookup_name(access_get(), buf, size,
			       PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS, cls);
	if (!name)
		return NULL;
	n = snprintf(num, sizeof(num), " [%04x]", cls);
	len = strlen(name);
	if (name == buf && len > n && !strcmp(buf + len - n, num))
		buf[len - n] = '\0';
	return name;
}

void names_exit(void)
{
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
}
