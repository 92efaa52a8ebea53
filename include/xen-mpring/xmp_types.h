/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Portability shim for the protocol core (proto/).
 *
 * The protocol core is plain C: it is compiled into the kernel modules and
 * into the userspace unit tests and fuzzers from the same source. This is
 * the only place that knows which of the two it is built for.
 */
#ifndef XMP_TYPES_H
#define XMP_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#endif

#endif /* XMP_TYPES_H */
