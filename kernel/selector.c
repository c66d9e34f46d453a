// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The selector and claim parser shared by hvctl.ko and the hvctl tool.
 *
 * It allocates nothing and calls nothing but snprintf(), which the kernel
 * and libc both provide with the same meaning, so one file builds in both
 * worlds and one table of cases tests it in both.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdio.h>
#include <string.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include "selector.h"

/* Longer messages and formats, named so that the calls fit in 80 columns. */
#define MSG_BAD_ID \
	"malformed id, expected VVVV:DDDD or VVVV:DDDD:SSSS:ssss (hex)"
#define MSG_BAD_SERIAL \
	"malformed serial number, expected 8 hex bytes as xx-xx-xx-xx-xx-xx-xx-xx"
#define MSG_BAD_KIND \
	"unknown selector, expected addr, id, serial, slot or a PCI address"
#define MSG_BAD_OPTION "unknown claim option, expected driver NAME or nogroup"
#define FMT_SERIAL "serial %02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x"

/* Device and function packed as PCI_DEVFN() packs them. */
static __u8 sel_devfn(__u32 dev, __u32 fn)
{
	return (__u8)(((dev & 0x1f) << 3) | (fn & 0x07));
}

/* A word of the input: [start, start + len). */
struct word {
	const char *s;
	size_t len;
	size_t pos;
};

struct cursor {
	const char *s;
	size_t len;
	size_t off;
};

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
	       c == '=';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Next word, stopping at ';' (which ends a claim) or the end of input. */
static bool next_word(struct cursor *c, struct word *w)
{
	while (c->off < c->len && is_sep(c->s[c->off]))
		c->off++;
	if (c->off >= c->len || c->s[c->off] == ';' || c->s[c->off] == '\0')
		return false;
	w->s = c->s + c->off;
	w->pos = c->off;
	while (c->off < c->len && !is_sep(c->s[c->off]) &&
	       c->s[c->off] != ';' && c->s[c->off] != '\0')
		c->off++;
	w->len = c->s + c->off - w->s;
	return true;
}

static bool word_is(const struct word *w, const char *kw)
{
	size_t n = strlen(kw);

	return w->len == n && !memcmp(w->s, kw, n);
}

static int fail(struct hvctl_parse_err *err, const char *msg, size_t pos)
{
	if (err) {
		err->msg = msg;
		err->pos = pos;
	}
	return -EINVAL;
}

/*
 * Parse exactly @digits hex digits (or 1..@digits when @exact is false)
 * from @p, stopping at @end.  Returns the number of characters consumed or
 * 0 on error.
 */
static size_t parse_hex(const char *p, const char *end, unsigned int digits,
			bool exact, __u32 *val)
{
	__u32 v = 0;
	size_t n = 0;
	int h;

	while (p + n < end && n < digits && (h = hexval(p[n])) >= 0) {
		v = v << 4 | h;
		n++;
	}
	if (!n || (exact && n != digits))
		return 0;
	*val = v;
	return n;
}

/* [DDDD:]BB:DD.F -- the forms lspci and sysfs print. */
static int parse_addr(const struct word *w, struct hvctl_selector *sel,
		      struct hvctl_parse_err *err)
{
	const char *p = w->s, *end = w->s + w->len;
	__u32 f[4];
	unsigned int colons = 0;
	size_t i, n;

	for (i = 0; i < w->len; i++)
		colons += w->s[i] == ':';
	if (colons < 1 || colons > 2)
		return fail(err,
			    "malformed PCI address, expected [DDDD:]BB:DD.F",
			    w->pos);

	if (colons == 2) {
		n = parse_hex(p, end, 8, false, &f[0]);
		if (!n || p[n] != ':')
			return fail(err, "malformed PCI domain in address",
				    w->pos);
		p += n + 1;
	} else {
		f[0] = 0;
	}
	n = parse_hex(p, end, 2, false, &f[1]);
	if (!n || p + n >= end || p[n] != ':')
		return fail(err, "malformed PCI bus number in address", w->pos);
	p += n + 1;
	n = parse_hex(p, end, 2, false, &f[2]);
	if (!n || p + n >= end || p[n] != '.' || f[2] > 0x1f)
		return fail(err,
			    "malformed PCI device number in address (00-1f)",
			    w->pos);
	p += n + 1;
	n = parse_hex(p, end, 1, true, &f[3]);
	if (!n || p + n != end || f[3] > 7)
		return fail(err,
			    "malformed PCI function number in address (0-7)",
			    w->pos);

	sel->kind = HVCTL_SEL_ADDR;
	sel->domain = f[0];
	sel->bus = f[1];
	sel->devfn = sel_devfn(f[2], f[3]);
	return 0;
}

/* VVVV:DDDD[:SSSS:ssss], four hex digits each, as lspci -n prints them. */
static int parse_id(const struct word *w, struct hvctl_selector *sel,
		    struct hvctl_parse_err *err)
{
	const char *p = w->s, *end = w->s + w->len;
	__u32 v[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!parse_hex(p, end, 4, true, &v[i]))
			break;
		p += 4;
		if (p == end || *p != ':')
			break;
		p++;
	}
	if (p != end || (i != 1 && i != 3))
		return fail(err, MSG_BAD_ID, w->pos);

	sel->kind = HVCTL_SEL_ID;
	sel->vendor = v[0];
	sel->device = v[1];
	sel->has_subsys = i == 3;
	if (sel->has_subsys) {
		sel->subvendor = v[2];
		sel->subdevice = v[3];
	}
	return 0;
}

/* Eight hex bytes, most significant first, separated by '-' (lspci's form). */
static int parse_serial(const struct word *w, struct hvctl_selector *sel,
			struct hvctl_parse_err *err)
{
	const char *p = w->s, *end = w->s + w->len;
	__u64 serial = 0;
	__u32 byte;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (i && (p == end || *p++ != '-'))
			break;
		if (!parse_hex(p, end, 2, true, &byte))
			break;
		serial = serial << 8 | byte;
		p += 2;
	}
	if (i != 8 || p != end)
		return fail(err, MSG_BAD_SERIAL, w->pos);

	sel->kind = HVCTL_SEL_SERIAL;
	sel->serial = serial;
	return 0;
}

static int parse_slot(const struct word *w, struct hvctl_selector *sel,
		      struct hvctl_parse_err *err)
{
	if (w->len >= sizeof(sel->slot))
		return fail(err, "slot name too long", w->pos);
	memcpy(sel->slot, w->s, w->len);
	sel->slot[w->len] = '\0';
	sel->kind = HVCTL_SEL_SLOT;
	return 0;
}

/* A selector: a keyword and its value, or a bare address. */
static int parse_sel_words(struct cursor *c, struct hvctl_selector *sel,
			   struct hvctl_parse_err *err)
{
	static const struct {
		const char *kw;
		int (*parse)(const struct word *w, struct hvctl_selector *sel,
			     struct hvctl_parse_err *err);
		const char *missing;
	} kinds[] = {
		{ "addr", parse_addr, "'addr' needs a PCI address" },
		{ "id", parse_id, "'id' needs VVVV:DDDD" },
		{ "serial", parse_serial, "'serial' needs a serial number" },
		{ "slot", parse_slot, "'slot' needs a slot name" },
	};
	struct word kw, val;
	unsigned int i;

	memset(sel, 0, sizeof(*sel));
	if (!next_word(c, &kw))
		return fail(err, "empty selector", c->off);

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!word_is(&kw, kinds[i].kw))
			continue;
		if (!next_word(c, &val))
			return fail(err, kinds[i].missing, kw.pos);
		return kinds[i].parse(&val, sel, err);
	}
	/* A bare word with a ':' is meant as an address. */
	if (memchr(kw.s, ':', kw.len))
		return parse_addr(&kw, sel, err);
	return fail(err, MSG_BAD_KIND, kw.pos);
}

/**
 * hvctl_selector_parse() - parse one selector
 * @s: the text (need not be NUL-terminated)
 * @len: its length; parsing also stops at a NUL
 * @sel: the result
 * @err: where and why it failed (may be NULL)
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int hvctl_selector_parse(const char *s, size_t len, struct hvctl_selector *sel,
			 struct hvctl_parse_err *err)
{
	struct cursor c = { .s = s, .len = len };
	struct word extra;
	int ret;

	ret = parse_sel_words(&c, sel, err);
	if (ret)
		return ret;
	if (next_word(&c, &extra))
		return fail(err, "unexpected text after selector", extra.pos);
	if (c.off < len && c.s[c.off] == ';')
		return fail(err, "unexpected text after selector", c.off);
	return 0;
}

/* Options after a claim's selector, up to ';' or the end. */
static int parse_claim_opts(struct cursor *c, struct hvctl_claim *claim,
			    struct hvctl_parse_err *err)
{
	struct word w, val;

	while (next_word(c, &w)) {
		if (word_is(&w, "nogroup")) {
			claim->nogroup = true;
		} else if (word_is(&w, "driver")) {
			if (!next_word(c, &val))
				return fail(err, "'driver' needs a driver name",
					    w.pos);
			if (val.len >= sizeof(claim->driver))
				return fail(err, "driver name too long",
					    val.pos);
			memcpy(claim->driver, val.s, val.len);
			claim->driver[val.len] = '\0';
		} else {
			return fail(err, MSG_BAD_OPTION, w.pos);
		}
	}
	return 0;
}

/**
 * hvctl_claims_next() - parse the next claim of a ';'-separated list
 * @s: the text
 * @len: its length; parsing also stops at a NUL
 * @off: in: where to start; out: where the next claim starts
 * @claim: the result
 * @err: where and why it failed (may be NULL)
 *
 * Empty claims (";;", trailing ';') are skipped.
 *
 * Return: 1 when a claim was parsed, 0 at the end of the list, -EINVAL on
 * a malformed claim (with @err filled in and @off past it, so a caller may
 * report it and go on with the rest).
 */
int hvctl_claims_next(const char *s, size_t len, size_t *off,
		      struct hvctl_claim *claim, struct hvctl_parse_err *err)
{
	struct cursor c = { .s = s, .len = len, .off = *off };
	int ret;

	while (c.off < len && (is_sep(s[c.off]) || s[c.off] == ';'))
		c.off++;
	if (c.off >= len || s[c.off] == '\0') {
		*off = c.off;
		return 0;
	}

	memset(claim, 0, sizeof(*claim));
	ret = parse_sel_words(&c, &claim->sel, err);
	if (!ret)
		ret = parse_claim_opts(&c, claim, err);
	if (ret) {
		/* Skip to the end of this claim so the caller can go on. */
		while (c.off < len && s[c.off] != ';' && s[c.off] != '\0')
			c.off++;
	}
	*off = c.off;
	return ret ? ret : 1;
}

/**
 * hvctl_selector_match() - does a device match a selector?
 * @sel: the selector
 * @key: the device's identity
 *
 * Return: true when it matches.
 */
bool hvctl_selector_match(const struct hvctl_selector *sel,
			  const struct hvctl_dev_key *key)
{
	switch (sel->kind) {
	case HVCTL_SEL_ADDR:
		return sel->domain == key->domain && sel->bus == key->bus &&
		       sel->devfn == key->devfn;
	case HVCTL_SEL_ID:
		if (sel->vendor != key->vendor || sel->device != key->device)
			return false;
		return !sel->has_subsys || (sel->subvendor == key->subvendor &&
					    sel->subdevice == key->subdevice);
	case HVCTL_SEL_SERIAL:
		return key->has_serial && sel->serial == key->serial;
	case HVCTL_SEL_SLOT:
		return key->slot && !strcmp(sel->slot, key->slot);
	default:
		return false;
	}
}

/**
 * hvctl_claim_too_broad() - would a claim catch what the host boots from?
 * @claim: the claim
 * @class: the device's class code (base class in bits 23:16)
 * @boot_vga: the device is the boot VGA
 *
 * Every device of a model has the same id, the disk or display the host
 * boots from among them: a claim that catches a storage controller or the
 * boot VGA must name it by address, serial number or slot.
 *
 * Return: the reason when the claim must not catch the device, else NULL.
 */
const char *hvctl_claim_too_broad(const struct hvctl_claim *claim, __u32 class,
				  bool boot_vga)
{
	if (claim->sel.kind != HVCTL_SEL_ID)
		return NULL;
	if ((class >> 16) == HVCTL_CLASS_STORAGE)
		return "an id claim catches a storage controller: name it by addr, serial or slot";
	if (boot_vga)
		return "an id claim catches the boot VGA: name it by addr, serial or slot";
	return NULL;
}

/**
 * hvctl_selector_format() - write a selector back in its canonical form
 * @sel: the selector
 * @buf: the output
 * @size: its size
 *
 * Return: what snprintf() returns.
 */
int hvctl_selector_format(const struct hvctl_selector *sel, char *buf,
			  size_t size)
{
	switch (sel->kind) {
	case HVCTL_SEL_ADDR:
		return snprintf(buf, size, "addr %04x:%02x:%02x.%x",
				(unsigned int)sel->domain, sel->bus,
				sel->devfn >> 3, sel->devfn & 7);
	case HVCTL_SEL_ID:
		if (sel->has_subsys)
			return snprintf(buf, size, "id %04x:%04x:%04x:%04x",
					sel->vendor, sel->device,
					sel->subvendor, sel->subdevice);
		return snprintf(buf, size, "id %04x:%04x", sel->vendor,
				sel->device);
	case HVCTL_SEL_SERIAL:
		return snprintf(buf, size, FMT_SERIAL,
				(unsigned int)(sel->serial >> 56) & 0xff,
				(unsigned int)(sel->serial >> 48) & 0xff,
				(unsigned int)(sel->serial >> 40) & 0xff,
				(unsigned int)(sel->serial >> 32) & 0xff,
				(unsigned int)(sel->serial >> 24) & 0xff,
				(unsigned int)(sel->serial >> 16) & 0xff,
				(unsigned int)(sel->serial >> 8) & 0xff,
				(unsigned int)sel->serial & 0xff);
	case HVCTL_SEL_SLOT:
		return snprintf(buf, size, "slot %s", sel->slot);
	default:
		return snprintf(buf, size, "none");
	}
}
