/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-decoder.c — SSE parser → one JSON parse per event → error detection → back translator, and the end of
 * the stream decided in one place. */
#include "ag-stream-decoder.h"
#include "ag-json-parser.h"
#include "ag-protocol-error.h"
#include "ag-sse-parser.h"

struct _AgStreamDecoder {
  AgSseParser      *sse;
  AgJsonParser     *json;
  AgBackTranslator *back;
  AgStreamState     state;
  guint64           n_events;
  AgGoogleError    *error;
  char             *message;
};

static void on_event (const char *event, const char *data, gsize data_len, gpointer user_data);

AgStreamDecoder *
ag_stream_decoder_new (AgBackTranslator *back)
{
  AgStreamDecoder *self = g_new0 (AgStreamDecoder, 1);

  self->back = back;
  self->sse = ag_sse_parser_new (on_event, self);
  self->json = ag_json_parser_new ();
  self->state = AG_STREAM_STATE_READING;
  return self;
}

void
ag_stream_decoder_free (AgStreamDecoder *self)
{
  if (self == NULL)
    return;
  ag_sse_parser_free (self->sse);
  ag_json_parser_free (self->json);
  ag_back_translator_free (self->back);
  g_clear_pointer (&self->error, ag_google_error_free);
  g_free (self->message);
  g_free (self);
}

void
ag_stream_decoder_set_max_event_size (AgStreamDecoder *self, gsize max_bytes)
{
  ag_sse_parser_set_max_event_size (self->sse, max_bytes);
}

AgBackTranslator *
ag_stream_decoder_get_back_translator (AgStreamDecoder *self)
{
  return self->back;
}

/* An upstream error ends the stream. Before the client saw anything (keepalive comments at most) it may be an
 * account's limit, so the caller treats it like an HTTP error; after, the client already has part of an answer. */
static void
fail_with (AgStreamDecoder *self, AgGoogleError *error)
{
  g_clear_pointer (&self->error, ag_google_error_free);
  self->error = error;
  self->state = !ag_back_translator_started (self->back) && ag_back_translator_is_empty (self->back)
                  ? AG_STREAM_STATE_FAILED_BEFORE_CONTENT
                  : AG_STREAM_STATE_FAILED_AFTER_CONTENT;
}

static void
on_event (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  AgStreamDecoder *self = user_data;
  g_autoptr(JsonNode) owned = NULL;
  JsonNode *root;
  g_autoptr(GError) error = NULL;
  JsonObject *chunk;

  /* The rest of a read after the stream ended early is not looked at. */
  if (self->state != AG_STREAM_STATE_READING)
    return;
  self->n_events++;
  /* A stream's events mostly share one shape (a text delta after a text delta): where the translator allows it,
   * each is read into the tree of the one before instead of a new tree built and freed per event. */
  if (self->back->klass->borrows_chunks)
    root = ag_json_parser_parse_reused (self->json, data, data_len, NULL);
  else
    root = owned = ag_json_parser_parse (self->json, data, data_len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* One broken event must not take the whole answer down; it is reported and skipped. */
      g_warning ("skipping a malformed upstream event (%" G_GSIZE_FORMAT " bytes)", data_len);
      return;
    }
  chunk = json_node_get_object (root);
  if (json_object_get_member (chunk, "error") != NULL)
    {
      fail_with (self, ag_google_error_from_object (200, chunk));
      return;
    }
  if (ag_back_translator_push (self->back, chunk, &error))
    return;
  /* Google's "this version is no longer supported", dressed as the model's answer (the translator only says so
   * before anything was shown): not for the client to read as one, but the HTTP error it stands for. */
  if (g_error_matches (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_CLIENT_OUTDATED))
    {
      fail_with (self, ag_google_error_new_outdated_client (error->message));
      return;
    }
  g_warning ("skipping an upstream event: %s", error->message);
}

static AgStreamState
end_with_message (AgStreamDecoder *self, AgStreamState state, char *message)
{
  g_free (self->message);
  self->message = message;
  self->state = state;
  return state;
}

AgStreamState
ag_stream_decoder_feed (AgStreamDecoder *self, const char *bytes, gsize len)
{
  g_autoptr(GError) error = NULL;

  if (self->state != AG_STREAM_STATE_READING)
    return self->state;
  /* The parser goes on past an oversized event (it resyncs), so the events after it in this read are decoded
   * before the stream is ended; an error after content among them wins, as the client already has it. */
  if (!ag_sse_parser_feed (self->sse, bytes, len, &error) && self->state != AG_STREAM_STATE_FAILED_AFTER_CONTENT)
    {
      /* Dropping a giant event would silently leave a hole in the answer; end it with an error instead. */
      g_warning ("ending the upstream stream: %s", error->message);
      g_clear_pointer (&self->error, ag_google_error_free);
      return end_with_message (self, AG_STREAM_STATE_OVERSIZED_EVENT, g_strdup (error->message));
    }
  return self->state;
}

AgStreamState
ag_stream_decoder_finish (AgStreamDecoder *self, gboolean may_retry_empty)
{
  g_autoptr(GError) error = NULL;

  if (self->state != AG_STREAM_STATE_READING)
    return self->state;
  ag_sse_parser_finish (self->sse);
  if (self->state != AG_STREAM_STATE_READING)
    return self->state;

  if (may_retry_empty && ag_back_translator_is_empty (self->back) && !ag_back_translator_started (self->back))
    return self->state = AG_STREAM_STATE_EMPTY;
  /* Nothing at all came back: a real HTTP error is still possible and more useful than an empty message. */
  if (!ag_back_translator_received_response (self->back))
    return end_with_message (self, AG_STREAM_STATE_NOTHING_RECEIVED,
                             g_strdup ("Cloud Code ended the stream without sending any content"));
  /* libsoup reports a chunked body cut between chunks as a clean end; only a finishReason means "done". */
  if (!ag_back_translator_saw_finish_reason (self->back))
    return end_with_message (self, AG_STREAM_STATE_TRUNCATED,
                             g_strdup ("the connection to Cloud Code ended before the answer was complete"));
  if (!ag_back_translator_finish (self->back, &error))
    return end_with_message (self, AG_STREAM_STATE_MALFORMED_ANSWER, g_strdup (error->message));
  return self->state = AG_STREAM_STATE_COMPLETE;
}

AgStreamState
ag_stream_decoder_read_failed (AgStreamDecoder *self, const GError *error)
{
  if (self->state != AG_STREAM_STATE_READING)
    return self->state;
  return end_with_message (self, AG_STREAM_STATE_READ_FAILED,
                           g_strdup_printf ("the connection to Cloud Code failed mid-answer: %s", error->message));
}

AgStreamState
ag_stream_decoder_get_state (AgStreamDecoder *self)
{
  return self->state;
}

guint64
ag_stream_decoder_get_n_events (AgStreamDecoder *self)
{
  return self->n_events;
}

const AgGoogleError *
ag_stream_decoder_get_error (AgStreamDecoder *self)
{
  return self->error;
}

AgGoogleError *
ag_stream_decoder_steal_error (AgStreamDecoder *self)
{
  return g_steal_pointer (&self->error);
}

const char *
ag_stream_decoder_get_message (AgStreamDecoder *self)
{
  return self->message;
}

const char *
ag_stream_state_to_string (AgStreamState state)
{
  switch (state)
    {
    case AG_STREAM_STATE_READING: return "reading";
    case AG_STREAM_STATE_COMPLETE: return "complete";
    case AG_STREAM_STATE_EMPTY: return "empty";
    case AG_STREAM_STATE_NOTHING_RECEIVED: return "nothing-received";
    case AG_STREAM_STATE_TRUNCATED: return "truncated";
    case AG_STREAM_STATE_FAILED_BEFORE_CONTENT: return "failed-before-content";
    case AG_STREAM_STATE_FAILED_AFTER_CONTENT: return "failed-after-content";
    case AG_STREAM_STATE_OVERSIZED_EVENT: return "oversized-event";
    case AG_STREAM_STATE_READ_FAILED: return "read-failed";
    case AG_STREAM_STATE_MALFORMED_ANSWER: return "malformed-answer";
    default: return "unknown";
    }
}
