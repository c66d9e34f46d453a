# SPDX-License-Identifier: GPL-2.0-only
#
# Real-kernel tests in QEMU guests; included by the top-level Makefile.
#   make check-guest   tests/guest/*.bats on Debian 6.1 and 6.12 (both run,
#                      fails if either fails)
#   make check-e2e     tests/e2e/*.bats on 6.1: a nested QEMU in the guest
#                      receives devices hvctl bound (a real VFIO user)
#   make demo          tests/vm/demo.sh in a 6.1 guest
#   make vm-root       build the cached guest root image only
#   make vm-shell      interactive guest (VM_KERNEL, VM_TOPOLOGY)
#   make vm-lint       shellcheck the harness
# Knobs: VM_TESTS=globs (comma-separated, in tests/guest), VM_KERNEL=6.1|6.12,
# VM_TOPOLOGY=default|bench32|bench64|bench256, VM_ARGS=extra run.sh options.

# Paths from this fragment's location, so the including Makefile's cwd and
# its other variables do not matter.
HVCTL_VM_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
HVCTL_VM_TOP := $(abspath $(HVCTL_VM_DIR)/../..)

VM_KERNEL ?= 6.1
VM_TOPOLOGY ?= default
VM_TESTS ?=
VM_ARGS ?=
VM_RUN = $(HVCTL_VM_DIR)/run.sh $(if $(VM_TESTS),--tests '$(VM_TESTS)') $(VM_ARGS)
VM_DEPS = $(HVCTL_VM_TOP)/scripts/deps.sh vm

.PHONY: check-guest check-e2e demo vm-root vm-shell vm-lint

# Then, on 6.1, two boots through the initramfs 040-boot.bats built with
# hvctl's initramfs-tools hook and with the kernel command line its
# "hvctl boot show" printed (1G huge pages): claims applied and huge pages
# recorded before udev, and hvctl.disable=1 (045-boot-initrd.bats; it
# skips in the plain suite); and boots with intel_iommu=off, with QEMU's
# AMD IOMMU and with no IOMMU (no pdpe1gb either) for the verdicts and
# fixes of hvctl check (060-check.bats).
HVCTL_VM_INITRD = $(HVCTL_VM_TOP)/build/vm/$(shell $(HVCTL_VM_DIR)/kernels.sh 6.1 2>/dev/null)-default/initrd-hvctl.img

check-guest:
	$(VM_DEPS)
	@rc=0; for k in 6.1 6.12; do \
		$(VM_RUN) --kernel $$k --topology default || rc=1; \
		if [ $$k = 6.1 ] && [ -z "$(VM_TESTS)" ]; then \
			cp $(HVCTL_VM_INITRD) $(HVCTL_VM_TOP)/build/vm/initrd-hvctl.img && \
			hp=$$(cat $(dir $(HVCTL_VM_INITRD))boot-cmdline) && \
			$(HVCTL_VM_DIR)/run.sh --kernel 6.1 --no-build \
				--tests 045-boot-initrd.bats --append "$$hp" \
				--initrd $(HVCTL_VM_TOP)/build/vm/initrd-hvctl.img && \
			$(HVCTL_VM_DIR)/run.sh --kernel 6.1 --no-build \
				--tests 045-boot-initrd.bats \
				--append "hvctl.disable=1 $$hp" \
				--initrd $(HVCTL_VM_TOP)/build/vm/initrd-hvctl.img || rc=1; \
			$(HVCTL_VM_DIR)/run.sh --kernel 6.1 --no-build \
				--tests 060-check.bats --append intel_iommu=off || rc=1; \
			for t in amd noiommu; do \
				$(HVCTL_VM_DIR)/run.sh --kernel 6.1 --no-build \
					--topology $$t --tests 060-check.bats || rc=1; \
			done; \
		fi; \
	done; exit $$rc

check-e2e:
	$(VM_DEPS)
	$(HVCTL_VM_DIR)/run.sh --kernel 6.1 --topology default --tests '../e2e/*.bats' $(VM_ARGS)

demo:
	$(VM_DEPS)
	$(VM_RUN) --kernel 6.1 --topology default --script tests/vm/demo.sh

vm-root:
	$(VM_DEPS)
	$(HVCTL_VM_DIR)/mkroot.sh

vm-shell:
	$(VM_DEPS)
	$(VM_RUN) --kernel $(VM_KERNEL) --topology $(VM_TOPOLOGY) --shell

vm-lint:
	cd $(HVCTL_VM_TOP) && shellcheck -x scripts/deps.sh tests/vm/*.sh \
		tests/vm/guest-init tests/vm/topology/*.sh tests/e2e/*.sh
