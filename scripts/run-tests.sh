#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The project's test command (README: `make test`). Runs every stage, even
# after a failure, and ends with one line "total: N passed, N failed".
#
#   build   the modules build against the Debian 6.1 headers (in the tree,
#           for the rig) and every installed Debian 12 kernel's (6.1 and
#           6.12, make kernels: build/kernels/<kver>/)
#   check   sparse (C=2) + W=1 for every installed Debian 12 kernel
#           (make check-kernels): no warning
#   style   checkpatch --strict: no warning
#   unit    protocol-core unit tests under ASan/UBSan (cmocka)
#   script  toolstack script tests (no Xen needed)
#   bench   the benchmark harness's settings, plans and parser (no Xen)
#   fuzz    libFuzzer targets, FUZZ_SECONDS each (default 30)
#   pkg     the DKMS .deb: build, install, modinfo, remove (PKG=0 skips)
#   e2e     the Xen rig's smoke scenarios on 6.1 (E2E=0 skips them)
#   e2e-6.12  the same on 6.12 (E2E_612=0 skips them)
#
# A stage that runs cases prints "<stage>: N passed, N failed"; those
# counts are summed. A stage without cases counts as one case.
set -u
cd "$(dirname "$0")/.." || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
E2E=${E2E:-1}
E2E_612=${E2E_612:-$E2E}
PKG=${PKG:-1}
logdir=build/test-logs
mkdir -p "$logdir"

passed=0
failed=0
summary=()

# run_stage NAME CMD...: run, tee the log, add its counts.
run_stage() {
	local name=$1 log="$logdir/$1.log" rc line p f
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(tr -d '\r' < "$log" |
		grep -E '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed' | tail -n1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		# A stage that failed without counting the failure still fails.
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
	elif [ "$rc" -eq 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	summary+=("$(printf '%-7s %4d passed, %4d failed (exit %d)' "$name" "$p" "$f" "$rc")")
}

run_stage build make modules kernels
run_stage check make check-kernels
run_stage style make style
run_stage unit make -C tests unit
run_stage script bash tests/script/test-xen-vscsi.sh
run_stage bench bash tests/script/test-bench.sh
run_stage fuzz make -C tests fuzz FUZZ_SECONDS="$FUZZ_SECONDS"
if [ "$PKG" = 1 ]; then
	run_stage pkg tests/pkg/dkms-cycle.sh
fi
if [ "$E2E" = 1 ]; then
	run_stage e2e make e2e-smoke
fi
if [ "$E2E_612" = 1 ]; then
	run_stage e2e-6.12 make e2e-smoke-6.12
fi

echo "=== summary (logs in $logdir)"
printf '%s\n' "${summary[@]}"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
