/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-scsiback: what the control plane (back_xenbus.c) and the data path
 * (back_io.c) share.
 */
#ifndef XMP_VSCSI_BACK_H
#define XMP_VSCSI_BACK_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/kref.h>
#include <scsi/scsi_device.h>
#include <target/target_core_base.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "common.h"
#include "ring_map.h"

struct vscsiback_tpg;

/*
 * One device of a vhost: dev-<n> of vscsi-devs, v-dev -> p-dev, either a
 * SCSI device of this domain (h:c:t:l, passthrough) or a LUN of a target
 * core portal group (naa.<wwn>:<lun>).
 */
struct vscsiback_lun {
	struct list_head node;		/* in vscsiback_info.luns */
	u32 devnum;			/* <n> of dev-<n> */
	struct xmp_vscsi_hctl v;	/* v-dev: what the frontend addresses */
	struct scsi_device *sdev;	/* h:c:t:l, referenced while listed */
	struct vscsiback_tpg *tpg;	/* naa, referenced while listed */
	u64 tlun;			/* naa: the LUN in the portal group */
};

/* One vhost: /local/domain/<be>/backend/vscsi/<domid>/<vhost>. */
struct vscsiback_info {
	struct xenbus_device *dev;
	struct mutex state_lock;	/* control plane: connect, devices */

	/* The ring, while connected. */
	struct xmp_ring_adv adv;	/* what probe advertised */
	struct xmp_ring_mapping map;
	struct vscsiif_back_ring ring;
	unsigned int nr_ring_pages;
	unsigned int irq;		/* 0: not connected */
	spinlock_t ring_lock;		/* responses */
	bool ring_broken;		/* the frontend broke the protocol */

	/* Devices: written under state_lock, read under lun_lock. */
	spinlock_t lun_lock;
	struct list_head luns;
	bool feature_host;		/* whole hosts passed through */

	/* Requests being served. */
	spinlock_t pend_lock;
	struct list_head pending;
	atomic_t inflight;
	wait_queue_head_t drained;
	struct gnttab_page_cache free_pages;
	u32 max_sg;			/* feature-sg-grant advertised, 0: none */
};

/* One request from the ring, from copy to response. */
struct vscsiback_req {
	struct vscsiback_info *info;
	struct vscsiif_request ring_req;	/* the one private copy */
	struct list_head node;			/* info->pending, while issued */
	struct work_struct work;		/* completion, process context */
	struct request *rq;			/* while issued, under pend_lock */
	struct scsi_device *sdev;		/* h:c:t:l, referenced */
	struct vscsiback_tpg *tpg;		/* naa, referenced */
	u64 tlun;
	unsigned int nr_segs;
	struct scsiif_request_segment *segs;	/* checked data segments */
	struct page **pages;			/* granted data, mapped */
	grant_handle_t *handles;
	unsigned int nr_mapped;
	u32 xfer_len;
	/* The outcome, copied out of the SCSI command at completion. */
	int result;
	unsigned int resid;
	unsigned int sense_len;
	u8 sense[VSCSIIF_SENSE_BUFFERSIZE];
	/* naa: the target core's command */
	struct se_cmd se_cmd;
	u8 tsense[TRANSPORT_SENSE_BUFFER];
	struct scatterlist *sgl;
};

/* Module parameters (back_xenbus.c). */
extern unsigned int vscsiback_max_segments;

/* back_io.c */
irqreturn_t vscsiback_irq_fn(int irq, void *data);
/* After the irq is gone: wait until every request got its response. */
void vscsiback_drain(struct vscsiback_info *info);
/*
 * Find a device by v-dev channel:target:lun: sets req->sdev (referenced,
 * scsi_device_put) or req->tpg/tlun (referenced, vscsiback_tpg_put);
 * false if there is none.
 */
bool vscsiback_lookup(struct vscsiback_info *info, unsigned int chn,
		      unsigned int tgt, unsigned int lun,
		      struct vscsiback_req *req);
int vscsiback_io_init(void);
void vscsiback_io_exit(void);
/* The request is done: unmap, answer, free (any context). */
void vscsiback_req_done(struct vscsiback_req *req);

/* back_tcm.c: the target core fabric "xen-pvscsi" for naa p-devs */
int vscsiback_tcm_init(void);
void vscsiback_tcm_exit(void);
/*
 * The portal group exporting naa @wwn with LUN @lun, attached to a device
 * (its nexus cannot be dropped) and referenced; vscsiback_tpg_detach()
 * undoes both.
 */
struct vscsiback_tpg *vscsiback_tpg_find(const char *wwn, u64 lun,
					 const char **why);
void vscsiback_tpg_detach(struct vscsiback_tpg *tpg);
void vscsiback_tpg_get(struct vscsiback_tpg *tpg);
void vscsiback_tpg_put(struct vscsiback_tpg *tpg);
/* Hand a checked, mapped request to the target core. */
int vscsiback_tcm_issue(struct vscsiback_req *req, const char **why);

#endif /* XMP_VSCSI_BACK_H */
