// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * blkif request validation (backend) and response validation (frontend).
 * API and rules: include/xen-mpring/blkif_check.h; wire format: Xen's
 * public io/blkif.h.
 */
#include <xen-mpring/blkif_check.h>

/* Sectors per logical block; a bad or unset sector size counts as 512. */
static u32 xmp_lb_sectors(u32 sector_size)
{
	u32 spb = sector_size >> XMP_SECTOR_SHIFT;

	if (sector_size % 512 || spb < 1 || spb > XMP_SECTORS_PER_PAGE ||
	    (spb & (spb - 1)))
		return 1;
	return spb;
}

static u32 xmp_max_indirect(const struct xmp_blkdev_caps *caps)
{
	u32 limit = XMP_BLKIF_MAX_INDIRECT_PAGES *
			 XMP_BLKIF_SEGS_PER_INDIRECT_PAGE;

	if (caps->max_indirect_segs < limit)
		return caps->max_indirect_segs;
	return limit;
}

static int xmp_check_rw(const struct xmp_blkreq *req,
			const struct xmp_blkdev_caps *caps, u8 op,
			u32 min_segs, u32 max_segs, const char **why)
{
	if (req->nr_segments < min_segs) {
		*why = "request without segments";
		return -EINVAL;
	}
	if (req->nr_segments > max_segs) {
		*why = "too many segments";
		return -EINVAL;
	}
	if (op != XMP_BLKIF_OP_READ && caps->readonly && req->nr_segments) {
		*why = "write to a read-only device";
		return -EINVAL;
	}
	/*
	 * A flush or barrier without segments moves no data: its
	 * sector_number ("start sector idx on disk (r/w only)", io/blkif.h)
	 * means nothing and is not checked (Linux blkfront sends the block
	 * layer's (u64)-1 for an empty flush). Only min_segs 0 gets here.
	 */
	if (!req->nr_segments)
		return 0;
	if (req->sector_number & (xmp_lb_sectors(caps->sector_size) - 1)) {
		*why = "start sector not aligned to the logical block size";
		return -EINVAL;
	}
	return 0;
}

int xmp_blkreq_check(const struct xmp_blkreq *req,
		     const struct xmp_blkdev_caps *caps, const char **why)
{
	u32 spb;

	switch (req->operation) {
	case XMP_BLKIF_OP_READ:
	case XMP_BLKIF_OP_WRITE:
		return xmp_check_rw(req, caps, req->operation, 1,
				    XMP_BLKIF_MAX_SEGS, why);
	case XMP_BLKIF_OP_WRITE_BARRIER:
		if (!caps->barrier) {
			*why = "barrier not supported";
			return -EOPNOTSUPP;
		}
		/* A barrier may carry data or none (io/blkif.h). */
		return xmp_check_rw(req, caps, req->operation, 0,
				    XMP_BLKIF_MAX_SEGS, why);
	case XMP_BLKIF_OP_FLUSH_DISKCACHE:
		if (!caps->flush) {
			*why = "cache flush not supported";
			return -EOPNOTSUPP;
		}
		return xmp_check_rw(req, caps, req->operation, 0,
				    XMP_BLKIF_MAX_SEGS, why);
	case XMP_BLKIF_OP_INDIRECT:
		if (!caps->max_indirect_segs) {
			*why = "indirect request without feature-max-indirect-segments";
			return -EINVAL;
		}
		if (req->indirect_op != XMP_BLKIF_OP_READ &&
		    req->indirect_op != XMP_BLKIF_OP_WRITE) {
			*why = "indirect request for an operation other than read or write";
			return -EINVAL;
		}
		return xmp_check_rw(req, caps, req->indirect_op, 1,
				    xmp_max_indirect(caps), why);
	case XMP_BLKIF_OP_DISCARD:
		if (!caps->discard) {
			*why = "discard not supported";
			return -EOPNOTSUPP;
		}
		/*
		 * io/blkif.h: BLKIF_DISCARD_SECURE is "ignored if
		 * discard-secure=0", so it is no reason to refuse: the glue
		 * erases securely only if the flag is set and caps say so.
		 * Other flag bits have no meaning and are ignored likewise.
		 */
		if (caps->readonly) {
			*why = "discard on a read-only device";
			return -EINVAL;
		}
		if (!req->nr_sectors) {
			*why = "discard of zero sectors";
			return -EINVAL;
		}
		spb = xmp_lb_sectors(caps->sector_size);
		if ((req->sector_number | req->nr_sectors) & (spb - 1)) {
			*why = "discard not aligned to the logical block size";
			return -EINVAL;
		}
		return xmp_blkreq_check_range(req->sector_number,
					      req->nr_sectors,
					      caps->nr_sectors, why);
	default:
		/* Reserved and unknown operations: BLKIF_RSP_EOPNOTSUPP. */
		*why = "unknown operation";
		return -EOPNOTSUPP;
	}
}

unsigned int xmp_blkreq_indirect_pages(unsigned int nr_segments)
{
	/* Rounded up without nr_segments + 511, which wraps near UINT_MAX. */
	return nr_segments / XMP_BLKIF_SEGS_PER_INDIRECT_PAGE +
	       !!(nr_segments % XMP_BLKIF_SEGS_PER_INDIRECT_PAGE);
}

int xmp_blkseg_check(u8 first_sect, u8 last_sect,
		     u32 sector_size, u64 *total, const char **why)
{
	u32 nsec;

	/* A segment lives in one 4 KiB page: sectors 0..7. */
	if (last_sect >= XMP_SECTORS_PER_PAGE || first_sect > last_sect) {
		*why = "segment sectors outside their page";
		return -EINVAL;
	}
	nsec = (u32)last_sect - first_sect + 1;
	if (nsec & (xmp_lb_sectors(sector_size) - 1)) {
		*why = "segment length not a multiple of the logical block size";
		return -EINVAL;
	}
	*total += nsec;
	return 0;
}

int xmp_blkreq_check_range(u64 sector, u64 total,
			   u64 dev_sectors, const char **why)
{
	/*
	 * An empty range moves no data (a flush or barrier without segments,
	 * whose sector_number io/blkif.h defines for "r/w only"): nothing
	 * to check. sector + total may wrap: compare without adding.
	 */
	if (!total)
		return 0;
	if (total > dev_sectors || sector > dev_sectors - total) {
		*why = "access beyond the end of the device";
		return -EINVAL;
	}
	return 0;
}

int xmp_blkrsp_check(const struct xmp_blkrsp *rsp,
		     const struct xmp_blkid *ids, unsigned int nr_ids,
		     const char **why)
{
	if (rsp->id >= nr_ids) {
		*why = "response id out of range";
		return -EIO;
	}
	if (!ids[rsp->id].busy) {
		*why = "response to a request that is not outstanding";
		return -EIO;
	}
	/* For BLKIF_OP_INDIRECT the backend answers with indirect_op. */
	if (rsp->operation != ids[rsp->id].op) {
		*why = "response operation differs from the request's";
		return -EIO;
	}
	if (rsp->status != XMP_BLKIF_RSP_OKAY &&
	    rsp->status != XMP_BLKIF_RSP_ERROR &&
	    rsp->status != XMP_BLKIF_RSP_EOPNOTSUPP) {
		*why = "unknown response status";
		return -EIO;
	}
	return 0;
}

static const char * const xmp_op_names[] = {
	[XMP_BLKIF_OP_READ] = "read",
	[XMP_BLKIF_OP_WRITE] = "write",
	[XMP_BLKIF_OP_WRITE_BARRIER] = "barrier",
	[XMP_BLKIF_OP_FLUSH_DISKCACHE] = "flush",
	[XMP_BLKIF_OP_RESERVED_1] = "reserved",
	[XMP_BLKIF_OP_DISCARD] = "discard",
	[XMP_BLKIF_OP_INDIRECT] = "indirect",
};

const char *xmp_blkif_op_name(unsigned int op)
{
	if (op >= ARRAY_SIZE(xmp_op_names))
		return "unknown";
	return xmp_op_names[op];
}
