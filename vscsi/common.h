/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What xen-scsifront and xen-scsiback share: the wire format checks, the
 * ring geometry and the xenstore node names of the pvSCSI protocol.
 *
 * Spec: Xen's public io/vscsiif.h, shared/seeds/vscsiif-xenstore-layout
 * (node for node) and, for the multi-page ring, the blkif nodes of
 * shared/seeds/blkif-multipage-rings (max-ring-page-order,
 * ring-page-order, ring-ref0..N-1).
 */
#ifndef XMP_VSCSI_COMMON_H
#define XMP_VSCSI_COMMON_H

#include <linux/build_bug.h>
#include <scsi/scsi.h>
#include <xen/interface/io/ring.h>
#include <xen/interface/io/vscsiif.h>
#include <xen/page.h>
#include <xen/xenbus.h>

#include <xen-mpring/ring_negotiate.h>
#include <xen-mpring/vscsi_addr.h>
#include <xen-mpring/vscsi_check.h>
#include <xen-mpring/vscsi_fsm.h>

/* Requests a ring of 2^order 4 KiB pages holds (16 per page). */
#define VSCSI_RING_SIZE(order) \
	__CONST_RING_SIZE(vscsiif, XEN_PAGE_SIZE << (order))

/* The devices directory and the per-device nodes (seed layout). */
#define VSCSI_DEVS_DIR		"vscsi-devs"
#define VSCSI_PATH_MAX		64	/* "vscsi-devs/dev-4294967295/p-devname" */

/* The core's state values are enum xenbus_state's (xenbus_fsm.h). */
static inline int vscsi_switch_state(struct xenbus_device *dev,
				     enum xmp_xb_state state)
{
	return xenbus_switch_state(dev, (enum xenbus_state)state);
}

/* The protocol core's wire constants are the kernel's. */
static inline void vscsi_check_wire_constants(void)
{
	BUILD_BUG_ON(XMP_VSCSIIF_ACT_SCSI_CDB != VSCSIIF_ACT_SCSI_CDB);
	BUILD_BUG_ON(XMP_VSCSIIF_ACT_SCSI_ABORT != VSCSIIF_ACT_SCSI_ABORT);
	BUILD_BUG_ON(XMP_VSCSIIF_ACT_SCSI_RESET != VSCSIIF_ACT_SCSI_RESET);
	BUILD_BUG_ON(XMP_VSCSIIF_ACT_SCSI_SG_PRESET !=
		     VSCSIIF_ACT_SCSI_SG_PRESET);
	BUILD_BUG_ON(XMP_VSCSIIF_SG_TABLESIZE != VSCSIIF_SG_TABLESIZE);
	BUILD_BUG_ON(XMP_VSCSIIF_MAX_COMMAND_SIZE != VSCSIIF_MAX_COMMAND_SIZE);
	BUILD_BUG_ON(XMP_VSCSIIF_SENSE_BUFFERSIZE != VSCSIIF_SENSE_BUFFERSIZE);
	BUILD_BUG_ON(XMP_VSCSIIF_PAGE_SIZE != VSCSIIF_PAGE_SIZE);
	BUILD_BUG_ON(XMP_VSCSIIF_SG_GRANT != VSCSIIF_SG_GRANT);
	BUILD_BUG_ON(XMP_VSCSIIF_SEG_SIZE !=
		     sizeof(struct scsiif_request_segment));
	BUILD_BUG_ON(XMP_VSCSI_RSLT_RESET_SUCCESS !=
		     XEN_VSCSIIF_RSLT_RESET_SUCCESS);
	BUILD_BUG_ON(XMP_VSCSI_RSLT_RESET_FAILED !=
		     XEN_VSCSIIF_RSLT_RESET_FAILED);
	BUILD_BUG_ON(XMP_VSCSI_DIR_TO_DEVICE != DMA_TO_DEVICE);
	BUILD_BUG_ON(XMP_VSCSI_DIR_FROM_DEVICE != DMA_FROM_DEVICE);
	BUILD_BUG_ON(XMP_VSCSI_DIR_NONE != DMA_NONE);
	BUILD_BUG_ON(XMP_VSCSI_DIR_BIDIRECTIONAL != DMA_BIDIRECTIONAL);
	/* Linux's host byte values are the wire's (XEN_VSCSIIF_RSLT_HOST_*). */
	BUILD_BUG_ON(DID_OK != XEN_VSCSIIF_RSLT_HOST_OK);
	BUILD_BUG_ON(DID_NO_CONNECT != XEN_VSCSIIF_RSLT_HOST_NO_CONNECT);
	BUILD_BUG_ON(DID_BUS_BUSY != XEN_VSCSIIF_RSLT_HOST_BUS_BUSY);
	BUILD_BUG_ON(DID_TIME_OUT != XEN_VSCSIIF_RSLT_HOST_TIME_OUT);
	BUILD_BUG_ON(DID_BAD_TARGET != XEN_VSCSIIF_RSLT_HOST_BAD_TARGET);
	BUILD_BUG_ON(DID_ABORT != XEN_VSCSIIF_RSLT_HOST_ABORT);
	BUILD_BUG_ON(DID_PARITY != XEN_VSCSIIF_RSLT_HOST_PARITY);
	BUILD_BUG_ON(DID_ERROR != XEN_VSCSIIF_RSLT_HOST_ERROR);
	BUILD_BUG_ON(DID_RESET != XEN_VSCSIIF_RSLT_HOST_RESET);
	BUILD_BUG_ON(DID_BAD_INTR != XEN_VSCSIIF_RSLT_HOST_BAD_INTR);
	BUILD_BUG_ON(DID_PASSTHROUGH != XEN_VSCSIIF_RSLT_HOST_PASSTHROUGH);
	BUILD_BUG_ON(DID_SOFT_ERROR != XEN_VSCSIIF_RSLT_HOST_SOFT_ERROR);
	BUILD_BUG_ON(DID_IMM_RETRY != XEN_VSCSIIF_RSLT_HOST_IMM_RETRY);
	BUILD_BUG_ON(DID_REQUEUE != XEN_VSCSIIF_RSLT_HOST_REQUEUE);
	BUILD_BUG_ON(DID_TRANSPORT_DISRUPTED !=
		     XEN_VSCSIIF_RSLT_HOST_TRANSPORT_DISRUPTED);
	BUILD_BUG_ON(DID_TRANSPORT_FAILFAST !=
		     XEN_VSCSIIF_RSLT_HOST_TRANSPORT_FAILFAST);
	BUILD_BUG_ON(DID_TRANSPORT_MARGINAL !=
		     XEN_VSCSIIF_RSLT_HOST_TRANSPORT_MARGINAL);
	BUILD_BUG_ON(XMP_VSCSI_HOST_MAX != XEN_VSCSIIF_RSLT_HOST_TRANSPORT_MARGINAL);
	BUILD_BUG_ON(PAGE_SIZE != XEN_PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct vscsiif_request) != 252);
	BUILD_BUG_ON(sizeof(struct vscsiif_response) != 252);
}

#endif /* XMP_VSCSI_COMMON_H */
