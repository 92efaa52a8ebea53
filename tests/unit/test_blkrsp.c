// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * blkif response validation in the frontend: xmp_blkrsp_check
 * (blkif_check.h).
 */
#include "xmp_test.h"
#include <xen-mpring/blkif_check.h>

#define RD	XMP_BLKIF_OP_READ
#define WR	XMP_BLKIF_OP_WRITE
#define FL	XMP_BLKIF_OP_FLUSH_DISKCACHE
#define BAR	XMP_BLKIF_OP_WRITE_BARRIER
#define DIS	XMP_BLKIF_OP_DISCARD
#define IND	XMP_BLKIF_OP_INDIRECT
#define OKAY	XMP_BLKIF_RSP_OKAY
#define ERR	XMP_BLKIF_RSP_ERROR
#define NOTSUP	XMP_BLKIF_RSP_EOPNOTSUPP

/* What the frontend issued: ids 0..7. */
static const struct xmp_blkid ids[8] = {
	{ true, RD },
	{ true, WR },
	{ false, RD },	/* not outstanding */
	{ true, RD },	/* an indirect read: effective op READ */
	{ true, DIS },
	{ true, FL },
	{ true, WR },	/* an indirect write */
	{ true, BAR },
};

struct rsp_case {
	const char *name;
	u64 id;
	u8 op;
	s16 status;
	unsigned int nr_ids;
	int rc;
};

static const struct rsp_case rsp_cases[] = {
	{ "rsp read okay", 0, RD, OKAY, 8, 0 },
	{ "rsp read error", 0, RD, ERR, 8, 0 },
	{ "rsp read eopnotsupp", 0, RD, NOTSUP, 8, 0 },
	{ "rsp write okay", 1, WR, OKAY, 8, 0 },
	{ "rsp discard okay", 4, DIS, OKAY, 8, 0 },
	{ "rsp discard eopnotsupp", 4, DIS, NOTSUP, 8, 0 },
	{ "rsp flush okay", 5, FL, OKAY, 8, 0 },
	{ "rsp barrier eopnotsupp", 7, BAR, NOTSUP, 8, 0 },
	{ "rsp last id", 7, BAR, OKAY, 8, 0 },

	/* Status. */
	{ "rsp status 1", 0, RD, 1, 8, -EIO },
	{ "rsp status -3", 0, RD, -3, 8, -EIO },
	{ "rsp status 2", 0, RD, 2, 8, -EIO },
	{ "rsp status 32767", 0, RD, 32767, 8, -EIO },
	{ "rsp status -32768", 0, RD, -32768, 8, -EIO },

	/* Id. */
	{ "rsp id = nr_ids", 8, RD, OKAY, 8, -EIO },
	{ "rsp id beyond nr_ids", 9, RD, OKAY, 8, -EIO },
	{ "rsp id 2^32 (0 if truncated)", 0x100000000ULL, RD, OKAY, 8, -EIO },
	{ "rsp id UINT64_MAX", 0xffffffffffffffffULL, RD, OKAY, 8, -EIO },
	{ "rsp id 3 with nr_ids 3", 3, RD, OKAY, 3, -EIO },
	{ "rsp id 0 with nr_ids 0", 0, RD, OKAY, 0, -EIO },
	{ "rsp id not outstanding", 2, RD, OKAY, 8, -EIO },

	/* Operation. */
	{ "rsp wrong op write for read", 0, WR, OKAY, 8, -EIO },
	{ "rsp wrong op read for write", 1, RD, OKAY, 8, -EIO },
	{ "rsp wrong op flush for discard", 4, FL, OKAY, 8, -EIO },
	{ "rsp op 255", 0, 255, OKAY, 8, -EIO },
	{ "rsp indirect read answered read", 3, RD, OKAY, 8, 0 },
	{ "rsp indirect read answered indirect", 3, IND, OKAY, 8, -EIO },
	{ "rsp indirect write answered write", 6, WR, ERR, 8, 0 },
	{ "rsp indirect write answered indirect", 6, IND, OKAY, 8, -EIO },
};

static void t_rsp(void **state)
{
	const struct rsp_case *c = XMP_ROW(struct rsp_case, state);
	const struct xmp_blkrsp rsp = { c->id, c->op, c->status };
	struct xmp_blkid copy[8];
	const char *why = NULL;

	memcpy(copy, ids, sizeof(copy));
	assert_int_equal(xmp_blkrsp_check(&rsp, copy, c->nr_ids, &why),
			 c->rc);
	if (c->rc)
		assert_non_null(why);
	/* "Does not change @ids." */
	assert_memory_equal(copy, ids, sizeof(copy));
}

int main(void)
{
	XMP_ADD_TABLE(t_rsp, rsp_cases);
	return XMP_RUN("blkrsp");
}
