// SPDX-License-Identifier: GPL-2.0-only
/*
 * An adversarial client of the hvctl generic netlink family, for the guest
 * tests (tests/guest/070-hostile.bats).  Raw AF_NETLINK sockets and
 * hand-built nlmsghdr/genlmsghdr/nlattr, so every length is ours to get
 * wrong.  Every answer is read with NETLINK_EXT_ACK and NETLINK_CAP_ACK:
 * the errno, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS (checked against the
 * offset of the attribute the case spoils) and NLMSGERR_ATTR_MISS_TYPE.
 *
 *   nl-hostile [--table]          the table of malformed requests, in TAP:
 *                                 "ok N desc" or "not ok N desc: got ...";
 *                                 exit 1 on any failure
 *   nl-hostile --random SEED --count N
 *                                 N seeded random mutations of valid
 *                                 requests (bit flips, length changes,
 *                                 attribute shuffles): every one must be
 *                                 answered and the socket stay usable;
 *                                 prints the rate.  Mutating commands
 *                                 always go out as dry runs (or malformed).
 *   nl-hostile --priv CTX [--bind ADDR] [--unbind ADDR] [--release NAME]
 *              [--family-id ID] [--mcgrp-id ID]
 *                                 the privilege table for one context
 *                                 (root, nobody, netadmin, sysadmin,
 *                                 userns, netns): every mutating command,
 *                                 for real, and joining the events group
 *   nl-hostile --ids              print "FAMILY_ID MCGRP_ID"
 *   nl-hostile --reserve NAME | --drop NAME
 *                                 record (2M, node 0, 1 page) or release a
 *                                 ledger entry, nothing else (the pools
 *                                 are not touched by the module)
 *   nl-hostile --listen MS [--mcgrp-id ID]
 *                                 join the events group, print "joined",
 *                                 then "events N" after MS milliseconds
 *
 * What is expected comes from the kernel's netlink core (lib/nlattr.c,
 * net/netlink/genetlink.c), kernel/nl-spec.c's policies and the module's
 * handlers; Documentation/netlink/specs/hvctl.yaml is the contract.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../../include/uapi/linux/hvctl.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#define ATTR_MSG 1 /* NLMSGERR_ATTR_MSG */
#define ATTR_OFFS 2 /* NLMSGERR_ATTR_OFFS */
#define ATTR_MISS_TYPE 5 /* NLMSGERR_ATTR_MISS_TYPE */

#define HDRS (NLMSG_HDRLEN + GENL_HDRLEN)
#define KB_2M 2048u
#define KB_1G 1048576u
/* MAX_NUMNODES of Debian's kernels (CONFIG_NODES_SHIFT=10). */
#define MAX_NUMNODES 1024u
#define LEDGER_MAX 64

static const char pol_fail[] = "Attribute failed policy validation";
static const char bad_len[] = "invalid attribute length";
static const char unknown_attr[] = "Unknown attribute type";
static const char unsupported[] = "Unsupported attribute";
static const char leftover[] = "bytes leftover after parsing attributes";
static const char no_nested[] = "NLA_F_NESTED is missing";
static const char nested_unexp[] = "NLA_F_NESTED not expected";
static const char reserved[] = "genlmsghdr.reserved field is not 0";
static const char bad_flags[] = "ambiguous or reserved bits set in nlmsg_flags";
static const char either[] = "give either a selector or a group id";
static const char hp_size[] =
	"unsupported huge page size: 2048 kB (2M) or 1048576 kB (1G)";
static const char hp_overflow[] =
	"page count overflows (more bytes than 64 bits hold)";
static const char hp_chars[] =
	"reservation names are made of A-Z, a-z, 0-9, '_', '.' and '-'";
static const char need_sys_admin[] = "changing devices needs CAP_SYS_ADMIN";

/* ---- messages ----------------------------------------------------------- */

struct msg {
	unsigned char b[16384];
	size_t len;
	long bad; /* offset of the attribute the case spoils, -1: none */
};

static struct nlmsghdr *m_nlh(struct msg *m)
{
	return (struct nlmsghdr *)m->b;
}

static struct genlmsghdr *m_genl(struct msg *m)
{
	return (struct genlmsghdr *)(m->b + NLMSG_HDRLEN);
}

static void m_init_type(struct msg *m, uint16_t type, uint16_t flags,
			uint8_t cmd)
{
	memset(m->b, 0, HDRS);
	m->len = HDRS;
	m->bad = -1;
	m_nlh(m)->nlmsg_type = type;
	m_nlh(m)->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m_genl(m)->cmd = cmd;
	m_genl(m)->version = HVCTL_FAMILY_VERSION;
}

static uint16_t fam_id;
static uint32_t mcgrp_id;

static void m_init(struct msg *m, uint8_t cmd, uint16_t flags)
{
	m_init_type(m, fam_id, flags, cmd);
}

/* Append @n raw bytes; returns where they start. */
static size_t m_raw(struct msg *m, const void *p, size_t n)
{
	size_t at = m->len;

	if (at + n > sizeof(m->b)) {
		fprintf(stderr, "nl-hostile: message too long\n");
		exit(2);
	}
	if (p)
		memcpy(m->b + at, p, n);
	else
		memset(m->b + at, 0, n);
	m->len += n;
	return at;
}

/* An attribute whose header says @nla_len, carrying @n bytes, padded. */
static size_t m_attr_len(struct msg *m, uint16_t type, uint16_t nla_len,
			 const void *p, size_t n)
{
	struct nlattr h = { .nla_len = nla_len, .nla_type = type };
	size_t at = m_raw(m, &h, sizeof(h));

	m_raw(m, p, n);
	m_raw(m, NULL, NLA_ALIGN(n) - n);
	return at;
}

static size_t m_attr(struct msg *m, uint16_t type, const void *p, size_t n)
{
	return m_attr_len(m, type, NLA_HDRLEN + n, p, n);
}

static size_t m_u16(struct msg *m, uint16_t type, uint16_t v)
{
	return m_attr(m, type, &v, sizeof(v));
}

static size_t m_u32(struct msg *m, uint16_t type, uint32_t v)
{
	return m_attr(m, type, &v, sizeof(v));
}

static size_t m_u64(struct msg *m, uint16_t type, uint64_t v)
{
	return m_attr(m, type, &v, sizeof(v));
}

static size_t m_str(struct msg *m, uint16_t type, const char *s)
{
	return m_attr(m, type, s, strlen(s) + 1);
}

/* A string without its NUL. */
static size_t m_strn(struct msg *m, uint16_t type, const char *s)
{
	return m_attr(m, type, s, strlen(s));
}

static size_t m_flag(struct msg *m, uint16_t type)
{
	return m_attr(m, type, NULL, 0);
}

static size_t m_nest(struct msg *m, uint16_t type)
{
	return m_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void m_nest_end(struct msg *m, size_t at)
{
	((struct nlattr *)(m->b + at))->nla_len = m->len - at;
}

/* A node entry of a reservation: { ID, COUNT } in a proper nest. */
static size_t m_node(struct msg *m, uint32_t node, uint64_t count)
{
	size_t n = m_nest(m, HVCTL_A_HUGEPAGES_NODE);

	m_u32(m, HVCTL_A_HP_NODE_ID, node);
	m_u64(m, HVCTL_A_HP_NODE_COUNT, count);
	m_nest_end(m, n);
	return n;
}

static char *repeat(char c, size_t n)
{
	static char buf[4][1024];
	static int i;
	char *s = buf[i++ % 4];

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- the socket --------------------------------------------------------- */

struct ans {
	int err; /* positive errno, 0 for success */
	bool has_msg, has_offs, has_miss;
	char msg[512];
	uint32_t offs, miss;
	int replies;
};

typedef void (*reply_fn)(const struct nlmsghdr *nlh, void *arg);

static int nl_fd = -1;
static uint32_t seqno;
static unsigned char rbuf[1 << 16];
static int answer_timeout_ms = 5000;

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, rcv = 1 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		return -e;
	}
	/* Best effort: a bigger buffer for the dumps. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return fd;
}

static void parse_tlvs(const unsigned char *p, size_t len, struct ans *a)
{
	const struct nlattr *na;

	while (len >= NLA_HDRLEN) {
		na = (const struct nlattr *)p;
		if (na->nla_len < NLA_HDRLEN || na->nla_len > len)
			break;
		switch (na->nla_type & NLA_TYPE_MASK) {
		case ATTR_MSG:
			a->has_msg = true;
			snprintf(a->msg, sizeof(a->msg), "%.*s",
				 (int)(na->nla_len - NLA_HDRLEN),
				 (const char *)(na + 1));
			break;
		case ATTR_OFFS:
			if (na->nla_len >= NLA_HDRLEN + 4) {
				a->has_offs = true;
				memcpy(&a->offs, na + 1, 4);
			}
			break;
		case ATTR_MISS_TYPE:
			if (na->nla_len >= NLA_HDRLEN + 4) {
				a->has_miss = true;
				memcpy(&a->miss, na + 1, 4);
			}
			break;
		}
		if ((size_t)NLA_ALIGN(na->nla_len) >= len)
			break;
		len -= NLA_ALIGN(na->nla_len);
		p += NLA_ALIGN(na->nla_len);
	}
}

/* One answer message; true when it ends the exchange. */
static bool take(const struct nlmsghdr *h, struct ans *a, reply_fn fn,
		 void *arg)
{
	const unsigned char *p = (const unsigned char *)h;
	size_t off;

	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			a->err = EBADMSG;
			return true;
		}
		a->err = -e->error;
		if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
			off = NLMSG_HDRLEN + sizeof(*e);
			if (!(h->nlmsg_flags & NLM_F_CAPPED))
				off += NLMSG_ALIGN(e->msg.nlmsg_len -
						   NLMSG_HDRLEN);
			if (off < h->nlmsg_len)
				parse_tlvs(p + off, h->nlmsg_len - off, a);
		}
		return true;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		int e = 0;

		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(e)))
			memcpy(&e, NLMSG_DATA(h), sizeof(e));
		a->err = -e;
		off = NLMSG_HDRLEN + sizeof(e);
		if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && off < h->nlmsg_len)
			parse_tlvs(p + off, h->nlmsg_len - off, a);
		return true;
	}
	a->replies++;
	if (fn)
		fn(h, arg);
	return false;
}

/*
 * Send @m as it stands (nlmsg_len is the caller's) and wait for its ACK,
 * error or NLMSG_DONE.  Returns 0 with @a filled in, or -errno when no
 * answer came (-ETIMEDOUT) or the socket failed.
 */
static int xfer_raw(int fd, struct msg *m, struct ans *a, reply_fn fn,
		    void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t seq = ++seqno;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	memset(a, 0, sizeof(*a));
	m_nlh(m)->nlmsg_seq = seq;
	m_nlh(m)->nlmsg_pid = 0;
	if (sendto(fd, m->b, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *h;
		int r = poll(&pfd, 1, answer_timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -ETIMEDOUT;
		n = recv(fd, rbuf, sizeof(rbuf), MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)n > sizeof(rbuf))
			return -EMSGSIZE;
		for (h = (const struct nlmsghdr *)rbuf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue; /* a late answer to an older request */
			if (take(h, a, fn, arg))
				return 0;
		}
	}
}

static int xfer(int fd, struct msg *m, struct ans *a, reply_fn fn, void *arg)
{
	m_nlh(m)->nlmsg_len = m->len;
	return xfer_raw(fd, m, a, fn, arg);
}

/* ---- family resolution -------------------------------------------------- */

struct fam {
	uint16_t id;
	uint32_t grp;
	bool has_id, has_grp;
};

static void fam_reply(const struct nlmsghdr *h, void *arg)
{
	struct fam *f = arg;
	const unsigned char *p = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct nlattr *na, *g, *ga;
	int rem, grem, arem;

	p += GENL_HDRLEN;
	for (na = (const struct nlattr *)p, rem = len;
	     rem >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
	     na->nla_len <= rem;
	     rem -= NLA_ALIGN(na->nla_len),
	    na = (const void *)((const char *)na + NLA_ALIGN(na->nla_len))) {
		if ((na->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
			memcpy(&f->id, na + 1, 2);
			f->has_id = true;
		}
		if ((na->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		for (g = (const void *)(na + 1),
		    grem = na->nla_len - NLA_HDRLEN;
		     grem >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN &&
		     g->nla_len <= grem;
		     grem -= NLA_ALIGN(g->nla_len),
		    g = (const void *)((const char *)g +
				       NLA_ALIGN(g->nla_len))) {
			const char *name = NULL;
			uint32_t id = 0;
			bool has = false;

			for (ga = (const void *)(g + 1),
			    arem = g->nla_len - NLA_HDRLEN;
			     arem >= NLA_HDRLEN && ga->nla_len >= NLA_HDRLEN &&
			     ga->nla_len <= arem;
			     arem -= NLA_ALIGN(ga->nla_len),
			    ga = (const void *)((const char *)ga +
						NLA_ALIGN(ga->nla_len))) {
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					name = (const char *)(ga + 1);
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID) {
					memcpy(&id, ga + 1, 4);
					has = true;
				}
			}
			if (name && has && !strcmp(name, HVCTL_MCGRP_EVENTS)) {
				f->grp = id;
				f->has_grp = true;
			}
		}
	}
}

/* Resolve the family by name; 0 or the positive errno of the answer. */
static int resolve(int fd)
{
	struct fam f = { 0 };
	struct msg *m = calloc(1, sizeof(*m));
	struct ans a;
	int r;

	m_init_type(m, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	m_str(m, CTRL_ATTR_FAMILY_NAME, HVCTL_FAMILY_NAME);
	r = xfer(fd, m, &a, fam_reply, &f);
	free(m);
	if (r)
		return -r;
	if (a.err)
		return a.err;
	if (!f.has_id || !f.has_grp)
		return EBADMSG;
	fam_id = f.id;
	mcgrp_id = f.grp;
	return 0;
}

/* ---- TAP ---------------------------------------------------------------- */

static int ntest, nfail;
/*
 * A known finding: the case is expected to fail until the module is
 * fixed; TAP's TODO keeps it visible without failing the run.
 */
static const char *todo;

static const char *ename(int e)
{
	const char *s = e ? strerrorname_np(e) : "0";

	return s ? s : "?";
}

enum { OFFS_NONE = -1, OFFS_BAD = -2, OFFS_ANY = -3 };

/* A message that may or may not be there (accepted either way). */
static const char msg_any[] = "(any)";

static void fmt_ans(char *buf, size_t size, int err, const char *msg,
		    bool has_offs, uint32_t offs, bool has_miss, uint32_t miss)
{
	int n = snprintf(buf, size, "errno %s", ename(err));

	if (msg)
		n += snprintf(buf + n, size - n, " msg \"%s\"", msg);
	else
		n += snprintf(buf + n, size - n, " no msg");
	if (has_offs)
		n += snprintf(buf + n, size - n, " offs %u", offs);
	if (has_miss)
		snprintf(buf + n, size - n, " miss %u", miss);
}

/*
 * Check one answer: the errno, the extack message (NULL: none), the
 * offset (OFFS_BAD: the one m->bad recorded, OFFS_NONE: none, OFFS_ANY)
 * and the missing attribute (0: none reported).
 */
static bool check(const char *desc, int r, const struct ans *a, long bad,
		  int err, const char *msg, int offs, int miss, int replies)
{
	char got[700], want[700];
	bool ok;
	long woffs = offs == OFFS_BAD ? bad : offs;

	ntest++;
	if (r) {
		printf("not ok %d %s: no answer (%s)\n", ntest, desc,
		       ename(-r));
		nfail++;
		return false;
	}
	ok = a->err == err;
	if (msg == msg_any)
		;
	else if (msg)
		ok &= a->has_msg && !strcmp(a->msg, msg);
	else
		ok &= !a->has_msg;
	if (offs != OFFS_ANY) {
		if (woffs < 0)
			ok &= !a->has_offs;
		else
			ok &= a->has_offs && a->offs == (uint32_t)woffs;
	}
	ok &= miss ? a->has_miss && a->miss == (uint32_t)miss : !a->has_miss;
	if (replies >= 0)
		ok &= a->replies == replies;
	fmt_ans(got, sizeof(got), a->err, a->has_msg ? a->msg : NULL,
		a->has_offs, a->offs, a->has_miss, a->miss);
	if (ok) {
		printf("ok %d %s: %s%s%s\n", ntest, desc, got,
		       todo ? " # TODO fixed? " : "", todo ? todo : "");
		todo = NULL;
		return true;
	}
	fmt_ans(want, sizeof(want), err, msg == msg_any ? "(any)" : msg,
		offs != OFFS_ANY && woffs >= 0, (uint32_t)woffs, miss != 0,
		(uint32_t)miss);
	printf("not ok %d %s: got %s replies %d; expected %s", ntest, desc, got,
	       a->replies, want);
	if (replies >= 0)
		printf(" replies %d", replies);
	if (todo)
		printf(" # TODO %s", todo);
	else
		nfail++;
	printf("\n");
	todo = NULL;
	return false;
}

static struct msg M;

/* Send M and check the answer (replies not checked). */
static bool expect(const char *desc, int err, const char *msg, int offs,
		   int miss)
{
	struct ans a;
	int r = xfer(nl_fd, &M, &a, NULL, NULL);

	return check(desc, r, &a, M.bad, err, msg, offs, miss, -1);
}

/* Send M, expect success with @replies reply messages (-1: any). */
static bool expect_ok(const char *desc, int replies)
{
	struct ans a;
	int r = xfer(nl_fd, &M, &a, NULL, NULL);

	return check(desc, r, &a, M.bad, 0, NULL, OFFS_NONE, 0, replies);
}

static void skip(const char *desc, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++ntest, desc, why);
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ---- the machine, from sysfs -------------------------------------------- */

struct machine {
	char nic[32]; /* first e1000 (8086:100e), behind a PCIe-to-PCI bridge */
	char bridge[32]; /* a bridge in the NIC's group */
	char boot_vga[32]; /* the boot VGA, when a driver holds it */
	unsigned int nic_group;
	bool has_nic, has_bridge, has_vga;
	unsigned int max_node; /* highest online NUMA node */
	bool gbpages;
	int ledger; /* entries in /sys/kernel/hvctl/hugepages */
	uint64_t held_2m[4]; /* 2M pages the ledger holds on nodes 0-3 */
	bool start_extack; /* the kernel reports ->start() extack (>= 6.5) */
};

static struct machine mach;

static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static bool link_base(const char *path, char *buf, size_t size)
{
	char t[512];
	ssize_t n = readlink(path, t, sizeof(t) - 1);
	const char *b;

	if (n < 0)
		return false;
	t[n] = '\0';
	b = strrchr(t, '/');
	snprintf(buf, size, "%.*s", (int)size - 1, b ? b + 1 : t);
	return true;
}

static void discover(void)
{
	char path[512], v[128], d[128], grp[32], drv[64];
	struct utsname u;
	unsigned int maj = 0, min = 0;
	FILE *f;

	/* Every function, in address order: the sysfs directory names. */
	f = popen("ls /sys/bus/pci/devices 2>/dev/null | LC_ALL=C sort", "r");
	while (f && fgets(v, sizeof(v), f)) {
		char addr[32];

		v[strcspn(v, "\n")] = '\0';
		snprintf(addr, sizeof(addr), "%.*s", (int)sizeof(addr) - 1, v);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor",
			 addr);
		if (!read_line(path, v, sizeof(v)))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 addr);
		if (!read_line(path, d, sizeof(d)))
			continue;
		if (!mach.has_nic && !strcmp(v, "0x8086") &&
		    !strcmp(d, "0x100e")) {
			snprintf(path, sizeof(path),
				 "/sys/bus/pci/devices/%s/iommu_group", addr);
			if (link_base(path, grp, sizeof(grp))) {
				snprintf(mach.nic, sizeof(mach.nic), "%s",
					 addr);
				mach.nic_group = strtoul(grp, NULL, 10);
				mach.has_nic = true;
			}
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/boot_vga",
			 addr);
		snprintf(drv, sizeof(drv), "/sys/bus/pci/devices/%s/driver",
			 addr);
		if (read_line(path, v, sizeof(v)) && !strcmp(v, "1") &&
		    !access(drv, F_OK)) {
			snprintf(mach.boot_vga, sizeof(mach.boot_vga), "%s",
				 addr);
			mach.has_vga = true;
		}
	}
	if (f)
		pclose(f);
	if (mach.has_nic) {
		snprintf(path, sizeof(path),
			 "ls /sys/kernel/iommu_groups/%u/devices",
			 mach.nic_group);
		f = popen(path, "r");
		while (f && fgets(v, sizeof(v), f)) {
			char cls[32];

			v[strcspn(v, "\n")] = '\0';
			snprintf(path, sizeof(path),
				 "/sys/bus/pci/devices/%s/class", v);
			if (read_line(path, cls, sizeof(cls)) &&
			    !strncmp(cls, "0x0604", 6)) {
				snprintf(mach.bridge, sizeof(mach.bridge),
					 "%.*s", (int)sizeof(mach.bridge) - 1,
					 v);
				mach.has_bridge = true;
			}
		}
		if (f)
			pclose(f);
	}
	if (read_line("/sys/devices/system/node/online", v, sizeof(v))) {
		const char *p = strrchr(v, '-'), *q = strrchr(v, ',');

		if (q && (!p || q > p))
			p = q;
		mach.max_node = strtoul(p ? p + 1 : v, NULL, 10);
	}
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(path, sizeof(path), f))
		if (!strncmp(path, "flags", 5) && strstr(path, " pdpe1gb"))
			mach.gbpages = true;
	if (f)
		fclose(f);
	/* "NAME SIZE_KB NODE:COUNT[,NODE:COUNT...] UID TIME" */
	f = fopen("/sys/kernel/hvctl/hugepages", "r");
	while (f && fgets(path, sizeof(path), f)) {
		char nodes[400], *tok, *save;
		unsigned int kb;

		if (path[0] == '#')
			continue;
		mach.ledger++;
		if (sscanf(path, "%*s %u %399s", &kb, nodes) != 2 ||
		    kb != KB_2M)
			continue;
		for (tok = strtok_r(nodes, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			unsigned int node;
			unsigned long long count;

			if (sscanf(tok, "%u:%llu", &node, &count) == 2 &&
			    node < 4)
				mach.held_2m[node] += count;
		}
	}
	if (f)
		fclose(f);
	if (!uname(&u))
		sscanf(u.release, "%u.%u", &maj, &min);
	mach.start_extack = maj > 6 || (maj == 6 && min >= 5);
	diag("kernel %s; nic %s group %u; bridge %s; boot vga %s", u.release,
	     mach.has_nic ? mach.nic : "-", mach.nic_group,
	     mach.has_bridge ? mach.bridge : "-",
	     mach.has_vga ? mach.boot_vga : "-");
	diag("online nodes 0-%u; 1G pages %s; ledger entries %d, holding 2M pages %" PRIu64
	     " on node 0",
	     mach.max_node, mach.gbpages ? "yes" : "no", mach.ledger,
	     mach.held_2m[0]);
}

/* ---- the table ---------------------------------------------------------- */

static const uint8_t all_cmds[] = {
	HVCTL_CMD_GROUP_GET,	     HVCTL_CMD_DEVICE_GET,
	HVCTL_CMD_DEVICE_BIND,	     HVCTL_CMD_DEVICE_UNBIND,
	HVCTL_CMD_HUGEPAGES_GET,     HVCTL_CMD_HUGEPAGES_RESERVE,
	HVCTL_CMD_HUGEPAGES_RELEASE,
};

static const char *cmd_name(uint8_t cmd)
{
	static const char *const names[] = {
		[HVCTL_CMD_GROUP_GET] = "group-get",
		[HVCTL_CMD_DEVICE_GET] = "device-get",
		[HVCTL_CMD_DEVICE_BIND] = "device-bind",
		[HVCTL_CMD_DEVICE_UNBIND] = "device-unbind",
		[HVCTL_CMD_DEVICE_ADD_NTF] = "device-add-ntf",
		[HVCTL_CMD_DEVICE_DEL_NTF] = "device-del-ntf",
		[HVCTL_CMD_HUGEPAGES_GET] = "hugepages-get",
		[HVCTL_CMD_HUGEPAGES_RESERVE] = "hugepages-reserve",
		[HVCTL_CMD_HUGEPAGES_RELEASE] = "hugepages-release",
	};

	return cmd < sizeof(names) / sizeof(names[0]) && names[cmd] ?
		       names[cmd] :
		       "?";
}

static bool is_dump_cmd(uint8_t cmd)
{
	return cmd == HVCTL_CMD_HUGEPAGES_GET;
}

/*
 * The smallest request each command accepts (do, or dump for
 * hugepages-get), mutating ones as dry runs: what the per-command cases
 * spoil.
 */
static void valid_req(uint8_t cmd)
{
	char sel[64];

	snprintf(sel, sizeof(sel), "addr %s",
		 mach.has_nic ? mach.nic : "0000:00:00.0");
	m_init(&M, cmd, is_dump_cmd(cmd) ? NLM_F_DUMP : 0);
	switch (cmd) {
	case HVCTL_CMD_GROUP_GET:
		m_u32(&M, HVCTL_A_GROUP_ID, mach.nic_group);
		break;
	case HVCTL_CMD_DEVICE_GET:
		m_str(&M, HVCTL_A_DEV_SELECTOR, sel);
		break;
	case HVCTL_CMD_DEVICE_BIND:
	case HVCTL_CMD_DEVICE_UNBIND:
		m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		break;
	case HVCTL_CMD_HUGEPAGES_GET:
		break;
	case HVCTL_CMD_HUGEPAGES_RESERVE:
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-valid");
		m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
		m_node(&M, 0, 1);
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
		break;
	case HVCTL_CMD_HUGEPAGES_RELEASE:
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-none");
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
		break;
	}
}

/* The highest attribute type each command's policy knows (nl-spec.c). */
static uint16_t maxattr(uint8_t cmd)
{
	switch (cmd) {
	case HVCTL_CMD_GROUP_GET:
		return HVCTL_A_GROUP_ID;
	case HVCTL_CMD_DEVICE_GET:
		return HVCTL_A_DEV_SELECTOR;
	case HVCTL_CMD_DEVICE_BIND:
		return HVCTL_A_BIND_FORCE;
	case HVCTL_CMD_DEVICE_UNBIND:
		return HVCTL_A_BIND_DRY_RUN;
	case HVCTL_CMD_HUGEPAGES_GET:
		return HVCTL_A_HUGEPAGES_NAME;
	default:
		return HVCTL_A_HUGEPAGES_DRY_RUN;
	}
}

/* What a valid request of @cmd answers: success, or release's ENOENT. */
static int valid_err(uint8_t cmd)
{
	return cmd == HVCTL_CMD_HUGEPAGES_RELEASE ? ENOENT : 0;
}

static const char *valid_msg(uint8_t cmd)
{
	return cmd == HVCTL_CMD_HUGEPAGES_RELEASE ?
		       "no huge page reservation with this name" :
		       NULL;
}

static void table_header(void)
{
	char d[160];
	unsigned int i;
	uint8_t cmd;

	/* The valid forms themselves: what every other case spoils. */
	for (i = 0; i < sizeof(all_cmds); i++) {
		cmd = all_cmds[i];
		valid_req(cmd);
		snprintf(d, sizeof(d), "%s: the valid request (control)",
			 cmd_name(cmd));
		expect(d, valid_err(cmd), valid_msg(cmd),
		       cmd == HVCTL_CMD_HUGEPAGES_RELEASE ? OFFS_ANY :
							    OFFS_NONE,
		       0);
	}

	/* Commands the family does not have. */
	{
		static const uint8_t bad[] = { HVCTL_CMD_UNSPEC,
					       HVCTL_CMD_DEVICE_ADD_NTF,
					       HVCTL_CMD_DEVICE_DEL_NTF,
					       __HVCTL_CMD_MAX,
					       0x7f,
					       0xff };

		for (i = 0; i < sizeof(bad); i++) {
			m_init(&M, bad[i], 0);
			snprintf(d, sizeof(d), "unknown command %u (do)",
				 bad[i]);
			expect(d, EOPNOTSUPP, NULL, OFFS_NONE, 0);
			m_init(&M, bad[i], NLM_F_DUMP);
			snprintf(d, sizeof(d), "unknown command %u (dump)",
				 bad[i]);
			expect(d, EOPNOTSUPP, NULL, OFFS_NONE, 0);
		}
	}

	/* Dump on do-only commands, do on the dump-only one. */
	for (i = 0; i < sizeof(all_cmds); i++) {
		cmd = all_cmds[i];
		if (cmd == HVCTL_CMD_GROUP_GET || cmd == HVCTL_CMD_DEVICE_GET)
			continue; /* both */
		valid_req(cmd);
		m_nlh(&M)->nlmsg_flags ^= NLM_F_DUMP;
		snprintf(d, sizeof(d), "%s: %s on a %s-only command",
			 cmd_name(cmd), is_dump_cmd(cmd) ? "do" : "dump",
			 is_dump_cmd(cmd) ? "dump" : "do");
		expect(d, EOPNOTSUPP, NULL, OFFS_NONE, 0);
	}

	/* The genetlink header and the netlink flags. */
	for (i = 0; i < sizeof(all_cmds); i++) {
		cmd = all_cmds[i];
		valid_req(cmd);
		m_genl(&M)->reserved = 1;
		snprintf(d, sizeof(d), "%s: reserved genl header byte 1",
			 cmd_name(cmd));
		expect(d, EINVAL, reserved, OFFS_NONE, 0);
	}
	valid_req(HVCTL_CMD_GROUP_GET);
	m_genl(&M)->reserved = 0x80;
	expect("group-get: reserved genl header byte 0x80", EINVAL, reserved,
	       OFFS_NONE, 0);
	valid_req(HVCTL_CMD_DEVICE_BIND);
	m_nlh(&M)->nlmsg_flags |= NLM_F_REPLACE;
	expect("device-bind: NLM_F_REPLACE (half of NLM_F_DUMP) on a do",
	       EINVAL, bad_flags, OFFS_NONE, 0);
	valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
	m_nlh(&M)->nlmsg_flags |= NLM_F_CREATE;
	expect("hugepages-reserve: NLM_F_CREATE", EINVAL, bad_flags, OFFS_NONE,
	       0);
	valid_req(HVCTL_CMD_HUGEPAGES_GET);
	m_nlh(&M)->nlmsg_flags |= NLM_F_APPEND;
	expect("hugepages-get: NLM_F_APPEND on a dump", EINVAL, bad_flags,
	       OFFS_NONE, 0);
	valid_req(HVCTL_CMD_GROUP_GET);
	m_genl(&M)->version = 0xff;
	expect_ok("group-get: genl version 255 (the core does not check it)",
		  1);

	/* Messages too short for their headers. */
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	M.len = NLMSG_HDRLEN;
	expect("no genl header at all (16 bytes)", EINVAL, NULL, OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	M.len = NLMSG_HDRLEN + 2;
	expect("half a genl header (18 bytes)", EINVAL, NULL, OFFS_NONE, 0);
	m_init_type(&M, 0x7ff0, 0, HVCTL_CMD_GROUP_GET);
	m_u32(&M, HVCTL_A_GROUP_ID, 0);
	expect("an unused family id", ENOENT, NULL, OFFS_NONE, 0);
}

static void table_attrs(void)
{
	char d[200];
	unsigned int i;
	uint8_t cmd;

	for (i = 0; i < sizeof(all_cmds); i++) {
		cmd = all_cmds[i];
		/* Unknown attribute types: 0, maxattr + 1, the largest. */
		valid_req(cmd);
		M.bad = m_u32(&M, 0, 0);
		snprintf(d, sizeof(d), "%s: attribute type 0", cmd_name(cmd));
		expect(d, EINVAL, unknown_attr, OFFS_BAD, 0);
		valid_req(cmd);
		M.bad = m_u32(&M, maxattr(cmd) + 1, 0);
		snprintf(d, sizeof(d), "%s: attribute type %u (maxattr + 1)",
			 cmd_name(cmd), maxattr(cmd) + 1);
		expect(d, EINVAL, unknown_attr, OFFS_BAD, 0);
		valid_req(cmd);
		M.bad = m_flag(&M, (uint16_t)NLA_TYPE_MASK);
		snprintf(d, sizeof(d), "%s: attribute type 0x3fff",
			 cmd_name(cmd));
		expect(d, EINVAL, unknown_attr, OFFS_BAD, 0);

		/* Trailing bytes after the attributes. */
		valid_req(cmd);
		m_raw(&M, "\x01\x02\x03", 3);
		snprintf(d, sizeof(d), "%s: 3 trailing bytes", cmd_name(cmd));
		expect(d, EINVAL, leftover, OFFS_NONE, 0);
		valid_req(cmd);
		m_raw(&M, NULL, 4);
		snprintf(d, sizeof(d),
			 "%s: 4 trailing zero bytes (an nla_len of 0)",
			 cmd_name(cmd));
		expect(d, EINVAL, leftover, OFFS_NONE, 0);
		valid_req(cmd);
		m_attr_len(&M, 1, 200, "x", 1);
		snprintf(d, sizeof(d),
			 "%s: last attribute's nla_len past the message",
			 cmd_name(cmd));
		expect(d, EINVAL, leftover, OFFS_NONE, 0);
		valid_req(cmd);
		m_attr_len(&M, 1, 2, "xxxx", 4);
		snprintf(d, sizeof(d), "%s: an attribute with nla_len 2",
			 cmd_name(cmd));
		expect(d, EINVAL, leftover, OFFS_NONE, 0);
	}

	/* Types inside maxattr that the command's policy leaves out. */
	valid_req(HVCTL_CMD_DEVICE_GET);
	M.bad = m_str(&M, HVCTL_A_DEV_ADDR, "0000:00:00.0");
	expect("device-get: addr (a reply attribute) in a request", EINVAL,
	       unsupported, OFFS_BAD, 0);
	valid_req(HVCTL_CMD_DEVICE_GET);
	M.bad = m_u32(&M, HVCTL_A_DEV_PAD, 0);
	expect("device-get: pad", EINVAL, unsupported, OFFS_BAD, 0);
	valid_req(HVCTL_CMD_DEVICE_UNBIND);
	M.bad = m_str(&M, HVCTL_A_BIND_DRIVER, "vfio-pci");
	expect("device-unbind: driver (bind only)", EINVAL, unsupported,
	       OFFS_BAD, 0);
	valid_req(HVCTL_CMD_DEVICE_UNBIND);
	M.bad = m_flag(&M, HVCTL_A_BIND_FORCE);
	expect("device-unbind: force (past its maxattr)", EINVAL, unknown_attr,
	       OFFS_BAD, 0);
	valid_req(HVCTL_CMD_HUGEPAGES_GET);
	M.bad = m_u32(&M, HVCTL_A_HUGEPAGES_PAD, 0);
	expect("hugepages-get: pad", EINVAL, unsupported, OFFS_BAD, 0);
	valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
	M.bad = m_u32(&M, HVCTL_A_HUGEPAGES_UID, 0);
	expect("hugepages-reserve: uid (reply only)", EINVAL, unsupported,
	       OFFS_BAD, 0);
	valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
	M.bad = m_u64(&M, HVCTL_A_HUGEPAGES_TIME, 0);
	expect("hugepages-reserve: time (reply only)", EINVAL, unsupported,
	       OFFS_BAD, 0);
	valid_req(HVCTL_CMD_HUGEPAGES_RELEASE);
	M.bad = m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	expect("hugepages-release: size-kb (reserve only)", EINVAL, unsupported,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_GROUP_GET, NLM_F_DUMP);
	M.bad = m_u32(&M, 2, 0);
	expect("group-get dump: unknown attribute (dumps are strict too)",
	       EINVAL, unknown_attr, OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_DEVICE_GET, NLM_F_DUMP);
	M.bad = m_u16(&M, HVCTL_A_DEV_VENDOR, 0x8086);
	expect("device-get dump: vendor (reply only)", EINVAL, unsupported,
	       OFFS_BAD, 0);

	/* Inside the node nest of a reservation. */
	{
		size_t n;

		valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
		n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
		m_u32(&M, HVCTL_A_HP_NODE_ID, 1);
		m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
		M.bad = m_u32(&M, HVCTL_A_HP_NODE_COUNT + 1, 0);
		m_nest_end(&M, n);
		expect("hugepages-reserve: unknown attribute in a node", EINVAL,
		       unknown_attr, OFFS_BAD, 0);
		valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
		n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
		m_u32(&M, HVCTL_A_HP_NODE_ID, 1);
		m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
		M.bad = m_u32(&M, HVCTL_A_HP_NODE_PAD, 0);
		m_nest_end(&M, n);
		expect("hugepages-reserve: pad in a node", EINVAL, unsupported,
		       OFFS_BAD, 0);
		valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
		n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
		m_u32(&M, HVCTL_A_HP_NODE_ID, 1);
		m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
		m_raw(&M, "\0\0", 2);
		m_nest_end(&M, n);
		m_raw(&M, "\0\0", 2); /* keep the outer stream aligned */
		expect("hugepages-reserve: trailing bytes inside a node",
		       EINVAL, leftover, OFFS_NONE, 0);
	}
}

static void table_lengths(void)
{
	char d[200];
	size_t n;

	/* u32 with 2, 0 and 8 bytes; u64 with 4; flags with a payload. */
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	M.bad = m_u16(&M, HVCTL_A_GROUP_ID, 1);
	expect("group-get: u32 id with 2 bytes", EINVAL, bad_len, OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	M.bad = m_attr(&M, HVCTL_A_GROUP_ID, NULL, 0);
	expect("group-get: u32 id with 0 bytes", EINVAL, bad_len, OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	M.bad = m_u64(&M, HVCTL_A_GROUP_ID, mach.nic_group);
	expect("group-get: u32 id with 8 bytes", EINVAL, bad_len, OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_GROUP_GET, NLM_F_DUMP);
	M.bad = m_u16(&M, HVCTL_A_GROUP_ID, 1);
	expect("group-get dump: u32 id with 2 bytes", EINVAL, bad_len, OFFS_BAD,
	       0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	M.bad = m_u16(&M, HVCTL_A_BIND_GROUP, 1);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: u32 group with 2 bytes", EINVAL, bad_len, OFFS_BAD,
	       0);
	m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
	M.bad = m_u64(&M, HVCTL_A_BIND_GROUP, 1);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-unbind: u32 group with 8 bytes", EINVAL, bad_len,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	M.bad = m_u16(&M, HVCTL_A_HUGEPAGES_SIZE_KB, 2048);
	m_node(&M, 0, 1);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: u32 size-kb with 2 bytes", EINVAL, bad_len,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	M.bad = m_u16(&M, HVCTL_A_HP_NODE_ID, 0);
	m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: u32 node id with 2 bytes", EINVAL, bad_len,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	m_u32(&M, HVCTL_A_HP_NODE_ID, 0);
	M.bad = m_u32(&M, HVCTL_A_HP_NODE_COUNT, 1);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: u64 count with 4 bytes", EINVAL, bad_len,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	m_u32(&M, HVCTL_A_HP_NODE_ID, 0);
	M.bad = m_attr(&M, HVCTL_A_HP_NODE_COUNT, "\1\0\0\0\0\0\0\0\0\0\0\0",
		       12);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: u64 count with 12 bytes", EINVAL, bad_len,
	       OFFS_BAD, 0);

	/* Flags carry nothing: a payload fails with ERANGE. */
	{
		static const struct {
			uint8_t cmd;
			uint16_t type;
			const char *name;
		} fl[] = {
			{ HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_DRY_RUN,
			  "dry-run" },
			{ HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_NOGROUP,
			  "nogroup" },
			{ HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_FORCE, "force" },
			{ HVCTL_CMD_DEVICE_UNBIND, HVCTL_A_BIND_DRY_RUN,
			  "dry-run" },
			{ HVCTL_CMD_DEVICE_UNBIND, HVCTL_A_BIND_NOGROUP,
			  "nogroup" },
			{ HVCTL_CMD_HUGEPAGES_RESERVE,
			  HVCTL_A_HUGEPAGES_DRY_RUN, "dry-run" },
			{ HVCTL_CMD_HUGEPAGES_RELEASE,
			  HVCTL_A_HUGEPAGES_DRY_RUN, "dry-run" },
		};
		unsigned int i;

		for (i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
			valid_req(fl[i].cmd);
			M.bad = m_u32(&M, fl[i].type, 1);
			snprintf(d, sizeof(d), "%s: flag %s with 4 bytes",
				 cmd_name(fl[i].cmd), fl[i].name);
			expect(d, ERANGE, pol_fail, OFFS_BAD, 0);
		}
	}
}

static void table_strings(void)
{
	static const struct {
		uint8_t cmd;
		uint16_t type;
		unsigned int max; /* with the NUL */
		const char *name;
	} st[] = {
		{ HVCTL_CMD_DEVICE_GET, HVCTL_A_DEV_SELECTOR,
		  HVCTL_SELECTOR_MAX, "selector" },
		{ HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_SELECTOR,
		  HVCTL_SELECTOR_MAX, "selector" },
		{ HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_DRIVER,
		  HVCTL_DRIVER_NAME_MAX, "driver" },
		{ HVCTL_CMD_DEVICE_UNBIND, HVCTL_A_BIND_SELECTOR,
		  HVCTL_SELECTOR_MAX, "selector" },
		{ HVCTL_CMD_HUGEPAGES_GET, HVCTL_A_HUGEPAGES_NAME,
		  HVCTL_HP_NAME_MAX, "name" },
		{ HVCTL_CMD_HUGEPAGES_RESERVE, HVCTL_A_HUGEPAGES_NAME,
		  HVCTL_HP_NAME_MAX, "name" },
		{ HVCTL_CMD_HUGEPAGES_RELEASE, HVCTL_A_HUGEPAGES_NAME,
		  HVCTL_HP_NAME_MAX, "name" },
	};
	char d[200], s[300];
	unsigned int i;
	uint8_t cmd;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		cmd = st[i].cmd;
		/* Later attributes of a type win: append the spoiled copy. */
		valid_req(cmd);
		M.bad = m_strn(&M, st[i].type, "addr");
		snprintf(d, sizeof(d), "%s: %s without NUL", cmd_name(cmd),
			 st[i].name);
		expect(d, EINVAL, pol_fail, OFFS_BAD, 0);
		valid_req(cmd);
		M.bad = m_strn(&M, st[i].type, repeat('a', st[i].max + 20));
		snprintf(d, sizeof(d), "%s: %s of %u bytes, no NUL",
			 cmd_name(cmd), st[i].name, st[i].max + 20);
		expect(d, EINVAL, pol_fail, OFFS_BAD, 0);
		valid_req(cmd);
		M.bad = m_str(&M, st[i].type, repeat('a', st[i].max));
		snprintf(d, sizeof(d),
			 "%s: %s of %u characters + NUL (one over)",
			 cmd_name(cmd), st[i].name, st[i].max);
		expect(d, EINVAL, pol_fail, OFFS_BAD, 0);
		valid_req(cmd);
		M.bad = m_attr(&M, st[i].type, NULL, 0);
		snprintf(d, sizeof(d), "%s: %s of 0 bytes", cmd_name(cmd),
			 st[i].name);
		expect(d, EINVAL, pol_fail, OFFS_BAD, 0);
		/* A NUL early, then more than the maximum of garbage. */
		valid_req(cmd);
		memset(s, 'z', sizeof(s));
		s[0] = 'x';
		s[1] = '\0';
		M.bad = m_attr(&M, st[i].type, s, st[i].max + 40);
		snprintf(d, sizeof(d), "%s: %s \"x\\0\" + %u bytes of garbage",
			 cmd_name(cmd), st[i].name, st[i].max + 38);
		expect(d, ERANGE, pol_fail, OFFS_BAD, 0);
		valid_req(cmd);
		M.bad = m_str(&M, st[i].type | NLA_F_NESTED, "x");
		snprintf(d, sizeof(d), "%s: %s with NLA_F_NESTED",
			 cmd_name(cmd), st[i].name);
		expect(d, EINVAL, nested_unexp, OFFS_BAD, 0);
	}

	/* At the maximum, the policy lets it through to the handlers. */
	valid_req(HVCTL_CMD_DEVICE_GET);
	M.bad = m_str(&M, HVCTL_A_DEV_SELECTOR,
		      repeat('a', HVCTL_SELECTOR_MAX - 1));
	expect("device-get: selector of 127 characters + NUL reaches the parser",
	       EINVAL,
	       "unknown selector, expected addr, id, serial, slot or a PCI address",
	       OFFS_BAD, 0);
	valid_req(HVCTL_CMD_DEVICE_BIND);
	m_str(&M, HVCTL_A_BIND_DRIVER, repeat('d', HVCTL_DRIVER_NAME_MAX - 1));
	expect("device-bind: driver of 31 characters + NUL reaches the handler",
	       EINVAL, "target driver must be vfio-pci or pci-stub", OFFS_NONE,
	       0);
	valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, repeat('n', HVCTL_HP_NAME_MAX - 1));
	expect_ok("hugepages-reserve: name of 32 characters (dry run)", 0);
	valid_req(HVCTL_CMD_HUGEPAGES_RELEASE);
	M.bad = m_str(&M, HVCTL_A_HUGEPAGES_NAME,
		      repeat('n', HVCTL_HP_NAME_MAX - 1));
	expect("hugepages-release: name of 32 characters, none such", ENOENT,
	       "no huge page reservation with this name", OFFS_BAD, 0);
}

static void table_nests(void)
{
	size_t n;

	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	M.bad = n = m_attr(&M, HVCTL_A_HUGEPAGES_NODE, NULL, 0);
	m_u32(&M, HVCTL_A_HP_NODE_ID, 0);
	m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: node nest without NLA_F_NESTED", EINVAL,
	       no_nested, OFFS_BAD, 0);
	valid_req(HVCTL_CMD_HUGEPAGES_RESERVE);
	M.bad = m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB | NLA_F_NESTED, KB_2M);
	expect("hugepages-reserve: u32 size-kb with NLA_F_NESTED", EINVAL,
	       nested_unexp, OFFS_BAD, 0);
	valid_req(HVCTL_CMD_DEVICE_BIND);
	M.bad = m_flag(&M, HVCTL_A_BIND_DRY_RUN | NLA_F_NESTED);
	expect("device-bind: flag dry-run with NLA_F_NESTED", EINVAL,
	       nested_unexp, OFFS_BAD, 0);
	valid_req(HVCTL_CMD_GROUP_GET);
	M.bad = m_u32(&M, HVCTL_A_GROUP_ID | NLA_F_NESTED, mach.nic_group);
	expect("group-get: u32 id with NLA_F_NESTED", EINVAL, nested_unexp,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	M.bad = m_attr(&M, HVCTL_A_HUGEPAGES_NODE | NLA_F_NESTED, "\0\0", 2);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: node nest of 2 bytes", ERANGE, pol_fail,
	       OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	M.bad = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: empty node nest", EINVAL,
	       "a node entry needs both ID and COUNT", OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	M.bad = n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	m_u32(&M, HVCTL_A_HP_NODE_ID, 0);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: node without count", EINVAL,
	       "a node entry needs both ID and COUNT", OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	M.bad = n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: node without id", EINVAL,
	       "a node entry needs both ID and COUNT", OFFS_BAD, 0);
	/* A nest inside the nest: the node policy has no nested type. */
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	n = m_nest(&M, HVCTL_A_HUGEPAGES_NODE);
	/* Four bytes, so the length check passes and the flag is judged. */
	M.bad = m_attr(&M, HVCTL_A_HP_NODE_ID | NLA_F_NESTED, "\0\0\0\0", 4);
	m_u64(&M, HVCTL_A_HP_NODE_COUNT, 1);
	m_nest_end(&M, n);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: node id given as a nest", EINVAL,
	       nested_unexp, OFFS_BAD, 0);
}

static void table_required(void)
{
	char sel[64];

	snprintf(sel, sizeof(sel), "addr %s", mach.nic);
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	expect("group-get: do without id", EINVAL, NULL, OFFS_NONE,
	       HVCTL_A_GROUP_ID);
	m_init(&M, HVCTL_CMD_DEVICE_GET, 0);
	expect("device-get: do without selector", EINVAL, NULL, OFFS_NONE,
	       HVCTL_A_DEV_SELECTOR);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: neither selector nor group", EINVAL, either,
	       OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	m_u32(&M, HVCTL_A_BIND_GROUP, mach.nic_group);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: both selector and group", EINVAL, either,
	       OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-unbind: neither selector nor group", EINVAL, either,
	       OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	m_u32(&M, HVCTL_A_BIND_GROUP, mach.nic_group);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-unbind: both selector and group", EINVAL, either,
	       OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	m_flag(&M, HVCTL_A_BIND_FORCE);
	m_flag(&M, HVCTL_A_BIND_NOGROUP);
	m_str(&M, HVCTL_A_BIND_DRIVER, "vfio-pci");
	expect("device-bind: only options, no target", EINVAL, either,
	       OFFS_NONE, 0);

	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	m_node(&M, 0, 1);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: without name", EINVAL, NULL, OFFS_NONE,
	       HVCTL_A_HUGEPAGES_NAME);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_node(&M, 0, 1);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: without size-kb", EINVAL, NULL, OFFS_NONE,
	       HVCTL_A_HUGEPAGES_SIZE_KB);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile");
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: without node", EINVAL, NULL, OFFS_NONE,
	       HVCTL_A_HUGEPAGES_NODE);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-reserve: nothing but dry-run (name first)", EINVAL,
	       NULL, OFFS_NONE, HVCTL_A_HUGEPAGES_NAME);
	m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
	m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	expect("hugepages-release: without name", EINVAL, NULL, OFFS_NONE,
	       HVCTL_A_HUGEPAGES_NAME);
}

/* A reservation request: name, size, one node, dry run or not. */
static void resv(const char *name, uint32_t kb, uint32_t node, uint64_t count,
		 bool dry)
{
	m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, name);
	m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, kb);
	m_node(&M, node, count);
	if (dry)
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
}

/* The offset of the first attribute of @type (any depth 1) in M. */
static long find_attr(uint16_t type, int nth)
{
	size_t at = HDRS;

	while (at + NLA_HDRLEN <= M.len) {
		const struct nlattr *na = (const void *)(M.b + at);

		if ((na->nla_type & NLA_TYPE_MASK) == type && !nth--)
			return at;
		if (na->nla_len < NLA_HDRLEN)
			break;
		at += NLA_ALIGN(na->nla_len);
	}
	return -1;
}

/* The offset of attribute @type inside the @nth node nest of M. */
static long find_in_node(int nth, uint16_t type)
{
	long n = find_attr(HVCTL_A_HUGEPAGES_NODE, nth);
	size_t at, end;

	if (n < 0)
		return -1;
	end = n + ((const struct nlattr *)(M.b + n))->nla_len;
	for (at = n + NLA_HDRLEN; at + NLA_HDRLEN <= end;) {
		const struct nlattr *na = (const void *)(M.b + at);

		if ((na->nla_type & NLA_TYPE_MASK) == type)
			return at;
		if (na->nla_len < NLA_HDRLEN)
			break;
		at += NLA_ALIGN(na->nla_len);
	}
	return -1;
}

static bool simple(const char *desc, uint8_t cmd, uint16_t type,
		   const char *value, int err, const char *msg, int offs)
{
	m_init(&M, cmd, 0);
	M.bad = m_str(&M, type, value);
	if (cmd == HVCTL_CMD_DEVICE_BIND || cmd == HVCTL_CMD_DEVICE_UNBIND)
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	if (cmd == HVCTL_CMD_HUGEPAGES_RELEASE)
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	return expect(desc, err, msg, offs, 0);
}

static void table_hugepages(void)
{
	static const uint32_t sizes[] = { 0,	4,	 2047,	  2049,
					  4096, 1048575, 1048577, 0xffffffffu };
	const char *one_g = mach.gbpages ?
				    NULL :
				    "this CPU has no 1 GiB pages (no pdpe1gb)";
	uint32_t offline[] = { mach.max_node + 1, MAX_NUMNODES - 1,
			       MAX_NUMNODES, 0xffffffffu };
	char d[200];
	unsigned int i;

	/* Names. */
	resv("", KB_2M, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
	expect("hugepages-reserve: empty name", EINVAL,
	       "empty reservation name", OFFS_BAD, 0);
	resv("a/b", KB_2M, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
	expect("hugepages-reserve: name with '/'", EINVAL, hp_chars, OFFS_BAD,
	       0);
	resv("a b", KB_2M, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
	expect("hugepages-reserve: name with a space", EINVAL, hp_chars,
	       OFFS_BAD, 0);
	resv("\xc3\xa9t\xc3\xa9", KB_2M, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
	expect("hugepages-reserve: name with UTF-8", EINVAL, hp_chars, OFFS_BAD,
	       0);
	resv(".", KB_2M, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
	expect("hugepages-reserve: name \".\"", EINVAL,
	       "reservation name may not be \".\" or \"..\"", OFFS_BAD, 0);
	resv("..", KB_2M, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
	expect("hugepages-reserve: name \"..\"", EINVAL,
	       "reservation name may not be \".\" or \"..\"", OFFS_BAD, 0);
	resv("...", KB_2M, 0, 1, true);
	expect_ok("hugepages-reserve: name \"...\" is a name (dry run)", 0);

	/* Sizes. */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		resv("hostile", sizes[i], 0, 1, true);
		M.bad = find_attr(HVCTL_A_HUGEPAGES_SIZE_KB, 0);
		snprintf(d, sizeof(d), "hugepages-reserve: size %u kB",
			 sizes[i]);
		expect(d, EINVAL, hp_size, OFFS_BAD, 0);
	}
	resv("hostile", KB_2M, 0, 1, true);
	expect_ok("hugepages-reserve: size 2048 kB (dry run)", 0);
	resv("hostile", KB_1G, 0, 1, true);
	M.bad = find_attr(HVCTL_A_HUGEPAGES_SIZE_KB, 0);
	expect("hugepages-reserve: size 1048576 kB (dry run)",
	       one_g ? EINVAL : 0, one_g, one_g ? OFFS_BAD : OFFS_NONE, 0);

	/* Nodes. */
	for (i = 0; i < sizeof(offline) / sizeof(offline[0]); i++) {
		resv("hostile", KB_2M, offline[i], 1, true);
		M.bad = find_in_node(0, HVCTL_A_HP_NODE_ID);
		snprintf(d, sizeof(d), "hugepages-reserve: node %u",
			 offline[i]);
		expect(d, EINVAL, "NUMA node is not online", OFFS_BAD, 0);
	}
	resv("hostile", KB_2M, mach.max_node, 1, true);
	snprintf(d, sizeof(d), "hugepages-reserve: node %u (dry run)",
		 mach.max_node);
	expect_ok(d, 0);
	resv("hostile", KB_2M, 0, 1, true);
	m_node(&M, 0, 2);
	M.bad = find_in_node(1, HVCTL_A_HP_NODE_COUNT);
	expect("hugepages-reserve: node 0 twice", EINVAL,
	       "node named twice in one reservation", OFFS_BAD, 0);
	resv("hostile", KB_2M, 0, 1, true);
	m_node(&M, mach.max_node + 1, 1);
	M.bad = find_in_node(1, HVCTL_A_HP_NODE_ID);
	expect("hugepages-reserve: a good node, then an offline one", EINVAL,
	       "NUMA node is not online", OFFS_BAD, 0);

	/* Counts. */
	resv("hostile", KB_2M, 0, 0, true);
	M.bad = find_in_node(0, HVCTL_A_HP_NODE_COUNT);
	expect("hugepages-reserve: count 0", EINVAL,
	       "a node's page count must be at least 1", OFFS_BAD, 0);
	/*
	 * (2^43 - 1) * 2 MiB is the last count whose bytes fit in 64 bits,
	 * less what the ledger already holds there (its sum is checked too).
	 */
	resv("hostile", KB_2M, 0, (1ull << 43) - 1 - mach.held_2m[0], true);
	expect_ok(
		"hugepages-reserve: 2^43 - 1 pages of 2M on node 0, with the ledger's, fit (dry run)",
		0);
	if (mach.held_2m[0]) {
		resv("hostile", KB_2M, 0, (1ull << 43) - mach.held_2m[0], true);
		expect("hugepages-reserve: one page more overflows the node's sum",
		       EINVAL, "the node's reserved pages would overflow",
		       OFFS_NONE, 0);
	} else {
		skip("hugepages-reserve: one page more overflows the node's sum",
		     "the ledger holds no 2M pages on node 0");
	}
	/* The spec: "EINVAL for a bad name, size, node or count". */
	resv("hostile", KB_2M, 0, 1ull << 43, true);
	M.bad = find_in_node(0, HVCTL_A_HP_NODE_COUNT);
	expect("hugepages-reserve: 2^43 pages of 2M overflow bytes", EINVAL,
	       hp_overflow, OFFS_BAD, 0);
	resv("hostile", KB_2M, 0, UINT64_MAX, true);
	M.bad = find_in_node(0, HVCTL_A_HP_NODE_COUNT);
	expect("hugepages-reserve: 2^64 - 1 pages", EINVAL, hp_overflow,
	       OFFS_BAD, 0);
	if (mach.gbpages) {
		resv("hostile", KB_1G, 0, 1ull << 34, true);
		M.bad = find_in_node(0, HVCTL_A_HP_NODE_COUNT);
			expect("hugepages-reserve: 2^34 pages of 1G overflow bytes",
		       EINVAL, hp_overflow, OFFS_BAD, 0);
	}
	if (mach.max_node >= 1) {
		resv("hostile", KB_2M, 0, 1ull << 42, true);
		m_node(&M, 1, 1ull << 42);
		M.bad = find_in_node(1, HVCTL_A_HP_NODE_COUNT);
			expect("hugepages-reserve: two nodes of 2^42 pages: the sum overflows",
		       EINVAL, hp_overflow, OFFS_BAD, 0);
	} else {
		skip("hugepages-reserve: two nodes of 2^42 pages", "one node");
	}

	/* Release. */
	simple("hugepages-release: a name that is none",
	       HVCTL_CMD_HUGEPAGES_RELEASE, HVCTL_A_HUGEPAGES_NAME,
	       "hostile-none", ENOENT,
	       "no huge page reservation with this name", OFFS_BAD);
	simple("hugepages-release: empty name", HVCTL_CMD_HUGEPAGES_RELEASE,
	       HVCTL_A_HUGEPAGES_NAME, "", ENOENT,
	       "no huge page reservation with this name", OFFS_BAD);
	simple("hugepages-release: name \"../../etc\"",
	       HVCTL_CMD_HUGEPAGES_RELEASE, HVCTL_A_HUGEPAGES_NAME, "../../etc",
	       ENOENT, "no huge page reservation with this name", OFFS_BAD);
	m_init(&M, HVCTL_CMD_HUGEPAGES_GET, NLM_F_DUMP);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-none");
	expect_ok("hugepages-get: dump filtered by a name that is none", 0);
}

/* The ledger's own refusals need entries in it: made here, then removed. */
static void table_ledger(void)
{
	char name[40], d[200];
	int i, room, made = 0;
	bool ok;

	resv("hostile-big", KB_2M, 0, 1ull << 42, false);
	ok = expect_ok(
		"hugepages-reserve: record 2^42 pages of 2M on node 0 (the ledger only)",
		1);
	if (ok) {
		resv("hostile-big", KB_2M, 0, 1, true);
		M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
		expect("hugepages-reserve: a name that exists", EEXIST,
		       "a reservation with this name exists", OFFS_BAD, 0);
		resv("hostile-big2", KB_2M, 0, 1ull << 42, true);
		expect("hugepages-reserve: 2^42 more on node 0: the node's sum overflows",
		       EINVAL, "the node's reserved pages would overflow",
		       OFFS_NONE, 0);
		if (mach.gbpages) {
			resv("hostile-big2", KB_1G, 0, 1ull << 20, true);
			expect_ok(
				"hugepages-reserve: other size on that node is another sum (dry run)",
				0);
		}
		m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-big");
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
		expect_ok("hugepages-release: dry run of an entry keeps it", 0);
		m_init(&M, HVCTL_CMD_HUGEPAGES_GET, NLM_F_DUMP);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-big");
		expect_ok("hugepages-get: the entry is still there", 1);
		m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-big");
		expect_ok("hugepages-release: the entry (reply: the entry)", 1);
		m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, "hostile-big");
		M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
		expect("hugepages-release: the same entry again", ENOENT,
		       "no huge page reservation with this name", OFFS_BAD, 0);
	}

	/* Fill the ledger to its 64 entries. */
	room = LEDGER_MAX - mach.ledger;
	for (i = 0; i < room; i++) {
		struct ans a;

		snprintf(name, sizeof(name), "hostile-fill-%d", i);
		resv(name, KB_2M, 0, 1, false);
		m_nlh(&M)->nlmsg_len = M.len;
		if (xfer_raw(nl_fd, &M, &a, NULL, NULL) || a.err)
			break;
		made++;
	}
	snprintf(d, sizeof(d),
		 "hugepages-reserve: %d entries to fill the ledger", room);
	ntest++;
	if (made == room) {
		printf("ok %d %s\n", ntest, d);
		resv("hostile-one-more", KB_2M, 0, 1, true);
		expect("hugepages-reserve: the 65th entry (dry run)", ENOSPC,
		       "the ledger is full (64 reservations)", OFFS_NONE, 0);
		resv("hostile-fill-0", KB_2M, 0, 1, true);
		M.bad = find_attr(HVCTL_A_HUGEPAGES_NAME, 0);
		expect("hugepages-reserve: full and the name exists: EEXIST first",
		       EEXIST, "a reservation with this name exists", OFFS_BAD,
		       0);
	} else {
		printf("not ok %d %s: only %d went in\n", ntest, d, made);
		nfail++;
	}
	for (i = 0; i < made; i++) {
		struct ans a;

		snprintf(name, sizeof(name), "hostile-fill-%d", i);
		m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, name);
		m_nlh(&M)->nlmsg_len = M.len;
		if (xfer_raw(nl_fd, &M, &a, NULL, NULL) || a.err) {
			ntest++;
			nfail++;
			printf("not ok %d release %s: %s\n", ntest, name,
			       ename(a.err));
		}
	}
	m_init(&M, HVCTL_CMD_HUGEPAGES_GET, NLM_F_DUMP);
	expect_ok("hugepages-get: the ledger is back to what it was",
		  mach.ledger);
}

static void table_selectors(void)
{
	static const struct {
		const char *sel;
		const char *msg;
	} bad[] = {
		{ "", "empty selector" },
		{ " \t,=", "empty selector" },
		{ "bogus",
		  "unknown selector, expected addr, id, serial, slot or a PCI address" },
		{ "addr", "'addr' needs a PCI address" },
		{ "id", "'id' needs VVVV:DDDD" },
		{ "serial", "'serial' needs a serial number" },
		{ "slot", "'slot' needs a slot name" },
		{ "addr 00.0",
		  "malformed PCI address, expected [DDDD:]BB:DD.F" },
		{ "addr 0:0:0:0.0",
		  "malformed PCI address, expected [DDDD:]BB:DD.F" },
		{ "addr zzzz:00:01.0", "malformed PCI domain in address" },
		{ "addr 123456789:00:01.0", "malformed PCI domain in address" },
		{ "addr 0000:zz:01.0", "malformed PCI bus number in address" },
		{ "addr 0000:100:01.0", "malformed PCI bus number in address" },
		{ "addr 0000:00:20.0",
		  "malformed PCI device number in address (00-1f)" },
		{ "addr 0000:00:01",
		  "malformed PCI device number in address (00-1f)" },
		{ "addr 0000:00:01.8",
		  "malformed PCI function number in address (0-7)" },
		{ "addr 0000:00:01.",
		  "malformed PCI function number in address (0-7)" },
		{ "addr 0000:00:01.00",
		  "malformed PCI function number in address (0-7)" },
		{ "id 8086",
		  "malformed id, expected VVVV:DDDD or VVVV:DDDD:SSSS:ssss (hex)" },
		{ "id 8086:100e:1af4",
		  "malformed id, expected VVVV:DDDD or VVVV:DDDD:SSSS:ssss (hex)" },
		{ "id 80861:100e",
		  "malformed id, expected VVVV:DDDD or VVVV:DDDD:SSSS:ssss (hex)" },
		{ "serial 12-34",
		  "malformed serial number, expected 8 hex bytes as xx-xx-xx-xx-xx-xx-xx-xx" },
		{ "serial 00-11-22-33-44-55-66-77-88",
		  "malformed serial number, expected 8 hex bytes as xx-xx-xx-xx-xx-xx-xx-xx" },
		{ "slot 0123456789abcdef0123456789abcdef",
		  "slot name too long" },
		{ "addr 0000:00:01.0 extra", "unexpected text after selector" },
		{ "addr 0000:00:01.0;", "unexpected text after selector" },
		{ "addr 0000:00:01.0 ; id 8086:100e",
		  "unexpected text after selector" },
	};
	static const struct {
		uint8_t cmd;
		uint16_t type;
		uint16_t flags;
	} where[] = {
		{ HVCTL_CMD_DEVICE_GET, HVCTL_A_DEV_SELECTOR, 0 },
		{ HVCTL_CMD_DEVICE_GET, HVCTL_A_DEV_SELECTOR, NLM_F_DUMP },
		{ HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_SELECTOR, 0 },
		{ HVCTL_CMD_DEVICE_UNBIND, HVCTL_A_BIND_SELECTOR, 0 },
	};
	char d[300];
	unsigned int i, w;

	for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
		bool dump = where[w].flags & NLM_F_DUMP;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			m_init(&M, where[w].cmd, where[w].flags);
			M.bad = m_str(&M, where[w].type, bad[i].sel);
			if (where[w].cmd != HVCTL_CMD_DEVICE_GET)
				m_flag(&M, HVCTL_A_BIND_DRY_RUN);
			snprintf(d, sizeof(d), "%s%s: selector \"%s\"",
				 cmd_name(where[w].cmd), dump ? " dump" : "",
				 bad[i].sel);
			if (dump && !mach.start_extack)
				expect(d, EINVAL, NULL, OFFS_NONE, 0);
			else
				expect(d, EINVAL, bad[i].msg, OFFS_BAD, 0);
		}
	}

	/* Well-formed selectors that name nothing, or too much. */
	simple("device-get: selector of a device that is not there",
	       HVCTL_CMD_DEVICE_GET, HVCTL_A_DEV_SELECTOR, "0000:ff:1f.7",
	       ENODEV, "no device matches the selector", OFFS_BAD);
	simple("device-get: serial no device has", HVCTL_CMD_DEVICE_GET,
	       HVCTL_A_DEV_SELECTOR, "serial 01-02-03-04-05-06-07-08", ENODEV,
	       "no device matches the selector", OFFS_BAD);
	simple("device-get: slot no device has", HVCTL_CMD_DEVICE_GET,
	       HVCTL_A_DEV_SELECTOR, "slot hostile", ENODEV,
	       "no device matches the selector", OFFS_BAD);
	simple("device-bind: a device that is not there (dry run)",
	       HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_SELECTOR, "ffff:ff:1f.7",
	       ENODEV, "no device matches the selector", OFFS_NONE);
	simple("device-unbind: a device that is not there (dry run)",
	       HVCTL_CMD_DEVICE_UNBIND, HVCTL_A_BIND_SELECTOR, "0000:ff:1f.7",
	       ENODEV, "no device matches the selector", OFFS_NONE);
	m_init(&M, HVCTL_CMD_DEVICE_GET, NLM_F_DUMP);
	m_str(&M, HVCTL_A_DEV_SELECTOR, "0000:ff:1f.7");
	expect_ok("device-get dump: a selector that matches nothing", 0);
	if (!mach.has_nic) {
		skip("device-get/bind: id of the two e1000", "no e1000");
		return;
	}
	simple("device-get: id of the two e1000 (more than one)",
	       HVCTL_CMD_DEVICE_GET, HVCTL_A_DEV_SELECTOR, "id 8086:100e",
	       EINVAL,
	       "selector matches more than one device; dump to list them",
	       OFFS_BAD);
	simple("device-bind: id of the two e1000 (dry run)",
	       HVCTL_CMD_DEVICE_BIND, HVCTL_A_BIND_SELECTOR, "id 8086:100e",
	       EINVAL,
	       "selector matches more than one device; name one by address",
	       OFFS_NONE);
	m_init(&M, HVCTL_CMD_DEVICE_GET, NLM_F_DUMP);
	m_str(&M, HVCTL_A_DEV_SELECTOR, "id 8086:100e");
	expect_ok("device-get dump: id of the two e1000 gives two", 2);
	m_init(&M, HVCTL_CMD_DEVICE_GET, 0);
	{
		char buf[80];
		size_t l = strlen(mach.nic);

		memcpy(buf, mach.nic, l + 1);
		memcpy(buf + l + 1, "junk", 5);
		m_attr(&M, HVCTL_A_DEV_SELECTOR, buf, l + 6);
	}
	expect_ok("device-get: selector, NUL, then junk: the NUL ends it", 1);
}

static void table_bind(void)
{
	char sel[64];

	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_u32(&M, HVCTL_A_BIND_GROUP, 0xfffffff0u);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: a group that is not there (dry run)", ENODEV,
	       "no IOMMU group with this id has PCI devices", OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
	m_u32(&M, HVCTL_A_BIND_GROUP, 0xfffffff0u);
	expect("device-unbind: a group that is not there", ENODEV,
	       "no IOMMU group with this id has PCI devices", OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_GROUP_GET, 0);
	M.bad = m_u32(&M, HVCTL_A_GROUP_ID, 0xfffffff0u);
	expect("group-get: a group that is not there", ENODEV,
	       "no IOMMU group with this id has PCI devices", OFFS_BAD, 0);
	if (!mach.has_nic) {
		skip("device-bind: NIC cases", "no e1000");
		return;
	}
	snprintf(sel, sizeof(sel), "addr %s", mach.nic);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	m_str(&M, HVCTL_A_BIND_DRIVER, "e1000");
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: to a host driver (e1000)", EINVAL,
	       "target driver must be vfio-pci or pci-stub", OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	m_str(&M, HVCTL_A_BIND_DRIVER, "");
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: to an empty driver name", EINVAL,
	       "target driver must be vfio-pci or pci-stub", OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	m_str(&M, HVCTL_A_BIND_DRIVER, "vfio-pci ");
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: to \"vfio-pci \"", EINVAL,
	       "target driver must be vfio-pci or pci-stub", OFFS_NONE, 0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_u32(&M, HVCTL_A_BIND_GROUP, mach.nic_group);
	M.bad = m_flag(&M, HVCTL_A_BIND_NOGROUP);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-bind: nogroup with a group", EINVAL,
	       "nogroup needs a device selector, not a group", OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
	m_u32(&M, HVCTL_A_BIND_GROUP, mach.nic_group);
	M.bad = m_flag(&M, HVCTL_A_BIND_NOGROUP);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect("device-unbind: nogroup with a group", EINVAL,
	       "nogroup needs a device selector, not a group", OFFS_BAD, 0);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_u32(&M, HVCTL_A_BIND_GROUP, mach.nic_group);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	expect_ok("device-bind: the NICs' group (dry run; the reply plans it)",
		  1);
	if (mach.has_bridge) {
		snprintf(sel, sizeof(sel), "addr %s", mach.bridge);
		m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
		m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
		m_flag(&M, HVCTL_A_BIND_NOGROUP);
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		expect("device-bind: the bridge alone (dry run)", EINVAL,
		       "bridges are never handed to VFIO", OFFS_NONE, 0);
		m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
		m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
		m_flag(&M, HVCTL_A_BIND_NOGROUP);
		m_flag(&M, HVCTL_A_BIND_FORCE);
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		expect("device-bind: the bridge alone, forced (dry run)",
		       EINVAL, "bridges are never handed to VFIO", OFFS_NONE,
		       0);
	} else {
		skip("device-bind: the bridge alone", "no bridge in the group");
	}
	if (mach.has_vga) {
		snprintf(sel, sizeof(sel), "addr %s", mach.boot_vga);
		m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
		m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
		m_flag(&M, HVCTL_A_BIND_NOGROUP);
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		expect("device-bind: the boot VGA, not forced (dry run)", EBUSY,
		       "the boot VGA drives the console and framebuffer; binding it removes them (use force)",
		       OFFS_NONE, 0);
	} else {
		skip("device-bind: the boot VGA", "no boot VGA with a driver");
	}
}

static int run_table(void)
{
	table_header();
	table_attrs();
	table_lengths();
	table_strings();
	table_nests();
	table_required();
	table_selectors();
	table_bind();
	table_hugepages();
	table_ledger();
	/* After all that, the socket still works. */
	m_init(&M, HVCTL_CMD_GROUP_GET, NLM_F_DUMP);
	expect_ok("the socket still answers a group dump", -1);
	printf("1..%d\n", ntest);
	diag("%d of %d failed", nfail, ntest);
	return nfail ? 1 : 0;
}

/* ---- random mutations ---------------------------------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* splitmix64: every seed gives its own reproducible stream */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rndn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* The top-level attributes of M, as a walk that trusts nla_len finds them. */
static int top_attrs(size_t *at, int max)
{
	size_t p = HDRS;
	int n = 0;

	while (n < max && p + NLA_HDRLEN <= M.len) {
		const struct nlattr *na = (const void *)(M.b + p);

		if (na->nla_len < NLA_HDRLEN || p + na->nla_len > M.len)
			break;
		at[n++] = p;
		p += NLA_ALIGN(na->nla_len);
	}
	return n;
}

static void template(unsigned int t)
{
	static const char *const names[] = { "vm1", "hostile", "n.1", "" };
	static const char *const sels[] = { "id 8086:100e", "0000:00:00.0",
					    "serial 00-11-22-33-44-55-66-77",
					    "slot 1" };
	char sel[64];

	snprintf(sel, sizeof(sel), "addr %s",
		 mach.has_nic ? mach.nic : "0000:00:00.0");
	switch (t % 11) {
	case 0:
		m_init(&M, HVCTL_CMD_GROUP_GET, 0);
		m_u32(&M, HVCTL_A_GROUP_ID, mach.nic_group);
		break;
	case 1:
		m_init(&M, HVCTL_CMD_GROUP_GET, NLM_F_DUMP);
		break;
	case 2:
		m_init(&M, HVCTL_CMD_DEVICE_GET, 0);
		m_str(&M, HVCTL_A_DEV_SELECTOR, sel);
		break;
	case 3:
		m_init(&M, HVCTL_CMD_DEVICE_GET, NLM_F_DUMP);
		m_str(&M, HVCTL_A_DEV_SELECTOR, sels[rndn(4)]);
		break;
	case 4:
		m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
		m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
		m_str(&M, HVCTL_A_BIND_DRIVER,
		      rndn(2) ? "vfio-pci" : "pci-stub");
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		break;
	case 5:
		m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
		m_u32(&M, HVCTL_A_BIND_GROUP, mach.nic_group);
		m_flag(&M, HVCTL_A_BIND_FORCE);
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		break;
	case 6:
		m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
		m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
		m_flag(&M, HVCTL_A_BIND_NOGROUP);
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
		break;
	case 7:
		m_init(&M, HVCTL_CMD_HUGEPAGES_GET, NLM_F_DUMP);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, names[rndn(4)]);
		break;
	case 8:
		m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, names[rndn(4)]);
		m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_2M);
		m_node(&M, 0, 1 + rndn(8));
		m_node(&M, 1, rnd());
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
		break;
	case 9:
		m_init(&M, HVCTL_CMD_HUGEPAGES_RESERVE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, names[rndn(4)]);
		m_u32(&M, HVCTL_A_HUGEPAGES_SIZE_KB, KB_1G);
		m_node(&M, rndn(3), 1);
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
		break;
	default:
		m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, names[rndn(4)]);
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
		break;
	}
}

static void mutate(void)
{
	static const uint16_t lens[] = { 0, 1, 3, 4, 5, 7, 8, 9, 12, 0xffff };
	static const uint16_t flag_bits[] = { NLM_F_ROOT,   NLM_F_MATCH,
					      NLM_F_DUMP,   NLM_F_ECHO,
					      NLM_F_ATOMIC, NLM_F_APPEND,
					      NLM_F_MULTI,  NLM_F_DUMP_INTR };
	size_t at[64];
	int n = top_attrs(at, 64), i, j;
	struct nlattr *na;
	size_t p, l;
	unsigned char tmp[4096];

	switch (rndn(10)) {
	case 0: /* a bit flip in the genl header or the attributes */
		p = NLMSG_HDRLEN + rndn(M.len - NLMSG_HDRLEN);
		M.b[p] ^= 1u << rndn(8);
		break;
	case 1: /* a byte set to something interesting */
		p = NLMSG_HDRLEN + rndn(M.len - NLMSG_HDRLEN);
		M.b[p] = (const unsigned char[]){
			0, 0xff, 0x7f, 0x80, 1, ':'
		}[rndn(6)];
		break;
	case 2: /* cut the message short */
		l = M.len - NLMSG_HDRLEN;
		if (l)
			M.len -= 1 + rndn(l < 12 ? l : 12);
		break;
	case 3: /* garbage at the end */
		l = 1 + rndn(12);
		for (i = 0; i < (int)l && M.len < sizeof(M.b); i++)
			M.b[M.len++] = rnd();
		break;
	case 4: /* an attribute's nla_len lies */
		if (!n)
			break;
		na = (struct nlattr *)(M.b + at[rndn(n)]);
		na->nla_len = rndn(2) ? lens[rndn(10)] :
					na->nla_len + (int)rndn(9) - 4;
		break;
	case 5: /* two attributes swap places */
		if (n < 2)
			break;
		i = rndn(n);
		j = rndn(n);
		if (i == j)
			break;
		if (i > j) {
			int t = i;

			i = j;
			j = t;
		}
		{
			/* [a][mid][b] -> [b][mid][a] */
			size_t la = NLA_ALIGN(
				((struct nlattr *)(M.b + at[i]))->nla_len);
			size_t lb = NLA_ALIGN(
				((struct nlattr *)(M.b + at[j]))->nla_len);
			size_t mid = at[j] - at[i] - la;
			size_t end = at[j] + lb;

			if (end > M.len || la + lb + mid > sizeof(tmp))
				break;
			memcpy(tmp, M.b + at[j], lb);
			memcpy(tmp + lb, M.b + at[i] + la, mid);
			memcpy(tmp + lb + mid, M.b + at[i], la);
			memcpy(M.b + at[i], tmp, la + lb + mid);
		}
		break;
	case 6: /* an attribute twice */
		if (!n)
			break;
		i = rndn(n);
		l = NLA_ALIGN(((struct nlattr *)(M.b + at[i]))->nla_len);
		if (at[i] + l <= M.len && M.len + l <= sizeof(M.b)) {
			memcpy(M.b + M.len, M.b + at[i], l);
			M.len += l;
		}
		break;
	case 7: /* an attribute of another type, or with flag bits */
		if (!n)
			break;
		na = (struct nlattr *)(M.b + at[rndn(n)]);
		na->nla_type = rndn(24) | (rndn(4) == 0 ? NLA_F_NESTED : 0) |
			       (rndn(8) == 0 ? NLA_F_NET_BYTEORDER : 0);
		break;
	case 8: /* the netlink flags (REQUEST and ACK stay) */
		m_nlh(&M)->nlmsg_flags ^= flag_bits[rndn(8)];
		break;
	default: /* the command or the reserved byte */
		if (rndn(4))
			m_genl(&M)->cmd = rndn(12);
		else
			m_genl(&M)->reserved = rnd();
		break;
	}
	m_nlh(&M)->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
}

/*
 * Would the kernel carry out @M for real?  Only a mutating command as a
 * do can change anything; it is safe when its attributes do not parse to
 * the end (strict parsing rejects leftovers) or carry a DRY_RUN (a valid
 * one makes it a dry run, any other fails the policy).
 */
static bool harmless(void)
{
	uint8_t cmd = m_genl(&M)->cmd;
	uint16_t dry, flags = m_nlh(&M)->nlmsg_flags;
	size_t p = HDRS;
	bool has_dry = false;
	int rem;

	if (M.len < HDRS)
		return true;
	switch (cmd) {
	case HVCTL_CMD_DEVICE_BIND:
	case HVCTL_CMD_DEVICE_UNBIND:
		dry = HVCTL_A_BIND_DRY_RUN;
		break;
	case HVCTL_CMD_HUGEPAGES_RESERVE:
	case HVCTL_CMD_HUGEPAGES_RELEASE:
		dry = HVCTL_A_HUGEPAGES_DRY_RUN;
		break;
	default:
		return true;
	}
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		return true;
	rem = M.len - HDRS;
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *na = (const void *)(M.b + p);

		if (na->nla_len < NLA_HDRLEN || na->nla_len > rem)
			break;
		if ((na->nla_type & NLA_TYPE_MASK) == dry)
			has_dry = true;
		rem -= NLA_ALIGN(na->nla_len);
		p += NLA_ALIGN(na->nla_len);
	}
	return rem > 0 || has_dry;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void dump_msg(void)
{
	size_t i;

	printf("# message (%zu bytes):", M.len);
	for (i = 0; i < M.len; i++)
		printf("%s%02x", i % 16 ? " " : "\n#   ", M.b[i]);
	printf("\n");
}

static int run_random(uint64_t seed, unsigned long count)
{
	static unsigned long hist[256];
	unsigned long i, sent = 0, gated = 0, probes = 0;
	double t0 = now(), dt;
	struct ans a;
	int r, k, e;

	rng = seed;
	for (i = 0; i < count; i++) {
		template(rndn(11));
		for (k = 1 + rndn(3); k > 0; k--)
			mutate();
		if (!harmless()) {
			m_flag(&M, m_genl(&M)->cmd <= HVCTL_CMD_DEVICE_UNBIND ?
					   HVCTL_A_BIND_DRY_RUN :
					   HVCTL_A_HUGEPAGES_DRY_RUN);
			gated++;
			if (!harmless()) {
				dump_msg();
				printf("not ok 1 message %lu of seed %" PRIu64
				       " could not be made harmless\n",
				       i, seed);
				return 1;
			}
		}
		m_nlh(&M)->nlmsg_len = M.len;
		r = xfer_raw(nl_fd, &M, &a, NULL, NULL);
		if (r) {
			dump_msg();
			printf("not ok 1 message %lu of seed %" PRIu64
			       " got no answer: %s\n",
			       i, seed, ename(-r));
			return 1;
		}
		sent++;
		hist[a.err & 0xff]++;
		/* Every so often, and at the end: is the socket still fine? */
		if (i % 1000 == 999 || i == count - 1) {
			m_init(&M, HVCTL_CMD_HUGEPAGES_GET, NLM_F_DUMP);
			m_nlh(&M)->nlmsg_len = M.len;
			r = xfer_raw(nl_fd, &M, &a, NULL, NULL);
			probes++;
			if (r || a.err) {
				printf("not ok 1 the socket after message %lu of seed %" PRIu64
				       ": %s\n",
				       i, seed, ename(r ? -r : a.err));
				return 1;
			}
		}
	}
	dt = now() - t0;
	printf("ok 1 %lu mutated messages (seed %" PRIu64
	       "), every one answered\n",
	       sent, seed);
	printf("ok 2 the socket answered %lu probes, the last after the last message\n",
	       probes);
	printf("1..2\n");
	diag("%lu messages in %.1f s: %.0f messages/s; %lu made dry runs", sent,
	     dt, dt > 0 ? sent / dt : 0.0, gated);
	for (e = 0; e < 256; e++)
		if (hist[e])
			diag("  %-12s %lu", ename(e), hist[e]);
	return 0;
}

/* ---- privileges ---------------------------------------------------------- */

static unsigned long long cap_eff(void)
{
	char line[256];
	unsigned long long v = ~0ull;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			v = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return v;
}

/* Is this process in a user namespace other than the initial one? */
static bool in_userns(void)
{
	char line[256];
	unsigned long a = 0, b = 0, c = 0;
	bool init = false;
	FILE *f = fopen("/proc/self/uid_map", "r");

	if (f && fgets(line, sizeof(line), f) &&
	    sscanf(line, "%lu %lu %lu", &a, &b, &c) == 3)
		init = a == 0 && b == 0 && c == 4294967295ul;
	if (f)
		fclose(f);
	return !init;
}

#define CAP_NET_ADMIN_BIT (1ull << 12)
#define CAP_SYS_ADMIN_BIT (1ull << 21)

static int run_priv(const char *ctx, const char *bind_addr,
		    const char *unbind_addr, const char *rel_name,
		    int given_fam, long given_grp)
{
	unsigned long long caps = cap_eff();
	bool netns = !strcmp(ctx, "netns"), root = !strcmp(ctx, "root");
	bool creds_ok;
	int err, r, join_err;
	const char *msg;
	char d[200], sel[64];
	struct ans a;
	uid_t uid = getuid();

	diag("context %s: uid %u, CapEff %#llx, %s user namespace", ctx, uid,
	     caps, in_userns() ? "own" : "initial");
	/* The harness put us where it says, or nothing below means much. */
	if (root)
		creds_ok = uid == 0 && (caps & CAP_SYS_ADMIN_BIT) &&
			   (caps & CAP_NET_ADMIN_BIT) && !in_userns();
	else if (!strcmp(ctx, "nobody"))
		creds_ok = uid != 0 && caps == 0 && !in_userns();
	else if (!strcmp(ctx, "netadmin"))
		creds_ok = uid == 0 && caps == CAP_NET_ADMIN_BIT &&
			   !in_userns();
	else if (!strcmp(ctx, "sysadmin"))
		creds_ok = uid == 0 && caps == CAP_SYS_ADMIN_BIT &&
			   !in_userns();
	else if (!strcmp(ctx, "userns") || netns)
		creds_ok = in_userns();
	else {
		fprintf(stderr, "nl-hostile: unknown context %s\n", ctx);
		return 2;
	}
	ntest++;
	printf("%sok %d credentials are those of context %s\n",
	       creds_ok ? "" : "not ", ntest, ctx);
	nfail += !creds_ok;

	/* Resolving the family: only init_net has it. */
	r = resolve(nl_fd);
	ntest++;
	if (netns ? r == ENOENT : r == 0) {
		printf("ok %d resolve the family: %s\n", ntest, ename(r));
	} else {
		printf("not ok %d resolve the family: got %s, expected %s\n",
		       ntest, ename(r), netns ? "ENOENT" : "0");
		nfail++;
	}
	if (given_fam >= 0)
		fam_id = given_fam;
	if (given_grp >= 0)
		mcgrp_id = given_grp;
	if (!fam_id) {
		printf("1..%d\n", ntest);
		return 1;
	}

	/* What every mutating request gets here. */
	if (root) {
		err = 0;
		msg = NULL;
	} else if (netns) {
		err = ENOENT; /* the family does not exist in this netns */
		msg = NULL;
	} else if (!strcmp(ctx, "netadmin")) {
		err = EPERM; /* past GENL_ADMIN_PERM, stopped by pre_doit */
		msg = need_sys_admin;
	} else {
		err = EPERM; /* GENL_ADMIN_PERM: no CAP_NET_ADMIN in init_user_ns */
		msg = NULL;
	}

	/* A read, which anyone in init_net may make. */
	m_init(&M, HVCTL_CMD_GROUP_GET, NLM_F_DUMP);
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	check("group-get dump (read-only)", r, &a, -1, netns ? ENOENT : 0, NULL,
	      OFFS_NONE, 0, -1);

	/* Root sends these as dry runs: the control, nothing changes. */
	snprintf(sel, sizeof(sel), "addr %s", bind_addr);
	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	if (root)
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	snprintf(d, sizeof(d), "device-bind %s%s", sel,
		 root ? " (dry run)" : "");
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	check(d, r, &a, -1, err, msg, OFFS_NONE, 0, -1);

	m_init(&M, HVCTL_CMD_DEVICE_BIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	snprintf(d, sizeof(d), "device-bind %s (dry run)", sel);
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	check(d, r, &a, -1, err, msg, OFFS_NONE, 0, -1);

	snprintf(sel, sizeof(sel), "addr %s", unbind_addr);
	m_init(&M, HVCTL_CMD_DEVICE_UNBIND, 0);
	m_str(&M, HVCTL_A_BIND_SELECTOR, sel);
	if (root)
		m_flag(&M, HVCTL_A_BIND_DRY_RUN);
	snprintf(d, sizeof(d), "device-unbind %s%s", sel,
		 root ? " (dry run)" : "");
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	check(d, r, &a, -1, err, msg, OFFS_NONE, 0, -1);

	resv("hostile-priv", KB_2M, 0, 1, root);
	snprintf(d, sizeof(d), "hugepages-reserve hostile-priv%s",
		 root ? " (dry run)" : "");
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	check(d, r, &a, -1, err, msg, OFFS_NONE, 0, -1);

	m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
	m_str(&M, HVCTL_A_HUGEPAGES_NAME, rel_name);
	if (root)
		m_flag(&M, HVCTL_A_HUGEPAGES_DRY_RUN);
	snprintf(d, sizeof(d), "hugepages-release %s%s", rel_name,
		 root ? " (dry run)" : "");
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	check(d, r, &a, -1, err, msg, OFFS_NONE, 0, -1);

	/*
	 * The events group needs CAP_NET_ADMIN in the socket's netns owner
	 * (spec: "Joining needs CAP_NET_ADMIN").  In a netns of its own the
	 * core lets the join through (the check is against that netns'
	 * user namespace), but hvctl multicasts into init_net only: the
	 * member hears nothing (070-hostile.bats checks that).
	 */
	r = setsockopt(nl_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mcgrp_id,
		       sizeof(mcgrp_id)) ?
		    errno :
		    0;
	if (root || !strcmp(ctx, "netadmin") || netns)
		join_err = 0;
	else
		join_err = EPERM;
	ntest++;
	/* A netns of its own: refused or deaf, both will do. */
	if (r == join_err || (netns && (r == EPERM || r == ENOENT))) {
		printf("ok %d join the events group %u: %s\n", ntest, mcgrp_id,
		       ename(r));
	} else {
		printf("not ok %d join the events group %u: got %s, expected %s\n",
		       ntest, mcgrp_id, ename(r), ename(join_err));
		nfail++;
	}
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}

static int run_listen(long ms)
{
	struct pollfd pfd = { .fd = nl_fd, .events = POLLIN };
	double end = now() + ms / 1000.0;
	int events = 0;

	if (setsockopt(nl_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mcgrp_id,
		       sizeof(mcgrp_id))) {
		printf("join %s\n", ename(errno));
		return 1;
	}
	printf("joined\n");
	fflush(stdout);
	for (;;) {
		double left = end - now();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			break;
		n = recv(nl_fd, rbuf, sizeof(rbuf), 0);
		if (n > 0) {
			const struct nlmsghdr *h = (const void *)rbuf;

			for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
				events += h->nlmsg_type == fam_id;
		}
	}
	printf("events %d\n", events);
	return 0;
}

/* Record or release one ledger entry; 0 or the errno. */
static int run_ledger(const char *name, bool reserve)
{
	struct ans a;
	int r;

	if (reserve)
		resv(name, KB_2M, 0, 1, false);
	else {
		m_init(&M, HVCTL_CMD_HUGEPAGES_RELEASE, 0);
		m_str(&M, HVCTL_A_HUGEPAGES_NAME, name);
	}
	r = xfer(nl_fd, &M, &a, NULL, NULL);
	if (r || a.err) {
		fprintf(stderr, "nl-hostile: %s %s: %s %s\n",
			reserve ? "reserve" : "release", name,
			ename(r ? -r : a.err), a.has_msg ? a.msg : "");
		return 1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nl-hostile [--table]\n"
		"       nl-hostile --random SEED --count N\n"
		"       nl-hostile --priv CTX [--bind ADDR] [--unbind ADDR] [--release NAME]\n"
		"                  [--family-id ID] [--mcgrp-id ID]\n"
		"       nl-hostile --ids | --reserve NAME | --drop NAME\n"
		"       nl-hostile --listen MS [--family-id ID] [--mcgrp-id ID]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode = "table", *ctx = NULL, *name = NULL;
	const char *bind_addr = NULL, *unbind_addr = NULL;
	const char *rel = "hostile-keep";
	uint64_t seed = 1;
	unsigned long count = 1000;
	long ms = 0, grp = -1;
	int fam = -1, i, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--table")) {
			mode = "table";
			continue;
		}
		if (!strcmp(a, "--ids")) {
			mode = "ids";
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--random")) {
			mode = "random";
			seed = strtoull(v, NULL, 0);
		} else if (!strcmp(a, "--count")) {
			count = strtoul(v, NULL, 0);
		} else if (!strcmp(a, "--priv")) {
			mode = "priv";
			ctx = v;
		} else if (!strcmp(a, "--bind")) {
			bind_addr = v;
		} else if (!strcmp(a, "--unbind")) {
			unbind_addr = v;
		} else if (!strcmp(a, "--release")) {
			rel = v;
		} else if (!strcmp(a, "--family-id")) {
			fam = strtol(v, NULL, 0);
		} else if (!strcmp(a, "--mcgrp-id")) {
			grp = strtol(v, NULL, 0);
		} else if (!strcmp(a, "--reserve") || !strcmp(a, "--drop")) {
			mode = a + 2;
			name = v;
		} else if (!strcmp(a, "--listen")) {
			mode = "listen";
			ms = strtol(v, NULL, 0);
		} else {
			usage();
		}
	}

	nl_fd = nl_open();
	if (nl_fd < 0) {
		printf("not ok 1 netlink socket: %s\n", ename(-nl_fd));
		return 1;
	}
	if (!strcmp(mode, "priv")) {
		discover();
		if (!bind_addr)
			bind_addr = mach.has_nic ? mach.nic : "0000:00:00.0";
		if (!unbind_addr)
			unbind_addr = bind_addr;
		return run_priv(ctx, bind_addr, unbind_addr, rel, fam, grp);
	}
	r = resolve(nl_fd);
	if (fam >= 0)
		fam_id = fam;
	if (grp >= 0)
		mcgrp_id = grp;
	if (r && !fam_id) {
		printf("not ok 1 resolve the %s family: %s\n",
		       HVCTL_FAMILY_NAME, ename(r));
		return 1;
	}
	if (!strcmp(mode, "ids")) {
		printf("%u %u\n", fam_id, mcgrp_id);
		return 0;
	}
	if (!strcmp(mode, "listen"))
		return run_listen(ms);
	if (!strcmp(mode, "reserve") || !strcmp(mode, "drop"))
		return run_ledger(name, !strcmp(mode, "reserve"));
	discover();
	if (!strcmp(mode, "random"))
		return run_random(seed, count);
	return run_table();
}
