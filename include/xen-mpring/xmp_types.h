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
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The kernel's names, so the core reads as kernel code. */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT16_TYPE__ s16;

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#endif

#endif /* XMP_TYPES_H */
