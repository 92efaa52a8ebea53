// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-scsifront control plane: one xenbus device and one Scsi_Host per
 * vhost (device/vscsi/<vhost>), the ring negotiation (one page with an
 * in-tree backend, 2^order pages when the backend advertises the blkif
 * nodes), the XenBus states including the Reconfiguring/Reconfigured
 * round of hot add and remove, and the devices of vscsi-devs/dev-<n>
 * shown at their v-dev.
 *
 * Spec: shared/seeds/vscsiif-xenstore-layout.patch.txt; ring nodes:
 * shared/seeds/blkif-multipage-rings.patch.txt. State reactions come from
 * the protocol core's tables (vscsi_fsm.h, xenbus_fsm.h).
 */
#include "front.h"

#include <linux/module.h>
#include <linux/slab.h>
#include <scsi/scsi_device.h>
#include <xen/events.h>
#include <xen/xen.h>

#include "ring_params.h"
#include "xb_util.h"

/* ------------------------------------------------------------------ */
/* Module parameters                                                   */
/* ------------------------------------------------------------------ */

static unsigned int max_ring_page_order = 4;
static unsigned int vscsifront_schemes = XMP_SCHEME_BOTH;

module_param_cb(max_ring_page_order, &xmp_ring_order_param_ops,
		&max_ring_page_order, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Largest request ring this frontend allocates, as lb(pages): 0..6 (default 4 = 16 pages, 256 commands); the ring is the largest both sides allow, one page with a backend that advertises nothing");

module_param_cb(schemes, &xmp_schemes_param_ops, &vscsifront_schemes, 0444);
MODULE_PARM_DESC(schemes,
		 "Ring size negotiation scheme(s) read and written: order (max-ring-page-order/ring-page-order), pages (max-ring-pages/num-ring-pages, deprecated) or both (default)");

/* ------------------------------------------------------------------ */
/* The ring                                                            */
/* ------------------------------------------------------------------ */

static void vscsifront_fatal_work(struct work_struct *work)
{
	struct vscsifront_info *info = container_of(work,
						    struct vscsifront_info,
						    fatal_work);

	xenbus_dev_fatal(info->dev, -EPROTO, "backend broke the protocol: %s",
			 info->fatal_why);
}

static void vscsifront_free_ring(struct vscsifront_info *info)
{
	if (info->irq) {
		unbind_from_irqhandler(info->irq, info);
		info->irq = 0;
		info->evtchn = 0;
	} else if (info->evtchn) {
		xenbus_free_evtchn(info->dev, info->evtchn);
		info->evtchn = 0;
	}
	xmp_ring_grant_free(&info->rg);
	vscsifront_free_ids(info);
	info->connected = false;
	info->broken = false;
}

static int vscsifront_publish(struct vscsifront_info *info)
{
	struct xenbus_device *dev = info->dev;
	struct xenbus_transaction xbt;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}
	err = xmp_ring_grant_publish(xbt, dev->nodename, &info->rg,
				     &info->plan);
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, "event-channel", "%u",
				    info->evtchn);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		xenbus_dev_fatal(dev, err, "writing the ring nodes");
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		xenbus_dev_fatal(dev, err, "completing transaction");
	return err;
}

static int vscsifront_add_host(struct vscsifront_info *info)
{
	struct xenbus_device *dev = info->dev;
	struct Scsi_Host *host;
	int err;

	host = scsi_host_alloc(&vscsifront_sht, sizeof(info));
	if (!host) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating the Scsi_Host");
		return -ENOMEM;
	}
	*(struct vscsifront_info **)shost_priv(host) = info;
	host->max_channel = VSCSIFRONT_MAX_CHANNEL;
	host->max_id = VSCSIFRONT_MAX_TARGET;
	host->max_lun = VSCSIFRONT_MAX_LUN;
	host->max_cmd_len = VSCSIIF_MAX_COMMAND_SIZE;
	/* One slot stays free for abort/reset. */
	host->can_queue = max(info->nr_ids - 1, 1U);
	host->sg_tablesize = info->max_segs;
	host->max_sectors = (info->max_segs - 1) * (PAGE_SIZE >> 9);
	err = scsi_add_host(host, &dev->dev);
	if (err) {
		scsi_host_put(host);
		xenbus_dev_fatal(dev, err, "adding the Scsi_Host");
		return err;
	}
	info->host = host;
	dev_info(&dev->dev, "scsi host%u: %u-page ring, %u commands, %u segments per command\n",
		 host->host_no, info->plan.nr_pages, host->can_queue,
		 host->sg_tablesize);
	return 0;
}

/* XMP_ACT_SETUP(_DEFAULT): allocate, grant and publish the ring. */
static int vscsifront_setup(struct vscsifront_info *info, bool defaults_only)
{
	struct xenbus_device *dev = info->dev;
	struct xmp_back_ring_nodes nodes = { };
	char *order, *pages;
	unsigned int sg_grant;
	int err;

	vscsifront_free_ring(info);

	order = xmp_xb_read_opt(XBT_NIL, dev->otherend, "max-ring-page-order");
	pages = xmp_xb_read_opt(XBT_NIL, dev->otherend, "max-ring-pages");
	nodes.max_ring_page_order = IS_ERR(order) ? NULL : order;
	nodes.max_ring_pages = IS_ERR(pages) ? NULL : pages;
	xmp_front_plan(&nodes, max_ring_page_order, vscsifront_schemes,
		       defaults_only, &info->plan);
	if (!IS_ERR(order))
		kfree(order);
	if (!IS_ERR(pages))
		kfree(pages);
	if (info->plan.flags & (XMP_NEG_ORDER_GARBAGE | XMP_NEG_PAGES_GARBAGE |
				XMP_NEG_PAGES_NOT_POW2 | XMP_NEG_DISAGREE))
		dev_warn(&dev->dev, "odd ring size nodes from the backend (%#x): using %u page(s)\n",
			 info->plan.flags, info->plan.nr_pages);

	sg_grant = xenbus_read_unsigned(dev->otherend, "feature-sg-grant", 0);
	info->max_segs = sg_grant < VSCSIIF_SG_TABLESIZE ? VSCSIIF_SG_TABLESIZE :
		min(sg_grant, VSCSIFRONT_MAX_SEGS);

	err = xmp_ring_grant_alloc(dev, &info->rg, info->plan.order);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&info->ring, (struct vscsiif_sring *)info->rg.vaddr,
			    XEN_PAGE_SIZE << info->plan.order);
	err = vscsifront_alloc_ids(info, RING_SIZE(&info->ring));
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating %u request slots",
				 RING_SIZE(&info->ring));
		goto fail;
	}
	err = xenbus_alloc_evtchn(dev, &info->evtchn);
	if (err)
		goto fail;
	err = bind_evtchn_to_irqhandler(info->evtchn, vscsifront_irq, 0,
					"scsifront", info);
	if (err < 0) {
		xenbus_dev_fatal(dev, err, "binding event channel %u",
				 info->evtchn);
		goto fail;
	}
	info->irq = err;

	if (!info->host) {
		err = vscsifront_add_host(info);
		if (err)
			goto fail;
	} else if (info->nr_ids - 1 < info->host->can_queue) {
		dev_warn(&dev->dev, "ring smaller than before: %u slots for %d commands\n",
			 info->nr_ids, info->host->can_queue);
	}
	err = vscsifront_publish(info);
	if (err)
		goto fail;
	spin_lock_irq(&info->ring_lock);
	info->connected = true;
	spin_unlock_irq(&info->ring_lock);
	return vscsi_switch_state(dev, XMP_XB_INITIALISED);

fail:
	vscsifront_free_ring(info);
	return err;
}

/* ------------------------------------------------------------------ */
/* Devices: vscsi-devs/dev-<n>                                         */
/* ------------------------------------------------------------------ */

static void vscsifront_write_dev_state(struct vscsifront_info *info,
				       const char *name, unsigned int state)
{
	char path[VSCSI_PATH_MAX];
	int err;

	snprintf(path, sizeof(path), VSCSI_DEVS_DIR "/%s/state", name);
	err = xenbus_printf(XBT_NIL, info->dev->nodename, path, "%u", state);
	if (err)
		xenbus_dev_error(info->dev, err, "writing %s", path);
}

static int vscsifront_attach(struct vscsifront_info *info, const char *name,
			     const struct xmp_vscsi_hctl *v)
{
	struct xenbus_device *dev = info->dev;
	int err;

	if (v->chn > VSCSIFRONT_MAX_CHANNEL || v->tgt >= VSCSIFRONT_MAX_TARGET ||
	    v->lun >= VSCSIFRONT_MAX_LUN) {
		dev_err(&dev->dev, "%s: v-dev %u:%u:%u:%u beyond this frontend's channel <= %u, target < %u, lun < %u\n",
			name, v->hst, v->chn, v->tgt, v->lun,
			VSCSIFRONT_MAX_CHANNEL, VSCSIFRONT_MAX_TARGET,
			VSCSIFRONT_MAX_LUN);
		return -ERANGE;
	}
	err = scsi_add_device(info->host, v->chn, v->tgt, v->lun);
	if (err)
		dev_err(&dev->dev, "%s: adding v-dev %u:%u:%u:%u failed (%d)\n",
			name, v->hst, v->chn, v->tgt, v->lun, err);
	return err;
}

static void vscsifront_dev(struct vscsifront_info *info, unsigned int pass,
			   const char *name)
{
	struct xenbus_device *dev = info->dev;
	char path[VSCSI_PATH_MAX];
	struct xmp_vscsi_hctl v;
	struct scsi_device *sdev;
	const char *why;
	char *val;
	u32 num, state;
	int err;

	if (xmp_vscsi_parse_devname(name, &num, &why))
		return;
	snprintf(path, sizeof(path), VSCSI_DEVS_DIR "/%s/state", name);
	val = xmp_xb_read_opt(XBT_NIL, dev->otherend, path);
	if (IS_ERR_OR_NULL(val))
		return;
	err = xmp_parse_u32(val, &state);
	kfree(val);
	if (err)
		return;
	snprintf(path, sizeof(path), VSCSI_DEVS_DIR "/%s/v-dev", name);
	val = xmp_xb_read_opt(XBT_NIL, dev->otherend, path);
	if (IS_ERR_OR_NULL(val))
		return;
	err = xmp_vscsi_parse_vdev(val, &v, &why);
	if (err) {
		dev_err(&dev->dev, "%s: v-dev \"%s\": %s\n", name, val, why);
		kfree(val);
		return;
	}
	kfree(val);

	switch (xmp_vscsi_front_dev(pass, state)) {
	case XMP_VSCSI_DEV_READD:
		sdev = scsi_device_lookup(info->host, v.chn, v.tgt, v.lun);
		if (sdev) {
			scsi_device_put(sdev);
			vscsifront_write_dev_state(info, name,
						   XMP_XB_CONNECTED);
			break;
		}
		fallthrough;
	case XMP_VSCSI_DEV_ADD:
		err = vscsifront_attach(info, name, &v);
		vscsifront_write_dev_state(info, name, err ? XMP_XB_CLOSED :
					   XMP_XB_CONNECTED);
		break;
	case XMP_VSCSI_DEV_DEL:
		sdev = scsi_device_lookup(info->host, v.chn, v.tgt, v.lun);
		if (sdev) {
			scsi_remove_device(sdev);
			scsi_device_put(sdev);
		}
		vscsifront_write_dev_state(info, name, XMP_XB_CLOSED);
		break;
	default:
		break;
	}
}

static void vscsifront_devs(struct vscsifront_info *info, unsigned int pass)
{
	unsigned int i, n = 0;
	char **dir;

	if (!info->host || info->broken)
		return;
	dir = xenbus_directory(XBT_NIL, info->dev->otherend, VSCSI_DEVS_DIR,
			       &n);
	if (IS_ERR(dir))
		return;
	for (i = 0; i < n; i++)
		vscsifront_dev(info, pass, dir[i]);
	kfree(dir);
	/* feature-host: the backend passes whole hosts: find the rest. */
	if (pass == XMP_VSCSI_ACT_DEVS_CONNECT && info->feature_host)
		scsi_scan_host(info->host);
}

/* ------------------------------------------------------------------ */
/* XenBus                                                              */
/* ------------------------------------------------------------------ */

static void vscsifront_remove_host(struct vscsifront_info *info)
{
	if (!info->host)
		return;
	scsi_remove_host(info->host);
	scsi_host_put(info->host);
	info->host = NULL;
}

static void vscsifront_backend_changed(struct xenbus_device *dev,
				       enum xenbus_state bstate)
{
	struct vscsifront_info *info = dev_get_drvdata(&dev->dev);
	unsigned int own = dev->state;
	unsigned int act;

	mutex_lock(&info->lock);
	act = xmp_vscsi_front_on_backend(own, bstate);
	dev_dbg(&dev->dev, "backend %s, frontend %s: actions %#x\n",
		xmp_xb_state_name(bstate), xmp_xb_state_name(own), act);
	if (act & XMP_ACT_FATAL) {
		xenbus_dev_fatal(dev, -EINVAL,
				 "backend state %s (%u) is not valid while the frontend is %s",
				 xmp_xb_state_name(bstate), bstate,
				 xmp_xb_state_name(own));
		goto out;
	}
	if (act & (XMP_ACT_SETUP | XMP_ACT_SETUP_DEFAULT)) {
		if (vscsifront_setup(info, act & XMP_ACT_SETUP_DEFAULT))
			goto out;
	}
	if (act & XMP_VSCSI_ACT_DEVS_ADD_DEL)
		vscsifront_devs(info, XMP_VSCSI_ACT_DEVS_ADD_DEL);
	if (act & XMP_ACT_CONNECT)
		info->feature_host = xenbus_read_unsigned(dev->otherend,
							  "feature-host", 0) == 1;
	if (act & XMP_VSCSI_ACT_DEVS_CONNECT)
		vscsifront_devs(info, XMP_VSCSI_ACT_DEVS_CONNECT);
	if (act & XMP_ACT_CONNECT)
		vscsi_switch_state(dev, XMP_XB_CONNECTED);
	if (act & XMP_VSCSI_ACT_RECONFIGURING)
		vscsi_switch_state(dev, XMP_XB_RECONFIGURING);
	if (act & XMP_VSCSI_ACT_CONNECTED)
		vscsi_switch_state(dev, XMP_XB_CONNECTED);
	if ((act & XMP_ACT_CLOSING) && (unsigned int)dev->state != XMP_XB_CLOSED) {
		/* The devices go with the host; a reconnect makes a new one. */
		vscsifront_remove_host(info);
		vscsifront_quiesce(info);
		vscsifront_free_ring(info);
		xenbus_frontend_closed(dev);
	}
out:
	mutex_unlock(&info->lock);
}

static int vscsifront_probe(struct xenbus_device *dev,
			    const struct xenbus_device_id *id)
{
	struct vscsifront_info *info;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating the vhost");
		return -ENOMEM;
	}
	info->dev = dev;
	mutex_init(&info->lock);
	spin_lock_init(&info->ring_lock);
	init_waitqueue_head(&info->wq);
	INIT_WORK(&info->fatal_work, vscsifront_fatal_work);
	dev_set_drvdata(&dev->dev, info);
	/* The ring waits for the backend's InitWait and its ring limits. */
	return 0;
}

static void vscsifront_remove(struct xenbus_device *dev)
{
	struct vscsifront_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->lock);
	vscsifront_remove_host(info);
	vscsifront_quiesce(info);
	vscsifront_free_ring(info);
	mutex_unlock(&info->lock);
	cancel_work_sync(&info->fatal_work);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info);
}

static const struct xenbus_device_id vscsifront_ids[] = {
	{ "vscsi" },
	{ "" }
};

static struct xenbus_driver vscsifront_driver = {
	.ids = vscsifront_ids,
	.probe = vscsifront_probe,
	.remove = vscsifront_remove,
	.otherend_changed = vscsifront_backend_changed,
};

static int __init vscsifront_init(void)
{
	int err;

	vscsi_check_wire_constants();
	if (!xen_domain())
		return -ENODEV;

	err = xenbus_register_frontend(&vscsifront_driver);
	if (err) {
		pr_err("cannot register xenbus driver \"vscsi\"%s (%d)\n",
		       err == -EBUSY ? ": the in-tree xen-scsifront has it (built in?)" : "",
		       err);
		return err;
	}
	pr_info("version %s: max_ring_page_order=%u schemes=%s\n", XMP_VERSION,
		max_ring_page_order, xmp_scheme_name(vscsifront_schemes));
	return 0;
}
module_init(vscsifront_init);

static void __exit vscsifront_exit(void)
{
	xenbus_unregister_driver(&vscsifront_driver);
}
module_exit(vscsifront_exit);

MODULE_DESCRIPTION("Xen SCSI frontend (pvSCSI), multi-page rings (xen-mpring)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XMP_VERSION);
MODULE_ALIAS("xen:vscsi");
