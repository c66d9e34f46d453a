// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal VFIO user for the guest tests, independent of hvctl:
 *
 *   vfio-group status N   print "viable" or "not viable" as the kernel's
 *                         VFIO_GROUP_GET_STATUS says; exit 0 when viable
 *   vfio-group hold N     open /dev/vfio/N, attach it to a container with
 *                         the type1 IOMMU (what QEMU does for a VM), print
 *                         "holding" and wait until killed
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int open_group(const char *id)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/vfio/%s", id);
	fd = open(path, O_RDWR);
	if (fd < 0)
		fprintf(stderr, "vfio-group: %s: %s\n", path, strerror(errno));
	return fd;
}

static int group_status(int fd)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };

	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st)) {
		perror("vfio-group: VFIO_GROUP_GET_STATUS");
		return -1;
	}
	return !!(st.flags & VFIO_GROUP_FLAGS_VIABLE);
}

int main(int argc, char **argv)
{
	int fd, container, viable;

	if (argc != 3 || (strcmp(argv[1], "status") && strcmp(argv[1], "hold"))) {
		fprintf(stderr, "usage: vfio-group status|hold GROUP\n");
		return 2;
	}
	fd = open_group(argv[2]);
	if (fd < 0)
		return 1;
	viable = group_status(fd);
	if (viable < 0)
		return 1;
	if (!strcmp(argv[1], "status")) {
		printf("%s\n", viable ? "viable" : "not viable");
		return viable ? 0 : 1;
	}

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0) {
		perror("vfio-group: /dev/vfio/vfio");
		return 1;
	}
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &container)) {
		perror("vfio-group: VFIO_GROUP_SET_CONTAINER");
		return 1;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		perror("vfio-group: VFIO_SET_IOMMU");
		return 1;
	}
	printf("holding\n");
	fflush(stdout);
	pause();
	return 0;
}
