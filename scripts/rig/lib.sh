# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Common settings and helpers of the Xen test rig (sourced by build.sh,
# run.sh and demo.sh; never run directly).
#
# The rig boots Xen 4.17 under QEMU TCG with a Debian 12 PV dom0 (kernel
# 6.1, or 6.12) from an initramfs, and PV domUs from a second, small
# initramfs. Everything comes from Debian's packages on this machine; what
# we build is cached in $RIG_CACHE (.cache/rig/ at the top of the tree for
# 6.1, .cache/rig-6.12/ for 6.12; ignored by git).
#
# Overridable from the environment:
#   RIG_KERNEL    Debian 12 kernel series to boot: 6.1 (default) or 6.12;
#                 taken from KVER when that is given
#   KVER          Debian kernel release to boot in dom0 and the domUs
#                 (default: newest /lib/modules/$RIG_KERNEL.*-amd64 with
#                 its vmlinuz)
#   RIG_CACHE     cache directory (default: <top>/.cache/rig for 6.1,
#                 <top>/.cache/rig-<series> for another series)
#   RIG_QEMU_CPU  QEMU CPU model (default: Westmere; see run.sh for why)
#   RIG_QEMU_MEM  QEMU memory in MiB (default: 4096)
#   RIG_NO_APT=1  never call apt-get (fail instead when something is missing)
#   RIG_LOCK      machine-wide lock of rig runs (run.sh; default
#                 /tmp/xen-mpring-rig.lock), RIG_NO_LOCK=1 to skip it

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$RIG_DIR/../.." && pwd)
# The kernel series, and a cache of images for each (switching kernels
# must not rebuild the other's images).
if [ -n "${KVER:-}" ]; then
	RIG_KERNEL=$(echo "$KVER" | cut -d. -f1,2)
fi
RIG_KERNEL=${RIG_KERNEL:-6.1}
if [ "$RIG_KERNEL" = 6.1 ]; then
	RIG_CACHE=${RIG_CACHE:-$TOP/.cache/rig}
else
	RIG_CACHE=${RIG_CACHE:-$TOP/.cache/rig-$RIG_KERNEL}
fi
# shellcheck disable=SC2034 # used by the scripts that source this file
E2E_DIR=$TOP/tests/e2e
XEN_VER=4.17
XEN_LIBEXEC=/usr/lib/xen-$XEN_VER/bin

# Never `uname -r`: the build host runs some other kernel than the one
# the rig boots.
export LC_ALL=C

log() { printf 'rig: %s\n' "$*" >&2; }
die() { printf 'rig: error: %s\n' "$*" >&2; exit 1; }

# The Debian packages the rig is made of, and a file each one installs so
# that we can tell cheaply whether it is there.
rig_pkg_probes() {
	cat <<-EOF
	qemu-system-x86 /usr/bin/qemu-system-x86_64
	qemu-system-xen /usr/libexec/xen-qemu-system-i386
	xen-hypervisor-$XEN_VER-amd64 /boot/xen-$XEN_VER-amd64.gz
	xen-utils-$XEN_VER $XEN_LIBEXEC/xl
	xenstore-utils /usr/bin/xenstore-read
	busybox-static /bin/busybox
	fio /usr/bin/fio
	cpio /usr/bin/cpio
	bash /bin/bash
	util-linux /usr/bin/flock
	mount /sbin/losetup
	coreutils /usr/bin/stat
	kmod /sbin/depmod
	gzip /bin/gzip
	xz-utils /usr/bin/xz
	zstd /usr/bin/zstd
	binutils /usr/bin/objdump
	gcc /usr/bin/gcc
	libc6-dev /usr/include/stdio.h
	EOF
}

_rig_apt_updated=
rig_apt_install() {
	[ "$#" -gt 0 ] || return 0
	[ "${RIG_NO_APT:-}" != 1 ] || die "missing packages: $* (RIG_NO_APT=1)"
	[ "$(id -u)" = 0 ] || die "missing packages: $* (run as root to install them)"
	if [ -z "$_rig_apt_updated" ]; then
		log "apt-get update"
		apt-get update -qq >&2 || die "apt-get update failed"
		_rig_apt_updated=1
	fi
	log "installing: $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "$@" >&2 || die "apt-get install $* failed"
}

# Install whatever of the rig's packages is missing (CI starts from a
# fresh machine), then pick the kernel.
rig_ensure_packages() {
	local pkg probe missing=()
	while read -r pkg probe; do
		[ -e "$probe" ] || missing+=("$pkg")
	done < <(rig_pkg_probes)
	rig_apt_install "${missing[@]}"
	rig_find_kernel
}

# KVER, VMLINUZ, MODDIR: the Debian kernel ($RIG_KERNEL series) booted as
# dom0 and domU.
rig_find_kernel() {
	local meta=linux-image-amd64
	[ "$RIG_KERNEL" = 6.1 ] || meta=linux-image-$RIG_KERNEL-amd64
	if [ -n "${KVER:-}" ]; then
		if [ ! -e "/boot/vmlinuz-$KVER" ] || [ ! -d "/lib/modules/$KVER/kernel" ]; then
			# The headers the modules are built against name this
			# release: boot exactly that kernel, or the project's
			# modules would not load (vermagic).
			rig_apt_install "linux-image-$KVER"
		fi
	else
		KVER=$(cd /lib/modules 2>/dev/null && for d in "$RIG_KERNEL".*-amd64; do
			[ -e "/boot/vmlinuz-$d" ] && [ -d "$d/kernel" ] && echo "$d"
		done | sort -V | tail -n1)
		if [ -z "$KVER" ]; then
			rig_apt_install "$meta"
			KVER=$(cd /lib/modules && for d in "$RIG_KERNEL".*-amd64; do
				[ -e "/boot/vmlinuz-$d" ] && echo "$d"
			done | sort -V | tail -n1)
		fi
	fi
	[ -n "$KVER" ] || die "no Debian $RIG_KERNEL kernel found under /boot and /lib/modules"
	VMLINUZ=/boot/vmlinuz-$KVER
	MODDIR=/lib/modules/$KVER
	if [ ! -e "$VMLINUZ" ] || [ ! -d "$MODDIR" ]; then
		die "kernel $KVER incomplete ($VMLINUZ, $MODDIR)"
	fi
	export KVER VMLINUZ MODDIR
}

# The project's modules, by the path the top-level Makefile builds them at
# (make: in the tree, for 6.1; make kernels: build/kernels/<kver>/, taken
# when the tree's are not for $KVER). Prints "name path" for each one that
# exists.
rig_proj_modules() {
	local f path
	for f in blkback/xen-blkback.ko blkfront/xen-blkfront.ko \
		vscsi/xen-scsifront.ko vscsi/xen-scsiback.ko \
		tests/e2e/evilfront/xen-evilfront.ko bench/abback/xen-blkback-ab.ko; do
		path=$TOP/$f
		if [ "$(rig_ko_release "$path")" != "$KVER" ] &&
			[ -f "$TOP/build/kernels/$KVER/$f" ]; then
			path=$TOP/build/kernels/$KVER/$f
		fi
		[ -f "$path" ] && echo "$(basename "$f" .ko) $path"
	done
	return 0
}

# The vermagic release of a .ko ("6.1.0-56-amd64"), empty if unreadable.
rig_ko_release() {
	modinfo -F vermagic "$1" 2>/dev/null | awk '{print $1}'
}

# ---------------------------------------------------------------------
# Initramfs staging helpers
# ---------------------------------------------------------------------

# Debian 12 is merged-/usr: /lib, /bin, /sbin and /lib64 are links into
# /usr. Build the same layout so that paths ldd prints work unchanged.
stage_skeleton() {
	local root=$1 d
	mkdir -p "$root"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64} \
		"$root"/{dev,proc,sys,run,tmp,etc,root,mnt,var}
	for d in bin sbin lib lib64; do
		ln -sfn "usr/$d" "$root/$d"
	done
	ln -sfn ../run "$root/var/run"
	ln -sfn ../run/lock "$root/var/lock"
	chmod 1777 "$root/tmp"
}

# Map a host path to its merged-/usr path ("/lib/x" -> "/usr/lib/x").
stage_path() {
	case $1 in
	/lib/* | /bin/* | /sbin/* | /lib64/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# stage_file ROOT SRC [DEST]: copy one file (dereferenced) into ROOT.
stage_file() {
	local root=$1 src=$2 dst=${3:-$2}
	dst=$(stage_path "$dst")
	mkdir -p "$root$(dirname "$dst")"
	cp -L --preserve=mode "$src" "$root$dst"
}

# stage_bin ROOT BIN...: copy executables with every shared library ldd
# names for them (ldd resolves the whole closure already).
stage_bin() {
	local root=$1 bin lib
	shift
	for bin in "$@"; do
		[ -e "$bin" ] || die "missing $bin"
		stage_file "$root" "$bin"
		while read -r lib; do
			[ -e "$root$(stage_path "$lib")" ] || stage_file "$root" "$lib"
		done < <(ldd "$bin" 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}')
	done
}

# stage_busybox ROOT: busybox-static with a link for each applet, without
# shadowing the real programs staged before or after (bash, GNU stat...).
stage_busybox() {
	local root=$1 applet
	stage_file "$root" /bin/busybox /usr/bin/busybox
	for applet in $(/bin/busybox --list); do
		case $applet in busybox | linuxrc) continue ;; esac
		[ -e "$root/usr/bin/$applet" ] || [ -e "$root/usr/sbin/$applet" ] ||
			ln -s busybox "$root/usr/bin/$applet"
	done
}

# stage_modules ROOT MODULE...: the in-tree modules and their dependencies
# (from modules.dep), with a fresh depmod so modprobe works in the guest.
stage_modules() {
	local root=$1 m path dep
	shift
	for m in "$@"; do
		# modprobe --show-depends prints "insmod /lib/modules/.../x.ko"
		# for each module it would load, the dependencies first.
		while read -r _ path _; do
			[ -n "$path" ] || continue
			dep=${path#"$MODDIR"/}
			mkdir -p "$root/usr/lib/modules/$KVER/$(dirname "$dep")"
			case $dep in
			*.ko.xz)
				# Debian's 6.12 ships modules xz-compressed: stage
				# them plain (busybox's insmod, faster under TCG).
				xz -dc "$path" >"$root/usr/lib/modules/$KVER/${dep%.xz}" ||
					die "xz -d $path failed" ;;
			*) cp "$path" "$root/usr/lib/modules/$KVER/$dep" ;;
			esac
		done < <(modprobe -S "$KVER" --show-depends --ignore-install "$m" |
			awk '$1 == "insmod" {print $1, $2, "x"}')
	done
	cp "$MODDIR"/modules.{order,builtin,builtin.modinfo} "$root/usr/lib/modules/$KVER/" 2>/dev/null || true
	depmod -b "$root/usr" "$KVER" || die "depmod failed"
}

# cpio_pack DIR OUT: an uncompressed newc archive (the guests unpack an
# uncompressed one faster under TCG than they could gunzip it, and xl
# would gunzip a compressed domU ramdisk in dom0's userspace first).
cpio_pack() {
	local dir=$1 out=$2
	(cd "$dir" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) >"$out.tmp" || die "cpio $dir failed"
	mv "$out.tmp" "$out"
}
