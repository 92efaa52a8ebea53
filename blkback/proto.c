// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The protocol core (plain C, ../proto) compiled into xen-blkback: ring
 * negotiation, request validation and the XenBus state table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../proto/ring_negotiate.c"
#include "../proto/blkif_check.c"
#include "../proto/xenbus_fsm.c"
