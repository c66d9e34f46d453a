/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-side checks before a device is taken from the host.
 */
#ifndef HVCTL_SAFETY_H
#define HVCTL_SAFETY_H

#include <stdbool.h>
#include <stddef.h>

bool hvctl_unsafe(const char *addr, char *why, size_t size);
bool hvctl_reset_warning(const char *addr);

#endif /* HVCTL_SAFETY_H */
