/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-sse-parser.h — incremental text/event-stream parser: feed bytes in any chunking, get whole events. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AgSseParser AgSseParser;

/* @event is "message" when the stream named none; @data is the joined data lines (NUL-terminated). */
typedef void (*AgSseEventFunc) (const char *event,
                                const char *data,
                                gsize       data_len,
                                gpointer    user_data);

#define AG_SSE_DEFAULT_MAX_EVENT_SIZE (16 * 1024 * 1024)

AgSseParser *ag_sse_parser_new (AgSseEventFunc func, gpointer user_data);
void         ag_sse_parser_free (AgSseParser *self);
void         ag_sse_parser_set_max_event_size (AgSseParser *self, gsize max_bytes);
/* Handles LF, CRLF and CR line ends, comments (": …"), "event:", "data:", "id:", "retry:", a BOM.
 * Fails with AG_PROTOCOL_ERROR_TOO_LARGE when one event exceeds the limit (the parser then resyncs). */
gboolean     ag_sse_parser_feed (AgSseParser *self, const char *bytes, gsize len, GError **error);
/* End of input: dispatches a final event that lacked its blank line. */
void         ag_sse_parser_finish (AgSseParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgSseParser, ag_sse_parser_free)

G_END_DECLS
