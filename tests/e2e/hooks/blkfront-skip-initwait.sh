#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A backend that does not wait in InitWait (Xen io/blkif.h, "Backend
# States": a backend may go straight to Initialised or Connected, and then
# "default transport parameters are in effect": a one-page ring with
# ring-ref, one queue), played by dom0 while the domU is paused.
#
# Run as the scenario's DOM0_PAUSED_HOOK (the backend, Linux blkback, is in
# InitWait and has published max-ring-page-order=4; the frontend has not
# run yet). CASE:
#   initialised   the backend's state node says Initialised (3): the
#                 frontend must set up with defaults (1 page, whatever the
#                 backend published), then connect once the backend does;
#   connected     the backend's state node says Connected (4) and the disk
#                 nodes (sectors, info, sector-size) are there already: the
#                 frontend must set up with defaults and connect at once.
# The real backend then sees the frontend Initialised/Connected, maps the
# one-page ring and connects; the rig checks the nodes (EXPECT_PAGES=1)
# and the domU's I/O.
#
# Usage: blkfront-skip-initwait.sh CASE FDIR BDIR DOM TARGET
set -u
CASE=$1 FDIR=$2 BDIR=$3 TARGET=$5

xs_get() { xenstore-read "$1" 2>/dev/null; }
say() { echo "E2E-INFO skip-initwait[$CASE] $*"; }
die() { echo "E2E-INFO skip-initwait[$CASE] FAIL: $*"; exit 1; }

[ "$(xs_get "$BDIR/state")" = 2 ] || die "backend not in InitWait (state '$(xs_get "$BDIR/state")')"
[ "$(xs_get "$FDIR/state")" = 1 ] || die "frontend not in Initialising (state '$(xs_get "$FDIR/state")')"
say "backend published max-ring-page-order '$(xs_get "$BDIR/max-ring-page-order")' max-ring-pages '$(xs_get "$BDIR/max-ring-pages")'"
case $CASE in
initialised)
	xenstore-write "$BDIR/state" 3 || die "cannot write $BDIR/state"
	;;
connected)
	# A Connected backend has published its disk and feature nodes.
	# feature-persistent as Linux blkback will decide it (its default,
	# and the frontend asks): had it stayed absent, the frontend would
	# grant pages per request while the backend keeps them mapped, and
	# the frontend would rightly disable the device ("backend still maps
	# a granted page it answered for").
	sectors=$(blockdev --getsz "$TARGET") || die "blockdev --getsz $TARGET failed"
	xenstore-write "$BDIR/sectors" "$sectors" "$BDIR/info" 0 \
		"$BDIR/sector-size" 512 "$BDIR/feature-persistent" 1 ||
		die "cannot write the disk nodes"
	xenstore-write "$BDIR/state" 4 || die "cannot write $BDIR/state"
	;;
*) die "unknown case '$CASE'" ;;
esac
say "backend state node now '$(xs_get "$BDIR/state")' (real backend still in InitWait)"
# After the unpause, for the record: what the frontend did.
(
	t=0
	while [ "$(xs_get "$FDIR/state")" != 4 ] && [ $t -lt 240 ]; do
		t=$((t + 1))
		sleep 0.5
	done
	say "frontend state '$(xs_get "$FDIR/state")': ring-ref '$(xs_get "$FDIR/ring-ref")' ring-page-order '$(xs_get "$FDIR/ring-page-order")' num-ring-pages '$(xs_get "$FDIR/num-ring-pages")' multi-queue-num-queues '$(xs_get "$FDIR/multi-queue-num-queues")'; backend state '$(xs_get "$BDIR/state")'"
) </dev/null &
exit 0
