/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The version check: the running proxy announces the current Antigravity release from its update manifest (the
 * mock serves one), keeps its floor when the manifest is older or unreachable, and leaves a pinned version alone. */
#include "ag-test.h"
#include "ag-cloudcode-config.h"

#include <string.h>

#define MESSAGE "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
#define MANIFEST_PATH "/manifest/latest-arm64-mac.yml"

static gboolean
manifest_asked (gpointer harness)
{
  return ag_mock_server_count_requests (((AgTestHarness *) harness)->mock, MANIFEST_PATH) > 0;
}

/* Runs the proxy against @script (with @pinned as AGCL_ANTIGRAVITY_VERSION, NULL: none), waits for @log_line
 * (NULL: none), sends one message and returns the User-Agent upstream saw. */
static char *
user_agent_upstream (AgTestHarness *harness, const char *pinned, const char *log_line)
{
  g_autoptr(JsonObject) request = NULL;
  const char *agent;

  if (pinned != NULL)
    ag_test_harness_setenv (harness, "AGCL_ANTIGRAVITY_VERSION", pinned);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  if (log_line != NULL)
    ag_test_harness_wait_log (harness, log_line, 5000);
  /* Without a line to wait for, the check has had its answer once the manifest was asked for and a moment passed. */
  if (log_line == NULL && pinned == NULL)
    ag_test_poll_until (manifest_asked, harness, 5000);
  ag_test_sleep (200);
  if (log_line != NULL && strstr (harness->proxy_log->str, log_line) == NULL)
    g_error ("no \"%s\" in the proxy's log: %s", log_line, harness->proxy_log->str);
  g_assert_cmpuint (ag_test_harness_post (harness, MESSAGE, NULL), ==, 200);
  request = ag_test_mock_last_request (harness->mock, "GenerateContent");
  agent = json_object_get_string_member (json_object_get_object_member (request, "headers"), "user-agent");
  g_assert_nonnull (agent);
  return g_strdup (agent);
}

/* Which version ag-cl announces to Google, from the manifest the mock serves. */
typedef struct {
  const char *script;
  const char *pinned;              /* AGCL_ANTIGRAVITY_VERSION; NULL: none */
  const char *log_line;            /* waited for in the proxy's log; NULL: none */
  const char *user_agent;          /* how the User-Agent upstream starts */
  gint        manifest_requests;   /* -1: not checked */
  const char *not_logged;          /* NULL, or not in the proxy's log */
} VersionCase;

#define FLOOR "antigravity/" AG_ANTIGRAVITY_DEFAULT_VERSION " linux/"

static const VersionCase announces_current_release = {
  "{\"manifest_version\":\"2.14.3\"}", NULL, "announcing Antigravity 2.14.3 to Google",
  "antigravity/2.14.3 linux/", 1, NULL,
};
static const VersionCase older_manifest_keeps_floor = {
  "{\"manifest_version\":\"2.1.0\"}", NULL, NULL, FLOOR, 1, "announcing Antigravity",
};
static const VersionCase unreachable_manifest_keeps_floor = {
  "{\"manifest_status\":503}", NULL, "cannot check the current Antigravity version", FLOOR, -1, NULL,
};
static const VersionCase pinned_version_is_kept = {
  "{\"manifest_version\":\"2.14.3\"}", "3.0.0", NULL, "antigravity/3.0.0 linux/", 0, NULL,
};

static void
test_version (gconstpointer data)
{
  const VersionCase *c = data;
  AgTestHarness *harness = ag_test_harness_new (c->script);
  g_autofree char *agent = user_agent_upstream (harness, c->pinned, c->log_line);

  g_assert_true (g_str_has_prefix (agent, c->user_agent));
  if (c->manifest_requests >= 0)
    g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, MANIFEST_PATH), ==, (guint) c->manifest_requests);
  if (c->not_logged != NULL)
    g_assert_null (strstr (harness->proxy_log->str, c->not_logged));
  ag_test_harness_free (harness);
}

/* Google refuses the version: with the notice dressed as the model's text in a 200 answer (how users of the peers
 * saw it), or as an HTTP error. The client gets a retryable 503 that says what happens (never the notice as an
 * answer), ag-cl logs it, and the next request, which Google accepts, is served. */
static void
test_refusal_is_transient (gconstpointer data)
{
  const char *refusal = data;
  g_autofree char *script = g_strdup_printf ("{\"manifest_status\":503,\"generate\":[{\"times\":1,\"respond\":%s}]}",
                                             refusal);
  AgTestHarness *harness = ag_test_harness_new (script);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *error;

  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE, &body, &headers), ==, 503);
  parsed = ag_test_parse_json (body);
  error = json_object_get_object_member (json_node_get_object (parsed), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "api_error");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "message"),
                                   "Google refused the Antigravity client version ag-cl announced"));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "retry-after"), ==, "5");
  g_assert_null (soup_message_headers_get_one (headers, "x-should-retry"));
  g_assert_nonnull (strstr (harness->proxy_log->str, "Google refused client version " AG_ANTIGRAVITY_DEFAULT_VERSION
                                                     " as too old"));
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE, NULL, NULL), ==, 200);
  ag_test_harness_free (harness);
}

/* A canned answer, not generated: one chunk, one part, finishReason STOP. */
static const char refusal_as_text[] =
  "{\"chunks\":[{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"This version of "
  "Antigravity is no longer supported. Please update to receive the latest features!\"}]},"
  "\"finishReason\":\"STOP\"}]}]}";
static const char refusal_as_error[] = "{\"error_preset\":\"version_unsupported\"}";

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/client-version/announces-current-release", &announces_current_release, test_version);
  g_test_add_data_func ("/client-version/older-manifest-keeps-floor", &older_manifest_keeps_floor, test_version);
  g_test_add_data_func ("/client-version/unreachable-manifest-keeps-floor", &unreachable_manifest_keeps_floor,
                        test_version);
  g_test_add_data_func ("/client-version/pinned-version-is-kept", &pinned_version_is_kept, test_version);
  g_test_add_data_func ("/client-version/refusal-as-text", refusal_as_text, test_refusal_is_transient);
  g_test_add_data_func ("/client-version/refusal-as-error", refusal_as_error, test_refusal_is_transient);
  return g_test_run ();
}
