// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load a kernel module the way modprobe does (libkmod): dependencies,
 * options from modprobe.d and the kernel command line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libkmod.h>

#include "modload.h"

/* libkmod's own log would repeat on stderr what the caller reports. */
static void quiet_log(void *data, int priority, const char *file, int line,
		      const char *fn, const char *format, va_list args)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	(void)format;
	(void)args;
}

static const char *reason(int err)
{
	switch (err) {
	case -EPERM:
		return "Operation not permitted (loading modules needs root)";
	case -ENOEXEC:
		return "Exec format error (built for another kernel?)";
	case -EKEYREJECTED:
	case -ENOKEY:
		return "the module's signature was rejected";
	default:
		return strerror(-err);
	}
}

static int probe_all(struct kmod_list *list, char *why, size_t size)
{
	struct kmod_module *mod;
	struct kmod_list *l;
	int err = 0;

	for (l = list; l; l = kmod_list_next(list, l)) {
		mod = kmod_module_get_module(l);
		err = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
		if (err < 0)
			snprintf(why, size, "%s: %s", kmod_module_get_name(mod),
				 reason(err));
		kmod_module_unref(mod);
		if (err < 0)
			break;
	}
	return err;
}

/**
 * hvctl_modload() - load module @name and what it depends on
 * @name: module name or alias
 * @why: the reason it failed, for a message
 * @size: size of @why
 *
 * Return: 0, or -errno with @why filled in.
 */
int hvctl_modload(const char *name, char *why, size_t size)
{
	struct kmod_list *list = NULL;
	struct kmod_ctx *ctx;
	int err;

	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		snprintf(why, size, "cannot initialize libkmod");
		return -ENOMEM;
	}
	kmod_set_log_fn(ctx, quiet_log, NULL);

	err = kmod_module_new_from_lookup(ctx, name, &list);
	if (err < 0) {
		snprintf(why, size, "%s", reason(err));
		goto out;
	}
	if (!list) {
		snprintf(why, size, "module %s not found in directory %s", name,
			 kmod_get_dirname(ctx));
		err = -ENOENT;
		goto out;
	}
	err = probe_all(list, why, size);
	kmod_module_unref_list(list);
out:
	kmod_unref(ctx);
	return err;
}
