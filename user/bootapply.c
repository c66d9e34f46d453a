// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl boot apply|revert: the files that carry /etc/hvctl.conf into the
 * boot path, and the initramfs rebuilt with the distribution's tool.
 *
 *   /etc/modprobe.d/hvctl.conf          options hvctl claim="..." + softdep
 *   /etc/udev/rules.d/70-hvctl-sriov.rules   sriov_numvfs when the PF binds
 *   /etc/default/grub.d/hvctl.cfg       1G huge pages on GRUB's command line
 *   /var/lib/hvctl/boot-files           the list of what apply wrote
 *
 * and, where it exists, /etc/kernel/cmdline (systemd-boot, kernel-install)
 * gets the same words appended; /var/lib/hvctl/kernel-cmdline remembers
 * them so that the next apply or a revert takes exactly those out again.
 *
 * Every file starts with HVCTL_BOOT_HEADER; revert removes exactly the
 * files of the list that still carry it.  $HVCTL_ROOT prefixes every path
 * (and then the initramfs is left alone).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot.h"

#define MODPROBE_FILE "/etc/modprobe.d/hvctl.conf"
#define UDEV_FILE "/etc/udev/rules.d/70-hvctl-sriov.rules"
#define GRUB_FILE "/etc/default/grub.d/hvctl.cfg"
#define KCMD_FILE "/etc/kernel/cmdline"
#define KCMD_WORDS "/var/lib/hvctl/kernel-cmdline"
#define LIST_FILE "/var/lib/hvctl/boot-files"
/* The module keeps at most 4096 bytes of claims (kernel/claim.c). */
#define CLAIM_PARAM_MAX 4000

struct text {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL,
			      t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->s && t->len + n < t->cap) {
			t->len += n;
			return;
		}
		s = realloc(t->s, t->cap + n + 256);
		if (!s) {
			t->oom = true;
			return;
		}
		t->s = s;
		t->cap += n + 256;
	}
}

struct apply_opts {
	const char *kver;
	bool no_initramfs;
};

static int parse_opts(const char *verb, int argc, char **argv,
		      struct apply_opts *o)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--no-initramfs")) {
			o->no_initramfs = true;
		} else if (!strcmp(argv[i], "-k")) {
			if (++i == argc)
				return usage_err(
					"boot", "%s: -k needs a kernel version",
					verb);
			o->kver = argv[i];
		} else {
			return usage_err("boot",
					 "%s: unexpected argument \"%s\"", verb,
					 argv[i]);
		}
	}
	return HVCTL_EXIT_OK;
}

static void rooted(const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", hvctl_root(), path);
}

/* Does @path (rooted) start with our header?  Only then may we remove it. */
static bool ours(const char *path)
{
	char buf[512], p[PATH_MAX];
	size_t n;
	FILE *f;

	rooted(path, p, sizeof(p));
	f = fopen(p, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, HVCTL_BOOT_HEADER);
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	const char *p, *e;

	if (!path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	for (p = path; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(e - p), p, prog);
		if (!access(buf, X_OK))
			return true;
	}
	return false;
}

/* Run @argv[0] with @argv and wait; 0 when it exited 0. */
static int run_tool(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		pr_err("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "Error: cannot run %s: %s.\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

/*
 * Rebuild the initramfs with the tool the distribution uses:
 * initramfs-tools (Debian, Ubuntu), dracut (Fedora, SUSE, Debian's dracut
 * package), mkinitcpio (Arch).  $HVCTL_INITRAMFS_TOOL picks one, or
 * "none"; with $HVCTL_ROOT set, only that one runs.
 */
static int regenerate(const struct apply_opts *o)
{
	const char *tool = getenv("HVCTL_INITRAMFS_TOOL");
	char *argv[8];
	int argc = 0;

	if (o->no_initramfs || (tool && !strcmp(tool, "none"))) {
		printf("initramfs not rebuilt (--no-initramfs)\n");
		return HVCTL_EXIT_OK;
	}
	/* A tree under HVCTL_ROOT is not this host's: only an explicit tool. */
	if (hvctl_root()[0] && (!tool || !*tool)) {
		printf("initramfs not rebuilt (HVCTL_ROOT is set)\n");
		return HVCTL_EXIT_OK;
	}
	if (!tool || !*tool) {
		if (on_path("update-initramfs") &&
		    !access("/etc/initramfs-tools", F_OK))
			tool = "update-initramfs";
		else if (on_path("dracut"))
			tool = "dracut";
		else if (on_path("mkinitcpio"))
			tool = "mkinitcpio";
	}
	if (!tool) {
		pr_err("no initramfs tool found (update-initramfs, dracut, mkinitcpio): rebuild the initramfs yourself");
		return HVCTL_EXIT_FAIL;
	}
	argv[argc++] = (char *)tool;
	if (!strcmp(tool, "update-initramfs")) {
		argv[argc++] = "-u";
		if (o->kver) {
			argv[argc++] = "-k";
			argv[argc++] = (char *)o->kver;
		}
	} else if (!strcmp(tool, "dracut")) {
		argv[argc++] = "-f";
		if (o->kver) {
			argv[argc++] = "--kver";
			argv[argc++] = (char *)o->kver;
		}
	} else if (!strcmp(tool, "mkinitcpio")) {
		argv[argc++] = "-P";
	} else {
		pr_err("unknown initramfs tool \"%s\" in HVCTL_INITRAMFS_TOOL",
		       tool);
		return HVCTL_EXIT_USAGE;
	}
	argv[argc] = NULL;
	printf("running %s%s%s%s%s\n", argv[0], argc > 1 ? " " : "",
	       argc > 1 ? argv[1] : "", o->kver ? " " : "",
	       o->kver ? o->kver : "");
	if (run_tool(argv)) {
		pr_err("%s failed: the initramfs may not have the new claims; fix it and run \"hvctl boot apply\" again",
		       tool);
		return HVCTL_EXIT_FAIL;
	}
	return HVCTL_EXIT_OK;
}

/* The files the last apply wrote, one path a line. */
static size_t read_list(char list[][PATH_MAX], size_t max)
{
	char p[PATH_MAX], line[PATH_MAX];
	size_t n = 0;
	FILE *f;

	rooted(LIST_FILE, p, sizeof(p));
	f = fopen(p, "re");
	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '/')
			continue;
		snprintf(list[n++], PATH_MAX, "%s", line);
	}
	fclose(f);
	return n;
}

static int remove_ours(const char *path)
{
	char p[PATH_MAX];

	rooted(path, p, sizeof(p));
	if (access(p, F_OK))
		return 0;
	if (!ours(path)) {
		fprintf(stderr,
			"Warning: %s no longer says \"%s\": left alone.\n", p,
			HVCTL_BOOT_HEADER);
		return 0;
	}
	if (unlink(p)) {
		pr_err("cannot remove %s: %s", p, strerror(errno));
		return -errno;
	}
	printf("removed %s\n", p);
	return 0;
}

static int write_file(const char *path, const struct text *t)
{
	char p[PATH_MAX];
	int err;

	if (t->oom) {
		pr_err("out of memory");
		return -ENOMEM;
	}
	rooted(path, p, sizeof(p));
	err = hvctl_write_atomic(p, t->s, t->len);
	if (err)
		pr_err("cannot write %s: %s", p, strerror(-err));
	else
		printf("wrote %s\n", p);
	return err;
}

static void modprobe_text(const struct hvctl_conf *conf, struct text *t)
{
	bool stub = false;
	char buf[256];
	size_t i;

	add(t, "# %s from %s; \"hvctl boot revert\" removes it.\n",
	    HVCTL_BOOT_HEADER, conf->path);
	add(t,
	    "# hvctl claims these devices when it loads; the initramfs loads it\n"
	    "# with takeover=1 before udev starts, then records the hugepages\n"
	    "# lines (hvctl boot reserve). hvctl.disable=1 on the kernel command\n"
	    "# line skips both.\n");
	add(t, "options hvctl claim=\"");
	for (i = 0; i < conf->nclaims; i++) {
		hvctl_claim_text(&conf->claims[i].claim, true, buf,
				 sizeof(buf));
		add(t, "%s%s", i ? ";" : "", buf);
		stub |= !strcmp(conf->claims[i].claim.driver, "pci-stub");
	}
	add(t, "\"\n");
	add(t, "softdep hvctl pre: vfio-pci%s\n", stub ? " pci-stub" : "");
}

static int udev_text(const struct hvctl_conf *conf,
		     const struct hvctl_sysdevs *devs, struct text *t)
{
	unsigned int rules = 0;
	char sel[128];
	size_t i, j;

	add(t, "# %s from %s; \"hvctl boot revert\" removes it.\n",
	    HVCTL_BOOT_HEADER, conf->path);
	add(t,
	    "# SR-IOV virtual functions, created when the physical function's\n"
	    "# driver binds. Selectors resolved to addresses at apply time.\n");
	for (i = 0; i < conf->nsriov; i++) {
		const struct hvctl_conf_sriov *s = &conf->sriov[i];

		hvctl_selector_format(&s->sel, sel, sizeof(sel));
		add(t, "# %s:%u: sriov %s numvfs %u\n", conf->path, s->line,
		    sel, s->numvfs);
		for (j = 0; j < devs->n; j++) {
			if (!hvctl_selector_match(&s->sel, &devs->v[j].key))
				continue;
			add(t,
			    "ACTION==\"bind\", SUBSYSTEM==\"pci\", KERNEL==\"%s\", ATTR{sriov_numvfs}=\"%u\"\n",
			    devs->v[j].addr, s->numvfs);
			rules++;
		}
	}
	return rules;
}

static void grub_text(const struct hvctl_conf *conf, const char *words,
		      struct text *t)
{
	add(t, "# %s from %s; \"hvctl boot revert\" removes it.\n",
	    HVCTL_BOOT_HEADER, conf->path);
	add(t,
	    "# 1 GiB huge pages, allocated by the kernel before the buddy\n"
	    "# allocator runs (the hugepages lines); not in recovery entries.\n");
	add(t,
	    "GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} %s\"\n",
	    words);
}

/* Rebuild grub.cfg when GRUB is there, as the initramfs is rebuilt. */
static int update_grub(const struct apply_opts *o)
{
	char *argv[] = { "update-grub", NULL };

	if (o->no_initramfs || hvctl_root()[0] || !on_path("update-grub")) {
		printf("GRUB configuration not rebuilt (%s): run update-grub\n",
		       o->no_initramfs ? "--no-initramfs" :
		       hvctl_root()[0] ? "HVCTL_ROOT is set" :
					 "no update-grub");
		return HVCTL_EXIT_OK;
	}
	printf("running update-grub\n");
	if (run_tool(argv)) {
		pr_err("update-grub failed: the kernel command line may not have the huge pages; fix it and run \"hvctl boot apply\" again");
		return HVCTL_EXIT_FAIL;
	}
	return HVCTL_EXIT_OK;
}

/* A whole file (rooted) into a NUL-terminated buffer; NULL when absent. */
static char *slurp(const char *path)
{
	char p[PATH_MAX], *buf = NULL;
	size_t cap = 0, len = 0, n;
	FILE *f;

	rooted(path, p, sizeof(p));
	f = fopen(p, "re");
	if (!f)
		return NULL;
	do {
		char *nb = realloc(buf, cap + 4096);

		if (!nb) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = nb;
		cap += 4096;
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/*
 * /etc/kernel/cmdline, where it exists: take out the words the last apply
 * added (KCMD_WORDS), append @words ("" to only take out), remember them.
 */
static int kernel_cmdline(const char *words)
{
	char *line, *old, *w, *save = NULL;
	struct text t = {}, rec = {};
	int ret = 0;

	line = slurp(KCMD_FILE);
	if (!line)
		return 0;
	old = slurp(KCMD_WORDS);
	line[strcspn(line, "\n")] = '\0';
	for (w = strtok_r(line, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		char *o = old, *hit = NULL;
		size_t wl = strlen(w);

		/* One occurrence of each remembered word goes. */
		while (o && (o = strstr(o, w))) {
			if ((o == old || o[-1] == ' ') &&
			    (o[wl] == ' ' || o[wl] == '\n' || !o[wl])) {
				hit = o;
				break;
			}
			o += wl;
		}
		if (hit) {
			memset(hit, ' ', wl);
			continue;
		}
		add(&t, "%s%s", t.len ? " " : "", w);
	}
	if (*words)
		add(&t, "%s%s", t.len ? " " : "", words);
	add(&t, "\n");
	if (write_file(KCMD_FILE, &t))
		ret = -1;
	else if (*words) {
		add(&rec, "%s\n", words);
		ret = write_file(KCMD_WORDS, &rec) ? -1 : 0;
	} else {
		char p[PATH_MAX];

		rooted(KCMD_WORDS, p, sizeof(p));
		unlink(p);
	}
	free(line);
	free(old);
	free(t.s);
	free(rec.s);
	return ret;
}

int hvctl_boot_apply(struct hvctl_ctx *ctx, int argc, char **argv)
{
	char old[8][PATH_MAX], words[512];
	const char *wrote[4];
	struct hvctl_sysdevs devs = {};
	struct text mp = {}, ud = {}, gr = {}, list = {};
	struct apply_opts o = {};
	struct hvctl_conf conf;
	size_t nold, nw = 0, i, j;
	bool grub_was = false;
	int ret, err;

	(void)ctx;
	ret = parse_opts("apply", argc, argv, &o);
	if (ret)
		return ret;
	err = hvctl_conf_load(&conf, hvctl_conf_path(), stderr);
	if (err) {
		pr_err("cannot read %s: %s", conf.path ? conf.path : "",
		       strerror(-err));
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	if (conf.nerrors) {
		pr_err("%s has %u bad lines (above): nothing applied",
		       conf.path, conf.nerrors);
		ret = HVCTL_EXIT_USAGE;
		goto out;
	}
	err = hvctl_sysdevs_read(&devs);
	if (err) {
		pr_err("cannot read /sys/bus/pci/devices: %s", strerror(-err));
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	if (hvctl_boot_host_check(&conf, &devs, false)) {
		pr_err("claims refused (above): nothing applied");
		ret = HVCTL_EXIT_UNSAFE;
		goto out;
	}

	/* Huge pages only: the initramfs still loads hvctl to record them. */
	if (conf.nclaims || conf.nhp) {
		modprobe_text(&conf, &mp);
		if (mp.len > CLAIM_PARAM_MAX) {
			pr_err("the claims are longer than the module takes (%d bytes): nothing applied",
			       CLAIM_PARAM_MAX);
			ret = HVCTL_EXIT_USAGE;
			goto out;
		}
		if (write_file(MODPROBE_FILE, &mp)) {
			ret = HVCTL_EXIT_FAIL;
			goto out;
		}
		wrote[nw++] = MODPROBE_FILE;
	}
	if (conf.nsriov) {
		if (!udev_text(&conf, &devs, &ud))
			fprintf(stderr,
				"Warning: no sriov line catches a device now: %s has no rules.\n",
				UDEV_FILE);
		if (write_file(UDEV_FILE, &ud)) {
			ret = HVCTL_EXIT_FAIL;
			goto out;
		}
		wrote[nw++] = UDEV_FILE;
	}
	if (hvctl_boot_cmdline(&conf, words, sizeof(words))) {
		grub_text(&conf, words, &gr);
		if (write_file(GRUB_FILE, &gr)) {
			ret = HVCTL_EXIT_FAIL;
			goto out;
		}
		wrote[nw++] = GRUB_FILE;
	}
	if (kernel_cmdline(words)) {
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}

	/* What the last apply wrote and this one did not goes. */
	nold = read_list(old, ARRAY_SIZE(old));
	for (i = 0; i < nold; i++) {
		grub_was |= !strcmp(old[i], GRUB_FILE);
		for (j = 0; j < nw && strcmp(old[i], wrote[j]); j++)
			;
		if (j == nw && remove_ours(old[i])) {
			ret = HVCTL_EXIT_FAIL;
			goto out;
		}
	}
	add(&list, "# %s: the files it wrote, for \"hvctl boot revert\".\n",
	    HVCTL_BOOT_HEADER);
	for (i = 0; i < nw; i++)
		add(&list, "%s\n", wrote[i]);
	if (write_file(LIST_FILE, &list)) {
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	if (!nw)
		printf("no claims, sriov or hugepages lines in %s: the boot path has nothing of hvctl\n",
		       conf.path);
	ret = regenerate(&o);
	if (!ret && (words[0] || grub_was))
		ret = update_grub(&o);
out:
	free(mp.s);
	free(ud.s);
	free(gr.s);
	free(list.s);
	hvctl_sysdevs_free(&devs);
	hvctl_conf_free(&conf);
	return ret;
}

int hvctl_boot_revert(struct hvctl_ctx *ctx, int argc, char **argv)
{
	char old[8][PATH_MAX], p[PATH_MAX];
	struct apply_opts o = {};
	bool grub_was = false;
	size_t nold, i;
	int ret;

	(void)ctx;
	ret = parse_opts("revert", argc, argv, &o);
	if (ret)
		return ret;
	rooted(LIST_FILE, p, sizeof(p));
	if (access(p, F_OK)) {
		printf("nothing to revert: no %s\n", p);
		return HVCTL_EXIT_OK;
	}
	if (kernel_cmdline(""))
		return HVCTL_EXIT_FAIL;
	nold = read_list(old, ARRAY_SIZE(old));
	for (i = 0; i < nold; i++) {
		grub_was |= !strcmp(old[i], GRUB_FILE);
		if (remove_ours(old[i]))
			return HVCTL_EXIT_FAIL;
	}
	if (remove_ours(LIST_FILE))
		return HVCTL_EXIT_FAIL;
	ret = regenerate(&o);
	if (!ret && grub_was)
		ret = update_grub(&o);
	return ret;
}
