/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Backend side of a multi-page shared ring: map the N pages a frontend
 * granted (N = 1 .. 64) into one virtually contiguous kernel area, and
 * unmap them again without leaving a grant mapping behind.
 *
 * Linux's xenbus_map_ring_valloc() stops at XENBUS_MAX_RING_GRANTS (16).
 * This helper has no such limit below XMP_RING_PAGES_LIMIT and works in a
 * PV dom0 (grant mapped straight into the page table entries of a vmap
 * area) as well as in an auto-translated one (PVH/HVM: grants mapped onto
 * unpopulated pages, then vmap()ed).
 *
 * Spec: shared/seeds/blkif-multipage-rings.patch.txt, "ring-ref%u" and
 * note (6). Used by xen-blkback and xen-scsiback.
 */
#ifndef XMP_RING_MAP_H
#define XMP_RING_MAP_H

#include <xen/xenbus.h>
#include <xen/grant_table.h>

#include <xen-mpring/ring_negotiate.h>

struct page;

/* One mapped ring. Treat as opaque; zero it before first use. */
struct xmp_ring_mapping {
	void *vaddr;			/* NULL when nothing is mapped */
	unsigned int nr;		/* pages mapped */
	bool leaked;			/* an unmap failed: area kept forever */
	struct page *dummy;		/* PV: placeholder page of the area */
	struct page *pages[XMP_RING_PAGES_LIMIT];	/* auto-translated */
	u64 host_addr[XMP_RING_PAGES_LIMIT];	/* PV: PTE machine address */
	grant_handle_t handles[XMP_RING_PAGES_LIMIT];
};

/*
 * Map the @nr (1 .. XMP_RING_PAGES_LIMIT) pages granted by @dev's other
 * end with references @grefs, page i of the ring at *@vaddr + i * 4 KiB.
 * Every grant's status is checked; on any failure the grants already
 * mapped are unmapped again and the failure is reported with
 * xenbus_dev_fatal() naming the grant reference and the Xen status.
 * Returns 0 or a -errno; on error @m is left unmapped.
 */
int xmp_ring_map(struct xenbus_device *dev, const grant_ref_t *grefs,
		 unsigned int nr, struct xmp_ring_mapping *m, void **vaddr);

/*
 * Unmap everything xmp_ring_map() mapped. Idempotent: a second call, or a
 * call on a zeroed @m, does nothing. If Xen refuses to unmap a grant (it
 * should never), the area is reported with dev_err() and deliberately
 * leaked rather than reused while the foreign page is still mapped.
 */
void xmp_ring_unmap(struct xenbus_device *dev, struct xmp_ring_mapping *m);

/* Xen's text for a GNTST_* status ("bad gntref", ...), for messages. */
const char *xmp_gntst_text(int status);

#endif /* XMP_RING_MAP_H */
