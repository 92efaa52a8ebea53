// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target: multi-page ring negotiation (ring_negotiate.h).
 *
 * Input: 6 header bytes, then NUL-separated node strings:
 *   h[0] local_max_order (0..255)      h[1] frontend schemes (0..255)
 *   h[2] bit 0 defaults_only, bits 1..5 presence of the 5 node strings
 *   h[3] advertised max_order          h[4] advertised schemes
 *   h[5] order of a made-up ring when the frontend's is rejected
 *   strings: max-ring-page-order, max-ring-pages, ring-page-order,
 *            num-ring-pages, ring-ref, then ring-ref0, ring-ref1, ...
 *            ("\x01" alone or no string = node absent)
 * Every result is compared with a reference model written here from the
 * header, and the invariants are checked; any violation abort()s.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen-mpring/ring_negotiate.h>

#define NTOK	(5 + 64)

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FUZZ INVARIANT %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* Reference strict decimal parser: 1..n digits, value <= UINT32_MAX. */
static bool ref_parse(const char *s, u32 *val)
{
	u64 v = 0;
	size_t i;

	if (!s || !*s)
		return false;
	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	for (i = 0; s[i]; i++) {
		v = v * 10 + (u64)(s[i] - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*val = (u32)v;
	return true;
}

static unsigned int ref_ffs(u32 v)
{
	return v ? (unsigned int)__builtin_ctz(v) + 1 : 0;
}

static bool pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static void check_parse(const char *s)
{
	u32 got = 0xdeadbeef, want = 0;
	unsigned int schemes = 0xdead;
	bool ok = ref_parse(s, &want);
	int rc = xmp_parse_u32(s, &got);

	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	CHECK((rc == 0) == ok);
	if (ok)
		CHECK(got == want);
	if (!s)
		return;
	rc = xmp_parse_scheme(s, &schemes);
	CHECK(rc == 0 || rc == -EINVAL);
	if (!rc) {
		const char *name = xmp_scheme_name(schemes);
		size_t len = strlen(s);

		CHECK(name);
		if (len && s[len - 1] == '\n')
			len--;
		CHECK(strlen(name) == len && !strncmp(name, s, len));
	}
}

static void check_front_plan(const char *const *tok, const u8 *h)
{
	const struct xmp_back_ring_nodes nodes = { tok[0], tok[1] };
	unsigned int local = h[0], schemes = h[1];
	bool defaults_only = h[2] & 1;
	unsigned int eff = schemes & XMP_SCHEME_BOTH ?
			   schemes & XMP_SCHEME_BOTH : XMP_SCHEME_BOTH;
	unsigned int lim = local < XMP_RING_ORDER_LIMIT ?
			   local : XMP_RING_ORDER_LIMIT;
	unsigned int flags = 0, order = 0, m = 0;
	bool ho = false, hp = false;
	u32 bo = 0, bp = 0;
	struct xmp_front_plan p;

	memset(&p, 0x5a, sizeof(p));
	xmp_front_plan(&nodes, local, schemes, defaults_only, &p);

	if (!defaults_only && (eff & XMP_SCHEME_ORDER) && tok[0]) {
		ho = ref_parse(tok[0], &bo);
		if (!ho)
			flags |= XMP_NEG_ORDER_GARBAGE;
	}
	if (!defaults_only && (eff & XMP_SCHEME_PAGES) && tok[1]) {
		hp = ref_parse(tok[1], &bp) && bp;
		if (!hp)
			flags |= XMP_NEG_PAGES_GARBAGE;
		else if (!pow2(bp))
			flags |= XMP_NEG_PAGES_NOT_POW2;
	}
	if (ho)
		m = bo;
	if (hp && ref_ffs(bp) - 1 > m)
		m = ref_ffs(bp) - 1;
	if (ho && hp && (bo != ref_ffs(bp) - 1 || !pow2(bp)))
		flags |= XMP_NEG_DISAGREE;
	if ((ho || hp) && m > lim)
		flags |= XMP_NEG_CLAMPED;
	if (ho || hp)
		order = m < lim ? m : lim;

	/* The invariants asked of every plan. */
	CHECK(p.order <= lim && p.order <= XMP_RING_ORDER_LIMIT);
	CHECK(p.nr_pages == 1U << p.order);
	CHECK((p.nr_pages == 1) == (p.write_ring_ref && !p.write_ring_refN &&
				    !p.write_order && !p.write_pages));
	CHECK(p.write_ring_ref != p.write_ring_refN);
	CHECK(p.nr_pages == 1 || p.write_order || p.write_pages);
	CHECK(!(p.flags & ~0x1fU));
	if (defaults_only)
		CHECK(p.order == 0 && p.flags == 0);
	/* And the exact plan of the reference model. */
	CHECK(p.order == order);
	CHECK(p.flags == flags);
	CHECK(p.write_order == (order && (eff & XMP_SCHEME_ORDER)));
	CHECK(p.write_pages == (order && (eff & XMP_SCHEME_PAGES)));
}

/* Returns whether the frontend's ring was accepted, and the result. */
static bool check_back(const char *const *tok, const u8 *h,
		       struct xmp_ring_result *res)
{
	const struct xmp_front_ring_nodes nodes = { tok[2], tok[3], tok[4] };
	unsigned int ao = h[3] % 8, as = h[4] % 5, max = 0;
	struct xmp_ring_adv adv;
	const char *why = NULL;
	bool ok = true;
	u32 o = 0, n = 1;
	int rc;

	/* The advertisement: valid for orders 0..6 and schemes 1..3. */
	rc = xmp_back_advertise(ao, as, &adv);
	CHECK(rc == ((ao <= 6 && as >= 1 && as <= 3) ? 0 : -EINVAL));
	if (rc)
		CHECK(!xmp_back_advertise(ao % 7, as % 3 + 1, &adv));
	CHECK(adv.max_order <= XMP_RING_ORDER_LIMIT);
	CHECK(adv.max_pages == 1U << adv.max_order);

	if (adv.schemes & XMP_SCHEME_ORDER)
		max = adv.max_order;
	if ((adv.schemes & XMP_SCHEME_PAGES) &&
	    ref_ffs(adv.max_pages) - 1 > max)
		max = ref_ffs(adv.max_pages) - 1;

	if (nodes.ring_page_order && !ref_parse(nodes.ring_page_order, &o))
		ok = false;
	if (nodes.num_ring_pages &&
	    (!ref_parse(nodes.num_ring_pages, &n) || !pow2(n)))
		ok = false;
	if (ok && (o > max || n > (1U << max)))
		ok = false;
	if (ok && nodes.ring_page_order && nodes.num_ring_pages &&
	    (u64)n != 1ULL << o)
		ok = false;
	if (ok && !nodes.ring_page_order && nodes.num_ring_pages)
		o = ref_ffs(n) - 1;
	if (ok && o > 0 && nodes.ring_ref)
		ok = false;

	memset(res, 0x5a, sizeof(*res));
	res->use_ring_ref = false;
	rc = xmp_back_check_front(&adv, &nodes, res, &why);
	CHECK(rc == 0 || rc == -EINVAL);
	CHECK((rc == 0) == ok);
	if (rc) {
		CHECK(why && *why);
		return false;
	}
	/* An accepted ring fits MAX(ffs(max-ring-pages) - 1, max-order). */
	CHECK(res->order <= max && res->order <= XMP_RING_ORDER_LIMIT);
	CHECK(res->nr_pages == 1U << res->order);
	CHECK(res->order == o);
	if (res->nr_pages > 1)
		CHECK(!res->use_ring_ref && !nodes.ring_ref);
	CHECK(res->use_ring_ref == (res->nr_pages == 1 &&
				    (nodes.ring_ref ||
				     (!nodes.ring_page_order &&
				      !nodes.num_ring_pages))));
	return true;
}

static void check_refs(const char *const *refs,
		       const struct xmp_ring_result *res)
{
	unsigned int n = res->use_ring_ref ? 1 : res->nr_pages;
	unsigned int i, j, bad = 0xdead, want_bad = n;
	u32 grefs[64], want[64];
	const char *why = NULL;
	int rc;

	for (i = 0; i < n && want_bad == n; i++) {
		if (!ref_parse(refs[i], &want[i]))
			want_bad = i;
		for (j = 0; j < i && want_bad == n; j++)
			if (want[j] == want[i])
				want_bad = i;
	}
	rc = xmp_back_ring_refs(res, refs, grefs, &bad, &why);
	CHECK(rc == 0 || rc == -EINVAL);
	CHECK((rc == 0) == (want_bad == n));
	if (rc) {
		CHECK(bad == want_bad && why && *why);
		return;
	}
	for (i = 0; i < n; i++) {
		CHECK(grefs[i] == want[i]);
		for (j = 0; j < i; j++)
			CHECK(grefs[j] != grefs[i]);	/* distinct */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tok[NTOK] = { NULL };
	const char *node[NTOK] = { NULL };
	struct xmp_ring_result res;
	size_t pos = 6, ntok = 0, i;
	u8 h[6] = { 0 };

	memcpy(h, data, size < 6 ? size : 6);
	/* Each string in a buffer of its own size, so ASan sees overreads. */
	while (pos < size && ntok < NTOK) {
		const u8 *end = memchr(data + pos, 0, size - pos);
		size_t len = end ? (size_t)(end - (data + pos)) : size - pos;

		tok[ntok] = malloc(len + 1);
		memcpy(tok[ntok], data + pos, len);
		tok[ntok][len] = 0;
		pos += len + 1;
		ntok++;
	}
	for (i = 0; i < NTOK; i++) {
		node[i] = tok[i] && strcmp(tok[i], "\x01") ? tok[i] : NULL;
		if (i < 5 && !(h[2] & (2 << i)))
			node[i] = NULL;
		check_parse(node[i]);
	}

	check_front_plan(node, h);
	if (!check_back(node, h, &res)) {
		res.order = h[5] % (XMP_RING_ORDER_LIMIT + 1);
		res.nr_pages = 1U << res.order;
		res.use_ring_ref = res.order == 0 && (h[5] & 0x80);
	}
	check_refs(node + 5, &res);

	for (i = 0; i < ntok; i++)
		free(tok[i]);
	return 0;
}
