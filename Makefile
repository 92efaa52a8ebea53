# SPDX-License-Identifier: GPL-2.0-only
#
# xen-mpring: out-of-tree Xen PV storage drivers with multi-page rings.
#
#   make              build the modules against the Debian 6.1 headers
#   make check        sparse (C=2) + W=1, must print no warning
#   make kernels      build for every installed Debian 12 kernel (6.1, 6.12),
#                     each in build/kernels/<kver>/
#   make check-kernels  the same with sparse (C=2) + W=1, failing on a warning
#   make style        checkpatch --strict over the sources
#   make test         unit tests, fuzzers (bounded) and the e2e smoke set
#   make install      modules_install into /lib/modules/$(KVER)/updates
#   make dkms-install copy the sources to /usr/src/xen-mpring-$(VERSION)
#
# The build machine runs some other kernel: never default to `uname -r`.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(CURDIR)/dkms.conf)

# Newest Debian 6.1 headers unless told otherwise (KDIR=... or KVER=...).
ifeq ($(origin KDIR),undefined)
ifneq ($(KVER),)
KDIR := /usr/src/linux-headers-$(KVER)
else
KDIR := $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1)
endif
endif
# The release the headers are for. Not include/config/kernel.release:
# Debian writes the package version there (6.1.192), which names no
# kernel; UTS_RELEASE is the running kernel's name (6.1.0-56-amd64).
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# Our sources only: not kbuild's generated *.mod.c.
SOURCES := $(filter-out %.mod.c,$(wildcard include/xen-mpring/*.h \
	proto/*.[ch] common/*.[ch] blkback/*.[ch] blkfront/*.[ch] vscsi/*.[ch] \
	tests/e2e/evilfront/*.[ch] bench/abback/*.c))

# Test-only modules: built for the rig, never installed or packaged
# (the evil frontend; blkback under another name for the benchmark).
TEST_MODULE_DIRS := tests/e2e/evilfront bench/abback

# Where checkpatch.pl comes from: the headers package does not ship it, the
# matching linux-source package does. CAMELCASE is off because --no-tree
# cannot know the kernel's own mixed-case types (struct Scsi_Host).
CHECKPATCH_DIR := $(CURDIR)/.cache/checkpatch

.PHONY: all modules test-modules clean install dkms-install check style test unit fuzz \
	kdir-check deps kernels check-kernels

all: modules

kdir-check:
	@test -n "$(KDIR)" -a -f "$(KDIR)/Makefile" || { \
		echo "error: no kernel headers: install linux-headers-amd64 (Debian 6.1) or pass KDIR=" >&2; \
		exit 1; }

modules: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) XMP_VERSION=$(VERSION) modules

# The rig's test-only modules (xen-evilfront, FRONT=evil): not in Kbuild,
# so DKMS and `make install` never see them.
test-modules: kdir-check
	$(foreach d,$(TEST_MODULE_DIRS),$(MAKE) -C $(KDIR) M=$(CURDIR)/$(d) XMP_VERSION=$(VERSION) modules &&) true

# sparse + W=1 on a fresh compile of every object; fail on any warning.
check: kdir-check
	@command -v sparse >/dev/null || { echo "error: sparse not installed (apt-get install sparse)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) XMP_VERSION=$(VERSION) clean >/dev/null
	$(MAKE) -C $(KDIR) M=$(CURDIR) XMP_VERSION=$(VERSION) C=2 W=1 modules 2>&1 | tee .check.log
	$(foreach d,$(TEST_MODULE_DIRS),$(MAKE) -C $(KDIR) M=$(CURDIR)/$(d) clean >/dev/null;)
	$(foreach d,$(TEST_MODULE_DIRS),$(MAKE) -C $(KDIR) M=$(CURDIR)/$(d) XMP_VERSION=$(VERSION) C=2 W=1 modules 2>&1 | tee -a .check.log;)
	@! grep -E 'warning:|error:' .check.log || { echo "make check: warnings above" >&2; rm -f .check.log; exit 1; }
	@rm -f .check.log

# Every installed Debian 12 kernel (6.1 and 6.12 headers under /usr/src),
# each built in its own copy of the sources: build/kernels/<kver>/.
kernels:
	scripts/kernels.sh

check-kernels:
	scripts/kernels.sh --check

style:
	@scripts/get-checkpatch.sh $(CHECKPATCH_DIR)
	$(CHECKPATCH_DIR)/checkpatch.pl --strict --no-tree --terse --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,CAMELCASE \
		-f $(SOURCES)
	@rm -f .checkpatch-camelcase.*

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates \
		KERNELRELEASE=$(KVER) modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)

dkms-install:
	scripts/dkms-install.sh $(VERSION)

unit fuzz:
	$(MAKE) -C tests $@

# The project's test command (README): unit tests under ASan/UBSan,
# bounded fuzzing, and the Xen rig's smoke scenarios.
test: deps
	scripts/run-tests.sh

deps:
	scripts/install-deps.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(foreach d,$(TEST_MODULE_DIRS),$(MAKE) -C $(KDIR) M=$(CURDIR)/$(d) clean;)
	-$(MAKE) -C tests clean
	rm -rf build/kernels

-include tests/e2e/e2e.mk
-include bench/bench.mk

# The rig's targets (tests/e2e/e2e.mk) install what they need first.
demo e2e e2e-smoke e2e-smoke-6.12 e2e-all: deps
