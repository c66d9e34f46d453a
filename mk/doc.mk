# SPDX-License-Identifier: GPL-2.0-only
#
# The manual page hvctl(8) and the bash completion: installed by
# "make install" (DESTDIR, PREFIX; MANDIR, BASHCOMPDIR override), linted
# by "make check-style"; tests/host/060-manpage.bats checks them against
# the tool.  Included by the top-level Makefile.

MANDIR		?= $(PREFIX)/share/man
# bash-completion's own answer when it is installed, else its default.
BASHCOMPDIR	?= $(or $(shell pkg-config --variable=completionsdir \
			bash-completion 2>/dev/null),/usr/share/bash-completion/completions)

.PHONY: install-doc install-man install-completion check-style-doc \
	check-deps-doc

install: install-doc

install-doc: install-man install-completion

install-man:
	install -D -m 0644 Documentation/hvctl.8 $(DESTDIR)$(MANDIR)/man8/hvctl.8

# Completions are looked up by command name, so the file is "hvctl".
install-completion:
	install -D -m 0644 scripts/hvctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/hvctl

check-style: check-style-doc

# tests/host/060-manpage.bats needs man-db and groff-base.
check-bats-host: check-deps-doc

check-deps-doc:
	@bash scripts/deps.sh host

check-style-doc:
	@bash scripts/deps.sh host
	shellcheck -s bash scripts/hvctl.bash-completion
	@w=$$(LC_ALL=C.UTF-8 man --warnings -l Documentation/hvctl.8 2>&1 >/dev/null); \
		if [ -n "$$w" ]; then echo "$$w" >&2; exit 1; fi
