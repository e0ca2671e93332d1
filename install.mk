# make install-headers: the development kit for lookup modules built
# outside the tree (docs/writing-a-lookup-module.md, examples/lookup-hello).
# Included by the top-level Makefile, after vale/vale.mk (VALE_SRCS).
#
#   make install-headers [PREFIX=/usr/local] [DESTDIR=] [KDIR=DIR]
#
# Installs, under $(DESTDIR)$(PREFIX):
#
#   include/vale/lookup.h         the lookup module API
#   include/vale/uport.h          the user-space test harness
#   include/uapi/linux/vale.h     the control plane's uapi (lookup.h has it)
#   include/net/netmap.h, netmap_legacy.h   the netmap API (uport.h has it)
#   lib/libvale-user.a            the switch core built for user space
#                                 (VALE_SRCS of vale/vale.mk: forward,
#                                 switch, lookup, the learning bridge, uport)
#   lib/vale/symvers/KVER/Module.symvers
#                                 the vale module's exported symbols, for
#                                 kernel release KVER (one folder per kernel)
#   lib/pkgconfig/vale-module.pc  cflags and libs for the harness; variables
#                                 includedir, libdir, symversdir, and kernel,
#                                 kdir, symvers: those of this install
#
# The vale module is built first (make modules) for KDIR: by default the
# kernel the test VM boots (build/vm, after make deps), as the tests build
# it, so that a module built against the kit loads in the VM; else the
# Makefile's default KDIR. KDIR=DIR on the command line chooses another,
# and a second install for another kernel adds its Module.symvers beside
# the first (kernel, kdir and symvers then name the newest). The release
# the Module.symvers is for is printed at the end, and checked against the
# vermagic of the vale.ko built with it. Not for the debug kernel (its
# modules are built from a copy of the tree: make debug-modules).

PREFIX  ?= /usr/local
DESTDIR ?=

DEVKIT      := $(BUILD)/devkit
DEVKIT_LIB  := $(DEVKIT)/libvale-user.a
DEVKIT_OBJS := $(VALE_SRCS:%.c=$(DEVKIT)/obj/%.o)
# KDIR given on the command line (or in the environment) wins; otherwise
# the VM's kernel, as the tests use it.
DEVKIT_KDIR := $(if $(filter command line environment,$(origin KDIR)),$(KDIR),$(if \
	$(VM_KVER),$(VM_KDIR),$(KDIR)))
DEVKIT_HDRS := include/vale/lookup.h include/vale/uport.h include/uapi/linux/vale.h \
	include/net/netmap.h include/net/netmap_legacy.h

$(DEVKIT)/obj/%.o: %.c $(VALE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) -c -o $@ $<

# Built by make (all), so that make install after make builds nothing.
all: $(DEVKIT_LIB)
$(DEVKIT_LIB): $(DEVKIT_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

install-headers: $(DEVKIT_LIB)
	$(MAKE) --no-print-directory KDIR=$(DEVKIT_KDIR) modules
	$(MAKE) --no-print-directory install-devkit

# The kit from what 'modules' staged (build/modules: vale.ko and its
# Module.symvers, one build for one kernel), building nothing: make
# install uses it after make, and under a read-only tree.
INSTALL_MODS := $(BUILD)/modules
install-devkit: $(DEVKIT_LIB)
	@set -e; dest='$(DESTDIR)$(PREFIX)'; \
	case '$(PREFIX)' in /*) ;; *) echo "install: PREFIX must be absolute" >&2; exit 1;; esac; \
	test -f '$(INSTALL_MODS)/Module.symvers' || { echo "install: no kernel modules built: run 'make' first" >&2; exit 1; }; \
	kver='$(KVER_BUILT)'; \
	for h in $(DEVKIT_HDRS); do \
		install -D -m 644 "$$h" "$$dest/$$h" || exit 1; \
	done; \
	install -D -m 644 '$(DEVKIT_LIB)' "$$dest/lib/libvale-user.a"; \
	install -D -m 644 '$(INSTALL_MODS)/Module.symvers' "$$dest/lib/vale/symvers/$$kver/Module.symvers"; \
	mkdir -p "$$dest/lib/pkgconfig"; \
	{ \
		echo 'prefix=$(PREFIX)'; \
		echo 'includedir=$${prefix}/include'; \
		echo 'libdir=$${prefix}/lib'; \
		echo 'symversdir=$${libdir}/vale/symvers'; \
		echo '# The kernel the last install built the vale module for.'; \
		echo "kernel=$$kver"; \
		echo "kdir=/lib/modules/$$kver/build"; \
		echo 'symvers=$${symversdir}/'"$$kver"'/Module.symvers'; \
		echo; \
		echo 'Name: vale-module'; \
		echo 'Description: VALE lookup modules: API, user-space test harness, switch core library, Module.symvers'; \
		echo 'Version: $(VALE_VERSION)'; \
		echo 'Cflags: -I$${includedir}'; \
		echo 'Libs: -L$${libdir} -lvale-user -pthread'; \
	} > "$$dest/lib/pkgconfig/vale-module.pc"; \
	echo "install: the vale development kit is in $$dest"; \
	echo "install: its Module.symvers is for kernel $$kver (/lib/modules/$$kver/build):"; \
	echo "install: modules built against it load only in that kernel"; \
	echo "install: (with VALE_DEV=$(PREFIX) unless pkg-config searches it)"

# ---- make install ------------------------------------------------------------
#   make && sudo make install [PREFIX=/usr/local] [DESTDIR=]
#   sudo make modules_install      the kernel modules alone
#   sudo make install-tools        all but the kernel modules (DKMS has them)
#   sudo make uninstall            the same lists, removed
#
# Installs what make built, and builds nothing but out-of-date programs
# (run make first, as for any out-of-tree kernel module):
#
#   /lib/modules/KVER/updates/vale/   vale.ko, vale_lookup_l3.ko, vale_lookup_of.ko
#                                     for the kernel they were built for (KVER
#                                     from vale.ko), then depmod -a KVER, so the
#                                     lookup modules load by their alias
#                                     (vale-lookup-NAME) and vale by its genl
#                                     family; under DESTDIR depmod is skipped,
#                                     with a message
#   BINDIR (PREFIX/bin)               valectl, pkt-gen, vale (pyctl's command)
#   MANDIR/man8                       valectl.8
#   PYDIR (PREFIX/lib/pythonX.Y/dist-packages)
#                                     the vale package, byte-compiled, with its
#                                     dist-info (pip list sees it)
#   the development kit of install-headers (install-devkit above)
#   the boot-time topology unit (systemd/systemd.mk: install-systemd)
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
PY_VER  := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYDIR   ?= $(PREFIX)/lib/python$(PY_VER)/dist-packages
# The kernel modules make install takes from build/modules, and the names
# the lookup modules are staged under (build/modules/lookup/).
INSTALL_KMODS := vale.ko lookup/vale_lookup_l3.ko lookup/vale_lookup_of.ko
INSTALL_PROGS := $(BIN)/valectl $(BIN)/pkt-gen
PYCTL_DIST    := vale-$(VALE_VERSION).dist-info
# modinfo and depmod live in /sbin, which a user's PATH may lack: recipes
# get it through the export, $(shell) (which make 4.3 runs with the PATH
# make started with) through modinfo's own path.
export PATH := $(PATH):/usr/sbin:/sbin
MODINFO    := $(firstword $(wildcard /usr/sbin/modinfo /sbin/modinfo) modinfo)
# The kernel the staged modules were built for: every install step's KVER.
KVER_BUILT  = $(shell $(MODINFO) -F vermagic $(INSTALL_MODS)/vale.ko 2>/dev/null | cut -d' ' -f1)

.PHONY: install modules_install install-modules install-tools install-programs \
	install-python install-devkit uninstall
install: install-modules install-tools
	@echo "install: done (Linux $(KVER_BUILT); PREFIX=$(PREFIX)$(if $(DESTDIR),; DESTDIR=$(DESTDIR)))"
install-tools: install-programs install-python install-devkit install-systemd
uninstall: uninstall-systemd

modules_install: install-modules
install-modules:
	@set -e; for m in $(INSTALL_KMODS); do test -f '$(INSTALL_MODS)/'$$m || \
		{ echo "install: $(INSTALL_MODS)/$$m is not built: run 'make' first" >&2; exit 1; }; done
	@set -e; kver='$(KVER_BUILT)'; \
	test -n "$$kver" || { echo "install: no kernel release in $(INSTALL_MODS)/vale.ko's vermagic" >&2; exit 1; }; \
	dir='$(DESTDIR)/lib/modules/'"$$kver"'/updates/vale'; \
	echo "install: the kernel modules for Linux $$kver into $$dir"; \
	install -d "$$dir"; \
	for m in $(INSTALL_KMODS); do install -m 644 '$(INSTALL_MODS)/'$$m "$$dir/"; done; \
	if [ -n '$(DESTDIR)' ]; then \
		echo "install: DESTDIR is set: depmod skipped; on the target run: depmod -a $$kver"; \
	else \
		depmod -a "$$kver"; \
	fi

install-programs: $(INSTALL_PROGS)
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man8'
	install -m 755 $(INSTALL_PROGS) '$(DESTDIR)$(BINDIR)/'
	install -m 644 valectl/valectl.8 '$(DESTDIR)$(MANDIR)/man8/'

# pyctl without pip (which a host may not have): the package's files, their
# bytecode (a Python that cannot write it, as on a read-only root, would
# compile every module on every call), a dist-info, and the console script.
install-python:
	@set -e; pkg='$(DESTDIR)$(PYDIR)/vale'; dist='$(DESTDIR)$(PYDIR)/$(PYCTL_DIST)'; \
	install -d "$$pkg" "$$dist"; \
	install -m 644 pyctl/vale/*.py "$$pkg/"; \
	$(PYTHON) -m compileall -q -d '$(PYDIR)/vale' "$$pkg"; \
	sed -e 's|@PYTHON@|$(PYTHON)|' -e 's|@PYDIR@|$(PYDIR)|' pyctl/vale.in > '$(DESTDIR)$(BINDIR)/vale'; \
	chmod 755 '$(DESTDIR)$(BINDIR)/vale'; \
	printf 'Metadata-Version: 2.1\nName: vale\nVersion: $(VALE_VERSION)\nSummary: %s\n' \
		'Control VALE switches over the vale generic netlink family' > "$$dist/METADATA"; \
	printf '[console_scripts]\nvale = vale.cli:main\n' > "$$dist/entry_points.txt"; \
	echo vale > "$$dist/top_level.txt"; \
	echo make > "$$dist/INSTALLER"; \
	( cd '$(DESTDIR)$(PYDIR)' && find vale $(PYCTL_DIST) -type f | sort | sed 's/$$/,,/' && \
		echo '$(PYCTL_DIST)/RECORD,,' ) > "$$dist/RECORD"; \
	echo "install: pyctl into $(PYDIR), its command: $(BINDIR)/vale"

uninstall:
	@set -e; kver='$(KVER_BUILT)'; \
	for m in $(notdir $(INSTALL_KMODS)); do rm -f '$(DESTDIR)/lib/modules/'"$$kver"'/updates/vale/'$$m; done; \
	rmdir '$(DESTDIR)/lib/modules/'"$$kver"'/updates/vale' 2>/dev/null || true; \
	[ -n '$(DESTDIR)' ] || [ -z "$$kver" ] || depmod -a "$$kver"; \
	rm -f $(addprefix '$(DESTDIR)$(BINDIR)'/,$(notdir $(INSTALL_PROGS)) vale) '$(DESTDIR)$(MANDIR)/man8/valectl.8'; \
	rm -rf '$(DESTDIR)$(PYDIR)/vale' '$(DESTDIR)$(PYDIR)/$(PYCTL_DIST)'; \
	rm -f $(addprefix '$(DESTDIR)$(PREFIX)'/,$(DEVKIT_HDRS)) '$(DESTDIR)$(PREFIX)/lib/libvale-user.a' \
		'$(DESTDIR)$(PREFIX)/lib/pkgconfig/vale-module.pc'; \
	rm -rf '$(DESTDIR)$(PREFIX)/lib/vale'; \
	echo "uninstall: removed what make install put under $(DESTDIR)$(PREFIX) and /lib/modules/$$kver"

clean: clean-devkit
.PHONY: clean-devkit
clean-devkit:
	rm -rf $(DEVKIT)
