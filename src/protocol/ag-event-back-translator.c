/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-event-back-translator.h"
#include "ag-json-writer.h"

void
ag_event_back_translator_init (AgEventBackTranslator *self, const AgBackTranslatorClass *klass,
                               const AgStreamOptions *options, gboolean stream, AgAnthropicEventFunc func)
{
  ag_back_translator_init (&self->parent, klass);
  self->inner = ag_stream_translator_new (options, func, self);
  self->stream = stream;
}

void
ag_event_back_translator_clear (AgEventBackTranslator *self)
{
  g_clear_pointer (&self->inner, ag_stream_translator_free);
  ag_back_translator_clear (&self->parent);
}

/* Neither OpenAI API has a keepalive event; their clients skip comments. */
gboolean
ag_event_back_translator_ping (AgBackTranslator *back)
{
  AgEventBackTranslator *self = (AgEventBackTranslator *) back;

  if (!self->stream || self->done || !ag_stream_translator_started (self->inner))
    return FALSE;
  ag_json_append_literal (self->parent.output, ": keepalive\n\n");
  return TRUE;
}

gboolean
ag_event_back_translator_push (AgBackTranslator *back, JsonObject *chunk, GError **error)
{
  return ag_stream_translator_push (((AgEventBackTranslator *) back)->inner, chunk, error);
}

gboolean
ag_event_back_translator_started (AgBackTranslator *back)
{
  return ag_stream_translator_started (((AgEventBackTranslator *) back)->inner);
}

gboolean
ag_event_back_translator_is_empty (AgBackTranslator *back)
{
  return ag_stream_translator_is_empty (((AgEventBackTranslator *) back)->inner);
}

gboolean
ag_event_back_translator_received_response (AgBackTranslator *back)
{
  return ag_stream_translator_received_response (((AgEventBackTranslator *) back)->inner);
}

gboolean
ag_event_back_translator_saw_finish_reason (AgBackTranslator *back)
{
  return ag_stream_translator_saw_finish_reason (((AgEventBackTranslator *) back)->inner);
}

void
ag_event_back_translator_get_usage (AgBackTranslator *back, gint64 *input_tokens, gint64 *output_tokens,
                                    gint64 *cache_read_tokens)
{
  ag_stream_translator_get_usage (((AgEventBackTranslator *) back)->inner, input_tokens, output_tokens,
                                  cache_read_tokens);
}
