// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-scsiback control plane: one xenbus device per vhost
 * (backend/vscsi/<domid>/<vhost>), its XenBus states including the
 * Reconfiguring/Reconfigured round of hot add and remove, the devices of
 * vscsi-devs/dev-<n> and the shared ring (one page, or 2^order pages
 * negotiated with the blkif nodes).
 *
 * Spec: shared/seeds/vscsiif-xenstore-layout.patch.txt; ring nodes:
 * shared/seeds/blkif-multipage-rings.patch.txt. State reactions come from
 * the protocol core's tables (vscsi_fsm.h, xenbus_fsm.h).
 */
#include "back.h"

#include <linux/module.h>
#include <linux/slab.h>
#include <scsi/scsi_host.h>
#include <xen/events.h>
#include <xen/xen.h>

#include "ring_params.h"
#include "xb_util.h"

/* ------------------------------------------------------------------ */
/* Module parameters                                                   */
/* ------------------------------------------------------------------ */

static unsigned int max_ring_page_order = XMP_RING_ORDER_LIMIT;
static unsigned int vscsiback_schemes = XMP_SCHEME_BOTH;
unsigned int vscsiback_max_segments = 256;

#define VSCSIBACK_SEGS_MAX	1024U

module_param_cb(max_ring_page_order, &xmp_ring_order_param_ops,
		&max_ring_page_order, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest request ring accepted from a frontend, as lb(pages): 0..6 (default 6 = 64 pages, 1024 requests); advertised as max-ring-page-order/max-ring-pages");

module_param_cb(schemes, &xmp_schemes_param_ops, &vscsiback_schemes, 0444);
MODULE_PARM_DESC(schemes,
		 "Ring size nodes advertised and accepted: order (max-ring-page-order/ring-page-order), pages (max-ring-pages/num-ring-pages, deprecated) or both (default)");

static int param_set_segs(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) ||
	    (v && (v < VSCSIIF_SG_TABLESIZE || v > VSCSIBACK_SEGS_MAX))) {
		pr_err("max_segments=%s: must be 0 (no feature-sg-grant) or %u..%u\n",
		       val, VSCSIIF_SG_TABLESIZE, VSCSIBACK_SEGS_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops segs_ops = {
	.set = param_set_segs,
	.get = param_get_uint,
};
module_param_cb(max_segments, &segs_ops, &vscsiback_max_segments, 0444);
MODULE_PARM_DESC(max_segments,
		 "Most data segments (4 KiB pages) per request, advertised as feature-sg-grant: 0 (only the 26 direct segments) or 26..1024 (default 256)");

/* ------------------------------------------------------------------ */
/* Devices: vscsi-devs/dev-<n>                                         */
/* ------------------------------------------------------------------ */

bool vscsiback_lookup(struct vscsiback_info *info, unsigned int chn,
		      unsigned int tgt, unsigned int lun,
		      struct vscsiback_req *req)
{
	struct scsi_device *sdev = NULL, *first = NULL;
	struct vscsiback_lun *l;
	unsigned long flags;

	spin_lock_irqsave(&info->lun_lock, flags);
	list_for_each_entry(l, &info->luns, node) {
		if (l->v.chn == chn && l->v.tgt == tgt && l->v.lun == lun) {
			if (l->tpg) {
				vscsiback_tpg_get(l->tpg);
				req->tpg = l->tpg;
				req->tlun = l->tlun;
			} else if (!scsi_device_get(l->sdev)) {
				sdev = l->sdev;
			}
			spin_unlock_irqrestore(&info->lun_lock, flags);
			req->sdev = sdev;
			return req->tpg || sdev;
		}
		/* feature-host: the whole host of the first device. */
		if (info->feature_host && !first && l->sdev)
			first = l->sdev;
	}
	if (first && scsi_device_get(first))
		first = NULL;
	spin_unlock_irqrestore(&info->lun_lock, flags);

	if (first) {
		/* Same channel:target:lun on the passed-through host. */
		sdev = scsi_device_lookup(first->host, chn, tgt, lun);
		scsi_device_put(first);
	}
	req->sdev = sdev;
	return sdev;
}

static struct vscsiback_lun *vscsiback_find_num(struct vscsiback_info *info,
						u32 num)
{
	struct vscsiback_lun *l;

	list_for_each_entry(l, &info->luns, node)
		if (l->devnum == num)
			return l;
	return NULL;
}

static int vscsiback_write_dev_state(struct vscsiback_info *info,
				     const char *name, unsigned int state)
{
	char path[VSCSI_PATH_MAX];
	int err;

	snprintf(path, sizeof(path), VSCSI_DEVS_DIR "/%s/state", name);
	err = xenbus_printf(XBT_NIL, info->dev->nodename, path, "%u", state);
	if (err)
		xenbus_dev_error(info->dev, err, "writing %s", path);
	return err;
}

/* Read vscsi-devs/<name>/<node>; NULL with *@why when absent or bad. */
static char *vscsiback_read_dev(struct vscsiback_info *info, const char *name,
				const char *node, const char **why)
{
	char path[VSCSI_PATH_MAX];
	char *val;

	snprintf(path, sizeof(path), VSCSI_DEVS_DIR "/%s/%s", name, node);
	val = xmp_xb_read_opt(XBT_NIL, info->dev->nodename, path);
	if (IS_ERR_OR_NULL(val)) {
		*why = !val ? "node missing" : "node unreadable";
		return NULL;
	}
	return val;
}

/*
 * Attach dev-<num>: p-dev -> v-dev. A device the toolstack got wrong
 * (malformed or unknown p-dev, v-dev out of range or taken) is refused
 * with @reason naming the node, its value and what is wrong with it; the
 * caller sets its state to Closed (the seed's protocol has no error state
 * for a device) and the vhost's other devices go on.
 */
static int vscsiback_add_lun(struct vscsiback_info *info, const char *name,
			     u32 num, char *reason, size_t rlen)
{
	const char *why = "out of memory", *node = NULL, *val = NULL;
	struct xmp_vscsi_pdev *p;
	struct xmp_vscsi_hctl v;
	struct Scsi_Host *shost;
	struct scsi_device *sdev;
	struct vscsiback_lun *l, *o;
	char *pstr = NULL, *vstr = NULL;
	int err = -ENOMEM;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!p || !l)
		goto out;
	err = -EINVAL;
	node = "v-dev";
	vstr = vscsiback_read_dev(info, name, node, &why);
	if (!vstr)
		goto out;
	val = vstr;
	if (xmp_vscsi_parse_vdev(vstr, &v, &why))
		goto out;
	node = "p-dev";
	val = NULL;
	pstr = vscsiback_read_dev(info, name, node, &why);
	if (!pstr)
		goto out;
	val = pstr;
	if (xmp_vscsi_parse_pdev(pstr, p, &why))
		goto out;
	err = -ENODEV;
	sdev = NULL;
	if (p->kind == XMP_VSCSI_PDEV_NAA) {
		l->tpg = vscsiback_tpg_find(p->wwn, p->lun, &why);
		if (!l->tpg)
			goto out;
		l->tlun = p->lun;
	} else {
		shost = scsi_host_lookup(p->hctl.hst);
		if (!shost) {
			why = "no such SCSI host";
			goto out;
		}
		sdev = scsi_device_lookup(shost, p->hctl.chn, p->hctl.tgt,
					  p->hctl.lun);
		scsi_host_put(shost);
		if (!sdev) {
			why = "no such SCSI device";
			goto out;
		}
	}
	l->devnum = num;
	l->v = v;
	l->sdev = sdev;

	err = -EEXIST;
	spin_lock_irq(&info->lun_lock);
	list_for_each_entry(o, &info->luns, node) {
		if (o->devnum == num) {
			node = NULL;
			why = "already attached";
			break;
		}
		if (o->v.chn == v.chn && o->v.tgt == v.tgt && o->v.lun == v.lun) {
			node = "v-dev";
			val = vstr;
			why = "already used by another device of this vhost";
			break;
		}
	}
	if (list_entry_is_head(o, &info->luns, node)) {
		list_add_tail(&l->node, &info->luns);
		err = 0;
	}
	spin_unlock_irq(&info->lun_lock);
	if (err)
		goto out;
	dev_info(&info->dev->dev, "%s: p-dev %s (%s) as v-dev %s\n", name,
		 pstr, sdev ? dev_name(&sdev->sdev_gendev) : "target core",
		 vstr);
	l = NULL;
out:
	if (err && node && val)
		snprintf(reason, rlen, "%s \"%.40s\": %s", node, val, why);
	else if (err && node)
		snprintf(reason, rlen, "%s: %s", node, why);
	else if (err)
		snprintf(reason, rlen, "%s", why);
	if (l && l->sdev)
		scsi_device_put(l->sdev);
	if (l && l->tpg)
		vscsiback_tpg_detach(l->tpg);
	if (!IS_ERR_OR_NULL(vstr))
		kfree(vstr);
	if (!IS_ERR_OR_NULL(pstr))
		kfree(pstr);
	kfree(p);
	kfree(l);
	return err;
}

static void vscsiback_del_lun(struct vscsiback_info *info,
			      struct vscsiback_lun *l)
{
	spin_lock_irq(&info->lun_lock);
	list_del(&l->node);
	spin_unlock_irq(&info->lun_lock);
	if (l->sdev)
		scsi_device_put(l->sdev);
	if (l->tpg)
		vscsiback_tpg_detach(l->tpg);
	kfree(l);
}

static void vscsiback_dev(struct vscsiback_info *info, unsigned int pass,
			  const char *name)
{
	struct xenbus_device *dev = info->dev;
	struct vscsiback_lun *l;
	const char *why = NULL;
	char reason[128];
	char *sstr;
	u32 num, state;
	int err;

	if (xmp_vscsi_parse_devname(name, &num, &why)) {
		dev_warn(&dev->dev, VSCSI_DEVS_DIR "/%s ignored: %s\n", name,
			 why);
		return;
	}
	sstr = vscsiback_read_dev(info, name, "state", &why);
	if (!sstr)
		return;	/* being written or removed by the toolstack */
	err = xmp_parse_u32(sstr, &state);
	kfree(sstr);
	if (err) {
		dev_warn(&dev->dev, VSCSI_DEVS_DIR "/%s/state is not a number: ignored\n",
			 name);
		return;
	}

	mutex_lock(&info->state_lock);
	l = vscsiback_find_num(info, num);
	switch (xmp_vscsi_back_dev(pass, state)) {
	case XMP_VSCSI_DEV_READD:
		if (l)
			break;
		fallthrough;
	case XMP_VSCSI_DEV_ADD:
		err = l ? 0 : vscsiback_add_lun(info, name, num, reason,
						sizeof(reason));
		if (err) {
			/* Logged too, naming the vhost's device. */
			xenbus_dev_error(dev, err, VSCSI_DEVS_DIR "/%s refused: %s",
					 name, reason);
			vscsiback_write_dev_state(info, name, XMP_XB_CLOSED);
		} else if (state == XMP_XB_INITIALISING) {
			vscsiback_write_dev_state(info, name,
						  XMP_XB_INITIALISED);
		}
		break;
	case XMP_VSCSI_DEV_CONNECT:
		if (l)
			vscsiback_write_dev_state(info, name,
						  XMP_XB_CONNECTED);
		break;
	case XMP_VSCSI_DEV_DEL:
		if (l) {
			dev_info(&dev->dev, "%s: detached\n", name);
			vscsiback_del_lun(info, l);
		}
		vscsiback_write_dev_state(info, name, XMP_XB_CLOSED);
		break;
	case XMP_VSCSI_DEV_NONE:
		break;
	}
	mutex_unlock(&info->state_lock);
}

static void vscsiback_devs(struct vscsiback_info *info, unsigned int pass)
{
	unsigned int i, n = 0;
	char **dir;

	dir = xenbus_directory(XBT_NIL, info->dev->nodename, VSCSI_DEVS_DIR,
			       &n);
	if (IS_ERR(dir))
		return;
	for (i = 0; i < n; i++)
		vscsiback_dev(info, pass, dir[i]);
	kfree(dir);
}

static void vscsiback_release_luns(struct vscsiback_info *info)
{
	struct vscsiback_lun *l, *t;

	list_for_each_entry_safe(l, t, &info->luns, node)
		vscsiback_del_lun(info, l);
}

/* ------------------------------------------------------------------ */
/* The ring                                                            */
/* ------------------------------------------------------------------ */

static void vscsiback_disconnect(struct vscsiback_info *info)
{
	if (info->irq) {
		/* No new request; the ones in flight still answer. */
		disable_irq(info->irq);
		vscsiback_drain(info);
		unbind_from_irqhandler(info->irq, info);
		info->irq = 0;
	}
	xmp_ring_unmap(info->dev, &info->map);
	info->ring_broken = false;
}

static char *vscsiback_read_fe(struct xenbus_device *dev, const char *node,
			       int *err)
{
	char *val = xmp_xb_read_opt(XBT_NIL, dev->otherend, node);

	if (IS_ERR(val)) {
		*err = PTR_ERR(val);
		xenbus_dev_fatal(dev, *err, "reading %s/%s", dev->otherend,
				 node);
		return NULL;
	}
	return val;
}

static int vscsiback_connect_ring(struct vscsiback_info *info)
{
	struct xenbus_device *dev = info->dev;
	struct xmp_front_ring_nodes nodes = { };
	struct xmp_ring_result res;
	char *refs[XMP_RING_PAGES_LIMIT] = { };
	grant_ref_t grefs[XMP_RING_PAGES_LIMIT];
	char *evt = NULL;
	const char *why;
	unsigned int i, bad;
	u32 evtchn;
	void *vaddr;
	int err = 0, irq;

	nodes.ring_page_order = vscsiback_read_fe(dev, "ring-page-order", &err);
	if (!err)
		nodes.num_ring_pages = vscsiback_read_fe(dev, "num-ring-pages",
							 &err);
	if (!err)
		nodes.ring_ref = vscsiback_read_fe(dev, "ring-ref", &err);
	if (err)
		goto out;
	err = xmp_back_check_front(&info->adv, &nodes, &res, &why);
	if (err) {
		xenbus_dev_fatal(dev, err, "%s", why);
		goto out;
	}
	for (i = 0; i < res.nr_pages && !err; i++) {
		char node[16];

		if (res.use_ring_ref) {
			refs[0] = (char *)nodes.ring_ref;
			nodes.ring_ref = NULL;
			break;
		}
		snprintf(node, sizeof(node), "ring-ref%u", i);
		refs[i] = vscsiback_read_fe(dev, node, &err);
	}
	if (err)
		goto out;
	err = xmp_back_ring_refs(&res, (const char *const *)refs, grefs, &bad,
				 &why);
	if (err) {
		xenbus_dev_fatal(dev, err, "%s%u: %s",
				 res.use_ring_ref ? "ring-ref, page " : "ring-ref",
				 bad, why);
		goto out;
	}
	evt = vscsiback_read_fe(dev, "event-channel", &err);
	if (err)
		goto out;
	if (xmp_parse_u32(evt, &evtchn)) {
		err = -EINVAL;
		if (evt)
			xenbus_dev_fatal(dev, err, "event-channel \"%s\" is not a number",
					 evt);
		else
			xenbus_dev_fatal(dev, err, "event-channel missing");
		goto out;
	}

	err = xmp_ring_map(dev, grefs, res.nr_pages, &info->map, &vaddr);
	if (err)
		goto out;
	BACK_RING_INIT(&info->ring, (struct vscsiif_sring *)vaddr,
		       XEN_PAGE_SIZE * res.nr_pages);
	info->nr_ring_pages = res.nr_pages;

	irq = bind_interdomain_evtchn_to_irq_lateeoi(dev, evtchn);
	if (irq < 0) {
		err = irq;
		xenbus_dev_fatal(dev, err, "binding event channel %u", evtchn);
		goto out_unmap;
	}
	err = request_threaded_irq(irq, NULL, vscsiback_irq_fn, IRQF_ONESHOT,
				   "vscsiif-backend", info);
	if (err) {
		unbind_from_irqhandler(irq, NULL);
		xenbus_dev_fatal(dev, err, "requesting the irq of event channel %u",
				 evtchn);
		goto out_unmap;
	}
	info->irq = irq;
	dev_info(&dev->dev, "ring of %u page%s (%u requests), event channel %u\n",
		 res.nr_pages, res.nr_pages == 1 ? "" : "s",
		 RING_SIZE(&info->ring), evtchn);
	goto out;

out_unmap:
	xmp_ring_unmap(dev, &info->map);
out:
	for (i = 0; i < ARRAY_SIZE(refs); i++)
		kfree(refs[i]);
	kfree(nodes.ring_page_order);
	kfree(nodes.num_ring_pages);
	kfree(nodes.ring_ref);
	kfree(evt);
	return err;
}

/* ------------------------------------------------------------------ */
/* XenBus                                                              */
/* ------------------------------------------------------------------ */

/* Features and ring limits, before InitWait. */
static int vscsiback_publish(struct vscsiback_info *info)
{
	struct xenbus_device *dev = info->dev;
	struct xenbus_transaction xbt;
	const char *what;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}
	what = "feature-sg-grant";
	if (info->max_sg)
		err = xenbus_printf(xbt, dev->nodename, what, "%u",
				    info->max_sg);
	else
		xenbus_rm(xbt, dev->nodename, what);	/* absent: fine */
	if (!err && (info->adv.schemes & XMP_SCHEME_ORDER)) {
		what = "max-ring-page-order";
		err = xenbus_printf(xbt, dev->nodename, what, "%u",
				    info->adv.max_order);
	}
	if (!err && (info->adv.schemes & XMP_SCHEME_PAGES)) {
		what = "max-ring-pages";
		err = xenbus_printf(xbt, dev->nodename, what, "%u",
				    info->adv.max_pages);
	}
	if (err) {
		xenbus_transaction_end(xbt, 1);
		xenbus_dev_fatal(dev, err, "writing %s", what);
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		xenbus_dev_fatal(dev, err, "completing transaction");
	return err;
}

static void vscsiback_frontend_changed(struct xenbus_device *dev,
				       enum xenbus_state fstate)
{
	struct vscsiback_info *info = dev_get_drvdata(&dev->dev);
	unsigned int own = dev->state;
	unsigned int act;

	act = xmp_vscsi_back_on_frontend(own, fstate);
	dev_dbg(&dev->dev, "frontend %s, backend %s: actions %#x\n",
		xmp_xb_state_name(fstate), xmp_xb_state_name(own), act);

	if (act & XMP_ACT_FATAL) {
		xenbus_dev_fatal(dev, -EINVAL,
				 "frontend state %s (%u) is not valid while the backend is %s",
				 xmp_xb_state_name(fstate), fstate,
				 xmp_xb_state_name(own));
		return;
	}
	if (act & XMP_ACT_DISCONNECT)
		vscsiback_disconnect(info);
	if (act & XMP_ACT_REPUBLISH) {
		if (vscsiback_publish(info))
			return;
		vscsi_switch_state(dev, XMP_XB_INITWAIT);
	}
	if (act & XMP_ACT_CONNECT_RING) {
		if (vscsiback_connect_ring(info))
			return;
	}
	if (act & XMP_VSCSI_ACT_DEVS_ADD_DEL)
		vscsiback_devs(info, XMP_VSCSI_ACT_DEVS_ADD_DEL);
	if (act & XMP_ACT_CONNECT)
		vscsi_switch_state(dev, XMP_XB_CONNECTED);
	if (act & XMP_VSCSI_ACT_DEVS_CONNECT)
		vscsiback_devs(info, XMP_VSCSI_ACT_DEVS_CONNECT);
	if (act & XMP_VSCSI_ACT_RECONFIGURED)
		vscsi_switch_state(dev, XMP_XB_RECONFIGURED);
	if (act & XMP_VSCSI_ACT_CONNECTED)
		vscsi_switch_state(dev, XMP_XB_CONNECTED);
	if (act & XMP_ACT_CLOSING)
		vscsi_switch_state(dev, XMP_XB_CLOSING);
	if (act & XMP_ACT_CLOSED)
		vscsi_switch_state(dev, XMP_XB_CLOSED);
	if ((act & XMP_ACT_UNREGISTER) && !xenbus_dev_is_online(dev))
		device_unregister(&dev->dev);
}

static void vscsiback_remove(struct xenbus_device *dev)
{
	struct vscsiback_info *info = dev_get_drvdata(&dev->dev);

	vscsiback_disconnect(info);
	vscsiback_release_luns(info);
	gnttab_page_cache_shrink(&info->free_pages, 0);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info);
}

static int vscsiback_probe(struct xenbus_device *dev,
			   const struct xenbus_device_id *id)
{
	struct vscsiback_info *info;
	char *fh;
	int err;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating the vhost");
		return -ENOMEM;
	}
	info->dev = dev;
	mutex_init(&info->state_lock);
	spin_lock_init(&info->ring_lock);
	spin_lock_init(&info->lun_lock);
	spin_lock_init(&info->pend_lock);
	INIT_LIST_HEAD(&info->luns);
	INIT_LIST_HEAD(&info->pending);
	atomic_set(&info->inflight, 0);
	init_waitqueue_head(&info->drained);
	gnttab_page_cache_init(&info->free_pages);
	info->max_sg = vscsiback_max_segments;
	dev_set_drvdata(&dev->dev, info);

	err = xmp_back_advertise(max_ring_page_order, vscsiback_schemes,
				 &info->adv);
	if (err) {
		xenbus_dev_fatal(dev, err, "ring order %u / schemes %#x",
				 max_ring_page_order, vscsiback_schemes);
		goto fail;
	}

	/* feature-host: absent or "0": devices; "1": whole hosts. */
	fh = xmp_xb_read_opt(XBT_NIL, dev->nodename, "feature-host");
	if (IS_ERR(fh)) {
		err = PTR_ERR(fh);
		xenbus_dev_fatal(dev, err, "reading feature-host");
		goto fail;
	}
	if (fh && strcmp(fh, "0") && strcmp(fh, "1")) {
		err = -EINVAL;
		xenbus_dev_fatal(dev, err, "feature-host \"%s\" is not 0 or 1",
				 fh);
		kfree(fh);
		goto fail;
	}
	info->feature_host = fh && !strcmp(fh, "1");
	kfree(fh);

	err = vscsiback_publish(info);
	if (err)
		goto fail;
	err = vscsi_switch_state(dev, XMP_XB_INITWAIT);
	if (err)
		goto fail;
	return 0;

fail:
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info);
	return err;
}

static const struct xenbus_device_id vscsiback_ids[] = {
	{ "vscsi" },
	{ "" }
};

static struct xenbus_driver vscsiback_driver = {
	.ids = vscsiback_ids,
	.probe = vscsiback_probe,
	.remove = vscsiback_remove,
	.otherend_changed = vscsiback_frontend_changed,
};

static int __init vscsiback_init(void)
{
	int err;

	vscsi_check_wire_constants();
	if (!xen_domain())
		return -ENODEV;

	err = vscsiback_io_init();
	if (err)
		return err;
	err = vscsiback_tcm_init();
	if (err) {
		pr_err("cannot register the target core fabric \"xen-pvscsi\"%s (%d)\n",
		       err == -EEXIST ? ": the in-tree xen-scsiback has it" : "",
		       err);
		vscsiback_io_exit();
		return err;
	}
	err = xenbus_register_backend(&vscsiback_driver);
	if (err) {
		pr_err("cannot register xenbus driver \"vscsi\"%s (%d)\n",
		       err == -EBUSY ? ": the in-tree xen-scsiback has it (built in?)" : "",
		       err);
		vscsiback_tcm_exit();
		vscsiback_io_exit();
		return err;
	}
	pr_info("version %s: max_ring_page_order=%u schemes=%s max_segments=%u\n",
		XMP_VERSION, max_ring_page_order,
		xmp_scheme_name(vscsiback_schemes), vscsiback_max_segments);
	return 0;
}
module_init(vscsiback_init);

static void __exit vscsiback_exit(void)
{
	xenbus_unregister_driver(&vscsiback_driver);
	vscsiback_tcm_exit();
	vscsiback_io_exit();
}
module_exit(vscsiback_exit);

MODULE_DESCRIPTION("Xen SCSI backend (pvSCSI passthrough), multi-page rings (xen-mpring)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XMP_VERSION);
MODULE_ALIAS("xen-backend:vscsi");
