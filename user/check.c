// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvctl check: is this host ready for PCI passthrough, and if not, what
 * exactly to change.  One line per check, PASS / WARN / FAIL, and for each
 * non-pass the fix for this host.  Everything is read from /proc, /sys and
 * the configuration files; nothing is changed.  The exit status is 1 when
 * a check failed (the host is not ready), else 0.
 *
 * $HVCTL_ROOT prefixes the configuration files read (/etc/...), and
 * $HVCTL_CMDLINE names the kernel command line file, for tests.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libkmod.h>

#include "boot.h"
#include "conf.h"
#include "hvctl.h"
#include "print.h"
#include "sysdev.h"

#ifndef HVCTL_VERSION
#define HVCTL_VERSION "unknown"
#endif

enum verdict { PASS, WARN, FAIL };

static const char *const verdict_name[] = { "PASS", "WARN", "FAIL" };
static unsigned int counts[3];

/* One check's line, and its fix (may hold newlines) for a non-pass. */
static void report(const char *name, enum verdict v, const char *fix,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(const char *name, enum verdict v, const char *fix,
		   const char *fmt, ...)
{
	char msg[1024], lc[8];
	const char *p, *nl;
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	counts[v]++;
	for (i = 0; verdict_name[v][i]; i++)
		lc[i] = verdict_name[v][i] - 'A' + 'a';
	lc[i] = '\0';

	open_obj(NULL);
	print_str(PRINT_JSON, "name", NULL, name);
	print_str(PRINT_JSON, "status", NULL, lc);
	print_str(PRINT_JSON, "message", NULL, msg);
	if (v != PASS && fix)
		print_str(PRINT_JSON, "fix", NULL, fix);
	else
		print_null(PRINT_JSON, "fix", NULL);
	close_obj();
	print_text("%s  %-12s %s\n", verdict_name[v], name, msg);
	if (v == PASS || !fix)
		return;
	for (p = fix; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		print_text("      fix: %.*s\n", (int)(nl - p), p);
		if (!*nl)
			break;
	}
}

/* A whole small file into @buf; false when it cannot be read. */
static bool read_text(const char *path, char *buf, size_t size)
{
	size_t n;
	FILE *f;

	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return true;
}

static bool exists(const char *path)
{
	return !access(path, F_OK);
}

static void etc_path(const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", hvctl_root(), path);
}

/* Entries of a directory (not . and ..); -1 when it cannot be read. */
static int count_dir(const char *path)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Is @word a whole word of @list (blank separated)? */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (!p[len] || strchr(" \t\n", p[len])))
			return true;
		p += len;
	}
	return false;
}

/* The host's facts the checks share. */
struct host {
	char flags[4096]; /* the first "flags" line of /proc/cpuinfo */
	bool intel, amd; /* vendor_id */
	bool in_vm; /* "hypervisor" flag */
	char cmdline[4096];
	bool grub, kcmdline; /* /etc/default/grub, /etc/kernel/cmdline */
};

static void host_read(struct host *h)
{
	char line[4096], p[PATH_MAX];
	const char *cmd = getenv("HVCTL_CMDLINE");
	FILE *f;

	f = fopen("/proc/cpuinfo", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "vendor_id", 9)) {
			h->intel |= !!strstr(line, "GenuineIntel");
			h->amd |= !!strstr(line, "AuthenticAMD");
		} else if (!strncmp(line, "flags", 5) && !h->flags[0]) {
			snprintf(h->flags, sizeof(h->flags), "%s",
				 strchrnul(line, ':'));
		}
	}
	if (f)
		fclose(f);
	h->in_vm = has_word(h->flags, "hypervisor");
	read_text(cmd ? cmd : "/proc/cmdline", h->cmdline, sizeof(h->cmdline));
	etc_path("/etc/default/grub", p, sizeof(p));
	h->grub = exists(p);
	etc_path("/etc/kernel/cmdline", p, sizeof(p));
	h->kcmdline = exists(p);
}

/* How to put @words on this host's kernel command line. */
static const char *cmdline_fix(const struct host *h, const char *words,
			       char *buf, size_t size)
{
	size_t at;

	at = snprintf(buf, size,
		      "add %s to the kernel command line, then reboot:", words);
	if (h->grub || !h->kcmdline)
		at += snprintf(
			buf + at, size - at,
			"\nGRUB: append it to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, run update-grub");
	if (h->kcmdline || !h->grub)
		snprintf(
			buf + at, size - at,
			"\nsystemd-boot/kernel-install: append it to /etc/kernel/cmdline, run kernel-install add $(uname -r) /boot/vmlinuz-$(uname -r) (Proxmox: proxmox-boot-tool refresh)");
	return buf;
}

static void check_cpu(const struct host *h)
{
	const char *what = h->amd ? "AMD-V (svm)" : "Intel VT-x (vmx)";

	if (has_word(h->flags, "vmx") || has_word(h->flags, "svm")) {
		report("cpu-virt", PASS, NULL, "%s present",
		       has_word(h->flags, "svm") ? "AMD-V (svm)" :
						   "Intel VT-x (vmx)");
		return;
	}
	report("cpu-virt", FAIL,
	       h->in_vm ?
		       "this host is itself a VM: give it the CPU's virtualization (QEMU: -cpu host or +vmx/+svm; nested=1 for kvm_intel/kvm_amd on the outer host)" :
		       "enable the CPU's virtualization (Intel VT-x, AMD SVM) in the firmware setup",
	       "%s not offered by the CPU%s", what,
	       h->in_vm ? " (running under a hypervisor)" : "");
}

static void check_kvm(const struct host *h)
{
	char buf[16];
	const char *mod = h->amd ? "kvm_amd" : "kvm_intel";
	char path[128], fix[256];

	if (exists("/dev/kvm"))
		report("kvm", PASS, NULL, "/dev/kvm present");
	else {
		snprintf(
			fix, sizeof(fix),
			"modprobe %s; to load it at every boot: echo %s > /etc/modules-load.d/kvm.conf",
			mod, mod);
		report("kvm", FAIL, fix, "no /dev/kvm: KVM is not loaded%s",
		       counts[FAIL] ? " (needs CPU virtualization, above)" :
				      "");
	}
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/nested", mod);
	if (!read_text(path, buf, sizeof(buf))) {
		snprintf(fix, sizeof(fix),
			 "modprobe %s, then hvctl check again", mod);
		report("kvm-nested", WARN, fix,
		       "%s not loaded: nested virtualization unknown", mod);
		return;
	}
	if (buf[0] == 'Y' || buf[0] == '1') {
		report("kvm-nested", PASS, NULL, "nested virtualization on");
		return;
	}
	snprintf(
		fix, sizeof(fix),
		"only if VMs run hypervisors: echo \"options %s nested=1\" > /etc/modprobe.d/kvm-nested.conf, then reload %s with no VM running",
		mod, mod);
	report("kvm-nested", WARN, fix, "nested virtualization off");
}

static bool check_iommu(const struct host *h)
{
	bool dmar = exists("/sys/firmware/acpi/tables/DMAR");
	bool ivrs = exists("/sys/firmware/acpi/tables/IVRS");
	int units = count_dir("/sys/class/iommu");
	int groups = count_dir("/sys/kernel/iommu_groups");
	char fix[1024];

	if (units > 0 && groups > 0) {
		report("iommu", PASS, NULL, "%s: %d IOMMU unit%s, %d groups",
		       dmar ? "Intel VT-d (DMAR)" :
		       ivrs ? "AMD-Vi (IVRS)" :
			      "IOMMU",
		       units, units == 1 ? "" : "s", groups);
		return true;
	}
	if (dmar) {
		report("iommu", FAIL,
		       cmdline_fix(h, "intel_iommu=on", fix, sizeof(fix)),
		       "the firmware has a DMAR table but the IOMMU is off%s",
		       has_word(h->cmdline, "intel_iommu=off") ?
			       " (intel_iommu=off on the command line)" :
			       "");
	} else if (ivrs) {
		report("iommu", FAIL,
		       cmdline_fix(
			       h,
			       "amd_iommu=on (and remove amd_iommu=off or iommu=off)",
			       fix, sizeof(fix)),
		       "the firmware has an IVRS table but the IOMMU is off");
	} else {
		report("iommu", FAIL,
		       h->in_vm ?
			       "give this VM an IOMMU (QEMU: -machine q35 -device intel-iommu or -device amd-iommu), then reboot" :
			       "enable VT-d / AMD-Vi (IOMMU) in the firmware setup, then reboot",
		       "no IOMMU: the firmware reports none (no DMAR or IVRS ACPI table)");
	}
	return false;
}

static void check_irq_remap(bool iommu)
{
	char line[512];
	bool ir = false;
	FILE *f;

	f = fopen("/proc/interrupts", "re");
	while (f && !ir && fgets(line, sizeof(line), f))
		ir = strstr(line, "IR-") != NULL;
	if (f)
		fclose(f);
	if (ir) {
		report("irq-remap", PASS, NULL, "interrupt remapping on");
		return;
	}
	report("irq-remap", WARN,
	       iommu ? "enable interrupt remapping (x2APIC) in the firmware setup (QEMU: -device intel-iommu,intremap=on with -machine kernel-irqchip=split); vfio_iommu_type1 allow_unsafe_interrupts=1 is the unsafe way around it" :
		       "needs the IOMMU (above)",
	       "interrupt remapping off: VFIO refuses MSI for passthrough without allow_unsafe_interrupts");
}

/* Is module @name loaded, built in, or installed for this kernel? */
static bool module_available(const char *name)
{
	struct kmod_list *list = NULL, *l;
	struct kmod_ctx *kctx;
	char path[128];
	bool ok = false;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	for (char *p = path + 12; *p; p++)
		if (*p == '-')
			*p = '_';
	if (exists(path))
		return true;
	kctx = kmod_new(NULL, NULL);
	if (!kctx)
		return false;
	if (!kmod_module_new_from_lookup(kctx, name, &list))
		kmod_list_foreach(l, list)
		{
			struct kmod_module *m = kmod_module_get_module(l);

			ok |= kmod_module_get_path(m) != NULL;
			kmod_module_unref(m);
		}
	kmod_module_unref_list(list);
	kmod_unref(kctx);
	return ok;
}

static void check_vfio(void)
{
	if (module_available("vfio-pci") &&
	    module_available("vfio_iommu_type1")) {
		report("vfio", PASS, NULL, "vfio-pci and vfio_iommu_type1 %s",
		       exists("/sys/module/vfio_pci") ? "loaded" : "available");
		return;
	}
	report("vfio", FAIL,
	       "install a kernel built with CONFIG_VFIO_PCI and CONFIG_VFIO_IOMMU_TYPE1 (every Debian, Ubuntu, Proxmox and Fedora kernel has them as modules)",
	       "vfio-pci or vfio_iommu_type1 is not available for this kernel");
}

static void check_module(void)
{
	char ver[64];

	if (!read_text("/sys/module/hvctl/version", ver, sizeof(ver))) {
		report("hvctl-module", WARN,
		       "modprobe hvctl (installed with make dkms-install or the hvctl-dkms package); hvctl loads it itself when a command needs it",
		       "hvctl.ko is not loaded");
		return;
	}
	ver[strcspn(ver, "\n")] = '\0';
	if (!strcmp(ver, HVCTL_VERSION)) {
		report("hvctl-module", PASS, NULL,
		       "hvctl.ko %s loaded, same as the tool", ver);
		return;
	}
	report("hvctl-module", FAIL,
	       "install the module and the tool from one version (make dkms-install and make install, or both .deb packages), then rmmod hvctl; modprobe hvctl",
	       "hvctl.ko %s is loaded but the tool is %s", ver, HVCTL_VERSION);
}

static void check_hugepages(const struct host *h)
{
	char buf[256], fix[256];
	char *mode, *end;
	bool cpu = has_word(h->flags, "pdpe1gb");
	bool pool = exists("/sys/kernel/mm/hugepages/hugepages-1048576kB");
	FILE *f;

	if (cpu && pool)
		report("hugepages-1g", PASS, NULL, "1 GiB pages supported");
	else
		report("hugepages-1g", WARN,
		       h->in_vm ?
			       "give the VM the pdpe1gb CPU flag (QEMU: -cpu ...,+pdpe1gb), or use 2M pages" :
			       "this CPU has no 1 GiB pages: use 2M pages",
		       "no 1 GiB pages (%s)",
		       cpu ? "the kernel has no 1G pool" :
			     "no pdpe1gb CPU flag");

	if (!read_text("/sys/kernel/mm/transparent_hugepage/enabled", buf,
		       sizeof(buf))) {
		report("thp", PASS, NULL,
		       "transparent huge pages not built in");
	} else {
		mode = strchr(buf, '[');
		end = mode ? strchr(mode, ']') : NULL;
		if (!mode || !end) {
			report("thp", WARN,
			       "read /sys/kernel/mm/transparent_hugepage/enabled yourself",
			       "cannot tell the THP mode from \"%s\"", buf);
		} else {
			*end = '\0';
			mode++;
			snprintf(
				fix, sizeof(fix), "%s",
				"echo madvise > /sys/kernel/mm/transparent_hugepage/enabled now; transparent_hugepage=madvise on the kernel command line for every boot");
			report("thp", strcmp(mode, "always") ? PASS : WARN, fix,
			       "transparent huge pages: %s%s", mode,
			       strcmp(mode, "always") ?
				       "" :
				       " (khugepaged compacts host memory behind the VMs' backs and takes the memory 1G pages need)");
		}
	}

	f = fopen("/proc/self/mounts", "re");
	buf[0] = '\0';
	while (f && fgets(fix, sizeof(fix), f)) {
		char dev[64], dir[192], type[32];

		if (sscanf(fix, "%63s %191s %31s", dev, dir, type) == 3 &&
		    !strcmp(type, "hugetlbfs") &&
		    strlen(buf) + strlen(dir) + 2 < sizeof(buf))
			sprintf(buf + strlen(buf), "%s%s", buf[0] ? " " : "",
				dir);
	}
	if (f)
		fclose(f);
	if (buf[0])
		report("hugetlbfs", PASS, NULL, "mounted on %s", buf);
	else
		report("hugetlbfs", WARN,
		       "hvctl hugepages mount (QEMU: -mem-path on it; libvirt: <memoryBacking><hugepages/>)",
		       "no hugetlbfs mounted");
}

/* Bytes of huge pages in every pool now. */
static unsigned long long hugepage_bytes(void)
{
	unsigned long long total = 0, nr, kb;
	struct dirent *e;
	char path[512], buf[32];
	DIR *d;

	d = opendir("/sys/kernel/mm/hugepages");
	while (d && (e = readdir(d))) {
		if (sscanf(e->d_name, "hugepages-%llukB", &kb) != 1)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/hugepages/%s/nr_hugepages", e->d_name);
		if (read_text(path, buf, sizeof(buf)) &&
		    sscanf(buf, "%llu", &nr) == 1)
			total += nr * kb * 1024;
	}
	if (d)
		closedir(d);
	return total;
}

static void check_memlock(void)
{
	unsigned long long need = hugepage_bytes();
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl)) {
		report("memlock", WARN, "ulimit -l shows the limit",
		       "cannot read the memlock limit: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY) {
		report("memlock", PASS, NULL, "memlock unlimited");
		return;
	}
	if (rl.rlim_cur >= need) {
		report("memlock", PASS, NULL,
		       "memlock %llu MiB, huge pages %llu MiB",
		       (unsigned long long)rl.rlim_cur >> 20, need >> 20);
		return;
	}
	report("memlock", WARN,
	       "a VFIO VM pins all its memory: libvirt raises the limit for its VMs; for QEMU started by hand: ulimit -l unlimited, LimitMEMLOCK=infinity in its systemd unit, or \"@kvm - memlock unlimited\" in /etc/security/limits.d/hvctl.conf",
	       "memlock limit %llu MiB is below the %llu MiB of huge pages",
	       (unsigned long long)rl.rlim_cur >> 20, need >> 20);
}

/* Drivers that leave a group viable for VFIO. */
static bool viable_driver(const char *d)
{
	return !d[0] || !strcmp(d, "vfio-pci") || !strcmp(d, "pci-stub") ||
	       !strcmp(d, "pcieport");
}

static bool is_bridge(const struct hvctl_sysdev *d)
{
	return (d->class >> 8) == 0x0604;
}

/* Per device: some claim catches it or its group (hvctl_claim_matches). */
static unsigned char *covered;

static int covered_read(const struct hvctl_conf *conf,
			const struct hvctl_sysdevs *devs)
{
	unsigned char *hit;
	size_t i, j;

	covered = calloc(devs->n + 1, 1);
	hit = calloc(devs->n + 1, 1);
	if (!covered || !hit) {
		free(hit);
		return -ENOMEM;
	}
	for (i = 0; i < conf->nclaims; i++) {
		hvctl_claim_matches(&conf->claims[i].claim, devs, hit);
		for (j = 0; j < devs->n; j++)
			covered[j] |= !!hit[j];
	}
	free(hit);
	return 0;
}

static void check_claims(const struct hvctl_conf *conf,
			 const struct hvctl_sysdevs *devs)
{
	char text[160], fix[512], why[256];
	size_t i, j, k;

	if (conf->nerrors) {
		report("claims", FAIL, "hvctl boot check shows each bad line",
		       "%s has %u bad lines", conf->path, conf->nerrors);
		return;
	}
	if (!conf->nclaims) {
		report("claims", PASS, NULL, "no claims in %s", conf->path);
		return;
	}
	for (i = 0; i < conf->nclaims; i++) {
		const struct hvctl_conf_claim *c = &conf->claims[i];
		const char *target = c->claim.driver[0] ? c->claim.driver :
							  "vfio-pci";
		enum verdict v = PASS;
		unsigned int hits = 0;

		hvctl_claim_text(&c->claim, false, text, sizeof(text));
		why[0] = '\0';
		fix[0] = '\0';
		for (j = 0; j < devs->n; j++) {
			const struct hvctl_sysdev *d = &devs->v[j];

			if (!hvctl_selector_match(&c->claim.sel, &d->key))
				continue;
			hits++;
			for (k = 0; k < devs->n; k++) {
				const struct hvctl_sysdev *o = &devs->v[k];
				bool ours = k == j || (!c->claim.nogroup &&
						       d->group >= 0 &&
						       o->group == d->group);

				if (k != j &&
				    (d->group < 0 || o->group != d->group))
					continue;
				if (ours && !is_bridge(o) &&
				    strcmp(o->driver, target) && v == PASS) {
					/* Not applied yet: the next boot does it. */
					v = WARN;
					snprintf(why, sizeof(why),
						 "; %s is on %s now", o->addr,
						 o->driver[0] ? o->driver :
								"no driver");
					snprintf(
						fix, sizeof(fix),
						"hvctl boot apply and reboot, or hvctl dev bind %s%s now",
						d->addr,
						c->claim.nogroup ? " nogroup" :
								   "");
				}
				/* A member no claim moves, on a host driver. */
				if (!ours && !covered[k] &&
				    !viable_driver(o->driver)) {
					v = FAIL;
					snprintf(
						why, sizeof(why),
						"; group %d is not viable: %s is on %s",
						d->group, o->addr, o->driver);
					snprintf(
						fix, sizeof(fix),
						"claim the whole group (no nogroup), or hvctl group bind %d",
						d->group);
					break;
				}
			}
		}
		if (!hits) {
			report("claims", FAIL,
			       "correct the selector (hvctl dev show lists the devices) or hvctl boot remove it",
			       "claim %s (line %u) catches no device", text,
			       c->line);
			continue;
		}
		report("claims", v, fix, "claim %s (line %u): %u device%s%s",
		       text, c->line, hits, hits == 1 ? "" : "s", why);
	}
}

/* vfio-pci ids= lists: "vvvv:dddd[:svvv:sddd...],..." */
static void ids_conflicts(const char *ids, const char *where,
			  const struct hvctl_sysdevs *devs, unsigned int *n)
{
	char list[512], *tok, *save = NULL, fix[512];
	unsigned int vendor, device;
	size_t j;

	snprintf(list, sizeof(list), "%.*s", (int)strcspn(ids, " \t\n"), ids);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (sscanf(tok, "%x:%x", &vendor, &device) != 2)
			continue;
		for (j = 0; j < devs->n; j++) {
			const struct hvctl_sysdev *d = &devs->v[j];

			if (d->key.vendor != vendor ||
			    d->key.device != device || covered[j])
				continue;
			snprintf(
				fix, sizeof(fix),
				"remove ids=%s (%s) and claim by address: hvctl boot add addr %s; hvctl boot apply",
				tok, where, d->addr);
			report("conflicts", WARN, fix,
			       "vfio-pci ids=%s (%s) catches %s, which no hvctl claim names",
			       tok, where, d->addr);
			(*n)++;
		}
	}
}

static void modprobe_conflicts(const struct hvctl_conf *conf,
			       const struct hvctl_sysdevs *devs,
			       unsigned int *n)
{
	static const char *const dirs[] = { "/etc/modprobe.d",
					    "/run/modprobe.d" };
	char dir[PATH_MAX], path[PATH_MAX + 256], line[1024],
		where[PATH_MAX + 300];
	char w1[32], w2[64], fix[PATH_MAX + 300];
	struct dirent *e;
	unsigned int ln, d;
	FILE *f;
	DIR *dp;

	for (d = 0; d < ARRAY_SIZE(dirs); d++) {
		etc_path(dirs[d], dir, sizeof(dir));
		dp = opendir(dir);
		while (dp && (e = readdir(dp))) {
			size_t len = strlen(e->d_name);

			if (len < 6 || strcmp(e->d_name + len - 5, ".conf"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			f = fopen(path, "re");
			for (ln = 1; f && fgets(line, sizeof(line), f); ln++) {
				const char *ids;

				if (sscanf(line, "%31s %63s", w1, w2) != 2)
					continue;
				snprintf(where, sizeof(where), "%s:%u", path,
					 ln);
				ids = strstr(line, "ids=");
				if (!strcmp(w1, "options") &&
				    (!strcmp(w2, "vfio-pci") ||
				     !strcmp(w2, "vfio_pci")) &&
				    ids)
					ids_conflicts(ids + 4, where, devs, n);
				if ((!strcmp(w1, "blacklist") ||
				     !strcmp(w1, "install")) &&
				    (!strcmp(w2, "vfio-pci") ||
				     !strcmp(w2, "vfio_pci") ||
				     !strcmp(w2, "hvctl"))) {
					snprintf(fix, sizeof(fix),
						 "remove line %u of %s", ln,
						 path);
					report("conflicts",
					       conf->nclaims ? FAIL : WARN, fix,
					       "%s: \"%s %s\" keeps %s from loading%s",
					       where, w1, w2, w2,
					       conf->nclaims ?
						       " for the claims" :
						       "");
					(*n)++;
				}
			}
			if (f)
				fclose(f);
		}
		if (dp)
			closedir(dp);
	}
}

static void check_conflicts(const struct host *h, const struct hvctl_conf *conf,
			    const struct hvctl_sysdevs *devs)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], drv[64], fix[512];
	const char *p = h->cmdline;
	unsigned int n = 0;
	struct dirent *e;
	DIR *dp;

	while ((p = strstr(p, ".ids="))) {
		if ((p - h->cmdline >= 8 && !strncmp(p - 8, "vfio-pci", 8)) ||
		    (p - h->cmdline >= 8 && !strncmp(p - 8, "vfio_pci", 8)))
			ids_conflicts(p + 5, "kernel command line", devs, &n);
		p += 5;
	}
	modprobe_conflicts(conf, devs, &n);

	/* driverctl keeps overrides as /etc/driverctl.d/pci-ADDR. */
	etc_path("/etc/driverctl.d", dir, sizeof(dir));
	dp = opendir(dir);
	while (dp && (e = readdir(dp))) {
		if (strncmp(e->d_name, "pci-", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		read_text(path, drv, sizeof(drv));
		drv[strcspn(drv, "\n")] = '\0';
		snprintf(
			fix, sizeof(fix),
			"driverctl unset-override %s; then hvctl boot add addr %s if it should stay on vfio-pci",
			e->d_name + 4, e->d_name + 4);
		report("conflicts", WARN, fix,
		       "driverctl override %s -> %s: driverctl and hvctl would both set its driver_override",
		       e->d_name + 4, drv);
		n++;
	}
	if (dp)
		closedir(dp);
	if (!n)
		report("conflicts", PASS, NULL,
		       "no vfio-pci ids=, driverctl overrides or blacklists that fight the claims");
}

static int check_help(void)
{
	printf("Usage: hvctl [ -j ] check\n"
	       "\n"
	       "Is this host ready for PCI passthrough?  One line per check, PASS,\n"
	       "WARN or FAIL, and for each non-pass the fix for this host: CPU\n"
	       "virtualization, KVM and nested, the IOMMU and interrupt remapping,\n"
	       "vfio-pci, the hvctl module's version, 1G pages, THP, hugetlbfs, the\n"
	       "memlock limit, the claims of %s (present, bound, viable\n"
	       "groups), and what fights them: vfio-pci ids= on the command line or\n"
	       "in modprobe.d, driverctl overrides, blacklists.  Changes nothing.\n"
	       "Exit status 1 when a check failed (not ready), else 0.\n",
	       HVCTL_CONF_DEFAULT);
	return HVCTL_EXIT_OK;
}

int cmd_check(struct hvctl_ctx *ctx, int argc, char **argv)
{
	struct hvctl_sysdevs devs = {};
	struct host h = {};
	struct hvctl_conf conf;
	FILE *devnull;
	bool iommu;
	int err;

	(void)ctx;
	if (argc && hvctl_is_help(argv[0]))
		return check_help();
	if (argc)
		return usage_err("check", "unexpected argument \"%s\"",
				 argv[0]);
	host_read(&h);
	devnull = fopen("/dev/null", "we");
	err = hvctl_conf_load(&conf, hvctl_conf_path(), devnull);
	if (devnull)
		fclose(devnull);
	if (err) {
		pr_err("cannot read %s: %s", conf.path ? conf.path : "",
		       strerror(-err));
		hvctl_conf_free(&conf);
		return HVCTL_EXIT_FAIL;
	}
	hvctl_sysdevs_read(&devs);
	if (covered_read(&conf, &devs)) {
		pr_err("out of memory");
		hvctl_sysdevs_free(&devs);
		hvctl_conf_free(&conf);
		return HVCTL_EXIT_FAIL;
	}

	open_obj(NULL);
	open_arr("checks");
	check_cpu(&h);
	check_kvm(&h);
	iommu = check_iommu(&h);
	check_irq_remap(iommu);
	check_vfio();
	check_module();
	check_hugepages(&h);
	check_memlock();
	check_claims(&conf, &devs);
	check_conflicts(&h, &conf, &devs);
	close_arr();
	print_bool(PRINT_JSON, "ready", NULL, !counts[FAIL]);
	print_uint(PRINT_JSON, "pass", NULL, counts[PASS]);
	print_uint(PRINT_JSON, "warn", NULL, counts[WARN]);
	print_uint(PRINT_JSON, "fail", NULL, counts[FAIL]);
	close_obj();
	print_text("%u pass, %u warn, %u fail: %s\n", counts[PASS],
		   counts[WARN], counts[FAIL],
		   counts[FAIL] ? "not ready for passthrough" :
				  "ready for passthrough");
	free(covered);
	hvctl_sysdevs_free(&devs);
	hvctl_conf_free(&conf);
	return counts[FAIL] ? HVCTL_EXIT_FAIL : HVCTL_EXIT_OK;
}
