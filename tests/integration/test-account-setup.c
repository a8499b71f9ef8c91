/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Account setup against the mock: a project straight from loadCodeAssist, onboarding with polling, endpoint
 * fallback (and none on 429), and the step named in each failure. */
#include "ag-test.h"
#include "ag-account-setup.h"

#if defined(__aarch64__)
#define PLATFORM "LINUX_ARM64"
#else
#define PLATFORM "LINUX_AMD64"
#endif

#define METADATA "{\"ideType\":\"ANTIGRAVITY\",\"platform\":\"" PLATFORM "\",\"pluginType\":\"GEMINI\"}"

static const char *one_account =
  "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"}]}";

static AgAccount *
set_up (const char *refresh_token, GError **error)
{
  g_autoptr(AgCloudcodeClient) cloudcode = NULL;
  g_autoptr(AgOAuthClient) oauth = NULL;

  ag_test_google_clients_new (&cloudcode, &oauth);
  return ag_test_account_setup (oauth, cloudcode, refresh_token, error);
}

/* The recorded requests whose path ends with @suffix, as compact JSON bodies joined by '\n'. */
static char *
bodies_of (AgMockServer *mock, const char *suffix)
{
  g_autoptr(JsonArray) requests = ag_test_mock_requests (mock, suffix);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      g_autofree char *body = json_to_string (json_object_get_member (request, "body"), FALSE);

      g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", body);
    }
  return g_string_free (text, FALSE);
}

static void
test_direct_project (void)
{
  g_autoptr(AgMockServer) mock = ag_test_mock_start (one_account);
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *load_bodies = NULL;
  g_autoptr(AgCloudcodeConfig) config = NULL;
  g_autoptr(AgOAuthClient) oauth = NULL;
  g_autofree char *token = NULL;

  account = set_up ("rt-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ag_account_get_email (account), ==, "user1@example.com");
  g_assert_cmpstr (ag_account_get_project_id (account), ==, "proj-1");
  g_assert_cmpstr (ag_account_get_tier (account), ==, "free-tier");
  g_assert_cmpstr (ag_account_get_refresh_token (account), ==, "rt-1");
  g_assert_true (ag_account_get_enabled (account));

  g_assert_cmpuint (ag_mock_server_count_requests (mock, "/token"), ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (mock, "/userinfo"), ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":loadCodeAssist"), ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":onboardUser"), ==, 0);
  load_bodies = bodies_of (mock, ":loadCodeAssist");
  g_assert_cmpstr (load_bodies, ==, "{\"metadata\":" METADATA "}");

  /* The access token from setup is seeded: no second refresh. */
  config = ag_cloudcode_config_new_from_env ();
  oauth = ag_oauth_client_new (config, NULL);
  token = ag_test_account_access_token (account, oauth, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (ag_mock_server_count_requests (mock, "/token"), ==, 1);
}

static void
test_onboarding_polls_until_done (void)
{
  g_autoptr(AgMockServer) mock = ag_test_mock_start ("{\"accounts\":[{\"refresh_token\":\"rt-new\","
                                                   "\"email\":\"new@example.com\",\"project\":\"proj-new\","
                                                   "\"onboard\":true}]}");
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *onboard_bodies = NULL;

  g_setenv ("AGCL_ONBOARD_POLL_MS", "10", TRUE);
  account = set_up ("rt-new", &error);
  g_unsetenv ("AGCL_ONBOARD_POLL_MS");
  g_assert_no_error (error);
  g_assert_cmpstr (ag_account_get_email (account), ==, "new@example.com");
  g_assert_cmpstr (ag_account_get_project_id (account), ==, "proj-new");
  g_assert_cmpstr (ag_account_get_tier (account), ==, "free-tier");

  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":loadCodeAssist"), ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":onboardUser"), ==, 2);
  onboard_bodies = bodies_of (mock, ":onboardUser");
  g_assert_cmpstr (onboard_bodies, ==,
                   "{\"tierId\":\"free-tier\",\"metadata\":" METADATA "}\n"
                   "{\"tierId\":\"free-tier\",\"metadata\":" METADATA "}");
}

static void
test_load_falls_back_to_next_endpoint (void)
{
  g_autoptr(AgMockServer) mock = ag_test_mock_start (one_account);
  g_autoptr(AgTestStub) failing = ag_test_stub_new (503, "{\"error\":{\"code\":503,\"message\":\"unavailable\","
                                                     "\"status\":\"UNAVAILABLE\"}}");
  g_autofree char *dead = ag_test_dead_url ();
  g_autofree char *mock_url = ag_mock_server_get_base_url (mock);
  g_autofree char *endpoints = g_strdup_printf ("%s,%s,%s", failing->base_url, dead, mock_url);
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AGCL_CLOUDCODE_ENDPOINTS", endpoints, TRUE);
  account = set_up ("rt-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ag_account_get_project_id (account), ==, "proj-1");
  g_assert_cmpuint (failing->hits, ==, 1);
  g_assert_cmpstr (failing->last_path, ==, "/v1internal:loadCodeAssist");
  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":loadCodeAssist"), ==, 1);
}

static void
test_load_quota_error_does_not_fall_back (void)
{
  g_autoptr(AgMockServer) mock = ag_test_mock_start (one_account);
  g_autoptr(AgTestStub) limited = ag_test_stub_new (429, "{\"error\":{\"code\":429,\"message\":\"Resource has been "
                                                     "exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
  g_autofree char *mock_url = ag_mock_server_get_base_url (mock);
  g_autofree char *endpoints = g_strdup_printf ("%s,%s", limited->base_url, mock_url);
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AGCL_CLOUDCODE_ENDPOINTS", endpoints, TRUE);
  account = set_up ("rt-1", &error);
  g_assert_null (account);
  g_assert_error (error, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==,
                   "loadCodeAssist failed: loadCodeAssist answered HTTP 429: Resource has been exhausted (e.g. check quota).");
  g_assert_cmpuint (limited->hits, ==, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":loadCodeAssist"), ==, 0);
}

static void
test_last_endpoint_error_is_returned (void)
{
  G_GNUC_UNUSED g_autoptr(AgMockServer) mock = ag_test_mock_start (one_account);
  g_autofree char *dead = ag_test_dead_url ();
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_prefix = g_strdup_printf ("loadCodeAssist failed: cannot reach %s: ", dead);

  g_setenv ("AGCL_CLOUDCODE_ENDPOINTS", dead, TRUE);
  account = set_up ("rt-1", &error);
  g_assert_null (account);
  g_assert_error (error, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, expected_prefix));
}

static void
test_userinfo_failure_names_the_step (void)
{
  g_autoptr(AgMockServer) mock = ag_test_mock_start (one_account);
  g_autoptr(AgTestStub) userinfo = ag_test_stub_new (500, "{\"error\":{\"code\":500,\"message\":\"Backend Error\"}}");
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AGCL_USERINFO_URL", userinfo->base_url, TRUE);
  account = set_up ("rt-1", &error);
  g_assert_null (account);
  g_assert_error (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "reading the account's e-mail address failed: the Google userinfo endpoint answered HTTP 500: "
                   "Backend Error");
  g_assert_cmpuint (ag_mock_server_count_requests (mock, ":loadCodeAssist"), ==, 0);
}

static void
test_revoked_token (void)
{
  g_autoptr(AgMockServer) mock = ag_test_mock_start ("{\"accounts\":[{\"refresh_token\":\"rt-1\",\"revoked\":true}]}");
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = set_up ("rt-1", &error);
  g_assert_null (account);
  g_assert_error (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT);
  g_assert_cmpstr (error->message, ==, "the refresh token was rejected by Google (invalid_grant); sign in again");
  g_assert_cmpuint (ag_mock_server_count_requests (mock, "/userinfo"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account-setup/direct-project", test_direct_project);
  g_test_add_func ("/account-setup/onboarding", test_onboarding_polls_until_done);
  g_test_add_func ("/account-setup/fallback", test_load_falls_back_to_next_endpoint);
  g_test_add_func ("/account-setup/no-fallback-on-429", test_load_quota_error_does_not_fall_back);
  g_test_add_func ("/account-setup/last-endpoint-error", test_last_endpoint_error_is_returned);
  g_test_add_func ("/account-setup/userinfo-failure", test_userinfo_failure_names_the_step);
  g_test_add_func ("/account-setup/revoked", test_revoked_token);

  return g_test_run ();
}
