/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Model name resolution: defaults, aliases, [1m], deprecated ids, and the closest-model rule for unknown names. */
#include "ag-model-catalogue.h"
#include "ag-protocol-error.h"

static const char *catalogue_json =
  "{\"models\":{"
  "\"claude-opus-4-6-thinking\":{\"displayName\":\"Claude Opus 4.6 (Thinking)\",\"maxTokens\":200000,"
  "  \"maxOutputTokens\":64000,\"supportsThinking\":true},"
  "\"claude-sonnet-4-6\":{\"displayName\":\"Claude Sonnet 4.6\",\"maxTokens\":200000,\"maxOutputTokens\":64000},"
  "\"gemini-3-flash\":{\"displayName\":\"Gemini 3 Flash\",\"maxTokens\":1048576,\"maxOutputTokens\":65536},"
  "\"gemini-3.1-pro-low\":{\"displayName\":\"Gemini 3.1 Pro (Low)\",\"maxTokens\":1048576,\"maxOutputTokens\":65535},"
  "\"gemini-pro-agent\":{\"displayName\":\"Gemini 3.1 Pro (High)\",\"maxTokens\":1048576,\"maxOutputTokens\":65535},"
  "\"chat_20706\":{\"displayName\":\"internal\"},"
  "\"tab_flash_lite_preview\":{}"
  "},\"deprecatedModelIds\":{\"gemini-3-pro-high\":{\"newModelId\":\"gemini-pro-agent\"}}}";

static AgModelCatalogue *
loaded_catalogue (const char *json)
{
  AgModelCatalogue *catalogue = ag_model_catalogue_new ();
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_model_catalogue_update (catalogue, json_node_get_object (node), &error));
  g_assert_no_error (error);
  return catalogue;
}

static void
assert_resolves (AgModelCatalogue *catalogue, const char *client, const char *expected)
{
  g_auto(AgResolvedModel) model = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_model_catalogue_resolve (catalogue, client, &model, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (model.upstream_model, ==, expected);
}

static void
test_defaults_without_catalogue (void)
{
  g_autoptr(AgModelCatalogue) catalogue = ag_model_catalogue_new ();
  g_auto(AgResolvedModel) model = { 0 };

  assert_resolves (catalogue, "claude-opus-4-8", "claude-opus-4-6-thinking");
  assert_resolves (catalogue, "claude-sonnet-4-5-20250929", "claude-sonnet-4-6");
  assert_resolves (catalogue, "claude-haiku-4-5-20251001", "claude-sonnet-4-6");
  assert_resolves (catalogue, "claude-3-opus-20240229", "claude-opus-4-6-thinking");
  assert_resolves (catalogue, "claude-opus-4-8[1m]", "claude-opus-4-6-thinking");
  assert_resolves (catalogue, "opus", "claude-opus-4-6-thinking");
  /* Without a catalogue an unknown name is passed on: upstream is the judge. */
  assert_resolves (catalogue, "gemini-9-ultra", "gemini-9-ultra");

  g_assert_true (ag_model_catalogue_resolve (catalogue, "claude-opus-4-8", &model, NULL));
  g_assert_cmpint (model.family, ==, AG_MODEL_FAMILY_CLAUDE);
  g_assert_true (model.supports_thinking);
  ag_resolved_model_clear (&model);
  g_assert_true (ag_model_catalogue_resolve (catalogue, "claude-sonnet-4-6", &model, NULL));
  g_assert_false (model.supports_thinking);
  ag_resolved_model_clear (&model);
  g_assert_true (ag_model_catalogue_resolve (catalogue, "gemini-3-flash", &model, NULL));
  g_assert_cmpint (model.family, ==, AG_MODEL_FAMILY_GEMINI);
  g_assert_true (model.supports_thinking);
}

static void
test_catalogue_limits_and_filter (void)
{
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue (catalogue_json);
  g_auto(AgResolvedModel) model = { 0 };
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *text = NULL;
  JsonArray *data;

  g_assert_false (ag_model_catalogue_is_empty (catalogue));
  g_assert_cmpint (ag_model_catalogue_get_updated_at (catalogue), >, 0);
  g_assert_true (ag_model_catalogue_resolve (catalogue, "gemini-3-flash", &model, NULL));
  g_assert_cmpint (model.max_output_tokens, ==, 65536);
  g_assert_cmpint (model.context_tokens, ==, 1048576);

  list = ag_model_catalogue_to_anthropic_list (catalogue);
  data = json_object_get_array_member (json_node_get_object (list), "data");
  /* Internal completion models are not offered to clients. */
  g_assert_cmpuint (json_array_get_length (data), ==, 5);
  text = json_to_string (list, FALSE);
  g_assert_null (g_strstr_len (text, -1, "chat_20706"));
  g_assert_null (g_strstr_len (text, -1, "tab_flash"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 0), "id"), ==,
                   "claude-opus-4-6-thinking");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (data, 0), "max_input_tokens"), ==,
                   200000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (data, 0), "max_tokens"), ==, 64000);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 0), "type"), ==, "model");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (list), "first_id"), ==,
                   "claude-opus-4-6-thinking");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (list), "has_more"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (list), "last_id"), ==,
                   json_object_get_string_member (json_array_get_object_element (data, 4), "id"));
}

/* An empty catalogue lists nothing, and names no first or last id. */
static void
test_empty_anthropic_list (void)
{
  g_autoptr(AgModelCatalogue) catalogue = ag_model_catalogue_new ();
  g_autoptr(JsonNode) list = ag_model_catalogue_to_anthropic_list (catalogue);
  JsonObject *object = json_node_get_object (list);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")), ==, 0);
  g_assert_true (json_object_has_member (object, "first_id"));
  g_assert_true (json_node_is_null (json_object_get_member (object, "first_id")));
  g_assert_true (json_object_has_member (object, "last_id"));
  g_assert_true (json_node_is_null (json_object_get_member (object, "last_id")));
}

static void
test_exact_and_deprecated (void)
{
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue (catalogue_json);

  assert_resolves (catalogue, "gemini-3.1-pro-low", "gemini-3.1-pro-low");
  assert_resolves (catalogue, "GEMINI-3-FLASH", "gemini-3-flash");
  assert_resolves (catalogue, "gemini-3-pro-high", "gemini-pro-agent");
  assert_resolves (catalogue, "claude-sonnet-4-6", "claude-sonnet-4-6");
}

static void
test_closest_model (void)
{
  /* A catalogue from a future where the default targets are gone. */
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue (
    "{\"models\":{\"claude-opus-4-7\":{},\"claude-opus-5-1-thinking\":{},\"claude-opus-5-0-thinking\":{},"
    "\"claude-sonnet-5-0\":{},\"claude-sonnet-4-9\":{},\"gemini-4-flash\":{},\"gemini-3-flash\":{},"
    "\"gemini-4-pro\":{}}}");
  g_autoptr(AgModelCatalogue) no_claude = loaded_catalogue (
    "{\"models\":{\"gemini-3-flash\":{},\"gemini-3.1-pro-low\":{},\"gemini-2.5-pro\":{}}}");
  g_auto(AgResolvedModel) model = { 0 };
  g_autoptr(GError) error = NULL;

  assert_resolves (catalogue, "claude-opus-4-8", "claude-opus-5-1-thinking");
  assert_resolves (catalogue, "claude-sonnet-4-5", "claude-sonnet-5-0");
  assert_resolves (catalogue, "claude-haiku-4-5", "claude-sonnet-5-0");
  assert_resolves (catalogue, "gemini-3.5-flash-low", "gemini-4-flash");
  assert_resolves (catalogue, "gemini-3-pro-preview", "gemini-4-pro");
  assert_resolves (no_claude, "claude-opus-4-8", "gemini-3.1-pro-low");

  g_assert_false (ag_model_catalogue_resolve (catalogue, "gpt-4o", &model, &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (g_strstr_len (error->message, -1, "gpt-4o"));
}

static void
test_aliases (void)
{
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue (catalogue_json);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_model_catalogue_parse_aliases (catalogue, " haiku=gemini-3-flash , claude-opus-4-8=claude-sonnet-4-6,",
                                                   &error));
  g_assert_no_error (error);
  assert_resolves (catalogue, "claude-haiku-4-5-20251001", "gemini-3-flash");
  assert_resolves (catalogue, "claude-opus-4-8", "claude-sonnet-4-6");
  assert_resolves (catalogue, "claude-opus-4-7", "claude-opus-4-6-thinking");

  g_assert_false (ag_model_catalogue_parse_aliases (catalogue, "opus", &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  g_assert_false (ag_model_catalogue_parse_aliases (catalogue, "opus=", &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
}

/* Accounts can see different models: the catalogue is their union, first answer first. */
static void
test_merge (void)
{
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue ("{\"models\":{\"claude-sonnet-4-6\":{\"maxTokens\":200000},"
                                                            "\"gemini-3-flash\":{}}}");
  g_autoptr(JsonNode) other = json_from_string ("{\"models\":{\"gemini-3-flash\":{\"maxTokens\":5},"
                                                "\"claude-opus-4-6-thinking\":{\"maxTokens\":200000}}}", NULL);
  g_autoptr(JsonNode) list = NULL;
  g_auto(AgResolvedModel) model = { 0 };
  JsonArray *data;

  g_assert_true (ag_model_catalogue_merge (catalogue, json_node_get_object (other), NULL));
  list = ag_model_catalogue_to_anthropic_list (catalogue);
  data = json_object_get_array_member (json_node_get_object (list), "data");
  g_assert_cmpuint (json_array_get_length (data), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 2), "id"), ==,
                   "claude-opus-4-6-thinking");
  /* A model both accounts list keeps the entry it had. */
  g_assert_true (ag_model_catalogue_resolve (catalogue, "gemini-3-flash", &model, NULL));
  g_assert_cmpint (model.context_tokens, ==, 0);
}

static void
test_bad_input (void)
{
  g_autoptr(AgModelCatalogue) catalogue = ag_model_catalogue_new ();
  g_autoptr(JsonNode) no_models = json_from_string ("{\"models\":[1,2]}", NULL);
  g_auto(AgResolvedModel) model = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (ag_model_catalogue_update (catalogue, json_node_get_object (no_models), &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
  g_clear_error (&error);
  g_assert_true (ag_model_catalogue_is_empty (catalogue));

  g_assert_false (ag_model_catalogue_resolve (catalogue, "  [1m]", &model, &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
}

static guint retired_lines;

/* Counts the catalogue's "retired upstream" lines, then logs as usual. */
static GLogWriterOutput
count_retired (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "model gemini-3-pro-high is retired upstream; using its successor "))
      retired_lines++;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* A rename of a rename lands on the last successor, and each retired id is logged once. */
static void
test_deprecated_chain_logged_once (void)
{
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue (
    "{\"models\":{\"gemini-3.5-pro\":{}},\"deprecatedModelIds\":{"
    "\"gemini-3-pro-high\":{\"newModelId\":\"gemini-pro-agent\"},"
    "\"gemini-pro-agent\":{\"newModelId\":\"gemini-3.5-pro\"}}}");

  retired_lines = 0;
  assert_resolves (catalogue, "gemini-3-pro-high", "gemini-3.5-pro");
  assert_resolves (catalogue, "gemini-3-pro-high", "gemini-3.5-pro");
  g_assert_cmpuint (retired_lines, ==, 1);
}

/* The web search model: the client's when upstream grounds with it, else the first listed, else the fallback. */
static void
test_web_search_model (void)
{
  g_autoptr(AgModelCatalogue) empty = ag_model_catalogue_new ();
  g_autoptr(AgModelCatalogue) catalogue = loaded_catalogue (
    "{\"models\":{\"gemini-3-flash\":{},\"gemini-3.8-flash-high\":{},\"claude-sonnet-4-6\":{}},"
    "\"webSearchModelIds\":[\"gemini-3.8-flash-high\",\"gemini-3-flash\",7]}");

  g_assert_cmpstr (ag_model_catalogue_web_search_model (empty, "claude-opus-4-8"), ==, "gemini-3-flash");
  g_assert_cmpstr (ag_model_catalogue_web_search_model (catalogue, "gemini-3-flash"), ==, "gemini-3-flash");
  g_assert_cmpstr (ag_model_catalogue_web_search_model (catalogue, "claude-opus-4-8"), ==, "gemini-3.8-flash-high");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (count_retired, NULL, NULL);
  g_test_add_func ("/model-catalogue/deprecated-chain-logged-once", test_deprecated_chain_logged_once);
  g_test_add_func ("/model-catalogue/web-search-model", test_web_search_model);
  g_test_add_func ("/model-catalogue/defaults-without-catalogue", test_defaults_without_catalogue);
  g_test_add_func ("/model-catalogue/limits-and-filter", test_catalogue_limits_and_filter);
  g_test_add_func ("/model-catalogue/empty-anthropic-list", test_empty_anthropic_list);
  g_test_add_func ("/model-catalogue/exact-and-deprecated", test_exact_and_deprecated);
  g_test_add_func ("/model-catalogue/closest-model", test_closest_model);
  g_test_add_func ("/model-catalogue/aliases", test_aliases);
  g_test_add_func ("/model-catalogue/merge", test_merge);
  g_test_add_func ("/model-catalogue/bad-input", test_bad_input);
  return g_test_run ();
}
