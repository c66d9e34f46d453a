// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real transport: a generic netlink socket with extended ACKs, and the
 * hvctl family resolved, loading the module first when it is missing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "hvctl.h"
#include "modload.h"
#include "nl-int.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Extended ACKs carry the kernel's messages; capped ACKs skip the echo. */
static void set_sockopts(struct nl_sock *sk)
{
	int fd = nl_socket_get_fd(sk), one = 1;

	/* Kernels without them still work, with strerror() messages. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

static int set_callbacks(struct hvctl_nl *nl)
{
	nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->cb)
		return -ENOMEM;
	nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, hvctl_nl_on_valid, nl);
	nl_cb_set(nl->cb, NL_CB_FINISH, NL_CB_CUSTOM, hvctl_nl_on_finish, nl);
	nl_cb_set(nl->cb, NL_CB_ACK, NL_CB_CUSTOM, hvctl_nl_on_ack, nl);
	nl_cb_set(nl->cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, hvctl_nl_on_intr, nl);
	nl_cb_err(nl->cb, NL_CB_CUSTOM, hvctl_nl_on_error, nl);
	return 0;
}

static int module_failed(const char *fmt, const char *why)
{
	pr_err(fmt, why);
	fprintf(stderr,
		"Hint: install the module with \"make install\" or DKMS and check \"modinfo hvctl\";\n"
		"      with Secure Boot enabled the module must be signed with an enrolled key.\n");
	return HVCTL_EXIT_NOMODULE;
}

/* The family's id; without the family, load the module and look again. */
static int resolve_family(struct hvctl_nl *nl)
{
	char why[256];
	int id;

	id = genl_ctrl_resolve(nl->sk, HVCTL_FAMILY_NAME);
	if (id == -NLE_OBJ_NOTFOUND) {
		if (hvctl_modload("hvctl", why, sizeof(why)))
			return module_failed(
				"the hvctl kernel module is not loaded and loading it failed: %s",
				why);
		id = genl_ctrl_resolve(nl->sk, HVCTL_FAMILY_NAME);
		if (id == -NLE_OBJ_NOTFOUND)
			return module_failed(
				"the hvctl kernel module is loaded but its netlink family \"%s\" is missing",
				HVCTL_FAMILY_NAME);
	}
	if (id < 0) {
		pr_err("cannot look up the %s netlink family: %s",
		       HVCTL_FAMILY_NAME, nl_geterror(id));
		return HVCTL_EXIT_FAIL;
	}
	nl->family = id;
	return HVCTL_EXIT_OK;
}

/* Events are not answers to anything we sent. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int hvctl_nl_transport_open(struct hvctl_nl *nl)
{
	int err;

	nl->sk = nl_socket_alloc();
	if (!nl->sk || set_callbacks(nl)) {
		pr_err("%s", strerror(ENOMEM));
		return HVCTL_EXIT_FAIL;
	}
	err = genl_connect(nl->sk);
	if (err) {
		pr_err("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		return HVCTL_EXIT_FAIL;
	}
	set_sockopts(nl->sk);
	return resolve_family(nl);
}

void hvctl_nl_transport_close(struct hvctl_nl *nl)
{
	nl_cb_put(nl->cb);
	nl_socket_free(nl->sk);
}

/* Send @msg; receive until its ACK, error or NLMSG_DONE. */
int hvctl_nl_transport_xfer(struct hvctl_nl *nl, struct nl_msg *msg)
{
	int err;

	err = nl_send_auto(nl->sk, msg);
	while (err >= 0 && !nl->done)
		err = nl_recvmsgs(nl->sk, nl->cb);
	/* An error the kernel sent is in nl->err; this is about the socket. */
	if (err < 0 && !nl->done) {
		snprintf(nl->msg, sizeof(nl->msg), "netlink: %s",
			 nl_geterror(err));
		return -EIO;
	}
	return 0;
}

/**
 * hvctl_nl_listen() - join a multicast group and hand each message to @fn
 * @nl: the connection
 * @group: the group's name
 * @fn: called per message, libnl style
 * @arg: for @fn
 *
 * Return: an exit status, when reading fails; otherwise it never returns.
 */
int hvctl_nl_listen(struct hvctl_nl *nl, const char *group,
		    int (*fn)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_cb *cb;
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, HVCTL_FAMILY_NAME, group);
	if (grp < 0) {
		pr_err("the %s family has no \"%s\" group: %s",
		       HVCTL_FAMILY_NAME, group, nl_geterror(grp));
		return HVCTL_EXIT_FAIL;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err) {
		pr_err("cannot join the \"%s\" group: %s (it needs CAP_NET_ADMIN)",
		       group, nl_geterror(err));
		return HVCTL_EXIT_REFUSED;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		pr_err("%s", strerror(ENOMEM));
		return HVCTL_EXIT_FAIL;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, fn, arg);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	do
		err = nl_recvmsgs(nl->sk, cb);
	while (err >= 0 || err == -NLE_INTR);
	nl_cb_put(cb);
	pr_err("reading events: %s", nl_geterror(err));
	return HVCTL_EXIT_FAIL;
}
