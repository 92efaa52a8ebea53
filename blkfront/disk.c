// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront disk glue: virtual-device numbers to xvd names and minors
 * (as the in-tree driver does, so /dev/xvda is what it always was), the
 * gendisk and its blk-mq tag set, and the queue limits.
 */
#include "common.h"

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/cdrom.h>
#include <linux/hdreg.h>
#include <linux/slab.h>
#include <xen/xen.h>

/* virtual-device encoding (Xen's docs/misc/vbd-interface.txt). */
#define VDEV_EXT_SHIFT		28
#define VDEV_EXTENDED		BIT(VDEV_EXT_SHIFT)
#define VDEV_MAJOR(v)		(((v) >> 8) & 0xfffU)
#define VDEV_MINOR(v)		((v) & 0xffU)
#define VDEV_MINOR_EXT(v)	((v) & ~VDEV_EXTENDED)
#define PARTS_PER_DISK		16U
#define PARTS_PER_EXT_DISK	256U

#define XEN_IDE0_MAJOR		3
#define XEN_IDE1_MAJOR		22
#define XEN_SCSI_DISK0_MAJOR	8
#define XEN_SCSI_DISK1_MAJOR	65
#define XEN_SCSI_DISK7_MAJOR	71
#define XEN_SCSI_DISK8_MAJOR	128
#define XEN_SCSI_DISK15_MAJOR	135

static DEFINE_SPINLOCK(blkfront_minor_lock);
static unsigned long *blkfront_minors;
static unsigned int blkfront_nr_minors;

/*
 * Map @vdevice to its first minor under XENVBD_MAJOR, the disk index
 * (xvda = 0) and the minors per disk, like the in-tree driver: IDE and
 * SCSI numbers land on the xvd minors of the same disk position.
 */
static int blkfront_translate(u32 vdevice, unsigned int *minor,
			      unsigned int *index, unsigned int *parts)
{
	unsigned int major = VDEV_MAJOR(vdevice), m = VDEV_MINOR(vdevice);

	if (vdevice & VDEV_EXTENDED) {
		if (vdevice >> (VDEV_EXT_SHIFT + 1))
			return -ENODEV;	/* above the extended range */
		*minor = VDEV_MINOR_EXT(vdevice);
		*parts = PARTS_PER_EXT_DISK;
		*index = *minor / PARTS_PER_EXT_DISK;
		return 0;
	}
	if (vdevice >> 16)
		return -ENODEV;
	*parts = PARTS_PER_DISK;
	if (major == XENVBD_MAJOR)
		*minor = m;
	else if (major == XEN_IDE0_MAJOR)
		*minor = (m / 64) * PARTS_PER_DISK;
	else if (major == XEN_IDE1_MAJOR)
		*minor = (m / 64 + 2) * PARTS_PER_DISK;
	else if (major == XEN_SCSI_DISK0_MAJOR)
		*minor = m;
	else if (major >= XEN_SCSI_DISK1_MAJOR && major <= XEN_SCSI_DISK7_MAJOR)
		*minor = m + (major - XEN_SCSI_DISK1_MAJOR + 1) * 16 *
			 PARTS_PER_DISK;
	else if (major >= XEN_SCSI_DISK8_MAJOR &&
		 major <= XEN_SCSI_DISK15_MAJOR)
		*minor = m + (major - XEN_SCSI_DISK8_MAJOR + 8) * 16 *
			 PARTS_PER_DISK;
	else
		return -ENODEV;
	*index = *minor / PARTS_PER_DISK;
	return 0;
}

int blkfront_check_vdevice(struct blkfront_info *info)
{
	unsigned int minor, index, parts;

	if (blkfront_translate(info->vdevice, &minor, &index, &parts) ||
	    minor >> MINORBITS) {
		dev_err(&info->xbdev->dev,
			"virtual-device %#x is not an xvd, hd or sd device number; use an xvd name\n",
			info->vdevice);
		return -ENODEV;
	}
	info->first_minor = minor;
	info->nr_minors = minor % parts ? 1 : parts;
	return 0;
}

static int blkfront_reserve_minors(unsigned int minor, unsigned int nr)
{
	unsigned int end = minor + nr;
	int rc = 0;

	if (end > blkfront_nr_minors) {
		unsigned int n = ALIGN(end, BITS_PER_LONG);
		unsigned long *bm = kcalloc(BITS_TO_LONGS(n), sizeof(*bm),
					    GFP_KERNEL);
		unsigned long *old = NULL;

		if (!bm)
			return -ENOMEM;
		spin_lock(&blkfront_minor_lock);
		if (end > blkfront_nr_minors) {
			old = blkfront_minors;
			if (old)
				bitmap_copy(bm, old, blkfront_nr_minors);
			blkfront_minors = bm;
			blkfront_nr_minors = n;
		} else {
			old = bm;
		}
		spin_unlock(&blkfront_minor_lock);
		kfree(old);
	}

	spin_lock(&blkfront_minor_lock);
	if (find_next_bit(blkfront_minors, end, minor) >= end)
		bitmap_set(blkfront_minors, minor, nr);
	else
		rc = -EBUSY;
	spin_unlock(&blkfront_minor_lock);
	return rc;
}

static void blkfront_release_minors(unsigned int minor, unsigned int nr)
{
	spin_lock(&blkfront_minor_lock);
	if (!WARN_ON(minor + nr > blkfront_nr_minors))
		bitmap_clear(blkfront_minors, minor, nr);
	spin_unlock(&blkfront_minor_lock);
}

void blkfront_minors_exit(void)
{
	kfree(blkfront_minors);
	blkfront_minors = NULL;
	blkfront_nr_minors = 0;
}

/* xvda .. xvdz, xvdaa .. xvdzz, xvdaaa ... */
static void blkfront_disk_name(char *buf, size_t len, unsigned int index,
			       unsigned int partition)
{
	char letters[8];
	int n = 0, i;
	size_t pos;

	do {
		letters[n++] = 'a' + index % 26;
		index = index / 26;
	} while (index-- > 0 && n < (int)sizeof(letters));

	pos = scnprintf(buf, len, "%s", BLKFRONT_DEV_NAME);
	for (i = n - 1; i >= 0 && pos + 1 < len; i--)
		buf[pos++] = letters[i];
	buf[pos] = '\0';
	if (partition)
		scnprintf(buf + pos, len - pos, "%u", partition);
}

void blkfront_disk_set_flush(struct blkfront_info *info)
{
	struct xmp_qlim l;

	xmp_qlim_start(&l, info->gd->queue);
	xmp_qlim_write_cache(&l, info->feature_flush, false);
	if (xmp_qlim_commit(&l))
		dev_warn(&info->xbdev->dev, "%s: cache setting refused\n",
			 info->gd->disk_name);
}

int blkfront_disk_set_limits(struct blkfront_info *info)
{
	struct xmp_qlim l;
	int err;

	xmp_qlim_start(&l, info->gd->queue);
	xmp_qlim_virt(&l);
	xmp_qlim_block_size(&l, info->sector_size, info->physical_sector_size);
	xmp_qlim_max_hw_sectors(&l, info->segs * XMP_SECTORS_PER_PAGE);
	/* Each segment is one 4 KiB page, or part of one (blkif.h). */
	xmp_qlim_segments(&l, info->segs, PAGE_SIZE, PAGE_SIZE - 1);
	/* first_sect/last_sect count 512-byte sectors. */
	xmp_qlim_dma_alignment(&l, SECTOR_SIZE - 1);

	if (info->feature_discard) {
		xmp_qlim_discard(&l, UINT_MAX >> SECTOR_SHIFT,
				 info->discard_granularity ?:
				 info->physical_sector_size,
				 info->discard_alignment);
		xmp_qlim_secure_erase(&l, info->feature_secdiscard ?
				      UINT_MAX >> SECTOR_SHIFT : 0);
	} else {
		xmp_qlim_discard(&l, 0, 0, 0);
		xmp_qlim_secure_erase(&l, 0);
	}
	xmp_qlim_write_cache(&l, info->feature_flush, false);
	err = xmp_qlim_commit(&l);
	if (err)
		dev_err(&info->xbdev->dev, "%s: queue limits refused: %d\n",
			info->gd->disk_name, err);
	return err;
}

static int blkfront_getgeo(struct block_device *bd, struct hd_geometry *hg)
{
	/* No real geometry: values consistent with the size (in-tree). */
	sector_t nsect = get_capacity(bd->bd_disk);
	sector_t cylinders = nsect;

	hg->heads = 0xff;
	hg->sectors = 0x3f;
	sector_div(cylinders, hg->heads * hg->sectors);
	hg->cylinders = cylinders;
	if ((sector_t)(hg->cylinders + 1) * hg->heads * hg->sectors < nsect)
		hg->cylinders = 0xffff;
	return 0;
}

/* The two CD-ROM ioctls the in-tree driver answers (VDISK_CDROM). */
static int blkfront_ioctl(struct block_device *bdev, xmp_blk_mode_t mode,
			  unsigned int command, unsigned long argument)
{
	struct blkfront_info *info = bdev->bd_disk->private_data;
	struct cdrom_multisession ms = {};

	switch (command) {
	case CDROMMULTISESSION:
		if (copy_to_user((void __user *)argument, &ms, sizeof(ms)))
			return -EFAULT;
		return 0;
	case CDROM_GET_CAPABILITY:
		return info->vdisk_info & VDISK_CDROM ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

const struct block_device_operations blkfront_fops = {
	.owner = THIS_MODULE,
	.getgeo = blkfront_getgeo,
	.ioctl = blkfront_ioctl,
	.compat_ioctl = blkdev_compat_ptr_ioctl,
};

/* The gendisk and tag set, at the first connection. Not yet added. */
int blkfront_disk_alloc(struct blkfront_info *info)
{
	unsigned int minor = info->first_minor, index, parts;
	struct blk_mq_tag_set *set = &info->tag_set;
	struct gendisk *gd;
	int err;

	err = blkfront_translate(info->vdevice, &minor, &index, &parts);
	if (err)
		return err;
	err = blkfront_reserve_minors(info->first_minor, info->nr_minors);
	if (err) {
		dev_err(&info->xbdev->dev,
			"minors %u..%u of major %d already in use\n",
			info->first_minor,
			info->first_minor + info->nr_minors - 1, XENVBD_MAJOR);
		return err;
	}
	info->minors_held = true;

	memset(set, 0, sizeof(*set));
	set->ops = &blkfront_mq_ops;
	set->nr_hw_queues = info->nr_rings;
	set->queue_depth = min_t(unsigned int, info->rings[0].size,
				 BLK_MQ_MAX_DEPTH);
	set->numa_node = NUMA_NO_NODE;
	/*
	 * No I/O scheduler by default, as for loop: the backend's disk has
	 * its own, and one here costs each request a pass through the
	 * scheduler and, for a request submitted without a plug (as an
	 * io_submit() of one read is), a dispatch from kblockd instead of
	 * from the submitting task: a context switch per I/O. An admin can
	 * still choose one in /sys/block/xvd?/queue/scheduler.
	 */
	set->flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_NO_SCHED_BY_DEFAULT;
	set->cmd_size = blkfront_pdu_size(info->segs_max);
	set->driver_data = info;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		goto out_minors;
	info->tag_set_ready = true;

	gd = xmp_blk_mq_alloc_disk(set, info);
	if (IS_ERR(gd)) {
		err = PTR_ERR(gd);
		goto out_set;
	}
	blkfront_disk_name(gd->disk_name, DISK_NAME_LEN, index,
			   info->nr_minors > 1 ? 0 : minor % parts);
	gd->major = XENVBD_MAJOR;
	gd->first_minor = info->first_minor;
	gd->minors = info->nr_minors;
	gd->fops = &blkfront_fops;
	gd->private_data = info;
	if (info->vdisk_info & VDISK_REMOVABLE)
		gd->flags |= GENHD_FL_REMOVABLE;
	set_capacity(gd, info->sectors);
	info->gd = gd;
	err = blkfront_disk_set_limits(info);
	if (err)
		goto out_disk;
	set_disk_ro(gd, !!(info->vdisk_info & VDISK_READONLY));
	return 0;

out_disk:
	info->gd = NULL;
	put_disk(gd);
out_set:
	blk_mq_free_tag_set(set);
	info->tag_set_ready = false;
out_minors:
	blkfront_release_minors(info->first_minor, info->nr_minors);
	info->minors_held = false;
	return err;
}

/* After del_gendisk() (or when it was never added). */
void blkfront_disk_free(struct blkfront_info *info)
{
	if (info->gd) {
		put_disk(info->gd);
		info->gd = NULL;
	}
	if (info->tag_set_ready) {
		blk_mq_free_tag_set(&info->tag_set);
		info->tag_set_ready = false;
	}
	if (info->minors_held) {
		blkfront_release_minors(info->first_minor, info->nr_minors);
		info->minors_held = false;
	}
}
