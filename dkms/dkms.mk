# DKMS (dkms/dkms.conf.in): the kernel modules rebuilt for every installed
# kernel, and on each kernel upgrade. Included by the top-level Makefile.
#
#   sudo make dkms          dkms-source, then dkms add, build and install
#                           for the running kernel (every later kernel
#                           gets them from DKMS's autoinstall)
#   make dkms-source [DESTDIR=]
#                           only the sources DKMS builds from, with their
#                           dkms.conf, into $(DESTDIR)/usr/src/vale-VERSION
#   sudo make dkms-remove   dkms remove vale/VERSION --all
#
# Only what the modules are built from is copied (kmods.mk, Kbuild and the
# kernel sources), not the tests, tools or build/.
DKMS_SRC     := $(DESTDIR)/usr/src/vale-$(VALE_VERSION)
DKMS_FILES   := Kbuild kmods.mk VERSION include kmod drivers vale \
	lookup-modules/learn lookup-modules/l3 lookup-modules/ofswitch

.PHONY: dkms dkms-source dkms-remove
dkms-source:
	@rm -rf '$(DKMS_SRC)' && mkdir -p '$(DKMS_SRC)'
	tar -cf - $(KOBJ_EXCLUDE) $(DKMS_FILES) | tar -xf - -C '$(DKMS_SRC)'
	sed 's/@VERSION@/$(VALE_VERSION)/' dkms/dkms.conf.in > '$(DKMS_SRC)/dkms.conf'
	@echo "dkms: the module sources are in $(DKMS_SRC)"

dkms: dkms-source
	dkms add -m vale -v $(VALE_VERSION)
	dkms build -m vale -v $(VALE_VERSION)
	dkms install -m vale -v $(VALE_VERSION)
	@echo "dkms: vale $(VALE_VERSION) is built and installed; DKMS rebuilds it for new kernels"

dkms-remove:
	dkms remove -m vale -v $(VALE_VERSION) --all
	rm -rf '$(DKMS_SRC)'
