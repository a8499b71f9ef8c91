/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-back-translator.h — what one "Cloud Code stream → client format" translator offers the stream decoder and the
 * call: upstream chunks in, the client's bytes out, and the facts that decide what the end of the stream means. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-upstream-chunk.h"

G_BEGIN_DECLS

typedef struct _AgBackTranslator      AgBackTranslator;
typedef struct _AgBackTranslatorClass AgBackTranslatorClass;

/* A plain table of functions rather than a GInterface: a back translator has one owner (the decoder) for one
 * answer, needs no reference counting, properties or signals, and a push per upstream chunk should cost one
 * indirect call, not a type-system lookup. An implementation embeds AgBackTranslator as its first member and
 * points it at its one static class. */
struct _AgBackTranslatorClass {
  /* TRUE when push only reads the chunk while it runs (keeps no reference into it, changes nothing): the decoder
   * may then read the next chunk of the same shape into the same tree (ag_json_parser_parse_reused). */
  gboolean   borrows_chunks;
  gboolean (*push)              (AgBackTranslator *self, JsonObject *chunk, GError **error);
  gboolean (*finish)            (AgBackTranslator *self, GError **error);
  void     (*fail)              (AgBackTranslator *self, const char *error_type, const char *message);
  gboolean (*ping)              (AgBackTranslator *self);
  gboolean (*started)           (AgBackTranslator *self);
  gboolean (*is_empty)          (AgBackTranslator *self);
  /* NULL when the base's record answers (ag_back_translator_note_response) */
  gboolean (*received_response) (AgBackTranslator *self);
  gboolean (*saw_finish_reason) (AgBackTranslator *self);
  /* NULL when the base's record answers */
  void     (*get_usage)         (AgBackTranslator *self, gint64 *input_tokens, gint64 *output_tokens,
                                 gint64 *cache_read_tokens);
  void     (*free)              (AgBackTranslator *self);
};

struct _AgBackTranslator {
  const AgBackTranslatorClass *klass;
  /* Bytes for the client that the caller has not written yet: appended by push, finish, fail and ping. */
  GString                     *output;
  /* What upstream said so far, as ag_back_translator_note_response records it. */
  gboolean                     received;
  AgUpstreamUsage              usage;
};

/* For implementations: set up and tear down the base. */
void      ag_back_translator_init  (AgBackTranslator *self, const AgBackTranslatorClass *klass);
void      ag_back_translator_clear (AgBackTranslator *self);
/* For implementations' push: @response (from ag_upstream_chunk_response) arrived; its usage counts from now on. */
void      ag_back_translator_note_response (AgBackTranslator *self, JsonObject *response);

/* One parsed upstream SSE data object ({"response":{…},"traceId":…} or the bare response). FALSE with
 * AG_PROTOCOL_ERROR_BAD_UPSTREAM for a chunk that is not a response (the translator stays usable), or with
 * AG_PROTOCOL_ERROR_CLIENT_OUTDATED when, before anything was shown, the answer is Google's outdated-client notice. */
gboolean  ag_back_translator_push (AgBackTranslator *self, JsonObject *chunk, GError **error);
/* The normal end: completes the client's answer in the output. FALSE when the answer cannot be put together
 * (@error says why, for a 502). Idempotent. */
gboolean  ag_back_translator_finish (AgBackTranslator *self, GError **error);
/* A failure after the answer started: ends it with the client format's in-stream error. Nothing follows. */
void      ag_back_translator_fail (AgBackTranslator *self, const char *error_type, const char *message);
/* Writes the format's keepalive event and returns TRUE, if the answer has started and not ended; otherwise
 * writes nothing and returns FALSE (a streaming caller's keepalive then has to be a transport-level one). An
 * answer written whole at the end has no keepalive: always FALSE. */
gboolean  ag_back_translator_ping (AgBackTranslator *self);
/* TRUE once the client was shown part of the answer: from then on it cannot be dropped and asked for again. */
gboolean  ag_back_translator_started (AgBackTranslator *self);
/* TRUE while upstream produced no content (no text, thinking, tool call or image). */
gboolean  ag_back_translator_is_empty (AgBackTranslator *self);
/* TRUE once any valid response chunk arrived, content or not. */
gboolean  ag_back_translator_received_response (AgBackTranslator *self);
/* TRUE once upstream sent a finishReason: a stream that ends without one was cut short. */
gboolean  ag_back_translator_saw_finish_reason (AgBackTranslator *self);
/* Usage so far (real figures, before any scaling shown to the client). */
void      ag_back_translator_get_usage (AgBackTranslator *self, gint64 *input_tokens, gint64 *output_tokens,
                                        gint64 *cache_read_tokens);
/* The pending output, or NULL when there is none; the translator's output is empty afterwards. */
GBytes   *ag_back_translator_take_output (AgBackTranslator *self);
void      ag_back_translator_free (AgBackTranslator *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgBackTranslator, ag_back_translator_free)

G_END_DECLS
