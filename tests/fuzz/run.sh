#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run each libFuzzer target given as argument for FUZZ_SECONDS seconds.
# Its committed seed corpus $CORPUS/<target>/ is copied to
# $WORK/corpus/<target>/ first, and libFuzzer only ever writes the copy.
# A crash, sanitizer report, failed invariant (abort), timeout or OOM
# fails the target; the input is kept in $WORK/artifacts/. A target that
# did not build (MAKE_Q: `make -q` says it is stale) fails too. Prints the
# executions per target and ends with "fuzz: N passed, N failed" (targets).
set -u

secs=${FUZZ_SECONDS:-30}
passed=0
failed=0
for t in "$@"; do
	name=$(basename "$t")
	if [ ! -x "$t" ] || { [ -n "${MAKE_Q:-}" ] && ! $MAKE_Q "$t"; }; then
		echo "FAIL $name: did not build"
		failed=$((failed + 1))
		continue
	fi
	work=$WORK/corpus/$name
	arts=$WORK/artifacts
	log=$WORK/$name.log
	rm -rf "$work"
	mkdir -p "$work" "$arts"
	if [ -d "$CORPUS/$name" ]; then
		cp -p "$CORPUS/$name"/. "$work"/ -r
	fi
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$arts/$name-" \
		"$work" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -n1)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name: ${runs:-?} executions in ${secs} s," \
			"corpus $(ls "$work" | wc -l) inputs"
	else
		failed=$((failed + 1))
		echo "FAIL $name (exit $rc) after ${runs:-?} executions, log $log"
		grep -E -A12 'ERROR|runtime error|FUZZ INVARIANT' "$log" |
			head -n 30
		grep -E 'Test unit written' "$log"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
