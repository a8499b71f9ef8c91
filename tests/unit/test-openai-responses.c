/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Responses surface's translators: bodies Codex CLI and the OpenAI SDK sent (recorded) against the exact Cloud
 * Code request, refused bodies against their messages, and the recorded upstream streams against the exact event
 * sequence (streamed) and response object (whole) a client gets. */
#include "ag-openai-responses-request.h"
#include "ag-openai-responses-translator.h"
#include "ag-request-translator.h"
#include "ag-test.h"
#include "ag-test-response.h"

#include <string.h>

#define SIG_CLAUDE "EqQBCkgIBhABGAIiQJ7vK3lqZ1m8uN0pXo2sT9yR4wE6cV5bA3dF7gH1jK8lM2nO4pQ6rS8tU0vW2xY4zA6bC8dE"

typedef struct {
  const char *name;
  const char *upstream_model;
  const char *session_header;
  const char *freeform;         /* the freeform tools, space-separated */
} RequestCase;

static const RequestCase request_cases[] = {
  { "openai-responses-codex-function-call", "claude-sonnet-4-6", "01a238f2-4e5f-7f92-9d87-71f8b882cd25", "" },
  { "openai-responses-codex-custom-tool-call", "gemini-3-flash", NULL, "apply_patch" },
  { "openai-responses-codex-reasoning-echo", "claude-opus-4-6-thinking", NULL, "apply_patch" },
  { "openai-responses-codex-lite-code-mode", "gemini-3-flash", NULL, "exec" },
  { "openai-responses-sdk-tool-loop", "claude-sonnet-4-6", NULL, "" },
};

static AgTranslatedRequest *
translate (JsonObject *body, const char *upstream_model, const char *session_header, GError **error)
{
  g_autoptr(AgClientRequest) request = ag_openai_responses_request_read (body, session_header, error);

  return ag_test_translate_request (request, upstream_model, error);
}

static void
test_request (gconstpointer data)
{
  const RequestCase *c = data;
  g_autoptr(JsonNode) body = ag_test_client_body (c->name, ".openai.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate (json_node_get_object (body), c->upstream_model,
                                                     c->session_header, &error);
  g_autofree char *freeform = NULL;

  ag_test_check_translation (result, error, c->name);
  freeform = result->freeform_tools != NULL ? g_strjoinv (" ", result->freeform_tools) : g_strdup ("");
  g_assert_cmpstr (freeform, ==, c->freeform);
}

#define CALL "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}"

static const AgTestRefusal error_cases[] = {
  { "no-model", "{\"input\":\"hi\"}", "model: field required" },
  { "no-input", "{\"model\":\"m\"}", "input: field required" },
  { "input-type", "{\"model\":\"m\",\"input\":5}", "input: must be a string or an array of items" },
  { "empty-input", "{\"model\":\"m\",\"input\":[]}", "input: must contain at least one item" },
  { "item-type", "{\"model\":\"m\",\"input\":[{\"type\":\"web_search_call\"}]}",
    "input.0.type: unsupported input item type \"web_search_call\"" },
  { "role", "{\"model\":\"m\",\"input\":[{\"role\":\"critic\",\"content\":\"x\"}]}",
    "input.0.role: unsupported role \"critic\" (system, developer, user and assistant are)" },
  { "part-type", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}",
    "input.0.content.0: unsupported content part type \"input_audio\"" },
  { "arguments", "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\","
    "\"arguments\":\"nope\"}]}", "input.0.arguments: must be a JSON object in a string" },
  { "output-for-no-call", "{\"model\":\"m\",\"input\":[\"hi\",{\"type\":\"function_call_output\",\"call_id\":\"c9\","
    "\"output\":\"x\"}]}", "input.0: must be an object" },
  { "tool-output-for-no-call", "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},{\"type\":"
    "\"custom_tool_call_output\",\"call_id\":\"c9\",\"output\":\"x\"}]}",
    "input.1.call_id: no earlier call in input has the call_id \"c9\"" },
  { "output-type", "{\"model\":\"m\",\"input\":[" CALL ",{\"type\":\"function_call_output\",\"call_id\":\"c1\","
    "\"output\":7}]}", "input.1.output: must be a string or an array of content parts" },
  { "previous-response", "{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}",
    "previous_response_id: ag-cl keeps no responses; send the whole conversation in input (as store:false clients do)" },
  { "tool-choice", "{\"model\":\"m\",\"input\":\"hi\",\"tool_choice\":\"maybe\"}",
    "tool_choice: unknown value \"maybe\" (auto, none or required)" },
  { "text-format", "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"xml\"}}}",
    "text.format.type: unknown type \"xml\" (text, json_object or json_schema)" },
  { "max-output-tokens", "{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":\"lots\"}",
    "max_output_tokens: must be an integer" },
};

static void
test_request_error (gconstpointer data)
{
  const AgTestRefusal *c = data;
  g_autoptr(JsonNode) body = ag_test_parse_json_text (c->body);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate (json_node_get_object (body), "claude-sonnet-4-6", NULL, &error);

  ag_test_assert_refused (result, error, c->message);
}

/* ── the back translator ───────────────────────────────────────────────────────────────────────────────────── */

static const char *const generated_prefixes[] = { "resp_", "msg_", "rs_", "fc_", "ctc_" };

/* Random ids (a prefix and a UUID; "toolu_" and 24 characters) and clocks as fixed values. */
static void
normalize (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        normalize (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &value))
        {
          const char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                             ? json_node_get_string (value) : NULL;

          if (g_str_equal (name, "created_at"))
            {
              g_assert_cmpint (json_node_get_int (value), >, 1700000000);
              json_node_set_int (value, 0);
            }
          else if (text != NULL && g_str_has_prefix (text, "toolu_") && strlen (text) >= 30 &&
                   (text[30] == '\0' || g_str_has_prefix (text + 30, "_agsig1_")))
            {
              /* A Gemini call's id goes on with the signature it carries (ag-signature-carrier.h). */
              g_autofree char *normalized = g_strconcat ("toolu_RANDOM", text + 30, NULL);

              json_node_set_string (value, normalized);
            }
          else if (text != NULL)
            for (gsize i = 0; i < G_N_ELEMENTS (generated_prefixes); i++)
              if (g_str_has_prefix (text, generated_prefixes[i]) &&
                  g_uuid_string_is_valid (text + strlen (generated_prefixes[i])))
                {
                  g_autofree char *fixed = g_strconcat (generated_prefixes[i], "ID", NULL);

                  /* text is freed by the replacement: no further comparison. */
                  json_node_set_string (value, fixed);
                  break;
                }
          normalize (value);
        }
    }
}

static AgBackTranslator *
new_translator (AgModelFamily family, gboolean stream)
{
  static const char *const freeform[] = { "mcp__files_list", NULL };
  AgStreamOptions options = { .client_model = "gpt-test", .family = family, .freeform_tools = freeform };

  return ag_openai_responses_back_translator_new (&options, stream);
}

/* Every event's sequence_number is its place in the stream. */
static void
assert_sequence (JsonNode *events)
{
  JsonArray *array = json_node_get_array (events);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *event = json_array_get_object_element (array, i);
      JsonObject *data = json_object_get_object_member (event, "data");

      g_assert_cmpstr (json_object_get_string_member (data, "type"), ==, json_object_get_string_member (event, "event"));
      g_assert_cmpint (json_object_get_int_member (data, "sequence_number"), ==, i);
    }
}

/* A streamed body as its events, each numbered by its place (assert_sequence), normalised. */
static JsonNode *
parse_events (GBytes *body)
{
  JsonNode *events = ag_test_parse_sse (body);

  assert_sequence (events);
  normalize (events);
  return events;
}

static void
test_stream (gconstpointer data)
{
  const AgTestResponseFixture *f = data;
  g_autoptr(AgBackTranslator) translator = new_translator (f->family, TRUE);

  ag_test_check_back_translation (translator, f->name, ".openai-responses-stream.json", parse_events);
}

/* A whole answer as its response object, normalised. */
static JsonNode *
parse_response (GBytes *body)
{
  JsonNode *response = ag_test_parse_json (body);

  normalize (response);
  return response;
}

static void
test_whole (gconstpointer data)
{
  const AgTestResponseFixture *f = data;
  g_autoptr(AgBackTranslator) translator = new_translator (f->family, FALSE);

  ag_test_check_back_translation (translator, f->name, ".openai-responses.json", parse_response);
  g_assert_false (ag_back_translator_ping (translator));
}

#define TEXT_CHUNK "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]}}]}}"

/* A failure after the answer started ends the stream with response.failed carrying the message; keepalives are
 * comments, and only while the answer is open. */
static void
test_failure (void)
{
  g_autoptr(AgBackTranslator) translator = new_translator (AG_MODEL_FAMILY_GEMINI, TRUE);
  g_autoptr(JsonNode) chunk = ag_test_parse_json_text (TEXT_CHUNK);
  g_autoptr(GBytes) output = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *last;

  g_assert_false (ag_back_translator_ping (translator));
  g_assert_true (ag_back_translator_push (translator, json_node_get_object (chunk), &error));
  g_assert_no_error (error);
  g_assert_true (ag_back_translator_ping (translator));
  ag_back_translator_fail (translator, "overloaded_error", "Google is busy");
  g_assert_false (ag_back_translator_ping (translator));
  output = ag_back_translator_take_output (translator);
  events = ag_test_parse_sse (output);
  array = json_node_get_array (events);
  last = json_object_get_object_member (json_array_get_object_element (array, json_array_get_length (array) - 1),
                                        "data");
  g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "response.failed");
  last = json_object_get_object_member (last, "response");
  g_assert_cmpstr (json_object_get_string_member (last, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "error"), "message"), ==,
                   "Google is busy");
  g_assert_nonnull (strstr (g_bytes_get_data (output, NULL), ": keepalive\n\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/openai-responses/request/", request_cases, test_request);
  AG_TEST_ADD_CASES ("/openai-responses/request-error/", error_cases, test_request_error);
  AG_TEST_ADD_RESPONSE_CASES ("/openai-responses/stream/", test_stream);
  AG_TEST_ADD_RESPONSE_CASES ("/openai-responses/whole/", test_whole);
  g_test_add_func ("/openai-responses/failure", test_failure);
  return g_test_run ();
}
