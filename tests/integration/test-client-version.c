/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The version check: the running proxy announces the current Antigravity release from its update manifest (the
 * mock serves one), keeps its floor when the manifest is older or unreachable, and leaves a pinned version alone. */
#include "ag-test.h"
#include "ag-cloudcode-config.h"

#include <string.h>

#define MESSAGE "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
#define MANIFEST_PATH "/manifest/latest-arm64-mac.yml"

/* Runs the proxy against @script (with @pinned as AGCL_ANTIGRAVITY_VERSION, NULL: none), waits for @log_line
 * (NULL: none), sends one message and returns the User-Agent upstream saw. */
static char *
user_agent_upstream (AgTestHarness *harness, const char *pinned, const char *log_line)
{
  g_autoptr(JsonNode) requests = NULL;
  JsonArray *array;
  const char *agent = NULL;

  if (pinned != NULL)
    ag_test_harness_setenv (harness, "AGCL_ANTIGRAVITY_VERSION", pinned);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  for (int i = 0; log_line != NULL && i < 100 && strstr (harness->proxy_log->str, log_line) == NULL; i++)
    ag_test_sleep (50);
  /* Without a line to wait for, the check has had its answer once the manifest was asked for and a moment passed. */
  for (int i = 0; log_line == NULL && pinned == NULL && i < 100 &&
                  ag_mock_server_count_requests (harness->mock, MANIFEST_PATH) == 0; i++)
    ag_test_sleep (50);
  ag_test_sleep (200);
  if (log_line != NULL && strstr (harness->proxy_log->str, log_line) == NULL)
    g_error ("no \"%s\" in the proxy's log: %s", log_line, harness->proxy_log->str);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE, NULL, NULL), ==, 200);
  requests = ag_mock_server_get_requests (harness->mock);
  array = json_node_get_array (requests);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);

      if (g_str_has_suffix (json_object_get_string_member (request, "path"), "GenerateContent"))
        agent = json_object_get_string_member (json_object_get_object_member (request, "headers"), "user-agent");
    }
  g_assert_nonnull (agent);
  return g_strdup (agent);
}

static void
test_announces_current_release (void)
{
  AgTestHarness *harness = ag_test_harness_new ("{\"manifest_version\":\"2.14.3\"}");
  g_autofree char *agent = user_agent_upstream (harness, NULL, "announcing Antigravity 2.14.3 to Google");

  g_assert_true (g_str_has_prefix (agent, "antigravity/2.14.3 linux/"));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, MANIFEST_PATH), ==, 1);
  ag_test_harness_free (harness);
}

static void
test_older_manifest_keeps_floor (void)
{
  AgTestHarness *harness = ag_test_harness_new ("{\"manifest_version\":\"2.1.0\"}");
  g_autofree char *agent = NULL;

  agent = user_agent_upstream (harness, NULL, NULL);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, MANIFEST_PATH), ==, 1);
  g_assert_true (g_str_has_prefix (agent, "antigravity/" AG_ANTIGRAVITY_DEFAULT_VERSION " linux/"));
  g_assert_null (strstr (harness->proxy_log->str, "announcing Antigravity"));
  ag_test_harness_free (harness);
}

static void
test_unreachable_manifest_keeps_floor (void)
{
  AgTestHarness *harness = ag_test_harness_new ("{\"manifest_status\":503}");
  g_autofree char *agent = user_agent_upstream (harness, NULL, "cannot check the current Antigravity version");

  g_assert_true (g_str_has_prefix (agent, "antigravity/" AG_ANTIGRAVITY_DEFAULT_VERSION " linux/"));
  ag_test_harness_free (harness);
}

static void
test_pinned_version_is_kept (void)
{
  AgTestHarness *harness = ag_test_harness_new ("{\"manifest_version\":\"2.14.3\"}");
  g_autofree char *agent = user_agent_upstream (harness, "3.0.0", NULL);

  g_assert_true (g_str_has_prefix (agent, "antigravity/3.0.0 linux/"));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, MANIFEST_PATH), ==, 0);
  ag_test_harness_free (harness);
}

/* Google refuses the version: with the notice dressed as the model's text in a 200 answer (how users of the peers
 * saw it), or as an HTTP error. The client gets a retryable 503 that says what happens (never the notice as an
 * answer), ag-cl logs it, and the next request, which Google accepts, is served. */
static void
assert_refusal_is_transient (const char *refusal)
{
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

static void
test_refusal_as_text (void)
{
  /* A canned answer, not generated: one chunk, one part, finishReason STOP. */
  assert_refusal_is_transient ("{\"chunks\":[{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                               "\"This version of Antigravity is no longer supported. Please update to receive the "
                               "latest features!\"}]},\"finishReason\":\"STOP\"}]}]}");
}

static void
test_refusal_as_error (void)
{
  assert_refusal_is_transient ("{\"error_preset\":\"version_unsupported\"}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/client-version/announces-current-release", test_announces_current_release);
  g_test_add_func ("/client-version/older-manifest-keeps-floor", test_older_manifest_keeps_floor);
  g_test_add_func ("/client-version/unreachable-manifest-keeps-floor", test_unreachable_manifest_keeps_floor);
  g_test_add_func ("/client-version/pinned-version-is-kept", test_pinned_version_is_kept);
  g_test_add_func ("/client-version/refusal-as-text", test_refusal_as_text);
  g_test_add_func ("/client-version/refusal-as-error", test_refusal_as_error);
  return g_test_run ();
}
