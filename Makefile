# SPDX-License-Identifier: GPL-2.0-only
#
# hvctl: kernel module (Kbuild) and command-line tool (user/).
#
#   make                 module for the running kernel (or KDIR=) and tool
#   make install         DESTDIR= PREFIX= ; module into updates/, tool, docs
#   make check           every test: host, then the guest suite on both
#                        Debian kernel lines (installs its Debian packages)
#   make demo            boot the emulated host and show what hvctl sees
#   make bench           the benchmarks against the peers (slow):
#                        bench-groups (listing) and bench-bind (rebinding)
#
# When invoked by Kbuild (M=...), only the Kbuild file matters.
ifneq ($(KERNELRELEASE),)
include $(src)/Kbuild
else

KVER	?= $(shell uname -r)
KDIR	?= /lib/modules/$(KVER)/build
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
DESTDIR	?=
VERSION	:= $(shell cat VERSION)

.PHONY: all module tool test-tools install install-module install-tool \
	install-boot clean \
	check check-host check-unit check-kunit check-spec check-bats-host \
	check-style

all: module tool

module:
	@test -d $(KDIR) || { echo "No kernel build tree at $(KDIR): install the" \
		"headers (apt install linux-headers-$(KVER)) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C user

# Small programs the guests run (a VFIO user independent of hvctl; the
# bind benchmark's floor: bare sysfs writes).
test-tools: build/tools/vfio-group build/tools/bind-floor build/tools/memhold

build/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) -Wall -Wextra -Werror -O2 -g -o $@ $<

install: install-module install-tool install-boot

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

install-tool: tool
	install -D -m 0755 user/hvctl $(DESTDIR)$(SBINDIR)/hvctl

# initramfs-tools hook and init-top script, dracut 90hvctl, mkinitcpio hook
# (Documentation/boot.rst); they go where each tool looks, not under PREFIX.
install-boot:
	bash scripts/install-boot.sh $(DESTDIR)

clean:
	-test -d $(KDIR) && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean
	rm -rf build

# ---- tests ---------------------------------------------------------------

BUILD	:= build

check: check-host check-kunit check-guest

# What needs no guest: parser tables, spec agreement, the CLI, style, and
# checkpatch and sparse on the module (mk/lint.mk; the installed headers).
check-host: check-unit check-spec check-bats-host check-style check-patch \
	check-sparse

$(BUILD)/selector-test: tests/unit/selector-test.c kernel/selector.c \
		kernel/selector.h kernel/tests/selector_cases.h
	@mkdir -p $(BUILD)
	$(CC) -Wall -Wextra -Wno-missing-field-initializers -Werror -O2 -g \
		-Ikernel -o $@ tests/unit/selector-test.c kernel/selector.c

$(BUILD)/hugepages-test: tests/unit/hugepages-test.c kernel/hp-ledger.c \
		kernel/hp-ledger.h kernel/tests/hp_ledger_cases.h user/hp-size.c user/hp-size.h \
		include/uapi/linux/hvctl.h
	@mkdir -p $(BUILD)
	$(CC) -Wall -Wextra -Werror -O2 -g -Ikernel -Iuser -Iinclude/uapi \
		-o $@ tests/unit/hugepages-test.c kernel/hp-ledger.c \
		user/hp-size.c

$(BUILD)/plan-test: tests/unit/plan-test.c kernel/plan.c kernel/plan.h \
		kernel/tests/plan_cases.h include/uapi/linux/hvctl.h
	@mkdir -p $(BUILD)
	$(CC) -Wall -Wextra -Werror -O2 -g -Ikernel -Iinclude/uapi \
		-o $@ tests/unit/plan-test.c kernel/plan.c

check-unit: $(BUILD)/selector-test $(BUILD)/hugepages-test $(BUILD)/plan-test
	@bash scripts/deps.sh host
	$(BUILD)/selector-test
	$(BUILD)/hugepages-test
	$(BUILD)/plan-test

# KUnit suites hvctl_selector, hvctl_plan, hvctl_hugepages in UML, with
# kunit.py from Debian's linux-source-6.1 (scripts/kunit.sh; the tree and
# build cached under /var/cache/hvctl-test/kunit).
check-kunit:
	@bash scripts/deps.sh kunit
	bash scripts/kunit.sh

check-spec:
	@bash scripts/deps.sh host
	python3 scripts/spec-check.py

check-bats-host: tool
	bats tests/host

check-style:
	@bash scripts/deps.sh host
	shellcheck -x scripts/*.sh tests/vm/*.sh tests/vm/guest-init tests/e2e/*.sh \
		initramfs/initramfs-tools/hooks/hvctl \
		initramfs/initramfs-tools/scripts/init-top/hvctl \
		initramfs/dracut/90hvctl/*.sh initramfs/mkinitcpio/*/hvctl
	clang-format --dry-run --Werror kernel/*.c kernel/*.h kernel/tests/*.c \
		include/uapi/linux/*.h

# Slow: two guest boots (32 and 256 extra devices) timing hvctl against
# dpdk-devbind.py, driverctl and the guides' shell loop; one boot (64 NICs)
# timing rebinding against the same peers and bare sysfs writes.
bench: bench-groups bench-bind bench-hugepages

bench-groups: tool
	bash scripts/deps.sh vm
	bash tests/bench/groups.sh

bench-bind: tool test-tools
	bash scripts/deps.sh vm
	bash tests/bench/bind.sh

# Two boots: 1 GiB pages on node 1 from sysfs, hvctl, dpdk-hugepages.py and
# hugeadm under memory pressure and fragmentation, then from the kernel
# command line.
bench-hugepages: tool test-tools
	bash scripts/deps.sh vm
	bash tests/bench/hugepages.sh

.PHONY: bench bench-groups bench-bind bench-hugepages

include mk/doc.mk
include mk/acs.mk
include mk/rom.mk
include mk/hostile.mk
-include tests/vm/vm.mk
include mk/dkms.mk
include mk/lint.mk

endif
