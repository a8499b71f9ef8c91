/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-test-messages.h — reading what ag-cl answers a client: Anthropic messages, streams (SSE) and errors. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses an SSE body into a JSON array of {"event":name,"data":<parsed>}, asserting every event is JSON. */
JsonNode *ag_test_parse_sse (GBytes *body);
/* Event names of parsed SSE events, space-separated, with consecutive content_block_delta collapsed. */
char     *ag_test_event_shape (JsonNode *events);
/* Parsed stream events (as ag_test_parse_sse) folded into one message the way an Anthropic SDK does: blocks from
 * content_block_start, text, citation and tool-input deltas applied to the last block, stop_reason and usage from
 * message_delta. */
JsonNode *ag_test_fold_events (JsonNode *events);
/* The concatenated @field of every content_block_delta whose delta is of @delta_type. */
char     *ag_test_joined_deltas (JsonNode *events, const char *delta_type, const char *field);
/* The concatenated text deltas of a streamed body. */
char     *ag_test_streamed_text (GBytes *body);
/* The text of the first content block of a (non-streamed) message body. */
char     *ag_test_reply_text (GBytes *body);

/* Asserts an Anthropic error body ({"type":"error","error":{…}}) of @type whose message contains @message_part. */
void      ag_test_assert_error_body (GBytes *body, const char *type, const char *message_part);
/* Asserts a streamed body ends with one "error" event of @type whose message contains @message_part, after a
 * message that started and did not stop — or alone, when no content ever came. */
void      ag_test_assert_stream_ends_in_error (GBytes *body, const char *type, const char *message_part);

G_END_DECLS
