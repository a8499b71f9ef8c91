// SPDX-License-Identifier: GPL-3.0-or-later
/* The Devices page in the real window (under Xvfb) against the in-process mock, with the mock's two accounts and
 * an Antigravity folder (storage.json beside the state database ui_test_start makes): the IDE's status, Generate
 * adding a version, and "Switch Antigravity to This Account" clicked, confirmed in its dialog, and carried out —
 * storage.json holds the account's ids, the keyring item its sign-in, and the page says so. Saves screenshots. */
#include <json-glib/json-glib.h>
#include "ui-test-util.h"
#include "ag-antigravity-sign-in.h"
#include "ag-devices-page-private.h"

static AgDevicesPage *
page (void)
{
  return ag_window_get_devices_page (ui.window);
}

static AgDeviceRow *
row_at (guint index)
{
  return AG_DEVICE_ROW (gtk_list_box_get_row_at_index (ag_devices_page_get_list (page ()), (int) index));
}

static gboolean
page_idle (gpointer data)
{
  return !ag_devices_page_get_busy (page ()) && gtk_widget_get_sensitive (ag_device_row_get_switch_button (row_at (0)));
}

static gboolean
has_versions (gpointer data)
{
  return ag_device_row_get_n_versions (row_at (0)) == GPOINTER_TO_UINT (data);
}

static gboolean
dialog_open (gpointer data)
{
  return ag_devices_page_get_dialog (page ()) != NULL;
}

static gboolean
signed_in_as (gpointer data)
{
  return !ag_devices_page_get_busy (page ()) && g_strcmp0 (ag_devices_page_get_signed_in (page ()), data) == 0;
}

static void
test_status (void)
{
  ag_window_show_page (ui.window, "devices");
  ui_wait_until (page_idle, NULL);
  g_assert_cmpstr (ag_devices_page_get_signed_in (page ()), ==, "None of these accounts");
  g_assert_cmpstr (ag_devices_page_get_identity (page ()), ==, "Not one ag-cl made");
}

static void
test_generate (void)
{
  AgDeviceRow *row = row_at (0);

  g_assert_cmpuint (ag_device_row_get_n_versions (row), ==, 0);
  g_signal_emit_by_name (ag_device_row_get_generate_button (row), "clicked");
  ui_wait_until (has_versions, GUINT_TO_POINTER (1));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
}

/* The tray's "Use in Antigravity" (app.use-in-antigravity) opens the same confirmation; Cancel writes nothing. */
static void
test_tray_asks (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "use-in-antigravity",
                                  g_variant_new_string ("ide@example.com"));
  ui_wait_until (dialog_open, NULL);
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "devices");
  g_assert_cmpstr (adw_message_dialog_get_heading (ag_devices_page_get_dialog (page ())), ==,
                   "Switch Antigravity to ide@example.com?");
  adw_message_dialog_response (ag_devices_page_get_dialog (page ()), "cancel");
  g_assert_null (ag_devices_page_get_dialog (page ()));
  ui_wait_until (page_idle, NULL);
  g_assert_cmpstr (ag_devices_page_get_signed_in (page ()), ==, "None of these accounts");
}

static void
test_switch_from_window (void)
{
  AgDeviceRow *row = row_at (0);
  const char *email = ag_account_get_email (ag_device_row_get_account (row));
  g_autofree char *storage = g_build_filename (g_getenv ("AGCL_ANTIGRAVITY_CONFIG_DIR"), "User", "globalStorage",
                                               "storage.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *token = NULL;
  JsonObject *telemetry;

  g_signal_emit_by_name (ag_device_row_get_switch_button (row), "clicked");
  ui_wait_until (dialog_open, NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ag_devices_page_get_dialog (page ())), ==,
                   "Switch Antigravity to desktop@example.com?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ag_devices_page_get_dialog (page ())),
                            "Its sign-in goes into the keyring"));
  ui_save_screenshot (GTK_WIDGET (ag_devices_page_get_dialog (page ())), "devices-confirm");
  adw_message_dialog_response (ag_devices_page_get_dialog (page ()), "switch");
  ui_wait_until (signed_in_as, (gpointer) email);
  g_assert_cmpstr (ag_devices_page_get_identity (page ()), ==, email);

  /* What the IDE will read: the account's version 1 in storage.json, its refresh token in the keyring. */
  g_assert_true (json_parser_load_from_file (parser, storage, NULL));
  telemetry = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "telemetry");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (telemetry, "machineId"), "auth0|user_"));
  token = ag_antigravity_sign_in_lookup_keyring (NULL, NULL);
  g_assert_cmpstr (token, ==, "rt-ui");
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "devices");
  ui_assert_no_secret_at_rest ("port");
}

int
main (int argc, char **argv)
{

  if (!ui_test_init (&argc, &argv, "devices"))
    return 0;
  /* The switch writes Antigravity's own keyring item, which carries no test profile: only in a private keyring. */
  if (g_getenv ("AGCL_IN_KEYRING_SESSION") == NULL)
    {
      g_print ("1..0 # SKIP needs the private keyring of build-aux/with-keyring.sh\n");
      return 0;
    }
  ui_test_start ();
  ui_test_add_ide_storage_and_accounts ();
  g_test_add_func ("/ui/devices/status", test_status);
  g_test_add_func ("/ui/devices/generate", test_generate);
  g_test_add_func ("/ui/devices/tray-asks", test_tray_asks);
  g_test_add_func ("/ui/devices/switch-from-window", test_switch_from_window);
  return ui_test_run ();
}
