/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * blkif request validation (backend) and response validation (frontend).
 *
 * Wire constants are those of Xen's public io/blkif.h; the kernel glue
 * checks with BUILD_BUG_ON that they equal the kernel's BLKIF_* values.
 * The glue copies each request out of the shared ring exactly once, fills a
 * struct xmp_blkreq from its private copy and asks these functions before
 * anything reaches a bio; likewise for responses in the frontend.
 */
#ifndef XMP_BLKIF_CHECK_H
#define XMP_BLKIF_CHECK_H

#include "xmp_types.h"

#define XMP_BLKIF_OP_READ		0
#define XMP_BLKIF_OP_WRITE		1
#define XMP_BLKIF_OP_WRITE_BARRIER	2
#define XMP_BLKIF_OP_FLUSH_DISKCACHE	3
/* Reserved (was a SLES vendor operation) */
#define XMP_BLKIF_OP_RESERVED_1		4
#define XMP_BLKIF_OP_DISCARD		5
#define XMP_BLKIF_OP_INDIRECT		6

#define XMP_BLKIF_RSP_EOPNOTSUPP	(-2)
#define XMP_BLKIF_RSP_ERROR		(-1)
#define XMP_BLKIF_RSP_OKAY		0

#define XMP_BLKIF_DISCARD_SECURE	0x1U

/* Segments in a direct request (BLKIF_MAX_SEGMENTS_PER_REQUEST). */
#define XMP_BLKIF_MAX_SEGS		11U
/*
 * Indirect pages a request may reference
 * (BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST).
 */
#define XMP_BLKIF_MAX_INDIRECT_PAGES	8U
/* One segment is 8 bytes: 512 per 4 KiB indirect page. */
#define XMP_BLKIF_SEGS_PER_INDIRECT_PAGE 512U
/* Sectors are 512 bytes; a segment lives in one 4 KiB Xen page. */
#define XMP_SECTOR_SHIFT		9U
#define XMP_SECTORS_PER_PAGE		8U

/* The device as the backend advertised it to this frontend. */
struct xmp_blkdev_caps {
	u64 nr_sectors;		/* "sectors": size in 512-byte units */
	u32 sector_size;	/* "sector-size": logical block, bytes */
	/* feature-max-indirect-segments, 0 = none */
	u32 max_indirect_segs;
	bool readonly;			/* mode "r" */
	bool flush;			/* feature-flush-cache */
	bool barrier;			/* feature-barrier */
	bool discard;			/* feature-discard */
	bool secure_discard;		/* discard-secure */
};

/* One request, from the backend's private copy of the ring slot. */
struct xmp_blkreq {
	u8 operation;	/* XMP_BLKIF_OP_* as on the ring */
	u8 indirect_op;	/* for XMP_BLKIF_OP_INDIRECT */
	u16 nr_segments;	/* direct or indirect segment count */
	u8 discard_flag;	/* for XMP_BLKIF_OP_DISCARD */
	u64 sector_number;
	u64 nr_sectors;	/* for XMP_BLKIF_OP_DISCARD */
};

/*
 * Check the request header: known operation the device supports
 * (-EOPNOTSUPP for a well-formed request of an operation it does not;
 * the backend answers BLKIF_RSP_EOPNOTSUPP), writes on a read-only device,
 * segment counts (1..11 direct; 1..max_indirect_segs indirect, at most 8
 * indirect pages, with indirect_op READ or WRITE; 0 allowed only for
 * flush/barrier), start sector aligned to sector_size, discard range
 * non-empty, within the device without u64 overflow and aligned to
 * sector_size. The data range of read/write is checked once the segments
 * are summed (xmp_blkseg_check, xmp_blkreq_check_range).
 * Details:
 *  - -EOPNOTSUPP: barrier without caps->barrier, flush without caps->flush,
 *    discard without caps->discard, reserved (4) and unknown operations;
 *  - INDIRECT without caps->max_indirect_segs is -EINVAL (the frontend used
 *    a feature that was never offered), as is an indirect_op other than
 *    READ/WRITE; the indirect limit is min(max_indirect_segs, 8 * 512);
 *  - a read-only device refuses every request that carries data to write
 *    and every discard; an empty flush or barrier is allowed (the block
 *    layer lets an empty flush through to a read-only device);
 *  - a flush or barrier with 0 segments moves no data: io/blkif.h's
 *    BLKIF_OP_FLUSH_DISKCACHE only asks "the underlying storage hardware
 *    to flush its non-volatile caches", and sector_number is the "start
 *    sector idx on disk (r/w only)". Its sector_number is therefore
 *    neither alignment- nor range-checked (Linux blkfront sends (u64)-1
 *    for an empty flush); with 1 or more segments it is checked as for a
 *    write (alignment here, range by xmp_blkreq_check_range);
 *  - BLKIF_DISCARD_SECURE is "ignored if discard-secure=0" (io/blkif.h):
 *    never a reason to refuse; the glue erases securely only when both the
 *    flag and caps->secure_discard are set;
 *  - a sector_size that is not 512 << n with n <= 3 counts as 512.
 * Returns 0, -EOPNOTSUPP or -EINVAL with a static reason in *@why.
 */
int xmp_blkreq_check(const struct xmp_blkreq *req,
		     const struct xmp_blkdev_caps *caps, const char **why);

/* Indirect pages a request with @nr_segments indirect segments needs. */
unsigned int xmp_blkreq_indirect_pages(unsigned int nr_segments);

/*
 * Check one segment: first_sect <= last_sect <= 7, and its sector count a
 * multiple of the logical block size (sector_size / 512 sectors), as the
 * block layer needs (the start sector's alignment is xmp_blkreq_check's).
 * Adds the segment's sector count to *@total. Returns 0 or -EINVAL with
 * *@why.
 */
int xmp_blkseg_check(u8 first_sect, u8 last_sect,
		     u32 sector_size, u64 *total, const char **why);

/*
 * After all segments: the range [sector, sector + total) lies within the
 * device, computed without overflow. An empty range (@total 0: a flush or
 * barrier without segments, see xmp_blkreq_check) moves no data and is
 * accepted whatever @sector; so the glue calls this for every request that
 * passed xmp_blkreq_check, with or without segments. Returns 0 or -EINVAL
 * with *@why.
 */
int xmp_blkreq_check_range(u64 sector, u64 total,
			   u64 dev_sectors, const char **why);

/*
 * Frontend: per-id bookkeeping of what was issued on the ring. The glue
 * keeps one of these per ring slot id (ids are 0 .. nr_ids - 1).
 */
struct xmp_blkid {
	bool busy;		/* issued, no response yet */
	u8 op;		/* effective op: indirect_op for INDIRECT */
};

/* One response, from the frontend's private copy of the ring slot. */
struct xmp_blkrsp {
	u64 id;
	u8 operation;
	s16 status;
};

/*
 * Check a response against the ids issued: id < nr_ids and busy, operation
 * equal to the effective operation issued, status one of OKAY, ERROR,
 * EOPNOTSUPP. Does not change @ids. Returns 0 or -EIO with *@why; the
 * frontend then stops trusting this backend (device disabled).
 */
int xmp_blkrsp_check(const struct xmp_blkrsp *rsp,
		     const struct xmp_blkid *ids, unsigned int nr_ids,
		     const char **why);

/* "read", "write", ... for messages; "unknown" for anything else. */
const char *xmp_blkif_op_name(unsigned int op);

#endif /* XMP_BLKIF_CHECK_H */
