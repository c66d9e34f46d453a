# SPDX-License-Identifier: GPL-2.0-only
#
# DKMS and Debian packages; included by the top-level Makefile.
#   make dkms-install  copy the module source to /usr/src/hvctl-$(VERSION),
#                      dkms add, build and install it for KVER (default: the
#                      running kernel); dkms rebuilds it for later kernels
#   make dkms-remove   dkms remove hvctl/$(VERSION) --all, and the source
#   make check-dkms    real dkms against both guest kernels' headers, in a
#                      temporary tree (scripts/check-dkms.sh; exit 77: skipped),
#                      then each kernel boots and loads the module dkms built
#                      (tests/guest/005-dkms.bats)
#   make deb           hvctl and hvctl-dkms .debs into build/deb/, lintian
#   make check-deb     make deb, then the packages' contents against the
#                      checkout's install rules, and dkms builds hvctl-dkms's
#                      source (scripts/check-deb.sh)
# DKMS_FLAGS= and DKMS_SOURCETREE= point dkms elsewhere than /var/lib/dkms,
# /usr/src and /lib/modules (check-dkms does).

HVCTL_DKMS_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
HVCTL_VERSION_FILE := $(shell cat $(HVCTL_DKMS_TOP)/VERSION)

DKMS		?= dkms
DKMS_FLAGS	?=
DKMS_SOURCETREE	?= /usr/src
HVCTL_DKMS	= $(DKMS) $(DKMS_FLAGS)
HVCTL_DKMS_MV	= hvctl/$(HVCTL_VERSION_FILE)

.PHONY: dkms-install dkms-remove check-dkms deb check-deb

# Re-running replaces this version (for every kernel it was built for)
# with the checkout's source.
dkms-install:
	@command -v $(DKMS) >/dev/null || { echo "dkms not found: apt install dkms" >&2; exit 1; }
	@test -d /lib/modules/$(KVER)/build || { echo "No kernel headers for $(KVER):" \
		"apt install linux-headers-$(KVER), or pass KVER=" >&2; exit 1; }
	@if [ -n "$$($(HVCTL_DKMS) status -m hvctl -v $(HVCTL_VERSION_FILE))" ]; then \
		echo "$(HVCTL_DKMS) remove $(HVCTL_DKMS_MV) --all"; \
		$(HVCTL_DKMS) remove $(HVCTL_DKMS_MV) --all; fi
	bash $(HVCTL_DKMS_TOP)/scripts/dkms-src.sh $(DKMS_SOURCETREE)/hvctl-$(HVCTL_VERSION_FILE)
	$(HVCTL_DKMS) add $(HVCTL_DKMS_MV)
	$(HVCTL_DKMS) build $(HVCTL_DKMS_MV) -k $(KVER)
	$(HVCTL_DKMS) install $(HVCTL_DKMS_MV) -k $(KVER)

dkms-remove:
	@command -v $(DKMS) >/dev/null || { echo "dkms not found" >&2; exit 1; }
	@if [ -n "$$($(HVCTL_DKMS) status -m hvctl -v $(HVCTL_VERSION_FILE))" ]; then \
		echo "$(HVCTL_DKMS) remove $(HVCTL_DKMS_MV) --all"; \
		$(HVCTL_DKMS) remove $(HVCTL_DKMS_MV) --all; \
	else echo "$(HVCTL_DKMS_MV) is not in dkms"; fi
	rm -rf $(DKMS_SOURCETREE)/hvctl-$(HVCTL_VERSION_FILE)

check-dkms:
	@bash $(HVCTL_DKMS_TOP)/scripts/deps.sh host
	@dpkg-query -W -f='$${db:Status-Abbrev}' dkms 2>/dev/null | grep -q '^ii' || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dkms
	bash $(HVCTL_DKMS_TOP)/scripts/check-dkms.sh
	bash $(HVCTL_DKMS_TOP)/scripts/deps.sh vm
	@rc=0; for k in 6.1 6.12; do \
		$(HVCTL_DKMS_TOP)/tests/vm/run.sh --kernel $$k \
			--tests 005-dkms.bats || rc=1; \
	done; exit $$rc

# Binary packages only, built in a copy under build/deb/ (so debian/'s
# build trees never land in the checkout); debian/changelog is written
# there from VERSION.
HVCTL_DEB_PKGS := debhelper dh-dkms dpkg-dev lintian fakeroot libnl-3-dev \
	libnl-genl-3-dev libpci-dev libkmod-dev pkg-config
HVCTL_DEB_SRC := $(HVCTL_DKMS_TOP)/build/deb/hvctl-$(HVCTL_VERSION_FILE)

deb:
	@missing=$$(for p in $(HVCTL_DEB_PKGS); do \
		dpkg-query -W -f='$${db:Status-Abbrev}' $$p 2>/dev/null | grep -q '^ii' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing $$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	rm -rf $(HVCTL_DKMS_TOP)/build/deb
	mkdir -p $(HVCTL_DEB_SRC)
	tar -C $(HVCTL_DKMS_TOP) --exclude=./build --exclude=./.git --exclude=./.ci \
		--exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude=./user/hvctl \
		-cf - . | tar -C $(HVCTL_DEB_SRC) -xf -
	bash $(HVCTL_DKMS_TOP)/debian/gen-changelog.sh $(HVCTL_DEB_SRC)/debian/changelog
	cd $(HVCTL_DEB_SRC) && dpkg-buildpackage -b -us -uc
	lintian --fail-on error --info $(HVCTL_DKMS_TOP)/build/deb/*.changes

check-deb: deb
	bash $(HVCTL_DKMS_TOP)/scripts/check-deb.sh
