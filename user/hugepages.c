// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl hugepages: named huge page reservations.  hvctl resizes the
 * kernel's pools through the per-node sysfs files (hp-pool.c), reads back
 * what it really got, puts everything back when it got less than asked,
 * and records a reservation in the module's ledger only on success.
 * Documentation/hugepages.rst explains the design and the drift rule.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "hp-ledger.h"
#include "hp-pool.h"
#include "hp-size.h"
#include "hugepages.h"
#include "nl.h"
#include "print.h"

#define HP_LOCK_DIR "/run/hvctl"
#define HP_LOCK_FILE HP_LOCK_DIR "/hugepages.lock"
#define THP_FILE "/sys/kernel/mm/transparent_hugepage/enabled"

/* The ledger as the module reported it. */
struct ledger {
	struct hvctl_hp_resv **v;
	size_t n;
	const char *name; /* dump filter, or NULL */
};

static const struct hvctl_hp_resv *const *ledger_view(const struct ledger *l)
{
	return (const struct hvctl_hp_resv *const *)l->v;
}

static void ledger_reset(void *arg)
{
	struct ledger *l = arg;
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static const struct nla_policy hp_policy[HVCTL_A_HUGEPAGES_MAX + 1] = {
	[HVCTL_A_HUGEPAGES_NAME] = { .type = NLA_STRING },
	[HVCTL_A_HUGEPAGES_SIZE_KB] = { .type = NLA_U32 },
	[HVCTL_A_HUGEPAGES_NODE] = { .type = NLA_NESTED },
	[HVCTL_A_HUGEPAGES_UID] = { .type = NLA_U32 },
	[HVCTL_A_HUGEPAGES_TIME] = { .type = NLA_U64 },
};

static const struct nla_policy node_policy[HVCTL_A_HP_NODE_MAX + 1] = {
	[HVCTL_A_HP_NODE_ID] = { .type = NLA_U32 },
	[HVCTL_A_HP_NODE_COUNT] = { .type = NLA_U64 },
};

/* One reservation from a reply, event or dump; NULL when malformed. */
static struct hvctl_hp_resv *resv_parse(struct nl_msg *msg, char *why,
					size_t size)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *head = genlmsg_attrdata(gnlh, 0), *a;
	struct nlattr *tb[HVCTL_A_HUGEPAGES_MAX + 1];
	struct nlattr *nt[HVCTL_A_HP_NODE_MAX + 1];
	int len = genlmsg_attrlen(gnlh, 0), rem;
	struct hvctl_hp_resv *r;

	if (nla_parse(tb, HVCTL_A_HUGEPAGES_MAX, head, len,
		      (struct nla_policy *)hp_policy) < 0 ||
	    !tb[HVCTL_A_HUGEPAGES_NAME] || !tb[HVCTL_A_HUGEPAGES_SIZE_KB]) {
		snprintf(why, size, "reservation without NAME or SIZE_KB");
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(why, size, "%s", strerror(ENOMEM));
		return NULL;
	}
	nla_strlcpy(r->name, tb[HVCTL_A_HUGEPAGES_NAME], sizeof(r->name));
	r->size_kb = nla_get_u32(tb[HVCTL_A_HUGEPAGES_SIZE_KB]);
	if (tb[HVCTL_A_HUGEPAGES_UID])
		r->uid = nla_get_u32(tb[HVCTL_A_HUGEPAGES_UID]);
	if (tb[HVCTL_A_HUGEPAGES_TIME])
		r->time = (int64_t)nla_get_u64(tb[HVCTL_A_HUGEPAGES_TIME]);
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != HVCTL_A_HUGEPAGES_NODE)
			continue;
		if (nla_parse_nested(nt, HVCTL_A_HP_NODE_MAX, a,
				     (struct nla_policy *)node_policy) ||
		    !nt[HVCTL_A_HP_NODE_ID] || !nt[HVCTL_A_HP_NODE_COUNT] ||
		    r->nr_nodes == HVCTL_HP_RESV_NODES) {
			snprintf(why, size, "bad node entry in \"%s\"",
				 r->name);
			free(r);
			return NULL;
		}
		r->node[r->nr_nodes].node = nla_get_u32(nt[HVCTL_A_HP_NODE_ID]);
		r->node[r->nr_nodes].count =
			nla_get_u64(nt[HVCTL_A_HP_NODE_COUNT]);
		r->nr_nodes++;
	}
	return r;
}

static int ledger_reply(struct nl_msg *msg, void *arg, char *why, size_t size)
{
	struct ledger *l = arg;
	struct hvctl_hp_resv *r, **v;

	r = resv_parse(msg, why, size);
	if (!r)
		return -EBADMSG;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		free(r);
		return -ENOMEM;
	}
	l->v = v;
	l->v[l->n++] = r;
	return 0;
}

static int ledger_fill(struct nl_msg *msg, void *arg)
{
	struct ledger *l = arg;

	if (l->name && nla_put_string(msg, HVCTL_A_HUGEPAGES_NAME, l->name))
		return -EMSGSIZE;
	return 0;
}

/* Dump the module's ledger (all of it, or @name only) into @l. */
static int ledger_get(struct hvctl_ctx *ctx, struct ledger *l, const char *name)
{
	struct hvctl_req req = {
		.cmd = HVCTL_CMD_HUGEPAGES_GET,
		.dump = true,
		.fill = ledger_fill,
		.reply = ledger_reply,
		.reset = ledger_reset,
		.arg = l,
	};
	int ret;

	l->name = name;
	ret = hvctl_connect(ctx);
	if (ret)
		return ret;
	return hvctl_nl_run(ctx->nl, &req);
}

/* A RESERVE or RELEASE request and its reply (none on a dry run). */
struct change_req {
	const struct hvctl_hp_resv *r;
	bool dry_run;
};

static int change_fill(struct nl_msg *msg, void *arg)
{
	const struct change_req *c = arg;
	const struct hvctl_hp_resv *r = c->r;
	struct nlattr *nest;
	uint32_t i;

	if (nla_put_string(msg, HVCTL_A_HUGEPAGES_NAME, r->name))
		return -EMSGSIZE;
	if (c->dry_run && nla_put_flag(msg, HVCTL_A_HUGEPAGES_DRY_RUN))
		return -EMSGSIZE;
	if (!r->size_kb) /* release */
		return 0;
	if (nla_put_u32(msg, HVCTL_A_HUGEPAGES_SIZE_KB, r->size_kb))
		return -EMSGSIZE;
	for (i = 0; i < r->nr_nodes; i++) {
		nest = nla_nest_start(msg, HVCTL_A_HUGEPAGES_NODE);
		if (!nest ||
		    nla_put_u32(msg, HVCTL_A_HP_NODE_ID, r->node[i].node) ||
		    nla_put_u64(msg, HVCTL_A_HP_NODE_COUNT, r->node[i].count))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int change_reply(struct nl_msg *msg, void *arg, char *why, size_t size)
{
	(void)msg;
	(void)arg;
	(void)why;
	(void)size;
	return 0;
}

static int change_send(struct hvctl_ctx *ctx, uint8_t cmd,
		       const struct hvctl_hp_resv *r, bool dry_run)
{
	struct change_req c = { .r = r, .dry_run = dry_run };
	struct hvctl_req req = {
		.cmd = cmd,
		.fill = change_fill,
		.reply = change_reply,
		.arg = &c,
	};
	int ret;

	ret = hvctl_connect(ctx);
	if (ret)
		return ret;
	return hvctl_nl_run(ctx->nl, &req);
}

/* One hvctl at a time resizes pools: an exclusive lock on HP_LOCK_FILE. */
static int hp_lock(int *fdp)
{
	int fd;

	if (mkdir(HP_LOCK_DIR, 0755) && errno != EEXIST) {
		pr_err("cannot create %s: %s", HP_LOCK_DIR, strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	fd = open(HP_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		pr_err("cannot open %s: %s", HP_LOCK_FILE, strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr,
			"Waiting for another hvctl to finish with the huge page pools...\n");
		if (flock(fd, LOCK_EX)) {
			pr_err("cannot lock %s: %s", HP_LOCK_FILE,
			       strerror(errno));
			close(fd);
			return HVCTL_EXIT_FAIL;
		}
	}
	*fdp = fd;
	return HVCTL_EXIT_OK;
}

static const char *size_name(uint32_t kb, char *buf, size_t size)
{
	return hvctl_size_name(kb, buf, size);
}

/* ---- show ------------------------------------------------------------ */

/* The bracketed word of THP's "always [madvise] never", or NULL. */
static char *thp_mode(char *buf, size_t size)
{
	char line[128], *a, *b;
	FILE *f;

	f = fopen(THP_FILE, "re");
	if (!f)
		return NULL;
	a = fgets(line, sizeof(line), f);
	fclose(f);
	if (!a)
		return NULL;
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!b)
		return NULL;
	*b = '\0';
	snprintf(buf, size, "%s", a + 1);
	return buf;
}

/* pdpe1gb among the CPU flags in /proc/cpuinfo. */
static bool cpu_has_pdpe1gb(void)
{
	char line[4096];
	bool found = false;
	FILE *f;

	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5) && strstr(line, " pdpe1gb"))
			found = true;
	fclose(f);
	return found;
}

static void print_time(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	print_uint(PRINT_JSON, "time", NULL, (unsigned long long)t);
	if (gmtime_r(&tt, &tm) &&
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%SZ", &tm))
		print_text("  %s", buf);
}

/* A reservation's keys, inside an object the caller opened. */
static void print_resv_keys(const struct hvctl_hp_resv *r)
{
	uint64_t total = 0;
	char sz[16];
	uint32_t i;

	for (i = 0; i < r->nr_nodes; i++)
		total += r->node[i].count;
	print_str(PRINT_ANY, "name", "reservation %s", r->name);
	print_str(PRINT_ANY, "size", "  %s",
		  size_name(r->size_kb, sz, sizeof(sz)));
	print_uint(PRINT_JSON, "size_kb", NULL, r->size_kb);
	print_uint(PRINT_ANY, "pages", " x %llu", total);
	print_text(" (");
	open_arr("nodes");
	for (i = 0; i < r->nr_nodes; i++) {
		open_obj(NULL);
		print_uint(PRINT_ANY, "node", i ? ", node %llu" : "node %llu",
			   r->node[i].node);
		print_uint(PRINT_ANY, "pages", ": %llu", r->node[i].count);
		close_obj();
	}
	close_arr();
	print_text(")");
	print_uint(PRINT_ANY, "uid", "  uid %llu", r->uid);
	print_time(r->time);
}

static void print_resv(const struct hvctl_hp_resv *r)
{
	open_obj(NULL);
	print_resv_keys(r);
	print_text("\n");
	close_obj();
}

/*
 * One size on one node.  Drift: the node's persistent pool (nr - surplus)
 * is smaller than what the ledger holds there, so someone shrank it
 * behind hvctl's back.  A pool larger than the ledger is no drift: pages
 * reserved on the kernel command line or by other tools live there too.
 */
static void print_node_pool(const struct ledger *l, uint32_t kb, uint32_t node,
			    bool *drift)
{
	struct hvctl_pool p = {};
	__u64 held = 0; /* hvctl_hp_sum()'s type */
	uint64_t persistent;
	bool ok;

	ok = !hvctl_pool_read(node, kb, &p);
	hvctl_hp_sum(ledger_view(l), l->n, kb, node, &held);
	persistent = p.nr >= p.surplus ? p.nr - p.surplus : 0;
	*drift = ok && persistent < held;
	open_obj(NULL);
	print_uint(PRINT_ANY, "node", "    node %llu", node);
	if (!ok) {
		print_text("  (no pool)\n");
		print_null(PRINT_JSON, "total", NULL);
		close_obj();
		return;
	}
	print_uint(PRINT_ANY, "total", "  total %llu", p.nr);
	print_uint(PRINT_ANY, "free", "  free %llu", p.free);
	print_uint(PRINT_ANY, "surplus", "  surplus %llu", p.surplus);
	print_uint(PRINT_ANY, "ledger", "  ledger %llu", held);
	print_bool(PRINT_JSON, "drift", NULL, *drift);
	if (*drift)
		print_text(
			"  DRIFT: the pool has %llu persistent pages, the ledger holds %llu",
			(unsigned long long)persistent,
			(unsigned long long)held);
	print_text("\n");
	close_obj();
}

static void print_size(const struct ledger *l, uint32_t kb,
		       const uint32_t *nodes, unsigned int nn, bool *any_drift)
{
	uint64_t nr = 0, free_ = 0, resv = 0, surplus = 0;
	unsigned int i;
	bool drift;
	char sz[16];

	hvctl_global_read(kb, "nr_hugepages", &nr);
	hvctl_global_read(kb, "free_hugepages", &free_);
	hvctl_global_read(kb, "resv_hugepages", &resv);
	hvctl_global_read(kb, "surplus_hugepages", &surplus);
	open_obj(NULL);
	print_str(PRINT_ANY, "size", "hugepages %s",
		  size_name(kb, sz, sizeof(sz)));
	print_uint(PRINT_ANY, "size_kb", " (%llu kB)", kb);
	print_uint(PRINT_ANY, "total", "  total %llu", nr);
	print_uint(PRINT_ANY, "free", "  free %llu", free_);
	print_uint(PRINT_ANY, "resv", "  resv %llu", resv);
	print_uint(PRINT_ANY, "surplus", "  surplus %llu\n", surplus);
	open_arr("nodes");
	for (i = 0; i < nn; i++) {
		print_node_pool(l, kb, nodes[i], &drift);
		*any_drift |= drift;
	}
	close_arr();
	close_obj();
}

static int hp_show(struct hvctl_ctx *ctx, int argc, char **argv)
{
	uint32_t sizes[HVCTL_HP_SIZES_MAX], nodes[HVCTL_NODES_MAX];
	unsigned int ns, nn, i;
	struct ledger l = {};
	bool drift = false, gb;
	char why[128], thp[32];
	int ret;

	if (argc && hvctl_is_help(argv[0]))
		return hvctl_hugepages_help(ctx, argc, argv);
	if (argc)
		return usage_err("hugepages", "unexpected argument \"%s\"",
				 argv[0]);
	if (hvctl_nodes_online(nodes, HVCTL_NODES_MAX, &nn, why, sizeof(why))) {
		pr_err("%s", why);
		return HVCTL_EXIT_FAIL;
	}
	hvctl_hp_sizes(sizes, HVCTL_HP_SIZES_MAX, &ns);
	ret = ledger_get(ctx, &l, NULL);
	if (ret)
		return ret;

	gb = cpu_has_pdpe1gb() || hvctl_hp_size_exists(HVCTL_HP_KB_1G);
	open_obj(NULL);
	open_arr("sizes");
	for (i = 0; i < ns; i++)
		print_size(&l, sizes[i], nodes, nn, &drift);
	close_arr();
	if (!ns)
		print_text("no huge page sizes (is CONFIG_HUGETLBFS on?)\n");
	print_str(PRINT_ANY, "thp", "transparent huge pages: %s",
		  thp_mode(thp, sizeof(thp)));
	print_bool(PRINT_ANY, "gbpages", NULL, gb);
	print_text(
		"  1G pages: %s\n",
		gb ? "supported (reliable only from the kernel command line)" :
		     "not supported (no pdpe1gb)");
	print_bool(PRINT_JSON, "drift", NULL, drift);
	open_arr("reservations");
	for (i = 0; i < l.n; i++)
		print_resv(l.v[i]);
	close_arr();
	close_obj();
	if (drift && !ctx->json)
		fprintf(stderr,
			"Warning: a pool is smaller than its reservations: someone wrote nr_hugepages behind hvctl's back.\n");
	ledger_reset(&l);
	return HVCTL_EXIT_OK;
}

/**
 * hvctl_hp_event_print() - a monitor line for a reservation event
 * @msg: the HUGEPAGES_RESERVE or HUGEPAGES_RELEASE event
 * @event: "reserve" or "release"
 */
void hvctl_hp_event_print(struct nl_msg *msg, const char *event)
{
	struct hvctl_hp_resv *r;
	char why[128];

	r = resv_parse(msg, why, sizeof(why));
	if (!r)
		return;
	open_obj(NULL);
	print_str(PRINT_ANY, "event", "%s ", event);
	print_resv_keys(r);
	print_text("\n");
	close_obj();
	free(r);
}

/* ---- reserve --------------------------------------------------------- */

enum placement { PLACE_NODE, PLACE_SPREAD, PLACE_ANY };

/**
 * struct grow - one node of a reserve
 * @node: the node
 * @want: pages asked for on it (for "any": what is still missing)
 * @old: its nr_hugepages before
 * @got: pages obtained (read back), adopted ones included
 * @adopted: pages of @got that were in the pool already, held by no
 *	reservation (reserve ... adopt: what the kernel command line gave)
 * @touched: nr_hugepages was written
 */
struct grow {
	uint32_t node;
	uint64_t want;
	uint64_t old;
	uint64_t got;
	uint64_t adopted;
	bool touched;
};

/* Ask for @g->want more pages on @g->node; read back what came. */
static int grow_node(struct grow *g, uint32_t kb)
{
	uint64_t target, now, more = g->want - g->adopted;
	int ret, tries;

	g->got = g->adopted;
	if (!more)
		return 0;
	if (__builtin_add_overflow(g->old, more, &target)) {
		pr_err("node %u: %llu + %llu pages overflows", g->node,
		       (unsigned long long)g->old, (unsigned long long)g->want);
		return -EOVERFLOW;
	}
	/* Gigantic pages: compact the node and try once more. */
	for (tries = 0; tries < (kb >= HVCTL_HP_KB_1G ? 2 : 1); tries++) {
		if (tries)
			hvctl_node_compact(g->node);
		g->touched = true;
		ret = hvctl_pool_write_nr(g->node, kb, target);
		if (ret && ret != -ENOMEM && ret != -EINVAL) {
			pr_err("node %u: cannot write nr_hugepages: %s",
			       g->node, strerror(-ret));
			return ret;
		}
		ret = hvctl_pool_read_nr(g->node, kb, &now);
		if (ret) {
			pr_err("node %u: cannot read nr_hugepages: %s", g->node,
			       strerror(-ret));
			return ret;
		}
		g->got = g->adopted + (now > g->old ? now - g->old : 0);
		if (g->got >= g->want)
			break;
	}
	return 0;
}

/* Put every touched node back to exactly what it had; 0 when all are. */
static int rollback(struct grow *g, unsigned int n, uint32_t kb)
{
	uint64_t now;
	unsigned int i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		if (!g[i].touched)
			continue;
		hvctl_pool_write_nr(g[i].node, kb, g[i].old);
		if (hvctl_pool_read_nr(g[i].node, kb, &now) ||
		    now != g[i].old) {
			pr_err("node %u: could not put nr_hugepages back to %llu (it is %llu)",
			       g[i].node, (unsigned long long)g[i].old,
			       (unsigned long long)now);
			bad = -EIO;
		}
	}
	return bad;
}

/* "node 0: 0 of 2, node 1: 1 of 2" */
static void describe(char *buf, size_t size, const struct grow *g,
		     unsigned int n)
{
	size_t at = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && at < size; i++) {
		if (!g[i].touched)
			continue;
		at += snprintf(buf + at, size - at, "%snode %u: %llu of %llu",
			       at ? ", " : "", g[i].node,
			       (unsigned long long)g[i].got,
			       (unsigned long long)g[i].want);
	}
}

struct reserve_args {
	struct hvctl_hp_resv r; /* name, size, and the plan as nodes */
	uint64_t count;
	enum placement place;
	uint32_t node;
	bool adopt;
};

/* A node number: decimal, below 2^31. */
static int parse_node(const char *s, uint32_t *node)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > INT32_MAX)
		return -EINVAL;
	*node = v;
	return 0;
}

static int reserve_parse(int argc, char **argv, struct reserve_args *a)
{
	bool have_size = false, have_count = false, have_place = false;
	char why[160];
	uint64_t bytes;
	const char *msg;
	int i;

	if (argc < 1)
		return usage_err("hugepages", "reserve needs a NAME");
	msg = hvctl_hp_name_check(argv[0], strlen(argv[0]));
	if (msg)
		return usage_err("hugepages", "invalid name \"%s\": %s",
				 argv[0], msg);
	snprintf(a->r.name, sizeof(a->r.name), "%s", argv[0]);
	a->place = PLACE_ANY;
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(w, "size") || !strcmp(w, "count") ||
		    !strcmp(w, "node")) {
			if (!v)
				return usage_err("hugepages",
						 "\"%s\" needs a value", w);
			i++;
		}
		if (!strcmp(w, "size")) {
			if (hvctl_hp_size_parse(v, &a->r.size_kb, why,
						sizeof(why)))
				return usage_err("hugepages", "%s", why);
			have_size = true;
		} else if (!strcmp(w, "count")) {
			if (hvctl_count_parse(v, &a->count, why, sizeof(why)))
				return usage_err("hugepages", "%s", why);
			have_count = true;
		} else if (!strcmp(w, "adopt")) {
			a->adopt = true;
		} else if (!strcmp(w, "node") || !strcmp(w, "spread") ||
			   !strcmp(w, "any")) {
			if (have_place)
				return usage_err(
					"hugepages",
					"give one of node N, spread or any");
			have_place = true;
			a->place = *w == 'n' ? PLACE_NODE :
				   *w == 's' ? PLACE_SPREAD :
					       PLACE_ANY;
			if (a->place == PLACE_NODE && parse_node(v, &a->node))
				return usage_err(
					"hugepages",
					"invalid node \"%s\": expected a NUMA node number",
					v);
		} else {
			return usage_err("hugepages",
					 "unexpected argument \"%s\"", w);
		}
	}
	if (!have_size || !have_count)
		return usage_err("hugepages",
				 "reserve needs size SIZE and count N");
	if (!hvctl_hp_size_exists(a->r.size_kb)) {
		char sz[16];

		return usage_err(
			"hugepages",
			"unsupported huge page size %s: this kernel has no %s",
			size_name(a->r.size_kb, sz, sizeof(sz)),
			"/sys/kernel/mm/hugepages/hugepages-<size>kB for it");
	}
	if (__builtin_mul_overflow(a->count, (uint64_t)a->r.size_kb * 1024,
				   &bytes))
		return usage_err(
			"hugepages",
			"count %llu of %u kB pages overflows 64 bits of bytes",
			(unsigned long long)a->count, a->r.size_kb);
	return HVCTL_EXIT_OK;
}

/* Split the count over the nodes the placement names: the plan. */
static int reserve_plan(struct reserve_args *a, struct grow *g, unsigned int *n)
{
	uint32_t nodes[HVCTL_NODES_MAX];
	unsigned int nn, i;
	char why[128];

	if (a->place == PLACE_NODE) {
		g[0].node = a->node;
		g[0].want = a->count;
		*n = 1;
		return 0;
	}
	if (hvctl_nodes_online(nodes, HVCTL_NODES_MAX, &nn, why, sizeof(why))) {
		pr_err("%s", why);
		return -EIO;
	}
	for (i = 0; i < nn; i++) {
		g[i].node = nodes[i];
		if (a->place == PLACE_SPREAD)
			g[i].want = a->count / nn + (i < a->count % nn);
		else
			g[i].want = i ? 0 : a->count;
	}
	*n = nn;
	return 0;
}

/* The plan as the kernel sees it: nodes with pages, for a dry run. */
static void plan_to_resv(struct hvctl_hp_resv *r, const struct grow *g,
			 unsigned int n, bool got)
{
	unsigned int i;

	r->nr_nodes = 0;
	for (i = 0; i < n; i++) {
		uint64_t c = got ? g[i].got : g[i].want;

		if (!c)
			continue;
		r->node[r->nr_nodes].node = g[i].node;
		r->node[r->nr_nodes].count = c;
		r->nr_nodes++;
	}
}

/*
 * Pages of node @g->node's pool no reservation of @l holds: what adopt
 * takes before it grows the pool.
 */
static uint64_t unheld(const struct ledger *l, const struct grow *g,
		       uint32_t kb)
{
	__u64 held = 0;

	if (hvctl_hp_sum(ledger_view(l), l->n, kb, g->node, &held))
		return 0;
	return g->old > held ? g->old - held : 0;
}

static int reserve_grow(struct reserve_args *a, const struct ledger *l,
			struct grow *g, unsigned int n)
{
	uint64_t missing = a->count;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = hvctl_pool_read_nr(g[i].node, a->r.size_kb, &g[i].old);
		if (ret) {
			pr_err("node %u has no %u kB pool: %s", g[i].node,
			       a->r.size_kb, strerror(-ret));
			return ret;
		}
	}
	/* Adopt on every node first, so "any" grows no pool it need not. */
	for (i = 0; a->adopt && i < n && missing; i++) {
		uint64_t free = unheld(l, &g[i], a->r.size_kb);
		uint64_t cap = a->place == PLACE_ANY ? missing : g[i].want;

		g[i].adopted = free < cap ? free : cap;
		missing -= g[i].adopted;
	}
	for (i = 0; i < n; i++) {
		if (a->place == PLACE_ANY)
			g[i].want = g[i].adopted + missing;
		ret = grow_node(&g[i], a->r.size_kb);
		if (ret)
			return ret;
		if (g[i].got > g[i].want)
			g[i].got = g[i].want; /* someone else grew it too */
		missing -= g[i].got - g[i].adopted;
	}
	return missing ? -ENOMEM : 0;
}

static int hp_reserve(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct grow g[HVCTL_NODES_MAX] = {};
	struct reserve_args a = {};
	struct ledger l = {};
	unsigned int n, i;
	uint64_t got = 0;
	char sz[16], buf[1024];
	int ret, fd = -1;

	if (argc && hvctl_is_help(argv[0]))
		return hvctl_hugepages_help(ctx, argc, argv);
	ret = reserve_parse(argc, argv, &a);
	if (ret)
		return ret;
	if (reserve_plan(&a, g, &n))
		return HVCTL_EXIT_FAIL;

	/* The kernel refuses (privilege, name, node, size, count) first. */
	plan_to_resv(&a.r, g, n, false);
	ret = change_send(ctx, HVCTL_CMD_HUGEPAGES_RESERVE, &a.r, true);
	if (ret)
		return ret;
	ret = hp_lock(&fd);
	if (ret)
		return ret;
	/* Again under the lock: another hvctl may have taken the name. */
	ret = change_send(ctx, HVCTL_CMD_HUGEPAGES_RESERVE, &a.r, true);
	if (ret)
		goto out;

	/* What the other reservations hold, for adopt (under the lock). */
	if (a.adopt) {
		ret = ledger_get(ctx, &l, NULL);
		if (ret)
			goto out;
	}
	ret = reserve_grow(&a, &l, g, n);
	for (i = 0; i < n; i++)
		got += g[i].got;
	if (ret) {
		if (ret == -ENOMEM) {
			describe(buf, sizeof(buf), g, n);
			pr_err("obtained only %llu of %llu %s pages (%s)",
			       (unsigned long long)got,
			       (unsigned long long)a.count,
			       size_name(a.r.size_kb, sz, sizeof(sz)), buf);
		}
		ret = rollback(g, n, a.r.size_kb);
		if (!ret)
			fprintf(stderr,
				"Every pool is back as it was; nothing was reserved.\n");
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}

	plan_to_resv(&a.r, g, n, true);
	ret = change_send(ctx, HVCTL_CMD_HUGEPAGES_RESERVE, &a.r, false);
	if (ret) {
		rollback(g, n, a.r.size_kb);
		goto out;
	}
	print_text("reserved %s: %llu %s pages (", a.r.name,
		   (unsigned long long)a.count,
		   size_name(a.r.size_kb, sz, sizeof(sz)));
	for (i = 0; i < a.r.nr_nodes; i++)
		print_text("%snode %u: %llu", i ? ", " : "", a.r.node[i].node,
			   (unsigned long long)a.r.node[i].count);
	for (i = 0, got = 0; i < n; i++)
		got += g[i].adopted;
	if (got)
		print_text("; %llu of them were in the pool already",
			   (unsigned long long)got);
	print_text(")\n");
out:
	ledger_reset(&l);
	close(fd);
	return ret;
}

/**
 * hvctl_hp_boot_reserve() - record the hugepages lines of @conf
 * @ctx: the tool's context
 * @conf: the configuration
 *
 * Each line not in the ledger yet is reserved with adopt: the 1G pages
 * the kernel command line gave are taken as they are, pools grow only for
 * what is missing (all or nothing per line, as any reserve).
 *
 * Return: HVCTL_EXIT_OK when every line is in the ledger, else the first
 * failure's exit status.
 */
int hvctl_hp_boot_reserve(struct hvctl_ctx *ctx, const struct hvctl_conf *conf)
{
	struct ledger l = {};
	int ret, worst = HVCTL_EXIT_OK;
	size_t i;

	if (!conf->nhp)
		return HVCTL_EXIT_OK;
	ret = ledger_get(ctx, &l, NULL);
	if (ret)
		return ret;
	for (i = 0; i < conf->nhp; i++) {
		const struct hvctl_conf_hugepages *h = &conf->hp[i];
		char count[24], node[16];
		char *argv[] = { (char *)h->name, "size", (char *)h->size,
				 "count",	  count,  "adopt",
				 "node",	  node,	  NULL };
		int argc = h->node >= 0 ? 8 : 6;

		if (hvctl_hp_find(ledger_view(&l), l.n, h->name)) {
			print_text("%s: already reserved\n", h->name);
			continue;
		}
		snprintf(count, sizeof(count), "%lu", h->count);
		snprintf(node, sizeof(node), "%d", h->node);
		ret = hp_reserve(ctx, argc, argv);
		if (ret)
			pr_err("%s:%u: hugepages %s not reserved", conf->path,
			       h->line, h->name);
		if (ret && !worst)
			worst = ret;
	}
	ledger_reset(&l);
	return worst;
}

/* ---- release --------------------------------------------------------- */

static int hp_release(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_hp_resv name = {}, *r = NULL;
	struct ledger l = {};
	uint64_t total = 0, freed = 0, now, floor, target;
	__u64 others; /* hvctl_hp_sum()'s type */
	char sz[16], note[1024] = "";
	size_t at = 0, i;
	uint32_t j;
	const char *msg;
	int ret, fd = -1;

	if (argc && hvctl_is_help(argv[0]))
		return hvctl_hugepages_help(ctx, argc, argv);
	if (!argc)
		return usage_err("hugepages", "release needs a NAME");
	if (argc > 1)
		return usage_err("hugepages", "unexpected argument \"%s\"",
				 argv[1]);
	msg = hvctl_hp_name_check(argv[0], strlen(argv[0]));
	if (msg)
		return usage_err("hugepages", "invalid name \"%s\": %s",
				 argv[0], msg);
	snprintf(name.name, sizeof(name.name), "%s", argv[0]);

	/* Privilege and existence, from the kernel, before any pool. */
	ret = change_send(ctx, HVCTL_CMD_HUGEPAGES_RELEASE, &name, true);
	if (ret)
		return ret;
	ret = hp_lock(&fd);
	if (ret)
		return ret;
	ret = ledger_get(ctx, &l, NULL);
	if (ret)
		goto out;
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.v[i]->name, name.name))
			r = l.v[i];
	if (!r) {
		pr_err("no huge page reservation named \"%s\"", name.name);
		ret = HVCTL_EXIT_NOTFOUND;
		goto out;
	}

	/* The other reservations' pages stay: drop @r from the sums. */
	for (i = 0; i < l.n; i++)
		if (l.v[i] == r)
			l.v[i] = l.v[--l.n];
	for (j = 0; j < r->nr_nodes; j++) {
		const struct hvctl_hp_node *hn = &r->node[j];
		struct hvctl_pool p;

		total += hn->count;
		if (hvctl_pool_read(hn->node, r->size_kb, &p)) {
			at += snprintf(note + at, sizeof(note) - at,
				       "%snode %u: no pool", at ? "; " : "",
				       hn->node);
			continue;
		}
		others = 0;
		hvctl_hp_sum(ledger_view(&l), l.n, r->size_kb, hn->node,
			     &others);
		/* Never below the pages in use, nor what others hold. */
		floor = p.nr - p.free;
		if (floor < others)
			floor = others;
		target = p.nr > hn->count ? p.nr - hn->count : 0;
		if (target < floor)
			target = floor;
		if (target < p.nr)
			hvctl_pool_write_nr(hn->node, r->size_kb, target);
		if (hvctl_pool_read_nr(hn->node, r->size_kb, &now))
			now = p.nr;
		now = now < p.nr ? p.nr - now : 0;
		freed += now;
		if (now < hn->count && at < sizeof(note))
			at += snprintf(
				note + at, sizeof(note) - at,
				"%snode %u: %llu of %llu given back, %llu in use, %llu held by other reservations",
				at ? "; " : "", hn->node,
				(unsigned long long)now,
				(unsigned long long)hn->count,
				(unsigned long long)(p.nr - p.free),
				(unsigned long long)others);
	}
	l.v[l.n++] = r; /* freed with the ledger */

	ret = change_send(ctx, HVCTL_CMD_HUGEPAGES_RELEASE, &name, false);
	if (ret)
		goto out;
	print_text(
		"released %s: %llu of %llu %s pages given back to the kernel\n",
		r->name, (unsigned long long)freed, (unsigned long long)total,
		size_name(r->size_kb, sz, sizeof(sz)));
	if (note[0])
		fprintf(stderr, "Note: the pool could not shrink fully (%s).\n",
			note);
out:
	ledger_reset(&l);
	if (fd >= 0)
		close(fd);
	return ret;
}

int hvctl_hugepages_help(struct hvctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("Usage: hvctl [ -j ] hugepages show\n"
	       "       hvctl hugepages reserve NAME size SIZE count N [ node N | spread | any ] [ adopt ]\n"
	       "       hvctl hugepages release NAME\n"
	       "       hvctl hugepages mount [ PATH ] [ size SIZE ] [ min SIZE ]\n"
	       "       hvctl hugepages help\n"
	       "\n"
	       "Named huge page reservations, per size and NUMA node.  reserve grows the\n"
	       "pools by N pages (on node N, split evenly over the online nodes with\n"
	       "spread, or node by node with any, the default) and records the\n"
	       "reservation; when the kernel gives fewer pages, every pool goes back to\n"
	       "what it was and nothing is recorded.  1G pages get one compaction and\n"
	       "one more try.  With adopt, pages already in a pool that no reservation\n"
	       "holds (from the kernel command line, say) count first.  release\n"
	       "shrinks the pools by what the reservation holds,\n"
	       "never below the pages in use.  show lists pools, reservations, THP and\n"
	       "flags DRIFT where a pool is smaller than its reservations.  mount\n"
	       "mounts hugetlbfs for one size (default /dev/hugepages-SIZE), once.\n"
	       "\n"
	       "SIZE: 2M, 2MB, 2048k, 2048kB, 1G, 1GiB...; NAME: up to 32 of\n"
	       "A-Z a-z 0-9 _ . -.  reserve and release need root (CAP_SYS_ADMIN).\n");
	return HVCTL_EXIT_OK;
}

int cmd_hugepages(struct hvctl_ctx *ctx, int argc, char **argv)
{
	static const struct hvctl_cmd verbs[] = {
		{ "show", hp_show },
		{ "reserve", hp_reserve },
		{ "release", hp_release },
		{ "mount", hvctl_hp_mount },
		{ "help", hvctl_hugepages_help },
	};

	if (!argc)
		return hp_show(ctx, 0, NULL);
	return hvctl_dispatch(ctx, verbs, ARRAY_SIZE(verbs), "hugepages", argc,
			      argv);
}
