# The kernel modules alone, for one kernel: the core (vale.ko: /dev/netmap,
# the switch, the learning bridge) and the lookup modules l3 and of.
#
#   make -f kmods.mk KDIR=/lib/modules/KVER/build [VALE_WERROR=0]
#
# Standalone on purpose: DKMS runs it in its copy of the kernel sources
# (dkms.conf), where the rest of the tree (tests, tools) is not. The
# top-level Makefile's 'modules' builds through it too, so both build the
# same modules the same way. VALE_WERROR=0 lets warnings pass (a user's
# kernel built by another compiler than ours); the project's builds keep
# them errors.

KMODS_TOP := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
KDIR      ?= /lib/modules/$(shell uname -r)/build
KMODS_FLAGS := W=1 $(if $(VALE_WERROR),VALE_WERROR=$(VALE_WERROR))
# The lookup modules' folders under lookup-modules/ and the .ko each makes.
KMODS_LOOKUP := l3:vale_lookup_l3 ofswitch:vale_lookup_of

.PHONY: kmods
kmods:
	@test -d $(KDIR) || { echo "kmods: no kernel build tree at $(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(KMODS_TOP) $(KMODS_FLAGS) modules
	@set -e; for m in $(KMODS_LOOKUP); do \
		$(MAKE) -C $(KDIR) M=$(KMODS_TOP)/lookup-modules/$${m%%:*} VALE=$(KMODS_TOP) \
			KBUILD_EXTRA_SYMBOLS=$(KMODS_TOP)/Module.symvers $(KMODS_FLAGS) modules; \
	done

# What kmods leaves in the tree it builds in (DKMS's CLEAN).
.PHONY: kmods-clean
kmods-clean:
	find $(KMODS_TOP) \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.order' -o -name Module.symvers \) -delete
