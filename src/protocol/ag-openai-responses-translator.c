/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-responses-translator.c — Anthropic Messages events → OpenAI Responses.
 *
 * As for Chat Completions, the Cloud Code chunks go through the Anthropic stream translator in event mode. Each of
 * its content blocks becomes one output item, with the whole sequence both Codex and the SDK's stream helper need
 * (docs/client-formats.md#openai-responses): response.created with an empty output, per item output_item.added,
 * its deltas, its .done events and output_item.done with the complete item, and response.completed with the
 * output and usage. A thinking block becomes a reasoning item whose encrypted_content is the thinking's signature,
 * which Codex sends back as it got it. */
#include "ag-openai-responses-translator.h"
#include "ag-json.h"
#include "ag-openai-error.h"
#include "ag-openai-responses-request.h"

typedef enum {
  ITEM_NONE,
  ITEM_MESSAGE,
  ITEM_REASONING,
  ITEM_FUNCTION,
  ITEM_CUSTOM,
} ItemKind;

typedef struct {
  AgBackTranslator    parent;          /* first: the back-translator interface */
  AgStreamTranslator *inner;           /* Cloud Code → Anthropic events, into on_event */
  gboolean            stream;
  gboolean            done;
  char               *id;
  char               *model;
  gint64              created_at;
  gint64              sequence;
  char              **freeform_tools;
  JsonArray          *output;          /* the finished items */
  const char         *stop_reason;
  gint64              input_tokens, cached_tokens, output_tokens;

  /* the item being streamed */
  ItemKind            kind;
  char               *item_id;
  char               *call_id;
  char               *name;
  GString            *buffer;          /* its text, summary, arguments or (JSON) input so far */
  char               *signature;
} ResponsesTranslator;

static const AgBackTranslatorClass responses_translator_class;

/* ── events ───────────────────────────────────────────────────────────────────────────────────────────────── */

static JsonObject *
event_new (ResponsesTranslator *self, const char *name)
{
  JsonObject *event = json_object_new ();

  json_object_set_string_member (event, "type", name);
  json_object_set_int_member (event, "sequence_number", self->sequence++);
  return event;
}

/* Writes @event (consumed) as "event: TYPE\ndata: JSON\n\n". */
static void
event_send (ResponsesTranslator *self, JsonObject *event)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);
  g_autofree char *data = json_to_string (node, FALSE);

  g_string_append (self->parent.output, "event: ");
  g_string_append (self->parent.output, json_object_get_string_member (event, "type"));
  g_string_append (self->parent.output, "\ndata: ");
  g_string_append (self->parent.output, data);
  g_string_append (self->parent.output, "\n\n");
  json_object_unref (event);
}

/* An event about the current item: item_id and output_index set. */
static JsonObject *
item_event_new (ResponsesTranslator *self, const char *name)
{
  JsonObject *event = event_new (self, name);

  json_object_set_string_member (event, "item_id", self->item_id);
  json_object_set_int_member (event, "output_index", json_array_get_length (self->output));
  return event;
}

static JsonObject *
usage_object (ResponsesTranslator *self)
{
  JsonObject *usage = json_object_new (), *input_details = json_object_new (), *output_details = json_object_new ();

  json_object_set_int_member (usage, "input_tokens", self->input_tokens + self->cached_tokens);
  json_object_set_int_member (input_details, "cached_tokens", self->cached_tokens);
  json_object_set_object_member (usage, "input_tokens_details", input_details);
  json_object_set_int_member (usage, "output_tokens", self->output_tokens);
  json_object_set_int_member (output_details, "reasoning_tokens", 0);
  json_object_set_object_member (usage, "output_tokens_details", output_details);
  json_object_set_int_member (usage, "total_tokens", self->input_tokens + self->cached_tokens + self->output_tokens);
  return usage;
}

/* The response object: in progress (no output yet), completed, incomplete or failed. */
static JsonObject *
response_object (ResponsesTranslator *self, const char *status, const char *error_message)
{
  JsonObject *response = json_object_new ();

  json_object_set_string_member (response, "id", self->id);
  json_object_set_string_member (response, "object", "response");
  json_object_set_int_member (response, "created_at", self->created_at);
  json_object_set_string_member (response, "status", status);
  if (error_message != NULL)
    {
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "code", "server_error");
      json_object_set_string_member (error, "message", error_message);
      json_object_set_object_member (response, "error", error);
    }
  else
    json_object_set_null_member (response, "error");
  if (g_str_equal (status, "incomplete"))
    {
      JsonObject *details = json_object_new ();

      json_object_set_string_member (details, "reason", "max_output_tokens");
      json_object_set_object_member (response, "incomplete_details", details);
    }
  else
    json_object_set_null_member (response, "incomplete_details");
  json_object_set_string_member (response, "model", self->model);
  json_object_set_array_member (response, "output", g_str_equal (status, "in_progress") ? json_array_new ()
                                                                                          : json_array_ref (self->output));
  json_object_set_boolean_member (response, "parallel_tool_calls", TRUE);
  json_object_set_string_member (response, "tool_choice", "auto");
  json_object_set_array_member (response, "tools", json_array_new ());
  if (g_str_equal (status, "in_progress"))
    json_object_set_null_member (response, "usage");
  else
    json_object_set_object_member (response, "usage", usage_object (self));
  return response;
}

static void
send_response_event (ResponsesTranslator *self, const char *name, const char *status, const char *error_message)
{
  JsonObject *event = event_new (self, name);

  json_object_set_object_member (event, "response", response_object (self, status, error_message));
  event_send (self, event);
}

/* ── items ────────────────────────────────────────────────────────────────────────────────────────────────── */

static JsonObject *
text_part (const char *type, const char *text)
{
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "type", type);
  if (g_str_equal (type, "output_text"))
    json_object_set_array_member (part, "annotations", json_array_new ());
  json_object_set_string_member (part, "text", text);
  return part;
}

/* The current item as it stands: "in_progress" when added, complete when done. */
static JsonObject *
item_object (ResponsesTranslator *self, gboolean complete, const char *custom_input)
{
  JsonObject *item = json_object_new ();
  static const char *const types[] = { NULL, "message", "reasoning", "function_call", "custom_tool_call" };
  JsonArray *parts;

  json_object_set_string_member (item, "id", self->item_id);
  json_object_set_string_member (item, "type", types[self->kind]);
  switch (self->kind)
    {
    case ITEM_MESSAGE:
      json_object_set_string_member (item, "status", complete ? "completed" : "in_progress");
      json_object_set_string_member (item, "role", "assistant");
      parts = json_array_new ();
      if (complete)
        json_array_add_object_element (parts, text_part ("output_text", self->buffer->str));
      json_object_set_array_member (item, "content", parts);
      break;
    case ITEM_REASONING:
      parts = json_array_new ();
      if (complete)
        json_array_add_object_element (parts, text_part ("summary_text", self->buffer->str));
      json_object_set_array_member (item, "summary", parts);
      if (complete && self->signature != NULL)
        json_object_set_string_member (item, "encrypted_content", self->signature);
      break;
    case ITEM_FUNCTION:
    case ITEM_CUSTOM:
      json_object_set_string_member (item, "status", complete ? "completed" : "in_progress");
      json_object_set_string_member (item, "call_id", self->call_id);
      json_object_set_string_member (item, "name", self->name);
      if (self->kind == ITEM_FUNCTION)
        json_object_set_string_member (item, "arguments", complete ? self->buffer->str : "");
      else
        json_object_set_string_member (item, "input", complete ? custom_input : "");
      break;
    case ITEM_NONE:
      g_assert_not_reached ();
    }
  return item;
}

static void
open_item (ResponsesTranslator *self, ItemKind kind, const char *call_id, const char *name)
{
  static const char *const prefixes[] = { NULL, "msg_", "rs_", "fc_", "ctc_" };
  g_autofree char *uuid = g_uuid_string_random ();
  JsonObject *event;

  self->kind = kind;
  self->item_id = g_strconcat (prefixes[kind], uuid, NULL);
  self->call_id = g_strdup (call_id);
  self->name = g_strdup (name);
  g_string_truncate (self->buffer, 0);
  if (!self->stream)
    return;
  event = event_new (self, "response.output_item.added");
  json_object_set_int_member (event, "output_index", json_array_get_length (self->output));
  json_object_set_object_member (event, "item", item_object (self, FALSE, NULL));
  event_send (self, event);
  if (kind == ITEM_MESSAGE || kind == ITEM_REASONING)
    {
      gboolean message = kind == ITEM_MESSAGE;

      event = item_event_new (self, message ? "response.content_part.added" : "response.reasoning_summary_part.added");
      json_object_set_int_member (event, message ? "content_index" : "summary_index", 0);
      json_object_set_object_member (event, "part", text_part (message ? "output_text" : "summary_text", ""));
      event_send (self, event);
    }
}

/* A delta of the current item's text, summary or arguments. */
static void
item_delta (ResponsesTranslator *self, const char *delta)
{
  static const char *const names[] = { NULL, "response.output_text.delta", "response.reasoning_summary_text.delta",
                                       "response.function_call_arguments.delta", NULL };
  JsonObject *event;

  g_string_append (self->buffer, delta);
  if (!self->stream || names[self->kind] == NULL)
    return;
  event = item_event_new (self, names[self->kind]);
  if (self->kind == ITEM_MESSAGE)
    json_object_set_int_member (event, "content_index", 0);
  else if (self->kind == ITEM_REASONING)
    json_object_set_int_member (event, "summary_index", 0);
  json_object_set_string_member (event, "delta", delta);
  if (self->kind == ITEM_MESSAGE)
    json_object_set_array_member (event, "logprobs", json_array_new ());
  event_send (self, event);
}

/* A custom call's raw input: the one string argument it was declared with upstream. */
static char *
custom_input (const char *arguments)
{
  g_autoptr(JsonNode) node = json_from_string (arguments, NULL);
  const char *input = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                      ? ag_json_string (json_node_get_object (node), AG_FREEFORM_TOOL_ARGUMENT) : NULL;

  return g_strdup (input != NULL ? input : arguments);
}

static void
send_item_done_events (ResponsesTranslator *self, const char *input)
{
  JsonObject *event;

  switch (self->kind)
    {
    case ITEM_MESSAGE:
      event = item_event_new (self, "response.output_text.done");
      json_object_set_int_member (event, "content_index", 0);
      json_object_set_string_member (event, "text", self->buffer->str);
      event_send (self, event);
      event = item_event_new (self, "response.content_part.done");
      json_object_set_int_member (event, "content_index", 0);
      json_object_set_object_member (event, "part", text_part ("output_text", self->buffer->str));
      event_send (self, event);
      break;
    case ITEM_REASONING:
      event = item_event_new (self, "response.reasoning_summary_text.done");
      json_object_set_int_member (event, "summary_index", 0);
      json_object_set_string_member (event, "text", self->buffer->str);
      event_send (self, event);
      event = item_event_new (self, "response.reasoning_summary_part.done");
      json_object_set_int_member (event, "summary_index", 0);
      json_object_set_object_member (event, "part", text_part ("summary_text", self->buffer->str));
      event_send (self, event);
      break;
    case ITEM_FUNCTION:
      event = item_event_new (self, "response.function_call_arguments.done");
      json_object_set_string_member (event, "arguments", self->buffer->str);
      event_send (self, event);
      break;
    case ITEM_CUSTOM:
      /* Upstream gives the arguments whole, so the raw input is one delta. */
      event = item_event_new (self, "response.custom_tool_call_input.delta");
      json_object_set_string_member (event, "delta", input);
      event_send (self, event);
      event = item_event_new (self, "response.custom_tool_call_input.done");
      json_object_set_string_member (event, "input", input);
      event_send (self, event);
      break;
    case ITEM_NONE:
      g_assert_not_reached ();
    }
}

static void
close_item (ResponsesTranslator *self)
{
  g_autofree char *input = NULL;
  JsonObject *item, *event;

  if (self->kind == ITEM_NONE)
    return;
  if (self->kind == ITEM_CUSTOM)
    input = custom_input (self->buffer->str);
  item = item_object (self, TRUE, input);
  if (self->stream)
    {
      send_item_done_events (self, input);
      event = event_new (self, "response.output_item.done");
      json_object_set_int_member (event, "output_index", json_array_get_length (self->output));
      json_object_set_object_member (event, "item", json_object_ref (item));
      event_send (self, event);
    }
  json_array_add_object_element (self->output, item);
  self->kind = ITEM_NONE;
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->call_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->signature, g_free);
}

/* ── the Anthropic events ─────────────────────────────────────────────────────────────────────────────────── */

static void
on_block_start (ResponsesTranslator *self, JsonObject *block)
{
  const char *type = ag_json_string (block, "type");
  const char *name = ag_json_string (block, "name");

  close_item (self);
  if (g_strcmp0 (type, "text") == 0)
    open_item (self, ITEM_MESSAGE, NULL, NULL);
  else if (g_strcmp0 (type, "thinking") == 0)
    open_item (self, ITEM_REASONING, NULL, NULL);
  else if (g_strcmp0 (type, "tool_use") == 0)
    {
      gboolean freeform = name != NULL && self->freeform_tools != NULL &&
                          g_strv_contains ((const char *const *) self->freeform_tools, name);

      open_item (self, freeform ? ITEM_CUSTOM : ITEM_FUNCTION, ag_json_string (block, "id"), name != NULL ? name : "");
    }
}

static void
on_delta (ResponsesTranslator *self, JsonObject *delta)
{
  const char *type = ag_json_string (delta, "type");
  const char *value;

  if (self->kind == ITEM_NONE || type == NULL)
    return;
  if (g_str_equal (type, "signature_delta"))
    {
      g_free (self->signature);
      self->signature = g_strdup (ag_json_string (delta, "signature"));
      return;
    }
  value = ag_json_string (delta, g_str_equal (type, "text_delta") ? "text"
                               : g_str_equal (type, "thinking_delta") ? "thinking" : "partial_json");
  if (value != NULL)
    item_delta (self, value);
}

static void
on_event (const char *name, JsonNode *data, gpointer user_data)
{
  ResponsesTranslator *self = user_data;
  JsonObject *event = json_node_get_object (data);

  if (g_str_equal (name, "content_block_delta"))
    on_delta (self, ag_json_object (event, "delta"));
  else if (g_str_equal (name, "content_block_start"))
    on_block_start (self, ag_json_object (event, "content_block"));
  else if (g_str_equal (name, "content_block_stop"))
    close_item (self);
  else if (g_str_equal (name, "message_start") && self->stream)
    {
      send_response_event (self, "response.created", "in_progress", NULL);
      send_response_event (self, "response.in_progress", "in_progress", NULL);
    }
  else if (g_str_equal (name, "message_delta"))
    {
      JsonObject *usage = ag_json_object (event, "usage");

      self->stop_reason = g_intern_string (ag_json_string (ag_json_object (event, "delta"), "stop_reason"));
      self->cached_tokens = ag_json_int (usage, "cache_read_input_tokens", 0);
      self->input_tokens = ag_json_int (usage, "input_tokens", 0);
      self->output_tokens = ag_json_int (usage, "output_tokens", 0);
    }
}

static const char *
final_status (ResponsesTranslator *self)
{
  return g_strcmp0 (self->stop_reason, "max_tokens") == 0 ? "incomplete" : "completed";
}

AgBackTranslator *
ag_openai_responses_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  ResponsesTranslator *self = g_new0 (ResponsesTranslator, 1);
  g_autofree char *uuid = g_uuid_string_random ();

  ag_back_translator_init (&self->parent, &responses_translator_class);
  self->inner = ag_stream_translator_new (options, on_event, self);
  self->stream = stream;
  self->id = g_strconcat ("resp_", uuid, NULL);
  self->model = g_strdup (options->client_model != NULL ? options->client_model : "");
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;
  self->freeform_tools = g_strdupv ((char **) options->freeform_tools);
  self->output = json_array_new ();
  self->buffer = g_string_new (NULL);
  return &self->parent;
}

static gboolean
back_push (AgBackTranslator *back, JsonObject *chunk, GError **error)
{
  return ag_stream_translator_push (((ResponsesTranslator *) back)->inner, chunk, error);
}

static gboolean
back_finish (AgBackTranslator *back, GError **error)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;

  if (self->done)
    return TRUE;
  ag_stream_translator_finish (self->inner);
  close_item (self);
  self->done = TRUE;
  if (self->stream)
    send_response_event (self, g_str_equal (final_status (self), "completed") ? "response.completed"
                                                                               : "response.incomplete",
                         final_status (self), NULL);
  else
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), NULL);
      g_autofree char *text = NULL;

      json_node_take_object (node, response_object (self, final_status (self), NULL));
      text = json_to_string (node, FALSE);
      g_string_append (back->output, text);
    }
  return TRUE;
}

/* Codex and the SDK read response.failed as the end of a stream that went wrong. */
static void
back_fail (AgBackTranslator *back, const char *error_type, const char *message)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;

  self->done = TRUE;
  send_response_event (self, "response.failed", "failed", message != NULL ? message : "");
}

static gboolean
back_ping (AgBackTranslator *back)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;

  if (!self->stream || self->done || !ag_stream_translator_started (self->inner))
    return FALSE;
  g_string_append (back->output, ": keepalive\n\n");
  return TRUE;
}

static gboolean
back_started (AgBackTranslator *back)
{
  return ag_stream_translator_started (((ResponsesTranslator *) back)->inner);
}

static gboolean
back_is_empty (AgBackTranslator *back)
{
  return ag_stream_translator_is_empty (((ResponsesTranslator *) back)->inner);
}

static gboolean
back_received_response (AgBackTranslator *back)
{
  return ag_stream_translator_received_response (((ResponsesTranslator *) back)->inner);
}

static gboolean
back_saw_finish_reason (AgBackTranslator *back)
{
  return ag_stream_translator_saw_finish_reason (((ResponsesTranslator *) back)->inner);
}

static void
back_get_usage (AgBackTranslator *back, gint64 *input, gint64 *output, gint64 *cache_read)
{
  ag_stream_translator_get_usage (((ResponsesTranslator *) back)->inner, input, output, cache_read);
}

static void
back_free (AgBackTranslator *back)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;

  ag_stream_translator_free (self->inner);
  g_free (self->id);
  g_free (self->model);
  g_strfreev (self->freeform_tools);
  json_array_unref (self->output);
  g_free (self->item_id);
  g_free (self->call_id);
  g_free (self->name);
  g_free (self->signature);
  g_string_free (self->buffer, TRUE);
  ag_back_translator_clear (back);
  g_free (self);
}

static const AgBackTranslatorClass responses_translator_class = {
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
