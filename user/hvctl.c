// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl: show and control PCI devices for passthrough (VFIO) through the
 * hvctl kernel module's generic netlink family.
 *
 *   hvctl [OPTIONS] OBJECT VERB [ARGS]...
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvctl.h"
#include "names.h"
#include "nl.h"
#include "print.h"

#ifndef HVCTL_VERSION
#define HVCTL_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: hvctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       hvctl help [ OBJECT ]\n"
		"where  OBJECT := { group | dev | monitor | hugepages | boot | check }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -n[umeric] | --dry-run | --force |\n"
		"                    -V[ersion] | -h[elp] }\n"
		"\n"
		"Objects and commands may be abbreviated: \"hvctl g s\" is \"hvctl group show\".\n"
		"\n"
		"Options:\n"
		"  -j, --json      print JSON\n"
		"  -p, --pretty    print indented JSON (implies --json)\n"
		"  -n, --numeric   no vendor, device and class names from pci.ids\n"
		"      --dry-run   bind/unbind: print what would change, change nothing\n"
		"      --force     bind: go ahead although the device is in use by the host\n"
		"                  (mounted, swap, interface up or routed, boot VGA)\n"
		"  -V, --version   print the version and exit\n"
		"  -h, --help      print this help and exit\n"
		"\n"
		"Exit status:\n"
		"  0  success\n"
		"  1  failure: a bind step failed (every device went back), a huge page\n"
		"     reserve came out short (every pool went back), or other\n"
		"  2  usage error: bad command line\n"
		"  3  not found: no such group, device or huge page reservation\n"
		"  4  the kernel refused the request\n"
		"  5  the hvctl kernel module is missing or cannot be loaded\n"
		"  6  unsafe operation refused\n");
}

/* "Error: <msg>." on stderr; the period is added unless there is one. */
static void vpr_err(const char *fmt, va_list ap)
{
	char buf[1024];
	size_t len;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	fprintf(stderr, "Error: %s%s\n", buf,
		len && buf[len - 1] == '.' ? "" : ".");
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr_err(fmt, ap);
	va_end(ap);
}

/* A usage error, then where to look: "hvctl OBJECT help" or "hvctl help". */
int usage_err(const char *object, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr_err(fmt, ap);
	va_end(ap);
	if (object)
		fprintf(stderr, "Try \"hvctl %s help\".\n", object);
	else
		fprintf(stderr, "Try \"hvctl help\".\n");
	return HVCTL_EXIT_USAGE;
}

bool hvctl_is_help(const char *word)
{
	return !strcmp(word, "help");
}

int hvctl_connect(struct hvctl_ctx *ctx)
{
	if (ctx->nl)
		return HVCTL_EXIT_OK;
	return hvctl_nl_open(&ctx->nl);
}

/* The entry named @word, exactly or by a unique prefix. */
static const struct hvctl_cmd *lookup(const struct hvctl_cmd *cmds,
				      unsigned int n, const char *word,
				      bool *ambiguous)
{
	const struct hvctl_cmd *found = NULL;
	size_t len = strlen(word);
	unsigned int i;

	*ambiguous = false;
	for (i = 0; len && i < n; i++) {
		if (!strcmp(cmds[i].name, word))
			return &cmds[i];
		if (strncmp(cmds[i].name, word, len))
			continue;
		*ambiguous = found;
		found = &cmds[i];
	}
	return *ambiguous ? NULL : found;
}

/**
 * hvctl_dispatch() - run the object or verb that argv[0] names
 * @ctx: the run
 * @cmds: the objects, or an object's verbs
 * @n: how many
 * @object: the object whose verbs these are, NULL for the objects
 * @argc: number of words, at least 1
 * @argv: the words
 *
 * Return: an exit status.
 */
int hvctl_dispatch(struct hvctl_ctx *ctx, const struct hvctl_cmd *cmds,
		   unsigned int n, const char *object, int argc, char **argv)
{
	const struct hvctl_cmd *cmd;
	bool ambiguous;

	cmd = lookup(cmds, n, argv[0], &ambiguous);
	if (cmd)
		return cmd->run(ctx, argc - 1, argv + 1);
	if (object)
		return usage_err(object, "%s command \"%s\" for object \"%s\"",
				 ambiguous ? "ambiguous" : "unknown", argv[0],
				 object);
	return usage_err(NULL, "%s object \"%s\"",
			 ambiguous ? "ambiguous" : "unknown", argv[0]);
}

static int cmd_help(struct hvctl_ctx *ctx, int argc, char **argv);

static const struct hvctl_cmd objects[] = {
	{ "group", cmd_group },
	{ "dev", cmd_dev },
	{ "monitor", cmd_monitor },
	{ "hugepages", cmd_hugepages },
	{ "boot", cmd_boot },
	{ "check", cmd_check },
	{ "help", cmd_help },
};

/* "hvctl help", or "hvctl help OBJECT" for "hvctl OBJECT help". */
static int cmd_help(struct hvctl_ctx *ctx, int argc, char **argv)
{
	char *words[] = { NULL, "help" };

	if (!argc) {
		usage(stdout);
		return HVCTL_EXIT_OK;
	}
	if (argc > 1)
		return usage_err(NULL, "unexpected argument \"%s\"", argv[1]);
	words[0] = argv[0];
	return hvctl_dispatch(ctx, objects, ARRAY_SIZE(objects), NULL, 2,
			      words);
}

static int parse_options(int argc, char **argv, struct hvctl_ctx *ctx,
			 bool *pretty)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "force", no_argument, NULL, 'F' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jpnVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			*pretty = true;
			/* fall through */
		case 'j':
			ctx->json = true;
			break;
		case 'n':
			ctx->numeric = true;
			break;
		case 'D':
			ctx->dry_run = true;
			break;
		case 'F':
			ctx->force = true;
			break;
		case 'V':
			printf("hvctl %s\n", HVCTL_VERSION);
			return -1;
		case 'h':
			usage(stdout);
			return -1;
		default:
			if (optopt)
				return usage_err(NULL, "unknown option \"-%c\"",
						 optopt);
			return usage_err(NULL, "unknown option \"%s\"",
					 argv[optind - 1]);
		}
	}
	return HVCTL_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct hvctl_ctx ctx = {};
	bool pretty = false;
	int ret;

	ret = parse_options(argc, argv, &ctx, &pretty);
	if (ret)
		return ret < 0 ? HVCTL_EXIT_OK : ret;
	if (optind == argc) {
		usage(stderr);
		return HVCTL_EXIT_USAGE;
	}
	print_init(ctx.json, pretty);
	ret = hvctl_dispatch(&ctx, objects, ARRAY_SIZE(objects), NULL,
			     argc - optind, argv + optind);
	hvctl_nl_close(ctx.nl);
	names_exit();
	if (print_finish() && !ret) {
		pr_err("cannot write the output");
		ret = HVCTL_EXIT_FAIL;
	}
	return ret;
}
