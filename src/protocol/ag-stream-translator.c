/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-translator.c — Cloud Code stream chunks → Anthropic Messages events.
 *
 * One block is open at a time. Thought text goes to a thinking block, text to a text block, a change of kind
 * closes the open block; function calls and images are complete blocks of their own. A thinking block's
 * signature is held until the block closes, so exactly one signature_delta precedes its content_block_stop. */
#include "ag-stream-translator.h"
#include "ag-event-writer.h"
#include "ag-google-error.h"
#include "ag-json.h"
#include "ag-json-writer.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-signature-carrier.h"

#include <string.h>

#define RANDOM_ID_CHARS 24

typedef enum {
  OPEN_NONE,
  OPEN_TEXT,
  OPEN_THINKING,
} OpenBlock;

/* Where events go. */
typedef enum {
  OUTPUT_EVENTS,   /* a JsonNode per event to the caller's function */
  OUTPUT_SSE,      /* "event: …\ndata: …\n\n" frames appended to the output */
  OUTPUT_MESSAGE,  /* folded by a collector into one Messages response, written to the output at the end */
} Output;

struct _AgStreamTranslator {
  AgBackTranslator     parent;     /* first: the back-translator interface */
  Output               output;
  AgEventWriter        writer;     /* SSE frames into the parent's output, or event trees to a function */
  AgMessageCollector  *collector;  /* OUTPUT_MESSAGE */
  gboolean             collected;  /* OUTPUT_MESSAGE: the response was written */
  char                *client_model;
  AgModelFamily        family;
  AgToolNames         *tool_names;

  char       message_id[4 + RANDOM_ID_CHARS + 1];
  gboolean   received;   /* a response chunk arrived */
  gboolean   started;    /* message_start was emitted: the client has seen the message */
  gboolean   done;
  OpenBlock  open;
  gint64     open_index;
  gint64     next_index;
  char      *thinking_signature;    /* for the open thinking block, emitted when it closes */
  char      *gemini_tool_signature; /* Gemini: a signature on the parts before a functionCall belongs to it */
  gboolean   saw_content;
  gboolean   saw_tool_use;
  const char *finish_stop_reason;   /* from the last finishReason, NULL until one arrives */

  gint64   prompt_tokens, cached_tokens, candidates_tokens, thoughts_tokens, total_tokens;
  double   usage_scale;
  gint64   compact_at;
  gboolean have_candidates, have_thoughts, have_total;
};

static const AgBackTranslatorClass stream_translator_class;

static void
random_id (char *out, const char *prefix)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  gsize n = strlen (prefix);

  memcpy (out, prefix, n);
  for (gsize i = 0; i < RANDOM_ID_CHARS; i++)
    out[n + i] = alphabet[g_random_int_range (0, (gint32) (sizeof alphabet - 1))];
  out[n + RANDOM_ID_CHARS] = '\0';
}

static AgStreamTranslator *
translator_new (const AgStreamOptions *options, Output output)
{
  AgStreamTranslator *self = g_new0 (AgStreamTranslator, 1);

  ag_back_translator_init (&self->parent, &stream_translator_class);
  self->output = output;
  self->client_model = g_strdup (options->client_model != NULL ? options->client_model : "");
  self->family = options->family;
  self->tool_names = options->tool_names != NULL ? ag_tool_names_ref (options->tool_names) : NULL;
  self->usage_scale = options->usage_scale;
  self->compact_at = options->compact_at;
  random_id (self->message_id, "msg_");
  return self;
}

AgStreamTranslator *
ag_stream_translator_new (const AgStreamOptions *options, AgAnthropicEventFunc func, gpointer user_data)
{
  AgStreamTranslator *self = translator_new (options, OUTPUT_EVENTS);

  ag_event_writer_init_func (&self->writer, func, user_data);
  return self;
}

AgBackTranslator *
ag_anthropic_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  AgStreamTranslator *self = translator_new (options, stream ? OUTPUT_SSE : OUTPUT_MESSAGE);

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

static gint64
input_tokens (AgStreamTranslator *self)
{
  return MAX (self->prompt_tokens - self->cached_tokens, 0);
}

/* CLIProxyAPI's rule: thoughts are output the user pays for; without candidate counts use total − prompt. */
static gint64
output_tokens (AgStreamTranslator *self)
{
  if (self->have_candidates || self->have_thoughts)
    return self->candidates_tokens + self->thoughts_tokens;
  if (self->have_total)
    return MAX (self->total_tokens - self->prompt_tokens, 0);
  return 0;
}

/* Usage scaling changes only what the client is told about its context (input and cache reads), never the
 * output it pays for; the translator's own counts (the request log) stay real. */
static gint64
scaled (AgStreamTranslator *self, gint64 tokens)
{
  if (self->usage_scale <= 0.0 || self->usage_scale == 1.0)
    return tokens;
  return (gint64) (tokens * self->usage_scale + 0.5);
}

static void
event_usage (AgStreamTranslator *self, gint64 output)
{
  gint64 input = scaled (self, input_tokens (self));
  gint64 cached = scaled (self, self->cached_tokens);

  /* Claude Code assumes 1M for some models and 200k for others whatever upstream takes: near upstream's limit it
   * is told its own window is full, so it compacts now rather than after upstream refused (when even the
   * compaction request no longer fits). */
  if (self->compact_at > 0 && self->prompt_tokens >= self->compact_at && input + cached < AG_CLIENT_LARGEST_WINDOW)
    input = AG_CLIENT_LARGEST_WINDOW - cached;
  ag_event_writer_open (&self->writer, "usage");
  ag_event_writer_int (&self->writer, "input_tokens", input);
  ag_event_writer_int (&self->writer, "output_tokens", output);
  ag_event_writer_int (&self->writer, "cache_read_input_tokens", cached);
  ag_event_writer_int (&self->writer, "cache_creation_input_tokens", 0);
  ag_event_writer_close (&self->writer);
}

static void
emit_message_start (AgStreamTranslator *self)
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

/* Starts content_block_start for block @index of @type; the caller adds the block's other members, then calls
 * block_start_end. */
static void
block_start_begin (AgStreamTranslator *self, gint64 index, const char *type)
{
  /* The message opens with its first block: until then nothing was said, and an answer with no content can be
   * asked for again without the client ever knowing. */
  if (!self->started)
    emit_message_start (self);
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

/* ---- blocks ------------------------------------------------------------------------------------------- */

static void
close_block (AgStreamTranslator *self)
{
  if (self->open == OPEN_NONE)
    return;
  if (self->open == OPEN_THINKING && self->thinking_signature != NULL)
    {
      g_autofree char *carried = ag_signature_carrier_wrap_thinking (self->thinking_signature, self->family);

      emit_delta (self, self->open_index, "signature_delta", "signature", carried);
      g_clear_pointer (&self->thinking_signature, g_free);
    }
  emit_block_stop (self, self->open_index);
  self->open = OPEN_NONE;
}

static void
open_block (AgStreamTranslator *self, OpenBlock kind)
{
  if (self->open == kind)
    return;
  close_block (self);
  self->open = kind;
  self->open_index = self->next_index++;
  if (kind == OPEN_THINKING)
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
  char generated_id[6 + RANDOM_ID_CHARS + 1];
  g_autofree char *id = NULL;
  g_autofree char *args_json = NULL;

  /* A signature riding on the call while thinking is still open signs that thinking (Claude puts it here). */
  if (signature != NULL && self->open == OPEN_THINKING && self->thinking_signature == NULL)
    set_string (&self->thinking_signature, signature);
  close_block (self);

  if (upstream_id == NULL || *upstream_id == '\0')
    {
      random_id (generated_id, "toolu_");
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
  close_block (self);
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

static void
handle_part (AgStreamTranslator *self, JsonObject *part)
{
  const char *signature = ag_json_string (part, "thoughtSignature");
  JsonObject *call, *inline_data;
  const char *text;

  /* Shorter signatures are placeholders (every peer uses the 50-char rule): passing them on would fail later. */
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
      if (text != NULL && *text != '\0')
        {
          open_block (self, OPEN_THINKING);
          emit_delta (self, self->open_index, "thinking_delta", "thinking", text);
          self->saw_content = TRUE;
        }
      /* A trailing signature after the thinking closed has no block to go to; a later one replaces an earlier. */
      if (signature != NULL && self->open == OPEN_THINKING)
        set_string (&self->thinking_signature, signature);
      return;
    }

  /* A signature on the part after the thoughts signs them, so attach it before the text closes the block. */
  if (signature != NULL && self->open == OPEN_THINKING && self->thinking_signature == NULL)
    set_string (&self->thinking_signature, signature);
  /* Empty text parts are skipped, whitespace is kept (as antigravity-claude-proxy does). */
  if (text != NULL && *text != '\0')
    {
      open_block (self, OPEN_TEXT);
      emit_delta (self, self->open_index, "text_delta", "text", text);
      self->saw_content = TRUE;
    }
}

/* docs/client-formats.md#stop-reasons: tool_use wins (decided at finish); MAX_TOKENS → max_tokens; the content filters
 * map to "refusal", the
 * stop reason Anthropic itself uses for a blocked answer (the peers say end_turn, which hides the block from
 * the user); everything else, MALFORMED_FUNCTION_CALL and OTHER included, is end_turn. */
static const char *
stop_reason_for_finish (const char *finish_reason)
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

static gboolean
read_count (JsonObject *usage, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (usage, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  /* No count is negative or near 2^31; held to that range, the differences and sums below cannot overflow
   * whatever upstream sends. */
  *out = CLAMP (json_node_get_int (node), 0, G_MAXINT32);
  return TRUE;
}

/* Every chunk carries the running totals; a field missing from one chunk keeps its earlier value. */
static void
read_usage (AgStreamTranslator *self, JsonObject *usage)
{
  read_count (usage, "promptTokenCount", &self->prompt_tokens);
  read_count (usage, "cachedContentTokenCount", &self->cached_tokens);
  self->have_candidates |= read_count (usage, "candidatesTokenCount", &self->candidates_tokens);
  self->have_thoughts |= read_count (usage, "thoughtsTokenCount", &self->thoughts_tokens);
  self->have_total |= read_count (usage, "totalTokenCount", &self->total_tokens);
}

static gboolean
is_response_object (JsonObject *response)
{
  return json_object_has_member (response, "candidates") || json_object_has_member (response, "usageMetadata") ||
         json_object_has_member (response, "modelVersion") || json_object_has_member (response, "responseId") ||
         json_object_has_member (response, "promptFeedback");
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
  JsonObject *response = chunk;
  JsonNode *wrapped = json_object_get_member (chunk, "response");
  JsonObject *usage, *feedback;
  JsonArray *candidates;

  if (wrapped != NULL)
    response = JSON_NODE_HOLDS_OBJECT (wrapped) ? json_node_get_object (wrapped) : NULL;
  if (response == NULL || !is_response_object (response))
    {
      JsonObject *upstream_error = response != NULL ? ag_json_object (response, "error") : NULL;
      const char *message = upstream_error != NULL ? ag_json_string (upstream_error, "message") : NULL;

      g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM, "Upstream sent %s%s",
                   message != NULL ? "an error in the stream: " : "a chunk that is not a response",
                   message != NULL ? message : "");
      return FALSE;
    }
  if (self->done)
    return TRUE;

  self->received = TRUE;
  if ((usage = ag_json_object (response, "usageMetadata")) != NULL)
    read_usage (self, usage);

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
            handle_part (self, part);
        }
      if (finish_reason != NULL)
        self->finish_stop_reason = stop_reason_for_finish (finish_reason);
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
    emit_message_start (self);
  close_block (self);

  ag_event_writer_begin (&self->writer, "message_delta");
  ag_event_writer_open (&self->writer, "delta");
  ag_event_writer_string (&self->writer, "stop_reason", self->saw_tool_use ? "tool_use"
                                     : self->finish_stop_reason != NULL ? self->finish_stop_reason
                                                                        : "end_turn");
  ag_event_writer_null (&self->writer, "stop_sequence");
  ag_event_writer_close (&self->writer);
  event_usage (self, output_tokens (self));
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
  return self->received;
}

gboolean
ag_stream_translator_is_empty (AgStreamTranslator *self)
{
  return !self->saw_content;
}

void
ag_stream_translator_get_usage (AgStreamTranslator *self, gint64 *input, gint64 *output, gint64 *cache_read)
{
  if (input != NULL)
    *input = input_tokens (self);
  if (output != NULL)
    *output = output_tokens (self);
  if (cache_read != NULL)
    *cache_read = self->cached_tokens;
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
  if (self->output != OUTPUT_MESSAGE || self->collected)
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

  return self->output != OUTPUT_MESSAGE && ag_stream_translator_ping (self);
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
back_received_response (AgBackTranslator *back)
{
  return ag_stream_translator_received_response ((AgStreamTranslator *) back);
}

static gboolean
back_saw_finish_reason (AgBackTranslator *back)
{
  return ag_stream_translator_saw_finish_reason ((AgStreamTranslator *) back);
}

static void
back_get_usage (AgBackTranslator *back, gint64 *input, gint64 *output, gint64 *cache_read)
{
  ag_stream_translator_get_usage ((AgStreamTranslator *) back, input, output, cache_read);
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
  .received_response = back_received_response,
  .saw_finish_reason = back_saw_finish_reason,
  .get_usage = back_get_usage,
  .free = back_free,
};
