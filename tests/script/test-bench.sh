#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of the benchmark harness without the rig: bench/run.sh --dry-run
# (settings refused with a reason and exit 2; the scenario lists and
# plans of the same-domain mode) and bench/parse.py on made-up E2E lines
# of a same-domain run (each run's pair, the ratio). Runs nothing in Xen.
# Ends with "bench: N passed, N failed".
#
# Usage: tests/script/test-bench.sh [-v]
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$HERE/../..
RUN=$TOP/bench/run.sh
PARSE=$TOP/bench/parse.py
VERBOSE=0
[ "${1:-}" = -v ] && VERBOSE=1

WORK=$(mktemp -d /tmp/bench-test.XXXXXX)
# Dry runs write their lists under /tmp/xen-mpring-bench/<run name>.
NAME=bench-test-$$
cleanup() { rm -rf "$WORK" "/tmp/xen-mpring-bench/$NAME"*; }
trap cleanup EXIT

# shellcheck source=tests/script/lib.sh
. "$HERE/lib.sh"

# refused NAME MESSAGE VAR=value... : a dry run with these settings exits 2
# and says MESSAGE.
refused() {
	local name=$1 msg=$2
	shift 2
	env "$@" BENCH_RESULTS="$WORK/results" BENCH_RUN="$NAME-r" "$RUN" --dry-run blkback >"$WORK/out" 2>&1
	local rc=$?
	if [ $rc != 2 ]; then
		nok "$name" "exit $rc, expected 2"
	elif ! grep -qF "$msg" "$WORK/out"; then
		nok "$name" "no '$msg' in the output"
	else
		ok "$name"
	fi
}

refused same-three-pairs "BENCH_SAME=1 compares two pairs, BENCH_PAIRS has 3" BENCH_PAIRS="ii ip pp"
refused same-front-differs "BENCH_SAME=1: the pairs must share the frontend (ii pi)" BENCH_PAIRS="ii pi"
refused pairs-twice "BENCH_PAIRS has ii twice: an A/A run needs BENCH_SAME=1" BENCH_SAME=0 BENCH_PAIRS="ii ip ii"
refused par-needs-same "BENCH_PAR=1 needs BENCH_SAME=1" BENCH_SAME=0 BENCH_PAR=1
refused par-not-number "not a number: 'on'" BENCH_PAR=on
refused same-native "BENCH_SAME=1 has no dom0-native points" BENCH_NATIVE=1
refused same-not-number "not a number: 'yes'" BENCH_SAME=yes
refused secs-not-number "not a number: '5s'" BENCH_SECS=5s
refused bad-pair "bad pair 'xz' in BENCH_PAIRS" BENCH_SAME=0 BENCH_PAIRS="ii xz"
refused bad-pair-long "bad pair 'iip' in BENCH_PAIRS" BENCH_SAME=0 BENCH_PAIRS="ii iip"
refused domu-mem-low "BENCH_DOMU_MEM: 64 MB: the domU needs 128 to 2048 MB" BENCH_DOMU_MEM=64
refused domu-mem-high "BENCH_DOMU_MEM: 4096 MB: the domU needs 128 to 2048 MB" BENCH_DOMU_MEM=4096
refused domu-mem-unit "not a number: '1G'" BENCH_DOMU_MEM=1G
refused pin-not-number "not a number: 'cpu1'" BENCH_PIN=cpu1

# A run made before BENCH_DOMU_MEM and BENCH_PIN (no domu_mem in its
# config: 256 MB; no pin: none) is not resumed with another size or a
# pinned backend, and is with its own.
mkdir -p "$WORK/results/$NAME-r"
printf '%s\n' preset=blkback "pairs=ii ip" base=ii orders=4 lats_ns=1000000 \
	"jobs=randread-4k-1 randread-4k-32 randread-4k-128 randwrite-4k-1 randwrite-4k-32 randwrite-4k-128 read-1m-16 write-1m-16" \
	secs=5 native=0 reps=2 same=1 boots=3 tree=test >"$WORK/results/$NAME-r/config"
refused resume-domu-mem "domu_mem: the run has '256', now '448'"
# (nor, made before BENCH_PAR, with the jobs at once)
refused resume-par "par: the run has '0', now '1'" BENCH_DOMU_MEM=256 BENCH_PIN= BENCH_PAR=1
refused resume-pin "pin: the run has '', now '1'" BENCH_DOMU_MEM=256
if env BENCH_DOMU_MEM=256 BENCH_PIN= BENCH_RESULTS="$WORK/results" BENCH_RUN="$NAME-r" "$RUN" --dry-run blkback >"$WORK/out" 2>&1 &&
	grep -q 'resumed, boots done: none' "$WORK/out"; then
	ok resume-domu-mem-same
else
	nok resume-domu-mem-same "not resumed with BENCH_DOMU_MEM=256 BENCH_PIN="
fi
rm -rf "${WORK:?}/results/$NAME-r"

# dry NAME VAR=value...: a good dry run of the blkback preset, 4 boots.
dry() {
	local name=$1
	shift
	rm -rf "/tmp/xen-mpring-bench/$NAME-$name"
	if env BENCH_BOOTS=4 "$@" BENCH_RESULTS="$WORK/results" BENCH_RUN="$NAME-$name" \
		"$RUN" --dry-run blkback >"$WORK/out" 2>&1; then
		return 0
	fi
	nok "$name" "dry run failed"
	return 1
}

# has NAME FILE TEXT: FILE has the line TEXT (fixed string, whole line).
has() {
	if grep -qxF -- "$3" "$2"; then
		ok "$1"
	else
		cp "$2" "$WORK/out"
		nok "$1" "no line '$3' in ${2##*/}"
	fi
}

# One latency: xvda in-tree, xvdb project; odd boots start with xvda.
if dry one; then
	L=/tmp/xen-mpring-bench/$NAME-one
	if [ "$(wc -l <"$L/boot-1.list")" = 1 ] && grep -q "^same-o4 bench FRONT=intree BACKS='intree proj' .*BENCH_SEQ='xvda.a xvdb.a xvdb.b xvda.b' BENCH_WARM=2 " "$L/boot-1.list"; then
		ok one-list-boot1
	else
		cp "$L/boot-1.list" "$WORK/out"
		nok one-list-boot1 "not one same-o4 scenario with BACKS and BENCH_SEQ"
	fi
	grep -q "BENCH_SEQ='xvdb.a xvda.a xvda.b xvdb.b'" "$L/boot-2.list" && ok one-list-boot2 ||
		{ cp "$L/boot-2.list" "$WORK/out"; nok one-list-boot2 "boot 2 does not start with xvdb"; }
	grep -q "NULLBLK_LATS='1000000 1000000'" "$L/boot-1.list" && ok one-lats ||
		{ cp "$L/boot-1.list" "$WORK/out"; nok one-lats "not one disk per backend"; }
	# Two disks: 256 MB + 96 MB each.
	grep -q " DOMU_MEM=448 " "$L/boot-1.list" && ok one-domu-mem ||
		{ cp "$L/boot-1.list" "$WORK/out"; nok one-domu-mem "no DOMU_MEM=448"; }
	# The blkback preset puts both backends on dom0 vCPU 1.
	grep -q " BENCH_DOM0_PIN=1$" "$L/boot-1.list" && ok one-pin ||
		{ cp "$L/boot-1.list" "$WORK/out"; nok one-pin "no BENCH_DOM0_PIN=1"; }
	has one-plan-a "$L/boot-1.plan" "same-o4:xvda.a 1 1 intree intree 4 1000000,1000000 a"
	has one-plan-b "$L/boot-1.plan" "same-o4:xvdb.a 1 2 intree proj 4 1000000,1000000 a"
	has one-plan-c "$L/boot-1.plan" "same-o4:xvdb.b 1 3 intree proj 4 1000000,1000000 b"
	has one-plan-d "$L/boot-1.plan" "same-o4:xvda.b 1 4 intree intree 4 1000000,1000000 b"
	has one-plan-boot2 "$L/boot-2.plan" "same-o4:xvdb.a 2 1 intree proj 4 1000000,1000000 a"
	# Boots 3 and 4: the disks swap backends; the first run is still the
	# in-tree one's on odd boots.
	grep -q "BACKS='proj intree' .*BENCH_SEQ='xvdb.a xvda.a xvda.b xvdb.b'" "$L/boot-3.list" && ok one-list-boot3 ||
		{ cp "$L/boot-3.list" "$WORK/out"; nok one-list-boot3 "boot 3 does not swap the disks"; }
	has one-plan-boot3 "$L/boot-3.plan" "same-o4:xvdb.a 3 1 intree intree 4 1000000,1000000 a"
	has one-plan-boot3-proj "$L/boot-3.plan" "same-o4:xvda.a 3 2 intree proj 4 1000000,1000000 a"
	grep -q "BACKS='proj intree' .*BENCH_SEQ='xvda.a xvdb.a xvdb.b xvda.b'" "$L/boot-4.list" && ok one-list-boot4 ||
		{ cp "$L/boot-4.list" "$WORK/out"; nok one-list-boot4 "boot 4: not the project's disk xvda first"; }
fi

# Two latencies, REPS 4: xvda xvdb in-tree, xvdc xvdd project.
if dry two BENCH_LATS="0 1000000" BENCH_REPS=4 BENCH_BOOTS=1; then
	L=/tmp/xen-mpring-bench/$NAME-two
	grep -q "BACKS='intree intree proj proj' .*NULLBLK_LATS='0 1000000 0 1000000' .*BENCH_SEQ='xvda.a xvdc.a xvdc.b xvda.b xvda.c xvdc.c xvdc.d xvda.d xvdb.a xvdd.a xvdd.b xvdb.b xvdb.c xvdd.c xvdd.d xvdb.d'" "$L/boot-1.list" &&
		ok two-list || { cp "$L/boot-1.list" "$WORK/out"; nok two-list "BACKS, NULLBLK_LATS or BENCH_SEQ"; }
	has two-plan "$L/boot-1.plan" "same-o4:xvdd.c 1 14 intree proj 4 0,1000000,0,1000000 c"
	[ "$(wc -l <"$L/boot-1.plan")" = 16 ] && ok two-plan-lines ||
		{ cp "$L/boot-1.plan" "$WORK/out"; nok two-plan-lines "not 16 runs"; }
fi

# An A/A run (the same pair twice), jobs at once: both disks on the
# in-tree backend, the second reported as intree#2; the plan and the
# seq as in a run of two backends; BENCH_PAR=1 on the scenario.
if dry aa BENCH_PAIRS="ii ii" BENCH_PAR=1; then
	L=/tmp/xen-mpring-bench/$NAME-aa
	grep -q "^same-o4 bench FRONT=intree BACKS='intree intree' .*BENCH_SEQ='xvda.a xvdb.a xvdb.b xvda.b' .* BENCH_PAR=1$" "$L/boot-1.list" &&
		ok aa-list || { cp "$L/boot-1.list" "$WORK/out"; nok aa-list "not BACKS='intree intree' with BENCH_PAR=1"; }
	has aa-plan-a "$L/boot-1.plan" "same-o4:xvda.a 1 1 intree intree 4 1000000,1000000 a"
	has aa-plan-b "$L/boot-1.plan" "same-o4:xvdb.a 1 2 intree intree#2 4 1000000,1000000 a"
	has aa-plan-boot3 "$L/boot-3.plan" "same-o4:xvda.a 3 2 intree intree#2 4 1000000,1000000 a"
	# Half the runs of the one-at-a-time mode: an estimate below it.
	est_par=$(sed -n 's/^bench: estimate ~\([0-9]*\) min.*/\1/p' "$WORK/out")
	dry aa-seq BENCH_PAIRS="ii ii" &&
		est_seq=$(sed -n 's/^bench: estimate ~\([0-9]*\) min.*/\1/p' "$WORK/out")
	[ -n "$est_par" ] && [ -n "${est_seq:-}" ] && [ "$est_par" -lt "$est_seq" ] && ok aa-estimate ||
		nok aa-estimate "BENCH_PAR=1 estimate ${est_par:-?} min, one at a time ${est_seq:-?} min"
fi

# The sweep: three disks per domU (one per latency), 544 MB for each PV
# lifecycle (the in-tree blkfront did not connect three order-4 disks in
# 256 MB); the dom0-native scenarios start no domU.
rm -rf "/tmp/xen-mpring-bench/$NAME-sweep"
if BENCH_RESULTS="$WORK/results" BENCH_RUN="$NAME-sweep" "$RUN" --dry-run sweep >"$WORK/out" 2>&1; then
	L=/tmp/xen-mpring-bench/$NAME-sweep/boot-1.list
	n=$(grep -c "^[ip][ip]-o[0-9]-[ab] bench .* DOMU_MEM=544 " "$L")
	[ "$n" = 26 ] && ok sweep-domu-mem || { cp "$L" "$WORK/out"; nok sweep-domu-mem "$n PV lines with DOMU_MEM=544, expected 26"; }
	grep -q "BENCH_DOM0_PIN" "$L" && { cp "$L" "$WORK/out"; nok sweep-no-pin "the sweep pins backends"; } ||
		ok sweep-no-pin
	grep -q "^dom0-.*DOMU_MEM" "$L" && { cp "$L" "$WORK/out"; nok sweep-dom0-no-domu "a dom0-native line has DOMU_MEM"; } ||
		ok sweep-dom0-no-domu
else
	nok sweep-dry "dry run of the sweep failed"
fi

# BENCH_PIN (none in the sweep's preset): on every PV lifecycle, never on
# the dom0-native runs (no backend there).
rm -rf "/tmp/xen-mpring-bench/$NAME-sweep"*
if BENCH_PIN=1 BENCH_RESULTS="$WORK/results" BENCH_RUN="$NAME-sweep-pin" "$RUN" --dry-run sweep >"$WORK/out" 2>&1; then
	L=/tmp/xen-mpring-bench/$NAME-sweep-pin/boot-1.list
	n=$(grep -c "^[ip][ip]-o[0-9]-[ab] bench .* BENCH_DOM0_PIN=1$" "$L")
	[ "$n" = 26 ] && ! grep -q "^dom0-.*BENCH_DOM0_PIN" "$L" && ok sweep-pin ||
		{ cp "$L" "$WORK/out"; nok sweep-pin "$n PV lines with BENCH_DOM0_PIN=1 (expected 26), or a dom0-native one"; }
else
	nok sweep-pin "dry run of the sweep with BENCH_PIN=1 failed"
fi

# parse.py: one same-domain boot, the project's runs at twice the IOPS.
R=$WORK/parse
mkdir -p "$R"
printf '%s\n' preset=blkback "pairs=ii ip" base=ii orders=4 lats_ns=1000000 \
	"jobs=randread-4k-32" secs=5 native=0 reps=2 same=1 boots=1 tree=test >"$R/config"
printf '%s\n' tree=test started=s finished=f >"$R/boot-1.done"
cat >"$R/boot-1.plan" <<EOF
same-o4:xvda.a 1 1 intree intree 4 1000000,1000000 a
same-o4:xvdb.a 1 2 intree proj 4 1000000,1000000 a
same-o4:xvdb.b 1 3 intree proj 4 1000000,1000000 b
same-o4:xvda.b 1 4 intree intree 4 1000000,1000000 b
EOF
# BENCH fields: r_iops r_kib_s w_iops w_kib_s r_p99 w_p99 r_kib w_kib busy all
{
	echo "E2E-RING same-o4 pages=16 queues=1"
	echo "E2E-RING same-o4 xvdb: pages=16 queues=1"
	for t in xvda.a xvdb.a xvdb.b xvda.b; do
		case $t in xvda*) iops=100 ;; *) iops=200 ;; esac
		echo "E2E-BSTAT same-o4 s:$t:randread-4k-32 cpu  100 0 100 1000 0 0 0 0 0 0"
		echo "E2E-BSTAT same-o4 e:$t:randread-4k-32 cpu  110 0 110 1080 0 0 0 0 0 0"
		echo "[e2e-same-o4] E2E-DOMU same-o4 BENCH $t randread-4k-32 $iops $((iops * 4)) 0 0 500 -1 $((iops * 20)) 0 40 50"
	done
	echo "E2E-RESULT same-o4 PASS 300"
} >"$R/boot-1.e2e"
if /usr/bin/python3 "$PARSE" "$R" >"$WORK/out" 2>&1; then
	n=$(grep -c ',same-o4:xvd' "$R/results.csv")
	[ "$n" = 4 ] && ok parse-rows || nok parse-rows "$n rows of same-o4 runs, expected 4"
	grep -q ',same-o4:xvdb.b,in-tree x proj,intree,proj,4,16,1000000,randread-4k-32,randread,4k,32,b,200.0,' "$R/results.csv" &&
		ok parse-pair || { cp "$R/results.csv" "$WORK/out"; nok parse-pair "xvdb.b is not the project pair's run b at 16 pages"; }
	grep -qE '^randread-4k-32 +2\.00 \[n=1\]' "$R/ratios.txt" && ok parse-ratio ||
		{ cp "$R/ratios.txt" "$WORK/out"; nok parse-ratio "the IOPS ratio is not 2.00"; }
	if command -v gnuplot >/dev/null; then
		/usr/bin/python3 "$TOP/bench/plot.py" "$R" >"$WORK/out" 2>&1 &&
			[ -s "$R/ratios.png" ] && [ -s "$R/iops-L1000us.png" ] && [ -s "$R/cpu-L1000us.png" ] &&
			ok plot-charts || nok plot-charts "not the IOPS, CPU and ratio charts"
	else
		echo "SKIP plot-charts: no gnuplot"
	fi
else
	nok parse "parse.py failed"
fi

# parse.py: one A/A boot with the jobs at once (BENCH_PAR): the CPU
# jiffies are -1 -1, so no CPU figures; the second disk's runs are the
# pair in-tree x in-tree#2, at 1.5 times the IOPS.
R=$WORK/parse-aa
mkdir -p "$R"
printf '%s\n' preset=blkback "pairs=ii ii" base=ii orders=4 lats_ns=1000000 \
	"jobs=randread-4k-32" secs=5 native=0 reps=2 same=1 par=1 boots=1 tree=test >"$R/config"
printf '%s\n' tree=test started=s finished=f >"$R/boot-1.done"
cat >"$R/boot-1.plan" <<EOF
same-o4:xvda.a 1 1 intree intree 4 1000000,1000000 a
same-o4:xvdb.a 1 2 intree intree#2 4 1000000,1000000 a
same-o4:xvdb.b 1 3 intree intree#2 4 1000000,1000000 b
same-o4:xvda.b 1 4 intree intree 4 1000000,1000000 b
EOF
{
	for t in xvda.a xvdb.a xvdb.b xvda.b; do
		case $t in xvda*) iops=100 ;; *) iops=150 ;; esac
		echo "[e2e-same-o4] E2E-DOMU same-o4 BENCH $t randread-4k-32 $iops $((iops * 4)) 0 0 500 -1 $((iops * 20)) 0 -1 -1"
	done
	echo "E2E-RESULT same-o4 PASS 300"
} >"$R/boot-1.e2e"
if /usr/bin/python3 "$PARSE" "$R" >"$WORK/out" 2>&1; then
	grep -q ',same-o4:xvdb.b,in-tree x in-tree#2,intree,intree#2,4,,1000000,randread-4k-32,randread,4k,32,b,150.0,0.586,500.0,750,,,,,PASS' "$R/results.csv" &&
		ok parse-aa-row || { cp "$R/results.csv" "$WORK/out"; nok parse-aa-row "xvdb.b: not in-tree#2's run b with empty CPU columns"; }
	grep -qE '^randread-4k-32 +1\.50 \[n=1\] +[0-9.]+ \[n=1\] +- +- *$' "$R/ratios.txt" && ok parse-aa-ratio ||
		{ cp "$R/ratios.txt" "$WORK/out"; nok parse-aa-ratio "not IOPS 1.50 with no CPU ratios"; }
	grep -q '^--- (in-tree x in-tree#2) / (in-tree x in-tree), order 4' "$R/ratios.txt" && ok parse-aa-table ||
		{ cp "$R/ratios.txt" "$WORK/out"; nok parse-aa-table "no table of in-tree#2 over in-tree"; }
	grep -q '^BENCH_PAR=1: each job ran on both' "$R/ratios.txt" && ok parse-aa-note ||
		{ cp "$R/ratios.txt" "$WORK/out"; nok parse-aa-note "ratios.txt does not say the jobs ran at once"; }
	# The charts of such a run: gnuplot stops at a series with no point,
	# so the ratio chart leaves out the CPU series it has no figures for.
	if command -v gnuplot >/dev/null; then
		/usr/bin/python3 "$TOP/bench/plot.py" "$R" >"$WORK/out" 2>&1 && [ -s "$R/ratios.png" ] &&
			[ -s "$R/iops-L1000us.png" ] && [ ! -e "$R/cpu-L1000us.png" ] &&
			ok plot-aa-charts || nok plot-aa-charts "not the IOPS and ratio charts alone, for a run without CPU figures"
	else
		echo "SKIP plot-aa-ratios: no gnuplot"
	fi
else
	cp "$WORK/out" "$WORK/out.parse" 2>/dev/null
	nok parse-aa "parse.py failed"
fi

echo "bench: $passed passed, $failed failed"
[ "$failed" = 0 ]
