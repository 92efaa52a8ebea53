/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small xenstore helpers shared by the drivers' control planes.
 */
#ifndef XMP_XB_UTIL_H
#define XMP_XB_UTIL_H

#include <xen/xenbus.h>

/*
 * Read @dir/@node. Returns a kmalloc'd NUL-terminated string the caller
 * kfree()s, NULL when the node does not exist, or an ERR_PTR() for any
 * other failure. Suits the protocol core's "NULL = absent" convention.
 */
char *xmp_xb_read_opt(struct xenbus_transaction t, const char *dir,
		      const char *node);

#endif /* XMP_XB_UTIL_H */
