#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Copy the module sources to /usr/src/xen-mpring-<version> for DKMS:
# afterwards `dkms add xen-mpring/<version>`, `dkms build -k <kver>` and
# `dkms install -k <kver>` (pass the kernel version: the running kernel is
# not necessarily the one to build for).
set -eu
version=${1:?usage: dkms-install.sh VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
dest=/usr/src/xen-mpring-$version

rm -rf "$dest"
mkdir -p "$dest"
cd "$top"
# Only what the module build needs: no tests, rig or cache.
for f in Makefile Kbuild dkms.conf include proto common blkback blkfront vscsi; do
	cp -a --parents "$f" "$dest"/
done
find "$dest" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod' \
	-o -name '*.mod.c' -o -name modules.order -o -name Module.symvers \) -delete
echo "dkms-install: sources in $dest; now: dkms add xen-mpring/$version && dkms build -k <kver> xen-mpring/$version && dkms install -k <kver> xen-mpring/$version"
