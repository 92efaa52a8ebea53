/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the kernels this project builds for
 * (Debian 12: 6.1 and 6.12). Every #if on LINUX_VERSION_CODE lives here;
 * the drivers call the xmp_* wrappers below and never test versions.
 */
#ifndef XMP_COMPAT_H
#define XMP_COMPAT_H

#include <linux/version.h>

#endif /* XMP_COMPAT_H */
