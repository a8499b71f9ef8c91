/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-request-classifier.h"
#include "ag-json.h"
#include "ag-sse-writer.h"

#include <string.h>

/* Background tasks are short prompts; the keyword test reads the start of the last user message only
 * (Antigravity-Manager's limits: ≤ 800 bytes, first 500 characters). */
#define BACKGROUND_MAX_BYTES 800
#define BACKGROUND_SCAN_CHARS 500

static const char *const title_phrases[] = {
  "write a 5-10 word title", "respond with the title", "generate a title for", "title for the conversation",
  "generate a concise title", NULL
};
static const char *const summary_phrases[] = {
  "summarize this coding conversation", "in under 50 characters", "compress the context",
  "summarize the conversation", NULL
};
static const char *const suggestion_phrases[] = {
  "prompt suggestion generator", "suggest next prompts", "suggest the next prompt", NULL
};

static JsonObject *
last_message (JsonObject *body)
{
  JsonNode *messages = json_object_get_member (body, "messages");
  JsonArray *array;
  JsonNode *last;

  if (messages == NULL || !JSON_NODE_HOLDS_ARRAY (messages))
    return NULL;
  array = json_node_get_array (messages);
  if (json_array_get_length (array) == 0)
    return NULL;
  last = json_array_get_element (array, json_array_get_length (array) - 1);
  return JSON_NODE_HOLDS_OBJECT (last) ? json_node_get_object (last) : NULL;
}

/* The user text of the last message: the string content or its text blocks joined. */
static char *
last_user_text (JsonObject *message)
{
  JsonNode *content = json_object_get_member (message, "content");
  GString *text;
  JsonArray *blocks;

  if (g_strcmp0 (ag_json_string (message, "role"), "user") != 0 || content == NULL)
    return NULL;
  if (json_node_get_value_type (content) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (content));
  if (!JSON_NODE_HOLDS_ARRAY (content))
    return NULL;
  text = g_string_new (NULL);
  blocks = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonNode *block = json_array_get_element (blocks, i);

      if (JSON_NODE_HOLDS_OBJECT (block) &&
          g_strcmp0 (ag_json_string (json_node_get_object (block), "type"), "text") == 0 &&
          ag_json_string (json_node_get_object (block), "text") != NULL)
        {
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, ag_json_string (json_node_get_object (block), "text"));
        }
    }
  return g_string_free (text, FALSE);
}

/* Only the last message counts: scanning older ones once turned whole sessions into "OK" answers (AM #467). */
static gboolean
is_warmup (JsonObject *message)
{
  JsonNode *content = json_object_get_member (message, "content");
  JsonArray *blocks;

  if (g_strcmp0 (ag_json_string (message, "role"), "user") != 0 || content == NULL)
    return FALSE;
  if (json_node_get_value_type (content) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (content)));

      return g_str_has_prefix (text, "Warmup") && strlen (text) < 100;
    }
  if (!JSON_NODE_HOLDS_ARRAY (content))
    return FALSE;
  blocks = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonNode *node = json_array_get_element (blocks, i);
      JsonObject *block;
      const char *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      block = json_node_get_object (node);
      type = ag_json_string (block, "type");
      if (g_strcmp0 (type, "text") == 0 && ag_json_string (block, "text") != NULL)
        {
          g_autofree char *text = g_strstrip (g_strdup (ag_json_string (block, "text")));

          if (g_str_equal (text, "Warmup") || g_str_has_prefix (ag_json_string (block, "text"), "Warmup\n"))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_quota_probe (JsonObject *body, JsonObject *message)
{
  JsonNode *max_tokens = json_object_get_member (body, "max_tokens");
  JsonNode *messages = json_object_get_member (body, "messages");
  g_autofree char *text = NULL;

  if (max_tokens == NULL || json_node_get_value_type (max_tokens) != G_TYPE_INT64 ||
      json_node_get_int (max_tokens) != 1 || json_object_has_member (body, "system") ||
      json_array_get_length (json_node_get_array (messages)) != 1)
    return FALSE;
  text = last_user_text (message);
  return g_strcmp0 (text, "quota") == 0;
}

static gboolean
contains_any (const char *haystack, const char *const *phrases)
{
  for (guint i = 0; phrases[i] != NULL; i++)
    if (strstr (haystack, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

AgRequestKind
ag_request_classify (JsonObject *body)
{
  JsonObject *message = last_message (body);
  g_autofree char *text = NULL;
  g_autofree char *head = NULL;
  g_autofree char *lower = NULL;

  if (message == NULL)
    return AG_REQUEST_KIND_NORMAL;
  if (is_warmup (message))
    return AG_REQUEST_KIND_WARMUP;
  if (is_quota_probe (body, message))
    return AG_REQUEST_KIND_QUOTA_PROBE;

  text = last_user_text (message);
  if (text == NULL || strlen (text) > BACKGROUND_MAX_BYTES || strstr (text, "<system-reminder>") != NULL)
    return AG_REQUEST_KIND_NORMAL;
  head = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), BACKGROUND_SCAN_CHARS));
  lower = g_utf8_strdown (head, -1);
  if (contains_any (lower, title_phrases))
    return AG_REQUEST_KIND_TITLE;
  if (contains_any (lower, summary_phrases))
    return AG_REQUEST_KIND_SUMMARY;
  if (contains_any (lower, suggestion_phrases))
    return AG_REQUEST_KIND_SUGGESTION;
  return AG_REQUEST_KIND_NORMAL;
}

gboolean
ag_request_kind_is_background (AgRequestKind kind)
{
  return kind == AG_REQUEST_KIND_TITLE || kind == AG_REQUEST_KIND_SUMMARY || kind == AG_REQUEST_KIND_SUGGESTION;
}

const char *
ag_request_kind_to_string (AgRequestKind kind)
{
  switch (kind)
    {
    case AG_REQUEST_KIND_WARMUP: return "warmup";
    case AG_REQUEST_KIND_QUOTA_PROBE: return "quota-probe";
    case AG_REQUEST_KIND_TITLE: return "title";
    case AG_REQUEST_KIND_SUMMARY: return "summary";
    case AG_REQUEST_KIND_SUGGESTION: return "suggestion";
    case AG_REQUEST_KIND_NORMAL:
    default: return "normal";
    }
}

static char *
intercepted_id (void)
{
  return g_strdup_printf ("msg_warmup_%" G_GINT64_FORMAT, g_get_real_time () / 1000);
}

JsonNode *
ag_intercepted_message (const char *model)
{
  g_autofree char *id = intercepted_id ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "message");
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, "OK");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "stop_reason");
  json_builder_add_string_value (builder, "end_turn");
  json_builder_set_member_name (builder, "stop_sequence");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
append_event (GString *out, const char *name, const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GBytes) bytes = ag_sse_format_event (name, node);

  g_string_append_len (out, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
}

GBytes *
ag_intercepted_stream (const char *model)
{
  g_autoptr(JsonNode) message = ag_intercepted_message (model);
  JsonObject *object = json_node_get_object (message);
  g_autoptr(JsonNode) start = json_node_new (JSON_NODE_OBJECT);
  JsonObject *start_object = json_object_new ();
  GString *out = g_string_new (NULL);
  g_autoptr(GBytes) start_bytes = NULL;

  /* message_start carries the message with empty content and no output yet. */
  json_object_set_array_member (object, "content", json_array_new ());
  json_object_set_null_member (object, "stop_reason");
  json_object_set_int_member (json_object_get_object_member (object, "usage"), "output_tokens", 0);
  json_object_set_string_member (start_object, "type", "message_start");
  json_object_set_member (start_object, "message", json_node_ref (message));
  json_node_take_object (start, start_object);
  start_bytes = ag_sse_format_event ("message_start", start);
  g_string_append_len (out, g_bytes_get_data (start_bytes, NULL), (gssize) g_bytes_get_size (start_bytes));

  append_event (out, "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  append_event (out, "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"OK\"}}");
  append_event (out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
  append_event (out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                                      "\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}");
  append_event (out, "message_stop", "{\"type\":\"message_stop\"}");
  return g_string_free_to_bytes (out);
}
