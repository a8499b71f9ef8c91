/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless proxy end to end over HTTP: the real ag-cl binary, an account stored in the (test) keyring, and the
 * in-process mock Cloud Code server. */
#include "ag-test-harness.h"

#include <string.h>

#define SIGNATURE "EqQBCkgIBhABGAIiQLc7mockSignatureForTheThinkingBlockRoundTrip0123456789abcdefABCDEF=="

static AgTestHarness *harness;

static void
set_script (const char *json)
{
  g_autoptr(GError) error = NULL;

  ag_mock_server_reset (harness->mock);
  g_assert_true (ag_mock_server_set_script_json (harness->mock, json != NULL ? json : "{}", &error));
  g_assert_no_error (error);
}

static JsonObject *
error_of (JsonNode *body)
{
  JsonObject *object = json_node_get_object (body);

  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "error");
  return json_object_get_object_member (object, "error");
}

/* The last recorded request whose path ends with @suffix, as an object ({"method","path","query","headers","body"}). */
static JsonObject *
last_request (JsonNode *requests, const char *suffix)
{
  JsonArray *array = json_node_get_array (requests);

  for (guint i = json_array_get_length (array); i > 0; i--)
    {
      JsonObject *request = json_array_get_object_element (array, i - 1);

      if (g_str_has_suffix (json_object_get_string_member (request, "path"), suffix))
        return request;
    }
  g_error ("no recorded request ends with %s", suffix);
  return NULL;
}

/* Event names of a parsed SSE body, space-separated, with consecutive deltas and pings collapsed. */
static char *
event_shape (JsonNode *events)
{
  JsonArray *array = json_node_get_array (events);
  GString *shape = g_string_new (NULL);
  const char *previous = NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (array, i), "event");

      if (g_strcmp0 (name, previous) == 0 && g_str_equal (name, "content_block_delta"))
        continue;
      if (shape->len > 0)
        g_string_append_c (shape, ' ');
      g_string_append (shape, name);
      previous = name;
    }
  return g_string_free (shape, FALSE);
}

static char *
joined_deltas (JsonNode *events, const char *delta_type, const char *field)
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

static void
test_routes (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;

  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (ag_test_harness_request (harness, "HEAD", "/", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/api/event_logging/batch", "{\"events\":[]}", &body,
                                             NULL), ==, 200);
  g_clear_pointer (&body, g_bytes_unref);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/api/event_logging", "{}", NULL, NULL), ==, 200);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/", "{}", NULL, NULL), ==, 200);

  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/v2/nothing", NULL, &body, NULL), ==, 404);
  parsed = ag_test_parse_json (body);
  g_assert_cmpstr (json_object_get_string_member (error_of (parsed), "type"), ==, "not_found_error");
  g_assert_nonnull (strstr (json_object_get_string_member (error_of (parsed), "message"), "/v2/nothing"));

  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/v1/messages", NULL, NULL, NULL), ==, 405);
}

static void
assert_bad_request (const char *json, const char *message_part)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *error;

  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages?beta=true", json, &body, NULL), ==, 400);
  parsed = ag_test_parse_json (body);
  error = error_of (parsed);
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "invalid_request_error");
  if (strstr (json_object_get_string_member (error, "message"), message_part) == NULL)
    g_error ("error message \"%s\" does not mention \"%s\"", json_object_get_string_member (error, "message"),
             message_part);
}

static void
test_bad_requests (void)
{
  set_script (NULL);
  assert_bad_request ("this is not json", "JSON");
  assert_bad_request ("[1,2,3]", "object");
  assert_bad_request ("{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model");
  assert_bad_request ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10}", "messages");
  assert_bad_request ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                      "\"content\":[{\"type\":42}]}]}", "messages.0.content.0");
  assert_bad_request ("{\"model\":7,\"messages\":[]}", "model");
  /* Nothing reached upstream. */
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
}

/* A body announced larger than the limit is refused from its headers, before anything is read. */
static void
test_oversized_body (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", harness->port);
  const char *request = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        "Content-Length: 999999999\r\n\r\n{\"model\":";
  char response[4096] = { 0 };
  gsize got = 0;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, host, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                                            strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), response, sizeof response - 1,
                           &got, NULL, NULL);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "\"request_too_large\""));
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
}

static void
test_non_stream_text (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) requests = NULL;
  JsonObject *message, *upstream, *headers, *usage;
  JsonArray *content;

  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages?beta=true",
                                             "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":256,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}",
                                             &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  message = json_node_get_object (parsed);
  g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "message");
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (message, "model"), ==, "claude-sonnet-4-5-20250929");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "id"), "msg_"));
  g_assert_cmpstr (json_object_get_string_member (message, "stop_reason"), ==, "end_turn");
  content = json_object_get_array_member (message, "content");
  g_assert_cmpuint (json_array_get_length (content), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "text"), ==,
                   "Hello from the mock.");
  usage = json_object_get_object_member (message, "usage");
  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), >, 0);
  g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), >, 0);

  /* Upstream saw a streamed request in the Cloud Code envelope, for the mapped model and the account's project. */
  requests = ag_mock_server_get_requests (harness->mock);
  upstream = last_request (requests, ":streamGenerateContent");
  g_assert_cmpstr (json_object_get_string_member (upstream, "query"), ==, "alt=sse");
  headers = json_object_get_object_member (upstream, "headers");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "authorization"), "Bearer "));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "user-agent"), "antigravity/"));
  {
    JsonObject *envelope = json_object_get_object_member (upstream, "body");

    g_assert_cmpstr (json_object_get_string_member (envelope, "model"), ==, "claude-sonnet-4-6");
    g_assert_cmpstr (json_object_get_string_member (envelope, "project"), ==, "proj-1");
    g_assert_cmpstr (json_object_get_string_member (envelope, "userAgent"), ==, "antigravity");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (envelope, "requestId"), "agent-"));
    g_assert_true (json_object_has_member (json_object_get_object_member (envelope, "request"), "contents"));
  }
}

static void
test_stream_text (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *shape = NULL;
  g_autofree char *text = NULL;

  set_script ("{\"generate\":[{\"respond\":{\"text\":\"Streaming works, one piece at a time.\"}}]}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":256,\"stream\":true,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"Stream please\"}]}",
                                             &body, &headers), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/event-stream");
  events = ag_test_parse_sse (body);
  shape = event_shape (events);
  g_assert_cmpstr (shape, ==, "message_start content_block_start content_block_delta content_block_stop "
                              "message_delta message_stop");
  text = joined_deltas (events, "text_delta", "text");
  g_assert_cmpstr (text, ==, "Streaming works, one piece at a time.");
}

static void
test_thinking_round_trip (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonNode) requests = NULL;
  g_autofree char *shape = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *thinking = NULL;
  g_autofree char *second = NULL;
  JsonObject *request;
  JsonArray *contents, *parts;
  gboolean found = FALSE;

  set_script ("{\"generate\":[{\"match\":{\"text_contains\":\"think\"},\"respond\":{\"thinking\":\"Let me think "
              "about this.\",\"signature\":\"" SIGNATURE "\",\"text\":\"Forty-two.\"}}]}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages?beta=true",
                                             "{\"model\":\"claude-opus-4-8\",\"max_tokens\":64000,\"stream\":true,"
                                             "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":"
                                             "\"high\"},\"messages\":[{\"role\":\"user\",\"content\":\"Please think: "
                                             "what is six times seven?\"}]}", &body, NULL), ==, 200);
  events = ag_test_parse_sse (body);
  shape = event_shape (events);
  g_assert_cmpstr (shape, ==, "message_start content_block_start content_block_delta content_block_stop "
                              "content_block_start content_block_delta content_block_stop message_delta message_stop");
  thinking = joined_deltas (events, "thinking_delta", "thinking");
  g_assert_cmpstr (thinking, ==, "Let me think about this.");
  signature = joined_deltas (events, "signature_delta", "signature");
  g_assert_cmpstr (signature, ==, SIGNATURE);

  requests = ag_mock_server_get_requests (harness->mock);
  request = json_object_get_object_member (last_request (requests, ":streamGenerateContent"), "body");
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "claude-opus-4-6-thinking");
  g_assert_true (json_object_has_member (json_object_get_object_member (json_object_get_object_member (request,
                                         "request"), "generationConfig"), "thinkingConfig"));
  g_clear_pointer (&requests, json_node_unref);
  g_clear_pointer (&body, g_bytes_unref);

  /* Turn two: the client sends the signed thinking block back; upstream must receive the same signature. */
  second = g_strdup_printf ("{\"model\":\"claude-opus-4-8\",\"max_tokens\":64000,\"stream\":true,"
                            "\"thinking\":{\"type\":\"adaptive\"},\"messages\":["
                            "{\"role\":\"user\",\"content\":\"Please think: what is six times seven?\"},"
                            "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"%s\","
                            "\"signature\":\"%s\"},{\"type\":\"text\",\"text\":\"%s\"}]},"
                            "{\"role\":\"user\",\"content\":\"And times eight?\"}]}",
                            thinking, signature, "Forty-two.");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", second, &body, NULL), ==, 200);
  requests = ag_mock_server_get_requests (harness->mock);
  request = json_object_get_object_member (json_object_get_object_member (last_request (requests,
                                           ":streamGenerateContent"), "body"), "request");
  contents = json_object_get_array_member (request, "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 1), "role"), ==, "model");
  parts = json_object_get_array_member (json_array_get_object_element (contents, 1), "parts");
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (json_object_get_boolean_member_with_default (part, "thought", FALSE))
        {
          g_assert_cmpstr (json_object_get_string_member (part, "thoughtSignature"), ==, SIGNATURE);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_tool_use (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) requests = NULL;
  JsonObject *message, *block, *request;
  JsonArray *content, *contents;
  gboolean found = FALSE;
  const char *tools = "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"input_schema\":"
                      "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                      "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],"
                      "\"additionalProperties\":false}}]";
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  set_script ("{\"generate\":[{\"match\":{\"has_function_response\":true},\"respond\":{\"text\":\"It is sunny.\"}},"
              "{\"match\":{\"text_contains\":\"weather\"},\"respond\":{\"function_call\":{\"name\":\"get_weather\","
              "\"args\":{\"city\":\"Paris\"},\"id\":\"toolu_mock_1\"}}}]}");
  first = g_strdup_printf ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":1024,%s,\"messages\":[{\"role\":"
                           "\"user\",\"content\":\"What is the weather in Paris?\"}]}", tools);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", first, &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  message = json_node_get_object (parsed);
  g_assert_cmpstr (json_object_get_string_member (message, "stop_reason"), ==, "tool_use");
  content = json_object_get_array_member (message, "content");
  block = json_array_get_object_element (content, json_array_get_length (content) - 1);
  g_assert_cmpstr (json_object_get_string_member (block, "type"), ==, "tool_use");
  g_assert_cmpstr (json_object_get_string_member (block, "name"), ==, "get_weather");
  g_assert_cmpstr (json_object_get_string_member (block, "id"), ==, "toolu_mock_1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (block, "input"), "city"), ==, "Paris");

  /* The schema went upstream cleaned. */
  requests = ag_mock_server_get_requests (harness->mock);
  request = json_object_get_object_member (json_object_get_object_member (last_request (requests,
                                           ":streamGenerateContent"), "body"), "request");
  {
    g_autofree char *tools_json = json_to_string (json_object_get_member (request, "tools"), FALSE);

    g_assert_null (strstr (tools_json, "$schema"));
    g_assert_null (strstr (tools_json, "additionalProperties"));
    g_assert_nonnull (strstr (tools_json, "get_weather"));
  }
  g_clear_pointer (&requests, json_node_unref);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&parsed, json_node_unref);

  second = g_strdup_printf ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":1024,%s,\"messages\":["
                            "{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"},"
                            "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_mock_1\","
                            "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
                            "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":"
                            "\"toolu_mock_1\",\"content\":\"22 degrees, sunny\"}]}]}", tools);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", second, &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "stop_reason"), ==, "end_turn");
  requests = ag_mock_server_get_requests (harness->mock);
  request = json_object_get_object_member (json_object_get_object_member (last_request (requests,
                                           ":streamGenerateContent"), "body"), "request");
  contents = json_object_get_array_member (request, "contents");
  for (guint i = 0; i < json_array_get_length (contents); i++)
    {
      JsonArray *parts = json_object_get_array_member (json_array_get_object_element (contents, i), "parts");

      for (guint j = 0; j < json_array_get_length (parts); j++)
        {
          JsonObject *part = json_array_get_object_element (parts, j);

          if (json_object_has_member (part, "functionResponse"))
            {
              JsonObject *response = json_object_get_object_member (part, "functionResponse");

              g_assert_cmpstr (json_object_get_string_member (response, "name"), ==, "get_weather");
              g_assert_cmpstr (json_object_get_string_member (response, "id"), ==, "toolu_mock_1");
              found = TRUE;
            }
        }
    }
  g_assert_true (found);
}

static void
test_upstream_errors (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *error;

  set_script ("{\"generate\":[{\"match\":{\"text_contains\":\"quota\"},\"respond\":{\"error_preset\":"
              "\"quota_exhausted\",\"reset_delay\":\"2h21m25.831582438s\"}},"
              "{\"match\":{\"text_contains\":\"invalid\"},\"respond\":{\"status\":400,\"error\":{\"code\":400,"
              "\"message\":\"Request contains an invalid argument.\",\"status\":\"INVALID_ARGUMENT\"}}}]}");

  /* Opus: the account then rests on it for hours, and the later tests need Sonnet. */
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-opus-4-8\",\"max_tokens\":100,\"stream\":true,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"use up my quota\"}]}",
                                             &body, NULL), ==, 429);
  parsed = ag_test_parse_json (body);
  error = error_of (parsed);
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "rate_limit_error");
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&parsed, json_node_unref);

  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"invalid please\"}]}",
                                             &body, NULL), ==, 400);
  parsed = ag_test_parse_json (body);
  error = error_of (parsed);
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "invalid_request_error");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "invalid argument"));
}

static void
test_mid_stream_drop (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  JsonArray *array;
  JsonObject *last;

  set_script ("{\"generate\":[{\"respond\":{\"text\":\"This answer is long enough to be cut in the middle by the "
              "mock, which drops the connection after a few hundred bytes of the body have been written out.\","
              "\"close_after_bytes\":400}}]}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":true,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                                             &body, NULL), ==, 200);
  events = ag_test_parse_sse (body);
  array = json_node_get_array (events);
  last = json_array_get_object_element (array, json_array_get_length (array) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "event"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (last,
                   "data"), "error"), "type"), ==, "api_error");
  /* The proxy is still serving. */
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
}

static void
test_count_tokens (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) requests = NULL;
  JsonObject *upstream;

  set_script ("{\"count_tokens\":1234}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages/count_tokens?beta=true",
                                             "{\"model\":\"claude-opus-4-8\",\"messages\":[{\"role\":\"user\","
                                             "\"content\":\"count me\"}],\"system\":\"be brief\"}",
                                             &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (parsed), "input_tokens"), ==, 1234);
  requests = ag_mock_server_get_requests (harness->mock);
  upstream = json_object_get_object_member (last_request (requests, ":countTokens"), "body");
  g_assert_cmpuint (json_object_get_size (upstream), ==, 1);
  g_assert_true (json_object_has_member (json_object_get_object_member (upstream, "request"), "contents"));
}

static void
test_models (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonArray *data;
  gboolean found = FALSE;

  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/v1/models", NULL, &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  data = json_object_get_array_member (json_node_get_object (parsed), "data");
  g_assert_cmpuint (json_array_get_length (data), >, 0);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *model = json_array_get_object_element (data, i);

      g_assert_cmpstr (json_object_get_string_member (model, "type"), ==, "model");
      if (g_str_equal (json_object_get_string_member (model, "id"), "claude-opus-4-6-thinking"))
        {
          g_assert_cmpint (json_object_get_int_member (model, "max_input_tokens"), ==, 200000);
          g_assert_cmpint (json_object_get_int_member (model, "max_tokens"), ==, 64000);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (parsed), "has_more"));
}

static void
test_unknown_model (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;

  /* The catalogue is loaded (test_models ran); a name of no known family is refused before any upstream call. */
  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"messages\":[{\"role\":"
                                             "\"user\",\"content\":\"hi\"}]}", &body, NULL), ==, 404);
  parsed = ag_test_parse_json (body);
  g_assert_cmpstr (json_object_get_string_member (error_of (parsed), "type"), ==, "not_found_error");
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
}

static void
test_keepalive_ping (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autofree char *shape = NULL;

  /* AGCL_KEEPALIVE_MS is 300 for this proxy; the mock is silent for 1.2 s before its first byte. */
  set_script ("{\"generate\":[{\"respond\":{\"text\":\"Slow but here.\",\"first_byte_delay_ms\":1200}}]}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":true,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                                             &body, NULL), ==, 200);
  /* While nothing has come, keepalives are SSE comments: no event before message_start, which opens with the
   * first content. */
  g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), ": ping\n\n: ping\n\n"));
  events = ag_test_parse_sse (body);
  shape = event_shape (events);
  g_assert_cmpstr (shape, ==, "message_start content_block_start content_block_delta content_block_stop "
                              "message_delta message_stop");
}

typedef struct {
  gboolean done;
  GError  *error;
} Cancelled;

static void
cancelled_send (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cancelled *c = user_data;
  G_GNUC_UNUSED g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &c->error);

  c->done = TRUE;
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_client_disconnect (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", harness->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *json = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                     "\"content\":\"hang forever\"}]}";
  g_autoptr(GBytes) request = g_bytes_new_static (json, strlen (json));
  Cancelled c = { 0 };

  set_script ("{\"generate\":[{\"respond\":{\"text\":\"never\",\"hang\":true}}]}");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  soup_session_send_async (harness->session, msg, G_PRIORITY_DEFAULT, cancellable, cancelled_send, &c);
  g_timeout_add (700, cancel_now, cancellable);
  ag_test_wait_for (&c.done, 10000);
  g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&c.error);

  /* The proxy noticed and cancelled its upstream request, and goes on serving. */
  for (int i = 0; i < 100 && strstr (harness->proxy_log->str, "client went away") == NULL; i++)
    ag_test_sleep (20);
  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"messages\":[{"
                                             "\"role\":\"user\",\"content\":\"still there?\"}]}", NULL, NULL), ==, 200);
  g_assert_nonnull (strstr (harness->proxy_log->str, "client went away"));
}

static void
test_warmup_interception (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *shape = NULL;
  g_autofree char *text = NULL;

  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages?beta=true",
                                             "{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":32000,"
                                             "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":[{"
                                             "\"type\":\"text\",\"text\":\"Warmup\",\"cache_control\":{\"type\":"
                                             "\"ephemeral\"}}]}]}", &body, &headers), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Warmup-Intercepted"), ==, "true");
  events = ag_test_parse_sse (body);
  shape = event_shape (events);
  g_assert_cmpstr (shape, ==, "message_start content_block_start content_block_delta content_block_stop "
                              "message_delta message_stop");
  text = joined_deltas (events, "text_delta", "text");
  g_assert_cmpstr (text, ==, "OK");
  g_clear_pointer (&body, g_bytes_unref);

  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-opus-4-8\",\"max_tokens\":1,\"messages\":[{"
                                             "\"role\":\"user\",\"content\":\"quota\"}]}", &body, NULL), ==, 200);
  /* Neither reached Google. */
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
}

static void
test_background_routing (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) requests = NULL;
  JsonObject *upstream;

  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":512,"
                                             "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"Please write a 5-10 "
                                             "word title for this conversation.\"}]}", &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  /* The client sees its own model name; upstream served the background model, without thinking. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "model"), ==,
                   "claude-haiku-4-5-20251001");
  requests = ag_mock_server_get_requests (harness->mock);
  upstream = json_object_get_object_member (last_request (requests, ":streamGenerateContent"), "body");
  g_assert_cmpstr (json_object_get_string_member (upstream, "model"), ==, "gemini-3-flash");
  g_assert_false (json_object_has_member (json_object_get_object_member (json_object_get_object_member (upstream,
                  "request"), "generationConfig"), "thinkingConfig"));
}

/* Every request so far is in the request log, which `ag-cl log --json` reads back. */
static void
test_request_log (void)
{
  const char *args[] = { "log", "--json", "--limit", "500", NULL };
  g_autoptr(JsonNode) rows = NULL;
  gboolean found_ok = FALSE, found_intercepted = FALSE, found_error = FALSE;
  JsonArray *array;

  /* Rows are written by a worker thread; give it a moment. */
  for (int i = 0; i < 50 && !(found_ok && found_intercepted && found_error); i++)
    {
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;

      if (i > 0)
        ag_test_sleep (100);
      g_assert_cmpint (ag_test_harness_run_cli (harness, args, NULL, &out, NULL), ==, 0);
      g_clear_pointer (&rows, json_node_unref);
      rows = json_from_string (out, &error);
      g_assert_no_error (error);
      array = json_node_get_array (rows);
      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          JsonObject *row = json_array_get_object_element (array, j);
          const char *outcome = json_object_get_string_member (row, "outcome");

          if (g_strcmp0 (json_object_get_string_member_with_default (row, "model", ""),
                         "claude-sonnet-4-5-20250929") == 0 && g_str_equal (outcome, "ok"))
            {
              g_assert_cmpstr (json_object_get_string_member (row, "upstream_model"), ==, "claude-sonnet-4-6");
              g_assert_cmpstr (json_object_get_string_member (row, "account"), ==, "user1@example.com");
              g_assert_cmpint (json_object_get_int_member (row, "status"), ==, 200);
              g_assert_cmpint (json_object_get_int_member (row, "input_tokens"), >, 0);
              found_ok = TRUE;
            }
          if (g_str_equal (outcome, "intercepted"))
            found_intercepted = TRUE;
          if (g_str_equal (outcome, "client_error") && json_object_get_int_member (row, "status") == 404)
            found_error = TRUE;
        }
    }
  g_assert_true (found_ok);
  g_assert_true (found_intercepted);
  g_assert_true (found_error);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = ag_test_harness_new (NULL);
  ag_test_harness_setenv (harness, "AGCL_KEEPALIVE_MS", "300");
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);

  g_test_add_func ("/proxy/routes", test_routes);
  g_test_add_func ("/proxy/bad-requests", test_bad_requests);
  g_test_add_func ("/proxy/oversized-body", test_oversized_body);
  g_test_add_func ("/proxy/non-stream-text", test_non_stream_text);
  g_test_add_func ("/proxy/stream-text", test_stream_text);
  g_test_add_func ("/proxy/thinking-round-trip", test_thinking_round_trip);
  g_test_add_func ("/proxy/tool-use", test_tool_use);
  g_test_add_func ("/proxy/upstream-errors", test_upstream_errors);
  g_test_add_func ("/proxy/mid-stream-drop", test_mid_stream_drop);
  g_test_add_func ("/proxy/count-tokens", test_count_tokens);
  g_test_add_func ("/proxy/models", test_models);
  g_test_add_func ("/proxy/unknown-model", test_unknown_model);
  g_test_add_func ("/proxy/keepalive-ping", test_keepalive_ping);
  g_test_add_func ("/proxy/client-disconnect", test_client_disconnect);
  g_test_add_func ("/proxy/warmup-interception", test_warmup_interception);
  g_test_add_func ("/proxy/background-routing", test_background_routing);
  g_test_add_func ("/proxy/request-log", test_request_log);
  status = g_test_run ();

  ag_test_harness_free (harness);
  return status;
}
