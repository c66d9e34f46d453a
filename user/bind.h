/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Binding devices and groups to vfio-pci and back, and their events.
 */
#ifndef HVCTL_BIND_H
#define HVCTL_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>

#include "hvctl.h"

/**
 * struct hvctl_change - what happened to one device
 * @addr: its address
 * @before: driver before, NULL when unbound
 * @after: driver after, NULL when unbound
 * @step: the step that failed, or NULL
 * @status: enum hvctl_change_status
 * @err: errno of the failed step
 */
struct hvctl_change {
	char *addr;
	char *before;
	char *after;
	char *step;
	unsigned int status;
	unsigned int err;
};

/**
 * struct hvctl_outcome - a bind or unbind reply or event
 * @got: a reply arrived
 * @viable: the group was viable afterwards
 * @uid: who asked
 * @pid: who asked
 * @n: number of changes
 * @v: the changes
 */
struct hvctl_outcome {
	bool got;
	bool viable;
	uint32_t uid;
	uint32_t pid;
	size_t n;
	struct hvctl_change *v;
};

int hvctl_outcome_parse(struct hvctl_outcome *o, struct nlattr *head, int len);
void hvctl_outcome_free(struct hvctl_outcome *o);
void hvctl_outcome_print(const struct hvctl_outcome *o, const char *event);

int hvctl_parse_group_id(const char *s, uint32_t *id);
int hvctl_dev_bind(struct hvctl_ctx *ctx, int argc, char **argv);
int hvctl_dev_unbind(struct hvctl_ctx *ctx, int argc, char **argv);
int hvctl_group_bind(struct hvctl_ctx *ctx, int argc, char **argv);
int hvctl_group_unbind(struct hvctl_ctx *ctx, int argc, char **argv);

#endif /* HVCTL_BIND_H */
