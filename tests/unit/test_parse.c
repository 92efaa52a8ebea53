// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * xmp_parse_u32, xmp_parse_scheme, xmp_scheme_name
 * (include/xen-mpring/ring_negotiate.h).
 */
#include "xmp_test.h"
#include <xen-mpring/ring_negotiate.h>

#define UNSET	0xdeadbeefU

struct u32_case {
	const char *name;
	const char *in;
	int rc;
	u32 val;	/* when rc == 0 */
};

static const struct u32_case u32_cases[] = {
	{ "u32 zero", "0", 0, 0 },
	{ "u32 one digit", "7", 0, 7 },
	{ "u32 two digits", "42", 0, 42 },
	{ "u32 leading zeros", "007", 0, 7 },
	{ "u32 max 4294967295", "4294967295", 0, 4294967295U },
	{ "u32 max minus one", "4294967294", 0, 4294967294U },
	{ "u32 4294967296 ERANGE", "4294967296", -ERANGE, 0 },
	{ "u32 4294967300 ERANGE", "4294967300", -ERANGE, 0 },
	{ "u32 2^64 ERANGE", "18446744073709551616", -ERANGE, 0 },
	{ "u32 40 digits ERANGE", "9999999999999999999999999999999999999999",
	  -ERANGE, 0 },
	{ "u32 empty", "", -EINVAL, 0 },
	{ "u32 NULL", NULL, -EINVAL, 0 },
	{ "u32 minus", "-1", -EINVAL, 0 },
	{ "u32 minus zero", "-0", -EINVAL, 0 },
	{ "u32 plus", "+1", -EINVAL, 0 },
	{ "u32 leading blank", " 1", -EINVAL, 0 },
	{ "u32 trailing blank", "1 ", -EINVAL, 0 },
	{ "u32 max with trailing blank", "4294967295 ", -EINVAL, 0 },
	{ "u32 leading tab", "\t1", -EINVAL, 0 },
	{ "u32 trailing newline", "1\n", -EINVAL, 0 },
	{ "u32 blank only", " ", -EINVAL, 0 },
	{ "u32 hex 0x10", "0x10", -EINVAL, 0 },
	{ "u32 hex digits", "ff", -EINVAL, 0 },
	{ "u32 trailing letter", "1a", -EINVAL, 0 },
	{ "u32 word", "abc", -EINVAL, 0 },
	{ "u32 decimal point", "1.0", -EINVAL, 0 },
	{ "u32 exponent", "1e3", -EINVAL, 0 },
	{ "u32 inner blank", "1 2", -EINVAL, 0 },
	{ "u32 high byte", "1\xff", -EINVAL, 0 },
};

static void t_u32(void **state)
{
	const struct u32_case *c = XMP_ROW(struct u32_case, state);
	u32 val = UNSET;

	assert_int_equal(xmp_parse_u32(c->in, &val), c->rc);
	if (!c->rc)
		assert_int_equal(val, c->val);
}

struct scheme_case {
	const char *name;
	const char *in;
	int rc;
	unsigned int schemes;	/* when rc == 0 */
};

static const struct scheme_case scheme_cases[] = {
	{ "scheme order", "order", 0, XMP_SCHEME_ORDER },
	{ "scheme pages", "pages", 0, XMP_SCHEME_PAGES },
	{ "scheme both", "both", 0, XMP_SCHEME_BOTH },
	{ "scheme order newline", "order\n", 0, XMP_SCHEME_ORDER },
	{ "scheme pages newline", "pages\n", 0, XMP_SCHEME_PAGES },
	{ "scheme both newline", "both\n", 0, XMP_SCHEME_BOTH },
	{ "scheme empty", "", -EINVAL, 0 },
	{ "scheme NULL", NULL, -EINVAL, 0 },
	{ "scheme newline only", "\n", -EINVAL, 0 },
	{ "scheme two newlines", "order\n\n", -EINVAL, 0 },
	{ "scheme CRLF", "both\r\n", -EINVAL, 0 },
	{ "scheme capital", "Order", -EINVAL, 0 },
	{ "scheme upper case", "BOTH", -EINVAL, 0 },
	{ "scheme prefix", "orde", -EINVAL, 0 },
	{ "scheme longer", "orders", -EINVAL, 0 },
	{ "scheme leading blank", " order", -EINVAL, 0 },
	{ "scheme trailing blank", "order ", -EINVAL, 0 },
	{ "scheme number", "1", -EINVAL, 0 },
	{ "scheme none", "none", -EINVAL, 0 },
	{ "scheme two words", "order\npages", -EINVAL, 0 },
};

static void t_scheme(void **state)
{
	const struct scheme_case *c = XMP_ROW(struct scheme_case, state);
	unsigned int schemes = UNSET;

	assert_int_equal(xmp_parse_scheme(c->in, &schemes), c->rc);
	if (!c->rc)
		assert_int_equal(schemes, c->schemes);
}

struct name_case {
	const char *name;
	unsigned int schemes;
	const char *out;
};

static const struct name_case name_cases[] = {
	{ "scheme_name 0", 0, NULL },
	{ "scheme_name order", XMP_SCHEME_ORDER, "order" },
	{ "scheme_name pages", XMP_SCHEME_PAGES, "pages" },
	{ "scheme_name both", XMP_SCHEME_BOTH, "both" },
	{ "scheme_name 4", 4, NULL },
	{ "scheme_name 5", 5, NULL },
	{ "scheme_name 7", 7, NULL },
	{ "scheme_name 0x80000001", 0x80000001U, NULL },
	{ "scheme_name UINT_MAX", 0xffffffffU, NULL },
};

static void t_name(void **state)
{
	const struct name_case *c = XMP_ROW(struct name_case, state);

	xmp_assert_str(xmp_scheme_name(c->schemes), c->out);
}

int main(void)
{
	XMP_ADD_TABLE(t_u32, u32_cases);
	XMP_ADD_TABLE(t_scheme, scheme_cases);
	XMP_ADD_TABLE(t_name, name_cases);
	return XMP_RUN("parse");
}
