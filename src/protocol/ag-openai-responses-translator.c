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
#include "ag-event-back-translator.h"
#include "ag-event-writer.h"
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
  AgEventBackTranslator base;          /* first: the back-translator interface and the Anthropic events */
  AgEventWriter       writer;          /* stream: the events, straight into the output */
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

static void
event_begin (ResponsesTranslator *self, const char *name)
{
  ag_event_writer_begin (&self->writer, name);
  ag_event_writer_int (&self->writer, "sequence_number", self->sequence++);
}

/* An event about the current item: item_id and output_index set. */
static void
item_event_begin (ResponsesTranslator *self, const char *name)
{
  event_begin (self, name);
  ag_event_writer_string (&self->writer, "item_id", self->item_id);
  ag_event_writer_int (&self->writer, "output_index", json_array_get_length (self->output));
}

static void
write_usage (ResponsesTranslator *self, AgEventWriter *w)
{
  ag_event_writer_open (w, "usage");
  ag_event_writer_int (w, "input_tokens", self->input_tokens + self->cached_tokens);
  ag_event_writer_open (w, "input_tokens_details");
  ag_event_writer_int (w, "cached_tokens", self->cached_tokens);
  ag_event_writer_close (w);
  ag_event_writer_int (w, "output_tokens", self->output_tokens);
  ag_event_writer_open (w, "output_tokens_details");
  ag_event_writer_int (w, "reasoning_tokens", 0);
  ag_event_writer_close (w);
  ag_event_writer_int (w, "total_tokens", self->input_tokens + self->cached_tokens + self->output_tokens);
  ag_event_writer_close (w);
}

/* The response object under "response": in progress (no output yet), completed, incomplete or failed. */
static void
write_response (ResponsesTranslator *self, AgEventWriter *w, const char *status, const char *error_message)
{
  gboolean in_progress = g_str_equal (status, "in_progress");

  ag_event_writer_open (w, "response");
  ag_event_writer_string (w, "id", self->id);
  ag_event_writer_string (w, "object", "response");
  ag_event_writer_int (w, "created_at", self->created_at);
  ag_event_writer_string (w, "status", status);
  if (error_message != NULL)
    {
      ag_event_writer_open (w, "error");
      ag_event_writer_string (w, "code", "server_error");
      ag_event_writer_string (w, "message", error_message);
      ag_event_writer_close (w);
    }
  else
    ag_event_writer_null (w, "error");
  if (g_str_equal (status, "incomplete"))
    {
      ag_event_writer_open (w, "incomplete_details");
      ag_event_writer_string (w, "reason", "max_output_tokens");
      ag_event_writer_close (w);
    }
  else
    ag_event_writer_null (w, "incomplete_details");
  ag_event_writer_string (w, "model", self->model);
  if (in_progress)
    ag_event_writer_empty_array (w, "output");
  else
    {
      g_autoptr(JsonNode) output = json_node_init_array (json_node_alloc (), self->output);

      ag_event_writer_node (w, "output", output);
    }
  ag_event_writer_boolean (w, "parallel_tool_calls", TRUE);
  ag_event_writer_string (w, "tool_choice", "auto");
  ag_event_writer_empty_array (w, "tools");
  if (in_progress)
    ag_event_writer_null (w, "usage");
  else
    write_usage (self, w);
  ag_event_writer_close (w);
}

static void
send_response_event (ResponsesTranslator *self, const char *name, const char *status, const char *error_message)
{
  event_begin (self, name);
  write_response (self, &self->writer, status, error_message);
  ag_event_writer_end (&self->writer);
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
write_part (ResponsesTranslator *self, gboolean message, const char *text)
{
  ag_event_writer_open (&self->writer, "part");
  ag_event_writer_string (&self->writer, "type", message ? "output_text" : "summary_text");
  if (message)
    ag_event_writer_empty_array (&self->writer, "annotations");
  ag_event_writer_string (&self->writer, "text", text);
  ag_event_writer_close (&self->writer);
}

static void
open_item (ResponsesTranslator *self, ItemKind kind, const char *call_id, const char *name)
{
  static const char *const prefixes[] = { NULL, "msg_", "rs_", "fc_", "ctc_" };
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(JsonNode) item = NULL;

  self->kind = kind;
  self->item_id = g_strconcat (prefixes[kind], uuid, NULL);
  self->call_id = g_strdup (call_id);
  self->name = g_strdup (name);
  g_string_truncate (self->buffer, 0);
  if (!self->base.stream)
    return;
  item = json_node_init_object (json_node_alloc (), NULL);
  json_node_take_object (item, item_object (self, FALSE, NULL));
  event_begin (self, "response.output_item.added");
  ag_event_writer_int (&self->writer, "output_index", json_array_get_length (self->output));
  ag_event_writer_node (&self->writer, "item", item);
  ag_event_writer_end (&self->writer);
  if (kind == ITEM_MESSAGE || kind == ITEM_REASONING)
    {
      gboolean message = kind == ITEM_MESSAGE;

      item_event_begin (self, message ? "response.content_part.added" : "response.reasoning_summary_part.added");
      ag_event_writer_int (&self->writer, message ? "content_index" : "summary_index", 0);
      write_part (self, message, "");
      ag_event_writer_end (&self->writer);
    }
}

/* A delta of the current item's text, summary or arguments: the hot path, written straight into the output. */
static void
item_delta (ResponsesTranslator *self, const char *delta)
{
  static const char *const names[] = { NULL, "response.output_text.delta", "response.reasoning_summary_text.delta",
                                       "response.function_call_arguments.delta", NULL };

  g_string_append (self->buffer, delta);
  if (!self->base.stream || names[self->kind] == NULL)
    return;
  item_event_begin (self, names[self->kind]);
  if (self->kind == ITEM_MESSAGE)
    ag_event_writer_int (&self->writer, "content_index", 0);
  else if (self->kind == ITEM_REASONING)
    ag_event_writer_int (&self->writer, "summary_index", 0);
  ag_event_writer_string (&self->writer, "delta", delta);
  if (self->kind == ITEM_MESSAGE)
    ag_event_writer_empty_array (&self->writer, "logprobs");
  ag_event_writer_end (&self->writer);
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

/* "NAME" {item_id, output_index, KEY: VALUE} about the current item. */
static void
send_item_string (ResponsesTranslator *self, const char *name, const char *key, const char *value)
{
  item_event_begin (self, name);
  ag_event_writer_string (&self->writer, key, value);
  ag_event_writer_end (&self->writer);
}

/* The text.done and part.done pair of a message or a reasoning summary. */
static void
send_text_done (ResponsesTranslator *self, gboolean message)
{
  const char *index = message ? "content_index" : "summary_index";

  item_event_begin (self, message ? "response.output_text.done" : "response.reasoning_summary_text.done");
  ag_event_writer_int (&self->writer, index, 0);
  ag_event_writer_string (&self->writer, "text", self->buffer->str);
  ag_event_writer_end (&self->writer);
  item_event_begin (self, message ? "response.content_part.done" : "response.reasoning_summary_part.done");
  ag_event_writer_int (&self->writer, index, 0);
  write_part (self, message, self->buffer->str);
  ag_event_writer_end (&self->writer);
}

static void
send_item_done_events (ResponsesTranslator *self, const char *input)
{
  switch (self->kind)
    {
    case ITEM_MESSAGE:
    case ITEM_REASONING:
      send_text_done (self, self->kind == ITEM_MESSAGE);
      break;
    case ITEM_FUNCTION:
      send_item_string (self, "response.function_call_arguments.done", "arguments", self->buffer->str);
      break;
    case ITEM_CUSTOM:
      /* Upstream gives the arguments whole, so the raw input is one delta. */
      send_item_string (self, "response.custom_tool_call_input.delta", "delta", input);
      send_item_string (self, "response.custom_tool_call_input.done", "input", input);
      break;
    case ITEM_NONE:
      g_assert_not_reached ();
    }
}

static void
close_item (ResponsesTranslator *self)
{
  g_autofree char *input = NULL;
  JsonObject *item;

  if (self->kind == ITEM_NONE)
    return;
  if (self->kind == ITEM_CUSTOM)
    input = custom_input (self->buffer->str);
  item = item_object (self, TRUE, input);
  if (self->base.stream)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), item);

      send_item_done_events (self, input);
      event_begin (self, "response.output_item.done");
      ag_event_writer_int (&self->writer, "output_index", json_array_get_length (self->output));
      ag_event_writer_node (&self->writer, "item", node);
      ag_event_writer_end (&self->writer);
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
  else if (g_str_equal (name, "message_start") && self->base.stream)
    {
      send_response_event (self, "response.created", "in_progress", NULL);
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

AgBackTranslator *
ag_openai_responses_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  ResponsesTranslator *self = g_new0 (ResponsesTranslator, 1);
  g_autofree char *uuid = g_uuid_string_random ();

  ag_event_back_translator_init (&self->base, &responses_translator_class, options, stream, on_event);
  ag_event_writer_init_sse (&self->writer, self->base.parent.output);
  self->id = g_strconcat ("resp_", uuid, NULL);
  self->model = g_strdup (options->client_model != NULL ? options->client_model : "");
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;
  self->freeform_tools = g_strdupv ((char **) options->freeform_tools);
  self->output = json_array_new ();
  self->buffer = g_string_new (NULL);
  return &self->base.parent;
}

static void
capture_event (const char *name, JsonNode *data, gpointer user_data)
{
  *(JsonNode **) user_data = json_node_ref (data);
}

static gboolean
back_finish (AgBackTranslator *back, GError **error)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;
  const char *status;

  if (self->base.done)
    return TRUE;
  ag_stream_translator_finish (self->base.inner);
  close_item (self);
  self->base.done = TRUE;
  status = g_strcmp0 (self->stop_reason, "max_tokens") == 0 ? "incomplete" : "completed";
  if (self->base.stream)
    send_response_event (self, g_str_equal (status, "completed") ? "response.completed" : "response.incomplete",
                         status, NULL);
  else
    {
      /* The same writer builds the whole answer as a tree: the response object of the completed event. */
      g_autoptr(JsonNode) event = NULL;
      g_autofree char *text = NULL;
      AgEventWriter tree;

      ag_event_writer_init_func (&tree, capture_event, &event);
      ag_event_writer_begin (&tree, "response.completed");
      write_response (self, &tree, status, NULL);
      ag_event_writer_end (&tree);
      text = json_to_string (json_object_get_member (json_node_get_object (event), "response"), FALSE);
      g_string_append (back->output, text);
    }
  return TRUE;
}

/* Codex and the SDK read response.failed as the end of a stream that went wrong. */
static void
back_fail (AgBackTranslator *back, const char *error_type, const char *message)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;

  self->base.done = TRUE;
  send_response_event (self, "response.failed", "failed", message != NULL ? message : "");
}

static void
back_free (AgBackTranslator *back)
{
  ResponsesTranslator *self = (ResponsesTranslator *) back;

  g_free (self->id);
  g_free (self->model);
  g_strfreev (self->freeform_tools);
  json_array_unref (self->output);
  g_free (self->item_id);
  g_free (self->call_id);
  g_free (self->name);
  g_free (self->signature);
  g_string_free (self->buffer, TRUE);
  ag_event_back_translator_clear (&self->base);
  g_free (self);
}

static const AgBackTranslatorClass responses_translator_class =
  AG_EVENT_BACK_TRANSLATOR_CLASS (back_finish, back_fail, back_free);
