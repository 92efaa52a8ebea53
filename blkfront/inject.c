// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront fault injection, for testing only: make the next
 * allocations of page pool pages fail, as they do when the guest is out
 * of memory, so that the rig can prove that a request finding no page is
 * put back and completes once a completion frees pages, never hangs
 * (blkfront.c, blkfront_page_get()). Nothing fails unless root arms it:
 *
 *   /sys/kernel/debug/xen-blkfront/fail_pool_alloc    (0600)
 *       N: fail the next N pool pages allocated while I/O runs;
 *   /sys/kernel/debug/xen-blkfront/pool_alloc_failed  (0400)
 *       how many allocations were failed so far.
 *
 * The pages each ring allocates at connect (one request's worth) are
 * never failed: they are what lets an idle ring make progress.
 */
#include "common.h"

#include <linux/atomic.h>
#include <linux/debugfs.h>

static atomic_t blkfront_inj_armed = ATOMIC_INIT(0);
static atomic_t blkfront_inj_failed = ATOMIC_INIT(0);
static struct dentry *blkfront_inj_dir;

bool blkfront_inject_alloc_fail(void)
{
	if (!atomic_add_unless(&blkfront_inj_armed, -1, 0))
		return false;
	atomic_inc(&blkfront_inj_failed);
	return true;
}

void blkfront_inject_init(void)
{
	blkfront_inj_dir = debugfs_create_dir("xen-blkfront", NULL);
	debugfs_create_atomic_t("fail_pool_alloc", 0600, blkfront_inj_dir,
				&blkfront_inj_armed);
	debugfs_create_atomic_t("pool_alloc_failed", 0400, blkfront_inj_dir,
				&blkfront_inj_failed);
}

void blkfront_inject_exit(void)
{
	debugfs_remove_recursive(blkfront_inj_dir);
}
