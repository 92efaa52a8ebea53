// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Our frontend's plan against our backend's check: for each pair of
 * configured schemes, every backend maximum (orders 0..6) and every local
 * limit (0..7), the backend advertises, the frontend plans from exactly
 * the strings the backend wrote, and the backend accepts exactly the ring
 * the frontend publishes. This is note (3) of the seed end to end: both
 * sides publish identical parameters in the units of each scheme.
 */
#include <stdio.h>

#include "xmp_test.h"
#include <xen-mpring/ring_negotiate.h>

#define O	XMP_SCHEME_ORDER
#define P	XMP_SCHEME_PAGES
#define B	XMP_SCHEME_BOTH

struct interop_case {
	const char *name;
	unsigned int back_schemes, front_schemes;
	/* The frontend reads a node the backend wrote. */
	bool shared;
};

static const struct interop_case interop_cases[] = {
	{ "interop back order, front order", O, O, true },
	{ "interop back order, front pages", O, P, false },
	{ "interop back order, front both", O, B, true },
	{ "interop back pages, front order", P, O, false },
	{ "interop back pages, front pages", P, P, true },
	{ "interop back pages, front both", P, B, true },
	{ "interop back both, front order", B, O, true },
	{ "interop back both, front pages", B, P, true },
	{ "interop back both, front both", B, B, true },
};

static void check_one(const struct interop_case *c, unsigned int max,
		      unsigned int local)
{
	struct xmp_back_ring_nodes bn = { NULL, NULL };
	struct xmp_front_ring_nodes fn = { NULL, NULL, NULL };
	char so[12], sp[12], fo[12], fp[12], refbuf[64][12];
	const char *refs[64], *why = NULL;
	unsigned int i, bad, want;
	struct xmp_ring_result res;
	struct xmp_front_plan pl;
	struct xmp_ring_adv adv;
	u32 grefs[64];

	assert_int_equal(xmp_back_advertise(max, c->back_schemes, &adv), 0);
	snprintf(so, sizeof(so), "%u", adv.max_order);
	snprintf(sp, sizeof(sp), "%u", adv.max_pages);
	if (adv.schemes & O)
		bn.max_ring_page_order = so;
	if (adv.schemes & P)
		bn.max_ring_pages = sp;

	xmp_front_plan(&bn, local, c->front_schemes, false, &pl);
	want = c->shared ? max : 0;
	if (want > local)
		want = local;
	assert_int_equal(pl.order, want);
	assert_int_equal(pl.nr_pages, 1U << want);
	/* Nothing odd in what our own backend wrote. */
	assert_int_equal(pl.flags & ~XMP_NEG_CLAMPED, 0);
	if (want == 0) {
		assert_true(pl.write_ring_ref);
		assert_false(pl.write_ring_refN || pl.write_order ||
			     pl.write_pages);
	} else {
		assert_false(pl.write_ring_ref);
		assert_true(pl.write_ring_refN);
		assert_int_equal(pl.write_order, !!(c->front_schemes & O));
		assert_int_equal(pl.write_pages, !!(c->front_schemes & P));
	}

	/* What the frontend writes, as the backend reads it. */
	snprintf(fo, sizeof(fo), "%u", pl.order);
	snprintf(fp, sizeof(fp), "%u", pl.nr_pages);
	if (pl.write_order)
		fn.ring_page_order = fo;
	if (pl.write_pages)
		fn.num_ring_pages = fp;
	if (pl.write_ring_ref)
		fn.ring_ref = "77";
	if (xmp_back_check_front(&adv, &fn, &res, &why))
		fail_msg("max %u local %u: backend refused: %s", max, local,
			 why);
	assert_int_equal(res.order, pl.order);
	assert_int_equal(res.nr_pages, pl.nr_pages);
	assert_int_equal(res.use_ring_ref, pl.write_ring_ref);

	for (i = 0; i < pl.nr_pages; i++) {
		snprintf(refbuf[i], sizeof(refbuf[i]), "%u", 100 + i);
		refs[i] = refbuf[i];
	}
	assert_int_equal(xmp_back_ring_refs(&res, refs, grefs, &bad, &why), 0);
	for (i = 0; i < (res.use_ring_ref ? 1 : res.nr_pages); i++)
		assert_int_equal(grefs[i], 100 + i);
}

static void test_interop(void **state)
{
	const struct interop_case *c = XMP_ROW(struct interop_case, state);
	unsigned int max, local;

	for (max = 0; max <= XMP_RING_ORDER_LIMIT; max++)
		for (local = 0; local <= XMP_RING_ORDER_LIMIT + 1; local++)
			check_one(c, max, local);
}

/*
 * A frontend that skipped our InitWait uses default transport parameters
 * ("any transport parameters published by the frontend must contain their
 * default values"): one page, plain ring-ref, accepted whatever we offer.
 */
XMP_TEST(test_interop_frontend_skipped_initwait)
{
	struct xmp_back_ring_nodes bn = { "4", "16" };
	struct xmp_front_ring_nodes fn = { NULL, NULL, NULL };
	struct xmp_ring_result res;
	struct xmp_front_plan pl;
	struct xmp_ring_adv adv;
	const char *why = NULL;

	xmp_front_plan(&bn, 6, B, true, &pl);
	assert_int_equal(pl.order, 0);
	assert_true(pl.write_ring_ref);
	assert_false(pl.write_order || pl.write_pages || pl.write_ring_refN);
	fn.ring_ref = "5";
	assert_int_equal(xmp_back_advertise(4, B, &adv), 0);
	assert_int_equal(xmp_back_check_front(&adv, &fn, &res, &why), 0);
	assert_int_equal(res.nr_pages, 1);
	assert_true(res.use_ring_ref);
}

int main(void)
{
	XMP_ADD_TABLE(test_interop, interop_cases);
	XMP_ADD_TEST(test_interop_frontend_skipped_initwait);
	return XMP_RUN("ring interop");
}
