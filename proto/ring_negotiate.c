// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Multi-page request ring negotiation, both schemes.
 * API and rules: include/xen-mpring/ring_negotiate.h.
 * Spec: shared/seeds/blkif-multipage-rings.patch.txt.
 */
#include <xen-mpring/ring_negotiate.h>

int xmp_parse_u32(const char *s, u32 *val)
{
	u64 v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (u64)(*s - '0');
		if (v > 0xffffffffULL)
			return -ERANGE;
	}
	*val = (u32)v;
	return 0;
}

static const char * const xmp_scheme_names[] = {
	[XMP_SCHEME_ORDER] = "order",
	[XMP_SCHEME_PAGES] = "pages",
	[XMP_SCHEME_BOTH] = "both",
};

int xmp_parse_scheme(const char *s, unsigned int *schemes)
{
	unsigned int i;
	size_t len;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	/* sysfs hands over "pages\n" when written with echo */
	if (len && s[len - 1] == '\n')
		len--;
	for (i = XMP_SCHEME_ORDER; i <= XMP_SCHEME_BOTH; i++) {
		if (strlen(xmp_scheme_names[i]) == len &&
		    !strncmp(s, xmp_scheme_names[i], len)) {
			*schemes = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *xmp_scheme_name(unsigned int schemes)
{
	if (schemes < XMP_SCHEME_ORDER || schemes > XMP_SCHEME_BOTH)
		return NULL;
	return xmp_scheme_names[schemes];
}

/* 1-based index of the lowest set bit, 0 for 0: the seed's ffs(). */
static unsigned int xmp_ffs32(u32 v)
{
	unsigned int i;

	for (i = 1; i <= 32; i++, v >>= 1)
		if (v & 1)
			return i;
	return 0;
}

static bool xmp_is_pow2(u32 v)
{
	return v && !(v & (v - 1));
}

int xmp_back_advertise(unsigned int max_order, unsigned int schemes,
		       struct xmp_ring_adv *adv)
{
	if (max_order > XMP_RING_ORDER_LIMIT || !schemes ||
	    (schemes & ~XMP_SCHEME_BOTH))
		return -EINVAL;
	adv->schemes = schemes;
	adv->max_order = max_order;
	/* Note (3): identical parameters in both schemes' units. */
	adv->max_pages = 1U << max_order;
	return 0;
}

/*
 * The largest order a frontend may use against @adv:
 * "Maximum Value: MAX(ffs(max-ring-pages) - 1, max-ring-page-order)",
 * an unpublished node counting with its default (order 0, one page).
 */
static unsigned int xmp_adv_max_order(const struct xmp_ring_adv *adv)
{
	unsigned int order = 0, pages_order = 0;

	if (adv->schemes & XMP_SCHEME_ORDER)
		order = adv->max_order;
	if ((adv->schemes & XMP_SCHEME_PAGES) && adv->max_pages)
		pages_order = xmp_ffs32(adv->max_pages) - 1;
	if (pages_order > order)
		order = pages_order;
	return order > XMP_RING_ORDER_LIMIT ? XMP_RING_ORDER_LIMIT : order;
}

int xmp_back_check_front(const struct xmp_ring_adv *adv,
			 const struct xmp_front_ring_nodes *nodes,
			 struct xmp_ring_result *res, const char **why)
{
	bool has_order = nodes->ring_page_order;
	bool has_pages = nodes->num_ring_pages;
	unsigned int max = xmp_adv_max_order(adv);
	u32 order = 0, pages = 1;

	if (has_order && xmp_parse_u32(nodes->ring_page_order, &order)) {
		*why = "ring-page-order is not a number";
		return -EINVAL;
	}
	if (has_pages) {
		if (xmp_parse_u32(nodes->num_ring_pages, &pages)) {
			*why = "num-ring-pages is not a number";
			return -EINVAL;
		}
		/* "The value must be a power of 2." */
		if (!xmp_is_pow2(pages)) {
			*why = "num-ring-pages is not a power of two";
			return -EINVAL;
		}
	}
	/* Checked before any shift by a peer-supplied value. */
	if (order > max) {
		*why = "ring-page-order exceeds the advertised maximum";
		return -EINVAL;
	}
	if (pages > (1U << max)) {
		*why = "num-ring-pages exceeds the advertised maximum";
		return -EINVAL;
	}
	if (has_order && has_pages && pages != (1U << order)) {
		*why = "ring-page-order and num-ring-pages disagree";
		return -EINVAL;
	}
	if (has_pages && !has_order)
		order = xmp_ffs32(pages) - 1;

	res->order = order;
	res->nr_pages = 1U << order;
	if (res->nr_pages > 1) {
		/* Note (6): "the 'ring-ref' node is not created". */
		if (nodes->ring_ref) {
			*why = "ring-ref present with a multi-page ring";
			return -EINVAL;
		}
		res->use_ring_ref = false;
	} else {
		/*
		 * One page: 'ring-ref'. A frontend that wrote
		 * ring-page-order = 0 (or num-ring-pages = 1) and no
		 * 'ring-ref' is tolerated with 'ring-ref0', which is what
		 * Linux blkback reads from such a frontend.
		 */
		res->use_ring_ref = nodes->ring_ref ||
				    !(has_order || has_pages);
	}
	return 0;
}

int xmp_back_ring_refs(const struct xmp_ring_result *res,
		       const char *const *refs, u32 *grefs,
		       unsigned int *bad_idx, const char **why)
{
	unsigned int n = res->use_ring_ref ? 1 : res->nr_pages;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		*bad_idx = i;
		if (!refs[i]) {
			*why = "missing";
			return -EINVAL;
		}
		if (xmp_parse_u32(refs[i], &grefs[i])) {
			*why = "is not a grant reference";
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (grefs[j] == grefs[i]) {
				*why = "duplicates an earlier ring grant";
				return -EINVAL;
			}
		}
	}
	return 0;
}

void xmp_front_plan(const struct xmp_back_ring_nodes *nodes,
		    unsigned int local_max_order, unsigned int schemes,
		    bool defaults_only, struct xmp_front_plan *plan)
{
	u32 border = 0, bpages = 0, val;
	bool has_order = false, has_pages = false;
	unsigned int order = 0, flags = 0;

	if (!(schemes & XMP_SCHEME_BOTH))
		schemes = XMP_SCHEME_BOTH;
	if (local_max_order > XMP_RING_ORDER_LIMIT)
		local_max_order = XMP_RING_ORDER_LIMIT;

	if (!defaults_only && (schemes & XMP_SCHEME_ORDER) &&
	    nodes->max_ring_page_order) {
		if (xmp_parse_u32(nodes->max_ring_page_order, &val)) {
			flags |= XMP_NEG_ORDER_GARBAGE;
		} else {
			border = val;
			has_order = true;
		}
	}
	if (!defaults_only && (schemes & XMP_SCHEME_PAGES) &&
	    nodes->max_ring_pages) {
		if (xmp_parse_u32(nodes->max_ring_pages, &val) || !val) {
			flags |= XMP_NEG_PAGES_GARBAGE;
		} else {
			if (!xmp_is_pow2(val))
				flags |= XMP_NEG_PAGES_NOT_POW2;
			/* MAX(ffs(max-ring-pages) - 1, max-ring-page-order) */
			bpages = xmp_ffs32(val) - 1;
			has_pages = true;
		}
	}
	if (has_order && has_pages &&
	    (border != bpages || (flags & XMP_NEG_PAGES_NOT_POW2)))
		flags |= XMP_NEG_DISAGREE;
	if (has_pages && bpages > border)
		border = bpages;
	if (has_order || has_pages) {
		if (border > local_max_order) {
			flags |= XMP_NEG_CLAMPED;
			order = local_max_order;
		} else {
			order = border;
		}
	}

	memset(plan, 0, sizeof(*plan));
	plan->order = order;
	plan->nr_pages = 1U << order;
	plan->flags = flags;
	if (order == 0) {
		/*
		 * Linux blkback and QEMU read ring-ref0 whenever
		 * ring-page-order exists, even "0": a one-page ring writes
		 * plain 'ring-ref' and no page-count node.
		 */
		plan->write_ring_ref = true;
	} else {
		plan->write_ring_refN = true;
		plan->write_order = schemes & XMP_SCHEME_ORDER;
		plan->write_pages = schemes & XMP_SCHEME_PAGES;
	}
}
