/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between nl.c (requests, replies, errors) and a transport: sock.c, the
 * real generic netlink socket.  The transport
 * delivers every message it receives to the hvctl_nl_on_*() callbacks,
 * the way libnl calls its callbacks.
 */
#ifndef HVCTL_NL_INT_H
#define HVCTL_NL_INT_H

#include <linux/netlink.h>
#include <netlink/handlers.h>

#include "nl.h"

#define HVCTL_MSG_MAX 256

/**
 * struct hvctl_nl - a connection and the request in flight
 * @sk: the socket (sock.c)
 * @cb: the callbacks below (sock.c)
 * @family: the family's id
 * @req: the request in flight
 * @done: its last message (ACK, error or NLMSG_DONE) arrived
 * @intr: a message came with NLM_F_DUMP_INTR
 * @from_kernel: @err is the kernel's answer, not a local failure
 * @err: 0 or -errno
 * @msg: the kernel's extack message, or the local reason, or ""
 */
struct hvctl_nl {
	struct nl_sock *sk;
	struct nl_cb *cb;
	int family;
	const struct hvctl_req *req;
	bool done;
	bool intr;
	bool from_kernel;
	int err;
	char msg[HVCTL_MSG_MAX];
};

/* Implemented by the transport.  open returns an exit status. */
int hvctl_nl_transport_open(struct hvctl_nl *nl);
void hvctl_nl_transport_close(struct hvctl_nl *nl);
int hvctl_nl_transport_xfer(struct hvctl_nl *nl, struct nl_msg *msg);

/* Called by the transport, one per message received. */
int hvctl_nl_on_valid(struct nl_msg *msg, void *arg);
int hvctl_nl_on_finish(struct nl_msg *msg, void *arg);
int hvctl_nl_on_ack(struct nl_msg *msg, void *arg);
int hvctl_nl_on_intr(struct nl_msg *msg, void *arg);
int hvctl_nl_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg);

#endif /* HVCTL_NL_INT_H */
