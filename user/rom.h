/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI expansion ROM images (PCI Firmware Specification 3.x, ch. 5): walk
 * the chain of images in a buffer and check each one.  Pure C over the
 * buffer, no I/O, so a host unit test (tests/unit/rom-test.c) runs it on
 * generated images; hvctl dev rom runs it on what the kernel returned.
 *
 * Every image starts with 0x55 0xAA; the 16-bit word at 0x18 points to
 * the PCI Data Structure ("PCIR"): vendor id +4, device id +6, device
 * list pointer +8 (revision 3), length +0x0a, revision +0x0c, class code
 * +0x0d, image length in 512-byte units +0x10, code type +0x14, indicator
 * +0x15 (bit 7: last image).  EFI images (code type 3) carry the EFI
 * signature 0x0EF1 at 0x04, the subsystem at 0x08, the machine type at
 * 0x0a and the compression type at 0x0c of the image.  The bytes of a
 * legacy x86 image (code type 0) add up to 0 modulo 256.
 */
#ifndef HVCTL_ROM_H
#define HVCTL_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More images than this is a broken chain, not a ROM. */
#define HVCTL_ROM_MAX_IMAGES 16

#define HVCTL_ROM_CODE_X86 0
#define HVCTL_ROM_CODE_OF 1
#define HVCTL_ROM_CODE_HPPA 2
#define HVCTL_ROM_CODE_EFI 3

/* What makes a ROM invalid; the walk stops at the first. */
enum hvctl_rom_err {
	HVCTL_ROM_OK,
	HVCTL_ROM_EMPTY, /* no bytes at all */
	HVCTL_ROM_NO_SIGNATURE, /* no 0x55 0xAA where an image starts */
	HVCTL_ROM_SHORT_HEADER, /* the header (0x1a bytes) does not fit */
	HVCTL_ROM_PCIR_RANGE, /* the PCIR pointer leaves the ROM */
	HVCTL_ROM_NO_PCIR, /* no "PCIR" signature where it points */
	HVCTL_ROM_ZERO_LENGTH, /* image length 0 */
	HVCTL_ROM_TRUNCATED, /* the image is longer than the rest of the ROM */
	HVCTL_ROM_PCIR_OUTSIDE, /* PCIR not inside its own image */
	HVCTL_ROM_CHECKSUM, /* legacy image whose bytes do not sum to 0 */
	HVCTL_ROM_EFI_SIGNATURE, /* code type EFI without 0x0EF1 */
	HVCTL_ROM_TOO_MANY, /* more than HVCTL_ROM_MAX_IMAGES images */
};

/* Findings that do not make the ROM invalid (bits of .warnings). */
enum hvctl_rom_warn {
	HVCTL_ROM_W_VENDOR = 1 << 0, /* PCIR vendor is not the device's */
	HVCTL_ROM_W_DEVICE = 1 << 1, /* device id neither in PCIR nor list */
	HVCTL_ROM_W_NO_LAST = 1 << 2, /* chain ends without the last bit */
	HVCTL_ROM_W_LIST_RANGE = 1 << 3, /* device list leaves the image */
};

enum hvctl_rom_sum {
	HVCTL_ROM_SUM_NA, /* not a legacy image: no checksum */
	HVCTL_ROM_SUM_OK,
	HVCTL_ROM_SUM_BAD,
};

/**
 * struct hvctl_rom_image - one image of the chain
 * @offset: where it starts in the ROM
 * @length: its length in bytes (PCIR image length x 512)
 * @pcir: offset of its PCIR structure, relative to @offset
 * @vendor: PCIR vendor id
 * @device: PCIR device id
 * @class: PCIR class code, 24 bits
 * @pcir_len: PCIR structure length
 * @pcir_rev: PCIR structure revision
 * @code_type: code type (HVCTL_ROM_CODE_*)
 * @last: the indicator's last-image bit
 * @in_list: @device differs but the device list (PCIR 3.0) names the device
 * @sum: checksum verdict; @sum_byte is the sum modulo 256
 * @sum_byte: sum of the image's bytes modulo 256 (legacy images)
 * @efi_subsystem: EFI subsystem (EFI images)
 * @efi_machine: EFI machine type (EFI images)
 * @efi_compression: EFI compression type (EFI images)
 * @warnings: HVCTL_ROM_W_* found in this image
 * @err: what is wrong with this image, HVCTL_ROM_OK when sound
 *
 * An image with an error is recorded when its PCIR could be read, so its
 * identity is known; fields past the error are 0.
 */
struct hvctl_rom_image {
	size_t offset;
	size_t length;
	uint16_t pcir;
	uint16_t vendor;
	uint16_t device;
	uint32_t class;
	uint16_t pcir_len;
	uint8_t pcir_rev;
	uint8_t code_type;
	bool last;
	bool in_list;
	enum hvctl_rom_sum sum;
	uint8_t sum_byte;
	uint16_t efi_subsystem;
	uint16_t efi_machine;
	uint16_t efi_compression;
	unsigned int warnings;
	enum hvctl_rom_err err;
};

/**
 * struct hvctl_rom_report - what hvctl_rom_check() found
 * @img: the images, in chain order
 * @n: number of @img
 * @err: first error, HVCTL_ROM_OK for a valid ROM
 * @err_offset: ROM offset the error is about
 * @err_image: index of the image the error is about
 * @warnings: HVCTL_ROM_W_* of all images and of the chain
 * @used: bytes the images cover (from 0 to the end of the last)
 */
struct hvctl_rom_report {
	struct hvctl_rom_image img[HVCTL_ROM_MAX_IMAGES];
	unsigned int n;
	enum hvctl_rom_err err;
	size_t err_offset;
	unsigned int err_image;
	unsigned int warnings;
	size_t used;
};

bool hvctl_rom_check(const uint8_t *buf, size_t len, uint16_t vendor,
		     uint16_t device, struct hvctl_rom_report *r);
const char *hvctl_rom_err_str(enum hvctl_rom_err err);
const char *hvctl_rom_code_str(uint8_t code_type);

#endif /* HVCTL_ROM_H */
