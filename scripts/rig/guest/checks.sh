# shellcheck shell=sh
# shellcheck disable=SC2034 # RING_* are this file's results for its callers
# SPDX-License-Identifier: GPL-2.0-only
#
# Checks shared by the rig's dom0 and domU scripts (busybox sh).
# Sourced, never run.

# Kernel log lines that fail a scenario: any WARN (WARNING: CPU ...),
# BUG, Oops, general protection fault or stack dump.
E2E_BAD_RE='WARN|BUG|Oops|general protection|Call Trace'
# Known lines that may match the above but say nothing about the drivers:
# the CPU vulnerability notices a kernel prints at boot (e.g. "RETBleed:
# WARNING: Spectre v2 mitigation leaves CPU vulnerable..." on some CPUs).
E2E_BENIGN_RE='^(\[[ 0-9.]*\] )?(Spectre V[12]|RETBleed|MDS|TAA|MMIO Stale Data|SRBDS|GDS|Speculative Store Bypass|Speculative Return Stack Overflow|ITS|x86/bugs): '

# bad_kernel_lines FILE [EXTRA_ALLOWED_RE]: print the offending lines.
bad_kernel_lines() {
	if [ -n "${2:-}" ]; then
		grep -E "$E2E_BAD_RE" "$1" | grep -Ev "$E2E_BENIGN_RE" | grep -Ev "$2"
	else
		grep -E "$E2E_BAD_RE" "$1" | grep -Ev "$E2E_BENIGN_RE"
	fi
	return 0
}

# kmark TEXT: a line of the test's own in the kernel log.
kmark() { echo "$*" >/dev/kmsg; }

# klog_since TEXT: the kernel log from its last line containing TEXT on.
klog_since() {
	dmesg | awk -v m="$1" 'index($0, m) { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }'
}

# param_refused KO PARAM=VALUE: loading the module file KO with a bad
# parameter value must fail, leave the module unloaded, and the kernel log
# must name the parameter ("<module>: invalid PARAM="). Prints that log
# line; or the reason it is not so, and returns 1. The log is not cleared
# (the scenario's kernel-log check reads all of it): a mark starts the
# part that is searched.
param_refused() {
	pr_mod=$(basename "$1" .ko | tr - _)
	pr_mark="e2e: insmod $pr_mod $2, which must fail"
	kmark "$pr_mark"
	if insmod "$1" "$2" 2>/dev/null; then
		rmmod "$pr_mod"
		echo "insmod $pr_mod $2 succeeded"
		return 1
	fi
	if [ -d "/sys/module/$pr_mod" ]; then
		echo "$pr_mod left loaded after insmod $2 failed"
		return 1
	fi
	if ! pr_msg=$(klog_since "$pr_mark" | grep -m1 "$pr_mod: invalid ${2%%=*}="); then
		echo "no message naming ${2%%=*} for $2 (log: $(klog_since "$pr_mark" | tail -n 3 | tr '\n' ' '))"
		return 1
	fi
	echo "${pr_msg#*] }"
}

# is_uint S: S is a non-empty decimal number.
is_uint() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
	return 0
}

# ---------------------------------------------------------------------
# Multi-page ring nodes (blkif; the pvSCSI ring of this project uses the
# same ones), checked against the seed's text:
#  backend:  max-ring-page-order = lb(max pages) and/or max-ring-pages =
#            max pages (deprecated), identical after conversion when both
#            exist;
#  frontend: one page -> ring-ref, no ring-page-order / num-ring-pages;
#            N > 1 pages -> ring-ref0..ring-ref<N-1>, no ring-ref,
#            ring-page-order = lb(N) and/or num-ring-pages = N;
#            N <= what the backend advertised;
#  both states 4 (Connected).
# Run in dom0 while the device is connected. Sets RING_PAGES, RING_INFO
# and prints what it found; returns 1 with RING_ERR set on a violation.
# Optional expectations (from the scenario): EXPECT_PAGES, EXPECT_MIN_PAGES,
# EXPECT_FRONT_SCHEME and EXPECT_BACK_SCHEME (order|pages|both).
# ---------------------------------------------------------------------
# vdev_of K: the domU's name of vbd K (0: xvda, 1: xvdb, ... 15: xvdp),
# as dom0 configures them and the domU finds them.
vdev_of() { echo "xvd$(echo abcdefghijklmnop | cut -c$(($1 + 1)))"; }

xs_get() { xenstore-read "$1" 2>/dev/null; }
xs_has() { xenstore-exists "$1" 2>/dev/null; }

ring_err() {
	RING_ERR=$*
	return 1
}

# scheme_of HAS_ORDER HAS_PAGES -> order|pages|both|none
scheme_of() {
	if [ "$1" = 1 ] && [ "$2" = 1 ]; then
		echo both
	elif [ "$1" = 1 ]; then
		echo order
	elif [ "$2" = 1 ]; then
		echo pages
	else
		echo none
	fi
}

check_ring_nodes() {
	front=$1 back=$2
	RING_ERR='' RING_PAGES='' RING_INFO=''

	fs=$(xs_get "$front/state")
	bs=$(xs_get "$back/state")
	[ "$fs" = 4 ] || ring_err "frontend state is '$fs', not 4 (Connected)" || return 1
	[ "$bs" = 4 ] || ring_err "backend state is '$bs', not 4 (Connected)" || return 1

	# Backend advertisement.
	bo=$(xs_get "$back/max-ring-page-order")
	bp=$(xs_get "$back/max-ring-pages")
	has_bo=0 has_bp=0
	[ -n "$bo" ] && has_bo=1
	[ -n "$bp" ] && has_bp=1
	bmax=1
	if [ $has_bo = 1 ]; then
		is_uint "$bo" || ring_err "backend max-ring-page-order '$bo' is not a number" || return 1
		[ "$bo" -le 16 ] || ring_err "backend max-ring-page-order '$bo' is absurd" || return 1
		bmax=$((1 << bo))
	fi
	if [ $has_bp = 1 ]; then
		is_uint "$bp" && [ "$bp" -gt 0 ] ||
			ring_err "backend max-ring-pages '$bp' is not a positive number" || return 1
		[ $((bp & (bp - 1))) = 0 ] ||
			ring_err "backend max-ring-pages '$bp' is not a power of 2" || return 1
		[ "$bp" -gt "$bmax" ] && bmax=$bp
	fi
	if [ $has_bo = 1 ] && [ $has_bp = 1 ] && [ "$bp" != $((1 << bo)) ]; then
		ring_err "backend max-ring-pages=$bp and max-ring-page-order=$bo disagree" || return 1
	fi
	bscheme=$(scheme_of $has_bo $has_bp)
	if [ -n "${EXPECT_BACK_SCHEME:-}" ] && [ "$bscheme" != "$EXPECT_BACK_SCHEME" ]; then
		ring_err "backend advertises scheme '$bscheme', expected '$EXPECT_BACK_SCHEME'" || return 1
	fi

	# Frontend: ring-page-order / num-ring-pages live in the device
	# directory, the ring-ref nodes in it or, multi-queue, in queue-<n>/.
	fo=$(xs_get "$front/ring-page-order")
	fp=$(xs_get "$front/num-ring-pages")
	has_fo=0 has_fp=0
	[ -n "$fo" ] && has_fo=1
	[ -n "$fp" ] && has_fp=1
	nq=$(xs_get "$front/multi-queue-num-queues")
	if [ -n "$nq" ]; then
		is_uint "$nq" && [ "$nq" -ge 1 ] || ring_err "bad multi-queue-num-queues '$nq'" || return 1
		qdirs=
		q=0
		while [ $q -lt "$nq" ]; do
			qdirs="$qdirs $front/queue-$q"
			q=$((q + 1))
		done
	else
		qdirs=$front
	fi
	pages=
	allrefs=
	for qd in $qdirs; do
		# Frontend ring-ref nodes of this queue, by name.
		names=$(xenstore-list "$qd" 2>/dev/null | grep -E '^ring-ref[0-9]*$')
		n=$(echo "$names" | grep -cE '^ring-ref[0-9]+$')
		if echo "$names" | grep -qx 'ring-ref'; then
			[ "$n" = 0 ] || ring_err "$qd has both ring-ref and ring-ref<N>" || return 1
			[ $has_fo = 0 ] && [ $has_fp = 0 ] ||
				ring_err "one-page ring (ring-ref) but ring-page-order='$fo' num-ring-pages='$fp' present" || return 1
			qp=1
			allrefs="$allrefs $(xs_get "$qd/ring-ref")"
		else
			[ "$n" -ge 1 ] || ring_err "$qd has no ring-ref nor ring-ref0" || return 1
			# ring-ref0..n-1 in one xenstore-read (a process costs a
			# fraction of a second under TCG, and a 64-page ring has
			# 64 of them); a missing one fails it: then find which.
			i=0 paths=
			while [ $i -lt "$n" ]; do
				paths="$paths $qd/ring-ref$i"
				i=$((i + 1))
			done
			# shellcheck disable=SC2086 # the paths are words
			refs=$(xenstore-read $paths 2>/dev/null) || {
				i=0
				while [ $i -lt "$n" ]; do
					xs_has "$qd/ring-ref$i" || ring_err "$qd: ring-ref$i missing (refs not contiguous)" || return 1
					i=$((i + 1))
				done
				ring_err "$qd: ring-ref0..$((n - 1)) cannot be read" || return 1
			}
			allrefs="$allrefs $refs"
			[ "$n" -ge 2 ] || ring_err "one-page ring published as ring-ref0: must be ring-ref" || return 1
			[ $((n & (n - 1))) = 0 ] || ring_err "$n ring pages is not a power of 2" || return 1
			[ $has_fo = 1 ] || [ $has_fp = 1 ] ||
				ring_err "$n ring pages but neither ring-page-order nor num-ring-pages" || return 1
			if [ $has_fo = 1 ]; then
				is_uint "$fo" && [ "$fo" -le 16 ] && [ $((1 << fo)) = "$n" ] ||
					ring_err "ring-page-order='$fo' but $n ring-ref<N> nodes" || return 1
			fi
			if [ $has_fp = 1 ]; then
				[ "$fp" = "$n" ] || ring_err "num-ring-pages='$fp' but $n ring-ref<N> nodes" || return 1
			fi
			qp=$n
		fi
		xs_has "$qd/event-channel" || xs_has "$qd/event-channel-request" ||
			ring_err "$qd has no event-channel" || return 1
		[ -z "$pages" ] || [ "$pages" = "$qp" ] ||
			ring_err "queues use different ring sizes ($pages, $qp)" || return 1
		pages=$qp
	done
	# Every ring-ref a number, no grant twice.
	for r in $allrefs; do
		is_uint "$r" || ring_err "ring-ref value '$r' is not a number" || return 1
	done
	dup=$(for r in $allrefs; do echo "$r"; done | sort | uniq -d | head -n1)
	[ -z "$dup" ] || ring_err "grant reference $dup published twice" || return 1

	[ "$pages" -le "$bmax" ] ||
		ring_err "frontend uses $pages pages, backend allows at most $bmax" || return 1
	if [ "$pages" -gt 1 ]; then
		fscheme=$(scheme_of $has_fo $has_fp)
		if [ -n "${EXPECT_FRONT_SCHEME:-}" ] && [ "$fscheme" != "$EXPECT_FRONT_SCHEME" ]; then
			ring_err "frontend writes scheme '$fscheme', expected '$EXPECT_FRONT_SCHEME'" || return 1
		fi
	else
		fscheme=single
	fi
	if [ -n "${EXPECT_PAGES:-}" ] && [ "$pages" != "$EXPECT_PAGES" ]; then
		ring_err "ring has $pages pages, expected $EXPECT_PAGES" || return 1
	fi
	if [ -n "${EXPECT_MIN_PAGES:-}" ] && [ "$pages" -lt "$EXPECT_MIN_PAGES" ]; then
		ring_err "ring has $pages pages, expected at least $EXPECT_MIN_PAGES" || return 1
	fi
	RING_PAGES=$pages
	RING_INFO="pages=$pages queues=${nq:-1} front-scheme=$fscheme back-scheme=$bscheme back-max=$bmax (max-ring-page-order=${bo:--} max-ring-pages=${bp:--})"
	return 0
}

# ---------------------------------------------------------------------
# Benchmarks (IO=bench in the domU, DOM0_BENCH=1 in dom0): never a test.
# ---------------------------------------------------------------------
# Jobs are named RW-BS-IODEPTH (fio's rw, bs and iodepth).
# shellcheck disable=SC2034 # used by domU-init and dom0-run.sh
BENCH_DEFAULT_JOBS="randread-4k-1 randread-4k-32 randread-4k-128 randwrite-4k-1 randwrite-4k-32 randwrite-4k-128 read-1m-16 write-1m-16"

# bench_job JOB: fio's options for JOB (RW-BS-IODEPTH) over the first
# FIO_SIZE bytes, for BENCH_SECS seconds, no verify.
bench_job() {
	b_rw=${1%%-*}
	b_rest=${1#*-}
	echo "--ioengine=libaio --direct=1 --rw=$b_rw --bs=${b_rest%%-*} --iodepth=${b_rest#*-}" \
		"--size=${FIO_SIZE:-32m} --time_based --runtime=${BENCH_SECS:-20}"
}

# bench_terse NAME [S0 S1]: from fio's terse (v3) output in /tmp/bench.out,
# fio job NAME's "r_iops r_kib_s w_iops w_kib_s r_p99_us w_p99_us r_kib
# w_kib busy_jiffies all_jiffies" (fields 6-9 read KiB, KiB/s, IOPS, ms;
# 30 read clat p99 in us; 47-50 and 71 the same for writes); S0 and S1
# are /proc/stat cpu lines (without them, the jiffies are -1 -1).
bench_terse() {
	awk -F';' -v job="$1" -v s0="${2:-}" -v s1="${3:-}" '
	function busy(s, a) { split(s, a, " "); return a[2] + a[3] + a[4] + a[7] + a[8] }
	function all(s, a, i, t) { split(s, a, " "); t = 0; for (i = 2; i <= 9; i++) t += a[i]; return t }
	function p99(f) { return f ~ /^99\.0*%=/ ? substr(f, index(f, "=") + 1) : -1 }
	$1 == 3 && $3 == job {
		b = s0 == "" ? -1 : busy(s1) - busy(s0)
		t = s0 == "" ? -1 : all(s1) - all(s0)
		print $8, $7, $49, $48, p99($30), p99($71), $6, $47, b, t; exit
	}' /tmp/bench.out
}

# bench_fio JOB DEV [MARK]: one fio job on DEV (bench_job). Prints the
# bench_terse line: fio's IOPS and KiB/s, the 99th percentile of
# completion latency (us), the KiB moved, and this domain's CPU time (all
# its CPUs, /proc/stat) busy (user, nice, system, irq, softirq) and in
# all (+ idle, iowait, steal) while the job did I/O: taken by fio's
# exec_prerun/exec_postrun, so fio's own start is left out. MARK: a
# command run with "s:JOB" before the first snapshot and "e:JOB" after
# the last (domU-init: have dom0 take its own).
bench_fio() {
	echo "${3:+$3 s:$1; }head -n1 /proc/stat >/tmp/bench.s0" >/tmp/bench.pre
	echo "head -n1 /proc/stat >/tmp/bench.s1${3:+; $3 e:$1}" >/tmp/bench.post
	rm -f /tmp/bench.s0 /tmp/bench.s1
	# shellcheck disable=SC2046 # bench_job's words are options
	(cd /tmp && fio --name=bench --filename="$2" $(bench_job "$1") --minimal \
		--exec_prerun="sh /tmp/bench.pre" --exec_postrun="sh /tmp/bench.post") \
		>/tmp/bench.out 2>/tmp/bench.err || return 1
	bench_terse bench "$(cat /tmp/bench.s0)" "$(cat /tmp/bench.s1)"
}

# bench_fio2 JOB DEV1 DEV2: JOB on DEV1 and DEV2 at the same time, one fio
# with a job per disk (bench1, bench2) started together: both disks see
# the same state of the machine. Prints two bench_terse lines, DEV1's
# then DEV2's; the CPU jiffies are -1 -1 (the domain's CPU time cannot be
# split between the disks).
bench_fio2() {
	# shellcheck disable=SC2046 # bench_job's words are global options
	(cd /tmp && fio $(bench_job "$1") --minimal \
		--name=bench1 --filename="$2" --name=bench2 --filename="$3") \
		>/tmp/bench.out 2>/tmp/bench.err || return 1
	bench_terse bench1 && bench_terse bench2
}

# ---------------------------------------------------------------------
# Profiling (never a test): bench/prof/, RIG_DOM0_PROF and RIG_DOMU_PROF.
# ---------------------------------------------------------------------
# kprobes_add TRACEFS PROBE...: a kprobe "prof/pN" on each PROBE ("func",
# or "module:func" for a module's) that exists in the running kernel, the
# N-th of the list; then the group is enabled. Prints " pN=func" for each
# kprobe made (kprobe_profile names them prof/pN).
kprobes_add() {
	kt=$1
	shift
	kn=0
	for kp in "$@"; do
		kn=$((kn + 1))
		if echo "p:prof/p$kn $kp" >>"$kt/kprobe_events" 2>/dev/null; then
			printf ' p%s=%s' "$kn" "${kp#*:}"
		fi
	done
	echo 1 >"$kt/events/prof/enable" 2>/dev/null
	return 0
}
