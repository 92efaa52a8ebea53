/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-blkfront: what the control plane (xenbus.c), the data path
 * (blkfront.c) and the disk glue (disk.c) share.
 */
#ifndef XMP_BLKFRONT_COMMON_H
#define XMP_BLKFRONT_COMMON_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/interface/io/blkif.h>

#include <xen-mpring/compat.h>
#include <xen-mpring/blkif_check.h>
#include <xen-mpring/ring_negotiate.h>

#include "ring_grant.h"

#define XENVBD_MAJOR		202
#define BLKFRONT_DEV_NAME	"xvd"

/* Largest request this driver can build: 8 indirect pages of 512 segs. */
#define BLKFRONT_SEGS_LIMIT	(XMP_BLKIF_MAX_INDIRECT_PAGES * \
				 XMP_BLKIF_SEGS_PER_INDIRECT_PAGE)

enum blkfront_state {
	BLKFRONT_DISCONNECTED,	/* no ring yet, or closed */
	BLKFRONT_CONNECTED,
	BLKFRONT_SUSPENDED,	/* resumed from save: reconnecting */
	BLKFRONT_ERROR,		/* the backend broke the protocol */
};

/* A page owned by a ring: bounce buffer, persistent grant, indirect page. */
struct blkfront_page {
	struct list_head node;
	struct page *page;
	grant_ref_t gref;	/* INVALID_GRANT_REF: not granted now */
};

/* One data segment of a request, as granted. */
struct blkfront_seg {
	grant_ref_t gref;		/* the grant in the request */
	struct blkfront_page *bp;	/* pool page, NULL: guest page granted */
};

/*
 * Per-request driver data (blk-mq PDU), followed by
 * segs[info->segs_max] and sg[info->segs_max].
 */
struct blkfront_req {
	blk_status_t error;
	unsigned int nr_segs;
	unsigned int nr_ind;
	bool write;
	struct blkfront_page *ind[XMP_BLKIF_MAX_INDIRECT_PAGES];
	struct blkfront_seg segs[];
};

struct blkfront_shadow {
	struct request *req;	/* NULL: slot free */
	unsigned int next_free;
};

struct blkfront_info;

struct blkfront_ring {
	struct blkfront_info *info;
	unsigned int index;
	spinlock_t lock;		/* ring, shadow, ids, pool */
	struct xmp_ring_grant rg;
	struct blkif_front_ring ring;
	evtchn_port_t evtchn;
	int irq;
	unsigned int size;		/* slots = ring request ids */
	struct blkfront_shadow *shadow;
	struct xmp_blkid *ids;		/* what is issued, per id */
	unsigned int free_head;
	unsigned int inflight;
	/* page pool: bounce buffers / persistent grants / indirect pages */
	struct list_head pool_free;
	unsigned int pool_pages;	/* allocated, free or in use */
	unsigned int pool_nfree;	/* on pool_free */
	unsigned int pool_max;		/* blkfront_ring_fill_pool() */
	unsigned int pool_peak;
	unsigned int deferred;		/* requests put back: no pages/grants */
	unsigned int full;		/* requests put back: ring full */
	char dir[64];			/* xenstore dir of the ring's nodes */
};

struct blkfront_info {
	struct mutex mutex;		/* control plane */
	struct xenbus_device *xbdev;
	struct gendisk *gd;
	struct blk_mq_tag_set tag_set;
	bool tag_set_ready;
	bool disk_added;
	bool quiesced;			/* by resume, until reconnected */
	enum blkfront_state state;
	int vdevice;
	blkif_vdev_t handle;
	unsigned int first_minor, nr_minors;
	bool minors_held;
	struct list_head held;		/* requests kept over a suspend */

	/* transport, this connection */
	unsigned int nr_rings;
	struct blkfront_ring *rings;
	struct xmp_front_plan plan;

	/* device and features, this connection */
	u64 sectors;
	unsigned int sector_size;
	unsigned int physical_sector_size;
	unsigned int vdisk_info;
	bool feature_flush, feature_fua;
	bool feature_discard, feature_secdiscard;
	unsigned int discard_granularity, discard_alignment;
	bool persistent;	/* feature-persistent, both sides */
	bool bounce;		/* untrusted backend: never grant guest pages */
	unsigned int segs;	/* segments per request, this connection */
	unsigned int segs_max;	/* what the PDU holds (module parameter) */
	u8 flush_op;		/* BLKIF_OP_FLUSH_DISKCACHE or _WRITE_BARRIER */

	struct work_struct err_work;
	const char *err_why;

	/* suspend/resume record (ring_info) */
	unsigned int reconnects;	/* connections after a restore */
	unsigned int reissued;		/* requests taken back and reissued */
};

/* module parameters (xenbus.c) */
extern unsigned int blkfront_max_indirect_segments;
extern unsigned int blkfront_max_pool_pages;
extern bool blkfront_trusted;

/* blkfront.c: data path */
extern const struct blk_mq_ops blkfront_mq_ops;
size_t blkfront_pdu_size(unsigned int segs_max);
int blkfront_ring_init_slots(struct blkfront_ring *ring, unsigned int size);
int blkfront_ring_fill_pool(struct blkfront_ring *ring);
void blkfront_ring_free_slots(struct blkfront_ring *ring);
void blkfront_fail_all(struct blkfront_info *info);
irqreturn_t blkfront_interrupt(int irq, void *dev_id);
void blkfront_ring_hold_requests(struct blkfront_ring *ring,
				 struct list_head *held);
void blkfront_kick_queues(struct blkfront_info *info);
unsigned int blkfront_pool_min(const struct blkfront_info *info);

/* inject.c: test-only fault injection (debugfs) */
bool blkfront_inject_alloc_fail(void);
void blkfront_inject_init(void);
void blkfront_inject_exit(void);

/* disk.c: gendisk, naming, queue limits */
int blkfront_disk_alloc(struct blkfront_info *info);
int blkfront_disk_set_limits(struct blkfront_info *info);
void blkfront_disk_set_flush(struct blkfront_info *info);
void blkfront_disk_free(struct blkfront_info *info);
void blkfront_minors_exit(void);
int blkfront_check_vdevice(struct blkfront_info *info);
extern const struct block_device_operations blkfront_fops;

#endif /* XMP_BLKFRONT_COMMON_H */
