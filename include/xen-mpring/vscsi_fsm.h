/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * pvSCSI state machine: the vhost's XenBus states including the
 * Reconfiguring (7) / Reconfigured (8) round of a hot add or remove, and
 * the per-device states under vscsi-devs/dev-<n>/state.
 *
 * Spec: shared/seeds/vscsiif-xenstore-layout.patch.txt, "Backend/frontend
 * protocol", and the behaviour of Linux's xen-scsiback/xen-scsifront:
 *
 *  vhost, hot add or remove while connected:
 *    toolstack:  backend state = 7, dev-<n>/state = 1 (add) or 5 (remove)
 *    frontend:   sees 7, removes the devices the backend marks 5, -> 7
 *    backend:    sees 7, adds (1 -> 3) and removes (5 -> 6) devices, -> 8
 *    frontend:   sees 8, adds the devices the backend marks 3, -> 4
 *    backend:    sees 4, marks its added devices 3 -> 4, -> 4
 *  vhost creation: as for blkif (xenbus_fsm.h), and the backend adds the
 *  devices when it maps the ring, the frontend when it connects.
 *
 * Standard transitions are delegated to xmp_back_on_frontend() /
 * xmp_front_on_backend(); the vscsi functions add the device work.
 */
#ifndef XMP_VSCSI_FSM_H
#define XMP_VSCSI_FSM_H

#include "xmp_types.h"
#include "xenbus_fsm.h"

/*
 * vscsi actions, on top of XMP_ACT_*. The glue performs them in this
 * order: DISCONNECT, REPUBLISH, SETUP(_DEFAULT), CONNECT_RING,
 * DEVS_ADD_DEL, CONNECT (the backend's switch to Connected; the
 * frontend reads the backend's parameters), DEVS_CONNECT, then the
 * frontend's switch to Connected for CONNECT, RECONFIGURING,
 * RECONFIGURED, CONNECTED, CLOSING, CLOSED, UNREGISTER, FATAL.
 */
/*
 * backend: walk vscsi-devs: add devices in state 1 (-> 3), re-add 4,
 * remove devices in state 5 (-> 6). frontend: remove devices the
 * backend marks 5 (own dev state -> 6)
 */
#define XMP_VSCSI_ACT_DEVS_ADD_DEL	0x1000U
/*
 * backend: devices in state 3 -> 4. frontend: add devices the backend
 * marks 3 (own dev state -> 4)
 */
#define XMP_VSCSI_ACT_DEVS_CONNECT	0x2000U
/* frontend: -> Reconfiguring */
#define XMP_VSCSI_ACT_RECONFIGURING	0x4000U
/* -> Reconfigured (backend) */
#define XMP_VSCSI_ACT_RECONFIGURED	0x8000U
/* -> Connected (after a Reconfiguring/Reconfigured round) */
#define XMP_VSCSI_ACT_CONNECTED		0x10000U

/* Backend vhost reacting to the frontend's state. */
unsigned int xmp_vscsi_back_on_frontend(unsigned int own, unsigned int peer);

/* Frontend vhost reacting to the backend's state. */
unsigned int xmp_vscsi_front_on_backend(unsigned int own, unsigned int peer);

/* What to do with one device during a pass over vscsi-devs. */
enum xmp_vscsi_dev_op {
	XMP_VSCSI_DEV_NONE = 0,
	XMP_VSCSI_DEV_ADD,	/* attach it; state 3 (back) / 4 (front) */
	XMP_VSCSI_DEV_READD,	/* attach it again if not attached (resume) */
	XMP_VSCSI_DEV_CONNECT,	/* backend: state 3 -> 4 */
	XMP_VSCSI_DEV_DEL,	/* detach it; state 6 */
};

/*
 * Backend: the device's state as read from the backend's own
 * vscsi-devs/dev-<n>/state (written by the toolstack and by the backend),
 * during a pass of XMP_VSCSI_ACT_DEVS_ADD_DEL or _DEVS_CONNECT.
 */
enum xmp_vscsi_dev_op xmp_vscsi_back_dev(unsigned int pass,
					 unsigned int dev_state);

/*
 * Frontend: the backend's dev-<n>/state, during a pass of
 * XMP_VSCSI_ACT_DEVS_ADD_DEL (removals) or _DEVS_CONNECT (additions).
 */
enum xmp_vscsi_dev_op xmp_vscsi_front_dev(unsigned int pass,
					  unsigned int back_dev_state);

#endif /* XMP_VSCSI_FSM_H */
