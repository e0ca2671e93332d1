# make install-systemd: the boot-time topology (docs/boot-topology.md).
# Meant to be included by the top-level Makefile (make install calls it);
# also works alone: make -f systemd/systemd.mk install-systemd [VAR=...].
#
#   make install-systemd [DESTDIR=] [PREFIX=/usr/local] [BINDIR=$(PREFIX)/bin]
#                        [SYSCONFDIR=/etc] [SYSTEMD_UNITDIR=] [SYSTEMD_GENERATORDIR=]
#                        [PYTHON=/usr/bin/python3]
#
# Installs, under $(DESTDIR):
#
#   $(SYSTEMD_UNITDIR)/vale-topology.service
#       applies $(SYSCONFDIR)/vale/topology.toml with $(BINDIR)/vale at boot
#       once enabled (systemctl enable vale-topology.service), takes it down
#       on stop
#   $(SYSTEMD_GENERATORDIR)/vale-topology-generator
#       orders the unit after the device units of the NICs the file names
#   $(SYSCONFDIR)/vale/        the folder for topology.toml (left empty)
#
# make uninstall-systemd removes the unit and the generator (not the folder).
#
# SYSTEMD_UNITDIR and SYSTEMD_GENERATORDIR default to what systemd's
# pkg-config file says (systemdsystemunitdir, systemdsystemgeneratordir),
# else /lib/systemd/system and /lib/systemd/system-generators. SYSCONFDIR is
# /etc whatever the PREFIX: that is where the unit looks. The generator runs
# with PYTHON (3.11 or later: it needs tomllib; the standard library only).

SYSTEMD_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
SYSCONFDIR  ?= /etc
PYTHON      ?= /usr/bin/python3
# (:= once here: pkg-config runs at most once per make)
ifeq ($(origin SYSTEMD_UNITDIR),undefined)
SYSTEMD_UNITDIR := $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
endif
ifeq ($(origin SYSTEMD_GENERATORDIR),undefined)
SYSTEMD_GENERATORDIR := $(or $(shell pkg-config --variable=systemdsystemgeneratordir systemd 2>/dev/null),/lib/systemd/system-generators)
endif

SYSTEMD_SUBST = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@PYTHON@|$(PYTHON)|g'

.PHONY: install-systemd
install-systemd:
	@set -e; \
	for d in '$(BINDIR)' '$(SYSCONFDIR)' '$(SYSTEMD_UNITDIR)' '$(SYSTEMD_GENERATORDIR)' '$(PYTHON)'; do \
		case "$$d" in /*) ;; *) echo "install-systemd: '$$d' is not an absolute path" >&2; exit 1;; esac; \
	done; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(SYSTEMD_SUBST) '$(SYSTEMD_SRC)/vale-topology.service.in' > "$$tmp/vale-topology.service"; \
	$(SYSTEMD_SUBST) '$(SYSTEMD_SRC)/vale-topology-generator.in' > "$$tmp/vale-topology-generator"; \
	if grep -n '@[A-Z]*@' "$$tmp"/*; then echo "install-systemd: a placeholder is left" >&2; exit 1; fi; \
	install -D -m 644 "$$tmp/vale-topology.service" '$(DESTDIR)$(SYSTEMD_UNITDIR)/vale-topology.service'; \
	install -D -m 755 "$$tmp/vale-topology-generator" '$(DESTDIR)$(SYSTEMD_GENERATORDIR)/vale-topology-generator'; \
	install -d -m 755 '$(DESTDIR)$(SYSCONFDIR)/vale'; \
	echo "install-systemd: $(DESTDIR)$(SYSTEMD_UNITDIR)/vale-topology.service runs $(BINDIR)/vale"; \
	echo "install-systemd: $(DESTDIR)$(SYSTEMD_GENERATORDIR)/vale-topology-generator"; \
	echo "install-systemd: then: systemctl daemon-reload; put the topology in" \
		"$(SYSCONFDIR)/vale/topology.toml; systemctl enable --now vale-topology.service"

.PHONY: uninstall-systemd
uninstall-systemd:
	rm -f '$(DESTDIR)$(SYSTEMD_UNITDIR)/vale-topology.service' \
		'$(DESTDIR)$(SYSTEMD_GENERATORDIR)/vale-topology-generator'
	@echo "uninstall-systemd: removed the unit and its generator;" \
		"$(SYSCONFDIR)/vale is left as it is"
