/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HVCTL_MODLOAD_H
#define HVCTL_MODLOAD_H

#include <stddef.h>

int hvctl_modload(const char *name, char *why, size_t size);

#endif /* HVCTL_MODLOAD_H */
