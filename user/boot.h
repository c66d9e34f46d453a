/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvctl boot: what the next boot claims (/etc/hvctl.conf) and the files
 * that put it into the initramfs.
 */
#ifndef HVCTL_BOOT_H
#define HVCTL_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "hvctl.h"
#include "sysdev.h"

/* Written into every file hvctl boot apply writes; revert looks for it. */
#define HVCTL_BOOT_HEADER "written by hvctl boot apply"

int hvctl_boot_add(const char *text, bool check_only);
void hvctl_claim_matches(const struct hvctl_claim *claim,
			 const struct hvctl_sysdevs *devs, unsigned char *hit);
unsigned int hvctl_boot_host_check(const struct hvctl_conf *conf,
				   const struct hvctl_sysdevs *devs,
				   bool notes);
size_t hvctl_boot_cmdline(const struct hvctl_conf *conf, char *buf,
			  size_t size);
const char *hvctl_root(void);
int hvctl_write_atomic(const char *path, const char *text, size_t len);

int hvctl_boot_apply(struct hvctl_ctx *ctx, int argc, char **argv);
int hvctl_boot_revert(struct hvctl_ctx *ctx, int argc, char **argv);

#endif /* HVCTL_BOOT_H */
