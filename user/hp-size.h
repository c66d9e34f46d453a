/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sizes and counts the way people write them: "2M", "2MB", "2048k",
 * "2048kB", "1G", "1GiB".  Units are binary (1k = 1024 bytes) and
 * mandatory.  Pure C, tested on the host (tests/unit/hugepages-test.c).
 */
#ifndef HVCTL_HP_SIZE_H
#define HVCTL_HP_SIZE_H

#include <stddef.h>
#include <stdint.h>

int hvctl_size_parse(const char *s, uint64_t *bytes, char *why, size_t size);
int hvctl_hp_size_parse(const char *s, uint32_t *kb, char *why, size_t size);
int hvctl_count_parse(const char *s, uint64_t *n, char *why, size_t size);
const char *hvctl_size_name(uint64_t kb, char *buf, size_t size);

#endif /* HVCTL_HP_SIZE_H */
