// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel glue shared with the modules (../../../common), compiled into
 * xen-evilfront: xenstore helper and the frontend ring grant helper.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../../../common/xb_util.c"
#include "../../../common/ring_grant.c"
