/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Requests to the hvctl generic netlink family: a do or a dump, its replies
 * handed to a callback, the kernel's extack message printed on failure and
 * interrupted dumps retried.
 */
#ifndef HVCTL_NL_H
#define HVCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

struct hvctl_nl;

/* How often a dump that came back with NLM_F_DUMP_INTR is tried. */
#define HVCTL_DUMP_TRIES 5

/**
 * struct hvctl_req - one request
 * @cmd: HVCTL_CMD_*
 * @dump: a dump rather than a do
 * @fill: adds the request's attributes, may be NULL; returns 0 or -errno
 * @reply: takes one reply; returns 0 or -errno, with a reason in @why
 *	(-EBADMSG: the reply is malformed)
 * @reset: drops what @reply collected, before an interrupted dump is retried
 * @notfound: the message for ENOENT/ENODEV when the kernel sent none
 * @arg: for the callbacks
 */
struct hvctl_req {
	uint8_t cmd;
	bool dump;
	int (*fill)(struct nl_msg *msg, void *arg);
	int (*reply)(struct nl_msg *msg, void *arg, char *why, size_t size);
	void (*reset)(void *arg);
	const char *notfound;
	void *arg;
};

int hvctl_nl_open(struct hvctl_nl **nlp);
void hvctl_nl_close(struct hvctl_nl *nl);
int hvctl_nl_run(struct hvctl_nl *nl, const struct hvctl_req *req);
int hvctl_nl_listen(struct hvctl_nl *nl, const char *group,
		    int (*fn)(struct nl_msg *msg, void *arg), void *arg);

#endif /* HVCTL_NL_H */
