// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * XenBus state machine tables: what a driver does when its peer changes
 * state. API: include/xen-mpring/xenbus_fsm.h. The tables are the single
 * source of truth; the unit tests walk them cell by cell.
 */
#include <xen-mpring/xenbus_fsm.h>

#define XMP_XB_NSTATES	(XMP_XB_RECONFIGURED + 1)

/* Backend: tear down whatever is connected, then take the ring again. */
#define B_CONNECT	(XMP_ACT_DISCONNECT | XMP_ACT_CONNECT_RING | \
			 XMP_ACT_CONNECT)
#define B_GONE		(XMP_ACT_DISCONNECT | XMP_ACT_CLOSED | \
			 XMP_ACT_UNREGISTER)
#define B_FATAL		XMP_ACT_FATAL

/*
 * A backend row, for its own state @own, over the frontend's states.
 * - Initialising: only a backend that closed goes back to InitWait
 *   (reconnect after Closed -> Initialising).
 * - InitWait is not a frontend state; neither are 7 and 8 for blkif.
 * - Initialised/Connected: connect unless connected already (two watch
 *   events may collapse into one). A frontend that reached Initialised
 *   without our InitWait gets default parameters: CONNECT_RING validates
 *   what it published against them. DISCONNECT first is idempotent and
 *   makes a reconnect that skipped Initialising leak-free.
 * - Closing: follow to Closing; the ring stays until Closed, for the
 *   frontend may still collect responses.
 * - Closed/Unknown: disconnect, close, and let the device go if offline.
 */
#define B_ROW(on_init, on_conn) {					\
	[XMP_XB_UNKNOWN] = B_GONE,					\
	[XMP_XB_INITIALISING] = (on_init),				\
	[XMP_XB_INITWAIT] = B_FATAL,					\
	[XMP_XB_INITIALISED ... XMP_XB_CONNECTED] = (on_conn),		\
	[XMP_XB_CLOSING] = XMP_ACT_CLOSING,				\
	[XMP_XB_CLOSED] = B_GONE,					\
	[XMP_XB_RECONFIGURING] = B_FATAL,				\
	[XMP_XB_RECONFIGURED] = B_FATAL,				\
}

static const u16 xmp_back_table[XMP_XB_NSTATES][XMP_XB_NSTATES] = {
	[XMP_XB_UNKNOWN] = B_ROW(XMP_ACT_NONE, B_CONNECT),
	[XMP_XB_INITIALISING] = B_ROW(XMP_ACT_NONE, B_CONNECT),
	[XMP_XB_INITWAIT] = B_ROW(XMP_ACT_NONE, B_CONNECT),
	[XMP_XB_INITIALISED] = B_ROW(XMP_ACT_NONE, B_CONNECT),
	[XMP_XB_CONNECTED] = B_ROW(XMP_ACT_NONE, XMP_ACT_NONE),
	[XMP_XB_CLOSING] = B_ROW(XMP_ACT_NONE, B_CONNECT),
	[XMP_XB_CLOSED] = B_ROW(XMP_ACT_REPUBLISH, B_CONNECT),
	[XMP_XB_RECONFIGURING] = B_ROW(XMP_ACT_NONE, B_CONNECT),
	[XMP_XB_RECONFIGURED] = B_ROW(XMP_ACT_NONE, B_CONNECT),
};

/*
 * A frontend row, for its own state, over the backend's states.
 * - InitWait: the backend published its parameters: set up the ring
 *   unless done already (a frontend that closed sets up again).
 * - Initialised: the backend skipped InitWait ("default transport
 *   parameters are in effect"): set up a one-page ring.
 * - Connected: if we never set up, the backend skipped everything: set up
 *   with defaults, then connect. Connected again while connected is how a
 *   backend announces an online resize: connect (re-read the size).
 * - Closing, or Closed while we are not: close once unused.
 * - Unknown, Initialising, Reconfiguring, Reconfigured: nothing to do.
 */
#define F_SETUP_ROW {							\
	[XMP_XB_INITWAIT] = XMP_ACT_SETUP,				\
	[XMP_XB_INITIALISED] = XMP_ACT_SETUP_DEFAULT,			\
	[XMP_XB_CONNECTED] = XMP_ACT_SETUP_DEFAULT | XMP_ACT_CONNECT,	\
	[XMP_XB_CLOSING] = XMP_ACT_CLOSING,				\
	[XMP_XB_CLOSED] = XMP_ACT_CLOSING,				\
}

#define F_SET_UP_ROW {							\
	[XMP_XB_CONNECTED] = XMP_ACT_CONNECT,				\
	[XMP_XB_CLOSING] = XMP_ACT_CLOSING,				\
	[XMP_XB_CLOSED] = XMP_ACT_CLOSING,				\
}

#define F_IDLE_ROW {							\
	[XMP_XB_CLOSING] = XMP_ACT_CLOSING,				\
	[XMP_XB_CLOSED] = XMP_ACT_CLOSING,				\
}

static const u16 xmp_front_table[XMP_XB_NSTATES][XMP_XB_NSTATES] = {
	[XMP_XB_UNKNOWN] = F_SETUP_ROW,
	[XMP_XB_INITIALISING] = F_SETUP_ROW,
	[XMP_XB_INITWAIT] = F_IDLE_ROW,
	[XMP_XB_INITIALISED] = F_SET_UP_ROW,
	[XMP_XB_CONNECTED] = F_SET_UP_ROW,
	/* Closing already: the glue finishes closing when unused. */
	[XMP_XB_CLOSING] = { 0 },
	/* Closed: a backend back in InitWait means "reconnect". */
	[XMP_XB_CLOSED] = {
		[XMP_XB_INITWAIT] = XMP_ACT_SETUP,
		[XMP_XB_INITIALISED] = XMP_ACT_SETUP_DEFAULT,
		[XMP_XB_CONNECTED] = XMP_ACT_SETUP_DEFAULT | XMP_ACT_CONNECT,
	},
	[XMP_XB_RECONFIGURING] = F_SET_UP_ROW,
	[XMP_XB_RECONFIGURED] = F_SET_UP_ROW,
};

unsigned int xmp_back_on_frontend(unsigned int own, unsigned int peer)
{
	if (own >= XMP_XB_NSTATES || peer >= XMP_XB_NSTATES)
		return XMP_ACT_FATAL;
	return xmp_back_table[own][peer];
}

unsigned int xmp_front_on_backend(unsigned int own, unsigned int peer)
{
	if (own >= XMP_XB_NSTATES || peer >= XMP_XB_NSTATES)
		return XMP_ACT_FATAL;
	return xmp_front_table[own][peer];
}

static const char * const xmp_xb_names[XMP_XB_NSTATES] = {
	[XMP_XB_UNKNOWN] = "Unknown",
	[XMP_XB_INITIALISING] = "Initialising",
	[XMP_XB_INITWAIT] = "InitWait",
	[XMP_XB_INITIALISED] = "Initialised",
	[XMP_XB_CONNECTED] = "Connected",
	[XMP_XB_CLOSING] = "Closing",
	[XMP_XB_CLOSED] = "Closed",
	[XMP_XB_RECONFIGURING] = "Reconfiguring",
	[XMP_XB_RECONFIGURED] = "Reconfigured",
};

const char *xmp_xb_state_name(unsigned int state)
{
	return state < XMP_XB_NSTATES ? xmp_xb_names[state] : "invalid";
}
