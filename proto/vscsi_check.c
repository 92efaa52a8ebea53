// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * vscsiif request and response validation.
 * API: include/xen-mpring/vscsi_check.h.
 */
#include <xen-mpring/vscsi_check.h>

/*
 * CDB length by opcode group (SPC: bits 7..5 of the opcode). 0 means the
 * group has no fixed length (reserved or vendor specific): the opcode
 * byte is all that is required.
 */
static const u8 xmp_vscsi_group_len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

int xmp_vscsireq_check(const struct xmp_vscsireq *req, u32 max_sg_grant,
		       const char **why)
{
	unsigned int nr = req->nr_segments & ~XMP_VSCSIIF_SG_GRANT;
	bool grant = req->nr_segments & XMP_VSCSIIF_SG_GRANT;
	unsigned int need;

	switch (req->act) {
	case XMP_VSCSIIF_ACT_SCSI_CDB:
		break;
	case XMP_VSCSIIF_ACT_SCSI_ABORT:
	case XMP_VSCSIIF_ACT_SCSI_RESET:
		if (req->nr_segments) {
			*why = "abort/reset request with segments";
			return -EINVAL;
		}
		return 0;
	case XMP_VSCSIIF_ACT_SCSI_SG_PRESET:
		*why = "deprecated SG_PRESET request";
		return -EOPNOTSUPP;
	default:
		*why = "unknown request act";
		return -EOPNOTSUPP;
	}

	if (req->cmd_len == 0 || req->cmd_len > XMP_VSCSIIF_MAX_COMMAND_SIZE) {
		*why = "CDB length not 1..16";
		return -EINVAL;
	}
	need = xmp_vscsi_group_len[req->cdb0 >> 5];
	if (req->cmd_len < need) {
		*why = "CDB shorter than its opcode requires";
		return -EINVAL;
	}

	switch (req->dir) {
	case XMP_VSCSI_DIR_TO_DEVICE:
	case XMP_VSCSI_DIR_FROM_DEVICE:
		break;
	case XMP_VSCSI_DIR_NONE:
		if (req->nr_segments) {
			*why = "data direction none with segments";
			return -EINVAL;
		}
		return 0;
	case XMP_VSCSI_DIR_BIDIRECTIONAL:
		*why = "bidirectional data transfer";
		return -EINVAL;
	default:
		*why = "invalid data direction";
		return -EINVAL;
	}

	if (!grant) {
		if (nr > XMP_VSCSIIF_SG_TABLESIZE) {
			*why = "more than 26 direct segments";
			return -EINVAL;
		}
		return 0;
	}
	if (!max_sg_grant) {
		*why = "indirect segments without feature-sg-grant";
		return -EINVAL;
	}
	if (nr == 0 || nr > XMP_VSCSIIF_SG_TABLESIZE) {
		*why = "indirect page count not 1..26";
		return -EINVAL;
	}
	return 0;
}

unsigned int xmp_vscsireq_ring_segs(const struct xmp_vscsireq *req)
{
	return req->nr_segments & ~XMP_VSCSIIF_SG_GRANT;
}

int xmp_vscsiseg_check(u16 offset, u16 length, u64 *bytes, const char **why)
{
	if (!length) {
		*why = "empty data segment";
		return -EINVAL;
	}
	if ((u32)offset + length > XMP_VSCSIIF_PAGE_SIZE) {
		*why = "data segment crosses its page";
		return -EINVAL;
	}
	*bytes += length;
	return 0;
}

int xmp_vscsiind_check(u16 offset, u16 length, u32 max_sg_grant,
		       u32 *nr_segs, const char **why)
{
	if (!length || length % XMP_VSCSIIF_SEG_SIZE ||
	    offset % XMP_VSCSIIF_SEG_SIZE) {
		*why = "indirect segment list not a whole number of segments";
		return -EINVAL;
	}
	if ((u32)offset + length > XMP_VSCSIIF_PAGE_SIZE) {
		*why = "indirect segment list crosses its page";
		return -EINVAL;
	}
	*nr_segs += length / XMP_VSCSIIF_SEG_SIZE;
	if (*nr_segs > max_sg_grant) {
		*why = "more segments than feature-sg-grant allows";
		return -EINVAL;
	}
	return 0;
}

int xmp_vscsirsp_check(const struct xmp_vscsirsp *rsp,
		       const struct xmp_vscsi_id *ids, unsigned int nr_ids,
		       const char **why)
{
	const struct xmp_vscsi_id *id;

	if (rsp->rqid >= nr_ids) {
		*why = "response id out of range";
		return -EIO;
	}
	id = &ids[rsp->rqid];
	if (!id->busy) {
		*why = "response for an id not in flight";
		return -EIO;
	}
	if (id->act != XMP_VSCSIIF_ACT_SCSI_CDB)
		return 0;
	if (rsp->sense_len > XMP_VSCSIIF_SENSE_BUFFERSIZE) {
		*why = "sense data longer than 96 bytes";
		return -EIO;
	}
	if (XMP_VSCSI_RSLT_HOST(rsp->rslt) > XMP_VSCSI_HOST_MAX) {
		*why = "unknown host byte in the result";
		return -EIO;
	}
	return 0;
}

u32 xmp_vscsi_resid(u32 residual_len, u32 xfer_len)
{
	return residual_len < xfer_len ? residual_len : xfer_len;
}

static const char * const xmp_vscsi_act_names[] = {
	[XMP_VSCSIIF_ACT_SCSI_CDB] = "cdb",
	[XMP_VSCSIIF_ACT_SCSI_ABORT] = "abort",
	[XMP_VSCSIIF_ACT_SCSI_RESET] = "reset",
	[XMP_VSCSIIF_ACT_SCSI_SG_PRESET] = "sg-preset",
};

const char *xmp_vscsi_act_name(unsigned int act)
{
	if (act < ARRAY_SIZE(xmp_vscsi_act_names) && xmp_vscsi_act_names[act])
		return xmp_vscsi_act_names[act];
	return "unknown";
}
