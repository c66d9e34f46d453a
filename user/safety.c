// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the kernel cannot see before a device is taken from the host: a
 * mounted filesystem, active swap or a device-mapper/md holder on one of
 * its disks, a network interface on it that is up or carries a route, a
 * console or framebuffer on the boot VGA.  Read from sysfs and /proc, like
 * lsblk and ip would.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hvctl.h"
#include "safety.h"

/*
 * Does the class entry @path (/sys/class/CLASS/NAME, a symlink to the
 * object's place under /sys/devices) live under PCI device @addr?  The
 * link names every parent, so one readlink() answers.  (realpath() of
 * NAME/device cost a dozen syscalls per entry, paid for every entry of
 * the class for every device bound: quadratic on a host with many NICs;
 * and it missed a NIC whose device link is the PCI function itself.)
 */
static bool under_device(const char *path, const char *addr)
{
	char link[PATH_MAX], needle[64];
	ssize_t n;

	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	snprintf(needle, sizeof(needle), "/%s/", addr);
	return strstr(link, needle) != NULL;
}

static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Is the block device MAJ:MIN mounted? (/proc/self/mountinfo field 3) */
static bool devnum_mounted(const char *majmin, char *where, size_t size)
{
	char line[4096], id[32], mnt[PATH_MAX];
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %31s %*s %4095s", id, mnt) == 2 &&
		    !strcmp(id, majmin)) {
			snprintf(where, size, "%s", mnt);
			found = true;
		}
	fclose(f);
	return found;
}

/* Is block device NAME active swap? (/proc/swaps, by device number) */
static bool devnum_swap(const char *majmin)
{
	char line[4096], path[PATH_MAX], num[32];
	bool found = false;
	struct stat st;
	FILE *f;

	f = fopen("/proc/swaps", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%4095s", path) != 1 || stat(path, &st) ||
		    !S_ISBLK(st.st_mode))
			continue;
		snprintf(num, sizeof(num), "%u:%u", major(st.st_rdev),
			 minor(st.st_rdev));
		found = !strcmp(num, majmin);
	}
	fclose(f);
	return found;
}

static bool has_holders(const char *blk)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/block/%s/holders", blk);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		found = de->d_name[0] != '.';
	closedir(d);
	return found;
}

static int check_block(const char *addr, char *why, size_t size)
{
	char path[PATH_MAX], majmin[32], where[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = opendir("/sys/class/block");
	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s", de->d_name);
		if (!under_device(path, addr))
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/dev",
			 de->d_name);
		if (!read_line(path, majmin, sizeof(majmin)))
			continue;
		if (devnum_mounted(majmin, where, sizeof(where))) {
			snprintf(why, size, "%s holds /dev/%s, mounted on %s",
				 addr, de->d_name, where);
			ret = 1;
		} else if (devnum_swap(majmin)) {
			snprintf(why, size, "%s holds /dev/%s, in use as swap",
				 addr, de->d_name);
			ret = 1;
		} else if (has_holders(de->d_name)) {
			snprintf(
				why, size,
				"%s holds /dev/%s, in use by device-mapper or md",
				addr, de->d_name);
			ret = 1;
		}
	}
	closedir(d);
	return ret;
}

/* Does interface @ifname appear in the IPv4 or IPv6 routing table? */
static bool has_route(const char *ifname)
{
	static const char *const tables[] = { "/proc/net/route",
					      "/proc/net/ipv6_route" };
	char line[512], dev[64];
	bool found = false;
	unsigned int i;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(tables) && !found; i++) {
		f = fopen(tables[i], "re");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f)) {
			/* IPv4: the first field; IPv6: the last. */
			if (i == 0)
				found = sscanf(line, "%63s", dev) == 1 &&
					!strcmp(dev, ifname);
			else
				found = sscanf(line,
					       "%*s %*s %*s %*s %*s %*s %*s %*s %*s %63s",
					       dev) == 1 &&
					!strcmp(dev, ifname) &&
					strcmp(ifname, "lo");
		}
		fclose(f);
	}
	return found;
}

static int check_net(const char *addr, char *why, size_t size)
{
	char path[PATH_MAX], flags[32];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = opendir("/sys/class/net");
	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s", de->d_name);
		if (!under_device(path, addr))
			continue;
		if (has_route(de->d_name)) {
			snprintf(
				why, size,
				"%s is network interface %s, which carries a route",
				addr, de->d_name);
			ret = 1;
			break;
		}
		snprintf(path, sizeof(path), "/sys/class/net/%s/flags",
			 de->d_name);
		if (read_line(path, flags, sizeof(flags)) &&
		    (strtoul(flags, NULL, 16) & 0x1)) {
			snprintf(why, size,
				 "%s is network interface %s, which is up",
				 addr, de->d_name);
			ret = 1;
		}
	}
	closedir(d);
	return ret;
}

/* The firmware's framebuffer, set up on the boot VGA before any driver. */
static bool firmware_fb(const char *path)
{
	static const char *const names[] = { "simple-framebuffer.",
					     "efi-framebuffer.",
					     "vesa-framebuffer.",
					     "vga-framebuffer." };
	char real[PATH_MAX];
	const char *base;
	unsigned int i;

	if (!realpath(path, real))
		return false;
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strncmp(base, names[i], strlen(names[i])))
			return true;
	return false;
}

/*
 * Is a framebuffer (fbdev or DRM) of class @cls on @addr, or a firmware
 * framebuffer, which sits on the boot VGA?
 */
static int check_fb_class(const char *cls, const char *addr, char *why,
			  size_t size)
{
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/%s", cls);
	d = opendir(path);
	if (!d)
		return 0;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/%s/%s", cls,
			 de->d_name);
		if (under_device(path, addr)) {
			snprintf(
				why, size,
				"%s is the boot VGA and drives %s %s (binding it removes the console)",
				addr, cls, de->d_name);
			ret = 1;
			continue;
		}
		snprintf(path, sizeof(path), "/sys/class/%s/%s/device", cls,
			 de->d_name);
		if (firmware_fb(path)) {
			snprintf(
				why, size,
				"%s is the boot VGA and the firmware framebuffer %s (%s) uses it",
				addr, de->d_name, cls);
			ret = 1;
		}
	}
	closedir(d);
	return ret;
}

/*
 * The boot VGA while a console or framebuffer uses it: vfio-pci removes
 * conflicting framebuffers and the VGA text console when it binds.
 */
static int check_display(const char *addr, char *why, size_t size)
{
	char path[PATH_MAX], val[128];
	unsigned int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/boot_vga", addr);
	if (!read_line(path, val, sizeof(val)) || strcmp(val, "1"))
		return 0;
	if (check_fb_class("graphics", addr, why, size) ||
	    check_fb_class("drm", addr, why, size))
		return 1;
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path),
			 "/sys/class/vtconsole/vtcon%u/name", i);
		if (!read_line(path, val, sizeof(val)))
			break;
		if (!strstr(val, "VGA+"))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/class/vtconsole/vtcon%u/bind", i);
		if (read_line(path, val, sizeof(val)) && !strcmp(val, "1")) {
			snprintf(
				why, size,
				"%s is the boot VGA and the VGA text console runs on it",
				addr);
			return 1;
		}
	}
	return 0;
}

/**
 * hvctl_unsafe() - would taking @addr from the host hurt it?
 * @addr: PCI address, e.g. 0000:01:00.0
 * @why: the reason, when it would
 * @size: size of @why
 *
 * Return: true when the device is in use by the host in a way hvctl
 * refuses without --force.
 */
bool hvctl_unsafe(const char *addr, char *why, size_t size)
{
	return check_block(addr, why, size) || check_net(addr, why, size) ||
	       check_display(addr, why, size);
}

/**
 * hvctl_reset_warning() - does a reset of @addr reach its neighbours?
 * @addr: PCI address
 *
 * Return: true when the kernel knows no reset for the device but a bus
 * reset (no FLR, no PM reset), which resets every device on that bus.
 */
bool hvctl_reset_warning(const char *addr)
{
	char path[PATH_MAX], methods[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method",
		 addr);
	if (!read_line(path, methods, sizeof(methods)))
		return true;
	return !strstr(methods, "flr") && !strstr(methods, "pm") &&
	       !strstr(methods, "device_specific") && !strstr(methods, "acpi");
}
