// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor of the bind benchmark: the sysfs writes every rebinding tool
 * ends up making, with nothing around them, so what the kernel spends on
 * driver teardown and probe can be told from what a tool adds.
 *
 *   bind-floor DRIVER ADDR...   for each device: driver_override=DRIVER,
 *                               unbind from its driver, drivers_probe
 *   bind-floor --clear ADDR...  the same with the override cleared, so
 *                               the device goes back to its own driver
 *
 * No checks beyond reporting a failed write (exit 1 after trying all); the
 * benchmark reads sysfs afterwards to see that the devices moved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int put(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, len) != (ssize_t)len) {
		fprintf(stderr, "bind-floor: %s <- \"%s\": %s\n", path, val,
			strerror(errno));
		ret = 1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	char path[128];
	const char *drv;
	int i, ret = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bind-floor DRIVER|--clear ADDR...\n");
		return 2;
	}
	/* A lone newline clears driver_override. */
	drv = strcmp(argv[1], "--clear") ? argv[1] : "\n";
	for (i = 2; i < argc; i++) {
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver_override", argv[i]);
		ret |= put(path, drv);
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver/unbind", argv[i]);
		if (access(path, F_OK) == 0)
			ret |= put(path, argv[i]);
		ret |= put("/sys/bus/pci/drivers_probe", argv[i]);
	}
	return ret;
}
