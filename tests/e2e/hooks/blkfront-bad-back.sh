#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Bad-input test of a block frontend: dom0 plays a backend that publishes
# garbage or disagreeing ring limits (seed blkif-multipage-rings.patch.txt,
# max-ring-page-order / max-ring-pages).
#
# Run as the scenario's DOM0_PAUSED_HOOK: in dom0, the domU created paused
# (`xl create -p`), the backend already in InitWait, before `xl unpause`.
# It overwrites the backend's max-ring-page-order / max-ring-pages with
# CASE's values, then, in the background, puts the backend's own values
# back as soon as the frontend has read them (frontend state 3 or 4), so
# that the rig's xenstore check and the backend's own validation see a
# sane backend.
# The scenario says what the frontend must have fallen back to with
# EXPECT_PAGES (the backend here is Linux blkback, max order 4):
#
#   CASE            writes                          frontend (schemes=both)
#   order-garbage   order "4x", no pages            1 page, warns
#   order-negative  order "-1", no pages            1 page, warns
#   pages-zero      pages "0", no order             1 page, warns
#   pages-not-pow2  pages "12", no order            4 pages (ffs rule), warns
#   disagree        order "2", pages "16"           16 pages (MAX rule), warns
#   order-garbage-pages-ok  order "x", pages "8"    8 pages, warns
#
# Usage: blkfront-bad-back.sh CASE FDIR BDIR [DOM TARGET]  (the rig adds
# FDIR BDIR DOM TARGET; the last two are not needed here)
# Exit 0: the nodes were written; 1: setup failed (reason on stdout).
set -u
CASE=$1 FDIR=$2 BDIR=$3

xs_get() { xenstore-read "$1" 2>/dev/null; }
say() { echo "E2E-INFO bad-back[$CASE] $*"; }
die() { echo "E2E-INFO bad-back[$CASE] FAIL: $*"; exit 1; }

t=0
while [ "$(xs_get "$BDIR/state")" != 2 ]; do
	t=$((t + 1))
	[ $t -lt 120 ] || die "backend not in InitWait (state '$(xs_get "$BDIR/state")')"
	sleep 0.5
done
orig_o=$(xs_get "$BDIR/max-ring-page-order")
orig_p=$(xs_get "$BDIR/max-ring-pages")
say "backend advertises max-ring-page-order '$orig_o' max-ring-pages '$orig_p'"

set_node() { # set_node NODE VALUE|-   (- removes it)
	if [ "$2" = - ]; then
		xenstore-rm "$BDIR/$1" 2>/dev/null
		return 0
	fi
	# "--": a value such as -1 is not an option of xenstore-write.
	xenstore-write -- "$BDIR/$1" "$2" || die "xenstore-write $BDIR/$1 '$2'"
}

case $CASE in
order-garbage) o=4x p=- ;;
order-negative) o=-1 p=- ;;
pages-zero) o=- p=0 ;;
pages-not-pow2) o=- p=12 ;;
disagree) o=2 p=16 ;;
order-garbage-pages-ok) o=x p=8 ;;
*) die "unknown case" ;;
esac
set_node max-ring-page-order "$o"
set_node max-ring-pages "$p"
say "wrote max-ring-page-order '$o' max-ring-pages '$p'"

# Put the backend's values back once the frontend has read them.
(
	t=0
	while :; do
		s=$(xs_get "$FDIR/state")
		[ "$s" = 3 ] || [ "$s" = 4 ] && break
		t=$((t + 1))
		[ $t -lt 1800 ] || break
		sleep 0.1
	done
	set_node max-ring-page-order "${orig_o:--}"
	set_node max-ring-pages "${orig_p:--}"
	say "restored the backend's nodes (frontend state '$s')"
) &
exit 0
