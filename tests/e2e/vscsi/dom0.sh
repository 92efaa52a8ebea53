#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 side of the rig's pvSCSI hot-plug flows: scripts/rig/guest/dom0-run.sh
# hands it the scenarios with TYPE=vscsi and HOTPLUG set (not 0). Settings
# come from the environment (the scenario line's assignments):
#   FRONT=intree|proj|none  BACK=intree|proj  FRONT_PARAMS  BACK_PARAMS
#   PDEV_FORM=hctl|naa  p-dev as a dom0 SCSI device (h:c:t:l) or as a LUN
#                       of the target core (naa.<wwn>:<lun>, xen-pvscsi
#                       fabric over iblock); default hctl, naa for BACK=intree
#   HOTPLUG=1           create the vhost with LUN 0, hot add LUN 1, hot
#                       remove LUN 0 (the vhost stays connected), destroy
#   HOTPLUG=host        feature-host = "1": the whole scsi_debug host (two
#                       LUNs) through one vhost; the domU finds both LUNs
#   HOTPLUG=bad-front   dom0 plays a broken frontend (FRONT=none) on one
#                       vhost per case of BAD_FRONT_CASES; the project
#                       backend must refuse each with a reason
#   BAD_REQS=1          (HOTPLUG=1) after create: the domU sends CDBs
#                       shorter than their opcode (SG_IO); the backend
#                       refuses them (error response, reason logged)
#   BAD_DEVS=1          (HOTPLUG=1) before the hot add: a toolstack round
#                       of malformed and unknown devices; each is refused
#                       (state 6, reason logged), LUN 0 keeps working
#   EXPECT_PAGES        exact ring size in pages (1: ring-ref)
#   DD_MB (8)  FIO=0|1 (1)  ALLOW_RE  CONNECT_TIMEOUT (120)
# What it proves:
#   - scsi_debug LUNs of dom0 are given to a PV domU with scripts/xen-vscsi
#     (create, add, remove, destroy: the seed's protocol);
#   - after each step the backend and frontend trees (xenstore-ls -f) equal
#     the seed's listing node for node, plus only the nodes the drivers
#     add (feature-sg-grant, ring size nodes, ring-ref*, event-channel);
#   - the domU sees each LUN at its v-dev, data written there (dd, fio
#     with crc32c verify) reads back equal, and the bytes dom0 reads from
#     the p-dev equal what the domU wrote (sha256);
#   - the ring is the size negotiated (check_ring_nodes, EXPECT_PAGES);
#   - teardown leaves no domain, no node, and every module unloads.
# Prints E2E-INFO / E2E-XS / E2E-RING lines; on failure writes the reason
# to $W/$NAME.reason and exits 1.
#
# Usage (from the rig's plan loop): NAME=... W=... dom0.sh
#        dom0.sh cleanup   after any scenario, pass or fail: drop what a
#                          failed one left (configfs, modules)

# shellcheck source=scripts/rig/guest/checks.sh
. /e2e/checks.sh

: "${NAME:=cleanup}" "${W:=/tmp/e2e}"
DOM=e2e-$NAME
: "${FRONT:=intree}" "${BACK:=proj}" "${FRONT_PARAMS:=}" "${BACK_PARAMS:=}"
: "${HOTPLUG:=1}" "${BAD_DEVS:=0}" "${BAD_REQS:=0}" "${BAD_FRONT_CASES:=}"
: "${EXPECT_PAGES:=}" "${DD_MB:=8}" "${FIO:=1}"
: "${ALLOW_RE:=}" "${CONNECT_TIMEOUT:=120}" "${DOMU_MEM:=256}"
[ "$BACK" = intree ] && : "${PDEV_FORM:=naa}"
: "${PDEV_FORM:=hctl}"
XV=/e2e/xen-vscsi
WWN=naa.5001405abcdef012
INITIATOR=naa.5001405abcdef013
CFS=/sys/kernel/config/target

info() { echo "E2E-INFO $NAME $*"; }
fail() {
	echo "$*" >"$W/$NAME.reason"
	info "FAIL: $*"
	exit 1
}

unload_mod() {
	local m i=0
	m=$(echo "$1" | tr - _)
	[ -d "/sys/module/$m" ] || return 0
	while ! rmmod "$m" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 20 ] || return 1
		sleep 0.5
	done
}

# now: seconds of uptime (timeouts are wall-clock: under TCG a round of
# xenstore calls takes far longer than its sleep).
now() { cut -d. -f1 /proc/uptime; }

# kmsg_clear: empty dom0's kernel log, keeping it in $W/$NAME.kmsg (checked
# for WARN/BUG/Oops at the end, with what dom0-run.sh checks itself).
kmsg_clear() { dmesg -c >>"$W/$NAME.kmsg"; }

# insmod_refused KO PARAMS MESSAGE: loading KO with bad PARAMS fails and
# the kernel log names the parameter.
insmod_refused() {
	local ko=$1 params=$2 msg=$3
	kmsg_clear
	# shellcheck disable=SC2086 # params are words
	if insmod "$ko" $params 2>/dev/null; then
		rmmod "$ko"
		fail "insmod ${ko##*/} $params was accepted"
	fi
	dmesg | grep -qF "$msg" || fail "insmod ${ko##*/} $params: no '$msg' in the kernel log"
	info "insmod ${ko##*/} $params refused: $(dmesg | grep -F "$msg" | head -n1)"
}

load_back() {
	unload_mod xen-scsiback || fail "cannot unload a previous xen-scsiback"
	if [ "$BACK" = proj ]; then
		local ko=/e2e/proj/xen-scsiback.ko d deps=
		[ -f $ko ] || fail "project xen-scsiback.ko was not built"
		[ -f /e2e/proj/xen-scsiback.deps ] && read -r deps </e2e/proj/xen-scsiback.deps
		for d in $deps; do
			modprobe "$d" || fail "modprobe $d failed"
		done
		# Bad parameters: the load fails, naming the parameter.
		insmod_refused $ko max_ring_page_order=7 "max_ring_page_order=7: must be 0..6"
		insmod_refused $ko max_segments=25 "max_segments=25: must be 0"
		insmod_refused $ko max_segments=1025 "max_segments=1025: must be 0"
		insmod_refused $ko schemes=ring "schemes=ring: must be order, pages or both"
		# The in-tree twin loaded: ours does not load, nothing is left.
		modprobe xen-scsiback || fail "modprobe the in-tree xen-scsiback failed"
		if insmod $ko 2>/dev/null; then
			fail "the project xen-scsiback loaded next to the in-tree one"
		fi
		unload_mod xen-scsiback || fail "cannot unload the in-tree xen-scsiback"
		info "the project xen-scsiback does not load while the in-tree one is"
		kmsg_clear
		# shellcheck disable=SC2086 # params are words
		insmod $ko $BACK_PARAMS ||
			fail "insmod project xen-scsiback $BACK_PARAMS failed: $(dmesg | tail -n 3 | tr '\n' ' ')"
		info "backend: project xen-scsiback params='$BACK_PARAMS'"
	else
		# shellcheck disable=SC2086
		modprobe xen-scsiback $BACK_PARAMS || fail "modprobe xen-scsiback failed"
		info "backend: in-tree xen-scsiback params='$BACK_PARAMS'"
	fi
}

# Two scsi_debug LUNs (RAM, 32 MiB each): SDHOST:0:0:0 and SDHOST:0:0:1.
setup_disks() {
	unload_mod scsi_debug || fail "scsi_debug busy"
	modprobe sd_mod || fail "modprobe sd_mod failed"
	modprobe scsi_debug dev_size_mb=32 num_tgts=1 max_luns=2 \
		add_host=1 delay=0 || fail "modprobe scsi_debug failed"
	local i=0 h
	while [ $i -lt 50 ]; do
		for h in /sys/bus/pseudo/drivers/scsi_debug/adapter*/host*; do
			[ -d "$h" ] && SDHOST=${h##*/host}
		done
		[ -n "${SDHOST:-}" ] && [ -d "/sys/class/scsi_device/$SDHOST:0:0:1/device/block" ] && break
		sleep 0.2
		i=$((i + 1))
	done
	[ -n "${SDHOST:-}" ] || fail "scsi_debug host did not appear"
	for l in 0 1; do
		[ -d "/sys/class/scsi_device/$SDHOST:0:0:$l/device/block" ] ||
			fail "scsi_debug LUN $SDHOST:0:0:$l has no block device"
	done
	info "scsi_debug: host $SDHOST, LUNs $SDHOST:0:0:0 ($(blkdev_of 0)) and $SDHOST:0:0:1 ($(blkdev_of 1))"
}

blkdev_of() {
	local b
	for b in "/sys/class/scsi_device/$SDHOST:0:0:$1/device/block"/*; do
		echo "/dev/${b##*/}"
		return
	done
}

# naa: the LUNs through the target core (iblock over the scsi_debug disks),
# exported on the xen-pvscsi fabric as naa.<wwn> LUN 0 and 1.
setup_naa() {
	local l
	modprobe target_core_iblock || fail "modprobe target_core_iblock failed"
	grep -q configfs /proc/mounts || mount -t configfs none /sys/kernel/config ||
		fail "cannot mount configfs"
	[ -d "$CFS" ] || fail "no $CFS (target core)"
	for l in 0 1; do
		mkdir -p "$CFS/core/iblock_$l/e2e$l" || fail "target core: iblock_$l"
		echo "udev_path=$(blkdev_of $l)" >"$CFS/core/iblock_$l/e2e$l/control" ||
			fail "target core: udev_path"
		echo 1 >"$CFS/core/iblock_$l/e2e$l/enable" || fail "target core: enable iblock_$l"
		mkdir -p "$CFS/xen-pvscsi/$WWN/tpgt_1/lun/lun_$l" ||
			fail "xen-pvscsi fabric: no $WWN/tpgt_1/lun/lun_$l (is the backend the in-tree one?)"
		ln -s "$CFS/core/iblock_$l/e2e$l" "$CFS/xen-pvscsi/$WWN/tpgt_1/lun/lun_$l/port" ||
			fail "xen-pvscsi fabric: linking lun_$l"
	done
	echo "$INITIATOR" >"$CFS/xen-pvscsi/$WWN/tpgt_1/nexus" || fail "xen-pvscsi fabric: nexus"
	info "target core: $WWN LUN 0 = $(blkdev_of 0), LUN 1 = $(blkdev_of 1)"
}

teardown_naa() {
	local l
	[ -d "$CFS/xen-pvscsi" ] || return 0
	echo NULL >"$CFS/xen-pvscsi/$WWN/tpgt_1/nexus" 2>/dev/null
	for l in 0 1; do
		rm -f "$CFS/xen-pvscsi/$WWN/tpgt_1/lun/lun_$l/port"
		rmdir "$CFS/xen-pvscsi/$WWN/tpgt_1/lun/lun_$l" 2>/dev/null
	done
	rmdir "$CFS/xen-pvscsi/$WWN/tpgt_1" "$CFS/xen-pvscsi/$WWN" 2>/dev/null
	# The fabric's directory holds a reference on its module.
	rmdir "$CFS/xen-pvscsi" 2>/dev/null
	for l in 0 1; do
		rmdir "$CFS/core/iblock_$l/e2e$l" "$CFS/core/iblock_$l" 2>/dev/null
	done
	return 0
}

pdev_of() {
	if [ "$PDEV_FORM" = naa ]; then
		echo "$WWN:$1"
	else
		echo "$SDHOST:0:0:$1"
	fi
}

write_cfg() {
	local env64
	{
		echo "NAME='$NAME'"
		for v in TYPE HOTPLUG FRONT FRONT_PARAMS DD_MB FIO ALLOW_RE; do
			eval "val=\${$v:-}"
			# shellcheck disable=SC2154 # val is set by eval
			printf "%s='%s'\n" "$v" "$val"
		done
	} >"$W/$NAME.env"
	env64=$(base64 -w0 <"$W/$NAME.env")
	cat >"$W/$NAME.cfg" <<-EOC
	name = "$DOM"
	type = "pv"
	kernel = "/e2e/vmlinuz"
	ramdisk = "/e2e/domU.cpio"
	extra = "console=hvc0 loglevel=5 panic=5 rdinit=/e2e/vscsi/domU.sh e2e=$env64"
	memory = $DOMU_MEM
	vcpus = 1
	on_poweroff = "destroy"
	on_reboot = "destroy"
	on_crash = "destroy"
	EOC
}

dom_alive() { xl domid "$DOM" >/dev/null 2>&1; }

# domu CMD...: one step in the domU (data/e2e-cmd -> data/e2e-ack).
SEQ=0
domu() {
	local t0 ack
	SEQ=$((SEQ + 1))
	t0=$(now)
	xenstore-write "$DD/e2e-cmd" "$SEQ $*"
	while :; do
		ack=$(xs_get "$DD/e2e-ack")
		case $ack in "$SEQ "*) break ;; esac
		dom_alive || fail "domU died during '$*'"
		[ $(($(now) - t0)) -lt 300 ] || fail "domU did not answer '$*' in 300 s"
		sleep 0.5
	done
	ACK=${ack#"$SEQ "}
	info "domU '$*': $ACK"
	case $ACK in PASS*) return 0 ;; esac
	fail "domU '$*': $ACK"
}

# xs_tree DIR: "path = value" lines of DIR, sorted, as xenstore-ls -f.
xs_tree() { xenstore-ls -f "$1" 2>/dev/null | sed 's/ *$//' | sort; }

# check_tree WHAT DIR EXPECTED EXTRA_RE: the tree under DIR equals
# EXPECTED (the seed's nodes, "path = \"value\"" lines) plus nodes whose
# path (after DIR/) matches EXTRA_RE, whatever their value.
check_tree() {
	local what=$1 dir=$2 want=$3 extra=$4
	xs_tree "$dir" >"$W/$NAME.tree"
	sed "s|^|E2E-XS $NAME $what |" "$W/$NAME.tree"
	printf '%s\n' "$want" | sed '/^$/d' | sort >"$W/$NAME.want"
	grep -Ev "^$dir/($extra) = " "$W/$NAME.tree" >"$W/$NAME.got"
	if ! diff "$W/$NAME.want" "$W/$NAME.got" >"$W/$NAME.diff"; then
		sed "s|^|E2E-INFO $NAME $what diff: |" "$W/$NAME.diff"
		fail "$what xenstore tree differs from the seed's layout ($(grep -cE '^([<>]|[-+][^-+])' "$W/$NAME.diff") line(s) of diff)"
	fi
	info "$what xenstore tree equals the seed's layout"
}

# The nodes the seed lists (xenstore-ls -f shows the children of the
# directory, not the directory itself), for devices "N@P-DEV@V-DEV ...".
seed_back() {
	local d n p v
	echo "$BE/feature-host = \"$FEATURE_HOST\""
	echo "$BE/frontend = \"$FE\""
	echo "$BE/frontend-id = \"$DOMID\""
	echo "$BE/online = \"1\""
	echo "$BE/state = \"4\""
	echo "$BE/vscsi-devs = \"\""
	for d in "$@"; do
		IFS=@ read -r n p v <<<"$d"
		echo "$BE/vscsi-devs/dev-$n = \"\""
		echo "$BE/vscsi-devs/dev-$n/p-dev = \"$p\""
		echo "$BE/vscsi-devs/dev-$n/state = \"4\""
		echo "$BE/vscsi-devs/dev-$n/v-dev = \"$v\""
		echo "$BE/vscsi-devs/dev-$n/p-devname = \"$(pdevname_of "$p")\""
	done
}

pdevname_of() {
	case $1 in
	naa.*) echo "$1" ;;
	*) blkdev_of "${1##*:}" ;;
	esac
}

# The frontend's, for devices "N@STATE ...".
seed_front() {
	local d n st
	echo "$FE/backend = \"$BE\""
	echo "$FE/backend-id = \"0\""
	echo "$FE/state = \"4\""
	echo "$FE/vscsi-devs = \"\""
	for d in "$@"; do
		IFS=@ read -r n st <<<"$d"
		echo "$FE/vscsi-devs/dev-$n = \"\""
		echo "$FE/vscsi-devs/dev-$n/state = \"$st\""
	done
}

# Driver-owned nodes beyond the seed's listing.
BACK_EXTRA='feature-sg-grant|max-ring-page-order|max-ring-pages'
FRONT_EXTRA='event-channel|ring-ref[0-9]*|ring-page-order|num-ring-pages'

check_trees() {
	local step=$1 devs=$2 fdevs=$3
	# shellcheck disable=SC2086 # word lists
	check_tree "$step back" "$BE" "$(seed_back $devs)" "$BACK_EXTRA"
	# shellcheck disable=SC2086
	check_tree "$step front" "$FE" "$(seed_front $fdevs)" "$FRONT_EXTRA"
	# event-channel and the ring references are there.
	[ -n "$(xs_get "$FE/event-channel")" ] || fail "$step: no event-channel node"
}

# p-dev bytes equal what the domU wrote: sha256 of the first DD_MB MiB.
check_pdev_data() {
	local l=$1 want=$2 got
	got=$(dd if="$(blkdev_of "$l")" bs=1M count="$DD_MB" iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1)
	[ "$got" = "$want" ] ||
		fail "dom0 reads other data from LUN $l ($(blkdev_of "$l")) than the domU wrote"
	info "dom0 reads from $(blkdev_of "$l") what the domU wrote (sha256 $got)"
}

start_domu() {
	kmsg_clear
	load_back
	setup_disks
	[ "$PDEV_FORM" = naa ] && setup_naa
	write_cfg
	xl create "$W/$NAME.cfg" >"$W/$NAME.xl.log" 2>&1 ||
		{ cat "$W/$NAME.xl.log"; fail "xl create failed"; }
	DOMID=$(xl domid "$DOM") || fail "domain vanished after xl create"
	DD=/local/domain/$DOMID/data
	BE=/local/domain/0/backend/vscsi/$DOMID/0
	FE=/local/domain/$DOMID/device/vscsi/0
	info "domU $DOM is domain $DOMID"
	domu ready
	P0=$(pdev_of 0)
	P1=$(pdev_of 1)
}

# 1. create: vhost 0 with LUN 0 at v-dev 0:0:0:0 (the whole host of
# LUN 0 with feature-host).
step_create() {
	local t0 fh=
	t0=$(now)
	[ "$FEATURE_HOST" = 1 ] && fh=--feature-host
	# shellcheck disable=SC2086 # an optional word
	"$XV" create "$DOMID" 0 "$P0" 0:0:0:0 $fh --timeout "$CONNECT_TIMEOUT" >"$W/$NAME.xv" 2>&1 ||
		fail "xen-vscsi create: $(tr '\n' ' ' <"$W/$NAME.xv")"
	info "xen-vscsi create $fh: $(cat "$W/$NAME.xv") ($(($(now) - t0)) s)"
	check_trees create "0@$P0@0:0:0:0" "0@4"
	check_ring_nodes "$FE" "$BE" || fail "ring nodes: $RING_ERR"
	echo "E2E-RING $NAME $RING_INFO"
	domu io 0:0:0 "$DD_MB"
	check_pdev_data 0 "${ACK#PASS }"
}

# BAD_REQS=1: the request path's checks in the running backend. The domU
# sends READ(10) in a 6-byte CDB and READ(16) in a 10-byte one; both must
# come back refused, each refusal logged with the vhost and the reason.
bad_reqs() {
	local line
	kmsg_clear
	domu badcdb 0:0:0
	line=$(dmesg | grep -F "vscsi-$DOMID-0: " | grep -F "refused: CDB shorter than its opcode requires" | tail -n 1)
	[ -n "$line" ] || fail "bad requests: no kernel log line naming vscsi-$DOMID-0 and the CDB length"
	info "bad request refused: $line"
}

# BAD_DEVS=1: what a toolstack may write that xen-vscsi refuses to (it
# checks its arguments): one Reconfiguring round adding four bad devices.
# The backend must refuse each one (its state goes to 6, never 4), log
# the reason naming the vhost, the device and the node, and keep the
# vhost and its LUN 0 working. Then the toolstack drops their nodes.
bad_devs() {
	local dir=$BE/vscsi-devs n st want line t0
	kmsg_clear
	xenstore-write \
		"$dir/dev-1/p-dev" "1:2:x:4" "$dir/dev-1/v-dev" 0:0:2:0 \
		"$dir/dev-1/p-devname" bad "$dir/dev-1/state" 1 \
		"$dir/dev-2/p-dev" "$P1" "$dir/dev-2/v-dev" 0:0:70000:0 \
		"$dir/dev-2/p-devname" bad "$dir/dev-2/state" 1 \
		"$dir/dev-3/p-dev" "$SDHOST:0:0:7" "$dir/dev-3/v-dev" 0:0:3:0 \
		"$dir/dev-3/p-devname" bad "$dir/dev-3/state" 1 \
		"$dir/dev-4/p-dev" "$P1" "$dir/dev-4/v-dev" 0:0:0:0 \
		"$dir/dev-4/p-devname" bad "$dir/dev-4/state" 1 ||
		fail "bad devices: xenstore-write failed"
	xenstore-write "$BE/state" 7 || fail "bad devices: writing $BE/state failed"
	t0=$(now)
	while [ "$(xs_get "$BE/state")" != 4 ] || [ "$(xs_get "$FE/state")" != 4 ]; do
		[ $(($(now) - t0)) -lt 60 ] ||
			fail "bad devices: vhost not back to Connected after 60 s (backend '$(xs_get "$BE/state")', frontend '$(xs_get "$FE/state")')"
		sleep 0.5
	done
	for n in 1 2 3 4; do
		case $n in
		1) want='dev-1 refused: p-dev "1:2:x:4": not host:channel:target:lun' ;;
		2) want='dev-2 refused: v-dev "0:0:70000:0": v-dev channel, target and lun must be at most 65535' ;;
		3) want="dev-3 refused: p-dev \"$SDHOST:0:0:7\": no such SCSI device" ;;
		4) want='dev-4 refused: v-dev "0:0:0:0": already used by another device of this vhost' ;;
		esac
		st=$(xs_get "$dir/dev-$n/state")
		[ "$st" = 6 ] || fail "bad devices: dev-$n ($(xs_get "$dir/dev-$n/p-dev") as $(xs_get "$dir/dev-$n/v-dev")) has state '$st', expected 6"
		line=$(dmesg | grep -F "vscsi-$DOMID-0: " | grep -F "$want" | tail -n 1)
		[ -n "$line" ] || fail "bad devices: no kernel log line naming vscsi-$DOMID-0 and '$want'"
		info "bad device refused: $line"
		[ -z "$(xs_get "$FE/vscsi-devs/dev-$n/state")" ] ||
			fail "bad devices: the frontend wrote dev-$n/state for a refused device"
	done
	info "backend error node: $(xs_get "/local/domain/0/error${BE#/local/domain/0}/error")"
	for n in 1 2 3 4; do
		xenstore-rm "$dir/dev-$n" || fail "bad devices: removing dev-$n failed"
	done
	check_trees bad-devs "0@$P0@0:0:0:0" "0@4"
	domu io 0:0:0 "$DD_MB"
	check_pdev_data 0 "${ACK#PASS }"
}

# 2. hot add LUN 1 at 0:0:1:0, 3. hot remove LUN 0, the vhost connected.
step_add_remove() {
	"$XV" add "$DOMID" 0 "$P1" 0:0:1:0 --timeout "$CONNECT_TIMEOUT" >"$W/$NAME.xv" 2>&1 ||
		fail "xen-vscsi add: $(tr '\n' ' ' <"$W/$NAME.xv")"
	info "xen-vscsi add: $(cat "$W/$NAME.xv")"
	check_trees add "0@$P0@0:0:0:0 1@$P1@0:0:1:0" "0@4 1@4"
	domu io 0:1:0 "$DD_MB"
	check_pdev_data 1 "${ACK#PASS }"
	"$XV" remove "$DOMID" 0 0:0:0:0 --timeout "$CONNECT_TIMEOUT" >"$W/$NAME.xv" 2>&1 ||
		fail "xen-vscsi remove: $(tr '\n' ' ' <"$W/$NAME.xv")"
	info "xen-vscsi remove: $(cat "$W/$NAME.xv")"
	# The frontend keeps its dev-0/state, now 6: the seed removes
	# only the backend's nodes.
	check_trees remove "1@$P1@0:0:1:0" "0@6 1@4"
	domu gone 0:0:0
	domu io 0:1:0 "$DD_MB"
	check_pdev_data 1 "${ACK#PASS }"
}

# HOTPLUG=host: feature-host = "1", one dev-N (LUN 0): the frontend scans
# the host and finds LUN 1 at the same channel:target:lun as in dom0.
step_whole_host() {
	domu io 0:0:1 "$DD_MB"
	check_pdev_data 1 "${ACK#PASS }"
	info "feature-host: the domU reaches LUN 1, which no dev-N names"
}

# HOTPLUG=bad-front, one case on vhost V: dom0 writes a vhost the usual
# way, then plays its frontend (the domU runs none) with bad ring nodes.
# The project backend must refuse: xenbus_dev_fatal() (an error node
# naming the reason), Closing, a kernel log line naming the device and
# the reason; then follow the "frontend" to Closed and let go of the
# vhost when the toolstack removes it.
bad_front_case() {
	local c=$1 v=$2 be fe mo enode err expect t0 line
	be=/local/domain/0/backend/vscsi/$DOMID/$v
	fe=/local/domain/$DOMID/device/vscsi/$v
	xenstore-write "$be/feature-host" 0 "$be/frontend" "$fe" "$be/frontend-id" "$DOMID" \
		"$be/online" 1 "$be/vscsi-devs/dev-0/p-dev" "$P0" \
		"$be/vscsi-devs/dev-0/v-dev" 0:0:0:0 "$be/vscsi-devs/dev-0/p-devname" "$P0" \
		"$be/vscsi-devs/dev-0/state" 1 || fail "$c: writing $be failed"
	xenstore-write "$fe/backend" "$be" "$fe/backend-id" 0 "$fe/state" 1 ||
		fail "$c: writing $fe failed"
	xenstore-write "$be/state" 1 || fail "$c: writing $be/state failed"
	wait_xs "$be/state" 2 60 || fail "$c: backend not in InitWait (state '$(xs_get "$be/state")')"
	mo=$(xs_get "$be/max-ring-page-order")
	[ -n "$mo" ] || fail "$c: the backend advertises no max-ring-page-order"
	xenstore-write "$fe/event-channel" 9
	case $c in
	order-too-big)
		xenstore-write "$fe/ring-page-order" $((mo + 1))
		fe_refs "$fe" $((1 << (mo + 1)))
		expect='ring-page-order exceeds the advertised maximum'
		;;
	disagree)
		xenstore-write "$fe/ring-page-order" 1 "$fe/num-ring-pages" 4
		fe_refs "$fe" 2
		expect='ring-page-order and num-ring-pages disagree'
		;;
	missing-ref)
		xenstore-write "$fe/ring-page-order" 2
		fe_refs "$fe" 3
		expect='ring-ref3: missing'
		;;
	garbage-ref)
		xenstore-write "$fe/ring-page-order" 1 "$fe/ring-ref0" 12 "$fe/ring-ref1" zz
		expect='ring-ref1: is not a grant reference'
		;;
	bad-grant)
		# Well-formed, but nothing is granted: Xen refuses the mapping.
		xenstore-write "$fe/ring-ref" 7777
		expect='grant reference 7777'
		;;
	*) fail "unknown BAD_FRONT_CASES case '$c'" ;;
	esac
	kmsg_clear
	xenstore-write "$fe/state" 3
	enode=/local/domain/0/error${be#/local/domain/0}/error
	t0=$(now)
	while [ -z "$(xs_get "$enode")" ]; do
		[ $(($(now) - t0)) -lt 30 ] ||
			fail "$c: no error node $enode after 30 s (backend state '$(xs_get "$be/state")')"
		sleep 0.5
	done
	err=$(xs_get "$enode")
	info "$c: backend error node: $err"
	case $err in *"$expect"*) ;; *) fail "$c: the error node does not name the reason ('$expect'): $err" ;; esac
	wait_xs "$be/state" 5 20 ||
		fail "$c: backend state '$(xs_get "$be/state")' after the error, expected 5 (Closing)"
	line=$(dmesg | grep -F "vscsi-$DOMID-$v: " | grep -F "$expect" | tail -n 1)
	[ -n "$line" ] || fail "$c: no kernel log line naming vscsi-$DOMID-$v and '$expect'"
	info "$c: dmesg: $line"
	# The "frontend" gives up: the backend follows to Closed, and lets go
	# of the vhost once the toolstack removes it.
	xenstore-write "$fe/state" 6
	wait_xs "$be/state" 6 20 ||
		fail "$c: backend state '$(xs_get "$be/state")' after the frontend closed, expected 6"
	xenstore-rm "$be"
	xenstore-rm "$fe"
	xenstore-rm "/local/domain/0/error${be#/local/domain/0}"
	t0=$(now)
	while [ -e "/sys/bus/xen-backend/devices/vscsi-$DOMID-$v" ]; do
		[ $(($(now) - t0)) -lt 20 ] || fail "$c: xenbus device vscsi-$DOMID-$v stays after its nodes are gone"
		sleep 0.5
	done
	info "$c: refused, Closed, released"
}

# wait_xs PATH VALUE SECONDS
wait_xs() {
	local t0
	t0=$(now)
	while [ "$(xs_get "$1")" != "$2" ]; do
		[ $(($(now) - t0)) -lt "$3" ] || return 1
		sleep 0.5
	done
}

# fe_refs FE N: ring-ref0..ring-ref<N-1>, distinct made-up numbers.
fe_refs() {
	local i=0
	while [ $i -lt "$2" ]; do
		xenstore-write "$1/ring-ref$i" $((100 + i))
		i=$((i + 1))
	done
}

# 4. destroy the vhost: the frontend closes, both sides' nodes go; the
# domU unloads its frontend and powers off; nothing may be left.
finish() {
	local t0
	if [ "$HOTPLUG" != bad-front ]; then
		"$XV" destroy "$DOMID" 0 --timeout 60 >"$W/$NAME.xv" 2>&1 ||
			fail "xen-vscsi destroy: $(tr '\n' ' ' <"$W/$NAME.xv")"
		info "xen-vscsi destroy: $(cat "$W/$NAME.xv")"
	fi
	domu unload
	xenstore-write "$DD/e2e-cmd" "$((SEQ + 1)) poweroff"
	t0=$(now)
	while dom_alive && [ $(($(now) - t0)) -lt 30 ]; do
		sleep 0.5
	done
	dom_alive && fail "domU did not power off"
	t0=$(now)
	while [ "$(xl list | awk 'NR > 1 && $2 != 0' | wc -l)" != 0 ] && [ $(($(now) - t0)) -lt 20 ]; do
		sleep 0.5
	done
	[ "$(xl list | awk 'NR > 1 && $2 != 0' | wc -l)" = 0 ] ||
		fail "domain lingers after poweroff (leaked grant mappings?)"
	[ -z "$(xenstore-list "/local/domain/0/backend/vscsi/$DOMID" 2>/dev/null)" ] ||
		fail "backend nodes left behind for domain $DOMID"
	teardown_naa
	unload_mod xen-scsiback || fail "xen-scsiback cannot be unloaded after the domU is gone"
	unload_mod scsi_debug || fail "scsi_debug cannot be unloaded (a reference leaked?)"
	# The parts of dom0's kernel log cleared on the way (dom0-run.sh
	# checks the rest).
	local bad
	bad=$(bad_kernel_lines "$W/$NAME.kmsg" "$ALLOW_RE")
	[ -z "$bad" ] || fail "dom0 kernel log: $(echo "$bad" | head -n 2 | tr '\n' ' ')"
}

scenario() {
	: >"$W/$NAME.kmsg"
	FEATURE_HOST=0
	case $HOTPLUG in
	1) ;;
	host)
		FEATURE_HOST=1
		[ "$PDEV_FORM" = hctl ] || fail "HOTPLUG=host needs PDEV_FORM=hctl (a whole dom0 SCSI host)"
		;;
	bad-front)
		[ "$BACK" = proj ] || fail "HOTPLUG=bad-front tests the project backend (BACK=proj)"
		FRONT=none
		;;
	*) fail "unknown HOTPLUG=$HOTPLUG (1, host or bad-front)" ;;
	esac
	start_domu
	if [ "$HOTPLUG" = bad-front ]; then
		local c v=0
		for c in $BAD_FRONT_CASES; do
			bad_front_case "$c" "$v"
			v=$((v + 1))
		done
		[ $v -gt 0 ] || fail "HOTPLUG=bad-front without BAD_FRONT_CASES"
	else
		step_create
		if [ "$HOTPLUG" = host ]; then
			step_whole_host
		else
			[ "$BAD_REQS" = 1 ] && bad_reqs
			[ "$BAD_DEVS" = 1 ] && bad_devs
			step_add_remove
		fi
	fi
	finish
	exit 0
}

# Best effort, after any scenario: configfs objects and modules left by a
# failed one (an in-use module is left loaded; the next scenario says so).
cleanup() {
	local t
	if [ -d "$CFS/xen-pvscsi" ]; then
		for t in "$CFS"/xen-pvscsi/naa.*/tpgt_*; do
			[ -d "$t" ] || continue
			echo NULL >"$t/nexus" 2>/dev/null
			rm -f "$t"/lun/lun_*/port
			rmdir "$t"/lun/lun_* "$t" "${t%/*}" 2>/dev/null
		done
		rmdir "$CFS/xen-pvscsi" 2>/dev/null
		rmdir "$CFS"/core/iblock_*/* "$CFS"/core/iblock_* 2>/dev/null
	fi
	# A vhost left by a failed scenario keeps its xenbus device, and a
	# bound xenbus device holds its driver's module: remove the nodes.
	# (vhost by vhost: xenbus only looks at paths that deep).
	local d v i=0
	for d in $(xenstore-list /local/domain/0/backend/vscsi 2>/dev/null); do
		for v in $(xenstore-list "/local/domain/0/backend/vscsi/$d" 2>/dev/null); do
			xenstore-rm "/local/domain/0/backend/vscsi/$d/$v"
		done
		xenstore-rm "/local/domain/0/backend/vscsi/$d"
	done
	while [ -d /sys/module/xen_scsiback ] && ! rmmod xen_scsiback 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 20 ]; then
			echo "E2E-INFO cleanup: xen_scsiback stays loaded: backend devices: $(echo /sys/bus/xen-backend/devices/*)"
			break
		fi
		sleep 0.5
	done
	rmmod scsi_debug 2>/dev/null
	return 0
}

if [ "${1:-}" = cleanup ]; then
	cleanup
	exit 0
fi
scenario
