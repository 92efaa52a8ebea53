// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The protocol core (plain C, ../../../proto) compiled into xen-evilfront:
 * it negotiates its ring exactly like the project's frontends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "../../../proto/ring_negotiate.c"
