// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: blkif response validation (xmp_blkrsp_check).
 *
 * Input: nr_ids (u8, 0..64), a selector byte (bit 0: id is a raw u64,
 * else a byte; bit 1: status is a raw s16, else -4..3), id, operation u8,
 * status, then one byte per id: bit 7 busy, low bits the operation.
 * The result is compared with the header's rule; @ids must not change.
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

static u64 take(const uint8_t **p, size_t *left, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes && *left; i++, (*p)++, (*left)--)
		v |= (u64)**p << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nr_ids = take(&data, &size, 1) % 65, sel, i;
	struct xmp_blkid *ids, *copy;
	struct xmp_blkrsp rsp;
	const char *why = NULL;
	bool ok;
	int rc;

	sel = take(&data, &size, 1);
	rsp.id = take(&data, &size, sel & 1 ? 8 : 1);
	rsp.operation = take(&data, &size, 1);
	if (sel & 2)
		rsp.status = (s16)take(&data, &size, 2);
	else
		rsp.status = (s16)(take(&data, &size, 1) % 8) - 4;
	/* Exactly nr_ids entries: ASan catches a read past them. */
	ids = malloc(nr_ids * sizeof(*ids) + 1);
	copy = malloc(nr_ids * sizeof(*ids) + 1);
	for (i = 0; i < nr_ids; i++) {
		u8 b = take(&data, &size, 1);

		ids[i].busy = b & 0x80;
		ids[i].op = b & 0x7f;
	}
	if (nr_ids)
		memcpy(copy, ids, nr_ids * sizeof(*ids));

	ok = rsp.id < nr_ids && ids[rsp.id].busy &&
	     rsp.operation == ids[rsp.id].op &&
	     (rsp.status == XMP_BLKIF_RSP_OKAY ||
	      rsp.status == XMP_BLKIF_RSP_ERROR ||
	      rsp.status == XMP_BLKIF_RSP_EOPNOTSUPP);
	rc = xmp_blkrsp_check(&rsp, ids, nr_ids, &why);
	CHECK(rc == 0 || rc == -EIO);
	CHECK((rc == 0) == ok);
	if (rc)
		CHECK(why && *why);
	CHECK(!nr_ids || !memcmp(copy, ids, nr_ids * sizeof(*ids)));
	free(ids);
	free(copy);
	return 0;
}
