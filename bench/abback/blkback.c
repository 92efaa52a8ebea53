// SPDX-License-Identifier: GPL-2.0-only
/* blkback/blkback.c, built into xen-blkback-ab (see Kbuild). */
#include "../../blkback/blkback.c"
