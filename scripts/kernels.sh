#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the modules for every installed Debian 12 kernel (make kernels),
# or build them with sparse (C=2) and W=1 and fail on any warning (make
# check-kernels). Kbuild writes its objects next to the sources, so each
# kernel gets its own copy of them: build/kernels/<kver>/ (git-ignored),
# where <kver> is the release the headers are for (UTS_RELEASE, e.g.
# 6.12.111+deb12-amd64) and blkback/xen-blkback.ko etc. end up.
#
#   scripts/kernels.sh [--check] [KDIR...]
#
# Without KDIRs: every /usr/src/linux-headers-6.1.*-amd64 and
# /usr/src/linux-headers-6.12.*-amd64; both series must be there (Debian
# 12 ships both; scripts/install-deps.sh installs them). Prints
# "PASS|FAIL <kver> ..." per kernel and ends with "kernels: N passed,
# N failed"; exits non-zero if one failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

check=
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
passed=0
failed=0
ok() { echo "PASS $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

kdirs=("$@")
if [ ${#kdirs[@]} -eq 0 ]; then
	for series in 6.1 6.12; do
		found=$(find /usr/src -maxdepth 1 -name "linux-headers-$series.*-amd64" | sort -V)
		if [ -z "$found" ]; then
			bad "$series: no /usr/src/linux-headers-$series.*-amd64 (scripts/install-deps.sh installs them)"
			continue
		fi
		# shellcheck disable=SC2206 # one directory a word
		kdirs+=($found)
	done
fi
if [ "$check" ] && ! command -v sparse >/dev/null; then
	bad "sparse not installed (apt-get install sparse)"
	kdirs=()
fi

# The sources kbuild needs, relative to the top: Kbuild files, C sources
# and headers (not kbuild's generated *.mod.c).
sources() {
	echo Kbuild
	find include proto common blkback blkfront vscsi -type f \
		\( -name Kbuild -o -name '*.[ch]' \) ! -name '*.mod.c' | LC_ALL=C sort
}

# sync_tree OUT: make OUT's sources equal to the tree's, touching only the
# files that differ (kbuild then rebuilds only what changed).
sync_tree() {
	local out=$1 f
	mkdir -p "$out"
	while read -r f; do
		if ! cmp -s "$f" "$out/$f"; then
			mkdir -p "$out/$(dirname "$f")"
			cp "$f" "$out/$f"
		fi
	done < <(sources)
	# Sources deleted from the tree go from the copy too.
	(cd "$out" && find include proto common blkback blkfront vscsi -type f \
		\( -name Kbuild -o -name '*.[ch]' \) ! -name '*.mod.c' 2>/dev/null) |
		while read -r f; do
			[ -e "$f" ] || rm -f "$out/$f"
		done
}

for kdir in "${kdirs[@]}"; do
	kdir=${kdir%/}
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
		"$kdir/include/generated/utsrelease.h" 2>/dev/null)
	if [ -z "$kver" ] || [ ! -f "$kdir/Makefile" ]; then
		bad "$kdir: not a kernel headers directory"
		continue
	fi
	out=$top/build/kernels/$kver
	log=$top/build/kernels/$kver.log
	sync_tree "$out"
	echo "=== $kver: $kdir -> build/kernels/$kver${check:+ (C=2 W=1)}"
	if [ "$check" ]; then
		make -C "$kdir" M="$out" XMP_VERSION="$version" clean >/dev/null 2>&1
		make -C "$kdir" M="$out" XMP_VERSION="$version" C=2 W=1 modules >"$log" 2>&1
	else
		make -C "$kdir" M="$out" XMP_VERSION="$version" modules >"$log" 2>&1
	fi
	rc=$?
	sed "s|$out/||g" "$log"
	nko=$(find "$out" -name '*.ko' | wc -l)
	if [ "$rc" -ne 0 ]; then
		bad "$kver: build failed (exit $rc, log build/kernels/$kver.log)"
	elif grep -qE 'warning:|error:' "$log"; then
		bad "$kver: $(grep -cE 'warning:|error:' "$log") warning(s) (log build/kernels/$kver.log)"
	elif [ "$nko" -ne 4 ]; then
		bad "$kver: $nko modules built, want 4"
	else
		ok "$kver: 4 modules in build/kernels/$kver${check:+, no warning from sparse or W=1}"
	fi
done
echo "kernels: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
