/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window (under Xvfb) over the running app: moving the proxy to another port, and the local API
 * key with a listen address beyond loopback. */
#include "ui-test-util.h"
#include "ag-agent-setup.h"
#include "ag-autostart.h"
#include "ag-local-api-key.h"
#include "ag-overview-page-private.h"
#include "ag-preferences-window-private.h"
#include "ag-test.h"

#include <glib/gstdio.h>

static void
test_preferences_port (void)
{
  g_autoptr(AgUiContext) context = ui_context_new ();
  AgPreferencesWindow *preferences = ag_preferences_window_new (context);
  AgProxyService *service = ag_application_get_service (ui.app);
  guint old_port = ag_proxy_service_get_port (service);
  guint new_port = ui_free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", new_port);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (ui.window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_cmpfloat (gtk_spin_button_get_value (ag_preferences_window_get_port_spin (preferences)), ==, old_port);

  gtk_spin_button_set_value (ag_preferences_window_get_port_spin (preferences), new_port);
  g_assert_cmpuint (g_variant_get_uint16 (g_settings_get_value (ui.settings, "port")), ==, new_port);
  g_assert_cmpuint (ag_proxy_service_get_port (service), ==, new_port);
  g_assert_true (ui_connection_accepted (new_port));
  g_assert_false (ui_connection_accepted (old_port));
  g_assert_cmpstr (ag_overview_page_get_address_text (ag_window_get_overview_page (ui.window)), ==, url);
  ui_save_screenshot (GTK_WIDGET (preferences), "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
service_has_key_is (gpointer data)
{
  return ag_local_api_key_is_set (ag_proxy_service_get_local_api_key (ag_application_get_service (ui.app))) == GPOINTER_TO_INT (data);
}

static void
api_key_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_local_api_key_clear_finish (AG_LOCAL_API_KEY (source), result, &error));
  g_assert_no_error (error);
}

/* The Local API Key row follows the key, and the address row explains why a network address is refused. */
static void
test_preferences_api_key (void)
{
  AgProxyService *service = ag_application_get_service (ui.app);
  g_autoptr(AgUiContext) context = ui_context_new ();
  AgPreferencesWindow *preferences = ag_preferences_window_new (context);
  AdwActionRow *key_row = ag_preferences_window_get_api_key_row (preferences);
  AdwActionRow *status_row = ag_preferences_window_get_address_status_row (preferences);
  guint port = ag_proxy_service_get_port (service);
  g_autoptr(GError) error = NULL;
  GLogLevelFlags fatal_levels;

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (ui.window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (ag_local_api_key_is_set (ag_proxy_service_get_local_api_key (service)));
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==, "Not set: only your own clients on this computer can connect");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_row)));

  /* A network address without a key: the listener stops and the row says why (the service also warns). */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_settings_set_string (ui.settings, "listen-address", "0.0.0.0");
  g_log_set_always_fatal (fatal_levels);
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (status_row), ==,
                   "ag-cl refuses 0.0.0.0 without a local API key: generate one below, or use 127.0.0.1");

  gtk_widget_activate (GTK_WIDGET (ag_preferences_window_get_api_key_generate_button (preferences)));
  ui_wait_until (service_has_key_is, GINT_TO_POINTER (TRUE));
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==,
                   "Set: clients on other computers and other users’ clients must send it");
  g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}$", ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (service)), 0, 0));
  ag_test_add_secret (ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (service)));
  g_assert_true (ag_application_set_proxy_enabled (ui.app, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ag_proxy_service_get_address (service), ==, "0.0.0.0");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_assert_true (ui_connection_accepted (port));
  ui_settle (100);
  ui_save_screenshot (GTK_WIDGET (preferences), "preferences-api-key");

  /* Removing the key closes the network listener at once; back on loopback it needs no key. */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  ag_local_api_key_clear_async (ag_proxy_service_get_local_api_key (service), NULL, api_key_cleared, NULL);
  ui_wait_until (service_has_key_is, GINT_TO_POINTER (FALSE));
  g_log_set_always_fatal (fatal_levels);
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==, "Not set: only your own clients on this computer can connect");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_settings_set_string (ui.settings, "listen-address", "127.0.0.1");
  g_assert_true (ag_application_set_proxy_enabled (ui.app, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_assert_true (ui_connection_accepted (port));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static char *claude_settings_path;
static char *codex_config_path;


/* Whether the file at @path holds the local API key in force. */
static gboolean
file_holds_key (gpointer path)
{
  const char *key = ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (ag_application_get_service (ui.app)));
  g_autofree char *contents = NULL;

  return key != NULL && g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, key) != NULL;
}

/* Requiring the key from local clients too, with no key yet and Claude Code and Codex already set up for ag-cl: a
 * key is made, both agents' settings get it, and the proxy asks every client for it. */
static void
test_preferences_require_key (void)
{
  AgProxyService *service = ag_application_get_service (ui.app);
  g_autoptr(AgUiContext) context = ui_context_new ();
  AgPreferencesWindow *preferences = ag_preferences_window_new (context);
  AdwActionRow *key_row = ag_preferences_window_get_api_key_row (preferences);
  g_autofree char *url = ag_proxy_service_get_url (service);
  g_autofree char *claude_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *settings = g_strdup_printf ("{\"env\":{\"ANTHROPIC_BASE_URL\":\"%s\","
                                               "\"ANTHROPIC_AUTH_TOKEN\":\"ag-cl\"}}", url);
  AgRequestGuard *guard = ag_proxy_server_get_guard (ag_proxy_service_get_server (service));
  g_autoptr(GError) error = NULL;

  claude_settings_path = g_build_filename (claude_dir, "settings.json", NULL);
  codex_config_path = ag_agent_get_path (AG_AGENT_CODEX);
  {
    AgAgentTarget codex = { url, NULL, NULL };
    g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);

    g_assert_true (ag_agent_setup_apply (AG_AGENT_CODEX, &codex, backups, &error));
    g_assert_no_error (error);
    g_assert_false (file_holds_key (codex_config_path));
  }
  g_assert_cmpint (g_mkdir_with_parents (claude_dir, 0700), ==, 0);
  g_file_set_contents (claude_settings_path, settings, -1, &error);
  g_assert_no_error (error);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (ui.window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (ag_local_api_key_is_set (ag_proxy_service_get_local_api_key (service)));
  g_assert_false (gtk_switch_get_active (ag_preferences_window_get_require_key_switch (preferences)));

  gtk_switch_set_active (ag_preferences_window_get_require_key_switch (preferences), TRUE);
  g_assert_true (g_settings_get_boolean (ui.settings, "require-api-key"));
  g_assert_true (ag_request_guard_get_require_api_key (guard));
  ui_wait_until (service_has_key_is, GINT_TO_POINTER (TRUE));
  ag_test_add_secret (ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (service)));
  ui_wait_until (file_holds_key, claude_settings_path);
  ui_wait_until (file_holds_key, codex_config_path);
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==, "Set: every client must send it");

  /* An allowed origin, typed with stray spaces and commas, is stored as a list. */
  {
    AdwEntryRow *origins_row = ag_preferences_window_get_allowed_origins_row (preferences);
    g_auto(GStrv) stored = NULL;

    gtk_editable_set_text (GTK_EDITABLE (origins_row), " https://app.example,, http://localhost:* ");
    g_signal_emit_by_name (origins_row, "apply");
    stored = g_settings_get_strv (ui.settings, "allowed-origins");
    g_assert_cmpuint (g_strv_length (stored), ==, 2);
    g_assert_cmpstr (stored[0], ==, "https://app.example");
    g_assert_cmpstr (stored[1], ==, "http://localhost:*");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (origins_row)), ==, "https://app.example, http://localhost:*");
  }
  ui_settle (100);
  ui_save_screenshot (GTK_WIDGET (preferences), "preferences-require-key");

  gtk_switch_set_active (ag_preferences_window_get_require_key_switch (preferences), FALSE);
  g_assert_false (ag_request_guard_get_require_api_key (guard));
  g_settings_reset (ui.settings, "allowed-origins");
  ag_local_api_key_clear_async (ag_proxy_service_get_local_api_key (service), NULL, api_key_cleared, NULL);
  ui_wait_until (service_has_key_is, GINT_TO_POINTER (FALSE));
  /* The settings file held a key on purpose; it is not part of the scan at rest. */
  g_remove (claude_settings_path);
  g_clear_pointer (&claude_settings_path, g_free);
  g_remove (codex_config_path);
  g_clear_pointer (&codex_config_path, g_free);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
autostart_entry_is (gpointer data)
{
  g_autofree char *path = ag_autostart_entry_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS) == GPOINTER_TO_INT (data);
}

/* "Start at Login" writes the XDG autostart entry (in this test's XDG_CONFIG_HOME) and removes it, and the switch
 * shows what is on disk when the window opens. */
static void
test_preferences_autostart (void)
{
  g_autoptr(AgUiContext) context = ui_context_new ();
  gboolean cleared = ag_autostart_set_file (FALSE, "ag-cl", NULL);   /* an earlier run's entry */
  AgPreferencesWindow *preferences = ag_preferences_window_new (context);
  GtkSwitch *toggle = ag_preferences_window_get_autostart_switch (preferences);
  g_autofree char *path = ag_autostart_entry_path ();
  g_autofree char *contents = NULL;

  g_assert_true (cleared);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (ui.window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (gtk_switch_get_active (toggle));
  gtk_switch_set_active (toggle, TRUE);
  AG_TEST_WAIT (g_settings_get_boolean (ui.settings, "autostart"), AG_TEST_TIMEOUT_MS);
  g_assert_true (autostart_entry_is (GINT_TO_POINTER (TRUE)));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, " --background\n"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* A new window reads the entry back. */
  preferences = ag_preferences_window_new (context);
  toggle = ag_preferences_window_get_autostart_switch (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_true (gtk_switch_get_active (toggle));
  gtk_switch_set_active (toggle, FALSE);
  AG_TEST_WAIT (!g_settings_get_boolean (ui.settings, "autostart"), AG_TEST_TIMEOUT_MS);
  g_assert_true (autostart_entry_is (GINT_TO_POINTER (FALSE)));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* After the port and address changes and the API key: the settings store on disk and the data directory hold
 * neither the local API key nor any token. */
static void
test_no_secret_at_rest (void)
{
  ui_assert_no_secret_at_rest ("listen-address='127.0.0.1'");
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "preferences"))
    return 0;
  ui_test_start ();

  g_test_add_func ("/ui/preferences/port", test_preferences_port);
  g_test_add_func ("/ui/preferences/api-key", test_preferences_api_key);
  g_test_add_func ("/ui/preferences/require-key", test_preferences_require_key);
  g_test_add_func ("/ui/preferences/autostart", test_preferences_autostart);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  return ui_test_run ();
}
