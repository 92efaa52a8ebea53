# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the script tests (sourced): case counting. The test sets
# VERBOSE (1: print every PASS) and WORK (a scratch directory whose "out"
# file, if not empty, is shown under a failure).
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	[ "$VERBOSE" = 1 ] && echo "PASS $1"
	return 0
}

nok() {
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	[ -s "$WORK/out" ] && sed 's/^/    | /' "$WORK/out"
	return 0
}
