// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront control plane: module parameters, the XenBus state machine
 * (as the protocol core's table says), transport negotiation, device
 * properties and features, suspend/resume.
 *
 * Spec: shared/seeds/blkif-multipage-rings.patch.txt (Xen io/blkif.h).
 */
#include "common.h"

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/page.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>
#include <xen/interface/io/protocols.h>

#include <xen-mpring/xenbus_fsm.h>

#include "ring_params.h"
#include "xb_util.h"

/*
 * The protocol core's XMP_XB_* have the values of enum xenbus_state
 * (xenbus_fsm.h); using them keeps Xen's CamelCase names out of here.
 */
static int blkfront_switch_state(struct xenbus_device *dev,
				 enum xmp_xb_state state)
{
	return xenbus_switch_state(dev, (enum xenbus_state)state);
}

#ifndef XMP_VERSION
#define XMP_VERSION "0.0.0-unknown"
#endif

/* ------------------------------------------------------------------ */
/* Module parameters: every one validated, a bad value fails the load  */
/* ------------------------------------------------------------------ */

static unsigned int max_ring_page_order = XMP_RING_ORDER_LIMIT;
static unsigned int blkfront_schemes = XMP_SCHEME_BOTH;
static unsigned int max_queues = 4;
unsigned int blkfront_max_indirect_segments = 32;
static bool feature_persistent = true;
bool blkfront_trusted = true;

module_param_cb(max_ring_page_order, &xmp_ring_order_param_ops,
		&max_ring_page_order, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest request ring this frontend allocates, as lb(pages): 0..6 (default 6 = 64 pages); the ring is the largest both sides allow");

module_param_cb(schemes, &xmp_schemes_param_ops, &blkfront_schemes, 0444);
MODULE_PARM_DESC(schemes,
		 "Ring size negotiation scheme(s) read and written: order (max-ring-page-order/ring-page-order), pages (max-ring-pages/num-ring-pages, deprecated) or both (default)");

static int param_set_queues(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 1, 256);
}

static const struct kernel_param_ops queues_ops = {
	.set = param_set_queues,
	.get = param_get_uint,
};
module_param_cb(max_queues, &queues_ops, &max_queues, 0444);
MODULE_PARM_DESC(max_queues,
		 "Most hardware queues (rings) per disk: 1..256, also capped by the backend's multi-queue-max-queues and the online CPUs (default 4)");

#define BLKFRONT_SEGS_PARAM_MAX	256U

static int param_set_segs(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) ||
	    (v && (v < BLKIF_MAX_SEGMENTS_PER_REQUEST ||
		   v > BLKFRONT_SEGS_PARAM_MAX))) {
		pr_err("invalid max_indirect_segments=%s: must be 0 (no indirect descriptors) or %u..%u\n",
		       val, BLKIF_MAX_SEGMENTS_PER_REQUEST,
		       BLKFRONT_SEGS_PARAM_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops segs_ops = {
	.set = param_set_segs,
	.get = param_get_uint,
};
module_param_cb(max_indirect_segments, &segs_ops,
		&blkfront_max_indirect_segments, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Most 4 KiB segments per request with indirect descriptors: 0 (off) or 11..256 (default 32)");

/* 1 GiB per ring: more than a ring of order 6 can use. */
#define BLKFRONT_POOL_PARAM_MAX	262144U

static int param_set_pool(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 0, BLKFRONT_POOL_PARAM_MAX);
}

static const struct kernel_param_ops pool_ops = {
	.set = param_set_pool,
	.get = param_get_uint,
};

unsigned int blkfront_max_pool_pages;
module_param_cb(max_pool_pages, &pool_ops, &blkfront_max_pool_pages, 0644);
MODULE_PARM_DESC(max_pool_pages,
		 "Most pages per ring for persistent grants, bounce buffers and indirect descriptors, allocated as I/O needs them: 0 = what a full ring needs (default), else 1..262144, never below one request's pages; read at each connection");

module_param(feature_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent,
		 "Use persistent grants when the backend offers them (default Y); read at each connection");

module_param_named(trusted, blkfront_trusted, bool, 0644);
MODULE_PARM_DESC(trusted,
		 "Trust the backends (default Y). N, or a \"trusted\" node of 0 written by the toolstack, makes a disk use bounce buffers: no guest page is ever granted");

/* ------------------------------------------------------------------ */
/* Transport: rings, event channels, xenstore                          */
/* ------------------------------------------------------------------ */

static void blkfront_free_rings(struct blkfront_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_rings; i++) {
		struct blkfront_ring *ring = &info->rings[i];

		if (ring->irq > 0)
			unbind_from_irqhandler(ring->irq, ring);
		else if (ring->evtchn)
			xenbus_free_evtchn(info->xbdev, ring->evtchn);
		ring->irq = 0;
		ring->evtchn = 0;
		blkfront_ring_free_slots(ring);
		xmp_ring_grant_free(&ring->rg);
	}
	kfree(info->rings);
	info->rings = NULL;
	info->nr_rings = 0;
}

static int blkfront_setup_ring(struct blkfront_info *info,
			       struct blkfront_ring *ring)
{
	struct xenbus_device *dev = info->xbdev;
	struct blkif_sring *sring;
	int err;

	err = xmp_ring_grant_alloc(dev, &ring->rg, info->plan.order);
	if (err)
		return err;
	sring = ring->rg.vaddr;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&ring->ring, sring, ring->rg.nr_pages * XEN_PAGE_SIZE);

	err = blkfront_ring_init_slots(ring, RING_SIZE(&ring->ring));
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating ring %u slots",
				 ring->index);
		return err;
	}

	err = xenbus_alloc_evtchn(dev, &ring->evtchn);
	if (err)
		return err;	/* reported by xenbus */
	err = bind_evtchn_to_irqhandler_lateeoi(ring->evtchn,
						blkfront_interrupt, 0,
						KBUILD_MODNAME, ring);
	if (err <= 0) {
		xenbus_dev_fatal(dev, err, "binding event channel %u",
				 ring->evtchn);
		return err ? err : -EINVAL;
	}
	ring->irq = err;
	return 0;
}

static void blkfront_warn_plan(struct blkfront_info *info,
			       const struct xmp_back_ring_nodes *nodes)
{
	unsigned int f = info->plan.flags;

	if (!(f & ~XMP_NEG_CLAMPED))
		return;
	dev_warn(&info->xbdev->dev,
		 "backend %s ring nodes odd (max-ring-page-order=%s max-ring-pages=%s):%s%s%s%s; using %u page(s)\n",
		 info->xbdev->otherend,
		 nodes->max_ring_page_order ?: "(none)",
		 nodes->max_ring_pages ?: "(none)",
		 f & XMP_NEG_ORDER_GARBAGE ? " max-ring-page-order ignored" : "",
		 f & XMP_NEG_PAGES_GARBAGE ? " max-ring-pages ignored" : "",
		 f & XMP_NEG_PAGES_NOT_POW2 ? " max-ring-pages not a power of 2" : "",
		 f & XMP_NEG_DISAGREE ? " the two disagree" : "",
		 info->plan.nr_pages);
}

/* Read the backend's ring limits and make the plan (xmp_front_plan). */
static int blkfront_plan_ring(struct blkfront_info *info, bool defaults_only)
{
	struct xenbus_device *dev = info->xbdev;
	struct xmp_back_ring_nodes nodes = {};
	char *order = NULL, *pages = NULL;
	int err = 0;

	if (!defaults_only) {
		order = xmp_xb_read_opt(XBT_NIL, dev->otherend,
					"max-ring-page-order");
		pages = xmp_xb_read_opt(XBT_NIL, dev->otherend,
					"max-ring-pages");
		if (IS_ERR(order) || IS_ERR(pages)) {
			err = IS_ERR(order) ? PTR_ERR(order) : PTR_ERR(pages);
			xenbus_dev_fatal(dev, err, "reading %s ring limits",
					 dev->otherend);
			goto out;
		}
		nodes.max_ring_page_order = order;
		nodes.max_ring_pages = pages;
	}
	xmp_front_plan(&nodes, max_ring_page_order, blkfront_schemes,
		       defaults_only, &info->plan);
	blkfront_warn_plan(info, &nodes);
out:
	if (!IS_ERR(order))
		kfree(order);
	if (!IS_ERR(pages))
		kfree(pages);
	return err;
}

static int blkfront_write_nodes(struct blkfront_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	struct xenbus_transaction xbt;
	const char *what;
	unsigned int i;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}

	what = "ring size";
	err = xmp_ring_grant_write_size(xbt, dev->nodename, &info->plan);
	if (err)
		goto abort;
	what = "multi-queue-num-queues";
	if (info->nr_rings > 1)
		err = xenbus_printf(xbt, dev->nodename,
				    "multi-queue-num-queues", "%u",
				    info->nr_rings);
	else
		err = xenbus_rm(xbt, dev->nodename, "multi-queue-num-queues");
	if (err && err != -ENOENT)
		goto abort;
	for (i = 0; i < info->nr_rings; i++) {
		struct blkfront_ring *ring = &info->rings[i];

		what = "ring-ref";
		err = xmp_ring_grant_write_refs(xbt, ring->dir, &ring->rg,
						&info->plan);
		if (err)
			goto abort;
		what = "event-channel";
		err = xenbus_printf(xbt, ring->dir, "event-channel", "%u",
				    ring->evtchn);
		if (err)
			goto abort;
	}
	what = "protocol";
	err = xenbus_printf(xbt, dev->nodename, "protocol", "%s",
			    XEN_IO_PROTO_ABI_NATIVE);
	if (err)
		goto abort;
	what = "feature-persistent";
	err = xenbus_printf(xbt, dev->nodename, "feature-persistent", "%u",
			    feature_persistent ? 1 : 0);
	if (err)
		goto abort;

	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err) {
		xenbus_dev_fatal(dev, err, "completing transaction");
		return err;
	}
	return 0;

abort:
	xenbus_transaction_end(xbt, 1);
	xenbus_dev_fatal(dev, err, "writing %s", what);
	return err;
}

/*
 * Initialising -> Initialised: choose the transport, allocate and grant
 * the ring(s), publish them (blkif.h: "Publish transport parameters that
 * will be in effect during this connection"). @defaults_only: the backend
 * skipped InitWait, so default transport parameters are in effect.
 */
static int blkfront_talk_to_backend(struct blkfront_info *info,
				    bool defaults_only)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned int i, nr;
	int err;

	if (info->rings)
		blkfront_free_rings(info);

	info->bounce = !blkfront_trusted ||
		       !xenbus_read_unsigned(dev->nodename, "trusted", 1);

	err = blkfront_plan_ring(info, defaults_only);
	if (err)
		return err;

	nr = 1;
	if (!defaults_only)
		nr = xenbus_read_unsigned(dev->otherend,
					  "multi-queue-max-queues", 1);
	nr = clamp(nr, 1U, min(max_queues, num_online_cpus()));
	/*
	 * Reconnecting (restore, migration): the disk keeps the hardware
	 * queues it was created with; queue_rq maps hardware queue i to ring
	 * i % nr_rings, so fewer rings (a smaller backend) serve them all and
	 * more rings than queues would sit idle. Changing the number of
	 * hardware queues would freeze the queue while the requests taken
	 * off the old rings wait to be reissued.
	 */
	if (info->tag_set_ready)
		nr = min(nr, info->tag_set.nr_hw_queues);

	info->rings = kcalloc(nr, sizeof(*info->rings), GFP_KERNEL);
	if (!info->rings) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating %u rings", nr);
		return -ENOMEM;
	}
	info->nr_rings = nr;
	for (i = 0; i < nr; i++) {
		struct blkfront_ring *ring = &info->rings[i];
		int len;

		ring->info = info;
		ring->index = i;
		spin_lock_init(&ring->lock);
		INIT_LIST_HEAD(&ring->pool_free);
		/* With several queues each ring has a queue-N/ directory. */
		if (nr > 1)
			len = snprintf(ring->dir, sizeof(ring->dir),
				       "%s/queue-%u", dev->nodename, i);
		else
			len = snprintf(ring->dir, sizeof(ring->dir), "%s",
				       dev->nodename);
		if (len >= sizeof(ring->dir)) {
			err = -ENAMETOOLONG;
			xenbus_dev_fatal(dev, err, "path of ring %u too long",
					 i);
			goto fail;
		}
		err = blkfront_setup_ring(info, ring);
		if (err)
			goto fail;
	}

	err = blkfront_write_nodes(info);
	if (err)
		goto fail;
	err = blkfront_switch_state(dev, XMP_XB_INITIALISED);
	if (err)
		goto fail;
	dev_info(&dev->dev,
		 "%u ring(s) of %u page(s) (order %u)%s%s%s, backend %s\n",
		 nr, info->plan.nr_pages, info->plan.order,
		 info->plan.write_order ? " ring-page-order" : "",
		 info->plan.write_pages ? " num-ring-pages" : "",
		 defaults_only ? " (defaults: backend skipped InitWait)" : "",
		 dev->otherend);
	return 0;

fail:
	blkfront_free_rings(info);
	return err;
}

/* ------------------------------------------------------------------ */
/* Device properties and features (backend Connected)                  */
/* ------------------------------------------------------------------ */

static int blkfront_read_props(struct blkfront_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned long long sectors;
	unsigned int ssize, pssize, vinfo;
	int err;

	err = xenbus_gather(XBT_NIL, dev->otherend, "sectors", "%llu", &sectors,
			    "info", "%u", &vinfo, "sector-size", "%u", &ssize,
			    NULL);
	if (err) {
		xenbus_dev_fatal(dev, err,
				 "reading sectors/info/sector-size at %s",
				 dev->otherend);
		return err;
	}
	pssize = xenbus_read_unsigned(dev->otherend, "physical-sector-size",
				      ssize);
	if (ssize < SECTOR_SIZE || ssize > PAGE_SIZE || !is_power_of_2(ssize)) {
		xenbus_dev_fatal(dev, -EINVAL,
				 "backend sector-size %u: not a power of 2 in 512..%lu",
				 ssize, PAGE_SIZE);
		return -EINVAL;
	}
	if (pssize < ssize || !is_power_of_2(pssize)) {
		dev_warn(&dev->dev,
			 "backend physical-sector-size %u invalid: using %u\n",
			 pssize, ssize);
		pssize = ssize;
	}
	if (sectors > (U64_MAX >> SECTOR_SHIFT)) {
		xenbus_dev_fatal(dev, -EINVAL, "backend sectors %llu too big",
				 sectors);
		return -EINVAL;
	}
	info->sectors = sectors;
	info->sector_size = ssize;
	info->physical_sector_size = pssize;
	info->vdisk_info = vinfo;
	return 0;
}

static void blkfront_read_features(struct blkfront_info *info)
{
	const char *be = info->xbdev->otherend;
	unsigned int segs;

	/* flush-cache preferred over barrier, as the in-tree driver does */
	info->feature_flush = true;
	if (xenbus_read_unsigned(be, "feature-flush-cache", 0))
		info->flush_op = BLKIF_OP_FLUSH_DISKCACHE;
	else if (xenbus_read_unsigned(be, "feature-barrier", 0))
		info->flush_op = BLKIF_OP_WRITE_BARRIER;
	else
		info->feature_flush = false;
	info->feature_fua = false;

	info->feature_discard = !!xenbus_read_unsigned(be, "feature-discard",
						       0);
	info->discard_granularity = 0;
	info->discard_alignment = 0;
	info->feature_secdiscard = false;
	if (info->feature_discard) {
		info->discard_granularity =
			xenbus_read_unsigned(be, "discard-granularity", 0);
		info->discard_alignment =
			xenbus_read_unsigned(be, "discard-alignment", 0);
		info->feature_secdiscard =
			!!xenbus_read_unsigned(be, "discard-secure", 0);
		if (info->discard_granularity &&
		    (!is_power_of_2(info->discard_granularity) ||
		     info->discard_granularity < info->sector_size)) {
			dev_warn(&info->xbdev->dev,
				 "backend discard-granularity %u invalid: using the sector size\n",
				 info->discard_granularity);
			info->discard_granularity = 0;
		}
		if (info->discard_granularity &&
		    info->discard_alignment >= info->discard_granularity)
			info->discard_alignment %= info->discard_granularity;
	}

	info->persistent = feature_persistent &&
		xenbus_read_unsigned(be, "feature-persistent", 0);

	segs = xenbus_read_unsigned(be, "feature-max-indirect-segments", 0);
	segs = min(segs, info->segs_max);
	info->segs = max_t(unsigned int, segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
}

static int blkfront_fill_pools(struct blkfront_info *info)
{
	unsigned int i;
	int err;

	for (i = 0; i < info->nr_rings; i++) {
		err = blkfront_ring_fill_pool(&info->rings[i]);
		if (err) {
			xenbus_dev_fatal(info->xbdev, err,
					 "allocating ring %u page pool", i);
			return err;
		}
	}
	return 0;
}

static void blkfront_announce(struct blkfront_info *info)
{
	dev_info(&info->xbdev->dev,
		 "%s: %llu sectors, %u/%u-byte blocks%s; %u ring(s) x %u page(s); %s; indirect %u segs; persistent %s; bounce %s; discard %s\n",
		 info->gd->disk_name, info->sectors, info->sector_size,
		 info->physical_sector_size,
		 info->vdisk_info & VDISK_READONLY ? ", read-only" : "",
		 info->nr_rings, info->plan.nr_pages,
		 !info->feature_flush ? "no flush" :
		 info->flush_op == BLKIF_OP_WRITE_BARRIER ? "barrier" :
		 "flush-cache",
		 info->segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ? info->segs : 0,
		 info->persistent ? "on" : "off", info->bounce ? "on" : "off",
		 info->feature_discard ? (info->feature_secdiscard ?
					  "on (secure)" : "on") : "off");
}

/* Online resize: the backend went Connected again with new "sectors". */
static void blkfront_resize(struct blkfront_info *info)
{
	unsigned long long sectors;
	int err;

	err = xenbus_scanf(XBT_NIL, info->xbdev->otherend, "sectors", "%llu",
			   &sectors);
	if (err != 1 || sectors == info->sectors)
		return;
	dev_info(&info->xbdev->dev, "%s: capacity %llu -> %llu sectors\n",
		 info->gd->disk_name, info->sectors, sectors);
	info->sectors = sectors;
	set_capacity_and_notify(info->gd, sectors);
}

/*
 * Reconnected after a restore: reissue the requests that were on the old
 * ring(s). A request larger than the new backend's limit is dissolved
 * into its bios, which the block layer splits to the new limits.
 */
static void blkfront_recover(struct blkfront_info *info)
{
	struct request *rq, *tmp;
	struct bio_list bios;
	struct bio *bio;
	unsigned int n = 0;

	bio_list_init(&bios);
	list_for_each_entry_safe(rq, tmp, &info->held, queuelist) {
		list_del_init(&rq->queuelist);
		n++;
		if (rq->bio && blk_rq_nr_phys_segments(rq) > info->segs) {
			struct bio_list one = { .head = rq->bio,
						.tail = rq->biotail };

			bio_list_merge(&bios, &one);
			rq->bio = NULL;
			rq->biotail = NULL;
			blk_mq_end_request(rq, BLK_STS_OK);
			continue;
		}
		blk_mq_requeue_request(rq, false);
	}
	if (info->quiesced) {
		blk_mq_unquiesce_queue(info->gd->queue);
		info->quiesced = false;
	}
	blk_mq_start_stopped_hw_queues(info->gd->queue, true);
	blk_mq_kick_requeue_list(info->gd->queue);
	while ((bio = bio_list_pop(&bios)))
		submit_bio_noacct(bio);
	info->reconnects++;
	info->reissued += n;
	dev_info(&info->xbdev->dev,
		 "%s: reconnected after restore: %u ring(s) of %u page(s), %u request(s) reissued\n",
		 info->gd->disk_name, info->nr_rings, info->plan.nr_pages, n);
}

static void blkfront_connect(struct blkfront_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	int err;

	switch (info->state) {
	case BLKFRONT_CONNECTED:
		blkfront_resize(info);
		return;
	case BLKFRONT_ERROR:
		return;
	default:
		break;
	}
	if (!info->rings) {
		xenbus_dev_fatal(dev, -EPROTO,
				 "backend Connected before the ring was set up");
		return;
	}

	err = blkfront_read_props(info);
	if (err)
		return;
	blkfront_read_features(info);
	err = blkfront_fill_pools(info);
	if (err)
		return;

	if (info->state == BLKFRONT_SUSPENDED) {
		blkfront_disk_set_limits(info);
		if (get_capacity(info->gd) != info->sectors)
			set_capacity_and_notify(info->gd, info->sectors);
		set_disk_ro(info->gd, !!(info->vdisk_info & VDISK_READONLY));
		WRITE_ONCE(info->state, BLKFRONT_CONNECTED);
		blkfront_switch_state(dev, XMP_XB_CONNECTED);
		blkfront_recover(info);
		blkfront_announce(info);
		return;
	}

	if (info->gd) {
		/* Closed once: the disk is dead to its users (in-tree alike). */
		xenbus_dev_fatal(dev, -EBUSY,
				 "%s was closed: detach and attach the device again",
				 info->gd->disk_name);
		return;
	}
	err = blkfront_disk_alloc(info);
	if (err) {
		xenbus_dev_fatal(dev, err, "creating the disk");
		return;
	}
	WRITE_ONCE(info->state, BLKFRONT_CONNECTED);
	blkfront_switch_state(dev, XMP_XB_CONNECTED);
	err = device_add_disk(&dev->dev, info->gd, NULL);
	if (err) {
		WRITE_ONCE(info->state, BLKFRONT_DISCONNECTED);
		xenbus_dev_fatal(dev, err, "adding disk %s",
				 info->gd->disk_name);
		blkfront_disk_free(info);
		return;
	}
	info->disk_added = true;
	blkfront_announce(info);
}

/*
 * The backend is going away: no new I/O (what is in flight is still
 * answered), the disk is dead to its users and goes at remove; then
 * Closing and Closed, as the in-tree driver does, so that the toolstack's
 * detach completes even while the disk is still open.
 */
static void blkfront_closing(struct blkfront_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned int own = dev->state;

	if (own == XMP_XB_CLOSING || own == XMP_XB_CLOSED)
		return;
	if (info->state != BLKFRONT_ERROR)
		WRITE_ONCE(info->state, BLKFRONT_DISCONNECTED);
	if (info->gd) {
		blk_mq_stop_hw_queues(info->gd->queue);
		blk_mark_disk_dead(info->gd);
		set_capacity(info->gd, 0);
	}
	blkfront_switch_state(dev, XMP_XB_CLOSING);
	xenbus_frontend_closed(dev);
}

static void blkfront_backend_changed(struct xenbus_device *dev,
				     enum xenbus_state backend_state)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);
	unsigned int act;

	mutex_lock(&info->mutex);
	act = xmp_front_on_backend(dev->state, backend_state);
	dev_dbg(&dev->dev, "backend %s, we %s: actions %#x\n",
		xmp_xb_state_name(backend_state), xmp_xb_state_name(dev->state),
		act);

	if (act & XMP_ACT_FATAL) {
		xenbus_dev_fatal(dev, -EPROTO,
				 "backend went to %s while we are %s",
				 xmp_xb_state_name(backend_state),
				 xmp_xb_state_name(dev->state));
		goto out;
	}
	if (act & (XMP_ACT_SETUP | XMP_ACT_SETUP_DEFAULT)) {
		if (blkfront_talk_to_backend(info,
					     !(act & XMP_ACT_SETUP)))
			goto out;
	}
	if (act & XMP_ACT_CONNECT)
		blkfront_connect(info);
	if (act & XMP_ACT_CLOSING)
		blkfront_closing(info);
	if (act & XMP_ACT_CLOSED)
		xenbus_frontend_closed(dev);
out:
	mutex_unlock(&info->mutex);
}

static void blkfront_err_work(struct work_struct *work)
{
	struct blkfront_info *info = container_of(work, struct blkfront_info,
						  err_work);

	/* Requests on the other rings, then the admin's xenstore error node. */
	mutex_lock(&info->mutex);
	if (info->rings)
		blkfront_fail_all(info);
	mutex_unlock(&info->mutex);
	xenbus_dev_error(info->xbdev, -EIO, "backend broke the protocol: %s",
			 info->err_why ?: "?");
}

static int blkfront_probe(struct xenbus_device *dev,
			  const struct xenbus_device_id *id)
{
	struct blkfront_info *info;
	int err, vdevice;
	char *type;

	err = xenbus_scanf(XBT_NIL, dev->nodename, "virtual-device", "%i",
			   &vdevice);
	if (err != 1) {
		err = xenbus_scanf(XBT_NIL, dev->nodename,
				   "virtual-device-ext", "%i", &vdevice);
		if (err != 1) {
			xenbus_dev_fatal(dev, err < 0 ? err : -EINVAL,
					 "reading virtual-device");
			return err < 0 ? err : -EINVAL;
		}
	}

	if (xen_hvm_domain()) {
		/* Emulated disks not unplugged: only take xvd devices. */
		if (xen_has_pv_and_legacy_disk_devices() &&
		    !(vdevice & (1 << 28)) && (vdevice >> 8) != XENVBD_MAJOR) {
			dev_info(&dev->dev,
				 "HVM: vbd %d not taken (emulated disks present)\n",
				 vdevice);
			return -ENODEV;
		}
		/* No PV CD-ROM in an HVM guest (in-tree rule). */
		type = xenbus_read(XBT_NIL, dev->nodename, "device-type", NULL);
		if (IS_ERR(type))
			return -ENODEV;
		err = strncmp(type, "cdrom", 5) ? 0 : -ENODEV;
		kfree(type);
		if (err)
			return err;
	}

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating device state");
		return -ENOMEM;
	}
	info->xbdev = dev;
	info->vdevice = vdevice;
	mutex_init(&info->mutex);
	INIT_LIST_HEAD(&info->held);
	INIT_WORK(&info->err_work, blkfront_err_work);
	info->state = BLKFRONT_DISCONNECTED;
	info->segs_max = max_t(unsigned int, blkfront_max_indirect_segments,
			       BLKIF_MAX_SEGMENTS_PER_REQUEST);
	info->segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	err = blkfront_check_vdevice(info);
	if (err) {
		xenbus_dev_fatal(dev, err, "virtual-device %#x unusable",
				 vdevice);
		kfree(info);
		return err;
	}
	/* The frontend directory's name is the handle (in-tree). */
	err = kstrtou16(strrchr(dev->nodename, '/') + 1, 0, &info->handle);
	if (err)
		info->handle = vdevice;
	dev_set_drvdata(&dev->dev, info);
	return 0;
}

static void blkfront_remove(struct xenbus_device *dev)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);
	struct request *rq, *tmp;
	bool live;

	mutex_lock(&info->mutex);
	live = info->state == BLKFRONT_CONNECTED;
	mutex_unlock(&info->mutex);

	/* A live backend (rmmod, unplug) completes the last I/O itself. */
	if (live && info->disk_added) {
		del_gendisk(info->gd);
		info->disk_added = false;
	}

	mutex_lock(&info->mutex);
	if (info->state != BLKFRONT_ERROR)
		WRITE_ONCE(info->state, BLKFRONT_DISCONNECTED);
	mutex_unlock(&info->mutex);

	/* Otherwise nothing will complete what is left: fail it. */
	if (info->rings)
		blkfront_fail_all(info);
	list_for_each_entry_safe(rq, tmp, &info->held, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_end_request(rq, BLK_STS_IOERR);
	}
	if (info->quiesced) {
		blk_mq_unquiesce_queue(info->gd->queue);
		info->quiesced = false;
	}
	if (info->disk_added) {
		blk_mark_disk_dead(info->gd);
		del_gendisk(info->gd);
		info->disk_added = false;
	}
	/*
	 * The interrupt handlers are gone with the rings: no bad response
	 * can queue err_work any more.
	 */
	mutex_lock(&info->mutex);
	blkfront_free_rings(info);
	mutex_unlock(&info->mutex);
	cancel_work_sync(&info->err_work);
	blkfront_disk_free(info);
	kfree(info);
}

/*
 * Restored (xl restore) or migrated: the old backend and grants are gone.
 * Take the requests back, free the rings, and renegotiate from scratch
 * when the backend gets to InitWait (the xenbus core re-reads its state
 * after this returns; we are Initialising again).
 */
static int blkfront_resume(struct xenbus_device *dev)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);
	unsigned int i;

	mutex_lock(&info->mutex);
	if (info->gd && !info->quiesced) {
		blk_mq_quiesce_queue(info->gd->queue);
		info->quiesced = true;
	}
	for (i = 0; i < info->nr_rings; i++)
		blkfront_ring_hold_requests(&info->rings[i], &info->held);
	blkfront_free_rings(info);
	if (info->state == BLKFRONT_CONNECTED ||
	    info->state == BLKFRONT_SUSPENDED)
		WRITE_ONCE(info->state, BLKFRONT_SUSPENDED);
	mutex_unlock(&info->mutex);
	return 0;
}

static int blkfront_is_ready(struct xenbus_device *dev)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);

	return info->disk_added;
}

/*
 * /sys/bus/xen/devices/vbd-N/ring_info: what this connection negotiated
 * and what each ring's page pool (bounce buffers, persistent grants,
 * indirect pages) uses, for admins and the tests.
 */
static ssize_t ring_info_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct blkfront_info *info = dev_get_drvdata(d);
	unsigned long flags;
	unsigned int i;
	int n;

	mutex_lock(&info->mutex);
	n = sysfs_emit(buf,
		       "rings %u pages %u order %u segs %u mode %s reconnects %u reissued %u\n",
		       info->nr_rings, info->plan.nr_pages, info->plan.order,
		       info->segs, info->bounce ? "bounce" :
		       info->persistent ? "persistent" : "direct",
		       info->reconnects, info->reissued);
	for (i = 0; i < info->nr_rings; i++) {
		struct blkfront_ring *ring = &info->rings[i];

		spin_lock_irqsave(&ring->lock, flags);
		n += sysfs_emit_at(buf, n,
				   "ring %u slots %u pool_pages %u pool_peak %u pool_max %u deferred %u full %u inflight %u req_prod_pvt %u rsp_cons %u shared req_prod %u rsp_prod %u req_event %u rsp_event %u\n",
				   i, ring->size, ring->pool_pages,
				   ring->pool_peak, ring->pool_max,
				   ring->deferred, ring->full, ring->inflight,
				   ring->ring.req_prod_pvt,
				   ring->ring.rsp_cons,
				   READ_ONCE(ring->ring.sring->req_prod),
				   READ_ONCE(ring->ring.sring->rsp_prod),
				   READ_ONCE(ring->ring.sring->req_event),
				   READ_ONCE(ring->ring.sring->rsp_event));
		spin_unlock_irqrestore(&ring->lock, flags);
	}
	mutex_unlock(&info->mutex);
	return n;
}
static DEVICE_ATTR_RO(ring_info);

static struct attribute *blkfront_attrs[] = {
	&dev_attr_ring_info.attr,
	NULL
};
ATTRIBUTE_GROUPS(blkfront);

static const struct xenbus_device_id blkfront_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver blkfront_driver = {
	.ids = blkfront_ids,
	.probe = blkfront_probe,
	.remove = blkfront_remove,
	.resume = blkfront_resume,
	.otherend_changed = blkfront_backend_changed,
	.is_ready = blkfront_is_ready,
	.driver.dev_groups = blkfront_groups,
};

static int __init blkfront_init(void)
{
	int err;

	BUILD_BUG_ON(XMP_BLKIF_OP_READ != BLKIF_OP_READ);
	BUILD_BUG_ON(XMP_BLKIF_OP_WRITE != BLKIF_OP_WRITE);
	BUILD_BUG_ON(XMP_BLKIF_OP_WRITE_BARRIER != BLKIF_OP_WRITE_BARRIER);
	BUILD_BUG_ON(XMP_BLKIF_OP_FLUSH_DISKCACHE != BLKIF_OP_FLUSH_DISKCACHE);
	BUILD_BUG_ON(XMP_BLKIF_OP_DISCARD != BLKIF_OP_DISCARD);
	BUILD_BUG_ON(XMP_BLKIF_OP_INDIRECT != BLKIF_OP_INDIRECT);
	BUILD_BUG_ON(XMP_BLKIF_RSP_OKAY != BLKIF_RSP_OKAY);
	BUILD_BUG_ON(XMP_BLKIF_RSP_ERROR != BLKIF_RSP_ERROR);
	BUILD_BUG_ON(XMP_BLKIF_RSP_EOPNOTSUPP != BLKIF_RSP_EOPNOTSUPP);
	BUILD_BUG_ON(XMP_BLKIF_MAX_SEGS != BLKIF_MAX_SEGMENTS_PER_REQUEST);
	BUILD_BUG_ON(XMP_BLKIF_MAX_INDIRECT_PAGES !=
		     BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	BUILD_BUG_ON(XMP_BLKIF_SEGS_PER_INDIRECT_PAGE !=
		     XEN_PAGE_SIZE / sizeof(struct blkif_request_segment));
	BUILD_BUG_ON(PAGE_SIZE != XEN_PAGE_SIZE);

	if (!xen_domain() || !xen_has_pv_disk_devices())
		return -ENODEV;

	err = register_blkdev(XENVBD_MAJOR, BLKFRONT_DEV_NAME);
	if (err) {
		pr_err("block major %d (%s) is taken: is the in-tree xen-blkfront built in or loaded? (%d)\n",
		       XENVBD_MAJOR, BLKFRONT_DEV_NAME, err);
		return err < 0 ? err : -EBUSY;
	}
	err = xenbus_register_frontend(&blkfront_driver);
	if (err) {
		pr_err("cannot register xenbus driver \"vbd\"%s (%d)\n",
		       err == -EBUSY ? ": the in-tree xen-blkfront has it" : "",
		       err);
		unregister_blkdev(XENVBD_MAJOR, BLKFRONT_DEV_NAME);
		return err;
	}
	blkfront_inject_init();
	pr_info("version %s: max_ring_page_order=%u schemes=%s max_queues=%u max_indirect_segments=%u max_pool_pages=%u feature_persistent=%d trusted=%d\n",
		XMP_VERSION, max_ring_page_order,
		xmp_scheme_name(blkfront_schemes), max_queues,
		blkfront_max_indirect_segments, blkfront_max_pool_pages,
		feature_persistent, blkfront_trusted);
	return 0;
}
module_init(blkfront_init);

static void __exit blkfront_exit(void)
{
	xenbus_unregister_driver(&blkfront_driver);
	unregister_blkdev(XENVBD_MAJOR, BLKFRONT_DEV_NAME);
	blkfront_minors_exit();
	blkfront_inject_exit();
}
module_exit(blkfront_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend, multi-page rings (xen-mpring)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XMP_VERSION);
MODULE_ALIAS_BLOCKDEV_MAJOR(XENVBD_MAJOR);
MODULE_ALIAS("xen:vbd");
MODULE_ALIAS("xenblk");
