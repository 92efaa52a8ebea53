// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: pvSCSI protocol core (vscsi_addr.h, vscsi_check.h,
 * vscsi_fsm.h).
 *
 * Input: 12 header bytes, then a string (NUL-terminated by us):
 *   h[0] act  h[1] cmd_len  h[2] cdb0  h[3] dir  h[4] nr_segments
 *   h[5..6] seg offset (le16)  h[7..8] seg length (le16)
 *   h[9] rsp sense_len  h[10] own state  h[11] peer state
 *   string: parsed as h:c:t:l, v-dev, p-dev and dev-<n>
 * Each accepted value is checked against the rules the header documents
 * (a reference model written here); any violation abort()s.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen-mpring/vscsi_addr.h>
#include <xen-mpring/vscsi_check.h>
#include <xen-mpring/vscsi_fsm.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FUZZ INVARIANT %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* Reference: "a:b:c:d" of decimal u32 fields, nothing else. */
static bool ref_hctl(const char *s, u32 v[4])
{
	unsigned int i;

	if (strlen(s) > XMP_VSCSI_NAME_MAX)
		return false;
	for (i = 0; i < 4; i++) {
		u64 x = 0;
		const char *p = s;

		while (*s >= '0' && *s <= '9') {
			x = x * 10 + (u64)(*s - '0');
			if (x > UINT32_MAX)
				return false;
			s++;
		}
		if (s == p || *s != (i < 3 ? ':' : '\0'))
			return false;
		v[i] = (u32)x;
		if (i < 3)
			s++;
	}
	return true;
}

static void strings(const char *s)
{
	struct xmp_vscsi_hctl h;
	struct xmp_vscsi_pdev p;
	const char *why = NULL;
	u32 ref[4], n;
	bool ok = ref_hctl(s, ref);
	int err;

	err = xmp_vscsi_parse_hctl(s, &h, &why);
	CHECK(!err == ok);
	CHECK(err || (h.hst == ref[0] && h.chn == ref[1] && h.tgt == ref[2] &&
		      h.lun == ref[3]));
	CHECK(!err || why);

	err = xmp_vscsi_parse_vdev(s, &h, &why);
	CHECK(!err == (ok && ref[1] <= 0xffff && ref[2] <= 0xffff &&
		       ref[3] <= 0xffff));

	err = xmp_vscsi_parse_pdev(s, &p, &why);
	if (!err && p.kind == XMP_VSCSI_PDEV_HCTL)
		CHECK(ok && strncmp(s, "naa.", 4));
	if (!err && p.kind == XMP_VSCSI_PDEV_NAA) {
		size_t wl = strlen(p.wwn);

		CHECK(wl == 20 || wl == 36);
		CHECK(!strncmp(s, p.wwn, wl) && s[wl] == ':');
	}
	if (ok && strncmp(s, "naa.", 4))
		CHECK(!err && p.kind == XMP_VSCSI_PDEV_HCTL);
	CHECK(!err || why);

	err = xmp_vscsi_parse_devname(s, &n, &why);
	if (!err) {
		char buf[32];

		snprintf(buf, sizeof(buf), "dev-%u", n);
		CHECK(!strcmp(buf, s));
	}
}

static void request(const uint8_t *h)
{
	struct xmp_vscsireq r = { h[0], h[1], h[2], h[3], h[4] };
	const char *why = NULL;
	u32 max = h[9] * 8U;
	u32 nsegs = h[10];
	u16 off = (u16)(h[5] | h[6] << 8), len = (u16)(h[7] | h[8] << 8);
	u64 bytes = 0;
	int err = xmp_vscsireq_check(&r, max, &why);

	CHECK(!err || why);
	if (!err && r.act == XMP_VSCSIIF_ACT_SCSI_CDB) {
		unsigned int n = r.nr_segments & 0x7f;

		CHECK(r.cmd_len >= 1 && r.cmd_len <= 16);
		CHECK(r.dir >= 1 && r.dir <= 3);
		CHECK(r.dir != XMP_VSCSI_DIR_NONE || !r.nr_segments);
		CHECK(n <= 26);
		CHECK(!(r.nr_segments & 0x80) || (max && n));
		CHECK(xmp_vscsireq_ring_segs(&r) == n);
	}
	if (!err && r.act != XMP_VSCSIIF_ACT_SCSI_CDB)
		CHECK((r.act == 2 || r.act == 3) && !r.nr_segments);

	err = xmp_vscsiseg_check(off, len, &bytes, &why);
	CHECK(!err == (len && off + (u32)len <= 4096));
	CHECK(bytes == (err ? 0 : len));

	err = xmp_vscsiind_check(off, len, max, &nsegs, &why);
	if (!err)
		CHECK(len && !(len % 8) && !(off % 8) && off + (u32)len <= 4096 &&
		      nsegs == h[10] + len / 8U && nsegs <= max);
}

static void response(const uint8_t *h)
{
	struct xmp_vscsi_id ids[4] = {
		{ true, 1 }, { false, 1 }, { true, 2 }, { true, (u8)h[0] },
	};
	struct xmp_vscsirsp rsp = {
		.rqid = h[1] & 7, .sense_len = h[9],
		.rslt = (int)((u32)h[2] << 16 | h[3]),
	};
	const char *why = NULL;
	int err = xmp_vscsirsp_check(&rsp, ids, 4, &why);

	CHECK(!err || why);
	if (!err) {
		CHECK(rsp.rqid < 4 && ids[rsp.rqid].busy);
		if (ids[rsp.rqid].act == 1)
			CHECK(rsp.sense_len <= 96 && h[2] <= 20);
	}
	CHECK(xmp_vscsi_resid(h[4], h[5]) == (h[4] < h[5] ? h[4] : h[5]));
}

static void states(const uint8_t *h)
{
	unsigned int a = xmp_vscsi_back_on_frontend(h[10], h[11]);
	unsigned int f = xmp_vscsi_front_on_backend(h[10], h[11]);

	if (h[10] > 8 || h[11] > 8)
		CHECK(a == XMP_ACT_FATAL && f == XMP_ACT_FATAL);
	/* Device ops are in range for any pass and state. */
	CHECK(xmp_vscsi_back_dev(a, h[11]) <= XMP_VSCSI_DEV_DEL);
	CHECK(xmp_vscsi_front_dev(f, h[11]) <= XMP_VSCSI_DEV_DEL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 12)
		return 0;
	request(data);
	response(data);
	states(data);
	s = malloc(size - 12 + 1);
	if (!s)
		return 0;
	memcpy(s, data + 12, size - 12);
	s[size - 12] = '\0';
	strings(s);
	free(s);
	return 0;
}
