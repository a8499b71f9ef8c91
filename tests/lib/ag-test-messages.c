/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-messages.h"
#include "ag-test-json.h"
#include "ag-sse-parser.h"

#include <string.h>

static void
collect_event (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  JsonArray *events = user_data;
  JsonObject *entry = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *parsed = json_from_string (data, &error);

  g_assert_no_error (error);
  json_object_set_string_member (entry, "event", event);
  json_object_set_member (entry, "data", parsed);
  json_array_add_object_element (events, entry);
}

JsonNode *
ag_test_parse_sse (GBytes *body)
{
  JsonArray *events = json_array_new ();
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (collect_event, events);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  g_assert_true (ag_sse_parser_feed (parser, data, length, &error));
  ag_sse_parser_finish (parser);
  json_node_take_array (node, events);
  return node;
}

static const char *
event_name (JsonArray *events, guint i)
{
  return json_object_get_string_member (json_array_get_object_element (events, i), "event");
}

char *
ag_test_event_shape (JsonNode *events)
{
  JsonArray *array = json_node_get_array (events);
  GString *shape = g_string_new (NULL);
  const char *previous = NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = event_name (array, i);

      if (g_strcmp0 (name, previous) == 0 && g_str_equal (name, "content_block_delta"))
        continue;
      if (shape->len > 0)
        g_string_append_c (shape, ' ');
      g_string_append (shape, name);
      previous = name;
    }
  return g_string_free (shape, FALSE);
}

char *
ag_test_joined_deltas (JsonNode *events, const char *delta_type, const char *field)
{
  JsonArray *array = json_node_get_array (events);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *data = json_object_get_object_member (json_array_get_object_element (array, i), "data");

      if (g_str_equal (json_object_get_string_member (data, "type"), "content_block_delta"))
        {
          JsonObject *delta = json_object_get_object_member (data, "delta");

          if (g_str_equal (json_object_get_string_member (delta, "type"), delta_type))
            g_string_append (text, json_object_get_string_member (delta, field));
        }
    }
  return g_string_free (text, FALSE);
}

char *
ag_test_streamed_text (GBytes *body)
{
  g_autoptr(JsonNode) events = ag_test_parse_sse (body);

  return ag_test_joined_deltas (events, "text_delta", "text");
}

char *
ag_test_reply_text (GBytes *body)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_json (body);
  JsonArray *content = json_object_get_array_member (json_node_get_object (parsed), "content");

  return g_strdup (json_object_get_string_member (json_array_get_object_element (content, 0), "text"));
}

static void
assert_error (JsonObject *error, const char *type, const char *message_part)
{
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, type);
  if (strstr (json_object_get_string_member (error, "message"), message_part) == NULL)
    g_error ("error message \"%s\" lacks \"%s\"", json_object_get_string_member (error, "message"), message_part);
}

void
ag_test_assert_error_body (GBytes *body, const char *type, const char *message_part)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_json (body);
  JsonObject *object = json_node_get_object (parsed);

  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "error");
  assert_error (json_object_get_object_member (object, "error"), type, message_part);
}

void
ag_test_assert_stream_ends_in_error (GBytes *body, const char *type, const char *message_part)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_sse (body);
  JsonArray *events = json_node_get_array (parsed);
  guint n = json_array_get_length (events);

  g_assert_cmpuint (n, >=, 1);
  if (n > 1)
    g_assert_cmpstr (event_name (events, 0), ==, "message_start");
  g_assert_cmpstr (event_name (events, n - 1), ==, "error");
  for (guint i = 0; i + 1 < n; i++)
    g_assert_cmpstr (event_name (events, i), !=, "message_stop");
  assert_error (json_object_get_object_member (json_object_get_object_member (json_array_get_object_element (events,
                n - 1), "data"), "error"), type, message_part);
}

JsonNode *
ag_test_fold_events (JsonNode *events)
{
  JsonArray *array = json_node_get_array (events);
  JsonObject *message = NULL;
  JsonArray *content = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  JsonNode *node;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *data = json_object_get_object_member (json_array_get_object_element (array, i), "data");
      const char *type = json_object_get_string_member (data, "type");
      JsonObject *delta = json_object_has_member (data, "delta") ? json_object_get_object_member (data, "delta")
                                                                  : NULL;
      const char *delta_type = delta != NULL && json_object_has_member (delta, "type")
                               ? json_object_get_string_member (delta, "type") : "";
      JsonObject *block = content != NULL && json_array_get_length (content) > 0
                          ? json_array_get_object_element (content, json_array_get_length (content) - 1) : NULL;

      if (g_str_equal (type, "message_start"))
        {
          message = json_object_ref (json_object_get_object_member (data, "message"));
          content = json_object_get_array_member (message, "content");
        }
      else if (g_str_equal (type, "content_block_start"))
        {
          json_array_add_element (content, json_node_copy (json_object_get_member (data, "content_block")));
          g_string_truncate (input, 0);
        }
      else if (g_str_equal (delta_type, "input_json_delta"))
        {
          g_string_append (input, json_object_get_string_member (delta, "partial_json"));
          json_object_set_member (block, "input", ag_test_parse_json_text (input->str));
        }
      else if (g_str_equal (delta_type, "citations_delta"))
        json_array_add_element (json_object_get_array_member (block, "citations"),
                                json_node_copy (json_object_get_member (delta, "citation")));
      else if (g_str_equal (delta_type, "text_delta"))
        {
          g_autofree char *text = g_strconcat (json_object_get_string_member (block, "text"),
                                               json_object_get_string_member (delta, "text"), NULL);
          json_object_set_string_member (block, "text", text);
        }
      else if (g_str_equal (type, "message_delta"))
        {
          json_object_set_member (message, "stop_reason",
                                  json_node_copy (json_object_get_member (delta, "stop_reason")));
          json_object_set_member (message, "usage", json_node_copy (json_object_get_member (data, "usage")));
        }
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, message);
  return node;
}
