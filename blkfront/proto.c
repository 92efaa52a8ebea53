// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The protocol core (plain C, ../proto) compiled into xen-blkfront: ring
 * negotiation, response validation and the XenBus state table have one
 * copy in the tree, shared with the other modules and the unit tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../proto/ring_negotiate.c"
#include "../proto/blkif_check.c"
#include "../proto/xenbus_fsm.c"
