// SPDX-License-Identifier: GPL-2.0-only
/* blkback/kglue.c, built into xen-blkback-ab (see Kbuild). */
#include "../../blkback/kglue.c"
