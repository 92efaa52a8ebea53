// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback data path: one kernel thread per ring (queue) takes requests
 * off the shared ring, validates them with the protocol core, moves the
 * data with grant copies to and from bounce pages, submits bios and answers.
 *
 * Wire format: Xen's public io/blkif.h. Hardening rules followed here:
 *  - every request is copied out of the shared ring exactly once
 *    (RING_COPY_REQUEST) and only the private copy is looked at;
 *  - a frontend whose req_prod runs more than a ring ahead of our
 *    responses is broken or malicious: the ring is halted and the device
 *    fails with xenbus_dev_fatal();
 *  - every request passes xmp_blkreq_check()/xmp_blkseg_check()/
 *    xmp_blkreq_check_range() before it reaches a bio; a bad one is
 *    answered BLKIF_RSP_ERROR (or BLKIF_RSP_EOPNOTSUPP) and logged,
 *    rate-limited, naming the device;
 *  - the event channel is bound "lateeoi": the EOI is sent only once the
 *    thread has looked at the ring, flagged spurious if it found nothing, so
 *    an event storm from the frontend is throttled by Xen's event code.
 */
#include "common.h"

#include <linux/bio.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <xen/events.h>
#include <xen/page.h>

/* The core's wire constants are Xen's. */
static_assert(XMP_BLKIF_OP_READ == BLKIF_OP_READ);
static_assert(XMP_BLKIF_OP_WRITE == BLKIF_OP_WRITE);
static_assert(XMP_BLKIF_OP_WRITE_BARRIER == BLKIF_OP_WRITE_BARRIER);
static_assert(XMP_BLKIF_OP_FLUSH_DISKCACHE == BLKIF_OP_FLUSH_DISKCACHE);
static_assert(XMP_BLKIF_OP_DISCARD == BLKIF_OP_DISCARD);
static_assert(XMP_BLKIF_OP_INDIRECT == BLKIF_OP_INDIRECT);
static_assert(XMP_BLKIF_RSP_OKAY == BLKIF_RSP_OKAY);
static_assert(XMP_BLKIF_RSP_ERROR == BLKIF_RSP_ERROR);
static_assert(XMP_BLKIF_RSP_EOPNOTSUPP == BLKIF_RSP_EOPNOTSUPP);
static_assert(XMP_BLKIF_MAX_SEGS == BLKIF_MAX_SEGMENTS_PER_REQUEST);
static_assert(XMP_BLKIF_MAX_INDIRECT_PAGES ==
	      BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
static_assert(XMP_BLKIF_SEGS_PER_INDIRECT_PAGE ==
	      XEN_PAGE_SIZE / sizeof(struct blkif_request_segment));
static_assert(XMP_BLKIF_DISCARD_SECURE == BLKIF_DISCARD_SECURE);

/* How often ring 0's thread looks for an online resize. */
#define XBB_RESIZE_POLL		(2 * HZ)

static inline struct device *xbb_ring_dev(struct xbb_ring *ring)
{
	return &ring->be->dev->dev;
}

unsigned int xbb_ring_slots(unsigned int nr_pages)
{
	return __RING_SIZE((struct blkif_sring *)NULL,
			   (size_t)XEN_PAGE_SIZE * nr_pages);
}

/* Segments one request may carry: direct, or indirect up to the limit. */
static unsigned int xbb_max_req_segs(void)
{
	return max(XMP_BLKIF_MAX_SEGS, xbb_max_indirect_segs);
}

/* ------------------------------------------------------------------ */
/* Bounce pages                                                        */
/* ------------------------------------------------------------------ */

static struct page *xbb_page_get(struct xbb_ring *ring)
{
	struct page *page;

	if (ring->pool_count)
		return ring->pool[--ring->pool_count];
	if (ring->pages_total >= xbb_max_buffer_pages)
		return NULL;
	page = alloc_page(GFP_NOIO);
	if (page)
		ring->pages_total++;
	return page;
}

static void xbb_page_put(struct xbb_ring *ring, struct page *page)
{
	ring->pool[ring->pool_count++] = page;
}

/* Can the next request be started, whatever its size? */
static bool xbb_can_start(struct xbb_ring *ring)
{
	unsigned int avail = ring->pool_count +
			     (xbb_max_buffer_pages - ring->pages_total);

	return !list_empty(&ring->free_reqs) && avail >= xbb_max_req_segs();
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

/*
 * Responses are written by the ring thread and, for requests with nothing
 * left to do once their bios are done, by xbb_bio_end() (see there): both
 * under done_lock.
 */
static void __xbb_respond(struct xbb_ring *ring, u64 id, u8 op, s16 status)
{
	struct blkif_response *rsp;

	lockdep_assert_held(&ring->done_lock);
	rsp = RING_GET_RESPONSE(&ring->bring, ring->bring.rsp_prod_pvt);
	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	xbb_inject_rsp(ring->be, rsp);
	ring->bring.rsp_prod_pvt++;
	WRITE_ONCE(ring->rsp_pending, true);

	if (status == BLKIF_RSP_ERROR)
		atomic64_inc(&ring->be->st.c[XBB_ST_ERR_REQ]);
	else if (status == BLKIF_RSP_EOPNOTSUPP)
		atomic64_inc(&ring->be->st.c[XBB_ST_UNSUPP_REQ]);
}

/* Publish the responses written so far; true: the frontend wants an event. */
static bool __xbb_push_responses(struct xbb_ring *ring)
{
	int notify;

	lockdep_assert_held(&ring->done_lock);
	if (!ring->rsp_pending)
		return false;
	WRITE_ONCE(ring->rsp_pending, false);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&ring->bring, notify);
	return notify;
}

static void xbb_respond(struct xbb_ring *ring, u64 id, u8 op, s16 status)
{
	spin_lock_irq(&ring->done_lock);
	__xbb_respond(ring, id, op, status);
	spin_unlock_irq(&ring->done_lock);
}

/*
 * The thread's push. Unlocked test first: the thread sees its own
 * responses' flag, and xbb_bio_end() pushes the responses it writes
 * itself, so a flag the test misses has been dealt with already.
 */
static void xbb_push_responses(struct xbb_ring *ring)
{
	bool notify;

	if (!READ_ONCE(ring->rsp_pending))
		return;
	spin_lock_irq(&ring->done_lock);
	notify = __xbb_push_responses(ring);
	spin_unlock_irq(&ring->done_lock);
	if (notify)
		notify_remote_via_irq(ring->irq);
}

/* ------------------------------------------------------------------ */
/* Grant copies                                                        */
/* ------------------------------------------------------------------ */

/*
 * Copy every segment of @req between the frontend's granted pages and our
 * bounce pages (@to_front: after a read; else: before a write).
 */
static int xbb_copy_segs(struct xbb_ring *ring, struct xbb_req *req,
			 bool to_front)
{
	domid_t front = ring->be->dev->otherend_id;
	struct gnttab_copy *op;
	unsigned int i;
	int err = 0;

	for (i = 0; i < req->nr_segs; i++) {
		const struct xbb_seg *seg = &req->segs[i];

		op = &ring->copy_ops[i];
		memset(op, 0, sizeof(*op));
		if (to_front) {
			op->source.u.gmfn = xen_page_to_gfn(seg->page);
			op->source.domid = DOMID_SELF;
			op->dest.u.ref = seg->gref;
			op->dest.domid = front;
			op->flags = GNTCOPY_dest_gref;
		} else {
			op->source.u.ref = seg->gref;
			op->source.domid = front;
			op->dest.u.gmfn = xen_page_to_gfn(seg->page);
			op->dest.domid = DOMID_SELF;
			op->flags = GNTCOPY_source_gref;
		}
		op->source.offset = seg->offset;
		op->dest.offset = seg->offset;
		op->len = seg->len;
	}
	gnttab_batch_copy(ring->copy_ops, req->nr_segs);

	for (i = 0; i < req->nr_segs; i++) {
		if (ring->copy_ops[i].status == GNTST_okay)
			continue;
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: grant copy of segment %u (grant reference %u) failed: Xen status %d (%s)\n",
				    req->id, i, req->segs[i].gref,
				    ring->copy_ops[i].status,
				    xmp_gntst_text(ring->copy_ops[i].status));
		err = -EIO;
		break;
	}
	return err;
}

/*
 * Copy the indirect descriptor pages of a request into private pages, once:
 * the segments are then read from there only.
 */
static int xbb_copy_indirect(struct xbb_ring *ring, u64 id,
			     const grant_ref_t *grefs, unsigned int nr)
{
	domid_t front = ring->be->dev->otherend_id;
	struct gnttab_copy *op;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		op = &ring->copy_ops[i];
		memset(op, 0, sizeof(*op));
		op->source.u.ref = grefs[i];
		op->source.domid = front;
		op->dest.u.gmfn = xen_page_to_gfn(ring->ind_pages[i]);
		op->dest.domid = DOMID_SELF;
		op->len = XEN_PAGE_SIZE;
		op->flags = GNTCOPY_source_gref;
	}
	gnttab_batch_copy(ring->copy_ops, nr);
	for (i = 0; i < nr; i++) {
		if (ring->copy_ops[i].status == GNTST_okay)
			continue;
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: reading indirect page %u (grant reference %u) failed: Xen status %d (%s)\n",
				    id, i, grefs[i], ring->copy_ops[i].status,
				    xmp_gntst_text(ring->copy_ops[i].status));
		return -EIO;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Grant mappings (large requests)                                     */
/* ------------------------------------------------------------------ */

static unsigned long xbb_page_vaddr(struct page *page)
{
	return (unsigned long)pfn_to_kaddr(page_to_pfn(page));
}

/*
 * Unmap the mapped segments of @req (segs[].page set) and give their pages
 * back. Before the response: blkif.h has the frontend end its grants once
 * it sees the answer, which fails while the backend still maps them.
 */
static int xbb_unmap_segs(struct xbb_ring *ring, struct xbb_req *req)
{
	struct gntab_unmap_queue_data unmap = {
		.unmap_ops = ring->unmap_ops,
		.pages = ring->map_pages,
	};
	unsigned int i, n = 0;
	int err;

	for (i = 0; i < req->nr_segs; i++) {
		struct xbb_seg *seg = &req->segs[i];

		if (!seg->page)
			continue;
		gnttab_set_unmap_op(&ring->unmap_ops[n],
				    xbb_page_vaddr(seg->page),
				    GNTMAP_host_map, seg->handle);
		ring->map_pages[n++] = seg->page;
		seg->page = NULL;
	}
	if (!n)
		return 0;
	unmap.count = n;
	err = gnttab_unmap_refs_sync(&unmap);
	if (err) {
		/* The pages may still map the frontend's: never reuse them. */
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: unmapping %u grants failed: error %d\n",
				    req->id, n, err);
		return err;
	}
	gnttab_page_cache_put(&ring->map_cache, ring->map_pages, n);
	return 0;
}

/*
 * Map the frontend's pages of every segment of @req: writable for a read
 * (the device writes them), read-only otherwise (the frontend may have
 * granted them read-only, blkif.h). On failure nothing stays mapped.
 */
static int xbb_map_segs(struct xbb_ring *ring, struct xbb_req *req,
			const char **why)
{
	domid_t front = ring->be->dev->otherend_id;
	u32 flags = GNTMAP_host_map;
	unsigned int i, bad = req->nr_segs;
	int err;

	if (req->op != BLKIF_OP_READ)
		flags |= GNTMAP_readonly;
	for (i = 0; i < req->nr_segs; i++) {
		if (gnttab_page_cache_get(&ring->map_cache,
					  &ring->map_pages[i])) {
			if (i)
				gnttab_page_cache_put(&ring->map_cache,
						      ring->map_pages, i);
			*why = "out of pages to map grants onto";
			return -ENOMEM;
		}
		gnttab_set_map_op(&ring->map_ops[i],
				  xbb_page_vaddr(ring->map_pages[i]), flags,
				  req->segs[i].gref, front);
	}
	err = gnttab_map_refs(ring->map_ops, NULL, ring->map_pages,
			      req->nr_segs);

	/*
	 * Keep what did map, to unmap it, and note the first that did not.
	 * A status is GNTST_okay only if Xen mapped that op, even when the
	 * call as a whole failed (gnttab_set_map_op() preset it positive).
	 */
	for (i = 0; i < req->nr_segs; i++) {
		struct xbb_seg *seg = &req->segs[i];

		if (ring->map_ops[i].status == GNTST_okay) {
			seg->page = ring->map_pages[i];
			seg->handle = ring->map_ops[i].handle;
			continue;
		}
		seg->page = NULL;
		gnttab_page_cache_put(&ring->map_cache, &ring->map_pages[i], 1);
		if (bad == req->nr_segs)
			bad = i;
	}
	if (bad == req->nr_segs && !err)
		return 0;

	if (err)
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: mapping %u grants failed: error %d\n",
				    req->id, req->nr_segs, err);
	else
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: mapping segment %u (grant reference %u) failed: Xen status %d (%s)\n",
				    req->id, bad, req->segs[bad].gref,
				    ring->map_ops[bad].status,
				    xmp_gntst_text(ring->map_ops[bad].status));
	xbb_unmap_segs(ring, req);
	*why = "data pages not mappable";
	return -EIO;
}

/* ------------------------------------------------------------------ */
/* Persistent grants (feature-persistent)                              */
/* ------------------------------------------------------------------ */

/*
 * io/blkif.h, feature-persistent: a frontend that writes it keeps the
 * grants of its data pages for the whole connection and reuses them, so
 * a backend may keep them mapped. Up to max_persistent_grants per ring
 * are mapped at first use (read-write: the same page serves reads and
 * writes) and unmapped when the ring is disconnected; a request with a
 * grant that is not mapped and no room left goes the per-request way.
 */
static struct xbb_pgrant *xbb_pgrant_find(struct xbb_ring *ring,
					  grant_ref_t gref)
{
	struct xbb_pgrant *pg;

	hash_for_each_possible(ring->pgrants, pg, node, gref)
		if (pg->gref == gref)
			return pg;
	return NULL;
}

/* Is @gref among the first @n map ops? (a request may repeat a grant) */
static bool xbb_pgrant_pending(struct xbb_ring *ring, unsigned int n,
			       grant_ref_t gref)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		if (ring->map_ops[k].ref == gref)
			return true;
	return false;
}

/*
 * gnttab_map_refs() failed as a whole: unmap the first @n ops that Xen
 * did map and give back the pages of the others.
 */
static void xbb_pgrant_unmap_new(struct xbb_ring *ring, unsigned int n)
{
	struct gntab_unmap_queue_data unmap = {
		.unmap_ops = ring->unmap_ops,
		.pages = ring->map_pages,
	};
	unsigned int i, m = 0;

	for (i = 0; i < n; i++) {
		struct page *page = ring->map_pages[i];

		if (ring->map_ops[i].status != GNTST_okay) {
			gnttab_page_cache_put(&ring->map_cache, &page, 1);
			continue;
		}
		gnttab_set_unmap_op(&ring->unmap_ops[m], xbb_page_vaddr(page),
				    GNTMAP_host_map, ring->map_ops[i].handle);
		ring->map_pages[m++] = page;
	}
	unmap.count = m;
	if (m && !gnttab_unmap_refs_sync(&unmap))
		gnttab_page_cache_put(&ring->map_cache, ring->map_pages, m);
}

/*
 * Point each of the @nr segments at @segs (of request @id: the data
 * segments, or its indirect descriptor pages) at its persistent grant's
 * page, mapping the new ones. Returns 0 (served), 1 (not enough room: use
 * another way, no segment set) or -errno (a grant did not map: the
 * request fails).
 */
static int xbb_pgrant_segs(struct xbb_ring *ring, struct xbb_seg *segs,
			   unsigned int nr, u64 id, const char **why)
{
	domid_t front = ring->be->dev->otherend_id;
	struct xbb_pgrant *pg, **new = ring->pg_new;
	unsigned int i, n = 0, bad = UINT_MAX;
	int err = 0;

	for (i = 0; i < nr; i++) {
		grant_ref_t gref = segs[i].gref;

		if (xbb_pgrant_find(ring, gref) ||
		    xbb_pgrant_pending(ring, n, gref))
			continue;
		if (ring->nr_pgrants + n >= READ_ONCE(xbb_max_pgrants))
			goto undo;
		new[n] = kmalloc(sizeof(*new[n]), GFP_NOIO);
		if (!new[n] || gnttab_page_cache_get(&ring->map_cache,
						     &ring->map_pages[n])) {
			kfree(new[n]);
			goto undo;
		}
		gnttab_set_map_op(&ring->map_ops[n],
				  xbb_page_vaddr(ring->map_pages[n]),
				  GNTMAP_host_map, gref, front);
		n++;
	}
	if (n) {
		err = gnttab_map_refs(ring->map_ops, NULL, ring->map_pages, n);
		if (err) {
			xbb_pgrant_unmap_new(ring, n);
			goto undo_err;
		}
		for (i = 0; i < n; i++) {
			if (ring->map_ops[i].status != GNTST_okay) {
				if (bad == UINT_MAX)
					bad = i;
				gnttab_page_cache_put(&ring->map_cache,
						      &ring->map_pages[i], 1);
				kfree(new[i]);
				continue;
			}
			/* Mapped: kept even if the request fails. */
			new[i]->gref = ring->map_ops[i].ref;
			new[i]->handle = ring->map_ops[i].handle;
			new[i]->page = ring->map_pages[i];
			hash_add(ring->pgrants, &new[i]->node, new[i]->gref);
			ring->nr_pgrants++;
		}
	}
	if (bad != UINT_MAX) {
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: mapping persistent grant reference %u failed: Xen status %d (%s)\n",
				    id, ring->map_ops[bad].ref,
				    ring->map_ops[bad].status,
				    xmp_gntst_text(ring->map_ops[bad].status));
		*why = "data pages not mappable";
		return -EIO;
	}
	for (i = 0; i < nr; i++) {
		pg = xbb_pgrant_find(ring, segs[i].gref);
		segs[i].page = pg->page;
	}
	return 0;

undo:
	for (i = 0; i < n; i++) {
		gnttab_page_cache_put(&ring->map_cache, &ring->map_pages[i], 1);
		kfree(new[i]);
	}
	return 1;

undo_err:
	/* xbb_pgrant_unmap_new() gave the pages back (or kept them away). */
	for (i = 0; i < n; i++)
		kfree(new[i]);
	dev_err_ratelimited(xbb_ring_dev(ring),
			    "request %llu: mapping %u persistent grants failed: error %d\n",
			    id, n, err);
	*why = "data pages not mappable";
	return -EIO;
}

/*
 * The indirect descriptor pages of @req into ring->ind_pages: copied once,
 * and the segments read from that private copy only (no double fetch).
 * With persistent grants, the frontend grants these pages from the same
 * persistently granted pool as its data pages (Linux's blkfront does, and
 * its blkback maps them as such): they are mapped once, like data pages,
 * and copied with memcpy, saving a grant-copy hypercall per request. When
 * they cannot be (the cap on persistent grants, or a grant that does not
 * map), Xen copies them.
 */
static int xbb_fetch_indirect(struct xbb_ring *ring, struct xbb_req *req,
			      const grant_ref_t *grefs, const char **why)
{
	struct xbb_seg isegs[XMP_BLKIF_MAX_INDIRECT_PAGES];
	unsigned int i, len, nr = xmp_blkreq_indirect_pages(req->nr_segs);
	size_t left = req->nr_segs * sizeof(struct blkif_request_segment);
	int err;

	if (ring->be->persistent) {
		for (i = 0; i < nr; i++)
			isegs[i].gref = grefs[i];
		if (!xbb_pgrant_segs(ring, isegs, nr, req->id, why)) {
			for (i = 0; i < nr; i++, left -= len) {
				len = min_t(size_t, left, PAGE_SIZE);
				memcpy(page_address(ring->ind_pages[i]),
				       page_address(isegs[i].page), len);
			}
			return 0;
		}
	}
	err = xbb_copy_indirect(ring, req->id, grefs, nr);
	if (err)
		*why = "indirect descriptor page not readable";
	return err;
}

/* Unmap every persistent grant of a ring with nothing in flight. */
static void xbb_pgrants_free(struct xbb_ring *ring)
{
	struct gntab_unmap_queue_data unmap = {
		.unmap_ops = ring->unmap_ops,
		.pages = ring->map_pages,
	};
	unsigned int n = 0, max = xbb_max_req_segs();
	struct xbb_pgrant *pg;
	struct hlist_node *tmp;
	int bkt, err;

	if (!ring->nr_pgrants)
		return;
	hash_for_each_safe(ring->pgrants, bkt, tmp, pg, node) {
		gnttab_set_unmap_op(&ring->unmap_ops[n],
				    xbb_page_vaddr(pg->page),
				    GNTMAP_host_map, pg->handle);
		ring->map_pages[n++] = pg->page;
		hash_del(&pg->node);
		kfree(pg);
		ring->nr_pgrants--;
		if (n < max && ring->nr_pgrants)
			continue;
		unmap.count = n;
		err = gnttab_unmap_refs_sync(&unmap);
		if (err)
			dev_err(xbb_ring_dev(ring),
				"queue %u: unmapping %u persistent grants failed: error %d\n",
				ring->idx, n, err);
		else
			gnttab_page_cache_put(&ring->map_cache,
					      ring->map_pages, n);
		n = 0;
	}
}

/* ------------------------------------------------------------------ */
/* Request completion                                                  */
/* ------------------------------------------------------------------ */

static void xbb_req_release(struct xbb_ring *ring, struct xbb_req *req)
{
	unsigned int i;

	/*
	 * Bounce pages go back to the pool; mapped requests were unmapped
	 * already (segs[].page cleared); persistent grants stay mapped.
	 */
	for (i = 0; i < req->nr_segs; i++) {
		if (req->segs[i].page && !req->persistent)
			xbb_page_put(ring, req->segs[i].page);
		req->segs[i].page = NULL;
	}
	req->mapped = false;
	req->persistent = false;
	if (req->segs != req->inline_segs)
		kfree(req->segs);
	req->segs = req->inline_segs;
	req->nr_segs = 0;
	list_add(&req->node, &ring->free_reqs);
	ring->inflight--;
}

/* The response status of a request whose bios are done, logged if bad. */
static s16 xbb_req_status(struct xbb_ring *ring, const struct xbb_req *req)
{
	if (!req->error)
		return BLKIF_RSP_OKAY;
	dev_err_ratelimited(xbb_ring_dev(ring),
			    "request %llu (%s, sector %llu): I/O error %d\n",
			    req->id, xmp_blkif_op_name(req->op),
			    (unsigned long long)req->sector,
			    blk_status_to_errno(req->error));
	return req->error == BLK_STS_NOTSUPP ? BLKIF_RSP_EOPNOTSUPP :
					       BLKIF_RSP_ERROR;
}

/*
 * Free the requests xbb_bio_end() answered, and answer and free every
 * other request whose bios have all completed.
 */
static void xbb_complete_done(struct xbb_ring *ring)
{
	struct xbb_req *req, *tmp;
	LIST_HEAD(freed);
	LIST_HEAD(done);
	s16 status;

	/*
	 * Nothing to take (unlocked look): a request xbb_bio_end() adds
	 * meanwhile waits for the next pass, and one it cannot answer
	 * itself wakes the thread for it.
	 */
	if (list_empty_careful(&ring->freed) &&
	    list_empty_careful(&ring->done) && !READ_ONCE(ring->want_free))
		return;
	spin_lock_irq(&ring->done_lock);
	list_splice_init(&ring->freed, &freed);
	list_splice_init(&ring->done, &done);
	WRITE_ONCE(ring->want_free, false);
	spin_unlock_irq(&ring->done_lock);

	list_for_each_entry_safe(req, tmp, &freed, node) {
		list_del(&req->node);
		xbb_req_release(ring, req);
	}
	list_for_each_entry_safe(req, tmp, &done, node) {
		list_del(&req->node);
		status = xbb_req_status(ring, req);
		if (req->mapped) {
			if (xbb_unmap_segs(ring, req))
				status = BLKIF_RSP_ERROR;
		} else if (status == BLKIF_RSP_OKAY &&
			   req->op == BLKIF_OP_READ &&
			   xbb_copy_segs(ring, req, true)) {
			status = BLKIF_RSP_ERROR;
		}
		xbb_respond(ring, req->id, req->op, status);
		xbb_req_release(ring, req);
	}
	xbb_push_responses(ring);
}

/*
 * Can a request be answered as soon as its bios are done? Yes unless data
 * must still move to the frontend (a read through bounce pages) or its
 * grants must be unmapped (a mapped request): persistent grants stay
 * mapped, and a write's bounce pages only go back to the pool, which the
 * thread does when it frees the request. io/blkif.h sets no rule on when
 * or in which order a backend answers, only one response per request once
 * its I/O is done.
 */
static bool xbb_req_answerable(const struct xbb_req *req)
{
	if (req->mapped)
		return false;
	return req->persistent || req->op != BLKIF_OP_READ || !req->nr_segs;
}

/*
 * The last bio of a request is done. A request with nothing left to do is
 * answered here, in the bio's completion context, as the in-tree backend
 * does: the ring thread is not woken once per completion, only when it
 * waits for requests to be freed (want_free). Everything, the wake-up
 * included, happens under done_lock: once the thread has taken the
 * request back under that lock, nothing here touches the ring any more,
 * so the ring may go as soon as the thread has drained it.
 */
static void xbb_bio_end(struct bio *bio)
{
	struct xbb_req *req = bio->bi_private;
	struct xbb_ring *ring = req->ring;
	unsigned long flags;
	bool wake = true;

	if (bio->bi_status)
		WRITE_ONCE(req->error, bio->bi_status);
	bio_put(bio);
	if (!atomic_dec_and_test(&req->bios))
		return;

	spin_lock_irqsave(&ring->done_lock, flags);
	if (xbb_req_answerable(req)) {
		__xbb_respond(ring, req->id, req->op, xbb_req_status(ring, req));
		if (__xbb_push_responses(ring))
			notify_remote_via_irq(ring->irq);
		list_add_tail(&req->node, &ring->freed);
		wake = ring->want_free;
	} else {
		list_add_tail(&req->node, &ring->done);
	}
	if (wake)
		wake_up(&ring->wq);
	spin_unlock_irqrestore(&ring->done_lock, flags);
}

/* Work for the thread: requests to answer, or freed ones it waits for. */
static bool xbb_done_pending(struct xbb_ring *ring)
{
	return !list_empty_careful(&ring->done) ||
	       (READ_ONCE(ring->want_free) &&
		!list_empty_careful(&ring->freed));
}

/*
 * The thread needs requests back: have xbb_bio_end() wake it for each
 * request it answers (xbb_complete_done() clears this again).
 */
static void xbb_want_free(struct xbb_ring *ring)
{
	spin_lock_irq(&ring->done_lock);
	WRITE_ONCE(ring->want_free, true);
	spin_unlock_irq(&ring->done_lock);
}

/*
 * Wait until every request of this ring is answered. For barriers and
 * discards (ordering: the in-tree driver drains too) and before the
 * thread exits, so that nothing is in flight when the ring is unmapped.
 */
static void xbb_drain(struct xbb_ring *ring)
{
	while (ring->inflight) {
		xbb_want_free(ring);
		wait_event_interruptible_timeout(ring->wq,
						 xbb_done_pending(ring), HZ);
		xbb_complete_done(ring);
	}
}

/* ------------------------------------------------------------------ */
/* Request dispatch                                                    */
/* ------------------------------------------------------------------ */

static void xbb_fail_req(struct xbb_ring *ring, u64 id, u8 op, int err,
			 const char *why)
{
	if (err == -EOPNOTSUPP) {
		dev_warn_ratelimited(xbb_ring_dev(ring),
				     "request %llu: %s: not supported: %s\n",
				     id, xmp_blkif_op_name(op), why);
		xbb_respond(ring, id, op, BLKIF_RSP_EOPNOTSUPP);
	} else {
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "bad request %llu (%s) from the frontend: %s\n",
				    id, xmp_blkif_op_name(op), why);
		xbb_respond(ring, id, op, BLKIF_RSP_ERROR);
	}
}

static void xbb_do_discard(struct xbb_ring *ring, u64 id,
			   const struct xmp_blkreq *q)
{
	struct block_device *bdev = ring->be->bdev.bdev;
	s16 status = BLKIF_RSP_OKAY;
	int err;

	atomic64_inc(&ring->be->st.c[XBB_ST_DS_REQ]);
	xbb_drain(ring);
	if (q->discard_flag & BLKIF_DISCARD_SECURE)
		err = blkdev_issue_secure_erase(bdev, q->sector_number,
						q->nr_sectors, GFP_KERNEL);
	else
		err = blkdev_issue_discard(bdev, q->sector_number,
					   q->nr_sectors, GFP_KERNEL);
	if (err == -EOPNOTSUPP) {
		status = BLKIF_RSP_EOPNOTSUPP;
	} else if (err) {
		dev_err_ratelimited(xbb_ring_dev(ring),
				    "request %llu: discard of %llu sectors at %llu: error %d\n",
				    id, q->nr_sectors, q->sector_number, err);
		status = BLKIF_RSP_ERROR;
	}
	xbb_respond(ring, id, BLKIF_OP_DISCARD, status);
}

/*
 * Fill req->segs from the private copy (direct) or the private copy of
 * the indirect pages, checking each segment; then the whole range.
 */
static int xbb_parse_segs(struct xbb_ring *ring, struct xbb_req *req,
			  const struct blkif_request *r, bool indirect,
			  const char **why)
{
	const struct xmp_blkdev_caps *caps = &ring->be->caps;
	const struct blkif_request_segment *s;
	unsigned int i, per = XMP_BLKIF_SEGS_PER_INDIRECT_PAGE;
	u64 total = 0;
	int err;

	if (indirect) {
		err = xbb_fetch_indirect(ring, req,
					 r->u.indirect.indirect_grefs, why);
		if (err)
			return err;
	}
	for (i = 0; i < req->nr_segs; i++) {
		if (indirect)
			s = (const struct blkif_request_segment *)
				page_address(ring->ind_pages[i / per]) + i % per;
		else
			s = &r->u.rw.seg[i];
		err = xmp_blkseg_check(s->first_sect, s->last_sect,
				       caps->sector_size, &total, why);
		if (err)
			return err;
		req->segs[i].gref = s->gref;
		req->segs[i].offset = s->first_sect << XMP_SECTOR_SHIFT;
		req->segs[i].len = (s->last_sect - s->first_sect + 1) <<
				   XMP_SECTOR_SHIFT;
		req->segs[i].page = NULL;
	}
	/* An empty flush/barrier (total 0) passes: the core's rule. */
	return xmp_blkreq_check_range(req->sector, total,
				      READ_ONCE(caps->nr_sectors), why);
}

static blk_opf_t xbb_opf(u8 op)
{
	switch (op) {
	case BLKIF_OP_READ:
		return REQ_OP_READ;
	case BLKIF_OP_WRITE:
		return REQ_OP_WRITE | REQ_SYNC | REQ_IDLE;
	case BLKIF_OP_FLUSH_DISKCACHE:
		return REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH;
	default: /* BLKIF_OP_WRITE_BARRIER: drained before, flush + FUA */
		return REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH | REQ_FUA;
	}
}

static void xbb_submit(struct xbb_ring *ring, struct xbb_req *req)
{
	struct block_device *bdev = ring->be->bdev.bdev;
	unsigned int i, nvecs = min_t(unsigned int, req->nr_segs, BIO_MAX_VECS);
	blk_opf_t opf = xbb_opf(req->op);
	struct bio_list bios;
	struct blk_plug plug;
	struct bio *bio;
	sector_t sector;

	/*
	 * A bio without data has no position: an empty flush/barrier's
	 * sector_number is unchecked (blkif_check.h), so it is not used.
	 */
	sector = req->nr_segs ? req->sector : 0;
	bio_list_init(&bios);
	bio = bio_alloc(bdev, nvecs, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	bio_list_add(&bios, bio);
	for (i = 0; i < req->nr_segs; i++) {
		struct xbb_seg *seg = &req->segs[i];

		while (bio_add_page(bio, seg->page, seg->len, seg->offset) !=
		       seg->len) {
			bio = bio_alloc(bdev, min_t(unsigned int,
						    req->nr_segs - i,
						    BIO_MAX_VECS),
					opf, GFP_NOIO);
			bio->bi_iter.bi_sector = sector;
			bio_list_add(&bios, bio);
		}
		sector += seg->len >> XMP_SECTOR_SHIFT;
	}

	atomic_set(&req->bios, 0);
	bio_list_for_each(bio, &bios) {
		bio->bi_private = req;
		bio->bi_end_io = xbb_bio_end;
		atomic_inc(&req->bios);
	}
	blk_start_plug(&plug);
	while ((bio = bio_list_pop(&bios)))
		submit_bio(bio);
	blk_finish_plug(&plug);
}

static void xbb_account(struct xbb_ring *ring, struct xbb_req *req,
			u64 sectors)
{
	struct xbb_stats *st = &ring->be->st;

	switch (req->op) {
	case BLKIF_OP_READ:
		atomic64_inc(&st->c[XBB_ST_RD_REQ]);
		atomic64_add(sectors, &st->c[XBB_ST_RD_SECT]);
		break;
	case BLKIF_OP_WRITE:
		atomic64_inc(&st->c[XBB_ST_WR_REQ]);
		atomic64_add(sectors, &st->c[XBB_ST_WR_SECT]);
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
		atomic64_inc(&st->c[XBB_ST_F_REQ]);
		atomic64_add(sectors, &st->c[XBB_ST_WR_SECT]);
		break;
	default:
		atomic64_inc(&st->c[XBB_ST_B_REQ]);
		atomic64_add(sectors, &st->c[XBB_ST_WR_SECT]);
		break;
	}
}

/* Handle one request, from our private copy @r of its ring slot. */
static void xbb_dispatch(struct xbb_ring *ring, const struct blkif_request *r)
{
	struct xmp_blkreq q = { .operation = r->operation };
	struct xbb_req *req;
	const char *why = "";
	bool indirect = false;
	unsigned int i, map_min;
	u64 id, sectors = 0;
	int err;

	switch (r->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		id = r->u.rw.id;
		q.nr_segments = r->u.rw.nr_segments;
		q.sector_number = r->u.rw.sector_number;
		break;
	case BLKIF_OP_DISCARD:
		id = r->u.discard.id;
		q.discard_flag = r->u.discard.flag;
		q.sector_number = r->u.discard.sector_number;
		q.nr_sectors = r->u.discard.nr_sectors;
		break;
	case BLKIF_OP_INDIRECT:
		id = r->u.indirect.id;
		q.indirect_op = r->u.indirect.indirect_op;
		q.nr_segments = r->u.indirect.nr_segments;
		q.sector_number = r->u.indirect.sector_number;
		indirect = true;
		break;
	default:
		id = r->u.other.id;
		break;
	}

	err = xmp_blkreq_check(&q, &ring->be->caps, &why);
	if (err) {
		xbb_fail_req(ring, id, indirect ? q.indirect_op : q.operation,
			     err, why);
		return;
	}
	if (r->operation == BLKIF_OP_DISCARD) {
		xbb_do_discard(ring, id, &q);
		return;
	}

	/*
	 * A barrier is ordered after every request before it (io/blkif.h,
	 * BLKIF_OP_WRITE_BARRIER): wait for them all, as the in-tree
	 * backend does, before this one takes a request of its own.
	 */
	if ((indirect ? q.indirect_op : q.operation) == BLKIF_OP_WRITE_BARRIER)
		xbb_drain(ring);

	req = list_first_entry(&ring->free_reqs, struct xbb_req, node);
	list_del(&req->node);
	ring->inflight++;
	req->id = id;
	req->op = indirect ? q.indirect_op : q.operation;
	req->sector = q.sector_number;
	req->error = BLK_STS_OK;
	req->nr_segs = 0;
	req->mapped = false;
	req->persistent = false;
	req->segs = req->inline_segs;
	if (q.nr_segments > XMP_BLKIF_MAX_SEGS) {
		req->segs = kcalloc(q.nr_segments, sizeof(*req->segs),
				    GFP_NOIO);
		if (!req->segs) {
			req->segs = req->inline_segs;
			why = "out of memory for the segment list";
			err = -ENOMEM;
			goto fail;
		}
	}
	req->nr_segs = q.nr_segments;
	err = xbb_parse_segs(ring, req, r, indirect, &why);
	if (err) {
		/* Nothing allocated yet: do not give pages back. */
		for (i = 0; i < req->nr_segs; i++)
			req->segs[i].page = NULL;
		goto fail;
	}

	for (i = 0; i < req->nr_segs; i++)
		sectors += req->segs[i].len >> XMP_SECTOR_SHIFT;

	if (ring->be->persistent && req->nr_segs) {
		err = xbb_pgrant_segs(ring, req->segs, req->nr_segs, req->id,
				      &why);
		if (err < 0)
			goto fail;
		if (!err) {
			req->persistent = true;
			atomic64_inc(&ring->be->st.c[XBB_ST_PERS_REQ]);
			goto submit;
		}
	}

	/* Large requests: map the frontend's pages, no copy (common.h). */
	map_min = READ_ONCE(xbb_map_min_segs);
	if (map_min && req->nr_segs >= map_min) {
		err = xbb_map_segs(ring, req, &why);
		if (err)
			goto fail;
		req->mapped = true;
		atomic64_inc(&ring->be->st.c[XBB_ST_MAP_REQ]);
		goto submit;
	}

	for (i = 0; i < req->nr_segs; i++) {
		req->segs[i].page = xbb_page_get(ring);
		if (!req->segs[i].page) {
			why = "out of bounce pages";
			err = -ENOMEM;
			goto fail;
		}
	}
	if (req->op != BLKIF_OP_READ && req->nr_segs &&
	    xbb_copy_segs(ring, req, false)) {
		why = "data pages not readable";
		err = -EIO;
		goto fail;
	}
submit:
	xbb_account(ring, req, sectors);
	xbb_submit(ring, req);
	return;

fail:
	xbb_fail_req(ring, id, req->op, err, why);
	xbb_req_release(ring, req);
}

/*
 * Take every request the frontend published, as long as resources last.
 * Returns the number taken; 0 means nothing was there.
 */
static unsigned int xbb_do_requests(struct xbb_ring *ring)
{
	struct blkif_back_ring *br = &ring->bring;
	struct blkif_request r;
	unsigned int n = 0;
	RING_IDX rc, rp, rsp;
	int more;

again:
	rc = br->req_cons;
	rp = READ_ONCE(br->sring->req_prod);
	virt_rmb(); /* the requests up to rp, after rp */
	/*
	 * xbb_bio_end() answers too: take the response index under its
	 * lock. It only grows, so a ring found full below may have room by
	 * now; that is looked at again once a request is answered.
	 */
	spin_lock_irq(&ring->done_lock);
	rsp = br->rsp_prod_pvt;
	spin_unlock_irq(&ring->done_lock);

	/* RING_REQUEST_PROD_OVERFLOW(), with that index. */
	if (rp - rsp > RING_SIZE(br)) {
		ring->halted = true;
		xenbus_dev_fatal(ring->be->dev, -EACCES,
				 "queue %u: frontend's req_prod %u is more than a ring (%u slots) ahead of the responses (%u): ring halted",
				 ring->idx, rp, RING_SIZE(br), rsp);
		return n;
	}

	while (rc != rp) {
		/*
		 * RING_REQUEST_CONS_OVERFLOW(): every slot holds a request
		 * not answered yet, or no request or bounce page is free.
		 * Wait for answers (xbb_bio_end() wakes us, see want_free).
		 */
		if (rc - rsp >= RING_SIZE(br) || !xbb_can_start(ring)) {
			atomic64_inc(&ring->be->st.c[XBB_ST_OO_REQ]);
			xbb_want_free(ring);
			xbb_push_responses(ring);
			return n;
		}
		RING_COPY_REQUEST(br, rc, &r);
		br->req_cons = ++rc;
		n++;
		xbb_dispatch(ring, &r);
		if ((n & 63) == 0) {
			xbb_push_responses(ring);
			cond_resched();
		}
	}
	xbb_push_responses(ring);
	RING_FINAL_CHECK_FOR_REQUESTS(br, more);
	if (more)
		goto again;
	return n;
}

/* Ring 0 looks after online resize of the backing device. */
static void xbb_check_resize(struct xbb_ring *ring)
{
	struct xbb_dev *be = ring->be;
	sector_t now = bdev_nr_sectors(be->bdev.bdev);

	if (now != READ_ONCE(be->caps.nr_sectors))
		xbb_resized(be, now);
}

static bool xbb_has_work(struct xbb_ring *ring)
{
	return READ_ONCE(ring->notified) || xbb_done_pending(ring) ||
	       kthread_should_stop();
}

static int xbb_thread(void *arg)
{
	struct xbb_ring *ring = arg;
	unsigned int eoi, n;

	while (!kthread_should_stop()) {
		wait_event_interruptible_timeout(ring->wq, xbb_has_work(ring),
						 XBB_RESIZE_POLL);
		if (ring->idx == 0)
			xbb_check_resize(ring);

		WRITE_ONCE(ring->notified, false);
		/* Pairs with the irq handler: event seen before ring read. */
		smp_mb();
		eoi = atomic_xchg(&ring->eoi_pending, 0);

		xbb_complete_done(ring);
		n = ring->halted ? 0 : xbb_do_requests(ring);
		ring->work_since_eoi += n;
		/*
		 * An event that brought no request since the last EOI was
		 * spurious: Xen's lateeoi code then delays the next one, which
		 * throttles a frontend that only sends events.
		 */
		if (eoi) {
			xen_irq_lateeoi(ring->irq, ring->work_since_eoi ?
					0 : XEN_EOI_FLAG_SPURIOUS);
			ring->work_since_eoi = 0;
		}
	}
	xbb_drain(ring);
	return 0;
}

/*
 * One line of sysfs statistics/ring_state (be->lock held, connected):
 * where the queue stands, private and shared indexes alike, so that a
 * stalled frontend or backend can be told apart from dom0. Values the
 * thread moves are read without its locks: a snapshot, not a contract.
 */
int xbb_ring_show_state(struct xbb_ring *ring, char *buf, int at)
{
	struct blkif_back_ring *br = &ring->bring;
	unsigned long flags;
	RING_IDX rsp;

	spin_lock_irqsave(&ring->done_lock, flags);
	rsp = br->rsp_prod_pvt;
	spin_unlock_irqrestore(&ring->done_lock, flags);
	return sysfs_emit_at(buf, at,
			     "queue %u req_cons %u rsp_prod_pvt %u inflight %u shared req_prod %u rsp_prod %u req_event %u rsp_event %u notified %d halted %d\n",
			     ring->idx, READ_ONCE(br->req_cons), rsp,
			     READ_ONCE(ring->inflight),
			     READ_ONCE(br->sring->req_prod),
			     READ_ONCE(br->sring->rsp_prod),
			     READ_ONCE(br->sring->req_event),
			     READ_ONCE(br->sring->rsp_event),
			     READ_ONCE(ring->notified), READ_ONCE(ring->halted));
}

static irqreturn_t xbb_irq(int irq, void *arg)
{
	struct xbb_ring *ring = arg;

	atomic_set(&ring->eoi_pending, 1);
	WRITE_ONCE(ring->notified, true);
	wake_up(&ring->wq);
	return IRQ_HANDLED;
}

/* ------------------------------------------------------------------ */
/* Ring setup and teardown                                             */
/* ------------------------------------------------------------------ */

static void xbb_ring_free_mem(struct xbb_ring *ring)
{
	unsigned int i;

	for (i = 0; i < ring->pool_count; i++)
		__free_page(ring->pool[i]);
	ring->pages_total -= ring->pool_count;
	ring->pool_count = 0;
	WARN_ON_ONCE(ring->pages_total);
	kvfree(ring->pool);
	ring->pool = NULL;
	for (i = 0; i < ring->nr_ind_pages; i++)
		__free_page(ring->ind_pages[i]);
	ring->nr_ind_pages = 0;
	kvfree(ring->copy_ops);
	ring->copy_ops = NULL;
	if (ring->unmap_ops && ring->map_pages)
		xbb_pgrants_free(ring);
	gnttab_page_cache_shrink(&ring->map_cache, 0);
	kvfree(ring->map_ops);
	ring->map_ops = NULL;
	kvfree(ring->unmap_ops);
	ring->unmap_ops = NULL;
	kvfree(ring->map_pages);
	ring->map_pages = NULL;
	kvfree(ring->pg_new);
	ring->pg_new = NULL;
	kvfree(ring->reqs);
	ring->reqs = NULL;
	ring->nr_reqs = 0;
	INIT_LIST_HEAD(&ring->free_reqs);
}

static int xbb_ring_alloc_mem(struct xbb_ring *ring, unsigned int slots)
{
	unsigned int i, ind;

	ring->reqs = kvcalloc(slots, sizeof(*ring->reqs), GFP_KERNEL);
	ring->copy_ops = kvcalloc(xbb_max_req_segs(), sizeof(*ring->copy_ops),
				  GFP_KERNEL);
	ring->pool = kvcalloc(xbb_max_buffer_pages, sizeof(*ring->pool),
			      GFP_KERNEL);
	ring->map_ops = kvcalloc(xbb_max_req_segs(), sizeof(*ring->map_ops),
				 GFP_KERNEL);
	ring->unmap_ops = kvcalloc(xbb_max_req_segs(),
				   sizeof(*ring->unmap_ops), GFP_KERNEL);
	ring->map_pages = kvcalloc(xbb_max_req_segs(),
				   sizeof(*ring->map_pages), GFP_KERNEL);
	ring->pg_new = kvcalloc(xbb_max_req_segs(), sizeof(*ring->pg_new),
				GFP_KERNEL);
	if (!ring->reqs || !ring->copy_ops || !ring->pool || !ring->map_ops ||
	    !ring->unmap_ops || !ring->map_pages || !ring->pg_new)
		return -ENOMEM;
	ind = xmp_blkreq_indirect_pages(xbb_max_indirect_segs);
	for (i = 0; i < ind; i++) {
		ring->ind_pages[i] = alloc_page(GFP_KERNEL);
		if (!ring->ind_pages[i])
			return -ENOMEM;
		ring->nr_ind_pages++;
	}
	ring->nr_reqs = slots;
	for (i = 0; i < slots; i++) {
		ring->reqs[i].ring = ring;
		ring->reqs[i].segs = ring->reqs[i].inline_segs;
		list_add_tail(&ring->reqs[i].node, &ring->free_reqs);
	}
	return 0;
}

/* Once, when the ring structure is allocated (before any connect). */
void xbb_ring_init(struct xbb_ring *ring)
{
	gnttab_page_cache_init(&ring->map_cache);
	hash_init(ring->pgrants);
}

int xbb_ring_connect(struct xbb_ring *ring, const grant_ref_t *grefs,
		     unsigned int nr_pages, evtchn_port_t evtchn)
{
	struct xenbus_device *dev = ring->be->dev;
	struct blkif_sring *sring;
	void *vaddr;
	int err;

	init_waitqueue_head(&ring->wq);
	spin_lock_init(&ring->done_lock);
	INIT_LIST_HEAD(&ring->done);
	INIT_LIST_HEAD(&ring->freed);
	ring->want_free = false;
	INIT_LIST_HEAD(&ring->free_reqs);
	atomic_set(&ring->eoi_pending, 0);

	err = xbb_ring_alloc_mem(ring, xbb_ring_slots(nr_pages));
	if (err) {
		xenbus_dev_fatal(dev, err, "queue %u: allocating %u requests",
				 ring->idx, xbb_ring_slots(nr_pages));
		goto fail;
	}

	err = xmp_ring_map(dev, grefs, nr_pages, &ring->map, &vaddr);
	if (err)
		goto fail;	/* reported by xmp_ring_map() */
	sring = vaddr;
	BACK_RING_INIT(&ring->bring, sring, (size_t)XEN_PAGE_SIZE * nr_pages);

	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev, evtchn,
							    xbb_irq, 0,
							    "blkif-backend",
							    ring);
	if (err < 0) {
		xenbus_dev_fatal(dev, err, "queue %u: binding event channel %u",
				 ring->idx, evtchn);
		goto fail_unmap;
	}
	ring->irq = err;
	return 0;

fail_unmap:
	xmp_ring_unmap(dev, &ring->map);
fail:
	xbb_ring_free_mem(ring);
	return err;
}

int xbb_ring_start(struct xbb_ring *ring)
{
	struct xbb_dev *be = ring->be;
	struct task_struct *task;

	task = kthread_run(xbb_thread, ring, "xbb.%d.%u-%u",
			   be->dev->otherend_id, be->handle, ring->idx);
	if (IS_ERR(task))
		return PTR_ERR(task);
	ring->task = task;
	return 0;
}

/* Stop the thread (it answers everything in flight first), unbind, unmap. */
void xbb_ring_disconnect(struct xbb_ring *ring)
{
	struct xenbus_device *dev = ring->be->dev;

	if (ring->task) {
		kthread_stop(ring->task);
		ring->task = NULL;
	}
	if (ring->irq) {
		unbind_from_irqhandler(ring->irq, ring);
		ring->irq = 0;
	}
	xmp_ring_unmap(dev, &ring->map);
	ring->halted = false;
	ring->rsp_pending = false;
	ring->work_since_eoi = 0;
	xbb_ring_free_mem(ring);
}
