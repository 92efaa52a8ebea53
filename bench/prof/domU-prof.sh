#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Profiling aid (never a test): run in the background by the rig's domU
# /init (prof_hook) when scripts/rig/run.sh was given RIG_DOMU_PROF=<this
# file>. Counts, once a second, what the block frontend does: the disk's
# completed I/Os (/sys/block/DEV/stat), its event-channel interrupts
# (/proc/interrupts), the CPU split and context switches (/proc/stat), and
# kprobe hit counts (kprobe_profile) of the functions of the I/O path of
# either frontend (the in-tree one or the project's). One "E2E-PROF" line
# a sample; bench/prof/prof.py turns them into per-job figures per I/O.
# Stops once the disk has been idle for 15 s after some I/O.
DEV=${1:-xvda}
T=/sys/kernel/tracing
mountpoint -q $T 2>/dev/null || mount -t tracefs nodev $T 2>/dev/null
echo 0 >$T/tracing_on 2>/dev/null

PROBES="notify_remote_via_irq xen_irq_lateeoi blk_mq_stop_hw_queue
blk_mq_start_stopped_hw_queues blk_mq_run_work_fn blk_mq_dispatch_rq_list
blk_mq_start_request blk_mq_end_request blk_mq_complete_request
blk_mq_run_hw_queue blk_mq_delay_run_hw_queue kblockd_mod_delayed_work_on
blk_mq_sched_restart blk_mq_requeue_request dd_dispatch_request
gnttab_grant_foreign_access gnttab_try_end_foreign_access
gnttab_end_foreign_access blk_rq_map_sg __blk_rq_map_sg
xen_blkfront:blkif_queue_rq xen_blkfront:blkif_interrupt
xen_blkfront:blkif_complete_rq xen_blkfront:blkfront_queue_rq
xen_blkfront:blkfront_interrupt xen_blkfront:blkfront_page_new"
# shellcheck source=scripts/rig/guest/checks.sh
. /e2e/checks.sh
# shellcheck disable=SC2086 # one probe a word
echo "E2E-PROF probes$(kprobes_add $T $PROBES)"

sample() {
	read -r up _ </proc/uptime
	# shellcheck disable=SC2034 # fields by position
	read -r rd _ rs _ wr _ ws _ infl _ </sys/block/"$DEV"/stat
	irq=0
	while read -r l; do
		case $l in *blkif* | *xen_blkfront* | *xen-blkfront*)
			# "N: count xen-dyn -event name": the count of the only CPU
			# shellcheck disable=SC2086 # fields wanted
			set -- $l
			irq=$((irq + $2)) ;;
		esac
	done </proc/interrupts
	cpu='' ctxt=''
	while read -r k a b c d e f g h _; do
		case $k in
		cpu) cpu="$a,$b,$c,$d,$e,$f,$g,$h" ;;
		ctxt) ctxt=$a ;;
		esac
	done </proc/stat
	kp=
	while read -r name hit _; do
		kp="$kp,${name#prof/}=$hit"
	done <$T/kprobe_profile 2>/dev/null
	echo "E2E-PROF s $up rd=$rd rs=$rs wr=$wr ws=$ws infl=$infl irq=$irq cpu=$cpu ctxt=$ctxt kp=${kp#,}"
}

seen=0 idle=0 last=
while :; do
	sample >/tmp/prof.line
	cat /tmp/prof.line
	cur=$(sed 's/.* rd=\([0-9]*\) .* wr=\([0-9]*\) .*/\1 \2/' /tmp/prof.line)
	if [ "$cur" = "$last" ]; then
		idle=$((idle + 1))
	else
		[ -n "$last" ] && seen=1
		idle=0
	fi
	last=$cur
	[ $seen = 1 ] && [ $idle -ge 15 ] && break
	sleep 1
done
echo 0 >$T/events/prof/enable 2>/dev/null
echo "E2E-PROF end"
