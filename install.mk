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

$(DEVKIT_LIB): $(DEVKIT_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

install-headers: $(DEVKIT_LIB)
	$(MAKE) --no-print-directory KDIR=$(DEVKIT_KDIR) modules
	@set -e; dest='$(DESTDIR)$(PREFIX)'; \
	case '$(PREFIX)' in /*) ;; *) echo "install-headers: PREFIX must be absolute" >&2; exit 1;; esac; \
	kver=$$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
		'$(DEVKIT_KDIR)/include/generated/utsrelease.h'); \
	magic=$$(modinfo -F vermagic '$(TOP)/vale.ko'); \
	case "$$magic" in "$$kver "*) ;; *) echo "install-headers: vale.ko says" \
		"'$$magic', not kernel $$kver" >&2; exit 1;; esac; \
	for h in $(DEVKIT_HDRS); do \
		install -D -m 644 "$$h" "$$dest/$$h" || exit 1; \
	done; \
	install -D -m 644 '$(DEVKIT_LIB)' "$$dest/lib/libvale-user.a"; \
	install -D -m 644 '$(TOP)/Module.symvers' "$$dest/lib/vale/symvers/$$kver/Module.symvers"; \
	mkdir -p "$$dest/lib/pkgconfig"; \
	{ \
		echo 'prefix=$(PREFIX)'; \
		echo 'includedir=$${prefix}/include'; \
		echo 'libdir=$${prefix}/lib'; \
		echo 'symversdir=$${libdir}/vale/symvers'; \
		echo '# The kernel the last install-headers built the vale module for.'; \
		echo "kernel=$$kver"; \
		echo 'kdir=$(DEVKIT_KDIR)'; \
		echo 'symvers=$${symversdir}/'"$$kver"'/Module.symvers'; \
		echo; \
		echo 'Name: vale-module'; \
		echo 'Description: VALE lookup modules: API, user-space test harness, switch core library, Module.symvers'; \
		echo 'Version: 0.1'; \
		echo 'Cflags: -I$${includedir}'; \
		echo 'Libs: -L$${libdir} -lvale-user -pthread'; \
	} > "$$dest/lib/pkgconfig/vale-module.pc"; \
	echo "install-headers: the vale development kit is in $$dest"; \
	echo "install-headers: its Module.symvers is for kernel $$kver ($(DEVKIT_KDIR)):"; \
	echo "install-headers: modules built against it load only in that kernel"; \
	echo "install-headers: (with VALE_DEV=$(PREFIX) unless pkg-config searches it)"

clean: clean-devkit
.PHONY: clean-devkit
clean-devkit:
	rm -rf $(DEVKIT)
