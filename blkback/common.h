/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-blkback: what the control plane (xenbus.c) and the data path
 * (blkback.c) share.
 *
 * Data path design, three ways to reach the frontend's data:
 *  - persistent grants (feature-persistent written by both ends): each
 *    grant is mapped at its first use and kept, up to
 *    max_persistent_grants per ring, until the ring is disconnected;
 *    bios go straight to those pages;
 *  - otherwise, requests of at least map_min_segments segments (large
 *    I/O, where copying every byte costs more than a map and an unmap)
 *    have the frontend's pages mapped for the time of their bios only,
 *    unmapped before the answer;
 *  - smaller requests are moved with grant copies (GNTTABOP_copy) between
 *    the frontend's pages and dom0-owned bounce pages: before the bio for
 *    a write, after it for a read.
 * No per-request mapping outlives its request, and everything mapped is
 * unmapped once the I/O in flight has completed when the ring goes, so a
 * dying frontend's domain is released. Indirect descriptor pages are
 * always copied into private memory, once (no double fetch): from their
 * persistent grant's mapping with persistent grants (as data pages), else
 * with a grant copy. The request ring itself is mapped for the connection
 * (common/ring_map.c).
 */
#ifndef XBB_COMMON_H
#define XBB_COMMON_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/interface/io/blkif.h>

#include <xen-mpring/compat.h>
#include <xen-mpring/blkif_check.h>
#include <xen-mpring/ring_negotiate.h>
#include <xen-mpring/xenbus_fsm.h>

#include "ring_map.h"

/* Largest indirect request this backend accepts (in-tree: 256). */
#define XBB_MAX_INDIRECT_SEGS	256U

/* Module parameters (xenbus.c), validated at load. */
extern unsigned int xbb_max_indirect_segs;
extern unsigned int xbb_max_buffer_pages;
extern unsigned int xbb_map_min_segs;
extern unsigned int xbb_max_pgrants;

/* One segment of a request, from the private copy of the request. */
struct xbb_seg {
	struct page *page;	/* bounce page, or where the grant is mapped */
	grant_ref_t gref;	/* the frontend's page */
	grant_handle_t handle;	/* mapped requests: the mapping's handle */
	u16 offset;		/* bytes, first_sect * 512 */
	u16 len;		/* bytes */
};

struct xbb_ring;

/* A grant the frontend made persistent, mapped until the ring goes. */
struct xbb_pgrant {
	struct hlist_node node;
	grant_ref_t gref;
	grant_handle_t handle;
	struct page *page;
};

#define XBB_PGRANT_HASH_BITS	8

/* One request in flight. */
struct xbb_req {
	struct list_head node;
	struct xbb_ring *ring;
	u64 id;
	u8 op;			/* effective op: indirect_op for INDIRECT */
	u16 nr_segs;
	bool mapped;		/* segs[].page map the frontend's pages */
	bool persistent;	/* segs[].page are persistent grants' */
	sector_t sector;
	atomic_t bios;		/* bios still outstanding */
	blk_status_t error;	/* first bio error seen */
	struct xbb_seg *segs;	/* inline_segs or kmalloc'd (indirect) */
	struct xbb_seg inline_segs[XMP_BLKIF_MAX_SEGS];
};

/* Per-device counters, shown in sysfs statistics/<name>. */
enum xbb_stat {
	XBB_ST_RD_REQ,		/* rd_req: reads */
	XBB_ST_WR_REQ,		/* wr_req: writes */
	XBB_ST_F_REQ,		/* f_req: cache flushes */
	XBB_ST_B_REQ,		/* b_req: barriers */
	XBB_ST_DS_REQ,		/* ds_req: discards */
	XBB_ST_OO_REQ,		/* oo_req: waits for free requests/buffers */
	XBB_ST_RD_SECT,		/* rd_sect: sectors read */
	XBB_ST_WR_SECT,		/* wr_sect: sectors written */
	XBB_ST_ERR_REQ,		/* err_req: answered BLKIF_RSP_ERROR */
	XBB_ST_UNSUPP_REQ,	/* unsupp_req: answered BLKIF_RSP_EOPNOTSUPP */
	XBB_ST_MAP_REQ,		/* map_req: served by mapping, not copying */
	XBB_ST_PERS_REQ,	/* persistent_req: by persistent grants */
	XBB_ST_NR
};

struct xbb_stats {
	atomic64_t c[XBB_ST_NR];
};

struct xbb_dev;
struct xbb_inject;

/* One queue: ring, event channel, thread, requests. */
struct xbb_ring {
	struct xbb_dev *be;
	unsigned int idx;
	struct blkif_back_ring bring;
	struct xmp_ring_mapping map;
	int irq;			/* 0: not bound */
	struct task_struct *task;
	wait_queue_head_t wq;
	bool notified;			/* event since the thread looked */
	atomic_t eoi_pending;		/* lateeoi owed for an event */
	unsigned int work_since_eoi;	/* requests taken since the last EOI */
	bool halted;			/* frontend misbehaved: ignore ring */

	/*
	 * done_lock: done, freed, want_free, and the response producer
	 * (bring.rsp_prod_pvt, rsp_pending), which xbb_bio_end() moves too.
	 */
	spinlock_t done_lock;
	struct list_head done;		/* bios completed, to answer */
	struct list_head freed;		/* answered by xbb_bio_end(), to free */
	bool want_free;			/* thread waits for freed requests */

	struct list_head free_reqs;
	struct xbb_req *reqs;
	unsigned int nr_reqs;
	unsigned int inflight;		/* requests out of free_reqs */

	/* Bounce pages: at most xbb_max_buffer_pages per ring. */
	struct page **pool;
	unsigned int pool_count;	/* free pages in pool */
	unsigned int pages_total;	/* allocated, in pool or in use */

	struct gnttab_copy *copy_ops;	/* scratch, max segments */
	/* Mapped requests: pages to map grants onto, scratch op arrays. */
	struct gnttab_page_cache map_cache;
	struct gnttab_map_grant_ref *map_ops;
	struct gnttab_unmap_grant_ref *unmap_ops;
	struct page **map_pages;

	/* feature-persistent: grants kept mapped, by reference. */
	DECLARE_HASHTABLE(pgrants, XBB_PGRANT_HASH_BITS);
	unsigned int nr_pgrants;
	struct xbb_pgrant **pg_new;	/* scratch, max segments */
	struct page *ind_pages[XMP_BLKIF_MAX_INDIRECT_PAGES];
	unsigned int nr_ind_pages;
	bool rsp_pending;		/* responses not pushed yet */
};

/* Per vbd device (one per xenbus backend device). */
struct xbb_dev {
	struct xenbus_device *dev;
	struct mutex lock;		/* control plane */
	struct xenbus_watch watch;	/* physical-device */
	bool watching;
	bool stats_added;

	/* The backing block device (hotplug script: physical-device). */
	struct xmp_bdev bdev;
	bool bdev_open;
	unsigned int major, minor;
	bool cdrom;
	unsigned int handle;		/* frontend's virtual-device */
	struct xmp_blkdev_caps caps;	/* what we advertise and enforce */

	/* Transport, as advertised and as negotiated. */
	struct xmp_ring_adv adv;
	unsigned int nr_ring_pages;
	unsigned int nr_rings;
	bool persistent;		/* feature-persistent, both sides */
	struct xbb_ring *rings;		/* NULL: not connected */
	bool running;			/* threads started */

	struct xbb_stats st;
	struct xbb_inject *inj;		/* inject.c; NULL: none (yet) */
};

/* blkback.c: data path. */
void xbb_ring_init(struct xbb_ring *ring);
int xbb_ring_show_state(struct xbb_ring *ring, char *buf, int at);
int xbb_ring_connect(struct xbb_ring *ring, const grant_ref_t *grefs,
		     unsigned int nr_pages, evtchn_port_t evtchn);
int xbb_ring_start(struct xbb_ring *ring);
void xbb_ring_disconnect(struct xbb_ring *ring);
unsigned int xbb_ring_slots(unsigned int nr_pages);

/* xenbus.c: control plane, called from ring thread 0 on online resize. */
void xbb_resized(struct xbb_dev *be, sector_t sectors);

/* inject.c: test-only fault injection into responses (debugfs). */
void xbb_inject_init(struct xbb_dev *be);
void xbb_inject_rsp(struct xbb_dev *be, struct blkif_response *rsp);

#endif /* XBB_COMMON_H */
