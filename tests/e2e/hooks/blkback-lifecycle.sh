#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Lifecycle tests of a block backend, run in dom0 (DOM0_HOOK) while the
# domU has its frontend loaded:
#   destroy-mid-io   the domU runs fio (its IO setting); once the backend
#                    has served requests for a while, return: the rig
#                    then destroys the domU in the middle of the I/O and
#                    checks that it does not linger (no grant mapping
#                    left), that no backend node is left and that the
#                    backend module unloads, dom0's log free of WARN/BUG.
#   resize           (DISK=file) a loop device over a tmpfs file has a
#                    write cache and discard: the backend must advertise
#                    feature-flush-cache/-barrier/-discard with the discard
#                    nodes, and the domU's dd (conv=fsync) must have sent
#                    cache flushes (statistics f_req). Then grow the file
#                    and the loop device: the backend must publish the new
#                    "sectors" and stay Connected.
#   attach-loop N    N times: xl block-detach the disk (the frontend,
#                    idle, closes; the backend must follow to Closed and
#                    go away), then xl block-attach it again and wait for
#                    both ends to be Connected once more.
#   stats PAGES QUEUES MB
#                    the sysfs statistics/ of the backend device: before
#                    the domU's I/O, then after its verdict (PASS): reads,
#                    writes and their sectors moved by at least the MB the
#                    domU's dd wrote and read (two DD_MB regions), cache
#                    flushes counted (a loop disk has a write cache), no
#                    error nor unsupported answer, ring_pages = PAGES and
#                    queues = QUEUES as negotiated.
#
# Usage: blkback-lifecycle.sh CASE [N | PAGES QUEUES MB] FDIR BDIR DOM TARGET
set -u
CASE=$1
shift
N=3
case $CASE in
attach-loop) N=$1; shift ;;
stats) PAGES=$1 QUEUES=$2 MB=$3; shift 3 ;;
esac
FDIR=$1 BDIR=$2 DOM=$3 TARGET=$4

xs_get() { xenstore-read "$1" 2>/dev/null; }
say() { echo "E2E-INFO lifecycle[$CASE] $*"; }
die() { echo "E2E-INFO lifecycle[$CASE] FAIL: $*"; exit 1; }

# wait_connected FDIR BDIR SECONDS
wait_connected() {
	t=0
	while [ "$(xs_get "$1/state")" != 4 ] || [ "$(xs_get "$2/state")" != 4 ]; do
		t=$((t + 1))
		[ $t -lt $(($3 * 2)) ] || return 1
		sleep 0.5
	done
}

# The sysfs directory of the backend device: vbd-<domid>-<devid>.
sysdir() {
	d=${BDIR#/local/domain/0/backend/vbd/}
	echo "/sys/bus/xen-backend/devices/vbd-${d%%/*}-${d##*/}"
}

reqs() {
	r=$(cat "$(sysdir)/statistics/rd_req" 2>/dev/null)
	w=$(cat "$(sysdir)/statistics/wr_req" 2>/dev/null)
	echo $((${r:-0} + ${w:-0}))
}

# All counters, for the record.
stats() {
	for f in "$(sysdir)"/statistics/*; do
		printf '%s=%s ' "${f##*/}" "$(cat "$f" 2>&1)"
	done
}

# counter NAME: one counter of the backend device.
counter() { cat "$(sysdir)/statistics/$1" 2>/dev/null; }

# Let the domU finish its I/O first (its verdict must be PASS).
wait_verdict() {
	res=${FDIR%/device/*}/data/e2e-result
	t=0
	while [ -z "$(xs_get "$res")" ]; do
		t=$((t + 1))
		[ $t -lt 600 ] || die "no verdict from the domU"
		sleep 0.5
	done
	case $(xs_get "$res") in PASS*) ;; *) die "domU: $(xs_get "$res")" ;; esac
	say "domU I/O: $(xs_get "$res")"
	# The domU's dd went through this backend: its counters must show it.
	[ "$(reqs)" -gt 0 ] || die "statistics count no request after the domU's I/O ($(stats))"
	say "statistics: $(stats)"
}

wait_connected "$FDIR" "$BDIR" 180 || die "not connected: front '$(xs_get "$FDIR/state")' back '$(xs_get "$BDIR/state")'"
say "connected: max-ring-page-order '$(xs_get "$BDIR/max-ring-page-order")', ring-page-order '$(xs_get "$FDIR/ring-page-order")'"
[ -d "$(sysdir)/statistics" ] ||
	die "no $(sysdir)/statistics (backend devices: $(echo /sys/bus/xen-backend/devices/*))"

case $CASE in
destroy-mid-io)
	# Wait until fio (after dd) keeps the backend busy.
	t=0
	while [ "$(reqs)" -lt 500 ]; do
		t=$((t + 1))
		[ $t -lt 400 ] || die "backend served only $(reqs) requests in 200 s (statistics: $(stats))"
		sleep 0.5
	done
	a=$(reqs)
	sleep 2
	b=$(reqs)
	[ "$b" -gt "$a" ] || die "no I/O in flight to interrupt ($a -> $b requests)"
	say "I/O running ($a -> $b requests in 2 s): destroying the domU now"
	;;
resize)
	wait_verdict
	for n in feature-flush-cache feature-barrier feature-discard; do
		[ "$(xs_get "$BDIR/$n")" = 1 ] || die "$n is '$(xs_get "$BDIR/$n")' for a loop device (expected 1)"
	done
	for n in discard-granularity discard-alignment discard-secure; do
		xs_get "$BDIR/$n" | grep -Eq '^[0-9]+$' || die "$n is '$(xs_get "$BDIR/$n")'"
	done
	say "features: flush $(xs_get "$BDIR/feature-flush-cache") barrier $(xs_get "$BDIR/feature-barrier") discard $(xs_get "$BDIR/feature-discard") granularity $(xs_get "$BDIR/discard-granularity") alignment $(xs_get "$BDIR/discard-alignment") secure $(xs_get "$BDIR/discard-secure")"
	f=$(cat "$(sysdir)/statistics/f_req" 2>/dev/null)
	[ "${f:-0}" -gt 0 ] || die "no cache flush served after the domU's dd conv=fsync ($(stats))"
	s0=$(xs_get "$BDIR/sectors")
	# DISK=file: xl's block script put the file on a loop device.
	img=$TARGET
	[ -f "$img" ] || die "$TARGET is not a file (DISK=file expected)"
	# busybox "losetup -a": "/dev/loop0: 0 /tmp/e2e-disk.img"
	loopdev=$(losetup -a | awk -v f="$img" '$NF == f { sub(/:$/, "", $1); print $1; exit }')
	[ -b "$loopdev" ] || die "no loop device over $img ($(losetup -a | tr '\n' ' '))"
	size=$(($(stat -c %s "$img") + 16 * 1048576))
	truncate -s "$size" "$img" || die "truncate failed"
	losetup -c "$loopdev" || die "losetup -c $loopdev failed"
	t=0
	while [ "$(xs_get "$BDIR/sectors")" != $((size / 512)) ]; do
		t=$((t + 1))
		[ $t -lt 40 ] || die "backend sectors '$(xs_get "$BDIR/sectors")' after growing to $((size / 512)) sectors"
		sleep 0.5
	done
	[ "$(xs_get "$BDIR/state")" = 4 ] || die "backend state '$(xs_get "$BDIR/state")' after resize"
	say "sectors $s0 -> $(xs_get "$BDIR/sectors"), still Connected"
	;;
attach-loop)
	wait_verdict
	i=1
	while [ "$i" -le "$N" ]; do
		xl block-detach "$DOM" xvda || die "round $i: xl block-detach failed"
		t=0
		while [ -n "$(xs_get "$BDIR/state")" ]; do
			t=$((t + 1))
			[ $t -lt 60 ] || die "round $i: backend still there after detach (state '$(xs_get "$BDIR/state")')"
			sleep 0.5
		done
		[ ! -e "$(sysdir)" ] || die "round $i: backend device $(sysdir) still registered"
		xl block-attach "$DOM" "format=raw,vdev=xvda,access=rw,target=$TARGET" ||
			die "round $i: xl block-attach failed"
		wait_connected "$FDIR" "$BDIR" 120 ||
			die "round $i: not connected after attach: front '$(xs_get "$FDIR/state")' back '$(xs_get "$BDIR/state")'"
		[ -d "$(sysdir)/statistics" ] || die "round $i: no $(sysdir)/statistics"
		say "round $i: detached and attached again, connected (ring-page-order '$(xs_get "$FDIR/ring-page-order")')"
		i=$((i + 1))
	done
	;;
stats)
	# Nothing counted yet that the domU could not have sent: take the
	# counters now (the domU's I/O may have begun) and after its verdict.
	rd0=$(counter rd_sect) wr0=$(counter wr_sect)
	say "statistics at Connected: $(stats)"
	[ "$(counter ring_pages)" = "$PAGES" ] || die "ring_pages '$(counter ring_pages)', negotiated $PAGES ($(stats))"
	[ "$(counter queues)" = "$QUEUES" ] || die "queues '$(counter queues)', negotiated $QUEUES ($(stats))"
	wait_verdict
	# dd wrote two regions of MB MiB and read each back at least once.
	min=$((2 * MB * 2048))
	for c in rd_req wr_req f_req; do
		[ "$(counter $c)" -gt 0 ] || die "$c is '$(counter $c)' after the domU's I/O ($(stats))"
	done
	[ "$(counter wr_sect)" -ge "$min" ] || die "wr_sect $(counter wr_sect) < $min after the domU wrote $((2 * MB)) MiB ($(stats))"
	[ "$(counter rd_sect)" -ge "$min" ] || die "rd_sect $(counter rd_sect) < $min after the domU read $((2 * MB)) MiB ($(stats))"
	if [ "$(counter wr_sect)" -le "${wr0:-0}" ] || [ "$(counter rd_sect)" -le "${rd0:-0}" ]; then
		die "sector counters did not move ($rd0/$wr0 -> $(counter rd_sect)/$(counter wr_sect))"
	fi
	for c in err_req unsupp_req; do
		[ "$(counter $c)" = 0 ] || die "$c is '$(counter $c)' after good I/O ($(stats))"
	done
	# Both ends wrote feature-persistent: requests go through kept
	# mappings of the frontend's persistent grants.
	if [ "$(xs_get "$FDIR/feature-persistent")" = 1 ] && [ "$(xs_get "$BDIR/feature-persistent")" = 1 ]; then
		[ "$(counter persistent_req)" -gt 0 ] || die "feature-persistent on both ends but persistent_req is '$(counter persistent_req)' ($(stats))"
	fi
	if [ "$(counter ring_pages)" != "$PAGES" ] || [ "$(counter queues)" != "$QUEUES" ]; then
		die "ring_pages/queues changed during I/O ($(stats))"
	fi
	say "counters moved: rd_sect $rd0 -> $(counter rd_sect), wr_sect $wr0 -> $(counter wr_sect), f_req $(counter f_req), ring_pages $PAGES, queues $QUEUES"
	;;
*) die "unknown case" ;;
esac
exit 0
