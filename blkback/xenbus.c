// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback control plane: module parameters, xenstore, the XenBus state
 * machine, device properties and statistics.
 *
 * Negotiation follows Xen's io/blkif.h with the multi-page ring transport
 * parameters of shared/seeds/blkif-multipage-rings.patch.txt: before
 * InitWait the backend publishes its features and "max-ring-page-order"
 * and/or "max-ring-pages" (identical after conversion, note 3); once the
 * frontend is Initialised it reads "ring-page-order"/"num-ring-pages" and
 * "ring-ref"/"ring-ref%u" (note 6), which the protocol core validates, and
 * maps the ring. What to do on each frontend state change comes from the
 * core's table (xmp_back_on_frontend()), including the skipped-state paths
 * the seed requires us to tolerate.
 */
#include "common.h"

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/io/protocols.h>

#include "ring_params.h"
#include "xb_util.h"

#ifndef XMP_VERSION
#define XMP_VERSION "unknown"
#endif

/* ------------------------------------------------------------------ */
/* Module parameters                                                   */
/* ------------------------------------------------------------------ */

static unsigned int xbb_max_ring_order = XMP_RING_ORDER_LIMIT;
static unsigned int xbb_schemes = XMP_SCHEME_BOTH;
static unsigned int xbb_max_queues;
unsigned int xbb_max_indirect_segs = XBB_MAX_INDIRECT_SEGS;
unsigned int xbb_max_buffer_pages = 2048;
unsigned int xbb_map_min_segs = 8;
/* As Linux blkback's max_persistent_grants: what its frontend fills. */
unsigned int xbb_max_pgrants = 1056;
static bool xbb_feature_persistent = true;

static int xbb_set_max_queues(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 0, 256);
}

static int xbb_set_indirect(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 0, XBB_MAX_INDIRECT_SEGS);
}

static int xbb_set_buffer_pages(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 2 * XBB_MAX_INDIRECT_SEGS,
					1U << 20);
}

static const struct kernel_param_ops xbb_max_queues_ops = {
	.set = xbb_set_max_queues,
	.get = param_get_uint,
};

static const struct kernel_param_ops xbb_indirect_ops = {
	.set = xbb_set_indirect,
	.get = param_get_uint,
};

static const struct kernel_param_ops xbb_buffer_pages_ops = {
	.set = xbb_set_buffer_pages,
	.get = param_get_uint,
};

module_param_cb(max_ring_page_order, &xmp_ring_order_param_ops,
		&xbb_max_ring_order, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest request ring accepted, as lb(pages): 0..6 (default 6 = 64 pages)");
module_param_cb(schemes, &xmp_schemes_param_ops, &xbb_schemes, 0444);
MODULE_PARM_DESC(schemes,
		 "Ring size nodes advertised: order (max-ring-page-order), pages (max-ring-pages, deprecated) or both (default)");
module_param_cb(max_queues, &xbb_max_queues_ops, &xbb_max_queues, 0444);
MODULE_PARM_DESC(max_queues,
		 "Most queues (rings) per device a frontend may use: 1..256, 0 = number of online CPUs (default)");
module_param_cb(max_indirect_segments, &xbb_indirect_ops,
		&xbb_max_indirect_segs, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Most segments in an indirect request: 0 (no indirect requests) or 11..256 (default 256)");
module_param_cb(max_buffer_pages, &xbb_buffer_pages_ops,
		&xbb_max_buffer_pages, 0444);
MODULE_PARM_DESC(max_buffer_pages,
		 "Bounce pages per queue for data in flight: 512..1048576 (default 2048 = 8 MiB)");
module_param_named(feature_persistent, xbb_feature_persistent, bool, 0444);
MODULE_PARM_DESC(feature_persistent,
		 "Advertise feature-persistent and keep a frontend's persistent grants mapped (default Y)");

static int xbb_set_map_min(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 0, XBB_MAX_INDIRECT_SEGS);
}

static const struct kernel_param_ops xbb_map_min_ops = {
	.set = xbb_set_map_min,
	.get = param_get_uint,
};

static int xbb_set_max_pgrants(const char *val, const struct kernel_param *kp)
{
	return xmp_param_set_uint_range(val, kp, 0, 1U << 16);
}

static const struct kernel_param_ops xbb_max_pgrants_ops = {
	.set = xbb_set_max_pgrants,
	.get = param_get_uint,
};

module_param_cb(max_persistent_grants, &xbb_max_pgrants_ops,
		&xbb_max_pgrants, 0644);
MODULE_PARM_DESC(max_persistent_grants,
		 "Grants per queue kept mapped for a frontend with feature-persistent: 0..65536 (default 1056)");

module_param_cb(map_min_segments, &xbb_map_min_ops, &xbb_map_min_segs, 0644);
MODULE_PARM_DESC(map_min_segments,
		 "Requests of at least this many segments map the frontend's pages for their I/O instead of grant-copying the data: 0 (always copy) or 1..256 (default 8)");

/* ------------------------------------------------------------------ */
/* Statistics (sysfs: <xenbus device>/statistics/)                     */
/* ------------------------------------------------------------------ */

static ssize_t xbb_stat_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, typeof(*ea), attr);
	struct xbb_dev *be = dev_get_drvdata(d);
	unsigned long idx = (unsigned long)ea->var;

	return sysfs_emit(buf, "%lld\n", atomic64_read(&be->st.c[idx]));
}

#define XBB_STAT(_name, _idx)						\
static struct dev_ext_attribute xbb_attr_##_name = {			\
	__ATTR(_name, 0444, xbb_stat_show, NULL), (void *)(_idx)	\
}

XBB_STAT(rd_req, XBB_ST_RD_REQ);
XBB_STAT(wr_req, XBB_ST_WR_REQ);
XBB_STAT(f_req, XBB_ST_F_REQ);
XBB_STAT(b_req, XBB_ST_B_REQ);
XBB_STAT(ds_req, XBB_ST_DS_REQ);
XBB_STAT(oo_req, XBB_ST_OO_REQ);
XBB_STAT(rd_sect, XBB_ST_RD_SECT);
XBB_STAT(wr_sect, XBB_ST_WR_SECT);
XBB_STAT(err_req, XBB_ST_ERR_REQ);
XBB_STAT(unsupp_req, XBB_ST_UNSUPP_REQ);
XBB_STAT(map_req, XBB_ST_MAP_REQ);
XBB_STAT(persistent_req, XBB_ST_PERS_REQ);

static ssize_t ring_pages_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct xbb_dev *be = dev_get_drvdata(d);

	return sysfs_emit(buf, "%u\n", READ_ONCE(be->nr_ring_pages));
}
static DEVICE_ATTR_RO(ring_pages);

static ssize_t queues_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	struct xbb_dev *be = dev_get_drvdata(d);

	return sysfs_emit(buf, "%u\n", READ_ONCE(be->nr_rings));
}
static DEVICE_ATTR_RO(queues);

/* Each queue's ring indexes (blkback.c), for telling a stall apart. */
static ssize_t ring_state_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct xbb_dev *be = dev_get_drvdata(d);
	unsigned int i;
	int n = 0;

	mutex_lock(&be->lock);
	for (i = 0; be->running && i < be->nr_rings; i++)
		n += xbb_ring_show_state(&be->rings[i], buf, n);
	mutex_unlock(&be->lock);
	return n;
}
static DEVICE_ATTR_RO(ring_state);

static struct attribute *xbb_stat_attrs[] = {
	&xbb_attr_rd_req.attr.attr,
	&xbb_attr_wr_req.attr.attr,
	&xbb_attr_f_req.attr.attr,
	&xbb_attr_b_req.attr.attr,
	&xbb_attr_ds_req.attr.attr,
	&xbb_attr_oo_req.attr.attr,
	&xbb_attr_rd_sect.attr.attr,
	&xbb_attr_wr_sect.attr.attr,
	&xbb_attr_err_req.attr.attr,
	&xbb_attr_unsupp_req.attr.attr,
	&xbb_attr_map_req.attr.attr,
	&xbb_attr_persistent_req.attr.attr,
	&dev_attr_ring_pages.attr,
	&dev_attr_queues.attr,
	&dev_attr_ring_state.attr,
	NULL
};

static const struct attribute_group xbb_stat_group = {
	.name = "statistics",
	.attrs = xbb_stat_attrs,
};

/* The core's state values are the kernel's enum xenbus_state (xenbus_fsm.h). */
static int xbb_switch_state(struct xenbus_device *dev, enum xmp_xb_state state)
{
	return xenbus_switch_state(dev, (enum xenbus_state)state);
}

/* ------------------------------------------------------------------ */
/* Publishing                                                          */
/* ------------------------------------------------------------------ */

static unsigned int xbb_nr_queues_max(void)
{
	return xbb_max_queues ? xbb_max_queues : num_online_cpus();
}

/*
 * What the backend publishes before InitWait (seed: "Publish backend
 * features and transport parameters"): nothing here depends on the
 * backing device, which may be opened later (hotplug script).
 */
static int xbb_publish_transport(struct xbb_dev *be)
{
	struct xenbus_device *dev = be->dev;
	struct xenbus_transaction xbt;
	const char *node;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}
	node = "feature-max-indirect-segments";
	err = xenbus_printf(xbt, dev->nodename, node, "%u",
			    xbb_max_indirect_segs);
	if (err)
		goto abort;
	node = "multi-queue-max-queues";
	err = xenbus_printf(xbt, dev->nodename, node, "%u",
			    xbb_nr_queues_max());
	if (err)
		goto abort;
	node = "feature-persistent";
	err = xenbus_printf(xbt, dev->nodename, node, "%u",
			    xbb_feature_persistent ? 1 : 0);
	if (err)
		goto abort;
	/* Note 3: both schemes' nodes, identical after conversion. */
	if (be->adv.schemes & XMP_SCHEME_ORDER) {
		node = "max-ring-page-order";
		err = xenbus_printf(xbt, dev->nodename, node, "%u",
				    be->adv.max_order);
		if (err)
			goto abort;
	}
	if (be->adv.schemes & XMP_SCHEME_PAGES) {
		node = "max-ring-pages";
		err = xenbus_printf(xbt, dev->nodename, node, "%u",
				    be->adv.max_pages);
		if (err)
			goto abort;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		xenbus_dev_fatal(dev, err, "ending transaction");
	return err;

abort:
	xenbus_transaction_end(xbt, 1);
	xenbus_dev_fatal(dev, err, "writing %s/%s", dev->nodename, node);
	return err;
}

/* Device properties, published on the way to Connected. */
static int xbb_publish_device(struct xbb_dev *be, struct xenbus_transaction xbt)
{
	struct xenbus_device *dev = be->dev;
	struct block_device *bdev = be->bdev.bdev;
	const struct xmp_blkdev_caps *caps = &be->caps;
	unsigned int info = 0;
	const char *node;
	int err;

	if (be->cdrom)
		info |= VDISK_CDROM;
	if (bdev->bd_disk->flags & GENHD_FL_REMOVABLE)
		info |= VDISK_REMOVABLE;
	if (caps->readonly)
		info |= VDISK_READONLY;

	node = "feature-flush-cache";
	err = xenbus_printf(xbt, dev->nodename, node, "%d", caps->flush);
	if (err)
		goto fail;
	node = "feature-barrier";
	err = xenbus_printf(xbt, dev->nodename, node, "%d", caps->barrier);
	if (err)
		goto fail;
	if (caps->discard) {
		node = "discard-granularity";
		err = xenbus_printf(xbt, dev->nodename, node, "%u",
				    bdev_discard_granularity(bdev));
		if (err)
			goto fail;
		node = "discard-alignment";
		err = xenbus_printf(xbt, dev->nodename, node, "%u",
				    bdev_discard_alignment(bdev));
		if (err)
			goto fail;
		node = "discard-secure";
		err = xenbus_printf(xbt, dev->nodename, node, "%d",
				    caps->secure_discard);
		if (err)
			goto fail;
	}
	node = "feature-discard";
	err = xenbus_printf(xbt, dev->nodename, node, "%d", caps->discard);
	if (err)
		goto fail;
	node = "sectors";
	err = xenbus_printf(xbt, dev->nodename, node, "%llu",
			    (unsigned long long)caps->nr_sectors);
	if (err)
		goto fail;
	node = "info";
	err = xenbus_printf(xbt, dev->nodename, node, "%u", info);
	if (err)
		goto fail;
	node = "sector-size";
	err = xenbus_printf(xbt, dev->nodename, node, "%u", caps->sector_size);
	if (err)
		goto fail;
	node = "physical-sector-size";
	err = xenbus_printf(xbt, dev->nodename, node, "%u",
			    bdev_physical_block_size(bdev));
	if (err)
		goto fail;
	return 0;
fail:
	xenbus_dev_fatal(dev, err, "writing %s/%s", dev->nodename, node);
	return err;
}

/*
 * Called by ring 0's thread when the backing device changed size: publish
 * the new "sectors" and write our state again (still Connected) so that
 * the frontend, watching it, reads the size again (as in-tree blkback).
 */
void xbb_resized(struct xbb_dev *be, sector_t sectors)
{
	struct xenbus_device *dev = be->dev;
	struct xenbus_transaction xbt;
	int err;

	dev_info(&dev->dev, "backing device resized: %llu -> %llu sectors\n",
		 (unsigned long long)be->caps.nr_sectors,
		 (unsigned long long)sectors);
	WRITE_ONCE(be->caps.nr_sectors, sectors);
again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		dev_warn(&dev->dev, "resize: starting transaction: %d\n", err);
		return;
	}
	err = xenbus_printf(xbt, dev->nodename, "sectors", "%llu",
			    (unsigned long long)sectors);
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, "state", "%d",
				    dev->state);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		dev_warn(&dev->dev, "resize: writing sectors: %d\n", err);
		return;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		dev_warn(&dev->dev, "resize: ending transaction: %d\n", err);
}

/* ------------------------------------------------------------------ */
/* Connect / disconnect                                                */
/* ------------------------------------------------------------------ */

/* Stop I/O, unmap the rings. Idempotent. */
static void xbb_disconnect(struct xbb_dev *be)
{
	unsigned int i;

	if (!be->rings)
		return;
	for (i = 0; i < be->nr_rings; i++)
		xbb_ring_disconnect(&be->rings[i]);
	kfree(be->rings);
	be->rings = NULL;
	be->running = false;
	WRITE_ONCE(be->nr_rings, 0);
	WRITE_ONCE(be->nr_ring_pages, 0);
}

/*
 * "protocol": the ABI of the ring's requests. On x86_64 the native ABI is
 * "x86_64-abi"; a 32-bit frontend's "x86_32-abi" layout is not supported
 * by this backend and is refused by name.
 */
static int xbb_check_protocol(struct xbb_dev *be)
{
	struct xenbus_device *dev = be->dev;
	char *proto;
	int err = 0;

	proto = xmp_xb_read_opt(XBT_NIL, dev->otherend, "protocol");
	if (IS_ERR(proto)) {
		err = PTR_ERR(proto);
		xenbus_dev_fatal(dev, err, "reading %s/protocol", dev->otherend);
		return err;
	}
	if (proto && strcmp(proto, XEN_IO_PROTO_ABI_NATIVE)) {
		err = -EPROTONOSUPPORT;
		xenbus_dev_fatal(dev, err,
				 "frontend ring protocol \"%s\" not supported (only \"%s\")",
				 proto, XEN_IO_PROTO_ABI_NATIVE);
	}
	kfree(proto);
	return err;
}

/* Read one optional node; an error other than "absent" is fatal. */
static int xbb_read(struct xbb_dev *be, const char *dir, const char *node,
		    char **val)
{
	*val = xmp_xb_read_opt(XBT_NIL, dir, node);
	if (IS_ERR(*val)) {
		int err = PTR_ERR(*val);

		*val = NULL;
		xenbus_dev_fatal(be->dev, err, "reading %s/%s", dir, node);
		return err;
	}
	return 0;
}

static int xbb_read_nr_queues(struct xbb_dev *be, unsigned int *nr)
{
	struct xenbus_device *dev = be->dev;
	char *s;
	u32 v = 1;
	int err;

	err = xbb_read(be, dev->otherend, "multi-queue-num-queues", &s);
	if (err)
		return err;
	if (s && xmp_parse_u32(s, &v))
		v = 0;
	if (v < 1 || v > xbb_nr_queues_max()) {
		xenbus_dev_fatal(dev, -EINVAL,
				 "%s/multi-queue-num-queues = \"%s\": must be 1..%u",
				 dev->otherend, s, xbb_nr_queues_max());
		kfree(s);
		return -EINVAL;
	}
	kfree(s);
	*nr = v;
	return 0;
}

/* Read and check the ring size nodes (front dir) and @qdir's ring-ref. */
static int xbb_read_ring_size(struct xbb_dev *be, const char *qdir,
			      struct xmp_ring_result *res)
{
	struct xenbus_device *dev = be->dev;
	struct xmp_front_ring_nodes nodes;
	char *order = NULL, *pages = NULL, *ref = NULL;
	const char *why = "";
	int err;

	err = xbb_read(be, dev->otherend, "ring-page-order", &order);
	if (!err)
		err = xbb_read(be, dev->otherend, "num-ring-pages", &pages);
	if (!err)
		err = xbb_read(be, qdir, "ring-ref", &ref);
	if (err)
		goto out;
	nodes.ring_page_order = order;
	nodes.num_ring_pages = pages;
	nodes.ring_ref = ref;
	err = xmp_back_check_front(&be->adv, &nodes, res, &why);
	if (err)
		xenbus_dev_fatal(dev, err,
				 "bad ring size from frontend %s (ring-page-order \"%s\", num-ring-pages \"%s\", backend max order %u): %s",
				 dev->otherend, order ?: "(absent)",
				 pages ?: "(absent)", be->adv.max_order, why);
out:
	kfree(order);
	kfree(pages);
	kfree(ref);
	return err;
}

/* Grant references and event channel of one queue, then map it. */
static int xbb_connect_queue(struct xbb_dev *be, struct xbb_ring *ring,
			     const char *qdir,
			     const struct xmp_ring_result *res)
{
	struct xenbus_device *dev = be->dev;
	char *refs[XMP_RING_PAGES_LIMIT] = { NULL };
	u32 grefs[XMP_RING_PAGES_LIMIT];
	char name[16], *evs = NULL;
	unsigned int i, bad = 0;
	const char *why = "";
	u32 evtchn;
	int err = 0;

	for (i = 0; i < res->nr_pages && !err; i++) {
		if (res->use_ring_ref)
			strscpy(name, "ring-ref", sizeof(name));
		else
			snprintf(name, sizeof(name), "ring-ref%u", i);
		err = xbb_read(be, qdir, name, &refs[i]);
	}
	if (err)
		goto out;
	err = xmp_back_ring_refs(res, (const char *const *)refs, grefs, &bad,
				 &why);
	if (err) {
		if (res->use_ring_ref)
			strscpy(name, "ring-ref", sizeof(name));
		else
			snprintf(name, sizeof(name), "ring-ref%u", bad);
		xenbus_dev_fatal(dev, err, "bad grant reference %s/%s: %s",
				 qdir, name, why);
		goto out;
	}

	err = xbb_read(be, qdir, "event-channel", &evs);
	if (err)
		goto out;
	if (xmp_parse_u32(evs, &evtchn)) {
		err = -EINVAL;
		xenbus_dev_fatal(dev, err,
				 "bad %s/event-channel \"%s\": not a number",
				 qdir, evs ?: "(absent)");
		goto out;
	}
	err = xbb_ring_connect(ring, grefs, res->nr_pages, evtchn);
out:
	for (i = 0; i < res->nr_pages; i++)
		kfree(refs[i]);
	kfree(evs);
	return err;
}

/* XMP_ACT_CONNECT_RING: read and check transport, map every queue. */
static int xbb_connect_rings(struct xbb_dev *be)
{
	struct xenbus_device *dev = be->dev;
	struct xmp_ring_result res, res0 = { 0 };
	unsigned int i, nr;
	char *qdir;
	int err;

	err = xbb_check_protocol(be);
	if (!err)
		err = xbb_read_nr_queues(be, &nr);
	if (err)
		return err;

	be->rings = kcalloc(nr, sizeof(*be->rings), GFP_KERNEL);
	if (!be->rings) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating %u queues", nr);
		return -ENOMEM;
	}
	be->nr_rings = nr;
	/* blkif.h: both ends write feature-persistent for it to apply. */
	be->persistent = xbb_feature_persistent &&
			 xenbus_read_unsigned(dev->otherend,
					      "feature-persistent", 0);
	for (i = 0; i < nr; i++) {
		be->rings[i].be = be;
		be->rings[i].idx = i;
		xbb_ring_init(&be->rings[i]);
	}

	for (i = 0; i < nr; i++) {
		/* One queue: the frontend dir; several: its queue-<i>/. */
		if (nr == 1)
			qdir = kstrdup(dev->otherend, GFP_KERNEL);
		else
			qdir = kasprintf(GFP_KERNEL, "%s/queue-%u",
					 dev->otherend, i);
		if (!qdir) {
			err = -ENOMEM;
			xenbus_dev_fatal(dev, err, "allocating a path");
			goto fail;
		}
		err = xbb_read_ring_size(be, qdir, &res);
		if (!err && i && res.nr_pages != res0.nr_pages) {
			err = -EINVAL;
			xenbus_dev_fatal(dev, err,
					 "%s: ring of %u pages, queue 0 has %u",
					 qdir, res.nr_pages, res0.nr_pages);
		}
		if (!err)
			err = xbb_connect_queue(be, &be->rings[i], qdir, &res);
		kfree(qdir);
		if (err)
			goto fail;
		res0 = res;
	}
	WRITE_ONCE(be->nr_ring_pages, res0.nr_pages);
	dev_info(&dev->dev,
		 "frontend %s: %u queue(s), ring of %u page(s) (%s), %u requests each, persistent grants %s\n",
		 dev->otherend, nr, res0.nr_pages,
		 res0.use_ring_ref ? "ring-ref" : "ring-ref<N>",
		 xbb_ring_slots(res0.nr_pages),
		 be->persistent ? "on" : "off");
	return 0;

fail:
	xbb_disconnect(be);
	return err;
}

/*
 * XMP_ACT_CONNECT: once the rings are mapped and the backing device is
 * open, publish the device properties, start the threads, -> Connected.
 * Called again from the physical-device watch when that comes last.
 */
static void xbb_try_connect(struct xbb_dev *be)
{
	struct xenbus_device *dev = be->dev;
	struct xenbus_transaction xbt;
	unsigned int i;
	int err;

	if (!be->rings || !be->bdev_open || be->running)
		return;

	err = sync_blockdev(be->bdev.bdev);
	if (err) {
		xenbus_dev_fatal(dev, err, "flushing the backing device");
		return;
	}
	xmp_bdev_invalidate(be->bdev.bdev);

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return;
	}
	err = xbb_publish_device(be, xbt);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		return;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err) {
		xenbus_dev_fatal(dev, err, "ending transaction");
		return;
	}

	/* Before any response: the data path only looks the state up. */
	xbb_inject_init(be);
	for (i = 0; i < be->nr_rings; i++) {
		err = xbb_ring_start(&be->rings[i]);
		if (err) {
			xenbus_dev_fatal(dev, err, "starting thread of queue %u",
					 i);
			xbb_disconnect(be);
			return;
		}
	}
	be->running = true;

	err = xbb_switch_state(dev, XMP_XB_CONNECTED);
	if (err)
		xenbus_dev_fatal(dev, err, "switching to Connected");
}

/* ------------------------------------------------------------------ */
/* The backing device (xl's block hotplug script)                      */
/* ------------------------------------------------------------------ */

/* "physical-device" = "<major>:<minor>", hexadecimal (block script). */
static int xbb_parse_physdev(const char *s, unsigned int *major,
			     unsigned int *minor)
{
	char buf[24], *colon;

	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -EINVAL;
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (kstrtouint(buf, 16, major) || kstrtouint(colon + 1, 16, minor))
		return -EINVAL;
	if (*major > MAJOR(~0U) || *minor > MINOR(~0U))
		return -ERANGE;
	return 0;
}

static void xbb_open_bdev(struct xbb_dev *be)
{
	struct xenbus_device *dev = be->dev;
	struct block_device *bdev;
	char *phys = NULL, *mode = NULL, *type = NULL;
	unsigned int major, minor;
	bool readonly;
	int err;

	err = xbb_read(be, dev->nodename, "physical-device", &phys);
	if (err || !phys)
		goto out;	/* absent: wait for the hotplug script */
	err = xbb_parse_physdev(phys, &major, &minor);
	if (err) {
		xenbus_dev_fatal(dev, err,
				 "bad %s/physical-device \"%s\": not <major>:<minor> in hex",
				 dev->nodename, phys);
		goto out;
	}
	if (be->bdev_open) {
		if (major != be->major || minor != be->minor)
			dev_warn(&dev->dev,
				 "changing physical device (%x:%x to %x:%x) not supported\n",
				 be->major, be->minor, major, minor);
		goto out;
	}

	err = xbb_read(be, dev->nodename, "mode", &mode);
	if (err)
		goto out;
	if (!mode) {
		xenbus_dev_fatal(dev, -ENOENT, "reading %s/mode", dev->nodename);
		goto out;
	}
	readonly = !strchr(mode, 'w');
	err = xbb_read(be, dev->otherend, "device-type", &type);
	if (err)
		goto out;
	be->cdrom = type && !strcmp(type, "cdrom");

	err = xmp_bdev_open(MKDEV(major, minor), !readonly, &be->bdev);
	if (err) {
		xenbus_dev_fatal(dev, err, "opening backing device %x:%x (%s)",
				 major, minor, readonly ? "r" : "w");
		goto out;
	}
	bdev = be->bdev.bdev;
	be->major = major;
	be->minor = minor;
	be->caps.nr_sectors = bdev_nr_sectors(bdev);
	be->caps.sector_size = bdev_logical_block_size(bdev);
	be->caps.max_indirect_segs = xbb_max_indirect_segs;
	be->caps.readonly = readonly;
	be->caps.flush = bdev_write_cache(bdev);
	be->caps.barrier = be->caps.flush;
	be->caps.discard = bdev_max_discard_sectors(bdev) &&
			   xenbus_read_unsigned(dev->nodename, "discard-enable",
						1);
	be->caps.secure_discard = be->caps.discard &&
				  bdev_max_secure_erase_sectors(bdev);
	be->bdev_open = true;
	dev_info(&dev->dev,
		 "backing device %x:%x, %llu sectors of %u bytes, %s%s%s%s\n",
		 major, minor, (unsigned long long)be->caps.nr_sectors,
		 be->caps.sector_size, readonly ? "read-only" : "read-write",
		 be->caps.flush ? ", flush" : "",
		 be->caps.discard ? ", discard" : "",
		 be->cdrom ? ", cdrom" : "");
	xbb_try_connect(be);
out:
	kfree(phys);
	kfree(mode);
	kfree(type);
}

static void xbb_physdev_changed(struct xenbus_watch *watch, const char *path,
				const char *token)
{
	struct xbb_dev *be = container_of(watch, struct xbb_dev, watch);

	mutex_lock(&be->lock);
	xbb_open_bdev(be);
	mutex_unlock(&be->lock);
}

/* ------------------------------------------------------------------ */
/* XenBus driver                                                       */
/* ------------------------------------------------------------------ */

static void xbb_free(struct xbb_dev *be)
{
	struct xenbus_device *dev = be->dev;

	if (be->watching) {
		unregister_xenbus_watch(&be->watch);
		kfree(be->watch.node);
		be->watching = false;
	}
	mutex_lock(&be->lock);
	xbb_disconnect(be);
	if (be->bdev_open) {
		xmp_bdev_close(&be->bdev);
		be->bdev_open = false;
	}
	mutex_unlock(&be->lock);
	if (be->stats_added)
		sysfs_remove_group(&dev->dev.kobj, &xbb_stat_group);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
}

static void xbb_remove(struct xenbus_device *dev)
{
	struct xbb_dev *be = dev_get_drvdata(&dev->dev);

	if (be)
		xbb_free(be);
}

static int xbb_probe(struct xenbus_device *dev,
		     const struct xenbus_device_id *id)
{
	const char *slash = strrchr(dev->otherend, '/');
	struct xbb_dev *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating backend structure");
		return -ENOMEM;
	}
	be->dev = dev;
	mutex_init(&be->lock);
	dev_set_drvdata(&dev->dev, be);
	if (!slash || kstrtouint(slash + 1, 10, &be->handle))
		be->handle = 0;

	err = xmp_back_advertise(xbb_max_ring_order, xbb_schemes, &be->adv);
	if (err) {
		xenbus_dev_fatal(dev, err, "ring parameters (order %u, schemes %#x)",
				 xbb_max_ring_order, xbb_schemes);
		goto fail;
	}

	err = sysfs_create_group(&dev->dev.kobj, &xbb_stat_group);
	if (err) {
		xenbus_dev_fatal(dev, err, "creating sysfs statistics");
		goto fail;
	}
	be->stats_added = true;

	err = xbb_publish_transport(be);
	if (err)
		goto fail;

	err = xenbus_watch_pathfmt(dev, &be->watch, NULL, xbb_physdev_changed,
				   "%s/%s", dev->nodename, "physical-device");
	if (err)
		goto fail;
	be->watching = true;

	err = xbb_switch_state(dev, XMP_XB_INITWAIT);
	if (err)
		goto fail;
	return 0;

fail:
	xbb_free(be);
	return err;
}

static void xbb_frontend_changed(struct xenbus_device *dev,
				 enum xenbus_state fstate)
{
	struct xbb_dev *be = dev_get_drvdata(&dev->dev);
	unsigned int own, act;

	mutex_lock(&be->lock);
	own = dev->state;
	act = xmp_back_on_frontend(own, fstate);
	dev_dbg(&dev->dev, "frontend %s, backend %s: actions %#x\n",
		xmp_xb_state_name(fstate), xmp_xb_state_name(own), act);

	if (act & XMP_ACT_DISCONNECT)
		xbb_disconnect(be);
	if (act & XMP_ACT_REPUBLISH) {
		if (xbb_publish_transport(be))
			goto out;
		xbb_switch_state(dev, XMP_XB_INITWAIT);
	}
	if (act & XMP_ACT_CONNECT_RING) {
		xbb_disconnect(be);
		if (xbb_connect_rings(be))
			goto out;
	}
	if (act & XMP_ACT_CONNECT)
		xbb_try_connect(be);
	if (act & XMP_ACT_CLOSING)
		xbb_switch_state(dev, XMP_XB_CLOSING);
	if (act & XMP_ACT_CLOSED)
		xbb_switch_state(dev, XMP_XB_CLOSED);
	if ((act & XMP_ACT_UNREGISTER) && !xenbus_dev_is_online(dev)) {
		mutex_unlock(&be->lock);
		/* Implies xbb_remove(). */
		device_unregister(&dev->dev);
		return;
	}
	if (act & XMP_ACT_FATAL)
		xenbus_dev_fatal(dev, -EINVAL,
				 "frontend went to state %s while backend is %s",
				 xmp_xb_state_name(fstate),
				 xmp_xb_state_name(own));
out:
	mutex_unlock(&be->lock);
}

static const struct xenbus_device_id xbb_ids[] = {
	{ "vbd" },
	{ "" }
};

/*
 * The xenbus driver's name: "vbd", as the in-tree backend's, unless a
 * build names it otherwise (bench/abback builds this backend as a module
 * of another name, to serve some vbds of a domain while the in-tree
 * xen-blkback, driver "vbd", serves the others: two drivers may not share
 * a name on the bus).
 */
#ifndef XBB_DRV_NAME
#define XBB_DRV_NAME "vbd"
#endif

static struct xenbus_driver xbb_driver = {
	.name = XBB_DRV_NAME,
	.ids = xbb_ids,
	.probe = xbb_probe,
	.remove = xbb_remove,
	.otherend_changed = xbb_frontend_changed,
};

static int __init xbb_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	if (xbb_max_indirect_segs && xbb_max_indirect_segs < XMP_BLKIF_MAX_SEGS) {
		pr_err("invalid max_indirect_segments=%u: must be 0 or %u..%u\n",
		       xbb_max_indirect_segs, XMP_BLKIF_MAX_SEGS,
		       XBB_MAX_INDIRECT_SEGS);
		return -EINVAL;
	}

	err = xenbus_register_backend(&xbb_driver);
	if (err == -EBUSY) {
		pr_err("xenbus driver \"%s\" is taken (in-tree xen-blkback loaded?); rmmod it first\n",
		       XBB_DRV_NAME);
		return err;
	}
	if (err) {
		pr_err("registering xenbus driver \"%s\": error %d\n",
		       XBB_DRV_NAME, err);
		return err;
	}
	pr_info("version %s: rings up to %u pages (%s scheme%s), up to %u queues, %u indirect segments\n",
		XMP_VERSION, 1U << xbb_max_ring_order,
		xmp_scheme_name(xbb_schemes),
		xbb_schemes == XMP_SCHEME_BOTH ? "s" : "",
		xbb_nr_queues_max(), xbb_max_indirect_segs);
	return 0;
}
module_init(xbb_init);

static void __exit xbb_exit(void)
{
	xenbus_unregister_driver(&xbb_driver);
}
module_exit(xbb_exit);

MODULE_DESCRIPTION("Xen block device backend with multi-page rings (xen-mpring)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XMP_VERSION);
MODULE_ALIAS("xen-backend:vbd");
