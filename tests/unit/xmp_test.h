/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Shared glue for the cmocka unit tests of the protocol core.
 *
 * Tests are table-driven: every table row starts with a `const char *name`
 * and becomes one cmocka test case of that name, the row being the test's
 * state. Expected values are written in the rows, never computed by the
 * code under test.
 */
#ifndef XMP_TEST_H
#define XMP_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define XMP_MAX_TESTS	1024

static struct CMUnitTest xmp_tests[XMP_MAX_TESTS];
static size_t xmp_ntests;

/* One test case per row of @rows (each row begins with its name). */
static inline void xmp_add_rows(CMUnitTestFunction fn, const void *rows,
				size_t size, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const void *row = (const char *)rows + i * size;

		if (xmp_ntests == XMP_MAX_TESTS) {
			fprintf(stderr, "too many test cases\n");
			exit(2);
		}
		xmp_tests[xmp_ntests].name = *(const char *const *)row;
		xmp_tests[xmp_ntests].test_func = fn;
		xmp_tests[xmp_ntests].setup_func = NULL;
		xmp_tests[xmp_ntests].teardown_func = NULL;
		xmp_tests[xmp_ntests].initial_state = (void *)row;
		xmp_ntests++;
	}
}

#define XMP_ADD_TABLE(fn, table) \
	xmp_add_rows((fn), (table), sizeof((table)[0]), \
		     sizeof(table) / sizeof((table)[0]))

/* A stand-alone test case, named after its function: XMP_TEST(f) { } */
#define XMP_TEST(fn)							\
	static const char *const xmp_name_##fn = #fn;			\
	static void fn(void **state __attribute__((unused)))
#define XMP_ADD_TEST(fn) \
	xmp_add_rows((fn), &xmp_name_##fn, sizeof(char *), 1)

#define XMP_RUN(group) \
	_cmocka_run_group_tests((group), xmp_tests, xmp_ntests, NULL, NULL)

/* The row this test case runs. */
#define XMP_ROW(type, state) ((const type *)*(state))

/* A string result that may be NULL. */
#define xmp_assert_str(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (!w_)							\
		assert_null(g_);					\
	else {								\
		assert_non_null(g_);					\
		assert_string_equal(g_, w_);				\
	}								\
} while (0)

/* *why must be set, and name what it is about. */
#define xmp_assert_why(why, substr) do {				\
	const char *y_ = (why);						\
	assert_non_null(y_);						\
	if ((substr) && !strstr(y_, (substr)))				\
		fail_msg("reason \"%s\" does not mention \"%s\"",	\
			 y_, (substr));					\
} while (0)

#endif /* XMP_TEST_H */
