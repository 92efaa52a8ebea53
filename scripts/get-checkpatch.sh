#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Put checkpatch.pl (with its spelling and const-struct lists) in $1.
# Debian's linux-headers packages do not ship it; linux-source-6.1 does,
# so take it from there (installing the package when missing).
set -eu
dest=${1:?usage: get-checkpatch.sh DIR}
[ -x "$dest/checkpatch.pl" ] && exit 0

tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
	echo "get-checkpatch: installing linux-source-6.1 for scripts/checkpatch.pl" >&2
	apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends linux-source-6.1 >&2
	tarball=/usr/src/linux-source-6.1.tar.xz
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar xJf "$tarball" -C "$tmp" \
	linux-source-6.1/scripts/checkpatch.pl \
	linux-source-6.1/scripts/spelling.txt \
	linux-source-6.1/scripts/const_structs.checkpatch
mkdir -p "$dest"
cp "$tmp"/linux-source-6.1/scripts/* "$dest"/
chmod +x "$dest/checkpatch.pl"
