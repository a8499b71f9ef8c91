/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-client-request.h"
#include "ag-request-translator.h"
#include "ag-protocol-error.h"
#include "ag-test.h"

#include <string.h>

/* What the proxy does with a body: the front end reads it, the translator translates what was read. */
static AgTranslatedRequest *
translate_body (JsonObject *body, const AgTranslateOptions *options, GError **error)
{
  g_autoptr(AgClientRequest) request = ag_anthropic_request_read (body, NULL, error);

  return request != NULL ? ag_request_translate (request, options, error) : NULL;
}

/* A Claude signature from outside ag-cl (no carrier envelope). */
#define SIG_CLAUDE "EqQBCkgIBhABGAIiQJ7vK3lqZ1m8uN0pXo2sT9yR4wE6cV5bA3dF7gH1jK8lM2nO4pQ6rS8tU0vW2xY4zA6bC8dE"

typedef struct {
  const char     *name;
  const char     *upstream_model;
  gboolean        supports_thinking;
  AgThinkingKeys  keys;
  const char     *session_id;
  gboolean        expect_thinking;
} FixtureCase;

static const FixtureCase fixtures[] = {
  { "first-turn-claude", "claude-opus-4-6-thinking", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "first-turn-gemini", "gemini-pro-agent", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "tool-loop-claude", "claude-opus-4-6-thinking", TRUE, AG_THINKING_KEYS_SNAKE, "claude-code-session-6b1e2a9c", TRUE },
  { "tool-loop-gemini", "gemini-3-flash", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "tool-loop-gemini-signatures", "gemini-3-flash", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "images", "claude-sonnet-4-6", TRUE, AG_THINKING_KEYS_CAMEL, NULL, FALSE },
  { "documents", "claude-sonnet-4-6", FALSE, AG_THINKING_KEYS_CAMEL, NULL, FALSE },
  { "tool-results", "claude-sonnet-4-6", TRUE, AG_THINKING_KEYS_CAMEL, NULL, FALSE },
  { "thinking-disabled", "claude-sonnet-4-6", TRUE, AG_THINKING_KEYS_CAMEL, NULL, FALSE },
  { "thinking-enabled-claude", "claude-sonnet-4-5", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "thinking-required-model", "claude-opus-4-6-thinking", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "thinking-budget-at-cap", "claude-opus-4-6-thinking", TRUE, AG_THINKING_KEYS_CAMEL, NULL, TRUE },
  { "tool-names", "gemini-3-flash", FALSE, AG_THINKING_KEYS_CAMEL, NULL, FALSE },
  { "web-search", "gemini-3-flash", TRUE, AG_THINKING_KEYS_CAMEL, "claude-code-session-6b1e2a9c", FALSE },
};

static JsonNode *
load_fixture (const char *name, const char *kind)
{
  g_autofree char *file = g_strdup_printf ("%s.%s.json", name, kind);

  return ag_test_fixture_load_json ("request", file);
}

static AgTranslateOptions
options_for (const char *upstream_model, gboolean supports_thinking)
{
  return (AgTranslateOptions) {
    .upstream_model = upstream_model,
    .family = ag_model_family_from_id (upstream_model),
    .supports_thinking = supports_thinking,
    .thinking_keys = AG_THINKING_KEYS_CAMEL,
  };
}

static void
assert_no_cache_control (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, "cache_control"));
}

static void
test_fixture (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autoptr(JsonNode) body = load_fixture (c->name, "anthropic");
  g_autoptr(JsonNode) expected = load_fixture (c->name, "cloudcode");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = NULL;
  AgTranslateOptions options = options_for (c->upstream_model, c->supports_thinking);

  options.thinking_keys = c->keys;
  options.session_id = c->session_id;
  result = translate_body (json_node_get_object (body), &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  ag_test_assert_json_equal (result->request, expected);
  assert_no_cache_control (result->request);
  g_assert_cmpint (result->thinking, ==, c->expect_thinking);
  g_assert_cmpstr (result->client_model, ==,
                   json_object_get_string_member (json_node_get_object (body), "model"));
}

static void
test_result_fields (void)
{
  g_autoptr(JsonNode) body = load_fixture ("tool-names", "anthropic");
  g_autoptr(GError) error = NULL;
  AgTranslateOptions options = options_for ("gemini-3-flash", TRUE);
  g_autoptr(AgTranslatedRequest) result = translate_body (json_node_get_object (body), &options, &error);

  g_assert_no_error (error);
  g_assert_false (result->stream);
  g_assert_cmpstr (result->client_model, ==, "gemini-3-flash");
  /* The map translates the response's names back to the client's. */
  g_assert_cmpstr (ag_tool_names_to_client (result->tool_names, "mcp_search_find_2"), ==, "mcp.search/find");
  g_assert_cmpstr (ag_tool_names_to_client (result->tool_names, "mcp_search_find"), ==, "mcp_search_find");
  g_assert_cmpstr (ag_tool_names_to_client (result->tool_names, "_3d-view"), ==, "3d-view");
}

static AgTranslatedRequest *
translate_text (const char *json, const char *upstream_model, gboolean supports_thinking, GError **error)
{
  g_autoptr(JsonNode) body = ag_test_parse_json_text (json);
  AgTranslateOptions options = options_for (upstream_model, supports_thinking);

  options.session_id = "s";
  return translate_body (json_node_get_object (body), &options, error);
}

static JsonNode *
request_member (AgTranslatedRequest *result, const char *name)
{
  JsonObject *request = json_node_get_object (result->request);
  return json_object_get_member (request, name);
}

typedef struct {
  const char *body;
  const char *message;
} ErrorCase;

#define MSGS "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"

static const ErrorCase error_cases[] = {
  { "{" MSGS "}", "model: field required" },
  { "{\"model\":\"\"," MSGS "}", "model: must not be empty" },
  { "{\"model\":7," MSGS "}", "model: must be a string" },
  { "{\"model\":\"m\"," MSGS ",\"stream\":\"yes\"}", "stream: must be a boolean" },
  { "{\"model\":\"m\"}", "messages: field required" },
  { "{\"model\":\"m\",\"messages\":null}", "messages: field required" },
  { "{\"model\":\"m\",\"messages\":{}}", "messages: must be an array" },
  { "{\"model\":\"m\",\"messages\":[]}", "messages: must contain at least one message" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"only system\"}]}",
    "messages: must contain at least one user or assistant message with content" },
  { "{\"model\":\"m\"," MSGS ",\"max_tokens\":\"100\"}", "max_tokens: must be an integer" },
  { "{\"model\":\"m\"," MSGS ",\"max_tokens\":1.5}", "max_tokens: must be an integer" },
  { "{\"model\":\"m\"," MSGS ",\"max_tokens\":0}", "max_tokens: must be a positive integer" },
  { "{\"model\":\"m\",\"messages\":[7]}", "messages.0: must be an object" },
  { "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}", "messages.0.role: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
    "messages.0.role: unknown role \"tool\" (expected user, assistant or system)" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}", "messages.0.content: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
    "messages.0.content: must be a string or an array of content blocks" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[\"hi\"]}]}", "messages.0.content.0: must be an object" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":3}]}]}",
    "messages.0.content.0.type: must be a string" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
    "messages.0.content.0.type: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":"
    "[{\"type\":\"text\",\"text\":null}]}]}", "messages.1.content.0.text: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":"
    "{\"type\":\"base64\",\"data\":\"AA==\"}}]}]}", "messages.0.content.0.source.media_type: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":\"x\"}]}]}",
    "messages.0.content.0.source: must be an object" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":"
    "{\"type\":\"url\"}}]}]}", "messages.0.content.0.source.url: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
    "\"name\":\"X\",\"input\":[1]}]}]}", "messages.0.content.0.input: must be an object" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":1,"
    "\"name\":\"X\",\"input\":{}}]}]}", "messages.0.content.0.id: must be a string" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\"}]}]}",
    "messages.0.content.0.tool_use_id: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
    "\"is_error\":\"yes\"}]}]}", "messages.0.content.0.is_error: must be a boolean" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
    "\"content\":{}}]}]}", "messages.0.content.0.content: must be a string" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
    "\"content\":[{\"type\":\"text\"}]}]}]}", "messages.0.content.0.content.0.text: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"signature\":\"s\"}]}]}",
    "messages.0.content.0.thinking: field required" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":5}]}]}",
    "messages.0.content.0.data: must be a string" },
  { "{\"model\":\"m\"," MSGS ",\"system\":5}", "system: must be a string or an array of text blocks" },
  { "{\"model\":\"m\"," MSGS ",\"system\":[{\"type\":\"text\",\"text\":1}]}", "system.0.text: must be a string" },
  { "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\"}]},"
    "{\"role\":\"user\",\"content\":\"x\"}]}", "messages.0.content.0.text: field required" },
  { "{\"model\":\"m\"," MSGS ",\"tools\":{}}", "tools: must be an array" },
  { "{\"model\":\"m\"," MSGS ",\"tools\":[{\"description\":\"d\"}]}", "tools.0.name: field required" },
  { "{\"model\":\"m\"," MSGS ",\"tools\":[{\"name\":\"\"}]}", "tools.0.name: must not be empty" },
  { "{\"model\":\"m\"," MSGS ",\"tools\":[{\"name\":\"X\",\"input_schema\":\"{}\"}]}",
    "tools.0.input_schema: must be an object" },
  { "{\"model\":\"m\"," MSGS ",\"tools\":[{\"name\":\"X\"}],\"tool_choice\":{\"type\":\"tool\"}}",
    "tool_choice.name: field required" },
  { "{\"model\":\"m\"," MSGS ",\"tools\":[{\"name\":\"X\"}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"Y\"}}",
    "tool_choice.name: no tool named \"Y\" in tools" },
  { "{\"model\":\"m\"," MSGS ",\"tool_choice\":{\"type\":\"some\"}}",
    "tool_choice.type: unknown tool_choice type \"some\" (expected auto, any, tool or none)" },
  { "{\"model\":\"m\"," MSGS ",\"tool_choice\":\"auto\"}", "tool_choice: must be an object" },
  { "{\"model\":\"m\"," MSGS ",\"thinking\":{\"type\":\"on\"}}",
    "thinking.type: unknown thinking type \"on\" (expected enabled, adaptive or disabled)" },
  { "{\"model\":\"m\"," MSGS ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":-5}}",
    "thinking.budget_tokens: must be a positive integer" },
  { "{\"model\":\"m\"," MSGS ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":\"1\"}}",
    "thinking.budget_tokens: must be an integer" },
  { "{\"model\":\"m\"," MSGS ",\"output_config\":{\"effort\":3}}", "output_config.effort: must be a string" },
  { "{\"model\":\"m\"," MSGS ",\"temperature\":\"hot\"}", "temperature: must be a number" },
  { "{\"model\":\"m\"," MSGS ",\"top_k\":0.5}", "top_k: must be an integer" },
  { "{\"model\":\"m\"," MSGS ",\"stop_sequences\":[\"a\",1]}", "stop_sequences.1: must be a string" },
};

static void
test_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AgTranslatedRequest) result = translate_text (error_cases[i].body, "claude-sonnet-4-6", TRUE, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error_cases[i].body);
      g_assert_null (result);
      g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
      g_assert_cmpstr (error->message, ==, error_cases[i].message);
    }
}

static void
test_peek (void)
{
  g_autoptr(JsonNode) body = ag_test_parse_json_text ("{\"model\":\"claude-opus-4-8\",\"stream\":true,\"messages\":5}");
  g_autoptr(JsonNode) no_stream = ag_test_parse_json_text ("{\"model\":\"m\",\"stream\":null}");
  g_autoptr(JsonNode) bad = ag_test_parse_json_text ("{\"model\":null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgClientRequest) streaming = NULL;
  g_autoptr(AgClientRequest) plain = NULL;

  streaming = ag_anthropic_request_read (json_node_get_object (body), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (streaming->model, ==, "claude-opus-4-8");
  g_assert_true (streaming->stream);

  plain = ag_anthropic_request_read (json_node_get_object (no_stream), NULL, &error);
  g_assert_cmpstr (plain->model, ==, "m");
  g_assert_false (plain->stream);

  g_assert_null (ag_anthropic_request_read (json_node_get_object (bad), NULL, &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (error->message, ==, "model: field required");
}

typedef struct {
  const char *upstream_model;
  const char *tool_choice;   /* JSON or NULL */
  const char *expected;      /* toolConfig JSON or NULL for none */
} ToolChoiceCase;

static const ToolChoiceCase tool_choice_cases[] = {
  { "claude-sonnet-4-6", NULL, "{\"functionCallingConfig\":{\"mode\":\"VALIDATED\"}}" },
  { "claude-sonnet-4-6", "{\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
    "{\"functionCallingConfig\":{\"mode\":\"VALIDATED\"}}" },
  { "claude-sonnet-4-6", "{\"type\":\"any\"}", "{\"functionCallingConfig\":{\"mode\":\"ANY\"}}" },
  { "claude-sonnet-4-6", "{\"type\":\"none\"}", "{\"functionCallingConfig\":{\"mode\":\"NONE\"}}" },
  { "claude-sonnet-4-6", "{\"type\":\"tool\",\"name\":\"Read\"}",
    "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"Read\"]}}" },
  { "gemini-3-flash", NULL, NULL },
  { "gemini-3-flash", "{\"type\":\"auto\"}", "{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}" },
  { "gemini-3-flash", "{\"type\":\"any\"}", "{\"functionCallingConfig\":{\"mode\":\"ANY\"}}" },
  { "gemini-3-flash", "{\"type\":\"none\"}", "{\"functionCallingConfig\":{\"mode\":\"NONE\"}}" },
  { "gemini-3-flash", "{\"type\":\"tool\",\"name\":\"Read\"}",
    "{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"Read\"]}}" },
};

static void
test_tool_choice (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tool_choice_cases); i++)
    {
      const ToolChoiceCase *c = &tool_choice_cases[i];
      g_autofree char *json = g_strdup_printf ("{\"model\":\"m\"," MSGS ",\"tools\":[{\"name\":\"Read\"},"
                                               "{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]%s%s}",
                                               c->tool_choice != NULL ? ",\"tool_choice\":" : "",
                                               c->tool_choice != NULL ? c->tool_choice : "");
      g_autoptr(GError) error = NULL;
      g_autoptr(AgTranslatedRequest) result = translate_text (json, c->upstream_model, TRUE, &error);
      JsonNode *tool_config;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_error (error);
      tool_config = request_member (result, "toolConfig");
      if (c->expected == NULL)
        g_assert_null (tool_config);
      else
        {
          g_autoptr(JsonNode) expected = ag_test_parse_json_text (c->expected);
          g_assert_nonnull (tool_config);
          ag_test_assert_json_equal (tool_config, expected);
        }
    }
}

/* Without function tools there is no toolConfig, whatever tool_choice says; server tools other than web search
 * alone give no tools. */
static void
test_tool_choice_without_tools (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate_text (
    "{\"model\":\"m\"," MSGS ",\"tool_choice\":{\"type\":\"any\"},"
    "\"tools\":[{\"type\":\"bash_20250124\",\"name\":\"bash\"}]}", "claude-sonnet-4-6", TRUE, &error);

  g_assert_no_error (error);
  g_assert_null (request_member (result, "toolConfig"));
  g_assert_null (request_member (result, "tools"));
  g_assert_cmpstr (result->request_type, ==, "agent");
}

typedef struct {
  const char *upstream_model;
  const char *thinking;       /* JSON */
  const char *effort;         /* NULL: no output_config */
  gint64      budget;         /* 0: no thinkingConfig */
} EffortCase;

static const EffortCase effort_cases[] = {
  { "claude-sonnet-4-6", "{\"type\":\"adaptive\"}", NULL, 32768 },
  { "claude-sonnet-4-6", "{\"type\":\"adaptive\"}", "low", 8192 },
  { "claude-sonnet-4-6", "{\"type\":\"adaptive\"}", "medium", 16384 },
  { "claude-sonnet-4-6", "{\"type\":\"adaptive\"}", "high", 32768 },
  { "claude-sonnet-4-6", "{\"type\":\"adaptive\"}", "max", 32768 },
  { "claude-sonnet-4-6", "{\"type\":\"adaptive\"}", "xhigh", 32768 },
  { "gemini-3-flash", "{\"type\":\"adaptive\"}", NULL, 24576 },
  { "gemini-3-flash", "{\"type\":\"adaptive\"}", "low", 8192 },
  { "gemini-3-flash", "{\"type\":\"adaptive\"}", "medium", 16384 },
  { "gemini-3-flash", "{\"type\":\"adaptive\"}", "max", 24576 },
  { "gemini-3-flash", "{\"type\":\"enabled\"}", NULL, 24576 },
  { "claude-sonnet-4-6", "{\"type\":\"enabled\",\"budget_tokens\":2048}", "low", 2048 },
  { "claude-sonnet-4-6", "{\"type\":\"disabled\"}", "high", 0 },
  { "claude-sonnet-4-6", "null", NULL, 0 },
};

static void
test_thinking_efforts (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (effort_cases); i++)
    {
      const EffortCase *c = &effort_cases[i];
      g_autofree char *output_config = c->effort != NULL
                                       ? g_strdup_printf (",\"output_config\":{\"effort\":\"%s\"}", c->effort)
                                       : g_strdup ("");
      g_autofree char *json = g_strdup_printf ("{\"model\":\"m\"," MSGS ",\"max_tokens\":60000,\"thinking\":%s%s}",
                                               c->thinking, output_config);
      g_autoptr(GError) error = NULL;
      g_autoptr(AgTranslatedRequest) result = translate_text (json, c->upstream_model, TRUE, &error);
      JsonObject *config;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_error (error);
      config = json_node_get_object (request_member (result, "generationConfig"));
      g_assert_cmpint (json_object_get_int_member (config, "maxOutputTokens"), ==, 60000);
      g_assert_cmpint (result->thinking, ==, c->budget > 0);
      if (c->budget == 0)
        g_assert_false (json_object_has_member (config, "thinkingConfig"));
      else
        {
          JsonObject *thinking = json_object_get_object_member (config, "thinkingConfig");
          g_assert_true (json_object_get_boolean_member (thinking, "includeThoughts"));
          g_assert_cmpint (json_object_get_int_member (thinking, "thinkingBudget"), ==, c->budget);
        }
    }
}

/* A model without thinking support never gets a thinkingConfig, and thinking history is not replayed to it. */
static void
test_thinking_unsupported (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = translate_text (
    "{\"model\":\"m\",\"thinking\":{\"type\":\"adaptive\"},\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
    "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"" SIG_CLAUDE "\"},"
    "{\"type\":\"text\",\"text\":\"b\"}]}]}", "claude-opus-4-6-thinking", FALSE, &error);
  g_autoptr(JsonNode) expected = ag_test_parse_json_text (
    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"b\"}]}],"
    "\"generationConfig\":{\"maxOutputTokens\":4096},\"sessionId\":\"s\"}");

  g_assert_no_error (error);
  g_assert_false (result->thinking);
  ag_test_assert_json_equal (result->request, expected);
}

/* The catalogue's output cap wins over max_tokens and the family default. */
static void
test_output_cap (void)
{
  g_autoptr(JsonNode) body = ag_test_parse_json_text ("{\"model\":\"m\"," MSGS ",\"max_tokens\":100000}");
  g_autoptr(GError) error = NULL;
  AgTranslateOptions options = options_for ("gemini-3-flash", FALSE);
  g_autoptr(AgTranslatedRequest) capped = NULL;
  g_autoptr(AgTranslatedRequest) gemini_default = NULL;

  options.max_output_cap = 32768;
  capped = translate_body (json_node_get_object (body), &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (request_member (capped, "generationConfig")),
                                               "maxOutputTokens"), ==, 32768);
  options.max_output_cap = 0;
  gemini_default = translate_body (json_node_get_object (body), &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (request_member (gemini_default,
                                                                                      "generationConfig")),
                                               "maxOutputTokens"), ==, 65536);
}

static const char *
session_of (const char *json)
{
  static char session[64];
  g_autoptr(JsonNode) body = ag_test_parse_json_text (json);
  g_autoptr(GError) error = NULL;
  AgTranslateOptions options = options_for ("claude-sonnet-4-6", FALSE);
  g_autoptr(AgTranslatedRequest) result = translate_body (json_node_get_object (body), &options, &error);

  g_assert_no_error (error);
  g_strlcpy (session, json_node_get_string (request_member (result, "sessionId")), sizeof session);
  return session;
}

static void
test_session_id (void)
{
  g_autofree char *first = g_strdup (session_of ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  g_autofree char *later = g_strdup (session_of (
    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]},"
    "{\"role\":\"assistant\",\"content\":\"yo\"},{\"role\":\"user\",\"content\":\"more\"}]}"));
  g_autofree char *other = g_strdup (session_of ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hey\"}]}"));
  g_autofree char *no_text = g_strdup (session_of (
    "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}"));

  /* SHA-256("hi") = 8f434346648f6b96…, masked to 63 bits. */
  g_assert_cmpstr (first, ==, "-1099796703622425494");
  g_assert_cmpstr (later, ==, first);
  g_assert_cmpstr (other, !=, first);
  g_assert_true (no_text[0] == '-' && strlen (no_text) > 1);
}

/* Hostile input: every value in a realistic body replaced by each JSON kind must give either a translation or
 * an invalid-request error — never a crash, critical or other error. */
static void
mutate_and_translate (JsonNode *root, JsonNode *node, guint *runs)
{
  static const char * const replacements[] = { "null", "42", "-1.5", "\"x\"", "true", "[]", "{}", "[{}]" };

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      /* Setting a member replaces its key string, so the names are copied first. */
      g_auto(GStrv) names = g_new0 (char *, g_list_length (members) + 1);
      guint n = 0;

      for (GList *l = members; l != NULL; l = l->next)
        names[n++] = g_strdup (l->data);
      for (char **name = names; *name != NULL; name++)
        {
          g_autoptr(JsonNode) original = json_object_dup_member (object, *name);

          mutate_and_translate (root, json_object_get_member (object, *name), runs);
          for (gsize r = 0; r < G_N_ELEMENTS (replacements); r++)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(AgTranslatedRequest) result = NULL;
              AgTranslateOptions options = options_for ("gemini-3-flash", TRUE);

              json_object_set_member (object, *name, ag_test_parse_json_text (replacements[r]));
              if (JSON_NODE_HOLDS_OBJECT (root))
                result = translate_body (json_node_get_object (root), &options, &error);
              g_assert_true (result != NULL || g_error_matches (error, AG_PROTOCOL_ERROR,
                                                                AG_PROTOCOL_ERROR_INVALID_REQUEST));
              (*runs)++;
            }
          json_object_set_member (object, *name, g_steal_pointer (&original));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        mutate_and_translate (root, json_array_get_element (array, i), runs);
    }
}

static void
test_hostile_mutations (void)
{
  const char *names[] = { "tool-loop-claude", "tool-results", "documents", "images" };
  guint runs = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonNode) body = load_fixture (names[i], "anthropic");
      mutate_and_translate (body, body, &runs);
    }
  g_assert_cmpuint (runs, >, 500);
}

static void
test_deep_tool_input (void)
{
  g_autoptr(GString) json = g_string_new ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
                                          "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
                                          "\"name\":\"X\",\"input\":{\"a\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgTranslatedRequest) result = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append (json, "[");
  for (guint i = 0; i < 200; i++)
    g_string_append (json, "]");
  g_string_append (json, "}}]}]}");
  result = translate_text (json->str, "claude-sonnet-4-6", TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

/* What the translation mended is reported with it; dropping signatures (the retry after upstream refused the
 * history) replays no thinking and puts the sentinel on Gemini calls. */
static void
test_repairs_reported (void)
{
  static const char body[] =
    "{\"model\":\"m\",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"messages\":["
    "{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\","
    "\"thinking\":\"t\",\"signature\":\"agcl1g." SIG_CLAUDE "\"},{\"type\":\"tool_use\",\"id\":"
    "\"t1_agsig1_0" SIG_CLAUDE "\",\"name\":\"Bash\",\"input\":{}}]},{\"role\":\"user\",\"content\":\"stop\"}]}";
  const struct { gboolean drop; const char *repairs; const char *model_parts; } cases[] = {
    { FALSE, "interrupted:t1_agsig1_0" SIG_CLAUDE,
      "[{\"text\":\"t\",\"thought\":true,\"thoughtSignature\":\"" SIG_CLAUDE "\"},{\"functionCall\":{\"name\":"
      "\"Bash\",\"args\":{}},\"thoughtSignature\":\"" SIG_CLAUDE "\"}]" },
    { TRUE, "interrupted:t1_agsig1_0" SIG_CLAUDE " signatures-dropped",
      "[{\"functionCall\":{\"name\":\"Bash\",\"args\":{}},\"thoughtSignature\":"
      "\"skip_thought_signature_validator\"}]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) parsed = ag_test_parse_json_text (body);
      AgTranslateOptions options = options_for ("gemini-3-flash", TRUE);
      g_autoptr(GError) error = NULL;
      g_autoptr(AgTranslatedRequest) result = NULL;
      JsonArray *contents;

      options.drop_signatures = cases[i].drop;
      result = translate_body (json_node_get_object (parsed), &options, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (result->repairs, ==, cases[i].repairs);
      contents = json_node_get_array (request_member (result, "contents"));
      ag_test_assert_json_text (json_object_get_member (json_array_get_object_element (contents, 1), "parts"),
                                cases[i].model_parts);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/request-translator/fixture/%s", fixtures[i].name);
      g_test_add_data_func (path, &fixtures[i], test_fixture);
    }
  g_test_add_func ("/request-translator/result-fields", test_result_fields);
  g_test_add_func ("/request-translator/errors", test_errors);
  g_test_add_func ("/request-translator/peek", test_peek);
  g_test_add_func ("/request-translator/tool-choice", test_tool_choice);
  g_test_add_func ("/request-translator/tool-choice-without-tools", test_tool_choice_without_tools);
  g_test_add_func ("/request-translator/thinking-efforts", test_thinking_efforts);
  g_test_add_func ("/request-translator/thinking-unsupported", test_thinking_unsupported);
  g_test_add_func ("/request-translator/output-cap", test_output_cap);
  g_test_add_func ("/request-translator/session-id", test_session_id);
  g_test_add_func ("/request-translator/hostile-mutations", test_hostile_mutations);
  g_test_add_func ("/request-translator/deep-tool-input", test_deep_tool_input);
  g_test_add_func ("/request-translator/repairs-reported", test_repairs_reported);
  return g_test_run ();
}
