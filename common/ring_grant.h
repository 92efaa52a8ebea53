/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frontend side of a multi-page shared ring: allocate 2^order pages, grant
 * each one to the backend, publish the grant references and the ring size
 * exactly as the protocol core's struct xmp_front_plan says, and tear it
 * all down again without leaking a grant or freeing a page the backend
 * still maps.
 *
 * Spec: shared/seeds/blkif-multipage-rings.patch.txt, "Request Transport
 * Parameters" and note (6). Used by xen-blkfront and xen-scsifront.
 */
#ifndef XMP_RING_GRANT_H
#define XMP_RING_GRANT_H

#include <xen/xenbus.h>
#include <xen/grant_table.h>

#include <xen-mpring/ring_negotiate.h>

struct xmp_ring_grant {
	void *vaddr;			/* the ring, virtually contiguous */
	unsigned int order;
	unsigned int nr_pages;		/* 1 << order */
	struct page *pages[XMP_RING_PAGES_LIMIT];
	grant_ref_t grefs[XMP_RING_PAGES_LIMIT];
};

/*
 * Allocate and zero a ring of 2^@order pages (@order <= 6) and grant every
 * page read/write to @dev's backend domain. The pages are allocated one by
 * one and mapped contiguously (vmap for more than one page), so no
 * high-order allocation is needed. Returns 0 or a -errno, after reporting
 * it with xenbus_dev_fatal(); on error nothing is left allocated.
 */
int xmp_ring_grant_alloc(struct xenbus_device *dev, struct xmp_ring_grant *rg,
			 unsigned int order);

/*
 * End the backend's access to every page and free the ring. A page the
 * backend still maps is freed by the grant table code only once the
 * backend unmaps it (gnttab_end_foreign_access() with the page): never
 * reused while mapped, never leaked. Idempotent; safe on a zeroed struct.
 */
void xmp_ring_grant_free(struct xmp_ring_grant *rg);

/*
 * Write the ring's grant references under @dir ("ring-ref" for a one-page
 * ring, "ring-ref0".."ring-ref<N-1>" otherwise, as @plan says; note 6).
 * @dir is the device directory or a "queue-N" subdirectory of it.
 */
int xmp_ring_grant_write_refs(struct xenbus_transaction xbt, const char *dir,
			      const struct xmp_ring_grant *rg,
			      const struct xmp_front_plan *plan);

/*
 * Write the ring size nodes under @dir: "ring-page-order" and/or
 * "num-ring-pages", identical values in both units (note 3), only those
 * @plan asks for (none for a one-page ring). With several queues these
 * go in the device directory, the references in each queue-N/.
 */
int xmp_ring_grant_write_size(struct xenbus_transaction xbt, const char *dir,
			      const struct xmp_front_plan *plan);

/* Both of the above under one @dir (single-queue devices). */
int xmp_ring_grant_publish(struct xenbus_transaction xbt, const char *dir,
			   const struct xmp_ring_grant *rg,
			   const struct xmp_front_plan *plan);

#endif /* XMP_RING_GRANT_H */
