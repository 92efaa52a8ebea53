#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark harness (never a pass/fail test) for the block drivers in the
# Xen rig: fio in a PV domU over null_blk in dom0, for several driver pairs
# (FRONT x BACK), ring orders and backend latencies, in boots of
# interleaved scenarios (A B .. B A), plus the same jobs in dom0 on the
# null_blk device (the ceiling no PV path can pass). Writes
# bench/results/<run>/results.csv, ratios.txt and, with gnuplot, PNG charts.
# See bench/README.md.
#
#   bench/run.sh [PRESET]          PRESET: issues34 (default), blkback,
#                                  blkfront, sweep, tiny
#   bench/run.sh --dry-run [PRESET]  print the scenario lists only
#   bench/run.sh --parse DIR       redo the CSV, ratios and charts of a run
#
# Settings (environment; each overrides the preset's):
#   BENCH_PAIRS   pairs FRONTBACK, i = in-tree, p = project: "ii ip pi pp"
#                 (ii = in-tree xen-blkfront x in-tree xen-blkback)
#   BENCH_BASE    the pair ratios are taken against (default ii)
#   BENCH_ORDERS  ring orders (lb of ring pages); a pair with an in-tree
#                 driver runs orders up to 4 only
#   BENCH_LATS    null_blk completion latencies in ns (irqmode=2
#                 completion_nsec=N; 0 = no timer, irqmode=0)
#   BENCH_JOBS    fio jobs RW-BS-IODEPTH (default: 4k randread/randwrite at
#                 iodepth 1, 32, 128; 1M read/write at iodepth 16)
#   BENCH_SECS    seconds per fio job
#   BENCH_BOOTS   boots (each measures every point twice, A B .. B A)
#   BENCH_REPS    2 (default): A B .. B A; 1: one pass per boot (A B ..,
#                 reversed on even boots), for a quick look only
#   BENCH_NATIVE  1: also fio in dom0 on the null_blk device, per latency
#   BENCH_RESULTS where results go (default bench/results)
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
blkback) p_pairs="ii ip" p_orders=4 p_lats=1000000 p_jobs=$ALL_JOBS p_secs=5 p_boots=3 p_native=0 ;;
blkfront) p_pairs="ii pi" p_orders=4 p_lats=1000000 p_jobs=$ALL_JOBS p_secs=5 p_boots=3 p_native=0 ;;
sweep) p_pairs="ii ip pi pp" p_orders="0 2 4 6" p_lats="0 10000000 100000000" p_jobs=$ALL_JOBS p_secs=5 p_boots=3 p_native=1 ;;
tiny) p_pairs="ii ip" p_orders=4 p_lats=1000000 p_jobs="randread-4k-32 write-1m-16" p_secs=2 p_boots=1 p_native=1 ;;
*) echo "bench: unknown preset $PRESET (issues34, blkback, blkfront, sweep, tiny)" >&2; exit 2 ;;
esac
PAIRS=${BENCH_PAIRS:-$p_pairs}
BASE=${BENCH_BASE:-ii}
ORDERS=${BENCH_ORDERS:-$p_orders}
LATS=${BENCH_LATS:-$p_lats}
JOBS=${BENCH_JOBS:-$p_jobs}
SECS=${BENCH_SECS:-$p_secs}
BOOTS=${BENCH_BOOTS:-$p_boots}
NATIVE=${BENCH_NATIVE:-$p_native}
REPS=${BENCH_REPS:-2}
RESULTS=${BENCH_RESULTS:-$TOP/bench/results}

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

# The points of one boot, in order: "name front back order lat".
pair_front() { case ${1:0:1} in i) echo intree ;; p) echo proj ;; *) return 1 ;; esac; }
pair_back() { case ${1:1:1} in i) echo intree ;; p) echo proj ;; *) return 1 ;; esac; }
points() {
	local lat o p
	for lat in $LATS; do
		[ "$NATIVE" = 1 ] && echo "dom0-L$((lat / 1000))u dom0 dom0 - $lat"
		for o in $ORDERS; do
			for p in $PAIRS; do
				pair_front "$p" >/dev/null && pair_back "$p" >/dev/null ||
					{ echo "bench: bad pair $p" >&2; exit 2; }
				# The in-tree drivers go to order 4.
				[ "$p" = pp ] || [ "$o" -le 4 ] || continue
				echo "$p-o$o-L$((lat / 1000))u $(pair_front "$p") $(pair_back "$p") $o $lat"
			done
		done
	done
}

nullblk_params() {
	if [ "$1" = 0 ]; then
		echo "gb=1 hw_queue_depth=1024 irqmode=0"
	else
		echo "gb=1 hw_queue_depth=1024 irqmode=2 completion_nsec=$1"
	fi
}

njobs=$(echo "$JOBS" | wc -w)
IO_TIMEOUT=$((njobs * (SECS + 30) + 120))
export E2E_SCENARIO_BUDGET=$((IO_TIMEOUT + 180))

# scenario_line NAME FRONT BACK ORDER LAT: one line of a rig scenario list.
scenario_line() {
	local n=$1 f=$2 b=$3 o=$4 lat=$5 common
	common="DISK=null_blk NULLBLK_PARAMS='$(nullblk_params "$lat")' FIO_SIZE=1g IO=bench BENCH_JOBS='$JOBS' BENCH_SECS=$SECS IO_TIMEOUT=$IO_TIMEOUT"
	if [ "$f" = dom0 ]; then
		echo "$n bench DOM0_BENCH=1 $common"
	else
		echo "$n bench FRONT=$f BACK=$b FRONT_PARAMS=max_ring_page_order=$o BACK_PARAMS=max_ring_page_order=$o EXPECT_PAGES=$((1 << o)) $common"
	fi
}

mapfile -t PTS < <(points)
[ ${#PTS[@]} -gt 0 ] || { echo "bench: no points" >&2; exit 2; }
run=$(date -u +%Y%m%d-%H%M%S)-$PRESET
OUT=$RESULTS/$run
TMPD=/tmp/xen-mpring-bench/$run
mkdir -p "$TMPD"
[ -n "$dry" ] || mkdir -p "$OUT"
nscen=$((REPS * ${#PTS[@]}))
echo "bench: $PRESET: ${#PTS[@]} points x $REPS per boot x $BOOTS boot(s); $njobs jobs of ${SECS}s;" \
	"~$((BOOTS * (30 + nscen * (45 + njobs * (SECS + 4))) / 60)) min of rig time"

if [ -z "$dry" ]; then
	need_tools
	make -C "$TOP" modules >"$OUT/build.log" 2>&1 || { echo "bench: make modules failed (see $OUT/build.log)" >&2; exit 1; }
	{
		echo "preset=$PRESET"
		echo "pairs=$PAIRS"
		echo "base=$BASE"
		echo "orders=$ORDERS"
		echo "lats_ns=$LATS"
		echo "jobs=$JOBS"
		echo "secs=$SECS"
		echo "boots=$BOOTS"
		echo "native=$NATIVE"
		echo "reps=$REPS"
		echo "tree=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)"
		echo "started=$(date -u +%FT%TZ)"
	} >"$OUT/config"
fi

for ((b = 1; b <= BOOTS; b++)); do
	# A B .. B A: every point twice, at mirrored places; odd boots start
	# with the list's order, even ones with its reverse.
	seq=()
	for ((i = 0; i < ${#PTS[@]}; i++)); do seq+=("${PTS[$i]}"); done
	rev=()
	for ((i = ${#PTS[@]} - 1; i >= 0; i--)); do rev+=("${PTS[$i]}"); done
	if [ "$REPS" = 1 ]; then
		if ((b % 2)); then order=("${seq[@]}"); else order=("${rev[@]}"); fi
	elif ((b % 2)); then
		order=("${seq[@]}" "${rev[@]}")
	else
		order=("${rev[@]}" "${seq[@]}")
	fi
	list=$TMPD/boot-$b.list
	plan=$TMPD/boot-$b.plan
	: >"$list"
	: >"$plan"
	names=()
	declare -A seen=()
	pos=0
	for pt in "${order[@]}"; do
		read -r base f bk o lat <<<"$pt"
		rep=a
		[ -n "${seen[$base]:-}" ] && rep=b
		seen[$base]=1
		pos=$((pos + 1))
		n=$base-$rep
		names+=("$n")
		scenario_line "$n" "$f" "$bk" "$o" "$lat" >>"$list"
		echo "$n $b $pos $f $bk $o $lat $rep" >>"$plan"
	done
	unset seen
	if [ -n "$dry" ]; then
		echo "# boot $b ($list)"
		cat "$list"
		continue
	fi
	cp "$list" "$plan" "$OUT/"
	echo "bench: boot $b of $BOOTS: ${names[*]}"
	rc=0
	"$TOP/scripts/rig/run.sh" --list "$list" "${names[@]}" >"$OUT/boot-$b.log" 2>&1 || rc=$?
	grep -E '^(PASS|FAIL|serial log|scenario times)' "$OUT/boot-$b.log" || true
	[ $rc = 0 ] || echo "bench: boot $b: run.sh exited with $rc (see $OUT/boot-$b.log)"
	# Keep what the figures come from: the E2E lines of each serial log.
	: >"$OUT/boot-$b.e2e"
	while read -r s; do
		[ -f "$s" ] && tr -d '\r' <"$s" | grep -aE 'E2E-' >>"$OUT/boot-$b.e2e"
		echo "$s" >>"$OUT/boot-$b.serials"
	done < <(sed -n 's/^serial log: //p' "$OUT/boot-$b.log")
done
[ -n "$dry" ] && exit 0
echo "finished=$(date -u +%FT%TZ)" >>"$OUT/config"
analyse "$OUT"
echo "bench: results in $OUT"
