/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvctl hugepages: its verbs, shared between hugepages.c and hp-mount.c.
 */
#ifndef HVCTL_HUGEPAGES_H
#define HVCTL_HUGEPAGES_H

#include <netlink/msg.h>

#include "conf.h"
#include "hvctl.h"

int hvctl_hugepages_help(struct hvctl_ctx *ctx, int argc, char **argv);
int hvctl_hp_mount(struct hvctl_ctx *ctx, int argc, char **argv);
void hvctl_hp_event_print(struct nl_msg *msg, const char *event);
int hvctl_hp_boot_reserve(struct hvctl_ctx *ctx, const struct hvctl_conf *conf);

#endif /* HVCTL_HUGEPAGES_H */
