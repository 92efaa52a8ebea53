// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-scsifront data path: the Scsi_Host's commands onto the shared ring
 * (data pages granted, more than 26 segments through one indirect page
 * when the backend offers feature-sg-grant), the backend's responses back
 * to the midlayer after the protocol core checked them, and abort/reset
 * for the error handler.
 */
#include "front.h"

#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <scsi/scsi_device.h>
#include <xen/events.h>
#include <xen/page.h>

/* How long abort/reset wait for the backend's answer. */
#define VSCSIFRONT_TMF_TIMEOUT	(30 * HZ)

int vscsifront_alloc_ids(struct vscsifront_info *info, unsigned int nr)
{
	unsigned int i;

	info->shadow = kcalloc(nr, sizeof(*info->shadow), GFP_KERNEL);
	info->ids = kcalloc(nr, sizeof(*info->ids), GFP_KERNEL);
	info->free_next = kcalloc(nr, sizeof(*info->free_next), GFP_KERNEL);
	if (!info->shadow || !info->ids || !info->free_next) {
		vscsifront_free_ids(info);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		info->free_next[i] = i + 1;
	info->free_head = 0;
	info->nr_free = nr;
	info->nr_ids = nr;
	return 0;
}

void vscsifront_free_ids(struct vscsifront_info *info)
{
	kfree(info->shadow);
	kfree(info->ids);
	kfree(info->free_next);
	info->shadow = NULL;
	info->ids = NULL;
	info->free_next = NULL;
	info->nr_ids = 0;
	info->nr_free = 0;
}

/* Under ring_lock: a free rqid for @s, or -EBUSY. */
static int vscsifront_get_id(struct vscsifront_info *info,
			     struct vscsifront_shadow *s)
{
	unsigned int id = info->free_head;

	if (!info->nr_free || RING_FULL(&info->ring))
		return -EBUSY;
	info->free_head = info->free_next[id];
	info->nr_free--;
	info->shadow[id] = s;
	info->ids[id].busy = true;
	info->ids[id].act = s->act;
	s->rqid = id;
	s->inflight = true;
	return 0;
}

static void vscsifront_put_id(struct vscsifront_info *info, unsigned int id)
{
	info->shadow[id]->inflight = false;
	info->shadow[id] = NULL;
	info->ids[id].busy = false;
	info->free_next[id] = info->free_head;
	info->free_head = id;
	info->nr_free++;
}

/*
 * End the backend's access to the command's pages. A grant the backend
 * still maps cannot be taken back: the backend broke the protocol; the
 * grant is leaked on purpose (the page stays reachable to it) and the
 * frontend stops trusting the backend.
 */
static bool vscsifront_end_grants(struct vscsifront_info *info,
				  struct vscsifront_shadow *s)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < s->nr_grants; i++) {
		if (!gnttab_try_end_foreign_access(s->grefs[i]))
			ok = false;
	}
	s->nr_grants = 0;
	if (s->ind_page) {
		/* Frees the page once the backend no longer maps it. */
		gnttab_end_foreign_access(s->ind_gref, s->ind_page);
		s->ind_page = NULL;
	}
	if (!ok)
		dev_alert(&info->dev->dev,
			  "the backend still maps data pages of a finished command\n");
	return ok;
}

/* Grant the command's data; fill the ring request's segments. */
static int vscsifront_grant(struct vscsifront_info *info,
			    struct vscsifront_shadow *s,
			    struct vscsiif_request *req)
{
	struct scsi_cmnd *sc = s->sc;
	domid_t domid = info->dev->otherend_id;
	bool ro = sc->sc_data_direction == DMA_TO_DEVICE;
	struct scsiif_request_segment *seg = req->seg;
	struct scatterlist *sg;
	unsigned int i, n = 0, nsegs = 0;
	int ref;

	/* Count the 4 KiB pieces first. */
	scsi_for_each_sg(sc, sg, scsi_sg_count(sc), i) {
		unsigned int off = sg->offset & ~PAGE_MASK;

		nsegs += DIV_ROUND_UP(off + sg->length, PAGE_SIZE);
	}
	if (nsegs > info->max_segs)
		return -EINVAL;
	if (nsegs > VSCSIIF_SG_TABLESIZE) {
		s->ind_page = alloc_page(GFP_ATOMIC);
		if (!s->ind_page)
			return -ENOMEM;
		seg = page_address(s->ind_page);
	}

	scsi_for_each_sg(sc, sg, scsi_sg_count(sc), i) {
		struct page *page = nth_page(sg_page(sg), sg->offset >> PAGE_SHIFT);
		unsigned int off = sg->offset & ~PAGE_MASK;
		unsigned int left = sg->length;

		while (left) {
			unsigned int len = min_t(unsigned int, left,
						 PAGE_SIZE - off);

			ref = gnttab_grant_foreign_access(domid,
							  xen_page_to_gfn(page),
							  ro);
			if (ref < 0)
				goto fail;
			s->grefs[s->nr_grants++] = ref;
			seg[n].gref = ref;
			seg[n].offset = off;
			seg[n].length = len;
			n++;
			s->xfer_len += len;
			left -= len;
			off = 0;
			page = nth_page(page, 1);
		}
	}

	if (s->ind_page) {
		ref = gnttab_grant_foreign_access(domid,
						  xen_page_to_gfn(s->ind_page),
						  1);
		if (ref < 0)
			goto fail;
		s->ind_gref = ref;
		req->seg[0].gref = ref;
		req->seg[0].offset = 0;
		req->seg[0].length = n * sizeof(*seg);
		req->nr_segments = VSCSIIF_SG_GRANT | 1;
	} else {
		req->nr_segments = n;
	}
	return 0;

fail:
	/* Nothing was sent: every grant can be taken back. */
	for (i = 0; i < s->nr_grants; i++)
		gnttab_try_end_foreign_access(s->grefs[i]);
	s->nr_grants = 0;
	if (s->ind_page) {
		__free_page(s->ind_page);
		s->ind_page = NULL;
	}
	return -ENOSPC;
}

static void vscsifront_push(struct vscsifront_info *info,
			    const struct vscsiif_request *req)
{
	int notify;

	memcpy(RING_GET_REQUEST(&info->ring, info->ring.req_prod_pvt), req,
	       sizeof(*req));
	info->ring.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&info->ring, notify);
	if (notify)
		notify_remote_via_irq(info->irq);
}

static int vscsifront_queuecommand(struct Scsi_Host *shost,
				   struct scsi_cmnd *sc)
{
	struct vscsifront_info *info = vscsifront_host_info(shost);
	struct vscsifront_shadow *s = scsi_cmd_priv(sc);
	struct vscsiif_request req;
	unsigned long flags;
	int err;

	memset(&req, 0, sizeof(req));
	s->sc = sc;
	s->act = VSCSIIF_ACT_SCSI_CDB;
	s->nr_grants = 0;
	s->ind_page = NULL;
	s->xfer_len = 0;
	s->inflight = false;
	if (sc->cmd_len > VSCSIIF_MAX_COMMAND_SIZE) {
		sc->result = DID_ERROR << 16;
		scsi_done(sc);
		return 0;
	}

	spin_lock_irqsave(&info->ring_lock, flags);
	if (info->broken) {
		spin_unlock_irqrestore(&info->ring_lock, flags);
		sc->result = DID_NO_CONNECT << 16;
		scsi_done(sc);
		return 0;
	}
	if (!info->connected || vscsifront_get_id(info, s)) {
		spin_unlock_irqrestore(&info->ring_lock, flags);
		return SCSI_MLQUEUE_HOST_BUSY;
	}
	err = vscsifront_grant(info, s, &req);
	if (err) {
		vscsifront_put_id(info, s->rqid);
		spin_unlock_irqrestore(&info->ring_lock, flags);
		if (err == -EINVAL) {
			sc->result = DID_ERROR << 16;
			scsi_done(sc);
			return 0;
		}
		return SCSI_MLQUEUE_HOST_BUSY;
	}
	req.rqid = s->rqid;
	req.act = VSCSIIF_ACT_SCSI_CDB;
	req.cmd_len = sc->cmd_len;
	memcpy(req.cmnd, sc->cmnd, sc->cmd_len);
	req.timeout_per_command = scsi_cmd_to_rq(sc)->timeout / HZ;
	req.channel = sc->device->channel;
	req.id = sc->device->id;
	req.lun = sc->device->lun;
	req.sc_data_direction = sc->sc_data_direction;
	vscsifront_push(info, &req);
	spin_unlock_irqrestore(&info->ring_lock, flags);
	return 0;
}

/*
 * Under ring_lock: one checked response. A finished command is put on
 * *@done (linked through host_scribble) for scsi_done() once the lock is
 * released.
 */
static void vscsifront_complete(struct vscsifront_info *info,
				const struct vscsiif_response *rsp,
				struct scsi_cmnd **done)
{
	struct vscsifront_shadow *s = info->shadow[rsp->rqid];
	struct scsi_cmnd *sc = s->sc;
	unsigned int host;

	vscsifront_put_id(info, rsp->rqid);
	if (s->act != VSCSIIF_ACT_SCSI_CDB) {
		if (s->tmf_orphan) {
			kfree(s);
			return;
		}
		s->tmf_rslt = rsp->rslt;
		s->tmf_done = true;
		return;
	}
	if (!vscsifront_end_grants(info, s)) {
		info->broken = true;
		info->fatal_why = "the backend kept a data page mapped after answering";
		schedule_work(&info->fatal_work);
	}
	host = XMP_VSCSI_RSLT_HOST(rsp->rslt);
	/* 16..19 are retired in Linux (DID_TARGET_FAILURE etc.). */
	if (host >= 16 && host <= 19)
		host = DID_ERROR;
	sc->result = (host << 16) | (rsp->rslt & 0xff);
	memset(sc->sense_buffer, 0, SCSI_SENSE_BUFFERSIZE);
	if (rsp->sense_len)
		memcpy(sc->sense_buffer, rsp->sense_buffer,
		       min_t(unsigned int, rsp->sense_len,
			     SCSI_SENSE_BUFFERSIZE));
	scsi_set_resid(sc, xmp_vscsi_resid(rsp->residual_len, s->xfer_len));
	sc->host_scribble = (unsigned char *)*done;
	*done = sc;
}

static void vscsifront_done(struct scsi_cmnd *done)
{
	struct scsi_cmnd *sc;

	while (done) {
		sc = done;
		done = (struct scsi_cmnd *)sc->host_scribble;
		sc->host_scribble = NULL;
		scsi_done(sc);
	}
}

irqreturn_t vscsifront_irq(int irq, void *data)
{
	struct vscsifront_info *info = data;
	struct scsi_cmnd *done = NULL;
	struct vscsiif_response rsp;
	struct xmp_vscsirsp chk;
	unsigned long flags;
	const char *why;
	RING_IDX i, rp;
	int more;

	spin_lock_irqsave(&info->ring_lock, flags);
	if (!info->connected || info->broken)
		goto out;
	do {
		rp = READ_ONCE(info->ring.sring->rsp_prod);
		virt_rmb(); /* rsp_prod before the responses */
		if (RING_RESPONSE_PROD_OVERFLOW(&info->ring, rp)) {
			why = "response producer beyond the requests";
			goto broken;
		}
		for (i = info->ring.rsp_cons; i != rp; i++) {
			RING_COPY_RESPONSE(&info->ring, i, &rsp);
			chk.rqid = rsp.rqid;
			chk.sense_len = rsp.sense_len;
			chk.rslt = rsp.rslt;
			chk.residual_len = rsp.residual_len;
			if (xmp_vscsirsp_check(&chk, info->ids, info->nr_ids,
					       &why)) {
				info->ring.rsp_cons = i + 1;
				goto broken;
			}
			vscsifront_complete(info, &rsp, &done);
		}
		info->ring.rsp_cons = i;
		RING_FINAL_CHECK_FOR_RESPONSES(&info->ring, more);
	} while (more);
	wake_up(&info->wq);
out:
	spin_unlock_irqrestore(&info->ring_lock, flags);
	vscsifront_done(done);
	return IRQ_HANDLED;

broken:
	info->broken = true;
	info->fatal_why = why;
	spin_unlock_irqrestore(&info->ring_lock, flags);
	vscsifront_done(done);
	schedule_work(&info->fatal_work);
	wake_up(&info->wq);
	return IRQ_HANDLED;
}

void vscsifront_quiesce(struct vscsifront_info *info)
{
	spin_lock_irq(&info->ring_lock);
	info->connected = false;
	spin_unlock_irq(&info->ring_lock);
	wait_event_timeout(info->wq, info->nr_free == info->nr_ids ||
			   info->broken, VSCSIFRONT_TMF_TIMEOUT);
}

/*
 * Abort (one command) or device reset: ask the backend, then wait until
 * the commands concerned got their own responses: only then can the
 * midlayer reuse them. Anything else is FAILED and escalates.
 */
static bool vscsifront_sdev_idle(struct vscsifront_info *info,
				 struct scsi_cmnd *sc, bool whole_device)
{
	unsigned int i;

	if (!whole_device)
		return !((struct vscsifront_shadow *)scsi_cmd_priv(sc))->inflight;
	for (i = 0; i < info->nr_ids; i++) {
		struct vscsifront_shadow *s = info->shadow[i];

		if (s && s->sc && s->sc->device == sc->device)
			return false;
	}
	return true;
}

static int vscsifront_tmf(struct scsi_cmnd *sc, u8 act)
{
	struct vscsifront_info *info = vscsifront_host_info(sc->device->host);
	struct vscsifront_shadow *cmd = scsi_cmd_priv(sc);
	struct vscsifront_shadow *s;
	struct vscsiif_request req;
	bool whole = act == VSCSIIF_ACT_SCSI_RESET;
	int ret = FAILED;
	long left;

	s = kzalloc(sizeof(*s), GFP_NOIO);
	if (!s)
		return FAILED;
	s->act = act;
	memset(&req, 0, sizeof(req));

	spin_lock_irq(&info->ring_lock);
	if (vscsifront_sdev_idle(info, sc, whole)) {
		spin_unlock_irq(&info->ring_lock);
		kfree(s);
		return SUCCESS;
	}
	left = wait_event_lock_irq_timeout(info->wq,
					   info->broken || !info->connected ||
					   (info->nr_free &&
					    !RING_FULL(&info->ring)),
					   info->ring_lock,
					   VSCSIFRONT_TMF_TIMEOUT);
	if (!left || info->broken || !info->connected ||
	    vscsifront_get_id(info, s)) {
		spin_unlock_irq(&info->ring_lock);
		kfree(s);
		return FAILED;
	}
	req.rqid = s->rqid;
	req.act = act;
	req.channel = sc->device->channel;
	req.id = sc->device->id;
	req.lun = sc->device->lun;
	req.ref_rqid = cmd->rqid;
	req.sc_data_direction = DMA_NONE;
	vscsifront_push(info, &req);

	left = wait_event_lock_irq_timeout(info->wq, s->tmf_done || info->broken,
					   info->ring_lock,
					   VSCSIFRONT_TMF_TIMEOUT);
	if (!s->tmf_done) {
		/* Freed when (if) the answer comes. */
		s->tmf_orphan = true;
		spin_unlock_irq(&info->ring_lock);
		return FAILED;
	}
	if (s->tmf_rslt == XEN_VSCSIIF_RSLT_RESET_SUCCESS) {
		wait_event_lock_irq_timeout(info->wq,
					    info->broken ||
					    vscsifront_sdev_idle(info, sc, whole),
					    info->ring_lock,
					    VSCSIFRONT_TMF_TIMEOUT);
		if (vscsifront_sdev_idle(info, sc, whole))
			ret = SUCCESS;
	}
	spin_unlock_irq(&info->ring_lock);
	kfree(s);
	return ret;
}

static int vscsifront_eh_abort(struct scsi_cmnd *sc)
{
	return vscsifront_tmf(sc, VSCSIIF_ACT_SCSI_ABORT);
}

static int vscsifront_eh_reset(struct scsi_cmnd *sc)
{
	return vscsifront_tmf(sc, VSCSIIF_ACT_SCSI_RESET);
}

struct scsi_host_template vscsifront_sht = {
	.module = THIS_MODULE,
	.name = "Xen SCSI frontend driver (xen-mpring)",
	.proc_name = "scsifront",
	.queuecommand = vscsifront_queuecommand,
	.eh_abort_handler = vscsifront_eh_abort,
	.eh_device_reset_handler = vscsifront_eh_reset,
	.cmd_size = sizeof(struct vscsifront_shadow),
	.this_id = -1,
	.cmd_per_lun = 16,
	.can_queue = 1,		/* set from the ring size */
	.sg_tablesize = VSCSIIF_SG_TABLESIZE,	/* set from feature-sg-grant */
	.max_segment_size = PAGE_SIZE,
	.dma_boundary = PAGE_SIZE - 1,
};
