/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-translator.h — the state machine that turns Cloud Code stream chunks into the exact Anthropic
 * Messages SSE event sequence (message_start … message_stop): the Anthropic surface's back translator. Pure: events
 * go to a callback, or (behind AgBackTranslator) to the output as SSE frames or as one collected response. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-back-translator.h"
#include "ag-model-family.h"
#include "ag-tool-names.h"

G_BEGIN_DECLS

typedef struct _AgStreamTranslator AgStreamTranslator;

/* @event_name is the SSE event name ("message_start", "content_block_delta", "ping", "error", …) and @data its
 * JSON payload (which carries the same "type"). The callee must not keep @data beyond the call (ref it). */
typedef void (*AgAnthropicEventFunc) (const char *event_name,
                                      JsonNode   *data,
                                      gpointer    user_data);

typedef struct {
  const char       *client_model;  /* echoed as message.model */
  AgModelFamily     family;
  AgToolNames      *tool_names;    /* nullable; maps upstream tool names back */
  double            usage_scale;   /* factor on reported input/cache-read tokens; 0 or 1 = report them as they are */
  gboolean          include_usage; /* OpenAI Chat: the client asked for a usage chunk at the end of the stream */
  const char *const *freeform_tools; /* OpenAI Responses: tools whose calls are custom_tool_call items; nullable */
  gint64            web_search_max_uses; /* > 0: the answer to a web search (ag-web-search-translator.h) */
  gint64            compact_at;    /* prompt tokens from which the client is told its context is full, so that it
                                    * compacts while a compaction still fits upstream; 0 = never */
} AgStreamOptions;

/* The largest context window Claude Code assumes (its 1M models): reported as the context in use from
 * AgStreamOptions.compact_at on, it makes the client compact whatever window it assumes. */
#define AG_CLIENT_LARGEST_WINDOW 1000000
/* Where compact_at sits in the upstream window: the tokens left must hold one more turn and the compaction request
 * (docs/client-formats.md#context-window). */
#define AG_COMPACT_AT_PERCENT 80

/* The Anthropic stop_reason for a Google finishReason (max_tokens, refusal for a blocked answer, else end_turn). */
const char *ag_anthropic_stop_reason_for_finish (const char *finish_reason);

/* Each event as a JsonNode to @func; nothing goes to the back-translator output. */
AgStreamTranslator *ag_stream_translator_new (const AgStreamOptions *options,
                                              AgAnthropicEventFunc   func,
                                              gpointer               user_data);
/* The translator the call uses. With @stream, each event is appended to the output as an SSE frame, the same bytes
 * ag_sse_format_event() gives for it. Without, the events are folded into one Messages response (as
 * AgMessageCollector does) whose JSON is the output once finish succeeds. */
AgBackTranslator   *ag_anthropic_back_translator_new (const AgStreamOptions *options, gboolean stream);
/* @self behind the back-translator interface: the same object, so freeing one frees the other. */
AgBackTranslator   *ag_stream_translator_as_back_translator (AgStreamTranslator *self);
void     ag_stream_translator_free (AgStreamTranslator *self);
/* One parsed upstream SSE data payload: {"response":{candidates,usageMetadata,…},"traceId":…} or the bare
 * response object. Emits message_start with the first content block. Fails (AG_PROTOCOL_ERROR_BAD_UPSTREAM) on a
 * payload that is not a response object; the translator stays usable. Before the message has started, a part whose
 * text is Google's outdated-client notice (a canned answer that comes whole in one part) is not content: the push
 * fails with AG_PROTOCOL_ERROR_CLIENT_OUTDATED and the notice as message, and emits nothing. */
gboolean ag_stream_translator_push (AgStreamTranslator *self, JsonObject *chunk, GError **error);
/* Normal end of the upstream stream: closes the open block, emits message_delta (stop_reason, usage) and
 * message_stop. Emits message_start first when no block did. Idempotent. */
void     ag_stream_translator_finish (AgStreamTranslator *self);
/* A failure after the stream started: emits one "error" event {"type":"error","error":{type,message}}. */
void     ag_stream_translator_fail (AgStreamTranslator *self, const char *error_type, const char *message);
/* Emits a "ping" event inside a started message and returns TRUE; before message_start (or after the end) emits
 * nothing and returns FALSE: a keepalive then has to be an SSE comment. */
gboolean ag_stream_translator_ping (AgStreamTranslator *self);
/* TRUE once message_start was emitted. It is emitted with the first content block (or by finish), not with the
 * first chunk, so an answer without content leaves nothing behind that the client saw. */
gboolean ag_stream_translator_started (AgStreamTranslator *self);
/* TRUE once any valid response chunk arrived, content or not. */
gboolean ag_stream_translator_received_response (AgStreamTranslator *self);
/* TRUE when the upstream produced no content at all (no text, thinking or tool call) — an "empty answer". */
gboolean ag_stream_translator_is_empty (AgStreamTranslator *self);
/* TRUE once upstream sent a finishReason: a stream that ends without one was cut short. */
gboolean ag_stream_translator_saw_finish_reason (AgStreamTranslator *self);
/* Usage so far, Anthropic semantics. */
void     ag_stream_translator_get_usage (AgStreamTranslator *self, gint64 *input_tokens, gint64 *output_tokens,
                                         gint64 *cache_read_tokens);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgStreamTranslator, ag_stream_translator_free)

G_END_DECLS
