/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop app in a real window (under Xvfb), driven through its widgets against the in-process mock: add an
 * account through the click-through sign-in (the test plays the browser), turn the proxy off and on, move it to
 * another port from the preferences. Each test saves a screenshot under the build directory. */
#include <sqlite3.h>
#include "acct-test-util.h"
#include "ag-account-row-private.h"
#include "ag-accounts-page-private.h"
#include "ag-add-account-page-private.h"
#include "ag-application-private.h"
#include "ag-overview-page-private.h"
#include "ag-preferences-window-private.h"
#include "ag-secret-scan.h"
#include "ag-settings.h"
#include "ag-window-private.h"
#include <glib/gstdio.h>

static const char *accounts_script =
  "{\"accounts\":[{\"refresh_token\":\"rt-ui\",\"email\":\"desktop@example.com\",\"project\":\"proj-ui\"},"
  "{\"refresh_token\":\"rt-ide\",\"email\":\"ide@example.com\",\"project\":\"proj-ide\"}]}";

static AgApplication *app;
static AgWindow *window;
static GSettings *settings;
static AgMockServer *mock;
static char *launched_uri;

static void
record_uri (GtkWindow *parent, const char *uri, gpointer user_data)
{
  g_free (launched_uri);
  launched_uri = g_strdup (uri);
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition, gpointer data)
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

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  wait_until (time_passed, &until);
}

/* A desktop notification server on the test's private bus (the org.gtk.Notifications interface GLib's "gtk"
 * backend speaks), recording "id\ttitle\tbody" of each notification. */
static GPtrArray *notifications;

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
      g_variant_lookup (fields, "body", "&s", &body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\t%s\t%s", id, title, body));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
name_owned (gpointer data)
{
  return *(gboolean *) data;
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
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                                       NULL, NULL, NULL), >, 0);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                &owned, NULL);
  wait_until (name_owned, &owned);
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
}

static gboolean
has_notifications (gpointer data)
{
  return notifications->len >= GPOINTER_TO_UINT (data);
}

/* Renders @window's contents as they are on screen into G_TEST_BUILDDIR/screenshots/@name.png (§8.2 of
 * the platform notes). */
static void
save_screenshot (GtkWidget *window_widget, const char *name)
{
  GtkWidget *widget = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int width, height;

  settle (300);
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
  gtk_widget_snapshot_child (window_widget, widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window_widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
connection_accepted (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  if (connection == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  return connection != NULL;
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* GETs @url without following redirects, like the browser's first hop; returns the Location header. */
static char *
browse (SoupSession *browser, const char *url, guint expected_status)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (browser, message, G_PRIORITY_DEFAULT, NULL, acct_store_result, &slot);
  result = acct_wait (&slot);
  body = soup_session_send_and_read_finish (browser, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message), "Location"));
}

static gboolean
has_one_account_row (gpointer data)
{
  AgAccountsPage *page = ag_window_get_accounts_page (window);

  return gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0) != NULL
         && !ag_add_account_page_get_busy (ag_window_get_add_account_page (window));
}

static void
test_add_account_by_sign_in (void)
{
  AgAddAccountPage *page = ag_window_get_add_account_page (window);
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autofree char *location = NULL;
  g_auto(GStrv) models = NULL;
  GtkListBoxRow *row;

  g_assert_null (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (window)), 0));
  ag_window_show_page (window, "add-account");
  g_signal_emit_by_name (ag_add_account_page_get_sign_in_button (page), "clicked");
  g_assert_true (ag_add_account_page_get_busy (page));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ag_add_account_page_get_cancel_button (page))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ag_add_account_page_get_sign_in_button (page))));
  g_assert_nonnull (launched_uri);
  g_assert_true (g_str_has_prefix (launched_uri, g_getenv ("AGCL_OAUTH_AUTH_URL")));
  save_screenshot (GTK_WIDGET (window), "add-account-waiting");

  /* The browser: Google's consent page redirects to ag-cl's loopback listener, which shows the "go back" page. */
  location = browse (browser, launched_uri, 302);
  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  g_free (browse (browser, location, 200));
  wait_until (has_one_account_row, NULL);

  row = gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (window)), 0);
  g_assert_true (AG_IS_ACCOUNT_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "desktop@example.com");
  g_assert_cmpstr (ag_account_row_get_state_text (AG_ACCOUNT_ROW (row)), ==, "Active");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Active · free-tier · proj-ui");
  g_assert_cmpstr (ag_window_get_visible_page (window), ==, "accounts");
  g_assert_cmpstr (ag_add_account_page_get_error_text (page), ==, "");
  g_assert_cmpuint (ag_mock_server_count_requests (mock, "/token"), >=, 1);

  /* Quota, as the poller reports it, appears as one bar per model (the real poller may have added some). */
  ag_account_set_model_quota (ag_account_row_get_account (AG_ACCOUNT_ROW (row)), "gemini-3-pro", 0.8,
                              g_get_real_time () / 1000 + 2 * 3600 * 1000);
  ag_account_set_model_quota (ag_account_row_get_account (AG_ACCOUNT_ROW (row)), "claude-sonnet-4-6", 0.25, 0);
  models = ag_account_list_quota_models (ag_account_row_get_account (AG_ACCOUNT_ROW (row)));
  g_assert_true (g_strv_contains ((const char * const *) models, "gemini-3-pro"));
  g_assert_true (g_strv_contains ((const char * const *) models, "claude-sonnet-4-6"));
  g_assert_cmpuint (ag_account_row_get_n_quota_bars (AG_ACCOUNT_ROW (row)), ==, g_strv_length (models));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  save_screenshot (GTK_WIDGET (window), "accounts");
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
account_added_again (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAccount) account = ag_proxy_service_add_account_finish (AG_PROXY_SERVICE (source), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  *(gboolean *) user_data = TRUE;
}

static void
test_account_needs_sign_in (void)
{
  g_autoptr(AgAccount) fresh = NULL;
  gboolean signed_in = FALSE;
  AgAccountsPage *page = ag_window_get_accounts_page (window);
  AgAccountRow *row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0));
  AgAccount *account = ag_account_row_get_account (row);
  AgAccountPool *pool = ag_proxy_service_get_pool (ag_application_get_service (app));

  ag_window_show_page (window, "accounts");
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_fix_button (row)));
  ag_account_pool_invalidate (pool, account, AG_ACCOUNT_STATE_SIGNED_OUT, "Google revoked the sign-in.", NULL);
  wait_until (has_notifications, GUINT_TO_POINTER (1));
  g_assert_cmpstr (g_ptr_array_index (notifications, notifications->len - 1), ==,
                   "account-desktop@example.com\tdesktop@example.com needs attention\tGoogle revoked the sign-in.");
  g_assert_cmpstr (ag_account_row_get_state_text (row), ==, "Needs sign-in");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "Needs sign-in · free-tier · proj-ui");
  g_assert_true (gtk_widget_get_visible (ag_account_row_get_fix_button (row)));
  save_screenshot (GTK_WIDGET (window), "accounts-needs-sign-in");

  g_signal_emit_by_name (ag_account_row_get_fix_button (row), "clicked");
  g_assert_cmpstr (ag_window_get_visible_page (window), ==, "add-account");

  /* Signing in again (by refresh token here; the browser sign-in ends the same way) replaces the signed-out
   * account with a working one, in the pool and in the list. */
  ag_proxy_service_add_account_async (ag_application_get_service (app), "rt-ui", NULL, account_added_again, &signed_in);
  wait_until (flag_is_set, &signed_in);
  fresh = ag_account_pool_find (pool, "desktop@example.com");
  g_assert_true (fresh != account);
  g_assert_cmpint (ag_account_get_state (fresh), ==, AG_ACCOUNT_STATE_VALID);
  row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0));
  g_assert_true (ag_account_row_get_account (row) == fresh);
  g_assert_cmpstr (ag_account_row_get_state_text (row), ==, "Active");
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_fix_button (row)));
}

/* An Antigravity IDE state database signed in with rt-ide (the older record: field 6 holds the token info, whose
 * field 3 is the refresh token). */
static char *
make_ide_state (void)
{
  const char info[] = "\x1a\x06rt-ide";
  g_autoptr(GString) state = g_string_new ("\x32");
  g_autofree char *value = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ide-state", NULL);
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

static gboolean
has_two_account_rows (gpointer data)
{
  return gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (window)), 1) != NULL
         && !ag_add_account_page_get_busy (ag_window_get_add_account_page (window));
}

static void
test_import_from_ide (void)
{
  AgAddAccountPage *page = ag_window_get_add_account_page (window);
  GtkListBoxRow *row;

  ag_window_show_page (window, "add-account");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (ag_add_account_page_get_import_button (page))));
  save_screenshot (GTK_WIDGET (window), "add-account");
  g_signal_emit_by_name (ag_add_account_page_get_import_button (page), "clicked");
  g_assert_true (ag_add_account_page_get_busy (page));
  wait_until (has_two_account_rows, NULL);
  row = gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (window)), 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "ide@example.com");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Active · free-tier · proj-ide");
  g_assert_cmpstr (ag_window_get_visible_page (window), ==, "accounts");
}

static guint
post_message (const char *body, const char *expected_header)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = ag_proxy_service_get_url (ag_application_get_service (app));
  g_autofree char *url = g_strconcat (base, "/v1/messages", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, acct_store_result, &slot);
  result = acct_wait (&slot);
  answer = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  if (expected_header != NULL)
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (message), expected_header), ==,
                     "true");
  return soup_message_get_status (message);
}

static gboolean
requests_text_is (gpointer data)
{
  return g_strcmp0 (ag_overview_page_get_requests_text (ag_window_get_overview_page (window)), data) == 0;
}

/* A first run with accounts already in the keyring (added with the CLI) opens the Overview, not Add Account. */
static void
test_first_run_with_accounts (void)
{
  AgProxyService *service = ag_application_get_service (app);

  g_assert_cmpuint (ag_account_pool_get_n_accounts (ag_proxy_service_get_pool (service)), >, 0);
  ag_window_show_page (window, "accounts");
  g_settings_set_boolean (settings, "first-run", TRUE);
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpstr (ag_window_get_visible_page (window), ==, "overview");
  g_assert_false (g_settings_get_boolean (settings, "first-run"));
}

static void
test_counters (void)
{
  AgOverviewPage *page = ag_window_get_overview_page (window);

  ag_window_show_page (window, "overview");
  wait_until (requests_text_is, (gpointer) "0");
  g_assert_cmpstr (ag_overview_page_get_warmups_text (page), ==, "0 since ag-cl started, no quota used");

  g_assert_cmpuint (post_message ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", NULL), ==, 200);
  wait_until (requests_text_is, (gpointer) "1");
  g_assert_cmpuint (post_message ("{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":32000,\"stream\":true,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                                  "\"Warmup\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}",
                                  "X-Warmup-Intercepted"), ==, 200);
  g_assert_cmpstr (ag_overview_page_get_warmups_text (page), ==, "1 since ag-cl started, no quota used");
}

static void
test_sign_in_denied (void)
{
  AgAddAccountPage *page = ag_window_get_add_account_page (window);
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *denied = NULL;

  ag_window_show_page (window, "add-account");
  g_signal_emit_by_name (ag_add_account_page_get_sign_in_button (page), "clicked");
  uri = g_uri_parse (launched_uri, G_URI_FLAGS_NONE, NULL);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  denied = g_strconcat (g_hash_table_lookup (params, "redirect_uri"), "?error=access_denied&state=",
                        (const char *) g_hash_table_lookup (params, "state"), NULL);
  g_free (browse (browser, denied, 200));
  while (ag_add_account_page_get_busy (page))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (ag_add_account_page_get_error_text (page), ==,
                   "You declined access on Google's page, so no account was added.");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (ag_add_account_page_get_sign_in_button (page))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ag_add_account_page_get_cancel_button (page))));
  save_screenshot (GTK_WIDGET (window), "add-account-denied");
}

static void
test_proxy_toggle (void)
{
  AgOverviewPage *page = ag_window_get_overview_page (window);
  GtkSwitch *proxy_switch = ag_overview_page_get_proxy_switch (page);
  AgProxyService *service = ag_application_get_service (app);
  guint port = ag_proxy_service_get_port (service);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);

  ag_window_show_page (window, "overview");
  g_assert_true (gtk_switch_get_active (proxy_switch));
  g_assert_cmpstr (ag_overview_page_get_address_text (page), ==, url);
  g_assert_true (connection_accepted (port));

  gtk_switch_set_active (proxy_switch, FALSE);
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_false (connection_accepted (port));
  g_assert_cmpstr (ag_overview_page_get_status_text (page), ==, "Off");
  g_assert_cmpstr (ag_overview_page_get_address_text (page), ==, "Not listening");
  g_assert_false (g_settings_get_boolean (settings, "proxy-enabled"));

  gtk_switch_set_active (proxy_switch, TRUE);
  g_assert_true (connection_accepted (port));
  g_assert_cmpstr (ag_overview_page_get_status_text (page), ==, "On: Claude Code can connect");
  g_assert_cmpstr (ag_overview_page_get_address_text (page), ==, url);
  g_assert_true (g_settings_get_boolean (settings, "proxy-enabled"));
  save_screenshot (GTK_WIDGET (window), "overview");
}

static void
test_preferences_port (void)
{
  AgPreferencesWindow *preferences = ag_preferences_window_new (settings, ag_application_get_service (app));
  AgProxyService *service = ag_application_get_service (app);
  guint old_port = ag_proxy_service_get_port (service);
  guint new_port = free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", new_port);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_cmpfloat (gtk_spin_button_get_value (ag_preferences_window_get_port_spin (preferences)), ==, old_port);

  gtk_spin_button_set_value (ag_preferences_window_get_port_spin (preferences), new_port);
  g_assert_cmpuint (g_variant_get_uint16 (g_settings_get_value (settings, "port")), ==, new_port);
  g_assert_cmpuint (ag_proxy_service_get_port (service), ==, new_port);
  g_assert_true (connection_accepted (new_port));
  g_assert_false (connection_accepted (old_port));
  g_assert_cmpstr (ag_overview_page_get_address_text (ag_window_get_overview_page (window)), ==, url);
  save_screenshot (GTK_WIDGET (preferences), "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_port_busy_notifies (void)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  AgOverviewPage *page = ag_window_get_overview_page (window);
  guint before = notifications->len;
  guint busy_port = free_port ();
  const char *status;
  GLogLevelFlags fatal_levels;

  g_assert_true (g_socket_listener_add_inet_port (squatter, busy_port, NULL, NULL));
  /* The service also logs the failure as a warning: expected here, so not fatal for this step. */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_settings_set_value (settings, "port", g_variant_new_uint16 ((guint16) busy_port));
  g_assert_false (ag_proxy_service_get_running (ag_application_get_service (app)));
  wait_until (has_notifications, GUINT_TO_POINTER (before + 1));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (notifications, before), "listen-failed\tThe proxy is not running\t"));
  status = ag_overview_page_get_status_text (page);
  g_assert_nonnull (strstr (g_ptr_array_index (notifications, before), status));
  g_assert_false (gtk_switch_get_active (ag_overview_page_get_proxy_switch (page)));
  ag_window_show_page (window, "overview");
  save_screenshot (GTK_WIDGET (window), "overview-port-busy");

  g_log_set_always_fatal (fatal_levels);
  g_socket_listener_close (squatter);
  gtk_switch_set_active (ag_overview_page_get_proxy_switch (page), TRUE);
  g_assert_true (connection_accepted (busy_port));
}

static gboolean
service_has_key_is (gpointer data)
{
  return ag_proxy_service_get_has_api_key (ag_application_get_service (app)) == GPOINTER_TO_INT (data);
}

static void
api_key_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_proxy_service_clear_api_key_finish (AG_PROXY_SERVICE (source), result, &error));
  g_assert_no_error (error);
}

/* The Local API Key row follows the key, and the address row explains why a network address is refused. */
static void
test_preferences_api_key (void)
{
  AgProxyService *service = ag_application_get_service (app);
  AgPreferencesWindow *preferences = ag_preferences_window_new (settings, service);
  AdwActionRow *key_row = ag_preferences_window_get_api_key_row (preferences);
  AdwActionRow *status_row = ag_preferences_window_get_address_status_row (preferences);
  guint port = ag_proxy_service_get_port (service);
  g_autoptr(GError) error = NULL;
  GLogLevelFlags fatal_levels;

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (ag_proxy_service_get_has_api_key (service));
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==, "Not set: only clients on this computer can connect");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_row)));

  /* A network address without a key: the listener stops and the row says why (the service also warns). */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_settings_set_string (settings, "listen-address", "0.0.0.0");
  g_log_set_always_fatal (fatal_levels);
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (status_row), ==,
                   "ag-cl refuses 0.0.0.0 without a local API key: generate one below, or use 127.0.0.1");

  gtk_widget_activate (GTK_WIDGET (ag_preferences_window_get_api_key_generate_button (preferences)));
  wait_until (service_has_key_is, GINT_TO_POINTER (TRUE));
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==,
                   "Set: every client must send it; addresses beyond loopback are allowed");
  g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}$", ag_proxy_service_get_api_key (service), 0, 0));
  ag_test_add_secret (ag_proxy_service_get_api_key (service));
  g_assert_true (ag_application_set_proxy_enabled (app, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ag_proxy_service_get_address (service), ==, "0.0.0.0");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_assert_true (connection_accepted (port));
  settle (100);
  save_screenshot (GTK_WIDGET (preferences), "preferences-api-key");

  /* Removing the key closes the network listener at once; back on loopback it needs no key. */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  ag_proxy_service_clear_api_key_async (service, NULL, api_key_cleared, NULL);
  wait_until (service_has_key_is, GINT_TO_POINTER (FALSE));
  g_log_set_always_fatal (fatal_levels);
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_cmpstr (adw_action_row_get_subtitle (key_row), ==, "Not set: only clients on this computer can connect");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_settings_set_string (settings, "listen-address", "127.0.0.1");
  g_assert_true (ag_application_set_proxy_enabled (app, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_row)));
  g_assert_true (connection_accepted (port));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* After every flow above (sign-in, IDE import, API key, port and address changes): the settings store on disk and
 * the data directory hold none of the tokens those flows handled, nor the local API key. */
static void
test_no_secret_at_rest (void)
{
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_settings_sync ();
  g_assert_true (g_file_get_contents (keyfile, &contents, &length, NULL));
  /* The store really is the one this app wrote to. */
  g_assert_nonnull (strstr (contents, "listen-address='127.0.0.1'"));
  ag_test_assert_no_secret (keyfile, contents, (gssize) length);
  ag_test_assert_no_secret_in_directory (g_getenv ("AGCL_DATA_DIR"));
}

static gboolean
window_ready (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ide_state = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *history = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *keyfile = NULL;
  int status;

  /* A settings store on disk, fresh for each run (the other suites use the memory backend): scanned for secrets
   * at the end. Set before anything reads the user's configuration folder. */
  config_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ui-config", NULL);
  keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_remove (keyfile);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  /* Its own keyring profile: integration tests running at the same time use "test". */
  g_setenv ("AGCL_PROFILE", "test-ui", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  /* Xvfb has no GPU; probing GL only loads (and leaks from) the software driver. */
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (run the ui suite under xvfb-run)\n");
      return 0;
    }
  data_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ui-data", NULL);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat ("history.db", suffixes[i], NULL);

      g_clear_pointer (&history, g_free);
      history = g_build_filename (data_dir, file, NULL);
      g_remove (history);
    }
  g_setenv ("AGCL_DATA_DIR", data_dir, TRUE);
  ide_state = make_ide_state ();
  g_setenv ("AGCL_ANTIGRAVITY_STATE_DB", ide_state, TRUE);
  start_notification_server ();
  mock = acct_mock_start (accounts_script);
  settings = ag_settings_new ();
  g_assert_nonnull (settings);
  g_settings_set_value (settings, "port", g_variant_new_uint16 ((guint16) free_port ()));

  app = ag_application_new (settings, NULL, -1, FALSE);
  ag_application_set_uri_launcher (app, record_uri, NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = AG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  wait_until (window_ready, NULL);
  g_assert_false (g_settings_get_boolean (settings, "first-run"));
  g_assert_cmpstr (ag_window_get_visible_page (window), ==, "add-account");

  g_test_add_func ("/ui/add-account/sign-in", test_add_account_by_sign_in);
  g_test_add_func ("/ui/accounts/needs-sign-in", test_account_needs_sign_in);
  g_test_add_func ("/ui/add-account/import-ide", test_import_from_ide);
  g_test_add_func ("/ui/add-account/denied", test_sign_in_denied);
  g_test_add_func ("/ui/overview/first-run-with-accounts", test_first_run_with_accounts);
  g_test_add_func ("/ui/overview/counters", test_counters);
  g_test_add_func ("/ui/overview/proxy-toggle", test_proxy_toggle);
  g_test_add_func ("/ui/preferences/port", test_preferences_port);
  g_test_add_func ("/ui/overview/port-busy", test_port_busy_notifies);
  g_test_add_func ("/ui/preferences/api-key", test_preferences_api_key);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  status = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_clear_object (&app);
  g_clear_object (&settings);
  g_clear_object (&mock);
  g_free (launched_uri);
  g_ptr_array_unref (notifications);
  return status;
}
