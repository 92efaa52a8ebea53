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

/*
 * Backend (blkback, scsiback) reacting to a frontend state change.
 * Modelled on Linux blkback's frontend_changed(); by frontend state:
 *  - Initialising: own Closed -> REPUBLISH (reconnect); else NONE.
 *  - Initialised, Connected: own Connected -> NONE (two watch events seen
 *    as one); any other own state -> DISCONNECT | CONNECT_RING | CONNECT.
 *    DISCONNECT is idempotent and always comes first, as in Linux ("enforce
 *    precondition before potential leak point"): it covers a reconnect that
 *    skipped Initialising (own Closed) and a CONNECT that failed after
 *    CONNECT_RING mapped the ring (own InitWait). A frontend that got here
 *    without our InitWait published default parameters, which CONNECT_RING
 *    validates like any others.
 *  - Closing: CLOSING only. The ring stays mapped until the frontend is
 *    Closed: it may still be collecting responses (Linux does the same).
 *  - Closed, Unknown: DISCONNECT | CLOSED | UNREGISTER (the glue skips the
 *    unregister while the device is online).
 *  - InitWait, Reconfiguring, Reconfigured: FATAL (no such blkif frontend
 *    states; vscsi has its own table for 7 and 8).
 * Own states the backend never holds (Unknown, 7, 8) behave like InitWait.
 * @own or @peer beyond Reconfigured: FATAL.
 */
unsigned int xmp_back_on_frontend(unsigned int own, unsigned int peer);

/*
 * Frontend (blkfront, scsifront) reacting to a backend state change.
 * Modelled on Linux blkfront's blkback_changed(); by backend state:
 *  - InitWait: own Unknown, Initialising or Closed (reconnect) -> SETUP;
 *    else NONE.
 *  - Initialised (the backend skipped InitWait): the same own states ->
 *    SETUP_DEFAULT; else NONE.
 *  - Connected: own Unknown, Initialising or Closed (the backend skipped
 *    everything) -> SETUP_DEFAULT | CONNECT; own Initialised, Connected
 *    (online resize), Reconfiguring, Reconfigured -> CONNECT; own InitWait,
 *    Closing -> NONE.
 *  - Closing, and Closed: CLOSING (the glue closes once unused), except
 *    when we are Closing or Closed already: NONE (Linux's
 *    blkfront_closing() returns early when Closing, and going back from
 *    Closed to Closing would be wrong).
 *  - Unknown, Initialising, Reconfiguring, Reconfigured: NONE.
 * @own or @peer beyond Reconfigured: FATAL.
 */
unsigned int xmp_front_on_backend(unsigned int own, unsigned int peer);

/* "Initialising", ... ; "invalid" for values beyond Reconfigured. */
const char *xmp_xb_state_name(unsigned int state);

#endif /* XMP_XENBUS_FSM_H */
