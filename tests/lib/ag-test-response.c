/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-test-response.h"
#include "ag-sse-parser.h"
#include "ag-test-fixtures.h"
#include "ag-test-json.h"

const AgTestResponseFixture ag_test_response_fixtures[] = {
  { "text-only", AG_MODEL_FAMILY_GEMINI },
  { "thinking-text", AG_MODEL_FAMILY_CLAUDE },
  { "thinking-tool-claude", AG_MODEL_FAMILY_CLAUDE },
  { "parallel-calls-gemini", AG_MODEL_FAMILY_GEMINI },
  { "signature-on-text-gemini", AG_MODEL_FAMILY_GEMINI },
  { "inline-image", AG_MODEL_FAMILY_GEMINI },
  { "max-tokens", AG_MODEL_FAMILY_GEMINI },
  { "safety", AG_MODEL_FAMILY_GEMINI },
  { "empty", AG_MODEL_FAMILY_GEMINI },
  { "cached-usage", AG_MODEL_FAMILY_CLAUDE },
  { "crlf-comments", AG_MODEL_FAMILY_GEMINI },
};
const gsize ag_test_response_n_fixtures = G_N_ELEMENTS (ag_test_response_fixtures);

#include <string.h>

static void
push_data (const char *event, const char *data, gsize data_len, gpointer translator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) chunk = json_from_string (data, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (chunk));
  g_assert_true (ag_stream_translator_push (translator, json_node_get_object (chunk), &error));
  g_assert_no_error (error);
}

void
ag_test_run_stream (AgStreamTranslator *translator, const char *sse, gsize len)
{
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (push_data, translator);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_sse_parser_feed (parser, sse, len, &error));
  g_assert_no_error (error);
  ag_sse_parser_finish (parser);
  ag_stream_translator_finish (translator);
}

static void
push_back_data (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  AgBackTranslator *translator = ((gpointer *) user_data)[0];
  GString *out = ((gpointer *) user_data)[1];
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) chunk = json_from_string (data, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (chunk));
  g_assert_true (ag_back_translator_push (translator, json_node_get_object (chunk), &error));
  g_assert_no_error (error);
  if ((bytes = ag_back_translator_take_output (translator)) != NULL)
    g_string_append_len (out, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
}

GBytes *
ag_test_run_back_translator (AgBackTranslator *translator, const char *sse, gsize len)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gpointer data[2] = { translator, out };
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (push_back_data, data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) rest = NULL;

  g_assert_true (ag_sse_parser_feed (parser, sse, len, &error));
  g_assert_no_error (error);
  ag_sse_parser_finish (parser);
  g_assert_true (ag_back_translator_finish (translator, &error));
  g_assert_no_error (error);
  if ((rest = ag_back_translator_take_output (translator)) != NULL)
    g_string_append_len (out, g_bytes_get_data (rest, NULL), (gssize) g_bytes_get_size (rest));
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

void
ag_test_check_fixture (JsonNode *actual, const char *kind, const char *name)
{
  g_autoptr(JsonNode) expected = NULL;

  if (g_strcmp0 (g_getenv ("AGCL_UPDATE_FIXTURES"), "1") == 0)
    {
      g_autofree char *path = ag_test_fixture_path (kind, name);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GError) error = NULL;

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      json_generator_set_root (generator, actual);
      g_assert_true (json_generator_to_file (generator, path, &error));
      g_assert_no_error (error);
      return;
    }
  expected = ag_test_fixture_load_json (kind, name);
  ag_test_assert_json_equal (actual, expected);
}

void
ag_test_record_event (const char *event_name, JsonNode *data, gpointer events_array)
{
  JsonObject *record = json_object_new ();

  /* The event payload must carry its own name as "type" (Anthropic SSE framing). */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "type"), ==, event_name);
  json_object_set_string_member (record, "event", event_name);
  json_object_set_member (record, "data", json_node_copy (data));
  json_array_add_object_element (events_array, record);
}

static gboolean
is_random_id (const char *id, const char *prefix)
{
  gsize n = strlen (prefix);

  if (!g_str_has_prefix (id, prefix) || strlen (id) < n + 24)
    return FALSE;
  for (const char *p = id + n; p < id + n + 24; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  /* A Gemini tool_use id may go on with the signature it carries (ag-signature-carrier.h). */
  return id[n + 24] == '\0' || g_str_has_prefix (id + n + 24, "_agsig1_");
}

static void
normalize_object (JsonObject *object, GPtrArray *tool_ids)
{
  const char *type = json_object_get_string_member_with_default (object, "type", "");
  const char *id = json_object_get_string_member_with_default (object, "id", NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (id != NULL && g_str_equal (type, "message"))
    {
      g_assert_true (is_random_id (id, "msg_"));
      json_object_set_string_member (object, "id", "msg_RANDOM");
    }
  else if (id != NULL && g_str_equal (type, "tool_use") && is_random_id (id, "toolu_"))
    {
      if (tool_ids != NULL)
        g_ptr_array_add (tool_ids, g_strdup (id));
      g_autofree char *normalized = g_strconcat ("toolu_RANDOM", id + strlen ("toolu_") + 24, NULL);

      json_object_set_string_member (object, "id", normalized);
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    ag_test_normalize_ids (value, tool_ids);
}

void
ag_test_normalize_ids (JsonNode *node, GPtrArray *tool_ids)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    normalize_object (json_node_get_object (node), tool_ids);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        ag_test_normalize_ids (json_array_get_element (array, i), tool_ids);
    }
}
