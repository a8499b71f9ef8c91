/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences reaching the pool and the server: from GSettings (memory backend) at once and on every change, the
 * AGCL_* variables over them, a malformed AGCL_MODEL_MAP refused, and nothing applied any more once disposed. */
#include "ag-cloudcode-client.h"
#include "ag-proxy-preferences.h"
#include "ag-settings.h"

typedef struct {
  AgAccountPool    *pool;
  AgModelCatalogue *catalogue;
  AgProxyServer    *server;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();
  g_autoptr(AgCloudcodeClient) cloudcode = ag_cloudcode_client_new (config);
  g_autoptr(AgOAuthClient) oauth = ag_oauth_client_new (config, ag_cloudcode_client_get_session (cloudcode));

  fixture->pool = ag_account_pool_new ();
  fixture->catalogue = ag_model_catalogue_new ();
  fixture->server = ag_proxy_server_new (cloudcode, oauth, fixture->pool, fixture->catalogue);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->catalogue);
  g_clear_object (&fixture->pool);
}

static AgCallContext *
context (Fixture *fixture)
{
  return ag_proxy_server_get_context (fixture->server);
}

/* Every key this test changes, back to its default. */
static GSettings *
fresh_settings (void)
{
  GSettings *settings = ag_settings_new ();
  const char *keys[] = { "selection-strategy", "max-wait-in-place-ms", "dual-quota-pool", "keepalive-ms",
                         "thinking-keys", "usage-scaling", "client-context-window" };

  g_assert_nonnull (settings);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static void
test_applied_and_followed (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(AgProxyPreferences) preferences = NULL;
  g_autoptr(GError) error = NULL;

  g_settings_set_enum (settings, "selection-strategy", AG_SELECTION_ROUND_ROBIN);
  g_settings_set_uint (settings, "keepalive-ms", 5000);
  preferences = ag_proxy_preferences_new (settings, fixture->pool, fixture->catalogue, fixture->server, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ag_account_pool_get_strategy (fixture->pool), ==, AG_SELECTION_ROUND_ROBIN);
  g_assert_cmpuint (context (fixture)->keepalive_ms, ==, 5000);
  g_assert_true (ag_account_pool_get_dual_quota_pool (fixture->pool));

  /* Changes apply at once: to the pool, and to the server's calls from the next one on. */
  g_settings_set_uint (settings, "max-wait-in-place-ms", 1234);
  g_settings_set_boolean (settings, "dual-quota-pool", FALSE);
  g_settings_set_enum (settings, "thinking-keys", AG_THINKING_KEYS_SNAKE);
  g_settings_set_uint (settings, "client-context-window", 100000);
  g_settings_set_boolean (settings, "usage-scaling", TRUE);
  g_assert_cmpuint (ag_account_pool_get_max_wait_in_place_ms (fixture->pool), ==, 1234);
  g_assert_false (ag_account_pool_get_dual_quota_pool (fixture->pool));
  g_assert_cmpint (context (fixture)->thinking_keys, ==, AG_THINKING_KEYS_SNAKE);
  g_assert_true (context (fixture)->scale_usage);
  g_assert_cmpuint (context (fixture)->client_window, ==, 100000);

  /* Gone with the service: later changes reach nobody. */
  g_clear_object (&preferences);
  g_settings_set_uint (settings, "max-wait-in-place-ms", 99);
  g_settings_set_uint (settings, "keepalive-ms", 6000);
  g_assert_cmpuint (ag_account_pool_get_max_wait_in_place_ms (fixture->pool), ==, 1234);
  g_assert_cmpuint (context (fixture)->keepalive_ms, ==, 5000);
}

/* The documented variables win over the settings, also when a setting changes later. */
static void
test_variables_override (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(AgProxyPreferences) preferences = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AGCL_KEEPALIVE_MS", "250", TRUE);
  g_setenv ("AGCL_THINKING_KEYS", "snake", TRUE);
  g_setenv ("AGCL_USAGE_SCALING_WINDOW", "64000", TRUE);
  preferences = ag_proxy_preferences_new (settings, fixture->pool, fixture->catalogue, fixture->server, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (context (fixture)->keepalive_ms, ==, 250);
  g_assert_cmpint (context (fixture)->thinking_keys, ==, AG_THINKING_KEYS_SNAKE);
  g_assert_true (context (fixture)->scale_usage);
  g_assert_cmpuint (context (fixture)->client_window, ==, 64000);

  g_settings_set_uint (settings, "keepalive-ms", 7000);
  g_assert_cmpuint (context (fixture)->keepalive_ms, ==, 250);
  g_unsetenv ("AGCL_KEEPALIVE_MS");
  g_unsetenv ("AGCL_THINKING_KEYS");
  g_unsetenv ("AGCL_USAGE_SCALING_WINDOW");
}

static void
test_without_settings (Fixture *fixture, gconstpointer data)
{
  g_autoptr(AgProxyPreferences) preferences = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AGCL_STREAM_IDLE_TIMEOUT_MS", "4000", TRUE);
  preferences = ag_proxy_preferences_new (NULL, fixture->pool, fixture->catalogue, fixture->server, &error);
  g_unsetenv ("AGCL_STREAM_IDLE_TIMEOUT_MS");
  g_assert_no_error (error);
  g_assert_nonnull (preferences);
  g_assert_cmpuint (context (fixture)->stream_idle_timeout_ms, ==, 4000);
  g_assert_cmpint (ag_account_pool_get_strategy (fixture->pool), ==, AG_SELECTION_HYBRID);
}

static void
test_bad_model_map (Fixture *fixture, gconstpointer data)
{
  g_autoptr(AgProxyPreferences) preferences = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("AGCL_MODEL_MAP", "opus", TRUE);
  preferences = ag_proxy_preferences_new (NULL, fixture->pool, fixture->catalogue, fixture->server, &error);
  g_unsetenv ("AGCL_MODEL_MAP");
  g_assert_null (preferences);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "AGCL_MODEL_MAP: "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/proxy-preferences/applied-and-followed", test_applied_and_followed);
  ADD ("/proxy-preferences/variables-override", test_variables_override);
  ADD ("/proxy-preferences/without-settings", test_without_settings);
  ADD ("/proxy-preferences/bad-model-map", test_bad_model_map);
#undef ADD
  return g_test_run ();
}
