/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Web search both ways, without I/O: which Anthropic requests are web searches (ag_web_search_max_uses), and
 * Google's grounded answer (tests/fixtures/response/web-search.sse: text over three chunks, groundingMetadata on
 * the last with a duplicate source, a support whose offsets are wrong but whose text is right, and an index past
 * the sources) as the message in web-search.message.json — whole, and streamed as events that fold back into the
 * same message. The request side is the "web-search" fixture of test-request-translator. */
#include "ag-test.h"
#include "ag-sse-parser.h"
#include "ag-web-search.h"
#include "ag-web-search-translator.h"

#include <string.h>

typedef struct {
  const char *name;
  const char *body;
  gint64      max_uses;
} DetectCase;

#define SEARCH "{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":3}"
#define FUNCTION "{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}"

static const DetectCase detect_cases[] = {
  { "search-alone", "{\"tools\":[" SEARCH "]}", 3 },
  { "newer-version", "{\"tools\":[{\"type\":\"web_search_20260209\",\"name\":\"web_search\"}]}",
    AG_WEB_SEARCH_DEFAULT_MAX_USES },
  { "forced-beside-functions", "{\"tools\":[" FUNCTION "," SEARCH "],"
    "\"tool_choice\":{\"type\":\"tool\",\"name\":\"web_search\"}}", 3 },
  { "beside-functions", "{\"tools\":[" FUNCTION "," SEARCH "]}", 0 },
  { "beside-functions-any", "{\"tools\":[" FUNCTION "," SEARCH "],\"tool_choice\":{\"type\":\"any\"}}", 0 },
  { "choice-none", "{\"tools\":[" SEARCH "],\"tool_choice\":{\"type\":\"none\"}}", 0 },
  { "other-server-tool", "{\"tools\":[{\"type\":\"bash_20250124\",\"name\":\"bash\"}]}", 0 },
  { "no-tools", "{}", 0 },
  { "zero-max-uses", "{\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":0}]}",
    AG_WEB_SEARCH_DEFAULT_MAX_USES },
};

static void
test_detect (gconstpointer data)
{
  const DetectCase *c = data;
  g_autoptr(JsonNode) body = ag_test_parse_json_text (c->body);

  g_assert_cmpint (ag_web_search_max_uses (json_node_get_object (body)), ==, c->max_uses);
}

static void
push_event (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  g_autoptr(JsonNode) chunk = ag_test_parse_json_text (data);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_back_translator_push (user_data, json_node_get_object (chunk), &error));
  g_assert_no_error (error);
}

/* The fixture through a fresh translator; its output with the random ids made fixed. */
static char *
translate_fixture (gboolean stream, gint64 max_uses)
{
  AgStreamOptions options = { .client_model = "claude-opus-4-8", .web_search_max_uses = max_uses };
  g_autoptr(AgBackTranslator) translator = ag_web_search_translator_new (&options, stream);
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (push_event, translator);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GRegex) ids = g_regex_new ("(msg|srvtoolu)_[A-Za-z0-9]{24}", 0, 0, NULL);
  g_autofree char *text = NULL;
  gsize length;
  g_autofree char *sse = ag_test_fixture_load ("response", "web-search.sse", &length);

  g_assert_true (ag_sse_parser_feed (parser, sse, length, &error));
  ag_sse_parser_finish (parser);
  g_assert_false (ag_back_translator_started (translator));
  g_assert_false (ag_back_translator_is_empty (translator));
  g_assert_true (ag_back_translator_saw_finish_reason (translator));
  g_assert_true (ag_back_translator_finish (translator, &error));
  g_assert_true (ag_back_translator_started (translator));
  output = ag_back_translator_take_output (translator);
  text = g_strndup (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
  return g_regex_replace (ids, text, -1, 0, "\\1_ID", 0, NULL);
}

static void
test_whole (void)
{
  g_autofree char *text = translate_fixture (FALSE, 8);
  g_autoptr(JsonNode) message = ag_test_parse_json_text (text);
  g_autoptr(JsonNode) expected = ag_test_fixture_load_json ("response", "web-search.message.json");

  ag_test_assert_json_equal (message, expected);
}

static void
test_streamed (void)
{
  g_autofree char *text = translate_fixture (TRUE, 8);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(JsonNode) events = ag_test_parse_sse (bytes);
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonNode) expected = ag_test_fixture_load_json ("response", "web-search.message.json");
  g_autofree char *shape = ag_test_event_shape (events);
  JsonObject *start = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (json_node_get_array (events), 0), "data"),
    "message");

  g_assert_cmpstr (shape, ==,
                   "message_start content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_stop "
                   "content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_delta content_block_stop "
                   "content_block_start content_block_delta content_block_stop message_delta message_stop");
  /* Nothing was searched yet when the message starts. */
  ag_test_assert_json_text (json_object_get_member (start, "usage"),
                            "{\"input_tokens\":120,\"output_tokens\":0,\"cache_read_input_tokens\":0,"
                            "\"cache_creation_input_tokens\":0,\"server_tool_use\":{\"web_search_requests\":0}}");
  /* Folding changes the message_start object in place, so it comes after the look at it. */
  message = ag_test_fold_events (events);
  ag_test_assert_json_equal (message, expected);
}

/* A failure before the end leaves only the error event: nothing of the answer was shown. */
static void
test_fail (void)
{
  AgStreamOptions options = { .client_model = "m", .web_search_max_uses = 1 };
  g_autoptr(AgBackTranslator) translator = ag_web_search_translator_new (&options, TRUE);
  static const char expected[] = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                                 "\"message\":\"upstream went away\"}}\n\n";
  g_autoptr(GBytes) output = NULL;

  ag_back_translator_fail (translator, "api_error", "upstream went away");
  output = ag_back_translator_take_output (translator);
  g_assert_cmpmem (g_bytes_get_data (output, NULL), g_bytes_get_size (output), expected, sizeof expected - 1);
  g_assert_true (ag_back_translator_is_empty (translator));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/web-search/detect/", detect_cases, test_detect);
  g_test_add_func ("/web-search/translate/whole", test_whole);
  g_test_add_func ("/web-search/translate/streamed", test_streamed);
  g_test_add_func ("/web-search/translate/fail", test_fail);
  return g_test_run ();
}
