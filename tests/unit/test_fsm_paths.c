// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * XenBus scenarios walked through the tables of xenbus_fsm.h: a frontend
 * and a backend that react to each other's state changes as the glue
 * does, from one external event (probe, toolstack, user). Each scenario
 * states the exact trace of reactions and the final states.
 */
#include "xmp_test.h"
#include <xen-mpring/xenbus_fsm.h>

enum { FRONT, BACK };

#define UNK	XMP_XB_UNKNOWN
#define INI	XMP_XB_INITIALISING
#define IW	XMP_XB_INITWAIT
#define ID	XMP_XB_INITIALISED
#define CON	XMP_XB_CONNECTED
#define CLG	XMP_XB_CLOSING
#define CLD	XMP_XB_CLOSED

#define N	XMP_ACT_NONE
#define BC	(XMP_ACT_DISCONNECT | XMP_ACT_CONNECT_RING | XMP_ACT_CONNECT)
#define BG	(XMP_ACT_DISCONNECT | XMP_ACT_CLOSED | XMP_ACT_UNREGISTER)

struct react {
	int side;	/* who reacted */
	unsigned int own, peer, act;
};

struct sim {
	unsigned int st[2];
	bool gone[2];		/* a vanished side reacts to nothing */
	struct react trace[32];
	unsigned int n;
};

/* The state a side enters after performing @act (as the glue does). */
static unsigned int next_state(int side, unsigned int own, unsigned int act)
{
	if (act & XMP_ACT_CLOSED)
		return CLD;
	if (act & XMP_ACT_CLOSING)
		return CLG;
	if (act & XMP_ACT_CONNECT)
		return CON;
	if (side == FRONT && (act & (XMP_ACT_SETUP | XMP_ACT_SETUP_DEFAULT)))
		return ID;
	if (side == BACK && (act & XMP_ACT_REPUBLISH))
		return IW;
	return own;
}

static void sim_write(struct sim *s, int side, unsigned int state);

/* The watch on @side's peer fired: @side reacts. */
static void sim_notify(struct sim *s, int side)
{
	unsigned int own = s->st[side], peer = s->st[!side], act;

	if (s->gone[side])
		return;
	if (s->n == ARRAY_SIZE(s->trace))
		fail_msg("no end in sight after %u reactions", s->n);
	act = side == BACK ? xmp_back_on_frontend(own, peer) :
			     xmp_front_on_backend(own, peer);
	s->trace[s->n++] = (struct react){ side, own, peer, act };
	if (act & XMP_ACT_FATAL)
		return;
	if (next_state(side, own, act) != own)
		sim_write(s, side, next_state(side, own, act));
}

/* @side writes @state to its "state" node: its peer's watch fires. */
static void sim_write(struct sim *s, int side, unsigned int state)
{
	s->st[side] = state;
	sim_notify(s, !side);
}

static void check_trace(const struct sim *s, const struct react *want,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && i < s->n; i++) {
		const struct react *g = &s->trace[i], *w = &want[i];

		if (g->side != w->side || g->own != w->own ||
		    g->peer != w->peer || g->act != w->act)
			fail_msg("step %u: %s own %s peer %s -> %#x, want %s own %s peer %s -> %#x",
				 i, g->side ? "back" : "front",
				 xmp_xb_state_name(g->own),
				 xmp_xb_state_name(g->peer), g->act,
				 w->side ? "back" : "front",
				 xmp_xb_state_name(w->own),
				 xmp_xb_state_name(w->peer), w->act);
	}
	assert_int_equal(s->n, n);
}

#define CHECK(s, ...) do {						\
	const struct react w_[] = { __VA_ARGS__ };			\
	check_trace((s), w_, ARRAY_SIZE(w_));				\
} while (0)

#define R(side, own, peer, act)	{ side, own, peer, act }

/* Probe: the backend publishes its parameters and enters InitWait. */
XMP_TEST(path_normal_connect)
{
	struct sim s = { .st = { INI, INI } };

	sim_write(&s, BACK, IW);
	CHECK(&s,
	      R(FRONT, INI, IW, XMP_ACT_SETUP),
	      R(BACK, IW, ID, BC),
	      R(FRONT, ID, CON, XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[FRONT], CON);
	assert_int_equal(s.st[BACK], CON);
}

/* A frontend that does not wait for InitWait: default parameters. */
XMP_TEST(path_frontend_skips_initwait)
{
	struct sim s = { .st = { INI, INI } };

	sim_write(&s, FRONT, ID);
	CHECK(&s,
	      R(BACK, INI, ID, BC),
	      R(FRONT, ID, CON, XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[FRONT], CON);
	assert_int_equal(s.st[BACK], CON);
}

/* The same, with the backend already in InitWait. */
XMP_TEST(path_frontend_skips_initwait_backend_waiting)
{
	struct sim s = { .st = { INI, IW } };

	sim_write(&s, FRONT, ID);
	CHECK(&s,
	      R(BACK, IW, ID, BC),
	      R(FRONT, ID, CON, XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[BACK], CON);
}

/* A backend that goes to Initialised without InitWait: SETUP_DEFAULT. */
XMP_TEST(path_backend_skips_initwait)
{
	struct sim s = { .st = { INI, INI } };

	sim_write(&s, BACK, ID);
	CHECK(&s,
	      R(FRONT, INI, ID, XMP_ACT_SETUP_DEFAULT),
	      R(BACK, ID, ID, BC),
	      R(FRONT, ID, CON, XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[FRONT], CON);
	assert_int_equal(s.st[BACK], CON);
}

/* A backend that skips everything, straight to Connected. */
XMP_TEST(path_backend_skips_to_connected)
{
	struct sim s = { .st = { INI, INI } };

	sim_write(&s, BACK, CON);
	CHECK(&s,
	      R(FRONT, INI, CON, XMP_ACT_SETUP_DEFAULT | XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[FRONT], CON);
}

/* Detach, then the frontend comes back: Closed -> Initialising. */
XMP_TEST(path_reconnect_after_closed)
{
	struct sim s = { .st = { CON, CON } };

	sim_write(&s, FRONT, CLG);	/* the user detaches */
	sim_write(&s, FRONT, CLD);	/* once unused */
	sim_write(&s, FRONT, INI);	/* the driver comes back */
	CHECK(&s,
	      R(BACK, CON, CLG, XMP_ACT_CLOSING),
	      R(FRONT, CLG, CLG, N),
	      R(BACK, CLG, CLD, BG),
	      R(FRONT, CLD, CLD, N),
	      R(BACK, CLD, INI, XMP_ACT_REPUBLISH),
	      R(FRONT, INI, IW, XMP_ACT_SETUP),
	      R(BACK, IW, ID, BC),
	      R(FRONT, ID, CON, XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[FRONT], CON);
	assert_int_equal(s.st[BACK], CON);
}

/* The backend closes first; the frontend sets up again on InitWait. */
XMP_TEST(path_backend_closes_frontend_reconnects)
{
	struct sim s = { .st = { CON, CON } };

	sim_write(&s, BACK, CLG);	/* toolstack detach */
	CHECK(&s,
	      R(FRONT, CON, CLG, XMP_ACT_CLOSING),
	      R(BACK, CLG, CLG, XMP_ACT_CLOSING));
	sim_write(&s, FRONT, CLD);	/* once unused */
	sim_write(&s, BACK, IW);	/* the backend is set up again */
	CHECK(&s,
	      R(FRONT, CON, CLG, XMP_ACT_CLOSING),
	      R(BACK, CLG, CLG, XMP_ACT_CLOSING),
	      R(BACK, CLG, CLD, BG),
	      R(FRONT, CLD, CLD, N),
	      R(FRONT, CLD, IW, XMP_ACT_SETUP),
	      R(BACK, IW, ID, BC),
	      R(FRONT, ID, CON, XMP_ACT_CONNECT),
	      R(BACK, CON, CON, N));
	assert_int_equal(s.st[FRONT], CON);
}

/* Online resize: the backend writes Connected again, twice. */
XMP_TEST(path_online_resize)
{
	struct sim s = { .st = { CON, CON } };

	sim_write(&s, BACK, CON);
	sim_write(&s, BACK, CON);
	CHECK(&s,
	      R(FRONT, CON, CON, XMP_ACT_CONNECT),
	      R(FRONT, CON, CON, XMP_ACT_CONNECT));
	assert_int_equal(s.st[FRONT], CON);
}

/* Two watch events seen as one: the backend only sees Connected. */
XMP_TEST(path_collapsed_watch_events)
{
	struct sim s = { .st = { CON, IW } };

	sim_write(&s, FRONT, CON);
	CHECK(&s,
	      R(BACK, IW, CON, BC),
	      R(FRONT, CON, CON, XMP_ACT_CONNECT));
	assert_int_equal(s.st[BACK], CON);
}

/* The frontend's node disappears while connected. */
XMP_TEST(path_frontend_vanishes_connected)
{
	struct sim s = { .st = { CON, CON }, .gone = { true, false } };

	sim_write(&s, FRONT, UNK);
	CHECK(&s, R(BACK, CON, UNK, BG));
	assert_int_equal(s.st[BACK], CLD);
}

/* ... or halfway through the connection. */
XMP_TEST(path_frontend_vanishes_initwait)
{
	struct sim s = { .st = { ID, IW }, .gone = { true, false } };

	sim_write(&s, FRONT, UNK);
	CHECK(&s, R(BACK, IW, UNK, BG));
	assert_int_equal(s.st[BACK], CLD);
}

/* A frontend claiming InitWait is a protocol error for the backend. */
XMP_TEST(path_frontend_in_initwait_is_fatal)
{
	struct sim s = { .st = { INI, IW } };

	sim_write(&s, FRONT, IW);
	CHECK(&s, R(BACK, IW, IW, XMP_ACT_FATAL));
	assert_int_equal(s.st[BACK], IW);
}

int main(void)
{
	XMP_ADD_TEST(path_normal_connect);
	XMP_ADD_TEST(path_frontend_skips_initwait);
	XMP_ADD_TEST(path_frontend_skips_initwait_backend_waiting);
	XMP_ADD_TEST(path_backend_skips_initwait);
	XMP_ADD_TEST(path_backend_skips_to_connected);
	XMP_ADD_TEST(path_reconnect_after_closed);
	XMP_ADD_TEST(path_backend_closes_frontend_reconnects);
	XMP_ADD_TEST(path_online_resize);
	XMP_ADD_TEST(path_collapsed_watch_events);
	XMP_ADD_TEST(path_frontend_vanishes_connected);
	XMP_ADD_TEST(path_frontend_vanishes_initwait);
	XMP_ADD_TEST(path_frontend_in_initwait_is_fatal);
	return XMP_RUN("fsm_paths");
}
