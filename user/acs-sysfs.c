// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read what acs.c needs from sysfs: config spaces and the bridge above
 * each device, for one IOMMU group (see acs-sysfs.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acs-sysfs.h"

#define SYS_PCI "/sys/bus/pci/devices"

struct acs_sys_raw {
	char addr[32];
	uint8_t cfg[ACS_CFG_PCIE];
	size_t len;
	int parent;
	bool virtfn;
};

/* "DDDD:BB:DD.F" (a domain may have more digits) */
static bool is_pci_addr(const char *s)
{
	size_t n = 0;
	const char *p = s;

	while (isxdigit((unsigned char)*p)) {
		p++;
		n++;
	}
	if (n < 4 || *p++ != ':')
		return false;
	if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
	    p[2] != ':' || !isxdigit((unsigned char)p[3]) ||
	    !isxdigit((unsigned char)p[4]) || p[5] != '.' || p[6] < '0' ||
	    p[6] > '7' || p[7])
		return false;
	return strlen(s) < sizeof(((struct acs_sys_raw *)0)->addr);
}

static int find(const struct hvctl_acs_sys *s, const char *addr)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->raw[i].addr, addr))
			return i;
	return -1;
}

/* The PCI device whose directory holds @addr's, into @parent ("" none). */
static int parent_of(const char *addr, char *parent, size_t size)
{
	char path[PATH_MAX], real[PATH_MAX], *slash;

	parent[0] = '\0';
	snprintf(path, sizeof(path), SYS_PCI "/%s", addr);
	if (!realpath(path, real))
		return -errno;
	slash = strrchr(real, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	slash = strrchr(real, '/');
	if (slash && is_pci_addr(slash + 1))
		snprintf(parent, size, "%s", slash + 1);
	return 0;
}

/* Add @addr and the bridges above it; its index, or a negative errno. */
static int load(struct hvctl_acs_sys *s, const char *addr, unsigned int depth)
{
	char path[PATH_MAX], parent[32];
	struct acs_sys_raw *r;
	ssize_t len;
	int i, fd, err;

	i = find(s, addr);
	if (i >= 0)
		return i;
	if (!is_pci_addr(addr) || depth > 64)
		return -EINVAL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;

		r = realloc(s->raw, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		s->raw = r;
		s->cap = cap;
	}
	r = &s->raw[s->n];
	memset(r, 0, sizeof(*r));
	snprintf(r->addr, sizeof(r->addr), "%s", addr);
	snprintf(path, sizeof(path), SYS_PCI "/%s/config", addr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	len = pread(fd, r->cfg, sizeof(r->cfg), 0);
	err = errno;
	close(fd);
	if (len < 0) {
		errno = err;
		goto fail;
	}
	r->len = len;
	snprintf(path, sizeof(path), SYS_PCI "/%s/physfn", addr);
	r->virtfn = !access(path, F_OK);
	r->parent = -1;
	i = s->n++;
	err = parent_of(addr, parent, sizeof(parent));
	if (err)
		return err;
	if (*parent) {
		err = load(s, parent, depth + 1);
		if (err < 0)
			return err;
		s->raw[i].parent = err;
	}
	return i;
fail:
	err = -errno;
	snprintf(s->failed, sizeof(s->failed), "%s", addr);
	return err;
}

/* The other functions of every device in the table. */
static int load_siblings(struct hvctl_acs_sys *s)
{
	char addr[32], path[PATH_MAX];
	size_t i;
	int f, err;

	for (i = 0; i < s->n; i++) {
		for (f = 0; f < 8; f++) {
			snprintf(addr, sizeof(addr), "%s", s->raw[i].addr);
			addr[strlen(addr) - 1] = '0' + f;
			if (find(s, addr) >= 0)
				continue;
			snprintf(path, sizeof(path), SYS_PCI "/%s", addr);
			if (access(path, F_OK))
				continue;
			err = load(s, addr, 0);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

void hvctl_acs_sys_read(struct hvctl_acs_sys *s, const char *const *addrs,
			size_t n)
{
	size_t i, j;
	int err = 0, count;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n && err >= 0; i++)
		err = load(s, addrs[i], 0);
	if (err >= 0)
		err = load_siblings(s);
	if (err < 0)
		goto fail;
	s->fn = calloc(s->n ? s->n : 1, sizeof(*s->fn));
	if (!s->fn) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < s->n; i++) {
		s->fn[i] = (struct acs_fn){
			.addr = s->raw[i].addr,
			.cfg = s->raw[i].cfg,
			.len = s->raw[i].len,
			.parent = s->raw[i].parent,
			.virtfn = s->raw[i].virtfn,
		};
		for (j = 0; j < n; j++)
			if (!strcmp(addrs[j], s->raw[i].addr))
				s->fn[i].member = true;
	}
	count = acs_group_reasons(s->fn, s->n, NULL, 0);
	if (count <= 0) {
		s->nreasons = count;
		return;
	}
	s->reasons = calloc(count, sizeof(*s->reasons));
	if (!s->reasons) {
		err = -ENOMEM;
		goto fail;
	}
	s->nreasons = acs_group_reasons(s->fn, s->n, s->reasons, count);
	return;
fail:
	s->nreasons = err;
}

void hvctl_acs_sys_free(struct hvctl_acs_sys *s)
{
	free(s->fn);
	free(s->raw);
	free(s->reasons);
	memset(s, 0, sizeof(*s));
}
