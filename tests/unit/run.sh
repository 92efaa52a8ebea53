#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the cmocka test binaries given as arguments and count their cases.
# cmocka speaks TAP (CMOCKA_MESSAGE_OUTPUT=TAP): "1..N" per group, then
# "ok" / "not ok" per case. A case passed if it printed "ok"; every other
# planned case failed, including those a crashing binary never reached.
# A binary that exits non-zero without a failed case counts one failure;
# one that is missing or stale (MAKE_Q: `make -q` says it did not build)
# counts one failure. Ends with exactly "unit: N passed, N failed".
set -u

passed=0
failed=0
for t in "$@"; do
	name=$(basename "$t")
	if [ ! -x "$t" ] || { [ -n "${MAKE_Q:-}" ] && ! $MAKE_Q "$t"; }; then
		echo "FAIL $name: did not build"
		failed=$((failed + 1))
		continue
	fi
	log=$(dirname "$t")/$name.log
	CMOCKA_MESSAGE_OUTPUT=TAP \
	ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$t" >"$log" 2>&1
	rc=$?
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" |
		awk '{ s += $1 } END { print s + 0 }')
	ok=$(grep -c '^ok ' "$log")
	bad=$((plan - ok))
	[ "$bad" -lt 0 ] && bad=0
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
	fi
	if [ "$bad" -eq 0 ]; then
		echo "PASS $name: $ok cases"
	else
		echo "FAIL $name: $ok of $plan cases passed (exit $rc), log $log"
		grep -v '^ok ' "$log" | grep -v '^1\.\.' | head -n 40
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
