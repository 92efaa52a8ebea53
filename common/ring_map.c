// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backend side of a multi-page shared ring: map a frontend's N ring grants
 * into one virtually contiguous area, and unmap them.
 *
 * Two ways, as Linux's own xenbus_client.c does for up to 16 grants:
 *
 *  - PV domain (the usual dom0): a PV kernel cannot point a second page
 *    table entry at a foreign frame with an ordinary page table update (Xen
 *    checks page ownership), so the grant is mapped by Xen straight into the
 *    page table entry of a kernel virtual area (GNTMAP_contains_pte, the
 *    PTE's machine address as host_addr). The area comes from vmap() of a
 *    placeholder page: that allocates the virtual range and its page tables,
 *    which is all get_vm_area() would give us, and get_vm_area() is not
 *    exported to modules. Xen replaces each placeholder PTE by the grant
 *    mapping (dropping its reference to the placeholder) and empties it
 *    again on unmap, after which vunmap() finds nothing left to undo.
 *
 *  - auto-translated domain (PVH/HVM): the grants are mapped onto
 *    unpopulated pages of our physmap, which can then be vmap()ed.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>

#include <xen/xen.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include <asm/xen/hypercall.h>
#ifdef CONFIG_XEN_PV
#include <asm/tlbflush.h>
#include <asm/xen/page.h>
#endif

#include "ring_map.h"

/* The ring is addressed in Xen pages: one grant per kernel page. */
static_assert(PAGE_SIZE == XEN_PAGE_SIZE);

const char *xmp_gntst_text(int status)
{
	static const char *const text[] = GNTTABOP_error_msgs;

	if (status <= 0 && -status < (int)ARRAY_SIZE(text))
		return text[-status];
	return "unknown status";
}

static bool xmp_ring_map_pv(void)
{
	return !xen_feature(XENFEAT_auto_translated_physmap);
}

/* Undo the grant mappings of slots [0, nr) whose handle is valid. */
static void xmp_ring_unmap_grants(struct xenbus_device *dev,
				  struct xmp_ring_mapping *m, unsigned int nr,
				  bool pv)
{
	struct gnttab_unmap_grant_ref *op;
	unsigned int i, n = 0;
	int idx[XMP_RING_PAGES_LIMIT];

	op = kcalloc(nr, sizeof(*op), GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < nr; i++) {
		if (m->handles[i] == INVALID_GRANT_HANDLE)
			continue;
		if (pv)
			gnttab_set_unmap_op(&op[n], m->host_addr[i],
					    GNTMAP_host_map |
					    GNTMAP_contains_pte,
					    m->handles[i]);
		else
			gnttab_set_unmap_op(&op[n], (unsigned long)
					    pfn_to_kaddr(page_to_xen_pfn(m->pages[i])),
					    GNTMAP_host_map, m->handles[i]);
		idx[n++] = i;
	}
	if (!n)
		goto out;

	if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, op, n)) {
		dev_err(&dev->dev,
			"ring unmap: GNTTABOP_unmap_grant_ref failed; leaking %u ring pages\n",
			n);
		m->leaked = true;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (op[i].status == GNTST_okay) {
			m->handles[idx[i]] = INVALID_GRANT_HANDLE;
			continue;
		}
		dev_err(&dev->dev,
			"ring unmap: page %d: Xen status %d (%s); leaking the ring area\n",
			idx[i], op[i].status, xmp_gntst_text(op[i].status));
		m->leaked = true;
	}
out:
	kfree(op);
}

static void xmp_ring_map_reset(struct xmp_ring_mapping *m)
{
	unsigned int i;

	m->vaddr = NULL;
	m->nr = 0;
	m->dummy = NULL;
	for (i = 0; i < XMP_RING_PAGES_LIMIT; i++) {
		m->pages[i] = NULL;
		m->handles[i] = INVALID_GRANT_HANDLE;
	}
}

#ifdef CONFIG_XEN_PV
static void xmp_flush_tlb_local(void *unused)
{
	__flush_tlb_all();
}

/* Find the machine address of the PTE of every page of the area. */
static int xmp_ring_find_ptes(struct xmp_ring_mapping *m)
{
	unsigned int i, level;
	pte_t *pte;

	for (i = 0; i < m->nr; i++) {
		pte = lookup_address((unsigned long)m->vaddr + i * PAGE_SIZE,
				     &level);
		if (!pte || level != PG_LEVEL_4K)
			return -EFAULT;
		m->host_addr[i] = arbitrary_virt_to_machine(pte).maddr;
	}
	return 0;
}

static int xmp_ring_area_pv(struct xmp_ring_mapping *m)
{
	struct page **pages;
	unsigned int i;
	int err;

	m->dummy = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!m->dummy)
		return -ENOMEM;
	pages = kcalloc(m->nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		goto nomem;
	for (i = 0; i < m->nr; i++)
		pages[i] = m->dummy;
	m->vaddr = vmap(pages, m->nr, VM_MAP, PAGE_KERNEL);
	kfree(pages);
	if (!m->vaddr)
		goto nomem;
	err = xmp_ring_find_ptes(m);
	if (err) {
		vunmap(m->vaddr);
		m->vaddr = NULL;
		__free_page(m->dummy);
		m->dummy = NULL;
	}
	return err;
nomem:
	__free_page(m->dummy);
	m->dummy = NULL;
	return -ENOMEM;
}
#else
static int xmp_ring_area_pv(struct xmp_ring_mapping *m)
{
	return -EOPNOTSUPP;
}
#endif

static int xmp_ring_area_hvm(struct xmp_ring_mapping *m)
{
	return xen_alloc_unpopulated_pages(m->nr, m->pages);
}

/* Give back the area (after every grant of it has been unmapped). */
static void xmp_ring_area_free(struct xmp_ring_mapping *m, bool pv)
{
	if (pv) {
		vunmap(m->vaddr);
		__free_page(m->dummy);
	} else {
		if (m->vaddr)
			vunmap(m->vaddr);
		xen_free_unpopulated_pages(m->nr, m->pages);
	}
}

int xmp_ring_map(struct xenbus_device *dev, const grant_ref_t *grefs,
		 unsigned int nr, struct xmp_ring_mapping *m, void **vaddr)
{
	struct gnttab_map_grant_ref *op;
	bool pv = xmp_ring_map_pv();
	unsigned int i;
	int err;

	if (!nr || nr > XMP_RING_PAGES_LIMIT) {
		xenbus_dev_fatal(dev, -EINVAL, "ring of %u pages: at most %u",
				 nr, (unsigned int)XMP_RING_PAGES_LIMIT);
		return -EINVAL;
	}

	xmp_ring_map_reset(m);
	m->leaked = false;
	m->nr = nr;
	op = kcalloc(nr, sizeof(*op), GFP_KERNEL);
	if (!op) {
		err = -ENOMEM;
		goto fail_nomem;
	}

	err = pv ? xmp_ring_area_pv(m) : xmp_ring_area_hvm(m);
	if (err)
		goto fail_area;

	for (i = 0; i < nr; i++) {
		if (pv)
			gnttab_set_map_op(&op[i], m->host_addr[i],
					  GNTMAP_host_map | GNTMAP_contains_pte,
					  grefs[i], dev->otherend_id);
		else
			gnttab_set_map_op(&op[i], (unsigned long)
					  pfn_to_kaddr(page_to_xen_pfn(m->pages[i])),
					  GNTMAP_host_map, grefs[i],
					  dev->otherend_id);
	}
	/* Retries GNTST_eagain (paged-out frames) itself. */
	gnttab_batch_map(op, nr);

	err = 0;
	for (i = 0; i < nr; i++) {
		if (op[i].status == GNTST_okay) {
			m->handles[i] = op[i].handle;
			continue;
		}
		if (!err)
			xenbus_dev_fatal(dev, -ENOENT,
					 "mapping ring page %u (grant reference %u): Xen status %d (%s)",
					 i, grefs[i], op[i].status,
					 xmp_gntst_text(op[i].status));
		err = -ENOENT;
	}
	if (err) {
		xmp_ring_unmap_grants(dev, m, nr, pv);
		if (!m->leaked)
			xmp_ring_area_free(m, pv);
		xmp_ring_map_reset(m);
		kfree(op);
		return err;
	}

	if (pv) {
#ifdef CONFIG_XEN_PV
		/*
		 * The placeholder PTEs were present: make sure no CPU keeps a
		 * translation of them cached now that Xen replaced them.
		 */
		on_each_cpu(xmp_flush_tlb_local, NULL, 1);
#endif
	} else {
		m->vaddr = vmap(m->pages, nr, VM_MAP | VM_IOREMAP, PAGE_KERNEL);
		if (!m->vaddr) {
			xenbus_dev_fatal(dev, -ENOMEM, "mapping a %u-page ring",
					 nr);
			xmp_ring_unmap_grants(dev, m, nr, pv);
			if (!m->leaked)
				xmp_ring_area_free(m, pv);
			xmp_ring_map_reset(m);
			kfree(op);
			return -ENOMEM;
		}
	}
	kfree(op);
	*vaddr = m->vaddr;
	return 0;

fail_area:
	kfree(op);
fail_nomem:
	xenbus_dev_fatal(dev, err, "allocating the area of a %u-page ring", nr);
	xmp_ring_map_reset(m);
	return err;
}

void xmp_ring_unmap(struct xenbus_device *dev, struct xmp_ring_mapping *m)
{
	bool pv = xmp_ring_map_pv();

	if (!m->nr || m->leaked)
		return;
	xmp_ring_unmap_grants(dev, m, m->nr, pv);
	if (m->leaked)
		return;
	xmp_ring_area_free(m, pv);
	xmp_ring_map_reset(m);
}
