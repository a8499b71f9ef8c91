/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop app as a whole (under Xvfb) against the in-process mock: which page a first run opens. */
#include "ui-test-util.h"

/* A first run on an empty keyring opens Add Account, and is the last first run. */
static void
test_first_run (void)
{
  g_assert_false (g_settings_get_boolean (ui.settings, "first-run"));
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "add-account");
}

/* A first run with accounts already in the keyring (added with the CLI) opens the Overview, not Add Account. */
static void
test_first_run_with_accounts (void)
{
  AgProxyService *service = ag_application_get_service (ui.app);

  g_object_unref (ui_add_account ("rt-ui"));
  g_assert_cmpuint (ag_account_pool_get_n_accounts (ag_proxy_service_get_pool (service)), >, 0);
  ag_window_show_page (ui.window, "accounts");
  g_settings_set_boolean (ui.settings, "first-run", TRUE);
  g_application_activate (G_APPLICATION (ui.app));
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "overview");
  g_assert_false (g_settings_get_boolean (ui.settings, "first-run"));
}

static void
test_no_secret_at_rest (void)
{
  ui_assert_no_secret_at_rest ("first-run=false");
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "app"))
    return 0;
  ui_test_start ();

  g_test_add_func ("/ui/app/first-run", test_first_run);
  g_test_add_func ("/ui/app/first-run-with-accounts", test_first_run_with_accounts);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  return ui_test_run ();
}
