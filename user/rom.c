// SPDX-License-Identifier: GPL-2.0-only
/*
 * Walk and check the images of a PCI expansion ROM (see rom.h).  Every
 * read is bounds-checked against the buffer first: a truncated or
 * corrupted ROM ends the walk with an error, never a read past the end.
 * Offsets are compared as "need <= len - off" with off <= len known, so
 * no sum can wrap.
 */
#include <string.h>

#include "rom.h"

#define ROM_SIG 0xaa55
#define ROM_PCIR_PTR 0x18
#define ROM_HDR_LEN 0x1a /* up to and with the PCIR pointer */
#define ROM_EFI_SIG 0x0ef1

#define PCIR_VENDOR 0x04
#define PCIR_DEVICE 0x06
#define PCIR_DEVLIST 0x08
#define PCIR_LEN 0x0a
#define PCIR_REV 0x0c
#define PCIR_CLASS 0x0d
#define PCIR_IMG_LEN 0x10
#define PCIR_CODE_TYPE 0x14
#define PCIR_INDICATOR 0x15
#define PCIR_MIN_LEN 0x18 /* revision 0 (PCI 2.x) structures */
#define PCIR_LAST 0x80

#define EFI_SIGNATURE 0x04
#define EFI_SUBSYSTEM 0x08
#define EFI_MACHINE 0x0a
#define EFI_COMPRESSION 0x0c

/* A device list longer than this is garbage, not a list. */
#define ROM_DEVLIST_MAX 256

static uint16_t rd16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

/*
 * Does the PCI 3.0 device list of @img name @device?  @buf/@end bound the
 * image; a list that runs out of it is flagged.
 */
static bool in_device_list(const uint8_t *buf, size_t end,
			   struct hvctl_rom_image *img, uint16_t device)
{
	size_t pos, ptr;
	unsigned int i;
	uint16_t id;

	if (img->pcir_rev < 3)
		return false;
	ptr = rd16(buf + img->offset + img->pcir + PCIR_DEVLIST);
	if (!ptr)
		return false;
	pos = img->offset + img->pcir + ptr;
	for (i = 0; i < ROM_DEVLIST_MAX; i++, pos += 2) {
		if (pos > end || end - pos < 2) {
			img->warnings |= HVCTL_ROM_W_LIST_RANGE;
			return false;
		}
		id = rd16(buf + pos);
		if (!id)
			return false;
		if (id == device)
			return true;
	}
	img->warnings |= HVCTL_ROM_W_LIST_RANGE;
	return false;
}

/* The checks of an image whose whole length is in the buffer. */
static void check_image(const uint8_t *buf, struct hvctl_rom_image *img,
			uint16_t vendor, uint16_t device)
{
	const uint8_t *p = buf + img->offset;
	unsigned int sum = 0;
	size_t i;

	if (img->vendor != vendor)
		img->warnings |= HVCTL_ROM_W_VENDOR;
	if (img->device != device) {
		img->in_list = in_device_list(buf, img->offset + img->length,
					      img, device);
		if (!img->in_list)
			img->warnings |= HVCTL_ROM_W_DEVICE;
	}

	if (img->code_type == HVCTL_ROM_CODE_X86) {
		for (i = 0; i < img->length; i++)
			sum += p[i];
		img->sum_byte = sum & 0xff;
		img->sum = img->sum_byte ? HVCTL_ROM_SUM_BAD : HVCTL_ROM_SUM_OK;
		if (img->sum == HVCTL_ROM_SUM_BAD)
			img->err = HVCTL_ROM_CHECKSUM;
	} else if (img->code_type == HVCTL_ROM_CODE_EFI) {
		/* ROM_HDR_LEN covers the EFI fields. */
		if (rd32(p + EFI_SIGNATURE) != ROM_EFI_SIG)
			img->err = HVCTL_ROM_EFI_SIGNATURE;
		img->efi_subsystem = rd16(p + EFI_SUBSYSTEM);
		img->efi_machine = rd16(p + EFI_MACHINE);
		img->efi_compression = rd16(p + EFI_COMPRESSION);
	}
}

static void fail(struct hvctl_rom_report *r, enum hvctl_rom_err err, size_t off,
		 unsigned int image)
{
	if (r->err != HVCTL_ROM_OK)
		return;
	r->err = err;
	r->err_offset = off;
	r->err_image = image;
}

/*
 * Read the image at @off into a new entry of @r.  Return false when the
 * walk cannot go on (the error is in @r).
 */
static bool read_image(const uint8_t *buf, size_t len, size_t off,
		       uint16_t vendor, uint16_t device,
		       struct hvctl_rom_report *r)
{
	struct hvctl_rom_image *img;
	const uint8_t *p;
	size_t pcir;

	if (len - off < ROM_HDR_LEN) {
		fail(r, HVCTL_ROM_SHORT_HEADER, off, r->n);
		return false;
	}
	pcir = rd16(buf + off + ROM_PCIR_PTR);
	if (pcir > len - off || len - off - pcir < PCIR_MIN_LEN) {
		fail(r, HVCTL_ROM_PCIR_RANGE, off + ROM_PCIR_PTR, r->n);
		return false;
	}
	p = buf + off + pcir;
	if (memcmp(p, "PCIR", 4)) {
		fail(r, HVCTL_ROM_NO_PCIR, off + pcir, r->n);
		return false;
	}

	img = &r->img[r->n++];
	memset(img, 0, sizeof(*img));
	img->offset = off;
	img->pcir = pcir;
	img->vendor = rd16(p + PCIR_VENDOR);
	img->device = rd16(p + PCIR_DEVICE);
	img->pcir_len = rd16(p + PCIR_LEN);
	img->pcir_rev = p[PCIR_REV];
	img->class = p[PCIR_CLASS] | p[PCIR_CLASS + 1] << 8 |
		     (uint32_t)p[PCIR_CLASS + 2] << 16;
	img->length = (size_t)rd16(p + PCIR_IMG_LEN) * 512;
	img->code_type = p[PCIR_CODE_TYPE];
	img->last = p[PCIR_INDICATOR] & PCIR_LAST;

	if (!img->length)
		img->err = HVCTL_ROM_ZERO_LENGTH;
	else if (img->length > len - off)
		img->err = HVCTL_ROM_TRUNCATED;
	else if (pcir + PCIR_MIN_LEN > img->length)
		img->err = HVCTL_ROM_PCIR_OUTSIDE;
	if (img->err) {
		fail(r, img->err, off, r->n - 1);
		return false;
	}

	check_image(buf, img, vendor, device);
	r->warnings |= img->warnings;
	if (img->err)
		fail(r, img->err, off, r->n - 1);
	r->used = off + img->length;
	return true;
}

/**
 * hvctl_rom_check() - walk and check the images of a ROM
 * @buf: the ROM as read
 * @len: its length
 * @vendor: the device's vendor id, compared with each image's
 * @device: the device's device id, compared with each image's (and with
 *	    the device list of PCI 3.0 images)
 * @r: the findings
 *
 * The walk stops at the last-image bit, at the end of the buffer or at
 * the first structural error (no signature, a pointer or length out of
 * the buffer); a bad checksum or EFI signature is recorded and the walk
 * goes on.  Identity mismatches and a chain without its last-image bit
 * are warnings.
 *
 * Return: true when the ROM is valid (@r->err is HVCTL_ROM_OK).
 */
bool hvctl_rom_check(const uint8_t *buf, size_t len, uint16_t vendor,
		     uint16_t device, struct hvctl_rom_report *r)
{
	size_t off = 0;

	memset(r, 0, sizeof(*r));
	if (!len) {
		fail(r, HVCTL_ROM_EMPTY, 0, 0);
		return false;
	}
	for (;;) {
		if (len - off < 2 || rd16(buf + off) != ROM_SIG) {
			if (!r->n)
				fail(r, HVCTL_ROM_NO_SIGNATURE, off, 0);
			else
				r->warnings |= HVCTL_ROM_W_NO_LAST;
			break;
		}
		if (r->n == HVCTL_ROM_MAX_IMAGES) {
			fail(r, HVCTL_ROM_TOO_MANY, off, r->n);
			break;
		}
		if (!read_image(buf, len, off, vendor, device, r))
			break;
		if (r->img[r->n - 1].last)
			break;
		off += r->img[r->n - 1].length;
	}
	return r->err == HVCTL_ROM_OK;
}

const char *hvctl_rom_err_str(enum hvctl_rom_err err)
{
	switch (err) {
	case HVCTL_ROM_OK:
		return "valid";
	case HVCTL_ROM_EMPTY:
		return "the ROM is empty";
	case HVCTL_ROM_NO_SIGNATURE:
		return "no ROM signature 55 AA";
	case HVCTL_ROM_SHORT_HEADER:
		return "the ROM header is cut off";
	case HVCTL_ROM_PCIR_RANGE:
		return "the PCI data structure pointer points past the end of the ROM";
	case HVCTL_ROM_NO_PCIR:
		return "no \"PCIR\" signature at the PCI data structure pointer";
	case HVCTL_ROM_ZERO_LENGTH:
		return "image length 0";
	case HVCTL_ROM_TRUNCATED:
		return "the image is longer than the ROM (truncated)";
	case HVCTL_ROM_PCIR_OUTSIDE:
		return "the PCI data structure lies outside its image";
	case HVCTL_ROM_CHECKSUM:
		return "the checksum of the legacy image is bad";
	case HVCTL_ROM_EFI_SIGNATURE:
		return "EFI image without the EFI signature 0x0EF1";
	case HVCTL_ROM_TOO_MANY:
		return "too many images";
	}
	return "unknown error";
}

const char *hvctl_rom_code_str(uint8_t code_type)
{
	switch (code_type) {
	case HVCTL_ROM_CODE_X86:
		return "x86";
	case HVCTL_ROM_CODE_OF:
		return "openfirmware";
	case HVCTL_ROM_CODE_HPPA:
		return "hppa";
	case HVCTL_ROM_CODE_EFI:
		return "efi";
	}
	return "other";
}
