/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-scsifront: what the control plane (front_xenbus.c) and the data
 * path (front_io.c) share.
 */
#ifndef XMP_VSCSI_FRONT_H
#define XMP_VSCSI_FRONT_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_host.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "common.h"
#include "ring_grant.h"

/*
 * Most data segments per command: 256 x 4 KiB = 1 MiB. One indirect page
 * (512 segment descriptors) always suffices.
 */
#define VSCSIFRONT_MAX_SEGS	256U

/* Limits of the v-dev a vhost can show (the in-tree driver: 0, 64, 255). */
#define VSCSIFRONT_MAX_CHANNEL	7U
#define VSCSIFRONT_MAX_TARGET	256U
#define VSCSIFRONT_MAX_LUN	16384U

/* Per command (scsi_cmnd private data) or per abort/reset (kzalloc). */
struct vscsifront_shadow {
	struct scsi_cmnd *sc;		/* NULL for abort/reset */
	u8 act;
	bool inflight;			/* on the ring, no response yet */
	u16 rqid;
	unsigned int nr_grants;
	u32 xfer_len;
	grant_ref_t grefs[VSCSIFRONT_MAX_SEGS];
	grant_ref_t ind_gref;
	struct page *ind_page;		/* NULL: direct segments */
	/* abort/reset */
	bool tmf_done;
	bool tmf_orphan;		/* waiter gave up: free on response */
	int tmf_rslt;
};

struct vscsifront_info {
	struct xenbus_device *dev;
	struct Scsi_Host *host;		/* NULL until the ring is set up */
	struct mutex lock;		/* control plane */

	/* The ring, under ring_lock. */
	spinlock_t ring_lock;
	struct vscsiif_front_ring ring;
	struct xmp_ring_grant rg;
	struct xmp_front_plan plan;
	evtchn_port_t evtchn;
	unsigned int irq;
	bool connected;			/* the ring can take requests */
	bool broken;			/* the backend broke the protocol */
	unsigned int nr_ids;		/* ring slots */
	struct vscsifront_shadow **shadow;	/* by rqid */
	struct xmp_vscsi_id *ids;	/* by rqid, for the response check */
	u16 *free_next;
	unsigned int free_head;
	unsigned int nr_free;
	wait_queue_head_t wq;		/* ids freed, abort/reset answered */
	struct work_struct fatal_work;	/* report a broken backend */
	const char *fatal_why;

	/* From the backend. */
	unsigned int max_segs;		/* sg_tablesize */
	bool feature_host;
};

/* front_io.c */
extern struct scsi_host_template vscsifront_sht;
irqreturn_t vscsifront_irq(int irq, void *data);
int vscsifront_alloc_ids(struct vscsifront_info *info, unsigned int nr);
void vscsifront_free_ids(struct vscsifront_info *info);
/* Block new commands and wait (bounded) until none is on the ring. */
void vscsifront_quiesce(struct vscsifront_info *info);

static inline struct vscsifront_info *vscsifront_host_info(struct Scsi_Host *h)
{
	return *(struct vscsifront_info **)shost_priv(h);
}

#endif /* XMP_VSCSI_FRONT_H */
