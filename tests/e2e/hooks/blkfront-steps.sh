#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 side of the block feature tests (domU-init's IO tests
# resize, discard, flush and inject-*): the domU asks for a step in its
# xenstore node data/e2e-step ("SEQ:STEP ARGS"), this helper does it in
# dom0 and answers in data/e2e-step-done ("SEQ:STEP PASS|FAIL text").
#
# Run as the scenario's DOM0_PAUSED_HOOK: it starts the helper in the
# background (it ends when the domain is gone) and returns at once.
#
# Steps:
#   grow MB         DISK=file: grow the backing file by MB MiB and tell its
#                   loop device (losetup -c); the backend then publishes the
#                   new "sectors" (online resize)
#   stat            the backing file's allocated 512-byte blocks and the
#                   backend device's statistics: "blocks=N f_req=N ds_req=N
#                   wr_req=N rd_req=N"
#   inject FIELD    project blkback: arm its test-only fault injection
#                   (debugfs xen-blkback/<domid>-<devid>/inject) to corrupt
#                   the next response's FIELD (id, op, status)
#
# Usage: blkfront-steps.sh FDIR BDIR DOM TARGET
set -u
FDIR=$1 BDIR=$2 DOM=$3 TARGET=$4
IMG=/tmp/e2e-disk.img

xs_get() { xenstore-read "$1" 2>/dev/null; }
say() { echo "E2E-INFO steps[$DOM] $*"; }

DATA=${FDIR%/device/*}/data
d=${BDIR#/local/domain/0/backend/vbd/}
DOMID=${d%%/*}
DEVID=${d##*/}
SYSDIR=/sys/bus/xen-backend/devices/vbd-$DOMID-$DEVID

counter() {
	c=$(cat "$SYSDIR/statistics/$1" 2>/dev/null)
	echo "${c:-none}"
}

# do_step STEP ARGS: prints "PASS text" or "FAIL reason".
do_step() {
	case $1 in
	grow)
		mb=${2:-16}
		# DISK=file: xl's block script put the file on a loop device
		# (busybox "losetup -a": "/dev/loop0: 0 /tmp/e2e-disk.img").
		loopdev=$(losetup -a | awk -v f="$IMG" '$NF == f { sub(/:$/, "", $1); print $1; exit }')
		if [ ! -f "$IMG" ] || [ ! -b "$loopdev" ]; then
			echo "FAIL grow needs DISK=file (no loop device over $IMG: $(losetup -a | tr '\n' ' '))"
			return
		fi
		size=$(($(stat -c %s "$IMG") + mb * 1048576))
		truncate -s "$size" "$IMG" || { echo "FAIL truncate -s $size $IMG"; return; }
		losetup -c "$loopdev" || { echo "FAIL losetup -c $loopdev"; return; }
		echo "PASS grown to $((size / 512)) sectors ($(blockdev --getsz "$loopdev") on $loopdev)"
		;;
	stat)
		blocks=$(stat -c %b "$IMG" 2>/dev/null)
		echo "PASS blocks=${blocks:-none} f_req=$(counter f_req) ds_req=$(counter ds_req) wr_req=$(counter wr_req) rd_req=$(counter rd_req)"
		;;
	inject)
		grep -q ' /sys/kernel/debug ' /proc/mounts ||
			mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
		f=/sys/kernel/debug/xen-blkback/$DOMID-$DEVID/inject
		if [ ! -w "$f" ]; then
			echo "FAIL no $f (project blkback with inject.c? debugfs has: $(find /sys/kernel/debug -maxdepth 2 -name "*blk*" 2>&1 | tr '\n' ' '))"
			return
		fi
		echo "$2" >"$f" || { echo "FAIL writing '$2' to $f"; return; }
		echo "PASS $f: $(cat "$f")"
		;;
	*) echo "FAIL unknown step '$1'" ;;
	esac
}

helper() {
	last=
	while [ -n "$(xs_get "/local/domain/$DOMID/name")" ]; do
		req=$(xs_get "$DATA/e2e-step")
		if [ -n "$req" ] && [ "$req" != "$last" ]; then
			last=$req
			# shellcheck disable=SC2086 # the step's words
			ans=$(do_step ${req#*:})
			say "step '$req': $ans"
			xenstore-write "$DATA/e2e-step-done" "$req $ans"
		fi
		sleep 0.3
	done
	# The domain id changes on xl restore; this helper is for one domain.
	say "helper ends: $DOM is gone"
}

say "helper started for domain $DOMID device $DEVID (backend $BDIR, disk $TARGET)"
helper </dev/null &
exit 0
