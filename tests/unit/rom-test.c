// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of the expansion ROM checker (user/rom.c) on ROM images built
 * here byte by byte from the PCI Firmware Specification's layout, not
 * with rom.c's own definitions: valid legacy, bad checksum, legacy + EFI,
 * truncated, PCIR pointer out of bounds, wrong vendor/device, device
 * lists, no 55 AA, and every prefix of a valid ROM.  Each ROM lives in a
 * heap block of exactly its size, and the Makefile builds this with
 * AddressSanitizer: a read out of the buffer aborts the test.
 * Prints one line per check and "N passed, N failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rom.h"

#define VENDOR 0x8086
#define DEVICE 0x100e
#define BLK 512

static int passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
		printf("ok   %s\n", what);
	} else {
		failed++;
		printf("FAIL %s\n", what);
	}
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

struct img_spec {
	unsigned int blocks; /* image length in 512-byte units */
	uint8_t code; /* 0 x86, 3 EFI */
	uint16_t vendor, device;
	int last;
	unsigned int pcir; /* PCIR offset in the image */
	uint8_t pcir_rev;
	const uint16_t *list; /* device list (0-terminated), PCIR rev 3 */
};

/*
 * Lay an image out at @p: 55 AA, the PCIR pointer at 0x18, the PCIR
 * structure, filler bytes, and for x86 the last byte set so all bytes
 * sum to 0; for EFI the EFI header (signature, subsystem 11, machine
 * x64, uncompressed).
 */
static void build_image(uint8_t *p, const struct img_spec *s)
{
	size_t len = (size_t)s->blocks * BLK, i;
	unsigned int pcir = s->pcir ? s->pcir : 0x1c, sum = 0;
	uint8_t *r = p + pcir;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	p[0] = 0x55;
	p[1] = 0xaa;
	p[2] = s->blocks; /* legacy: initialization size */
	if (s->code == 3) {
		put16(p + 2, s->blocks);
		put32(p + 0x04, 0x0ef1);
		put16(p + 0x08, 11);
		put16(p + 0x0a, 0x8664);
		put16(p + 0x0c, 0);
	}
	put16(p + 0x18, pcir);
	memcpy(r, "PCIR", 4);
	put16(r + 4, s->vendor);
	put16(r + 6, s->device);
	put16(r + 8, 0);
	put16(r + 0x0a, s->pcir_rev >= 3 ? 0x1c : 0x18);
	r[0x0c] = s->pcir_rev;
	r[0x0d] = 0x00; /* class 020000: Ethernet */
	r[0x0e] = 0x00;
	r[0x0f] = 0x02;
	put16(r + 0x10, s->blocks);
	put16(r + 0x12, 1);
	r[0x14] = s->code;
	r[0x15] = s->last ? 0x80 : 0;
	put16(r + 0x16, 0);
	if (s->list) {
		/* The list right after the 0x1c-byte structure. */
		put16(r + 8, 0x1c);
		for (i = 0; s->list[i]; i++)
			put16(r + 0x1c + 2 * i, s->list[i]);
		put16(r + 0x1c + 2 * i, 0);
	}
	if (s->code == 0) {
		for (i = 0; i < len - 1; i++)
			sum += p[i];
		p[len - 1] = (uint8_t)(0x100 - (sum & 0xff));
	}
}

/* A heap block of exactly @len bytes: ASan sees any read past it. */
static uint8_t *rom_alloc(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	return p;
}

/* Images @specs back to back, in a block of their total size. */
static uint8_t *build_rom(const struct img_spec *specs, unsigned int n,
			  size_t *len)
{
	size_t off = 0;
	unsigned int i;
	uint8_t *p;

	*len = 0;
	for (i = 0; i < n; i++)
		*len += (size_t)specs[i].blocks * BLK;
	p = rom_alloc(*len);
	for (i = 0; i < n; i++) {
		build_image(p + off, &specs[i]);
		off += (size_t)specs[i].blocks * BLK;
	}
	return p;
}

/* A copy of the first @len bytes of @src in a block of exactly @len. */
static uint8_t *prefix(const uint8_t *src, size_t len)
{
	uint8_t *p = rom_alloc(len);

	memcpy(p, src, len);
	return p;
}

static const struct img_spec legacy = {
	.blocks = 4,
	.code = 0,
	.vendor = VENDOR,
	.device = DEVICE,
	.last = 1,
};

static struct hvctl_rom_report rep;

static void test_valid_legacy(void)
{
	size_t len;
	uint8_t *rom = build_rom(&legacy, 1, &len);
	bool ok = hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep);

	check(ok && rep.err == HVCTL_ROM_OK, "legacy: valid");
	check(rep.n == 1, "legacy: one image");
	check(rep.img[0].offset == 0 && rep.img[0].length == 4 * BLK,
	      "legacy: offset 0, length 2048");
	check(rep.img[0].code_type == 0 && rep.img[0].last,
	      "legacy: code type x86, last image");
	check(rep.img[0].sum == HVCTL_ROM_SUM_OK && rep.img[0].sum_byte == 0,
	      "legacy: checksum ok");
	check(rep.img[0].vendor == VENDOR && rep.img[0].device == DEVICE,
	      "legacy: PCIR ids");
	check(rep.img[0].class == 0x020000, "legacy: PCIR class code");
	check(!rep.warnings && rep.used == len,
	      "legacy: no warnings, all used");
	free(rom);
}

static void test_bad_checksum(void)
{
	size_t len;
	uint8_t *rom = build_rom(&legacy, 1, &len);

	rom[0x400] ^= 0x01; /* one bit inside the image */
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep),
	      "bad checksum: invalid");
	check(rep.err == HVCTL_ROM_CHECKSUM && rep.err_image == 0,
	      "bad checksum: the error is the checksum of image 0");
	check(rep.n == 1 && rep.img[0].sum == HVCTL_ROM_SUM_BAD &&
		      rep.img[0].sum_byte != 0,
	      "bad checksum: image 0 checksum bad");
	free(rom);
}

static void test_legacy_efi(void)
{
	struct img_spec s[2] = { legacy, legacy };
	size_t len;
	uint8_t *rom;

	s[0].last = 0;
	s[1].code = 3;
	s[1].blocks = 6;
	rom = build_rom(s, 2, &len);
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep),
	      "legacy+EFI: valid");
	check(rep.n == 2, "legacy+EFI: two images");
	check(!rep.img[0].last && rep.img[1].last,
	      "legacy+EFI: last-image bit on the second only");
	check(rep.img[1].offset == 4 * BLK && rep.img[1].length == 6 * BLK,
	      "legacy+EFI: second image at 2048, 3072 bytes");
	check(rep.img[1].code_type == 3 && rep.img[1].sum == HVCTL_ROM_SUM_NA,
	      "legacy+EFI: EFI code type, no checksum");
	check(rep.img[1].efi_subsystem == 11 &&
		      rep.img[1].efi_machine == 0x8664 &&
		      rep.img[1].efi_compression == 0,
	      "legacy+EFI: EFI subsystem 11, machine 0x8664, uncompressed");
	check(rep.used == len, "legacy+EFI: images cover the ROM");

	/* Without the last bit the chain runs to the end: a warning. */
	rom[4 * BLK + 0x1c + 0x15] = 0;
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.warnings == HVCTL_ROM_W_NO_LAST,
	      "legacy+EFI without last bit: valid, warning");
	rom[4 * BLK + 0x1c + 0x15] = 0x80;

	/* A broken EFI signature. */
	rom[4 * BLK + 4] = 0;
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_EFI_SIGNATURE && rep.err_image == 1,
	      "EFI image without 0x0EF1: invalid");
	rom[4 * BLK + 4] = 0xf1;

	/* A bad checksum in image 0 does not stop the walk. */
	rom[0x100] ^= 0x80;
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_CHECKSUM && rep.n == 2,
	      "bad checksum in image 0: invalid, image 1 still read");
	free(rom);
}

static void test_truncated(void)
{
	struct img_spec s[2] = { legacy, legacy };
	size_t len, cut, bad = 0, boundary_ok = 0;
	uint8_t *rom, *p;
	bool ok;

	/* The image claims 4 blocks; the ROM holds 3. */
	rom = build_rom(&legacy, 1, &len);
	p = prefix(rom, 3 * BLK);
	check(!hvctl_rom_check(p, 3 * BLK, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_TRUNCATED,
	      "truncated: image longer than the ROM");
	free(p);
	free(rom);

	/*
	 * Every prefix of a legacy + EFI ROM: never a read out of the
	 * buffer; valid only when it ends right after the first image
	 * (then the chain ends without its last bit; one more byte cannot
	 * hold a signature, so 2049 ends it too, as the kernel's walk does).
	 */
	s[0].last = 0;
	s[1].code = 3;
	rom = build_rom(s, 2, &len);
	for (cut = 0; cut < len; cut++) {
		p = prefix(rom, cut);
		ok = hvctl_rom_check(p, cut, VENDOR, DEVICE, &rep);
		if (ok && (cut == 4 * BLK || cut == 4 * BLK + 1) &&
		    rep.warnings & HVCTL_ROM_W_NO_LAST)
			boundary_ok++;
		else if (ok && ++bad)
			printf("     prefix of %zu bytes: valid\n", cut);
		free(p);
	}
	check(!bad && boundary_ok == 2,
	      "every prefix: invalid except at the image boundary");
	free(rom);
}

static void test_pcir_range(void)
{
	size_t len;
	uint8_t *rom = build_rom(&legacy, 1, &len);

	put16(rom + 0x18, 0xfff0);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_PCIR_RANGE && rep.n == 0,
	      "PCIR pointer past the end: invalid");
	/* Inside the buffer, but the structure would run past its end. */
	put16(rom + 0x18, len - 8);
	memcpy(rom + len - 8, "PCIR", 4);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_PCIR_RANGE,
	      "PCIR structure straddling the end: invalid");
	/* In range, no "PCIR" there. */
	put16(rom + 0x18, 0x40);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_NO_PCIR,
	      "no PCIR signature: invalid");
	free(rom);
}

static void test_ids(void)
{
	static const uint16_t list_with[] = { 0x1234, DEVICE, 0 };
	static const uint16_t list_without[] = { 0x1234, 0x5678, 0 };
	struct img_spec s = legacy;
	size_t len;
	uint8_t *rom;

	s.vendor = 0x10ec;
	rom = build_rom(&s, 1, &len);
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.warnings == HVCTL_ROM_W_VENDOR,
	      "wrong vendor: a warning, not invalid");
	free(rom);

	s = legacy;
	s.device = 0x10d3;
	rom = build_rom(&s, 1, &len);
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.warnings == HVCTL_ROM_W_DEVICE,
	      "wrong device id, no list: a warning");
	free(rom);

	s.pcir_rev = 3;
	s.list = list_with;
	rom = build_rom(&s, 1, &len);
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      !rep.warnings && rep.img[0].in_list,
	      "other device id, device in the PCI 3.0 device list: no warning");
	free(rom);

	s.list = list_without;
	rom = build_rom(&s, 1, &len);
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.warnings == HVCTL_ROM_W_DEVICE && !rep.img[0].in_list,
	      "other device id, not in the device list: a warning");
	/* A list pointer out of the image: a warning, no read past it. */
	put16(rom + 0x1c + 8, 0xfff0);
	rom[len - 1] -= (0xf0 - 0x1c) + (0xff - 0x00); /* keep the checksum */
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.warnings ==
			      (HVCTL_ROM_W_DEVICE | HVCTL_ROM_W_LIST_RANGE),
	      "device list pointer out of the image: warnings");
	free(rom);
}

static void test_no_signature(void)
{
	size_t len;
	uint8_t *rom = build_rom(&legacy, 1, &len);

	rom[1] = 0xab;
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_NO_SIGNATURE && rep.n == 0,
	      "no 55 AA: invalid");
	memset(rom, 0xff, len);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_NO_SIGNATURE,
	      "all 0xff: invalid");
	check(!hvctl_rom_check(rom, 0, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_EMPTY,
	      "0 bytes: invalid");
	free(rom);

	rom = prefix((const uint8_t *)"\x55\xaa\x04", 3);
	check(!hvctl_rom_check(rom, 3, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_SHORT_HEADER,
	      "3 bytes 55 AA 04: header cut off");
	free(rom);
}

static void test_lengths(void)
{
	struct img_spec s[HVCTL_ROM_MAX_IMAGES + 1];
	unsigned int i;
	size_t len;
	uint8_t *rom;

	rom = build_rom(&legacy, 1, &len);
	put16(rom + 0x1c + 0x10, 0);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_ZERO_LENGTH,
	      "image length 0: invalid");
	free(rom);

	/*
	 * A 1-block image whose PCIR starts at 0x1f0: the structure is in
	 * the buffer (the ROM has 3 blocks) but runs out of its image.
	 */
	s[0] = legacy;
	s[0].blocks = 3;
	rom = build_rom(s, 1, &len);
	put16(rom + 0x18, 0x1f0);
	memcpy(rom + 0x1f0, "PCIR", 4);
	put16(rom + 0x1f0 + 0x10, 1);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_PCIR_OUTSIDE,
	      "PCIR across the end of its image: invalid");
	free(rom);

	/* 16 one-block images, the last with its bit: valid. */
	for (i = 0; i < HVCTL_ROM_MAX_IMAGES + 1; i++) {
		s[i] = legacy;
		s[i].blocks = 1;
		s[i].last = i == HVCTL_ROM_MAX_IMAGES - 1;
	}
	rom = build_rom(s, HVCTL_ROM_MAX_IMAGES, &len);
	check(hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.n == HVCTL_ROM_MAX_IMAGES,
	      "16 images: valid");
	free(rom);

	/* 17, the last bit on the 17th: too many. */
	s[HVCTL_ROM_MAX_IMAGES - 1].last = 0;
	s[HVCTL_ROM_MAX_IMAGES].last = 1;
	rom = build_rom(s, HVCTL_ROM_MAX_IMAGES + 1, &len);
	check(!hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep) &&
		      rep.err == HVCTL_ROM_TOO_MANY,
	      "17 images: too many");
	free(rom);
}

/* Random bytes behind 55 AA with pointers into and out of the buffer. */
static void test_garbage(void)
{
	unsigned int seed = 1, i, j;
	size_t len;
	uint8_t *rom;

	for (i = 0; i < 20000; i++) {
		len = 2 + rand_r(&seed) % 2048;
		rom = rom_alloc(len);
		for (j = 0; j < len; j++)
			rom[j] = rand_r(&seed);
		rom[0] = 0x55;
		rom[1] = 0xaa;
		if (len > 0x1a && rand_r(&seed) % 2) {
			size_t p = rand_r(&seed) % len;

			put16(rom + 0x18, p);
			if (len - p >= 0x18) {
				memcpy(rom + p, "PCIR", 4);
				put16(rom + p + 0x10, rand_r(&seed) % 5);
			}
		}
		hvctl_rom_check(rom, len, VENDOR, DEVICE, &rep);
		free(rom);
	}
	check(1, "20000 random ROMs: no read out of the buffer");
}

int main(void)
{
	test_valid_legacy();
	test_bad_checksum();
	test_legacy_efi();
	test_truncated();
	test_pcir_range();
	test_ids();
	test_no_signature();
	test_lengths();
	test_garbage();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
