#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init (rdinit=) of the domU of a pvSCSI scenario (tests/e2e/vscsi/dom0.sh),
# busybox sh. Loads the frontend the scenario chose, then does what dom0
# asks through xenstore, one step at a time: dom0 writes data/e2e-cmd =
# "SEQ OP ARGS", the domU answers data/e2e-ack = "SEQ PASS [info]" or
# "SEQ FAIL reason". Steps:
#   ready             load the frontend (FRONT, FRONT_PARAMS; none: dom0
#                     plays the frontend itself)
#   io C:T:L MB       the LUN at v-dev channel C, target T, lun L appears
#                     (sd), MB MiB of random data written with O_DIRECT,
#                     read back direct and buffered: equal; fio with
#                     crc32c verify at queue depth 64 behind it (FIO=1);
#                     answers "PASS <sha256 of the MB MiB>"
#   gone C:T:L        the LUN disappeared
#   badcdb C:T:L      malformed commands to the LUN (sgio: CDBs shorter
#                     than their opcode): each must come back refused
#   unload            rmmod the frontend; no WARN/BUG/Oops in the log
#   poweroff
# Console lines start with E2E-DOMU.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
ln -sfn /proc/self/fd /dev/fd
exec </dev/console >/dev/console 2>&1

# shellcheck source=scripts/rig/guest/checks.sh
. /e2e/checks.sh

NAME=unknown
say() { echo "E2E-DOMU $NAME $*"; }

# shellcheck disable=SC2013 # one line of words
for w in $(cat /proc/cmdline); do
	case $w in e2e=*) echo "${w#e2e=}" | base64 -d >/tmp/env ;; esac
done
# shellcheck disable=SC1091
[ -s /tmp/env ] && . /tmp/env
: "${FRONT:=intree}" "${FRONT_PARAMS:=}" "${DD_MB:=8}" "${FIO:=1}" "${ALLOW_RE:=}"
say "up: kernel $(uname -r), settings: $(tr '\n' ' ' </tmp/env 2>/dev/null)"

ack() {
	xenstore-write data/e2e-ack "$SEQ $*"
	say "step $SEQ ($CMD): $*"
}

load_front() {
	ko=/e2e/proj/xen-scsifront.ko
	if [ "$FRONT" = none ]; then
		ack "PASS no frontend (FRONT=none)"
		return
	elif [ "$FRONT" = proj ]; then
		[ -f $ko ] || { ack "FAIL project xen-scsifront.ko was not built"; return; }
		read -r deps </e2e/proj/xen-scsifront.deps 2>/dev/null
		for d in $deps; do
			modprobe "$d" || { ack "FAIL modprobe $d failed"; return; }
		done
		# Bad parameters: refused, naming the parameter.
		for bad in max_ring_page_order=7 schemes=ring; do
			if insmod $ko $bad 2>/dev/null; then
				ack "FAIL insmod xen-scsifront $bad was accepted"
				return
			fi
			dmesg | grep -qF "$bad: must be" ||
				{ ack "FAIL insmod xen-scsifront $bad: no '$bad: must be' in the kernel log"; return; }
		done
		# shellcheck disable=SC2086 # params are words
		insmod $ko $FRONT_PARAMS ||
			{ ack "FAIL insmod xen-scsifront $FRONT_PARAMS: $(dmesg | tail -n 2 | tr '\n' ' ')"; return; }
	else
		# shellcheck disable=SC2086
		modprobe xen-scsifront $FRONT_PARAMS || { ack "FAIL modprobe xen-scsifront failed"; return; }
	fi
	modprobe sd_mod
	ack "PASS $FRONT xen-scsifront loaded"
}

# The sd block device of the frontend's LUN C:T:L, waiting up to $2 s.
find_sd() {
	ctl=$1
	i=0
	while [ $i -lt $(($2 * 4)) ]; do
		for h in /sys/class/scsi_host/host*; do
			[ "$(cat "$h/proc_name" 2>/dev/null)" = scsifront ] || continue
			for b in "/sys/bus/scsi/devices/${h##*host}:$ctl/block"/*; do
				[ -e "$b" ] && { SD=/dev/${b##*/}; SDEV=${h##*host}:$ctl; return 0; }
			done
		done
		sleep 0.25
		i=$((i + 1))
	done
	return 1
}

sum_of() { sha256sum | cut -d' ' -f1; }

io() {
	ctl=$1 mb=$2
	find_sd "$ctl" 60 || { ack "FAIL no sd device at v-dev *:$ctl after 60 s"; return; }
	i=0
	while [ ! -b "$SD" ] && [ $i -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
	dd if=/dev/urandom of=/tmp/pat bs=1M count="$mb" 2>/dev/null
	want=$(sum_of </tmp/pat)
	dd if=/tmp/pat of="$SD" bs=1M oflag=direct conv=fsync,notrunc 2>/tmp/dd.err ||
		{ ack "FAIL dd write to $SD: $(tail -n1 /tmp/dd.err)"; return; }
	got=$(dd if="$SD" bs=64k count=$((mb * 16)) iflag=direct 2>/dev/null | sum_of)
	[ "$got" = "$want" ] || { ack "FAIL direct read of $SD differs from what was written"; return; }
	sync
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if="$SD" bs=1M count="$mb" 2>/dev/null | sum_of)
	[ "$got" = "$want" ] || { ack "FAIL buffered read of $SD differs from what was written"; return; }
	info="$SD ($SDEV, $(blockdev --getsize64 "$SD") bytes, queue depth $(cat "/sys/bus/scsi/devices/$SDEV/queue_depth"), can_queue $(cat /sys/class/scsi_host/host"${SDEV%%:*}"/can_queue), sg_tablesize $(cat /sys/class/scsi_host/host"${SDEV%%:*}"/sg_tablesize))"
	if [ "$FIO" = 1 ] && command -v fio >/dev/null; then
		fio --name=vscsi --filename="$SD" --ioengine=libaio --direct=1 \
			--rw=randwrite --bsrange=4k-256k --iodepth=64 \
			--offset=$((mb * 1048576)) --size=16m --verify=crc32c \
			--do_verify=1 --verify_fatal=1 --eta=never \
			--output=/tmp/fio.out >/dev/null 2>&1
		frc=$?
		sed 's/^/fio: /' /tmp/fio.out
		[ $frc = 0 ] || { ack "FAIL fio on $SD exited with $frc"; return; }
		info="$info, fio randwrite 16m qd64 crc32c verified"
		# The dd region is untouched by fio.
		got=$(dd if="$SD" bs=1M count="$mb" iflag=direct 2>/dev/null | sum_of)
		[ "$got" = "$want" ] || { ack "FAIL $SD: the dd region changed under fio"; return; }
	fi
	rm -f /tmp/pat
	say "io: $info"
	ack "PASS $want"
}

badcdb() {
	find_sd "$1" 60 || { ack "FAIL no sd device at v-dev *:$1 after 60 s"; return; }
	[ -x /e2e/vscsi/sgio ] || { ack "FAIL /e2e/vscsi/sgio missing (did it build?)"; return; }
	out=
	for c in short-read10 short-read16; do
		o=$(/e2e/vscsi/sgio "$SD" $c 2>&1)
		rc=$?
		say "sgio $SD $c: $o (exit $rc)"
		case $rc in
		0) out="$out; $o" ;;
		1) ack "FAIL $SD took a malformed CDB: $o"; return ;;
		*) ack "FAIL sgio $SD $c: $o"; return ;;
		esac
	done
	ack "PASS refused$out"
}

gone() {
	i=0
	while find_sd "$1" 0; do
		i=$((i + 1))
		[ $i -lt 120 ] || { ack "FAIL v-dev *:$1 still there ($SD) after 30 s"; return; }
		sleep 0.25
	done
	ack "PASS v-dev *:$1 gone"
}

unload() {
	i=0
	while [ "$FRONT" != none ] && ! rmmod xen_scsifront 2>/tmp/rmmod.err; do
		i=$((i + 1))
		[ $i -lt 20 ] || { ack "FAIL rmmod xen_scsifront: $(cat /tmp/rmmod.err)"; return; }
		sleep 0.5
	done
	dmesg >/tmp/dmesg
	bad=$(bad_kernel_lines /tmp/dmesg "$ALLOW_RE")
	if [ -n "$bad" ]; then
		sed 's/^/dmesg: /' /tmp/dmesg
		ack "FAIL domU kernel log: $(echo "$bad" | head -n 2 | tr '\n' ' ')"
		return
	fi
	ack "PASS frontend unloaded, kernel log clean"
}

last=
while :; do
	c=$(xenstore-read data/e2e-cmd 2>/dev/null)
	if [ -n "$c" ] && [ "$c" != "$last" ]; then
		last=$c
		SEQ=${c%% *}
		CMD=${c#* }
		# shellcheck disable=SC2086 # words
		set -- $CMD
		case $1 in
		ready) load_front ;;
		io) io "$2" "$3" ;;
		gone) gone "$2" ;;
		badcdb) badcdb "$2" ;;
		unload) unload ;;
		poweroff) sync; poweroff -f ;;
		*) ack "FAIL unknown step '$CMD'" ;;
		esac
	fi
	sleep 0.2
done
