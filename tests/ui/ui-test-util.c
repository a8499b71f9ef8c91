/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ui-test-util.h"
#include "ui-history-seed.h"
#include "ag-account-registry.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include "ag-test.h"
#include "ag-settings.h"
#include "ag-ui-module.h"

UiTest ui;

static const char *accounts_script =
  "{\"accounts\":[{\"refresh_token\":\"rt-ui\",\"email\":\"desktop@example.com\",\"project\":\"proj-ui\"},"
  "{\"refresh_token\":\"rt-ide\",\"email\":\"ide@example.com\",\"project\":\"proj-ide\"},"
  "{\"refresh_token\":\"rt-weekly\",\"email\":\"weekly@example.com\",\"project\":\"proj-weekly\","
  "\"weekly_exhausted\":\"claude\",\"credits\":1000}]}";

static char *test_dir;   /* G_TEST_BUILDDIR/ui-NAME */

/* The device ids the Antigravity IDE keeps in storage.json beside its state database. */
static const char storage_json[] =
  "{\"telemetry.machineId\": \"5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f\","
  " \"telemetry.macMachineId\": \"0d0d0d0d-1111-4111-8111-222222222222\","
  " \"telemetry.devDeviceId\": \"1e1e1e1e-3333-4333-9333-444444444444\","
  " \"telemetry.sqmId\": \"{5F5F5F5F-5555-4555-A555-666666666666}\"}";

static void
record_uri (GtkWindow *parent, const char *uri, gpointer user_data)
{
  g_free (ui.launched_uri);
  ui.launched_uri = g_strdup (uri);
}

void
ui_wait_until (UiCondition condition, gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

void
ui_settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  ui_wait_until (time_passed, &until);
}

gboolean
ui_flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A desktop notification server on the test's private bus (the org.gtk.Notifications interface GLib's "gtk"
 * backend speaks), recording "id\ttitle\tbody" of each notification. */
static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
notification_method (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
                     const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer data)
{
  if (g_str_equal (method, "AddNotification"))
    {
      const char *id = NULL;
      g_autoptr(GVariant) fields = NULL;
      const char *title = "", *body = "";

      g_variant_get (parameters, "(&s&s@a{sv})", NULL, &id, &fields);
      g_variant_lookup (fields, "title", "&s", &title);
      const char *action = "";
      g_autoptr(GVariant) target = NULL;
      g_autofree char *target_text = NULL;

      g_variant_lookup (fields, "body", "&s", &body);
      g_variant_lookup (fields, "default-action", "&s", &action);
      target = g_variant_lookup_value (fields, "default-action-target", NULL);
      target_text = target != NULL ? g_variant_print (target, FALSE) : g_strdup ("");
      g_ptr_array_add (ui.notifications, g_strdup_printf ("%s\t%s\t%s", id, title, body));
      g_ptr_array_add (ui.notification_actions, g_strdup_printf ("%s\t%s\t%s", id, action, target_text));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notification_method, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  static gboolean owned;

  g_assert_nonnull (bus);
  ui.notifications = g_ptr_array_new_with_free_func (g_free);
  ui.notification_actions = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                                       NULL, NULL, NULL), >, 0);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                &owned, NULL);
  ui_wait_until (ui_flag_is_set, &owned);
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
}

static void
on_remote_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);

  g_assert_nonnull (reply);
  *(gboolean *) user_data = TRUE;
}

void
ui_activate_remotely (const char *action, GVariant *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL,
    &error);
  g_autofree char *path = g_strconcat ("/", AG_APP_ID, NULL);
  GVariantBuilder parameters;
  gboolean answered = FALSE;

  g_assert_no_error (error);
  g_strdelimit (path, ".", '/');
  g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&parameters, "v", target);
  g_dbus_connection_call (other, AG_APP_ID, path, "org.freedesktop.Application", "ActivateAction",
                          g_variant_new ("(sava{sv})", action, &parameters, NULL), NULL, G_DBUS_CALL_FLAGS_NONE,
                          10000, NULL, on_remote_reply, &answered);
  ui_wait_until (ui_flag_is_set, &answered);
  g_dbus_connection_close_sync (other, NULL, NULL);
}

gboolean
ui_has_notifications (gpointer data)
{
  return ui.notifications->len >= GPOINTER_TO_UINT (data);
}

/* Renders @window's contents as they are on screen into G_TEST_BUILDDIR/screenshots/@name.png
 * (docs/platform.md#headless-ui-tests). */
void
ui_save_screenshot (GtkWidget *window_widget, const char *name)
{
  GtkWidget *widget = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int width, height;
  GdkRGBA background;

  ui_settle (300);
  gtk_test_widget_wait_for_draw (window_widget);
  /* The toplevel's own paintable renders nothing here; its largest child holds everything visible. */
  for (GtkWidget *child = gtk_widget_get_first_child (window_widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (widget == NULL || gtk_widget_get_width (child) * gtk_widget_get_height (child)
                          > gtk_widget_get_width (widget) * gtk_widget_get_height (widget))
      widget = child;
  g_assert_nonnull (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  /* The window paints its own background: under the child it would be transparent, which a viewer shows as
   * white, unreadable behind dark mode's light text. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (gtk_widget_get_style_context (window_widget), "window_bg_color", &background))
    gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_widget_snapshot_child (window_widget, widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window_widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

gboolean
ui_connection_accepted (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  if (connection == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  return connection != NULL;
}

guint
ui_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

char *
ui_browse (SoupSession *browser, const char *url, guint expected_status)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (browser, message, G_PRIORITY_DEFAULT, NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  body = soup_session_send_and_read_finish (browser, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message), "Location"));
}

AgAccount *
ui_add_account (const char *refresh_token)
{
  AgProxyService *service = ag_application_get_service (ui.app);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AgAccount *account;

  ag_account_registry_add_async (ag_proxy_service_get_registry (service), refresh_token, NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  account = ag_account_registry_add_finish (ag_proxy_service_get_registry (service), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

void
ui_test_add_ide_storage_and_accounts (void)
{
  g_autofree char *storage = g_build_filename (g_getenv ("AGCL_ANTIGRAVITY_CONFIG_DIR"), "User", "globalStorage",
                                               "storage.json", NULL);

  g_assert_true (g_file_set_contents (storage, storage_json, -1, NULL));
  g_object_unref (ui_add_account ("rt-ui"));
  g_object_unref (ui_add_account ("rt-ide"));
}

AgUiContext *
ui_context_new (void)
{
  g_autoptr(AgUriLauncher) launcher = ag_uri_launcher_new ();

  ag_uri_launcher_set_func (launcher, record_uri, NULL);
  return ag_ui_context_new (ag_application_get_service (ui.app), ui.settings, launcher);
}

/* An Antigravity IDE state database signed in with rt-ide (the older record: field 6 holds the token info, whose
 * field 3 is the refresh token). */
static char *
make_ide_state (void)
{
  const char info[] = "\x1a\x06rt-ide";
  g_autoptr(GString) state = g_string_new ("\x32");
  g_autofree char *value = NULL;
  g_autofree char *dir = g_build_filename (test_dir, "ide-state", "User", "globalStorage", NULL);
  char *path = g_build_filename (dir, "state.vscdb", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  g_string_append_c (state, (char) (sizeof info - 1));
  g_string_append_len (state, info, sizeof info - 1);
  value = g_base64_encode ((const guchar *) state->str, state->len);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_remove (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE ItemTable (key TEXT UNIQUE, value BLOB)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO ItemTable VALUES ('jetskiStateSync.agentManagerInitState', ?1)",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (insert, 1, value, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
  sqlite3_finalize (insert);
  sqlite3_close (db);
  return path;
}

void
ui_assert_no_secret_at_rest (const char *written)
{
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_settings_sync ();
  g_assert_true (g_file_get_contents (keyfile, &contents, &length, NULL));
  /* The store really is the one this app wrote to. */
  g_assert_nonnull (strstr (contents, written));
  ag_test_assert_no_secret (keyfile, contents, (gssize) length);
  ag_test_assert_no_secret_in_directory (g_getenv ("AGCL_DATA_DIR"));
}

gboolean
ui_test_init (int *argc, char ***argv, const char *name)
{
  g_autofree char *config_dir = NULL;
  g_autofree char *home_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *profile = g_strconcat ("test-ui-", name, NULL);
  g_autofree char *dir_name = g_strconcat ("ui-", name, NULL);

  test_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), dir_name, NULL);
  /* A settings store on disk, fresh for each run (the other suites use the memory backend): scanned for secrets
   * at the end. Set before anything reads the user's configuration folder. */
  config_dir = g_build_filename (test_dir, "config", NULL);
  keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_remove (keyfile);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  /* A home of its own: "Use with Claude Code" and the key hand-over write ~/.claude/settings.json. */
  home_dir = g_build_filename (test_dir, "home", NULL);
  g_setenv ("HOME", home_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  /* Its own keyring profile: integration tests and the other UI test files use theirs. */
  g_setenv ("AGCL_PROFILE", profile, TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  /* Xvfb has no GPU; probing GL only loads (and leaks from) the software driver. */
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_test_init (argc, argv, NULL);
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (run the ui suite under xvfb-run)\n");
      g_clear_pointer (&test_dir, g_free);
      return FALSE;
    }
  return TRUE;
}

/* The window is on screen and the proxy listens (it starts once the keyring has said whether a key is set). */
static gboolean
app_ready (gpointer data)
{
  return ui.window != NULL && gtk_widget_get_mapped (GTK_WIDGET (ui.window))
         && gtk_widget_get_width (GTK_WIDGET (ui.window)) > 0
         && ag_proxy_service_get_running (ag_application_get_service (ui.app));
}

static UiHistorySeed *history_seed;

void
ui_test_seed_history_on_start (UiHistorySeed *seed)
{
  history_seed = seed;
}

void
ui_test_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ide_state = NULL;
  g_autofree char *ide_folder = NULL;
  g_autofree char *data_dir = g_build_filename (test_dir, "data", NULL);

  for (guint i = 0; i < 6; i++)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (i < 3 ? "history.db" : "devices.db", suffixes[i % 3], NULL);
      g_autofree char *database = g_build_filename (data_dir, file, NULL);

      g_remove (database);
    }
  g_setenv ("AGCL_DATA_DIR", data_dir, TRUE);
  if (history_seed != NULL)
    {
      g_autofree char *history = g_build_filename (data_dir, "history.db", NULL);

      *history_seed = ui_seed_history (history, 30);
    }
  ide_state = make_ide_state ();
  ide_folder = g_build_filename (test_dir, "ide-state", NULL);
  g_setenv ("AGCL_ANTIGRAVITY_CONFIG_DIR", ide_folder, TRUE);
  start_notification_server ();
  ui.mock = ag_test_mock_start (accounts_script);
  ui.settings = ag_settings_new ();
  g_assert_nonnull (ui.settings);
  g_settings_set_value (ui.settings, "port", g_variant_new_uint16 ((guint16) ui_free_port ()));

  /* As ag-cl runs it: the host registers the application id and opens the window module (linked in here). */
  ui.host = ag_desktop_host_new (ui.settings, NULL, -1, FALSE);
  ag_desktop_host_set_ui_factory (ui.host, ag_ui_module_create);
  g_assert_true (g_application_register (G_APPLICATION (ui.host), NULL, &error));
  g_assert_no_error (error);
  ui.app = AG_APPLICATION (ag_desktop_host_ensure_ui (ui.host, &error));
  g_assert_no_error (error);
  ag_application_set_uri_launcher (ui.app, record_uri, NULL);
  g_application_activate (G_APPLICATION (ui.host));
  ui.window = AG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (ui.app)));
  ui_wait_until (app_ready, NULL);
}

int
ui_test_run (void)
{
  int status = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "quit", NULL);
  ui.app = NULL;   /* the host's */
  g_clear_object (&ui.host);
  g_clear_object (&ui.settings);
  g_clear_object (&ui.mock);
  g_clear_pointer (&ui.launched_uri, g_free);
  g_clear_pointer (&ui.notifications, g_ptr_array_unref);
  g_clear_pointer (&ui.notification_actions, g_ptr_array_unref);
  g_clear_pointer (&test_dir, g_free);
  return status;
}
