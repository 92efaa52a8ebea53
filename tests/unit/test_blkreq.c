// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * blkif request validation (blkif_check.h): xmp_blkreq_check,
 * xmp_blkseg_check, xmp_blkreq_check_range, xmp_blkreq_indirect_pages,
 * xmp_blkif_op_name.
 */
#include "xmp_test.h"
#include <xen-mpring/blkif_check.h>

#define RD	XMP_BLKIF_OP_READ
#define WR	XMP_BLKIF_OP_WRITE
#define BAR	XMP_BLKIF_OP_WRITE_BARRIER
#define FL	XMP_BLKIF_OP_FLUSH_DISKCACHE
#define RSV	XMP_BLKIF_OP_RESERVED_1
#define DIS	XMP_BLKIF_OP_DISCARD
#define IND	XMP_BLKIF_OP_INDIRECT
#define SEC	XMP_BLKIF_DISCARD_SECURE
#define U64MAX	0xffffffffffffffffULL

/* A 1 GiB device: 2097152 sectors of 512 bytes. */
#define DEV	2097152ULL

/* nr_sectors, sector_size, max_indirect_segs, ro, flush, barrier,
 * discard, secure_discard */
static const struct xmp_blkdev_caps caps_all = {
	DEV, 512, 256, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_none = {
	DEV, 512, 0, false, false, false, false, false };
static const struct xmp_blkdev_caps caps_ro = {
	DEV, 512, 256, true, true, true, true, true };
static const struct xmp_blkdev_caps caps_4k = {
	DEV, 4096, 256, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_2k = {
	DEV, 2048, 256, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_ss0 = {
	DEV, 0, 256, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_ss1000 = {
	DEV, 1000, 256, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_ind4096 = {
	DEV, 512, 4096, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_ind8192 = {
	DEV, 512, 8192, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_ind_max = {
	DEV, 512, 0xffffffffU, false, true, true, true, true };
static const struct xmp_blkdev_caps caps_nosec = {
	DEV, 512, 256, false, true, true, true, false };
static const struct xmp_blkdev_caps caps_huge = {
	U64MAX, 512, 256, false, true, true, true, true };

/* operation, indirect_op, nr_segments, discard_flag, sector, nr_sectors */
#define REQ(op, iop, nseg, flag, sector, nsect) \
	{ (op), (iop), (nseg), (flag), (sector), (nsect) }
#define RW(op, nseg, sector)	REQ(op, 0, nseg, 0, sector, 0)
#define INDR(iop, nseg, sector)	REQ(IND, iop, nseg, 0, sector, 0)
#define DISC(flag, sector, n)	REQ(DIS, 0, 0, flag, sector, n)

struct req_case {
	const char *name;
	struct xmp_blkreq req;
	const struct xmp_blkdev_caps *caps;
	int rc;
};

static const struct req_case req_cases[] = {
	/* Each operation, supported and not. */
	{ "req read", RW(RD, 1, 0), &caps_all, 0 },
	{ "req read, no features", RW(RD, 1, 0), &caps_none, 0 },
	{ "req write", RW(WR, 1, 0), &caps_all, 0 },
	{ "req write, no features", RW(WR, 1, 0), &caps_none, 0 },
	{ "req barrier", RW(BAR, 1, 0), &caps_all, 0 },
	{ "req barrier unsupported", RW(BAR, 1, 0), &caps_none, -EOPNOTSUPP },
	{ "req flush", RW(FL, 1, 0), &caps_all, 0 },
	{ "req flush unsupported", RW(FL, 1, 0), &caps_none, -EOPNOTSUPP },
	{ "req reserved op 4", RW(RSV, 1, 0), &caps_all, -EOPNOTSUPP },
	{ "req reserved op 4, no features", RW(RSV, 1, 0), &caps_none,
	  -EOPNOTSUPP },
	{ "req discard", DISC(0, 0, 8), &caps_all, 0 },
	{ "req discard unsupported", DISC(0, 0, 8), &caps_none, -EOPNOTSUPP },
	{ "req indirect read", INDR(RD, 12, 0), &caps_all, 0 },
	{ "req indirect write", INDR(WR, 12, 0), &caps_all, 0 },
	{ "req indirect without feature", INDR(RD, 12, 0), &caps_none,
	  -EINVAL },
	{ "req indirect 1 seg without feature", INDR(RD, 1, 0), &caps_none,
	  -EINVAL },
	{ "req unknown op 7", RW(7, 1, 0), &caps_all, -EOPNOTSUPP },
	{ "req unknown op 8", RW(8, 1, 0), &caps_all, -EOPNOTSUPP },
	{ "req unknown op 255", RW(255, 1, 0), &caps_all, -EOPNOTSUPP },

	/* Direct segment counts. */
	{ "req read 0 segs", RW(RD, 0, 0), &caps_all, -EINVAL },
	{ "req read 11 segs", RW(RD, 11, 0), &caps_all, 0 },
	{ "req read 12 segs", RW(RD, 12, 0), &caps_all, -EINVAL },
	{ "req read 65535 segs", RW(RD, 65535, 0), &caps_all, -EINVAL },
	{ "req write 0 segs", RW(WR, 0, 0), &caps_all, -EINVAL },
	{ "req write 11 segs", RW(WR, 11, 0), &caps_all, 0 },
	{ "req write 12 segs", RW(WR, 12, 0), &caps_all, -EINVAL },
	{ "req barrier 0 segs", RW(BAR, 0, 0), &caps_all, 0 },
	{ "req barrier 11 segs", RW(BAR, 11, 0), &caps_all, 0 },
	{ "req barrier 12 segs", RW(BAR, 12, 0), &caps_all, -EINVAL },
	{ "req flush 0 segs", RW(FL, 0, 0), &caps_all, 0 },
	{ "req flush 11 segs", RW(FL, 11, 0), &caps_all, 0 },
	{ "req flush 12 segs", RW(FL, 12, 0), &caps_all, -EINVAL },
	{ "req flush 0 segs unsupported", RW(FL, 0, 0), &caps_none,
	  -EOPNOTSUPP },

	/* Read-only device. */
	{ "req ro read", RW(RD, 1, 0), &caps_ro, 0 },
	{ "req ro write", RW(WR, 1, 0), &caps_ro, -EINVAL },
	{ "req ro write 11 segs", RW(WR, 11, 0), &caps_ro, -EINVAL },
	{ "req ro barrier 0 segs", RW(BAR, 0, 0), &caps_ro, 0 },
	{ "req ro barrier 1 seg", RW(BAR, 1, 0), &caps_ro, -EINVAL },
	{ "req ro flush 0 segs", RW(FL, 0, 0), &caps_ro, 0 },
	{ "req ro flush 1 seg", RW(FL, 1, 0), &caps_ro, -EINVAL },
	{ "req ro discard", DISC(0, 0, 8), &caps_ro, -EINVAL },
	{ "req ro indirect read", INDR(RD, 12, 0), &caps_ro, 0 },
	{ "req ro indirect write", INDR(WR, 12, 0), &caps_ro, -EINVAL },

	/* Indirect requests. */
	{ "req indirect_op barrier", INDR(BAR, 12, 0), &caps_all, -EINVAL },
	{ "req indirect_op flush", INDR(FL, 12, 0), &caps_all, -EINVAL },
	{ "req indirect_op reserved", INDR(RSV, 12, 0), &caps_all, -EINVAL },
	{ "req indirect_op discard", INDR(DIS, 12, 0), &caps_all, -EINVAL },
	{ "req indirect_op indirect", INDR(IND, 12, 0), &caps_all, -EINVAL },
	{ "req indirect_op 255", INDR(255, 12, 0), &caps_all, -EINVAL },
	{ "req indirect 0 segs", INDR(RD, 0, 0), &caps_all, -EINVAL },
	{ "req indirect 1 seg", INDR(RD, 1, 0), &caps_all, 0 },
	{ "req indirect 256 segs = max", INDR(RD, 256, 0), &caps_all, 0 },
	{ "req indirect 257 segs = max + 1", INDR(RD, 257, 0), &caps_all,
	  -EINVAL },
	{ "req indirect 4096 segs, max 4096", INDR(WR, 4096, 0),
	  &caps_ind4096, 0 },
	{ "req indirect 4097 segs, max 4096", INDR(WR, 4097, 0),
	  &caps_ind4096, -EINVAL },
	{ "req indirect 4096 segs, max 8192", INDR(RD, 4096, 0),
	  &caps_ind8192, 0 },
	{ "req indirect 4097 segs, max 8192: 9 pages", INDR(RD, 4097, 0),
	  &caps_ind8192, -EINVAL },
	{ "req indirect 8192 segs, max 8192: 16 pages", INDR(RD, 8192, 0),
	  &caps_ind8192, -EINVAL },
	{ "req indirect 65535 segs, max UINT_MAX", INDR(RD, 65535, 0),
	  &caps_ind_max, -EINVAL },
	{ "req indirect 4096 segs, max UINT_MAX", INDR(RD, 4096, 0),
	  &caps_ind_max, 0 },

	/* Start sector alignment to the logical block size. */
	{ "req 512: read sector 1", RW(RD, 1, 1), &caps_all, 0 },
	{ "req 512: read sector max", RW(RD, 1, U64MAX), &caps_all, 0 },
	{ "req 4K: read sector 8", RW(RD, 1, 8), &caps_4k, 0 },
	{ "req 4K: read sector 0", RW(RD, 1, 0), &caps_4k, 0 },
	{ "req 4K: read sector 1", RW(RD, 1, 1), &caps_4k, -EINVAL },
	{ "req 4K: read sector 4", RW(RD, 1, 4), &caps_4k, -EINVAL },
	{ "req 4K: read sector 7", RW(RD, 1, 7), &caps_4k, -EINVAL },
	{ "req 4K: write sector 12", RW(WR, 1, 12), &caps_4k, -EINVAL },
	{ "req 4K: write sector 16", RW(WR, 1, 16), &caps_4k, 0 },
	{ "req 4K: barrier sector 3", RW(BAR, 1, 3), &caps_4k, -EINVAL },
	{ "req 4K: indirect read sector 3", INDR(RD, 12, 3), &caps_4k,
	  -EINVAL },
	{ "req 4K: indirect write sector 24", INDR(WR, 12, 24), &caps_4k, 0 },
	{ "req 2K: read sector 2", RW(RD, 1, 2), &caps_2k, -EINVAL },
	{ "req 2K: read sector 4", RW(RD, 1, 4), &caps_2k, 0 },
	{ "req sector-size 0 counts as 512", RW(RD, 1, 3), &caps_ss0, 0 },
	{ "req sector-size 1000 counts as 512", RW(RD, 1, 3), &caps_ss1000,
	  0 },

	/* An empty flush/barrier: sector_number not checked (no data). */
	{ "req 4K: flush 0 segs at sector (u64)-1", RW(FL, 0, U64MAX),
	  &caps_4k, 0 },
	{ "req 4K: flush 0 segs at sector 3", RW(FL, 0, 3), &caps_4k, 0 },
	{ "req 4K: barrier 0 segs at sector (u64)-1", RW(BAR, 0, U64MAX),
	  &caps_4k, 0 },
	{ "req 4K: flush 1 seg at sector (u64)-1", RW(FL, 1, U64MAX),
	  &caps_4k, -EINVAL },
	{ "req 4K: flush 1 seg at sector 3", RW(FL, 1, 3), &caps_4k,
	  -EINVAL },
	{ "req 4K: barrier 1 seg at sector 3", RW(BAR, 1, 3), &caps_4k,
	  -EINVAL },
	{ "req 4K: flush 0 segs unsupported at (u64)-1", RW(FL, 0, U64MAX),
	  &caps_none, -EOPNOTSUPP },
	{ "req 4K: read 0 segs at (u64)-1", RW(RD, 0, U64MAX), &caps_4k,
	  -EINVAL },

	/* Discard. */
	{ "req discard zero length", DISC(0, 0, 0), &caps_all, -EINVAL },
	{ "req discard 1 sector", DISC(0, 5, 1), &caps_all, 0 },
	{ "req discard whole device", DISC(0, 0, DEV), &caps_all, 0 },
	{ "req discard to the end", DISC(0, DEV - 8, 8), &caps_all, 0 },
	{ "req discard one past the end", DISC(0, DEV - 8, 9), &caps_all,
	  -EINVAL },
	{ "req discard at the end", DISC(0, DEV, 1), &caps_all, -EINVAL },
	{ "req discard beyond the end", DISC(0, DEV + 8, 8), &caps_all,
	  -EINVAL },
	{ "req discard longer than device", DISC(0, 0, DEV + 1), &caps_all,
	  -EINVAL },
	{ "req discard u64 overflow wraps to 8", DISC(0, U64MAX - 7, 16),
	  &caps_all, -EINVAL },
	{ "req discard u64 overflow, huge device", DISC(0, U64MAX, 1),
	  &caps_huge, -EINVAL },
	{ "req discard u64 end of huge device", DISC(0, U64MAX - 1, 1),
	  &caps_huge, 0 },
	{ "req discard u64 max length", DISC(0, 1, U64MAX), &caps_huge,
	  -EINVAL },
	{ "req discard 4K aligned", DISC(0, 8, 8), &caps_4k, 0 },
	{ "req discard 4K misaligned start", DISC(0, 4, 8), &caps_4k,
	  -EINVAL },
	{ "req discard 4K misaligned length", DISC(0, 8, 4), &caps_4k,
	  -EINVAL },
	{ "req discard 4K one sector", DISC(0, 0, 1), &caps_4k, -EINVAL },
	{ "req secure discard supported", DISC(SEC, 0, 8), &caps_all, 0 },
	{ "req secure discard unsupported: flag ignored", DISC(SEC, 0, 8),
	  &caps_nosec, 0 },
	{ "req discard unknown flag bits ignored", DISC(0xfe, 0, 8),
	  &caps_nosec, 0 },
	{ "req secure discard, discard unsupported", DISC(SEC, 0, 8),
	  &caps_none, -EOPNOTSUPP },
	{ "req secure discard zero length", DISC(SEC, 0, 0), &caps_nosec,
	  -EINVAL },
};

static void t_req(void **state)
{
	const struct req_case *c = XMP_ROW(struct req_case, state);
	const char *why = NULL;

	assert_int_equal(xmp_blkreq_check(&c->req, c->caps, &why), c->rc);
	if (c->rc)
		assert_non_null(why);
}

/* ------------------------------------------------------------------ */

struct seg_case {
	const char *name;
	u8 first, last;
	u32 sector_size;
	u64 total_in;
	int rc;
	u64 total_out;	/* unchanged on error */
};

static const struct seg_case seg_cases[] = {
	{ "seg 0-7", 0, 7, 512, 0, 0, 8 },
	{ "seg 0-0", 0, 0, 512, 0, 0, 1 },
	{ "seg 7-7", 7, 7, 512, 0, 0, 1 },
	{ "seg 2-5", 2, 5, 512, 0, 0, 4 },
	{ "seg adds to total 100", 0, 7, 512, 100, 0, 108 },
	{ "seg adds to a large total", 3, 3, 512, U64MAX - 1, 0, U64MAX },
	{ "seg first > last", 3, 2, 512, 5, -EINVAL, 5 },
	{ "seg 7-0", 7, 0, 512, 0, -EINVAL, 0 },
	{ "seg last 8", 0, 8, 512, 0, -EINVAL, 0 },
	{ "seg 8-8", 8, 8, 512, 0, -EINVAL, 0 },
	{ "seg 0-255", 0, 255, 512, 0, -EINVAL, 0 },
	{ "seg 255-255", 255, 255, 512, 0, -EINVAL, 0 },
	{ "seg 4K 0-7", 0, 7, 4096, 16, 0, 24 },
	{ "seg 4K 0-3", 0, 3, 4096, 16, -EINVAL, 16 },
	{ "seg 4K 1-7", 1, 7, 4096, 0, -EINVAL, 0 },
	{ "seg 4K 4-7", 4, 7, 4096, 0, -EINVAL, 0 },
	{ "seg 4K 0-0", 0, 0, 4096, 0, -EINVAL, 0 },
	{ "seg 2K 0-3", 0, 3, 2048, 0, 0, 4 },
	{ "seg 2K 4-7", 4, 7, 2048, 0, 0, 4 },
	{ "seg 2K 0-7", 0, 7, 2048, 0, 0, 8 },
	{ "seg 2K 0-1", 0, 1, 2048, 0, -EINVAL, 0 },
	{ "seg 2K 0-5", 0, 5, 2048, 0, -EINVAL, 0 },
	{ "seg 1K 2-3", 2, 3, 1024, 0, 0, 2 },
	{ "seg 1K 2-2", 2, 2, 1024, 0, -EINVAL, 0 },
	{ "seg sector-size 0 counts as 512", 1, 1, 0, 0, 0, 1 },
};

static void t_seg(void **state)
{
	const struct seg_case *c = XMP_ROW(struct seg_case, state);
	u64 total = c->total_in;
	const char *why = NULL;

	assert_int_equal(xmp_blkseg_check(c->first, c->last, c->sector_size,
					  &total, &why), c->rc);
	assert_int_equal(total, c->total_out);
	if (c->rc)
		assert_non_null(why);
}

/* Eleven full segments accumulate 88 sectors; 4 KiB sectors alike. */
XMP_TEST(seg_accumulate_11)
{
	u64 total = 0;
	const char *why;
	int i;

	for (i = 0; i < 11; i++)
		assert_int_equal(xmp_blkseg_check(0, 7, 4096, &total, &why),
				 0);
	assert_int_equal(total, 88);
}

XMP_TEST(seg_accumulate_mixed)
{
	u64 total = 0;
	const char *why;

	assert_int_equal(xmp_blkseg_check(0, 7, 512, &total, &why), 0);
	assert_int_equal(xmp_blkseg_check(2, 4, 512, &total, &why), 0);
	assert_int_equal(xmp_blkseg_check(6, 5, 512, &total, &why), -EINVAL);
	assert_int_equal(xmp_blkseg_check(7, 7, 512, &total, &why), 0);
	assert_int_equal(total, 12);
}

/* ------------------------------------------------------------------ */

struct range_case {
	const char *name;
	u64 sector, total, dev;
	int rc;
};

static const struct range_case range_cases[] = {
	{ "range start", 0, 8, DEV, 0 },
	{ "range ends at the end", DEV - 8, 8, DEV, 0 },
	{ "range one past the end", DEV - 7, 8, DEV, -EINVAL },
	{ "range whole device", 0, DEV, DEV, 0 },
	{ "range device + 1", 0, DEV + 1, DEV, -EINVAL },
	{ "range empty at the end", DEV, 0, DEV, 0 },
	{ "range 1 at the end", DEV, 1, DEV, -EINVAL },
	{ "range empty past the end: no data", DEV + 1, 0, DEV, 0 },
	{ "range empty at UINT64_MAX: no data", U64MAX, 0, DEV, 0 },
	{ "range sector UINT64_MAX", U64MAX, 1, DEV, -EINVAL },
	{ "range sector UINT64_MAX, huge device", U64MAX, 1, U64MAX,
	  -EINVAL },
	{ "range empty at UINT64_MAX, huge device", U64MAX, 0, U64MAX, 0 },
	{ "range last sector of huge device", U64MAX - 1, 1, U64MAX, 0 },
	{ "range wraps to 8", U64MAX - 7, 16, DEV, -EINVAL },
	{ "range wraps to 0", 1, U64MAX, U64MAX, -EINVAL },
	{ "range total UINT64_MAX from 0", 0, U64MAX, U64MAX, 0 },
	{ "range total UINT64_MAX, small device", 0, U64MAX, DEV, -EINVAL },
	{ "range empty device", 0, 0, 0, 0 },
	{ "range 1 on empty device", 0, 1, 0, -EINVAL },
};

static void t_range(void **state)
{
	const struct range_case *c = XMP_ROW(struct range_case, state);
	const char *why = NULL;

	assert_int_equal(xmp_blkreq_check_range(c->sector, c->total, c->dev,
						&why), c->rc);
	if (c->rc)
		assert_non_null(why);
}

/* ------------------------------------------------------------------ */

/*
 * A whole request as the backend glue checks it: xmp_blkreq_check, then
 * xmp_blkseg_check for each segment (all 0-7 here, nseg of them), then
 * xmp_blkreq_check_range over the sum. rc is the first error.
 */
struct full_case {
	const char *name;
	struct xmp_blkreq req;
	const struct xmp_blkdev_caps *caps;
	int rc;
};

static const struct full_case full_cases[] = {
	{ "full flush 0 segs at sector 0", RW(FL, 0, 0), &caps_all, 0 },
	{ "full flush 0 segs at (u64)-1", RW(FL, 0, U64MAX), &caps_all, 0 },
	{ "full flush 0 segs at the end", RW(FL, 0, DEV), &caps_all, 0 },
	{ "full flush 0 segs past the end", RW(FL, 0, DEV + 8), &caps_all,
	  0 },
	{ "full 4K: flush 0 segs at (u64)-1", RW(FL, 0, U64MAX), &caps_4k,
	  0 },
	{ "full 4K: flush 0 segs at the end", RW(FL, 0, DEV), &caps_4k, 0 },
	{ "full ro: flush 0 segs at (u64)-1", RW(FL, 0, U64MAX), &caps_ro,
	  0 },
	{ "full barrier 0 segs at (u64)-1", RW(BAR, 0, U64MAX), &caps_all,
	  0 },
	{ "full barrier 0 segs at the end", RW(BAR, 0, DEV), &caps_all, 0 },
	{ "full flush 1 seg at sector 0", RW(FL, 1, 0), &caps_all, 0 },
	{ "full flush 1 seg ends at the end", RW(FL, 1, DEV - 8), &caps_all,
	  0 },
	{ "full flush 1 seg one past the end", RW(FL, 1, DEV - 7),
	  &caps_all, -EINVAL },
	{ "full flush 1 seg at the end", RW(FL, 1, DEV), &caps_all,
	  -EINVAL },
	{ "full flush 1 seg at (u64)-1", RW(FL, 1, U64MAX), &caps_all,
	  -EINVAL },
	{ "full 4K: flush 1 seg at (u64)-1", RW(FL, 1, U64MAX), &caps_4k,
	  -EINVAL },
	{ "full barrier 11 segs past the end", RW(BAR, 11, DEV - 80),
	  &caps_all, -EINVAL },
	{ "full barrier 11 segs to the end", RW(BAR, 11, DEV - 88),
	  &caps_all, 0 },
	{ "full read 1 seg at (u64)-1", RW(RD, 1, U64MAX), &caps_all,
	  -EINVAL },
	{ "full write 1 seg at the end", RW(WR, 1, DEV), &caps_all, -EINVAL },
	{ "full write 1 seg to the end", RW(WR, 1, DEV - 8), &caps_all, 0 },
};

static void t_full(void **state)
{
	const struct full_case *c = XMP_ROW(struct full_case, state);
	const char *why = NULL;
	unsigned int i;
	u64 total = 0;
	int rc;

	rc = xmp_blkreq_check(&c->req, c->caps, &why);
	for (i = 0; !rc && i < c->req.nr_segments; i++)
		rc = xmp_blkseg_check(0, 7, c->caps->sector_size, &total,
				      &why);
	if (!rc) {
		assert_int_equal(total, 8ULL * c->req.nr_segments);
		rc = xmp_blkreq_check_range(c->req.sector_number, total,
					    c->caps->nr_sectors, &why);
	}
	assert_int_equal(rc, c->rc);
	if (c->rc)
		assert_non_null(why);
}

/* ------------------------------------------------------------------ */

struct ipages_case {
	const char *name;
	unsigned int segs, pages;
};

static const struct ipages_case ipages_cases[] = {
	{ "indirect_pages 0", 0, 0 },
	{ "indirect_pages 1", 1, 1 },
	{ "indirect_pages 511", 511, 1 },
	{ "indirect_pages 512", 512, 1 },
	{ "indirect_pages 513", 513, 2 },
	{ "indirect_pages 1024", 1024, 2 },
	{ "indirect_pages 1025", 1025, 3 },
	{ "indirect_pages 4096", 4096, 8 },
	{ "indirect_pages 4097", 4097, 9 },
	{ "indirect_pages 65535", 65535, 128 },
	{ "indirect_pages UINT_MAX - 511", 0xfffffe00U, 8388607 },
	{ "indirect_pages UINT_MAX - 510", 0xfffffe01U, 8388608 },
	{ "indirect_pages UINT_MAX", 0xffffffffU, 8388608 },
};

static void t_ipages(void **state)
{
	const struct ipages_case *c = XMP_ROW(struct ipages_case, state);

	assert_int_equal(xmp_blkreq_indirect_pages(c->segs), c->pages);
}

/* ------------------------------------------------------------------ */

struct opname_case {
	const char *name;
	unsigned int op;
	const char *out;
};

static const struct opname_case opname_cases[] = {
	{ "op_name read", RD, "read" },
	{ "op_name write", WR, "write" },
	{ "op_name barrier", BAR, "barrier" },
	{ "op_name flush", FL, "flush" },
	{ "op_name reserved", RSV, "reserved" },
	{ "op_name discard", DIS, "discard" },
	{ "op_name indirect", IND, "indirect" },
	{ "op_name 7", 7, "unknown" },
	{ "op_name 255", 255, "unknown" },
	{ "op_name UINT_MAX", 0xffffffffU, "unknown" },
};

static void t_opname(void **state)
{
	const struct opname_case *c = XMP_ROW(struct opname_case, state);

	xmp_assert_str(xmp_blkif_op_name(c->op), c->out);
}

int main(void)
{
	XMP_ADD_TABLE(t_req, req_cases);
	XMP_ADD_TABLE(t_seg, seg_cases);
	XMP_ADD_TEST(seg_accumulate_11);
	XMP_ADD_TEST(seg_accumulate_mixed);
	XMP_ADD_TABLE(t_range, range_cases);
	XMP_ADD_TABLE(t_full, full_cases);
	XMP_ADD_TABLE(t_ipages, ipages_cases);
	XMP_ADD_TABLE(t_opname, opname_cases);
	return XMP_RUN("blkreq");
}
