#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 side of one pvSCSI scenario of the rig (TYPE=vscsi). Settings come
# from the environment (the scenario line's assignments):
#   FRONT=intree|proj   BACK=intree|proj   FRONT_PARAMS  BACK_PARAMS
#   PDEV_FORM=hctl|naa  p-dev as a dom0 SCSI device (h:c:t:l) or as a LUN
#                       of the target core (naa.<wwn>:<lun>, xen-pvscsi
#                       fabric over iblock); default hctl, naa for BACK=intree
#   HOTPLUG=0|1         after the first LUN: hot add a second one, hot remove
#                       the first, the vhost staying connected
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
: "${HOTPLUG:=0}" "${EXPECT_PAGES:=}" "${DD_MB:=8}" "${FIO:=1}"
: "${ALLOW_RE:=}" "${CONNECT_TIMEOUT:=120}" "${DOMU_MEM:=256}"
[ "$BACK" = intree ] && : "${PDEV_FORM:=naa}"
: "${PDEV_FORM:=hctl}"
XV=/e2e/vscsi/xen-vscsi
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

# insmod_refused KO PARAMS MESSAGE: loading KO with bad PARAMS fails and
# the kernel log names the parameter.
insmod_refused() {
	local ko=$1 params=$2 msg=$3
	dmesg -c >/dev/null
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
		dmesg -c >/dev/null
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
		for v in TYPE FRONT FRONT_PARAMS DD_MB FIO ALLOW_RE; do
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
	local t=0 ack
	SEQ=$((SEQ + 1))
	xenstore-write "$DD/e2e-cmd" "$SEQ $*"
	while :; do
		ack=$(xs_get "$DD/e2e-ack")
		case $ack in "$SEQ "*) break ;; esac
		dom_alive || fail "domU died during '$*'"
		t=$((t + 1))
		[ $t -lt 600 ] || fail "domU did not answer '$*' in 300 s"
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
	echo "$BE/feature-host = \"0\""
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

scenario() {
	dmesg -c >/dev/null
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

	# 1. create: vhost 0 with LUN 0 at v-dev 0:0:0:0.
	local p0 p1 t0=$SECONDS
	p0=$(pdev_of 0)
	p1=$(pdev_of 1)
	"$XV" create "$DOMID" 0 "$p0" 0:0:0:0 --timeout "$CONNECT_TIMEOUT" >"$W/$NAME.xv" 2>&1 ||
		fail "xen-vscsi create: $(tr '\n' ' ' <"$W/$NAME.xv")"
	info "xen-vscsi create: $(cat "$W/$NAME.xv") ($((SECONDS - t0)) s)"
	check_trees create "0@$p0@0:0:0:0" "0@4"
	check_ring_nodes "$FE" "$BE" || fail "ring nodes: $RING_ERR"
	echo "E2E-RING $NAME $RING_INFO"
	domu io 0:0:0 "$DD_MB"
	check_pdev_data 0 "${ACK#PASS }"

	if [ "$HOTPLUG" = 1 ]; then
		# 2. hot add LUN 1 at 0:0:1:0, the vhost connected.
		"$XV" add "$DOMID" 0 "$p1" 0:0:1:0 --timeout "$CONNECT_TIMEOUT" >"$W/$NAME.xv" 2>&1 ||
			fail "xen-vscsi add: $(tr '\n' ' ' <"$W/$NAME.xv")"
		info "xen-vscsi add: $(cat "$W/$NAME.xv")"
		check_trees add "0@$p0@0:0:0:0 1@$p1@0:0:1:0" "0@4 1@4"
		domu io 0:1:0 "$DD_MB"
		check_pdev_data 1 "${ACK#PASS }"
		# 3. hot remove LUN 0.
		"$XV" remove "$DOMID" 0 0:0:0:0 --timeout "$CONNECT_TIMEOUT" >"$W/$NAME.xv" 2>&1 ||
			fail "xen-vscsi remove: $(tr '\n' ' ' <"$W/$NAME.xv")"
		info "xen-vscsi remove: $(cat "$W/$NAME.xv")"
		# The frontend keeps its dev-0/state, now 6: the seed removes
		# only the backend's nodes.
		check_trees remove "1@$p1@0:0:1:0" "0@6 1@4"
		domu gone 0:0:0
		domu io 0:1:0 "$DD_MB"
		check_pdev_data 1 "${ACK#PASS }"
	fi

	# 4. destroy the vhost: the frontend closes, both sides' nodes go.
	"$XV" destroy "$DOMID" 0 --timeout 60 >"$W/$NAME.xv" 2>&1 ||
		fail "xen-vscsi destroy: $(tr '\n' ' ' <"$W/$NAME.xv")"
	info "xen-vscsi destroy: $(cat "$W/$NAME.xv")"
	domu unload
	xenstore-write "$DD/e2e-cmd" "$((SEQ + 1)) poweroff"
	local t=0
	while dom_alive && [ $t -lt 60 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	dom_alive && fail "domU did not power off"
	t=0
	while [ "$(xl list | awk 'NR > 1 && $2 != 0' | wc -l)" != 0 ] && [ $t -lt 40 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	[ "$(xl list | awk 'NR > 1 && $2 != 0' | wc -l)" = 0 ] ||
		fail "domain lingers after poweroff (leaked grant mappings?)"
	[ -z "$(xenstore-list "/local/domain/0/backend/vscsi/$DOMID" 2>/dev/null)" ] ||
		fail "backend nodes left behind for domain $DOMID"
	teardown_naa
	unload_mod xen-scsiback || fail "xen-scsiback cannot be unloaded after the domU is gone"
	unload_mod scsi_debug || fail "scsi_debug cannot be unloaded (a reference leaked?)"
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
