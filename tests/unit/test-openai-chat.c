/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Chat Completions surface's translators: recorded OpenAI request bodies against the exact Cloud Code request,
 * refused bodies against their messages, and the recorded upstream streams against the exact chunks (streamed) and
 * chat.completion objects (whole) a client gets. */
#include "ag-openai-chat-request.h"
#include "ag-openai-chat-translator.h"
#include "ag-openai-error.h"
#include "ag-request-translator.h"
#include "ag-test.h"
#include "ag-test-response.h"

#include <string.h>

typedef struct {
  const char *name;
  const char *upstream_model;
  gboolean    include_usage;
  const char *session_id;
} RequestCase;

static const RequestCase request_cases[] = {
  { "openai-chat-tool-loop", "claude-sonnet-4-6", FALSE, NULL },
  { "openai-chat-parallel-tools", "claude-sonnet-4-6", FALSE, NULL },
  { "openai-chat-features", "gemini-3-flash", TRUE, "conversation-42" },
};

static AgTranslatedRequest *
translate (JsonObject *body, const char *upstream_model, GError **error)
{
  g_autoptr(AgClientRequest) request = ag_openai_chat_request_read (body, error);

  return ag_test_translate_request (request, upstream_model, error);
}

static void
test_request (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr(JsonNode) body = ag_test_client_body (c->name, ".openai.json");
  g_autoptr(AgClientRequest) request = NULL;
  g_autoptr(AgTranslatedRequest) result = NULL;
  g_autoptr(GError) error = NULL;

  request = ag_openai_chat_request_read (json_node_get_object (body), &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->include_usage, ==, c->include_usage);
  g_assert_cmpstr (request->session_id, ==, c->session_id);
  result = translate (json_node_get_object (body), c->upstream_model, &error);
  ag_test_check_translation (result, error, c->name);
  g_assert_cmpint (result->include_usage, ==, c->include_usage);
}

#define USER "{\"role\":\"user\",\"content\":\"hi\"}"
#define CALL "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\"," \
             "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"

static const AgTestRefusal error_cases[] = {
  { "no-model", "{\"messages\":[" USER "]}", "model: field required" },
  { "model-type", "{\"model\":1,\"messages\":[" USER "]}", "model: must be a string" },
  { "no-messages", "{\"model\":\"m\"}", "messages: field required" },
  { "empty-messages", "{\"model\":\"m\",\"messages\":[]}", "messages: must contain at least one message" },
  { "stream-type", "{\"model\":\"m\",\"stream\":1,\"messages\":[" USER "]}", "stream: must be a boolean" },
  { "role", "{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}",
    "messages.0.role: unsupported role \"function\" (system, developer, user, assistant and tool are)" },
  { "content-type", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
    "messages.0.content: must be a string or an array of content parts" },
  { "part-type", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}",
    "messages.0.content.0: unsupported content part type \"input_audio\"" },
  { "image-url", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
    "\"image_url\":{\"url\":\"file:///etc/passwd\"}}]}]}",
    "messages.0.content.0.image_url.url: must be a data: URL or an http(s) URL" },
  { "data-url", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
    "\"image_url\":{\"url\":\"data:image/png,AAAA\"}}]}]}",
    "messages.0.content.0.image_url.url: a data URL must be data:<media type>;base64,<data>" },
  { "arguments", "{\"model\":\"m\",\"messages\":[" USER ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
    "\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}",
    "messages.1.tool_calls.0.function.arguments: must be a JSON object in a string" },
  { "tool-output-for-no-call", "{\"model\":\"m\",\"messages\":[" USER ",{\"role\":\"tool\",\"tool_call_id\":\"c9\","
    "\"content\":\"x\"}]}", "messages.1.tool_call_id: no earlier assistant tool call has the id \"c9\"" },
  { "tool-output-after-its-call", "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c1\","
    "\"content\":\"x\"}," CALL "]}", "messages.0.tool_call_id: no earlier assistant tool call has the id \"c1\"" },
  { "tool-type", "{\"model\":\"m\",\"messages\":[" USER "],\"tools\":[{\"type\":\"web_search\"}]}",
    "tools.0.type: unsupported tool type \"web_search\" (function is)" },
  { "tool-name", "{\"model\":\"m\",\"messages\":[" USER "],\"tools\":[{\"type\":\"function\",\"function\":{}}]}",
    "tools.0.function.name: field required" },
  { "tool-choice", "{\"model\":\"m\",\"messages\":[" USER "],\"tool_choice\":\"sometimes\"}",
    "tool_choice: unknown value \"sometimes\" (auto, none or required)" },
  { "n", "{\"model\":\"m\",\"messages\":[" USER "],\"n\":2}", "n: only one choice per request is supported" },
  { "max-tokens", "{\"model\":\"m\",\"messages\":[" USER "],\"max_completion_tokens\":\"many\"}",
    "max_completion_tokens: must be an integer" },
  { "stop", "{\"model\":\"m\",\"messages\":[" USER "],\"stop\":7}", "stop: must be a string or an array of strings" },
  { "response-format", "{\"model\":\"m\",\"messages\":[" USER "],\"response_format\":{\"type\":\"yaml\"}}",
    "response_format.type: unknown type \"yaml\" (text, json_object or json_schema)" },
  { "temperature", "{\"model\":\"m\",\"messages\":[" USER "],\"temperature\":\"hot\"}", "temperature: must be a number" },
};

static void
test_request_error (gconstpointer data)
{
  const AgTestRefusal *c = data;
  g_autoptr(JsonNode) body = ag_test_parse_json_text (c->body);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate (json_node_get_object (body), "claude-sonnet-4-6", &error);

  ag_test_assert_refused (result, error, c->message);
}

/* response_format json_object asks for JSON without a schema; reasoning_effort none turns thinking off. */
static void
test_json_object_without_thinking (void)
{
  g_autoptr(JsonNode) body = ag_test_parse_json_text (
    "{\"model\":\"m\",\"messages\":[" USER "],\"response_format\":{\"type\":\"json_object\"},"
    "\"reasoning_effort\":\"none\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate (json_node_get_object (body), "gemini-3-flash", &error);
  JsonObject *config;

  g_assert_no_error (error);
  config = json_object_get_object_member (json_node_get_object (result->request), "generationConfig");
  g_assert_cmpstr (json_object_get_string_member (config, "responseMimeType"), ==, "application/json");
  g_assert_false (json_object_has_member (config, "responseSchema"));
  g_assert_false (json_object_has_member (config, "thinkingConfig"));
  g_assert_false (result->thinking);
}

/* ── the back translator ───────────────────────────────────────────────────────────────────────────────────── */

static AgBackTranslator *
new_translator (AgModelFamily family, gboolean stream, gboolean include_usage)
{
  AgStreamOptions options = { .client_model = "gpt-test", .family = family, .include_usage = include_usage };

  return ag_openai_chat_back_translator_new (&options, stream);
}

/* Generated tool call ids ("toolu_" + 24 random characters) as "toolu_RANDOM". */
static void
normalize_tool_calls (JsonObject *holder)
{
  JsonArray *calls = holder != NULL && json_object_has_member (holder, "tool_calls")
                     ? json_object_get_array_member (holder, "tool_calls") : NULL;

  for (guint i = 0; calls != NULL && i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);
      const char *id = json_object_get_string_member_with_default (call, "id", NULL);

      /* A Gemini call's id goes on with the signature it carries (ag-signature-carrier.h). */
      if (id != NULL && g_str_has_prefix (id, "toolu_") && strlen (id) >= 30 &&
          (id[30] == '\0' || g_str_has_prefix (id + 30, "_agsig1_")))
        {
          g_autofree char *normalized = g_strconcat ("toolu_RANDOM", id + 30, NULL);

          json_object_set_string_member (call, "id", normalized);
        }
    }
}

/* The chunk or completion with its random id and clock replaced, so fixtures can hold it. */
static void
normalize (JsonObject *object, const char *id_prefix)
{
  JsonArray *choices = json_object_get_array_member (object, "choices");

  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "id"), id_prefix));
  json_object_set_string_member (object, "id", "ID");
  g_assert_cmpint (json_object_get_int_member (object, "created"), >, 1700000000);
  json_object_set_int_member (object, "created", 0);
  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      JsonObject *choice = json_array_get_object_element (choices, i);

      normalize_tool_calls (json_object_get_object_member (choice, json_object_has_member (choice, "delta")
                                                                   ? "delta" : "message"));
    }
}

/* A streamed body as the array of its data payloads ("[DONE]" as a string), asserting the SSE framing. */
static JsonNode *
parse_chunks (GBytes *body)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_auto(GStrv) frames = NULL;
  JsonArray *chunks = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  g_assert_true (g_str_has_suffix (text, "\n\n"));
  text[strlen (text) - 2] = '\0';
  frames = g_strsplit (text, "\n\n", -1);
  for (guint i = 0; frames[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (frames[i], "data: "));
      if (g_str_equal (frames[i], "data: [DONE]"))
        json_array_add_string_element (chunks, "[DONE]");
      else
        {
          JsonNode *chunk = ag_test_parse_json_text (frames[i] + 6);

          if (json_object_has_member (json_node_get_object (chunk), "id"))
            normalize (json_node_get_object (chunk), "chatcmpl-");
          json_array_add_element (chunks, chunk);
        }
    }
  json_node_take_array (node, chunks);
  return node;
}

static void
test_stream (gconstpointer data)
{
  const AgTestResponseFixture *f = data;
  g_autoptr(AgBackTranslator) translator = new_translator (f->family, TRUE, TRUE);

  ag_test_check_back_translation (translator, f->name, ".openai-chat-stream.json", parse_chunks);
}

/* A whole answer as its chat.completion object, normalised. */
static JsonNode *
parse_completion (GBytes *body)
{
  JsonNode *completion = ag_test_parse_json (body);

  normalize (json_node_get_object (completion), "chatcmpl-");
  return completion;
}

static void
test_whole (gconstpointer data)
{
  const AgTestResponseFixture *f = data;
  g_autoptr(AgBackTranslator) translator = new_translator (f->family, FALSE, FALSE);

  ag_test_check_back_translation (translator, f->name, ".openai-chat.json", parse_completion);
  /* A whole answer has no keepalive. */
  g_assert_false (ag_back_translator_ping (translator));
}

static void
assert_bytes (GBytes *bytes, const char *expected)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, strlen (expected));
}

#define TEXT_CHUNK "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]}}]}}\n\n"

/* Without include_usage the stream ends finish_reason, [DONE]; keepalives are comments once the answer started;
 * a failure after that is one error payload and nothing after it. */
static void
test_stream_edges (void)
{
  g_autoptr(AgBackTranslator) plain = new_translator (AG_MODEL_FAMILY_GEMINI, TRUE, FALSE);
  g_autoptr(AgBackTranslator) failing = new_translator (AG_MODEL_FAMILY_GEMINI, TRUE, TRUE);
  g_autoptr(GBytes) body = ag_test_run_back_translator (plain, TEXT_CHUNK, strlen (TEXT_CHUNK));
  g_autoptr(JsonNode) chunks = parse_chunks (body);
  g_autoptr(JsonNode) chunk = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;

  ag_test_assert_json_text (chunks,
    "[{\"id\":\"ID\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]},"
    "{\"id\":\"ID\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]},"
    "{\"id\":\"ID\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,"
    "\"delta\":{},\"finish_reason\":\"stop\"}]},\"[DONE]\"]");
  g_assert_false (ag_back_translator_ping (plain));

  g_assert_false (ag_back_translator_ping (failing));
  chunk = ag_test_parse_json_text (TEXT_CHUNK + 6);
  g_assert_true (ag_back_translator_push (failing, json_node_get_object (chunk), &error));
  g_assert_no_error (error);
  g_assert_true (ag_back_translator_started (failing));
  g_clear_pointer (&output, g_bytes_unref);
  output = ag_back_translator_take_output (failing);
  g_assert_true (ag_back_translator_ping (failing));
  g_clear_pointer (&output, g_bytes_unref);
  output = ag_back_translator_take_output (failing);
  assert_bytes (output, ": keepalive\n\n");
  ag_back_translator_fail (failing, "overloaded_error", "Google is busy");
  g_clear_pointer (&output, g_bytes_unref);
  output = ag_back_translator_take_output (failing);
  assert_bytes (output, "data: {\"error\":{\"message\":\"Google is busy\",\"type\":\"server_error\",\"param\":null,"
                        "\"code\":null}}\n\n");
  g_assert_false (ag_back_translator_ping (failing));
}

static void
test_error_body (void)
{
  g_autoptr(JsonNode) not_found = ag_openai_error_node (404, "not_found_error", "no model \"x\"");
  g_autoptr(JsonNode) busy = ag_openai_error_node (529, NULL, "busy");

  ag_test_assert_json_text (not_found, "{\"error\":{\"message\":\"no model \\\"x\\\"\",\"type\":\"not_found_error\","
                                       "\"param\":null,\"code\":\"model_not_found\"}}");
  ag_test_assert_json_text (busy, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\",\"param\":null,"
                                  "\"code\":null}}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/openai-chat/request/", request_cases, test_request);
  AG_TEST_ADD_CASES ("/openai-chat/request-error/", error_cases, test_request_error);
  g_test_add_func ("/openai-chat/json-object-without-thinking", test_json_object_without_thinking);
  AG_TEST_ADD_RESPONSE_CASES ("/openai-chat/stream/", test_stream);
  AG_TEST_ADD_RESPONSE_CASES ("/openai-chat/whole/", test_whole);
  g_test_add_func ("/openai-chat/stream-edges", test_stream_edges);
  g_test_add_func ("/openai-chat/error-body", test_error_body);
  return g_test_run ();
}
