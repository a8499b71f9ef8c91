/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-back-translator.h"
#include "ag-json.h"

void
ag_back_translator_init (AgBackTranslator *self, const AgBackTranslatorClass *klass)
{
  self->klass = klass;
  self->output = g_string_new (NULL);
}

void
ag_back_translator_clear (AgBackTranslator *self)
{
  if (self->output != NULL)
    g_string_free (self->output, TRUE);
  self->output = NULL;
}

void
ag_back_translator_note_response (AgBackTranslator *self, JsonObject *response)
{
  JsonObject *usage = ag_json_object (response, "usageMetadata");

  self->received = TRUE;
  if (usage != NULL)
    ag_upstream_usage_read (&self->usage, usage);
}

gboolean
ag_back_translator_push (AgBackTranslator *self, JsonObject *chunk, GError **error)
{
  return self->klass->push (self, chunk, error);
}

gboolean
ag_back_translator_finish (AgBackTranslator *self, GError **error)
{
  return self->klass->finish (self, error);
}

void
ag_back_translator_fail (AgBackTranslator *self, const char *error_type, const char *message)
{
  self->klass->fail (self, error_type, message);
}

gboolean
ag_back_translator_ping (AgBackTranslator *self)
{
  return self->klass->ping (self);
}

gboolean
ag_back_translator_started (AgBackTranslator *self)
{
  return self->klass->started (self);
}

gboolean
ag_back_translator_is_empty (AgBackTranslator *self)
{
  return self->klass->is_empty (self);
}

gboolean
ag_back_translator_received_response (AgBackTranslator *self)
{
  return self->klass->received_response != NULL ? self->klass->received_response (self) : self->received;
}

gboolean
ag_back_translator_saw_finish_reason (AgBackTranslator *self)
{
  return self->klass->saw_finish_reason (self);
}

void
ag_back_translator_get_usage (AgBackTranslator *self, gint64 *input_tokens, gint64 *output_tokens,
                              gint64 *cache_read_tokens)
{
  if (self->klass->get_usage != NULL)
    {
      self->klass->get_usage (self, input_tokens, output_tokens, cache_read_tokens);
      return;
    }
  if (input_tokens != NULL)
    *input_tokens = ag_upstream_usage_input (&self->usage);
  if (output_tokens != NULL)
    *output_tokens = ag_upstream_usage_output (&self->usage);
  if (cache_read_tokens != NULL)
    *cache_read_tokens = self->usage.cached;
}

GBytes *
ag_back_translator_take_output (AgBackTranslator *self)
{
  GBytes *bytes;

  if (self->output->len == 0)
    return NULL;
  /* A copy, so the buffer keeps its size for the next events instead of growing again. */
  bytes = g_bytes_new (self->output->str, self->output->len);
  g_string_truncate (self->output, 0);
  return bytes;
}

void
ag_back_translator_free (AgBackTranslator *self)
{
  if (self != NULL)
    self->klass->free (self);
}
