#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0's half of the ring bad-input test of a block backend (FRONT=evil):
# the domU's test-only frontend (tests/e2e/evilfront) puts malformed
# requests on the ring, checks every answer and the data of the good
# requests among them, then pushes req_prod more than a ring ahead; its
# verdict is the domU's. Here dom0 checks that the backend
#   - answered the bad requests and counted them: statistics err_req =
#     ERRS, unsupp_req = UNSUPP (what the evil frontend sends);
#   - took its two barriers (one with data, one empty) behind its writes:
#     b_req = BREQ (2 on a disk with a write cache, where the backend
#     offers feature-barrier; 0 elsewhere, where they are unsupported);
#   - logged each reason naming the device (rate-limited, hence the
#     frontend's pause between its batches);
#   - gave up on the overflowing ring with xenbus_dev_fatal(): an error
#     node naming req_prod, state Closing, then Closed once the frontend
#     closed;
# and the rig then checks: domain gone (no grant mapping left), no node
# left, the module unloads, no WARN/BUG in either kernel log.
#
# Usage: blkback-evil.sh ERRS UNSUPP BREQ FDIR BDIR DOM TARGET
set -u
ERRS=$1 UNSUPP=$2 BREQ=$3 FDIR=$4 BDIR=$5

xs_get() { xenstore-read "$1" 2>/dev/null; }
say() { echo "E2E-INFO evil: $*"; }
die() { echo "E2E-INFO evil: FAIL: $*"; exit 1; }

d=${BDIR#/local/domain/0/backend/vbd/}
dev=vbd-${d%%/*}-${d##*/}
sys=/sys/bus/xen-backend/devices/$dev
counter() { cat "$sys/statistics/$1" 2>/dev/null; }

res=${FDIR%/device/*}/data/e2e-result
t=0
while [ -z "$(xs_get "$res")" ]; do
	t=$((t + 1))
	[ $t -lt 600 ] || die "no verdict from the domU in 300 s (backend state '$(xs_get "$BDIR/state")')"
	sleep 0.5
done
case $(xs_get "$res") in
PASS*) say "domU: $(xs_get "$res")" ;;
*) die "domU: $(xs_get "$res")" ;;
esac

# The frontend closed after its verdict: the backend must be Closed soon.
t=0
while [ "$(xs_get "$BDIR/state")" != 6 ]; do
	t=$((t + 1))
	[ $t -lt 40 ] || die "backend state '$(xs_get "$BDIR/state")' 20 s after the frontend closed (expected 6)"
	sleep 0.5
done
enode=/local/domain/0/error${BDIR#/local/domain/0}/error
err=$(xs_get "$enode")
say "backend error node: $err"
echo "$err" | grep -q "req_prod" || die "error node $enode does not name req_prod: '$err'"

# Bad data grants: copied requests fail their grant copy, mapped ones
# (map_min_segments=1: every request with data is mapped) their mapping.
map_min=$(cat /sys/module/xen_blkback/parameters/map_min_segments 2>/dev/null || echo 0)
if [ "$map_min" = 1 ]; then
	set -- "data pages not mappable" "mapping segment 0"
else
	set -- "data pages not readable" "grant copy of segment 0"
fi
say "map_min_segments=$map_min: expecting '$1' and '$2'"
dmesg | grep -F "$dev" >/tmp/evil-dmesg
for why in "unknown operation" "request without segments" "too many segments" \
	"segment sectors outside their page" "access beyond the end of the device" \
	"indirect request for an operation other than read or write" \
	"indirect descriptor page not readable" "$1" "$2" "req_prod" \
	$([ "$BREQ" = 0 ] && echo "barrier not supported"); do
	grep -qF "$why" /tmp/evil-dmesg || die "dom0 log has no '$why' for $dev"
done
say "dom0 log names every reason: $(wc -l </tmp/evil-dmesg) lines for $dev"

[ -d "$sys/statistics" ] || die "no $sys/statistics"
e=$(counter err_req) u=$(counter unsupp_req)
say "statistics: $(for f in "$sys"/statistics/*; do printf '%s=%s ' "${f##*/}" "$(cat "$f")"; done)"
[ "$e" = "$ERRS" ] || die "err_req is '$e', the frontend sent $ERRS bad requests"
[ "$u" = "$UNSUPP" ] || die "unsupp_req is '$u', the frontend sent $UNSUPP unsupported operations"
b=$(counter b_req)
[ "$b" = "$BREQ" ] || die "b_req is '$b', expected $BREQ barriers (feature-barrier '$(xs_get "$BDIR/feature-barrier")')"
if [ "$(counter rd_req)" -le 0 ] || [ "$(counter wr_req)" -le 0 ]; then
	die "good reads/writes not counted ($(counter rd_req)/$(counter wr_req))"
fi
say "PASS: bad requests refused and counted, ring halted with a reason"
exit 0
