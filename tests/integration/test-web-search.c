/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Claude Code's WebSearch over HTTP against the real ag-cl and the mock: a Messages request with a web_search
 * server tool becomes a Cloud Code grounding call (requestType web_search, googleSearch alone, no session, on a
 * webSearchModelIds model), and Google's grounding comes back as server_tool_use, web_search_tool_result and
 * cited text, the same blocks streamed and whole; max_uses caps the searches reported; a request that also offers
 * functions without forcing the search stays a normal one. */
#include "ag-test.h"
#include "ag-mock-grounding.h"

#include <string.h>

static AgTestHarness *harness;

#define ANSWER "ag-cl 1.4 shipped on 30 November — in time. It serves web search."
#define FIRST "ag-cl 1.4 shipped on 30 November — in time."
#define SECOND "It serves web search."

static const char script[] =
  "{\"generate\":[{\"match\":{\"text_contains\":\"Perform a web search\"},"
  "  \"respond\":{\"text\":\"" ANSWER "\","
  "    \"grounding\":{\"queries\":[\"ag-cl release date\",\"ag-cl 1.4\"],"
  "      \"supports\":[{\"text\":\"" FIRST "\",\"sources\":[0,1]},{\"text\":\"" SECOND "\",\"sources\":[1]}]}}}]}";

/* The blocks both answers must hold, ids left out (they are random; checked apart). Offsets are UTF-8 bytes:
 * the em dash is three. */
static const char expected_blocks[] =
  "[{\"type\":\"server_tool_use\",\"name\":\"web_search\",\"input\":{\"query\":\"ag-cl release date\"}},"
  " {\"type\":\"web_search_tool_result\",\"content\":["
  "   {\"type\":\"web_search_result\",\"url\":\"" AG_MOCK_GROUNDING_URI_1 "\",\"title\":\"" AG_MOCK_GROUNDING_TITLE_1
  "\",\"encrypted_content\":\"" FIRST "\",\"page_age\":null},"
  "   {\"type\":\"web_search_result\",\"url\":\"" AG_MOCK_GROUNDING_URI_2 "\",\"title\":\"" AG_MOCK_GROUNDING_TITLE_2
  "\",\"encrypted_content\":\"" FIRST " … " SECOND "\",\"page_age\":null}]},"
  " {\"type\":\"text\",\"text\":\"" FIRST "\",\"citations\":["
  "   {\"type\":\"web_search_result_location\",\"url\":\"" AG_MOCK_GROUNDING_URI_1 "\",\"title\":\""
  AG_MOCK_GROUNDING_TITLE_1 "\",\"encrypted_index\":\"MDowLTQ1\",\"cited_text\":\"" FIRST "\"},"
  "   {\"type\":\"web_search_result_location\",\"url\":\"" AG_MOCK_GROUNDING_URI_2 "\",\"title\":\""
  AG_MOCK_GROUNDING_TITLE_2 "\",\"encrypted_index\":\"MTowLTQ1\",\"cited_text\":\"" FIRST "\"}]},"
  " {\"type\":\"text\",\"text\":\" \"},"
  " {\"type\":\"text\",\"text\":\"" SECOND "\",\"citations\":["
  "   {\"type\":\"web_search_result_location\",\"url\":\"" AG_MOCK_GROUNDING_URI_2 "\",\"title\":\""
  AG_MOCK_GROUNDING_TITLE_2 "\",\"encrypted_index\":\"MTo0Ni02Nw==\",\"cited_text\":\"" SECOND "\"}]}]";

/* What Claude Code sends for its WebSearch tool (claude-code 2.1.332). */
static char *
search_body (gboolean stream, int max_uses, const char *extra_tool)
{
  return g_strdup_printf (
    "{\"model\":\"claude-opus-4-8\",\"max_tokens\":32000,\"stream\":%s,\"thinking\":{\"type\":\"disabled\"},"
    "\"system\":[{\"type\":\"text\",\"text\":\"You run a web search for another Claude model.\"}],"
    "\"messages\":[{\"role\":\"user\",\"content\":\"Perform a web search for the query: ag-cl release date\"}],"
    "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":%d}%s],"
    "\"tool_choice\":{\"type\":\"%s\"%s}}",
    stream ? "true" : "false", max_uses, extra_tool != NULL ? extra_tool : "", extra_tool != NULL ? "auto" : "tool",
    extra_tool != NULL ? "" : ",\"name\":\"web_search\"");
}

/* Takes the random ids out of @blocks after checking that the result names the use. */
static void
check_and_drop_ids (JsonArray *blocks)
{
  JsonObject *use = json_array_get_object_element (blocks, 0);
  JsonObject *result = json_array_get_object_element (blocks, 1);

  g_assert_true (g_str_has_prefix (json_object_get_string_member (use, "id"), "srvtoolu_"));
  g_assert_cmpstr (json_object_get_string_member (result, "tool_use_id"), ==,
                   json_object_get_string_member (use, "id"));
  json_object_remove_member (use, "id");
  json_object_remove_member (result, "tool_use_id");
}

static JsonObject *
usage_of_message (JsonNode *message)
{
  return json_object_get_object_member (json_node_get_object (message), "usage");
}

static void
test_whole (void)
{
  g_autofree char *body = search_body (FALSE, 8, NULL);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) message = NULL;
  JsonObject *root;
  JsonNode *content;

  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, body, &reply), ==, 200);
  message = ag_test_parse_json (reply);
  root = json_node_get_object (message);
  content = json_object_get_member (root, "content");
  check_and_drop_ids (json_node_get_array (content));
  ag_test_assert_json_text (content, expected_blocks);
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, "claude-opus-4-8");
  g_assert_cmpstr (json_object_get_string_member (root, "stop_reason"), ==, "end_turn");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (usage_of_message (message),
                                                                              "server_tool_use"),
                                               "web_search_requests"), ==, 2);
}

static void
test_streamed (void)
{
  g_autofree char *body = search_body (TRUE, 8, NULL);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *shape = NULL;
  JsonNode *content;
  JsonArray *array;
  JsonObject *last_delta;

  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, body, &reply), ==, 200);
  events = ag_test_parse_sse (reply);
  shape = ag_test_event_shape (events);
  g_assert_cmpstr (shape, ==,
                   "message_start content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_stop "
                   "content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_delta content_block_stop message_delta message_stop");
  message = ag_test_fold_events (events);
  content = json_object_get_member (json_node_get_object (message), "content");
  check_and_drop_ids (json_node_get_array (content));
  ag_test_assert_json_text (content, expected_blocks);
  array = json_node_get_array (events);
  last_delta = json_object_get_object_member (json_array_get_object_element (array, json_array_get_length (array) - 2),
                                              "data");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (
                     last_delta, "usage"), "server_tool_use"), "web_search_requests"), ==, 2);
}

/* What went upstream: a grounding call on the webSearchModelIds model, googleSearch alone, no session. */
static void
test_upstream_request (void)
{
  g_autofree char *body = search_body (TRUE, 8, NULL);
  g_autoptr(JsonArray) requests = NULL;
  JsonObject *envelope, *request;

  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, body, NULL), ==, 200);
  requests = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  envelope = json_object_get_object_member (json_array_get_object_element (requests, 0), "body");
  request = json_object_get_object_member (envelope, "request");
  g_assert_cmpstr (json_object_get_string_member (envelope, "requestType"), ==, "web_search");
  g_assert_cmpstr (json_object_get_string_member (envelope, "model"), ==, "gemini-3-flash");
  ag_test_assert_json_text (json_object_get_member (request, "tools"), "[{\"googleSearch\":{}}]");
  g_assert_false (json_object_has_member (request, "sessionId"));
  g_assert_false (json_object_has_member (request, "toolConfig"));
  g_assert_false (json_object_has_member (json_object_get_object_member (request, "generationConfig"),
                                          "thinkingConfig"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (request, "generationConfig"),
                                               "candidateCount"), ==, 1);
}

/* Google ran two queries; a tool allowing one reports one. */
static void
test_max_uses (void)
{
  g_autofree char *body = search_body (FALSE, 1, NULL);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) message = NULL;

  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, body, &reply), ==, 200);
  message = ag_test_parse_json (reply);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (usage_of_message (message),
                                                                              "server_tool_use"),
                                               "web_search_requests"), ==, 1);
}

/* Functions offered beside the search, which is not forced: a normal request, the search tool left out (Google
 * would refuse the mix). */
static void
test_mixed_stays_normal (void)
{
  g_autofree char *body = search_body (FALSE, 8, ",{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}");
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonArray) requests = NULL;
  JsonObject *envelope;
  JsonArray *tools, *declarations;
  g_autofree char *text = NULL;

  ag_test_harness_set_script (harness, "{}");
  g_assert_cmpuint (ag_test_harness_post (harness, body, &reply), ==, 200);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  g_assert_nonnull (strstr (text, "{\"type\":\"text\",\"text\":\"Hello from the mock.\"}"));
  requests = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  envelope = json_object_get_object_member (json_array_get_object_element (requests, 0), "body");
  g_assert_cmpstr (json_object_get_string_member (envelope, "requestType"), ==, "agent");
  tools = json_object_get_array_member (json_object_get_object_member (envelope, "request"), "tools");
  g_assert_cmpuint (json_array_get_length (tools), ==, 1);
  declarations = json_object_get_array_member (json_array_get_object_element (tools, 0), "functionDeclarations");
  g_assert_cmpuint (json_array_get_length (declarations), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (declarations, 0), "name"), ==,
                   "Read");
}

int
main (int argc, char **argv)
{
  harness = ag_test_harness_init (&argc, &argv);
  ag_test_harness_set_script (harness, script);
  ag_test_harness_start_proxy (harness);

  g_test_add_func ("/web-search/whole", test_whole);
  g_test_add_func ("/web-search/streamed", test_streamed);
  g_test_add_func ("/web-search/upstream-request", test_upstream_request);
  g_test_add_func ("/web-search/max-uses", test_max_uses);
  g_test_add_func ("/web-search/mixed-stays-normal", test_mixed_stays_normal);
  return ag_test_harness_run (harness);
}
