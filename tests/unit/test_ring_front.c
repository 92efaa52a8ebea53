// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Frontend side of the ring negotiation: xmp_front_plan (ring_negotiate.h).
 * Every field of the plan is checked against the row.
 */
#include "xmp_test.h"
#include <xen-mpring/ring_negotiate.h>

#define O	XMP_SCHEME_ORDER
#define P	XMP_SCHEME_PAGES
#define B	XMP_SCHEME_BOTH

#define OG	XMP_NEG_ORDER_GARBAGE
#define PG	XMP_NEG_PAGES_GARBAGE
#define NP2	XMP_NEG_PAGES_NOT_POW2
#define DIS	XMP_NEG_DISAGREE
#define CLA	XMP_NEG_CLAMPED

/*
 * The interop trap: one page writes "ring-ref" and nothing else; several
 * write ring-ref0..N-1 and the page-count node(s) of the schemes.
 */
#define ONE(flags)		{ 0, 1, true, false, false, false, (flags) }
#define MULTI(o, n, wo, wp, flags) \
	{ (o), (n), false, true, (wo), (wp), (flags) }
#define MB(o, n, flags)		MULTI(o, n, true, true, flags)

struct plan_case {
	const char *name;
	struct xmp_back_ring_nodes nodes;	/* max-ring-page-order, -pages */
	unsigned int local;
	unsigned int schemes;
	bool defaults_only;
	struct xmp_front_plan want;
};

static const struct plan_case plan_cases[] = {
	/* Which nodes the backend wrote (local limit 6, both schemes). */
	{ "plan none", { NULL, NULL }, 6, B, false, ONE(0) },
	{ "plan order 3 only", { "3", NULL }, 6, B, false, MB(3, 8, 0) },
	{ "plan pages 8 only", { NULL, "8" }, 6, B, false, MB(3, 8, 0) },
	{ "plan order 3 pages 8 agree", { "3", "8" }, 6, B, false,
	  MB(3, 8, 0) },
	{ "plan order 1 only", { "1", NULL }, 6, B, false, MB(1, 2, 0) },
	{ "plan order 0", { "0", NULL }, 6, B, false, ONE(0) },
	{ "plan pages 1", { NULL, "1" }, 6, B, false, ONE(0) },
	{ "plan order 0 pages 1", { "0", "1" }, 6, B, false, ONE(0) },
	{ "plan order 2 pages 8: MAX = 3, disagree", { "2", "8" }, 6, B,
	  false, MB(3, 8, DIS) },
	{ "plan order 3 pages 4: MAX = 3, disagree", { "3", "4" }, 6, B,
	  false, MB(3, 8, DIS) },
	{ "plan order 0 pages 64: disagree", { "0", "64" }, 6, B, false,
	  MB(6, 64, DIS) },

	/* Garbage in max-ring-page-order: ignored, flagged. */
	{ "plan order \"abc\"", { "abc", NULL }, 6, B, false, ONE(OG) },
	{ "plan order \"\"", { "", NULL }, 6, B, false, ONE(OG) },
	{ "plan order \"-1\"", { "-1", NULL }, 6, B, false, ONE(OG) },
	{ "plan order \" 2\"", { " 2", NULL }, 6, B, false, ONE(OG) },
	{ "plan order \"2 \"", { "2 ", NULL }, 6, B, false, ONE(OG) },
	{ "plan order \"0x4\"", { "0x4", NULL }, 6, B, false, ONE(OG) },
	{ "plan order \"4294967296\"", { "4294967296", NULL }, 6, B, false,
	  ONE(OG) },
	{ "plan order \"99\": a number, clamped", { "99", NULL }, 6, B,
	  false, MB(6, 64, CLA) },
	{ "plan order \"abc\" pages 4", { "abc", "4" }, 6, B, false,
	  MB(2, 4, OG) },

	/* Garbage in max-ring-pages: ignored, flagged; 0 is garbage. */
	{ "plan pages \"abc\"", { NULL, "abc" }, 6, B, false, ONE(PG) },
	{ "plan pages \"\"", { NULL, "" }, 6, B, false, ONE(PG) },
	{ "plan pages \"-1\"", { NULL, "-1" }, 6, B, false, ONE(PG) },
	{ "plan pages \" 2\"", { NULL, " 2" }, 6, B, false, ONE(PG) },
	{ "plan pages \"2 \"", { NULL, "2 " }, 6, B, false, ONE(PG) },
	{ "plan pages \"0x4\"", { NULL, "0x4" }, 6, B, false, ONE(PG) },
	{ "plan pages \"4294967296\"", { NULL, "4294967296" }, 6, B, false,
	  ONE(PG) },
	{ "plan pages \"0\"", { NULL, "0" }, 6, B, false, ONE(PG) },
	{ "plan pages \"99\": ffs(99) - 1 = 0", { NULL, "99" }, 6, B, false,
	  ONE(NP2) },
	{ "plan order 2 pages \"abc\"", { "2", "abc" }, 6, B, false,
	  MB(2, 4, PG) },
	{ "plan order 2 pages \"0\"", { "2", "0" }, 6, B, false,
	  MB(2, 4, PG) },
	{ "plan both garbage", { "x", "y" }, 6, B, false, ONE(OG | PG) },

	/* Not a power of 2: the seed's ffs(max-ring-pages) - 1. */
	{ "plan pages 3: ffs rule 0", { NULL, "3" }, 6, B, false, ONE(NP2) },
	{ "plan pages 6: ffs rule 1", { NULL, "6" }, 6, B, false,
	  MB(1, 2, NP2) },
	{ "plan pages 12: ffs rule 2", { NULL, "12" }, 6, B, false,
	  MB(2, 4, NP2) },
	{ "plan pages 48: ffs rule 4", { NULL, "48" }, 6, B, false,
	  MB(4, 16, NP2) },
	{ "plan pages 4294967295: ffs rule 0", { NULL, "4294967295" }, 6, B,
	  false, ONE(NP2) },
	{ "plan order 2 pages 12: equal after ffs, disagree", { "2", "12" },
	  6, B, false, MB(2, 4, NP2 | DIS) },
	{ "plan order 3 pages 12: disagree", { "3", "12" }, 6, B, false,
	  MB(3, 8, NP2 | DIS) },

	/* Huge values. */
	{ "plan order 100", { "100", NULL }, 6, B, false, MB(6, 64, CLA) },
	{ "plan order 4294967295", { "4294967295", NULL }, 6, B, false,
	  MB(6, 64, CLA) },
	{ "plan pages 2^31", { NULL, "2147483648" }, 6, B, false,
	  MB(6, 64, CLA) },
	{ "plan order 100 pages 2^31", { "100", "2147483648" }, 6, B, false,
	  MB(6, 64, DIS | CLA) },

	/* The local limit. */
	{ "plan local 2 < backend 4", { "4", NULL }, 2, B, false,
	  MB(2, 4, CLA) },
	{ "plan local 4 = backend 4", { "4", NULL }, 4, B, false,
	  MB(4, 16, 0) },
	{ "plan local 5 > backend 4", { "4", NULL }, 5, B, false,
	  MB(4, 16, 0) },
	{ "plan local 0, backend 4", { "4", NULL }, 0, B, false, ONE(CLA) },
	{ "plan local 0, backend 4 pages", { NULL, "16" }, 0, B, false,
	  ONE(CLA) },
	{ "plan local 0, no nodes", { NULL, NULL }, 0, B, false, ONE(0) },
	{ "plan local 1, backend 6 both", { "6", "64" }, 1, B, false,
	  MB(1, 2, CLA) },
	{ "plan local 7 > LIMIT, backend 6", { "6", NULL }, 7, B, false,
	  MB(6, 64, 0) },
	{ "plan local 7 > LIMIT, backend 7", { "7", NULL }, 7, B, false,
	  MB(6, 64, CLA) },
	{ "plan local 10 > LIMIT, backend 4", { "4", NULL }, 10, B, false,
	  MB(4, 16, 0) },
	{ "plan local 10 > LIMIT, backend 8", { "8", NULL }, 10, B, false,
	  MB(6, 64, CLA) },
	{ "plan local UINT_MAX, backend 100", { "100", NULL }, 0xffffffffU, B,
	  false, MB(6, 64, CLA) },

	/* An order-only frontend reads and writes only the order scheme. */
	{ "plan order-only: order 3", { "3", NULL }, 6, O, false,
	  MULTI(3, 8, true, false, 0) },
	{ "plan order-only: ignores pages 16", { NULL, "16" }, 6, O, false,
	  ONE(0) },
	{ "plan order-only: ignores pages garbage", { NULL, "abc" }, 6, O,
	  false, ONE(0) },
	{ "plan order-only: order 2, ignores pages 16", { "2", "16" }, 6, O,
	  false, MULTI(2, 4, true, false, 0) },
	{ "plan order-only: order 2, ignores pages 12", { "2", "12" }, 6, O,
	  false, MULTI(2, 4, true, false, 0) },
	{ "plan order-only: order garbage", { "abc", "16" }, 6, O, false,
	  ONE(OG) },
	{ "plan order-only: order 0", { "0", NULL }, 6, O, false, ONE(0) },
	{ "plan order-only: clamped", { "9", NULL }, 3, O, false,
	  MULTI(3, 8, true, false, CLA) },

	/* A pages-only frontend reads and writes only the pages scheme. */
	{ "plan pages-only: pages 8", { NULL, "8" }, 6, P, false,
	  MULTI(3, 8, false, true, 0) },
	{ "plan pages-only: ignores order 3", { "3", NULL }, 6, P, false,
	  ONE(0) },
	{ "plan pages-only: ignores order garbage", { "abc", NULL }, 6, P,
	  false, ONE(0) },
	{ "plan pages-only: pages 4, ignores order 4", { "4", "4" }, 6, P,
	  false, MULTI(2, 4, false, true, 0) },
	{ "plan pages-only: pages 12 ffs rule", { NULL, "12" }, 6, P, false,
	  MULTI(2, 4, false, true, NP2) },
	{ "plan pages-only: pages garbage", { "3", "abc" }, 6, P, false,
	  ONE(PG) },
	{ "plan pages-only: pages 1", { NULL, "1" }, 6, P, false, ONE(0) },
	{ "plan pages-only: clamped", { NULL, "64" }, 2, P, false,
	  MULTI(2, 4, false, true, CLA) },

	/* Schemes without ORDER or PAGES count as both (header). */
	{ "plan schemes 0 counts as both", { "2", "8" }, 6, 0, false,
	  MB(3, 8, DIS) },
	{ "plan schemes 4 counts as both", { NULL, "4" }, 6, 4, false,
	  MB(2, 4, 0) },

	/* The backend skipped InitWait: defaults, whatever the nodes. */
	{ "plan defaults_only, order 4 pages 16", { "4", "16" }, 6, B, true,
	  ONE(0) },
	{ "plan defaults_only, garbage", { "abc", "0" }, 6, B, true, ONE(0) },
	{ "plan defaults_only, huge", { "100", "2147483648" }, 2, B, true,
	  ONE(0) },
	{ "plan defaults_only, order-only", { "4", NULL }, 6, O, true,
	  ONE(0) },
	{ "plan defaults_only, pages-only", { NULL, "16" }, 6, P, true,
	  ONE(0) },
	{ "plan defaults_only, no nodes", { NULL, NULL }, 6, B, true,
	  ONE(0) },
};

static void t_plan(void **state)
{
	const struct plan_case *c = XMP_ROW(struct plan_case, state);
	const struct xmp_front_plan *w = &c->want;
	struct xmp_front_plan plan;

	/* Every field must be written: start from the opposite. */
	plan.order = 0xa5a5a5a5U;
	plan.nr_pages = 0xa5a5a5a5U;
	plan.write_ring_ref = !w->write_ring_ref;
	plan.write_ring_refN = !w->write_ring_refN;
	plan.write_order = !w->write_order;
	plan.write_pages = !w->write_pages;
	plan.flags = ~w->flags;

	xmp_front_plan(&c->nodes, c->local, c->schemes, c->defaults_only,
		       &plan);
	assert_int_equal(plan.order, w->order);
	assert_int_equal(plan.nr_pages, w->nr_pages);
	assert_int_equal(plan.write_ring_ref, w->write_ring_ref);
	assert_int_equal(plan.write_ring_refN, w->write_ring_refN);
	assert_int_equal(plan.write_order, w->write_order);
	assert_int_equal(plan.write_pages, w->write_pages);
	assert_int_equal(plan.flags, w->flags);
}

/* The nodes are only read: the same input twice gives the same plan. */
XMP_TEST(plan_does_not_write_nodes)
{
	const char order[] = "3", pages[] = "8";
	const struct xmp_back_ring_nodes nodes = { order, pages };
	struct xmp_front_plan plan;

	xmp_front_plan(&nodes, 6, B, false, &plan);
	assert_string_equal(order, "3");
	assert_string_equal(pages, "8");
	assert_int_equal(plan.order, 3);
}

int main(void)
{
	XMP_ADD_TABLE(t_plan, plan_cases);
	XMP_ADD_TEST(plan_does_not_write_nodes);
	return XMP_RUN("ring_front");
}
