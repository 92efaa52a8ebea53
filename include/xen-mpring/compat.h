/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the kernels this project builds for
 * (Debian 12: 6.1 and 6.12). Every #if on LINUX_VERSION_CODE lives here;
 * the drivers call the xmp_* wrappers below and never test versions.
 */
#ifndef XMP_COMPAT_H
#define XMP_COMPAT_H

#include <linux/version.h>

/* --- block device open/close (xen-blkback) ------------------------------ */
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/pagemap.h>

/*
 * Feature test rather than version test: 6.5 brought blk_mode_t and its
 * BLK_OPEN_* flags; 6.9 opening block devices as files. Only the 6.1 and
 * 6.9+ (6.12) flavours are supported.
 */
#ifndef BLK_OPEN_READ
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

#endif /* XMP_COMPAT_H */
