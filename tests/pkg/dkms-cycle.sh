#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The DKMS package's whole life on this machine, for every Debian 12 kernel
# whose headers are installed (KVER="<kver>...", default: each
# /usr/src/linux-headers-6.1.*-amd64 and -6.12.*-amd64; both series must be
# there, as Debian 12 ships both):
#   1. dpkg-buildpackage builds xen-mpring-dkms_<version>_all.deb
#   2. installing it makes DKMS build and install the modules, for each
#      kernel
#   3. modinfo -k <kver> names the project's modules (updates/dkms), whose
#      version string is the package's version, for each kernel
#   4. removing the package restores the in-tree drivers of each kernel
#   5. the same by hand: make dkms-install, dkms add, build and install
#      for each kernel, dkms remove
# Needs root (it installs and removes a package). Ends with
# "pkg: N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
modules="xen-blkfront xen-blkback xen-scsifront xen-scsiback"
work=$top/build/pkg
passed=0
failed=0

ok() { echo "PASS $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
finish() {
	echo "pkg: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# The releases of a series' installed headers (linux-headers-<kver>).
headers() {
	find /usr/src -maxdepth 1 -name "linux-headers-$1.*-amd64" | sort -V |
		sed 's|.*/linux-headers-||'
}

kvers=()
if [ -n "${KVER:-}" ]; then
	read -r -a kvers <<<"$KVER"
else
	for series in 6.1 6.12; do
		found=$(headers "$series")
		if [ -z "$found" ]; then
			bad "no Debian $series headers under /usr/src (linux-headers-$series.*-amd64)"
			continue
		fi
		while read -r k; do
			kvers+=("$k")
		done <<<"$found"
	done
fi
[ ${#kvers[@]} -gt 0 ] || finish
[ "$(id -u)" = 0 ] || { bad "must run as root (installs a package)"; finish; }
echo "dkms-cycle: package $version, kernels ${kvers[*]}"

# A leftover install from an earlier run would make every check pass.
if dpkg-query -W xen-mpring-dkms >/dev/null 2>&1; then
	apt-get remove -y -qq xen-mpring-dkms >/dev/null 2>&1
fi

# 1. Build the .deb from a copy of the tree (dpkg-buildpackage writes to ..).
rm -rf "$work"
mkdir -p "$work/src"
# Only the sources (tracked, or new and not ignored), never build output.
git -C "$top" ls-files -z -co --exclude-standard |
	tar -C "$top" --null -T - -cf - | tar -C "$work/src" -xf -
deb=$work/xen-mpring-dkms_${version}_all.deb
if (cd "$work/src" && dpkg-buildpackage -b -us -uc) > "$work/build.log" 2>&1 &&
	[ -f "$deb" ]; then
	ok "dpkg-buildpackage built $(basename "$deb")"
else
	tail -n 20 "$work/build.log"
	bad "dpkg-buildpackage (log: $work/build.log)"
	finish
fi

# 2. Install: DKMS builds for the installed headers.
if apt-get install -y -qq "$deb" > "$work/install.log" 2>&1; then
	ok "package installed"
else
	tail -n 30 "$work/install.log"
	bad "package install (log: $work/install.log)"
fi
# The package's postinst must have built for each kernel by itself (DKMS
# builds for the running kernel and the newest installed one; on a first
# install where the running kernel is not installed, a container's, for
# every kernel under /lib/modules).
for kver in "${kvers[@]}"; do
	if dkms status -k "$kver" "xen-mpring/$version" 2>/dev/null | grep -q installed; then
		ok "postinst: DKMS built and installed for $kver"
	else
		bad "postinst: no DKMS build for $kver (log: $work/install.log)"
	fi
done

# modinfo names the DKMS modules, with the package's version, for each
# kernel ($1: how).
check_dkms_modules() {
	local kver m file ver
	for kver in "${kvers[@]}"; do
		for m in $modules; do
			file=$(modinfo -k "$kver" -F filename "$m" 2>/dev/null)
			ver=$(modinfo -k "$kver" -F version "$m" 2>/dev/null)
			if [[ $file == */updates/dkms/$m.ko* ]] && [ "$ver" = "$version" ]; then
				ok "$1: $kver: $m is $file, version $ver"
			else
				bad "$1: $kver: $m: modinfo says '$file' version '$ver', want updates/dkms and $version"
			fi
		done
	done
}

# The in-tree drivers are back in each kernel ($1: after what).
check_intree_modules() {
	local kver m file
	for kver in "${kvers[@]}"; do
		for m in $modules; do
			file=$(modinfo -k "$kver" -F filename "$m" 2>/dev/null)
			if [[ $file == */kernel/drivers/* ]]; then
				ok "$1: $kver: $m back to the in-tree driver"
			else
				bad "$1: $kver: $m: modinfo says '$file'"
			fi
		done
	done
}

# 3. modinfo names the DKMS modules with the package's version.
check_dkms_modules "package"

# 4. Removal restores the in-tree drivers.
apt-get remove -y -qq xen-mpring-dkms > "$work/remove.log" 2>&1 ||
	bad "package removal (log: $work/remove.log)"
check_intree_modules "package removed"

# 5. The admin's path without a package: make dkms-install, then dkms
#    add, and build / install for each kernel, then dkms remove.
log=$work/dkms-manual.log
if make -C "$top" dkms-install > "$log" 2>&1 &&
	dkms add "xen-mpring/$version" >> "$log" 2>&1; then
	ok "make dkms-install; dkms add"
else
	tail -n 20 "$log"
	bad "make dkms-install / dkms add (log: $log)"
fi
for kver in "${kvers[@]}"; do
	if dkms build -k "$kver" "xen-mpring/$version" >> "$log" 2>&1 &&
		dkms install -k "$kver" "xen-mpring/$version" >> "$log" 2>&1; then
		ok "dkms build -k $kver, install"
	else
		tail -n 20 "$log"
		bad "dkms build / install -k $kver (log: $log)"
	fi
done
check_dkms_modules "dkms install"
dkms remove "xen-mpring/$version" --all >> "$log" 2>&1 ||
	bad "dkms remove (log: $log)"
rm -rf "/usr/src/xen-mpring-$version"
check_intree_modules "dkms remove"
finish
