// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Unit tests of the pvSCSI protocol core: address parsing (vscsi_addr.c),
 * request/response validation (vscsi_check.c) and the state tables
 * (vscsi_fsm.c). Table-driven (xmp_test.h): each row is one test case,
 * an input and its expected outcome, down to the reason reported.
 */
#include "xmp_test.h"

#include <xen-mpring/vscsi_addr.h>
#include <xen-mpring/vscsi_check.h>
#include <xen-mpring/vscsi_fsm.h>

/* ---------------------------------------------------------------- */
/* h:c:t:l, v-dev, p-dev, dev-<n>                                    */
/* ---------------------------------------------------------------- */

struct hctl_case {
	const char *name;
	const char *in;
	int err;
	u32 h, c, t, l;
	const char *why;	/* substring of the reason, for errors */
};

static const struct hctl_case hctl_cases[] = {
	{ "hctl 0: \"0:0:0:0\"",
	  "0:0:0:0", 0, 0, 0, 0, 0, NULL },
	{ "hctl 1: \"8:0:2:1\"",
	  "8:0:2:1", 0, 8, 0, 2, 1, NULL },
	{ "hctl 2: \"4294967295:1:2:3\"",
	  "4294967295:1:2:3", 0, 4294967295U, 1, 2, 3, NULL },
	{ "hctl 3: \"00:0:0:07\"",
	  "00:0:0:07", 0, 0, 0, 0, 7, NULL },
	{ "hctl 4: \"4294967296:0:0:0\"",
	  "4294967296:0:0:0", -ERANGE, 0, 0, 0, 0, "exceeds" },
	{ "hctl 5: \"0:0:0:99999999999\"",
	  "0:0:0:99999999999", -ERANGE, 0, 0, 0, 0, "exceeds" },
	{ "hctl 6: \"\"",
	  "", -EINVAL, 0, 0, 0, 0, "empty" },
	{ "hctl 7: NULL",
	  NULL, -EINVAL, 0, 0, 0, 0, "empty" },
	{ "hctl 8: \"0:0:0\"",
	  "0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 9: \"0:0:0:0:0\"",
	  "0:0:0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 10: \"0:0:0:\"",
	  "0:0:0:", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 11: \":0:0:0\"",
	  ":0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 12: \"0::0:0\"",
	  "0::0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 13: \"-1:0:0:0\"",
	  "-1:0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 14: \"+1:0:0:0\"",
	  "+1:0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 15: \" 1:0:0:0\"",
	  " 1:0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 16: \"1:0:0:0 \"",
	  "1:0:0:0 ", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 17: \"1:0:0:0\\n\"",
	  "1:0:0:0\n", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 18: \"0x1:0:0:0\"",
	  "0x1:0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 19: \"a:b:c:d\"",
	  "a:b:c:d", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 20: \"1.0.0.0\"",
	  "1.0.0.0", -EINVAL, 0, 0, 0, 0, "four decimal" },
	{ "hctl 21: \"00000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000000000000000000000000000000000000000000000:0:0:0",
	  -EINVAL, 0, 0, 0, 0, "too long" },
};

static void t_hctl(void **state)
{
	const struct hctl_case *c = XMP_ROW(struct hctl_case, state);
	struct xmp_vscsi_hctl h = { 0xdead, 0xdead, 0xdead, 0xdead };
	const char *why = NULL;

	assert_int_equal(xmp_vscsi_parse_hctl(c->in, &h, &why), c->err);
	if (c->err) {
		xmp_assert_why(why, c->why);
		/* Nothing written on error. */
		assert_int_equal(h.hst, 0xdead);
		return;
	}
	assert_int_equal(h.hst, c->h);
	assert_int_equal(h.chn, c->c);
	assert_int_equal(h.tgt, c->t);
	assert_int_equal(h.lun, c->l);
}

static const struct hctl_case vdev_cases[] = {
	{ "vdev 0: \"0:0:0:0\"",
	  "0:0:0:0", 0, 0, 0, 0, 0, NULL },
	{ "vdev 1: \"7:65535:65535:65535\"",
	  "7:65535:65535:65535", 0, 7, 65535, 65535, 65535, NULL },
	{ "vdev 2: \"0:65536:0:0\"",
	  "0:65536:0:0", -ERANGE, 0, 0, 0, 0, "65535" },
	{ "vdev 3: \"0:0:65536:0\"",
	  "0:0:65536:0", -ERANGE, 0, 0, 0, 0, "65535" },
	{ "vdev 4: \"0:0:0:65536\"",
	  "0:0:0:65536", -ERANGE, 0, 0, 0, 0, "65535" },
	{ "vdev 5: \"0:0:0\"",
	  "0:0:0", -EINVAL, 0, 0, 0, 0, "four decimal" },
};

static void t_vdev(void **state)
{
	const struct hctl_case *c = XMP_ROW(struct hctl_case, state);
	struct xmp_vscsi_hctl h = { 0xdead, 0xdead, 0xdead, 0xdead };
	const char *why = NULL;

	assert_int_equal(xmp_vscsi_parse_vdev(c->in, &h, &why), c->err);
	if (c->err) {
		xmp_assert_why(why, c->why);
		assert_int_equal(h.hst, 0xdead);
		return;
	}
	assert_int_equal(h.hst, c->h);
	assert_int_equal(h.chn, c->c);
	assert_int_equal(h.tgt, c->t);
	assert_int_equal(h.lun, c->l);
}

struct pdev_case {
	const char *name;
	const char *in;
	int err;
	enum xmp_vscsi_pdev_kind kind;
	const char *wwn;	/* for NAA */
	u32 lun;		/* for NAA; for HCTL the l field */
	const char *why;
};

static const struct pdev_case pdev_cases[] = {
	{ "pdev 0: \"8:0:2:1\"",
	  "8:0:2:1", 0, XMP_VSCSI_PDEV_HCTL, NULL, 1, NULL },
	{ "pdev 1: \"naa.60014054ac780582:0\"",
	  "naa.60014054ac780582:0", 0, XMP_VSCSI_PDEV_NAA,
	  "naa.60014054ac780582", 0, NULL },
	{ "pdev 2: \"naa.6001405ABCDEF0123456789abcdef012:4294967295\"",
	  "naa.6001405ABCDEF0123456789abcdef012:4294967295", 0,
	  XMP_VSCSI_PDEV_NAA, "naa.6001405ABCDEF0123456789abcdef012",
	  4294967295U, NULL },
	{ "pdev 3: \"naa.60014054ac780582:4294967296\"",
	  "naa.60014054ac780582:4294967296", -ERANGE, 0, NULL, 0, "exceeds" },
	{ "pdev 4: \"naa.60014054ac78058:0\"",
	  "naa.60014054ac78058:0", -EINVAL, 0, NULL, 0, "16 or 32 hex" },
	{ "pdev 5: \"naa.60014054ac7805821:0\"",
	  "naa.60014054ac7805821:0", -EINVAL, 0, NULL, 0, "16 or 32 hex" },
	{ "pdev 6: \"naa.60014054ac78058g:0\"",
	  "naa.60014054ac78058g:0", -EINVAL, 0, NULL, 0, "16 or 32 hex" },
	{ "pdev 7: \"naa.6001405ABCDEF0123456789abcdef0123:0\"",
	  "naa.6001405ABCDEF0123456789abcdef0123:0", -EINVAL, 0, NULL, 0,
	  "16 or 32 hex" },
	{ "pdev 8: \"naa.60014054ac780582\"",
	  "naa.60014054ac780582", -EINVAL, 0, NULL, 0, "16 or 32 hex" },
	{ "pdev 9: \"naa.60014054ac780582:\"",
	  "naa.60014054ac780582:", -EINVAL, 0, NULL, 0, "decimal" },
	{ "pdev 10: \"naa.60014054ac780582:1x\"",
	  "naa.60014054ac780582:1x", -EINVAL, 0, NULL, 0, "decimal" },
	{ "pdev 11: \"naa.60014054ac780582:-1\"",
	  "naa.60014054ac780582:-1", -EINVAL, 0, NULL, 0, "decimal" },
	{ "pdev 12: \"naa.:0\"",
	  "naa.:0", -EINVAL, 0, NULL, 0, "16 or 32 hex" },
	{ "pdev 13: \"iqn.2003-01.org:0\"",
	  "iqn.2003-01.org:0", -EINVAL, 0, NULL, 0, "four decimal" },
	{ "pdev 14: \"\"",
	  "", -EINVAL, 0, NULL, 0, "empty" },
	{ "pdev 15: NULL",
	  NULL, -EINVAL, 0, NULL, 0, "empty" },
};

static void t_pdev(void **state)
{
	const struct pdev_case *c = XMP_ROW(struct pdev_case, state);
	struct xmp_vscsi_pdev p;
	const char *why = NULL;

	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(xmp_vscsi_parse_pdev(c->in, &p, &why), c->err);
	if (c->err) {
		xmp_assert_why(why, c->why);
		return;
	}
	assert_int_equal(p.kind, c->kind);
	if (c->kind == XMP_VSCSI_PDEV_NAA) {
		assert_string_equal(p.wwn, c->wwn);
		assert_int_equal(p.lun, c->lun);
	} else {
		assert_int_equal(p.hctl.lun, c->lun);
	}
}

struct devname_case {
	const char *name;
	const char *in;
	int err;
	u32 n;
};

static const struct devname_case devname_cases[] = {
	{ "devname 0: \"dev-0\"",
	  "dev-0", 0, 0 },
	{ "devname 1: \"dev-1\"",
	  "dev-1", 0, 1 },
	{ "devname 2: \"dev-4294967295\"",
	  "dev-4294967295", 0, 4294967295U },
	{ "devname 3: \"dev-4294967296\"",
	  "dev-4294967296", -EINVAL, 0 },
	{ "devname 4: \"dev-01\"",
	  "dev-01", -EINVAL, 0 },
	{ "devname 5: \"dev-\"",
	  "dev-", -EINVAL, 0 },
	{ "devname 6: \"dev-1a\"",
	  "dev-1a", -EINVAL, 0 },
	{ "devname 7: \"dev--1\"",
	  "dev--1", -EINVAL, 0 },
	{ "devname 8: \"dev1\"",
	  "dev1", -EINVAL, 0 },
	{ "devname 9: \"DEV-1\"",
	  "DEV-1", -EINVAL, 0 },
	{ "devname 10: \"\"",
	  "", -EINVAL, 0 },
	{ "devname 11: NULL",
	  NULL, -EINVAL, 0 },
};

static void t_devname(void **state)
{
	const struct devname_case *c = XMP_ROW(struct devname_case, state);
	const char *why = NULL;
	u32 n = 12345;

	assert_int_equal(xmp_vscsi_parse_devname(c->in, &n, &why), c->err);
	if (c->err) {
		xmp_assert_why(why, "dev-<n>");
		assert_int_equal(n, 12345);
	} else {
		assert_int_equal(n, c->n);
	}
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

#define CDB	XMP_VSCSIIF_ACT_SCSI_CDB
#define TO	XMP_VSCSI_DIR_TO_DEVICE
#define FROM	XMP_VSCSI_DIR_FROM_DEVICE
#define NONE	XMP_VSCSI_DIR_NONE
#define GRANT	XMP_VSCSIIF_SG_GRANT

struct req_case {
	const char *name;
	struct xmp_vscsireq req;
	u32 max_sg_grant;
	int err;
	const char *why;
	unsigned int ring_segs;
};

static const struct req_case req_cases[] = {
	/* TEST UNIT READY, INQUIRY, READ(10), READ(16), READ(12) */
	{ "req 0: { CDB, 6, 0x00, NONE, 0 } ok",
	  { CDB, 6, 0x00, NONE, 0 }, 0, 0, NULL, 0 },
	{ "req 1: { CDB, 6, 0x12, FROM, 1 } ok",
	  { CDB, 6, 0x12, FROM, 1 }, 0, 0, NULL, 1 },
	{ "req 2: { CDB, 10, 0x28, FROM, 26 } ok",
	  { CDB, 10, 0x28, FROM, 26 }, 0, 0, NULL, 26 },
	{ "req 3: { CDB, 16, 0x88, FROM, 3 } ok",
	  { CDB, 16, 0x88, FROM, 3 }, 0, 0, NULL, 3 },
	{ "req 4: { CDB, 12, 0xa8, FROM, 3 } ok",
	  { CDB, 12, 0xa8, FROM, 3 }, 0, 0, NULL, 3 },
	/* a longer CDB than needed is fine (trailing bytes) */
	{ "req 5: { CDB, 16, 0x2a, TO, 2 } ok",
	  { CDB, 16, 0x2a, TO, 2 }, 0, 0, NULL, 2 },
	/* vendor group 7 and reserved group 3: the opcode is enough */
	{ "req 6: { CDB, 1, 0xe0, NONE, 0 } ok",
	  { CDB, 1, 0xe0, NONE, 0 }, 0, 0, NULL, 0 },
	{ "req 7: { CDB, 1, 0x7f, NONE, 0 } ok",
	  { CDB, 1, 0x7f, NONE, 0 }, 0, 0, NULL, 0 },
	/* a zero-length transfer with a data direction */
	{ "req 8: { CDB, 10, 0x2a, TO, 0 } ok",
	  { CDB, 10, 0x2a, TO, 0 }, 0, 0, NULL, 0 },
	/* indirect */
	{ "req 9: { CDB, 10, 0x28, FROM, GRANT | 1 } ok",
	  { CDB, 10, 0x28, FROM, GRANT | 1 }, 128, 0, NULL, 1 },
	{ "req 10: { CDB, 10, 0x28, FROM, GRANT | 26 } ok",
	  { CDB, 10, 0x28, FROM, GRANT | 26 }, 1024, 0, NULL, 26 },
	/* CDB length */
	{ "req 11: { CDB, 0, 0x00, NONE, 0 } CDB length",
	  { CDB, 0, 0x00, NONE, 0 }, 0, -EINVAL, "CDB length", 0 },
	{ "req 12: { CDB, 17, 0x00, NONE, 0 } CDB length",
	  { CDB, 17, 0x00, NONE, 0 }, 0, -EINVAL, "CDB length", 0 },
	{ "req 13: { CDB, 255, 0x00, NONE, 0 } CDB length",
	  { CDB, 255, 0x00, NONE, 0 }, 0, -EINVAL, "CDB length", 0 },
	{ "req 14: { CDB, 5, 0x00, NONE, 0 } shorter",
	  { CDB, 5, 0x00, NONE, 0 }, 0, -EINVAL, "shorter", 0 },
	{ "req 15: { CDB, 9, 0x28, FROM, 1 } shorter",
	  { CDB, 9, 0x28, FROM, 1 }, 0, -EINVAL, "shorter", 0 },
	{ "req 16: { CDB, 15, 0x88, FROM, 1 } shorter",
	  { CDB, 15, 0x88, FROM, 1 }, 0, -EINVAL, "shorter", 0 },
	{ "req 17: { CDB, 11, 0xa8, FROM, 1 } shorter",
	  { CDB, 11, 0xa8, FROM, 1 }, 0, -EINVAL, "shorter", 0 },
	/* direction */
	{ "req 18: { CDB, 6, 0x00, 0, 0 } bidirectional",
	  { CDB, 6, 0x00, 0, 0 }, 0, -EINVAL, "bidirectional", 0 },
	{ "req 19: { CDB, 6, 0x00, 4, 0 } invalid data direction",
	  { CDB, 6, 0x00, 4, 0 }, 0, -EINVAL, "invalid data direction", 0 },
	{ "req 20: { CDB, 6, 0x00, 255, 0 } invalid data direction",
	  { CDB, 6, 0x00, 255, 0 }, 0, -EINVAL, "invalid data direction", 0 },
	{ "req 21: { CDB, 6, 0x00, NONE, 1 } none with segments",
	  { CDB, 6, 0x00, NONE, 1 }, 0, -EINVAL, "none with segments", 0 },
	{ "req 22: { CDB, 6, 0x00, NONE, GRANT | 1 } none with segments",
	  { CDB, 6, 0x00, NONE, GRANT | 1 }, 128, -EINVAL, "none with segments", 0 },
	/* segments */
	{ "req 23: { CDB, 10, 0x28, FROM, 27 } 26 direct",
	  { CDB, 10, 0x28, FROM, 27 }, 0, -EINVAL, "26 direct", 0 },
	{ "req 24: { CDB, 10, 0x28, FROM, 127 } 26 direct",
	  { CDB, 10, 0x28, FROM, 127 }, 1024, -EINVAL, "26 direct", 0 },
	{ "req 25: { CDB, 10, 0x28, FROM, GRANT | 1 } feature-sg-grant",
	  { CDB, 10, 0x28, FROM, GRANT | 1 }, 0, -EINVAL, "feature-sg-grant", 0 },
	{ "req 26: { CDB, 10, 0x28, FROM, GRANT | 0 } page count",
	  { CDB, 10, 0x28, FROM, GRANT | 0 }, 128, -EINVAL, "page count", 0 },
	{ "req 27: { CDB, 10, 0x28, FROM, GRANT | 27 } page count",
	  { CDB, 10, 0x28, FROM, GRANT | 27 }, 128, -EINVAL, "page count", 0 },
	{ "req 28: { CDB, 10, 0x28, FROM, 0xff } page count",
	  { CDB, 10, 0x28, FROM, 0xff }, 128, -EINVAL, "page count", 0 },
	/* acts */
	{ "req 29: { XMP_VSCSIIF_ACT_SCSI_ABORT, 0, 0, 0, 0 } ok",
	  { XMP_VSCSIIF_ACT_SCSI_ABORT, 0, 0, 0, 0 }, 0, 0, NULL, 0 },
	{ "req 30: { XMP_VSCSIIF_ACT_SCSI_RESET, 0, 0, 0, 0 } ok",
	  { XMP_VSCSIIF_ACT_SCSI_RESET, 0, 0, 0, 0 }, 0, 0, NULL, 0 },
	{ "req 31: { XMP_VSCSIIF_ACT_SCSI_RESET, 0, 0, 0, 1 } with segments",
	  { XMP_VSCSIIF_ACT_SCSI_RESET, 0, 0, 0, 1 }, 0, -EINVAL, "with segments", 0 },
	{ "req 32: { XMP_VSCSIIF_ACT_SCSI_SG_PRESET, 6, 0, NONE, 0 } SG_PRESET",
	  { XMP_VSCSIIF_ACT_SCSI_SG_PRESET, 6, 0, NONE, 0 }, 0, -EOPNOTSUPP, "SG_PRESET", 0 },
	{ "req 33: { 0, 6, 0, NONE, 0 } unknown",
	  { 0, 6, 0, NONE, 0 }, 0, -EOPNOTSUPP, "unknown", 0 },
	{ "req 34: { 5, 6, 0, NONE, 0 } unknown",
	  { 5, 6, 0, NONE, 0 }, 0, -EOPNOTSUPP, "unknown", 0 },
	{ "req 35: { 255, 6, 0, NONE, 0 } unknown",
	  { 255, 6, 0, NONE, 0 }, 0, -EOPNOTSUPP, "unknown", 0 },
};

static void t_req(void **state)
{
	const struct req_case *c = XMP_ROW(struct req_case, state);
	const char *why = NULL;

	assert_int_equal(xmp_vscsireq_check(&c->req, c->max_sg_grant, &why),
			 c->err);
	if (c->err) {
		xmp_assert_why(why, c->why);
		return;
	}
	assert_int_equal(xmp_vscsireq_ring_segs(&c->req), c->ring_segs);
}

struct seg_case {
	const char *name;
	u16 off, len;
	int err;
	u64 add;
};

static const struct seg_case seg_cases[] = {
	{ "seg 0: 0, 4096, 0, 4096 ",
	  0, 4096, 0, 4096 },
	{ "seg 1: 0, 1, 0, 1 ",
	  0, 1, 0, 1 },
	{ "seg 2: 4095, 1, 0, 1 ",
	  4095, 1, 0, 1 },
	{ "seg 3: 512, 3584, 0, 3584 ",
	  512, 3584, 0, 3584 },
	{ "seg 4: 0, 0, -EINVAL, 0 ",
	  0, 0, -EINVAL, 0 },
	{ "seg 5: 4095, 2, -EINVAL, 0 ",
	  4095, 2, -EINVAL, 0 },
	{ "seg 6: 1, 4096, -EINVAL, 0 ",
	  1, 4096, -EINVAL, 0 },
	{ "seg 7: 65535, 65535, -EINVAL, 0 ",
	  65535, 65535, -EINVAL, 0 },
	{ "seg 8: 4096, 1, -EINVAL, 0 ",
	  4096, 1, -EINVAL, 0 },
};

static void t_seg(void **state)
{
	const struct seg_case *c = XMP_ROW(struct seg_case, state);
	const char *why = NULL;
	u64 bytes = 100;

	assert_int_equal(xmp_vscsiseg_check(c->off, c->len, &bytes, &why),
			 c->err);
	assert_int_equal(bytes, 100 + c->add);
	if (c->err)
		xmp_assert_why(why, "segment");
}

struct ind_case {
	const char *name;
	u16 off, len;
	u32 max, before;
	int err;
	u32 after;
	const char *why;
};

static const struct ind_case ind_cases[] = {
	{ "ind 0: 0, 4096, 512",
	  0, 4096, 512, 0, 0, 512, NULL },
	{ "ind 1: 0, 8, 128",
	  0, 8, 128, 0, 0, 1, NULL },
	{ "ind 2: 4088, 8, 128",
	  4088, 8, 128, 10, 0, 11, NULL },
	{ "ind 3: 0, 1024, 128",
	  0, 1024, 128, 0, 0, 128, NULL },
	{ "ind 4: 0, 1032, 128",
	  0, 1032, 128, 0, -EINVAL, 129, "feature-sg-grant" },
	{ "ind 5: 0, 8, 128",
	  0, 8, 128, 128, -EINVAL, 129, "feature-sg-grant" },
	{ "ind 6: 0, 0, 128",
	  0, 0, 128, 0, -EINVAL, 0, "whole number" },
	{ "ind 7: 0, 12, 128",
	  0, 12, 128, 0, -EINVAL, 0, "whole number" },
	{ "ind 8: 4, 8, 128",
	  4, 8, 128, 0, -EINVAL, 0, "whole number" },
	{ "ind 9: 4088, 16, 128",
	  4088, 16, 128, 0, -EINVAL, 0, "crosses" },
	{ "ind 10: 65528, 65528, 0xffffffff",
	  65528, 65528, 0xffffffff, 0, -EINVAL, 0, "crosses" },
};

static void t_ind(void **state)
{
	const struct ind_case *c = XMP_ROW(struct ind_case, state);
	const char *why = NULL;
	u32 n = c->before;

	assert_int_equal(xmp_vscsiind_check(c->off, c->len, c->max, &n, &why),
			 c->err);
	if (c->err)
		xmp_assert_why(why, c->why);
	if (!c->err || c->after)
		assert_int_equal(n, c->after);
}

/* ---------------------------------------------------------------- */
/* Responses                                                         */
/* ---------------------------------------------------------------- */

struct rsp_case {
	const char *name;
	struct xmp_vscsirsp rsp;
	int err;
	const char *why;
};

static const struct xmp_vscsi_id rsp_ids[4] = {
	{ true, XMP_VSCSIIF_ACT_SCSI_CDB },
	{ false, XMP_VSCSIIF_ACT_SCSI_CDB },
	{ true, XMP_VSCSIIF_ACT_SCSI_RESET },
	{ true, XMP_VSCSIIF_ACT_SCSI_ABORT },
};

static const struct rsp_case rsp_cases[] = {
	{ "rsp 0: { 0, 0, 0, 0 }",
	  { 0, 0, 0, 0 }, 0, NULL },
	{ "rsp 1: { 0, 96, XMP_VSCSI_RSLT(0, 2), 0 }",
	  { 0, 96, XMP_VSCSI_RSLT(0, 2), 0 }, 0, NULL },	/* CHECK CONDITION */
	{ "rsp 1b: NO_CONNECT with sense",
	  { 0, 18, XMP_VSCSI_RSLT(XMP_VSCSI_HOST_NO_CONNECT, 0), 0 }, 0, NULL },
	{ "rsp 2: { 0, 0, XMP_VSCSI_RSLT(20, 0), 4096 }",
	  { 0, 0, XMP_VSCSI_RSLT(20, 0), 4096 }, 0, NULL },
	{ "rsp 3: { 0, 97, 0, 0 }",
	  { 0, 97, 0, 0 }, -EIO, "sense" },
	{ "rsp 4: { 0, 255, 0, 0 }",
	  { 0, 255, 0, 0 }, -EIO, "sense" },
	{ "rsp 5: { 0, 0, XMP_VSCSI_RSLT(21, 0), 0 }",
	  { 0, 0, XMP_VSCSI_RSLT(21, 0), 0 }, -EIO, "host byte" },
	{ "rsp 6: { 0, 0, -1, 0 }",
	  { 0, 0, -1, 0 }, -EIO, "host byte" },
	{ "rsp 7: { 1, 0, 0, 0 }",
	  { 1, 0, 0, 0 }, -EIO, "not in flight" },
	{ "rsp 8: { 4, 0, 0, 0 }",
	  { 4, 0, 0, 0 }, -EIO, "out of range" },
	{ "rsp 9: { 65535, 0, 0, 0 }",
	  { 65535, 0, 0, 0 }, -EIO, "out of range" },
	/* reset/abort: any result, sense ignored */
	{ "rsp 10: { 2, 255, XMP_VSCSI_RSLT_RESET_SUCCESS, 0 }",
	  { 2, 255, XMP_VSCSI_RSLT_RESET_SUCCESS, 0 }, 0, NULL },
	{ "rsp 11: { 3, 0, XMP_VSCSI_RSLT_RESET_FAILED, 0 }",
	  { 3, 0, XMP_VSCSI_RSLT_RESET_FAILED, 0 }, 0, NULL },
};

static void t_rsp(void **state)
{
	const struct rsp_case *c = XMP_ROW(struct rsp_case, state);
	const char *why = NULL;

	assert_int_equal(xmp_vscsirsp_check(&c->rsp, rsp_ids,
					    ARRAY_SIZE(rsp_ids), &why),
			 c->err);
	if (c->err)
		xmp_assert_why(why, c->why);
}

XMP_TEST(t_resid_and_names)
{
	assert_int_equal(xmp_vscsi_resid(0, 4096), 0);
	assert_int_equal(xmp_vscsi_resid(512, 4096), 512);
	assert_int_equal(xmp_vscsi_resid(4096, 4096), 4096);
	assert_int_equal(xmp_vscsi_resid(8192, 4096), 4096);
	assert_int_equal(xmp_vscsi_resid(0xffffffff, 0), 0);
	assert_string_equal(xmp_vscsi_act_name(1), "cdb");
	assert_string_equal(xmp_vscsi_act_name(2), "abort");
	assert_string_equal(xmp_vscsi_act_name(3), "reset");
	assert_string_equal(xmp_vscsi_act_name(4), "sg-preset");
	assert_string_equal(xmp_vscsi_act_name(0), "unknown");
	assert_string_equal(xmp_vscsi_act_name(200), "unknown");
}

/* ---------------------------------------------------------------- */
/* State tables                                                      */
/* ---------------------------------------------------------------- */

#define ADD_DEL		XMP_VSCSI_ACT_DEVS_ADD_DEL
#define DEVCONN		XMP_VSCSI_ACT_DEVS_CONNECT

struct fsm_case {
	const char *name;
	unsigned int own, peer;
	unsigned int must;	/* bits that must be set */
	unsigned int mustnot;	/* bits that must be clear */
};

/* The seed's hot add / remove round and vhost creation, backend side. */
static const struct fsm_case back_cases[] = {
	/* creation: front Initialised -> map, attach (1 -> 3), Connected */
	{ "back 0: XMP_XB_INITWAIT, XMP_XB_INITIALISED",
	  XMP_XB_INITWAIT, XMP_XB_INITIALISED,
	  XMP_ACT_CONNECT_RING | ADD_DEL | XMP_ACT_CONNECT, XMP_ACT_FATAL },
	/* front Connected: devices 3 -> 4, no reconnect */
	{ "back 1: XMP_XB_CONNECTED, XMP_XB_CONNECTED",
	  XMP_XB_CONNECTED, XMP_XB_CONNECTED, DEVCONN,
	  XMP_ACT_CONNECT_RING | XMP_ACT_DISCONNECT | XMP_ACT_FATAL | ADD_DEL },
	/* toolstack wrote 7 behind our back: own still Connected */
	{ "back 2: XMP_XB_CONNECTED, XMP_XB_RECONFIGURING",
	  XMP_XB_CONNECTED, XMP_XB_RECONFIGURING,
	  ADD_DEL | XMP_VSCSI_ACT_RECONFIGURED,
	  XMP_ACT_FATAL | XMP_ACT_DISCONNECT | DEVCONN },
	{ "back 3: XMP_XB_RECONFIGURING, XMP_XB_RECONFIGURING",
	  XMP_XB_RECONFIGURING, XMP_XB_RECONFIGURING,
	  ADD_DEL | XMP_VSCSI_ACT_RECONFIGURED, XMP_ACT_FATAL },
	/* end of the round: front Connected, own Reconfigured */
	{ "back 4: XMP_XB_RECONFIGURED, XMP_XB_CONNECTED",
	  XMP_XB_RECONFIGURED, XMP_XB_CONNECTED,
	  DEVCONN | XMP_VSCSI_ACT_CONNECTED,
	  XMP_ACT_DISCONNECT | XMP_ACT_CONNECT_RING | XMP_ACT_FATAL | ADD_DEL },
	{ "back 5: XMP_XB_RECONFIGURING, XMP_XB_CONNECTED",
	  XMP_XB_RECONFIGURING, XMP_XB_CONNECTED,
	  DEVCONN | XMP_VSCSI_ACT_CONNECTED,
	  XMP_ACT_DISCONNECT | XMP_ACT_CONNECT_RING | XMP_ACT_FATAL },
	/* Reconfiguring before connecting, Reconfigured from a frontend */
	{ "back 6: XMP_XB_INITWAIT, XMP_XB_RECONFIGURING",
	  XMP_XB_INITWAIT, XMP_XB_RECONFIGURING, XMP_ACT_FATAL, ADD_DEL },
	{ "back 7: XMP_XB_CONNECTED, XMP_XB_RECONFIGURED",
	  XMP_XB_CONNECTED, XMP_XB_RECONFIGURED, XMP_ACT_FATAL, ADD_DEL },
	{ "back 8: XMP_XB_CONNECTED, XMP_XB_INITWAIT",
	  XMP_XB_CONNECTED, XMP_XB_INITWAIT, XMP_ACT_FATAL, 0 },
	/* closing */
	{ "back 9: XMP_XB_CONNECTED, XMP_XB_CLOSING",
	  XMP_XB_CONNECTED, XMP_XB_CLOSING, XMP_ACT_CLOSING, ADD_DEL | DEVCONN },
	{ "back 10: XMP_XB_CLOSING, XMP_XB_CLOSED",
	  XMP_XB_CLOSING, XMP_XB_CLOSED,
	  XMP_ACT_DISCONNECT | XMP_ACT_CLOSED | XMP_ACT_UNREGISTER, ADD_DEL },
	{ "back 11: 9, XMP_XB_CONNECTED",
	  9, XMP_XB_CONNECTED, XMP_ACT_FATAL, 0 },
	{ "back 12: XMP_XB_CONNECTED, 9",
	  XMP_XB_CONNECTED, 9, XMP_ACT_FATAL, 0 },
};

static const struct fsm_case front_cases[] = {
	{ "front 0: XMP_XB_INITIALISING, XMP_XB_INITWAIT",
	  XMP_XB_INITIALISING, XMP_XB_INITWAIT, XMP_ACT_SETUP, DEVCONN },
	/* backend Connected: attach what it marks 3 before we connect */
	{ "front 1: XMP_XB_INITIALISED, XMP_XB_CONNECTED",
	  XMP_XB_INITIALISED, XMP_XB_CONNECTED, XMP_ACT_CONNECT | DEVCONN,
	  ADD_DEL | XMP_ACT_FATAL },
	/* hot add/remove round */
	{ "front 2: XMP_XB_CONNECTED, XMP_XB_RECONFIGURING",
	  XMP_XB_CONNECTED, XMP_XB_RECONFIGURING,
	  ADD_DEL | XMP_VSCSI_ACT_RECONFIGURING, DEVCONN | XMP_ACT_FATAL },
	{ "front 3: XMP_XB_RECONFIGURING, XMP_XB_RECONFIGURED",
	  XMP_XB_RECONFIGURING, XMP_XB_RECONFIGURED,
	  DEVCONN | XMP_VSCSI_ACT_CONNECTED, ADD_DEL | XMP_ACT_FATAL },
	/* backend back to Connected after the round: nothing to undo */
	{ "front 4: XMP_XB_CONNECTED, XMP_XB_RECONFIGURED",
	  XMP_XB_CONNECTED, XMP_XB_RECONFIGURED, 0,
	  XMP_ACT_FATAL | ADD_DEL | XMP_VSCSI_ACT_RECONFIGURING },
	{ "front 5: XMP_XB_CONNECTED, XMP_XB_CLOSING",
	  XMP_XB_CONNECTED, XMP_XB_CLOSING, XMP_ACT_CLOSING, ADD_DEL },
	{ "front 6: 9, XMP_XB_CONNECTED",
	  9, XMP_XB_CONNECTED, XMP_ACT_FATAL, 0 },
};

static void check_fsm(const struct fsm_case *c, unsigned int a)
{
	if ((a & c->must) != c->must || (a & c->mustnot))
		fail_msg("own %u peer %u: actions %#x, want %#x set and %#x clear",
			 c->own, c->peer, a, c->must, c->mustnot);
}

static void t_back(void **state)
{
	const struct fsm_case *c = XMP_ROW(struct fsm_case, state);

	check_fsm(c, xmp_vscsi_back_on_frontend(c->own, c->peer));
}

static void t_front(void **state)
{
	const struct fsm_case *c = XMP_ROW(struct fsm_case, state);

	check_fsm(c, xmp_vscsi_front_on_backend(c->own, c->peer));
}

/* Outside Reconfiguring/Reconfigured the core table decides. */
XMP_TEST(t_fsm_delegates_to_core)
{
	unsigned int own, peer, v, c;

	for (own = 0; own <= XMP_XB_CLOSED; own++)
		for (peer = 0; peer <= XMP_XB_CLOSED; peer++) {
			v = xmp_vscsi_front_on_backend(own, peer);
			c = xmp_front_on_backend(own, peer);
			if ((v & 0xfffU) != c)
				fail_msg("front own %u peer %u: %#x vs core %#x",
					 own, peer, v, c);
			if (own == XMP_XB_CONNECTED && peer == XMP_XB_CONNECTED)
				continue;
			v = xmp_vscsi_back_on_frontend(own, peer);
			c = xmp_back_on_frontend(own, peer);
			if ((v & 0xfffU) != c)
				fail_msg("back own %u peer %u: %#x vs core %#x",
					 own, peer, v, c);
		}
}

struct dev_case {
	const char *name;
	unsigned int pass, state;
	enum xmp_vscsi_dev_op back, front;
};

static const struct dev_case dev_cases[] = {
	{ "dev 0: ADD_DEL, XMP_XB_UNKNOWN",
	  ADD_DEL, XMP_XB_UNKNOWN, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 1: ADD_DEL, XMP_XB_INITIALISING",
	  ADD_DEL, XMP_XB_INITIALISING, XMP_VSCSI_DEV_ADD, XMP_VSCSI_DEV_NONE },
	{ "dev 2: ADD_DEL, XMP_XB_INITWAIT",
	  ADD_DEL, XMP_XB_INITWAIT, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 3: ADD_DEL, XMP_XB_INITIALISED",
	  ADD_DEL, XMP_XB_INITIALISED, XMP_VSCSI_DEV_READD, XMP_VSCSI_DEV_NONE },
	{ "dev 4: ADD_DEL, XMP_XB_CONNECTED",
	  ADD_DEL, XMP_XB_CONNECTED, XMP_VSCSI_DEV_READD, XMP_VSCSI_DEV_NONE },
	{ "dev 5: ADD_DEL, XMP_XB_CLOSING",
	  ADD_DEL, XMP_XB_CLOSING, XMP_VSCSI_DEV_DEL, XMP_VSCSI_DEV_DEL },
	{ "dev 6: ADD_DEL, XMP_XB_CLOSED",
	  ADD_DEL, XMP_XB_CLOSED, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_DEL },
	{ "dev 7: ADD_DEL, XMP_XB_RECONFIGURING",
	  ADD_DEL, XMP_XB_RECONFIGURING, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 8: DEVCONN, XMP_XB_INITIALISING",
	  DEVCONN, XMP_XB_INITIALISING, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 9: DEVCONN, XMP_XB_INITIALISED",
	  DEVCONN, XMP_XB_INITIALISED, XMP_VSCSI_DEV_CONNECT, XMP_VSCSI_DEV_ADD },
	{ "dev 10: DEVCONN, XMP_XB_CONNECTED",
	  DEVCONN, XMP_XB_CONNECTED, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_READD },
	{ "dev 11: DEVCONN, XMP_XB_CLOSING",
	  DEVCONN, XMP_XB_CLOSING, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 12: DEVCONN, 9",
	  DEVCONN, 9, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 13: DEVCONN, 0xffffffff",
	  DEVCONN, 0xffffffff, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 14: XMP_ACT_CONNECT, XMP_XB_INITIALISING",
	  XMP_ACT_CONNECT, XMP_XB_INITIALISING, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
	{ "dev 15: ADD_DEL | DEVCONN, XMP_XB_INITIALISING",
	  ADD_DEL | DEVCONN, XMP_XB_INITIALISING, XMP_VSCSI_DEV_NONE, XMP_VSCSI_DEV_NONE },
};

static void t_dev(void **state)
{
	const struct dev_case *c = XMP_ROW(struct dev_case, state);

	assert_int_equal(xmp_vscsi_back_dev(c->pass, c->state), c->back);
	assert_int_equal(xmp_vscsi_front_dev(c->pass, c->state), c->front);
}

int main(void)
{
	XMP_ADD_TABLE(t_hctl, hctl_cases);
	XMP_ADD_TABLE(t_vdev, vdev_cases);
	XMP_ADD_TABLE(t_pdev, pdev_cases);
	XMP_ADD_TABLE(t_devname, devname_cases);
	XMP_ADD_TABLE(t_req, req_cases);
	XMP_ADD_TABLE(t_seg, seg_cases);
	XMP_ADD_TABLE(t_ind, ind_cases);
	XMP_ADD_TABLE(t_rsp, rsp_cases);
	XMP_ADD_TEST(t_resid_and_names);
	XMP_ADD_TABLE(t_back, back_cases);
	XMP_ADD_TABLE(t_front, front_cases);
	XMP_ADD_TEST(t_fsm_delegates_to_core);
	XMP_ADD_TABLE(t_dev, dev_cases);
	return XMP_RUN("vscsi");
}
