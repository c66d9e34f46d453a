// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing and naming of huge page sizes and page counts (hp-size.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hp-size.h"

/* Decimal digits only, no sign, no blanks; -ERANGE above UINT64_MAX. */
static int parse_u64(const char *s, const char **end, uint64_t *v)
{
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++)
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, (uint64_t)(*s - '0'), &n))
			return -ERANGE;
	*end = s;
	*v = n;
	return 0;
}

/* The shift of a unit: "k", "kB", "KiB", "M", "MB", "MiB", "G"... */
static int unit_shift(const char *u)
{
	static const char letters[] = "kmgt";
	const char *p;

	if (!*u)
		return -1;
	p = strchr(letters, u[0] | 0x20);
	if (!p)
		return -1;
	u++;
	if (*u && strcasecmp(u, "b") && strcasecmp(u, "ib"))
		return -1;
	return 10 * (int)(p - letters + 1);
}

/**
 * hvctl_size_parse() - a size with a unit, in bytes
 * @s: the text
 * @bytes: the size
 * @why: what is wrong, on failure
 * @size: room in @why
 *
 * Return: 0, or -EINVAL (malformed, zero, no unit) or -ERANGE (too large).
 */
int hvctl_size_parse(const char *s, uint64_t *bytes, char *why, size_t size)
{
	const char *u;
	uint64_t n;
	int shift, ret;

	ret = parse_u64(s, &u, &n);
	if (ret == -ERANGE)
		goto range;
	if (ret) {
		snprintf(
			why, size,
			"invalid size \"%s\": expected a number and a unit, like 2M or 1G",
			s);
		return -EINVAL;
	}
	shift = unit_shift(u);
	if (shift < 0) {
		if (*u)
			snprintf(
				why, size,
				"invalid size \"%s\": unknown unit \"%s\" (k, M, G or T, optionally followed by B or iB)",
				s, u);
		else
			snprintf(
				why, size,
				"invalid size \"%s\": missing unit (k, M or G, as in 2M or 1G)",
				s);
		return -EINVAL;
	}
	if (!n) {
		snprintf(why, size, "invalid size \"%s\": must not be zero", s);
		return -EINVAL;
	}
	if (n > (UINT64_MAX >> shift))
		goto range;
	*bytes = n << shift;
	return 0;
range:
	snprintf(why, size, "invalid size \"%s\": too large", s);
	return -ERANGE;
}

/**
 * hvctl_hp_size_parse() - a huge page size, in kB
 * @s: the text
 * @kb: the size in kB
 * @why: what is wrong, on failure
 * @size: room in @why
 *
 * Only well-formedness: a power of two of at least 4 kB.  Whether the
 * machine has the size is for the caller to check.
 *
 * Return: 0 or a negative errno.
 */
int hvctl_hp_size_parse(const char *s, uint32_t *kb, char *why, size_t size)
{
	uint64_t bytes;
	int ret;

	ret = hvctl_size_parse(s, &bytes, why, size);
	if (ret)
		return ret;
	if (bytes < 4096 || (bytes & (bytes - 1)) ||
	    (bytes >> 10) > UINT32_MAX) {
		snprintf(
			why, size,
			"invalid huge page size \"%s\": not a power of two from 4k to 2T",
			s);
		return -EINVAL;
	}
	*kb = (uint32_t)(bytes >> 10);
	return 0;
}

/**
 * hvctl_count_parse() - a page count: decimal, at least 1
 * @s: the text
 * @n: the count
 * @why: what is wrong, on failure
 * @size: room in @why
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
int hvctl_count_parse(const char *s, uint64_t *n, char *why, size_t size)
{
	const char *end;
	int ret;

	ret = parse_u64(s, &end, n);
	if (ret == -ERANGE) {
		snprintf(why, size, "invalid count \"%s\": too large", s);
		return -ERANGE;
	}
	if (ret || *end || !*n) {
		snprintf(
			why, size,
			"invalid count \"%s\": expected a number of pages, at least 1",
			s);
		return -EINVAL;
	}
	return 0;
}

/**
 * hvctl_size_name() - "2M", "1G", "64k": the largest unit that divides
 * @kb: size in kB
 * @buf: where to write
 * @size: its room
 *
 * Return: @buf.
 */
const char *hvctl_size_name(uint64_t kb, char *buf, size_t size)
{
	static const char units[] = "kMGT";
	unsigned int u = 0;

	while (u < 3 && kb && !(kb & 1023)) {
		kb >>= 10;
		u++;
	}
	snprintf(buf, size, "%llu%c", (unsigned long long)kb, units[u]);
	return buf;
}
