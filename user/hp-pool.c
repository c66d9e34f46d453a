// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-node hugetlb pools in sysfs (hp-pool.h):
 *   /sys/devices/system/node/nodeN/hugepages/hugepages-SkB/{nr,free,surplus}_hugepages
 *   /sys/kernel/mm/hugepages/hugepages-SkB/ (the sizes, global counters)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hp-pool.h"
#include "hvctl.h"

#define NODE_DIR "/sys/devices/system/node"
#define MM_DIR "/sys/kernel/mm/hugepages"

static int read_u64(const char *path, uint64_t *v)
{
	unsigned long long x;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	ret = fscanf(f, "%llu", &x) == 1 ? 0 : -EIO;
	fclose(f);
	if (!ret)
		*v = x;
	return ret;
}

static int write_u64(const char *path, uint64_t v)
{
	char buf[24];
	ssize_t len, w;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)v);
	w = write(fd, buf, len);
	if (w < 0)
		ret = -errno;
	else if (w != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/**
 * hvctl_nodes_online() - the online NUMA nodes, ascending
 * @nodes: filled
 * @max: room in @nodes
 * @n: how many
 * @why: what went wrong
 * @size: room in @why
 *
 * Return: 0 or -errno.
 */
int hvctl_nodes_online(uint32_t *nodes, unsigned int max, unsigned int *n,
		       char *why, size_t size)
{
	char buf[512], *p, *tok, *save;
	unsigned long a, b, i;
	FILE *f;

	*n = 0;
	f = fopen(NODE_DIR "/online", "re");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		snprintf(why, size, "cannot read %s/online: %s", NODE_DIR,
			 strerror(errno ? errno : EIO));
		if (f)
			fclose(f);
		return -EIO;
	}
	fclose(f);
	for (p = buf; (tok = strtok_r(p, ",\n", &save)); p = NULL) {
		if (sscanf(tok, "%lu-%lu", &a, &b) != 2)
			b = a = strtoul(tok, NULL, 10);
		for (i = a; i <= b; i++) {
			if (*n == max) {
				snprintf(why, size, "more than %u NUMA nodes",
					 max);
				return -E2BIG;
			}
			nodes[(*n)++] = i;
		}
	}
	return 0;
}

bool hvctl_node_online(uint32_t node)
{
	uint32_t nodes[HVCTL_NODES_MAX];
	unsigned int n, i;
	char why[128];

	if (hvctl_nodes_online(nodes, HVCTL_NODES_MAX, &n, why, sizeof(why)))
		return false;
	for (i = 0; i < n; i++)
		if (nodes[i] == node)
			return true;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/**
 * hvctl_hp_sizes() - the huge page sizes the kernel has, ascending, in kB
 * @kb: filled
 * @max: room
 * @n: how many
 *
 * Return: 0 or -errno.
 */
int hvctl_hp_sizes(uint32_t *kb, unsigned int max, unsigned int *n)
{
	struct dirent *de;
	unsigned long v;
	char unit[4];
	DIR *d;

	*n = 0;
	d = opendir(MM_DIR);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && *n < max)
		if (sscanf(de->d_name, "hugepages-%lu%3s", &v, unit) == 2 &&
		    !strcmp(unit, "kB"))
			kb[(*n)++] = v;
	closedir(d);
	qsort(kb, *n, sizeof(*kb), cmp_u32);
	return 0;
}

bool hvctl_hp_size_exists(uint32_t kb)
{
	char path[128];

	snprintf(path, sizeof(path), MM_DIR "/hugepages-%ukB", kb);
	return !access(path, F_OK);
}

static void node_file(char *path, size_t size, uint32_t node, uint32_t kb,
		      const char *file)
{
	snprintf(path, size, NODE_DIR "/node%u/hugepages/hugepages-%ukB/%s",
		 node, kb, file);
}

int hvctl_pool_read_nr(uint32_t node, uint32_t kb, uint64_t *nr)
{
	char path[160];

	node_file(path, sizeof(path), node, kb, "nr_hugepages");
	return read_u64(path, nr);
}

/**
 * hvctl_pool_read() - one size's pool on one node
 * @node: the node
 * @kb: the size
 * @p: filled
 *
 * Return: 0 or -errno.
 */
int hvctl_pool_read(uint32_t node, uint32_t kb, struct hvctl_pool *p)
{
	char path[160];
	int ret;

	ret = hvctl_pool_read_nr(node, kb, &p->nr);
	if (ret)
		return ret;
	node_file(path, sizeof(path), node, kb, "free_hugepages");
	ret = read_u64(path, &p->free);
	if (ret)
		return ret;
	node_file(path, sizeof(path), node, kb, "surplus_hugepages");
	return read_u64(path, &p->surplus);
}

/* Ask the kernel for @nr pages of @kb on @node; read back to learn more. */
int hvctl_pool_write_nr(uint32_t node, uint32_t kb, uint64_t nr)
{
	char path[160];

	node_file(path, sizeof(path), node, kb, "nr_hugepages");
	return write_u64(path, nr);
}

/* A global counter of one size (resv_hugepages, ...). */
int hvctl_global_read(uint32_t kb, const char *file, uint64_t *v)
{
	char path[160];

	snprintf(path, sizeof(path), MM_DIR "/hugepages-%ukB/%s", kb, file);
	return read_u64(path, v);
}

/**
 * hvctl_node_compact() - compact one node's memory, for gigantic pages
 * @node: the node
 *
 * The node's own compact file, else the whole machine through
 * /proc/sys/vm/compact_memory.
 *
 * Return: 0 or -errno.
 */
int hvctl_node_compact(uint32_t node)
{
	char path[96];

	snprintf(path, sizeof(path), NODE_DIR "/node%u/compact", node);
	if (!write_u64(path, 1))
		return 0;
	return write_u64("/proc/sys/vm/compact_memory", 1);
}
