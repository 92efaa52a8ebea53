/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * XenBus state machine, as a table: what a driver does when its peer's
 * state changes, given its own state.
 *
 * Spec: the state transition diagram of Xen's io/blkif.h and the note added
 * by shared/seeds/blkif-multipage-rings.patch.txt:
 *   "Drivers that support optional features and/or transport parameter
 *    negotiation must tolerate these additional state transition paths.
 *    In general this means performing the work of any skipped state
 *    transition, if it has not already been performed, in addition to the
 *    work associated with entry into the current state."
 * The skipped paths are: a frontend reaching Initialised without waiting
 * for the backend's InitWait, and a backend reaching Initialised without
 * InitWait (and without waiting for the frontend). In both cases default
 * transport parameters (a one-page ring) are in effect.
 *
 * The glue performs the returned actions in the order of the bits below.
 */
#ifndef XMP_XENBUS_FSM_H
#define XMP_XENBUS_FSM_H

#include "xmp_types.h"

/* Same values as enum xenbus_state (xen/interface/io/xenbus.h). */
enum xmp_xb_state {
	XMP_XB_UNKNOWN = 0,
	XMP_XB_INITIALISING = 1,
	XMP_XB_INITWAIT = 2,
	XMP_XB_INITIALISED = 3,
	XMP_XB_CONNECTED = 4,
	XMP_XB_CLOSING = 5,
	XMP_XB_CLOSED = 6,
	XMP_XB_RECONFIGURING = 7,
	XMP_XB_RECONFIGURED = 8,
};

/* Actions, performed in this bit order. */
#define XMP_ACT_NONE		0x000U
/* backend: stop I/O, free requests, unmap the ring (idempotent) */
#define XMP_ACT_DISCONNECT	0x001U
/* backend: publish features + transport parameters again, -> InitWait */
#define XMP_ACT_REPUBLISH	0x002U
/*
 * frontend: read the backend's transport parameters, allocate and
 * publish the ring per xmp_front_plan(), -> Initialised
 */
#define XMP_ACT_SETUP		0x004U
/*
 * frontend: as SETUP, with default transport parameters (one page),
 * because the backend skipped InitWait
 */
#define XMP_ACT_SETUP_DEFAULT	0x008U
/*
 * backend: read and validate the frontend's transport parameters, map the
 * ring, bind the event channel
 */
#define XMP_ACT_CONNECT_RING	0x010U
/*
 * backend: publish device properties, -> Connected.
 * frontend: read device properties (again: online resize), -> Connected
 */
#define XMP_ACT_CONNECT		0x020U
/* -> Closing (frontend: once no user holds the device open) */
#define XMP_ACT_CLOSING		0x040U
/* -> Closed */
#define XMP_ACT_CLOSED		0x080U
/* backend: the frontend is gone; unregister unless the device is online */
#define XMP_ACT_UNREGISTER	0x100U
/*
 * the peer is in a state the protocol does not allow here:
 * xenbus_dev_fatal() naming both states
 */
#define XMP_ACT_FATAL		0x200U

/* Backend (blkback, scsiback) reacting to a frontend state change. */
unsigned int xmp_back_on_frontend(unsigned int own, unsigned int peer);

/* Frontend (blkfront, scsifront) reacting to a backend state change. */
unsigned int xmp_front_on_backend(unsigned int own, unsigned int peer);

/* "Initialising", ... ; "invalid" for values beyond Reconfigured. */
const char *xmp_xb_state_name(unsigned int state);

#endif /* XMP_XENBUS_FSM_H */
