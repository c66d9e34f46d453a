// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl hugepages mount: one hugetlbfs mount per page size, idempotent.
 * A mount already there with the same page size (and min_size) is
 * success, not a second mount on top of it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "hp-pool.h"
#include "hp-size.h"
#include "hugepages.h"
#include "print.h"

/* The default huge page size, from /proc/meminfo, in kB (0: none). */
static uint32_t default_size_kb(void)
{
	unsigned long kb = 0;
	char line[128];
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Undo mountinfo's octal escapes (\040 for a blank) in place. */
static void unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] &&
		    s[3]) {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* The value of OPT= in a comma-separated option list, copied to @buf. */
static bool opt_value(const char *opts, const char *opt, char *buf, size_t size)
{
	size_t len = strlen(opt);
	const char *p = opts, *end;

	while (p && *p) {
		if (!strncmp(p, opt, len) && p[len] == '=') {
			p += len + 1;
			end = strchr(p, ',');
			snprintf(buf, size, "%.*s",
				 (int)(end ? (size_t)(end - p) : strlen(p)), p);
			return true;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/**
 * struct mnt - the topmost mount on a path
 * @fstype: its filesystem type, "" when the path is no mount point
 * @pagesize: hugetlbfs page size in bytes
 * @min_size: hugetlbfs min_size in bytes, 0 when none
 */
struct mnt {
	char fstype[64];
	uint64_t pagesize;
	uint64_t min_size;
};

static int find_mount(const char *path, struct mnt *m)
{
	char line[4096], *f[24], *save, *p, val[64], why[128];
	int i, n;
	FILE *in;

	memset(m, 0, sizeof(*m));
	in = fopen("/proc/self/mountinfo", "re");
	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		n = 0;
		for (p = line; n < 24 && (f[n] = strtok_r(p, " ", &save));
		     p = NULL)
			n++;
		if (n < 7)
			continue;
		unescape(f[4]);
		if (strcmp(f[4], path))
			continue;
		/* Optional fields end at "-": fstype, source, super options. */
		for (i = 6; i < n && strcmp(f[i], "-"); i++)
			;
		if (i + 3 >= n)
			continue;
		memset(m, 0, sizeof(*m));
		snprintf(m->fstype, sizeof(m->fstype), "%s", f[i + 1]);
		if (opt_value(f[i + 3], "pagesize", val, sizeof(val)))
			hvctl_size_parse(val, &m->pagesize, why, sizeof(why));
		if (opt_value(f[i + 3], "min_size", val, sizeof(val)))
			m->min_size = strtoull(val, NULL, 10);
		/* Later lines are mounts on top: keep reading. */
	}
	fclose(in);
	return 0;
}

/* mkdir -p: @path and its missing parents. */
static int mkdir_p(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int hvctl_hp_mount(struct hvctl_ctx *ctx, int argc, char **argv)
{
	char path[PATH_MAX] = "", real[PATH_MAX], why[160], sz[16];
	char data[96];
	uint64_t min = 0, bytes;
	uint32_t kb = 0;
	struct mnt m;
	int i;

	if (argc && hvctl_is_help(argv[0]))
		return hvctl_hugepages_help(ctx, argc, argv);
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "size") || !strcmp(w, "min")) {
			if (i + 1 == argc)
				return usage_err("hugepages",
						 "\"%s\" needs a value", w);
			if (*w == 's' && hvctl_hp_size_parse(argv[++i], &kb,
							     why, sizeof(why)))
				return usage_err("hugepages", "%s", why);
			if (*w == 'm' &&
			    hvctl_size_parse(argv[++i], &min, why, sizeof(why)))
				return usage_err("hugepages", "%s", why);
		} else if (!path[0] && w[0] == '/') {
			snprintf(path, sizeof(path), "%s", w);
		} else {
			return usage_err(
				"hugepages",
				"unexpected argument \"%s\" (a PATH is absolute)",
				w);
		}
	}
	if (!kb)
		kb = default_size_kb();
	if (!kb || !hvctl_hp_size_exists(kb))
		return usage_err(
			"hugepages",
			"unsupported huge page size %s: this kernel has no pool for it",
			kb ? hvctl_size_name(kb, sz, sizeof(sz)) : "(none)");
	hvctl_size_name(kb, sz, sizeof(sz));
	if (!path[0])
		snprintf(path, sizeof(path), "/dev/hugepages-%s", sz);
	/* hugetlbfs rounds min_size down to whole pages: so do we. */
	bytes = (uint64_t)kb * 1024;
	min -= min % bytes;

	if (mkdir_p(path)) {
		pr_err("cannot create %s: %s", path, strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	if (!realpath(path, real)) {
		pr_err("%s: %s", path, strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	if (find_mount(real, &m)) {
		pr_err("cannot read /proc/self/mountinfo: %s", strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	if (m.fstype[0]) {
		if (strcmp(m.fstype, "hugetlbfs")) {
			pr_err("%s is a %s mount, not hugetlbfs", real,
			       m.fstype);
			return HVCTL_EXIT_FAIL;
		}
		if (m.pagesize != bytes || m.min_size != min) {
			char have[16], hmin[32] = "", wmin[32] = "";

			hvctl_size_name(m.pagesize >> 10, have, sizeof(have));
			if (m.min_size)
				snprintf(hmin, sizeof(hmin), ",min_size=%llu",
					 (unsigned long long)m.min_size);
			if (min)
				snprintf(wmin, sizeof(wmin), ",min_size=%llu",
					 (unsigned long long)min);
			pr_err("%s is a hugetlbfs mount with pagesize=%s%s, not pagesize=%s%s",
			       real, have, hmin, sz, wmin);
			return HVCTL_EXIT_FAIL;
		}
		print_text("%s: already mounted (hugetlbfs, %s pages)\n", real,
			   sz);
		return HVCTL_EXIT_OK;
	}
	if (min)
		snprintf(data, sizeof(data), "pagesize=%uK,min_size=%llu", kb,
			 (unsigned long long)min);
	else
		snprintf(data, sizeof(data), "pagesize=%uK", kb);
	if (mount("hugetlbfs", real, "hugetlbfs", MS_NOSUID | MS_NODEV, data)) {
		pr_err("mount -t hugetlbfs -o %s %s: %s", data, real,
		       strerror(errno));
		if (errno == ENOMEM && min)
			fprintf(stderr,
				"Hint: min_size takes its pages from the pool; reserve them first.\n");
		return errno == EPERM ? HVCTL_EXIT_REFUSED : HVCTL_EXIT_FAIL;
	}
	print_text("%s: mounted hugetlbfs (%s pages%s)\n", real, sz,
		   min ? ", with min_size" : "");
	return HVCTL_EXIT_OK;
}
