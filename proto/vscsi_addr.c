// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * pvSCSI device addresses: h:c:t:l, naa.<wwn>:<lun>, dev-<n>.
 * API: include/xen-mpring/vscsi_addr.h.
 */
#include <xen-mpring/vscsi_addr.h>

/*
 * Parse one decimal u32 field of @s ending at @end (a delimiter or NUL).
 * Digits only, at least one. Returns the character after the field.
 */
static const char *xmp_vscsi_field(const char *s, char end, u32 *val,
				   int *err)
{
	u64 v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (u64)(*p - '0');
		if (v > 0xffffffffULL) {
			*err = -ERANGE;
			return NULL;
		}
	}
	if (p == s || *p != end) {
		*err = -EINVAL;
		return NULL;
	}
	*val = (u32)v;
	*err = 0;
	return end ? p + 1 : p;
}

static const char xmp_vscsi_hctl_range[] =
	"a field of host:channel:target:lun exceeds 4294967295";
static const char xmp_vscsi_hctl_form[] =
	"not host:channel:target:lun (four decimal numbers separated by ':')";

int xmp_vscsi_parse_hctl(const char *s, struct xmp_vscsi_hctl *hctl,
			 const char **why)
{
	u32 v[4];
	unsigned int i;
	int err = -EINVAL;

	if (!s || !*s) {
		*why = "empty, expected host:channel:target:lun";
		return -EINVAL;
	}
	if (strlen(s) > XMP_VSCSI_NAME_MAX) {
		*why = "too long for host:channel:target:lun";
		return -EINVAL;
	}
	for (i = 0; i < 4; i++) {
		s = xmp_vscsi_field(s, i < 3 ? ':' : '\0', &v[i], &err);
		if (!s) {
			*why = err == -ERANGE ? xmp_vscsi_hctl_range :
				xmp_vscsi_hctl_form;
			return err;
		}
	}
	hctl->hst = v[0];
	hctl->chn = v[1];
	hctl->tgt = v[2];
	hctl->lun = v[3];
	return 0;
}

int xmp_vscsi_parse_vdev(const char *s, struct xmp_vscsi_hctl *hctl,
			 const char **why)
{
	struct xmp_vscsi_hctl h;
	int err = xmp_vscsi_parse_hctl(s, &h, why);

	if (err)
		return err;
	if (h.chn > XMP_VSCSI_VDEV_FIELD_MAX ||
	    h.tgt > XMP_VSCSI_VDEV_FIELD_MAX ||
	    h.lun > XMP_VSCSI_VDEV_FIELD_MAX) {
		*why = "v-dev channel, target and lun must be at most 65535";
		return -ERANGE;
	}
	*hctl = h;
	return 0;
}

static bool xmp_vscsi_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

int xmp_vscsi_parse_pdev(const char *s, struct xmp_vscsi_pdev *pdev,
			 const char **why)
{
	size_t n;
	int err;

	if (!s || !*s) {
		*why = "empty p-dev";
		return -EINVAL;
	}
	if (strncmp(s, "naa.", 4)) {
		err = xmp_vscsi_parse_hctl(s, &pdev->hctl, why);
		if (!err)
			pdev->kind = XMP_VSCSI_PDEV_HCTL;
		return err;
	}
	for (n = 0; xmp_vscsi_is_hex(s[4 + n]); n++)
		if (n >= XMP_VSCSI_WWN_MAX)
			break;
	if ((n != 16 && n != 32) || s[4 + n] != ':') {
		*why = "not naa.<wwn>:<lun> (16 or 32 hex digits, ':', a decimal lun)";
		return -EINVAL;
	}
	if (!xmp_vscsi_field(s + 4 + n + 1, '\0', &pdev->lun, &err)) {
		*why = err == -ERANGE ? "naa lun exceeds 4294967295" :
			"not naa.<wwn>:<lun> (the lun must be a decimal number)";
		return err;
	}
	memcpy(pdev->wwn, s, 4 + n);
	pdev->wwn[4 + n] = '\0';
	pdev->kind = XMP_VSCSI_PDEV_NAA;
	return 0;
}

int xmp_vscsi_parse_devname(const char *s, u32 *n, const char **why)
{
	int err;

	if (!s || strncmp(s, "dev-", 4) || (s[4] == '0' && s[5])) {
		*why = "not dev-<n>";
		return -EINVAL;
	}
	if (!xmp_vscsi_field(s + 4, '\0', n, &err)) {
		*why = "not dev-<n> (n a decimal number below 2^32)";
		return -EINVAL;
	}
	return 0;
}
