#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run pvSCSI scenarios (tests/e2e/vscsi.list) in the Xen test rig, until
# scripts/rig/run.sh knows TYPE=vscsi: one QEMU boot with the rig's cached
# images plus an overlay carrying the project's modules, scripts/xen-vscsi
# and tests/e2e/vscsi/ (plan.sh as dom0's /e2e/dom0-run.sh, domU.sh as the
# domUs' rdinit).
#
#   flock /tmp/xmp-rig.lock tests/e2e/vscsi/boot.sh NAME...
#
# Prints "PASS name (N s)" / "FAIL name (N s): reason" and closes with
# "vscsi e2e: N passed, N failed"; the serial log path is printed.
set -euo pipefail
# shellcheck source=scripts/rig/lib.sh
. "$(dirname "$0")/../../../scripts/rig/lib.sh"
HERE=$E2E_DIR/vscsi
LIST=$E2E_DIR/vscsi.list
[ $# -gt 0 ] || die "usage: $0 NAME... (scenarios of $LIST)"

"$RIG_DIR/build.sh"
rig_find_kernel
# One QEMU at a time, also with rig runs started without
# /tmp/xmp-rig.lock (run.sh takes this lock too).
exec 8>"$RIG_CACHE/qemu.lock"
flock 8
RUN=$RIG_CACHE/logs/vscsi-$(date +%Y%m%d-%H%M%S)-$$
ov=$RUN/overlay
mkdir -p "$ov/dom0/e2e/proj" "$ov/dom0/e2e/vscsi" "$ov/domU/e2e/proj" "$ov/domU/e2e/vscsi"
: >"$ov/dom0/e2e/plan"
for n in "$@"; do
	line=$(sed -e 's/#.*//' "$LIST" | awk -v n="$n" '$1 == n')
	[ -n "$line" ] || die "no scenario '$n' in $LIST"
	echo "$line" | awk '{ $2 = ""; print }' >>"$ov/dom0/e2e/plan"
done
while read -r name path; do
	[ "$(rig_ko_release "$path")" = "$KVER" ] || { log "ignoring $path (not built for $KVER)"; continue; }
	for g in dom0 domU; do
		cp "$path" "$ov/$g/e2e/proj/$name.ko"
		modinfo -F depends "$path" | tr ',' ' ' >"$ov/$g/e2e/proj/$name.deps"
		sha256sum "$path" | cut -d' ' -f1 >"$ov/$g/e2e/proj/$name.sha256"
	done
	log "project module: $name ($(sha256sum "$path" | cut -c1-12))"
done < <(rig_proj_modules)
install -m 0755 "$HERE/plan.sh" "$ov/dom0/e2e/dom0-run.sh"
install -m 0755 "$HERE/dom0.sh" "$TOP/scripts/xen-vscsi" "$ov/dom0/e2e/vscsi/"
install -m 0755 "$HERE/domU.sh" "$ov/domU/e2e/vscsi/"
cpio_pack "$ov/domU" "$RUN/domU-overlay.cpio"
cat "$RIG_CACHE/domU-base.cpio" "$RUN/domU-overlay.cpio" >"$ov/dom0/e2e/domU.cpio"
cpio_pack "$ov/dom0" "$RUN/dom0-overlay.cpio"
cat "$RIG_CACHE/dom0-base.cpio" "$RUN/dom0-overlay.cpio" >"$RUN/dom0.cpio"

serial=$RUN/serial.log
limit=$((240 + 360 * $#))
log "booting (hard timeout ${limit}s), serial log: $serial"
timeout -k 10 "$limit" qemu-system-x86_64 \
	-machine pc -accel tcg,thread=multi -cpu "${RIG_QEMU_CPU:-Westmere}" -smp 2 \
	-m "${RIG_QEMU_MEM:-4096}" -nodefaults -display none -no-reboot \
	-serial "file:$serial" -kernel "$RIG_CACHE/xen.elf" \
	-append "console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M dom0_max_vcpus=2 loglvl=all guest_loglvl=all cet=no-shstk,no-ibt" \
	-initrd "$VMLINUZ console=hvc0 earlyprintk=xen loglevel=7 panic=5 nomodeset,$RUN/dom0.cpio" \
	>"$RUN/qemu.log" 2>&1 8>&- &
qpid=$!
done_at=
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	if [ -z "$done_at" ] && tr -d '\r' <"$serial" | grep -qE 'E2E-(DONE|FATAL)'; then
		done_at=$SECONDS
	fi
	if [ -n "$done_at" ] && [ $((SECONDS - done_at)) -gt 30 ]; then
		kill "$qpid" 2>/dev/null || true
	fi
done
wait "$qpid" || true
passed=0 failed=0
for n in "$@"; do
	r=$(tr -d '\r' <"$serial" | grep -oE "E2E-RESULT $n (PASS|FAIL) .*" | head -n1 || true)
	if [ -z "$r" ]; then
		echo "FAIL $n (? s): no result (see $serial)"
		failed=$((failed + 1))
		continue
	fi
	read -r _ _ st secs why <<<"$r"
	if [ "$st" = PASS ]; then
		echo "PASS $n ($secs s)"
		passed=$((passed + 1))
	else
		echo "FAIL $n ($secs s): $why"
		failed=$((failed + 1))
	fi
done
echo "serial log: $serial"
echo "vscsi e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
