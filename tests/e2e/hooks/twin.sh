#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The project's module and its in-tree twin share a name (issue 2): loading
# one while the other is loaded must fail and leave the loaded one alone,
# never a half-registered driver. Checked for xen-blkback and xen-scsiback
# in dom0, both orders. Run as a DOM0_HOOK of a scenario whose disk is
# served by qdisk, so no block backend is in use.
#
# Usage: twin.sh FDIR BDIR DOM TARGET (arguments unused)
set -u
say() { echo "E2E-INFO twin $*"; }
die() { echo "E2E-INFO twin FAIL: $*"; exit 1; }

# twin MODULE KO_NAME XENBUS_DRIVER_DIR
twin() {
	mod=$1 ko=/e2e/proj/$2.ko drv=$3
	[ -f "$ko" ] || die "project $2.ko not built"
	[ ! -d "/sys/module/$mod" ] || rmmod "$mod" || die "cannot unload $mod"
	# shellcheck disable=SC2013 # module names are words
	for d in $(cat "/e2e/proj/$2.deps" 2>/dev/null); do modprobe "$d"; done
	ours=$(modinfo -F srcversion "$ko")

	# In-tree loaded: ours must not load, the in-tree one keeps its driver.
	modprobe "$2" || die "cannot load the in-tree $2"
	intree=$(cat "/sys/module/$mod/srcversion")
	[ "$intree" != "$ours" ] || die "modprobe $2 loaded the project's module"
	if insmod "$ko" 2>/tmp/twin.err; then
		die "insmod $ko succeeded while the in-tree $2 was loaded"
	fi
	say "$2: in-tree loaded, insmod ours refused: $(cat /tmp/twin.err)"
	[ "$(cat "/sys/module/$mod/srcversion")" = "$intree" ] ||
		die "the in-tree $2 was replaced"
	[ -d "$drv" ] || die "$drv vanished"
	rmmod "$mod" || die "rmmod in-tree $2"
	[ ! -d "$drv" ] || die "$drv left behind by the in-tree $2"

	# Ours loaded: the in-tree one must not load.
	insmod "$ko" || die "insmod $ko failed with no twin loaded"
	[ "$(cat "/sys/module/$mod/srcversion")" = "$ours" ] ||
		die "loaded $mod is not ours"
	if modprobe "$2" 2>/tmp/twin.err &&
		[ "$(cat "/sys/module/$mod/srcversion")" != "$ours" ]; then
		die "the in-tree $2 replaced ours"
	fi
	[ -d "$drv" ] || die "$drv vanished"
	rmmod "$mod" || die "rmmod our $2"
	[ ! -d "$drv" ] || die "$drv left behind by our $2"
	say "$2: ours loaded, the in-tree one stays out; both unload cleanly"
}

twin xen_blkback xen-blkback /sys/bus/xen-backend/drivers/vbd
twin xen_scsiback xen-scsiback /sys/bus/xen-backend/drivers/vscsi
