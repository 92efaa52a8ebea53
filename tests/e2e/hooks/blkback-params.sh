#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Module parameters of the project's xen-blkback (issue 3): every bad
# value must make the load fail with a message naming the parameter (and
# leave no module behind), good values must load and read back.
# Run as a DOM0_HOOK of a scenario whose disk is served by another backend
# (BACK=qdisk), so that the project's module is not in use.
#
# Usage: blkback-params.sh FDIR BDIR DOM TARGET (arguments unused)
set -u
# shellcheck source=scripts/rig/guest/checks.sh
. /e2e/checks.sh
KO=/e2e/proj/xen-blkback.ko
say() { echo "E2E-INFO params $*"; }
die() { echo "E2E-INFO params FAIL: $*"; exit 1; }

[ -f "$KO" ] || die "project xen-blkback.ko not built"
[ ! -d /sys/module/xen_blkback ] || rmmod xen_blkback || die "cannot unload xen_blkback"
# shellcheck disable=SC2013 # module names are words
for d in $(cat /e2e/proj/xen-blkback.deps 2>/dev/null); do modprobe "$d"; done

# bad PARAM=VALUE: the load fails and the kernel log names the parameter.
bad() {
	msg=$(param_refused "$KO" "$1") || die "$msg"
	say "refused $1: $msg"
}

bad max_ring_page_order=7
bad max_ring_page_order=-1
bad max_ring_page_order=abc
bad schemes=foo
bad schemes=
bad max_queues=257
bad max_indirect_segments=257
bad max_indirect_segments=5
bad max_buffer_pages=100
bad map_min_segments=257
bad map_min_segments=x
bad max_persistent_grants=65537

# good values load and read back
insmod "$KO" max_ring_page_order=3 schemes=pages max_queues=1 \
	max_indirect_segments=64 max_buffer_pages=1024 map_min_segments=0 ||
	die "insmod with good values failed: $(dmesg | tail -n 3 | tr '\n' ' ')"
P=/sys/module/xen_blkback/parameters
for kv in max_ring_page_order=3 schemes=pages max_queues=1 \
	max_indirect_segments=64 max_buffer_pages=1024 map_min_segments=0; do
	got=$(cat "$P/${kv%%=*}")
	[ "$got" = "${kv#*=}" ] || die "${kv%%=*} reads '$got', not '${kv#*=}'"
done
modinfo -F version "$KO" | grep -q . || die "no MODULE_VERSION"
for p in max_ring_page_order schemes max_queues max_indirect_segments \
	max_buffer_pages feature_persistent map_min_segments \
	max_persistent_grants; do
	modinfo -F parm "$KO" | grep -q "^$p:" || die "no MODULE_PARM_DESC for $p"
done
rmmod xen_blkback || die "rmmod failed"
say "PASS: bad values refused naming the parameter, good values read back"
