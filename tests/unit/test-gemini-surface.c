/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Gemini surface's translators: what the Gemini CLI sent (recorded) against the exact Cloud Code request, for a
 * Gemini and a Claude model; refused bodies; the routes' paths; and the recorded upstream streams against the exact
 * frames (streamed) and merged response (whole) a client gets. */
#include "ag-gemini-error.h"
#include "ag-gemini-request.h"
#include "ag-gemini-translator.h"
#include "ag-test.h"
#include "ag-test-response.h"

#include <string.h>

typedef struct {
  const char *name;
  const char *fixture;
  const char *upstream_model;
  gboolean    expect_thinking;
} RequestCase;

static const RequestCase request_cases[] = {
  { "gemini-cli-tool-result", "gemini-cli-tool-result", "gemini-3-flash", TRUE },
  /* Claude cannot see the thinking behind the CLI's unsigned call: no thinking, the sentinel and ids kept off. */
  { "gemini-cli-tool-result-claude", "gemini-cli-tool-result", "claude-sonnet-4-6", FALSE },
  { "gemini-cli-signature-echo", "gemini-cli-signature-echo", "gemini-3.1-pro-high", TRUE },
  { "gemini-cli-classifier", "gemini-cli-classifier", "gemini-3-flash", TRUE },
};

static AgTranslatedRequest *
translate (JsonObject *body, const char *upstream_model, gboolean stream, GError **error)
{
  g_autoptr(AgClientRequest) request = ag_gemini_request_read (body, "client-model", stream, error);
  AgTranslateOptions options = ag_test_translate_options (upstream_model);

  return request != NULL ? ag_gemini_request_translate (request, &options, error) : NULL;
}

static void
test_request (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr(JsonNode) body = ag_test_client_body (c->fixture, ".gemini.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate (json_node_get_object (body), c->upstream_model, TRUE, &error);

  ag_test_check_translation (result, error, c->name);
  g_assert_true (result->stream);
  g_assert_cmpstr (result->client_model, ==, "client-model");
  g_assert_cmpint (result->thinking, ==, c->expect_thinking);
}

#define USER "{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}"

static const AgTestRefusal error_cases[] = {
  { "no-contents", "{}", "contents: field required" },
  { "empty-contents", "{\"contents\":[]}", "contents: must contain at least one content" },
  { "contents-type", "{\"contents\":{}}", "contents: must be an array" },
  { "no-parts", "{\"contents\":[{\"role\":\"user\"}]}", "contents.0.parts: field required" },
  { "role", "{\"contents\":[{\"role\":\"system\",\"parts\":[]}]}", "contents.0.role: unknown role \"system\" (user or model)" },
  { "text-type", "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":5}]}]}", "contents.0.parts.0.text: must be a string" },
  { "call-name", "{\"contents\":[{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"args\":{}}}]}]}",
    "contents.0.parts.0.functionCall.name: field required" },
  { "result-for-no-call", "{\"contents\":[" USER ",{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":"
    "\"write_file\",\"response\":{}}}]}]}",
    "contents.1.parts.0.functionResponse.name: no earlier functionCall is named \"write_file\"" },
  { "config-type", "{\"contents\":[" USER "],\"generationConfig\":[]}", "generationConfig: must be an object" },
  { "max-tokens", "{\"contents\":[" USER "],\"generationConfig\":{\"maxOutputTokens\":\"x\"}}",
    "generationConfig.maxOutputTokens: must be an integer" },
  { "tool-schema", "{\"contents\":[" USER "],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":1}]}]}",
    "tools.0.functionDeclarations.0.parameters: must be an object" },
};

static void
test_request_error (gconstpointer data)
{
  const AgTestRefusal *c = data;
  g_autoptr(JsonNode) body = ag_test_parse_json_text (c->body);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate (json_node_get_object (body), "gemini-3-flash", FALSE, &error);

  ag_test_assert_refused (result, error, c->message);
}

typedef struct {
  const char *path;
  const char *model;    /* NULL: not a model route */
  const char *action;
} PathCase;

static const PathCase path_cases[] = {
  { "/v1beta/models/gemini-3-flash:streamGenerateContent", "gemini-3-flash", "streamGenerateContent" },
  { "/v1/models/gemini-3-flash:generateContent", "gemini-3-flash", "generateContent" },
  { "/gemini/v1beta/models/claude-sonnet-4-6:countTokens", "claude-sonnet-4-6", "countTokens" },
  { "/v1beta/models/gemini-3-flash", NULL, NULL },
  { "/v1beta/models/:generateContent", NULL, NULL },
  { "/v1beta/models/a/b:generateContent", NULL, NULL },
  { "/v1beta/models/m:", NULL, NULL },
  { "/v1/messages", NULL, NULL },
};

static void
test_paths (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (path_cases); i++)
    {
      g_autofree char *model = NULL, *action = NULL;
      gboolean parsed = ag_gemini_path_parse (path_cases[i].path, &model, &action);

      g_assert_cmpint (parsed, ==, path_cases[i].model != NULL);
      g_assert_cmpstr (model, ==, path_cases[i].model);
      g_assert_cmpstr (action, ==, path_cases[i].action);
    }
}

/* ── the back translator ───────────────────────────────────────────────────────────────────────────────────── */

static AgBackTranslator *
new_translator (gboolean stream)
{
  AgStreamOptions options = { .client_model = "gemini-3-flash", .family = AG_MODEL_FAMILY_GEMINI };

  return ag_gemini_back_translator_new (&options, stream);
}

/* A streamed body as the array of its frames' payloads, asserting Google's framing ("data: …\r\n\r\n"). */
static JsonNode *
parse_frames (GBytes *body)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_auto(GStrv) frames = NULL;
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  if (*text != '\0')
    {
      g_assert_true (g_str_has_suffix (text, "\r\n\r\n"));
      text[strlen (text) - 4] = '\0';
      frames = g_strsplit (text, "\r\n\r\n", -1);
      for (guint i = 0; frames[i] != NULL; i++)
        {
          g_assert_true (g_str_has_prefix (frames[i], "data: "));
          json_array_add_element (array, ag_test_parse_json_text (frames[i] + 6));
        }
    }
  json_node_take_array (node, array);
  return node;
}

static void
test_stream (gconstpointer data)
{
  const AgTestResponseFixture *f = data;
  g_autoptr(AgBackTranslator) translator = new_translator (TRUE);

  ag_test_check_back_translation (translator, f->name, ".gemini-stream.json", parse_frames);
  /* Comments would break the google-genai stream reader: never a keepalive. */
  g_assert_false (ag_back_translator_ping (translator));
}

static void
test_whole (gconstpointer data)
{
  const AgTestResponseFixture *f = data;
  g_autoptr(AgBackTranslator) translator = new_translator (FALSE);

  ag_test_check_back_translation (translator, f->name, ".gemini.json", ag_test_parse_json);
}

/* Chunks before the first content are held back (nothing started, the answer can be asked for again), then go out
 * in order with it; a failure after that is one Google error frame. */
static void
test_held_until_content (void)
{
  g_autoptr(AgBackTranslator) translator = new_translator (TRUE);
  g_autoptr(JsonNode) empty = ag_test_parse_json_text (
    "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]}}],\"responseId\":\"r\"}}");
  g_autoptr(JsonNode) text = ag_test_parse_json_text (
    "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]}}]}}");
  g_autoptr(GBytes) output = NULL;
  g_autoptr(JsonNode) frames = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_back_translator_push (translator, json_node_get_object (empty), &error));
  g_assert_false (ag_back_translator_started (translator));
  g_assert_true (ag_back_translator_is_empty (translator));
  g_assert_null (ag_back_translator_take_output (translator));
  g_assert_true (ag_back_translator_push (translator, json_node_get_object (text), &error));
  g_assert_no_error (error);
  g_assert_true (ag_back_translator_started (translator));
  output = ag_back_translator_take_output (translator);
  frames = parse_frames (output);
  ag_test_assert_json_text (frames,
    "[{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]}}],\"responseId\":\"r\"},"
    "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]}}]}]");
  ag_back_translator_fail (translator, "overloaded_error", "busy");
  g_clear_pointer (&output, g_bytes_unref);
  g_clear_pointer (&frames, json_node_unref);
  output = ag_back_translator_take_output (translator);
  frames = parse_frames (output);
  ag_test_assert_json_text (frames, "[{\"error\":{\"code\":503,\"message\":\"busy\",\"status\":\"UNAVAILABLE\"}}]");
}

static void
test_error_body (void)
{
  g_autoptr(JsonNode) bad = ag_gemini_error_node (400, "invalid_request_error", "contents: field required");
  g_autoptr(JsonNode) limited = ag_gemini_error_node (429, "rate_limit_error", "wait");

  ag_test_assert_json_text (bad, "{\"error\":{\"code\":400,\"message\":\"contents: field required\","
                                 "\"status\":\"INVALID_ARGUMENT\"}}");
  ag_test_assert_json_text (limited, "{\"error\":{\"code\":429,\"message\":\"wait\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/gemini-surface/request/", request_cases, test_request);
  AG_TEST_ADD_CASES ("/gemini-surface/request-error/", error_cases, test_request_error);
  g_test_add_func ("/gemini-surface/paths", test_paths);
  AG_TEST_ADD_RESPONSE_CASES ("/gemini-surface/stream/", test_stream);
  AG_TEST_ADD_RESPONSE_CASES ("/gemini-surface/whole/", test_whole);
  g_test_add_func ("/gemini-surface/held-until-content", test_held_until_content);
  g_test_add_func ("/gemini-surface/error-body", test_error_body);
  return g_test_run ();
}
