/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-list.h — the request log as a GListModel of AgRequestItem, newest first: the requests in flight
 * (outcome IN_FLIGHT) at the top, then the newest rows of the history store (read on its worker thread), then
 * each request as the store writes it, in place of its row in flight. A list view over it
 * makes widgets for the visible rows only, so 50 000 rows scroll like 50. */
#pragma once

#include <gio/gio.h>
#include "ag-history-store.h"

G_BEGIN_DECLS

#define AG_TYPE_REQUEST_LIST (ag_request_list_get_type ())
G_DECLARE_FINAL_TYPE (AgRequestList, ag_request_list, AG, REQUEST_LIST, GObject)

/* Reads the newest @limit rows of @store, then follows it. */
AgRequestList *ag_request_list_new (AgHistoryStore *store, guint limit);
/* Whether the first read has been answered. */
gboolean       ag_request_list_get_loaded (AgRequestList *self);

G_END_DECLS
