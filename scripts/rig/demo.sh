#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make demo`: boot the rig once, attach a disk to a PV domU over a
# multi-page ring, verify I/O on it, and show what was negotiated: the
# frontend's and the backend's xenstore nodes for the device.
#
# Uses the project's xen-blkfront / xen-blkback when they were built for
# the rig's kernel and load, else the in-tree ones; the output says which.
# (e2e.mk's demo target tries to build the modules first.)
set -euo pipefail
# shellcheck source=scripts/rig/lib.sh
. "$(dirname "$0")/lib.sh"

list=$(mktemp)
trap 'rm -f "$list"' EXIT
# FRONT/BACK=auto: the project's module if it loads, else the in-tree one.
# max_ring_page_order=4 makes the in-tree blkfront ask for 16 pages (its
# default is one page); the project's modules take the same parameter.
echo "demo demo FRONT=auto BACK=auto FRONT_PARAMS=max_ring_page_order=4 EXPECT_MIN_PAGES=2" >"$list"

rc=0
"$RIG_DIR/run.sh" --list "$list" demo | tee "$RIG_CACHE/demo.out" || rc=$?
serial=$(sed -n 's/^serial log: //p' "$RIG_CACHE/demo.out" | tail -n1)
[ -f "$serial" ] || die "no serial log"

show() { tr -d '\r' <"$serial" | grep -oE "$1" || true; }
echo
echo "==================== demo: multi-page ring over Xen PV block ===================="
echo "--- drivers"
show 'E2E-INFO demo \+[0-9]+s backend: .*' | sed -E 's/^E2E-INFO demo \+[0-9]+s /  dom0 /'
show 'E2E-DOMU demo frontend: .*' | sed 's/^E2E-DOMU demo /  domU /'
show 'E2E-INFO demo \+[0-9]+s project .*' | sed -E 's/^E2E-INFO demo \+[0-9]+s /  dom0 note: /'
show 'E2E-DOMU demo project .*' | sed 's/^E2E-DOMU demo /  domU note: /'
echo "--- frontend xenstore nodes (domU side, /local/domain/<domid>/device/vbd/<devid>)"
show 'E2E-XS demo front .*' | sed 's/^E2E-XS demo front /  /'
echo "--- backend xenstore nodes (dom0 side, /local/domain/0/backend/...)"
show 'E2E-XS demo back .*' | sed 's/^E2E-XS demo back /  /'
echo "--- negotiated ring (checked against the blkif multi-page ring spec)"
show 'E2E-RING demo .*' | sed 's/^E2E-RING demo /  /'
echo "--- I/O verified in the domU"
show 'E2E-DOMU demo (dd|fio): .*' | sed 's/^E2E-DOMU demo /  /'
echo "--- result"
show 'E2E-RESULT demo .*' | sed 's/^E2E-RESULT demo /  /'
echo "full serial log: $serial"
exit "$rc"
