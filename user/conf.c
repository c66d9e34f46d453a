// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /etc/hvctl.conf parser.  One line, one entry:
 *
 *   claim SELECTOR [driver NAME] [nogroup]
 *   sriov SELECTOR numvfs N
 *   hugepages NAME size SIZE count N [node N]
 *
 * '#' starts a comment.  Every bad line is reported as FILE:LINE:COL:
 * message and parsing goes on, so one run shows every mistake and a bad
 * line never takes the good ones with it.  Claims and selectors go
 * through the same parser as the module's claim= parameter (selector.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "hp-ledger.h"
#include "hp-size.h"

/* A blank-separated word of a line: [s, s + len), at column pos + 1. */
struct cword {
	const char *s;
	size_t len;
	size_t pos;
};

#define CONF_MAX_WORDS 32

/**
 * hvctl_conf_path() - the configuration file to use
 *
 * Return: $HVCTL_CONF, else $HVCTL_ROOT/etc/hvctl.conf, else /etc/hvctl.conf.
 */
const char *hvctl_conf_path(void)
{
	static char buf[4096];
	const char *env = getenv("HVCTL_CONF");
	const char *root = getenv("HVCTL_ROOT");

	if (env && *env)
		return env;
	if (root && *root) {
		snprintf(buf, sizeof(buf), "%s%s", root, HVCTL_CONF_DEFAULT);
		return buf;
	}
	return HVCTL_CONF_DEFAULT;
}

/* Split @line into words up to a '#' that starts a word. */
static size_t split(const char *line, struct cword *w, size_t max)
{
	size_t i = 0, n = 0;

	for (;;) {
		while (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')
			i++;
		if (!line[i] || line[i] == '#')
			return n;
		if (n == max)
			return max + 1;
		w[n].s = line + i;
		w[n].pos = i;
		while (line[i] && line[i] != ' ' && line[i] != '\t' &&
		       line[i] != '\r')
			i++;
		w[n].len = line + i - w[n].s;
		n++;
	}
}

static bool cword_is(const struct cword *w, const char *kw)
{
	return w->len == strlen(kw) && !memcmp(w->s, kw, w->len);
}

static void report(struct hvctl_conf *conf, FILE *errs, unsigned int line,
		   size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void report(struct hvctl_conf *conf, FILE *errs, unsigned int line,
		   size_t pos, const char *fmt, ...)
{
	va_list ap;

	conf->nerrors++;
	if (!errs)
		return;
	fprintf(errs, "%s:%u:%zu: ", conf->path, line, pos + 1);
	va_start(ap, fmt);
	vfprintf(errs, fmt, ap);
	va_end(ap);
	fputc('\n', errs);
}

/* A decimal number that fits @max; no sign, no blanks. */
static bool parse_dec(const struct cword *w, unsigned long max,
		      unsigned long *val)
{
	unsigned long v = 0;
	size_t i;

	if (!w->len || w->len > 19)
		return false;
	for (i = 0; i < w->len; i++) {
		if (!isdigit((unsigned char)w->s[i]))
			return false;
		v = v * 10 + (w->s[i] - '0');
	}
	if (v > max)
		return false;
	*val = v;
	return true;
}

/**
 * hvctl_conf_claim_parse() - parse one claim and check its driver
 * @text: the claim, NUL-terminated
 * @claim: the result
 * @msg: why it failed
 * @pos: where in @text
 *
 * Return: 0 or -EINVAL.
 */
int hvctl_conf_claim_parse(const char *text, struct hvctl_claim *claim,
			   const char **msg, size_t *pos)
{
	struct hvctl_parse_err err = {};
	struct hvctl_claim extra;
	size_t len = strlen(text), off = 0;
	const char *p;
	int ret;

	ret = hvctl_claims_next(text, len, &off, claim, &err);
	if (ret < 0) {
		*msg = err.msg;
		*pos = err.pos;
		return -EINVAL;
	}
	if (!ret) {
		*msg = "a claim needs a selector";
		*pos = len;
		return -EINVAL;
	}
	p = strchr(text, ';');
	if (p || hvctl_claims_next(text, len, &off, &extra, &err)) {
		*msg = "one claim per line (no ';')";
		*pos = p ? (size_t)(p - text) : off;
		return -EINVAL;
	}
	if (claim->driver[0] && strcmp(claim->driver, "vfio-pci") &&
	    strcmp(claim->driver, "pci-stub")) {
		p = strstr(text, claim->driver);
		*msg = "unknown driver, expected vfio-pci or pci-stub";
		*pos = p ? (size_t)(p - text) : 0;
		return -EINVAL;
	}
	return 0;
}

/**
 * hvctl_selector_equal() - do two selectors select the same way?
 * @a: one
 * @b: the other
 *
 * Return: true when their canonical texts are the same.
 */
bool hvctl_selector_equal(const struct hvctl_selector *a,
			  const struct hvctl_selector *b)
{
	char x[128], y[128];

	hvctl_selector_format(a, x, sizeof(x));
	hvctl_selector_format(b, y, sizeof(y));
	return !strcmp(x, y);
}

/**
 * hvctl_claim_text() - a claim in its canonical form
 * @claim: the claim
 * @spacefree: the kernel command-line form ("addr=0000:01:00.0,nogroup")
 *	instead of the configuration file's ("addr 0000:01:00.0 nogroup")
 * @buf: the output
 * @size: its size
 */
void hvctl_claim_text(const struct hvctl_claim *claim, bool spacefree,
		      char *buf, size_t size)
{
	size_t len;
	char *sp;

	hvctl_selector_format(&claim->sel, buf, size);
	if (spacefree) {
		sp = strchr(buf, ' ');
		if (sp)
			*sp = '=';
	}
	len = strlen(buf);
	if (claim->driver[0])
		len += snprintf(buf + len, len < size ? size - len : 0,
				spacefree ? ",driver=%s" : " driver %s",
				claim->driver);
	if (claim->nogroup && len < size)
		snprintf(buf + len, size - len, "%snogroup",
			 spacefree ? "," : " ");
}

static void *grow(void *v, size_t n, size_t size)
{
	return realloc(v, (n + 1) * size);
}

static void parse_claim_line(struct hvctl_conf *conf, FILE *errs,
			     unsigned int ln, const char *line,
			     const struct cword *kw)
{
	struct hvctl_conf_claim *c;
	struct hvctl_claim claim;
	const char *text = kw->s + kw->len, *msg;
	char *copy, *hash;
	size_t pos, i, col;
	int bad;

	/* The claim ends where a comment starts. */
	copy = strdup(text);
	if (!copy)
		return report(conf, errs, ln, 0, "out of memory");
	for (hash = copy; (hash = strchr(hash, '#')); hash++) {
		if (hash == copy || isspace((unsigned char)hash[-1])) {
			*hash = '\0';
			break;
		}
	}
	bad = hvctl_conf_claim_parse(copy, &claim, &msg, &pos);
	free(copy);
	if (bad)
		return report(conf, errs, ln, text - line + pos, "%s", msg);
	col = text - line;
	while (line[col] == ' ' || line[col] == '\t')
		col++;
	for (i = 0; i < conf->nclaims; i++)
		if (hvctl_selector_equal(&conf->claims[i].claim.sel,
					 &claim.sel))
			return report(conf, errs, ln, col,
				      "duplicate claim, first at line %u",
				      conf->claims[i].line);
	c = grow(conf->claims, conf->nclaims, sizeof(*c));
	if (!c)
		return report(conf, errs, ln, 0, "out of memory");
	conf->claims = c;
	c[conf->nclaims].claim = claim;
	c[conf->nclaims].line = ln;
	c[conf->nclaims].col = col + 1;
	conf->nclaims++;
}

static void parse_sriov_line(struct hvctl_conf *conf, FILE *errs,
			     unsigned int ln, const char *line,
			     const struct cword *w, size_t n)
{
	struct hvctl_parse_err err = {};
	struct hvctl_conf_sriov *s;
	struct hvctl_selector sel;
	unsigned long numvfs;
	size_t k, i, start, end;

	for (k = 1; k < n && !cword_is(&w[k], "numvfs"); k++)
		;
	if (k == 1)
		return report(conf, errs, ln, w[0].pos + w[0].len,
			      "'sriov' needs a selector");
	start = w[1].pos;
	end = w[k - 1].pos + w[k - 1].len;
	if (hvctl_selector_parse(line + start, end - start, &sel, &err))
		return report(conf, errs, ln, start + err.pos, "%s", err.msg);
	if (k == n)
		return report(conf, errs, ln, end, "'sriov' needs numvfs N");
	if (k + 1 == n)
		return report(conf, errs, ln, w[k].pos,
			      "'numvfs' needs a number");
	if (!parse_dec(&w[k + 1], 65535, &numvfs) || !numvfs)
		return report(
			conf, errs, ln, w[k + 1].pos,
			"numvfs must be a decimal number from 1 to 65535");
	if (k + 2 < n)
		return report(conf, errs, ln, w[k + 2].pos,
			      "unexpected text after numvfs N");
	for (i = 0; i < conf->nsriov; i++)
		if (hvctl_selector_equal(&conf->sriov[i].sel, &sel))
			return report(conf, errs, ln, start,
				      "duplicate sriov line, first at line %u",
				      conf->sriov[i].line);
	s = grow(conf->sriov, conf->nsriov, sizeof(*s));
	if (!s)
		return report(conf, errs, ln, 0, "out of memory");
	conf->sriov = s;
	s[conf->nsriov].sel = sel;
	s[conf->nsriov].numvfs = numvfs;
	s[conf->nsriov].line = ln;
	s[conf->nsriov].col = start + 1;
	conf->nsriov++;
}

static void parse_hugepages_line(struct hvctl_conf *conf, FILE *errs,
				 unsigned int ln, const struct cword *w,
				 size_t n)
{
	struct hvctl_conf_hugepages hp = { .node = -1, .line = ln };
	bool have_size = false, have_count = false, have_node = false;
	struct hvctl_conf_hugepages *v;
	const char *why;
	unsigned long val;
	size_t k, i;

	if (n < 2)
		return report(conf, errs, ln, w[0].pos + w[0].len,
			      "'hugepages' needs a pool name");
	why = hvctl_hp_name_check(w[1].s, w[1].len);
	if (why)
		return report(conf, errs, ln, w[1].pos, "bad pool name: %s",
			      why);
	memcpy(hp.name, w[1].s, w[1].len);
	for (k = 2; k < n; k += 2) {
		bool *seen;

		if (cword_is(&w[k], "size"))
			seen = &have_size;
		else if (cword_is(&w[k], "count"))
			seen = &have_count;
		else if (cword_is(&w[k], "node"))
			seen = &have_node;
		else
			return report(
				conf, errs, ln, w[k].pos,
				"unknown hugepages option, expected size, count or node");
		if (*seen)
			return report(conf, errs, ln, w[k].pos,
				      "'%.*s' given twice", (int)w[k].len,
				      w[k].s);
		*seen = true;
		if (k + 1 == n)
			return report(conf, errs, ln, w[k].pos,
				      "'%.*s' needs a value", (int)w[k].len,
				      w[k].s);
		if (seen == &have_size) {
			char why_size[128];
			uint32_t kb;

			if (w[k + 1].len >= sizeof(hp.size))
				return report(conf, errs, ln, w[k + 1].pos,
					      "page size too long");
			memcpy(hp.size, w[k + 1].s, w[k + 1].len);
			hp.size[w[k + 1].len] = '\0';
			if (hvctl_hp_size_parse(hp.size, &kb, why_size,
						sizeof(why_size)))
				return report(conf, errs, ln, w[k + 1].pos,
					      "bad page size: %s", why_size);
			hp.size_kb = kb;
		} else if (seen == &have_count) {
			if (!parse_dec(&w[k + 1], 1UL << 40, &val))
				return report(conf, errs, ln, w[k + 1].pos,
					      "count must be a decimal number");
			hp.count = val;
		} else {
			if (!parse_dec(&w[k + 1], 1023, &val))
				return report(
					conf, errs, ln, w[k + 1].pos,
					"node must be a decimal number from 0 to 1023");
			hp.node = val;
		}
	}
	if (!have_size || !have_count)
		return report(conf, errs, ln, w[n - 1].pos + w[n - 1].len,
			      "'hugepages' needs size SIZE and count N");
	for (i = 0; i < conf->nhp; i++)
		if (!strcmp(conf->hp[i].name, hp.name))
			return report(
				conf, errs, ln, w[1].pos,
				"duplicate pool name '%s', first at line %u",
				hp.name, conf->hp[i].line);
	/* 1G pages go on the command line: per node, or one total. */
	for (i = 0; hp.size_kb == HVCTL_HP_KB_1G && i < conf->nhp; i++)
		if (conf->hp[i].size_kb == HVCTL_HP_KB_1G &&
		    (conf->hp[i].node < 0) != (hp.node < 0))
			return report(
				conf, errs, ln, w[0].pos,
				"1G pages are allocated at boot per node or in total: give every 1G line a node, or none (line %u %s)",
				conf->hp[i].line,
				conf->hp[i].node < 0 ? "has none" : "has one");
	v = grow(conf->hp, conf->nhp, sizeof(*v));
	if (!v)
		return report(conf, errs, ln, 0, "out of memory");
	conf->hp = v;
	conf->hp[conf->nhp++] = hp;
}

static void parse_line(struct hvctl_conf *conf, FILE *errs, unsigned int ln,
		       const char *line)
{
	struct cword w[CONF_MAX_WORDS];
	size_t n;

	n = split(line, w, CONF_MAX_WORDS);
	if (!n)
		return;
	if (n > CONF_MAX_WORDS)
		return report(conf, errs, ln, 0, "too many words (at most %d)",
			      CONF_MAX_WORDS);
	if (cword_is(&w[0], "claim"))
		parse_claim_line(conf, errs, ln, line, &w[0]);
	else if (cword_is(&w[0], "sriov"))
		parse_sriov_line(conf, errs, ln, line, w, n);
	else if (cword_is(&w[0], "hugepages"))
		parse_hugepages_line(conf, errs, ln, w, n);
	else
		report(conf, errs, ln, w[0].pos,
		       "unknown keyword '%.*s', expected claim, sriov or hugepages",
		       (int)w[0].len, w[0].s);
}

/**
 * hvctl_conf_load() - read and parse a configuration file
 * @conf: the result, free with hvctl_conf_free() (also on error)
 * @path: the file; a missing file is an empty configuration
 * @errs: where bad lines are reported, or NULL
 *
 * Return: 0 (bad lines counted in @conf->nerrors) or -errno when the file
 * cannot be read.
 */
int hvctl_conf_load(struct hvctl_conf *conf, const char *path, FILE *errs)
{
	char *line = NULL, **v;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int ret = 0;

	memset(conf, 0, sizeof(*conf));
	conf->path = strdup(path);
	if (!conf->path)
		return -ENOMEM;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		v = realloc(conf->lines, (conf->nlines + 1) * sizeof(*v));
		if (!v) {
			ret = -ENOMEM;
			break;
		}
		conf->lines = v;
		v[conf->nlines] = strdup(line);
		if (!v[conf->nlines]) {
			ret = -ENOMEM;
			break;
		}
		conf->nlines++;
		if (strlen(line) != (size_t)len)
			report(conf, errs, conf->nlines, strlen(line),
			       "NUL byte in line");
		else
			parse_line(conf, errs, conf->nlines, line);
	}
	if (!ret && ferror(f))
		ret = -EIO;
	free(line);
	fclose(f);
	return ret;
}

void hvctl_conf_free(struct hvctl_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nlines; i++)
		free(conf->lines[i]);
	free(conf->lines);
	free(conf->claims);
	free(conf->sriov);
	free(conf->hp);
	free(conf->path);
	memset(conf, 0, sizeof(*conf));
}
