#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Bad-input test of a block backend: dom0 plays a broken frontend.
#
# The domU runs no block frontend (FRONT=none); this script, run in dom0
# once the domU exists, writes bad transport nodes into the domU's
# frontend directory (dom0 may write there), switches the frontend state to
# Initialised and checks that the backend:
#   - refuses with xenbus_dev_fatal(): an "error" node under
#     /local/domain/0/error/<backend dir>/ whose text names the reason,
#   - switches to Closing,
#   - logs the reason, naming the device, in dom0's kernel log,
# and that it comes back to normal when the "frontend" goes away (the
# rig then checks: no WARN/BUG, domain gone, no nodes left, rmmod works).
#
# Usage: blkback-bad-front.sh CASE FDIR BDIR
#   CASE: order-too-big | disagree | pages-not-pow2 | missing-ref |
#         garbage-order | garbage-ref | dup-ref | ring-ref-too | bad-grant |
#         bad-protocol | bad-queues | bad-evtchn | reconnect
#   reconnect: order-too-big, then the "frontend" closes and comes back
#   (Closed -> Initialising): the backend must republish its transport
#   nodes, return to InitWait, and refuse the bad ring again.
# Exit 0: the backend behaved; 1: it did not (reason on stdout).
set -u
CASE=$1 FDIR=$2 BDIR=$3

xs_get() { xenstore-read "$1" 2>/dev/null; }
say() { echo "E2E-INFO bad-front[$CASE] $*"; }
die() { echo "E2E-INFO bad-front[$CASE] FAIL: $*"; exit 1; }

# wait_for PATH VALUE SECONDS
wait_for() {
	t=0
	while [ "$(xs_get "$1")" != "$2" ]; do
		t=$((t + 1))
		[ $t -lt $(($3 * 2)) ] || return 1
		sleep 0.5
	done
}

wait_for "$BDIR/state" 2 60 ||
	die "backend not in InitWait (state '$(xs_get "$BDIR/state")')"
mo=$(xs_get "$BDIR/max-ring-page-order")
mp=$(xs_get "$BDIR/max-ring-pages")
say "backend advertises max-ring-page-order '$mo' max-ring-pages '$mp'"
[ -n "$mo" ] || mo=0

w() { xenstore-write "$FDIR/$1" "$2" || die "xenstore-write $FDIR/$1"; }
refs() { # refs N: ring-ref0..ring-ref<N-1> with distinct made-up numbers
	i=0
	while [ $i -lt "$1" ]; do
		w "ring-ref$i" $((100 + i))
		i=$((i + 1))
	done
}

w event-channel 9
case $CASE in
order-too-big | reconnect)
	w ring-page-order $((mo + 1))
	refs $((1 << (mo + 1)))
	expect='ring-page-order'
	;;
disagree)
	w ring-page-order 2
	w num-ring-pages 8
	refs 4
	expect='ring-page-order|num-ring-pages|disagree|agree'
	;;
pages-not-pow2)
	w num-ring-pages 3
	refs 3
	expect='num-ring-pages|power'
	;;
missing-ref)
	w ring-page-order 2
	refs 3
	expect='ring-ref3'
	;;
garbage-order)
	w ring-page-order 4x
	refs 16
	expect='ring-page-order'
	;;
garbage-ref)
	w ring-page-order 1
	w ring-ref0 12
	w ring-ref1 zz
	expect='ring-ref1'
	;;
dup-ref)
	w ring-page-order 1
	w ring-ref0 12
	w ring-ref1 12
	expect='ring-ref1'
	;;
ring-ref-too)
	# Note (6): a multi-page ring does not create ring-ref.
	w ring-page-order 1
	refs 2
	w ring-ref 77
	expect='ring-ref'
	;;
bad-grant)
	# Well-formed, but nothing is granted: Xen refuses the mapping.
	w ring-ref 7777
	expect='grant reference 7777|ring page 0'
	;;
bad-protocol)
	w protocol x86_32-abi
	w ring-ref 8
	expect='x86_32-abi'
	;;
bad-queues)
	w multi-queue-num-queues 9999
	w ring-ref 8
	expect='multi-queue-num-queues'
	;;
bad-evtchn)
	w event-channel nine
	w ring-ref 8
	expect='event-channel'
	;;
*) die "unknown case" ;;
esac
w state 3
say "frontend nodes: $(xenstore-ls "$FDIR" 2>/dev/null | tr -s ' ' | tr '\n' ';')"

# xenbus_dev_fatal() writes error/<backend nodename>/error in dom0's home.
enode=/local/domain/0/error${BDIR#/local/domain/0}/error
t=0
while [ -z "$(xs_get "$enode")" ]; do
	t=$((t + 1))
	[ $t -lt 60 ] || die "no error node $enode after 30 s (backend state '$(xs_get "$BDIR/state")')"
	sleep 0.5
done
err=$(xs_get "$enode")
say "backend error node: $err"
echo "$err" | grep -Eq "$expect" || die "error node does not name the reason (/$expect/): $err"
wait_for "$BDIR/state" 5 10 ||
	die "backend state '$(xs_get "$BDIR/state")' after the error (expected 5, Closing)"
dmesg | grep -E "vbd-[0-9]+-[0-9]+" | grep -Eq "$expect" ||
	die "dom0 kernel log has no line naming the device and the reason"
say "dmesg: $(dmesg | grep -E "vbd-[0-9]+-[0-9]+" | grep -E "$expect" | tail -n 1)"

# The "frontend" gives up: the backend must follow to Closed.
w state 6
wait_for "$BDIR/state" 6 20 ||
	die "backend state '$(xs_get "$BDIR/state")' after the frontend closed (expected 6)"
if [ "$CASE" = reconnect ]; then
	xenstore-rm "$enode" 2>/dev/null
	xenstore-rm "$BDIR/max-ring-page-order" "$BDIR/max-ring-pages" 2>/dev/null
	w state 1
	wait_for "$BDIR/state" 2 20 ||
		die "backend state '$(xs_get "$BDIR/state")' after the frontend came back (expected 2, InitWait)"
	[ "$(xs_get "$BDIR/max-ring-page-order")" = "$mo" ] ||
		die "max-ring-page-order not republished ('$(xs_get "$BDIR/max-ring-page-order")')"
	say "back in InitWait, transport nodes republished"
	w state 3
	t=0
	while [ -z "$(xs_get "$enode")" ]; do
		t=$((t + 1))
		[ $t -lt 60 ] || die "second round: no error node"
		sleep 0.5
	done
	xs_get "$enode" | grep -Eq "$expect" || die "second round: $(xs_get "$enode")"
	wait_for "$BDIR/state" 5 10 || die "second round: backend state '$(xs_get "$BDIR/state")'"
	w state 6
	wait_for "$BDIR/state" 6 20 || die "second round: backend not Closed"
	say "second round refused alike"
fi
say "PASS: backend refused with the reason and closed"
exit 0
