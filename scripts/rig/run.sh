#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run end-to-end scenarios in the Xen test rig.
#
#   run.sh [--list FILE] [--tag TAG]... [--all] [NAME...]
#
# Scenarios are lines of tests/e2e/scenarios.list (see tests/e2e/README.md):
# NAMEs pick lines by name, --tag picks every line carrying a tag, --all
# every line. All picked scenarios run in one QEMU boot (a boot costs
# ~20 s); if the boot dies mid-way (dom0 crash, hard timeout), the
# scenario it was in fails and the rest run in a fresh boot.
#
# Prints "PASS name (N s)" or "FAIL name (N s): reason" per scenario and
# closes with "N passed, N failed"; exits 1 if any failed. The serial log
# of each boot is kept under $RIG_CACHE/logs/<run>/ and its path printed.
#
# Environment: see lib.sh (KVER, RIG_CACHE, RIG_QEMU_CPU, RIG_QEMU_MEM),
# plus E2E_SCENARIO_BUDGET (seconds of hard timeout per scenario, 300).
set -euo pipefail
# shellcheck source=scripts/rig/lib.sh
. "$(dirname "$0")/lib.sh"

LIST=$E2E_DIR/scenarios.list
tags=() names=() all=
while [ $# -gt 0 ]; do
	case $1 in
	--list) LIST=$2; shift 2 ;;
	--tag) tags+=("$2"); shift 2 ;;
	--all) all=1; shift ;;
	-h | --help) sed -n '4,21p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) names+=("$1"); shift ;;
	esac
done
[ -f "$LIST" ] || die "no scenario list $LIST"

# The scenario table without comments: "name tags settings..."
table() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LIST"; }

# Pick the scenarios, in the list's order for tags, the given order for names.
picked=()
if [ ${#names[@]} -gt 0 ]; then
	for n in "${names[@]}"; do
		table | awk -v n="$n" '$1 == n {f = 1} END {exit !f}' ||
			die "no scenario '$n' in $LIST"
		picked+=("$n")
	done
fi
if [ -n "$all" ] || [ ${#tags[@]} -gt 0 ]; then
	while read -r n t _; do
		if [ -n "$all" ]; then
			picked+=("$n")
			continue
		fi
		for want in "${tags[@]}"; do
			case ",$t," in *",$want,"*) picked+=("$n"); break ;; esac
		done
	done < <(table)
fi
[ ${#picked[@]} -gt 0 ] || die "no scenario picked (names, --tag TAG or --all)"

"$RIG_DIR/build.sh"
rig_find_kernel

run_id=$(date +%Y%m%d-%H%M%S)-$$
RUN=$RIG_CACHE/logs/$run_id
mkdir -p "$RUN"
ln -sfn "$run_id" "$RIG_CACHE/logs/latest"
log "run $RUN: ${picked[*]}"

# One rig run at a time on this machine: with two cores, two TCG guests
# side by side each run at half speed and scenarios time out. Other runs,
# whatever their tree or cache, wait here (RIG_NO_LOCK=1 skips this). Do
# not wrap run.sh in a flock on this same file: it would wait for itself.
RIG_LOCK=${RIG_LOCK:-/tmp/xen-mpring-rig.lock}
if [ "${RIG_NO_LOCK:-}" != 1 ]; then
	exec 8>"$RIG_LOCK"
	if ! flock -n 8; then
		log "another rig run is booted (see ps for qemu-system-x86_64): waiting for it"
		flock 8
	fi
fi

# ---------------------------------------------------------------------
# Per-run overlays: the project's modules (when built for $KVER) for both
# guests, the plan for dom0. Appended to the cached base images as a
# second cpio archive.
# ---------------------------------------------------------------------
ov=$RUN/overlay
mkdir -p "$ov/dom0/e2e/proj" "$ov/domU/e2e/proj"
while read -r name path; do
	rel=$(rig_ko_release "$path")
	if [ "$rel" != "$KVER" ]; then
		log "ignoring $path: built for '$rel', the rig boots $KVER"
		continue
	fi
	for g in dom0 domU; do
		cp "$path" "$ov/$g/e2e/proj/$name.ko"
		# Dependencies by module name, for modprobe before insmod.
		modinfo -F depends "$path" | tr ',' ' ' >"$ov/$g/e2e/proj/$name.deps"
		sha256sum "$path" | cut -d' ' -f1 >"$ov/$g/e2e/proj/$name.sha256"
	done
	log "project module: $name ($path, sha256 $(sha256sum "$path" | cut -c1-12))"
done < <(rig_proj_modules)
# Scenario helpers of the tree: dom0 hooks (DOM0_HOOK, DOM0_PAUSED_HOOK)
# and the pvSCSI toolstack script (TYPE=vscsi).
if [ -d "$E2E_DIR/hooks" ]; then
	cp -r "$E2E_DIR/hooks" "$ov/dom0/e2e/hooks"
fi
if [ -f "$TOP/scripts/xen-vscsi" ]; then
	install -m 0755 "$TOP/scripts/xen-vscsi" "$ov/dom0/e2e/xen-vscsi"
fi
# pvSCSI hot-plug flows (TYPE=vscsi HOTPLUG=...): dom0 and domU sides.
if [ -d "$E2E_DIR/vscsi" ]; then
	mkdir -p "$ov/dom0/e2e/vscsi" "$ov/domU/e2e/vscsi"
	install -m 0755 "$E2E_DIR/vscsi/dom0.sh" "$ov/dom0/e2e/vscsi/dom0.sh"
	install -m 0755 "$E2E_DIR/vscsi/domU.sh" "$ov/domU/e2e/vscsi/domU.sh"
	# A malformed SCSI command for the backend (BAD_REQS=1), static.
	gcc -static -O2 -Wall -o "$ov/domU/e2e/vscsi/sgio" "$E2E_DIR/vscsi/sgio.c" ||
		log "tests/e2e/vscsi/sgio.c did not build: BAD_REQS scenarios will fail"
fi
# Profiling knob (never for tests): RIG_DOMU_PROF=FILE puts FILE in the
# domUs as /e2e/prof.sh, which their /init runs in the background while
# the scenario does its I/O (e.g. bench/prof/domU-prof.sh).
if [ -n "${RIG_DOMU_PROF:-}" ]; then
	install -m 0755 "$RIG_DOMU_PROF" "$ov/domU/e2e/prof.sh"
	log "domU profiling: $RIG_DOMU_PROF"
fi
# RIG_DOM0_PROF=FILE: kernel functions dom0 counts with kprobes around
# each benchmark job (e.g. bench/prof/dom0-probes; dom0-run.sh prof_setup).
if [ -n "${RIG_DOM0_PROF:-}" ]; then
	install -m 0644 "$RIG_DOM0_PROF" "$ov/dom0/e2e/prof-dom0.probes"
	log "dom0 profiling: $RIG_DOM0_PROF"
fi
cpio_pack "$ov/domU" "$RUN/domU-overlay.cpio"
cat "$RIG_CACHE/domU-base.cpio" "$RUN/domU-overlay.cpio" >"$ov/dom0/e2e/domU.cpio"

# ---------------------------------------------------------------------
# Boots
# ---------------------------------------------------------------------
# QEMU: TCG (Xen does not boot on this machine's /dev/kvm), a CPU model
# without AVX (with -cpu max, user programs in the guests crashed now and
# then: malloc corruption in xl and QEMU's backend, fio segfaults), no
# reboot (a Xen or dom0 crash ends the boot), everything on the serial.
QEMU_CPU=${RIG_QEMU_CPU:-Westmere}
QEMU_MEM=${RIG_QEMU_MEM:-4096}
XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M dom0_max_vcpus=2 loglvl=all guest_loglvl=all cet=no-shstk,no-ibt"
DOM0_CMDLINE="console=hvc0 earlyprintk=xen loglevel=7 panic=5 nomodeset"
BUDGET=${E2E_SCENARIO_BUDGET:-300}

# Per scenario: PASS/FAIL, seconds (as dom0 measured them), reason.
declare -A result=() secs=() reason=()
boot=0

# boot_once NAME...: one QEMU boot running the given scenarios.
boot_once() {
	boot=$((boot + 1))
	local serial=$RUN/serial-$boot.log plan=$ov/dom0/e2e/plan n line
	: >"$plan"
	for n in "$@"; do
		line=$(table | awk -v n="$n" '$1 == n')
		# "name tags settings" -> "name settings"
		echo "$line" | awk '{ $2 = ""; print }' >>"$plan"
	done
	cpio_pack "$ov/dom0" "$RUN/dom0-overlay.cpio"
	cat "$RIG_CACHE/dom0-base.cpio" "$RUN/dom0-overlay.cpio" >"$RUN/dom0.cpio"
	local limit=$((180 + BUDGET * $#))
	log "boot $boot: ${*} (hard timeout ${limit}s), serial log: $serial"
	local t0=$SECONDS
	timeout -k 10 "$limit" qemu-system-x86_64 \
		-machine pc -accel tcg,thread=multi -cpu "$QEMU_CPU" -smp 2 -m "$QEMU_MEM" \
		-nodefaults -display none -no-reboot \
		-serial "file:$serial" \
		-kernel "$RIG_CACHE/xen.elf" -append "$XEN_CMDLINE" \
		-initrd "$VMLINUZ $DOM0_CMDLINE,$RUN/dom0.cpio" \
		>"$RUN/qemu-$boot.log" 2>&1 8>&- &
	local qpid=$! done_at=
	# Follow the serial log: report results as they come, and stop QEMU if
	# dom0 is done but the machine did not power off.
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 2
		report_new "$serial"
		if [ -z "$done_at" ] && tr -d '\r' <"$serial" | grep -qE 'E2E-(DONE|FATAL)'; then
			done_at=$SECONDS
		fi
		if [ -n "$done_at" ] && [ $((SECONDS - done_at)) -gt 30 ]; then
			log "dom0 finished but QEMU did not exit: stopping it"
			kill "$qpid" 2>/dev/null || true
		fi
	done
	local qrc=0
	wait "$qpid" || qrc=$?
	report_new "$serial"
	[ "$qrc" = 124 ] && log "boot $boot hit its hard timeout (${limit}s)"
	log "boot $boot ended after $((SECONDS - t0)) s (qemu exit $qrc)"
	BOOT_RC=$qrc
}

# report_new SERIAL: print PASS/FAIL for results not reported yet.
report_new() {
	local n st s r
	while read -r n st s r; do
		[ -n "${result[$n]:-}" ] && continue
		result[$n]=$st secs[$n]=$s reason[$n]=$r
		if [ "$st" = PASS ]; then
			echo "PASS $n ($s s)"
		else
			echo "FAIL $n ($s s): $r"
		fi
	done < <(tr -d '\r' <"$1" 2>/dev/null | grep -oE 'E2E-RESULT [^ ]+ (PASS|FAIL) [0-9]+.*' |
		sed 's/^E2E-RESULT //')
}

remaining=("${picked[@]}")
early_retry=0
while [ ${#remaining[@]} -gt 0 ]; do
	boot_once "${remaining[@]}"
	serial=$RUN/serial-$boot.log
	next=()
	# A boot that died before any scenario started has no E2E-START.
	current=$(tr -d '\r' <"$serial" | grep -oE 'E2E-START [^ ]+' | tail -n1 | cut -d' ' -f2 || true)
	why="boot ended without a result (qemu exit $BOOT_RC)"
	[ "$BOOT_RC" = 124 ] && why="hard timeout of the boot"
	fatal=$(tr -d '\r' <"$serial" | grep -oE 'E2E-FATAL .*' | head -n1 || true)
	[ -n "$fatal" ] && why="rig: ${fatal#E2E-FATAL }"
	progress=
	for n in "${remaining[@]}"; do
		if [ -n "${result[$n]:-}" ]; then
			progress=1
		elif [ "$n" = "$current" ]; then
			# The scenario that was running when the boot died fails; the
			# others get a new boot.
			result[$n]=FAIL secs[$n]='?' reason[$n]="$why in this scenario"
			echo "FAIL $n (? s): ${reason[$n]}"
			progress=1
		else
			next+=("$n")
		fi
	done
	if [ -z "$progress" ] && [ -z "$fatal" ] && [ "$early_retry" = 0 ]; then
		# Xen or dom0 died before any scenario started (TCG has crashed
		# user space now and then): one more boot, said here.
		early_retry=1
		log "boot $boot ended before any scenario started ($why): retrying once; last lines of $serial:"
		tr -d '\r' <"$serial" | tail -n 25 | sed 's/^/  | /'
		tail -n 5 "$RUN/qemu-$boot.log" | sed 's/^/  qemu: /'
		remaining=("${next[@]}")
		continue
	fi
	if [ -z "$progress" ]; then
		# Nothing started: the rig itself is broken, do not loop.
		echo "rig: last lines of $serial:"
		tr -d '\r' <"$serial" | tail -n 25 | sed 's/^/  | /'
		tail -n 5 "$RUN/qemu-$boot.log" | sed 's/^/  qemu: /'
		for n in "${next[@]}"; do
			result[$n]=FAIL secs[$n]=0 reason[$n]="$why before any scenario started"
			echo "FAIL $n (0 s): ${reason[$n]}"
		done
		next=()
	fi
	remaining=("${next[@]}")
done

passed=0 failed=0 times=
for n in "${picked[@]}"; do
	times="$times $n=${secs[$n]}s"
	if [ "${result[$n]}" = PASS ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "scenario times:$times; $boot boot(s), $SECONDS s in all"
for ((i = 1; i <= boot; i++)); do
	echo "serial log: $RUN/serial-$i.log"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
