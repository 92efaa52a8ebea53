// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-evilfront: a test-only blkif frontend (the rig's FRONT=evil).
 *
 * It binds to a vbd in place of xen-blkfront, negotiates a ring with the
 * protocol core (xmp_front_plan()) and the shared ring grant helper, then
 * attacks the backend through the ring and checks every answer:
 *  - requests Xen's io/blkif.h does not allow (unknown operation, 0 or 12
 *    segments, first_sect > last_sect, last_sect > 7, sectors past the end
 *    of the disk, indirect requests with 0 or too many segments or a bad
 *    indirect_op, grant references that are not granted) must each come
 *    back BLKIF_RSP_ERROR (BLKIF_RSP_EOPNOTSUPP for the unknown operation,
 *    as the in-tree backend answers) with their own id and operation,
 *    while good requests interleaved with them still move the right data
 *    and the bad writes leave the disk untouched;
 *  - last, a req_prod more than a ring ahead of the responses: the backend
 *    must stop reading the ring and go to Closing (xenbus_dev_fatal()),
 *    without a single response more.
 * The verdict is the module parameter "result" ("RUNNING", then "PASS ..."
 * or "FAIL <reason>"); each step is logged. dom0's side of the test
 * (tests/e2e/hooks/blkback-evil.sh) checks the backend's error node, its
 * log and its statistics.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/protocols.h>

#include <xen-mpring/ring_negotiate.h>

#include "ring_grant.h"
#include "xb_util.h"

static unsigned int evil_ring_order = 2;
module_param_named(ring_order, evil_ring_order, uint, 0444);
MODULE_PARM_DESC(ring_order,
		 "Ring size asked for, as lb(pages): 0..6 (default 2), capped by the backend");

static char evil_result[256] = "RUNNING";
module_param_string(result, evil_result, sizeof(evil_result), 0444);
MODULE_PARM_DESC(result, "Verdict: RUNNING, PASS ... or FAIL <reason> (read-only)");

/* Seconds to wait for the answers of one batch. */
#define EVIL_TIMEOUT		(30 * HZ)
/* Requests ids used: below this. */
#define EVIL_MAX_ID		64
/*
 * The backend logs bad requests rate-limited (10 per 5 s per call site):
 * batches of bad requests are this far apart so that dom0's log shows
 * every reason.
 */
#define EVIL_BATCH_GAP_MS	6000

/* Data pages: three patterns written, three read back, one scratch. */
enum { PG_A, PG_B, PG_C, PG_R1, PG_R2, PG_R3, PG_BAD, EVIL_NR_PAGES };

struct evil_exp {
	bool issued;
	bool seen;
	u8 op;			/* operation the answer must carry */
	s16 status;		/* status it must carry */
	const char *name;
};

struct evil {
	struct xenbus_device *dev;
	struct mutex lock;		/* setup/teardown */
	struct xmp_ring_grant rg;
	struct blkif_front_ring ring;
	bool ring_up;
	evtchn_port_t evtchn;
	int irq;
	wait_queue_head_t wq;
	struct work_struct work;
	bool work_queued;

	u64 sectors;
	u32 max_indirect;
	bool barrier;		/* the backend's feature-barrier */
	struct page *pages[EVIL_NR_PAGES];
	grant_ref_t grefs[EVIL_NR_PAGES];
	grant_ref_t unused_head;	/* claimed, never granted */
	grant_ref_t unused_ref;
	bool have_unused;

	struct evil_exp exp[EVIL_MAX_ID];
	unsigned int cases;
};

static irqreturn_t evil_irq(int irq, void *arg)
{
	struct evil *e = arg;

	wake_up(&e->wq);
	return IRQ_HANDLED;
}

static __printf(1, 2) void evil_set_result(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(evil_result, sizeof(evil_result), fmt, ap);
	va_end(ap);
	pr_info("result: %s\n", evil_result);
}

/* ------------------------------------------------------------------ */
/* Setup and teardown                                                  */
/* ------------------------------------------------------------------ */

static void evil_free_pages(struct evil *e)
{
	unsigned int i;

	for (i = 0; i < EVIL_NR_PAGES; i++) {
		if (e->grefs[i] != INVALID_GRANT_REF)
			/* Frees the page too (once the backend let go). */
			gnttab_end_foreign_access(e->grefs[i], e->pages[i]);
		else if (e->pages[i])
			__free_page(e->pages[i]);
		e->grefs[i] = INVALID_GRANT_REF;
		e->pages[i] = NULL;
	}
	if (e->have_unused) {
		gnttab_release_grant_reference(&e->unused_head, e->unused_ref);
		gnttab_free_grant_references(e->unused_head);
		e->have_unused = false;
	}
}

static int evil_alloc_pages(struct evil *e)
{
	domid_t back = e->dev->otherend_id;
	unsigned int i;
	int ref;

	for (i = 0; i < EVIL_NR_PAGES; i++) {
		e->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!e->pages[i])
			return -ENOMEM;
		ref = gnttab_grant_foreign_access(back,
						  xen_page_to_gfn(e->pages[i]),
						  0);
		if (ref < 0)
			return ref;
		e->grefs[i] = ref;
	}
	/* A grant reference of ours whose entry grants nothing. */
	ref = gnttab_alloc_grant_references(1, &e->unused_head);
	if (ref)
		return ref;
	ref = gnttab_claim_grant_reference(&e->unused_head);
	if (ref < 0) {
		gnttab_free_grant_references(e->unused_head);
		return ref;
	}
	e->unused_ref = ref;
	e->have_unused = true;
	return 0;
}

/* Everything given to the backend taken back; safe to call twice. */
static void evil_teardown(struct evil *e)
{
	if (e->irq > 0) {
		unbind_from_irqhandler(e->irq, e);	/* closes the port */
		e->irq = 0;
	} else if (e->evtchn) {
		xenbus_free_evtchn(e->dev, e->evtchn);
	}
	e->evtchn = 0;
	e->ring_up = false;
	xmp_ring_grant_free(&e->rg);
	evil_free_pages(e);
}

/*
 * Negotiate the ring as the project's frontends do: the core reads the
 * backend's max-ring-page-order / max-ring-pages (both schemes) and says
 * which nodes to write.
 */
static int evil_setup(struct evil *e)
{
	struct xenbus_device *dev = e->dev;
	struct xmp_back_ring_nodes nodes;
	struct xmp_front_plan plan;
	struct xenbus_transaction xbt;
	char *mo, *mp;
	int err;

	mo = xmp_xb_read_opt(XBT_NIL, dev->otherend, "max-ring-page-order");
	mp = xmp_xb_read_opt(XBT_NIL, dev->otherend, "max-ring-pages");
	nodes.max_ring_page_order = IS_ERR(mo) ? NULL : mo;
	nodes.max_ring_pages = IS_ERR(mp) ? NULL : mp;
	xmp_front_plan(&nodes, evil_ring_order, XMP_SCHEME_BOTH, false, &plan);
	if (!IS_ERR(mo))
		kfree(mo);
	if (!IS_ERR(mp))
		kfree(mp);

	err = xmp_ring_grant_alloc(dev, &e->rg, plan.order);
	if (err)
		return err;	/* reported */
	XEN_FRONT_RING_INIT(&e->ring, (struct blkif_sring *)e->rg.vaddr,
			    (size_t)XEN_PAGE_SIZE * e->rg.nr_pages);

	err = evil_alloc_pages(e);
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating data pages");
		return err;
	}
	err = xenbus_alloc_evtchn(dev, &e->evtchn);
	if (err)
		return err;	/* reported */
	err = bind_evtchn_to_irqhandler(e->evtchn, evil_irq, 0,
					"xen-evilfront", e);
	if (err < 0) {
		xenbus_dev_fatal(dev, err, "binding event channel %u",
				 e->evtchn);
		return err;
	}
	e->irq = err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}
	err = xmp_ring_grant_publish(xbt, dev->nodename, &e->rg, &plan);
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, "event-channel", "%u",
				    e->evtchn);
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, "protocol", "%s",
				    XEN_IO_PROTO_ABI_NATIVE);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		xenbus_dev_fatal(dev, err, "writing the ring nodes");
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err) {
		xenbus_dev_fatal(dev, err, "ending transaction");
		return err;
	}
	e->ring_up = true;
	pr_info("%s: ring of %u page(s), %u slots, event channel %u\n",
		dev->nodename, e->rg.nr_pages, RING_SIZE(&e->ring), e->evtchn);
	return xenbus_switch_state(dev, XenbusStateInitialised);
}

/* ------------------------------------------------------------------ */
/* Requests and answers                                                */
/* ------------------------------------------------------------------ */

static struct blkif_request *evil_slot(struct evil *e, u64 id,
				       const char *name, u8 op, s16 status)
{
	struct blkif_request *r;

	r = RING_GET_REQUEST(&e->ring, e->ring.req_prod_pvt);
	e->ring.req_prod_pvt++;
	memset(r, 0, sizeof(*r));
	e->exp[id].issued = true;
	e->exp[id].seen = false;
	e->exp[id].op = op;
	e->exp[id].status = status;
	e->exp[id].name = name;
	e->cases++;
	return r;
}

/* A direct read or write of @nsegs whole pages, all on page @pg. */
static void evil_rw(struct evil *e, u64 id, const char *name, u8 op,
		    u64 sector, u8 nsegs, grant_ref_t gref, u8 first,
		    u8 last, s16 status)
{
	struct blkif_request *r = evil_slot(e, id, name, op, status);
	unsigned int i;

	r->operation = op;
	r->u.rw.nr_segments = nsegs;
	r->u.rw.handle = 0;
	r->u.rw.id = id;
	r->u.rw.sector_number = sector;
	/* At most 11 fit: a count of 12 is a lie about the slot. */
	for (i = 0; i < min_t(unsigned int, nsegs,
			      BLKIF_MAX_SEGMENTS_PER_REQUEST); i++) {
		r->u.rw.seg[i].gref = gref;
		r->u.rw.seg[i].first_sect = first;
		r->u.rw.seg[i].last_sect = last;
	}
}

static void evil_indirect(struct evil *e, u64 id, const char *name,
			  u8 iop, u16 nsegs, grant_ref_t igref, s16 status)
{
	struct blkif_request *r = evil_slot(e, id, name, iop, status);

	r->operation = BLKIF_OP_INDIRECT;
	r->u.indirect.indirect_op = iop;
	r->u.indirect.nr_segments = nsegs;
	r->u.indirect.id = id;
	r->u.indirect.sector_number = 8;
	r->u.indirect.indirect_grefs[0] = igref;
}

static void evil_push(struct evil *e)
{
	RING_PUSH_REQUESTS(&e->ring);
	/* Always kick: the backend's req_event is its own business. */
	notify_remote_via_irq(e->irq);
}

static bool evil_all_seen(struct evil *e)
{
	unsigned int i;

	for (i = 0; i < EVIL_MAX_ID; i++)
		if (e->exp[i].issued && !e->exp[i].seen)
			return false;
	return true;
}

/* Take every answer published so far. Returns 0 or -EPROTO with @why. */
static int evil_take(struct evil *e, char *why, size_t len)
{
	struct blkif_response rsp;
	RING_IDX rc, rp;
	struct evil_exp *x;
	int more;

again:
	rp = READ_ONCE(e->ring.sring->rsp_prod);
	virt_rmb();	/* the answers up to rp, after rp */
	if (rp - e->ring.rsp_cons > e->ring.req_prod_pvt - e->ring.rsp_cons) {
		snprintf(why, len, "rsp_prod %u runs past our requests (%u)",
			 rp, e->ring.req_prod_pvt);
		return -EPROTO;
	}
	for (rc = e->ring.rsp_cons; rc != rp; rc++) {
		RING_COPY_RESPONSE(&e->ring, rc, &rsp);
		e->ring.rsp_cons = rc + 1;
		if (rsp.id >= EVIL_MAX_ID || !e->exp[rsp.id].issued ||
		    e->exp[rsp.id].seen) {
			snprintf(why, len, "answer for id %llu, which is not outstanding",
				 rsp.id);
			return -EPROTO;
		}
		x = &e->exp[rsp.id];
		x->seen = true;
		pr_info("id %llu (%s): status %d, operation %u\n", rsp.id,
			x->name, rsp.status, rsp.operation);
		if (rsp.status != x->status || rsp.operation != x->op) {
			snprintf(why, len, "id %llu (%s): got status %d op %u, want %d op %u",
				 rsp.id, x->name, rsp.status, rsp.operation,
				 x->status, x->op);
			return -EPROTO;
		}
	}
	/* Sets rsp_event: the backend notifies us of the next answer. */
	RING_FINAL_CHECK_FOR_RESPONSES(&e->ring, more);
	if (more)
		goto again;
	return 0;
}

/* Push what is queued, wait for every answer. */
static int evil_batch(struct evil *e, const char *what, char *why,
		      size_t len)
{
	unsigned long left = EVIL_TIMEOUT;
	int err;

	pr_info("batch \"%s\": %u request(s) on the ring\n", what,
		e->ring.req_prod_pvt - e->ring.rsp_cons);
	evil_push(e);
	for (;;) {
		err = evil_take(e, why, len);
		if (err)
			return err;
		if (evil_all_seen(e))
			return 0;
		if (!left) {
			snprintf(why, len, "batch \"%s\": no answer in %d s",
				 what, EVIL_TIMEOUT / HZ);
			return -ETIMEDOUT;
		}
		left = wait_event_timeout(e->wq,
					  RING_HAS_UNCONSUMED_RESPONSES(&e->ring),
					  left);
	}
}

static void evil_fill(struct evil *e, unsigned int pg, u8 seed)
{
	u8 *p = page_address(e->pages[pg]);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = seed + i * 7 + (i >> 9);
}

/* A page to read into: zeroed, so a read that moves nothing shows. */
static void evil_clear(struct evil *e, unsigned int pg)
{
	memset(page_address(e->pages[pg]), 0, PAGE_SIZE);
}

static int evil_same(struct evil *e, unsigned int a, unsigned int b,
		     const char *what, char *why, size_t len)
{
	if (!memcmp(page_address(e->pages[a]), page_address(e->pages[b]),
		    PAGE_SIZE))
		return 0;
	snprintf(why, len, "%s: data read back differs from data written",
		 what);
	return -EIO;
}

/* ------------------------------------------------------------------ */
/* The attack                                                          */
/* ------------------------------------------------------------------ */

static int evil_attack(struct evil *e, char *why, size_t len)
{
	const s16 ok = BLKIF_RSP_OKAY, bad = BLKIF_RSP_ERROR;
	const u8 rd = BLKIF_OP_READ, wr = BLKIF_OP_WRITE;
	u64 s1 = 8, s2 = 16, s3 = 24, se = e->sectors - 8;
	grant_ref_t *g = e->grefs;
	grant_ref_t none = e->unused_ref;
	/* Far beyond any grant table a domain gets. */
	const grant_ref_t wild = 0xfffff0;
	struct blkif_request *r;
	RING_IDX prod;
	unsigned long left;
	int err;

	if (e->sectors < 64) {
		snprintf(why, len, "disk of %llu sectors too small", e->sectors);
		return -EINVAL;
	}
	evil_fill(e, PG_A, 0xa1);
	evil_fill(e, PG_B, 0xb2);
	evil_fill(e, PG_C, 0xc3);
	evil_fill(e, PG_BAD, 0x5e);

	/* 1. Good writes: three known regions. */
	evil_rw(e, 1, "write A at 8", wr, s1, 1, g[PG_A], 0, 7, ok);
	evil_rw(e, 2, "write B at 16", wr, s2, 1, g[PG_B], 0, 7, ok);
	evil_rw(e, 3, "write C at the last 8 sectors", wr, se, 1, g[PG_C],
		0, 7, ok);
	/*
	 * Barriers behind those writes (io/blkif.h: each is ordered after
	 * every request before it): one with data, one without. A backend
	 * without feature-barrier answers EOPNOTSUPP.
	 */
	evil_rw(e, 4, "barrier write A at 24", BLKIF_OP_WRITE_BARRIER, s3, 1,
		g[PG_A], 0, 7, e->barrier ? ok : BLKIF_RSP_EOPNOTSUPP);
	evil_rw(e, 5, "empty barrier", BLKIF_OP_WRITE_BARRIER, 0, 0, g[PG_A],
		0, 7, e->barrier ? ok : BLKIF_RSP_EOPNOTSUPP);
	err = evil_batch(e, "good writes and barriers", why, len);
	if (err)
		return err;

	/* 2. Bad headers and segments, a good read among them. */
	evil_clear(e, PG_R1);
	r = evil_slot(e, 10, "unknown operation 7", 7, BLKIF_RSP_EOPNOTSUPP);
	r->operation = 7;
	r->u.other.id = 10;
	evil_rw(e, 11, "read of 0 segments", rd, s1, 0, g[PG_R1], 0, 7, bad);
	evil_rw(e, 12, "read of 12 segments", rd, s1, 12, g[PG_R1], 0, 7,
		bad);
	evil_rw(e, 13, "write first_sect 5 > last_sect 2", wr, s2, 1,
		g[PG_BAD], 5, 2, bad);
	evil_rw(e, 14, "write last_sect 8", wr, s2, 1, g[PG_BAD], 0, 8, bad);
	evil_rw(e, 15, "good read A among bad ones", rd, s1, 1, g[PG_R1],
		0, 7, ok);
	evil_rw(e, 16, "write across the end of the disk", wr,
		e->sectors - 4, 1, g[PG_BAD], 0, 7, bad);
	evil_rw(e, 17, "read at the end of the disk", rd, e->sectors, 1,
		g[PG_R3], 0, 7, bad);
	evil_rw(e, 18, "write wrapping around 2^64", wr, (u64)-8, 2,
		g[PG_BAD], 0, 7, bad);
	err = evil_batch(e, "bad headers and segments", why, len);
	if (!err)
		err = evil_same(e, PG_A, PG_R1, "read A among bad requests",
				why, len);
	if (err)
		return err;

	/* Let the backend's log rate limit recover: every reason shows. */
	msleep(EVIL_BATCH_GAP_MS);

	/* 3. Bad indirect requests and grants, a good read among them. */
	evil_clear(e, PG_R2);
	evil_indirect(e, 20, "indirect read of 0 segments", rd, 0,
		      g[PG_BAD], bad);
	evil_indirect(e, 21, "indirect read of max + 1 segments", rd,
		      (e->max_indirect ?: 256) + 1, g[PG_BAD], bad);
	evil_indirect(e, 22, "indirect flush", BLKIF_OP_FLUSH_DISKCACHE, 1,
		      g[PG_BAD], bad);
	evil_indirect(e, 23, "indirect page not granted", rd, 1, none, bad);
	evil_rw(e, 24, "write from a page not granted", wr, s2, 1, none, 0,
		7, bad);
	evil_rw(e, 25, "good read C among bad ones", rd, se, 1, g[PG_R2], 0,
		7, ok);
	evil_rw(e, 26, "write from grant 0xfffff0", wr, s2, 1, wild, 0, 7,
		bad);
	evil_rw(e, 27, "read into a page not granted", rd, s1, 1, none, 0,
		7, bad);
	err = evil_batch(e, "bad indirect requests and grants", why, len);
	if (!err)
		err = evil_same(e, PG_C, PG_R2,
				"last 8 sectors after a write across the end",
				why, len);
	if (err)
		return err;

	/* 4. The bad writes changed nothing. */
	evil_clear(e, PG_R1);
	evil_clear(e, PG_R3);
	evil_rw(e, 30, "read B back", rd, s2, 1, g[PG_R3], 0, 7, ok);
	evil_rw(e, 31, "read A back", rd, s1, 1, g[PG_R1], 0, 7, ok);
	if (e->barrier) {
		evil_clear(e, PG_R2);
		evil_rw(e, 32, "read back the barrier's A", rd, s3, 1,
			g[PG_R2], 0, 7, ok);
	}
	err = evil_batch(e, "reads after the bad writes", why, len);
	if (!err)
		err = evil_same(e, PG_B, PG_R3, "B after bad writes", why, len);
	if (!err)
		err = evil_same(e, PG_A, PG_R1, "A after bad writes", why, len);
	if (!err && e->barrier)
		err = evil_same(e, PG_A, PG_R2, "A written by a barrier", why,
				len);
	if (err)
		return err;
	pr_info("%u requests answered as expected, data intact\n", e->cases);

	/*
	 * 5. req_prod more than a ring ahead of the responses: a backend
	 * must take this for what it is and stop (io/ring.h,
	 * RING_REQUEST_PROD_OVERFLOW), never process stale slots.
	 */
	prod = e->ring.req_prod_pvt + RING_SIZE(&e->ring) + 1;
	pr_info("req_prod %u -> %u (ring of %u slots): the backend must give up\n",
		e->ring.sring->req_prod, prod, RING_SIZE(&e->ring));
	virt_wmb();	/* our earlier slots before the index, as always */
	WRITE_ONCE(e->ring.sring->req_prod, prod);
	virt_mb();	/* the index visible before the event */
	notify_remote_via_irq(e->irq);
	left = wait_event_timeout(e->wq,
				  xenbus_read_driver_state(e->dev->otherend) >=
				  XenbusStateClosing, EVIL_TIMEOUT);
	if (!left) {
		snprintf(why, len, "backend still in state %d %d s after req_prod overflow",
			 xenbus_read_driver_state(e->dev->otherend),
			 EVIL_TIMEOUT / HZ);
		return -ETIMEDOUT;
	}
	/* Nothing answered from the garbage. */
	if (READ_ONCE(e->ring.sring->rsp_prod) != e->ring.rsp_cons) {
		snprintf(why, len, "backend answered %u slot(s) past a req_prod overflow",
			 READ_ONCE(e->ring.sring->rsp_prod) - e->ring.rsp_cons);
		return -EPROTO;
	}
	return 0;
}

static void evil_work(struct work_struct *w)
{
	struct evil *e = container_of(w, struct evil, work);
	char why[200] = "";
	int err;

	err = evil_attack(e, why, sizeof(why));
	if (err)
		evil_set_result("FAIL %s", why);
	else
		evil_set_result("PASS %u answers right, data intact, backend state %d after it",
				e->cases,
				xenbus_read_driver_state(e->dev->otherend));
	/* Give everything back and leave (the backend follows to Closed). */
	mutex_lock(&e->lock);
	evil_teardown(e);
	mutex_unlock(&e->lock);
	xenbus_switch_state(e->dev, XenbusStateClosing);
	xenbus_frontend_closed(e->dev);
}

/* ------------------------------------------------------------------ */
/* XenBus driver                                                       */
/* ------------------------------------------------------------------ */

static void evil_connect(struct evil *e)
{
	struct xenbus_device *dev = e->dev;
	unsigned long long sectors;
	int err;

	if (dev->state != XenbusStateInitialised || e->work_queued)
		return;
	err = xenbus_scanf(XBT_NIL, dev->otherend, "sectors", "%llu",
			   &sectors);
	if (err != 1) {
		evil_set_result("FAIL backend has no sectors node");
		xenbus_dev_fatal(dev, -EINVAL, "reading %s/sectors",
				 dev->otherend);
		return;
	}
	e->sectors = sectors;
	e->max_indirect = xenbus_read_unsigned(dev->otherend,
					       "feature-max-indirect-segments",
					       0);
	e->barrier = xenbus_read_unsigned(dev->otherend, "feature-barrier", 0);
	xenbus_switch_state(dev, XenbusStateConnected);
	e->work_queued = true;
	schedule_work(&e->work);
}

static void evil_backend_changed(struct xenbus_device *dev,
				 enum xenbus_state bstate)
{
	struct evil *e = dev_get_drvdata(&dev->dev);

	mutex_lock(&e->lock);
	switch (bstate) {
	case XenbusStateInitWait:
		if (dev->state == XenbusStateInitialising && !e->ring_up &&
		    evil_setup(e)) {
			evil_set_result("FAIL ring setup failed");
			evil_teardown(e);
		}
		break;
	case XenbusStateConnected:
		evil_connect(e);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
		/* Before the attack ran: the backend refused us. */
		if (!e->work_queued && dev->state != XenbusStateClosed) {
			evil_set_result("FAIL backend went to state %d before the test",
					bstate);
			evil_teardown(e);
			mutex_unlock(&e->lock);
			xenbus_frontend_closed(dev);
			return;
		}
		break;
	default:
		break;
	}
	wake_up(&e->wq);
	mutex_unlock(&e->lock);
}

static int evil_probe(struct xenbus_device *dev,
		      const struct xenbus_device_id *id)
{
	struct evil *e;
	unsigned int i;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating state");
		return -ENOMEM;
	}
	e->dev = dev;
	mutex_init(&e->lock);
	init_waitqueue_head(&e->wq);
	INIT_WORK(&e->work, evil_work);
	for (i = 0; i < EVIL_NR_PAGES; i++)
		e->grefs[i] = INVALID_GRANT_REF;
	dev_set_drvdata(&dev->dev, e);
	pr_info("%s: bound, backend %s\n", dev->nodename, dev->otherend);
	return 0;
}

static void evil_remove(struct xenbus_device *dev)
{
	struct evil *e = dev_get_drvdata(&dev->dev);

	cancel_work_sync(&e->work);
	mutex_lock(&e->lock);
	evil_teardown(e);
	mutex_unlock(&e->lock);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(e);
}

static const struct xenbus_device_id evil_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver evil_driver = {
	.ids = evil_ids,
	.probe = evil_probe,
	.remove = evil_remove,
	.otherend_changed = evil_backend_changed,
};

static int __init evil_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (evil_ring_order > XMP_RING_ORDER_LIMIT) {
		pr_err("invalid ring_order=%u: must be 0..%u\n",
		       evil_ring_order, XMP_RING_ORDER_LIMIT);
		return -EINVAL;
	}
	return xenbus_register_frontend(&evil_driver);
}
module_init(evil_init);

static void __exit evil_exit(void)
{
	xenbus_unregister_driver(&evil_driver);
}
module_exit(evil_exit);

MODULE_DESCRIPTION("Test-only Xen blkif frontend sending malformed requests (xen-mpring rig)");
MODULE_LICENSE("GPL");
