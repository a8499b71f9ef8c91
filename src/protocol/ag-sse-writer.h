/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-sse-writer.h — the client side of Server-Sent Events: one event serialised for the wire. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "event: NAME\ndata: JSON\n\n". */
GBytes *ag_sse_format_event (const char *event_name, JsonNode *data);

G_END_DECLS
