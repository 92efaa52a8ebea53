#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what building and testing needs on a Debian 12 machine.
# Idempotent: only missing packages are installed. Needs root.
set -eu

# Both kernels Debian 12 ships: 6.1 (linux-*-amd64) and 6.12 (the
# linux-*-6.12-amd64 metapackages, which follow the newest 6.12 ABI).
pkgs="make gcc clang libclang-rt-14-dev libcmocka-dev sparse perl
	linux-headers-amd64 linux-image-amd64 linux-source-6.1
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	xen-hypervisor-4.17-amd64 xen-utils-4.17 qemu-system-x86 qemu-system-xen
	busybox-static fio cpio kmod zstd xz-utils shellcheck gnuplot-nox
	dkms dh-dkms debhelper dpkg-dev fakeroot"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
# No service may start inside a build container or CI job.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
fi
apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
