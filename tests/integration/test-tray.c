/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tray indicator against a fake StatusNotifierWatcher on a private session bus (GTestDBus): registration,
 * properties, the dbusmenu layout, and clicks that really stop and start the proxy's listener. All D-Bus calls are
 * asynchronous with the main context iterated: the item is served on this same thread. */
#include "config.h"

#include "ag-proxy-service.h"
#include "ag-test.h"
#include "ag-tray.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define MENU_INTERFACE "com.canonical.dbusmenu"
#define TIMEOUT_S 10

static const char watcher_xml[] =
  "<node><interface name='org.kde.StatusNotifierWatcher'>"
  " <method name='RegisterStatusNotifierItem'><arg name='service' type='s' direction='in'/></method>"
  "</interface></node>";

/* The fake watcher: owns the well-known name on its own connection and records registrations. */
typedef struct {
  GDBusConnection *connection;
  guint            registration_id;
  guint            owner_id;
  gboolean         acquired;
  GPtrArray       *registered;   /* "service" arguments */
} Watcher;

typedef struct {
  GApplication    *app;
  AgProxyService  *service;
  AgTray          *tray;
  GDBusConnection *client;       /* the host's side */
  char            *item_name;    /* the app connection's unique name */
  Watcher         *watcher;
  guint            show_window;
  guint            copy_settings;
  guint            quit;
  GPtrArray       *pages;        /* the targets app.show-page was activated with */
  GPtrArray       *signals;      /* "Member" or "Member:args" seen on the item's objects */
  guint            signal_id;
} Fixture;

#define WAIT_FOR(condition) AG_TEST_WAIT (condition, TIMEOUT_S * 1000)

static GDBusConnection *
new_bus_connection (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL,
    &error);

  g_assert_no_error (error);
  return connection;
}

static void
watcher_method_call (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
                     const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer data)
{
  Watcher *watcher = data;
  const char *service;

  g_variant_get (parameters, "(&s)", &service);
  g_ptr_array_add (watcher->registered, g_strdup (service));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable watcher_vtable = { watcher_method_call, NULL, NULL, { 0 } };

static void
on_watcher_name_acquired (GDBusConnection *connection, const char *name, gpointer data)
{
  ((Watcher *) data)->acquired = TRUE;
}

static Watcher *
watcher_start (void)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);
  g_autoptr(GError) error = NULL;
  Watcher *watcher = g_new0 (Watcher, 1);

  watcher->registered = g_ptr_array_new_with_free_func (g_free);
  watcher->connection = new_bus_connection ();
  watcher->registration_id = g_dbus_connection_register_object (watcher->connection, "/StatusNotifierWatcher",
                                                                info->interfaces[0], &watcher_vtable, watcher,
                                                                NULL, &error);
  g_assert_no_error (error);
  watcher->owner_id = g_bus_own_name_on_connection (watcher->connection, WATCHER_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                                    on_watcher_name_acquired, NULL, watcher, NULL);
  WAIT_FOR (watcher->acquired);
  return watcher;
}

static void
watcher_stop (Watcher *watcher)
{
  g_bus_unown_name (watcher->owner_id);
  g_dbus_connection_unregister_object (watcher->connection, watcher->registration_id);
  g_dbus_connection_close_sync (watcher->connection, NULL, NULL);
  g_object_unref (watcher->connection);
  g_ptr_array_unref (watcher->registered);
  g_free (watcher);
}

static void
count_activation (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  guint *count = data;
  (*count)++;
}

static void
record_page (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  g_ptr_array_add (data, g_variant_dup_string (parameter, NULL));
}

static void
on_item_signal (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
                const char *member, GVariant *parameters, gpointer data)
{
  Fixture *f = data;

  if (g_str_equal (member, "NewStatus"))
    {
      const char *status;
      g_variant_get (parameters, "(&s)", &status);
      g_ptr_array_add (f->signals, g_strdup_printf ("NewStatus:%s", status));
    }
  else
    g_ptr_array_add (f->signals, g_strdup (member));
}

static void
fixture_set_up (Fixture *f, gconstpointer with_watcher)
{
  g_autoptr(GError) error = NULL;
  static const char *const actions[] = { "show-window", "copy-claude-settings", "quit" };
  guint *counters[] = { &f->show_window, &f->copy_settings, &f->quit };

  if (GPOINTER_TO_INT (with_watcher))
    f->watcher = watcher_start ();

  f->app = g_application_new ("io.github.agcl.AgCl.TrayTest", G_APPLICATION_NON_UNIQUE);
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (actions[i], NULL);
      g_signal_connect (action, "activate", G_CALLBACK (count_activation), counters[i]);
      g_action_map_add_action (G_ACTION_MAP (f->app), G_ACTION (action));
    }
  f->pages = g_ptr_array_new_with_free_func (g_free);
  {
    g_autoptr(GSimpleAction) show_page = g_simple_action_new ("show-page", G_VARIANT_TYPE_STRING);

    g_signal_connect (show_page, "activate", G_CALLBACK (record_page), f->pages);
    g_action_map_add_action (G_ACTION_MAP (f->app), G_ACTION (show_page));
  }
  g_application_register (f->app, NULL, &error);
  g_assert_no_error (error);
  f->item_name = g_strdup (g_dbus_connection_get_unique_name (g_application_get_dbus_connection (f->app)));

  f->service = ag_proxy_service_new (NULL, &error);
  g_assert_no_error (error);
  ag_proxy_service_set_listen_override (f->service, "127.0.0.1", (int) ag_test_free_port ());
  ag_proxy_service_start (f->service, &error);
  g_assert_no_error (error);

  f->client = new_bus_connection ();
  f->signals = g_ptr_array_new_with_free_func (g_free);
  f->signal_id = g_dbus_connection_signal_subscribe (f->client, f->item_name, NULL, NULL, NULL, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, on_item_signal, f, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer with_watcher)
{
  g_dbus_connection_signal_unsubscribe (f->client, f->signal_id);
  g_clear_object (&f->tray);
  g_object_unref (f->service);
  g_object_unref (f->app);
  g_dbus_connection_close_sync (f->client, NULL, NULL);
  g_object_unref (f->client);
  g_ptr_array_unref (f->signals);
  g_ptr_array_unref (f->pages);
  g_free (f->item_name);
  if (f->watcher != NULL)
    watcher_stop (f->watcher);
  /* Let queued idles and D-Bus replies for the disposed objects run out. */
  ag_test_flush ();
}

/* Calls the item (path, interface, method) as a host would; NULL and @error on a D-Bus error. */
static GVariant *
call_item (Fixture *f, const char *path, const char *interface, const char *method, GVariant *parameters,
           GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (g_dbus_connection_call, f->client, f->item_name, path,
                                                       interface, method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE,
                                                       TIMEOUT_S * 1000, NULL);

  return g_dbus_connection_call_finish (f->client, result, error);
}

static GVariant *
call_item_ok (Fixture *f, const char *path, const char *interface, const char *method, GVariant *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = call_item (f, path, interface, method, parameters, &error);

  g_assert_no_error (error);
  return reply;
}

static GVariant *
get_all_item_properties (Fixture *f)
{
  g_autoptr(GVariant) reply = call_item_ok (f, "/StatusNotifierItem", "org.freedesktop.DBus.Properties", "GetAll",
                                            g_variant_new ("(s)", ITEM_INTERFACE));
  return g_variant_get_child_value (reply, 0);
}

static char *
item_string (Fixture *f, const char *name)
{
  g_autoptr(GVariant) all = get_all_item_properties (f);
  g_autoptr(GVariant) value = g_variant_lookup_value (all, name, G_VARIANT_TYPE_STRING);

  g_assert_nonnull (value);
  return g_variant_dup_string (value, NULL);
}

static void
wait_available (Fixture *f)
{
  WAIT_FOR (ag_tray_get_available (f->tray));
}

/* Returns the account as the pool holds it. */
static AgAccount *
add_account (Fixture *f, const char *email)
{
  AgAccount *account = ag_account_new (email, "project-1", "refresh-token");

  ag_account_pool_add (ag_proxy_service_get_pool (f->service), account);
  g_object_unref (account);
  return account;
}

/* The root's children as "id|type|label|toggle-state|enabled" lines, to assert the whole menu at once. */
static char *
describe_layout (Fixture *f, guint *revision)
{
  g_autoptr(GVariant) reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "GetLayout",
                                            g_variant_new ("(ii@as)", 0, -1, g_variant_new_strv (NULL, 0)));
  g_autoptr(GVariant) root = NULL;
  g_autoptr(GVariant) root_properties = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *display = NULL;
  int root_id;

  g_variant_get (reply, "(u@(ia{sv}av))", revision, &root);
  g_variant_get (root, "(i@a{sv}@av)", &root_id, &root_properties, &children);
  g_assert_cmpint (root_id, ==, 0);
  g_assert_true (g_variant_lookup (root_properties, "children-display", "&s", &display));
  g_assert_cmpstr (display, ==, "submenu");

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) properties = NULL;
      g_autoptr(GVariant) grandchildren = NULL;
      const char *type = "standard", *label = "";
      gboolean enabled = TRUE;
      int id, toggle = -1;

      g_variant_get (child, "(i@a{sv}@av)", &id, &properties, &grandchildren);
      g_assert_cmpuint (g_variant_n_children (grandchildren), ==, 0);
      g_variant_lookup (properties, "type", "&s", &type);
      g_variant_lookup (properties, "label", "&s", &label);
      g_variant_lookup (properties, "enabled", "b", &enabled);
      g_variant_lookup (properties, "toggle-state", "i", &toggle);
      g_string_append_printf (text, "%d|%s|%s|%d|%d\n", id, type, label, toggle, enabled);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
click (Fixture *f, int id)
{
  G_GNUC_UNUSED g_autoptr(GVariant) reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "Event",
                                            g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0));
}

/* What libdbusmenu hosts (Xfce, MATE, Budgie) send instead of Event. */
static void
click_group (Fixture *f, int id)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) errors = NULL;
  GVariantBuilder events;

  g_variant_builder_init (&events, G_VARIANT_TYPE ("a(isvu)"));
  g_variant_builder_add (&events, "(isvu)", id, "clicked", g_variant_new_int32 (0), 0);
  reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "EventGroup", g_variant_new ("(a(isvu))", &events));
  errors = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (errors), ==, 0);
}

static gboolean
port_accepts (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) port, NULL, &error);
  if (connection == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  return connection != NULL;
}

static gboolean
has_signal (Fixture *f, const char *name)
{
  for (guint i = 0; i < f->signals->len; i++)
    if (g_str_equal (g_ptr_array_index (f->signals, i), name))
      return TRUE;
  return FALSE;
}

static void
assert_printed (GVariant *value, const char *expected)
{
  g_autofree char *printed = g_variant_print (value, FALSE);
  g_assert_cmpstr (printed, ==, expected);
}

static void
test_registers_with_watcher (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) bytes = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected_tooltip = NULL;
  const char *icon_name, *tooltip_title, *tooltip_text;
  const char *s;
  gboolean b;
  int width, height;

  add_account (f, "ready@example.com");
  f->tray = ag_tray_new (f->service, f->app);
  wait_available (f);
  g_assert_cmpuint (f->watcher->registered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->watcher->registered, 0), ==, f->item_name);

  all = get_all_item_properties (f);
  g_assert_true (g_variant_lookup (all, "Category", "&s", &s));
  g_assert_cmpstr (s, ==, "ApplicationStatus");
  g_assert_true (g_variant_lookup (all, "Id", "&s", &s));
  g_assert_cmpstr (s, ==, AG_APP_ID);
  g_assert_true (g_variant_lookup (all, "Title", "&s", &s));
  g_assert_cmpstr (s, ==, "ag-cl");
  g_assert_true (g_variant_lookup (all, "Status", "&s", &s));
  g_assert_cmpstr (s, ==, "Active");
  g_assert_true (g_variant_lookup (all, "IconName", "&s", &s));
  g_assert_cmpstr (s, ==, AG_APP_ID "-symbolic");
  g_assert_true (g_variant_lookup (all, "ItemIsMenu", "b", &b));
  g_assert_false (b);
  g_assert_true (g_variant_lookup (all, "Menu", "&o", &s));
  g_assert_cmpstr (s, ==, "/MenuBar");

  /* Four sizes, ARGB: the first is 16×16 with an opaque blue centre (A, R, G, B = ff 35 84 e4). */
  pixmaps = g_variant_lookup_value (all, "IconPixmap", G_VARIANT_TYPE ("a(iiay)"));
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 4);
  first = g_variant_get_child_value (pixmaps, 0);
  g_variant_get (first, "(ii@ay)", &width, &height, &bytes);
  g_assert_cmpint (width, ==, 16);
  g_assert_cmpint (height, ==, 16);
  g_assert_cmpuint (g_variant_n_children (bytes), ==, 16 * 16 * 4);
  {
    gsize n;
    const guint8 *px = g_variant_get_fixed_array (bytes, &n, 1);
    const guint8 *centre = px + (8 * 16 + 8) * 4;
    const guint8 *corner = px;

    g_assert_cmpuint (centre[0], ==, 0xff);
    g_assert_cmpuint (centre[1], ==, 0x35);
    g_assert_cmpuint (centre[2], ==, 0x84);
    g_assert_cmpuint (centre[3], ==, 0xe4);
    g_assert_cmpuint (corner[0], ==, 0);
  }

  url = ag_proxy_service_get_url (f->service);
  expected_tooltip = g_strdup_printf ("Listening on %s\n1 of 1 account ready", url);
  g_assert_true (g_variant_lookup (all, "ToolTip", "(&sa(iiay)&s&s)", &icon_name, NULL, &tooltip_title,
                                   &tooltip_text));
  g_assert_cmpstr (icon_name, ==, AG_APP_ID "-symbolic");
  g_assert_cmpstr (tooltip_title, ==, "ag-cl");
  g_assert_cmpstr (tooltip_text, ==, expected_tooltip);
}

/* The whole menu as describe_layout shows it, with the proxy on and @account_line as the one line of accounts. */
#define MENU_LAYOUT(account_line)              \
  "1|standard|Show ag-cl|-1|1\n"               \
  "2|standard|Proxy on|1|1\n"                  \
  "3|separator||-1|1\n"                        \
  "4|standard|" account_line "\n"              \
  "5|separator||-1|1\n"                        \
  "6|standard|Copy Claude Code settings|-1|1\n" \
  "7|standard|Quit|-1|1\n"

/* Once the item has told its host of a new icon and changed items, its icon and the "Proxy on" check say @on. */
static void
assert_proxy_shown (Fixture *f, gboolean on)
{
  g_autofree char *icon = NULL;
  g_autofree char *layout = NULL;
  guint revision;

  WAIT_FOR (has_signal (f, "NewIcon") && has_signal (f, "ItemsPropertiesUpdated"));
  icon = item_string (f, "IconName");
  g_assert_cmpstr (icon, ==, on ? AG_APP_ID "-symbolic" : AG_APP_ID "-off-symbolic");
  layout = describe_layout (f, &revision);
  g_assert_true (g_str_has_prefix (layout, on ? "1|standard|Show ag-cl|-1|1\n2|standard|Proxy on|1|1\n"
                                              : "1|standard|Show ag-cl|-1|1\n2|standard|Proxy on|0|1\n"));
}

static void
test_proxy_toggle (Fixture *f, gconstpointer data)
{
  guint port = ag_proxy_service_get_port (f->service);
  g_autofree char *layout = NULL;
  guint revision;

  add_account (f, "first_user@example.com");
  f->tray = ag_tray_new (f->service, f->app);
  wait_available (f);

  layout = describe_layout (f, &revision);
  /* The underscore of the e-mail address is doubled: dbusmenu reads a single one as a mnemonic. */
  g_assert_cmpstr (layout, ==, MENU_LAYOUT ("first__user@example.com — Ready|-1|0"));
  g_assert_true (port_accepts (port));

  /* Off, through EventGroup as Xfce sends it. */
  click_group (f, 2);
  WAIT_FOR (!ag_proxy_service_get_running (f->service));
  g_assert_false (port_accepts (port));
  assert_proxy_shown (f, FALSE);
  /* The check changed in place: the layout did not. */
  g_assert_false (has_signal (f, "LayoutUpdated"));

  /* On again, through Event; same port. */
  g_ptr_array_set_size (f->signals, 0);
  click (f, 2);
  WAIT_FOR (ag_proxy_service_get_running (f->service));
  g_assert_cmpuint (ag_proxy_service_get_port (f->service), ==, port);
  g_assert_true (port_accepts (port));
  assert_proxy_shown (f, TRUE);
}

/* The id of the line of @layout (describe_layout) that holds @needle. */
static int
item_id (const char *layout, const char *needle)
{
  const char *found = strstr (layout, needle);
  const char *line = found;

  g_assert_nonnull (found);
  while (line > layout && line[-1] != '\n')
    line--;
  return atoi (line);
}

static void
test_accounts_follow_pool (Fixture *f, gconstpointer data)
{
  g_autofree char *layout = NULL;
  g_autofree char *status = NULL;
  AgAccount *account;
  guint first_revision, revision;

  f->tray = ag_tray_new (f->service, f->app);
  wait_available (f);

  /* Listening with no account to serve: needs attention. */
  status = item_string (f, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  layout = describe_layout (f, &first_revision);
  g_assert_nonnull (strstr (layout, "|standard|No accounts|-1|0\n"));

  account = add_account (f, "new@example.com");
  WAIT_FOR (has_signal (f, "LayoutUpdated") && has_signal (f, "NewStatus:Active"));
  g_clear_pointer (&layout, g_free);
  layout = describe_layout (f, &revision);
  g_assert_cmpuint (revision, >, first_revision);
  g_assert_nonnull (strstr (layout, "|standard|new@example.com — Ready|-1|0\n"));
  g_assert_null (strstr (layout, "No accounts"));

  /* Disabling the only account: its line changes in place, and the item asks for attention again. */
  g_ptr_array_set_size (f->signals, 0);
  ag_account_set_enabled (account, FALSE);
  WAIT_FOR (has_signal (f, "ItemsPropertiesUpdated") && has_signal (f, "NewStatus:NeedsAttention"));
  g_assert_false (has_signal (f, "LayoutUpdated"));
  g_clear_pointer (&layout, g_free);
  layout = describe_layout (f, &first_revision);
  g_assert_cmpuint (first_revision, ==, revision);
  g_assert_nonnull (strstr (layout, "|standard|new@example.com — Disabled|-1|0\n"));

  g_ptr_array_set_size (f->signals, 0);
  ag_account_set_state (account, AG_ACCOUNT_STATE_SIGNED_OUT, "Sign in again", NULL);
  ag_account_set_enabled (account, TRUE);
  WAIT_FOR (has_signal (f, "ItemsPropertiesUpdated"));
  g_clear_pointer (&layout, g_free);
  layout = describe_layout (f, &revision);
  g_assert_nonnull (strstr (layout, "|standard|new@example.com — Needs sign-in|-1|1\n"));

  /* That line is the way to the sign-in: it opens the Accounts page. */
  click (f, item_id (layout, "|standard|new@example.com — Needs sign-in|"));
  WAIT_FOR (f->pages->len == 1);
  g_assert_cmpstr (g_ptr_array_index (f->pages, 0), ==, "accounts");
}

static void
test_actions (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) id_errors = NULL;
  g_autoptr(GVariant) updates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *layout = NULL;
  guint revision;
  gboolean need_update = TRUE;

  f->tray = ag_tray_new (f->service, f->app);
  wait_available (f);
  layout = describe_layout (f, &revision);
  g_assert_cmpstr (layout, ==, MENU_LAYOUT ("No accounts|-1|0"));

  /* Left click on the icon, then the menu items. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_item_ok (f, "/StatusNotifierItem", ITEM_INTERFACE, "Activate", g_variant_new ("(ii)", 10, 10));
  g_assert_cmpuint (f->show_window, ==, 1);
  /* "Show ag-cl" opens the Overview. */
  click (f, 1);
  WAIT_FOR (f->pages->len == 1);
  g_assert_cmpstr (g_ptr_array_index (f->pages, 0), ==, "overview");
  click_group (f, 6);
  WAIT_FOR (f->copy_settings == 1);
  click (f, 7);
  WAIT_FOR (f->quit == 1);
  g_assert_cmpuint (f->show_window, ==, 1);
  g_assert_cmpuint (f->pages->len, ==, 1);

  /* Hosts must fall back to the Menu object. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_item (f, "/StatusNotifierItem", ITEM_INTERFACE, "ContextMenu", g_variant_new ("(ii)", 0, 0), &error);
  g_assert_null (reply);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
  g_clear_error (&error);

  /* Unknown ids are errors, as libdbusmenu expects. */
  reply = call_item (f, "/MenuBar", MENU_INTERFACE, "Event",
                     g_variant_new ("(isvu)", 999, "clicked", g_variant_new_int32 (0), 0), &error);
  g_assert_null (reply);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "AboutToShowGroup", g_variant_new_parsed ("([0, 2, 999],)"));
  g_variant_get (reply, "(@ai@ai)", &updates, &id_errors);
  g_assert_cmpuint (g_variant_n_children (updates), ==, 0);
  g_assert_cmpuint (g_variant_n_children (id_errors), ==, 1);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "AboutToShow", g_variant_new ("(i)", 0));
  g_variant_get (reply, "(b)", &need_update);
  g_assert_false (need_update);

  /* GetProperty and GetGroupProperties with a property filter. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "GetProperty", g_variant_new ("(is)", 2, "toggle-type"));
  assert_printed (reply, "(<'checkmark'>,)");
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_item_ok (f, "/MenuBar", MENU_INTERFACE, "GetGroupProperties",
                        g_variant_new_parsed ("([1, 7], ['label'])"));
  assert_printed (reply, "([(1, {'label': <'Show ag-cl'>}), (7, {'label': <'Quit'>})],)");
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_item_ok (f, "/MenuBar", "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", MENU_INTERFACE, "Version"));
  assert_printed (reply, "(<uint32 3>,)");
}

static void
record_email (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  char **email = data;

  g_free (*email);
  *email = g_variant_dup_string (parameter, NULL);
}

/* With an Antigravity folder on the machine, a usable account's line is followed by "Use in Antigravity", which
 * asks the application (app.use-in-antigravity) to switch to that account; an unusable account gets none. */
static void
test_use_in_antigravity (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("ag-tray-ide-XXXXXX", NULL);
  g_autofree char *global = g_build_filename (dir, "User", "globalStorage", NULL);
  g_autofree char *storage = g_build_filename (global, "storage.json", NULL);
  g_autoptr(GSimpleAction) action = g_simple_action_new ("use-in-antigravity", G_VARIANT_TYPE_STRING);
  g_autofree char *email = NULL;
  g_autofree char *layout = NULL;
  AgAccount *disabled;
  guint revision;

  g_assert_cmpint (g_mkdir_with_parents (global, 0700), ==, 0);
  g_assert_true (g_file_set_contents (storage, "{}", -1, NULL));
  g_setenv ("AGCL_ANTIGRAVITY_CONFIG_DIR", dir, TRUE);
  g_signal_connect (action, "activate", G_CALLBACK (record_email), &email);
  g_action_map_add_action (G_ACTION_MAP (f->app), G_ACTION (action));
  add_account (f, "a_b@example.com");
  disabled = add_account (f, "off@example.com");
  ag_account_set_enabled (disabled, FALSE);

  f->tray = ag_tray_new (f->service, f->app);
  wait_available (f);
  WAIT_FOR (({ g_autofree char *now = describe_layout (f, &revision); strstr (now, "Use in Antigravity") != NULL; }));
  layout = describe_layout (f, &revision);
  /* The item came after the first menu (ids 1–8), so it has the next id; its place is under its account. */
  g_assert_nonnull (strstr (layout, "4|standard|a__b@example.com — Ready|-1|0\n"
                                    "9|standard|Use in Antigravity|-1|1\n"
                                    "5|standard|off@example.com — Disabled|-1|0\n"
                                    "6|separator||-1|1\n"));
  click (f, 9);
  WAIT_FOR (email != NULL);
  g_assert_cmpstr (email, ==, "a_b@example.com");
  g_unsetenv ("AGCL_ANTIGRAVITY_CONFIG_DIR");
  ag_test_remove_tree (dir);
}

static void
test_no_watcher (Fixture *f, gconstpointer data)
{
  g_autofree char *layout = NULL;
  guint revision;

  f->tray = ag_tray_new (f->service, f->app);
  /* The item is exported and works even though no host will show it. */
  layout = describe_layout (f, &revision);
  g_assert_nonnull (strstr (layout, "2|standard|Proxy on|1|1\n"));
  g_assert_false (ag_tray_get_available (f->tray));

  /* A panel that starts later gets the item. */
  f->watcher = watcher_start ();
  wait_available (f);
  g_assert_cmpuint (f->watcher->registered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->watcher->registered, 0), ==, f->item_name);

  /* A panel restart: it vanishes, then the new one gets a new registration. */
  watcher_stop (f->watcher);
  f->watcher = NULL;
  WAIT_FOR (!ag_tray_get_available (f->tray));
  f->watcher = watcher_start ();
  wait_available (f);
  g_assert_cmpuint (f->watcher->registered->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

#define ADD(name, watcher, func) \
  g_test_add (name, Fixture, GINT_TO_POINTER (watcher), fixture_set_up, func, fixture_tear_down)
  ADD ("/tray/registers-with-watcher", TRUE, test_registers_with_watcher);
  ADD ("/tray/proxy-toggle", TRUE, test_proxy_toggle);
  ADD ("/tray/accounts-follow-pool", TRUE, test_accounts_follow_pool);
  ADD ("/tray/actions", TRUE, test_actions);
  ADD ("/tray/no-watcher", FALSE, test_no_watcher);
  ADD ("/tray/use-in-antigravity", TRUE, test_use_in_antigravity);
#undef ADD

  status = g_test_run ();
  g_test_dbus_down (bus);
  return status;
}
