/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module parameters every xen-mpring module shares: the largest ring
 * (max_ring_page_order) and the ring-size scheme(s) used on xenstore
 * (schemes). One set of kernel_param_ops, so every module validates and
 * reports them with the same words.
 */
#ifndef XMP_RING_PARAMS_H
#define XMP_RING_PARAMS_H

#include <linux/moduleparam.h>

/* Ring order 0..XMP_RING_ORDER_LIMIT; anything else fails the load. */
extern const struct kernel_param_ops xmp_ring_order_param_ops;

/* "order", "pages" or "both" (XMP_SCHEME_*); read back as the name. */
extern const struct kernel_param_ops xmp_schemes_param_ops;

/*
 * Parse @val as an unsigned int in @min..@max into *kp->arg, or log
 * "invalid <name>=<val>: must be <min>..<max>" and return -EINVAL.
 */
int xmp_param_set_uint_range(const char *val, const struct kernel_param *kp,
			     unsigned int min, unsigned int max);

#endif /* XMP_RING_PARAMS_H */
