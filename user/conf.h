/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /etc/hvctl.conf: boot claims, SR-IOV virtual functions to create at boot
 * and huge page pools.  Format in Documentation/boot.rst.
 */
#ifndef HVCTL_CONF_H
#define HVCTL_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/hvctl.h>

#include "selector.h"

#define HVCTL_CONF_DEFAULT "/etc/hvctl.conf"
#define HVCTL_HP_SIZE_MAX 16

/* A claim line; @line and @col (of the selector) are 1-based. */
struct hvctl_conf_claim {
	struct hvctl_claim claim;
	unsigned int line;
	unsigned int col;
};

/* "sriov SELECTOR numvfs N" */
struct hvctl_conf_sriov {
	struct hvctl_selector sel;
	unsigned int numvfs;
	unsigned int line;
	unsigned int col;
};

/* "hugepages NAME size SIZE count N [node N]", syntax-checked only. */
struct hvctl_conf_hugepages {
	char name[HVCTL_HP_NAME_MAX];
	char size[HVCTL_HP_SIZE_MAX];
	uint32_t size_kb;
	unsigned long count;
	int node; /* -1: any */
	unsigned int line;
};

/**
 * struct hvctl_conf - a parsed configuration file
 * @path: the file
 * @lines: its lines as read, without the newline (for editing)
 * @nlines: how many
 * @claims: the valid claim lines
 * @nclaims: how many
 * @sriov: the valid sriov lines
 * @nsriov: how many
 * @hp: the valid hugepages lines
 * @nhp: how many
 * @nerrors: bad lines (each reported as FILE:LINE:COL: message)
 */
struct hvctl_conf {
	char *path;
	char **lines;
	size_t nlines;
	struct hvctl_conf_claim *claims;
	size_t nclaims;
	struct hvctl_conf_sriov *sriov;
	size_t nsriov;
	struct hvctl_conf_hugepages *hp;
	size_t nhp;
	unsigned int nerrors;
};

const char *hvctl_conf_path(void);
int hvctl_conf_load(struct hvctl_conf *conf, const char *path, FILE *errs);
void hvctl_conf_free(struct hvctl_conf *conf);
int hvctl_conf_claim_parse(const char *text, struct hvctl_claim *claim,
			   const char **msg, size_t *pos);
void hvctl_claim_text(const struct hvctl_claim *claim, bool spacefree,
		      char *buf, size_t size);
bool hvctl_selector_equal(const struct hvctl_selector *a,
			  const struct hvctl_selector *b);

#endif /* HVCTL_CONF_H */
