/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * pvSCSI device addresses as the toolstack writes them to xenstore.
 *
 * Spec: shared/seeds/vscsiif-xenstore-layout.patch.txt and Xen's public
 * io/vscsiif.h:
 *   p-dev  "host:channel:target:lun" (a SCSI device of the backend domain)
 *          or "naa.<wwn>:<lun>" (a LUN of the kernel's target core)
 *   v-dev  "host:channel:target:lun" as the frontend shows the device
 *   vscsi-devs/dev-<n>  one directory per device
 * Every string comes from xenstore and is untrusted: the parsers accept
 * exactly the documented forms and say why anything else is refused.
 */
#ifndef XMP_VSCSI_ADDR_H
#define XMP_VSCSI_ADDR_H

#include "xmp_types.h"

/* A 4-tuple h:c:t:l, every field a decimal u32. */
struct xmp_vscsi_hctl {
	u32 hst;
	u32 chn;
	u32 tgt;
	u32 lun;
};

/* The ring carries channel, id and lun as 16-bit values (vscsiif.h). */
#define XMP_VSCSI_VDEV_FIELD_MAX	0xffffU

/* Longest naa WWN: NAA IEEE Registered Extended, 32 hex digits. */
#define XMP_VSCSI_WWN_MAX		32U
/* Longest p-dev/v-dev string accepted (in-tree VSCSI_NAMELEN is 32). */
#define XMP_VSCSI_NAME_MAX		64U

enum xmp_vscsi_pdev_kind {
	XMP_VSCSI_PDEV_HCTL = 1,	/* a SCSI device of the backend domain */
	XMP_VSCSI_PDEV_NAA = 2,		/* a LUN of a target core naa. port */
};

struct xmp_vscsi_pdev {
	enum xmp_vscsi_pdev_kind kind;
	struct xmp_vscsi_hctl hctl;		/* for XMP_VSCSI_PDEV_HCTL */
	char wwn[XMP_VSCSI_WWN_MAX + 5];	/* "naa.<hex>", NUL-terminated */
	u32 lun;				/* for XMP_VSCSI_PDEV_NAA */
};

/*
 * Parse "h:c:t:l": four decimal u32 (no sign, no blanks, no leading '+',
 * no empty field, nothing after the last one). Returns 0, or -EINVAL /
 * -ERANGE with a static reason in *@why.
 */
int xmp_vscsi_parse_hctl(const char *s, struct xmp_vscsi_hctl *hctl,
			 const char **why);

/*
 * Parse a v-dev: an h:c:t:l whose channel, target and lun fit the ring's
 * 16-bit fields. Returns 0 or -EINVAL / -ERANGE with *@why.
 */
int xmp_vscsi_parse_vdev(const char *s, struct xmp_vscsi_hctl *hctl,
			 const char **why);

/*
 * Parse a p-dev: "h:c:t:l" or "naa.<16 or 32 hex digits>:<decimal lun>".
 * Returns 0 or -EINVAL / -ERANGE with *@why.
 */
int xmp_vscsi_parse_pdev(const char *s, struct xmp_vscsi_pdev *pdev,
			 const char **why);

/*
 * Parse a vscsi-devs entry name "dev-<n>" (decimal, no leading zero
 * unless n is 0). Returns 0 or -EINVAL with *@why.
 */
int xmp_vscsi_parse_devname(const char *s, u32 *n, const char **why);

#endif /* XMP_VSCSI_ADDR_H */
