// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The protocol core (plain C, ../proto) compiled into xen-scsiback: ring
 * negotiation, the XenBus state tables and the vscsi address parsing,
 * request/response checks and device states have one copy in the tree,
 * shared with the other modules and the unit tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../proto/ring_negotiate.c"
#include "../proto/xenbus_fsm.c"
#include "../proto/vscsi_addr.c"
#include "../proto/vscsi_check.c"
#include "../proto/vscsi_fsm.c"
