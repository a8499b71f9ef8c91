/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The upstream HTTP proxy, end to end: every URL of Google's side points at a host that does not resolve
 * (cloudcode.test), and the mock doubles as the HTTP proxy in front of it. Requests get through only when ag-cl
 * really sends them through the proxy that AGCL_UPSTREAM_PROXY and the proxy variables chose. */
#include "ag-test.h"

#include <string.h>

#define MESSAGE_REQUEST \
  "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"

static AgTestHarness *
harness_behind_proxy (void)
{
  AgTestHarness *harness = ag_test_harness_new (NULL);
  g_autofree char *mock = ag_mock_server_get_base_url (harness->mock);
  g_autofree char *google = g_strdup_printf ("http://cloudcode.test:%u", ag_mock_server_get_port (harness->mock));
  g_autofree char *token = g_strconcat (google, "/token", NULL);
  g_autofree char *userinfo = g_strconcat (google, "/userinfo", NULL);

  ag_test_harness_setenv (harness, "AGCL_CLOUDCODE_ENDPOINTS", google);
  ag_test_harness_setenv (harness, "AGCL_OAUTH_TOKEN_URL", token);
  ag_test_harness_setenv (harness, "AGCL_USERINFO_URL", userinfo);
  ag_test_harness_setenv (harness, "http_proxy", mock);
  /* Not a desktop session, whatever the machine running the tests is: "auto" then reads the variables. */
  ag_test_harness_unsetenv (harness, "XDG_CURRENT_DESKTOP");
  ag_test_harness_unsetenv (harness, "AGCL_UPSTREAM_PROXY");
  return harness;
}

static int
add_account (AgTestHarness *harness, char **err)
{
  const char *args[] = { "account", "add", "--refresh-token", "rt-1", NULL };

  return ag_test_harness_run_cli (harness, args, NULL, NULL, err);
}

/* The default outside a desktop session: sign-in, account setup and messages all go through http_proxy. */
static void
test_auto_uses_proxy_variables (void)
{
  AgTestHarness *harness = harness_behind_proxy ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (add_account (harness, &err), ==, 0);
  ag_test_harness_start_proxy (harness);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", MESSAGE_REQUEST, &body, NULL), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), "Hello"));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), >=, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":loadCodeAssist"), >=, 1);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":generateContent") +
                    ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), >=, 1);
  ag_test_harness_free (harness);
}

/* "none" ignores the variables: the unresolvable host is tried directly, and nothing reaches the mock. */
static void
test_none_goes_direct (void)
{
  AgTestHarness *harness = harness_behind_proxy ();
  g_autofree char *err = NULL;

  ag_test_harness_setenv (harness, "AGCL_UPSTREAM_PROXY", "none");
  g_assert_cmpint (add_account (harness, &err), !=, 0);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "cloudcode.test"));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 0);
  ag_test_harness_free (harness);
}

/* A host listed in no_proxy goes direct, as with curl. */
static void
test_no_proxy_goes_direct (void)
{
  AgTestHarness *harness = harness_behind_proxy ();
  g_autofree char *err = NULL;

  ag_test_harness_setenv (harness, "no_proxy", "example.org,cloudcode.test");
  g_assert_cmpint (add_account (harness, &err), !=, 0);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 0);
  ag_test_harness_free (harness);
}

/* A proxy variable that is not a URI is reported (without its value, which may hold a password) and ignored. */
static void
test_invalid_variable_reported (void)
{
  AgTestHarness *harness = harness_behind_proxy ();
  g_autofree char *err = NULL;

  ag_test_harness_setenv (harness, "http_proxy", "http://user:s3cret@[broken");
  g_assert_cmpint (add_account (harness, &err), !=, 0);
  g_assert_nonnull (strstr (err, "http_proxy is not a proxy URI"));
  g_assert_null (strstr (err, "s3cret"));
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/http-proxy/auto-uses-proxy-variables", test_auto_uses_proxy_variables);
  g_test_add_func ("/http-proxy/none-goes-direct", test_none_goes_direct);
  g_test_add_func ("/http-proxy/no-proxy-goes-direct", test_no_proxy_goes_direct);
  g_test_add_func ("/http-proxy/invalid-variable-reported", test_invalid_variable_reported);
  return g_test_run ();
}
