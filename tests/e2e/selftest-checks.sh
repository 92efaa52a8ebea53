#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host-only self-test of the rig's checks (scripts/rig/guest/checks.sh):
# the xenstore ring-node check against hand-made xenstore trees that obey
# or break the blkif multi-page ring spec, the kernel-log filter, and the
# check that a module refuses a bad parameter value (param_refused).
# No Xen needed: xenstore-read/-exists/-list are replaced by functions
# over a directory tree. Run by `make e2e-selftest`.
# --quiet: one line, not in the "N passed, N failed" form (so that a run
# that goes on with the rig closes with the rig's line only).
set -u
quiet=
[ "${1:-}" = --quiet ] && quiet=1
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=scripts/rig/guest/checks.sh
. scripts/rig/guest/checks.sh

STORE=$(mktemp -d)
trap 'rm -rf "$STORE"' EXIT
# The fake xenstore: a node is a directory, its value the file .v in it.
# xenstore-read takes several paths, a value per line; one missing fails it.
xenstore-read() {
	local p
	for p; do
		[ -f "$STORE$p/.v" ] || return 1
		cat "$STORE$p/.v"
		echo
	done
}
xenstore-exists() { [ -d "$STORE$1" ]; }
xenstore-list() { [ -d "$STORE$1" ] && ls "$STORE$1"; }
xs() { # xs PATH=VALUE... (PATH=! removes the node)
	local kv
	for kv in "$@"; do
		if [ "${kv#*=}" = '!' ]; then
			rm -rf "${STORE:?}${kv%%=*}"
			continue
		fi
		mkdir -p "$STORE${kv%%=*}"
		printf '%s' "${kv#*=}" >"$STORE${kv%%=*}/.v"
	done
}

F=/local/domain/1/device/vbd/51712
B=/local/domain/0/backend/vbd/1/51712
pass=0 fail=0

# case NAME EXPECT(ok|bad) [VAR=value...] -- NODES...: build the tree from
# a connected baseline, run the check, compare.
check_case() {
	local name=$1 want=$2 got
	shift 2
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rm -rf "${STORE:?}"/*
	xs "$F/state=4" "$B/state=4" "$F/event-channel=8" "$@"
	if (for e in "${envs[@]}"; do export "${e?}"; done; check_ring_nodes "$F" "$B" >/dev/null); then
		got=ok
	else
		got=bad
	fi
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		(for e in "${envs[@]}"; do export "${e?}"; done; check_ring_nodes "$F" "$B")
		echo "FAIL checks: $name: expected $want, got $got (${RING_ERR:-})"
	fi
}
refs() { # refs FIRST N [DIR]: ring-ref0..N-1 with grants FIRST..
	local i dir=${3:-$F}
	for ((i = 0; i < $2; i++)); do echo "$dir/ring-ref$i=$(($1 + i))"; done
}

# Single page.
check_case one-page ok EXPECT_PAGES=1 -- "$B/max-ring-page-order=4" "$F/ring-ref=8"
check_case one-page-no-backend-adv ok -- "$F/ring-ref=8"
check_case one-page-with-order bad -- "$B/max-ring-page-order=4" "$F/ring-ref=8" "$F/ring-page-order=0"
check_case one-page-with-num bad -- "$B/max-ring-page-order=4" "$F/ring-ref=8" "$F/num-ring-pages=1"
check_case one-page-as-ring-ref0 bad -- "$B/max-ring-page-order=4" "$F/ring-ref0=8" "$F/ring-page-order=0"
check_case no-ring-ref bad -- "$B/max-ring-page-order=4"
check_case not-connected bad -- "$F/ring-ref=8" "$B/state=2"
check_case no-evtchn bad -- "$F/ring-ref=8" "$F/event-channel=!"
# Multi-page, order scheme (Linux), pages scheme, both.
# shellcheck disable=SC2046 # refs prints one node a word
{
check_case order-16 ok EXPECT_PAGES=16 EXPECT_FRONT_SCHEME=order EXPECT_BACK_SCHEME=order -- \
	"$B/max-ring-page-order=4" "$F/ring-page-order=4" $(refs 8 16)
check_case pages-16 ok EXPECT_FRONT_SCHEME=pages EXPECT_BACK_SCHEME=pages -- \
	"$B/max-ring-pages=16" "$F/num-ring-pages=16" $(refs 8 16)
check_case both-64 ok EXPECT_PAGES=64 EXPECT_FRONT_SCHEME=both EXPECT_BACK_SCHEME=both -- \
	"$B/max-ring-page-order=6" "$B/max-ring-pages=64" "$F/ring-page-order=6" "$F/num-ring-pages=64" $(refs 8 64)
check_case wrong-expect-pages bad EXPECT_PAGES=16 -- \
	"$B/max-ring-page-order=4" "$F/ring-page-order=2" $(refs 8 4)
check_case wrong-front-scheme bad EXPECT_FRONT_SCHEME=both -- \
	"$B/max-ring-page-order=4" "$F/ring-page-order=4" $(refs 8 16)
check_case wrong-back-scheme bad EXPECT_BACK_SCHEME=both -- \
	"$B/max-ring-page-order=4" "$F/ring-page-order=4" $(refs 8 16)
check_case back-disagree bad -- \
	"$B/max-ring-page-order=4" "$B/max-ring-pages=8" "$F/ring-page-order=2" $(refs 8 4)
check_case back-pages-not-pow2 bad -- "$B/max-ring-pages=12" "$F/num-ring-pages=8" $(refs 8 8)
check_case order-vs-count bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=4" $(refs 8 8)
check_case num-vs-count bad -- "$B/max-ring-page-order=4" "$F/num-ring-pages=16" $(refs 8 8)
check_case order-vs-num bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=3" "$F/num-ring-pages=16" $(refs 8 16)
check_case multi-with-ring-ref bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=2" "$F/ring-ref=7" $(refs 8 4)
check_case multi-no-size-node bad -- "$B/max-ring-page-order=4" $(refs 8 4)
check_case hole-in-refs bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=2" \
	"$F/ring-ref0=8" "$F/ring-ref1=9" "$F/ring-ref2=10" "$F/ring-ref4=11"
check_case not-pow2-pages bad -- "$B/max-ring-page-order=4" "$F/num-ring-pages=3" $(refs 8 3)
check_case more-than-backend bad -- "$B/max-ring-page-order=2" "$F/ring-page-order=4" $(refs 8 16)
check_case more-than-no-adv bad -- "$F/ring-page-order=1" $(refs 8 2)
check_case dup-grant bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=1" "$F/ring-ref0=8" "$F/ring-ref1=8"
check_case garbage-grant bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=1" "$F/ring-ref0=8" "$F/ring-ref1=x9"
check_case garbage-order bad -- "$B/max-ring-page-order=four" "$F/ring-ref=8"
# Multi-queue: ring-refs under queue-N/, sizes at the top.
check_case mq-2x16 ok EXPECT_PAGES=16 -- "$B/max-ring-page-order=4" "$F/ring-page-order=4" \
	"$F/multi-queue-num-queues=2" "$F/event-channel=!" \
	$(refs 8 16 "$F/queue-0") "$F/queue-0/event-channel=9" $(refs 40 16 "$F/queue-1") "$F/queue-1/event-channel=10"
check_case mq-sizes-differ bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=4" \
	"$F/multi-queue-num-queues=2" \
	$(refs 8 16 "$F/queue-0") "$F/queue-0/event-channel=9" $(refs 40 8 "$F/queue-1") "$F/queue-1/event-channel=10"
check_case mq-dup-across-queues bad -- "$B/max-ring-page-order=4" "$F/ring-page-order=1" \
	"$F/multi-queue-num-queues=2" \
	$(refs 8 2 "$F/queue-0") "$F/queue-0/event-channel=9" $(refs 9 2 "$F/queue-1") "$F/queue-1/event-channel=10"
}

# The kernel-log filter.
log=$STORE/dmesg
printf '%s\n' '[    1.97] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!' \
	'[    2.00] xen-blkback: backend/vbd/1/51712: using 1 queues, protocol 1 (x86_64-abi) persistent grants' >"$log"
if [ -z "$(bad_kernel_lines "$log")" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL checks: benign dmesg flagged"; fi
for l in '[    3.1] WARNING: CPU: 0 PID: 42 at drivers/block/xen-blkback/xenbus.c:300 frontend_changed+0x1/0x2' \
	'[    3.1] kernel BUG at mm/slub.c:100!' '[    3.1] BUG: unable to handle page fault for address: 0000000000000008' \
	'[    3.1] Oops: 0000 [#1] PREEMPT SMP NOPTI' '[    3.1] general protection fault, probably for non-canonical address' \
	'[    3.1] Call Trace:'; do
	echo "$l" >"$log"
	if [ -n "$(bad_kernel_lines "$log")" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL checks: missed '$l'"; fi
done
echo "$l" >"$log"
if [ -z "$(bad_kernel_lines "$log" 'Call Trace')" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL checks: ALLOW_RE ignored"; fi

# param_refused, with insmod, rmmod and the kernel log faked: the module
# xmp-fake.ko takes "good=..." and refuses anything else, logging
# FAKE_MSG (nothing if empty).
KLOG=$STORE/klog
: >"$KLOG"
kmark() { echo "[    9.0] $*" >>"$KLOG"; }
dmesg() { cat "$KLOG"; }
rmmod() { :; }
insmod() {
	case $2 in good=*) return 0 ;; esac
	[ -z "$FAKE_MSG" ] || echo "[    9.1] $FAKE_MSG" >>"$KLOG"
	return 1
}
pr_case() { # pr_case NAME ok|bad PARAM=VALUE FAKE_MSG
	local got rc=0
	FAKE_MSG=$4
	got=$(param_refused /e2e/proj/xmp-fake.ko "$3") || rc=1
	if { [ "$2" = ok ] && [ $rc = 0 ] && [ "$got" = "$4" ]; } ||
		{ [ "$2" = bad ] && [ $rc = 1 ] && [ -n "$got" ]; }; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL param_refused $1: expected $2, rc $rc: $got"
	fi
}
pr_case refused ok max_x=9 'xmp_fake: invalid max_x=9: above 8'
pr_case loads bad good=1 ''
pr_case no-message bad max_x=9 ''
pr_case other-param bad max_x=9 'xmp_fake: invalid max_y=9: above 8'
# The message of an earlier load, before this one's mark, does not count.
echo '[    8.0] xmp_fake: invalid max_z=1: no' >>"$KLOG"
pr_case stale-message bad max_z=1 ''

if [ -n "$quiet" ]; then
	echo "e2e: checks self-test: $pass cases ok, $fail wrong"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
