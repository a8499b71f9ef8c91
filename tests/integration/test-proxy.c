/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless proxy end to end over HTTP: the real ag-cl binary, an account stored in the (test) keyring, and the
 * in-process mock Cloud Code server. */
#include "ag-test.h"

#include <string.h>

#define SIGNATURE "EqQBCkgIBhABGAIiQLc7mockSignatureForTheThinkingBlockRoundTrip0123456789abcdefABCDEF=="

static AgTestHarness *harness;

static void
set_script (const char *json)
{
  ag_test_harness_set_script (harness, json);
}

/* A request and the answer it must get: the status and, for an error, its type and a part of its message. */
typedef struct {
  const char *name;
  const char *script;         /* NULL: the mock as it is; "{}": its defaults, request log emptied */
  const char *method;
  const char *path;
  const char *body;
  guint       status;
  const char *error_type;     /* NULL: the body is not checked */
  const char *error_part;     /* in the error's message ("" for any) */
  gboolean    not_upstream;   /* and nothing reached Google */
} Answer;

#define BAD_REQUEST(name, json, part) \
  { "bad-request-" name, "{}", "POST", "/v1/messages?beta=true", json, 400, "invalid_request_error", part, TRUE }
#define UPSTREAM_ERRORS_SCRIPT \
  "{\"generate\":[{\"match\":{\"text_contains\":\"quota\"},\"respond\":{\"error_preset\":" \
  "\"quota_exhausted\",\"reset_delay\":\"2h21m25.831582438s\"}}," \
  "{\"match\":{\"text_contains\":\"invalid\"},\"respond\":{\"status\":400,\"error\":{\"code\":400," \
  "\"message\":\"Request contains an invalid argument.\",\"status\":\"INVALID_ARGUMENT\"}}}]}"

static const Answer routes[] = {
  { "route-healthz", NULL, "GET", "/healthz", NULL, 200 },
  { "route-head-root", NULL, "HEAD", "/", NULL, 200 },
  { "route-event-logging-batch", NULL, "POST", "/api/event_logging/batch", "{\"events\":[]}", 200 },
  { "route-v1-event-logging", NULL, "POST", "/v1/api/event_logging", "{}", 200 },
  { "route-post-root", NULL, "POST", "/", "{}", 200 },
  { "route-unknown-path", NULL, "GET", "/v2/nothing", NULL, 404, "not_found_error", "/v2/nothing" },
  { "route-messages-get", NULL, "GET", "/v1/messages", NULL, 405 },
};

static const Answer bad_requests[] = {
  BAD_REQUEST ("not-json", "this is not json", "JSON"),
  BAD_REQUEST ("not-an-object", "[1,2,3]", "object"),
  BAD_REQUEST ("no-model", "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"),
  BAD_REQUEST ("no-messages", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10}", "messages"),
  BAD_REQUEST ("bad-block", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
               "\"content\":[{\"type\":42}]}]}", "messages.0.content.0"),
  BAD_REQUEST ("model-not-a-string", "{\"model\":7,\"messages\":[]}", "model"),
};

static const Answer upstream_errors[] = {
  /* Opus: the account then rests on it for hours, and the later tests need Sonnet. */
  { "upstream-quota-exhausted", UPSTREAM_ERRORS_SCRIPT, "POST", "/v1/messages",
    "{\"model\":\"claude-opus-4-8\",\"max_tokens\":100,\"stream\":true,"
    "\"messages\":[{\"role\":\"user\",\"content\":\"use up my quota\"}]}", 429, "rate_limit_error", "" },
  { "upstream-invalid-argument", UPSTREAM_ERRORS_SCRIPT, "POST", "/v1/messages",
    "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,"
    "\"messages\":[{\"role\":\"user\",\"content\":\"invalid please\"}]}", 400, "invalid_request_error",
    "invalid argument" },
};

/* The catalogue is loaded (test_models ran); a name of no known family is refused before any upstream call. */
static const Answer unknown_model = {
  "unknown-model", "{}", "POST", "/v1/messages",
  "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
  404, "not_found_error", "", TRUE,
};

/* Claude Code's quota probe (max_tokens 1) is answered without Google too. */
static const Answer quota_probe = {
  "warmup-quota-probe", "{}", "POST", "/v1/messages",
  "{\"model\":\"claude-opus-4-8\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"quota\"}]}",
  200, NULL, NULL, TRUE,
};

static void
test_answer (gconstpointer data)
{
  const Answer *a = data;
  g_autoptr(GBytes) body = NULL;

  if (a->script != NULL)
    set_script (a->script);
  g_assert_cmpuint (ag_test_harness_request (harness, a->method, a->path, a->body, &body, NULL), ==, a->status);
  if (a->error_type != NULL)
    ag_test_assert_error_body (body, a->error_type, a->error_part);
  if (a->not_upstream)
    g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
}

#define TEXT_SHAPE "message_start content_block_start content_block_delta content_block_stop message_delta message_stop"

/* A streamed answer: the events, in order, and the text they carry. */
typedef struct {
  const char *name;
  const char *script;
  const char *path;
  const char *body;
  const char *content_type;   /* NULL: not checked */
  const char *header;         /* NULL, or a header the answer has, with… */
  const char *header_value;   /* …this value */
  const char *prefix;         /* NULL, or how the body starts */
  const char *shape;          /* ag_test_event_shape */
  const char *text;           /* the text deltas; NULL: not checked */
  gboolean    not_upstream;   /* nothing reached Google */
} Streamed;

static const Streamed stream_text = {
  "stream-text", "{\"generate\":[{\"respond\":{\"text\":\"Streaming works, one piece at a time.\"}}]}",
  "/v1/messages", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":256,\"stream\":true,"
  "\"messages\":[{\"role\":\"user\",\"content\":\"Stream please\"}]}",
  "text/event-stream", NULL, NULL, NULL, TEXT_SHAPE, "Streaming works, one piece at a time.",
};

/* AGCL_KEEPALIVE_MS is 300 for this proxy; the mock is silent for 1.2 s before its first byte. While nothing has
 * come, keepalives are SSE comments: no event before message_start, which opens with the first content. */
static const Streamed keepalive_ping = {
  "keepalive-ping", "{\"generate\":[{\"respond\":{\"text\":\"Slow but here.\",\"first_byte_delay_ms\":1200}}]}",
  "/v1/messages", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":true,"
  "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
  NULL, NULL, NULL, ": ping\n\n: ping\n\n", TEXT_SHAPE, NULL,
};

/* Claude Code's warm-up is answered by ag-cl itself. */
static const Streamed warmup = {
  "warmup-interception", "{}", "/v1/messages?beta=true",
  "{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":32000,\"stream\":true,\"messages\":[{\"role\":"
  "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Warmup\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}",
  NULL, "X-Warmup-Intercepted", "true", NULL, TEXT_SHAPE, "OK", TRUE,
};

static void
test_streamed (gconstpointer data)
{
  const Streamed *c = data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autofree char *shape = NULL;

  set_script (c->script);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", c->path, c->body, &body, &headers), ==, 200);
  if (c->content_type != NULL)
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, c->content_type);
  if (c->header != NULL)
    g_assert_cmpstr (soup_message_headers_get_one (headers, c->header), ==, c->header_value);
  if (c->prefix != NULL)
    g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), c->prefix));
  events = ag_test_parse_sse (body);
  shape = ag_test_event_shape (events);
  g_assert_cmpstr (shape, ==, c->shape);
  if (c->text != NULL)
    {
      g_autofree char *text = ag_test_joined_deltas (events, "text_delta", "text");

      g_assert_cmpstr (text, ==, c->text);
    }
  if (c->not_upstream)
    g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
}

/* A body announced larger than the limit is refused from its headers, before anything is read. */
static void
test_oversized_body (void)
{
  g_autofree char *response = ag_test_raw_exchange (harness->port,
                                                    "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                                                    "Content-Type: application/json\r\n"
                                                    "Content-Length: 999999999\r\n\r\n{\"model\":");

  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "\"request_too_large\""));
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
}

static void
test_non_stream_text (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonObject) recorded = NULL;
  JsonObject *message, *headers, *usage;
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
  recorded = ag_test_mock_last_request (harness->mock, ":streamGenerateContent");
  g_assert_cmpstr (json_object_get_string_member (recorded, "query"), ==, "alt=sse");
  headers = json_object_get_object_member (recorded, "headers");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "authorization"), "Bearer "));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "user-agent"), "antigravity/"));
  {
    JsonObject *envelope = json_object_get_object_member (recorded, "body");

    g_assert_cmpstr (json_object_get_string_member (envelope, "model"), ==, "claude-sonnet-4-6");
    g_assert_cmpstr (json_object_get_string_member (envelope, "project"), ==, "proj-1");
    g_assert_cmpstr (json_object_get_string_member (envelope, "userAgent"), ==, "antigravity");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (envelope, "requestId"), "agent-"));
    g_assert_true (json_object_has_member (json_object_get_object_member (envelope, "request"), "contents"));
  }
}

/* The Gemini request inside the last envelope sent to Google's @method (owned). */
static JsonObject *
last_upstream_request (const char *method)
{
  g_autoptr(JsonObject) recorded = ag_test_mock_last_request (harness->mock, method);

  return json_object_ref (json_object_get_object_member (json_object_get_object_member (recorded, "body"), "request"));
}

/* The parts (borrowed) of the turns of @request (all, or only turn @turn when it is not -1) that carry @member, a
 * boolean one only when true ("thought"). */
static GPtrArray *
parts_with (JsonObject *request, int turn, const char *member)
{
  JsonArray *contents = json_object_get_array_member (request, "contents");
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (contents); i++)
    {
      JsonArray *parts = json_object_get_array_member (json_array_get_object_element (contents, i), "parts");

      for (guint j = 0; (turn == -1 || (guint) turn == i) && j < json_array_get_length (parts); j++)
        {
          JsonObject *part = json_array_get_object_element (parts, j);
          JsonNode *value = json_object_get_member (part, member);

          if (value != NULL && (json_node_get_value_type (value) != G_TYPE_BOOLEAN || json_node_get_boolean (value)))
            g_ptr_array_add (found, part);
        }
    }
  return found;
}

static void
test_thinking_round_trip (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonObject) recorded = NULL;
  g_autofree char *shape = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *thinking = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonObject) upstream = NULL;
  g_autoptr(GPtrArray) thoughts = NULL;
  JsonObject *request;
  JsonArray *contents;

  set_script ("{\"generate\":[{\"match\":{\"text_contains\":\"think\"},\"respond\":{\"thinking\":\"Let me think "
              "about this.\",\"signature\":\"" SIGNATURE "\",\"text\":\"Forty-two.\"}}]}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages?beta=true",
                                             "{\"model\":\"claude-opus-4-8\",\"max_tokens\":64000,\"stream\":true,"
                                             "\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":"
                                             "\"high\"},\"messages\":[{\"role\":\"user\",\"content\":\"Please think: "
                                             "what is six times seven?\"}]}", &body, NULL), ==, 200);
  events = ag_test_parse_sse (body);
  shape = ag_test_event_shape (events);
  g_assert_cmpstr (shape, ==, "message_start content_block_start content_block_delta content_block_stop "
                              "content_block_start content_block_delta content_block_stop message_delta message_stop");
  thinking = ag_test_joined_deltas (events, "thinking_delta", "thinking");
  g_assert_cmpstr (thinking, ==, "Let me think about this.");
  signature = ag_test_joined_deltas (events, "signature_delta", "signature");
  /* Google's signature, inside the envelope that tells ag-cl it issued it (ag-signature-carrier.h). */
  g_assert_cmpstr (signature, ==, "agcl1c." SIGNATURE);

  recorded = ag_test_mock_last_request (harness->mock, ":streamGenerateContent");
  request = json_object_get_object_member (recorded, "body");
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "claude-opus-4-6-thinking");
  g_assert_true (json_object_has_member (json_object_get_object_member (json_object_get_object_member (request,
                                         "request"), "generationConfig"), "thinkingConfig"));
  g_clear_pointer (&recorded, json_object_unref);
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
  upstream = last_upstream_request (":streamGenerateContent");
  contents = json_object_get_array_member (upstream, "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 1), "role"), ==, "model");
  thoughts = parts_with (upstream, 1, "thought");
  g_assert_cmpuint (thoughts->len, >, 0);
  for (guint i = 0; i < thoughts->len; i++)
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (thoughts, i), "thoughtSignature"), ==,
                     SIGNATURE);
}

static void
test_tool_use (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  JsonObject *message, *block;
  JsonArray *content;
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
  request = last_upstream_request (":streamGenerateContent");
  {
    g_autofree char *tools_json = json_to_string (json_object_get_member (request, "tools"), FALSE);

    g_assert_null (strstr (tools_json, "$schema"));
    g_assert_null (strstr (tools_json, "additionalProperties"));
    g_assert_nonnull (strstr (tools_json, "get_weather"));
  }
  g_clear_pointer (&request, json_object_unref);
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
  request = last_upstream_request (":streamGenerateContent");
  responses = parts_with (request, -1, "functionResponse");
  g_assert_cmpuint (responses->len, >, 0);
  for (guint i = 0; i < responses->len; i++)
    {
      JsonObject *response = json_object_get_object_member (g_ptr_array_index (responses, i), "functionResponse");

      g_assert_cmpstr (json_object_get_string_member (response, "name"), ==, "get_weather");
      g_assert_cmpstr (json_object_get_string_member (response, "id"), ==, "toolu_mock_1");
    }
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
  g_autoptr(JsonObject) recorded = NULL;
  JsonObject *upstream;

  set_script ("{\"count_tokens\":1234}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages/count_tokens?beta=true",
                                             "{\"model\":\"claude-opus-4-8\",\"messages\":[{\"role\":\"user\","
                                             "\"content\":\"count me\"}],\"system\":\"be brief\"}",
                                             &body, NULL), ==, 200);
  parsed = ag_test_parse_json (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (parsed), "input_tokens"), ==, 1234);
  recorded = ag_test_mock_last_request (harness->mock, ":countTokens");
  upstream = json_object_get_object_member (recorded, "body");
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
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  set_script ("{\"generate\":[{\"respond\":{\"text\":\"never\",\"hang\":true}}]}");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  soup_session_send_async (harness->session, msg, G_PRIORITY_DEFAULT, cancellable, ag_test_store_result, &slot);
  g_timeout_add (700, cancel_now, cancellable);
  result = ag_test_await_for (&slot, 10000);
  stream = soup_session_send_finish (harness->session, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The proxy noticed and cancelled its upstream request, and goes on serving. */
  ag_test_harness_wait_log (harness, "client went away", 2000);
  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"messages\":[{"
                                             "\"role\":\"user\",\"content\":\"still there?\"}]}", NULL, NULL), ==, 200);
  g_assert_nonnull (strstr (harness->proxy_log->str, "client went away"));
}

static void
test_background_routing (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonObject) recorded = NULL;
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
  recorded = ag_test_mock_last_request (harness->mock, ":streamGenerateContent");
  upstream = json_object_get_object_member (recorded, "body");
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
  harness = ag_test_harness_init (&argc, &argv);
  ag_test_harness_setenv (harness, "AGCL_KEEPALIVE_MS", "300");
  ag_test_harness_start_proxy (harness);

  /* Flat paths ("/proxy/NAME"), in this order: the tests share one proxy whose state (a model's rest, the request
   * log) later tests see. */
  AG_TEST_ADD_CASES ("/proxy/", routes, test_answer);
  AG_TEST_ADD_CASES ("/proxy/", bad_requests, test_answer);
  g_test_add_func ("/proxy/oversized-body", test_oversized_body);
  g_test_add_func ("/proxy/non-stream-text", test_non_stream_text);
  g_test_add_data_func ("/proxy/stream-text", &stream_text, test_streamed);
  g_test_add_func ("/proxy/thinking-round-trip", test_thinking_round_trip);
  g_test_add_func ("/proxy/tool-use", test_tool_use);
  AG_TEST_ADD_CASES ("/proxy/", upstream_errors, test_answer);
  g_test_add_func ("/proxy/mid-stream-drop", test_mid_stream_drop);
  g_test_add_func ("/proxy/count-tokens", test_count_tokens);
  g_test_add_func ("/proxy/models", test_models);
  g_test_add_data_func ("/proxy/unknown-model", &unknown_model, test_answer);
  g_test_add_data_func ("/proxy/keepalive-ping", &keepalive_ping, test_streamed);
  g_test_add_func ("/proxy/client-disconnect", test_client_disconnect);
  g_test_add_data_func ("/proxy/warmup-interception", &warmup, test_streamed);
  g_test_add_data_func ("/proxy/warmup-quota-probe", &quota_probe, test_answer);
  g_test_add_func ("/proxy/background-routing", test_background_routing);
  g_test_add_func ("/proxy/request-log", test_request_log);
  return ag_test_harness_run (harness);
}
