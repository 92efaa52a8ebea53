// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frontend side of a multi-page shared ring (see ring_grant.h).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <xen/page.h>

#include "ring_grant.h"

int xmp_ring_grant_alloc(struct xenbus_device *dev, struct xmp_ring_grant *rg,
			 unsigned int order)
{
	unsigned int i;
	int err;

	memset(rg, 0, sizeof(*rg));
	if (order > XMP_RING_ORDER_LIMIT) {
		xenbus_dev_fatal(dev, -EINVAL, "ring order %u above limit %u",
				 order, XMP_RING_ORDER_LIMIT);
		return -EINVAL;
	}
	/* One grant per 4 KiB Xen page: the ring macros count Xen pages. */
	BUILD_BUG_ON(PAGE_SIZE != XEN_PAGE_SIZE);

	for (i = 0; i < (1U << order); i++) {
		rg->pages[i] = alloc_page(GFP_NOIO | __GFP_ZERO);
		if (!rg->pages[i]) {
			err = -ENOMEM;
			xenbus_dev_fatal(dev, err, "allocating ring page %u of %u",
					 i, 1U << order);
			goto fail;
		}
		rg->nr_pages = i + 1;
		rg->grefs[i] = INVALID_GRANT_REF;
	}
	rg->order = order;

	if (rg->nr_pages == 1)
		rg->vaddr = page_address(rg->pages[0]);
	else
		rg->vaddr = vmap(rg->pages, rg->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!rg->vaddr) {
		err = -ENOMEM;
		xenbus_dev_fatal(dev, err, "mapping a %u-page ring",
				 rg->nr_pages);
		goto fail;
	}

	for (i = 0; i < rg->nr_pages; i++) {
		err = gnttab_grant_foreign_access(dev->otherend_id,
						  xen_page_to_gfn(rg->pages[i]),
						  0);
		if (err < 0) {
			xenbus_dev_fatal(dev, err, "granting ring page %u of %u",
					 i, rg->nr_pages);
			goto fail;
		}
		rg->grefs[i] = err;
	}
	return 0;

fail:
	xmp_ring_grant_free(rg);
	return err;
}

void xmp_ring_grant_free(struct xmp_ring_grant *rg)
{
	unsigned int i;

	if (rg->vaddr && rg->nr_pages > 1)
		vunmap(rg->vaddr);
	rg->vaddr = NULL;

	for (i = 0; i < rg->nr_pages; i++) {
		if (rg->grefs[i] != INVALID_GRANT_REF)
			/* Frees the page now, or once the backend unmaps it. */
			gnttab_end_foreign_access(rg->grefs[i], rg->pages[i]);
		else
			__free_page(rg->pages[i]);
		rg->grefs[i] = INVALID_GRANT_REF;
		rg->pages[i] = NULL;
	}
	rg->nr_pages = 0;
	rg->order = 0;
}

/* xenbus_rm() of a node that is not there is not an error here. */
static int xmp_rm_opt(struct xenbus_transaction xbt, const char *dir,
		      const char *node)
{
	int err = xenbus_rm(xbt, dir, node);

	return err == -ENOENT ? 0 : err;
}

/*
 * Remove the reference nodes a previous connection may have left (a
 * reconnect with a smaller ring): a backend must never see a stale
 * ring-ref<N> or a plain ring-ref next to ring-ref0 (note 6).
 */
static int xmp_ring_grant_clear_refs(struct xenbus_transaction xbt,
				     const char *dir)
{
	char node[sizeof("ring-ref") + 10];
	unsigned int i;
	int err;

	err = xmp_rm_opt(xbt, dir, "ring-ref");
	for (i = 0; !err && i < XMP_RING_PAGES_LIMIT; i++) {
		snprintf(node, sizeof(node), "ring-ref%u", i);
		err = xenbus_rm(xbt, dir, node);
		if (err == -ENOENT)
			return 0;	/* they are written as a sequence */
	}
	return err;
}

int xmp_ring_grant_write_refs(struct xenbus_transaction xbt, const char *dir,
			      const struct xmp_ring_grant *rg,
			      const struct xmp_front_plan *plan)
{
	char node[sizeof("ring-ref") + 10];
	unsigned int i;
	int err;

	if (plan->nr_pages != rg->nr_pages)
		return -EINVAL;
	err = xmp_ring_grant_clear_refs(xbt, dir);
	if (err)
		return err;

	if (plan->write_ring_ref)
		return xenbus_printf(xbt, dir, "ring-ref", "%u", rg->grefs[0]);

	if (!plan->write_ring_refN)
		return -EINVAL;
	for (i = 0; i < rg->nr_pages; i++) {
		snprintf(node, sizeof(node), "ring-ref%u", i);
		err = xenbus_printf(xbt, dir, node, "%u", rg->grefs[i]);
		if (err)
			return err;
	}
	return 0;
}

int xmp_ring_grant_write_size(struct xenbus_transaction xbt, const char *dir,
			      const struct xmp_front_plan *plan)
{
	int err;

	/* Default values are expressed by absent nodes (one-page ring). */
	err = xmp_rm_opt(xbt, dir, "ring-page-order");
	if (!err)
		err = xmp_rm_opt(xbt, dir, "num-ring-pages");
	if (err)
		return err;
	if (plan->write_order) {
		err = xenbus_printf(xbt, dir, "ring-page-order", "%u",
				    plan->order);
		if (err)
			return err;
	}
	if (plan->write_pages) {
		err = xenbus_printf(xbt, dir, "num-ring-pages", "%u",
				    plan->nr_pages);
		if (err)
			return err;
	}
	return 0;
}

int xmp_ring_grant_publish(struct xenbus_transaction xbt, const char *dir,
			   const struct xmp_ring_grant *rg,
			   const struct xmp_front_plan *plan)
{
	int err = xmp_ring_grant_write_refs(xbt, dir, rg, plan);

	return err ? err : xmp_ring_grant_write_size(xbt, dir, plan);
}
