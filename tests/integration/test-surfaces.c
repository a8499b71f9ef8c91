/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client surfaces besides Anthropic's, over HTTP against the real ag-cl and the mock: each answers bad input
 * (malformed JSON, wrong types, an unknown model, a tool output for no call) with a 4xx in its own error shape and
 * sends nothing upstream, and each answers a good request in its own format. */
#include "ag-test.h"

#include <string.h>

static AgTestHarness *harness;

typedef enum {
  SHAPE_OPENAI,   /* {"error":{"message","type","param","code"}} */
  SHAPE_GEMINI,   /* {"error":{"code","message","status"}} */
} ErrorShape;

typedef struct {
  const char *name;
  const char *path;
  const char *body;
  guint       status;
  ErrorShape  shape;
  const char *type;           /* OpenAI: error.type; Gemini: error.status */
  const char *message_part;
} BadInput;

#define CHAT "/v1/chat/completions"
#define RESPONSES "/v1/responses"
#define GEMINI(action) "/v1beta/models/gemini-3-flash" action
#define GEMINI_USER "{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}"
#define USER "{\"role\":\"user\",\"content\":\"hi\"}"

static const BadInput bad_inputs[] = {
  { "chat-malformed-json", CHAT, "{\"model\":", 400, SHAPE_OPENAI, "invalid_request_error", "not valid JSON" },
  { "chat-not-an-object", CHAT, "[]", 400, SHAPE_OPENAI, "invalid_request_error", "must be a JSON object" },
  { "chat-wrong-type", CHAT, "{\"model\":\"claude-sonnet-4-6\",\"messages\":{}}", 400, SHAPE_OPENAI,
    "invalid_request_error", "messages: must be an array" },
  { "chat-unknown-model", CHAT, "{\"model\":\"gpt-4o\",\"messages\":[" USER "]}", 404, SHAPE_OPENAI,
    "not_found_error", "gpt-4o" },
  { "chat-tool-output-for-no-call", CHAT, "{\"model\":\"claude-sonnet-4-6\",\"messages\":[" USER ",{\"role\":"
    "\"tool\",\"tool_call_id\":\"call_x\",\"content\":\"42\"}]}", 400, SHAPE_OPENAI, "invalid_request_error",
    "messages.1.tool_call_id: no earlier assistant tool call has the id \"call_x\"" },
  { "chat-get", CHAT, NULL, 405, SHAPE_OPENAI, "invalid_request_error", "POST" },
  { "responses-malformed-json", RESPONSES, "{\"model\"", 400, SHAPE_OPENAI, "invalid_request_error", "not valid JSON" },
  { "responses-wrong-type", RESPONSES, "{\"model\":\"claude-sonnet-4-6\",\"input\":3}", 400, SHAPE_OPENAI,
    "invalid_request_error", "input: must be a string or an array of items" },
  { "responses-unknown-model", RESPONSES, "{\"model\":\"gpt-5.5\",\"input\":\"hi\"}", 404, SHAPE_OPENAI,
    "not_found_error", "gpt-5.5" },
  { "responses-tool-output-for-no-call", RESPONSES, "{\"model\":\"claude-sonnet-4-6\",\"input\":[" USER ","
    "{\"type\":\"function_call_output\",\"call_id\":\"call_x\",\"output\":\"42\"}]}", 400, SHAPE_OPENAI,
    "invalid_request_error", "input.1.call_id: no earlier call in input has the call_id \"call_x\"" },
  /* Codex's built-in provider first asks for a WebSocket here; a plain refusal makes it fall back to POST. */
  { "responses-websocket-get", RESPONSES, NULL, 405, SHAPE_OPENAI, "invalid_request_error", "POST" },
  { "gemini-malformed-json", GEMINI (":generateContent"), "{\"contents\":[", 400, SHAPE_GEMINI, "INVALID_ARGUMENT",
    "not valid JSON" },
  { "gemini-wrong-type", GEMINI (":streamGenerateContent?alt=sse"), "{\"contents\":{}}", 400, SHAPE_GEMINI,
    "INVALID_ARGUMENT", "contents: must be an array" },
  { "gemini-unknown-model", "/v1beta/models/gpt-4o:generateContent", "{\"contents\":[" GEMINI_USER "]}", 404,
    SHAPE_GEMINI, "NOT_FOUND", "gpt-4o" },
  { "gemini-result-for-no-call", GEMINI (":generateContent"), "{\"contents\":[" GEMINI_USER ",{\"role\":\"user\","
    "\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}", 400, SHAPE_GEMINI,
    "INVALID_ARGUMENT", "contents.1.parts.0.functionResponse.name: no earlier functionCall is named \"f\"" },
  { "gemini-count-wrong-type", GEMINI (":countTokens"), "{\"contents\":7}", 400, SHAPE_GEMINI, "INVALID_ARGUMENT",
    "contents: must be an array" },
};

static void
assert_error_shape (GBytes *body, const BadInput *c)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_json (body);
  JsonObject *root = json_node_get_object (parsed);
  JsonObject *error = json_object_get_object_member (root, "error");
  const char *message = json_object_get_string_member (error, "message");

  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  if (c->shape == SHAPE_OPENAI)
    {
      g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, c->type);
      g_assert_true (json_object_has_member (error, "param"));
      g_assert_true (json_object_has_member (error, "code"));
    }
  else
    {
      g_assert_cmpint (json_object_get_int_member (error, "code"), ==, c->status);
      g_assert_cmpstr (json_object_get_string_member (error, "status"), ==, c->type);
    }
  if (strstr (message, c->message_part) == NULL)
    g_error ("\"%s\" is not in the error message \"%s\"", c->message_part, message);
}

static void
test_bad_input (gconstpointer data)
{
  const BadInput *c = data;
  g_autoptr(GBytes) body = NULL;

  ag_test_harness_set_script (harness, NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, c->body != NULL ? "POST" : "GET", c->path, c->body, &body,
                                             NULL), ==, c->status);
  assert_error_shape (body, c);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":generateContent"), ==, 0);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":countTokens"), ==, 0);
}

/* A model request needs the catalogue; the list is also what GET /v1/models answers an OpenAI client. */
static void
test_openai_models (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *first;
  guint status = ag_test_send (harness->session, harness->port, "GET", "/v1/models", NULL, "anthropic-version",
                               NULL, &body, NULL);

  g_assert_cmpuint (status, ==, 200);
  parsed = ag_test_parse_json (body);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "object"), ==, "list");
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "object"), ==, "model");
  g_assert_true (json_object_has_member (first, "owned_by"));
  g_assert_true (json_object_has_member (first, "created"));
}

/* The request log names the surface's route. */
static void
test_chat_logged (void)
{
  g_autoptr(GBytes) body = NULL;

  ag_test_harness_set_script (harness, NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", CHAT, "{\"model\":\"claude-sonnet-4-6\",\"messages\":["
                                             USER "]}", &body, NULL), ==, 200);
  g_assert_true (ag_test_harness_wait_log (harness, "POST /v1/chat/completions claude-sonnet-4-6", 2000));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 1);
}

/* Gemini's own answers: a whole generateContent response, a countTokens total, and the model list. */
static void
test_gemini_answers (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *candidate, *first;

  ag_test_harness_set_script (harness, NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", GEMINI (":generateContent"),
                                             "{\"contents\":[" GEMINI_USER "]}", &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  candidate = json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed),
                                                                           "candidates"), 0);
  g_assert_cmpstr (json_object_get_string_member (candidate, "finishReason"), ==, "STOP");
  first = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (
                                           candidate, "content"), "parts"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "text"), ==, "Hello from the mock.");
  g_assert_true (json_object_has_member (json_node_get_object (parsed), "usageMetadata"));

  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&parsed, json_node_unref);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1beta/models/claude-sonnet-4-6:countTokens",
                                             "{\"contents\":[" GEMINI_USER "]}", &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (parsed), "totalTokens"), >, 0);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (parsed)), ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":countTokens"), ==, 1);

  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&parsed, json_node_unref);
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/v1beta/models", NULL, &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (parsed), "models"), 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "name"), "models/"));
}

int
main (int argc, char **argv)
{
  harness = ag_test_harness_init (&argc, &argv);
  ag_test_harness_start_proxy (harness);

  g_test_add_func ("/surfaces/openai-models", test_openai_models);
  AG_TEST_ADD_CASES ("/surfaces/bad-", bad_inputs, test_bad_input);
  g_test_add_func ("/surfaces/chat-logged", test_chat_logged);
  g_test_add_func ("/surfaces/gemini-answers", test_gemini_answers);
  return ag_test_harness_run (harness);
}
