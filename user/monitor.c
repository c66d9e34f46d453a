// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl monitor: print the module's events (binds, unbinds, devices added
 * and removed) as they happen, one line each; JSON lines with -j.
 */
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "bind.h"
#include "hugepages.h"
#include "hvctl.h"
#include "nl.h"
#include "print.h"

static void print_dev_event(const char *event, struct nlattr *head, int len)
{
	struct nlattr *tb[HVCTL_A_DEV_MAX + 1];

	if (nla_parse(tb, HVCTL_A_DEV_MAX, head, len, NULL) ||
	    !tb[HVCTL_A_DEV_ADDR] || !tb[HVCTL_A_DEV_VENDOR] ||
	    !tb[HVCTL_A_DEV_DEVICE] || !tb[HVCTL_A_DEV_CLASS])
		return;
	open_obj(NULL);
	print_str(PRINT_ANY, "event", "%s", event);
	print_str(PRINT_ANY, "address", " %s",
		  nla_get_string(tb[HVCTL_A_DEV_ADDR]));
	print_text(" [%04x:%04x]", nla_get_u16(tb[HVCTL_A_DEV_VENDOR]),
		   nla_get_u16(tb[HVCTL_A_DEV_DEVICE]));
	print_text(" class %06x\n", nla_get_u32(tb[HVCTL_A_DEV_CLASS]));
	if (print_is_json()) {
		char buf[8];

		snprintf(buf, sizeof(buf), "%04x",
			 nla_get_u16(tb[HVCTL_A_DEV_VENDOR]));
		print_str(PRINT_JSON, "vendor", NULL, buf);
		snprintf(buf, sizeof(buf), "%04x",
			 nla_get_u16(tb[HVCTL_A_DEV_DEVICE]));
		print_str(PRINT_JSON, "device", NULL, buf);
		snprintf(buf, sizeof(buf), "%06x",
			 nla_get_u32(tb[HVCTL_A_DEV_CLASS]));
		print_str(PRINT_JSON, "class", NULL, buf);
	}
	close_obj();
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *head = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct hvctl_outcome o = {};
	const struct hvctl_ctx *ctx = arg;

	print_init(ctx->json, false);
	switch (gnlh->cmd) {
	case HVCTL_CMD_DEVICE_BIND:
	case HVCTL_CMD_DEVICE_UNBIND:
		if (!hvctl_outcome_parse(&o, head, len))
			hvctl_outcome_print(&o,
					    gnlh->cmd == HVCTL_CMD_DEVICE_BIND ?
						    "bind" :
						    "unbind");
		hvctl_outcome_free(&o);
		break;
	case HVCTL_CMD_DEVICE_ADD_NTF:
		print_dev_event("add", head, len);
		break;
	case HVCTL_CMD_DEVICE_DEL_NTF:
		print_dev_event("remove", head, len);
		break;
	case HVCTL_CMD_HUGEPAGES_RESERVE:
	case HVCTL_CMD_HUGEPAGES_RELEASE:
		hvctl_hp_event_print(msg,
				     gnlh->cmd == HVCTL_CMD_HUGEPAGES_RESERVE ?
					     "reserve" :
					     "release");
		break;
	default:
		return NL_SKIP;
	}
	if (ctx->json)
		putchar('\n');
	fflush(stdout);
	return NL_OK;
}

static int monitor_help(struct hvctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("Usage: hvctl [ -j ] monitor\n"
	       "\n"
	       "Print binds, unbinds, PCI devices added or removed and huge page\n"
	       "reservations recorded or released as they happen,\n"
	       "one line each (one JSON object per line with -j).  Needs CAP_NET_ADMIN.\n");
	return HVCTL_EXIT_OK;
}

int cmd_monitor(struct hvctl_ctx *ctx, int argc, char **argv)
{
	int ret;

	if (argc && hvctl_is_help(argv[0]))
		return monitor_help(ctx, argc, argv);
	if (argc)
		return usage_err("monitor", "unexpected argument \"%s\"",
				 argv[0]);
	ret = hvctl_connect(ctx);
	if (ret)
		return ret;
	return hvctl_nl_listen(ctx->nl, HVCTL_MCGRP_EVENTS, on_event, ctx);
}
