// SPDX-License-Identifier: GPL-2.0-only
/* blkback/proto.c, built into xen-blkback-ab (see Kbuild). */
#include "../../blkback/proto.c"
