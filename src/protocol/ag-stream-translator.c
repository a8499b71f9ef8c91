/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-stream-translator.c — Cloud Code stream chunks → Anthropic Messages events.
 *
 * One block is open at a time. Thought text goes to a thinking block, text to a text block, a change of kind
 * closes the open block; function calls and images are complete blocks of their own. A thinking block's
 * signature is held until the block closes, so exactly one signature_delta precedes its content_block_stop. */
#include "ag-stream-translator.h"
#include "ag-google-error.h"
#include "ag-json.h"
#include "ag-json-writer.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"

#include <string.h>

#define RANDOM_ID_CHARS 24
/* Events nest objects at most this deep: payload → message → usage. */
#define MAX_EVENT_DEPTH 4

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

/* The event being built. An event has a fixed shape, so in SSE mode its JSON is written straight into the output
 * (the same bytes json-glib would write for the tree); otherwise the tree is built for the event function. */
typedef struct {
  const char *name;
  guint       depth;
  JsonObject *objects[MAX_EVENT_DEPTH];      /* tree mode: the open objects, outermost first */
  gboolean    has_members[MAX_EVENT_DEPTH];  /* SSE mode: the next member needs a comma */
} Event;

struct _AgStreamTranslator {
  AgBackTranslator     parent;     /* first: the back-translator interface */
  Output               output;
  GString             *sse;        /* OUTPUT_SSE: the parent's output */
  AgAnthropicEventFunc func;
  gpointer             user_data;
  AgMessageCollector  *collector;  /* OUTPUT_MESSAGE */
  gboolean             collected;  /* OUTPUT_MESSAGE: the response was written */
  Event                event;
  char                *client_model;
  AgModelFamily        family;
  AgToolNames         *tool_names;
  AgSignatureCache    *signatures;

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
  self->signatures = options->signatures != NULL ? g_object_ref (options->signatures) : NULL;
  self->usage_scale = options->usage_scale;
  random_id (self->message_id, "msg_");
  return self;
}

AgStreamTranslator *
ag_stream_translator_new (const AgStreamOptions *options, AgAnthropicEventFunc func, gpointer user_data)
{
  AgStreamTranslator *self = translator_new (options, OUTPUT_EVENTS);

  self->func = func;
  self->user_data = user_data;
  return self;
}

AgBackTranslator *
ag_anthropic_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  AgStreamTranslator *self = translator_new (options, stream ? OUTPUT_SSE : OUTPUT_MESSAGE);

  if (stream)
    self->sse = self->parent.output;
  else
    {
      self->collector = ag_message_collector_new ();
      self->func = ag_message_collector_add_event;
      self->user_data = self->collector;
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
  g_clear_object (&self->signatures);
  g_free (self->thinking_signature);
  g_free (self->gemini_tool_signature);
  g_clear_pointer (&self->collector, ag_message_collector_free);
  ag_back_translator_clear (&self->parent);
  g_free (self);
}

/* ---- event building ----------------------------------------------------------------------------------- */

/* Starts the event @name, whose payload carries the same name as "type". Keys given to the functions below are
 * literal identifiers (written unescaped); values are escaped. */
static void
event_begin (AgStreamTranslator *self, const char *name)
{
  Event *event = &self->event;

  event->name = name;
  event->depth = 0;
  if (self->sse != NULL)
    {
      ag_json_append_literal (self->sse, "event: ");
      ag_json_append_len (self->sse, name, strlen (name));
      ag_json_append_literal (self->sse, "\ndata: {\"type\":");
      ag_json_append_string (self->sse, name);
      event->has_members[0] = TRUE;
      return;
    }
  event->objects[0] = json_object_new ();
  json_object_set_string_member (event->objects[0], "type", name);
}

static void
event_key (AgStreamTranslator *self, const char *key)
{
  Event *event = &self->event;

  if (event->has_members[event->depth])
    g_string_append_c (self->sse, ',');
  event->has_members[event->depth] = TRUE;
  g_string_append_c (self->sse, '"');
  ag_json_append_len (self->sse, key, strlen (key));
  ag_json_append_literal (self->sse, "\":");
}

static void
event_string (AgStreamTranslator *self, const char *key, const char *value)
{
  if (self->sse == NULL)
    {
      json_object_set_string_member (self->event.objects[self->event.depth], key, value);
      return;
    }
  event_key (self, key);
  ag_json_append_string (self->sse, value);
}

static void
event_int (AgStreamTranslator *self, const char *key, gint64 value)
{
  if (self->sse == NULL)
    {
      json_object_set_int_member (self->event.objects[self->event.depth], key, value);
      return;
    }
  event_key (self, key);
  ag_json_append_int (self->sse, value);
}

static void
event_null (AgStreamTranslator *self, const char *key)
{
  if (self->sse == NULL)
    {
      json_object_set_null_member (self->event.objects[self->event.depth], key);
      return;
    }
  event_key (self, key);
  ag_json_append_literal (self->sse, "null");
}

static void
event_empty_array (AgStreamTranslator *self, const char *key)
{
  if (self->sse == NULL)
    {
      json_object_set_array_member (self->event.objects[self->event.depth], key, json_array_new ());
      return;
    }
  event_key (self, key);
  ag_json_append_literal (self->sse, "[]");
}

static void
event_open (AgStreamTranslator *self, const char *key)
{
  Event *event = &self->event;

  g_assert (event->depth + 1 < MAX_EVENT_DEPTH);
  if (self->sse == NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_object_member (event->objects[event->depth], key, object);
      event->objects[++event->depth] = object;
      return;
    }
  event_key (self, key);
  g_string_append_c (self->sse, '{');
  event->has_members[++event->depth] = FALSE;
}

static void
event_close (AgStreamTranslator *self)
{
  if (self->sse != NULL)
    g_string_append_c (self->sse, '}');
  self->event.depth--;
}

static void
event_end (AgStreamTranslator *self)
{
  JsonNode *node;

  g_assert (self->event.depth == 0);
  if (self->sse != NULL)
    {
      ag_json_append_literal (self->sse, "}\n\n");
      return;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, self->event.objects[0]);
  self->event.objects[0] = NULL;
  self->func (self->event.name, node, self->user_data);
  json_node_unref (node);
}

static void
emit_typed (AgStreamTranslator *self, const char *name)
{
  event_begin (self, name);
  event_end (self);
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
  event_open (self, "usage");
  event_int (self, "input_tokens", scaled (self, input_tokens (self)));
  event_int (self, "output_tokens", output);
  event_int (self, "cache_read_input_tokens", scaled (self, self->cached_tokens));
  event_int (self, "cache_creation_input_tokens", 0);
  event_close (self);
}

static void
emit_message_start (AgStreamTranslator *self)
{
  self->started = TRUE;
  event_begin (self, "message_start");
  event_open (self, "message");
  event_string (self, "id", self->message_id);
  event_string (self, "type", "message");
  event_string (self, "role", "assistant");
  event_string (self, "model", self->client_model);
  event_empty_array (self, "content");
  event_null (self, "stop_reason");
  event_null (self, "stop_sequence");
  /* Output is unknown this early; Anthropic and antigravity-claude-proxy report 0 here. */
  event_usage (self, 0);
  event_close (self);
  event_end (self);
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
  event_begin (self, "content_block_start");
  event_int (self, "index", index);
  event_open (self, "content_block");
  event_string (self, "type", type);
}

static void
block_start_end (AgStreamTranslator *self)
{
  event_close (self);
  event_end (self);
}

static void
emit_delta (AgStreamTranslator *self, gint64 index, const char *delta_type, const char *field, const char *value)
{
  event_begin (self, "content_block_delta");
  event_int (self, "index", index);
  event_open (self, "delta");
  event_string (self, "type", delta_type);
  event_string (self, field, value);
  event_close (self);
  event_end (self);
}

static void
emit_block_stop (AgStreamTranslator *self, gint64 index)
{
  event_begin (self, "content_block_stop");
  event_int (self, "index", index);
  event_end (self);
}

/* ---- blocks ------------------------------------------------------------------------------------------- */

static void
close_block (AgStreamTranslator *self)
{
  if (self->open == OPEN_NONE)
    return;
  if (self->open == OPEN_THINKING && self->thinking_signature != NULL)
    {
      emit_delta (self, self->open_index, "signature_delta", "signature", self->thinking_signature);
      if (self->signatures != NULL)
        ag_signature_cache_put_thinking (self->signatures, self->thinking_signature, self->family);
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
      event_string (self, "thinking", "");
      event_string (self, "signature", "");
    }
  else
    {
      block_start_begin (self, self->open_index, "text");
      event_string (self, "text", "");
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
  const char *id;
  g_autofree char *args_json = NULL;

  /* A signature riding on the call while thinking is still open signs that thinking (Claude puts it here). */
  if (signature != NULL && self->open == OPEN_THINKING && self->thinking_signature == NULL)
    set_string (&self->thinking_signature, signature);
  close_block (self);

  if (upstream_id != NULL && *upstream_id != '\0')
    id = upstream_id;
  else
    {
      random_id (generated_id, "toolu_");
      id = generated_id;
    }
  if (name == NULL)
    name = "";
  if (self->tool_names != NULL)
    name = ag_tool_names_to_client (self->tool_names, name);
  args_json = args != NULL && JSON_NODE_HOLDS_OBJECT (args) ? json_to_string (args, FALSE) : g_strdup ("{}");

  block_start_begin (self, self->next_index, "tool_use");
  event_string (self, "id", id);
  event_string (self, "name", name);
  event_open (self, "input");
  event_close (self);
  block_start_end (self);
  emit_delta (self, self->next_index, "input_json_delta", "partial_json", args_json);
  emit_block_stop (self, self->next_index);
  self->next_index++;

  /* Gemini signs the first call of a turn, sometimes on the part before it; parallel calls after it carry none. */
  if (tool_signature == NULL && self->family == AG_MODEL_FAMILY_GEMINI)
    tool_signature = self->gemini_tool_signature;
  if (tool_signature != NULL && self->signatures != NULL)
    ag_signature_cache_put_tool (self->signatures, id, tool_signature);
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
  event_open (self, "source");
  event_string (self, "type", "base64");
  event_string (self, "media_type", mime != NULL ? mime : "application/octet-stream");
  event_string (self, "data", data);
  event_close (self);
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

  event_begin (self, "message_delta");
  event_open (self, "delta");
  event_string (self, "stop_reason", self->saw_tool_use ? "tool_use"
                                     : self->finish_stop_reason != NULL ? self->finish_stop_reason
                                                                        : "end_turn");
  event_null (self, "stop_sequence");
  event_close (self);
  event_usage (self, output_tokens (self));
  event_end (self);

  emit_typed (self, "message_stop");
  self->done = TRUE;
}

void
ag_stream_translator_fail (AgStreamTranslator *self, const char *error_type, const char *message)
{
  /* The stream ends with the error: nothing may follow it, not even message_stop. */
  self->done = TRUE;
  event_begin (self, "error");
  event_open (self, "error");
  event_string (self, "type", error_type);
  event_string (self, "message", message != NULL ? message : "");
  event_close (self);
  event_end (self);
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
