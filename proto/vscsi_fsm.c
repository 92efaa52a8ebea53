// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * pvSCSI state tables: the vhost's Reconfiguring/Reconfigured round and
 * the per-device states. API: include/xen-mpring/vscsi_fsm.h. Cells not
 * set here are decided by the blkif tables of xenbus_fsm.c, to which the
 * device work is added.
 */
#include <xen-mpring/vscsi_fsm.h>

#define V_NSTATES	(XMP_XB_RECONFIGURED + 1)
/* A cell that is set: the table's value replaces the core's. */
#define V_SET		0x80000000U

#define V_HOTPLUG	(V_SET | XMP_VSCSI_ACT_DEVS_ADD_DEL | XMP_VSCSI_ACT_RECONFIGURED)
#define V_FINISH	(V_SET | XMP_VSCSI_ACT_DEVS_CONNECT | XMP_VSCSI_ACT_CONNECTED)

/*
 * Backend, own state x frontend state.
 * - The toolstack writes our state node to 7 without us knowing: our own
 *   state is still Connected when the frontend answers with 7.
 * - Frontend Reconfiguring: add/remove the devices, -> Reconfigured.
 * - Frontend Connected after the round: devices 3 -> 4, -> Connected.
 * - Frontend Connected while connected: devices 3 -> 4 (seed: the dev
 *   state becomes 4 once the frontend has the device).
 * - Reconfiguring while not connected, and Reconfigured from a frontend
 *   (a backend state), stay fatal as in the core table.
 */
static const u32 xmp_vscsi_back_table[V_NSTATES][V_NSTATES] = {
	[XMP_XB_CONNECTED] = {
		[XMP_XB_CONNECTED] = V_SET | XMP_VSCSI_ACT_DEVS_CONNECT,
		[XMP_XB_RECONFIGURING] = V_HOTPLUG,
	},
	[XMP_XB_RECONFIGURING] = {
		[XMP_XB_CONNECTED] = V_FINISH,
		[XMP_XB_RECONFIGURING] = V_HOTPLUG,
	},
	[XMP_XB_RECONFIGURED] = {
		[XMP_XB_CONNECTED] = V_FINISH,
		[XMP_XB_RECONFIGURING] = V_HOTPLUG,
	},
};

/*
 * Frontend, own state x backend state.
 * - Backend Reconfiguring: remove the devices it marks Closing, answer
 *   Reconfiguring.
 * - Backend Reconfigured: add the devices it marks Initialised, ->
 *   Connected.
 */
static const u32 xmp_vscsi_front_table[V_NSTATES][V_NSTATES] = {
	[XMP_XB_CONNECTED] = {
		[XMP_XB_RECONFIGURING] = V_SET | XMP_VSCSI_ACT_DEVS_ADD_DEL |
					 XMP_VSCSI_ACT_RECONFIGURING,
	},
	[XMP_XB_RECONFIGURING] = {
		[XMP_XB_RECONFIGURING] = V_SET | XMP_VSCSI_ACT_DEVS_ADD_DEL |
					 XMP_VSCSI_ACT_RECONFIGURING,
		[XMP_XB_RECONFIGURED] = V_FINISH,
	},
};

unsigned int xmp_vscsi_back_on_frontend(unsigned int own, unsigned int peer)
{
	unsigned int act;

	if (own >= V_NSTATES || peer >= V_NSTATES)
		return XMP_ACT_FATAL;
	if (xmp_vscsi_back_table[own][peer] & V_SET)
		return xmp_vscsi_back_table[own][peer] & ~V_SET;
	act = xmp_back_on_frontend(own, peer);
	/* A ring just mapped: attach the devices before Connected. */
	if (act & XMP_ACT_CONNECT_RING)
		act |= XMP_VSCSI_ACT_DEVS_ADD_DEL;
	if ((act & XMP_ACT_CONNECT) && peer == XMP_XB_CONNECTED)
		act |= XMP_VSCSI_ACT_DEVS_CONNECT;
	return act;
}

unsigned int xmp_vscsi_front_on_backend(unsigned int own, unsigned int peer)
{
	unsigned int act;

	if (own >= V_NSTATES || peer >= V_NSTATES)
		return XMP_ACT_FATAL;
	if (xmp_vscsi_front_table[own][peer] & V_SET)
		return xmp_vscsi_front_table[own][peer] & ~V_SET;
	act = xmp_front_on_backend(own, peer);
	/* Connected: attach what the backend attached. */
	if (act & XMP_ACT_CONNECT)
		act |= XMP_VSCSI_ACT_DEVS_CONNECT;
	return act;
}

/* Backend device op by pass (index 0: ADD_DEL, 1: CONNECT) and state. */
static const u8 xmp_vscsi_back_dev_table[2][V_NSTATES] = {
	{
		[XMP_XB_INITIALISING] = XMP_VSCSI_DEV_ADD,
		[XMP_XB_INITIALISED] = XMP_VSCSI_DEV_READD,
		[XMP_XB_CONNECTED] = XMP_VSCSI_DEV_READD,
		[XMP_XB_CLOSING] = XMP_VSCSI_DEV_DEL,
	},
	{
		[XMP_XB_INITIALISED] = XMP_VSCSI_DEV_CONNECT,
	},
};

/* Frontend device op by pass and the backend's device state. */
static const u8 xmp_vscsi_front_dev_table[2][V_NSTATES] = {
	{
		[XMP_XB_CLOSING] = XMP_VSCSI_DEV_DEL,
		[XMP_XB_CLOSED] = XMP_VSCSI_DEV_DEL,
	},
	{
		[XMP_XB_INITIALISED] = XMP_VSCSI_DEV_ADD,
		[XMP_XB_CONNECTED] = XMP_VSCSI_DEV_READD,
	},
};

static int xmp_vscsi_pass_idx(unsigned int pass)
{
	if (pass == XMP_VSCSI_ACT_DEVS_ADD_DEL)
		return 0;
	if (pass == XMP_VSCSI_ACT_DEVS_CONNECT)
		return 1;
	return -1;
}

enum xmp_vscsi_dev_op xmp_vscsi_back_dev(unsigned int pass,
					 unsigned int dev_state)
{
	int i = xmp_vscsi_pass_idx(pass);

	if (i < 0 || dev_state >= V_NSTATES)
		return XMP_VSCSI_DEV_NONE;
	return (enum xmp_vscsi_dev_op)xmp_vscsi_back_dev_table[i][dev_state];
}

enum xmp_vscsi_dev_op xmp_vscsi_front_dev(unsigned int pass,
					  unsigned int back_dev_state)
{
	int i = xmp_vscsi_pass_idx(pass);

	if (i < 0 || back_dev_state >= V_NSTATES)
		return XMP_VSCSI_DEV_NONE;
	return (enum xmp_vscsi_dev_op)xmp_vscsi_front_dev_table[i][back_dev_state];
}
