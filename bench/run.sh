#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark harness (never a pass/fail test) for the block drivers in the
# Xen rig: fio in a PV domU over null_blk in dom0, for several driver pairs
# (FRONT x BACK), ring orders and backend latencies, in boots of
# interleaved scenarios (A B .. B A), plus the same jobs in dom0 on the
# null_blk devices (the ceiling no PV path can pass). One scenario (one
# domU lifecycle) measures every latency: dom0 makes one null_blk device
# per latency, the domU gets one vbd per device (xvda, xvdb, ...) and runs
# the jobs on each in turn. Writes bench/results/<run>/results.csv,
# ratios.txt and, with gnuplot, PNG charts. See bench/README.md.
#
#   bench/run.sh [PRESET]          PRESET: issues34 (default), blkback,
#                                  blkfront, sweep, tiny
#   bench/run.sh --dry-run [PRESET]  print the scenario lists and the
#                                  estimated rig time, run nothing
#   bench/run.sh --parse DIR       redo the CSV, ratios and charts of a run
#
# Settings (environment; each overrides the preset's):
#   BENCH_PAIRS   pairs FRONTBACK, i = in-tree, p = project: "ii ip pi pp"
#                 (ii = in-tree xen-blkfront x in-tree xen-blkback)
#   BENCH_BASE    the pair ratios are taken against (default ii)
#   BENCH_ORDERS  ring orders (lb of ring pages); a pair with an in-tree
#                 driver runs orders up to 4 only
#   BENCH_LATS    null_blk completion latencies in ns, one disk each
#                 (irqmode=2 completion_nsec=N; 0 = no timer, irqmode=0)
#   BENCH_JOBS    fio jobs RW-BS-IODEPTH (default: 4k randread/randwrite at
#                 iodepth 1, 32, 128; 1M read/write at iodepth 16)
#   BENCH_SECS    seconds per fio job
#   BENCH_BOOTS   boots (each measures every point twice, A B .. B A)
#   BENCH_REPS    2 (default): A B .. B A; 1: one pass per boot (A B ..,
#                 reversed on even boots), for a quick look only
#   BENCH_NATIVE  1: also fio in dom0 on the null_blk devices
#   BENCH_SAME    1: the two pairs of BENCH_PAIRS share their frontend and
#                 differ in the backend: one domU per order has one vbd per
#                 backend (and latency), both backends loaded at once (the
#                 project's as xen-blkback-ab, bench/abback), and runs each
#                 job on them A B B A (REPS 4: A B B A A B B A) in turn;
#                 the two pairs may be the same one (BENCH_PAIRS="ii ii":
#                 an A/A run, the second disk's backend reported as
#                 in-tree#2): what one backend differs from itself
#   BENCH_PAR     1 (needs BENCH_SAME=1): each run of a job does I/O on
#                 both backends' disks at the same time (one fio, a job
#                 per disk), REPS runs per job, so that both see the same
#                 state of the machine; no CPU figures in this mode
#   BENCH_PIN     a dom0 vCPU (or empty: none) that every backend thread
#                 and event channel is moved to before the jobs
#                 (BENCH_DOM0_PIN of the rig), so that each disk's backend
#                 works in the same place whatever its position
#   BENCH_RESULTS where results go (default bench/results)
#   BENCH_RUN     a run directory (or a name under BENCH_RESULTS) to make
#                 or resume: only its boots without boot-N.done run, then
#                 all its complete boots are parsed; its settings must be
#                 the same (BENCH_BOOTS may be raised)
#   BENCH_RUN_BOOTS  run at most this many of the missing boots now
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3

dry='' parse_only='' PRESET=issues34
while [ $# -gt 0 ]; do
	case $1 in
	--dry-run) dry=1; shift ;;
	--parse) parse_only=${2:?--parse needs a results directory}; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
	-*) echo "bench: unknown option $1" >&2; exit 2 ;;
	*) PRESET=$1; shift ;;
	esac
done

ALL_JOBS="randread-4k-1 randread-4k-32 randread-4k-128 randwrite-4k-1 randwrite-4k-32 randwrite-4k-128 read-1m-16 write-1m-16"
case $PRESET in
issues34) p_pairs="ii ip pi" p_orders=4 p_lats=1000000 p_jobs=$ALL_JOBS p_secs=5 p_boots=2 p_native=0 ;;
blkback) p_pairs="ii ip" p_orders=4 p_lats=1000000 p_jobs=$ALL_JOBS p_secs=5 p_boots=3 p_native=0 p_same=1 p_pin=1 ;;
blkfront) p_pairs="ii pi" p_orders=4 p_lats=1000000 p_jobs=$ALL_JOBS p_secs=5 p_boots=3 p_native=0 ;;
sweep) p_pairs="ii ip pi pp" p_orders="0 2 4 6" p_lats="0 20000000 100000000" p_jobs=$ALL_JOBS p_secs=5 p_boots=3 p_native=1 ;;
tiny) p_pairs="ii ip" p_orders=4 p_lats=1000000 p_jobs="randread-4k-32 write-1m-16" p_secs=2 p_boots=1 p_native=1 ;;
*) echo "bench: unknown preset $PRESET (issues34, blkback, blkfront, sweep, tiny)" >&2; exit 2 ;;
esac
# words: one space between words (settings are compared as text).
# shellcheck disable=SC2048,SC2086
words() { echo $*; }
PAIRS=$(words "${BENCH_PAIRS:-$p_pairs}")
BASE=${BENCH_BASE:-ii}
ORDERS=$(words "${BENCH_ORDERS:-$p_orders}")
LATS=$(words "${BENCH_LATS:-$p_lats}")
JOBS=$(words "${BENCH_JOBS:-$p_jobs}")
SECS=${BENCH_SECS:-$p_secs}
BOOTS=${BENCH_BOOTS:-$p_boots}
NATIVE=${BENCH_NATIVE:-$p_native}
SAME=${BENCH_SAME:-${p_same:-0}}
REPS=${BENCH_REPS:-2}
PAR=${BENCH_PAR:-0}
DOMU_MEM=${BENCH_DOMU_MEM:-}
PIN=${BENCH_PIN-${p_pin:-}}
RESULTS=${BENCH_RESULTS:-$TOP/bench/results}
RUN_DIR=${BENCH_RUN:-}
RUN_BOOTS=${BENCH_RUN_BOOTS:-}
die() {
	echo "bench: $*" >&2
	exit 2
}
for v in "$SECS" "$BOOTS" "$REPS" "$NATIVE" "$SAME" "$PAR" $LATS $ORDERS ${RUN_BOOTS:+"$RUN_BOOTS"} ${DOMU_MEM:+"$DOMU_MEM"} ${PIN:+"$PIN"}; do
	case $v in '' | *[!0-9]*) die "not a number: '$v' (BENCH_SECS, BENCH_BOOTS, BENCH_REPS, BENCH_NATIVE, BENCH_SAME, BENCH_PAR, BENCH_LATS, BENCH_ORDERS, BENCH_RUN_BOOTS, BENCH_DOMU_MEM, BENCH_PIN)" ;; esac
done
for p in $PAIRS; do
	[[ $p =~ ^[ip][ip]$ ]] || die "bad pair '$p' in BENCH_PAIRS (FRONT BACK, i = in-tree, p = project: ii ip pi pp)"
done
nlats=$(echo "$LATS" | wc -w)
njobs=$(echo "$JOBS" | wc -w)
[ "$nlats" -ge 1 ] && [ "$nlats" -le 16 ] || die "BENCH_LATS: 1 to 16 latencies"
[ "$njobs" -ge 1 ] || die "BENCH_JOBS is empty"

need_tools() {
	local missing=()
	[ -x $PY ] || missing+=(python3)
	command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
	[ ${#missing[@]} = 0 ] && return 0
	if [ "$(id -u)" = 0 ] && [ "${RIG_NO_APT:-}" != 1 ]; then
		echo "bench: installing ${missing[*]}" >&2
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || true
	fi
	[ -x $PY ] || { echo "bench: needs Debian's python3" >&2; exit 1; }
	command -v gnuplot >/dev/null || echo "bench: no gnuplot: no charts" >&2
}

analyse() {
	$PY "$TOP/bench/parse.py" "$1" || return 1
	if command -v gnuplot >/dev/null; then
		$PY "$TOP/bench/plot.py" "$1" || echo "bench: charts failed" >&2
	fi
	cat "$1/ratios.txt"
}

if [ -n "$parse_only" ]; then
	need_tools
	analyse "$parse_only"
	exit
fi


# The points of one boot, in order: "name front back order". Each point is
# one scenario (one domU lifecycle, or the dom0-native jobs) that measures
# every latency of LATS, one disk each.
pair_front() { case ${1:0:1} in i) echo intree ;; p) echo proj ;; *) return 1 ;; esac; }
pair_back() { case ${1:1:1} in i) echo intree ;; p) echo proj ;; *) return 1 ;; esac; }
points() {
	local o p
	[ "$NATIVE" = 1 ] && echo "dom0 dom0 dom0 -"
	for o in $ORDERS; do
		for p in $PAIRS; do
			pair_front "$p" >/dev/null && pair_back "$p" >/dev/null ||
				{ echo "bench: bad pair $p" >&2; exit 2; }
			# The in-tree drivers go to order 4.
			[ "$p" = pp ] || [ "$o" -le 4 ] || continue
			echo "$p-o$o $(pair_front "$p") $(pair_back "$p") $o"
		done
	done
}

# Same-domain mode: the two pairs' backends serve one domU at once.
if [ "$SAME" = 1 ]; then
	# shellcheck disable=SC2086 # words wanted
	set -- $PAIRS
	[ $# = 2 ] || die "BENCH_SAME=1 compares two pairs, BENCH_PAIRS has $#"
	[ "${1:0:1}" = "${2:0:1}" ] ||
		die "BENCH_SAME=1: the pairs must share the frontend ($PAIRS)"
	[ "$NATIVE" = 0 ] || die "BENCH_SAME=1 has no dom0-native points (BENCH_NATIVE=0)"
	[ "$nlats" -le 8 ] || die "BENCH_SAME=1: at most 8 latencies (two disks each)"
	PAIR_A=$1 PAIR_B=$2
	IO_TIMEOUT=$((2 * (REPS + 1) * nlats * njobs * (SECS + 30) + 120))
else
	[ "$PAR" = 0 ] || die "BENCH_PAR=1 needs BENCH_SAME=1 (both backends in one domU)"
	dup=$(printf '%s\n' $PAIRS | sort | uniq -d | head -n1)
	[ -z "$dup" ] || die "BENCH_PAIRS has $dup twice: an A/A run needs BENCH_SAME=1"
	IO_TIMEOUT=$((nlats * njobs * (SECS + 30) + 120))
fi
export E2E_SCENARIO_BUDGET=$((IO_TIMEOUT + 180))

# The domU's memory, MB. With persistent grants the in-tree xen-blkfront
# allocates a page for every grant of every ring slot as it connects
# (blkfront_setup_indirect(): 32 segments + 1 indirect page per slot,
# 512 slots at order 4: 66 MB per disk). In 256 MB, a domU with three
# such disks never connected (run sweep-1, 2026-12-06). So: 256 MB plus
# 96 MB per disk, at most 2048 (the rig's QEMU has 4096, dom0 1536).
if [ "$SAME" = 1 ]; then ndisks=$((2 * nlats)); else ndisks=$nlats; fi
DOMU_MEM=${DOMU_MEM:-$((256 + 96 * ndisks))}
[ "$DOMU_MEM" -ge 128 ] && [ "$DOMU_MEM" -le 2048 ] ||
	die "BENCH_DOMU_MEM: $DOMU_MEM MB: the domU needs 128 to 2048 MB"

# scenario_line NAME FRONT BACK ORDER: one line of a rig scenario list.
# dom0 makes one null_blk device per latency (NULLBLK_LATS, configfs),
# with the module's gb=1 hw_queue_depth=1024 as their defaults.
scenario_line() {
	local n=$1 f=$2 b=$3 o=$4 common
	common="DISK=null_blk NULLBLK_PARAMS='gb=1 hw_queue_depth=1024' NULLBLK_LATS='$LATS' FIO_SIZE=1g IO=bench BENCH_JOBS='$JOBS' BENCH_SECS=$SECS IO_TIMEOUT=$IO_TIMEOUT"
	if [ "$f" = dom0 ]; then
		echo "$n bench DOM0_BENCH=1 $common"
	else
		echo "$n bench FRONT=$f BACK=$b FRONT_PARAMS=max_ring_page_order=$o BACK_PARAMS=max_ring_page_order=$o EXPECT_PAGES=$((1 << o)) DOMU_MEM=$DOMU_MEM $common${PIN:+ BENCH_DOM0_PIN=$PIN}"
	fi
}

mapfile -t PTS < <(points)
[ ${#PTS[@]} -gt 0 ] || die "no points"
npv=0 nnat=0
for pt in "${PTS[@]}"; do
	case $pt in dom0\ *) nnat=$((nnat + 1)) ;; *) npv=$((npv + 1)) ;; esac
done

# Cost model (seconds of rig time), fitted on the runs of 2026-12-06
# (sweep-1: 272-335 s per three-disk lifecycle of 8 jobs of 5 s, 169 s
# for dom0-native; blkback-s8: 431 s per same-domain lifecycle); rig lock
# waits not included. Per boot (QEMU, Xen and dom0 start):
C_BOOT=30
# per PV lifecycle (backend, null_blk, xl create, domU boot, connect and
# ring checks, teardown), per disk beyond the first (one more null_blk
# device and vbd), and per fio job on top of its SECS (fio's start and
# end in the domU, two CPU marks):
C_LIFE=40 C_DISK=5 C_JOB=5
# per dom0-native run, and per fio job there on top of its SECS:
C_NAT=5 C_NJOB=2
# same domain: per job and disk, the warm-up (2 s of I/O)
C_WARM=5
boot_secs() {
	if [ "$SAME" = 1 ]; then
		# one lifecycle per order, 2 x nlats disks, 2 x REPS runs per
		# job and a warm-up run on each disk
		# (BENCH_PAR: REPS runs per job and latency, both disks at once)
		echo $((C_BOOT + $(echo "$ORDERS" | wc -w) * (C_LIFE + C_DISK * (2 * nlats - 1) + nlats * njobs * ((2 - PAR) * REPS * (SECS + C_JOB) + 2 * C_WARM))))
		return
	fi
	echo $((C_BOOT + REPS * (npv * (C_LIFE + C_DISK * (nlats - 1) + nlats * njobs * (SECS + C_JOB)) +
		nnat * (C_NAT + nlats * njobs * (SECS + C_NJOB)))))
}
per_boot=$(boot_secs)

# The settings a run is made of (a resumed run must have the same).
KEYS="preset pairs base orders lats_ns jobs secs native reps same par domu_mem pin"
setting() {
	case $1 in
	preset) echo "$PRESET" ;; pairs) echo "$PAIRS" ;; base) echo "$BASE" ;;
	orders) echo "$ORDERS" ;; lats_ns) echo "$LATS" ;; jobs) echo "$JOBS" ;;
	secs) echo "$SECS" ;; native) echo "$NATIVE" ;; reps) echo "$REPS" ;;
	same) echo "$SAME" ;; par) echo "$PAR" ;; domu_mem) echo "$DOMU_MEM" ;; pin) echo "$PIN" ;;
	boots) echo "$BOOTS" ;;
	esac
}
cfg_get() { sed -n "s/^$2=//p" "$1/config" | head -n1; }

if [ -n "$RUN_DIR" ]; then
	case $RUN_DIR in */*) OUT=$RUN_DIR ;; *) OUT=$RESULTS/$RUN_DIR ;; esac
	# (bench/results/ may not exist yet: a clean clone)
	OUT=$(realpath -m "$OUT")
	run=$(basename "$OUT")
else
	run=$(date -u +%Y%m%d-%H%M%S)-$PRESET
	OUT=$RESULTS/$run
fi
resume=
if [ -f "$OUT/config" ]; then
	resume=1
	diffs=
	for k in $KEYS; do
		was=$(cfg_get "$OUT" "$k")
		# (runs from before these settings: same and par off, 256 MB)
		[ "$k" != same ] && [ "$k" != par ] || was=${was:-0}
		[ "$k" != domu_mem ] || was=${was:-256}
		[ "$was" = "$(setting "$k")" ] || diffs="$diffs
  $k: the run has '$was', now '$(setting "$k")'"
	done
	was=$(cfg_get "$OUT" boots)
	[ "$BOOTS" -ge "$was" ] || diffs="$diffs
  boots: the run has '$was', now '$BOOTS' (boots can be raised, not lowered)"
	if [ -n "$diffs" ]; then
		echo "bench: refusing to resume $OUT: its settings differ from these:$diffs" >&2
		echo "bench: resume with the run's settings (the same preset and BENCH_* variables), or start a new run (another BENCH_RUN)." >&2
		exit 2
	fi
fi

# The boots to run: those without boot-N.done, at most RUN_BOOTS of them.
todo=() done_b=()
for ((b = 1; b <= BOOTS; b++)); do
	if [ -f "$OUT/boot-$b.done" ]; then
		done_b+=("$b")
	elif [ -z "$RUN_BOOTS" ] || [ ${#todo[@]} -lt "$RUN_BOOTS" ]; then
		todo+=("$b")
	fi
done

if [ "$SAME" = 1 ]; then
	echo "bench: $PRESET: same domain: $PAIR_A and $PAIR_B side by side in one domU per order," \
		"$((2 * nlats)) disks, $njobs jobs x $(((2 - PAR) * REPS * nlats)) runs of ${SECS}s each$([ "$PAR" = 0 ] || echo " on two disks at once"); $BOOTS boot(s)"
else
	echo "bench: $PRESET: ${#PTS[@]} scenarios x $REPS per boot ($npv PV lifecycles$([ "$nnat" = 0 ] || echo " + dom0-native")," \
		"$nlats disk(s) x $njobs jobs of ${SECS}s each); $BOOTS boot(s)"
fi
echo "bench: estimate ~$((per_boot / 60)) min of rig time per boot" \
	"(cost model in bench/run.sh: $C_BOOT s per boot, $C_LIFE s per lifecycle + $C_DISK s per extra disk, SECS+$C_JOB s per job; dom0-native $C_NAT s + SECS+$C_NJOB s per job)"
echo "bench: run $OUT:${resume:+ resumed,} boots done: ${done_b[*]:-none}; to run now: ${todo[*]:-none} (~$((per_boot * ${#todo[@]} / 60)) min)"

TMPD=/tmp/xen-mpring-bench/$run
mkdir -p "$TMPD"
if [ -z "$dry" ]; then
	mkdir -p "$OUT"
	# One bench/run.sh per run directory at a time.
	exec 9>"$OUT/.lock"
	flock -n 9 || die "another bench/run.sh is using $OUT"
	need_tools
	make -C "$TOP" modules test-modules >"$OUT/build.log" 2>&1 || { echo "bench: make modules failed (see $OUT/build.log)" >&2; exit 1; }
	tree=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)
	if [ -z "$resume" ]; then
		{
			for k in $KEYS boots; do echo "$k=$(setting "$k")"; done
			echo "tree=$tree"
			echo "started=$(date -u +%FT%TZ)"
		} >"$OUT/config"
	else
		[ "$BOOTS" = "$(cfg_get "$OUT" boots)" ] || sed -i "s/^boots=.*/boots=$BOOTS/" "$OUT/config"
		echo "resumed=$(date -u +%FT%TZ) tree $tree boots ${todo[*]:-none}" >>"$OUT/config"
	fi
fi

# set_aside B WHY: move what an incomplete boot B left to failed/.
set_aside() {
	local b=$1 why=$2 dst
	compgen -G "$OUT/boot-$b.*" >/dev/null || return 0
	dst=$OUT/failed/boot-$b-$(date -u +%Y%m%d-%H%M%S)
	mkdir -p "$dst"
	mv "$OUT"/boot-"$b".* "$dst/"
	echo "$why" >"$dst/why"
	echo "bench: boot $b: $why: its files moved to $dst; it is redone whole"
}

# same_boot B LIST PLAN: the scenarios of boot B in same-domain mode, one
# per order (reversed on even boots): the first disks (xvda.., one per
# latency) are one backend's, the next ones the other's: pair A's first
# in boots 1, 2, 5, 6, ..., pair B's in boots 3, 4, 7, 8, ... (so that a
# difference between the domU's first and second disk cancels out); each
# job runs on a latency's two disks first-second-second-first (REPS 2;
# REPS 4 twice), the first being pair A's on odd boots and pair B's on
# even ones. BENCH_PAR=1: the domU takes BENCH_SEQ two runs at a time
# (first+second, second+first: the same repetition of both disks), and
# does them at once. Plan lines "NAME:DISK.REP ...", one per run of a
# job. Sets names.
same_boot() {
	local b=$1 list=$2 plan=$3 o n f ba bb lo hi j r k d1 d2 first second t seq runs lats2 backs pos=0 ords=()
	f=$(pair_front "$PAIR_A") ba=$(pair_back "$PAIR_A") bb=$(pair_back "$PAIR_B")
	# An A/A run: the second disk's backend is the same driver, reported
	# as DRIVER#2 (BACKS has the driver's name).
	[ "$bb" != "$ba" ] || bb=$bb#2
	if (((b + 1) / 2 % 2)); then lo=$ba hi=$bb; else lo=$bb hi=$ba; fi
	if ((b % 2)); then
		read -r -a ords <<<"$ORDERS"
	else
		mapfile -t ords < <(printf '%s\n' $ORDERS | tac)
	fi
	names=()
	for o in "${ords[@]}"; do
		[ "$o" -le 4 ] || continue	# the in-tree drivers go to order 4
		n=same-o$o
		names+=("$n")
		lats2="$LATS $LATS"
		backs=
		for _ in $LATS; do backs="$backs ${lo%#2}"; done
		for _ in $LATS; do backs="$backs ${hi%#2}"; done
		backs=${backs# }
		# seq: the runs DISK.REP; runs: the same as DISK.REP:BACKEND
		seq='' runs=''
		for ((j = 0; j < nlats; j++)); do
			d1=xvd$(letter "$j"):$lo
			d2=xvd$(letter $((j + nlats))):$hi
			# d1 is backend lo's disk; first: pair A's on odd boots,
			# pair B's on even ones
			first=$d1 second=$d2
			if { ((b % 2)) && [ "$lo" != "$ba" ]; } || { ! ((b % 2)) && [ "$lo" = "$ba" ]; }; then
				first=$d2 second=$d1
			fi
			for ((r = 0; r < REPS; r++)); do
				k=$(letter "$r")
				if ((r % 2)); then
					runs="$runs ${second%:*}.$k:${second#*:} ${first%:*}.$k:${first#*:}"
				else
					runs="$runs ${first%:*}.$k:${first#*:} ${second%:*}.$k:${second#*:}"
				fi
			done
		done
		for t in $runs; do seq="$seq ${t%:*}"; done
		seq=${seq# }
		echo "$n bench FRONT=$f BACKS='$backs' FRONT_PARAMS=max_ring_page_order=$o BACK_PARAMS=max_ring_page_order=$o EXPECT_PAGES=$((1 << o)) DOMU_MEM=$DOMU_MEM DISK=null_blk NULLBLK_PARAMS='gb=1 hw_queue_depth=1024' NULLBLK_LATS='$lats2' FIO_SIZE=1g IO=bench BENCH_JOBS='$JOBS' BENCH_SECS=$SECS BENCH_SEQ='$seq' BENCH_WARM=2 IO_TIMEOUT=$IO_TIMEOUT${PIN:+ BENCH_DOM0_PIN=$PIN}$([ "$PAR" = 0 ] || echo " BENCH_PAR=1")" >>"$list"
		# One plan line per run (the same for every job): its pair.
		for t in $runs; do
			pos=$((pos + 1))
			r=${t%:*}
			echo "$n:$r $b $pos $f ${t#*:} $o ${lats2// /,} ${r#*.}" >>"$plan"
		done
	done
}
# letter N: the N-th letter, from 0 (disk names xvd<letter>, repetitions).
letter() { echo abcdefghijklmnopqrstuvwxyz | cut -c$(($1 + 1)); }

# pairs_boot B LIST PLAN: the scenarios of boot B, one per point and
# repetition. Sets names.
pairs_boot() {
	local b=$1 list=$2 plan=$3 i pt base f bk o rep n pos=0 seq=() rev=() order=()
	# A B .. B A: every point twice, at mirrored places; odd boots start
	# with the list's order, even ones with its reverse.
	for ((i = 0; i < ${#PTS[@]}; i++)); do seq+=("${PTS[$i]}"); done
	for ((i = ${#PTS[@]} - 1; i >= 0; i--)); do rev+=("${PTS[$i]}"); done
	if [ "$REPS" = 1 ]; then
		if ((b % 2)); then order=("${seq[@]}"); else order=("${rev[@]}"); fi
	elif ((b % 2)); then
		order=("${seq[@]}" "${rev[@]}")
	else
		order=("${rev[@]}" "${seq[@]}")
	fi
	names=()
	declare -A seen=()
	for pt in "${order[@]}"; do
		read -r base f bk o <<<"$pt"
		rep=a
		[ -n "${seen[$base]:-}" ] && rep=b
		seen[$base]=1
		pos=$((pos + 1))
		n=$base-$rep
		names+=("$n")
		scenario_line "$n" "$f" "$bk" "$o" >>"$list"
		# The plan: disks xvda, xvdb, ... have the latencies in this order.
		echo "$n $b $pos $f $bk $o ${LATS// /,} $rep" >>"$plan"
	done
}

failed_b=()
for b in "${todo[@]}"; do
	list=$TMPD/boot-$b.list
	plan=$TMPD/boot-$b.plan
	: >"$list"
	: >"$plan"
	if [ "$SAME" = 1 ]; then
		same_boot "$b" "$list" "$plan"
	else
		pairs_boot "$b" "$list" "$plan"
	fi
	if [ -n "$dry" ]; then
		echo "# boot $b ($list)"
		cat "$list"
		continue
	fi
	set_aside "$b" "left incomplete by an earlier bench/run.sh (interrupted)"
	cp "$list" "$plan" "$OUT/"
	echo "bench: boot $b of $BOOTS: ${names[*]}"
	started=$(date -u +%FT%TZ)
	rc=0
	"$TOP/scripts/rig/run.sh" --list "$list" "${names[@]}" >"$OUT/boot-$b.log" 2>&1 || rc=$?
	grep -E '^(PASS|FAIL|serial log|scenario times)' "$OUT/boot-$b.log" || true
	# Keep what the figures come from: the E2E lines of each serial log.
	: >"$OUT/boot-$b.e2e"
	: >"$OUT/boot-$b.serials"
	while read -r s; do
		[ -f "$s" ] && tr -d '\r' <"$s" | grep -aE 'E2E-' >>"$OUT/boot-$b.e2e"
		echo "$s" >>"$OUT/boot-$b.serials"
	done < <(sed -n 's/^serial log: //p' "$OUT/boot-$b.log")
	# Complete: run.sh succeeded and every scenario of the boot passed.
	notpass=
	for n in "${names[@]}"; do
		grep -qE "E2E-RESULT $n PASS " "$OUT/boot-$b.e2e" || notpass="$notpass $n"
	done
	if [ "$rc" = 0 ] && [ -z "$notpass" ]; then
		{
			echo "tree=$tree"
			echo "started=$started"
			echo "finished=$(date -u +%FT%TZ)"
			sed -n 's/^.*project module: /module=/p' "$OUT/boot-$b.log"
		} >"$OUT/boot-$b.done"
		echo "bench: boot $b complete"
	else
		set_aside "$b" "run.sh exited with $rc; not PASS:${notpass:- none} (see boot-$b.log)"
		failed_b+=("$b")
	fi
done
[ -n "$dry" ] && exit 0

left=()
for ((b = 1; b <= BOOTS; b++)); do
	[ -f "$OUT/boot-$b.done" ] || left+=("$b")
done
if [ ${#left[@]} = 0 ]; then
	grep -q '^finished=' "$OUT/config" || echo "finished=$(date -u +%FT%TZ)" >>"$OUT/config"
else
	echo "bench: boots not complete yet: ${left[*]}; resume with BENCH_RUN=$OUT (and the same settings)"
fi
if compgen -G "$OUT/boot-*.done" >/dev/null; then
	analyse "$OUT"
else
	echo "bench: no complete boot to parse yet"
fi
echo "bench: results in $OUT"
[ ${#failed_b[@]} = 0 ] || { echo "bench: boot(s) ${failed_b[*]} failed this time" >&2; exit 1; }
