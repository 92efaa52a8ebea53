/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * vscsiif request validation (backend) and response validation (frontend).
 *
 * Wire constants are those of Xen's public io/vscsiif.h; the kernel glue
 * checks with BUILD_BUG_ON that they equal the kernel's VSCSIIF_* values.
 * The backend copies each request out of the shared ring exactly once and
 * asks these functions about its private copy before anything reaches a
 * device; the frontend does the same with each response.
 */
#ifndef XMP_VSCSI_CHECK_H
#define XMP_VSCSI_CHECK_H

#include "xmp_types.h"

#define XMP_VSCSIIF_ACT_SCSI_CDB	1
#define XMP_VSCSIIF_ACT_SCSI_ABORT	2
#define XMP_VSCSIIF_ACT_SCSI_RESET	3
#define XMP_VSCSIIF_ACT_SCSI_SG_PRESET	4	/* deprecated, refused */

#define XMP_VSCSIIF_SG_TABLESIZE	26U
#define XMP_VSCSIIF_MAX_COMMAND_SIZE	16U
#define XMP_VSCSIIF_SENSE_BUFFERSIZE	96U
#define XMP_VSCSIIF_PAGE_SIZE		4096U
#define XMP_VSCSIIF_SG_GRANT		0x80U
/* sizeof(struct scsiif_request_segment): gref u32, offset u16, length u16 */
#define XMP_VSCSIIF_SEG_SIZE		8U
#define XMP_VSCSIIF_SEGS_PER_PAGE	(XMP_VSCSIIF_PAGE_SIZE / XMP_VSCSIIF_SEG_SIZE)

/* sc_data_direction on the ring (Linux enum dma_data_direction). */
#define XMP_VSCSI_DIR_BIDIRECTIONAL	0	/* refused */
#define XMP_VSCSI_DIR_TO_DEVICE		1
#define XMP_VSCSI_DIR_FROM_DEVICE	2
#define XMP_VSCSI_DIR_NONE		3

/* Host byte of vscsiif_response.rslt (XEN_VSCSIIF_RSLT_HOST_*). */
#define XMP_VSCSI_HOST_OK		0
#define XMP_VSCSI_HOST_NO_CONNECT	1
#define XMP_VSCSI_HOST_BAD_TARGET	4
#define XMP_VSCSI_HOST_ABORT		5
#define XMP_VSCSI_HOST_ERROR		7
#define XMP_VSCSI_HOST_MAX		20	/* TRANSPORT_MARGINAL */
#define XMP_VSCSI_RSLT_HOST(r)		(((u32)(r) >> 16) & 0xffU)
#define XMP_VSCSI_RSLT(host, status)	((int)(((u32)(host) << 16) | \
						   ((u32)(status) & 0xffU)))
#define XMP_VSCSI_RSLT_RESET_SUCCESS	0x2002
#define XMP_VSCSI_RSLT_RESET_FAILED	0x2003

/* One request, from the backend's private copy of the ring slot. */
struct xmp_vscsireq {
	u8 act;
	u8 cmd_len;
	u8 cdb0;		/* cmnd[0]: the opcode */
	u8 dir;		/* sc_data_direction */
	u8 nr_segments;	/* as on the ring, with XMP_VSCSIIF_SG_GRANT */
};

/*
 * Check the request header. For ACT_SCSI_CDB: 1 <= cmd_len <= 16 and at
 * least the length the opcode's group defines (6, 10, 12 or 16 bytes;
 * groups 3, 6 and 7 only need the opcode); direction TO_DEVICE,
 * FROM_DEVICE or NONE, NONE with no segment; direct segments at most
 * VSCSIIF_SG_TABLESIZE; with SG_GRANT 1..VSCSIIF_SG_TABLESIZE indirect
 * pages and @max_sg_grant != 0 (what the backend advertised in
 * feature-sg-grant). ABORT and RESET carry no segment.
 * Returns 0 or -EINVAL / -EOPNOTSUPP (unknown act) with a static reason.
 */
int xmp_vscsireq_check(const struct xmp_vscsireq *req, u32 max_sg_grant,
		       const char **why);

/* Number of seg[] entries the request uses (direct or indirect pages). */
unsigned int xmp_vscsireq_ring_segs(const struct xmp_vscsireq *req);

/*
 * Check one data segment: 1 <= length, offset + length <= 4096. Adds the
 * length to *@bytes. Returns 0 or -EINVAL with *@why.
 */
int xmp_vscsiseg_check(u16 offset, u16 length, u64 *bytes,
		       const char **why);

/*
 * Check one indirect page descriptor (a seg[] entry of an SG_GRANT
 * request): offset and length multiples of the segment size, length
 * non-zero, within the page. Adds the number of data segments it holds
 * to *@nr_segs and checks the total against @max_sg_grant.
 * Returns 0 or -EINVAL with *@why.
 */
int xmp_vscsiind_check(u16 offset, u16 length,
		       u32 max_sg_grant, u32 *nr_segs,
		       const char **why);

/* Frontend: per-rqid bookkeeping of what was issued on the ring. */
struct xmp_vscsi_id {
	bool busy;
	u8 act;
};

/* One response, from the frontend's private copy of the ring slot. */
struct xmp_vscsirsp {
	u16 rqid;
	u8 sense_len;
	int rslt;
	u32 residual_len;
};

/*
 * Check a response: rqid < @nr_ids and busy; for a CDB: sense_len <= 96
 * and a host byte Linux knows (<= XMP_VSCSI_HOST_MAX). ABORT and RESET
 * answers carry RESET_SUCCESS or anything else for "failed".
 * Returns 0 or -EIO with *@why; the frontend then stops trusting the
 * backend.
 */
int xmp_vscsirsp_check(const struct xmp_vscsirsp *rsp,
		       const struct xmp_vscsi_id *ids, unsigned int nr_ids,
		       const char **why);

/*
 * The residual to report for a request of @xfer_len bytes: the backend's
 * residual_len, clamped to @xfer_len (a target core overflow residual can
 * exceed the buffer; the in-tree frontend passes it on unchecked).
 */
u32 xmp_vscsi_resid(u32 residual_len, u32 xfer_len);

/* "cdb", "abort", "reset", "sg-preset" or "unknown". */
const char *xmp_vscsi_act_name(unsigned int act);

#endif /* XMP_VSCSI_CHECK_H */
