/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Huge page reservations: the entries of the module's ledger and the
 * arithmetic on them (name and size checks, per size and node sums with
 * overflow checks).  Pure C, compiled into both hvctl.ko and the hvctl
 * tool and tested on the host (tests/unit/hugepages-test.c): no
 * allocation, no locking, no hardware.
 */
#ifndef _HVCTL_HP_LEDGER_H
#define _HVCTL_HP_LEDGER_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <uapi/linux/hvctl.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* __u32 and the like: the kernel and userspace both have them. */
#include <linux/types.h>
#include <linux/hvctl.h>
#endif

/* Most NUMA nodes one reservation may name. */
#define HVCTL_HP_RESV_NODES 64
/* Most reservations the ledger holds. */
#define HVCTL_HP_LEDGER_MAX 64

/* The huge page sizes a machine has, as hvctl_hp_size_check() takes them. */
#define HVCTL_HP_HAVE_2M 0x1 /* 2 MiB: x86 PSE, every x86-64 CPU */
#define HVCTL_HP_HAVE_1G 0x2 /* 1 GiB: x86 pdpe1gb (X86_FEATURE_GBPAGES) */

#define HVCTL_HP_KB_2M 2048u
#define HVCTL_HP_KB_1G 1048576u

/**
 * struct hvctl_hp_node - the pages of a reservation on one node
 * @node: the NUMA node
 * @count: number of huge pages, at least 1
 */
struct hvctl_hp_node {
	__u32 node;
	__u64 count;
};

/**
 * struct hvctl_hp_resv - one named reservation
 * @name: its name, NUL-terminated, unique in the ledger
 * @size_kb: huge page size in kB
 * @uid: who recorded it
 * @time: when, seconds since the epoch
 * @nr_nodes: entries used in @node
 * @node: pages per node, each node at most once
 */
struct hvctl_hp_resv {
	char name[HVCTL_HP_NAME_MAX];
	__u32 size_kb;
	__u32 uid;
	__s64 time;
	__u32 nr_nodes;
	struct hvctl_hp_node node[HVCTL_HP_RESV_NODES];
};

const char *hvctl_hp_name_check(const char *s, size_t len);
const char *hvctl_hp_size_check(__u32 size_kb, unsigned int have);
int hvctl_hp_resv_add_node(struct hvctl_hp_resv *r, __u32 node, __u64 count,
			   const char **msg);
int hvctl_hp_sum(const struct hvctl_hp_resv *const *v, size_t n, __u32 size_kb,
		 __u32 node, __u64 *sum);
int hvctl_hp_fits(const struct hvctl_hp_resv *const *v, size_t n,
		  const struct hvctl_hp_resv *r, const char **msg);
const struct hvctl_hp_resv *hvctl_hp_find(const struct hvctl_hp_resv *const *v,
					  size_t n, const char *name);

#endif /* _HVCTL_HP_LEDGER_H */
