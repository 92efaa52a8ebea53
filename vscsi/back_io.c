// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-scsiback data path: take requests off the shared ring (one private
 * copy each), validate them with the protocol core, map the frontend's
 * data pages and execute the CDB as a SCSI passthrough request on the
 * dom0 device the v-dev names; answer with the status, the sense data and
 * the residual. Bad input gets an error response, never a crash.
 */
#include "back.h"

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/slab.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_host.h>
#include <xen/events.h>

static struct workqueue_struct *vscsiback_wq;

/* @n pages from the cache, all or none. */
static int vscsiback_get_pages(struct vscsiback_info *info,
			       struct page **pages, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (gnttab_page_cache_get(&info->free_pages, &pages[i])) {
			gnttab_page_cache_put(&info->free_pages, pages, i);
			return -ENOMEM;
		}
	}
	return 0;
}

static void vscsiback_respond(struct vscsiback_info *info, u16 rqid,
			      int rslt, const u8 *sense, unsigned int sense_len,
			      u32 resid)
{
	struct vscsiif_response *rsp;
	unsigned long flags;
	int notify;

	/* Never read back what was written to the shared page. */
	sense_len = min_t(unsigned int, sense_len, VSCSIIF_SENSE_BUFFERSIZE);
	spin_lock_irqsave(&info->ring_lock, flags);
	rsp = RING_GET_RESPONSE(&info->ring, info->ring.rsp_prod_pvt);
	info->ring.rsp_prod_pvt++;
	rsp->rqid = rqid;
	rsp->padding = 0;
	rsp->rslt = rslt;
	rsp->residual_len = resid;
	rsp->sense_len = sense_len;
	if (sense_len)
		memcpy(rsp->sense_buffer, sense, sense_len);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&info->ring, notify);
	spin_unlock_irqrestore(&info->ring_lock, flags);
	if (notify)
		notify_remote_via_irq(info->irq);
}

/*
 * Unmap the pages whose handle is valid (vscsiback_map() leaves
 * INVALID_GRANT_HANDLE where a grant did not map) and give all @n pages
 * back to the cache.
 */
static void vscsiback_unmap(struct vscsiback_info *info, struct page **pages,
			    grant_handle_t *handles, unsigned int n)
{
	struct gnttab_unmap_grant_ref unmap[16];
	struct page *upages[16];
	struct gntab_unmap_queue_data data;
	unsigned int i, cnt = 0;

	for (i = 0; i < n; i++) {
		if (handles[i] != INVALID_GRANT_HANDLE) {
			gnttab_set_unmap_op(&unmap[cnt],
					    (unsigned long)pfn_to_kaddr(page_to_pfn(pages[i])),
					    GNTMAP_host_map, handles[i]);
			handles[i] = INVALID_GRANT_HANDLE;
			upages[cnt++] = pages[i];
		}
		if (cnt == ARRAY_SIZE(unmap) || (i == n - 1 && cnt)) {
			data.unmap_ops = unmap;
			data.kunmap_ops = NULL;
			data.pages = upages;
			data.count = cnt;
			if (gnttab_unmap_refs_sync(&data))
				dev_err(&info->dev->dev,
					"unmapping %u grants failed\n", cnt);
			cnt = 0;
		}
	}
	gnttab_page_cache_put(&info->free_pages, pages, n);
}

/*
 * Map @n grants of the frontend into pages of the cache. On error nothing
 * stays mapped, no page is kept, and *@why says what went wrong.
 */
static int vscsiback_map(struct vscsiback_info *info,
			 const struct scsiif_request_segment *segs,
			 unsigned int n, bool readonly, struct page **pages,
			 grant_handle_t *handles, const char **why)
{
	struct gnttab_map_grant_ref map[16];
	u32 flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0);
	unsigned int i, done, batch;
	int err = 0;

	if (vscsiback_get_pages(info, pages, n)) {
		*why = "out of memory for grant mappings";
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		handles[i] = INVALID_GRANT_HANDLE;
	for (done = 0; done < n; done += batch) {
		batch = min_t(unsigned int, n - done, ARRAY_SIZE(map));
		for (i = 0; i < batch; i++)
			gnttab_set_map_op(&map[i],
					  (unsigned long)pfn_to_kaddr(page_to_pfn(pages[done + i])),
					  flags, segs[done + i].gref,
					  info->dev->otherend_id);
		if (gnttab_map_refs(map, NULL, pages + done, batch))
			err = -EFAULT;
		for (i = 0; i < batch; i++) {
			if (map[i].status == GNTST_okay)
				handles[done + i] = map[i].handle;
			else
				err = -EFAULT;
		}
		if (err)
			break;
	}
	if (err) {
		vscsiback_unmap(info, pages, handles, n);
		*why = "a grant reference could not be mapped";
		return err;
	}
	return 0;
}

static void vscsiback_free_req(struct vscsiback_req *req)
{
	if (req->sdev)
		scsi_device_put(req->sdev);
	if (req->tpg)
		vscsiback_tpg_put(req->tpg);
	kfree(req->sgl);
	kfree(req->segs);
	kfree(req->pages);
	kfree(req->handles);
	kfree(req);
}

/* The request is answered and gone: let a disconnect go on. */
static void vscsiback_put_inflight(struct vscsiback_info *info)
{
	if (atomic_dec_and_test(&info->inflight))
		wake_up(&info->drained);
}

static void vscsiback_fail(struct vscsiback_req *req, unsigned int host)
{
	struct vscsiback_info *info = req->info;

	vscsiback_respond(info, req->ring_req.rqid, XMP_VSCSI_RSLT(host, 0),
			  NULL, 0, 0);
	vscsiback_free_req(req);
	vscsiback_put_inflight(info);
}

/*
 * The data segments of an indirect request: map the pages holding the
 * segment lists read-only, copy the lists out once, unmap them.
 */
static int vscsiback_indirect(struct vscsiback_req *req, unsigned int nr_ind,
			      const char **why)
{
	struct vscsiback_info *info = req->info;
	const struct scsiif_request_segment *ind = req->ring_req.seg;
	struct page *pages[VSCSIIF_SG_TABLESIZE];
	grant_handle_t handles[VSCSIIF_SG_TABLESIZE];
	unsigned int i, n = 0;
	u32 total = 0;
	int err;

	for (i = 0; i < nr_ind; i++) {
		err = xmp_vscsiind_check(ind[i].offset, ind[i].length,
					 info->max_sg, &total, why);
		if (err)
			return err;
	}
	req->segs = kcalloc(total, sizeof(*req->segs), GFP_KERNEL);
	if (!req->segs) {
		*why = "out of memory for the segment list";
		return -ENOMEM;
	}
	err = vscsiback_map(info, ind, nr_ind, true, pages, handles, why);
	if (err)
		return err;
	for (i = 0; i < nr_ind; i++) {
		memcpy(req->segs + n, page_address(pages[i]) + ind[i].offset,
		       ind[i].length);
		n += ind[i].length / sizeof(*req->segs);
	}
	vscsiback_unmap(info, pages, handles, nr_ind);
	req->nr_segs = total;
	return 0;
}

/* Collect, check and map the data segments of a CDB request. */
static int vscsiback_segments(struct vscsiback_req *req, const char **why)
{
	struct vscsiif_request *r = &req->ring_req;
	unsigned int nr = r->nr_segments & ~VSCSIIF_SG_GRANT;
	unsigned int i;
	u64 bytes = 0;
	int err;

	if (r->nr_segments & VSCSIIF_SG_GRANT) {
		err = vscsiback_indirect(req, nr, why);
		if (err)
			return err;
	} else if (nr) {
		req->segs = kmemdup(r->seg, nr * sizeof(*req->segs), GFP_KERNEL);
		if (!req->segs) {
			*why = "out of memory for the segment list";
			return -ENOMEM;
		}
		req->nr_segs = nr;
	}
	if (!req->nr_segs)
		return 0;
	for (i = 0; i < req->nr_segs; i++) {
		err = xmp_vscsiseg_check(req->segs[i].offset,
					 req->segs[i].length, &bytes, why);
		if (err)
			return err;
	}
	req->xfer_len = bytes;
	req->pages = kcalloc(req->nr_segs, sizeof(*req->pages), GFP_KERNEL);
	req->handles = kcalloc(req->nr_segs, sizeof(*req->handles), GFP_KERNEL);
	if (!req->pages || !req->handles) {
		*why = "out of memory for the data pages";
		return -ENOMEM;
	}
	err = vscsiback_map(req->info, req->segs, req->nr_segs,
			    r->sc_data_direction == DMA_TO_DEVICE, req->pages,
			    req->handles, why);
	if (!err)
		req->nr_mapped = req->nr_segs;
	return err;
}

/* Completion in process context: unmap, answer, release. */
static void vscsiback_complete_work(struct work_struct *work)
{
	struct vscsiback_req *req = container_of(work, struct vscsiback_req,
						 work);
	struct vscsiback_info *info = req->info;
	int result = req->result;

	if (req->nr_mapped)
		vscsiback_unmap(info, req->pages, req->handles, req->nr_mapped);
	vscsiback_respond(info, req->ring_req.rqid,
			  XMP_VSCSI_RSLT(host_byte(result) <= XMP_VSCSI_HOST_MAX ?
					 host_byte(result) : DID_ERROR,
					 result & 0xff),
			  req->sense, req->sense_len, req->resid);
	vscsiback_free_req(req);
	vscsiback_put_inflight(info);
}

void vscsiback_req_done(struct vscsiback_req *req)
{
	queue_work(vscsiback_wq, &req->work);
}

static void vscsiback_bio_free(struct bio *bio)
{
	bio_uninit(bio);
	kfree(bio);
}

static enum rq_end_io_ret vscsiback_end_io(struct request *rq,
					   blk_status_t status)
{
	struct vscsiback_req *req = rq->end_io_data;
	struct vscsiback_info *info = req->info;
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);
	unsigned long flags;

	req->result = scmd->result;
	req->resid = scmd->resid_len;
	req->sense_len = min_t(unsigned int, scmd->sense_len,
			       VSCSIIF_SENSE_BUFFERSIZE);
	if (req->sense_len)
		memcpy(req->sense, scmd->sense_buffer, req->sense_len);
	if (status != BLK_STS_OK && !req->result)
		req->result = DID_ERROR << 16;

	spin_lock_irqsave(&info->pend_lock, flags);
	req->rq = NULL;
	list_del(&req->node);
	spin_unlock_irqrestore(&info->pend_lock, flags);

	queue_work(vscsiback_wq, &req->work);
	return RQ_END_IO_FREE;
}

/* Build and start the passthrough request. */
static int vscsiback_issue(struct vscsiback_req *req, const char **why)
{
	struct vscsiback_info *info = req->info;
	struct vscsiif_request *r = &req->ring_req;
	struct request_queue *q = req->sdev->request_queue;
	blk_opf_t op = r->sc_data_direction == DMA_TO_DEVICE ?
		REQ_OP_DRV_OUT : REQ_OP_DRV_IN;
	struct scsi_cmnd *scmd;
	struct request *rq;
	struct bio *bio;
	unsigned int i;
	int err;

	rq = scsi_alloc_request(q, op, 0);
	if (IS_ERR(rq)) {
		*why = "the device accepts no request";
		return PTR_ERR(rq);
	}
	if (req->nr_segs) {
		bio = bio_kmalloc(req->nr_segs, GFP_KERNEL);
		if (!bio) {
			*why = "out of memory for the bio";
			err = -ENOMEM;
			goto fail_rq;
		}
		bio_init(bio, NULL, bio->bi_inline_vecs, req->nr_segs, op);
		bio->bi_end_io = vscsiback_bio_free;
		for (i = 0; i < req->nr_segs; i++) {
			unsigned int len = req->segs[i].length;

			if (bio_add_pc_page(q, bio, req->pages[i], len,
					    req->segs[i].offset) != len) {
				*why = "the data exceeds the device's request limits";
				err = -EINVAL;
				goto fail_bio;
			}
		}
		err = blk_rq_append_bio(rq, bio);
		if (err) {
			*why = "the data does not fit the device's request limits";
			goto fail_bio;
		}
	}
	scmd = blk_mq_rq_to_pdu(rq);
	memcpy(scmd->cmnd, r->cmnd, r->cmd_len);
	scmd->cmd_len = r->cmd_len;
	scmd->allowed = 0;
	rq->end_io = vscsiback_end_io;
	rq->end_io_data = req;

	spin_lock_irq(&info->pend_lock);
	req->rq = rq;
	list_add_tail(&req->node, &info->pending);
	spin_unlock_irq(&info->pend_lock);
	blk_execute_rq_nowait(rq, false);
	return 0;

fail_bio:
	vscsiback_bio_free(bio);
fail_rq:
	blk_mq_free_request(rq);
	return err;
}

static void vscsiback_cdb(struct vscsiback_req *req)
{
	struct vscsiback_info *info = req->info;
	struct vscsiif_request *r = &req->ring_req;
	const char *why;

	if (!vscsiback_lookup(info, r->channel, r->id, r->lun, req)) {
		vscsiback_fail(req, DID_NO_CONNECT);
		return;
	}
	if (vscsiback_segments(req, &why) ||
	    (req->tpg ? vscsiback_tcm_issue(req, &why) :
	     vscsiback_issue(req, &why))) {
		dev_err_ratelimited(&info->dev->dev,
				    "request %u to %u:%u:%u refused: %s\n",
				    r->rqid, r->channel, r->id, r->lun, why);
		if (req->nr_mapped)
			vscsiback_unmap(info, req->pages, req->handles,
					req->nr_mapped);
		req->nr_mapped = 0;
		vscsiback_fail(req, DID_ERROR);
	}
}

/*
 * Abort (one request, by its rqid) or reset (all requests of a device):
 * the dom0 SCSI midlayer's error handling takes over the requests in
 * flight, which then complete with their own responses.
 */
static void vscsiback_tmf(struct vscsiback_req *req)
{
	struct vscsiback_info *info = req->info;
	struct vscsiif_request *r = &req->ring_req;
	struct vscsiback_req *p;
	bool found = false, ok;

	/* naa LUNs: the target core's task management is not wired. */
	ok = vscsiback_lookup(info, r->channel, r->id, r->lun, req) &&
		req->sdev;
	if (ok) {
		spin_lock_irq(&info->pend_lock);
		list_for_each_entry(p, &info->pending, node) {
			if (p->sdev != req->sdev || !p->rq)
				continue;
			if (r->act == VSCSIIF_ACT_SCSI_ABORT &&
			    p->ring_req.rqid != r->ref_rqid)
				continue;
			blk_abort_request(p->rq);
			found = true;
		}
		spin_unlock_irq(&info->pend_lock);
	}
	vscsiback_respond(info, r->rqid,
			  ok && (found || r->act == VSCSIIF_ACT_SCSI_RESET) ?
			  XEN_VSCSIIF_RSLT_RESET_SUCCESS :
			  XEN_VSCSIIF_RSLT_RESET_FAILED, NULL, 0, 0);
	vscsiback_free_req(req);
	vscsiback_put_inflight(info);
}

static void vscsiback_dispatch(struct vscsiback_info *info,
			       struct vscsiback_req *req)
{
	struct vscsiif_request *r = &req->ring_req;
	struct xmp_vscsireq chk = {
		.act = r->act,
		.cmd_len = r->cmd_len,
		.cdb0 = r->cmnd[0],
		.dir = r->sc_data_direction,
		.nr_segments = r->nr_segments,
	};
	const char *why;

	if (xmp_vscsireq_check(&chk, info->max_sg, &why)) {
		dev_err_ratelimited(&info->dev->dev,
				    "request %u (%s) refused: %s\n", r->rqid,
				    xmp_vscsi_act_name(r->act), why);
		if (r->act == VSCSIIF_ACT_SCSI_ABORT ||
		    r->act == VSCSIIF_ACT_SCSI_RESET) {
			vscsiback_respond(info, r->rqid,
					  XEN_VSCSIIF_RSLT_RESET_FAILED,
					  NULL, 0, 0);
			vscsiback_free_req(req);
			vscsiback_put_inflight(info);
		} else {
			vscsiback_fail(req, DID_ERROR);
		}
		return;
	}
	if (r->act == VSCSIIF_ACT_SCSI_CDB)
		vscsiback_cdb(req);
	else
		vscsiback_tmf(req);
}

/* Take what the frontend produced; true if more arrived meanwhile. */
static bool vscsiback_do_ring(struct vscsiback_info *info,
			      unsigned int *eoi_flags)
{
	struct vscsiif_back_ring *ring = &info->ring;
	struct vscsiback_req *req;
	RING_IDX rc, rp;
	int more;

	if (info->ring_broken)
		return false;
	rc = ring->req_cons;
	rp = ring->sring->req_prod;
	rmb(); /* req_prod before the requests */

	if (RING_REQUEST_PROD_OVERFLOW(ring, rp)) {
		info->ring_broken = true;
		xenbus_dev_fatal(info->dev, -EPROTO,
				 "request producer %u is %u ahead of the consumer %u on a %u-slot ring",
				 rp, rp - rc, rc, RING_SIZE(ring));
		return false;
	}
	while (rc != rp) {
		if (RING_REQUEST_CONS_OVERFLOW(ring, rc))
			break;
		req = kzalloc(sizeof(*req), GFP_KERNEL);
		if (!req)
			return true;	/* retried on the next round */
		RING_COPY_REQUEST(ring, rc, &req->ring_req);
		ring->req_cons = ++rc;
		req->info = info;
		INIT_WORK(&req->work, vscsiback_complete_work);
		INIT_LIST_HEAD(&req->node);
		atomic_inc(&info->inflight);
		*eoi_flags &= ~XEN_EOI_FLAG_SPURIOUS;
		vscsiback_dispatch(info, req);
	}
	RING_FINAL_CHECK_FOR_REQUESTS(ring, more);
	return more;
}

irqreturn_t vscsiback_irq_fn(int irq, void *data)
{
	struct vscsiback_info *info = data;
	unsigned int eoi_flags = XEN_EOI_FLAG_SPURIOUS;

	while (vscsiback_do_ring(info, &eoi_flags))
		cond_resched();
	xen_irq_lateeoi(irq, eoi_flags);
	return IRQ_HANDLED;
}

void vscsiback_drain(struct vscsiback_info *info)
{
	wait_event(info->drained, !atomic_read(&info->inflight));
	flush_workqueue(vscsiback_wq);
}

int vscsiback_io_init(void)
{
	vscsiback_wq = alloc_workqueue("xen-scsiback", WQ_MEM_RECLAIM, 0);
	return vscsiback_wq ? 0 : -ENOMEM;
}

void vscsiback_io_exit(void)
{
	destroy_workqueue(vscsiback_wq);
}
