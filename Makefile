# Top-level build: kernel modules (Kbuild, out of tree), user-space programs,
# the user-space build of the switch core, and the test entry points.
#
#   make            build everything into build/ (bin/, modules/)
#   make deps       install what the project needs (Debian packages, VM kernel)
#   make check      user-space tests, then the kernel tests in one VM boot
#   make debug-kernel   build (once, cached) the KASAN/lockdep/kmemleak kernel
#   make check-debug    the kernel tests on the debug kernel (docs/testing.md)
#   make bench      benchmarks that print figures (build/bench/results.jsonl);
#                   NETMAP_SRC=DIR (a netmap checkout) adds netmap.ko against ours
#   make vm-shell   a shell in the test VM with the modules loaded
#   make sparse     the kernel code under sparse (fails on any warning)
#   make clean      remove every build product (keeps the downloaded VM kernel)
#   make distclean  also forget the VM kernel cache

TOP     := $(CURDIR)
BUILD   := $(TOP)/build
PYTHON  ?= /usr/bin/python3

# The kernel the VM boots (staged by scripts/install-deps) and the headers of
# the Debian kernel the project installed.
VM_KVER  := $(shell ls $(BUILD)/vm/image/root/lib/modules 2>/dev/null | head -n1)
HDR_KVER := $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	tr ',' '\n' | sed -n 's/^ *linux-headers-\([0-9][^ ]*-amd64\).*/\1/p' | head -n1)
RUN_KDIR := /lib/modules/$(shell uname -r)/build
KDIR     ?= $(if $(wildcard $(RUN_KDIR)),$(RUN_KDIR),/lib/modules/$(HDR_KVER)/build)
# The tests load the modules into the VM kernel: build them against it.
VM_KDIR  := /lib/modules/$(VM_KVER)/build

CC       ?= gcc
CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Werror -std=gnu11 -I$(TOP)/include -I$(TOP)/lib
# The project's release, one file for every program, module and package.
VALE_VERSION := $(shell cat $(TOP)/VERSION)
CFLAGS   += -DVALE_VERSION='"$(VALE_VERSION)"'
ASAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all modules programs deps check check-user check-kernel bench vm-shell \
	sparse clean distclean test-modules debug-kernel debug-modules \
	debug-test-modules check-debug vm-shell-debug install-headers
all: modules programs

deps:
	./scripts/install-deps

# ---- kernel modules --------------------------------------------------------
# Which kernel: say it, and say it loudly when the default chose one that is
# not the running kernel (then the modules will not load on this machine).
KVER_OF = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(1)/include/generated/utsrelease.h 2>/dev/null)
modules:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): run 'make deps'"; exit 1; }
	@echo "vale: building the kernel modules for Linux $(call KVER_OF,$(KDIR)) (KDIR=$(KDIR))"
	@if [ '$(origin KDIR)' = file ] && [ '$(call KVER_OF,$(KDIR))' != "$$(uname -r)" ]; then \
		echo "vale: NOTE: this machine runs Linux $$(uname -r), which has no build tree"; \
		echo "vale: NOTE: (/lib/modules/$$(uname -r)/build): these modules will NOT load here."; \
		echo "vale: NOTE: install linux-headers-$$(uname -r), or choose a kernel with KDIR=DIR"; \
	fi
	$(MAKE) -f kmods.mk KDIR=$(KDIR) kmods
	@mkdir -p $(MODSTAGE)/lookup
	cp vale.ko Module.symvers $(MODSTAGE)/
	cp lookup-modules/l3/vale_lookup_l3.ko lookup-modules/ofswitch/vale_lookup_of.ko $(MODSTAGE)/lookup/
	$(MAKE) -C $(KDIR) M=$(TOP)/examples/lookup-hello VALE=$(TOP) W=1 \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers modules
	cp examples/lookup-hello/vale_lookup_hello.ko $(MODSTAGE)/lookup/

test-modules:
	$(MAKE) -C $(KDIR) M=$(TOP)/tests/kmod-warn modules
	@mkdir -p $(BUILD)/test-modules
	cp tests/kmod-warn/*.ko $(BUILD)/test-modules/

sparse:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): run 'make deps'"; exit 1; }
	@# C=2 checks every file, built or not: no clean needed. (Kbuild's clean
	@# of M=$(TOP) would also delete every .ko under build/, the VM's too.)
	@mkdir -p $(BUILD)
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 W=1 modules 2>&1 | tee $(BUILD)/sparse.log
	@! grep -E 'warning:|error:' $(BUILD)/sparse.log

# ---- user space ------------------------------------------------------------
BIN := $(BUILD)/bin
programs: $(BIN)/abi_layout $(BUILD)/lib/libnmport.a $(BIN)/pkt-gen

$(BIN)/abi_layout: tests/abi/abi_layout.c include/net/*.h
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) -o $@ $<

# libnmport (lib/) and pkt-gen (examples/pkt-gen/). Objects go to
# build/user/, with dependency files so header edits rebuild what they touch.
UOBJ         := $(BUILD)/user
NMPORT_SRCS  := $(wildcard lib/*.c)
NMPORT_OBJS  := $(NMPORT_SRCS:%.c=$(UOBJ)/%.o)
PKTGEN_SRCS  := $(wildcard examples/pkt-gen/*.c)
PKTGEN_OBJS  := $(PKTGEN_SRCS:%.c=$(UOBJ)/%.o)

$(UOBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/lib/libnmport.a: $(NMPORT_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/pkt-gen: $(PKTGEN_OBJS) $(BUILD)/lib/libnmport.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -pthread -o $@ $(PKTGEN_OBJS) $(BUILD)/lib/libnmport.a

-include $(NMPORT_OBJS:.o=.d) $(PKTGEN_OBJS:.o=.d)

# The spec parser unit test, once as is and once under ASan/UBSan (built
# from the library sources, so the library is instrumented too).
UNIT_SRCS := tests/user/test_nmport_parse.c $(NMPORT_SRCS)

$(UOBJ)/test_nmport_parse: $(UNIT_SRCS) lib/*.h include/net/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(UNIT_SRCS)

$(UOBJ)/test_nmport_parse-asan: $(UNIT_SRCS) lib/*.h include/net/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ASAN) -o $@ $(UNIT_SRCS)

.PHONY: check-unit
check-unit: $(UOBJ)/test_nmport_parse $(UOBJ)/test_nmport_parse-asan
	$(UOBJ)/test_nmport_parse
	$(UOBJ)/test_nmport_parse-asan

# pkt-gen end to end without the kernel module, over an LD_PRELOAD fake of
# /dev/netmap (tests/user/fake_netmap.c). VALGRIND=1 adds a valgrind run.
$(UOBJ)/fake_netmap.so: tests/user/fake_netmap.c include/net/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -shared -pthread -o $@ $< -ldl

$(UOBJ)/test_nmport_fake: tests/user/test_nmport_fake.c $(BUILD)/lib/libnmport.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/lib/libnmport.a

.PHONY: check-pktgen-fake
check-pktgen-fake: $(BIN)/pkt-gen $(UOBJ)/fake_netmap.so $(UOBJ)/test_nmport_fake
	export FAKENM_DIR=$$(mktemp -d) && LD_PRELOAD=$(UOBJ)/fake_netmap.so \
		$(UOBJ)/test_nmport_fake; rc=$$?; rm -rf "$$FAKENM_DIR"; exit $$rc
	tests/user/pktgen_fake.sh $(BUILD)

# ---- the debug kernel (tests/vm/debug.config, docs/testing.md) ---------------
# Built once per machine into ~/.cache/vale (scripts/build-debug-kernel).
# Modules built against it are staged in build/modules-debug/, never in
# build/modules/. Linux 6.1 writes an external module's objects next to its
# sources, so they are built from a copy of the sources in build/kbuild-debug/,
# by this Makefile's own 'modules' target run there: the objects of the two
# kernels never mix, nor race with a normal build, and every module that
# 'modules' builds is built for the debug kernel too.
DEBUG_KDIR    = $(shell ./scripts/build-debug-kernel --dir)/src
DEBUG_KBUILD := $(BUILD)/kbuild-debug
MODSTAGE      = $(if $(findstring /debug-kernel-,$(KDIR)),$(BUILD)/modules-debug,$(BUILD)/modules)
KOBJ_EXCLUDE := --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.order' --exclude=Module.symvers --exclude=__pycache__

debug-kernel:
	./scripts/build-debug-kernel

debug-modules: debug-kernel
	@mkdir -p $(DEBUG_KBUILD)
	tar -cf - $(KOBJ_EXCLUDE) --exclude=./build --exclude=./.git . | tar -xf - -C $(DEBUG_KBUILD)
	$(MAKE) --no-print-directory -C $(DEBUG_KBUILD) BUILD=$(BUILD) KDIR=$(DEBUG_KDIR) modules

# The leak and lock-inversion modules of tests/host/test_debug_lane.py.
DEBUG_TEST_KMODS := kmod-leak kmod-lockdep
debug-test-modules: debug-kernel
	@mkdir -p $(BUILD)/kbuild-debug-tests $(BUILD)/test-modules-debug
	tar -cf - $(KOBJ_EXCLUDE) -C tests $(DEBUG_TEST_KMODS) | tar -xf - -C $(BUILD)/kbuild-debug-tests
	for m in $(DEBUG_TEST_KMODS); do \
		$(MAKE) -C $(DEBUG_KDIR) M=$(BUILD)/kbuild-debug-tests/$$m W=1 modules && \
		cp $(BUILD)/kbuild-debug-tests/$$m/*.ko $(BUILD)/test-modules-debug/ || exit 1; \
	done

include vale/vale.mk
include lookup-modules/ofswitch/of.mk
include lookup-modules/l3/l3.mk
include bench/bench.mk
include valectl/valectl.mk
include install.mk
include dkms/dkms.mk
include systemd/systemd.mk

# ---- tests -----------------------------------------------------------------
check: check-user check-kernel

check-user: programs sparse check-vale
	$(MAKE) --no-print-directory check-unit
	$(BIN)/abi_layout
	cd $(TOP)/pyctl && $(PYTHON) -m pytest -q -p no:cacheprovider tests
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules test-modules
	@# The debug lane's own test belongs to make check-debug.
	cd $(TOP) && $(PYTHON) -m pytest -p no:cacheprovider \
		--ignore=tests/host/test_debug_lane.py tests/host

# Then make install for real in a guest whose module tree, /usr/local and
# /etc are writable, with module autoloading on (tests/install).
check-kernel:
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs $(DEVKIT_LIB)
	tests/vm/run --timeout 1800 -- $(PYTHON) -m pytest -p no:cacheprovider tests/kernel
	tests/vm/run --install-root --timeout 1500 -- $(PYTHON) -m pytest -p no:cacheprovider tests/install

vm-shell:
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs
	tests/vm/run --interactive --timeout 86400 -- /bin/bash -i

# The kernel suite on the debug kernel (KASAN, lockdep, kmemleak, UBSAN,
# fault injection): about 34 minutes to build the kernel the first time.
# The timeout leaves room for a machine busy with other VMs; the slowest
# tests are listed at the end.
check-debug:
	$(MAKE) --no-print-directory debug-modules debug-test-modules programs
	cd $(TOP) && $(PYTHON) -m pytest -p no:cacheprovider tests/host/test_debug_lane.py
	tests/vm/run --debug-kernel --timeout 7200 -- $(PYTHON) -m pytest -p no:cacheprovider \
		--durations=15 tests/kernel

vm-shell-debug:
	$(MAKE) --no-print-directory debug-modules programs
	tests/vm/run --debug-kernel --interactive --timeout 86400 -- /bin/bash -i

# The benchmarks (bench/run-bench): the user-space per-core benchmark of the
# switch core and of the lookup modules as shares of the learning bridge, in
# one run of vale-bench (bench/bench.mk; make bench-l3, bench-of and
# bench-hello run one module alone), and Debian's DPDK testpmd on the host,
# then pkt-gen through two VALE ports and over a netmap pipe in one VM boot
# (bench/run-vm-bench), and veth namespaces through our switch, the Linux
# bridge and Open vSwitch in another (bench/run-nic-bench); given a netmap
# checkout (NETMAP_SRC=DIR, never fetched), netmap.ko built from it under
# build/netmap-kmod/ and netmap's pkt-gen on it and on ours in a third
# (bench/run-netmap-compare); without, one line says how to have it.
# Every figure goes to build/bench/results.jsonl, one JSON object per line,
# started afresh by each run.
BENCH_JSON := $(BUILD)/bench/results.jsonl
bench: $(BIN)/vale-bench
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs
	@mkdir -p $(BUILD)/bench
	rm -f $(BENCH_JSON)
	bench/run-bench -j $(BENCH_JSON) $(if $(NETMAP_SRC),--netmap-src '$(NETMAP_SRC)')

# Not Kbuild's clean of M=$(TOP): it would delete every .ko under build/,
# the VM kernel's modules included. build/ is pruned here, and removed below.
clean:
	find $(TOP) \( -path $(TOP)/.git -o -path $(BUILD) \) -prune -o \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '.*.d' -o -name '*.order' \
		-o -name Module.symvers \) -print \
		| xargs -r rm -f
	rm -rf $(BUILD)/bin $(BUILD)/modules $(BUILD)/test-modules $(BUILD)/bench $(BUILD)/user \
		$(BUILD)/sparse.log $(BUILD)/modules-debug $(BUILD)/test-modules-debug \
		$(BUILD)/kbuild-debug $(BUILD)/kbuild-debug-tests \
		$(BUILD)/netmap-kmod $(BUILD)/netmap-kmod.log $(BUILD)/netmap-pkt-gen

distclean: clean
	rm -rf $(BUILD)

# ---- the main job ----------------------------------------------------------
# The main job: the same benchmarks, shorter and without testpmd: a switch
# with two ports in the VM, pkt-gen traffic through it and over a pipe, and
# the per-core figures of the user-space build beside the in-VM ones.
demo: $(BIN)/vale-bench
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs
	@mkdir -p $(BUILD)/bench
	rm -f $(BUILD)/bench/demo.jsonl
	bench/run-bench --demo -j $(BUILD)/bench/demo.jsonl
.PHONY: demo
