// SPDX-License-Identifier: GPL-2.0-only
/*
 * Requests, replies and errors of the hvctl family, above the transport
 * (sock.c): see nl.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "hvctl.h"
#include "nl-int.h"

int hvctl_nl_open(struct hvctl_nl **nlp)
{
	struct hvctl_nl *nl;
	int ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		pr_err("%s", strerror(ENOMEM));
		return HVCTL_EXIT_FAIL;
	}
	ret = hvctl_nl_transport_open(nl);
	if (ret) {
		hvctl_nl_close(nl);
		return ret;
	}
	*nlp = nl;
	return HVCTL_EXIT_OK;
}

void hvctl_nl_close(struct hvctl_nl *nl)
{
	if (!nl)
		return;
	hvctl_nl_transport_close(nl);
	free(nl);
}

/* The kernel's message among the extended ACK attributes at @off. */
static void extack_msg(struct hvctl_nl *nl, const struct nlmsghdr *nlh,
		       size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlattr *head;
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = NLMSG_ALIGN(off);
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	head = (struct nlattr *)((char *)NLMSG_DATA(nlh) + off);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, head, len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(nl->msg, tb[NLMSGERR_ATTR_MSG], sizeof(nl->msg));
}

static void kernel_error(struct hvctl_nl *nl, int err,
			 const struct nlmsghdr *nlh, size_t extack_off)
{
	if (nl->err)
		return;
	nl->err = err;
	nl->from_kernel = true;
	extack_msg(nl, nlh, extack_off);
}

int hvctl_nl_on_valid(struct nl_msg *msg, void *arg)
{
	struct hvctl_nl *nl = arg;
	char why[HVCTL_MSG_MAX] = "";
	int err;

	/* After a failure, read on to the end but look at nothing. */
	if (nl->err || nlmsg_hdr(msg)->nlmsg_type != nl->family)
		return NL_SKIP;
	err = nl->req->reply(msg, nl->req->arg, why, sizeof(why));
	if (err) {
		nl->err = err;
		if (err == -EBADMSG)
			snprintf(nl->msg, sizeof(nl->msg),
				 "malformed reply from the kernel: %s", why);
		else
			snprintf(nl->msg, sizeof(nl->msg), "%s", why);
	}
	return NL_OK;
}

/* NLMSG_DONE ends a dump; it carries the dump's error, if any. */
int hvctl_nl_on_finish(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct hvctl_nl *nl = arg;
	int err;

	nl->done = true;
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(err))) {
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (err < 0)
			kernel_error(nl, err, nlh, sizeof(err));
	}
	return NL_STOP;
}

int hvctl_nl_on_ack(struct nl_msg *msg, void *arg)
{
	struct hvctl_nl *nl = arg;

	(void)msg;
	nl->done = true;
	return NL_STOP;
}

int hvctl_nl_on_intr(struct nl_msg *msg, void *arg)
{
	struct hvctl_nl *nl = arg;

	(void)msg;
	nl->intr = true;
	return NL_OK;
}

/*
 * An error: struct nlmsgerr, the request (unless NLM_F_CAPPED: its header
 * only), then the extended ACK attributes (NLM_F_ACK_TLVS).
 */
int hvctl_nl_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((char *)e - NLMSG_HDRLEN);
	struct hvctl_nl *nl = arg;
	size_t off = sizeof(*e);

	(void)nla;
	nl->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	kernel_error(nl, e->error, nlh, off);
	return NL_STOP;
}

static int run_once(struct hvctl_nl *nl, const struct hvctl_req *req)
{
	struct nl_msg *msg;
	int err = -ENOMEM;

	nl->req = req;
	nl->done = false;
	nl->intr = false;
	nl->from_kernel = false;
	nl->err = 0;
	nl->msg[0] = '\0';

	msg = nlmsg_alloc();
	if (!msg)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 req->dump ? NLM_F_DUMP : 0, req->cmd,
			 HVCTL_FAMILY_VERSION))
		goto out_free;
	err = req->fill ? req->fill(msg, req->arg) : 0;
	if (err)
		goto out_free;
	err = hvctl_nl_transport_xfer(nl, msg);
	if (!err)
		err = nl->err;
out_free:
	nlmsg_free(msg);
out:
	return err;
}

/* Print what went wrong; return the exit status it calls for. */
static int report(struct hvctl_nl *nl, const struct hvctl_req *req, int err)
{
	const char *msg = nl->msg[0] ? nl->msg : strerror(-err);

	if (!nl->from_kernel) {
		pr_err("%s", msg);
		return HVCTL_EXIT_FAIL;
	}
	if (err == -ENOENT || err == -ENODEV) {
		pr_err("%s",
		       nl->msg[0] || !req->notfound ? msg : req->notfound);
		return HVCTL_EXIT_NOTFOUND;
	}
	pr_err("%s", msg);
	/* The kernel refuses what would hurt the host with EBUSY. */
	if (err == -EBUSY)
		return HVCTL_EXIT_UNSAFE;
	if (err == -EPERM && geteuid())
		fprintf(stderr,
			"Hint: this needs CAP_NET_ADMIN; run hvctl as root.\n");
	return HVCTL_EXIT_REFUSED;
}

/**
 * hvctl_nl_run() - send a request, hand its replies to @req->reply
 * @nl: the connection
 * @req: the request
 *
 * A dump that came back interrupted (the devices changed meanwhile) is
 * dropped (@req->reset) and tried again, HVCTL_DUMP_TRIES times in all.
 *
 * Return: an exit status; failures are printed.
 */
int hvctl_nl_run(struct hvctl_nl *nl, const struct hvctl_req *req)
{
	unsigned int tries;
	int err;

	for (tries = 1;; tries++) {
		err = run_once(nl, req);
		if (err)
			return report(nl, req, err);
		if (!nl->intr)
			return HVCTL_EXIT_OK;
		if (tries == HVCTL_DUMP_TRIES)
			break;
		if (req->reset)
			req->reset(req->arg);
	}
	pr_err("the devices kept changing while they were read (%u tries); try again",
	       tries);
	return HVCTL_EXIT_FAIL;
}
