// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read the PCI devices from /sys/bus/pci/devices: identity (what a
 * selector matches), class, boot VGA, IOMMU group and driver.  The Device
 * Serial Number comes from the extended configuration space, which only
 * root can read; without it a serial selector matches nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysdev.h"

#define SYS_PCI "/sys/bus/pci/devices"
#define PCI_EXT_CAP_DSN 0x0003

/* Copy @src into @dst, cut to fit. */
static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static unsigned long read_hex(const char *addr, const char *attr)
{
	char path[PATH_MAX], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), SYS_PCI "/%s/%s", addr, attr);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoul(buf, NULL, 0);
}

/* The basename of the symlink ATTR of the device, or "". */
static void read_link(const char *addr, const char *attr, char *buf,
		      size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	char *base;

	buf[0] = '\0';
	snprintf(path, sizeof(path), SYS_PCI "/%s/%s", addr, attr);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	copy(buf, size, base ? base + 1 : target);
}

/* Walk the extended capabilities for the DSN. */
static void read_serial(struct hvctl_sysdev *d)
{
	unsigned char cfg[4096];
	char path[PATH_MAX];
	unsigned int off = 0x100, hops = 0;
	ssize_t n;
	uint32_t h;
	int fd;

	snprintf(path, sizeof(path), SYS_PCI "/%s/config", d->addr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	while (n >= (ssize_t)off + 12 && off >= 0x100 && hops++ < 64) {
		memcpy(&h, cfg + off, 4);
		if (!h || h == 0xffffffff)
			return;
		if ((h & 0xffff) == PCI_EXT_CAP_DSN) {
			uint32_t lo, hi;

			memcpy(&lo, cfg + off + 4, 4);
			memcpy(&hi, cfg + off + 8, 4);
			d->key.serial = (uint64_t)hi << 32 | lo;
			d->key.has_serial = true;
			return;
		}
		off = h >> 20;
	}
}

/* Slot names: /sys/bus/pci/slots/NAME/address holds DDDD:BB:DD. */
static void read_slots(struct hvctl_sysdevs *devs)
{
	char path[PATH_MAX], buf[64];
	struct dirent *de;
	size_t i, len;
	DIR *dir;
	FILE *f;

	dir = opendir("/sys/bus/pci/slots");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/slots/%s/address",
			 de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			buf[strcspn(buf, "\n")] = '\0';
			len = strlen(buf);
			for (i = 0; len && i < devs->n; i++)
				if (!strncmp(devs->v[i].addr, buf, len) &&
				    devs->v[i].addr[len] == '.')
					copy(devs->v[i].slot,
					     sizeof(devs->v[i].slot),
					     de->d_name);
		}
		fclose(f);
	}
	closedir(dir);
}

static int cmp_addr(const void *a, const void *b)
{
	return strcmp(((const struct hvctl_sysdev *)a)->addr,
		      ((const struct hvctl_sysdev *)b)->addr);
}

/**
 * hvctl_sysdevs_read() - every PCI device, in address order
 * @devs: the result, free with hvctl_sysdevs_free()
 *
 * Return: 0 or -errno.
 */
int hvctl_sysdevs_read(struct hvctl_sysdevs *devs)
{
	unsigned int dom, bus, dev, fn;
	struct hvctl_sysdev *d;
	struct dirent *de;
	char grp[32];
	size_t i;
	DIR *dir;

	memset(devs, 0, sizeof(*devs));
	dir = opendir(SYS_PCI);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (sscanf(de->d_name, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) !=
			    4 ||
		    strlen(de->d_name) >= sizeof(d->addr))
			continue;
		d = realloc(devs->v, (devs->n + 1) * sizeof(*d));
		if (!d) {
			closedir(dir);
			return -ENOMEM;
		}
		devs->v = d;
		d = &devs->v[devs->n++];
		memset(d, 0, sizeof(*d));
		copy(d->addr, sizeof(d->addr), de->d_name);
		d->key.domain = dom;
		d->key.bus = bus;
		d->key.devfn = (dev & 0x1f) << 3 | (fn & 7);
	}
	closedir(dir);
	qsort(devs->v, devs->n, sizeof(*devs->v), cmp_addr);
	read_slots(devs);
	for (i = 0; i < devs->n; i++) {
		d = &devs->v[i];
		d->key.vendor = read_hex(d->addr, "vendor");
		d->key.device = read_hex(d->addr, "device");
		d->key.subvendor = read_hex(d->addr, "subsystem_vendor");
		d->key.subdevice = read_hex(d->addr, "subsystem_device");
		d->key.slot = d->slot[0] ? d->slot : NULL;
		d->class = read_hex(d->addr, "class");
		d->boot_vga = read_hex(d->addr, "boot_vga");
		read_link(d->addr, "driver", d->driver, sizeof(d->driver));
		read_link(d->addr, "iommu_group", grp, sizeof(grp));
		d->group = grp[0] ? atoi(grp) : -1;
		read_serial(d);
	}
	return 0;
}

void hvctl_sysdevs_free(struct hvctl_sysdevs *devs)
{
	free(devs->v);
	memset(devs, 0, sizeof(*devs));
}
