// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl dev bind|unbind, hvctl group bind|unbind: one request each; the
 * kernel runs the transaction.  Before a bind hvctl asks the kernel for
 * the plan (a dry run) and checks what only userspace can see: mounts,
 * swap, holders, interfaces that are up or routed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "bind.h"
#include "boot.h"
#include "dev.h"
#include "nl.h"
#include "print.h"
#include "safety.h"
#include "selector.h"

static const char *const status_names[] = {
	[HVCTL_CHANGE_PLANNED] = "planned",
	[HVCTL_CHANGE_DONE] = "done",
	[HVCTL_CHANGE_UNCHANGED] = "unchanged",
	[HVCTL_CHANGE_ROLLED_BACK] = "rolled-back",
	[HVCTL_CHANGE_FAILED] = "failed",
};

static const struct nla_policy change_policy[HVCTL_A_CHANGE_MAX + 1] = {
	[HVCTL_A_CHANGE_ADDR] = { .type = NLA_STRING },
	[HVCTL_A_CHANGE_BEFORE] = { .type = NLA_STRING },
	[HVCTL_A_CHANGE_AFTER] = { .type = NLA_STRING },
	[HVCTL_A_CHANGE_STATUS] = { .type = NLA_U8 },
	[HVCTL_A_CHANGE_STEP] = { .type = NLA_STRING },
	[HVCTL_A_CHANGE_ERROR] = { .type = NLA_U32 },
};

void hvctl_outcome_free(struct hvctl_outcome *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].addr);
		free(o->v[i].before);
		free(o->v[i].after);
		free(o->v[i].step);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/**
 * hvctl_outcome_parse() - read a bind/unbind reply or event
 * @o: filled in; free with hvctl_outcome_free()
 * @head: the attributes
 * @len: their length
 *
 * Return: 0 or -errno.
 */
int hvctl_outcome_parse(struct hvctl_outcome *o, struct nlattr *head, int len)
{
	struct nlattr *tb[HVCTL_A_CHANGE_MAX + 1], *a;
	struct hvctl_change *c;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		switch (nla_type(a)) {
		case HVCTL_A_BIND_VIABLE:
			o->viable = nla_get_u8(a);
			break;
		case HVCTL_A_BIND_UID:
			o->uid = nla_get_u32(a);
			break;
		case HVCTL_A_BIND_PID:
			o->pid = nla_get_u32(a);
			break;
		case HVCTL_A_BIND_CHANGE:
			if (nla_parse_nested(
				    tb, HVCTL_A_CHANGE_MAX, a,
				    (struct nla_policy *)change_policy) ||
			    !tb[HVCTL_A_CHANGE_ADDR] ||
			    !tb[HVCTL_A_CHANGE_STATUS])
				return -EBADMSG;
			c = realloc(o->v, (o->n + 1) * sizeof(*c));
			if (!c)
				return -ENOMEM;
			o->v = c;
			c = &o->v[o->n++];
			memset(c, 0, sizeof(*c));
			if (hvctl_nla_strdup(&c->addr,
					     tb[HVCTL_A_CHANGE_ADDR]) ||
			    hvctl_nla_strdup(&c->before,
					     tb[HVCTL_A_CHANGE_BEFORE]) ||
			    hvctl_nla_strdup(&c->after,
					     tb[HVCTL_A_CHANGE_AFTER]) ||
			    hvctl_nla_strdup(&c->step, tb[HVCTL_A_CHANGE_STEP]))
				return -ENOMEM;
			c->status = nla_get_u8(tb[HVCTL_A_CHANGE_STATUS]);
			if (tb[HVCTL_A_CHANGE_ERROR])
				c->err = nla_get_u32(tb[HVCTL_A_CHANGE_ERROR]);
			break;
		}
	}
	o->got = true;
	return 0;
}

static const char *status_name(unsigned int s)
{
	return s < ARRAY_SIZE(status_names) && status_names[s] ?
		       status_names[s] :
		       "unknown";
}

/**
 * hvctl_outcome_print() - print a bind/unbind outcome
 * @o: the outcome
 * @event: "bind"/"unbind" for monitor lines, NULL for a command's reply
 */
void hvctl_outcome_print(const struct hvctl_outcome *o, const char *event)
{
	size_t i;

	open_obj(NULL);
	if (event) {
		print_str(PRINT_ANY, "event", "%s", event);
		print_uint(PRINT_ANY, "uid", " by uid %llu", o->uid);
		print_uint(PRINT_ANY, "pid", " pid %llu", o->pid);
		print_text(":\n");
	}
	open_arr("changes");
	for (i = 0; i < o->n; i++) {
		const struct hvctl_change *c = &o->v[i];

		open_obj(NULL);
		print_str(PRINT_ANY, "address", "    %s", c->addr);
		print_str(PRINT_JSON, "before", NULL, c->before);
		print_str(PRINT_JSON, "after", NULL, c->after);
		print_text("  %s -> %s", c->before ? c->before : "(none)",
			   c->after ? c->after : "(none)");
		print_str(PRINT_ANY, "status", "  %s", status_name(c->status));
		if (c->status == HVCTL_CHANGE_FAILED) {
			print_str(PRINT_ANY, "step", " at step %s", c->step);
			print_uint(PRINT_JSON, "error", NULL, c->err);
			print_text(": %s", strerror(c->err));
		}
		print_text("\n");
		close_obj();
	}
	close_arr();
	print_bool(PRINT_JSON, "viable", NULL, o->viable);
	print_text("    group %s\n", o->viable ? "viable" : "not viable");
	close_obj();
}

struct bind_args {
	uint8_t cmd;
	char sel[HVCTL_SELECTOR_MAX];
	bool has_sel;
	uint32_t group;
	const char *driver;
	bool nogroup;
	bool persist;
	bool dry_run;
	bool force;
	struct hvctl_outcome out;
};

static int bind_fill(struct nl_msg *msg, void *arg)
{
	struct bind_args *b = arg;

	if ((b->has_sel &&
	     nla_put_string(msg, HVCTL_A_BIND_SELECTOR, b->sel)) ||
	    (!b->has_sel && nla_put_u32(msg, HVCTL_A_BIND_GROUP, b->group)) ||
	    (b->driver &&
	     nla_put_string(msg, HVCTL_A_BIND_DRIVER, b->driver)) ||
	    (b->nogroup && nla_put_flag(msg, HVCTL_A_BIND_NOGROUP)) ||
	    (b->dry_run && nla_put_flag(msg, HVCTL_A_BIND_DRY_RUN)) ||
	    (b->force && nla_put_flag(msg, HVCTL_A_BIND_FORCE)))
		return -EMSGSIZE;
	return 0;
}

static int bind_reply(struct nl_msg *msg, void *arg, char *why, size_t size)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct bind_args *b = arg;
	int err;

	hvctl_outcome_free(&b->out);
	err = hvctl_outcome_parse(&b->out, genlmsg_attrdata(gnlh, 0),
				  genlmsg_attrlen(gnlh, 0));
	if (err == -EBADMSG)
		snprintf(why, size, "a change without address or status");
	return err;
}

static int bind_send(struct hvctl_ctx *ctx, struct bind_args *b)
{
	struct hvctl_req req = {
		.cmd = b->cmd,
		.fill = bind_fill,
		.reply = bind_reply,
		.arg = b,
	};

	return hvctl_nl_run(ctx->nl, &req);
}

/* Refusals only userspace can see, on the members the kernel planned. */
static int bind_check_host(struct hvctl_ctx *ctx, struct bind_args *b)
{
	char why[512];
	size_t i;
	int ret;

	b->dry_run = true;
	ret = bind_send(ctx, b);
	b->dry_run = false;
	if (ret)
		return ret;
	for (i = 0; i < b->out.n; i++) {
		const char *addr = b->out.v[i].addr;

		if (b->out.v[i].status == HVCTL_CHANGE_UNCHANGED)
			continue;
		if (!ctx->force && hvctl_unsafe(addr, why, sizeof(why))) {
			pr_err("refusing to take %s from the host: %s (--force overrides)",
			       addr, why);
			return HVCTL_EXIT_UNSAFE;
		}
		if (hvctl_reset_warning(addr))
			fprintf(stderr,
				"Warning: %s has no function-level reset; resetting it resets its bus neighbours too.\n",
				addr);
	}
	return HVCTL_EXIT_OK;
}

static int bind_run(struct hvctl_ctx *ctx, struct bind_args *b)
{
	int ret;

	b->dry_run = ctx->dry_run;
	b->force = ctx->force;
	ret = hvctl_connect(ctx);
	if (ret)
		return ret;
	if (b->cmd == HVCTL_CMD_DEVICE_BIND && !ctx->dry_run) {
		ret = bind_check_host(ctx, b);
		if (ret)
			goto out;
	}
	ret = bind_send(ctx, b);
	/*
	 * A failed transaction still says what happened to each member.  A
	 * step that failed and was rolled back is a failure, not a refusal:
	 * the step's errno (EBUSY from a driver's probe) says nothing about
	 * the host's safety.
	 */
	if (b->out.got) {
		size_t i;

		hvctl_outcome_print(&b->out, NULL);
		for (i = 0; ret && i < b->out.n; i++)
			if (b->out.v[i].status == HVCTL_CHANGE_FAILED)
				ret = HVCTL_EXIT_FAIL;
	}
out:
	hvctl_outcome_free(&b->out);
	return ret;
}

/* "persist": the same claim into /etc/hvctl.conf (or just check it). */
static int bind_persist(const struct bind_args *b, bool check_only)
{
	char claim[HVCTL_SELECTOR_MAX + 64];

	snprintf(claim, sizeof(claim), "%s%s%s%s", b->sel,
		 b->driver ? " driver " : "", b->driver ? b->driver : "",
		 b->nogroup ? " nogroup" : "");
	return hvctl_boot_add(claim, check_only);
}

/* [driver NAME] [nogroup] [persist] after a selector or group id. */
static int bind_opts(const char *obj, struct bind_args *b, int argc,
		     char **argv, bool bind, int *used)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (bind && !strcmp(argv[i], "driver")) {
			if (++i == argc)
				return usage_err(
					obj, "\"driver\" needs a driver name");
			b->driver = argv[i];
		} else if (!strcmp(obj, "dev") && !strcmp(argv[i], "nogroup")) {
			b->nogroup = true;
		} else if (bind && !strcmp(obj, "dev") &&
			   !strcmp(argv[i], "persist")) {
			b->persist = true;
		} else {
			break;
		}
	}
	*used = i;
	return HVCTL_EXIT_OK;
}

static int dev_bind_common(struct hvctl_ctx *ctx, int argc, char **argv,
			   bool bind)
{
	struct bind_args b = {
		.cmd = bind ? HVCTL_CMD_DEVICE_BIND : HVCTL_CMD_DEVICE_UNBIND,
		.has_sel = true,
	};
	struct hvctl_parse_err err;
	struct hvctl_selector sel;
	int n = 0, used, ret;
	size_t len = 0;

	/* Selector words run up to the first option keyword. */
	while (n < argc && strcmp(argv[n], "driver") &&
	       strcmp(argv[n], "nogroup") && strcmp(argv[n], "persist")) {
		len += snprintf(b.sel + len,
				len < sizeof(b.sel) ? sizeof(b.sel) - len : 0,
				"%s%s", n ? " " : "", argv[n]);
		n++;
	}
	if (!n)
		return usage_err("dev", "%s needs a device selector",
				 bind ? "bind" : "unbind");
	if (len >= sizeof(b.sel))
		return usage_err("dev", "selector too long");
	if (hvctl_selector_parse(b.sel, len, &sel, &err))
		return usage_err("dev", "invalid selector \"%s\": %s", b.sel,
				 err.msg);
	ret = bind_opts("dev", &b, argc - n, argv + n, bind, &used);
	if (ret)
		return ret;
	if (n + used < argc)
		return usage_err("dev", "unexpected argument \"%s\"",
				 argv[n + used]);
	/* A claim the configuration would refuse refuses the bind too. */
	if (b.persist) {
		ret = bind_persist(&b, true);
		if (ret)
			return ret;
	}
	ret = bind_run(ctx, &b);
	if (ret || !b.persist || ctx->dry_run)
		return ret;
	return bind_persist(&b, false);
}

static int group_bind_common(struct hvctl_ctx *ctx, int argc, char **argv,
			     bool bind)
{
	struct bind_args b = {
		.cmd = bind ? HVCTL_CMD_DEVICE_BIND : HVCTL_CMD_DEVICE_UNBIND,
	};
	int used, ret;

	if (!argc)
		return usage_err("group", "%s needs a group id",
				 bind ? "bind" : "unbind");
	ret = hvctl_parse_group_id(argv[0], &b.group);
	if (ret)
		return ret;
	ret = bind_opts("group", &b, argc - 1, argv + 1, bind, &used);
	if (ret)
		return ret;
	if (1 + used < argc)
		return usage_err("group", "unexpected argument \"%s\"",
				 argv[1 + used]);
	return bind_run(ctx, &b);
}

int hvctl_dev_bind(struct hvctl_ctx *ctx, int argc, char **argv)
{
	return dev_bind_common(ctx, argc, argv, true);
}

int hvctl_dev_unbind(struct hvctl_ctx *ctx, int argc, char **argv)
{
	return dev_bind_common(ctx, argc, argv, false);
}

int hvctl_group_bind(struct hvctl_ctx *ctx, int argc, char **argv)
{
	return group_bind_common(ctx, argc, argv, true);
}

int hvctl_group_unbind(struct hvctl_ctx *ctx, int argc, char **argv)
{
	return group_bind_common(ctx, argc, argv, false);
}
