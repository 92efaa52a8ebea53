// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * XenBus state tables (xenbus_fsm.h), cell by cell: xmp_back_on_frontend,
 * xmp_front_on_backend, out-of-range states, xmp_xb_state_name.
 *
 * The expected tables below are written from the rules in the header
 * comments (by peer state) and the seed's state diagram, not copied from
 * proto/xenbus_fsm.c.
 */
#include "xmp_test.h"
#include <xen-mpring/xenbus_fsm.h>

#define NS	9	/* Unknown .. Reconfigured */

#define N	XMP_ACT_NONE
#define F	XMP_ACT_FATAL
#define RP	XMP_ACT_REPUBLISH
#define CL	XMP_ACT_CLOSING
/* backend: (re)connect; the frontend went away */
#define BC	(XMP_ACT_DISCONNECT | XMP_ACT_CONNECT_RING | XMP_ACT_CONNECT)
#define BG	(XMP_ACT_DISCONNECT | XMP_ACT_CLOSED | XMP_ACT_UNREGISTER)
/* frontend */
#define S	XMP_ACT_SETUP
#define SD	XMP_ACT_SETUP_DEFAULT
#define SDC	(XMP_ACT_SETUP_DEFAULT | XMP_ACT_CONNECT)
#define C	XMP_ACT_CONNECT

/*
 * Backend: [own][frontend's state]. Columns: Unknown, Initialising,
 * InitWait, Initialised, Connected, Closing, Closed, Reconfiguring,
 * Reconfigured.
 */
static const unsigned int want_back[NS][NS] = {
	/* own Unknown */	{ BG, N,  F, BC, BC, CL, BG, F, F },
	/* own Initialising */	{ BG, N,  F, BC, BC, CL, BG, F, F },
	/* own InitWait */	{ BG, N,  F, BC, BC, CL, BG, F, F },
	/* own Initialised */	{ BG, N,  F, BC, BC, CL, BG, F, F },
	/* own Connected */	{ BG, N,  F, N,  N,  CL, BG, F, F },
	/* own Closing */	{ BG, N,  F, BC, BC, CL, BG, F, F },
	/* own Closed */	{ BG, RP, F, BC, BC, CL, BG, F, F },
	/* own Reconfiguring */	{ BG, N,  F, BC, BC, CL, BG, F, F },
	/* own Reconfigured */	{ BG, N,  F, BC, BC, CL, BG, F, F },
};

/* Frontend: [own][backend's state], same columns. */
static const unsigned int want_front[NS][NS] = {
	/* own Unknown */	{ N, N, S, SD, SDC, CL, CL, N, N },
	/* own Initialising */	{ N, N, S, SD, SDC, CL, CL, N, N },
	/* own InitWait */	{ N, N, N, N,  N,   CL, CL, N, N },
	/* own Initialised */	{ N, N, N, N,  C,   CL, CL, N, N },
	/* own Connected */	{ N, N, N, N,  C,   CL, CL, N, N },
	/* own Closing */	{ N, N, N, N,  N,   N,  N,  N, N },
	/* own Closed */	{ N, N, S, SD, SDC, N,  N,  N, N },
	/* own Reconfiguring */	{ N, N, N, N,  C,   CL, CL, N, N },
	/* own Reconfigured */	{ N, N, N, N,  C,   CL, CL, N, N },
};

static const char *const sname[NS] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

struct cell {
	const char *name;
	bool back;
	unsigned int own, peer, want;
	char buf[64];
};

static struct cell cells[2][NS][NS];

static void t_cell(void **state)
{
	const struct cell *c = XMP_ROW(struct cell, state);
	unsigned int got = c->back ? xmp_back_on_frontend(c->own, c->peer) :
				     xmp_front_on_backend(c->own, c->peer);

	if (got != c->want)
		fail_msg("actions %#x, want %#x", got, c->want);
}

static void add_cells(bool back, const unsigned int want[NS][NS])
{
	unsigned int own, peer;

	for (own = 0; own < NS; own++) {
		for (peer = 0; peer < NS; peer++) {
			struct cell *c = &cells[back][own][peer];

			snprintf(c->buf, sizeof(c->buf), "%s own %s, peer %s",
				 back ? "back" : "front", sname[own],
				 sname[peer]);
			c->name = c->buf;
			c->back = back;
			c->own = own;
			c->peer = peer;
			c->want = want[own][peer];
			xmp_add_rows(t_cell, c, sizeof(*c), 1);
		}
	}
}

/* ------------------------------------------------------------------ */

struct range_case {
	const char *name;
	unsigned int own, peer;
};

static const struct range_case range_cases[] = {
	{ "range own 9", 9, XMP_XB_CONNECTED },
	{ "range peer 9", XMP_XB_CONNECTED, 9 },
	{ "range own 255", 255, XMP_XB_INITIALISING },
	{ "range peer 255", XMP_XB_INITIALISING, 255 },
	{ "range both 9", 9, 9 },
	{ "range own UINT_MAX", 0xffffffffU, XMP_XB_CLOSED },
	{ "range peer UINT_MAX", XMP_XB_CLOSED, 0xffffffffU },
	{ "range peer 9, own Unknown", XMP_XB_UNKNOWN, 9 },
};

static void t_range(void **state)
{
	const struct range_case *c = XMP_ROW(struct range_case, state);

	assert_int_equal(xmp_back_on_frontend(c->own, c->peer), F);
	assert_int_equal(xmp_front_on_backend(c->own, c->peer), F);
}

struct name_case {
	const char *name;
	unsigned int state;
	const char *out;
};

static const struct name_case name_cases[] = {
	{ "state_name 0", 0, "Unknown" },
	{ "state_name 1", 1, "Initialising" },
	{ "state_name 2", 2, "InitWait" },
	{ "state_name 3", 3, "Initialised" },
	{ "state_name 4", 4, "Connected" },
	{ "state_name 5", 5, "Closing" },
	{ "state_name 6", 6, "Closed" },
	{ "state_name 7", 7, "Reconfiguring" },
	{ "state_name 8", 8, "Reconfigured" },
	{ "state_name 9", 9, "invalid" },
	{ "state_name 255", 255, "invalid" },
	{ "state_name UINT_MAX", 0xffffffffU, "invalid" },
};

static void t_name(void **state)
{
	const struct name_case *c = XMP_ROW(struct name_case, state);

	xmp_assert_str(xmp_xb_state_name(c->state), c->out);
}

int main(void)
{
	add_cells(true, want_back);
	add_cells(false, want_front);
	XMP_ADD_TABLE(t_range, range_cases);
	XMP_ADD_TABLE(t_name, name_cases);
	return XMP_RUN("fsm");
}
