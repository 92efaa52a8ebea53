#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 side of the rig's scenarios (busybox sh): for each line of the plan
# ("NAME VAR=value VAR='a b' ..."), load the chosen backend, start a PV
# domU with `xl create` (TYPE=blk: a vbd in its config; TYPE=vscsi: a
# pvSCSI vhost added with the project's scripts/xen-vscsi, as xl has no
# pvSCSI), check the device's xenstore nodes once it is connected, collect
# the domU's verdict, tear everything down and check the kernel logs. Prints for the host, on the serial console:
#   E2E-START <name>
#   E2E-RESULT <name> PASS|FAIL <seconds> [reason]
# plus E2E-INFO / E2E-XS / E2E-RING lines for the record and `make demo`.
#
# Usage: dom0-run.sh PLAN

# shellcheck source=scripts/rig/guest/checks.sh
. /e2e/checks.sh

PLAN=${1:-/e2e/plan}
W=/tmp/e2e
mkdir -p "$W"

# now: seconds of uptime. Timeouts are wall-clock: under TCG a loop
# round of xenstore calls takes far longer than its sleep.
now() { cut -d. -f1 /proc/uptime; }

# info MSG: a line for the record, with the seconds since the scenario began.
info() { echo "E2E-INFO $NAME +$(($(cut -d. -f1 /proc/uptime) - t0))s $*"; }

# fail REASON: end the scenario (runs in the scenario's subshell).
fail() {
	echo "$*" >"$W/$NAME.reason"
	info "FAIL: $*"
	exit 1
}

# Scenario settings and their defaults (tests/e2e/README.md lists them).
# shellcheck disable=SC2034 # used through eval and in write_cfg
defaults() {
	TYPE=blk
	FRONT=intree
	BACK=intree
	BACKS=
	FRONT_PARAMS=
	BACK_PARAMS=
	DISK=brd
	DISK_MB=64
	EXPECT_PAGES=
	EXPECT_MIN_PAGES=
	EXPECT_FRONT_SCHEME=
	EXPECT_BACK_SCHEME=
	IO="dd fio"
	DD_MB=16
	FIO_SIZE=32m
	FIO_BS=4k-128k
	FIO_IODEPTH=64
	FIO_RW=randwrite
	DOM0_HOOK=
	DOM0_PAUSED_HOOK=
	FAIL_FIRST_CREATE=0
	PDEV_FORM=naa
	VDEV=0:0:0:0
	DOMU_VCPUS=1
	DOMU_MEM=256
	DOMU_GRANT_FRAMES=
	UNLOAD_FRONT=1
	ALLOW_RE=
	SAVE_RESTORE=0
	SAVE_RESTORE_DELAY=8
	SAVE_RESTORE_BACK_PARAMS=
	SAVE_RESTORE_EXPECT_PAGES=
	BENCH_DOM0_PIN=
	BENCH_JOBS=
	BENCH_PAR=
	BENCH_SECS=20
	BENCH_SEQ=
	BENCH_WARM=0
	NULLBLK_PARAMS="gb=1 memory_backed=1"
	NULLBLK_LATS=
	FRONT_PARAMS_CHECK=
	POOL_PEAK_MIN=
	POOL_DEFERRED=
	DOM0_BENCH=0
	CONNECT_TIMEOUT=180
	IO_TIMEOUT=420
	HOTPLUG=0
}

# ---------------------------------------------------------------------
# Drivers
# ---------------------------------------------------------------------
# In-tree and project modules share their names: exactly one of them is
# loaded, the project's by path with insmod after its dependencies.
unload_mod() {
	m=$(echo "$1" | tr - _)
	[ -d "/sys/module/$m" ] || return 0
	i=0
	while ! rmmod "$m" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 20 ] || return 1
		sleep 0.5
	done
	return 0
}

# intree_path MODULE: where the in-tree module lives (for the record).
intree_path() {
	echo "/lib/modules/$(uname -r)/$(grep -m1 "/$1.ko:" "/lib/modules/$(uname -r)/modules.dep" | cut -d: -f1)"
}

# load_mod MODULE WHICH PARAMS: WHICH is intree, proj or auto (project if
# it loads, else in-tree). Sets LOADED to what was loaded.
load_mod() {
	mod=$1 which=$2 params=$3
	unload_mod "$mod" || fail "cannot unload the previous $mod"
	ko=/e2e/proj/$mod.ko
	if [ "$which" = proj ] || [ "$which" = auto ]; then
		if [ -f "$ko" ]; then
			for d in $(cat "/e2e/proj/$mod.deps" 2>/dev/null || true); do
				modprobe "$d" || fail "modprobe $d (for project $mod) failed"
			done
			# shellcheck disable=SC2086 # params are words
			if insmod "$ko" $params; then
				LOADED="project $mod ($ko, sha256 $(cut -c1-12 "/e2e/proj/$mod.sha256" 2>/dev/null))"
				return 0
			fi
			[ "$which" = proj ] && fail "insmod project $mod $params failed: $(dmesg | tail -n 3 | tr '\n' ' ')"
			info "project $mod does not load: falling back to the in-tree one"
		elif [ "$which" = proj ]; then
			fail "project $mod.ko was not built"
		else
			info "project $mod.ko not built: using the in-tree one"
		fi
	fi
	# shellcheck disable=SC2086 # params are words
	modprobe "$mod" $params || fail "modprobe $mod $params failed"
	LOADED="in-tree $mod ($(intree_path "$mod"))"
}

# BACKS="B0 B1 ..." (benchmark, TYPE=blk): one block backend per vbd, in
# the order of the disks (xvda, xvdb, ...), both loaded at once: intree is
# xen-blkback (xenbus driver "vbd"), proj the project's backend built as
# xen-blkback-ab (driver "xen-blkback-ab", bench/abback). The bus does not
# probe new devices (drivers_autoprobe 0): ab_bind gives each vbd of the
# domU to its driver as it appears, before xl's wait for InitWait ends.
XB=/sys/bus/xen-backend
ab_drv() {
	case $1 in
	intree) echo vbd ;;
	proj) echo xen-blkback-ab ;;
	*) return 1 ;;
	esac
}

ab_load() {
	for b in $BACKS; do
		ab_drv "$b" >/dev/null || fail "BACKS: '$b' is not intree or proj"
	done
	load_mod xen-blkback intree "$BACK_PARAMS"
	info "backend: $LOADED params='$BACK_PARAMS'"
	load_mod xen-blkback-ab proj "$BACK_PARAMS"
	info "backend: $LOADED params='$BACK_PARAMS'"
	echo 0 >$XB/drivers_autoprobe || fail "cannot turn off $XB/drivers_autoprobe"
}

# ab_bind: (background) bind every unbound vbd of the bus to the driver
# BACKS names for its disk: devid 51712 + 16 k is xvd<k> (202:16k).
ab_bind() {
	while :; do
		for d in "$XB"/devices/vbd-*; do
			[ -e "$d" ] && [ ! -e "$d/driver" ] || continue
			devid=${d##*-}
			k=$(((devid - 51712) / 16))
			# shellcheck disable=SC2086 # words wanted
			set -- $BACKS
			if [ "$k" -ge 0 ] && [ "$k" -lt $# ]; then shift "$k"; else set -- none; fi
			if ! drv=$(ab_drv "$1"); then
				[ -f "$W/$NAME.nob.${d##*/}" ] ||
					echo "E2E-INFO $NAME ab_bind: BACKS names no backend for ${d##*/}"
				: >"$W/$NAME.nob.${d##*/}"
				continue
			fi
			echo "${d##*/}" >"$XB/drivers/$drv/bind" 2>/dev/null &&
				echo "E2E-INFO $NAME ${d##*/} bound to $drv"
		done
		sleep 0.2
	done
}

# ab_check: each vbd of domain $domid is served by the driver BACKS names.
ab_check() {
	k=0
	for b in $BACKS; do
		dev=vbd-$domid-$((51712 + 16 * k))
		want=$(ab_drv "$b")
		got=$(basename "$(readlink "$XB/devices/$dev/driver" 2>/dev/null)" 2>/dev/null)
		[ "$got" = "$want" ] || fail "$dev is served by '$got', not $want ($b)"
		info "$(vdev_of $k) ($dev): $b backend, driver $got"
		k=$((k + 1))
	done
}

# stop_pidfile FILE: kill the background job whose pid FILE holds, if
# any, and remove FILE.
stop_pidfile() {
	[ -f "$1" ] || return 0
	kill "$(cat "$1")" 2>/dev/null
	rm -f "$1"
}

# ab_unload: after the domU is gone; quiet, idempotent.
ab_unload() {
	[ -w $XB/drivers_autoprobe ] && echo 1 >$XB/drivers_autoprobe
	unload_mod xen-blkback-ab && unload_mod xen-blkback
}

# ---------------------------------------------------------------------
# Backing storage in dom0
# ---------------------------------------------------------------------
setup_disk() {
	TARGETS=
	case $DISK in
	brd)
		# A fresh RAM disk per scenario (zeroed, sized as asked).
		unload_mod brd || fail "brd busy"
		modprobe brd rd_nr=1 rd_size=$((DISK_MB * 1024)) || fail "modprobe brd failed"
		TARGET=/dev/ram0
		;;
	null_blk)
		nullb_clear
		unload_mod null_blk || fail "null_blk busy"
		if [ -n "$NULLBLK_LATS" ]; then
			nullb_lats
		else
			# memory_backed (default): it keeps what is written, so
			# data can be verified.
			# shellcheck disable=SC2086 # params are words
			modprobe null_blk nr_devices=1 $NULLBLK_PARAMS || fail "modprobe null_blk $NULLBLK_PARAMS failed"
			TARGET=/dev/nullb0
		fi
		;;
	loop)
		truncate -s "${DISK_MB}M" /tmp/e2e-disk.img
		# loop is a module in Debian's kernels: nothing may have loaded
		# it yet in this boot (xl's block script does, for DISK=file).
		modprobe loop 2>/dev/null
		# busybox losetup: -f names a free device, no --show.
		TARGET=$(losetup -f 2>&1) || fail "losetup -f failed: $TARGET"
		out=$(losetup "$TARGET" /tmp/e2e-disk.img 2>&1) ||
			fail "losetup $TARGET /tmp/e2e-disk.img failed: $out"
		echo "$TARGET" >/tmp/e2e-loopdev
		;;
	scsi_debug)
		# A SCSI disk of dom0 (for pvSCSI by host:channel:target:lun).
		unload_mod scsi_debug || fail "scsi_debug busy"
		# No udev in dom0: nothing loads the disk driver for a new
		# SCSI device, and without sd there is no /dev/sdX.
		modprobe sd_mod || fail "modprobe sd_mod failed"
		modprobe scsi_debug dev_size_mb="$DISK_MB" || fail "modprobe scsi_debug failed"
		t=0
		while [ -z "$(ls /sys/bus/pseudo/drivers/scsi_debug/adapter0/host*/target*/*/block 2>/dev/null)" ]; do
			t=$((t + 1))
			[ $t -lt 40 ] || fail "no scsi_debug disk"
			sleep 0.25
		done
		for d in /sys/bus/pseudo/drivers/scsi_debug/adapter0/host*/target*/*:*:*:*; do
			break
		done
		HCTL=${d##*/}
		TARGET=/dev/$(ls "$d/block")
		;;
	file)
		# A plain file: xl's block script sets up the loop device itself.
		truncate -s "${DISK_MB}M" /tmp/e2e-disk.img
		TARGET=/tmp/e2e-disk.img
		;;
	*) fail "unknown DISK=$DISK" ;;
	esac
	[ -e "$TARGET" ] || fail "backing device $TARGET did not appear"
	# One vbd per backing device (xvda, xvdb, ...): several only with
	# NULLBLK_LATS.
	[ -n "$TARGETS" ] || TARGETS=$TARGET
	NDISKS=$(echo "$TARGETS" | wc -w)
}


# NULLBLK_LATS="N1 N2 ...": one null_blk device per latency (ns), made
# with null_blk's configfs interface (module parameters give every device
# the same latency): N = 0 is irqmode=0 (no timer), else irqmode=2
# completion_nsec=N. NULLBLK_PARAMS (e.g. gb=1 hw_queue_depth=1024) are
# the module's defaults for the devices. Sets TARGETS (and TARGET, the
# first), in the order of the list.
NULLB_CFS=/sys/kernel/config/nullb
nullb_lats() {
	# null_blk loads configfs (a module in Debian's kernels), which makes
	# /sys/kernel/config: mount it after.
	# shellcheck disable=SC2086 # params are words
	modprobe null_blk nr_devices=0 $NULLBLK_PARAMS || fail "modprobe null_blk nr_devices=0 $NULLBLK_PARAMS failed"
	grep -q ' /sys/kernel/config ' /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config || fail "cannot mount configfs"
	[ -d "$NULLB_CFS" ] || fail "null_blk has no configfs interface ($NULLB_CFS)"
	TARGETS=
	k=0
	for lat in $NULLBLK_LATS; do
		is_uint "$lat" || fail "NULLBLK_LATS: '$lat' is not a number of ns"
		[ $k -lt 16 ] || fail "NULLBLK_LATS: at most 16 devices"
		d=$NULLB_CFS/e2e$k
		mkdir "$d" || fail "cannot create $d"
		if [ "$lat" = 0 ]; then
			echo 0 >"$d/irqmode" || fail "null_blk e2e$k: cannot set irqmode=0"
		else
			{ echo 2 >"$d/irqmode" && echo "$lat" >"$d/completion_nsec"; } ||
				fail "null_blk e2e$k: cannot set irqmode=2 completion_nsec=$lat"
		fi
		echo 1 >"$d/power" || fail "null_blk e2e$k: cannot power it on: $(dmesg | tail -n 2 | tr '\n' ' ')"
		# /dev/nullb<index> (kernels that name the disk after the
		# configfs item: /dev/e2e<k>).
		dev=/dev/nullb$(cat "$d/index" 2>/dev/null)
		t=0
		while [ ! -b "$dev" ] && [ ! -b "/dev/e2e$k" ] && [ $t -lt 40 ]; do
			sleep 0.25
			t=$((t + 1))
		done
		[ -b "$dev" ] || [ ! -b "/dev/e2e$k" ] || dev=/dev/e2e$k
		[ -b "$dev" ] || fail "null_blk e2e$k: no block device ($dev)"
		info "null_blk e2e$k: $dev as $(vdev_of $k): irqmode=$(cat "$d/irqmode") completion_nsec=$(cat "$d/completion_nsec") size=$(cat "$d/size")MB hw_queue_depth=$(cat "$d/hw_queue_depth") blocksize=$(cat "$d/blocksize")"
		TARGETS="$TARGETS $dev"
		k=$((k + 1))
	done
	[ $k -gt 0 ] || fail "NULLBLK_LATS is empty"
	TARGETS=${TARGETS# }
	TARGET=${TARGETS%% *}
}

# nullb_clear: remove the configfs null_blk devices (they pin the module).
nullb_clear() {
	for d in "$NULLB_CFS"/e2e*; do
		[ -d "$d" ] && rmdir "$d"
	done
	return 0
}

teardown_disk() {
	case $DISK in
	brd) unload_mod brd ;;
	null_blk)
		nullb_clear
		unload_mod null_blk
		;;
	scsi_debug) unload_mod scsi_debug ;;
	loop)
		# busybox losetup has no -j: detach the device setup_disk made.
		[ -s /tmp/e2e-loopdev ] && losetup -d "$(cat /tmp/e2e-loopdev)"
		rm -f /tmp/e2e-loopdev
		;;
	esac
	rm -f /tmp/e2e-disk.img
}

# ---------------------------------------------------------------------
# pvSCSI: a LUN of the kernel's target core (configfs), served by
# xen-scsiback's "xen-pvscsi" fabric and named naa.<wwn>:<lun> in
# xenstore; or a dom0 SCSI device by host:channel:target:lun.
# ---------------------------------------------------------------------
CFS=/sys/kernel/config/target
WWN=naa.6001405e2e000001
NEXUS=naa.6001405e2e000002
TPG=$CFS/xen-pvscsi/$WWN/tpgt_1
BSTORE=$CFS/core/iblock_0/e2e

setup_target() {
	grep -q ' /sys/kernel/config ' /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config || fail "cannot mount configfs"
	modprobe target_core_iblock || fail "modprobe target_core_iblock failed"
	mkdir -p "$BSTORE" || fail "cannot create the iblock backstore"
	if ! echo "udev_path=$TARGET" >"$BSTORE/control" || ! echo 1 >"$BSTORE/enable"; then
		fail "cannot enable the iblock backstore over $TARGET"
	fi
	mkdir -p "$TPG/lun/lun_0" || fail "no xen-pvscsi fabric in the target core (is $BMOD loaded?)"
	ln -s "$BSTORE" "$TPG/lun/lun_0/e2e_port" || fail "cannot map the LUN"
	echo "$NEXUS" >"$TPG/nexus" || fail "cannot create the I_T nexus"
	PDEV=$WWN:0
}

# Undo setup_target (any part of it); quiet, idempotent.
teardown_target() {
	[ -d "$CFS" ] || return 0
	rm -f "$TPG/lun/lun_0/e2e_port" 2>/dev/null
	rmdir "$TPG/lun/lun_0" 2>/dev/null
	[ -f "$TPG/nexus" ] && echo NULL >"$TPG/nexus" 2>/dev/null
	rmdir "$TPG" "$CFS/xen-pvscsi/$WWN" "$CFS/xen-pvscsi" 2>/dev/null
	rmdir "$BSTORE" "$CFS/core/iblock_0" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------------
# The domU
# ---------------------------------------------------------------------
write_cfg() {
	# What the domU's /init needs, base64 on its command line (one word).
	{
		echo "NAME='$NAME'"
		for v in TYPE FRONT FRONT_PARAMS IO DD_MB FIO_SIZE FIO_BS FIO_IODEPTH BENCH_JOBS BENCH_SECS \
			BENCH_SEQ BENCH_WARM FIO_RW UNLOAD_FRONT ALLOW_RE NDISKS; do
			eval "val=\$$v"
			# shellcheck disable=SC2154 # val is set by eval
			printf "%s='%s'\n" "$v" "$val"
		done
		# Rarely set: only when set (the command line is short).
		for v in FRONT_PARAMS_CHECK POOL_PEAK_MIN POOL_DEFERRED BENCH_PAR; do
			eval "val=\$$v"
			[ -z "$val" ] || printf "%s='%s'\n" "$v" "$val"
		done
	} >"$W/$NAME.env"
	env64=$(base64 -w0 <"$W/$NAME.env")
	[ ${#env64} -lt 800 ] || fail "scenario settings too long for the domU command line"
	disks=
	k=0
	for tgt in $TARGETS; do
		disk="format=raw,vdev=$(vdev_of $k),access=rw"
		[ "$BACK" = qdisk ] && disk="$disk,backendtype=qdisk"
		disks="$disks${disks:+, }'$disk,target=$tgt'"
		k=$((k + 1))
	done
	# pvSCSI: no xl disk, the vhost is added once the domain exists.
	[ "$TYPE" = vscsi ] && disks=''
	cat >"$W/$NAME.cfg" <<-EOF
	name = "$DOM"
	type = "pv"
	kernel = "/e2e/vmlinuz"
	ramdisk = "/e2e/domU.cpio"
	extra = "console=hvc0 loglevel=5 panic=5 e2e=$env64"
	memory = $DOMU_MEM
	vcpus = $DOMU_VCPUS
	disk = [ $disks ]
	on_poweroff = "destroy"
	on_reboot = "destroy"
	on_crash = "destroy"
	EOF
	# A small grant table (xl.cfg max_grant_frames) for IO=grants.
	[ -z "$DOMU_GRANT_FRAMES" ] ||
		echo "max_grant_frames = $DOMU_GRANT_FRAMES" >>"$W/$NAME.cfg"
}

dom_alive() { xl domid "$DOM" >/dev/null 2>&1; }

# create_domu [-p]: xl create (-p: paused), retried once.
create_domu() {
	rm -f "/var/log/xen/console/guest-$DOM.log"
	cfg=$W/$NAME.cfg
	if [ "$FAIL_FIRST_CREATE" = 1 ]; then
		# Rig self-test of the retry: the first try gets a kernel that
		# does not exist.
		sed 's|^kernel = .*|kernel = "/e2e/no-such-kernel"|' "$cfg" >"$W/$NAME.bad.cfg"
		cfg=$W/$NAME.bad.cfg
	fi
	if xl create "$@" "$cfg" >"$W/$NAME.xl.log" 2>&1; then
		cat "$W/$NAME.xl.log"
		return 0
	fi
	cat "$W/$NAME.xl.log"
	# One retry, said in the log: a start failure may be the rig's.
	info "RETRY: xl create failed, retrying once"
	xl destroy "$DOM" >/dev/null 2>&1
	sleep 2
	xl create "$@" "$W/$NAME.cfg" || fail "xl create failed twice (see the log above)"
}

# ---------------------------------------------------------------------
# Hooks: scenario scripts of tests/e2e/hooks/ run in dom0, called as
#   <script> ARGS... FDIR BDIR DOM TARGET
# (frontend and backend xenstore directories of the device, domain name,
# backing device). They print E2E-INFO lines and exit non-zero with a
# "... FAIL: reason" line on failure.
# ---------------------------------------------------------------------
# find_dev_dirs: FDIR/BDIR of the domU's first device of class $DCLASS.
find_dev_dirs() {
	t=0
	while :; do
		hdev=$(xenstore-list "/local/domain/$domid/device/$DCLASS" 2>/dev/null | head -n1)
		if [ -n "$hdev" ]; then
			FDIR=/local/domain/$domid/device/$DCLASS/$hdev
			BDIR=$(xs_get "$FDIR/backend")
			[ -n "$BDIR" ] && return 0
		fi
		t=$((t + 1))
		[ $t -lt 60 ] || fail "no $DCLASS device in xenstore for domain $domid"
		sleep 0.5
	done
}

# run_hook "SCRIPT ARGS": run it, fail the scenario with its reason.
run_hook() {
	# shellcheck disable=SC2086 # the hook setting is words
	set -- $1
	hs=$1
	shift
	[ -x "/e2e/hooks/$hs" ] || fail "no hook tests/e2e/hooks/$hs"
	info "hook: $hs $* $FDIR $BDIR $DOM $TARGET"
	# Its output goes to a file, not a pipe: a hook may leave a child
	# running in the background (that would hold a pipe open). The file is
	# shown now and, with what such children added, after the scenario.
	"/e2e/hooks/$hs" "$@" "$FDIR" "$BDIR" "$DOM" "$TARGET" >"$W/$NAME.hook" 2>&1
	hrc=$?
	cat "$W/$NAME.hook"
	wc -l <"$W/$NAME.hook" >"$W/$NAME.hook.shown"
	[ "$hrc" = 0 ] && return 0
	why=$(grep -o 'FAIL: .*' "$W/$NAME.hook" | tail -n1)
	fail "hook $hs $* exited with $hrc${why:+: ${why#FAIL: }}"
}

# ---------------------------------------------------------------------
# Benchmarks (IO=bench, never a test): before and after each fio job the
# domU writes data/bench-mark ("s:JOB", "e:JOB") and waits for dom0's
# data/bench-ack; dom0 prints its /proc/stat cpu line at each mark
# ("E2E-BSTAT NAME MARK cpu ..."): dom0's CPU time over the same job.
# ---------------------------------------------------------------------
bench_watch() {
	bd=/local/domain/$1/data
	rm -f "$W/$NAME.bw"
	mkfifo "$W/$NAME.bw" || return 0
	xenstore-watch "$bd/bench-mark" >"$W/$NAME.bw" 2>/dev/null &
	echo $! >"$W/$NAME.bwpid"
	(
		last=
		while read -r _; do
			m=$(xs_get "$bd/bench-mark")
			[ -n "$m" ] && [ "$m" != "$last" ] || continue
			last=$m
			echo "E2E-BSTAT $NAME $m $(head -n1 /proc/stat)"
			prof_line "$m"
			xenstore-write "$bd/bench-ack" "$m"
		done <"$W/$NAME.bw"
	) &
}

# backend_threads: "PID COMM" of each block backend thread: the in-tree
# backend's DOMID.DEV-Q ("1.xvda-0"), the project's xbb.DOMID.HANDLE-Q.
backend_threads() {
	for cf in /proc/[0-9]*/comm; do
		read -r comm <"$cf" 2>/dev/null || continue
		case $comm in [0-9]*.*-[0-9]* | xbb.*) ;; *) continue ;; esac
		pid=${cf#/proc/}
		echo "${pid%/comm} $comm"
	done
}

# BENCH_DOM0_PIN=CPU (a benchmark control, empty: none): every backend
# thread (DOMID.DEV-Q of the in-tree backend, xbb.* of the project's) and
# every backend event channel go to dom0's vCPU CPU before the jobs
# start, so that each disk's backend does its work in the same place
# whatever its position in the domU.
bench_pin() {
	[ -n "$BENCH_DOM0_PIN" ] || return 0
	case $BENCH_DOM0_PIN in
	*[!0-9]*) fail "BENCH_DOM0_PIN=$BENCH_DOM0_PIN: not a vCPU number" ;;
	esac
	[ -d "/sys/devices/system/cpu/cpu$BENCH_DOM0_PIN" ] ||
		fail "BENCH_DOM0_PIN=$BENCH_DOM0_PIN: dom0 has no such vCPU"
	mask=$(printf '%x' $((1 << BENCH_DOM0_PIN)))
	pinned=
	while read -r pid comm; do
		[ -n "$pid" ] || continue
		taskset -p "$mask" "$pid" >/dev/null 2>&1 ||
			fail "BENCH_DOM0_PIN: cannot pin thread $comm to vCPU $BENCH_DOM0_PIN"
		pinned="$pinned $comm"
	done <<-EOF
	$(backend_threads)
	EOF
	[ -n "$pinned" ] || fail "BENCH_DOM0_PIN: no backend thread found to pin"
	while read -r irq rest; do
		case $rest in *blkif-backend*) ;; *) continue ;; esac
		irq=${irq%:}
		echo "$mask" >"/proc/irq/$irq/smp_affinity" 2>/dev/null ||
			fail "BENCH_DOM0_PIN: cannot move IRQ $irq to vCPU $BENCH_DOM0_PIN"
		pinned="$pinned irq$irq"
	done </proc/interrupts
	info "bench: on dom0 vCPU $BENCH_DOM0_PIN:$pinned"
}

# Profiling (never a test): with RIG_DOM0_PROF=FILE (scripts/rig/run.sh),
# /e2e/prof-dom0.probes lists kernel functions ("MOD:func" for a module's);
# each that exists gets a kprobe, and every benchmark mark adds an
# "E2E-BPROF NAME MARK" line: I/Os completed by the null_blk disks,
# context switches, interrupts (all, and the backend's event channels)
# and each probe's hits. bench/prof/prof.py turns them into figures per I/O.
PROF_T=/sys/kernel/tracing
prof_setup() {
	[ -f /e2e/prof-dom0.probes ] || return 0
	mountpoint -q $PROF_T 2>/dev/null || mount -t tracefs nodev $PROF_T 2>/dev/null
	prof_clear
	# shellcheck disable=SC2046 # one word a line, comments skipped
	echo "E2E-BPROF $NAME probes$(kprobes_add $PROF_T $(grep -v '^#' /e2e/prof-dom0.probes))"
}

prof_clear() {
	[ -d $PROF_T/events/prof ] || return 0
	echo 0 >$PROF_T/events/prof/enable 2>/dev/null
	echo >$PROF_T/kprobe_events 2>/dev/null
}

prof_line() {
	[ -f /e2e/prof-dom0.probes ] || return 0
	mark=$1 ios=0
	for s in /sys/block/nullb*/stat /sys/block/e2e*/stat; do
		[ -f "$s" ] || continue
		read -r rd _ _ _ wr _ <"$s"
		ios=$((ios + rd + wr))
	done
	# /proc/stat once: switches, interrupts, and each vCPU's busy and
	# steal time (cN_busy_us, cN_steal_us).
	ctxt='' intr='' ncpu=0 cpus=
	while read -r k u n s _ _ h si st _; do
		case $k in
		ctxt) ctxt=$u ;;
		intr) intr=$u ;;
		cpu[0-9]*)
			ncpu=$((ncpu + 1))
			cpus="$cpus c${k#cpu}_busy_us=$(((u + n + s + h + si) * 10000)) c${k#cpu}_steal_us=$((st * 10000))"
			;;
		esac
	done </proc/stat
	# /proc/interrupts once: the backends' event channels, in all (birq)
	# and per vCPU (birqN; column N+2 of a line is vCPU N's count).
	birqs=$(awk -v n="$ncpu" '
		/blkif-backend/ { for (i = 0; i < n; i++) { s[i] += $(i + 2); t += $(i + 2) } }
		END { printf "birq=%d", t; for (i = 0; i < n; i++) printf " birq%d=%d", i, s[i] }' /proc/interrupts)
	kp=
	while read -r pn hit _; do
		kp="$kp,${pn#prof/}=$hit"
	done <$PROF_T/kprobe_profile 2>/dev/null
	echo "E2E-BPROF $NAME $mark ios=$ios ctxt=$ctxt intr=$intr $birqs$cpus$(prof_threads) kp=${kp#,}"
}

# prof_threads: where dom0 does a backend's work, for a disk-position
# effect (the domU's second disk slower with the same backend on both):
# each backend thread's run and run-queue wait time (run_us:THREAD,
# wait_us:THREAD, from /proc/PID/schedstat) and the vCPU it last ran on
# (on=THREAD@CPU); prof_line adds each vCPU's time and interrupts.
prof_threads() {
	on=
	while read -r pid comm; do
		[ -n "$pid" ] || continue
		pd=/proc/$pid
		read -r run wait _ <"$pd/schedstat" 2>/dev/null || continue
		st=$(cat "$pd/stat" 2>/dev/null) || continue
		# shellcheck disable=SC2086 # fields after "(comm) ": 3, 4, ...
		set -- ${st##*) }
		shift 36
		printf ' run_us:%s=%s wait_us:%s=%s' "$comm" $((run / 1000)) "$comm" $((wait / 1000))
		on="$on,$comm@$1"
	done <<-EOF
	$(backend_threads)
	EOF
	printf ' on=%s' "${on#,}"
}

# ---------------------------------------------------------------------
# One scenario (run in a subshell: fail() ends it)
# ---------------------------------------------------------------------
scenario() {
	defaults
	eval "$SETTINGS" || fail "bad settings: $SETTINGS"
	case $TYPE in
	blk) BMOD=xen-blkback FMOD=xen-blkfront DCLASS=vbd ;;
	vscsi)
		BMOD=xen-scsiback FMOD=xen-scsifront DCLASS=vscsi
		[ -x /e2e/xen-vscsi ] || fail "scripts/xen-vscsi (the pvSCSI toolstack script) is missing"
		;;
	*) fail "unknown TYPE=$TYPE" ;;
	esac
	if [ "$TYPE" = vscsi ] && [ "$HOTPLUG" != 0 ]; then
		# pvSCSI hot add/remove and its variants: a flow of its own
		# (tests/e2e/vscsi/dom0.sh), given the scenario's settings only.
		[ -x /e2e/vscsi/dom0.sh ] || fail "tests/e2e/vscsi/dom0.sh is missing"
		export NAME W
		(eval "export $SETTINGS" && exec /e2e/vscsi/dom0.sh)
		exit $?
	fi
	# Do not boot a domU for a frontend that is not there.
	[ "$FRONT" != proj ] || [ -f "/e2e/proj/$FMOD.ko" ] ||
		fail "project $FMOD.ko was not built (or not for this kernel)"
	dmesg -c >/dev/null

	if [ -n "$BACKS" ]; then
		[ "$TYPE" = blk ] || fail "BACKS is for block backends only"
		ab_load
		BACK=ab
	fi
	case $BACK in
	ab) ;;
	intree | proj | auto)
		load_mod "$BMOD" "$BACK" "$BACK_PARAMS"
		info "backend: $LOADED params='$BACK_PARAMS'"
		;;
	qdisk)
		[ "$TYPE" = blk ] || fail "BACK=qdisk is a block backend only"
		unload_mod xen-blkback || fail "cannot unload xen-blkback"
		info "backend: qemu qdisk (/usr/libexec/xen-qemu-system-i386)"
		;;
	*) fail "unknown BACK=$BACK" ;;
	esac
	setup_disk
	if [ -n "$NULLBLK_LATS" ]; then
		info "disks: $DISK $TARGETS (latencies $NULLBLK_LATS ns)"
	else
		info "disk: $DISK $TARGET ${DISK_MB} MiB"
	fi
	if [ "$DOM0_BENCH" = 1 ]; then
		# Benchmark ceiling (never a test): the domU's bench jobs run in
		# dom0 directly on each backing device, no domU, no PV path.
		# Each line names the vbd the device would be (xvda, ...).
		k=0
		for tgt in $TARGETS; do
			vd=$(vdev_of $k)
			for job in ${BENCH_JOBS:-$BENCH_DEFAULT_JOBS}; do
				r=$(bench_fio "$job" "$tgt") && [ -n "$r" ] ||
					fail "bench: fio $job on $tgt failed: $(tail -n1 /tmp/bench.err)"
				echo "E2E-BENCH0 $NAME $vd $job $r"
			done
			k=$((k + 1))
		done
		unload_mod "$BMOD" || fail "$BMOD cannot be unloaded"
		exit 0
	fi
	if [ "$TYPE" = vscsi ]; then
		case $PDEV_FORM in
		naa) setup_target ;;
		hctl)
			[ "$DISK" = scsi_debug ] || fail "PDEV_FORM=hctl needs DISK=scsi_debug"
			PDEV=$HCTL
			;;
		*) fail "unknown PDEV_FORM=$PDEV_FORM" ;;
		esac
		info "pvSCSI: p-dev $PDEV as v-dev $VDEV"
	fi
	if [ -n "$BACKS" ]; then
		[ "$(echo "$BACKS" | wc -w)" = "$NDISKS" ] || fail "BACKS names $(echo "$BACKS" | wc -w) backends for $NDISKS disks"
		ab_bind &
		echo $! >"$W/$NAME.abpid"
	fi
	write_cfg
	if [ -n "$DOM0_PAUSED_HOOK" ]; then
		# The domU is created paused: the hook plays with the backend's
		# nodes before the frontend can read them, then it runs.
		create_domu -p
		domid=$(xl domid "$DOM") || fail "domain vanished right after xl create"
		find_dev_dirs
		t=0
		until [ "$(xs_get "$BDIR/state")" = 2 ]; do
			t=$((t + 1))
			[ $t -lt 60 ] || fail "backend not in InitWait (state '$(xs_get "$BDIR/state")') before unpause"
			sleep 0.5
		done
		run_hook "$DOM0_PAUSED_HOOK"
		xl unpause "$DOM" || fail "xl unpause failed"
	else
		create_domu
	fi
	domid=$(xl domid "$DOM") || fail "domain vanished right after xl create"
	info "domU $DOM is domain $domid"
	if [ -n "$DOM0_HOOK" ]; then
		# The hook is the scenario: no waiting for Connected or for the
		# domU's verdict. Then the domU is destroyed, whatever it was
		# doing, and the usual teardown checks follow.
		find_dev_dirs
		run_hook "$DOM0_HOOK"
		xl destroy "$DOM" || fail "xl destroy after the hook failed"
		teardown_checks
		exit 0
	fi
	if [ "$TYPE" = vscsi ]; then
		/e2e/xen-vscsi create "$DOM" 0 "$PDEV" "$VDEV" --timeout "$CONNECT_TIMEOUT" ||
			fail "xen-vscsi create $DOM 0 $PDEV $VDEV failed"
	fi

	# Wait for both ends of every device to be connected (or the domU to
	# give up). fdir/bdir: the first device (xvda), for what follows.
	ndev=1
	[ "$TYPE" = blk ] && ndev=$NDISKS
	t0c=$(now)
	while :; do
		dom_alive || fail "domU died before the device connected"
		res=$(xs_get "/local/domain/$domid/data/e2e-result")
		[ -n "$res" ] && [ "${res%% *}" = FAIL ] && fail "domU: ${res#FAIL }"
		devids=$(xenstore-list "/local/domain/$domid/device/$DCLASS" 2>/dev/null | sort -n)
		fdir='' bdir='' nconn=0 nseen=0
		for devid in $devids; do
			fd=/local/domain/$domid/device/$DCLASS/$devid
			bd=$(xs_get "$fd/backend")
			[ -n "$fdir" ] || { fdir=$fd; bdir=$bd; }
			nseen=$((nseen + 1))
			[ "$(xs_get "$fd/state")" = 4 ] && [ -n "$bd" ] && [ "$(xs_get "$bd/state")" = 4 ] &&
				nconn=$((nconn + 1))
		done
		[ "$nseen" -ge "$ndev" ] && [ "$nconn" = "$nseen" ] && break
		[ $(($(now) - t0c)) -lt "$CONNECT_TIMEOUT" ] ||
			fail "device not connected after ${CONNECT_TIMEOUT}s ($nconn of $ndev connected; first: front state '$(xs_get "$fdir/state")', back state '$(xs_get "$bdir/state")')"
		sleep 0.5
	done
	info "connected after ~$(($(now) - t0c)) s"
	if [ -n "$BACKS" ]; then
		# Bound and connected: the binder stops (it would cost dom0 CPU).
		stop_pidfile "$W/$NAME.abpid"
		ab_check
	fi
	# Every device: its nodes for the record and the ring check. The
	# first one's E2E-RING line is "NAME pages=...", the others' "NAME
	# <vdev>: pages=...".
	bdirs=
	for devid in $devids; do
		fd=/local/domain/$domid/device/$DCLASS/$devid
		bd=$(xs_get "$fd/backend")
		bdirs="$bdirs $bd"
		xenstore-ls -f "$fd" | sed "s|^|E2E-XS $NAME front |"
		xenstore-ls -f "$bd" | sed "s|^|E2E-XS $NAME back |"
		if [ "$fd" = "$fdir" ]; then
			check_ring_nodes "$fd" "$bd" || fail "xenstore: $RING_ERR"
			echo "E2E-RING $NAME $RING_INFO"
		else
			vd=$(xs_get "$bd/dev")
			check_ring_nodes "$fd" "$bd" || fail "xenstore (${vd:-$devid}): $RING_ERR"
			echo "E2E-RING $NAME ${vd:-$devid}: $RING_INFO"
		fi
	done
	if [ "$TYPE" = vscsi ]; then
		# The seed's layout: each device connected on both sides.
		for d in "$bdir/vscsi-devs/dev-0" "$fdir/vscsi-devs/dev-0"; do
			st=$(xs_get "$d/state")
			[ "$st" = 4 ] || fail "xenstore: $d/state is '$st', not 4"
		done
	fi
	# A benchmark starts once dom0 is done with its checks (the domU
	# waits for the ack of its first mark, "go").
	case " $IO " in *" bench "*) bench_pin && prof_setup && bench_watch "$domid" ;; esac

	# xl save / xl restore under the domU's I/O, SAVE_RESTORE cycles; the
	# last restore onto the backend reloaded with SAVE_RESTORE_BACK_PARAMS
	# (e.g. a smaller max_ring_page_order) when set.
	c=0
	while [ "$c" -lt "$SAVE_RESTORE" ]; do
		c=$((c + 1))
		sleep "$SAVE_RESTORE_DELAY"
		res=$(xs_get "/local/domain/$domid/data/e2e-result")
		[ -z "$res" ] || fail "domU finished its I/O before save/restore cycle $c: raise FIO_SIZE"
		xl save "$DOM" /tmp/e2e-save.chk >"$W/$NAME.save.log" 2>&1 ||
			{ cat "$W/$NAME.save.log"; fail "xl save (cycle $c) failed"; }
		info "cycle $c: saved ($(stat -c %s /tmp/e2e-save.chk) bytes)"
		if [ "$c" = "$SAVE_RESTORE" ] && [ -n "$SAVE_RESTORE_BACK_PARAMS" ] && [ "$BACK" != qdisk ]; then
			load_mod xen-blkback "$BACK" "$SAVE_RESTORE_BACK_PARAMS"
			info "cycle $c: backend reloaded: $LOADED params='$SAVE_RESTORE_BACK_PARAMS'"
		fi
		xl restore /tmp/e2e-save.chk >"$W/$NAME.restore.log" 2>&1 ||
			{ cat "$W/$NAME.restore.log"; fail "xl restore (cycle $c) failed"; }
		rm -f /tmp/e2e-save.chk
		domid=$(xl domid "$DOM") || fail "domain gone after restore (cycle $c)"
		fdir=/local/domain/$domid/device/vbd/$(xenstore-list "/local/domain/$domid/device/vbd" 2>/dev/null | head -n1)
		bdir=$(xs_get "$fdir/backend")
		bdirs=$bdir
		t0c=$(now)
		while [ "$(xs_get "$fdir/state")" != 4 ] || [ "$(xs_get "$bdir/state")" != 4 ]; do
			[ $(($(now) - t0c)) -lt "$CONNECT_TIMEOUT" ] ||
				fail "cycle $c: not reconnected after restore (front '$(xs_get "$fdir/state")', back '$(xs_get "$bdir/state")')"
			sleep 0.5
		done
		# Measured before the node checks, which take time of their own.
		tc=$(($(now) - t0c))
		[ "$c" = "$SAVE_RESTORE" ] && [ -n "$SAVE_RESTORE_EXPECT_PAGES" ] &&
			EXPECT_PAGES=$SAVE_RESTORE_EXPECT_PAGES
		check_ring_nodes "$fdir" "$bdir" || fail "cycle $c xenstore: $RING_ERR"
		info "cycle $c: restored as domain $domid, reconnected after ~$tc s"
		echo "E2E-RING $NAME cycle $c: $RING_INFO"
	done
	# IO=fio-sr in the domU runs fio until told that the cycles are done.
	[ "$SAVE_RESTORE" -gt 0 ] && xenstore-write "/local/domain/$domid/data/e2e-sr-done" 1

	# The domU runs its I/O and writes its verdict to data/e2e-result.
	# Wait for the verdict on a xenstore watch: dom0 sleeps until the
	# domU writes it, instead of starting an xl (a whole libxl process)
	# every second for the length of the domU's I/O, load that competed
	# with the domU for the host's CPUs. Liveness is looked at every
	# 15 s (a verdict written just before the watch is set is read then).
	t0c=$(now)
	while :; do
		res=$(xs_get "/local/domain/$domid/data/e2e-result")
		[ -n "$res" ] && break
		dom_alive || fail "domU died before reporting (crash? see its console above)"
		if [ $(($(now) - t0c)) -ge "$IO_TIMEOUT" ]; then
			# A hung domU: its blocked tasks (sysrq w) go to its
			# console, which cleanup prints.
			xl sysrq "$DOM" w >/dev/null 2>&1 && sleep 5
			# The project backend's ring indexes, to set against
			# the frontend's (the domU's hang report).
			for f in /sys/bus/xen-backend/devices/vbd-"$domid"-*/statistics/ring_state; do
				[ -r "$f" ] && sed "s|^|E2E-INFO $NAME ${f%/statistics/ring_state}: |" "$f"
			done
			fail "no verdict from the domU after ${IO_TIMEOUT}s"
		fi
		# -n 2: the event a new watch fires at once, then a change.
		timeout 15 xenstore-watch -n 2 "/local/domain/$domid/data/e2e-result" >/dev/null 2>&1 ||
			sleep 1
	done
	info "domU verdict: $res"
	if [ "$UNLOAD_FRONT" = 1 ] && [ "${res%% *}" = PASS ]; then
		# The frontend was unbound and unloaded: every backend must
		# follow it to Closing/Closed.
		for bd in ${bdirs:-$bdir}; do
			t=0
			while :; do
				bst=$(xs_get "$bd/state")
				[ "$bst" = 5 ] || [ "$bst" = 6 ] && break
				t=$((t + 1))
				[ $t -lt 40 ] || fail "backend state '$bst' after the frontend closed (expected 5 or 6; $bd)"
				sleep 0.5
			done
		done
		info "after the frontend closed: front state '$(xs_get "$fdir/state")', back state '$bst'"
	fi
	if [ "$TYPE" = vscsi ]; then
		# No toolstack knows the vhost: remove it while the domain lives.
		# If the frontend already closed, the backend is Closed too and
		# will not walk Closing -> Closed again for the toolstack.
		if [ "$(xs_get "$bdir/state")" = 6 ]; then
			/e2e/xen-vscsi destroy "$DOM" 0 --force --timeout 1 >/dev/null 2>&1
		else
			/e2e/xen-vscsi destroy "$DOM" 0 --timeout 30 || fail "xen-vscsi destroy $DOM 0 failed"
		fi
	fi
	# Let it power off, and give the toolstack time to tear down.
	xenstore-write "/local/domain/$domid/data/e2e-release" 1
	t=0
	while dom_alive && [ $t -lt 60 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	dom_alive && fail "domU did not power off after its verdict"
	[ "${res%% *}" = PASS ] || fail "domU: ${res#FAIL }"
	teardown_checks
	exit 0
}

# After the domU is gone: nothing of it may be left behind.
teardown_checks() {
	# No domain may linger (a dying domain with grant mappings left).
	t=0
	while [ "$(xl list | awk 'NR > 1 && $2 != 0' | wc -l)" != 0 ] && [ $t -lt 40 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	[ "$(xl list | awk 'NR > 1 && $2 != 0' | wc -l)" = 0 ] ||
		fail "domain lingers after destroy (leaked grant mappings?): $(xl list | tail -n +2 | tr -s ' ' | tr '\n' ';')"
	if [ -n "$(xenstore-list "/local/domain/0/backend/vbd/$domid" 2>/dev/null)" ] ||
		[ -n "$(xenstore-list "/local/domain/0/backend/qdisk/$domid" 2>/dev/null)" ] ||
		[ -n "$(xenstore-list "/local/domain/0/backend/vscsi/$domid" 2>/dev/null)" ]; then
		fail "backend nodes left behind for domain $domid"
	fi
	teardown_target
	if [ "$BACK" = ab ]; then
		ab_unload || fail "xen-blkback or xen-blkback-ab cannot be unloaded (still in use after the domU is gone)"
	elif [ "$BACK" != qdisk ]; then
		unload_mod "$BMOD" || fail "$BMOD cannot be unloaded (still in use after the domU is gone)"
	fi
}

# After each scenario, pass or fail: leave dom0 clean for the next one
# and check its kernel log and the domU's console.
cleanup() {
	if [ "$TYPE" = vscsi ] && dom_alive; then
		/e2e/xen-vscsi destroy "$DOM" 0 --force --timeout 5 >/dev/null 2>&1
	fi
	xl destroy "$DOM" >/dev/null 2>&1
	# A benchmark's xenstore watch (bench_watch): its reader ends with it.
	stop_pidfile "$W/$NAME.bwpid"
	rm -f "$W/$NAME.bw"
	prof_clear
	stop_pidfile "$W/$NAME.abpid"
	[ -n "$BACKS" ] && ab_unload
	# What a failed hot-plug flow left: configfs objects, vhosts, modules.
	[ "$TYPE" = vscsi ] && [ "$HOTPLUG" != 0 ] && /e2e/vscsi/dom0.sh cleanup
	teardown_target
	teardown_disk
	if [ -f "$W/$NAME.hook.shown" ]; then
		tail -n +$(($(cat "$W/$NAME.hook.shown") + 1)) "$W/$NAME.hook"
	fi
	log=/var/log/xen/console/guest-$DOM.log
	if [ -f "$log" ]; then
		echo "----- console of $DOM -----"
		tr -d '\r' <"$log" | sed "s|^|[$DOM] |"
		echo "----- end of console of $DOM -----"
		bad=$(bad_kernel_lines "$log" "$ALLOW_RE")
		[ -n "$bad" ] && [ ! -f "$W/$NAME.reason" ] &&
			echo "domU kernel log: $(echo "$bad" | head -n 2 | tr -d '\r' | tr '\n' ' ')" >"$W/$NAME.reason"
	fi
	dmesg >"$W/$NAME.dmesg"
	bad=$(bad_kernel_lines "$W/$NAME.dmesg" "$ALLOW_RE")
	[ -z "$bad" ] || [ -f "$W/$NAME.reason" ] ||
		echo "dom0 kernel log: $(echo "$bad" | head -n 2 | tr '\n' ' ')" >"$W/$NAME.reason"
	if [ -f "$W/$NAME.reason" ]; then
		# On failure, dom0's whole kernel log of the scenario and xl's logs.
		echo "----- dom0 dmesg of $NAME -----"
		cat "$W/$NAME.dmesg"
		tail -n 50 /var/log/xen/xen-hotplug.log 2>/dev/null | sed 's/^/xen-hotplug.log: /'
	fi
	for f in /var/log/xen/qemu-dm-"$DOM".log /var/log/xen/xl-"$DOM".log; do
		[ -s "$f" ] && [ -f "$W/$NAME.reason" ] && { echo "----- $f -----"; cat "$f"; }
	done
	rm -f /var/log/xen/qemu-dm-"$DOM".log /var/log/xen/xl-"$DOM".log
}

rc=0
while read -r NAME SETTINGS; do
	case $NAME in '' | '#'*) continue ;; esac
	DOM=e2e-$NAME
	echo "E2E-START $NAME"
	t0=$(cut -d. -f1 /proc/uptime)
	rm -f "$W/$NAME.reason" "$W/$NAME.hook.shown"
	defaults
	eval "$SETTINGS" 2>/dev/null # for cleanup's view of DISK / ALLOW_RE
	(scenario) </dev/null
	src=$?
	[ $src = 0 ] || [ -f "$W/$NAME.reason" ] || echo "scenario exited with $src" >"$W/$NAME.reason"
	cleanup </dev/null
	secs=$(($(cut -d. -f1 /proc/uptime) - t0))
	if [ -f "$W/$NAME.reason" ]; then
		echo "E2E-RESULT $NAME FAIL $secs $(head -c 400 "$W/$NAME.reason" | tr '\n' ' ')"
		rc=1
	else
		echo "E2E-RESULT $NAME PASS $secs"
	fi
done <"$PLAN"
exit $rc
