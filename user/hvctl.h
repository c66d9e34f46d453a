/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the hvctl tool's files share: exit statuses, options, error output
 * and the object/verb dispatcher.
 */
#ifndef HVCTL_TOOL_H
#define HVCTL_TOOL_H

#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses: a public interface, documented in usage(). */
enum hvctl_exit {
	HVCTL_EXIT_OK = 0, /* success */
	HVCTL_EXIT_FAIL = 1, /* any other failure */
	HVCTL_EXIT_USAGE = 2, /* bad command line */
	HVCTL_EXIT_NOTFOUND = 3, /* no such group or device */
	HVCTL_EXIT_REFUSED = 4, /* the kernel refused the request */
	HVCTL_EXIT_NOMODULE = 5, /* hvctl.ko missing, cannot be loaded */
	HVCTL_EXIT_UNSAFE = 6, /* unsafe operation refused */
};

struct hvctl_nl;

/**
 * struct hvctl_ctx - one run of the tool
 * @json: print JSON instead of text
 * @numeric: no names from pci.ids
 * @dry_run: plan changes and print them, change nothing
 * @force: lift the refusals that --force may lift
 * @nl: the netlink connection, opened by hvctl_connect() when first needed
 */
struct hvctl_ctx {
	bool json;
	bool numeric;
	bool dry_run;
	bool force;
	struct hvctl_nl *nl;
};

/**
 * struct hvctl_cmd - an object or a verb
 * @name: its full name; a unique prefix selects it too
 * @run: does it, with the words after the name; returns an exit status
 */
struct hvctl_cmd {
	const char *name;
	int (*run)(struct hvctl_ctx *ctx, int argc, char **argv);
};

int hvctl_dispatch(struct hvctl_ctx *ctx, const struct hvctl_cmd *cmds,
		   unsigned int n, const char *what, int argc, char **argv);
int hvctl_connect(struct hvctl_ctx *ctx);
bool hvctl_is_help(const char *word);

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_err(const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The objects. */
int cmd_dev(struct hvctl_ctx *ctx, int argc, char **argv);
int cmd_group(struct hvctl_ctx *ctx, int argc, char **argv);
int cmd_monitor(struct hvctl_ctx *ctx, int argc, char **argv);
int cmd_hugepages(struct hvctl_ctx *ctx, int argc, char **argv);
int cmd_boot(struct hvctl_ctx *ctx, int argc, char **argv);
int cmd_check(struct hvctl_ctx *ctx, int argc, char **argv);

#endif /* HVCTL_TOOL_H */
