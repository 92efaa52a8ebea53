#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Plan loop for pvSCSI scenarios (TYPE=vscsi), until the rig's
# dom0-run.sh runs them itself: installed as /e2e/dom0-run.sh by
# tests/e2e/vscsi/boot.sh. For each plan line "NAME VAR=value ...": prints
# E2E-START, runs tests/e2e/vscsi/dom0.sh with the settings, cleans up,
# checks dom0's kernel log and the domU's console, prints
# E2E-RESULT NAME PASS|FAIL SECONDS [reason] (the rig's format).

# shellcheck source=scripts/rig/guest/checks.sh
. /e2e/checks.sh
PLAN=${1:-/e2e/plan}
export W=/tmp/e2e
mkdir -p "$W"

cleanup() {
	local log bad
	xl destroy "e2e-$NAME" >/dev/null 2>&1
	log=/var/log/xen/console/guest-e2e-$NAME.log
	if [ -f "$log" ]; then
		echo "----- console of e2e-$NAME -----"
		tr -d '\r' <"$log" | sed "s|^|[e2e-$NAME] |"
		echo "----- end of console of e2e-$NAME -----"
		bad=$(bad_kernel_lines "$log" "${ALLOW_RE:-}")
		[ -n "$bad" ] && [ ! -f "$W/$NAME.reason" ] &&
			echo "domU kernel log: $(echo "$bad" | head -n 2 | tr -d '\r' | tr '\n' ' ')" >"$W/$NAME.reason"
	fi
	dmesg >"$W/$NAME.dmesg"
	echo "----- dom0 dmesg -----"
	cat "$W/$NAME.dmesg"
	bad=$(bad_kernel_lines "$W/$NAME.dmesg" "${ALLOW_RE:-}")
	[ -n "$bad" ] && [ ! -f "$W/$NAME.reason" ] &&
		echo "dom0 kernel log: $(echo "$bad" | head -n 2 | tr '\n' ' ')" >"$W/$NAME.reason"
	/e2e/vscsi/dom0.sh cleanup
}

rc=0
while read -r NAME SETTINGS; do
	case $NAME in '' | '#'*) continue ;; esac
	export NAME
	echo "E2E-START $NAME"
	t0=$(cut -d. -f1 /proc/uptime)
	rm -f "$W/$NAME.reason"
	(
		eval "export $SETTINGS" || { echo "bad settings" >"$W/$NAME.reason"; exit 1; }
		exec /e2e/vscsi/dom0.sh
	) </dev/null
	src=$?
	[ $src = 0 ] || [ -f "$W/$NAME.reason" ] || echo "scenario exited with $src" >"$W/$NAME.reason"
	ALLOW_RE=$(eval "$SETTINGS" 2>/dev/null; echo "${ALLOW_RE:-}")
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
