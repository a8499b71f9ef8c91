/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-chat-translator.c — Anthropic Messages events → Chat Completions.
 *
 * The Cloud Code chunks go through the Anthropic stream translator first, in event mode: it already decides what
 * a part is (thinking, text, a tool call with its client-side name and cached signature, the stop reason, usage),
 * and those events map one to one onto chat chunks. Text deltas, the hot path, are written straight into the
 * output behind a prefix built once per answer. */
#include "ag-openai-chat-translator.h"
#include "ag-event-back-translator.h"
#include "ag-json.h"
#include "ag-json-writer.h"
#include "ag-openai-error.h"

typedef struct {
  AgEventBackTranslator base;          /* first: the back-translator interface and the Anthropic events */
  gboolean            include_usage;
  char               *id;
  char               *model;
  gint64              created;
  GString            *head;            /* data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…, */
  guint               n_tool_calls;
  const char         *finish_reason;
  gint64              prompt_tokens, completion_tokens, cached_tokens;
  /* whole-answer mode */
  GString            *text;
  GString            *reasoning;
  JsonArray          *tool_calls;
} ChatTranslator;

static const AgBackTranslatorClass chat_translator_class;

static void
chunk_begin (ChatTranslator *self)
{
  GString *out = self->base.parent.output;

  ag_json_append_len (out, self->head->str, self->head->len);
  ag_json_append_literal (out, "\"choices\":[{\"index\":0,\"delta\":");
}

static void
chunk_end (ChatTranslator *self, const char *finish_reason)
{
  GString *out = self->base.parent.output;

  ag_json_append_literal (out, ",\"finish_reason\":");
  if (finish_reason != NULL)
    ag_json_append_string (out, finish_reason);
  else
    ag_json_append_literal (out, "null");
  ag_json_append_literal (out, "}]}\n\n");
}

/* A delta of one string member: {"content":"…"} or {"reasoning_content":"…"}. */
static void
write_string_delta (ChatTranslator *self, const char *key, const char *value)
{
  GString *out = self->base.parent.output;

  chunk_begin (self);
  g_string_append_c (out, '{');
  ag_json_append_string (out, key);
  g_string_append_c (out, ':');
  ag_json_append_string (out, value);
  g_string_append_c (out, '}');
  chunk_end (self, NULL);
}

static void
write_tool_call_delta (ChatTranslator *self, const char *id, const char *name, const char *arguments)
{
  GString *out = self->base.parent.output;

  chunk_begin (self);
  ag_json_append_literal (out, "{\"tool_calls\":[{\"index\":");
  ag_json_append_int (out, self->n_tool_calls - 1);
  if (id != NULL)
    {
      ag_json_append_literal (out, ",\"id\":");
      ag_json_append_string (out, id);
      ag_json_append_literal (out, ",\"type\":\"function\"");
    }
  ag_json_append_literal (out, ",\"function\":{");
  if (name != NULL)
    {
      ag_json_append_literal (out, "\"name\":");
      ag_json_append_string (out, name);
      g_string_append_c (out, ',');
    }
  ag_json_append_literal (out, "\"arguments\":");
  ag_json_append_string (out, arguments);
  ag_json_append_literal (out, "}}]}");
  chunk_end (self, NULL);
}

static void
append_usage (ChatTranslator *self, GString *out)
{
  ag_json_append_literal (out, "\"usage\":{\"prompt_tokens\":");
  ag_json_append_int (out, self->prompt_tokens);
  ag_json_append_literal (out, ",\"completion_tokens\":");
  ag_json_append_int (out, self->completion_tokens);
  ag_json_append_literal (out, ",\"total_tokens\":");
  ag_json_append_int (out, self->prompt_tokens + self->completion_tokens);
  ag_json_append_literal (out, ",\"prompt_tokens_details\":{\"cached_tokens\":");
  ag_json_append_int (out, self->cached_tokens);
  ag_json_append_literal (out, "}}");
}

/* Anthropic stop reasons → OpenAI finish reasons. */
static const char *
finish_reason_for (const char *stop_reason)
{
  if (g_strcmp0 (stop_reason, "tool_use") == 0)
    return "tool_calls";
  if (g_strcmp0 (stop_reason, "max_tokens") == 0)
    return "length";
  if (g_strcmp0 (stop_reason, "refusal") == 0)
    return "content_filter";
  return "stop";
}

static void
on_tool_use (ChatTranslator *self, JsonObject *block)
{
  const char *id = ag_json_string (block, "id");
  const char *name = ag_json_string (block, "name");

  self->n_tool_calls++;
  if (self->base.stream)
    write_tool_call_delta (self, id != NULL ? id : "", name != NULL ? name : "", "");
  else
    {
      JsonObject *call = json_object_new (), *function = json_object_new ();

      json_object_set_string_member (call, "id", id != NULL ? id : "");
      json_object_set_string_member (call, "type", "function");
      json_object_set_string_member (function, "name", name != NULL ? name : "");
      json_object_set_string_member (function, "arguments", "");
      json_object_set_object_member (call, "function", function);
      json_array_add_object_element (self->tool_calls, call);
    }
}

static void
on_delta (ChatTranslator *self, JsonObject *delta)
{
  const char *type = ag_json_string (delta, "type");

  if (g_strcmp0 (type, "text_delta") == 0 || g_strcmp0 (type, "thinking_delta") == 0)
    {
      gboolean text = g_str_equal (type, "text_delta");
      const char *value = ag_json_string (delta, text ? "text" : "thinking");

      if (value == NULL)
        return;
      if (self->base.stream)
        write_string_delta (self, text ? "content" : "reasoning_content", value);
      else
        g_string_append (text ? self->text : self->reasoning, value);
    }
  else if (g_strcmp0 (type, "input_json_delta") == 0 && self->n_tool_calls > 0)
    {
      const char *json = ag_json_string (delta, "partial_json");

      if (json == NULL)
        return;
      if (self->base.stream)
        write_tool_call_delta (self, NULL, NULL, json);
      else
        {
          JsonObject *call = json_array_get_object_element (self->tool_calls, self->n_tool_calls - 1);
          JsonObject *function = json_object_get_object_member (call, "function");
          g_autofree char *arguments = g_strconcat (json_object_get_string_member (function, "arguments"), json, NULL);

          json_object_set_string_member (function, "arguments", arguments);
        }
    }
}

static void
on_message_delta (ChatTranslator *self, JsonObject *event)
{
  JsonObject *usage = ag_json_object (event, "usage");
  GString *out = self->base.parent.output;

  self->finish_reason = finish_reason_for (ag_json_string (ag_json_object (event, "delta"), "stop_reason"));
  self->cached_tokens = ag_json_int (usage, "cache_read_input_tokens", 0);
  self->prompt_tokens = ag_json_int (usage, "input_tokens", 0) + self->cached_tokens;
  self->completion_tokens = ag_json_int (usage, "output_tokens", 0);
  if (!self->base.stream)
    return;
  chunk_begin (self);
  ag_json_append_literal (out, "{}");
  chunk_end (self, self->finish_reason);
  if (!self->include_usage)
    return;
  ag_json_append_len (out, self->head->str, self->head->len);
  ag_json_append_literal (out, "\"choices\":[],");
  append_usage (self, out);
  ag_json_append_literal (out, "}\n\n");
}

static void
on_event (const char *name, JsonNode *data, gpointer user_data)
{
  ChatTranslator *self = user_data;
  JsonObject *event = json_node_get_object (data);

  if (g_str_equal (name, "content_block_delta"))
    on_delta (self, ag_json_object (event, "delta"));
  else if (g_str_equal (name, "message_start"))
    {
      if (self->base.stream)
        {
          chunk_begin (self);
          ag_json_append_literal (self->base.parent.output, "{\"role\":\"assistant\",\"content\":\"\"}");
          chunk_end (self, NULL);
        }
    }
  else if (g_str_equal (name, "content_block_start"))
    {
      JsonObject *block = ag_json_object (event, "content_block");

      if (g_strcmp0 (ag_json_string (block, "type"), "tool_use") == 0)
        on_tool_use (self, block);
    }
  else if (g_str_equal (name, "message_delta"))
    on_message_delta (self, event);
  else if (g_str_equal (name, "message_stop") && self->base.stream)
    ag_json_append_literal (self->base.parent.output, "data: [DONE]\n\n");
}

AgBackTranslator *
ag_openai_chat_back_translator_new (const AgStreamOptions *options, gboolean stream)
{
  ChatTranslator *self = g_new0 (ChatTranslator, 1);
  g_autofree char *suffix = g_uuid_string_random ();

  ag_event_back_translator_init (&self->base, &chat_translator_class, options, stream, on_event);
  self->include_usage = options->include_usage;
  self->id = g_strconcat ("chatcmpl-", suffix, NULL);
  self->model = g_strdup (options->client_model != NULL ? options->client_model : "");
  self->created = g_get_real_time () / G_USEC_PER_SEC;
  self->head = g_string_new ("data: {\"id\":");
  ag_json_append_string (self->head, self->id);
  ag_json_append_literal (self->head, ",\"object\":\"chat.completion.chunk\",\"created\":");
  ag_json_append_int (self->head, self->created);
  ag_json_append_literal (self->head, ",\"model\":");
  ag_json_append_string (self->head, self->model);
  g_string_append_c (self->head, ',');
  if (!stream)
    {
      self->text = g_string_new (NULL);
      self->reasoning = g_string_new (NULL);
      self->tool_calls = json_array_new ();
    }
  return &self->base.parent;
}

static JsonObject *
usage_object (ChatTranslator *self)
{
  JsonObject *usage = json_object_new (), *details = json_object_new ();

  json_object_set_int_member (usage, "prompt_tokens", self->prompt_tokens);
  json_object_set_int_member (usage, "completion_tokens", self->completion_tokens);
  json_object_set_int_member (usage, "total_tokens", self->prompt_tokens + self->completion_tokens);
  json_object_set_int_member (details, "cached_tokens", self->cached_tokens);
  json_object_set_object_member (usage, "prompt_tokens_details", details);
  return usage;
}

/* The chat.completion object of a whole answer. */
static void
write_completion (ChatTranslator *self)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *choice = json_object_new (), *message = json_object_new ();
  JsonArray *choices = json_array_new ();

  json_object_set_string_member (root, "id", self->id);
  json_object_set_string_member (root, "object", "chat.completion");
  json_object_set_int_member (root, "created", self->created);
  json_object_set_string_member (root, "model", self->model);
  json_object_set_string_member (message, "role", "assistant");
  if (self->text->len > 0 || self->n_tool_calls == 0)
    json_object_set_string_member (message, "content", self->text->str);
  else
    json_object_set_null_member (message, "content");
  if (self->reasoning->len > 0)
    json_object_set_string_member (message, "reasoning_content", self->reasoning->str);
  if (self->n_tool_calls > 0)
    json_object_set_array_member (message, "tool_calls", json_array_ref (self->tool_calls));
  json_object_set_null_member (message, "refusal");
  json_object_set_int_member (choice, "index", 0);
  json_object_set_object_member (choice, "message", message);
  json_object_set_string_member (choice, "finish_reason", self->finish_reason);
  json_object_set_null_member (choice, "logprobs");
  json_array_add_object_element (choices, choice);
  json_object_set_array_member (root, "choices", choices);
  json_object_set_object_member (root, "usage", usage_object (self));
  node = json_node_init_object (json_node_alloc (), root);
  text = json_to_string (node, FALSE);
  g_string_append (self->base.parent.output, text);
}

static gboolean
back_finish (AgBackTranslator *back, GError **error)
{
  ChatTranslator *self = (ChatTranslator *) back;

  if (self->base.done)
    return TRUE;
  ag_stream_translator_finish (self->base.inner);
  self->base.done = TRUE;
  if (!self->base.stream)
    write_completion (self);
  return TRUE;
}

static void
back_fail (AgBackTranslator *back, const char *error_type, const char *message)
{
  ChatTranslator *self = (ChatTranslator *) back;

  self->base.done = TRUE;
  ag_json_append_literal (back->output, "data: ");
  ag_openai_error_append (back->output, 0, error_type, message);
  ag_json_append_literal (back->output, "\n\n");
}

static void
back_free (AgBackTranslator *back)
{
  ChatTranslator *self = (ChatTranslator *) back;

  g_free (self->id);
  g_free (self->model);
  g_string_free (self->head, TRUE);
  if (self->text != NULL)
    g_string_free (self->text, TRUE);
  if (self->reasoning != NULL)
    g_string_free (self->reasoning, TRUE);
  g_clear_pointer (&self->tool_calls, json_array_unref);
  ag_event_back_translator_clear (&self->base);
  g_free (self);
}

static const AgBackTranslatorClass chat_translator_class =
  AG_EVENT_BACK_TRANSLATOR_CLASS (back_finish, back_fail, back_free);
