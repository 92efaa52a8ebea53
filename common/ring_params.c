// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters shared by the xen-mpring modules: see ring_params.h.
 * A bad value names the parameter and the allowed values and fails the
 * module load; it never reaches the protocol core.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include <xen-mpring/ring_negotiate.h>

#include "ring_params.h"

int xmp_param_set_uint_range(const char *val, const struct kernel_param *kp,
			     unsigned int min, unsigned int max)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < min || v > max) {
		pr_err("invalid %s=%s: must be %u..%u\n", kp->name, val, min,
		       max);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int xmp_set_ring_order(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 0, XMP_RING_ORDER_LIMIT);
}

const struct kernel_param_ops xmp_ring_order_param_ops = {
	.set = xmp_set_ring_order,
	.get = param_get_uint,
};

static int xmp_set_schemes(const char *val, const struct kernel_param *kp)
{
	unsigned int s;

	if (xmp_parse_scheme(val, &s)) {
		pr_err("invalid %s=%s: must be order, pages or both\n",
		       kp->name, val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = s;
	return 0;
}

static int xmp_get_schemes(char *buf, const struct kernel_param *kp)
{
	const char *name = xmp_scheme_name(*(unsigned int *)kp->arg);

	return sysfs_emit(buf, "%s\n", name ? name : "invalid");
}

const struct kernel_param_ops xmp_schemes_param_ops = {
	.set = xmp_set_schemes,
	.get = xmp_get_schemes,
};
