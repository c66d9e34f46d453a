// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl dev rom SELECTOR [ -o FILE ]: read a device's expansion ROM the
 * way the kernel offers it (the sysfs "rom" attribute: write "1" to allow
 * reads, read, write "0" to stop allowing them), check its images
 * (rom.c) and print what they are; with -o, save the bytes as read.
 *
 * Works without the module: the device comes from sysfs (sysdev.c).
 *
 * Exit status: 0 valid ROM, 1 invalid ROM (the file is still written),
 * 3 no device matches, 4 the ROM cannot be read (no ROM BAR, the kernel
 * cannot read it, not root), 2 usage, 1 when FILE cannot be written.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/hvctl.h>

#include "dev.h"
#include "hvctl.h"
#include "print.h"
#include "rom.h"
#include "selector.h"
#include "sysdev.h"

#define SYS_PCI "/sys/bus/pci/devices"
/* The largest ROM BAR is 16 MiB (PCI: bits 31..11 of the ROM BAR). */
#define ROM_MAX (16u << 20)

struct rom_buf {
	uint8_t *data;
	size_t len;
};

/* Write the whole string to the attribute open as @fd. */
static int write_ctl(int fd, const char *s)
{
	size_t len = strlen(s);

	if (pwrite(fd, s, len, 0) != (ssize_t)len)
		return -errno ?: -EIO;
	return 0;
}

/* pread until end of file or @max bytes; -errno on a read error. */
static int read_all(int fd, size_t hint, struct rom_buf *rom)
{
	size_t cap = hint ? hint : 64 << 10;
	uint8_t *p;
	ssize_t n;

	if (cap > ROM_MAX)
		cap = ROM_MAX;
	rom->data = malloc(cap);
	if (!rom->data)
		return -ENOMEM;
	for (;;) {
		if (rom->len == cap) {
			if (cap >= ROM_MAX)
				return -EFBIG;
			cap *= 2;
			p = realloc(rom->data, cap);
			if (!p)
				return -ENOMEM;
			rom->data = p;
		}
		n = pread(fd, rom->data + rom->len, cap - rom->len, rom->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return 0;
		rom->len += n;
	}
}

/*
 * The ROM of @addr into @rom.  The attribute is switched off again
 * whatever happened after it was switched on.  Prints why on failure.
 */
static int read_rom(const char *addr, struct rom_buf *rom)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, err, off_err;

	snprintf(path, sizeof(path), SYS_PCI "/%s/rom", addr);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			pr_err("%s has no expansion ROM (no ROM BAR: no %s)",
			       addr, path);
		else if (err == EACCES || err == EPERM)
			pr_err("reading the ROM of %s needs root (%s: %s)",
			       addr, path, strerror(err));
		else
			pr_err("cannot open %s: %s", path, strerror(err));
		return HVCTL_EXIT_REFUSED;
	}
	if (fstat(fd, &st))
		st.st_size = 0;

	/*
	 * "1\n" and "0\n": 6.1 parses a boolean (kstrtobool); older kernels
	 * took exactly the two bytes "0\n" as off and anything else as on.
	 */
	err = write_ctl(fd, "1\n");
	if (err) {
		pr_err("cannot enable reading the ROM of %s (%s): %s", addr,
		       path, strerror(-err));
		close(fd);
		return HVCTL_EXIT_REFUSED;
	}
	err = read_all(fd, st.st_size > 0 ? (size_t)st.st_size : 0, rom);
	off_err = write_ctl(fd, "0\n");
	close(fd);
	if (off_err)
		fprintf(stderr,
			"Warning: cannot disable reading the ROM again (%s): %s.\n",
			path, strerror(-off_err));

	if (err == -EIO) {
		pr_err("the kernel cannot read the ROM of %s (EIO): no valid "
		       "ROM signature at its start, or the ROM is not "
		       "accessible (shadowed, or hidden by the bound driver)",
		       addr);
		return HVCTL_EXIT_REFUSED;
	}
	if (err) {
		pr_err("cannot read %s: %s", path, strerror(-err));
		return err == -ENOMEM ? HVCTL_EXIT_FAIL : HVCTL_EXIT_REFUSED;
	}
	if (!rom->len) {
		pr_err("the ROM of %s is not readable: the kernel returned 0 "
		       "bytes",
		       addr);
		return HVCTL_EXIT_REFUSED;
	}
	return HVCTL_EXIT_OK;
}

static int write_file(const char *file, const struct rom_buf *rom)
{
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		pr_err("cannot create %s: %s", file, strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	while (done < rom->len) {
		n = write(fd, rom->data + done, rom->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pr_err("cannot write %s: %s", file,
			       n < 0 ? strerror(errno) : "short write");
			close(fd);
			return HVCTL_EXIT_FAIL;
		}
		done += n;
	}
	if (close(fd)) {
		pr_err("cannot write %s: %s", file, strerror(errno));
		return HVCTL_EXIT_FAIL;
	}
	return HVCTL_EXIT_OK;
}

static const char *efi_subsystem_str(uint16_t s)
{
	switch (s) {
	case 10:
		return "application";
	case 11:
		return "boot service driver";
	case 12:
		return "runtime driver";
	}
	return "unknown";
}

static const char *efi_machine_str(uint16_t m)
{
	switch (m) {
	case 0x014c:
		return "ia32";
	case 0x0200:
		return "ia64";
	case 0x0ebc:
		return "ebc";
	case 0x8664:
		return "x64";
	case 0x01c2:
		return "arm";
	case 0xaa64:
		return "aarch64";
	case 0x5064:
		return "riscv64";
	}
	return "unknown";
}

static void print_hex(const char *key, const char *fmt, unsigned int width,
		      unsigned int val)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "%0*x", width, val);
	print_str(PRINT_ANY, key, fmt, hex);
}

static void print_efi(const struct hvctl_rom_image *img)
{
	open_obj("efi");
	print_uint(PRINT_JSON, "subsystem", NULL, img->efi_subsystem);
	print_str(PRINT_JSON, "subsystem_name", NULL,
		  efi_subsystem_str(img->efi_subsystem));
	print_text("  efi subsystem %u (%s)", img->efi_subsystem,
		   efi_subsystem_str(img->efi_subsystem));
	print_hex("machine", "  machine 0x%s", 4, img->efi_machine);
	print_str(PRINT_ANY, "machine_name", " (%s)",
		  efi_machine_str(img->efi_machine));
	print_uint(PRINT_ANY, "compression", "  compression %llu",
		   img->efi_compression);
	close_obj();
}

/* "image 0  offset 0x00000  length 75264  x86  8086:100e  checksum ok" */
static void print_image(unsigned int i, const struct hvctl_rom_image *img)
{
	static const char *const sums[] = {
		[HVCTL_ROM_SUM_NA] = "n/a",
		[HVCTL_ROM_SUM_OK] = "ok",
		[HVCTL_ROM_SUM_BAD] = "bad",
	};

	open_obj(NULL);
	print_uint(PRINT_ANY, "index", "image %llu", i);
	print_uint(PRINT_JSON, "offset", NULL, img->offset);
	print_text("  offset 0x%05zx", img->offset);
	print_uint(PRINT_ANY, "length", "  length %llu", img->length);
	print_uint(PRINT_JSON, "code_type", NULL, img->code_type);
	print_str(PRINT_ANY, "code", "  %s",
		  hvctl_rom_code_str(img->code_type));
	print_hex("vendor", "  %s", 4, img->vendor);
	print_hex("device", ":%s", 4, img->device);
	print_bool(PRINT_JSON, "vendor_match", NULL,
		   !(img->warnings & HVCTL_ROM_W_VENDOR));
	print_bool(PRINT_JSON, "device_match", NULL,
		   !(img->warnings & HVCTL_ROM_W_DEVICE));
	print_bool(PRINT_ANY, "in_device_list", " (in device list)",
		   img->in_list);
	print_hex("class", NULL, 6, img->class);
	print_uint(PRINT_JSON, "pcir_revision", NULL, img->pcir_rev);
	if (img->sum == HVCTL_ROM_SUM_NA)
		print_null(PRINT_ANY, "checksum", "  checksum n/a");
	else
		print_str(PRINT_ANY, "checksum", "  checksum %s",
			  sums[img->sum]);
	if (img->code_type == HVCTL_ROM_CODE_EFI && !img->err)
		print_efi(img);
	else
		print_null(PRINT_JSON, "efi", NULL);
	print_bool(PRINT_ANY, "last", "  last", img->last);
	if (img->err)
		print_str(PRINT_ANY, "error", "  error: %s",
			  hvctl_rom_err_str(img->err));
	else
		print_null(PRINT_JSON, "error", NULL);
	print_text("\n");
	close_obj();
}

/* The warnings as sentences, in text after the images, in JSON an array. */
static void print_warnings(const struct hvctl_sysdev *d,
			   const struct hvctl_rom_report *r)
{
	char msg[160];
	unsigned int i;

	open_arr("warnings");
	for (i = 0; i < r->n; i++) {
		const struct hvctl_rom_image *img = &r->img[i];

		if (img->warnings & HVCTL_ROM_W_VENDOR) {
			snprintf(
				msg, sizeof(msg),
				"image %u: vendor %04x is not the device's %04x",
				i, img->vendor, d->key.vendor);
			print_str(PRINT_ANY, NULL, "warning: %s\n", msg);
		}
		if (img->warnings & HVCTL_ROM_W_DEVICE) {
			snprintf(
				msg, sizeof(msg),
				"image %u: device id %04x is not the device's %04x%s",
				i, img->device, d->key.device,
				img->pcir_rev >= 3 ? " nor in its device list" :
						     "");
			print_str(PRINT_ANY, NULL, "warning: %s\n", msg);
		}
		if (img->warnings & HVCTL_ROM_W_LIST_RANGE) {
			snprintf(
				msg, sizeof(msg),
				"image %u: the device list runs out of the image",
				i);
			print_str(PRINT_ANY, NULL, "warning: %s\n", msg);
		}
	}
	if (r->warnings & HVCTL_ROM_W_NO_LAST)
		print_str(PRINT_ANY, NULL, "warning: %s\n",
			  "the image chain ends without the last-image bit");
	close_arr();
}

static void print_report(const struct hvctl_sysdev *d,
			 const struct rom_buf *rom, const char *file,
			 const struct hvctl_rom_report *r)
{
	char why[256];
	unsigned int i;

	open_obj(NULL);
	print_str(PRINT_ANY, "address", "%s: ", d->addr);
	print_uint(PRINT_ANY, "size", "ROM of %llu bytes", rom->len);
	print_hex("vendor", " for device %s", 4, d->key.vendor);
	print_hex("device", ":%s", 4, d->key.device);
	print_uint(PRINT_ANY, "used", ", images cover %llu", r->used);
	print_str(PRINT_ANY, "file", ", written to %s", file);
	print_text("\n");
	open_arr("images");
	for (i = 0; i < r->n; i++)
		print_image(i, &r->img[i]);
	close_arr();
	print_warnings(d, r);
	print_bool(PRINT_JSON, "valid", NULL, !r->err);
	if (!r->err) {
		print_null(PRINT_JSON, "error", NULL);
		print_text("valid: %u image%s%s\n", r->n, r->n == 1 ? "" : "s",
			   r->warnings ? ", with warnings" : "");
	} else {
		snprintf(why, sizeof(why), "image %u at offset 0x%zx: %s",
			 r->err_image, r->err_offset,
			 hvctl_rom_err_str(r->err));
		print_str(PRINT_ANY, "error", "invalid: %s\n", why);
	}
	close_obj();
}

/* The one device the selector in @sel matches, or an exit status. */
static int find_device(const char *sel_text, struct hvctl_sysdevs *devs,
		       const struct hvctl_sysdev **found)
{
	struct hvctl_selector sel;
	struct hvctl_parse_err perr;
	size_t i, n = 0;
	int err;

	if (hvctl_selector_parse(sel_text, strlen(sel_text), &sel, &perr))
		return usage_err("dev", "invalid selector \"%s\": %s", sel_text,
				 perr.msg);
	err = hvctl_sysdevs_read(devs);
	if (err) {
		pr_err("cannot list the PCI devices: %s", strerror(-err));
		return HVCTL_EXIT_FAIL;
	}
	for (i = 0; i < devs->n; i++) {
		if (!hvctl_selector_match(&sel, &devs->v[i].key))
			continue;
		if (!n++)
			*found = &devs->v[i];
	}
	if (!n) {
		pr_err("no device matches \"%s\"", sel_text);
		return HVCTL_EXIT_NOTFOUND;
	}
	if (n > 1)
		return usage_err("dev",
				 "\"%s\" selects %zu devices; a ROM is read "
				 "from one: select it by address",
				 sel_text, n);
	return HVCTL_EXIT_OK;
}

/* Split "SELECTOR... [-o FILE]" into the selector text and FILE. */
static int parse_args(int argc, char **argv, char *sel, size_t size,
		      const char **file)
{
	size_t len = 0, wlen;
	int i;

	*file = NULL;
	sel[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o")) {
			if (i + 1 == argc)
				return usage_err("dev", "-o needs a FILE");
			if (*file)
				return usage_err("dev", "-o given twice");
			*file = argv[++i];
			continue;
		}
		wlen = strlen(argv[i]);
		if (len + !!len + wlen >= size)
			return usage_err("dev", "selector too long");
		len += sprintf(sel + len, "%s%s", len ? " " : "", argv[i]);
	}
	if (!len)
		return usage_err("dev", "dev rom needs a SELECTOR");
	return HVCTL_EXIT_OK;
}

int hvctl_dev_rom(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_sysdevs devs = {};
	const struct hvctl_sysdev *d = NULL;
	struct hvctl_rom_report *r = NULL;
	struct rom_buf rom = {};
	char sel[HVCTL_SELECTOR_MAX];
	const char *file;
	int ret;

	if (argc && hvctl_is_help(argv[0])) {
		char *help[] = { "help" };

		return cmd_dev(ctx, 1, help);
	}
	ret = parse_args(argc, argv, sel, sizeof(sel), &file);
	if (ret)
		return ret;
	ret = find_device(sel, &devs, &d);
	if (ret)
		goto out;
	ret = read_rom(d->addr, &rom);
	if (ret)
		goto out;
	if (file) {
		ret = write_file(file, &rom);
		if (ret)
			goto out;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		pr_err("out of memory");
		ret = HVCTL_EXIT_FAIL;
		goto out;
	}
	ret = hvctl_rom_check(rom.data, rom.len, d->key.vendor, d->key.device,
			      r) ?
		      HVCTL_EXIT_OK :
		      HVCTL_EXIT_FAIL;
	print_report(d, &rom, file, r);
out:
	free(r);
	free(rom.data);
	hvctl_sysdevs_free(&devs);
	return ret;
}
