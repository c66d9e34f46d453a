// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Arithmetic of huge page reservations (see hp-ledger.h), shared by
 * hvctl.ko and the hvctl tool.  Every sum is checked for overflow: a
 * count in pages must also fit in bytes (count * size_kb * 1024), so
 * nothing downstream that multiplies it can wrap.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#endif

#include "hp-ledger.h"

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/**
 * hvctl_hp_name_check() - is @s a valid reservation name
 * @s: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * 1 to HVCTL_HP_NAME_MAX - 1 characters of [A-Za-z0-9_.-], not "." or
 * "..": names appear in sysfs lines and lock and mount paths.
 *
 * Return: NULL when valid, else what is wrong.
 */
const char *hvctl_hp_name_check(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return "empty reservation name";
	if (len > HVCTL_HP_NAME_MAX - 1)
		return "reservation name too long (at most 32 characters)";
	for (i = 0; i < len; i++)
		if (!name_char_ok(s[i]))
			return "reservation names are made of A-Z, a-z, 0-9, '_', '.' and '-'";
	if ((len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return "reservation name may not be \".\" or \"..\"";
	return NULL;
}

/**
 * hvctl_hp_size_check() - is @size_kb a huge page size the machine has
 * @size_kb: size in kB
 * @have: HVCTL_HP_HAVE_* flags of the machine
 *
 * Return: NULL when it has it, else what is wrong.
 */
const char *hvctl_hp_size_check(__u32 size_kb, unsigned int have)
{
	if (size_kb == HVCTL_HP_KB_2M)
		return have & HVCTL_HP_HAVE_2M ? NULL :
						 "this CPU has no 2 MiB pages";
	if (size_kb == HVCTL_HP_KB_1G)
		return have & HVCTL_HP_HAVE_1G ?
			       NULL :
			       "this CPU has no 1 GiB pages (no pdpe1gb)";
	return "unsupported huge page size: 2048 kB (2M) or 1048576 kB (1G)";
}

/* Does @count pages of @size_kb fit in a u64 of bytes? */
static bool bytes_fit(__u64 count, __u32 size_kb)
{
	__u64 kb, bytes;

	return !check_mul_overflow(count, (__u64)size_kb, &kb) &&
	       !check_mul_overflow(kb, (__u64)1024, &bytes);
}

/**
 * hvctl_hp_resv_add_node() - add @count pages on @node to @r
 * @r: the reservation, with @r->size_kb set
 * @node: the NUMA node (its being online is the caller's to check)
 * @count: pages on it
 * @msg: set to what is wrong on failure
 *
 * Return: 0; -EINVAL for a zero count or a node named twice; -E2BIG for
 * too many nodes; -EOVERFLOW when the pages of @r no longer fit in bytes.
 */
int hvctl_hp_resv_add_node(struct hvctl_hp_resv *r, __u32 node, __u64 count,
			   const char **msg)
{
	__u64 total = 0;
	__u32 i;

	if (!count) {
		*msg = "a node's page count must be at least 1";
		return -EINVAL;
	}
	for (i = 0; i < r->nr_nodes; i++) {
		if (r->node[i].node == node) {
			*msg = "node named twice in one reservation";
			return -EINVAL;
		}
		total += r->node[i].count; /* fits: checked as each was added */
	}
	if (r->nr_nodes == HVCTL_HP_RESV_NODES) {
		*msg = "too many nodes in one reservation";
		return -E2BIG;
	}
	if (check_add_overflow(total, count, &total) ||
	    !bytes_fit(total, r->size_kb)) {
		*msg = "page count overflows (more bytes than 64 bits hold)";
		return -EOVERFLOW;
	}
	r->node[r->nr_nodes].node = node;
	r->node[r->nr_nodes].count = count;
	r->nr_nodes++;
	return 0;
}

/**
 * hvctl_hp_sum() - pages the ledger holds of one size on one node
 * @v: the reservations
 * @n: how many
 * @size_kb: the page size
 * @node: the node
 * @sum: the total
 *
 * Return: 0, or -EOVERFLOW when the total does not fit in bytes.
 */
int hvctl_hp_sum(const struct hvctl_hp_resv *const *v, size_t n, __u32 size_kb,
		 __u32 node, __u64 *sum)
{
	__u64 s = 0;
	size_t i;
	__u32 j;

	for (i = 0; i < n; i++) {
		if (v[i]->size_kb != size_kb)
			continue;
		for (j = 0; j < v[i]->nr_nodes; j++)
			if (v[i]->node[j].node == node &&
			    check_add_overflow(s, v[i]->node[j].count, &s))
				return -EOVERFLOW;
	}
	if (!bytes_fit(s, size_kb))
		return -EOVERFLOW;
	*sum = s;
	return 0;
}

/**
 * hvctl_hp_find() - the reservation named @name
 * @v: the reservations
 * @n: how many
 * @name: NUL-terminated
 *
 * Return: it, or NULL.
 */
const struct hvctl_hp_resv *hvctl_hp_find(const struct hvctl_hp_resv *const *v,
					  size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i]->name, name))
			return v[i];
	return NULL;
}

/**
 * hvctl_hp_fits() - may @r join the ledger @v
 * @v: the reservations
 * @n: how many
 * @r: the new one
 * @msg: set to what is wrong on failure
 *
 * Return: 0; -EEXIST when the name is taken; -ENOSPC when the ledger is
 * full; -EOVERFLOW when a node's total of @r's size would overflow.
 */
int hvctl_hp_fits(const struct hvctl_hp_resv *const *v, size_t n,
		  const struct hvctl_hp_resv *r, const char **msg)
{
	__u64 sum;
	__u32 j;

	if (hvctl_hp_find(v, n, r->name)) {
		*msg = "a reservation with this name exists";
		return -EEXIST;
	}
	if (n >= HVCTL_HP_LEDGER_MAX) {
		*msg = "the ledger is full (64 reservations)";
		return -ENOSPC;
	}
	for (j = 0; j < r->nr_nodes; j++) {
		if (hvctl_hp_sum(v, n, r->size_kb, r->node[j].node, &sum) ||
		    check_add_overflow(sum, r->node[j].count, &sum) ||
		    !bytes_fit(sum, r->size_kb)) {
			*msg = "the node's reserved pages would overflow";
			return -EOVERFLOW;
		}
	}
	return 0;
}
