/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop app as a whole (under Xvfb) against the in-process mock: which page a first run opens, the proxy
 * switch as an application action, closing the window (destroyed; the proxy stays in the tray), and toasts in a narrow
 * window. */
#include <string.h>
#include "ui-test-util.h"
#include "ag-overview-page-private.h"

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

static gboolean
action_state (const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (ui.app), name);

  return g_variant_get_boolean (state);
}

/* app.proxy-enabled (the Overview's switch) turns the proxy on and off and remembers it; its state is whether the
 * proxy runs. A start that cannot listen is announced like any other: a notification, and the reason in the
 * Overview. */
static void
test_proxy_enabled_action (void)
{
  GActionGroup *actions = G_ACTION_GROUP (ui.app);
  AgProxyService *service = ag_application_get_service (ui.app);
  AgOverviewPage *page = ag_window_get_overview_page (ui.window);
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  guint port = ag_proxy_service_get_port (service);
  guint before;

  g_assert_true (ag_proxy_service_get_running (service));
  g_assert_true (action_state ("proxy-enabled"));

  g_action_group_activate_action (actions, "proxy-enabled", g_variant_new_boolean (FALSE));
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_false (action_state ("proxy-enabled"));
  g_assert_false (g_settings_get_boolean (ui.settings, "proxy-enabled"));
  g_assert_false (gtk_switch_get_active (ag_overview_page_get_proxy_switch (page)));

  g_assert_true (g_socket_listener_add_inet_port (squatter, port, NULL, NULL));
  before = ui.notifications->len;
  g_action_group_activate_action (actions, "proxy-enabled", g_variant_new_boolean (TRUE));
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_false (action_state ("proxy-enabled"));
  g_assert_false (g_settings_get_boolean (ui.settings, "proxy-enabled"));
  ui_wait_until (ui_has_notifications, GUINT_TO_POINTER (before + 1));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ui.notifications, before),
                                   "listen-failed\tThe proxy is not running\t"));
  g_assert_nonnull (strstr (g_ptr_array_index (ui.notifications, before),
                            ag_overview_page_get_status_text (page)));

  g_socket_listener_close (squatter);
  g_action_group_activate_action (actions, "proxy-enabled", g_variant_new_boolean (TRUE));
  g_assert_true (ag_proxy_service_get_running (service));
  g_assert_true (action_state ("proxy-enabled"));
  g_assert_true (g_settings_get_boolean (ui.settings, "proxy-enabled"));
  g_assert_true (gtk_switch_get_active (ag_overview_page_get_proxy_switch (page)));
  g_assert_true (ui_connection_accepted (port));
}

static gboolean
window_is_gone (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

/* Closing the window destroys it (in the tray ag-cl keeps only what the proxy and the tray need) and the proxy
 * keeps serving; app.show-window (a click on the tray icon) brings a new one. */
static void
test_close_destroys (void)
{
  guint port = ag_proxy_service_get_port (ag_application_get_service (ui.app));
  GtkWidget *closed = GTK_WIDGET (ui.window);

  g_object_add_weak_pointer (G_OBJECT (closed), (gpointer *) &closed);
  gtk_window_close (GTK_WINDOW (ui.window));
  ui_wait_until (window_is_gone, &closed);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (ui.app)));
  g_assert_true (ui_connection_accepted (port));
  g_action_group_activate_action (G_ACTION_GROUP (ui.host), "show-window", NULL);
  ui.window = AG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (ui.app)));
  g_assert_nonnull (ui.window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ui.window)));
}

/* app.show-page from another process opens the window on that page, whether the window was closed (a new one is
 * made) or on another page. */
static void
test_show_page_from_another_process (void)
{
  static const char *const pages[] = { "usage", "requests", "accounts", "overview" };
  GtkWidget *closed = GTK_WIDGET (ui.window);

  g_object_add_weak_pointer (G_OBJECT (closed), (gpointer *) &closed);
  gtk_window_close (GTK_WINDOW (ui.window));
  ui_wait_until (window_is_gone, &closed);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      ui_activate_remotely ("show-page", g_variant_new_string (pages[i]));
      ui.window = AG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (ui.app)));
      g_assert_nonnull (ui.window);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ui.window)));
      g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, pages[i]);
      if (i == 0)
        {
          ui_settle (300);
          ui_save_screenshot (GTK_WIDGET (ui.window), "window-show-page-usage");
        }
    }
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (ui.app))), ==, 1);
}

/* "desktop@example.com needs attention" carries app.show-page("accounts"): clicking it (the notification server
 * activates the default action over D-Bus) opens the Accounts page. */
static void
test_notification_opens_accounts (void)
{
  AgAccountPool *pool = ag_proxy_service_get_pool (ag_application_get_service (ui.app));
  g_autoptr(AgAccount) account = ag_account_pool_find (pool, "desktop@example.com");
  guint before = ui.notification_actions->len;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GVariant) target = NULL;

  g_assert_nonnull (account);
  ag_window_show_page (ui.window, "usage");
  ag_account_pool_invalidate (pool, account, AG_ACCOUNT_STATE_SIGNED_OUT, "Google revoked the sign-in.", NULL);
  ui_wait_until (ui_has_notifications, GUINT_TO_POINTER (before + 1));
  g_assert_cmpstr (g_ptr_array_index (ui.notification_actions, before), ==,
                   "account-desktop@example.com\tapp.show-page\t'accounts'");
  fields = g_strsplit (g_ptr_array_index (ui.notification_actions, before), "\t", 3);
  target = g_variant_parse (NULL, fields[2], NULL, NULL, NULL);
  ui_activate_remotely (fields[1] + strlen ("app."), g_steal_pointer (&target));
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "accounts");
}

static GtkWidget *
find_descendant (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_toast (GtkWidget *widget)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), "toast"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toast (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
window_is_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (ui.window)) <= 400;
}

/* In a narrow window the page switcher moves to a bar at the bottom; a toast shows above it, never over it. */
static void
test_narrow_toast (void)
{
  GtkWidget *bar = find_descendant (GTK_WIDGET (ui.window), ADW_TYPE_VIEW_SWITCHER_BAR);
  GtkWidget *toast;
  graphene_rect_t bar_bounds, toast_bounds;

  g_assert_nonnull (bar);
  gtk_window_set_default_size (GTK_WINDOW (ui.window), 360, 600);
  ui_wait_until (window_is_narrow, NULL);
  ag_window_show_page (ui.window, "add-account");
  gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.toast", "s", "desktop@example.com was added");
  ui_settle (500);
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)));
  toast = find_toast (GTK_WIDGET (ui.window));
  g_assert_nonnull (toast);
  g_assert_true (gtk_widget_compute_bounds (bar, GTK_WIDGET (ui.window), &bar_bounds));
  g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (ui.window), &toast_bounds));
  g_assert_cmpfloat (toast_bounds.origin.y + toast_bounds.size.height, <=, bar_bounds.origin.y);
  ui_save_screenshot (GTK_WIDGET (ui.window), "window-narrow");
  gtk_window_set_default_size (GTK_WINDOW (ui.window), 720, 680);
}

static void
test_no_secret_at_rest (void)
{
  ui_assert_no_secret_at_rest ("first-run=false");
}

static void
collect_shortcuts (GtkWidget *widget, GPtrArray *found)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;
      g_autofree char *action = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, "action-name", &action, NULL);
      g_ptr_array_add (found, g_strdup_printf ("%s=%s", title, accelerator != NULL ? accelerator : action));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, found);
}

/* The window's Keyboard Shortcuts (menu item, Ctrl+?) list the page shortcuts the application really has. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui.app), "win.show-help-overlay");
  GtkShortcutsWindow *overlay;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.show-help-overlay", NULL));
  overlay = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && overlay == NULL; i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

        if (GTK_IS_SHORTCUTS_WINDOW (window))
          overlay = GTK_SHORTCUTS_WINDOW (window);
      }
  }
  g_assert_nonnull (overlay);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (ui.window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  collect_shortcuts (GTK_WIDGET (overlay), found);
  for (guint i = 0; i < 4; i++)
    {
      static const char *const pages[] = { "overview", "accounts", "usage", "requests" };
      g_autofree char *action = g_strdup_printf ("app.show-page::%s", pages[i]);
      g_auto(GStrv) page_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui.app), action);
      gboolean listed = FALSE;

      g_assert_nonnull (page_accels[0]);
      for (guint j = 0; j < found->len; j++)
        listed |= g_str_has_suffix (found->pdata[j], page_accels[0]);
      g_assert_true (listed);
    }
  ui_save_screenshot (GTK_WIDGET (overlay), "shortcuts-window");
  gtk_window_close (GTK_WINDOW (overlay));
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "app"))
    return 0;
  ui_test_start ();

  g_test_add_func ("/ui/app/first-run", test_first_run);
  g_test_add_func ("/ui/app/first-run-with-accounts", test_first_run_with_accounts);
  g_test_add_func ("/ui/app/proxy-enabled", test_proxy_enabled_action);
  g_test_add_func ("/ui/app/close-destroys", test_close_destroys);
  g_test_add_func ("/ui/app/narrow-toast", test_narrow_toast);
  g_test_add_func ("/ui/app/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/app/show-page-from-another-process", test_show_page_from_another_process);
  g_test_add_func ("/ui/app/notification-opens-accounts", test_notification_opens_accounts);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  return ui_test_run ();
}
