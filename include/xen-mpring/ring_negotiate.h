/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Multi-page request ring negotiation, both schemes.
 *
 * Spec: shared/seeds/blkif-multipage-rings.patch.txt (Xen's
 * xen/include/public/io/blkif.h, "Request Transport Parameters").
 * Two schemes are deployed:
 *  - order scheme (Citrix): backend max-ring-page-order, frontend
 *    ring-page-order, both lb(pages);
 *  - pages scheme (RedHat/Amazon, DEPRECATED): backend max-ring-pages,
 *    frontend num-ring-pages, both a page count that must be a power of 2.
 * Note (3): "For full interoperability, block front and backends should
 * publish identical ring parameters, adjusted for unit differences, to the
 * XenStore nodes used in both schemes."
 * Note (6): one page uses 'ring-ref'; a multi-page ring uses
 * 'ring-ref0'..'ring-ref<N-1>' and does not create 'ring-ref'.
 *
 * The same nodes are used by the project's pvSCSI ring (vscsiif).
 *
 * Nothing here touches xenstore: the kernel glue reads nodes into strings
 * (NULL when the node does not exist) and writes what the plan says.
 * Every string may come from an untrusted peer.
 */
#ifndef XMP_RING_NEGOTIATE_H
#define XMP_RING_NEGOTIATE_H

#include "xmp_types.h"

/* Largest ring this project maps or grants: 2^6 = 64 pages. */
#define XMP_RING_ORDER_LIMIT	6U
#define XMP_RING_PAGES_LIMIT	BIT(XMP_RING_ORDER_LIMIT)

/* Which scheme(s) a side reads and writes. */
/* max-ring-page-order / ring-page-order */
#define XMP_SCHEME_ORDER	0x1U
/* max-ring-pages / num-ring-pages */
#define XMP_SCHEME_PAGES	0x2U
#define XMP_SCHEME_BOTH		(XMP_SCHEME_ORDER | XMP_SCHEME_PAGES)

/*
 * Strict decimal u32 parser for values read from xenstore: digits only,
 * no sign, no leading/trailing blanks, no empty string, at most
 * UINT32_MAX. Returns 0, -EINVAL (not a number; also for NULL) or -ERANGE.
 */
int xmp_parse_u32(const char *s, u32 *val);

/*
 * Module parameter helper: "order", "pages" or "both" (a trailing newline,
 * as sysfs passes it, is accepted) -> XMP_SCHEME_*. Returns 0 or -EINVAL.
 */
int xmp_parse_scheme(const char *s, unsigned int *schemes);
/* "order", "pages", "both" for a valid mask, NULL otherwise. */
const char *xmp_scheme_name(unsigned int schemes);

/* ------------------------------------------------------------------ */
/* Backend side                                                        */
/* ------------------------------------------------------------------ */

/* What a backend publishes before it enters InitWait. */
struct xmp_ring_adv {
	unsigned int schemes;	/* which of the two nodes to write */
	u32 max_order;	/* "max-ring-page-order", if schemes & ORDER */
	u32 max_pages;	/* "max-ring-pages", if schemes & PAGES */
};

/*
 * Fill @adv for a backend that supports rings of up to 2^@max_order pages
 * and advertises @schemes. max_pages == 1 << max_order always (note 3).
 * Returns -EINVAL if max_order > XMP_RING_ORDER_LIMIT or schemes is not a
 * non-empty subset of XMP_SCHEME_BOTH.
 */
int xmp_back_advertise(unsigned int max_order, unsigned int schemes,
		       struct xmp_ring_adv *adv);

/* The frontend's transport nodes, as read by the backend (NULL = absent). */
struct xmp_front_ring_nodes {
	const char *ring_page_order;	/* "ring-page-order" */
	const char *num_ring_pages;	/* "num-ring-pages" */
	const char *ring_ref;		/* "ring-ref" */
};

/* The ring the frontend asked for, once validated. */
struct xmp_ring_result {
	unsigned int order;	/* lb(nr_pages) */
	unsigned int nr_pages;
	/*
	 * true: the single grant is in "ring-ref"; false: the grants are in
	 * "ring-ref0".."ring-ref<nr_pages-1>". A one-page ring published as
	 * ring-page-order = "0" + "ring-ref0" (what Linux blkback expects from
	 * such a frontend) is accepted with use_ring_ref = false.
	 */
	bool use_ring_ref;
};

/*
 * Validate what a frontend published against what this backend advertised
 * (@adv, as filled by xmp_back_advertise(); its unadvertised node counts
 * with its default: order 0, pages 1):
 *  - ring-page-order and num-ring-pages are numbers; num-ring-pages is a
 *    power of two, non-zero; when both exist they agree (pages == 1<<order);
 *  - ring-page-order <= MAX(ffs(max-ring-pages) - 1, max-ring-page-order)
 *    and num-ring-pages <= MAX(max-ring-pages, 1 << max-ring-page-order);
 *  - neither present: one page, "ring-ref" (seed default values);
 *  - multi-page: "ring-ref" must be absent (note 6).
 * Returns 0 and fills @res, or -EINVAL with *@why set to a static English
 * reason suitable for xenbus_dev_fatal().
 */
int xmp_back_check_front(const struct xmp_ring_adv *adv,
			 const struct xmp_front_ring_nodes *nodes,
			 struct xmp_ring_result *res, const char **why);

/*
 * Parse the grant references of the ring @res describes. @refs[i] is the
 * string read from "ring-ref<i>" (or from "ring-ref" when
 * res->use_ring_ref, then only refs[0] is used), NULL if absent.
 * Each must be a valid u32, and no two may be equal. On error returns
 * -EINVAL, *@bad_idx = the offending index and *@why = a phrase to print
 * after the node's name ("missing", "is not a grant reference", ...).
 */
int xmp_back_ring_refs(const struct xmp_ring_result *res,
		       const char *const *refs, u32 *grefs,
		       unsigned int *bad_idx, const char **why);

/* ------------------------------------------------------------------ */
/* Frontend side                                                       */
/* ------------------------------------------------------------------ */

/* The backend's nodes, as read by the frontend (NULL = absent). */
struct xmp_back_ring_nodes {
	const char *max_ring_page_order;	/* "max-ring-page-order" */
	const char *max_ring_pages;		/* "max-ring-pages" */
};

/*
 * What was odd in the backend's nodes (for a dev_warn, never fatal):
 *  ORDER_GARBAGE   max-ring-page-order unparsable: ignored
 *  PAGES_GARBAGE   max-ring-pages unparsable or 0: ignored
 *  PAGES_NOT_POW2  max-ring-pages not a power of 2: the ffs() rule applies
 *  DISAGREE        both present and different after conversion (or
 *                  max-ring-pages not a power of 2)
 *  CLAMPED         the backend allows more than our limit
 */
#define XMP_NEG_ORDER_GARBAGE	0x01U
#define XMP_NEG_PAGES_GARBAGE	0x02U
#define XMP_NEG_PAGES_NOT_POW2	0x04U
#define XMP_NEG_DISAGREE	0x08U
#define XMP_NEG_CLAMPED		0x10U

/* The ring a frontend allocates and the exact nodes it writes. */
struct xmp_front_plan {
	unsigned int order;
	unsigned int nr_pages;
	bool write_ring_ref;	/* "ring-ref" (one page) */
	bool write_ring_refN;	/* "ring-ref0".."ring-ref<nr_pages-1>" */
	bool write_order;	/* "ring-page-order" = order */
	bool write_pages;	/* "num-ring-pages" = nr_pages */
	unsigned int flags;	/* XMP_NEG_* */
};

/*
 * Choose the ring size from the backend's nodes and the local limit.
 * A frontend configured for one scheme reads only that scheme's backend
 * node (so it behaves like a legacy peer); with both it takes the seed's
 * MAX(ffs(max-ring-pages) - 1, max-ring-page-order). Garbage nodes count
 * as absent. The result is min(backend max, @local_max_order), clamped to
 * XMP_RING_ORDER_LIMIT.
 *
 * One page: write_ring_ref only; no ring-page-order / num-ring-pages
 * (Linux blkback and QEMU treat a present ring-page-order, even "0", as
 * "multi-page, read ring-ref0"). Several pages: ring-ref0..N-1, plus
 * ring-page-order if @schemes has ORDER and num-ring-pages if it has PAGES.
 *
 * @defaults_only: the backend skipped InitWait (seed: "default transport
 * parameters are in effect"): a one-page ring whatever the nodes say.
 *
 * @schemes without ORDER or PAGES counts as XMP_SCHEME_BOTH. Never fails:
 * odd nodes only set XMP_NEG_* bits in plan->flags; a node the configured
 * schemes do not read is neither parsed nor flagged. XMP_NEG_CLAMPED is set
 * when the backend's maximum exceeds @local_max_order (after clamping that
 * to XMP_RING_ORDER_LIMIT). Always plan->nr_pages == 1 << plan->order.
 */
void xmp_front_plan(const struct xmp_back_ring_nodes *nodes,
		    unsigned int local_max_order, unsigned int schemes,
		    bool defaults_only, struct xmp_front_plan *plan);

#endif /* XMP_RING_NEGOTIATE_H */
