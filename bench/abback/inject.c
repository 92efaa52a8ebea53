// SPDX-License-Identifier: GPL-2.0-only
/* blkback/inject.c, built into xen-blkback-ab (see Kbuild). */
#include "../../blkback/inject.c"
