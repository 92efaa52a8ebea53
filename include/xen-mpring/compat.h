/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the kernels this project builds for
 * (Debian 12: 6.1 and 6.12). Every kernel-version #if lives here; the
 * drivers call the xmp_* wrappers below and never test versions.
 */
#ifndef XMP_COMPAT_H
#define XMP_COMPAT_H

#include <linux/blkdev.h>

/*
 * Feature tests, not version tests, wherever a macro marks the change.
 * Where none does, XMP_LINUX_6_11 stands for "6.11 or later": it came
 * with BLK_FEAT_WRITE_CACHE, and between 6.1 and 6.11 no kernel is
 * supported.
 */
#ifdef BLK_FEAT_WRITE_CACHE
#define XMP_LINUX_6_11 1
#endif

/* --- block device open/close (xen-blkback), ioctl mode -------------------- */
#include <linux/fs.h>
#include <linux/pagemap.h>

/*
 * Feature test rather than version test: 6.5 brought blk_mode_t and its
 * BLK_OPEN_* flags; 6.9 opening block devices as files. Only the 6.1 and
 * 6.9+ (6.12) flavours are supported.
 */
#ifndef BLK_OPEN_READ
/* The open mode block_device_operations.ioctl receives. */
#define xmp_blk_mode_t fmode_t

/* An open block device and what is needed to close it. */
struct xmp_bdev {
	struct block_device *bdev;
	fmode_t mode;
};

static inline int xmp_bdev_open(dev_t devt, bool write, struct xmp_bdev *b)
{
	b->mode = FMODE_READ | (write ? FMODE_WRITE : 0);
	b->bdev = blkdev_get_by_dev(devt, b->mode, NULL);
	if (IS_ERR(b->bdev)) {
		int err = PTR_ERR(b->bdev);

		b->bdev = NULL;
		return err;
	}
	return 0;
}

static inline void xmp_bdev_close(struct xmp_bdev *b)
{
	blkdev_put(b->bdev, b->mode);
	b->bdev = NULL;
}

/* Drop dom0's page cache of the device: the guest writes around it. */
static inline void xmp_bdev_invalidate(struct block_device *bdev)
{
	invalidate_inode_pages2(bdev->bd_inode->i_mapping);
}
#else
#define xmp_blk_mode_t blk_mode_t

struct xmp_bdev {
	struct block_device *bdev;
	struct file *file;
};

static inline int xmp_bdev_open(dev_t devt, bool write, struct xmp_bdev *b)
{
	b->file = bdev_file_open_by_dev(devt, BLK_OPEN_READ |
					(write ? BLK_OPEN_WRITE : 0),
					NULL, NULL);
	if (IS_ERR(b->file)) {
		int err = PTR_ERR(b->file);

		b->file = NULL;
		b->bdev = NULL;
		return err;
	}
	b->bdev = file_bdev(b->file);
	return 0;
}

static inline void xmp_bdev_close(struct xmp_bdev *b)
{
	fput(b->file);
	b->file = NULL;
	b->bdev = NULL;
}

static inline void xmp_bdev_invalidate(struct block_device *bdev)
{
	invalidate_inode_pages2(bdev->bd_mapping);
}
#endif

/* --- request queue limits (xen-blkfront) -------------------------------- */
#include <linux/blk-mq.h>

/*
 * 6.1 sets each limit on the live queue with a blk_queue_*() call; 6.11
 * replaced those with one atomic update of a struct queue_limits
 * (queue_limits_start_update() .. queue_limits_commit_update()), moved the
 * cache, FUA and rotational flags into its features, and gave
 * blk_mq_alloc_disk() a limits argument. The driver describes its limits
 * between xmp_qlim_start() and xmp_qlim_commit() (process context: 6.12
 * takes a mutex) with the setters below; xmp_queue_disable_*() are for the
 * completion path (any context).
 */
#ifdef XMP_LINUX_6_11
struct xmp_qlim {
	struct request_queue *q;
	struct queue_limits lim;
};

/* A disk with default limits: set them with xmp_qlim_*() before add. */
static inline struct gendisk *xmp_blk_mq_alloc_disk(struct blk_mq_tag_set *set,
						    void *queuedata)
{
	return blk_mq_alloc_disk(set, NULL, queuedata);
}

static inline void xmp_qlim_start(struct xmp_qlim *l, struct request_queue *q)
{
	l->q = q;
	l->lim = queue_limits_start_update(q);
}

/* Ends the update started by xmp_qlim_start(), even when it fails. */
static inline int xmp_qlim_commit(struct xmp_qlim *l)
{
	return queue_limits_commit_update(l->q, &l->lim);
}

/* A virtual device: no seek penalty (6.1's QUEUE_FLAG_VIRT). */
static inline void xmp_qlim_virt(struct xmp_qlim *l)
{
	l->lim.features &= ~BLK_FEAT_ROTATIONAL;
}

static inline void xmp_qlim_block_size(struct xmp_qlim *l,
				       unsigned int logical,
				       unsigned int physical)
{
	l->lim.logical_block_size = logical;
	l->lim.physical_block_size = physical;
}

static inline void xmp_qlim_max_hw_sectors(struct xmp_qlim *l,
					   unsigned int sectors)
{
	l->lim.max_hw_sectors = sectors;
}

static inline void xmp_qlim_segments(struct xmp_qlim *l,
				     unsigned short max_segments,
				     unsigned int max_segment_size,
				     unsigned long boundary_mask)
{
	l->lim.seg_boundary_mask = boundary_mask;
	l->lim.max_segment_size = max_segment_size;
	l->lim.max_segments = max_segments;
}

static inline void xmp_qlim_dma_alignment(struct xmp_qlim *l,
					  unsigned int mask)
{
	l->lim.dma_alignment = mask;
}

/* @sectors 0: no discard (granularity and alignment left alone). */
static inline void xmp_qlim_discard(struct xmp_qlim *l, unsigned int sectors,
				    unsigned int granularity,
				    unsigned int alignment)
{
	l->lim.max_hw_discard_sectors = sectors;
	if (!sectors)
		return;
	l->lim.discard_granularity = granularity;
	l->lim.discard_alignment = alignment;
}

static inline void xmp_qlim_secure_erase(struct xmp_qlim *l,
					 unsigned int sectors)
{
	l->lim.max_secure_erase_sectors = sectors;
}

static inline void xmp_qlim_write_cache(struct xmp_qlim *l, bool cache,
					bool fua)
{
	l->lim.features &= ~(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA);
	if (cache)
		l->lim.features |= BLK_FEAT_WRITE_CACHE;
	if (cache && fua)
		l->lim.features |= BLK_FEAT_FUA;
}

static inline void xmp_queue_disable_discard(struct request_queue *q)
{
	blk_queue_disable_discard(q);
	blk_queue_disable_secure_erase(q);
}

/*
 * No helper for this in 6.12: like blk_queue_disable_discard(), a plain
 * store the block layer sees at the next flush (racy with a concurrent
 * limits update, which the driver then makes with the cache off anyway).
 */
static inline void xmp_queue_disable_write_cache(struct request_queue *q)
{
	WRITE_ONCE(q->limits.features,
		   q->limits.features & ~(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA));
}
#else
struct xmp_qlim {
	struct request_queue *q;
};

static inline struct gendisk *xmp_blk_mq_alloc_disk(struct blk_mq_tag_set *set,
						    void *queuedata)
{
	return blk_mq_alloc_disk(set, queuedata);
}

static inline void xmp_qlim_start(struct xmp_qlim *l, struct request_queue *q)
{
	l->q = q;
}

static inline int xmp_qlim_commit(struct xmp_qlim *l)
{
	return 0;
}

static inline void xmp_qlim_virt(struct xmp_qlim *l)
{
	blk_queue_flag_set(QUEUE_FLAG_VIRT, l->q);
}

static inline void xmp_qlim_block_size(struct xmp_qlim *l,
				       unsigned int logical,
				       unsigned int physical)
{
	blk_queue_logical_block_size(l->q, logical);
	blk_queue_physical_block_size(l->q, physical);
}

static inline void xmp_qlim_max_hw_sectors(struct xmp_qlim *l,
					   unsigned int sectors)
{
	blk_queue_max_hw_sectors(l->q, sectors);
}

static inline void xmp_qlim_segments(struct xmp_qlim *l,
				     unsigned short max_segments,
				     unsigned int max_segment_size,
				     unsigned long boundary_mask)
{
	blk_queue_segment_boundary(l->q, boundary_mask);
	blk_queue_max_segment_size(l->q, max_segment_size);
	blk_queue_max_segments(l->q, max_segments);
}

static inline void xmp_qlim_dma_alignment(struct xmp_qlim *l,
					  unsigned int mask)
{
	blk_queue_dma_alignment(l->q, mask);
}

static inline void xmp_qlim_discard(struct xmp_qlim *l, unsigned int sectors,
				    unsigned int granularity,
				    unsigned int alignment)
{
	blk_queue_max_discard_sectors(l->q, sectors);
	if (!sectors)
		return;
	l->q->limits.discard_granularity = granularity;
	l->q->limits.discard_alignment = alignment;
}

static inline void xmp_qlim_secure_erase(struct xmp_qlim *l,
					 unsigned int sectors)
{
	blk_queue_max_secure_erase_sectors(l->q, sectors);
}

static inline void xmp_qlim_write_cache(struct xmp_qlim *l, bool cache,
					bool fua)
{
	blk_queue_write_cache(l->q, cache, fua);
}

static inline void xmp_queue_disable_discard(struct request_queue *q)
{
	blk_queue_max_discard_sectors(q, 0);
	blk_queue_max_secure_erase_sectors(q, 0);
}

static inline void xmp_queue_disable_write_cache(struct request_queue *q)
{
	blk_queue_write_cache(q, false, false);
}
#endif

/* --- target core fabric (xen-scsiback) ---------------------------------- */
/*
 * 6.10 lets a fabric choose whether target_submit() runs a command in the
 * caller's context or queues it to the target core's workqueue, and queues
 * unless told. 6.1 always runs it in the caller's context (the ring
 * thread), and so does the in-tree xen-scsiback of 6.12: ask for that.
 * Last in a struct target_core_fabric_ops initializer, without a comma.
 */
#ifdef XMP_LINUX_6_11
#define XMP_TCM_SUBMIT_DIRECT \
	.default_submit_type = TARGET_DIRECT_SUBMIT, .direct_submit_supp = 1
#else
#define XMP_TCM_SUBMIT_DIRECT
#endif

#endif /* XMP_COMPAT_H */
