// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: blkif request validation (blkif_check.h).
 *
 * Input (little endian, zero once exhausted): the request (operation u8,
 * indirect_op u8, nr_segments u16, discard_flag u8, sector u64,
 * nr_sectors u64), the device (nr_sectors u64; a selector byte: below
 * 0x80 sector_size = 512 << (sel & 3), else a raw u32; max_indirect_segs
 * u32; feature bits u8), then (first_sect, last_sect) byte pairs.
 * xmp_blkreq_check is compared with a reference model written here from
 * the header, accepted requests must satisfy the documented bounds, and
 * the range check must agree with 128-bit arithmetic (an empty range, a
 * flush or barrier without segments, passes at any sector); else abort().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen-mpring/blkif_check.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FUZZ INVARIANT %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

struct in {
	const uint8_t *p;
	size_t left;
};

static u64 take(struct in *in, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		if (in->left) {
			v |= (u64)*in->p << (8 * i);
			in->p++;
			in->left--;
		}
	}
	return v;
}

/* Logical block in 512-byte sectors; anything but 512 << 0..3 is 512. */
static u32 ref_spb(u32 sector_size)
{
	switch (sector_size) {
	case 1024:
		return 2;
	case 2048:
		return 4;
	case 4096:
		return 8;
	default:
		return 1;
	}
}

/* An empty range (flush/barrier without segments) moves no data. */
static bool ref_range_ok(u64 sector, u64 total, u64 dev)
{
	return !total || (unsigned __int128)sector + total <= dev;
}

static int ref_rw(const struct xmp_blkreq *r, const struct xmp_blkdev_caps *c,
		  u8 op, u32 min, u32 max)
{
	if (r->nr_segments < min || r->nr_segments > max)
		return -EINVAL;
	if (op != XMP_BLKIF_OP_READ && c->readonly && r->nr_segments)
		return -EINVAL;
	/* No segments (flush/barrier only): the sector is not looked at. */
	if (r->nr_segments && r->sector_number % ref_spb(c->sector_size))
		return -EINVAL;
	return 0;
}

static int ref_check(const struct xmp_blkreq *r,
		     const struct xmp_blkdev_caps *c)
{
	u32 ind_max = c->max_indirect_segs < 4096 ? c->max_indirect_segs : 4096;

	switch (r->operation) {
	case XMP_BLKIF_OP_READ:
	case XMP_BLKIF_OP_WRITE:
		return ref_rw(r, c, r->operation, 1, 11);
	case XMP_BLKIF_OP_WRITE_BARRIER:
		return c->barrier ? ref_rw(r, c, r->operation, 0, 11) :
				    -EOPNOTSUPP;
	case XMP_BLKIF_OP_FLUSH_DISKCACHE:
		return c->flush ? ref_rw(r, c, r->operation, 0, 11) :
				  -EOPNOTSUPP;
	case XMP_BLKIF_OP_INDIRECT:
		if (!c->max_indirect_segs)
			return -EINVAL;
		if (r->indirect_op != XMP_BLKIF_OP_READ &&
		    r->indirect_op != XMP_BLKIF_OP_WRITE)
			return -EINVAL;
		return ref_rw(r, c, r->indirect_op, 1, ind_max);
	case XMP_BLKIF_OP_DISCARD:
		if (!c->discard)
			return -EOPNOTSUPP;
		if (c->readonly || !r->nr_sectors ||
		    r->sector_number % ref_spb(c->sector_size) ||
		    r->nr_sectors % ref_spb(c->sector_size) ||
		    !ref_range_ok(r->sector_number, r->nr_sectors,
				  c->nr_sectors))
			return -EINVAL;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* What the header promises of every accepted request. */
static void check_accepted(const struct xmp_blkreq *r,
			   const struct xmp_blkdev_caps *c)
{
	u32 spb = ref_spb(c->sector_size);
	u8 op = r->operation;

	CHECK(op <= XMP_BLKIF_OP_INDIRECT && op != XMP_BLKIF_OP_RESERVED_1);
	if (op == XMP_BLKIF_OP_INDIRECT) {
		CHECK(c->max_indirect_segs);
		CHECK(r->indirect_op == XMP_BLKIF_OP_READ ||
		      r->indirect_op == XMP_BLKIF_OP_WRITE);
		CHECK(r->nr_segments >= 1 &&
		      r->nr_segments <= c->max_indirect_segs);
		CHECK(xmp_blkreq_indirect_pages(r->nr_segments) <=
		      XMP_BLKIF_MAX_INDIRECT_PAGES);
		op = r->indirect_op;
	} else if (op == XMP_BLKIF_OP_DISCARD) {
		CHECK(c->discard && !c->readonly && r->nr_sectors);
		CHECK(r->sector_number % spb == 0 && r->nr_sectors % spb == 0);
		CHECK((unsigned __int128)r->sector_number + r->nr_sectors <=
		      c->nr_sectors);
		return;
	} else {
		CHECK(r->nr_segments <= XMP_BLKIF_MAX_SEGS);
		if (op == XMP_BLKIF_OP_READ || op == XMP_BLKIF_OP_WRITE)
			CHECK(r->nr_segments >= 1);
		if (op == XMP_BLKIF_OP_WRITE_BARRIER)
			CHECK(c->barrier);
		if (op == XMP_BLKIF_OP_FLUSH_DISKCACHE)
			CHECK(c->flush);
	}
	if (op != XMP_BLKIF_OP_READ && r->nr_segments)
		CHECK(!c->readonly);
	if (r->nr_segments)
		CHECK(r->sector_number % spb == 0);
	else
		CHECK(op == XMP_BLKIF_OP_FLUSH_DISKCACHE ||
		      op == XMP_BLKIF_OP_WRITE_BARRIER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct xmp_blkreq r;
	struct xmp_blkdev_caps c;
	const char *why = NULL;
	unsigned int i, feat, sel;
	u64 total = 0, want_total = 0;
	bool segs_ok = true;
	int rc;

	r.operation = take(&in, 1);
	r.indirect_op = take(&in, 1);
	r.nr_segments = take(&in, 2);
	r.discard_flag = take(&in, 1);
	r.sector_number = take(&in, 8);
	r.nr_sectors = take(&in, 8);
	c.nr_sectors = take(&in, 8);
	sel = take(&in, 1);
	c.sector_size = sel < 0x80 ? 512U << (sel & 3) : (u32)take(&in, 4);
	c.max_indirect_segs = take(&in, 4);
	feat = take(&in, 1);
	c.readonly = feat & 1;
	c.flush = feat & 2;
	c.barrier = feat & 4;
	c.discard = feat & 8;
	c.secure_discard = feat & 16;

	rc = xmp_blkreq_check(&r, &c, &why);
	CHECK(rc == 0 || rc == -EINVAL || rc == -EOPNOTSUPP);
	CHECK(rc == ref_check(&r, &c));
	if (rc)
		CHECK(why && *why);
	else
		check_accepted(&r, &c);
	CHECK(xmp_blkif_op_name(r.operation));

	/* Any range: no u64 wrap-around. */
	why = NULL;
	rc = xmp_blkreq_check_range(r.sector_number, r.nr_sectors,
				    c.nr_sectors, &why);
	CHECK((rc == 0) == ref_range_ok(r.sector_number, r.nr_sectors,
					c.nr_sectors));
	CHECK(rc == 0 || (rc == -EINVAL && why));

	/* Any segment count: pages rounded up, no wrap-around. */
	CHECK(xmp_blkreq_indirect_pages((u32)r.sector_number) ==
	      ((u64)(u32)r.sector_number + 511) / 512);

	/* The segments of a data request, then its range. */
	for (i = 0; i < r.nr_segments && in.left >= 2; i++) {
		u8 first = take(&in, 1), last = take(&in, 1);
		u32 nsec = (u32)last - first + 1;
		bool ok = first <= last && last <= 7 &&
			  nsec % ref_spb(c.sector_size) == 0;
		u64 before = total;

		why = NULL;
		rc = xmp_blkseg_check(first, last, c.sector_size, &total, &why);
		CHECK((rc == 0) == ok);
		if (rc) {
			CHECK(rc == -EINVAL && why && total == before);
			segs_ok = false;
			break;
		}
		CHECK(total == before + nsec && nsec >= 1 && nsec <= 8);
		want_total += nsec;
	}
	if (segs_ok) {
		CHECK(total == want_total);
		CHECK(total <= 8ULL * r.nr_segments);
		rc = xmp_blkreq_check_range(r.sector_number, total,
					    c.nr_sectors, &why);
		CHECK((rc == 0) == ref_range_ok(r.sector_number, total,
						c.nr_sectors));
		/* Data moved only within the device, whatever the sector. */
		if (!rc && total)
			CHECK((unsigned __int128)r.sector_number + total <=
			      c.nr_sectors);
		/* An empty flush/barrier passes both checks at any sector. */
		if (!r.nr_segments &&
		    ((r.operation == XMP_BLKIF_OP_FLUSH_DISKCACHE && c.flush) ||
		     (r.operation == XMP_BLKIF_OP_WRITE_BARRIER && c.barrier)))
			CHECK(rc == 0 && xmp_blkreq_check(&r, &c, &why) == 0);
	}
	return 0;
}
