/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-requests-in-flight.h — the requests the proxy is answering right now, for the request monitor. The proxy
 * says when a request starts and when it ends; a watcher (the monitor) reads the list when told it changed.
 * Nobody watching, starting and ending cost a comparison: the hot path carries no table, no signal and no
 * allocation. The change is announced from an idle callback, once per burst, so no watcher runs inside the
 * proxy's call. Main thread only; no I/O.
 *
 * Signals:
 *   "changed"   requests started or ended since the last emission (only while watched) */
#pragma once

#include <glib-object.h>
#include "ag-request-record.h"

G_BEGIN_DECLS

#define AG_TYPE_REQUESTS_IN_FLIGHT (ag_requests_in_flight_get_type ())
G_DECLARE_FINAL_TYPE (AgRequestsInFlight, ag_requests_in_flight, AG, REQUESTS_IN_FLIGHT, GObject)

AgRequestsInFlight *ag_requests_in_flight_new (void);

/* A watcher comes (TRUE) or goes (FALSE); requests are tracked while at least one watches. */
void       ag_requests_in_flight_watch (AgRequestsInFlight *self, gboolean watch);
/* A request arrived at @time_ms (Unix ms) from @client (User-Agent, nullable) for @model (nullable). Returns its
 * handle for ag_requests_in_flight_end, 0 when nobody watches. */
guint64    ag_requests_in_flight_start (AgRequestsInFlight *self, gint64 time_ms, const char *client,
                                        const char *model);
/* The request of @handle was answered (0: does nothing). */
void       ag_requests_in_flight_end (AgRequestsInFlight *self, guint64 handle);
/* The requests in flight, newest first, as copies (AgRequestRecord with outcome IN_FLIGHT and id 0). */
GPtrArray *ag_requests_in_flight_list (AgRequestsInFlight *self);
guint      ag_requests_in_flight_count (AgRequestsInFlight *self);

G_END_DECLS
