/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A running proxy follows the keyring: accounts added or removed and the local API key generated or cleared with
 * the CLI take effect without a restart (ag-keyring-watch). */
#include "ag-test.h"

#include <string.h>

#define MESSAGE "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"

static AgTestHarness *harness;

/* POST /v1/messages with exactly @key as x-api-key (NULL: none). */
static guint
send_message (const char *key)
{
  return ag_test_send (harness->session, harness->port, "POST", "/v1/messages", MESSAGE, key != NULL ? "x-api-key" : NULL,
                       key, NULL, NULL);
}

/* Waits up to 5 s for send_message (@key) to answer @status; returns the last status. */
static guint
wait_for_status (const char *key, guint status)
{
  guint got = 0;

  for (int i = 0; i < 50 && (got = send_message (key)) != status; i++)
    ag_test_sleep (100);
  return got;
}

static void
run_cli_ok (const char * const *args, char **out)
{
  g_autofree char *err = NULL;

  if (ag_test_harness_run_cli (harness, args, NULL, out, &err) != 0)
    g_error ("ag-cl %s %s failed: %s", args[0], args[1], err);
}

static void
test_accounts_follow_the_keyring (void)
{
  const char *add[] = { "account", "add", "--refresh-token", "rt-1", NULL };
  const char *list[] = { "account", "list", NULL };
  g_autofree char *listing = NULL;
  g_auto(GStrv) fields = NULL;

  /* No account yet: the proxy answers that it has none. */
  g_assert_cmpuint (send_message (NULL), ==, 503);

  run_cli_ok (add, NULL);
  g_assert_cmpuint (wait_for_status (NULL, 200), ==, 200);
  g_assert_nonnull (strstr (harness->proxy_log->str, "was added to the keyring; serving with it"));

  run_cli_ok (list, &listing);
  fields = g_strsplit_set (g_strstrip (listing), " \t\n", 2);
  g_assert_nonnull (strchr (fields[0], '@'));
  {
    const char *remove[] = { "account", "remove", fields[0], NULL };

    run_cli_ok (remove, NULL);
  }
  g_assert_cmpuint (wait_for_status (NULL, 503), ==, 503);
  g_assert_nonnull (strstr (harness->proxy_log->str, "was removed from the keyring; no longer serving with it"));
}

static void
test_api_key_follows_the_keyring (void)
{
  const char *add[] = { "account", "add", "--refresh-token", "rt-1", NULL };
  const char *generate[] = { "api-key", "generate", NULL };
  const char *clear[] = { "api-key", "clear", NULL };
  g_autofree char *out = NULL;
  g_autofree char *key = NULL;

  /* The key asked of every client, this test's loopback requests included: until the proxy has followed the
   * keyring, a key it does not know yet is refused, and one it has dropped still served. */
  ag_test_harness_setenv (harness, "AGCL_REQUIRE_API_KEY", "1");
  ag_test_harness_restart_proxy (harness);
  run_cli_ok (add, NULL);
  g_assert_cmpuint (wait_for_status (NULL, 401), ==, 401);

  run_cli_ok (generate, &out);
  key = g_strdup (g_strstrip (out));
  ag_test_add_secret (key);
  g_assert_cmpuint (wait_for_status (key, 200), ==, 200);
  g_assert_cmpuint (send_message (NULL), ==, 401);
  g_assert_nonnull (strstr (harness->proxy_log->str, "local API key changed in the keyring: set"));

  run_cli_ok (clear, NULL);
  g_assert_cmpuint (wait_for_status (key, 401), ==, 401);
  g_assert_nonnull (strstr (harness->proxy_log->str, "local API key changed in the keyring: removed"));
  /* Each case starts from an empty keyring, with the default again. */
  ag_test_harness_unsetenv (harness, "AGCL_REQUIRE_API_KEY");
  ag_test_harness_restart_proxy (harness);
  g_assert_cmpuint (wait_for_status (NULL, 200), ==, 200);
  ag_test_harness_remove_accounts (harness, TRUE);
  g_assert_cmpuint (wait_for_status (NULL, 503), ==, 503);
}

static void
set_script (const char *json)
{
  ag_test_mock_set_script (harness->mock, json);
}

/* An account whose sign-in Google revoked, signed in again with the CLI: the running proxy takes the new sign-in
 * in place of the signed-out one. */
static void
test_signed_in_again (void)
{
  const char *add_old[] = { "account", "add", "--refresh-token", "rt-old", NULL };
  const char *add_new[] = { "account", "add", "--refresh-token", "rt-new", NULL };
  const char *remove[] = { "account", "remove", "again@example.com", NULL };

  set_script ("{\"accounts\":[{\"refresh_token\":\"rt-old\",\"email\":\"again@example.com\"}]}");
  run_cli_ok (add_old, NULL);
  g_assert_cmpuint (wait_for_status (NULL, 200), ==, 200);

  /* Google revokes it: the next call is refused and the refresh fails, so the account needs a new sign-in. */
  set_script ("{\"accounts\":[{\"refresh_token\":\"rt-old\",\"email\":\"again@example.com\",\"revoked\":true},"
              "{\"refresh_token\":\"rt-new\",\"email\":\"again@example.com\"}],"
              "\"generate\":[{\"times\":1,\"respond\":{\"error_preset\":\"unauthenticated\"}}]}");
  g_assert_cmpuint (wait_for_status (NULL, 503), ==, 503);

  run_cli_ok (add_new, NULL);
  g_assert_cmpuint (wait_for_status (NULL, 200), ==, 200);
  g_assert_nonnull (strstr (harness->proxy_log->str, "account again@example.com was signed in again in the keyring"));
  run_cli_ok (remove, NULL);
  g_assert_cmpuint (wait_for_status (NULL, 503), ==, 503);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = ag_test_harness_new (NULL);
  ag_test_harness_start_proxy (harness);
  g_test_add_func ("/keyring-follow/accounts", test_accounts_follow_the_keyring);
  g_test_add_func ("/keyring-follow/api-key", test_api_key_follows_the_keyring);
  g_test_add_func ("/keyring-follow/signed-in-again", test_signed_in_again);
  status = g_test_run ();
  ag_test_harness_free (harness);
  return status;
}
