/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for folding the Anthropic event stream back into one non-stream Messages response. */
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-test.h"

static void
test_fixture (gconstpointer data)
{
  gsize i = GPOINTER_TO_SIZE (data);
  g_autofree char *sse_name = g_strconcat (ag_test_response_fixtures[i].name, ".sse", NULL);
  g_autofree char *message_name = g_strconcat (ag_test_response_fixtures[i].name, ".message.json", NULL);
  gsize len;
  g_autofree char *sse = ag_test_fixture_load ("response", sse_name, &len);
  g_autoptr(JsonNode) expected = ag_test_fixture_load_json ("response", message_name);
  g_autoptr(AgToolNames) tool_names = ag_tool_names_new ();
  g_autoptr(AgMessageCollector) collector = ag_message_collector_new ();
  g_autoptr(AgStreamTranslator) translator = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *error_type = NULL;
  AgStreamOptions options = { "claude-sonnet-4-6", ag_test_response_fixtures[i].family, tool_names };

  ag_tool_names_to_upstream (tool_names, "mcp__files/list");
  translator = ag_stream_translator_new (&options, ag_message_collector_add_event, collector);
  ag_test_run_stream (translator, sse, len);
  message = ag_message_collector_finish (collector, &error_type, &error);
  g_assert_no_error (error);
  g_assert_null (error_type);
  ag_test_normalize_ids (message, NULL);
  ag_test_assert_json_equal (message, expected);
}

static void
add_event (AgMessageCollector *collector, const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  ag_message_collector_add_event (json_object_get_string_member (json_node_get_object (node), "type"), node,
                                  collector);
}

#define MESSAGE_START                                                                                        \
  "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","    \
  "\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5," \
  "\"output_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}}"

static void
test_error_event (void)
{
  g_autoptr(AgMessageCollector) collector = ag_message_collector_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *error_type = NULL;

  add_event (collector, MESSAGE_START);
  add_event (collector, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  add_event (collector, "{\"type\":\"ping\"}");
  add_event (collector, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Upstream went away\"}}");
  g_assert_null (ag_message_collector_finish (collector, &error_type, &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
  g_assert_cmpstr (error->message, ==, "Upstream went away");
  g_assert_cmpstr (error_type, ==, "overloaded_error");
}

static void
test_incomplete_stream (void)
{
  g_autoptr(AgMessageCollector) empty = ag_message_collector_new ();
  g_autoptr(AgMessageCollector) unfinished = ag_message_collector_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autofree char *error_type = NULL;

  g_assert_null (ag_message_collector_finish (empty, &error_type, &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
  g_assert_cmpstr (error_type, ==, "api_error");

  add_event (unfinished, MESSAGE_START);
  g_assert_null (ag_message_collector_finish (unfinished, NULL, &error2));
  g_assert_error (error2, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
}

static void
test_split_tool_input_and_usage_override (void)
{
  g_autoptr(AgMessageCollector) collector = ag_message_collector_new ();
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonNode) expected = NULL;

  add_event (collector, MESSAGE_START);
  add_event (collector, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{}}}");
  add_event (collector, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        "\"partial_json\":\"{\\\"command\\\":\"}}");
  add_event (collector, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        "\"partial_json\":\"\\\"ls\\\"}\"}}");
  add_event (collector, "{\"type\":\"content_block_stop\",\"index\":0}");
  add_event (collector, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                        "\"usage\":{\"output_tokens\":9}}");
  add_event (collector, "{\"type\":\"message_stop\"}");
  message = ag_message_collector_finish (collector, NULL, NULL);
  expected = json_from_string ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                               "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\","
                               "\"input\":{\"command\":\"ls\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                               "\"usage\":{\"input_tokens\":5,\"output_tokens\":9,\"cache_read_input_tokens\":0,"
                               "\"cache_creation_input_tokens\":0}}",
                               NULL);
  g_assert_nonnull (message);
  ag_test_assert_json_equal (message, expected);
}

static void
test_bad_tool_input (void)
{
  g_autoptr(AgMessageCollector) collector = ag_message_collector_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *error_type = NULL;

  add_event (collector, MESSAGE_START);
  add_event (collector, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{}}}");
  add_event (collector, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                        "\"partial_json\":\"[1,2]\"}}");
  add_event (collector, "{\"type\":\"message_stop\"}");
  g_assert_null (ag_message_collector_finish (collector, &error_type, &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
  g_assert_cmpstr (error_type, ==, "api_error");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < ag_test_response_n_fixtures; i++)
    {
      g_autofree char *path = g_strconcat ("/message-collector/fixture/", ag_test_response_fixtures[i].name, NULL);

      g_test_add_data_func (path, GSIZE_TO_POINTER (i), test_fixture);
    }
  g_test_add_func ("/message-collector/error-event", test_error_event);
  g_test_add_func ("/message-collector/incomplete", test_incomplete_stream);
  g_test_add_func ("/message-collector/split-tool-input", test_split_tool_input_and_usage_override);
  g_test_add_func ("/message-collector/bad-tool-input", test_bad_tool_input);
  return g_test_run ();
}
