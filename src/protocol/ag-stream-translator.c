/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-translator.c — Cloud Code stream chunks → Anthropic Messages events: the message around the blocks
 * (message_start, usage, message_delta, message_stop, errors, pings) and the back-translator interface. How a part
 * becomes content blocks is in ag-stream-translator-blocks.c. */
#include "ag-stream-translator-private.h"
#include "ag-google-error.h"
#include "ag-json.h"
#include "ag-protocol-error.h"

#include <string.h>

static const AgBackTranslatorClass stream_translator_class;

static AgStreamTranslator *
translator_new (const AgStreamOptions *options, AgStreamOutput output)
{
  AgStreamTranslator *self = g_new0 (AgStreamTranslator, 1);

  ag_back_translator_init (&self->parent, &stream_translator_class);
  self->output = output;
  self->client_model = g_strdup (options->client_model != NULL ? options->client_model : "");
  self->family = options->family;
  self->tool_names = options->tool_names != NULL ? ag_tool_names_ref (options->tool_names) : NULL;
  self->usage_scale = options->usage_scale;
  self->compact_at = options->compact_at;
  ag_anthropic_random_id (self->message_id, "msg_");
  return self;
}

AgStreamTranslator *
ag_stream_translator_new (const AgStreamOptions *options, AgAnthropicEventFunc func, gpointer user_data)
{
  AgStreamTranslator *self = translator_new (options, AG_STREAM_OUTPUT_EVENTS);

  ag_event_writer_init_func (&self->writer, func, user_data);
  return self;
}

AgBackTranslator *
ag_anthropic_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  AgStreamTranslator *self = translator_new (options, stream ? AG_STREAM_OUTPUT_SSE : AG_STREAM_OUTPUT_MESSAGE);

  if (stream)
    ag_event_writer_init_sse (&self->writer, self->parent.output);
  else
    {
      self->collector = ag_message_collector_new ();
      ag_event_writer_init_func (&self->writer, ag_message_collector_add_event, self->collector);
    }
  return &self->parent;
}

AgBackTranslator *
ag_stream_translator_as_back_translator (AgStreamTranslator *self)
{
  return &self->parent;
}

void
ag_stream_translator_free (AgStreamTranslator *self)
{
  if (self == NULL)
    return;
  g_free (self->client_model);
  g_clear_pointer (&self->tool_names, ag_tool_names_unref);
  g_free (self->thinking_signature);
  g_free (self->gemini_tool_signature);
  g_clear_pointer (&self->collector, ag_message_collector_free);
  ag_back_translator_clear (&self->parent);
  g_free (self);
}

static void
emit_typed (AgStreamTranslator *self, const char *name)
{
  ag_event_writer_begin (&self->writer, name);
  ag_event_writer_end (&self->writer);
}

static void
event_usage (AgStreamTranslator *self, gint64 output)
{
  gint64 input = ag_usage_scaled (ag_upstream_usage_input (&self->parent.usage), self->usage_scale);
  gint64 cached = ag_usage_scaled (self->parent.usage.cached, self->usage_scale);

  /* Claude Code assumes 1M for some models and 200k for others whatever upstream takes: near upstream's limit it
   * is told its own window is full, so it compacts now rather than after upstream refused (when even the
   * compaction request no longer fits). */
  if (self->compact_at > 0 && self->parent.usage.prompt >= self->compact_at &&
      input + cached < AG_CLIENT_LARGEST_WINDOW)
    input = AG_CLIENT_LARGEST_WINDOW - cached;
  ag_event_writer_open (&self->writer, "usage");
  ag_event_writer_int (&self->writer, "input_tokens", input);
  ag_event_writer_int (&self->writer, "output_tokens", output);
  ag_event_writer_int (&self->writer, "cache_read_input_tokens", cached);
  ag_event_writer_int (&self->writer, "cache_creation_input_tokens", 0);
  ag_event_writer_close (&self->writer);
}

void
ag_stream_translator_emit_message_start (AgStreamTranslator *self)
{
  self->started = TRUE;
  ag_event_writer_begin (&self->writer, "message_start");
  ag_event_writer_open (&self->writer, "message");
  ag_event_writer_string (&self->writer, "id", self->message_id);
  ag_event_writer_string (&self->writer, "type", "message");
  ag_event_writer_string (&self->writer, "role", "assistant");
  ag_event_writer_string (&self->writer, "model", self->client_model);
  ag_event_writer_empty_array (&self->writer, "content");
  ag_event_writer_null (&self->writer, "stop_reason");
  ag_event_writer_null (&self->writer, "stop_sequence");
  /* Output is unknown this early; Anthropic and antigravity-claude-proxy report 0 here. */
  event_usage (self, 0);
  ag_event_writer_close (&self->writer);
  ag_event_writer_end (&self->writer);
}

/* docs/client-formats.md#stop-reasons: tool_use wins (decided at finish); MAX_TOKENS → max_tokens; the content filters
 * map to "refusal", the
 * stop reason Anthropic itself uses for a blocked answer (the peers say end_turn, which hides the block from
 * the user); everything else, MALFORMED_FUNCTION_CALL and OTHER included, is end_turn. */
const char *
ag_anthropic_stop_reason_for_finish (const char *finish_reason)
{
  static const char *const refusals[] = {
    "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", NULL,
  };

  if (strcmp (finish_reason, "MAX_TOKENS") == 0)
    return "max_tokens";
  for (const char *const *r = refusals; *r != NULL; r++)
    if (strcmp (finish_reason, *r) == 0)
      return "refusal";
  return "end_turn";
}

/* The text of a part in @parts that is Google's outdated-client notice, or NULL. */
static const char *
outdated_client_notice (JsonArray *parts)
{
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      const char *text = ag_json_string (ag_json_array_object (parts, i), "text");

      if (ag_google_text_is_outdated_client_notice (text))
        return text;
    }
  return NULL;
}

gboolean
ag_stream_translator_push (AgStreamTranslator *self, JsonObject *chunk, GError **error)
{
  JsonObject *response = ag_upstream_chunk_response (chunk, error);
  JsonObject *feedback;
  JsonArray *candidates;

  if (response == NULL)
    return FALSE;
  if (self->done)
    return TRUE;
  ag_back_translator_note_response (&self->parent, response);

  if ((feedback = ag_json_object (response, "promptFeedback")) != NULL && ag_json_string (feedback, "blockReason"))
    self->finish_stop_reason = "refusal";

  candidates = ag_json_array (response, "candidates");
  if (candidates != NULL && json_array_get_length (candidates) > 0)
    {
      JsonObject *candidate = ag_json_array_object (candidates, 0);
      JsonArray *parts = ag_json_array (ag_json_object (candidate, "content"), "parts");
      const char *finish_reason = ag_json_string (candidate, "finishReason");
      guint n_parts = parts != NULL ? json_array_get_length (parts) : 0;
      const char *notice = !self->started && parts != NULL ? outdated_client_notice (parts) : NULL;

      if (notice != NULL)
        {
          g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_CLIENT_OUTDATED, notice);
          return FALSE;
        }
      for (guint i = 0; i < n_parts; i++)
        {
          JsonObject *part = ag_json_array_object (parts, i);

          if (part != NULL)
            ag_stream_translator_handle_part (self, part);
        }
      if (finish_reason != NULL)
        self->finish_stop_reason = ag_anthropic_stop_reason_for_finish (finish_reason);
    }
  return TRUE;
}

gboolean
ag_stream_translator_saw_finish_reason (AgStreamTranslator *self)
{
  return self->finish_stop_reason != NULL;
}

void
ag_stream_translator_finish (AgStreamTranslator *self)
{
  if (self->done)
    return;
  if (!self->started)
    ag_stream_translator_emit_message_start (self);
  ag_stream_translator_close_block (self);

  ag_event_writer_begin (&self->writer, "message_delta");
  ag_event_writer_open (&self->writer, "delta");
  ag_event_writer_string (&self->writer, "stop_reason", self->saw_tool_use ? "tool_use"
                                     : self->finish_stop_reason != NULL ? self->finish_stop_reason
                                                                        : "end_turn");
  ag_event_writer_null (&self->writer, "stop_sequence");
  ag_event_writer_close (&self->writer);
  event_usage (self, ag_upstream_usage_output (&self->parent.usage));
  ag_event_writer_end (&self->writer);

  emit_typed (self, "message_stop");
  self->done = TRUE;
}

void
ag_stream_translator_fail (AgStreamTranslator *self, const char *error_type, const char *message)
{
  /* The stream ends with the error: nothing may follow it, not even message_stop. */
  self->done = TRUE;
  ag_event_writer_begin (&self->writer, "error");
  ag_event_writer_open (&self->writer, "error");
  ag_event_writer_string (&self->writer, "type", error_type);
  ag_event_writer_string (&self->writer, "message", message != NULL ? message : "");
  ag_event_writer_close (&self->writer);
  ag_event_writer_end (&self->writer);
}

gboolean
ag_stream_translator_ping (AgStreamTranslator *self)
{
  if (!self->started || self->done)
    return FALSE;
  emit_typed (self, "ping");
  return TRUE;
}

gboolean
ag_stream_translator_started (AgStreamTranslator *self)
{
  return self->started;
}

gboolean
ag_stream_translator_received_response (AgStreamTranslator *self)
{
  return self->parent.received;
}

gboolean
ag_stream_translator_is_empty (AgStreamTranslator *self)
{
  return !self->saw_content;
}

void
ag_stream_translator_get_usage (AgStreamTranslator *self, gint64 *input, gint64 *output, gint64 *cache_read)
{
  ag_back_translator_get_usage (&self->parent, input, output, cache_read);
}

/* ---- the back-translator interface --------------------------------------------------------------------- */

static gboolean
back_push (AgBackTranslator *back, JsonObject *chunk, GError **error)
{
  return ag_stream_translator_push ((AgStreamTranslator *) back, chunk, error);
}

static gboolean
back_finish (AgBackTranslator *back, GError **error)
{
  AgStreamTranslator *self = (AgStreamTranslator *) back;
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *text = NULL;

  ag_stream_translator_finish (self);
  if (self->output != AG_STREAM_OUTPUT_MESSAGE || self->collected)
    return TRUE;
  message = ag_message_collector_finish (self->collector, NULL, error);
  if (message == NULL)
    return FALSE;
  self->collected = TRUE;
  text = json_to_string (message, FALSE);
  g_string_append (back->output, text);
  return TRUE;
}

static void
back_fail (AgBackTranslator *back, const char *error_type, const char *message)
{
  ag_stream_translator_fail ((AgStreamTranslator *) back, error_type, message);
}

/* One collected response has no room for a keepalive. */
static gboolean
back_ping (AgBackTranslator *back)
{
  AgStreamTranslator *self = (AgStreamTranslator *) back;

  return self->output != AG_STREAM_OUTPUT_MESSAGE && ag_stream_translator_ping (self);
}

static gboolean
back_started (AgBackTranslator *back)
{
  return ag_stream_translator_started ((AgStreamTranslator *) back);
}

static gboolean
back_is_empty (AgBackTranslator *back)
{
  return ag_stream_translator_is_empty ((AgStreamTranslator *) back);
}

static gboolean
back_saw_finish_reason (AgBackTranslator *back)
{
  return ag_stream_translator_saw_finish_reason ((AgStreamTranslator *) back);
}

static void
back_free (AgBackTranslator *back)
{
  ag_stream_translator_free ((AgStreamTranslator *) back);
}

static const AgBackTranslatorClass stream_translator_class = {
  .borrows_chunks = TRUE,
  .push = back_push,
  .finish = back_finish,
  .fail = back_fail,
  .ping = back_ping,
  .started = back_started,
  .is_empty = back_is_empty,
  .saw_finish_reason = back_saw_finish_reason,
  .free = back_free,
};