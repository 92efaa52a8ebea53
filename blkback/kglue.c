// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel glue shared with the other modules (../common), compiled into
 * xen-blkback: xenstore helpers and the backend ring map helper.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../common/xb_util.c"
#include "../common/ring_params.c"
#include "../common/ring_map.c"
