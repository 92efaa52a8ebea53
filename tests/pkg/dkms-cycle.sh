#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The DKMS package's whole life on this machine, for the Debian 6.1 kernel
# (KVER=..., default: the newest /usr/src/linux-headers-6.1.*-amd64):
#   1. dpkg-buildpackage builds xen-mpring-dkms_<version>_all.deb
#   2. installing it makes DKMS build and install the modules
#   3. modinfo -k <kver> names the project's modules (updates/dkms), whose
#      version string is the package's version
#   4. removing the package restores the in-tree drivers
# Needs root (it installs and removes a package). Ends with
# "pkg: N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

kver=${KVER:-$(find /usr/src -maxdepth 1 -name "linux-headers-6.1.*-amd64" | sort -V |
	tail -n1 | sed 's|.*/linux-headers-||')}
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

[ -n "$kver" ] || { bad "no Debian 6.1 headers under /usr/src"; finish; }
[ "$(id -u)" = 0 ] || { bad "must run as root (installs a package)"; finish; }
echo "dkms-cycle: package $version, kernel $kver"

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
# The package's postinst must have built for $kver by itself (DKMS builds
# for the running kernel and the newest installed one).
if dkms status -k "$kver" "xen-mpring/$version" 2>/dev/null | grep -q installed; then
	ok "postinst: DKMS built and installed for $kver"
else
	bad "postinst: no DKMS build for $kver (log: $work/install.log)"
fi

# modinfo names the DKMS modules, with the package's version ($1: how).
check_dkms_modules() {
	local m file ver
	for m in $modules; do
		file=$(modinfo -k "$kver" -F filename "$m" 2>/dev/null)
		ver=$(modinfo -k "$kver" -F version "$m" 2>/dev/null)
		if [[ $file == */updates/dkms/$m.ko* ]] && [ "$ver" = "$version" ]; then
			ok "$1: $m is $file, version $ver"
		else
			bad "$1: $m: modinfo says '$file' version '$ver', want updates/dkms and $version"
		fi
	done
}

# The in-tree drivers are back ($1: after what).
check_intree_modules() {
	local m file
	for m in $modules; do
		file=$(modinfo -k "$kver" -F filename "$m" 2>/dev/null)
		if [[ $file == */kernel/drivers/* ]]; then
			ok "$1: $m back to the in-tree driver"
		else
			bad "$1: $m: modinfo says '$file'"
		fi
	done
}

# 3. modinfo names the DKMS modules with the package's version.
check_dkms_modules "package"

# 4. Removal restores the in-tree drivers.
apt-get remove -y -qq xen-mpring-dkms > "$work/remove.log" 2>&1 ||
	bad "package removal (log: $work/remove.log)"
check_intree_modules "package removed"

# 5. The admin's path without a package: make dkms-install, then dkms
#    add / build / install for the 6.1 kernel, then dkms remove.
log=$work/dkms-manual.log
if make -C "$top" dkms-install > "$log" 2>&1 &&
	dkms add "xen-mpring/$version" >> "$log" 2>&1 &&
	dkms build -k "$kver" "xen-mpring/$version" >> "$log" 2>&1 &&
	dkms install -k "$kver" "xen-mpring/$version" >> "$log" 2>&1; then
	ok "make dkms-install; dkms add, build -k $kver, install"
else
	tail -n 20 "$log"
	bad "make dkms-install / dkms add, build, install (log: $log)"
fi
check_dkms_modules "dkms install"
dkms remove "xen-mpring/$version" --all >> "$log" 2>&1 ||
	bad "dkms remove (log: $log)"
rm -rf "/usr/src/xen-mpring-$version"
check_intree_modules "dkms remove"
finish
