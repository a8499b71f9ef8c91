/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Model choices over HTTP against the real ag-cl and the mock: a Flash request with an effort goes to that
 * effort's Flash model with its thinking budget (or keeps its model, with the budget, when the accounts do not
 * list the tier's), and a retired id goes to the successor fetchAvailableModels names. */
#include "ag-test.h"

static AgTestHarness *harness;

static const char script[] =
  "{\"models\":{"
  "  \"gemini-3-flash-agent\":{\"displayName\":\"Gemini 3.5 Flash (High)\",\"maxTokens\":1048576,"
  "                            \"maxOutputTokens\":65536,\"supportsThinking\":true},"
  "  \"gemini-3.5-flash-low\":{\"displayName\":\"Gemini 3.5 Flash (Medium)\",\"maxTokens\":1048576,"
  "                            \"maxOutputTokens\":65536,\"supportsThinking\":true},"
  "  \"gemini-3.1-pro-low\":{\"displayName\":\"Gemini 3.1 Pro (Low)\",\"maxTokens\":1048576,"
  "                          \"maxOutputTokens\":65535,\"supportsThinking\":true}},"
  " \"deprecated_model_ids\":{\"gemini-3-pro-low\":{\"newModelId\":\"gemini-3.1-pro-low\"}}}";

typedef struct {
  const char *name;
  const char *model;
  const char *extra;          /* members added to the request */
  const char *upstream_model;
  gint64      budget;         /* thinkingBudget sent; 0: none */
} ModelCase;

static const ModelCase cases[] = {
  { "flash-effort-medium", "gemini-3-flash-agent",
    ",\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"medium\"}", "gemini-3.5-flash-low", 4000 },
  { "flash-budget-large", "gemini-3.5-flash-low", ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":20000}",
    "gemini-3-flash-agent", 10000 },
  /* gemini-3.5-flash-extra-low is not listed: the model stays, the tier's budget applies. */
  { "flash-tier-not-listed", "gemini-3-flash-agent",
    ",\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"low\"}", "gemini-3-flash-agent", 1000 },
  { "flash-no-effort", "gemini-3-flash-agent", ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":0}", NULL, 0 },
  { "retired-id", "gemini-3-pro-low", "", "gemini-3.1-pro-low", -1 },
};

static void
test_model (gconstpointer data)
{
  const ModelCase *c = data;
  g_autofree char *body = g_strdup_printf ("{\"model\":\"%s\",\"max_tokens\":20000,\"messages\":[{\"role\":\"user\","
                                           "\"content\":\"hi\"}]%s}", c->model, c->extra);
  g_autoptr(JsonArray) requests = NULL;
  JsonObject *envelope, *config, *thinking;

  if (c->upstream_model == NULL)
    {
      /* budget_tokens 0 is refused before anything goes upstream. */
      ag_test_harness_set_script (harness, script);
      g_assert_cmpuint (ag_test_harness_post (harness, body, NULL), ==, 400);
      return;
    }
  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, body, NULL), ==, 200);
  requests = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  envelope = json_object_get_object_member (json_array_get_object_element (requests, 0), "body");
  g_assert_cmpstr (json_object_get_string_member (envelope, "model"), ==, c->upstream_model);
  config = json_object_get_object_member (json_object_get_object_member (envelope, "request"), "generationConfig");
  thinking = json_object_has_member (config, "thinkingConfig") ? json_object_get_object_member (config, "thinkingConfig")
                                                                 : NULL;
  if (c->budget > 0)
    g_assert_cmpint (json_object_get_int_member (thinking, "thinkingBudget"), ==, c->budget);
  else if (c->budget == 0)
    g_assert_null (thinking);
}

int
main (int argc, char **argv)
{
  harness = ag_test_harness_init (&argc, &argv);
  ag_test_harness_set_script (harness, script);
  ag_test_harness_start_proxy (harness);
  /* The catalogue is read once the first model list comes. */
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/v1/models", NULL, NULL, NULL), ==, 200);
  AG_TEST_ADD_CASES ("/models/", cases, test_model);
  return ag_test_harness_run (harness);
}
