// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small xenstore helpers shared by the drivers' control planes.
 */
#include <linux/err.h>
#include <linux/slab.h>

#include "xb_util.h"

char *xmp_xb_read_opt(struct xenbus_transaction t, const char *dir,
		      const char *node)
{
	char *val = xenbus_read(t, dir, node, NULL);

	if (IS_ERR(val) && PTR_ERR(val) == -ENOENT)
		return NULL;
	return val;
}
