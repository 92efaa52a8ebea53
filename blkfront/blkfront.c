// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront data path: blk-mq requests onto the shared ring(s), the
 * backend's responses back, and the grants in between.
 *
 * Three ways a data segment reaches the backend:
 *  - direct: the guest's own page is granted for the request (trusted
 *    backend without persistent grants);
 *  - persistent: a pool page stays granted for the whole connection and
 *    the data is copied (feature-persistent, both sides);
 *  - bounce: a pool page is granted per request and the data is copied
 *    (untrusted backend: no page of the guest is ever granted).
 * Indirect segment pages always come from the pool.
 *
 * Every response is copied out of the shared ring once and checked by the
 * protocol core (xmp_blkrsp_check) before anything is done with it.
 */
#include "common.h"

#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/page.h>

#define BLKFRONT_ID_NONE	UINT_MAX

static inline struct blkfront_req *blkfront_pdu(struct request *rq)
{
	return blk_mq_rq_to_pdu(rq);
}

static inline struct scatterlist *blkfront_sg(const struct blkfront_info *info,
					      struct blkfront_req *br)
{
	return (struct scatterlist *)&br->segs[info->segs_max];
}

size_t blkfront_pdu_size(unsigned int segs_max)
{
	return sizeof(struct blkfront_req) +
	       segs_max * (sizeof(struct blkfront_seg) +
			   sizeof(struct scatterlist));
}

static unsigned int blkfront_ind_pages(unsigned int segs)
{
	if (segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return 0;
	return xmp_blkreq_indirect_pages(segs);
}

/* Pool pages one request of the largest size may need. */
unsigned int blkfront_pool_min(const struct blkfront_info *info)
{
	unsigned int n = blkfront_ind_pages(info->segs);

	if (info->persistent || info->bounce)
		n += info->segs;
	return n;
}

/* ------------------------------------------------------------------ */
/* Page pool                                                           */
/* ------------------------------------------------------------------ */

static struct blkfront_page *blkfront_page_new(gfp_t gfp)
{
	struct blkfront_page *bp = kzalloc(sizeof(*bp), gfp);

	if (!bp)
		return NULL;
	/* Zeroed: a fresh page never shows old guest memory to the backend. */
	bp->page = alloc_page(gfp | __GFP_ZERO);
	if (!bp->page) {
		kfree(bp);
		return NULL;
	}
	bp->gref = INVALID_GRANT_REF;
	return bp;
}

/* Free a pool page; if it is still granted, once the backend unmaps it. */
static void blkfront_page_drop(struct blkfront_ring *ring,
			       struct blkfront_page *bp)
{
	if (bp->gref != INVALID_GRANT_REF)
		gnttab_end_foreign_access(bp->gref, bp->page);
	else
		__free_page(bp->page);
	kfree(bp);
	ring->pool_pages--;
}

/* A page for one request, from the pool or newly allocated (up to max). */
static struct blkfront_page *blkfront_page_get(struct blkfront_ring *ring)
{
	struct blkfront_page *bp;

	bp = list_first_entry_or_null(&ring->pool_free, struct blkfront_page,
				      node);
	if (bp) {
		list_del(&bp->node);
		ring->pool_nfree--;
		return bp;
	}
	if (ring->pool_pages >= ring->pool_max ||
	    blkfront_inject_alloc_fail())
		return NULL;
	bp = blkfront_page_new(GFP_NOWAIT | __GFP_NOWARN);
	if (!bp)
		return NULL;
	ring->pool_pages++;
	ring->pool_peak = max(ring->pool_peak, ring->pool_pages);
	return bp;
}

/*
 * Granted pages (persistent grants) are handed out first, pages without
 * a grant last: an idle ring then builds its request from the pages it
 * granted at connect and needs no new grant (see blkfront_ring_fill_pool).
 */
static void blkfront_page_put(struct blkfront_ring *ring,
			      struct blkfront_page *bp)
{
	if (bp->gref != INVALID_GRANT_REF)
		list_add(&bp->node, &ring->pool_free);
	else
		list_add_tail(&bp->node, &ring->pool_free);
	ring->pool_nfree++;
}

/* Pages the pool can still hand out: free ones and ones not allocated yet. */
static unsigned int blkfront_pool_avail(const struct blkfront_ring *ring)
{
	return ring->pool_nfree + ring->pool_max - ring->pool_pages;
}

/*
 * Grant a pool page to the backend. Persistent grants stay for the whole
 * connection and are read/write (the backend maps them once, for reads
 * and writes alike); otherwise the grant is for one request and read-only
 * when the backend only has to read the page.
 */
static int blkfront_page_grant(struct blkfront_ring *ring,
			       struct blkfront_page *bp, bool readonly)
{
	bool persistent = ring->info->persistent;
	int ref;

	if (bp->gref != INVALID_GRANT_REF)
		return 0;	/* persistent, granted before */
	ref = gnttab_grant_foreign_access(ring->info->xbdev->otherend_id,
					  xen_page_to_gfn(bp->page),
					  readonly && !persistent);
	if (ref < 0)
		return ref;
	bp->gref = ref;
	return 0;
}

/*
 * Give a pool page back after a request. Non-persistent: the backend must
 * have unmapped it by the time it answered; if it has not, the page is
 * never reused (the grant table frees it once unmapped) and false tells
 * the caller the backend broke the protocol.
 */
static bool blkfront_page_release(struct blkfront_ring *ring,
				  struct blkfront_page *bp)
{
	if (!ring->info->persistent && bp->gref != INVALID_GRANT_REF) {
		if (!gnttab_try_end_foreign_access(bp->gref)) {
			blkfront_page_drop(ring, bp);
			return false;
		}
		bp->gref = INVALID_GRANT_REF;
	}
	blkfront_page_put(ring, bp);
	return true;
}

/* ------------------------------------------------------------------ */
/* Ring slots                                                          */
/* ------------------------------------------------------------------ */

int blkfront_ring_init_slots(struct blkfront_ring *ring, unsigned int size)
{
	unsigned int i;

	ring->size = size;
	ring->shadow = kvcalloc(size, sizeof(*ring->shadow), GFP_KERNEL);
	ring->ids = kvcalloc(size, sizeof(*ring->ids), GFP_KERNEL);
	if (!ring->shadow || !ring->ids)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		ring->shadow[i].next_free = i + 1 < size ? i + 1 :
					    BLKFRONT_ID_NONE;
	ring->free_head = 0;
	ring->inflight = 0;
	INIT_LIST_HEAD(&ring->pool_free);
	ring->pool_pages = 0;
	ring->pool_nfree = 0;
	ring->pool_peak = 0;
	ring->pool_max = 0;	/* set by blkfront_ring_fill_pool() */
	ring->deferred = 0;
	ring->full = 0;
	return 0;
}

/*
 * Once the features are known (Connected): size the pool and allocate
 * the pages one request of the largest size needs, so that an idle ring
 * can always make progress (with persistent grants, granted now).
 *
 * The rest grows on demand (GFP_NOWAIT, in queue_rq) up to what a full
 * ring needs: every slot with a request of the largest size. That is
 * what the in-tree driver allocates up front at connect; a smaller bound
 * would cap the data in flight below what the ring can carry, and with
 * it the gain of a larger ring on slow storage. max_pool_pages lowers
 * the bound for small guests; it never goes below one request. A page
 * that cannot be had (bound reached, no memory) puts the request back
 * until a completion frees one: this ring has requests in flight then,
 * as an idle ring has at least one request's pages.
 */
int blkfront_ring_fill_pool(struct blkfront_ring *ring)
{
	unsigned int min = blkfront_pool_min(ring->info);
	unsigned int cap = READ_ONCE(blkfront_max_pool_pages);
	struct blkfront_page *bp;
	unsigned long flags;

	/* At most 2048 slots x (256 + 1) pages: no overflow. */
	ring->pool_max = ring->size * min;
	if (cap)
		ring->pool_max = clamp(cap, min, ring->pool_max);
	while (ring->pool_pages < min) {
		bp = blkfront_page_new(GFP_NOIO);
		if (!bp)
			return -ENOMEM;
		/*
		 * A persistent grant is only given back at disconnect, so the
		 * busy rings' pools may come to hold every grant the guest
		 * has: grant this ring's first request's pages now, so that
		 * it can always make progress.
		 */
		if (ring->info->persistent &&
		    blkfront_page_grant(ring, bp, false)) {
			__free_page(bp->page);
			kfree(bp);
			return -ENOSPC;
		}
		spin_lock_irqsave(&ring->lock, flags);
		ring->pool_pages++;
		ring->pool_peak = max(ring->pool_peak, ring->pool_pages);
		blkfront_page_put(ring, bp);
		spin_unlock_irqrestore(&ring->lock, flags);
	}
	return 0;
}

static unsigned int blkfront_id_get(struct blkfront_ring *ring)
{
	unsigned int id = ring->free_head;

	ring->free_head = ring->shadow[id].next_free;
	ring->shadow[id].next_free = BLKFRONT_ID_NONE;
	return id;
}

static void blkfront_id_put(struct blkfront_ring *ring, unsigned int id)
{
	ring->shadow[id].req = NULL;
	ring->ids[id].busy = false;
	ring->shadow[id].next_free = ring->free_head;
	ring->free_head = id;
	ring->inflight--;
}

/*
 * Undo the grants of a request; copy read data out of pool pages when
 * @copy. Returns false if the backend still maps a page it answered for.
 */
static bool blkfront_release(struct blkfront_ring *ring, struct request *rq,
			     bool copy)
{
	struct blkfront_info *info = ring->info;
	struct blkfront_req *br = blkfront_pdu(rq);
	struct scatterlist *sg = blkfront_sg(info, br);
	bool ok = true;
	unsigned int i;

	for (i = 0; i < br->nr_segs; i++, sg = sg_next(sg)) {
		struct blkfront_seg *seg = &br->segs[i];

		if (!seg->bp) {
			/* A guest page granted for this request only. */
			if (!gnttab_try_end_foreign_access(seg->gref)) {
				gnttab_end_foreign_access(seg->gref, NULL);
				ok = false;
			}
			continue;
		}
		if (copy) {
			void *src = kmap_local_page(seg->bp->page);

			memcpy_to_page(sg_page(sg), sg->offset,
				       src + sg->offset, sg->length);
			kunmap_local(src);
		}
		if (!blkfront_page_release(ring, seg->bp))
			ok = false;
	}
	br->nr_segs = 0;
	for (i = 0; i < br->nr_ind; i++)
		if (!blkfront_page_release(ring, br->ind[i]))
			ok = false;
	br->nr_ind = 0;
	return ok;
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

static blk_status_t blkfront_map_rw(struct blkfront_ring *ring,
				    struct request *rq,
				    struct blkif_request *req, unsigned int id,
				    u8 *op)
{
	struct blkfront_info *info = ring->info;
	struct blkfront_req *br = blkfront_pdu(rq);
	struct scatterlist *sg = blkfront_sg(info, br), *s;
	struct blkif_request_segment *ind = NULL, *segp;
	bool copy = info->persistent || info->bounce;
	domid_t domid = info->xbdev->otherend_id;
	unsigned int nseg, i, nr_ind;
	int ref;

	br->write = rq_data_dir(rq) == WRITE;
	*op = br->write ? BLKIF_OP_WRITE : BLKIF_OP_READ;

	/* sg[] was set up once, by blkfront_init_request(). */
	nseg = blk_rq_map_sg(rq->q, rq, sg);
	if (nseg == 0 || nseg > info->segs) {
		dev_err_ratelimited(&info->xbdev->dev,
				    "%s: request of %u segments, limit %u\n",
				    info->gd->disk_name, nseg, info->segs);
		return BLK_STS_IOERR;
	}

	nr_ind = blkfront_ind_pages(nseg);
	/*
	 * Not enough pool pages for this request: say so before granting
	 * or copying anything (a completion restarts the queue).
	 */
	if (nr_ind + (copy ? nseg : 0) > blkfront_pool_avail(ring))
		return BLK_STS_RESOURCE;
	for (i = 0; i < nr_ind; i++) {
		br->ind[i] = blkfront_page_get(ring);
		if (!br->ind[i])
			return BLK_STS_RESOURCE;
		br->nr_ind = i + 1;
		if (blkfront_page_grant(ring, br->ind[i], true))
			return BLK_STS_RESOURCE;
	}

	for_each_sg(sg, s, nseg, i) {
		struct blkfront_seg *seg = &br->segs[i];
		u8 fsect = s->offset >> SECTOR_SHIFT;
		u8 lsect = fsect + (s->length >> SECTOR_SHIFT) - 1;

		seg->bp = NULL;
		if (copy) {
			seg->bp = blkfront_page_get(ring);
			if (!seg->bp)
				return BLK_STS_RESOURCE;
			br->nr_segs = i + 1;
			if (blkfront_page_grant(ring, seg->bp, br->write)) {
				blkfront_page_put(ring, seg->bp);
				br->nr_segs = i;
				return BLK_STS_RESOURCE;
			}
			if (br->write)
				memcpy_from_page(page_address(seg->bp->page) +
						 s->offset, sg_page(s),
						 s->offset, s->length);
			seg->gref = seg->bp->gref;
		} else {
			ref = gnttab_grant_foreign_access(domid,
							  xen_page_to_gfn(sg_page(s)),
							  br->write);
			if (ref < 0)
				return BLK_STS_RESOURCE;
			seg->gref = ref;
			br->nr_segs = i + 1;
		}

		if (!nr_ind) {
			req->u.rw.seg[i].gref = seg->gref;
			req->u.rw.seg[i].first_sect = fsect;
			req->u.rw.seg[i].last_sect = lsect;
			continue;
		}
		if (i % XMP_BLKIF_SEGS_PER_INDIRECT_PAGE == 0) {
			if (ind)
				kunmap_local(ind);
			ind = kmap_local_page(br->ind[i / XMP_BLKIF_SEGS_PER_INDIRECT_PAGE]->page);
		}
		segp = &ind[i % XMP_BLKIF_SEGS_PER_INDIRECT_PAGE];
		segp->gref = seg->gref;
		segp->first_sect = fsect;
		segp->last_sect = lsect;
	}
	if (ind)
		kunmap_local(ind);

	if (!nr_ind) {
		req->operation = *op;
		req->u.rw.nr_segments = nseg;
		req->u.rw.handle = info->handle;
		req->u.rw.id = id;
		req->u.rw.sector_number = blk_rq_pos(rq);
		return BLK_STS_OK;
	}
	req->operation = BLKIF_OP_INDIRECT;
	req->u.indirect.indirect_op = *op;
	req->u.indirect.nr_segments = nseg;
	req->u.indirect.handle = info->handle;
	req->u.indirect.id = id;
	req->u.indirect.sector_number = blk_rq_pos(rq);
	for (i = 0; i < nr_ind; i++)
		req->u.indirect.indirect_grefs[i] = br->ind[i]->gref;
	return BLK_STS_OK;
}

/* Build the ring request for @rq in @req; ring->lock held. */
static blk_status_t blkfront_build(struct blkfront_ring *ring,
				   struct request *rq,
				   struct blkif_request *req, unsigned int id,
				   u8 *op)
{
	struct blkfront_info *info = ring->info;

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		return blkfront_map_rw(ring, rq, req, id, op);
	case REQ_OP_FLUSH:
		if (!info->feature_flush)
			return BLK_STS_NOTSUPP;
		/* An empty flush or barrier: zero segments (blkif.h). */
		*op = info->flush_op;
		req->operation = *op;
		req->u.rw.nr_segments = 0;
		req->u.rw.handle = info->handle;
		req->u.rw.id = id;
		req->u.rw.sector_number = 0;
		return BLK_STS_OK;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		if (!info->feature_discard ||
		    (req_op(rq) == REQ_OP_SECURE_ERASE &&
		     !info->feature_secdiscard))
			return BLK_STS_NOTSUPP;
		*op = BLKIF_OP_DISCARD;
		req->operation = *op;
		req->u.discard.flag = req_op(rq) == REQ_OP_SECURE_ERASE ?
				      BLKIF_DISCARD_SECURE : 0;
		req->u.discard.id = id;
		req->u.discard.sector_number = blk_rq_pos(rq);
		req->u.discard.nr_sectors = blk_rq_sectors(rq);
		return BLK_STS_OK;
	default:
		return BLK_STS_NOTSUPP;
	}
}

/*
 * Show the backend the requests put on @ring since the last push, and
 * say whether it must be told (it may be asleep); ring->lock held.
 */
static bool blkfront_push(struct blkfront_ring *ring)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ring->ring, notify);
	return notify;
}

/* Push, drop ring->lock (taken with @flags), then tell the backend. */
static void blkfront_push_unlock(struct blkfront_ring *ring,
				 unsigned long flags)
	__releases(&ring->lock)
{
	bool notify = blkfront_push(ring);

	spin_unlock_irqrestore(&ring->lock, flags);
	if (notify)
		notify_remote_via_irq(ring->irq);
}

/* The ring a hardware queue feeds (as many queues as rings, or fewer). */
static struct blkfront_ring *blkfront_hctx_ring(struct blk_mq_hw_ctx *hctx)
{
	struct blkfront_info *info = hctx->queue->queuedata;

	return &info->rings[hctx->queue_num % info->nr_rings];
}

static blk_status_t blkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
				      const struct blk_mq_queue_data *bd)
{
	struct blkfront_info *info = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct blkfront_req *br = blkfront_pdu(rq);
	struct blkif_request req = {};
	struct blkfront_ring *ring;
	unsigned long flags;
	blk_status_t sts;
	unsigned int id;
	u8 op = 0;

	blk_mq_start_request(rq);
	br->error = BLK_STS_OK;
	br->nr_segs = 0;
	br->nr_ind = 0;

	/* The queue is quiesced while the rings change (suspend/resume). */
	if (READ_ONCE(info->state) != BLKFRONT_CONNECTED)
		return BLK_STS_IOERR;
	ring = blkfront_hctx_ring(hctx);

	spin_lock_irqsave(&ring->lock, flags);
	if (RING_FULL(&ring->ring) || ring->free_head == BLKFRONT_ID_NONE) {
		ring->full++;
		goto busy;
	}

	id = ring->free_head;
	sts = blkfront_build(ring, rq, &req, id, &op);
	if (sts != BLK_STS_OK) {
		blkfront_release(ring, rq, false);
		if (sts == BLK_STS_RESOURCE) {
			ring->deferred++;
			if (ring->inflight)
				goto busy; /* a completion restarts the queue */
		}
		blkfront_push_unlock(ring, flags);
		return sts;
	}

	blkfront_id_get(ring);
	ring->shadow[id].req = rq;
	ring->ids[id].busy = true;
	ring->ids[id].op = op;
	ring->inflight++;

	/* The backend sees the request only once it is complete. */
	*RING_GET_REQUEST(&ring->ring, ring->ring.req_prod_pvt) = req;
	ring->ring.req_prod_pvt++;
	/*
	 * More requests coming (bd->last false): push them all at the last
	 * one, or in blkfront_commit_rqs(), with one event at most.
	 */
	if (bd->last)
		blkfront_push_unlock(ring, flags);
	else
		spin_unlock_irqrestore(&ring->lock, flags);
	return BLK_STS_OK;

busy:
	/*
	 * A hardware queue with a ring of its own has requests in flight on
	 * it when it is busy: the block layer runs the queue again when one
	 * of them completes, and blkfront_interrupt() restarts it. After a
	 * restore onto fewer rings, queues share a ring and this one may
	 * have none in flight; the other queue's completion restarts it, but
	 * a restart that comes before the block layer has put this request
	 * back on the queue's dispatch list finds nothing to run, and
	 * nothing would run the queue again. BLK_STS_RESOURCE has the block
	 * layer run it again itself, a few milliseconds later.
	 */
	if (hctx->queue->nr_hw_queues > info->nr_rings) {
		blkfront_push_unlock(ring, flags);
		return BLK_STS_RESOURCE;
	}
	blk_mq_stop_hw_queue(hctx);
	/* What this batch put on the ring before goes now. */
	blkfront_push_unlock(ring, flags);
	return BLK_STS_DEV_RESOURCE;
}

/*
 * The block layer stopped a batch before its last request (bd->last):
 * push what queue_rq put on the ring.
 */
static void blkfront_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct blkfront_info *info = hctx->queue->queuedata;
	struct blkfront_ring *ring;
	unsigned long flags;

	if (READ_ONCE(info->state) != BLKFRONT_CONNECTED)
		return;
	ring = blkfront_hctx_ring(hctx);
	spin_lock_irqsave(&ring->lock, flags);
	blkfront_push_unlock(ring, flags);
}

static void blkfront_complete_rq(struct request *rq)
{
	blk_mq_end_request(rq, blkfront_pdu(rq)->error);
}

/*
 * Once per request of the tag set: the scatterlist is initialised here
 * and not at each request (blk_rq_map_sg() marks its end, and clears an
 * end mark left by a shorter mapping before).
 */
static int blkfront_init_request(struct blk_mq_tag_set *set,
				 struct request *rq, unsigned int hctx_idx,
				 unsigned int numa_node)
{
	struct blkfront_info *info = set->driver_data;

	sg_init_table(blkfront_sg(info, blkfront_pdu(rq)), info->segs_max);
	return 0;
}

const struct blk_mq_ops blkfront_mq_ops = {
	.queue_rq = blkfront_queue_rq,
	.commit_rqs = blkfront_commit_rqs,
	.complete = blkfront_complete_rq,
	.init_request = blkfront_init_request,
};

void blkfront_kick_queues(struct blkfront_info *info)
{
	if (info->gd)
		blk_mq_start_stopped_hw_queues(info->gd->queue, true);
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

static blk_status_t blkfront_status(struct blkfront_ring *ring,
				    const struct xmp_blkrsp *rsp)
{
	struct blkfront_info *info = ring->info;
	struct request_queue *q = info->gd->queue;

	if (rsp->status == BLKIF_RSP_OKAY)
		return BLK_STS_OK;
	if (rsp->status != BLKIF_RSP_EOPNOTSUPP)
		return BLK_STS_IOERR;

	switch (rsp->operation) {
	case BLKIF_OP_DISCARD:
		dev_warn_ratelimited(&info->xbdev->dev,
				     "%s: backend does not support discard: disabled\n",
				     info->gd->disk_name);
		info->feature_discard = false;
		info->feature_secdiscard = false;
		xmp_queue_disable_discard(q);
		return BLK_STS_NOTSUPP;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		/* Like in-tree: no flush support means no cache to flush. */
		dev_warn_ratelimited(&info->xbdev->dev,
				     "%s: backend does not support %s: disabled\n",
				     info->gd->disk_name,
				     xmp_blkif_op_name(rsp->operation));
		info->feature_flush = false;
		xmp_queue_disable_write_cache(q);
		return BLK_STS_OK;
	default:
		return BLK_STS_NOTSUPP;
	}
}

/* Fail every request still on @ring; ring->lock held. */
static void blkfront_ring_fail_all(struct blkfront_ring *ring)
{
	unsigned int id;

	if (!ring->shadow)
		return;
	for (id = 0; id < ring->size; id++) {
		struct request *rq = ring->shadow[id].req;

		if (!rq)
			continue;
		blkfront_release(ring, rq, false);
		blkfront_id_put(ring, id);
		blkfront_pdu(rq)->error = BLK_STS_IOERR;
		blk_mq_complete_request(rq);
	}
}

void blkfront_fail_all(struct blkfront_info *info)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < info->nr_rings; i++) {
		struct blkfront_ring *ring = &info->rings[i];

		spin_lock_irqsave(&ring->lock, flags);
		blkfront_ring_fail_all(ring);
		spin_unlock_irqrestore(&ring->lock, flags);
	}
}

/*
 * The backend broke the protocol: stop trusting it. No further response
 * of any ring is looked at, every outstanding request fails with an I/O
 * error, new ones too, and the event channel is left without EOI.
 */
static void blkfront_broken(struct blkfront_ring *ring, const char *why,
			    const struct xmp_blkrsp *rsp)
{
	struct blkfront_info *info = ring->info;
	/* A backend may answer before the disk exists (nothing issued). */
	const char *name = info->gd ? info->gd->disk_name : "vbd";

	WRITE_ONCE(info->state, BLKFRONT_ERROR);
	info->err_why = why;
	if (rsp)
		dev_err(&info->xbdev->dev,
			"%s: bad response from backend %s on ring %u: %s (id %llu, operation %u, status %d); device disabled\n",
			name, info->xbdev->otherend,
			ring->index, why, rsp->id, rsp->operation,
			rsp->status);
	else
		dev_err(&info->xbdev->dev,
			"%s: bad response from backend %s on ring %u: %s; device disabled\n",
			name, info->xbdev->otherend,
			ring->index, why);
	blkfront_ring_fail_all(ring);
	schedule_work(&info->err_work);
}

static void blkfront_complete_one(struct blkfront_ring *ring,
				  const struct xmp_blkrsp *rsp)
{
	unsigned int id = rsp->id;	/* < ring->size: checked */
	struct request *rq = ring->shadow[id].req;
	struct blkfront_req *br = blkfront_pdu(rq);
	bool copy = rsp->status == BLKIF_RSP_OKAY &&
		    rsp->operation == BLKIF_OP_READ;
	bool ok;

	ok = blkfront_release(ring, rq, copy);
	blkfront_id_put(ring, id);
	br->error = blkfront_status(ring, rsp);
	if (!ok) {
		br->error = BLK_STS_IOERR;
		blk_mq_complete_request(rq);
		blkfront_broken(ring, "backend still maps a granted page it answered for",
				rsp);
		return;
	}
	blk_mq_complete_request(rq);
}

irqreturn_t blkfront_interrupt(int irq, void *dev_id)
{
	struct blkfront_ring *ring = dev_id;
	struct blkfront_info *info = ring->info;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;
	struct blkif_response raw;
	struct xmp_blkrsp rsp;
	const struct xmp_blkrsp *bad = NULL;
	const char *why = NULL;
	unsigned long flags;
	RING_IDX i, rp;
	int more;

	/*
	 * Responses are collected in every state but ERROR: a closing
	 * backend still answers what it was given. No EOI once broken.
	 */
	spin_lock_irqsave(&ring->lock, flags);
	if (READ_ONCE(info->state) == BLKFRONT_ERROR) {
		spin_unlock_irqrestore(&ring->lock, flags);
		return IRQ_HANDLED;
	}
again:
	rp = READ_ONCE(ring->ring.sring->rsp_prod);
	virt_rmb();	/* see the responses up to rp */
	if (RING_RESPONSE_PROD_OVERFLOW(&ring->ring, rp)) {
		why = "response producer index beyond the ring";
		goto broken;
	}
	for (i = ring->ring.rsp_cons; i != rp; i++) {
		eoi = 0;
		/* One copy: the backend may change the slot under us. */
		RING_COPY_RESPONSE(&ring->ring, i, &raw);
		rsp.id = raw.id;
		rsp.operation = raw.operation;
		rsp.status = raw.status;
		if (xmp_blkrsp_check(&rsp, ring->ids, ring->size, &why)) {
			ring->ring.rsp_cons = i + 1;
			bad = &rsp;
			goto broken;
		}
		blkfront_complete_one(ring, &rsp);
		if (READ_ONCE(info->state) == BLKFRONT_ERROR) {
			spin_unlock_irqrestore(&ring->lock, flags);
			return IRQ_HANDLED;
		}
	}
	ring->ring.rsp_cons = i;
	if (i != ring->ring.req_prod_pvt) {
		RING_FINAL_CHECK_FOR_RESPONSES(&ring->ring, more);
		if (more)
			goto again;
	} else {
		ring->ring.sring->rsp_event = i + 1;
	}
	if (!RING_FULL(&ring->ring))
		blkfront_kick_queues(info);
	spin_unlock_irqrestore(&ring->lock, flags);
	xen_irq_lateeoi(irq, eoi);
	return IRQ_HANDLED;

broken:
	blkfront_broken(ring, why, bad);
	spin_unlock_irqrestore(&ring->lock, flags);
	return IRQ_HANDLED;	/* no EOI: no further events */
}

/*
 * Suspend: take every request issued on @ring back (their grants ended,
 * their pool pages returned) onto @held, to be issued again on the new
 * connection. The backend is gone by now (save/restore).
 */
void blkfront_ring_hold_requests(struct blkfront_ring *ring,
				 struct list_head *held)
{
	unsigned long flags;
	unsigned int id;

	if (!ring->shadow)
		return;
	spin_lock_irqsave(&ring->lock, flags);
	for (id = 0; id < ring->size; id++) {
		struct request *rq = ring->shadow[id].req;

		if (!rq)
			continue;
		blkfront_release(ring, rq, false);
		blkfront_id_put(ring, id);
		list_add_tail(&rq->queuelist, held);
	}
	spin_unlock_irqrestore(&ring->lock, flags);
}

/* Free the slots and the pool; the event channel is unbound already. */
void blkfront_ring_free_slots(struct blkfront_ring *ring)
{
	struct blkfront_info *info = ring->info;
	struct blkfront_page *bp, *tmp;
	unsigned long flags;

	if (ring->shadow)
		dev_info(&info->xbdev->dev,
			 "ring %u: %u slots, page pool peak %u of max %u pages (%s), %u request(s) deferred, ring full %u time(s)\n",
			 ring->index, ring->size, ring->pool_peak,
			 ring->pool_max, info->bounce ? "bounce" :
			 info->persistent ? "persistent" : "indirect only",
			 ring->deferred, ring->full);
	spin_lock_irqsave(&ring->lock, flags);
	blkfront_ring_fail_all(ring);
	if (ring->shadow)
		list_for_each_entry_safe(bp, tmp, &ring->pool_free, node) {
			list_del(&bp->node);
			ring->pool_nfree--;
			blkfront_page_drop(ring, bp);
		}
	spin_unlock_irqrestore(&ring->lock, flags);
	kvfree(ring->shadow);
	kvfree(ring->ids);
	ring->shadow = NULL;
	ring->ids = NULL;
	ring->size = 0;
}
