# SPDX-License-Identifier: GPL-2.0-only
#
# The Xen test rig's make targets; included by the top-level Makefile,
# which defines KDIR first (the Debian 6.1 release the modules are built
# for is the one the rig boots).
#
#   make e2e SCENARIOS="blk-ii-o0 blk-ii-o4"   the named scenarios
#   make e2e TAGS="intree"                    the scenarios with a tag
#   make e2e-smoke                            the smoke set (CI)
#   make e2e-all                              every scenario (the matrix)
#   make demo                                 boot the rig, show a multi-page
#                                             ring negotiated, I/O verified
#   make rig                                  (re)build the cached images only
#   make e2e-selftest                         the rig's checks on fake xenstore
#                                             trees (no Xen, seconds)
#   make e2e-clean                            drop .cache/rig*
#   make e2e-smoke-6.12                       the 6.12 smoke set (below)
#
# E2E_KERNEL picks the Debian 12 kernel the rig boots as dom0 and domU and
# the modules are built for: 6.1 (default: KDIR's release, modules built
# in the tree) or 6.12 (the newest /usr/src/linux-headers-6.12.*-amd64,
# modules built by `make kernels` in build/kernels/<kver>/, images cached
# in .cache/rig-6.12/), for every target here:
#   make e2e E2E_KERNEL=6.12 SCENARIOS="blk-ii-o4"
#
# Scenarios: tests/e2e/scenarios.list; how to write one: tests/e2e/README.md.
# Each run first tries to build the modules (E2E_BUILD=0 skips that); when
# they do not build, scenarios that need them fail and the others run.

E2E_RIG := $(CURDIR)/scripts/rig
# The kernel the rig boots: the release the modules' vermagic names, i.e.
# UTS_RELEASE of the headers in KDIR ("6.1.0-56-amd64"). Not $(KVER): a
# Debian headers package's kernel.release is the upstream version
# ("6.1.192"), which names no installed kernel. Expanded late, once the
# deps target may have installed the headers.
E2E_KERNEL ?= 6.1
ifeq ($(E2E_KERNEL),6.1)
E2E_KDIR = $(KDIR)
E2E_MODULES_CMD = $(MAKE) --no-print-directory modules test-modules
else
E2E_KDIR = $(shell ls -d /usr/src/linux-headers-$(E2E_KERNEL).*-amd64 2>/dev/null | sort -V | tail -n1)
E2E_MODULES_CMD = $(CURDIR)/scripts/kernels.sh $(E2E_KDIR)
endif
E2E_KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(E2E_KDIR)/include/generated/utsrelease.h 2>/dev/null)
E2E_ENV = RIG_KERNEL=$(E2E_KERNEL) $(if $(E2E_KVER),KVER=$(E2E_KVER))
E2E_LOGDIR = $(CURDIR)/.cache/rig$(if $(filter-out 6.1,$(E2E_KERNEL)),-$(E2E_KERNEL))
E2E_BUILD ?= 1
# The 6.12 smoke: the 6.1 smoke set, plus the project's drivers against
# each in-tree driver of 6.12 (blkback, scsiback, scsifront) and pvSCSI.
E2E_SMOKE_612 ?= blk-ii-o0 blk-ii-o4 blk-iq-o4 blk-pp-o6 blk-ip-o4 blk-pi-o4 \
	vscsi-ii-naa vscsi-ip-naa vscsi-pi-naa vscsi-pp-naa-o4
SCENARIOS ?=
TAGS ?=

.PHONY: e2e e2e-smoke e2e-smoke-6.12 e2e-all demo rig e2e-clean e2e-modules \
	e2e-selftest

# Build the modules if possible, never fail here: the rig also runs the
# in-tree drivers, and a scenario that needs a missing module says so.
e2e-modules:
ifeq ($(E2E_BUILD),1)
	@mkdir -p $(E2E_LOGDIR)
	@if $(E2E_MODULES_CMD) >$(E2E_LOGDIR)/modules-build.log 2>&1; then \
		echo "e2e: modules built in $(E2E_KDIR) for $(E2E_KVER)"; \
	else \
		echo "e2e: the modules did not build; scenarios with FRONT/BACK=proj will fail ($(E2E_LOGDIR)/modules-build.log):"; \
		grep -m5 -E 'error|Error|FAIL' $(E2E_LOGDIR)/modules-build.log || true; \
	fi
endif

e2e: e2e-modules
	@test -n "$(SCENARIOS)$(TAGS)" || { echo 'usage: make e2e SCENARIOS="name ..." or TAGS="tag ..."' >&2; exit 2; }
	$(E2E_ENV) $(E2E_RIG)/run.sh $(addprefix --tag ,$(TAGS)) $(SCENARIOS)

e2e-smoke: e2e-modules
	@$(CURDIR)/tests/e2e/selftest-checks.sh --quiet
	$(E2E_ENV) $(E2E_RIG)/run.sh --tag smoke

# The smoke on 6.12 (CI): same images and checks, the 6.12 kernel.
e2e-smoke-6.12:
	$(MAKE) --no-print-directory e2e E2E_KERNEL=6.12 SCENARIOS="$(E2E_SMOKE_612)"

e2e-all: e2e-modules
	$(E2E_ENV) $(E2E_RIG)/run.sh --all

demo: e2e-modules
	$(E2E_ENV) $(E2E_RIG)/demo.sh

rig:
	$(E2E_ENV) $(E2E_RIG)/build.sh

# The rig's checks against hand-made xenstore trees (host only, seconds).
e2e-selftest:
	$(CURDIR)/tests/e2e/selftest-checks.sh

e2e-clean:
	rm -rf $(CURDIR)/.cache/rig $(CURDIR)/.cache/rig-*
