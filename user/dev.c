// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl dev: PCI devices, their IOMMU group, driver and identity.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/hvctl.h>

#include "dev.h"
#include "names.h"
#include "bind.h"
#include "nl.h"
#include "print.h"
#include "selector.h"

static const struct nla_policy dev_policy[HVCTL_A_DEV_MAX + 1] = {
	[HVCTL_A_DEV_ADDR] = { .type = NLA_STRING },
	[HVCTL_A_DEV_VENDOR] = { .type = NLA_U16 },
	[HVCTL_A_DEV_DEVICE] = { .type = NLA_U16 },
	[HVCTL_A_DEV_SUBSYS_VENDOR] = { .type = NLA_U16 },
	[HVCTL_A_DEV_SUBSYS_DEVICE] = { .type = NLA_U16 },
	[HVCTL_A_DEV_CLASS] = { .type = NLA_U32 },
	[HVCTL_A_DEV_REVISION] = { .type = NLA_U8 },
	[HVCTL_A_DEV_GROUP] = { .type = NLA_U32 },
	[HVCTL_A_DEV_DRIVER] = { .type = NLA_STRING },
	[HVCTL_A_DEV_DRIVER_OVERRIDE] = { .type = NLA_STRING },
	[HVCTL_A_DEV_BRIDGE] = { .type = NLA_FLAG },
	[HVCTL_A_DEV_BOOT_VGA] = { .type = NLA_FLAG },
	[HVCTL_A_DEV_NUMA_NODE] = { .type = NLA_U32 },
	[HVCTL_A_DEV_SERIAL] = { .type = NLA_U64 },
	[HVCTL_A_DEV_SLOT] = { .type = NLA_STRING },
	[HVCTL_A_DEV_RESET_METHOD] = { .type = NLA_STRING },
	[HVCTL_A_DEV_DMA_USER] = { .type = NLA_FLAG },
	[HVCTL_A_DEV_BLOCKING] = { .type = NLA_FLAG },
};

/* The attributes every device carries, and their names for messages. */
static const struct {
	int type;
	const char *name;
} dev_required[] = {
	{ HVCTL_A_DEV_ADDR, "ADDR" },
	{ HVCTL_A_DEV_VENDOR, "VENDOR" },
	{ HVCTL_A_DEV_DEVICE, "DEVICE" },
	{ HVCTL_A_DEV_SUBSYS_VENDOR, "SUBSYS_VENDOR" },
	{ HVCTL_A_DEV_SUBSYS_DEVICE, "SUBSYS_DEVICE" },
	{ HVCTL_A_DEV_CLASS, "CLASS" },
	{ HVCTL_A_DEV_REVISION, "REVISION" },
};

static void dev_free(struct hvctl_dev *dev)
{
	unsigned int i;

	free(dev->addr);
	free(dev->driver);
	free(dev->driver_override);
	free(dev->slot);
	for (i = 0; i < dev->n_reset; i++)
		free(dev->reset_methods[i]);
	free(dev->reset_methods);
}

void hvctl_devs_free(struct hvctl_devs *devs)
{
	size_t i;

	for (i = 0; i < devs->n; i++)
		dev_free(&devs->v[i]);
	free(devs->v);
	memset(devs, 0, sizeof(*devs));
}

/* A new, zeroed device at the end of @devs. */
static struct hvctl_dev *devs_add(struct hvctl_devs *devs)
{
	struct hvctl_dev *v;
	size_t cap;

	if (devs->n == devs->cap) {
		cap = devs->cap ? 2 * devs->cap : 16;
		v = realloc(devs->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		devs->v = v;
		devs->cap = cap;
	}
	v = &devs->v[devs->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* strdup() of a string attribute, or NULL for an absent one. */
int hvctl_nla_strdup(char **dst, const struct nlattr *a)
{
	if (!a)
		return 0;
	*dst = strdup(nla_get_string((struct nlattr *)a));
	return *dst ? 0 : -ENOMEM;
}

/* The RESET_METHOD attributes, repeated, in the order they came. */
static int parse_reset_methods(struct hvctl_dev *dev, struct nlattr *head,
			       int len)
{
	struct nlattr *a;
	unsigned int n = 0;
	int rem;

	nla_for_each_attr(a, head, len, rem)
		n += nla_type(a) == HVCTL_A_DEV_RESET_METHOD;
	if (!n)
		return 0;
	dev->reset_methods = calloc(n, sizeof(*dev->reset_methods));
	if (!dev->reset_methods)
		return -ENOMEM;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != HVCTL_A_DEV_RESET_METHOD)
			continue;
		if (hvctl_nla_strdup(&dev->reset_methods[dev->n_reset], a))
			return -ENOMEM;
		dev->n_reset++;
	}
	return 0;
}

static void parse_numbers(struct hvctl_dev *dev, struct nlattr **tb)
{
	dev->vendor = nla_get_u16(tb[HVCTL_A_DEV_VENDOR]);
	dev->device = nla_get_u16(tb[HVCTL_A_DEV_DEVICE]);
	dev->subvendor = nla_get_u16(tb[HVCTL_A_DEV_SUBSYS_VENDOR]);
	dev->subdevice = nla_get_u16(tb[HVCTL_A_DEV_SUBSYS_DEVICE]);
	dev->class = nla_get_u32(tb[HVCTL_A_DEV_CLASS]) & 0xffffff;
	dev->revision = nla_get_u8(tb[HVCTL_A_DEV_REVISION]);

	dev->has_group = tb[HVCTL_A_DEV_GROUP];
	if (dev->has_group)
		dev->group = nla_get_u32(tb[HVCTL_A_DEV_GROUP]);
	dev->has_numa = tb[HVCTL_A_DEV_NUMA_NODE];
	if (dev->has_numa)
		dev->numa_node = nla_get_u32(tb[HVCTL_A_DEV_NUMA_NODE]);
	dev->has_serial = tb[HVCTL_A_DEV_SERIAL];
	if (dev->has_serial)
		dev->serial = nla_get_u64(tb[HVCTL_A_DEV_SERIAL]);

	dev->bridge = tb[HVCTL_A_DEV_BRIDGE];
	dev->boot_vga = tb[HVCTL_A_DEV_BOOT_VGA];
	dev->dma_user = tb[HVCTL_A_DEV_DMA_USER];
	dev->blocking = tb[HVCTL_A_DEV_BLOCKING];
}

/**
 * hvctl_dev_parse() - add the device described by some attributes
 * @devs: where to add it
 * @head: the HVCTL_A_DEV_* attributes
 * @len: their length
 * @why: what is wrong with them, for -EBADMSG
 * @size: size of @why
 *
 * Return: 0, -EBADMSG (malformed) or -ENOMEM.
 */
int hvctl_dev_parse(struct hvctl_devs *devs, struct nlattr *head, int len,
		    char *why, size_t size)
{
	struct nlattr *tb[HVCTL_A_DEV_MAX + 1];
	struct hvctl_dev *dev;
	unsigned int i;

	if (nla_parse(tb, HVCTL_A_DEV_MAX, head, len, dev_policy) < 0) {
		snprintf(why, size, "bad device attribute");
		return -EBADMSG;
	}
	for (i = 0; i < ARRAY_SIZE(dev_required); i++) {
		if (!tb[dev_required[i].type]) {
			snprintf(why, size, "device without HVCTL_A_DEV_%s",
				 dev_required[i].name);
			return -EBADMSG;
		}
	}

	dev = devs_add(devs);
	if (!dev)
		return -ENOMEM;
	parse_numbers(dev, tb);
	if (hvctl_nla_strdup(&dev->addr, tb[HVCTL_A_DEV_ADDR]) ||
	    hvctl_nla_strdup(&dev->driver, tb[HVCTL_A_DEV_DRIVER]) ||
	    hvctl_nla_strdup(&dev->driver_override,
			     tb[HVCTL_A_DEV_DRIVER_OVERRIDE]) ||
	    hvctl_nla_strdup(&dev->slot, tb[HVCTL_A_DEV_SLOT]) ||
	    parse_reset_methods(dev, head, len))
		return -ENOMEM;
	return 0;
}

/* "Red Hat, Inc. QXL paravirtual graphic card [1b36:0100]" or "1b36:0100" */
static void print_ids(const struct hvctl_ctx *ctx, const struct hvctl_dev *dev)
{
	char vbuf[HVCTL_NAME_LEN], dbuf[HVCTL_NAME_LEN], hex[8];
	const char *vname = NULL, *dname = NULL;

	snprintf(hex, sizeof(hex), "%04x", dev->vendor);
	print_str(PRINT_JSON, "vendor", NULL, hex);
	snprintf(hex, sizeof(hex), "%04x", dev->device);
	print_str(PRINT_JSON, "device", NULL, hex);
	if (ctx->numeric) {
		print_text("%04x:%04x", dev->vendor, dev->device);
		return;
	}
	vname = names_vendor(vbuf, sizeof(vbuf), dev->vendor);
	dname = names_device(dbuf, sizeof(dbuf), dev->vendor, dev->device);
	print_str(PRINT_JSON, "vendor_name", NULL, vname);
	print_str(PRINT_JSON, "device_name", NULL, dname);
	print_text("%s%s%s [%04x:%04x]", vname ? vname : "", vname ? " " : "",
		   dname ? dname : "Device", dev->vendor, dev->device);
}

/* "VGA compatible controller [0300]: " or "0300: " */
static void print_class(const struct hvctl_ctx *ctx,
			const struct hvctl_dev *dev)
{
	char buf[HVCTL_NAME_LEN], hex[8];
	const char *name;

	snprintf(hex, sizeof(hex), "%06x", dev->class);
	print_str(PRINT_JSON, "class", NULL, hex);
	if (ctx->numeric) {
		print_text("%04x: ", dev->class >> 8);
		return;
	}
	name = names_class(buf, sizeof(buf), dev->class);
	print_str(PRINT_JSON, "class_name", NULL, name);
	print_text("%s [%04x]: ", name ? name : "Class", dev->class >> 8);
}

/* "group 12  " padded to @width, "    " in a group's listing (@width < 0) */
static void print_group_column(const struct hvctl_dev *dev, int width)
{
	char col[32];

	if (dev->has_group)
		print_uint(PRINT_JSON, "group", NULL, dev->group);
	else
		print_null(PRINT_JSON, "group", NULL);
	if (width < 0) {
		print_text("    ");
		return;
	}
	if (dev->has_group)
		snprintf(col, sizeof(col), "group %u", dev->group);
	else
		snprintf(col, sizeof(col), "no group");
	print_text("%-*s  ", width, col);
}

static void print_serial(const struct hvctl_dev *dev)
{
	char buf[sizeof("xx-xx-xx-xx-xx-xx-xx-xx")];
	uint64_t s = dev->serial;

	if (!dev->has_serial) {
		print_null(PRINT_JSON, "serial", NULL);
		return;
	}
	snprintf(buf, sizeof(buf), "%02x-%02x-%02x-%02x-%02x-%02x-%02x-%02x",
		 (unsigned int)(s >> 56) & 0xff, (unsigned int)(s >> 48) & 0xff,
		 (unsigned int)(s >> 40) & 0xff, (unsigned int)(s >> 32) & 0xff,
		 (unsigned int)(s >> 24) & 0xff, (unsigned int)(s >> 16) & 0xff,
		 (unsigned int)(s >> 8) & 0xff, (unsigned int)s & 0xff);
	print_str(PRINT_JSON, "serial", NULL, buf);
}

/* What only JSON shows: the details a line of text has no room for. */
static void print_details(const struct hvctl_dev *dev)
{
	char hex[8];
	unsigned int i;

	snprintf(hex, sizeof(hex), "%02x", dev->revision);
	print_str(PRINT_JSON, "revision", NULL, hex);
	snprintf(hex, sizeof(hex), "%04x", dev->subvendor);
	print_str(PRINT_JSON, "subsystem_vendor", NULL, hex);
	snprintf(hex, sizeof(hex), "%04x", dev->subdevice);
	print_str(PRINT_JSON, "subsystem_device", NULL, hex);
	if (dev->has_numa)
		print_uint(PRINT_JSON, "numa_node", NULL, dev->numa_node);
	else
		print_null(PRINT_JSON, "numa_node", NULL);
	print_serial(dev);
	print_str(PRINT_JSON, "slot", NULL, dev->slot);
	open_arr("reset_methods");
	for (i = 0; i < dev->n_reset; i++)
		print_str(PRINT_JSON, NULL, NULL, dev->reset_methods[i]);
	close_arr();
	print_bool(PRINT_JSON, "dma_user", NULL, dev->dma_user);
}

/* "  driver vfio-pci  override vfio-pci (bridge, boot VGA)" */
static void print_driver(const struct hvctl_dev *dev)
{
	if (dev->driver)
		print_str(PRINT_ANY, "driver", "  driver %s", dev->driver);
	else
		print_null(PRINT_ANY, "driver", "  no driver");
	print_str(PRINT_ANY, "driver_override", "  override %s",
		  dev->driver_override);
	print_bool(PRINT_JSON, "bridge", NULL, dev->bridge);
	print_bool(PRINT_JSON, "boot_vga", NULL, dev->boot_vga);
	if (dev->bridge || dev->boot_vga)
		print_text(" (%s%s%s)", dev->bridge ? "bridge" : "",
			   dev->bridge && dev->boot_vga ? ", " : "",
			   dev->boot_vga ? "boot VGA" : "");
}

/**
 * hvctl_dev_print() - print a device: a JSON object or a line of text
 * @ctx: the options
 * @dev: the device
 * @group_width: width of the text's group column; < 0 for none, indented
 */
void hvctl_dev_print(const struct hvctl_ctx *ctx, const struct hvctl_dev *dev,
		     int group_width)
{
	open_obj(NULL);
	print_str(PRINT_JSON, "address", NULL, dev->addr);
	print_group_column(dev, group_width);
	print_str(PRINT_TEXT, NULL, "%s  ", dev->addr);
	print_class(ctx, dev);
	print_ids(ctx, dev);
	if (dev->revision)
		print_text(" (rev %02x)", dev->revision);
	print_driver(dev);
	print_details(dev);
	print_text("\n");
	close_obj();
}

/* dev show: a dump, filtered by the selector when there is one. */
struct dev_dump {
	const char *selector;
	struct hvctl_devs devs;
};

static int dev_fill(struct nl_msg *msg, void *arg)
{
	struct dev_dump *d = arg;

	if (d->selector &&
	    nla_put_string(msg, HVCTL_A_DEV_SELECTOR, d->selector))
		return -EMSGSIZE;
	return 0;
}

static int dev_reply(struct nl_msg *msg, void *arg, char *why, size_t size)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct dev_dump *d = arg;

	return hvctl_dev_parse(&d->devs, genlmsg_attrdata(gnlh, 0),
			       genlmsg_attrlen(gnlh, 0), why, size);
}

static void dev_reset(void *arg)
{
	struct dev_dump *d = arg;

	hvctl_devs_free(&d->devs);
}

static void print_devs(const struct hvctl_ctx *ctx,
		       const struct hvctl_devs *devs)
{
	int width = strlen("no group"), w;
	size_t i;

	for (i = 0; i < devs->n; i++) {
		w = snprintf(NULL, 0, "group %u", devs->v[i].group);
		if (devs->v[i].has_group && w > width)
			width = w;
	}
	open_arr(NULL);
	for (i = 0; i < devs->n; i++)
		hvctl_dev_print(ctx, &devs->v[i], width);
	close_arr();
}

/*
 * The words after "show" make one selector.  Check it here, with the
 * kernel's parser, so a typo is a usage error that names the bad word.
 */
static int selector_arg(int argc, char **argv, char *buf, size_t size)
{
	struct hvctl_selector sel;
	struct hvctl_parse_err err;
	size_t len = 0, wlen;
	int i;

	for (i = 0; i < argc; i++) {
		wlen = strlen(argv[i]);
		if (len + !!i + wlen >= size)
			return usage_err(
				"dev",
				"selector too long (at most %zu characters)",
				size - 1);
		len += sprintf(buf + len, "%s%s", i ? " " : "", argv[i]);
	}
	if (!hvctl_selector_parse(buf, len, &sel, &err))
		return 0;
	wlen = strcspn(buf + err.pos, " \t,=");
	if (!wlen)
		return usage_err("dev", "invalid selector \"%s\": %s", buf,
				 err.msg);
	return usage_err("dev", "invalid selector \"%s\": %s (at \"%.*s\")",
			 buf, err.msg, (int)wlen, buf + err.pos);
}

static int dev_help(struct hvctl_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("Usage: hvctl dev show [ SELECTOR ]\n"
	       "       hvctl [ --dry-run ] [ --force ] dev bind SELECTOR [ driver NAME ] [ nogroup ] [ persist ]\n"
	       "       hvctl [ --dry-run ] dev unbind SELECTOR [ nogroup ]\n"
	       "       hvctl dev rom SELECTOR [ -o FILE ]\n"
	       "       hvctl dev help\n"
	       "where  SELECTOR := { addr [DDDD:]BB:DD.F | [DDDD:]BB:DD.F |\n"
	       "                     id VVVV:DDDD[:SSSS:ssss] |\n"
	       "                     serial XX-XX-XX-XX-XX-XX-XX-XX | slot NAME }\n"
	       "\n"
	       "Without a selector, show every PCI device; with one, the devices it\n"
	       "selects (an id, serial or slot may select several).\n"
	       "\n"
	       "bind hands the device's whole IOMMU group (bridges stay) to vfio-pci,\n"
	       "or to NAME (vfio-pci or pci-stub), as one transaction: if any step\n"
	       "fails, every device goes back to its driver.  nogroup binds only the\n"
	       "device; its group is then not viable.  unbind gives the devices back\n"
	       "to the drivers they had and clears the override.  persist also writes\n"
	       "the claim into /etc/hvctl.conf (see \"hvctl boot help\").\n"
	       "\n"
	       "rom reads the expansion ROM of the one device SELECTOR selects (through\n"
	       "its sysfs rom file, as root), checks each image (55 AA signature, PCIR\n"
	       "structure, vendor and device id, legacy x86 checksum, EFI header) and\n"
	       "prints them; -o FILE saves the bytes as read.  Exit status 0: valid,\n"
	       "1: invalid (FILE is still written), 4: the ROM cannot be read.\n");
	return HVCTL_EXIT_OK;
}

static int dev_show(struct hvctl_ctx *ctx, int argc, char **argv)
{
	char sel[HVCTL_SELECTOR_MAX];
	struct dev_dump d = { .selector = argc ? sel : NULL };
	struct hvctl_req req = {
		.cmd = HVCTL_CMD_DEVICE_GET,
		.dump = true,
		.fill = dev_fill,
		.reply = dev_reply,
		.reset = dev_reset,
		.arg = &d,
	};
	int ret;

	if (argc && hvctl_is_help(argv[0]))
		return dev_help(ctx, argc, argv);
	if (argc) {
		ret = selector_arg(argc, argv, sel, sizeof(sel));
		if (ret)
			return ret;
	}
	ret = hvctl_connect(ctx);
	if (ret)
		return ret;
	ret = hvctl_nl_run(ctx->nl, &req);
	if (!ret && argc && !d.devs.n) {
		pr_err("no device matches \"%s\"", sel);
		ret = HVCTL_EXIT_NOTFOUND;
	}
	if (!ret)
		print_devs(ctx, &d.devs);
	hvctl_devs_free(&d.devs);
	return ret;
}

int cmd_dev(struct hvctl_ctx *ctx, int argc, char **argv)
{
	static const struct hvctl_cmd verbs[] = {
		{ "show", dev_show },
		{ "bind", hvctl_dev_bind },
		{ "unbind", hvctl_dev_unbind },
		{ "rom", hvctl_dev_rom },
		{ "help", dev_help },
	};

	if (!argc)
		return dev_show(ctx, 0, NULL);
	return hvctl_dispatch(ctx, verbs, ARRAY_SIZE(verbs), "dev", argc, argv);
}
