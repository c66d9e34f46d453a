// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl boot check|show|add|remove: the claims of /etc/hvctl.conf, what
 * they catch on this host now (read from sysfs: no module needed), and
 * editing the file in place (a temporary file renamed over it, comments
 * and other lines kept).  apply and revert are in bootapply.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "hp-ledger.h"
#include "hugepages.h"
#include "print.h"

/**
 * hvctl_root() - the prefix of every file hvctl boot reads or writes
 *
 * Return: $HVCTL_ROOT (for tests and image builders) or "".
 */
const char *hvctl_root(void)
{
	const char *root = getenv("HVCTL_ROOT");

	return root ? root : "";
}

static int mkdir_parents(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/**
 * hvctl_write_atomic() - replace a file with new contents, all or nothing
 * @path: the file (its directory is created when missing)
 * @text: the contents
 * @len: their length
 *
 * A temporary file next to @path, written and synced, then renamed over
 * it: a reader sees the old file or the new one, never a part.
 *
 * Return: 0 or -errno.
 */
int hvctl_write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	struct stat st;
	mode_t mode = 0644;
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	err = mkdir_parents(path);
	if (err)
		return err;
	if (!stat(path, &st))
		mode = st.st_mode & 07777;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd)) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err ? err : -EIO;
	}
	if (close(fd) || rename(tmp, path)) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

/**
 * hvctl_claim_matches() - the devices a claim catches
 * @claim: the claim
 * @devs: the host's devices
 * @hit: per device: 1 selected, 2 in a selected device's group, else 0
 */
void hvctl_claim_matches(const struct hvctl_claim *claim,
			 const struct hvctl_sysdevs *devs, unsigned char *hit)
{
	size_t i, j;

	for (i = 0; i < devs->n; i++)
		hit[i] = hvctl_selector_match(&claim->sel, &devs->v[i].key);
	if (claim->nogroup)
		return;
	/* The whole IOMMU group goes with a claimed device. */
	for (i = 0; i < devs->n; i++) {
		if (!hit[i] || devs->v[i].group < 0)
			continue;
		for (j = 0; j < devs->n; j++)
			if (devs->v[j].group == devs->v[i].group && !hit[j])
				hit[j] = 2;
	}
}

/* "FILE:LINE:COL: ", or nothing for a claim from the command line (line 0). */
static const char *where(const struct hvctl_conf *conf, unsigned int line,
			 unsigned int col, char *buf, size_t size)
{
	if (!line)
		return "";
	snprintf(buf, size, "%s:%u:%u: ", conf->path, line, col);
	return buf;
}

/**
 * hvctl_boot_host_check() - check the claims against this host's devices
 * @conf: the configuration
 * @devs: the devices now
 * @notes: also say what each claim and sriov line catches
 *
 * An id claim that catches a storage controller or the boot VGA is an
 * error (the host may not boot); a claim that catches nothing now is a
 * warning (the device may come later).
 *
 * Return: the number of errors, each reported on stderr.
 */
unsigned int hvctl_boot_host_check(const struct hvctl_conf *conf,
				   const struct hvctl_sysdevs *devs, bool notes)
{
	unsigned int errors = 0;
	char text[256], pos[4200];
	unsigned char *hit;
	size_t i, j, n;

	hit = calloc(devs->n + 1, sizeof(*hit));
	if (!hit) {
		pr_err("out of memory");
		return 1;
	}
	for (i = 0; i < conf->nclaims; i++) {
		const struct hvctl_conf_claim *c = &conf->claims[i];
		const char *why;

		hvctl_claim_text(&c->claim, false, text, sizeof(text));
		for (j = 0, n = 0; j < devs->n; j++) {
			if (!hvctl_selector_match(&c->claim.sel,
						  &devs->v[j].key))
				continue;
			n++;
			why = hvctl_claim_too_broad(&c->claim, devs->v[j].class,
						    devs->v[j].boot_vga);
			if (why) {
				fprintf(stderr, "%s%s (it catches %s)\n",
					where(conf, c->line, c->col, pos,
					      sizeof(pos)),
					why, devs->v[j].addr);
				errors++;
			}
		}
		if (!n) {
			fprintf(stderr,
				"%swarning: claim \"%s\" catches no device on this host now\n",
				where(conf, c->line, c->col, pos, sizeof(pos)),
				text);
			continue;
		}
		if (!notes)
			continue;
		hvctl_claim_matches(&c->claim, devs, hit);
		fprintf(stderr, "%snote: claim \"%s\" catches",
			where(conf, c->line, c->col, pos, sizeof(pos)), text);
		for (j = 0; j < devs->n; j++)
			if (hit[j])
				fprintf(stderr, " %s%s (now %s)",
					devs->v[j].addr,
					hit[j] == 2 ? " [group]" : "",
					devs->v[j].driver[0] ?
						devs->v[j].driver :
						"no driver");
		fputc('\n', stderr);
	}
	for (i = 0; i < conf->nsriov; i++) {
		const struct hvctl_conf_sriov *s = &conf->sriov[i];

		hvctl_selector_format(&s->sel, text, sizeof(text));
		for (j = 0, n = 0; j < devs->n; j++)
			n += hvctl_selector_match(&s->sel, &devs->v[j].key);
		if (!n)
			fprintf(stderr,
				"%swarning: sriov \"%s\" catches no device on this host now\n",
				where(conf, s->line, s->col, pos, sizeof(pos)),
				text);
	}
	free(hit);
	return errors;
}

/**
 * hvctl_boot_cmdline() - the kernel command line the 1G lines ask for
 * @conf: the configuration (every 1G line names a node, or none does)
 * @buf: "hugepagesz=1G hugepages=0:2,1:2", or "" when there are none
 * @size: size of @buf
 *
 * The kernel allocates these before the buddy allocator runs, the only
 * time 1 GiB pages are certain; lines for one node add up.
 *
 * Return: the length of @buf.
 */
size_t hvctl_boot_cmdline(const struct hvctl_conf *conf, char *buf, size_t size)
{
	unsigned long total = 0, per[1024] = { 0 };
	bool nodes = false;
	size_t i, at;

	buf[0] = '\0';
	for (i = 0; i < conf->nhp; i++) {
		const struct hvctl_conf_hugepages *h = &conf->hp[i];

		if (h->size_kb != HVCTL_HP_KB_1G)
			continue;
		total += h->count;
		if (h->node >= 0) {
			nodes = true;
			per[h->node] += h->count;
		}
	}
	if (!total)
		return 0;
	at = snprintf(buf, size, "hugepagesz=1G hugepages=");
	if (!nodes)
		return at + snprintf(buf + at, size - at, "%lu", total);
	for (i = 0; i < ARRAY_SIZE(per) && at < size; i++)
		if (per[i])
			at += snprintf(buf + at, size - at, "%s%zu:%lu",
				       buf[at - 1] == '=' ? "" : ",", i,
				       per[i]);
	return strlen(buf);
}

/* Load the configuration and the devices; errors reported. */
static int load(struct hvctl_conf *conf, struct hvctl_sysdevs *devs)
{
	int err;

	err = hvctl_conf_load(conf, hvctl_conf_path(), stderr);
	if (err) {
		pr_err("cannot read %s: %s", conf->path ? conf->path : "",
		       strerror(-err));
		return HVCTL_EXIT_FAIL;
	}
	err = hvctl_sysdevs_read(devs);
	if (err) {
		pr_err("cannot read /sys/bus/pci/devices: %s", strerror(-err));
		return HVCTL_EXIT_FAIL;
	}
	return HVCTL_EXIT_OK;
}

static int boot_check(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_sysdevs devs = {};
	struct hvctl_conf conf;
	unsigned int errors;
	int ret;

	(void)ctx;
	if (argc)
		return usage_err("boot", "unexpected argument \"%s\"", argv[0]);
	ret = load(&conf, &devs);
	if (!ret) {
		errors = conf.nerrors +
			 hvctl_boot_host_check(&conf, &devs, true);
		printf("%s: %zu claims, %zu sriov, %zu hugepages, %u errors\n",
		       conf.path, conf.nclaims, conf.nsriov, conf.nhp, errors);
		ret = errors ? HVCTL_EXIT_USAGE : HVCTL_EXIT_OK;
	}
	hvctl_sysdevs_free(&devs);
	hvctl_conf_free(&conf);
	return ret;
}

static void show_dev(const struct hvctl_sysdev *d, bool member)
{
	open_obj(NULL);
	print_str(PRINT_ANY, "address", "    %s", d->addr);
	print_bool(PRINT_JSON, "group_member", NULL, member);
	if (d->group >= 0)
		print_uint(PRINT_ANY, "iommu_group", "  group %llu",
			   (unsigned long long)d->group);
	else
		print_null(PRINT_ANY, "iommu_group", "  no group");
	if (d->driver[0])
		print_str(PRINT_ANY, "driver", "  now %s", d->driver);
	else
		print_null(PRINT_ANY, "driver", "  now unbound");
	print_text("%s\n", member ? "  (group member)" : "");
	close_obj();
}

static int boot_show(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_sysdevs devs = {};
	struct hvctl_conf conf;
	char text[256];
	unsigned char *hit = NULL;
	size_t i, j;
	int ret;

	(void)ctx;
	if (argc)
		return usage_err("boot", "unexpected argument \"%s\"", argv[0]);
	ret = load(&conf, &devs);
	if (ret)
		goto out;
	hit = calloc(devs.n + 1, sizeof(*hit));
	if (!hit) {
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	open_obj(NULL);
	print_str(PRINT_ANY, "config", "# %s\n", conf.path);
	open_arr("claims");
	for (i = 0; i < conf.nclaims; i++) {
		const struct hvctl_conf_claim *c = &conf.claims[i];

		open_obj(NULL);
		hvctl_claim_text(&c->claim, false, text, sizeof(text));
		print_str(PRINT_ANY, "claim", "claim %s", text);
		print_uint(PRINT_ANY, "line", "  (line %llu)\n", c->line);
		hvctl_selector_format(&c->claim.sel, text, sizeof(text));
		print_str(PRINT_JSON, "selector", NULL, text);
		print_str(PRINT_JSON, "driver", NULL,
			  c->claim.driver[0] ? c->claim.driver : "vfio-pci");
		print_bool(PRINT_JSON, "group", NULL, !c->claim.nogroup);
		hvctl_claim_matches(&c->claim, &devs, hit);
		open_arr("devices");
		for (j = 0; j < devs.n; j++)
			if (hit[j])
				show_dev(&devs.v[j], hit[j] == 2);
		close_arr();
		close_obj();
	}
	close_arr();
	open_arr("sriov");
	for (i = 0; i < conf.nsriov; i++) {
		const struct hvctl_conf_sriov *s = &conf.sriov[i];

		open_obj(NULL);
		hvctl_selector_format(&s->sel, text, sizeof(text));
		print_str(PRINT_ANY, "selector", "sriov %s", text);
		print_uint(PRINT_ANY, "numvfs", " numvfs %llu", s->numvfs);
		print_uint(PRINT_ANY, "line", "  (line %llu)\n", s->line);
		open_arr("devices");
		for (j = 0; j < devs.n; j++)
			if (hvctl_selector_match(&s->sel, &devs.v[j].key))
				show_dev(&devs.v[j], false);
		close_arr();
		close_obj();
	}
	close_arr();
	open_arr("hugepages");
	for (i = 0; i < conf.nhp; i++) {
		const struct hvctl_conf_hugepages *h = &conf.hp[i];

		open_obj(NULL);
		print_str(PRINT_ANY, "name", "hugepages %s", h->name);
		print_str(PRINT_ANY, "size", " size %s", h->size);
		print_uint(PRINT_ANY, "count", " count %llu", h->count);
		if (h->node >= 0)
			print_uint(PRINT_ANY, "node", " node %llu", h->node);
		else
			print_null(PRINT_JSON, "node", NULL);
		print_uint(PRINT_ANY, "line", "  (line %llu)\n", h->line);
		close_obj();
	}
	close_arr();
	if (hvctl_boot_cmdline(&conf, text, sizeof(text)))
		print_str(PRINT_ANY, "cmdline", "kernel command line: %s\n",
			  text);
	else
		print_null(PRINT_JSON, "cmdline", NULL);
	print_uint(PRINT_JSON, "errors", NULL, conf.nerrors);
	close_obj();
	if (conf.nerrors)
		ret = HVCTL_EXIT_USAGE;
out:
	free(hit);
	hvctl_sysdevs_free(&devs);
	hvctl_conf_free(&conf);
	return ret;
}

/* The lines of @conf, without line @skip (1-based; 0 keeps all), plus @add. */
static int rewrite(const struct hvctl_conf *conf, unsigned int skip,
		   const char *add)
{
	size_t i, len = 0, cap = 1;
	char *text, *p;
	int err;

	for (i = 0; i < conf->nlines; i++)
		cap += strlen(conf->lines[i]) + 1;
	cap += add ? strlen(add) : 0;
	text = malloc(cap);
	if (!text)
		return -ENOMEM;
	for (i = 0; i < conf->nlines; i++) {
		if (i + 1 == skip)
			continue;
		p = stpcpy(text + len, conf->lines[i]);
		*p++ = '\n';
		len = p - text;
	}
	if (add)
		len = stpcpy(text + len, add) - text;
	err = hvctl_write_atomic(conf->path, text, len);
	free(text);
	return err;
}

/* Join words with blanks. */
static int join(int argc, char **argv, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc; i++)
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				i ? " " : "", argv[i]);
	return len < size ? 0 : -ENAMETOOLONG;
}

/* A usable configuration to edit: readable, no bad lines. */
static int load_for_edit(struct hvctl_conf *conf)
{
	int err;

	err = hvctl_conf_load(conf, hvctl_conf_path(), stderr);
	if (err) {
		pr_err("cannot read %s: %s", conf->path ? conf->path : "",
		       strerror(-err));
		return HVCTL_EXIT_FAIL;
	}
	if (conf->nerrors) {
		pr_err("%s has %u bad lines (above): fix them first, nothing changed",
		       conf->path, conf->nerrors);
		return HVCTL_EXIT_USAGE;
	}
	return HVCTL_EXIT_OK;
}

/**
 * hvctl_boot_add() - add claims to the configuration
 * @text: one or more claims, ';'-separated
 * @check_only: check, change nothing, print nothing on success
 *
 * Every claim is checked (syntax, driver, not too broad for this host)
 * before the file changes; a claim already there as it is is left alone.
 *
 * Return: an exit status.
 */
int hvctl_boot_add(const char *text, bool check_only)
{
	struct hvctl_conf_claim *c;
	struct hvctl_sysdevs devs = {};
	struct hvctl_conf conf, one = {};
	struct hvctl_claim claim;
	size_t off = 0, len = strlen(text), i, alen = 0;
	char add[8192], canon[256], sub[1024];
	const char *msg, *semi;
	size_t pos;
	int ret, err;

	ret = load_for_edit(&conf);
	if (ret)
		goto out;
	err = hvctl_sysdevs_read(&devs);
	if (err) {
		pr_err("cannot read /sys/bus/pci/devices: %s", strerror(-err));
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	add[0] = '\0';
	while (off < len) {
		semi = strchr(text + off, ';');
		i = semi ? (size_t)(semi - text) : len;
		snprintf(sub, sizeof(sub), "%.*s", (int)(i - off), text + off);
		off = i + 1;
		if (sub[strspn(sub, " \t,=")] == '\0')
			continue;
		if (hvctl_conf_claim_parse(sub, &claim, &msg, &pos)) {
			ret = usage_err("boot", "invalid claim \"%s\": %s", sub,
					msg);
			goto out;
		}
		hvctl_claim_text(&claim, false, canon, sizeof(canon));
		for (i = 0; i < conf.nclaims; i++)
			if (hvctl_selector_equal(&conf.claims[i].claim.sel,
						 &claim.sel))
				break;
		if (i < conf.nclaims) {
			char have[256];

			hvctl_claim_text(&conf.claims[i].claim, false, have,
					 sizeof(have));
			if (strcmp(have, canon)) {
				pr_err("%s:%u: \"claim %s\" is there for the same devices: remove it first",
				       conf.path, conf.claims[i].line, have);
				ret = HVCTL_EXIT_USAGE;
				goto out;
			}
			if (!check_only)
				printf("claim %s: already in %s (line %u)\n",
				       canon, conf.path, conf.claims[i].line);
			continue;
		}
		/* The host check of a one-claim configuration. */
		c = &(struct hvctl_conf_claim){ .claim = claim,
						.line = 0,
						.col = 1 };
		one.path = conf.path;
		one.claims = c;
		one.nclaims = 1;
		if (hvctl_boot_host_check(&one, &devs, false)) {
			pr_err("claim \"%s\" refused, nothing changed", canon);
			ret = HVCTL_EXIT_UNSAFE;
			goto out;
		}
		if (strstr(add, canon)) /* twice on one command line */
			continue;
		alen += snprintf(add + alen,
				 alen < sizeof(add) ? sizeof(add) - alen : 0,
				 "claim %s\n", canon);
		if (alen >= sizeof(add)) {
			ret = usage_err("boot", "too many claims at once");
			goto out;
		}
	}
	if (!alen || check_only)
		goto out;
	err = rewrite(&conf, 0, add);
	if (err) {
		pr_err("cannot write %s: %s", conf.path, strerror(-err));
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	printf("%s: added %.*s\n", conf.path, (int)alen - 1, add);
out:
	hvctl_sysdevs_free(&devs);
	hvctl_conf_free(&conf);
	return ret;
}

static int boot_add(struct hvctl_ctx *ctx, int argc, char **argv)
{
	char text[4096];

	(void)ctx;
	if (!argc)
		return usage_err("boot", "add needs a claim");
	if (join(argc, argv, text, sizeof(text)))
		return usage_err("boot", "claim too long");
	return hvctl_boot_add(text, false);
}

static int boot_remove(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_claim claim;
	struct hvctl_conf conf;
	char text[1024], canon[256];
	const char *msg;
	size_t pos, i;
	int ret, err;

	(void)ctx;
	if (!argc)
		return usage_err("boot", "remove needs a claim or selector");
	if (join(argc, argv, text, sizeof(text)))
		return usage_err("boot", "claim too long");
	if (hvctl_conf_claim_parse(text, &claim, &msg, &pos))
		return usage_err("boot", "invalid claim \"%s\": %s", text, msg);
	ret = load_for_edit(&conf);
	if (ret)
		goto out;
	hvctl_selector_format(&claim.sel, canon, sizeof(canon));
	for (i = 0; i < conf.nclaims; i++)
		if (hvctl_selector_equal(&conf.claims[i].claim.sel, &claim.sel))
			break;
	if (i == conf.nclaims) {
		pr_err("no claim for \"%s\" in %s", canon, conf.path);
		ret = HVCTL_EXIT_NOTFOUND;
		goto out;
	}
	err = rewrite(&conf, conf.claims[i].line, NULL);
	if (err) {
		pr_err("cannot write %s: %s", conf.path, strerror(-err));
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	printf("%s: removed line %u: %s\n", conf.path, conf.claims[i].line,
	       conf.lines[conf.claims[i].line - 1]);
out:
	hvctl_conf_free(&conf);
	return ret;
}

/* The initramfs's step after loading the module: the hugepages lines. */
static int boot_reserve(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_conf conf;
	int ret, err;

	if (argc)
		return usage_err("boot", "unexpected argument \"%s\"", argv[0]);
	err = hvctl_conf_load(&conf, hvctl_conf_path(), stderr);
	if (err) {
		pr_err("cannot read %s: %s", conf.path ? conf.path : "",
		       strerror(-err));
		ret = HVCTL_EXIT_FAIL;
	} else {
		/* A bad line is reported; the good ones still count. */
		ret = hvctl_hp_boot_reserve(ctx, &conf);
		if (!ret && conf.nerrors)
			ret = HVCTL_EXIT_USAGE;
	}
	hvctl_conf_free(&conf);
	return ret;
}

static int boot_help(struct hvctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("Usage: hvctl boot check\n"
	       "       hvctl [ -j ] boot show\n"
	       "       hvctl boot add CLAIM [ ; CLAIM ]...\n"
	       "       hvctl boot remove CLAIM\n"
	       "       hvctl boot apply [ -k KVER ] [ --no-initramfs ]\n"
	       "       hvctl boot revert [ -k KVER ] [ --no-initramfs ]\n"
	       "       hvctl boot reserve\n"
	       "       hvctl dev bind SELECTOR [ driver NAME ] [ nogroup ] persist\n"
	       "where  CLAIM := SELECTOR [ driver { vfio-pci | pci-stub } ] [ nogroup ]\n"
	       "\n"
	       "The claims in %s (env HVCTL_CONF) go to the module's claim=\n"
	       "parameter through the initramfs (\"boot apply\"), so the devices go to\n"
	       "vfio-pci before any native driver probes them.  hvctl.disable=1 on the\n"
	       "kernel command line skips every claim.  See Documentation/boot.rst.\n"
	       "check exits 2 when a line is bad or a claim too broad; add and remove\n"
	       "edit the file in place and change nothing when it has bad lines.\n"
	       "hugepages lines: 1G pages go on the kernel command line (GRUB's\n"
	       "/etc/default/grub.d/hvctl.cfg, /etc/kernel/cmdline), 2M pages into the\n"
	       "initramfs; there \"boot reserve\" records them all in the module's ledger\n"
	       "(it adopts the pages the command line gave and grows the pools for the\n"
	       "rest), and it can be run again by hand.\n",
	       HVCTL_CONF_DEFAULT);
	return HVCTL_EXIT_OK;
}

int cmd_boot(struct hvctl_ctx *ctx, int argc, char **argv)
{
	static const struct hvctl_cmd verbs[] = {
		{ "check", boot_check },       { "show", boot_show },
		{ "add", boot_add },	       { "remove", boot_remove },
		{ "apply", hvctl_boot_apply }, { "revert", hvctl_boot_revert },
		{ "reserve", boot_reserve },   { "help", boot_help },
	};

	if (!argc)
		return boot_show(ctx, 0, argv);
	return hvctl_dispatch(ctx, verbs, ARRAY_SIZE(verbs), "boot", argc,
			      argv);
}
