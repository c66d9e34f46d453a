/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's hugetlb pools as sysfs shows them, per size and NUMA node,
 * and resizing them through the per-node nr_hugepages files (the only way:
 * the kernel exports no function for it).  A write is only a request; the
 * caller always reads back what it got.
 */
#ifndef HVCTL_HP_POOL_H
#define HVCTL_HP_POOL_H

#include <stdbool.h>
#include <stdint.h>

/* Most nodes and sizes hvctl looks at. */
#define HVCTL_NODES_MAX 64
#define HVCTL_HP_SIZES_MAX 8

/**
 * struct hvctl_pool - one size's pool on one node
 * @nr: nr_hugepages (persistent and surplus pages)
 * @free: free_hugepages
 * @surplus: surplus_hugepages (overcommitted, not persistent)
 */
struct hvctl_pool {
	uint64_t nr;
	uint64_t free;
	uint64_t surplus;
};

int hvctl_nodes_online(uint32_t *nodes, unsigned int max, unsigned int *n,
		       char *why, size_t size);
bool hvctl_node_online(uint32_t node);
int hvctl_hp_sizes(uint32_t *kb, unsigned int max, unsigned int *n);
bool hvctl_hp_size_exists(uint32_t kb);
int hvctl_pool_read(uint32_t node, uint32_t kb, struct hvctl_pool *p);
int hvctl_pool_read_nr(uint32_t node, uint32_t kb, uint64_t *nr);
int hvctl_pool_write_nr(uint32_t node, uint32_t kb, uint64_t nr);
int hvctl_global_read(uint32_t kb, const char *file, uint64_t *v);
int hvctl_node_compact(uint32_t node);

#endif /* HVCTL_HP_POOL_H */
