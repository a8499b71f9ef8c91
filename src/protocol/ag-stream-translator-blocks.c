/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-translator-blocks.c — an upstream part's content blocks.
 *
 * One block is open at a time. Thought text goes to a thinking block, text to a text block, a change of kind
 * closes the open block; function calls and images are complete blocks of their own. A thinking block's
 * signature is held until the block closes, so exactly one signature_delta precedes its content_block_stop. */
#include "ag-stream-translator-private.h"
#include "ag-json.h"
#include "ag-signature-carrier.h"

#include <string.h>

void
ag_anthropic_random_id (char *out, const char *prefix)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  gsize n = strlen (prefix);

  memcpy (out, prefix, n);
  for (gsize i = 0; i < AG_ANTHROPIC_ID_RANDOM_CHARS; i++)
    out[n + i] = alphabet[g_random_int_range (0, (gint32) (sizeof alphabet - 1))];
  out[n + AG_ANTHROPIC_ID_RANDOM_CHARS] = '\0';
}

/* Starts content_block_start for block @index of @type; the caller adds the block's other members, then calls
 * block_start_end. */
static void
block_start_begin (AgStreamTranslator *self, gint64 index, const char *type)
{
  /* The message opens with its first block: until then nothing was said, and an answer with no content can be
   * asked for again without the client ever knowing. */
  if (!self->started)
    ag_stream_translator_emit_message_start (self);
  ag_event_writer_begin (&self->writer, "content_block_start");
  ag_event_writer_int (&self->writer, "index", index);
  ag_event_writer_open (&self->writer, "content_block");
  ag_event_writer_string (&self->writer, "type", type);
}

static void
block_start_end (AgStreamTranslator *self)
{
  ag_event_writer_close (&self->writer);
  ag_event_writer_end (&self->writer);
}

static void
emit_delta (AgStreamTranslator *self, gint64 index, const char *delta_type, const char *field, const char *value)
{
  ag_event_writer_begin (&self->writer, "content_block_delta");
  ag_event_writer_int (&self->writer, "index", index);
  ag_event_writer_open (&self->writer, "delta");
  ag_event_writer_string (&self->writer, "type", delta_type);
  ag_event_writer_string (&self->writer, field, value);
  ag_event_writer_close (&self->writer);
  ag_event_writer_end (&self->writer);
}

static void
emit_block_stop (AgStreamTranslator *self, gint64 index)
{
  ag_event_writer_begin (&self->writer, "content_block_stop");
  ag_event_writer_int (&self->writer, "index", index);
  ag_event_writer_end (&self->writer);
}

void
ag_stream_translator_close_block (AgStreamTranslator *self)
{
  if (self->open == AG_OPEN_NONE)
    return;
  if (self->open == AG_OPEN_THINKING && self->thinking_signature != NULL)
    {
      g_autofree char *carried = ag_signature_carrier_wrap_thinking (self->thinking_signature, self->family);

      emit_delta (self, self->open_index, "signature_delta", "signature", carried);
      g_clear_pointer (&self->thinking_signature, g_free);
    }
  emit_block_stop (self, self->open_index);
  self->open = AG_OPEN_NONE;
}

static void
open_block (AgStreamTranslator *self, AgOpenBlock kind)
{
  if (self->open == kind)
    return;
  ag_stream_translator_close_block (self);
  self->open = kind;
  self->open_index = self->next_index++;
  if (kind == AG_OPEN_THINKING)
    {
      block_start_begin (self, self->open_index, "thinking");
      ag_event_writer_string (&self->writer, "thinking", "");
      ag_event_writer_string (&self->writer, "signature", "");
    }
  else
    {
      block_start_begin (self, self->open_index, "text");
      ag_event_writer_string (&self->writer, "text", "");
    }
  block_start_end (self);
}

static void
set_string (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
handle_function_call (AgStreamTranslator *self, JsonObject *call, const char *signature)
{
  const char *upstream_id = ag_json_string (call, "id");
  const char *name = ag_json_string (call, "name");
  JsonNode *args = json_object_get_member (call, "args");
  const char *tool_signature = signature;
  char generated_id[6 + AG_ANTHROPIC_ID_RANDOM_CHARS + 1];
  g_autofree char *id = NULL;
  g_autofree char *args_json = NULL;

  /* A signature riding on the call while thinking is still open signs that thinking (Claude puts it here). */
  if (signature != NULL && self->open == AG_OPEN_THINKING && self->thinking_signature == NULL)
    set_string (&self->thinking_signature, signature);
  ag_stream_translator_close_block (self);

  if (upstream_id == NULL || *upstream_id == '\0')
    {
      ag_anthropic_random_id (generated_id, "toolu_");
      upstream_id = generated_id;
    }
  /* Gemini signs the first call of a turn, sometimes on the part before it; parallel calls after it carry none.
   * The signature rides on the id, the one field of a tool_use the client sends back as it was. */
  if (tool_signature == NULL && self->family == AG_MODEL_FAMILY_GEMINI)
    tool_signature = self->gemini_tool_signature;
  id = self->family == AG_MODEL_FAMILY_GEMINI ? ag_signature_carrier_wrap_tool_id (upstream_id, tool_signature)
                                              : g_strdup (upstream_id);
  if (name == NULL)
    name = "";
  if (self->tool_names != NULL)
    name = ag_tool_names_to_client (self->tool_names, name);
  args_json = args != NULL && JSON_NODE_HOLDS_OBJECT (args) ? json_to_string (args, FALSE) : g_strdup ("{}");

  block_start_begin (self, self->next_index, "tool_use");
  ag_event_writer_string (&self->writer, "id", id);
  ag_event_writer_string (&self->writer, "name", name);
  ag_event_writer_open (&self->writer, "input");
  ag_event_writer_close (&self->writer);
  block_start_end (self);
  emit_delta (self, self->next_index, "input_json_delta", "partial_json", args_json);
  emit_block_stop (self, self->next_index);
  self->next_index++;

  g_clear_pointer (&self->gemini_tool_signature, g_free);

  self->saw_tool_use = TRUE;
  self->saw_content = TRUE;
}

/* Anthropic image block {"type":"image","source":{"type":"base64","media_type","data"}}: whole, no deltas. */
static void
handle_inline_data (AgStreamTranslator *self, JsonObject *inline_data)
{
  const char *mime = ag_json_string (inline_data, "mimeType");
  const char *data = ag_json_string (inline_data, "data");

  if (data == NULL)
    return;
  ag_stream_translator_close_block (self);
  block_start_begin (self, self->next_index, "image");
  ag_event_writer_open (&self->writer, "source");
  ag_event_writer_string (&self->writer, "type", "base64");
  ag_event_writer_string (&self->writer, "media_type", mime != NULL ? mime : "application/octet-stream");
  ag_event_writer_string (&self->writer, "data", data);
  ag_event_writer_close (&self->writer);
  block_start_end (self);
  emit_block_stop (self, self->next_index);
  self->next_index++;
  self->saw_content = TRUE;
}

/* Text or thought text into the open block of @kind. Empty text is skipped, whitespace is kept (as
 * antigravity-claude-proxy does). */
static void
add_text (AgStreamTranslator *self, AgOpenBlock kind, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  open_block (self, kind);
  if (kind == AG_OPEN_THINKING)
    emit_delta (self, self->open_index, "thinking_delta", "thinking", text);
  else
    emit_delta (self, self->open_index, "text_delta", "text", text);
  self->saw_content = TRUE;
}

void
ag_stream_translator_handle_part (AgStreamTranslator *self, JsonObject *part)
{
  const char *signature, *text;
  JsonObject *call, *inline_data;

  /* Most parts of a stream are a piece of text alone: nothing else to look for. */
  if (json_object_get_size (part) == 1 && (text = ag_json_string (part, "text")) != NULL)
    {
      add_text (self, AG_OPEN_TEXT, text);
      return;
    }

  /* Shorter signatures are placeholders (every peer uses the 50-char rule): passing them on would fail later. */
  signature = ag_json_string (part, "thoughtSignature");
  if (signature != NULL && strlen (signature) < AG_SIGNATURE_MIN_LENGTH)
    signature = NULL;

  if ((call = ag_json_object (part, "functionCall")) != NULL)
    {
      handle_function_call (self, call, signature);
      return;
    }
  if (signature != NULL && self->family == AG_MODEL_FAMILY_GEMINI)
    set_string (&self->gemini_tool_signature, signature);
  if ((inline_data = ag_json_object (part, "inlineData")) != NULL)
    {
      handle_inline_data (self, inline_data);
      return;
    }

  text = ag_json_string (part, "text");
  if (ag_json_bool (part, "thought", FALSE))
    {
      add_text (self, AG_OPEN_THINKING, text);
      /* A trailing signature after the thinking closed has no block to go to; a later one replaces an earlier. */
      if (signature != NULL && self->open == AG_OPEN_THINKING)
        set_string (&self->thinking_signature, signature);
      return;
    }

  /* A signature on the part after the thoughts signs them, so attach it before the text closes the block. */
  if (signature != NULL && self->open == AG_OPEN_THINKING && self->thinking_signature == NULL)
    set_string (&self->thinking_signature, signature);
  add_text (self, AG_OPEN_TEXT, text);
}
