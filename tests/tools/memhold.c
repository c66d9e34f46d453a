// SPDX-License-Identifier: GPL-2.0-only
/*
 * memhold NODE MIB [HOLE_MIB]: take MIB MiB of anonymous memory on NUMA
 * node NODE (mbind MPOL_BIND, every page touched), optionally give back
 * every other HOLE_MIB chunk (free memory in holes: fragmentation), print
 * "held N MiB" and sleep until killed.  The huge page benchmark's way of
 * leaving a node short of 1 GiB runs, the same for every tool.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_BIND 2

int main(int argc, char **argv)
{
	unsigned long node, mib, hole = 0, mask, i;
	size_t len, chunk;
	char *p;

	if (argc < 3) {
		fprintf(stderr, "usage: memhold NODE MIB [HOLE_MIB]\n");
		return 2;
	}
	node = strtoul(argv[1], NULL, 10);
	mib = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		hole = strtoul(argv[3], NULL, 10);
	if (node >= 8 * sizeof(mask) || !mib) {
		fprintf(stderr, "memhold: bad node or size\n");
		return 2;
	}
	len = (size_t)mib << 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		perror("memhold: mmap");
		return 1;
	}
	mask = 1UL << node;
	if (syscall(SYS_mbind, p, len, MPOL_BIND, &mask, 8 * sizeof(mask), 0)) {
		perror("memhold: mbind");
		return 1;
	}
	/* No THP: 4 KiB pages scattered over the node, not 2 MiB runs. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	if (hole) {
		chunk = (size_t)hole << 20;
		for (i = 0; i + chunk <= len; i += 2 * chunk)
			munmap(p + i, chunk);
		mib -= (mib / (2 * hole)) * hole;
	}
	printf("held %lu MiB on node %lu\n", mib, node);
	fflush(stdout);
	for (;;)
		pause();
}
