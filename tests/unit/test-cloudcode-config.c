/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cloud Code configuration: defaults, environment overrides, URLs, headers, envelope, and the project/tier read
 * from loadCodeAssist answers. */
#include "ag-test.h"
#include "ag-account-setup.h"
#include "ag-cloudcode-client.h"
#include "ag-cloudcode-config.h"

#if defined(__aarch64__)
#define ARCH "arm64"
#else
#define ARCH "amd64"
#endif

static const char *config_env[] = {
  "AGCL_CLOUDCODE_ENDPOINTS", "AGCL_OAUTH_AUTH_URL", "AGCL_OAUTH_TOKEN_URL", "AGCL_USERINFO_URL",
  "AGCL_ANTIGRAVITY_VERSION", "AGCL_USER_AGENT_FAMILY", "AGCL_OAUTH_CLIENT_ID", "AGCL_OAUTH_CLIENT_SECRET",
};

static void
clear_env (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (config_env); i++)
    g_unsetenv (config_env[i]);
}

static void
assert_strv (const char * const *actual, const char * const *expected)
{
  g_autofree char *actual_text = g_strjoinv ("|", (char **) actual);
  g_autofree char *expected_text = g_strjoinv ("|", (char **) expected);

  g_assert_cmpstr (actual_text, ==, expected_text);
}

static void
test_defaults (void)
{
  g_autoptr(AgCloudcodeConfig) config = NULL;
  const char *content[] = { "https://daily-cloudcode-pa.googleapis.com", "https://cloudcode-pa.googleapis.com", NULL };
  const char *setup[] = { "https://cloudcode-pa.googleapis.com", "https://daily-cloudcode-pa.googleapis.com", NULL };

  clear_env ();
  config = ag_cloudcode_config_new_from_env ();
  assert_strv (ag_cloudcode_config_get_endpoints (config), content);
  assert_strv (ag_cloudcode_config_get_setup_endpoints (config), setup);
  g_assert_cmpstr (ag_cloudcode_config_get_auth_url (config), ==, "https://accounts.google.com/o/oauth2/v2/auth");
  g_assert_cmpstr (ag_cloudcode_config_get_token_url (config), ==, "https://oauth2.googleapis.com/token");
  g_assert_cmpstr (ag_cloudcode_config_get_userinfo_url (config), ==, "https://www.googleapis.com/oauth2/v2/userinfo");
  g_assert_cmpstr (ag_cloudcode_config_get_client_id (config), ==,
                   "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com");
  g_assert_cmpstr (ag_cloudcode_config_get_client_secret (config), ==, "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");
  g_assert_cmpstr (ag_cloudcode_config_get_user_agent (config), ==, "antigravity/" AG_ANTIGRAVITY_DEFAULT_VERSION " linux/" ARCH);
  g_assert_cmpstr (ag_cloudcode_config_get_scopes (config), ==,
                   "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email "
                   "https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/cclog "
                   "https://www.googleapis.com/auth/experimentsandconfigs");
}

static void
test_env_overrides (void)
{
  g_autoptr(AgCloudcodeConfig) config = NULL;
  const char *endpoints[] = { "http://127.0.0.1:9/a", "http://127.0.0.1:9/b", NULL };

  clear_env ();
  g_setenv ("AGCL_CLOUDCODE_ENDPOINTS", "  http://127.0.0.1:9/a/ , ,http://127.0.0.1:9/b// ,", TRUE);
  g_setenv ("AGCL_OAUTH_TOKEN_URL", "  http://127.0.0.1:9/token/ ", TRUE);
  g_setenv ("AGCL_OAUTH_AUTH_URL", "http://127.0.0.1:9/auth", TRUE);
  g_setenv ("AGCL_USERINFO_URL", "   ", TRUE);
  g_setenv ("AGCL_ANTIGRAVITY_VERSION", " 3.1.4 ", TRUE);
  g_setenv ("AGCL_OAUTH_CLIENT_ID", "test-client", TRUE);
  g_setenv ("AGCL_OAUTH_CLIENT_SECRET", "", TRUE);
  config = ag_cloudcode_config_new_from_env ();
  clear_env ();

  assert_strv (ag_cloudcode_config_get_endpoints (config), endpoints);
  /* An explicit list replaces the setup hosts too. */
  assert_strv (ag_cloudcode_config_get_setup_endpoints (config), endpoints);
  g_assert_cmpstr (ag_cloudcode_config_get_token_url (config), ==, "http://127.0.0.1:9/token");
  g_assert_cmpstr (ag_cloudcode_config_get_auth_url (config), ==, "http://127.0.0.1:9/auth");
  g_assert_cmpstr (ag_cloudcode_config_get_userinfo_url (config), ==, "https://www.googleapis.com/oauth2/v2/userinfo");
  g_assert_cmpstr (ag_cloudcode_config_get_user_agent (config), ==, "antigravity/3.1.4 linux/" ARCH);
  g_assert_cmpstr (ag_cloudcode_config_get_client_id (config), ==, "test-client");
  g_assert_cmpstr (ag_cloudcode_config_get_client_secret (config), ==, "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");
}

/* AGCL_USER_AGENT_FAMILY: the Hub family, the version still following the setting; anything else is the default. */
static void
test_user_agent_family (void)
{
  static const struct { const char *family; const char *expected; } cases[] = {
    { "hub", "antigravity/hub/2.13.0 darwin/arm64" },
    { "antigravity", "antigravity/2.13.0 linux/" ARCH },
    { "electron", "antigravity/2.13.0 linux/" ARCH },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AgCloudcodeConfig) config = NULL;

      clear_env ();
      g_setenv ("AGCL_USER_AGENT_FAMILY", cases[i].family, TRUE);
      config = ag_cloudcode_config_new_from_env ();
      clear_env ();
      ag_cloudcode_config_set_client_version (config, "2.13.0");
      g_assert_cmpstr (ag_cloudcode_config_get_user_agent (config), ==, cases[i].expected);
    }
}

static void
test_blank_endpoint_list_keeps_defaults (void)
{
  g_autoptr(AgCloudcodeConfig) config = NULL;

  clear_env ();
  g_setenv ("AGCL_CLOUDCODE_ENDPOINTS", " , ,/ ", TRUE);
  config = ag_cloudcode_config_new_from_env ();
  clear_env ();
  g_assert_cmpstr (ag_cloudcode_config_get_endpoints (config)[0], ==, "https://daily-cloudcode-pa.googleapis.com");
  g_assert_cmpstr (ag_cloudcode_config_get_setup_endpoints (config)[0], ==, "https://cloudcode-pa.googleapis.com");
}

static void
test_build_url (void)
{
  g_autoptr(AgCloudcodeConfig) config = NULL;
  g_autofree char *stream = NULL;
  g_autofree char *unary = NULL;

  clear_env ();
  config = ag_cloudcode_config_new_from_env ();
  stream = ag_cloudcode_config_build_url (config, "https://cloudcode-pa.googleapis.com", "streamGenerateContent", "alt=sse");
  unary = ag_cloudcode_config_build_url (config, "http://127.0.0.1:8", "loadCodeAssist", NULL);
  g_assert_cmpstr (stream, ==, "https://cloudcode-pa.googleapis.com/v1internal:streamGenerateContent?alt=sse");
  g_assert_cmpstr (unary, ==, "http://127.0.0.1:8/v1internal:loadCodeAssist");
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Every request header as "name: value" lines, sorted, so the whole set is compared. */
static char *
headers_text (SoupMessage *message)
{
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_ptr_array_add (lines, g_strdup_printf ("%s: %s", name, value));
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

typedef enum { GENERATION, UNARY, GEMINI_CLI } HeaderKind;

/* The whole set of headers one request gets. */
typedef struct {
  const char   *version;     /* AGCL_ANTIGRAVITY_VERSION; NULL: the default */
  HeaderKind    kind;
  const char   *url;
  const char   *token;
  gboolean      streaming;   /* GENERATION only */
  AgModelFamily family;
  gboolean      thinking;
  const char   *expected;    /* "name: value" lines, sorted */
} HeaderCase;

/* A unary call, and a generation without streaming or thinking: the same headers. */
#define PLAIN_HEADERS \
  "Accept: application/json\n" \
  "Authorization: Bearer tok\n" \
  "Content-Type: application/json\n" \
  "User-Agent: antigravity/9.9.9 linux/" ARCH

static const HeaderCase stream_claude = {
  NULL, GENERATION, "http://127.0.0.1:8/v1internal:streamGenerateContent", "ya29.access", TRUE,
  AG_MODEL_FAMILY_CLAUDE, TRUE,
  "Accept: text/event-stream\n"
  "Authorization: Bearer ya29.access\n"
  "Content-Type: application/json\n"
  "User-Agent: antigravity/" AG_ANTIGRAVITY_DEFAULT_VERSION " linux/" ARCH "\n"
  "anthropic-beta: interleaved-thinking-2025-05-14",
};
static const HeaderCase stream_gemini = {
  NULL, GENERATION, "http://127.0.0.1:8/v1internal:streamGenerateContent", "ya29.other", TRUE,
  AG_MODEL_FAMILY_GEMINI, TRUE,
  "Accept: text/event-stream\n"
  "Authorization: Bearer ya29.other\n"
  "Content-Type: application/json\n"
  "User-Agent: antigravity/" AG_ANTIGRAVITY_DEFAULT_VERSION " linux/" ARCH,
};
static const HeaderCase unary = {
  "9.9.9", UNARY, "http://127.0.0.1:8/v1internal:loadCodeAssist", "tok", FALSE, 0, FALSE, PLAIN_HEADERS,
};
static const HeaderCase no_thinking = {
  "9.9.9", GENERATION, "http://127.0.0.1:8/v1internal:generateContent", "tok", FALSE, AG_MODEL_FAMILY_CLAUDE, FALSE,
  PLAIN_HEADERS,
};
/* The Gemini CLI quota pool: the Gemini CLI's identity. */
static const HeaderCase gemini_cli = {
  NULL, GEMINI_CLI, "http://127.0.0.1:8/v1internal:streamGenerateContent", "ya29.cli", FALSE, 0, FALSE,
  "Accept: text/event-stream\n"
  "Authorization: Bearer ya29.cli\n"
  "Client-Metadata: ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI\n"
  "Content-Type: application/json\n"
  "User-Agent: google-api-nodejs-client/9.15.1\n"
  "X-Goog-Api-Client: gl-node/22.17.0",
};

static void
test_headers (gconstpointer data)
{
  const HeaderCase *c = data;
  g_autoptr(AgCloudcodeConfig) config = NULL;
  g_autoptr(SoupMessage) message = soup_message_new ("POST", c->url);
  g_autofree char *text = NULL;

  clear_env ();
  if (c->version != NULL)
    g_setenv ("AGCL_ANTIGRAVITY_VERSION", c->version, TRUE);
  config = ag_cloudcode_config_new_from_env ();
  clear_env ();
  if (c->kind == UNARY)
    ag_cloudcode_config_apply_unary_headers (config, message, c->token);
  else if (c->kind == GEMINI_CLI)
    ag_cloudcode_config_apply_gemini_cli_headers (config, message, c->token);
  else
    ag_cloudcode_config_apply_headers (config, message, c->token, c->streaming, c->family, c->thinking);
  text = headers_text (message);
  g_assert_cmpstr (text, ==, c->expected);
}

/* The Gemini CLI quota pool: prod only, its model names (its headers: gemini_cli above). */
static void
test_gemini_cli_pool (void)
{
  g_autoptr(AgCloudcodeConfig) config = NULL;
  const char *prod[] = { "https://cloudcode-pa.googleapis.com", NULL };
  const char *names[][2] = {
    { "gemini-3-flash", "gemini-3-flash-preview" }, { "gemini-3-pro-high", "gemini-3-pro-preview" },
    { "gemini-3-pro-low", "gemini-3-pro-preview" }, { "gemini-3.1-pro-high", "gemini-3.1-pro-preview" },
    { "gemini-2.5-flash", "gemini-2.5-flash" }, { "gemini-2.5-pro", "gemini-2.5-pro" },
    { "gemini-3-flash-agent", NULL }, { "gemini-3.5-flash-low", NULL }, { "claude-sonnet-4-6", NULL },
    { "gemini-3-pro-image", NULL },
  };

  clear_env ();
  config = ag_cloudcode_config_new_from_env ();
  assert_strv (ag_cloudcode_config_get_gemini_cli_endpoints (config), prod);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *mapped = ag_cloudcode_gemini_cli_model (names[i][0]);

      g_assert_cmpstr (mapped, ==, names[i][1]);
    }
}

typedef struct {
  const char *fixture;
  const char *project;
  const char *tier;
  const char *onboard_tier;
} LoadCase;

static void
test_load_code_assist_fixtures (void)
{
  const LoadCase cases[] = {
    { "load-project-string.json", "cogent-snow-4mnnp", "standard-tier", "standard-tier" },
    { "load-project-object.json", "bright-wave-1a2b3", "g1-pro-tier", "free-tier" },
    { "load-needs-onboarding.json", NULL, NULL, "standard-tier" },
    { "load-no-default-tier.json", NULL, NULL, "free-tier" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) fixture = ag_test_fixture_load_json ("accounts", cases[i].fixture);
      JsonObject *load = json_node_get_object (fixture);
      g_autofree char *project = ag_account_setup_project_from_load (load);
      g_autofree char *tier = ag_account_setup_tier_from_load (load);
      g_autofree char *onboard_tier = ag_account_setup_onboard_tier (load);

      g_test_message ("fixture %s", cases[i].fixture);
      g_assert_cmpstr (project, ==, cases[i].project);
      g_assert_cmpstr (tier, ==, cases[i].tier);
      g_assert_cmpstr (onboard_tier, ==, cases[i].onboard_tier);
    }
}

static void
test_envelope (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) envelope = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *object;
  const char *request_id;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", -1, &error);
  g_assert_no_error (error);
  envelope = ag_cloudcode_build_envelope ("proj-1", "claude-sonnet-4-6", json_parser_get_root (parser));
  again = ag_cloudcode_build_envelope ("proj-1", "claude-sonnet-4-6", json_parser_get_root (parser));
  object = json_node_get_object (envelope);

  request_id = json_object_get_string_member (object, "requestId");
  g_assert_true (g_str_has_prefix (request_id, "agent-"));
  g_assert_true (g_uuid_string_is_valid (request_id + strlen ("agent-")));
  g_assert_cmpstr (request_id, !=, json_object_get_string_member (json_node_get_object (again), "requestId"));

  json_object_set_string_member (object, "requestId", "agent-X");
  text = json_to_string (envelope, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"project\":\"proj-1\",\"model\":\"claude-sonnet-4-6\",\"userAgent\":\"antigravity\","
                   "\"requestType\":\"agent\",\"requestId\":\"agent-X\","
                   "\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cloudcode-config/defaults", test_defaults);
  g_test_add_func ("/cloudcode-config/env-overrides", test_env_overrides);
  g_test_add_func ("/cloudcode-config/user-agent-family", test_user_agent_family);
  g_test_add_func ("/cloudcode-config/blank-endpoint-list", test_blank_endpoint_list_keeps_defaults);
  g_test_add_func ("/cloudcode-config/build-url", test_build_url);
  g_test_add_data_func ("/cloudcode-config/headers/stream-claude", &stream_claude, test_headers);
  g_test_add_data_func ("/cloudcode-config/headers/stream-gemini", &stream_gemini, test_headers);
  g_test_add_data_func ("/cloudcode-config/headers/unary", &unary, test_headers);
  g_test_add_data_func ("/cloudcode-config/headers/generation-without-thinking", &no_thinking, test_headers);
  g_test_add_data_func ("/cloudcode-config/headers/gemini-cli", &gemini_cli, test_headers);
  g_test_add_func ("/cloudcode-config/gemini-cli-pool", test_gemini_cli_pool);
  g_test_add_func ("/cloudcode-config/load-code-assist", test_load_code_assist_fixtures);
  g_test_add_func ("/cloudcode-config/envelope", test_envelope);

  return g_test_run ();
}
