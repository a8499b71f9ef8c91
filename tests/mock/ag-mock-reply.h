/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-reply.h — one answer of the mock server: status, headers and body pieces, sent either at once or
 * streamed (chunked, paused between pieces) with the scripted faults: first-byte delay, delay between pieces,
 * writes split into small pieces, the connection dropped after N body bytes, or headers and then silence. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _AgMockReply AgMockReply;

AgMockReply *ag_mock_reply_new (guint status, const char *content_type);
void         ag_mock_reply_free (AgMockReply *reply);
void         ag_mock_reply_add_header (AgMockReply *reply, const char *name, const char *value);
/* Appends one body piece (one SSE event); with no split_bytes each piece is one chunk on the wire. */
void         ag_mock_reply_append (AgMockReply *reply, const char *data, gssize len);
void         ag_mock_reply_append_json (AgMockReply *reply, JsonNode *node);
/* Streams the body with chunked encoding even without faults (SSE answers). */
void         ag_mock_reply_set_streamed (AgMockReply *reply, gboolean streamed);
/* Reads "first_byte_delay_ms", "chunk_delay_ms", "split_bytes", "close_after_bytes", "hang" and "headers". */
void         ag_mock_reply_apply_script (AgMockReply *reply, JsonObject *respond);

/* Sends @reply (taking it) as the answer to @msg. Streamed replies stay in @active until the message finishes. */
void         ag_mock_reply_send (AgMockReply *reply, SoupServerMessage *msg, GQueue *active);
/* Stops every streamed reply still in @active (server shutdown). */
void         ag_mock_reply_cancel_all (GQueue *active);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgMockReply, ag_mock_reply_free)

G_END_DECLS
