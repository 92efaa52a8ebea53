// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Backend side of the ring negotiation: xmp_back_advertise,
 * xmp_back_check_front, xmp_back_ring_refs (ring_negotiate.h).
 */
#include "xmp_test.h"
#include <xen-mpring/ring_negotiate.h>

#define O	XMP_SCHEME_ORDER
#define P	XMP_SCHEME_PAGES
#define B	XMP_SCHEME_BOTH
#define UNSET	0xa5a5a5a5U

/* ------------------------------------------------------------------ */
/* xmp_back_advertise                                                  */
/* ------------------------------------------------------------------ */

struct adv_case {
	const char *name;
	unsigned int max_order, schemes;
	int rc;
	u32 max_pages;	/* when rc == 0 */
};

static const struct adv_case adv_cases[] = {
	{ "advertise order 0 order", 0, O, 0, 1 },
	{ "advertise order 1 order", 1, O, 0, 2 },
	{ "advertise order 2 order", 2, O, 0, 4 },
	{ "advertise order 3 order", 3, O, 0, 8 },
	{ "advertise order 4 order", 4, O, 0, 16 },
	{ "advertise order 5 order", 5, O, 0, 32 },
	{ "advertise order 6 order", 6, O, 0, 64 },
	{ "advertise order 0 pages", 0, P, 0, 1 },
	{ "advertise order 1 pages", 1, P, 0, 2 },
	{ "advertise order 2 pages", 2, P, 0, 4 },
	{ "advertise order 3 pages", 3, P, 0, 8 },
	{ "advertise order 4 pages", 4, P, 0, 16 },
	{ "advertise order 5 pages", 5, P, 0, 32 },
	{ "advertise order 6 pages", 6, P, 0, 64 },
	{ "advertise order 0 both", 0, B, 0, 1 },
	{ "advertise order 1 both", 1, B, 0, 2 },
	{ "advertise order 2 both", 2, B, 0, 4 },
	{ "advertise order 3 both", 3, B, 0, 8 },
	{ "advertise order 4 both", 4, B, 0, 16 },
	{ "advertise order 5 both", 5, B, 0, 32 },
	{ "advertise order 6 both", 6, B, 0, 64 },
	{ "advertise order 7 order EINVAL", 7, O, -EINVAL, 0 },
	{ "advertise order 7 pages EINVAL", 7, P, -EINVAL, 0 },
	{ "advertise order 7 both EINVAL", 7, B, -EINVAL, 0 },
	{ "advertise order 32 EINVAL", 32, B, -EINVAL, 0 },
	{ "advertise order UINT_MAX EINVAL", 0xffffffffU, B, -EINVAL, 0 },
	{ "advertise schemes 0 EINVAL", 2, 0, -EINVAL, 0 },
	{ "advertise schemes 4 EINVAL", 2, 4, -EINVAL, 0 },
	{ "advertise schemes 5 EINVAL", 2, 5, -EINVAL, 0 },
	{ "advertise schemes 7 EINVAL", 2, 7, -EINVAL, 0 },
	{ "advertise schemes 0x80000001 EINVAL", 2, 0x80000001U, -EINVAL, 0 },
};

static void t_adv(void **state)
{
	const struct adv_case *c = XMP_ROW(struct adv_case, state);
	struct xmp_ring_adv adv = { UNSET, UNSET, UNSET };

	assert_int_equal(xmp_back_advertise(c->max_order, c->schemes, &adv),
			 c->rc);
	if (c->rc)
		return;
	assert_int_equal(adv.schemes, c->schemes);
	assert_int_equal(adv.max_order, c->max_order);
	assert_int_equal(adv.max_pages, c->max_pages);
}

/* ------------------------------------------------------------------ */
/* xmp_back_check_front                                                */
/* ------------------------------------------------------------------ */

/* Advertisements as xmp_back_advertise() fills them. */
#define ADV_O4	{ O, 4, 16 }
#define ADV_P4	{ P, 4, 16 }
#define ADV_B4	{ B, 4, 16 }
#define ADV_B0	{ B, 0, 1 }
#define ADV_B6	{ B, 6, 64 }

#define ACCEPT(o, n, rr)	0, o, n, rr, NULL
#define REJECT(about)		-EINVAL, 0, 0, false, about

struct front_case {
	const char *name;
	struct xmp_ring_adv adv;
	struct xmp_front_ring_nodes nodes;	/* order, pages, ring-ref */
	int rc;
	unsigned int order, nr_pages;
	bool use_ring_ref;
	const char *about;	/* the reason names this node */
};

static const struct front_case front_cases[] = {
	/* Defaults: no transport parameters at all. */
	{ "check neither node, ring-ref", ADV_B4, { NULL, NULL, "8" },
	  ACCEPT(0, 1, true) },
	{ "check neither node, no ring-ref", ADV_B4, { NULL, NULL, NULL },
	  ACCEPT(0, 1, true) },
	{ "check neither node, adv order 0", ADV_B0, { NULL, NULL, "8" },
	  ACCEPT(0, 1, true) },
	{ "check ring-ref garbage is not checked here", ADV_B4,
	  { NULL, NULL, "abc" }, ACCEPT(0, 1, true) },

	/* One scheme, or both. */
	{ "check order 2 only", ADV_B4, { "2", NULL, NULL },
	  ACCEPT(2, 4, false) },
	{ "check pages 4 only", ADV_B4, { NULL, "4", NULL },
	  ACCEPT(2, 4, false) },
	{ "check order 2 pages 4 agree", ADV_B4, { "2", "4", NULL },
	  ACCEPT(2, 4, false) },
	{ "check order 1 pages 2 agree", ADV_B4, { "1", "2", NULL },
	  ACCEPT(1, 2, false) },
	{ "check order 2 pages 8 disagree", ADV_B4, { "2", "8", NULL },
	  REJECT("disagree") },
	{ "check order 3 pages 4 disagree", ADV_B4, { "3", "4", NULL },
	  REJECT("disagree") },
	{ "check order 0 pages 2 disagree", ADV_B4, { "0", "2", NULL },
	  REJECT("disagree") },
	{ "check order 1 pages 1 disagree", ADV_B4, { "1", "1", NULL },
	  REJECT("disagree") },

	/* The advertised maximum, under each advertised scheme. */
	{ "check both-adv order 4 = max", ADV_B4, { "4", NULL, NULL },
	  ACCEPT(4, 16, false) },
	{ "check both-adv order 5 > max", ADV_B4, { "5", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check both-adv pages 16 = max", ADV_B4, { NULL, "16", NULL },
	  ACCEPT(4, 16, false) },
	{ "check both-adv pages 32 > max", ADV_B4, { NULL, "32", NULL },
	  REJECT("num-ring-pages") },
	{ "check both-adv order 5 pages 32 > max", ADV_B4, { "5", "32", NULL },
	  REJECT(NULL) },
	{ "check order-adv order 4 = max", ADV_O4, { "4", NULL, NULL },
	  ACCEPT(4, 16, false) },
	{ "check order-adv order 5 > max", ADV_O4, { "5", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order-adv pages 16 = max", ADV_O4, { NULL, "16", NULL },
	  ACCEPT(4, 16, false) },
	{ "check order-adv pages 32 > max", ADV_O4, { NULL, "32", NULL },
	  REJECT("num-ring-pages") },
	{ "check order-adv both 16 pages", ADV_O4, { "4", "16", NULL },
	  ACCEPT(4, 16, false) },
	{ "check pages-adv order 4 = max", ADV_P4, { "4", NULL, NULL },
	  ACCEPT(4, 16, false) },
	{ "check pages-adv order 5 > max", ADV_P4, { "5", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check pages-adv pages 16 = max", ADV_P4, { NULL, "16", NULL },
	  ACCEPT(4, 16, false) },
	{ "check pages-adv pages 32 > max", ADV_P4, { NULL, "32", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages-adv both 8 pages", ADV_P4, { "3", "8", NULL },
	  ACCEPT(3, 8, false) },
	{ "check adv order 0: order 1 > max", ADV_B0, { "1", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check adv order 0: pages 2 > max", ADV_B0, { NULL, "2", NULL },
	  REJECT("num-ring-pages") },
	{ "check adv order 6: order 6 = max", ADV_B6, { "6", NULL, NULL },
	  ACCEPT(6, 64, false) },
	{ "check adv order 6: pages 64 = max", ADV_B6, { NULL, "64", NULL },
	  ACCEPT(6, 64, false) },
	{ "check adv order 6: order 7 > max", ADV_B6, { "7", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check adv order 6: pages 128 > max", ADV_B6, { NULL, "128", NULL },
	  REJECT("num-ring-pages") },
	{ "check order 31 > max", ADV_B6, { "31", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order 32 > max", ADV_B6, { "32", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order 4294967295 > max", ADV_B6, { "4294967295", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check pages 2^31 > max", ADV_B6, { NULL, "2147483648", NULL },
	  REJECT("num-ring-pages") },

	/* num-ring-pages must be a non-zero power of two. */
	{ "check pages 0", ADV_B4, { NULL, "0", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages 3", ADV_B4, { NULL, "3", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages 6", ADV_B4, { NULL, "6", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages 12", ADV_B4, { NULL, "12", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages 4294967295", ADV_B4, { NULL, "4294967295", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages 0 with order 0", ADV_B4, { "0", "0", NULL },
	  REJECT("num-ring-pages") },

	/* Garbage in ring-page-order. */
	{ "check order \"abc\"", ADV_B4, { "abc", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"\"", ADV_B4, { "", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"-1\"", ADV_B4, { "-1", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \" 2\"", ADV_B4, { " 2", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"2 \"", ADV_B4, { "2 ", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"0x4\"", ADV_B4, { "0x4", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"4294967296\"", ADV_B4, { "4294967296", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"99\"", ADV_B4, { "99", NULL, NULL },
	  REJECT("ring-page-order") },
	{ "check order \"abc\" with good pages", ADV_B4, { "abc", "4", NULL },
	  REJECT("ring-page-order") },

	/* Garbage in num-ring-pages. */
	{ "check pages \"abc\"", ADV_B4, { NULL, "abc", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"\"", ADV_B4, { NULL, "", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"-1\"", ADV_B4, { NULL, "-1", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \" 2\"", ADV_B4, { NULL, " 2", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"2 \"", ADV_B4, { NULL, "2 ", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"0x4\"", ADV_B4, { NULL, "0x4", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"4294967296\"", ADV_B4, { NULL, "4294967296", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"99\"", ADV_B4, { NULL, "99", NULL },
	  REJECT("num-ring-pages") },
	{ "check pages \"abc\" with good order", ADV_B4, { "2", "abc", NULL },
	  REJECT("num-ring-pages") },

	/* Note (6): ring-ref only for one page. */
	{ "check order 2 with ring-ref", ADV_B4, { "2", NULL, "8" },
	  REJECT("ring-ref") },
	{ "check pages 4 with ring-ref", ADV_B4, { NULL, "4", "8" },
	  REJECT("ring-ref") },
	{ "check both 2/4 with ring-ref", ADV_B4, { "2", "4", "8" },
	  REJECT("ring-ref") },
	{ "check order 0 with ring-ref", ADV_B4, { "0", NULL, "8" },
	  ACCEPT(0, 1, true) },
	{ "check order 0 without ring-ref: ring-ref0", ADV_B4,
	  { "0", NULL, NULL }, ACCEPT(0, 1, false) },
	{ "check pages 1 with ring-ref", ADV_B4, { NULL, "1", "8" },
	  ACCEPT(0, 1, true) },
	{ "check pages 1 without ring-ref: ring-ref0", ADV_B4,
	  { NULL, "1", NULL }, ACCEPT(0, 1, false) },
	{ "check order 0 pages 1 with ring-ref", ADV_B4, { "0", "1", "8" },
	  ACCEPT(0, 1, true) },
	{ "check order 0 pages 1 without ring-ref", ADV_B4,
	  { "0", "1", NULL }, ACCEPT(0, 1, false) },
	{ "check adv order 0: order 0 with ring-ref", ADV_B0,
	  { "0", NULL, "8" }, ACCEPT(0, 1, true) },
	{ "check adv order 0: pages 1 without ring-ref", ADV_B0,
	  { NULL, "1", NULL }, ACCEPT(0, 1, false) },
};

static void t_front(void **state)
{
	const struct front_case *c = XMP_ROW(struct front_case, state);
	struct xmp_ring_result res = { UNSET, UNSET, true };
	const char *why = NULL;
	int rc;

	res.use_ring_ref = !c->use_ring_ref;
	rc = xmp_back_check_front(&c->adv, &c->nodes, &res, &why);
	assert_int_equal(rc, c->rc);
	if (rc) {
		xmp_assert_why(why, c->about);
		return;
	}
	assert_int_equal(res.order, c->order);
	assert_int_equal(res.nr_pages, c->nr_pages);
	assert_int_equal(res.use_ring_ref, c->use_ring_ref);
}

/* ------------------------------------------------------------------ */
/* xmp_back_ring_refs                                                  */
/* ------------------------------------------------------------------ */

#define RES_RR		{ 0, 1, true }	/* one page, "ring-ref" */
#define RES_1		{ 0, 1, false }	/* one page, "ring-ref0" */
#define RES_2		{ 1, 2, false }
#define RES_4		{ 2, 4, false }
#define RES_8		{ 3, 8, false }

struct refs_case {
	const char *name;
	struct xmp_ring_result res;
	const char *refs[9];
	int rc;
	unsigned int bad_idx;	/* when rc != 0 */
	const char *why;	/* exact, when rc != 0 and not NULL */
	u32 grefs[8];		/* when rc == 0 */
};

static const struct refs_case refs_cases[] = {
	{ "refs single ring-ref", RES_RR, { "123" }, 0, 0, NULL, { 123 } },
	{ "refs single ring-ref 0", RES_RR, { "0" }, 0, 0, NULL, { 0 } },
	{ "refs single ring-ref max", RES_RR, { "4294967295" }, 0, 0, NULL,
	  { 4294967295U } },
	{ "refs single ring-ref ignores refs[1]", RES_RR, { "5", "x" }, 0, 0,
	  NULL, { 5 } },
	{ "refs single ring-ref missing", RES_RR, { NULL }, -EINVAL, 0,
	  "missing", { 0 } },
	{ "refs single ring-ref garbage", RES_RR, { "abc" }, -EINVAL, 0,
	  "is not a grant reference", { 0 } },
	{ "refs one page via ring-ref0", RES_1, { "7" }, 0, 0, NULL, { 7 } },
	{ "refs two pages", RES_2, { "7", "8" }, 0, 0, NULL, { 7, 8 } },
	{ "refs four pages", RES_4, { "10", "11", "12", "13" }, 0, 0, NULL,
	  { 10, 11, 12, 13 } },
	{ "refs four pages, extra refs ignored", RES_4,
	  { "10", "11", "12", "13", "junk", "10" }, 0, 0, NULL,
	  { 10, 11, 12, 13 } },
	{ "refs eight pages", RES_8,
	  { "800", "1", "7", "3", "4294967295", "0", "65536", "9" }, 0, 0,
	  NULL, { 800, 1, 7, 3, 4294967295U, 0, 65536, 9 } },
	{ "refs missing ring-ref0", RES_4, { NULL, "11", "12", "13" },
	  -EINVAL, 0, "missing", { 0 } },
	{ "refs missing ring-ref2", RES_4, { "10", "11", NULL, "13" },
	  -EINVAL, 2, "missing", { 0 } },
	{ "refs missing ring-ref3 (last)", RES_4, { "10", "11", "12", NULL },
	  -EINVAL, 3, "missing", { 0 } },
	{ "refs missing ring-ref1 of 2", RES_2, { "10", NULL }, -EINVAL, 1,
	  "missing", { 0 } },
	{ "refs garbage \"-1\" in ring-ref1", RES_4,
	  { "10", "-1", "12", "13" }, -EINVAL, 1,
	  "is not a grant reference", { 0 } },
	{ "refs garbage \"\" in ring-ref0", RES_4, { "", "11", "12", "13" },
	  -EINVAL, 0, "is not a grant reference", { 0 } },
	{ "refs garbage \" 12\" in ring-ref2", RES_4,
	  { "10", "11", " 12", "13" }, -EINVAL, 2,
	  "is not a grant reference", { 0 } },
	{ "refs garbage \"0x10\" in ring-ref3", RES_4,
	  { "10", "11", "12", "0x10" }, -EINVAL, 3,
	  "is not a grant reference", { 0 } },
	{ "refs garbage \"4294967296\" in ring-ref1", RES_2,
	  { "10", "4294967296" }, -EINVAL, 1, "is not a grant reference",
	  { 0 } },
	{ "refs duplicate ring-ref2 = ring-ref0", RES_4,
	  { "5", "6", "5", "7" }, -EINVAL, 2, NULL, { 0 } },
	{ "refs duplicate adjacent", RES_2, { "9", "9" }, -EINVAL, 1, NULL,
	  { 0 } },
	{ "refs duplicate last = first of 8", RES_8,
	  { "1", "2", "3", "4", "5", "6", "7", "1" }, -EINVAL, 7, NULL,
	  { 0 } },
	{ "refs first error wins (missing before dup)", RES_4,
	  { "5", NULL, "5", "abc" }, -EINVAL, 1, "missing", { 0 } },
};

static void t_refs(void **state)
{
	const struct refs_case *c = XMP_ROW(struct refs_case, state);
	u32 grefs[64];
	unsigned int i, bad = UNSET;
	const char *why = NULL;
	int rc;

	memset(grefs, 0xa5, sizeof(grefs));
	rc = xmp_back_ring_refs(&c->res, c->refs, grefs, &bad, &why);
	assert_int_equal(rc, c->rc);
	if (rc) {
		assert_int_equal(bad, c->bad_idx);
		assert_non_null(why);
		if (c->why)
			assert_string_equal(why, c->why);
		else if (!strcmp(why, "missing") ||
			 !strcmp(why, "is not a grant reference"))
			fail_msg("duplicate reported as \"%s\"", why);
		return;
	}
	for (i = 0; i < (c->res.use_ring_ref ? 1 : c->res.nr_pages); i++)
		assert_int_equal(grefs[i], c->grefs[i]);
}

/* 64 pages, the largest ring: ring-ref0..63 = "1000".."1063". */
static char refs64_buf[64][12];
static const char *refs64[64];

static void fill_refs64(void)
{
	unsigned int i;

	for (i = 0; i < 64; i++) {
		snprintf(refs64_buf[i], sizeof(refs64_buf[i]), "%u", 1000 + i);
		refs64[i] = refs64_buf[i];
	}
}

XMP_TEST(refs_64_pages)
{
	const struct xmp_ring_result res = { 6, 64, false };
	u32 grefs[64];
	unsigned int bad;
	const char *why;

	fill_refs64();
	assert_int_equal(xmp_back_ring_refs(&res, refs64, grefs, &bad, &why),
			 0);
	assert_int_equal(grefs[0], 1000);
	assert_int_equal(grefs[31], 1031);
	assert_int_equal(grefs[63], 1063);
}

XMP_TEST(refs_64_pages_missing_63)
{
	const struct xmp_ring_result res = { 6, 64, false };
	u32 grefs[64];
	unsigned int bad = UNSET;
	const char *why = NULL;

	fill_refs64();
	refs64[63] = NULL;
	assert_int_equal(xmp_back_ring_refs(&res, refs64, grefs, &bad, &why),
			 -EINVAL);
	assert_int_equal(bad, 63);
	xmp_assert_str(why, "missing");
}

XMP_TEST(refs_64_pages_63_duplicates_0)
{
	const struct xmp_ring_result res = { 6, 64, false };
	u32 grefs[64];
	unsigned int bad = UNSET;
	const char *why = NULL;

	fill_refs64();
	refs64[63] = "1000";
	assert_int_equal(xmp_back_ring_refs(&res, refs64, grefs, &bad, &why),
			 -EINVAL);
	assert_int_equal(bad, 63);
	assert_non_null(why);
}

int main(void)
{
	XMP_ADD_TABLE(t_adv, adv_cases);
	XMP_ADD_TABLE(t_front, front_cases);
	XMP_ADD_TABLE(t_refs, refs_cases);
	XMP_ADD_TEST(refs_64_pages);
	XMP_ADD_TEST(refs_64_pages_missing_63);
	XMP_ADD_TEST(refs_64_pages_63_duplicates_0);
	return XMP_RUN("ring_back");
}
