// SPDX-License-Identifier: GPL-2.0-only
/* blkback/xenbus.c, built into xen-blkback-ab (see Kbuild). */
#include "../../blkback/xenbus.c"
