#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of scripts/xen-vscsi without Xen: the xenstore clients are
# replaced by fake-xenstore (a directory tree), dom0's /sys by a fake
# sysfs, and for the end-to-end cases the drivers by fake-drivers.
# Every case checks the exit status, the message, and what the script
# left in xenstore. Ends with "script: N passed, N failed".
#
# Usage: tests/script/test-xen-vscsi.sh [-v]
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SCRIPT=$HERE/../../scripts/xen-vscsi
FAKE=$HERE/fake-xenstore
VERBOSE=0
[ "${1:-}" = -v ] && VERBOSE=1

WORK=$(mktemp -d /tmp/xen-vscsi-test.XXXXXX)
DRIVERS_PID=
cleanup() {
	[ -n "$DRIVERS_PID" ] && kill "$DRIVERS_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

export XEN_VSCSI_XENSTORE=$FAKE
export XEN_VSCSI_SYSFS=$WORK/sys
export FAKE_XS_ROOT=$WORK/xs

# shellcheck source=tests/script/lib.sh
. "$HERE/lib.sh"

# A fresh store with dom0 and two guests (1 "guest1", 2 "guest2"), and
# dom0 SCSI devices 2:0:0:0 (sda) .. 2:0:0:3 (sdd).
reset_world() {
	stop_drivers
	rm -rf "$FAKE_XS_ROOT" "$FAKE_XS_ROOT.journal" "$WORK/sys"
	mkdir -p "$FAKE_XS_ROOT"
	"$FAKE" write /local/domain/0/name Domain-0 \
		/local/domain/1/name guest1 /local/domain/2/name guest2
	: >"$FAKE_XS_ROOT.journal"
	local i l=(a b c d)
	for i in 0 1 2 3; do
		mkdir -p "$WORK/sys/class/scsi_device/2:0:0:$i/device/block/sd${l[$i]}"
	done
}

start_drivers() {
	FAKE_REFUSE=${1:-} "$HERE/fake-drivers" &
	DRIVERS_PID=$!
}

stop_drivers() {
	if [ -n "$DRIVERS_PID" ]; then
		kill "$DRIVERS_PID" 2>/dev/null
		wait "$DRIVERS_PID" 2>/dev/null
		DRIVERS_PID=
	fi
}

# expect NAME STATUS REGEX -- ARGS...: run the script; its exit status
# must be STATUS and its output (stdout+stderr) match REGEX.
expect() {
	local name=$1 want=$2 re=$3 rc
	shift 4
	"$SCRIPT" "$@" >"$WORK/out" 2>&1
	rc=$?
	if [ "$rc" != "$want" ]; then
		nok "$name" "exit $rc, expected $want"
	elif ! grep -Eq -- "$re" "$WORK/out"; then
		nok "$name" "output does not match /$re/"
	else
		ok "$name"
		return 0
	fi
	return 1
}

# tree_is NAME ROOT EXPECTED: the fake store under ROOT equals EXPECTED
# ("path = \"value\"" lines, any order).
tree_is() {
	local name=$1 root=$2 want=$3
	"$FAKE" dump "$root" | sort >"$WORK/got"
	printf '%s\n' "$want" | sed '/^$/d' | sort >"$WORK/want"
	if diff -u "$WORK/want" "$WORK/got" >"$WORK/out"; then
		ok "$name"
	else
		nok "$name" "xenstore tree differs from the expected one"
	fi
}

# no_writes NAME: the script wrote nothing to xenstore.
no_writes() {
	if grep -qE '^(write|rm|chmod)' "$FAKE_XS_ROOT.journal"; then
		cp "$FAKE_XS_ROOT.journal" "$WORK/out"
		nok "$1" "xenstore was modified"
	else
		ok "$1"
	fi
}

BE1=/local/domain/0/backend/vscsi/1/0
FE1=/local/domain/1/device/vscsi/0

# ------------------------------------------------------------------
# Bad arguments: exit 2, a message naming the problem, nothing written
# ------------------------------------------------------------------
reset_world
expect no-args 2 'usage:' --
expect unknown-command 2 "unknown command 'frob'" -- frob
expect unknown-option 2 "unknown option '--frob'" -- create guest1 0 2:0:0:0 0:0:0:0 --frob
expect create-3-args 2 'create needs DOMAIN VHOST P-DEV V-DEV' -- create guest1 0 2:0:0:0
expect create-5-args 2 'create needs' -- create guest1 0 2:0:0:0 0:0:0:0 extra
expect add-2-args 2 'add needs' -- add guest1 0
expect remove-2-args 2 'remove needs' -- remove guest1 0
expect destroy-1-arg 2 'destroy needs' -- destroy guest1
expect list-3-args 2 'list takes at most' -- list guest1 0 x
for p in 2:0:0 2:0:0:0:0 a:b:c:d -1:0:0:0 +1:0:0:0 '2:0:0:0 ' ' 2:0:0:0' '2::0:0' 2:0:0: '' 0x1:0:0:0 2.0.0.0; do
	expect "pdev-form[$p]" 2 "P-DEV '.*' is not host:channel:target:lun" -- create guest1 0 "$p" 0:0:0:0
done
expect pdev-host-range 2 'host 4294967296 exceeds 4294967295' -- create guest1 0 4294967296:0:0:0 0:0:0:0
expect pdev-lun-range 2 'at most 4294967295' -- create guest1 0 2:0:0:4294967296 0:0:0:0
for p in naa.123:0 naa.60014054ac78058:0 naa.60014054ac780582 naa.60014054ac780582: \
	naa.60014054ac780582:x naa.60014054ac78058g:0 naa.60014054ac780582:-1 'naa.60014054ac780582:1 '; do
	expect "pdev-naa[$p]" 2 "is not naa.<16 or 32 hex digits>:<decimal lun>" -- create guest1 0 "$p" 0:0:0:0
done
expect pdev-naa-lun-range 2 'lun exceeds 4294967295' -- create guest1 0 naa.60014054ac780582:4294967296 0:0:0:0
for v in 0:0:0 0:0:0:0:0 x:0:0:0 0:0:0:-1; do
	expect "vdev-form[$v]" 2 "V-DEV '.*' is not host:channel:target:lun" -- create guest1 0 2:0:0:0 "$v"
done
expect vdev-channel-range 2 'at most 65535' -- create guest1 0 2:0:0:0 0:65536:0:0
expect vdev-lun-range 2 'at most 65535' -- create guest1 0 2:0:0:0 0:0:0:65536
expect vhost-word 2 "VHOST 'abc' is not a number 0..65535" -- create guest1 abc 2:0:0:0 0:0:0:0
expect vhost-range 2 "VHOST '65536' is not a number" -- create guest1 65536 2:0:0:0 0:0:0:0
expect vhost-negative 2 "VHOST '-1' is not a number" -- create guest1 -1 2:0:0:0 0:0:0:0
expect timeout-word 2 "--timeout 'soon' is not a number" -- create guest1 0 2:0:0:0 0:0:0:0 --timeout soon
expect timeout-zero 2 "--timeout '0' is not a number" -- create guest1 0 2:0:0:0 0:0:0:0 --timeout 0
expect timeout-missing 2 '--timeout needs a value' -- create guest1 0 2:0:0:0 0:0:0:0 --timeout
XEN_VSCSI_TIMEOUT=x expect timeout-env 2 "XEN_VSCSI_TIMEOUT 'x' is not a number" -- create guest1 0 2:0:0:0 0:0:0:0
expect backend-domid-word 2 "--backend-domid 'dom0' is not a domain id" -- create guest1 0 2:0:0:0 0:0:0:0 --backend-domid dom0
expect domid-range 2 "domain id '99999' is not a valid domain id" -- create 99999 0 2:0:0:0 0:0:0:0
expect domain-chars 2 "domain name 'a/b' has invalid characters" -- create a/b 0 2:0:0:0 0:0:0:0
expect backend-itself 2 'DOMAIN is the backend domain itself' -- create Domain-0 0 2:0:0:0 0:0:0:0
no_writes bad-args-wrote-nothing

# ------------------------------------------------------------------
# Unknown things: exit 1 with the reason, nothing written
# ------------------------------------------------------------------
expect unknown-domain-name 1 "unknown domain: no domain named 'nosuch'" -- create nosuch 0 2:0:0:0 0:0:0:0
expect unknown-domain-id 1 'unknown domain: no domain with id 7' -- create 7 0 2:0:0:0 0:0:0:0
expect unknown-device 1 'unknown device: no SCSI device 3:0:0:0' -- create guest1 0 3:0:0:0 0:0:0:0
expect add-no-vhost 1 'vhost 0 of domain 1 does not exist' -- add guest1 0 2:0:0:1 0:0:1:0
expect remove-no-vhost 1 'vhost 0 of domain 1 does not exist' -- remove guest1 0 0:0:0:0
expect destroy-no-vhost 1 'vhost 0 of domain 1 does not exist' -- destroy guest1 0
expect list-no-vhost 1 'vhost 3 of domain 1 does not exist' -- list guest1 3
no_writes unknown-wrote-nothing

# ------------------------------------------------------------------
# No driver answers: the wait times out with the state it saw, and the
# frontend's state 1 was written before the backend's.
# ------------------------------------------------------------------
reset_world
expect create-timeout 1 "vhost 0 \(backend $BE1\): state '1' after 1s, expected 4" -- create guest1 0 2:0:0:0 0:0:0:0 --timeout 1
fe_line=$(grep -n "^write $FE1/state 1\$" "$FAKE_XS_ROOT.journal" | cut -d: -f1)
be_line=$(grep -n "^write $BE1/state 1\$" "$FAKE_XS_ROOT.journal" | cut -d: -f1)
if [ -n "$fe_line" ] && [ -n "$be_line" ] && [ "$fe_line" -lt "$be_line" ]; then
	ok frontend-state-before-backend-state
else
	cp "$FAKE_XS_ROOT.journal" "$WORK/out"
	nok frontend-state-before-backend-state "journal lines: frontend state $fe_line, backend state $be_line"
fi
chmod_line=$(grep -n "^chmod $FE1 n1 r0\$" "$FAKE_XS_ROOT.journal" | cut -d: -f1)
first_child=$(grep -n "^write $FE1/" "$FAKE_XS_ROOT.journal" | head -n1 | cut -d: -f1)
if [ -n "$chmod_line" ] && [ -n "$first_child" ] && [ "$chmod_line" -lt "$first_child" ] &&
	grep -q "^chmod $BE1 n0 r1\$" "$FAKE_XS_ROOT.journal"; then
	ok permissions
else
	cp "$FAKE_XS_ROOT.journal" "$WORK/out"
	nok permissions "frontend n1 r0 (before its first node) / backend n0 r1 not set"
fi

# Waits are wall-clock: with every xenstore read taking 0.5 s (a loaded
# or emulated dom0), --timeout 2 still ends after about 2 s, not after
# 20 rounds of read + sleep (12 s).
reset_world
# shellcheck disable=SC2016 # $1 and $@ are the wrapper's
printf '#!/bin/bash\n[ "$1" = read ] && sleep 0.5\nexec "%s" "$@"\n' "$FAKE" >"$WORK/slow-xenstore"
chmod +x "$WORK/slow-xenstore"
t0=$(date +%s%N)
XEN_VSCSI_XENSTORE=$WORK/slow-xenstore expect timeout-slow-reads 1 "state '1' after 2s, expected 4" -- create 1 0 2:0:0:0 0:0:0:0 --timeout 2
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$ms" -ge 2000 ] && [ "$ms" -lt 4500 ]; then
	ok timeout-slow-reads-in-time
else
	: >"$WORK/out"
	nok timeout-slow-reads-in-time "--timeout 2 with 0.5 s reads took $ms ms (expected 2000..4500)"
fi
reset_world
t0=$(date +%s%N)
expect timeout-1s 1 "state '1' after 1s, expected 4" -- create 1 0 2:0:0:0 0:0:0:0 --timeout 1
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$ms" -ge 1000 ] && [ "$ms" -lt 2500 ]; then
	ok timeout-1s-in-time
else
	: >"$WORK/out"
	nok timeout-1s-in-time "--timeout 1 took $ms ms (expected 1000..2500)"
fi
reset_world
expect create-timeout-again 1 'after 1s' -- create guest1 0 2:0:0:0 0:0:0:0 --timeout 1
expect create-twice 1 'vhost 0 of domain 1 already exists' -- create guest1 0 2:0:0:1 0:0:1:0
expect add-not-connected 1 "vhost 0 of domain 1 is not connected \(backend state '1', expected 4\)" -- add guest1 0 2:0:0:1 0:0:1:0
expect pdev-taken-other-domain 1 'device already present: P-DEV 2:0:0:0 is dev-0 of vhost 0 of domain 1' -- create guest2 0 2:0:0:0 0:0:0:0

# ------------------------------------------------------------------
# End to end against fake drivers: the trees after create, add and
# remove equal the seed's listing node for node.
# ------------------------------------------------------------------
reset_world
start_drivers
expect create 0 'dev-0 2:0:0:0 as 0:0:0:0 connected' -- create guest1 0 2:0:0:0 0:0:0:0 --timeout 10
tree_is create-backend-tree "$BE1" "$BE1 = \"\"
$BE1/feature-host = \"0\"
$BE1/frontend = \"$FE1\"
$BE1/frontend-id = \"1\"
$BE1/online = \"1\"
$BE1/state = \"4\"
$BE1/vscsi-devs = \"\"
$BE1/vscsi-devs/dev-0 = \"\"
$BE1/vscsi-devs/dev-0/p-dev = \"2:0:0:0\"
$BE1/vscsi-devs/dev-0/state = \"4\"
$BE1/vscsi-devs/dev-0/v-dev = \"0:0:0:0\"
$BE1/vscsi-devs/dev-0/p-devname = \"/dev/sda\""
tree_is create-frontend-tree "$FE1" "$FE1 = \"\"
$FE1/backend = \"$BE1\"
$FE1/backend-id = \"0\"
$FE1/event-channel = \"5\"
$FE1/ring-ref = \"8\"
$FE1/state = \"4\"
$FE1/vscsi-devs = \"\"
$FE1/vscsi-devs/dev-0 = \"\"
$FE1/vscsi-devs/dev-0/state = \"4\""

expect add-vdev-taken 1 'device already present: V-DEV 0:0:0:0 is dev-0 of vhost 0' -- add guest1 0 2:0:0:1 0:0:0:0
expect add-pdev-taken 1 'device already present: P-DEV 2:0:0:0' -- add guest1 0 2:0:0:0 0:0:1:0
expect add 0 'dev-1 2:0:0:1 as 0:0:1:0 connected' -- add guest1 0 2:0:0:1 0:0:1:0 --timeout 10 --p-devname disk-b
tree_is add-backend-tree "$BE1" "$BE1 = \"\"
$BE1/feature-host = \"0\"
$BE1/frontend = \"$FE1\"
$BE1/frontend-id = \"1\"
$BE1/online = \"1\"
$BE1/state = \"4\"
$BE1/vscsi-devs = \"\"
$BE1/vscsi-devs/dev-0 = \"\"
$BE1/vscsi-devs/dev-0/p-dev = \"2:0:0:0\"
$BE1/vscsi-devs/dev-0/state = \"4\"
$BE1/vscsi-devs/dev-0/v-dev = \"0:0:0:0\"
$BE1/vscsi-devs/dev-0/p-devname = \"/dev/sda\"
$BE1/vscsi-devs/dev-1 = \"\"
$BE1/vscsi-devs/dev-1/p-dev = \"2:0:0:1\"
$BE1/vscsi-devs/dev-1/state = \"4\"
$BE1/vscsi-devs/dev-1/v-dev = \"0:0:1:0\"
$BE1/vscsi-devs/dev-1/p-devname = \"disk-b\""
expect list 0 'dev-1: p-dev 2:0:0:1 v-dev 0:0:1:0 state 4 frontend-state 4 p-devname disk-b' -- list guest1 0

expect remove-unknown 1 'no device 0:0:5:0 in vhost 0 of domain 1' -- remove guest1 0 0:0:5:0
expect remove 0 'dev-0 \(0:0:0:0\) removed' -- remove guest1 0 0:0:0:0 --timeout 10
tree_is remove-backend-tree "$BE1" "$BE1 = \"\"
$BE1/feature-host = \"0\"
$BE1/frontend = \"$FE1\"
$BE1/frontend-id = \"1\"
$BE1/online = \"1\"
$BE1/state = \"4\"
$BE1/vscsi-devs = \"\"
$BE1/vscsi-devs/dev-1 = \"\"
$BE1/vscsi-devs/dev-1/p-dev = \"2:0:0:1\"
$BE1/vscsi-devs/dev-1/state = \"4\"
$BE1/vscsi-devs/dev-1/v-dev = \"0:0:1:0\"
$BE1/vscsi-devs/dev-1/p-devname = \"disk-b\""
# The seed's removal: state 7 and the device's 5 in one step, then rm.
if grep -q "^write $BE1/state 7\$" "$FAKE_XS_ROOT.journal" &&
	grep -q "^write $BE1/vscsi-devs/dev-0/state 5\$" "$FAKE_XS_ROOT.journal" &&
	grep -q "^rm $BE1/vscsi-devs/dev-0\$" "$FAKE_XS_ROOT.journal"; then
	ok remove-protocol
else
	cp "$FAKE_XS_ROOT.journal" "$WORK/out"
	nok remove-protocol "state 7, dev-0/state 5, rm dev-0 not all seen"
fi
expect add-after-remove 0 'dev-2 2:0:0:2 as 0:0:0:0 connected' -- add guest1 0 2:0:0:2 0:0:0:0 --timeout 10
expect destroy 0 'vhost 0 of domain 1 destroyed' -- destroy guest1 0 --timeout 10
tree_is destroy-backend-gone "$BE1" ""
tree_is destroy-frontend-gone "$FE1" ""

# The backend refuses a device: state 6, the script says so and cleans up.
reset_world
start_drivers 2:0:0:3
expect create-2 0 'connected' -- create guest2 1 2:0:0:0 0:0:0:0 --timeout 10
expect add-refused 1 'dev-1 \(2:0:0:3 as 0:0:1:0\) not added: state .6., expected 4' -- add guest2 1 2:0:0:3 0:0:1:0 --timeout 10
if "$FAKE" exists /local/domain/0/backend/vscsi/2/1/vscsi-devs/dev-1; then
	nok add-refused-cleaned "dev-1 left behind"
else
	ok add-refused-cleaned
fi
# A refused first device fails create.
expect create-refused 1 'dev-0 \(2:0:0:3 as 0:0:0:0\): state 6 instead of 4' -- create guest1 0 2:0:0:3 0:0:0:0 --timeout 10
stop_drivers

# feature-host, a name for the domain, list of everything.
reset_world
start_drivers
expect create-feature-host 0 'connected' -- create guest2 3 2:0:0:2 1:0:2:0 --feature-host --timeout 10
if [ "$("$FAKE" read /local/domain/0/backend/vscsi/2/3/feature-host)" = 1 ] &&
	[ "$("$FAKE" read /local/domain/0/backend/vscsi/2/3/vscsi-devs/dev-0/v-dev)" = 1:0:2:0 ]; then
	ok feature-host-written
else
	nok feature-host-written "feature-host or v-dev not as given"
fi
expect list-all 0 'domain 2 vhost 3: state 4 frontend-state 4 feature-host 1' -- list
stop_drivers

# The frontend closed by itself (module unloaded): both sides are Closed,
# nothing will move again; destroy removes the nodes at once.
reset_world
start_drivers
expect create-4 0 'connected' -- create guest1 0 2:0:0:0 0:0:0:0 --timeout 10
stop_drivers
"$FAKE" write "$FE1/state" 6 "$BE1/state" 6
expect destroy-closed 0 'destroyed' -- destroy guest1 0 --timeout 1
tree_is destroy-closed-gone "$BE1" ""
if grep -q "^write $BE1/state 5\$" "$FAKE_XS_ROOT.journal"; then
	nok destroy-closed-no-state-5 "destroy wrote state 5 over a Closed backend"
else
	ok destroy-closed-no-state-5
fi

# A frontend that never closes: destroy times out, --force removes.
reset_world
start_drivers
expect create-3 0 'connected' -- create guest1 0 2:0:0:0 0:0:0:0 --timeout 10
stop_drivers
expect destroy-timeout 1 "backend state '5' after 1s, expected 6 \(--force" -- destroy guest1 0 --timeout 1
expect destroy-force 0 'destroyed' -- destroy guest1 0 --timeout 1 --force
tree_is destroy-force-gone "$BE1" ""

echo "script: $passed passed, $failed failed"
[ "$failed" = 0 ]
