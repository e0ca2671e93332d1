# Top-level build: kernel modules (Kbuild, out of tree), user-space programs,
# the user-space build of the switch core, and the test entry points.
#
#   make            build everything into build/ (bin/, modules/)
#   make deps       install what the project needs (Debian packages, VM kernel)
#   make check      user-space tests, then the kernel tests in one VM boot
#   make bench      benchmarks that print figures (build/bench/results.jsonl)
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
ASAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all modules programs deps check check-user check-kernel bench vm-shell \
	sparse clean distclean test-modules
all: modules programs

deps:
	./scripts/install-deps

# ---- kernel modules --------------------------------------------------------
modules:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): run 'make deps'"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules
	@mkdir -p $(BUILD)/modules
	cp vale.ko $(BUILD)/modules/

test-modules:
	$(MAKE) -C $(KDIR) M=$(TOP)/tests/kmod-warn modules
	@mkdir -p $(BUILD)/test-modules
	cp tests/kmod-warn/*.ko $(BUILD)/test-modules/

sparse:
	@test -d $(KDIR) || { echo "no kernel headers at $(KDIR): run 'make deps'"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null
	$(MAKE) -C $(KDIR) M=$(TOP) C=1 W=1 modules 2>&1 | tee $(BUILD)/sparse.log
	@! grep -E 'warning:|error:' $(BUILD)/sparse.log

# ---- user space ------------------------------------------------------------
BIN := $(BUILD)/bin
programs: $(BIN)/abi_layout

$(BIN)/abi_layout: tests/abi/abi_layout.c include/net/*.h
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) -o $@ $<

# ---- tests -----------------------------------------------------------------
check: check-user check-kernel

check-user: programs sparse
	$(BIN)/abi_layout
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules test-modules
	cd $(TOP) && $(PYTHON) -m pytest -p no:cacheprovider tests/host

check-kernel:
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs
	tests/vm/run --timeout 1800 -- $(PYTHON) -m pytest -p no:cacheprovider tests/kernel

vm-shell:
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs
	tests/vm/run --interactive --timeout 86400 -- /bin/bash -i

bench:
	@echo "make bench: no benchmark yet"

clean:
	-test -d $(KDIR) && $(MAKE) -C $(KDIR) M=$(TOP) clean
	-test -d $(KDIR) && $(MAKE) -C $(KDIR) M=$(TOP)/tests/kmod-warn clean
	find $(TOP) -path $(TOP)/.git -prune -o \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.order' -o -name Module.symvers \) -print \
		| xargs -r rm -f
	rm -rf $(BUILD)/bin $(BUILD)/modules $(BUILD)/test-modules $(BUILD)/bench $(BUILD)/user \
		$(BUILD)/sparse.log

distclean: clean
	rm -rf $(BUILD)

# ---- the main job ----------------------------------------------------------
demo:
	$(MAKE) --no-print-directory KDIR=$(VM_KDIR) modules programs
	tests/vm/run --timeout 600 -- sh -c 'grep "^vale " /proc/modules; ls -l /dev/netmap; dmesg | grep "vale:"'
