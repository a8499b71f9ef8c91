/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-tray.h"

#include <glib/gi18n.h>
#include "ag-antigravity-install.h"
#include "ag-tray-item.h"

struct _AgTray {
  GObject          parent_instance;

  AgProxyService  *service;
  GApplication    *app;
  GListModel      *accounts;
  GPtrArray       *watched_accounts;   /* AgAccount whose changes update the menu */
  AgTrayMenu      *menu;
  AgTrayItem      *item;

  GCancellable    *cancellable;
  gboolean         ide_found;          /* an Antigravity IDE folder exists: accounts get "Use in Antigravity" */
};

enum { PROP_0, PROP_AVAILABLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AgTray, ag_tray, G_TYPE_OBJECT)

static void
on_item_available (AgTray *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static void
unwatch_accounts (AgTray *self)
{
  for (guint i = 0; i < self->watched_accounts->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_accounts, i), self);
  g_ptr_array_set_size (self->watched_accounts, 0);
}

static void
ag_tray_dispose (GObject *object)
{
  AgTray *self = AG_TRAY (object);

  g_cancellable_cancel (self->cancellable);
  if (self->item != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->item, self);
      ag_tray_item_unexport (self->item);
    }
  if (self->menu != NULL)
    g_signal_handlers_disconnect_by_data (self->menu, self);
  if (self->watched_accounts != NULL)
    unwatch_accounts (self);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->item);
  g_clear_object (&self->menu);
  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->service);
  g_clear_object (&self->app);
  G_OBJECT_CLASS (ag_tray_parent_class)->dispose (object);
}

static void
ag_tray_finalize (GObject *object)
{
  AgTray *self = AG_TRAY (object);

  g_ptr_array_unref (self->watched_accounts);
  G_OBJECT_CLASS (ag_tray_parent_class)->finalize (object);
}

static void
ag_tray_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgTray *self = AG_TRAY (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, ag_tray_get_available (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_tray_class_init (AgTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_tray_dispose;
  object_class->finalize = ag_tray_finalize;
  object_class->get_property = ag_tray_get_property;

  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_tray_init (AgTray *self)
{
  self->watched_accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->menu = ag_tray_menu_new ();
  self->item = ag_tray_item_new (self->menu);
}

static gboolean
account_is_usable (AgAccount *account)
{
  return ag_account_get_enabled (account) && ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID;
}

static const char *
account_state_label (AgAccount *account)
{
  if (!ag_account_get_enabled (account))
    return _("Disabled");
  switch (ag_account_get_state (account))
    {
    case AG_ACCOUNT_STATE_VALID:
      return _("Ready");
    case AG_ACCOUNT_STATE_SIGNED_OUT:
      return _("Needs sign-in");
    case AG_ACCOUNT_STATE_VALIDATION_REQUIRED:
      return _("Needs verification");
    case AG_ACCOUNT_STATE_DISABLED:
      return _("Refused by Google");
    case AG_ACCOUNT_STATE_BANNED:
      return _("Banned by Google");
    default:
      return _("Unknown");
    }
}

/* dbusmenu reads "_" as a mnemonic marker; e-mail addresses often contain one. */
static char *
escape_mnemonics (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);
  return g_strjoinv ("__", parts);
}

static GVariant *
standard_item (const char *label, gboolean enabled)
{
  g_autofree char *escaped = escape_mnemonics (label);
  return g_variant_new_parsed ("{'label': <%s>, 'enabled': <%b>}", escaped, enabled);
}

static GVariant *
separator_item (void)
{
  return g_variant_new_parsed ("{'type': <'separator'>}");
}

static gboolean
account_needs_user (AgAccount *account)
{
  return ag_account_get_enabled (account) && ag_account_get_state (account) != AG_ACCOUNT_STATE_VALID;
}

/* What the user can do about an account Google refused, right from the menu. */
static void
add_fix_items (GPtrArray *keys, GPtrArray *items, AgAccount *account)
{
  const char *email = ag_account_get_email (account);
  gboolean has_page = ag_account_get_validation_url (account) != NULL;

  switch (ag_account_get_state (account))
    {
    case AG_ACCOUNT_STATE_VALIDATION_REQUIRED:
      if (has_page)
        {
          g_ptr_array_add (keys, g_strconcat ("account-open-page:", email, NULL));
          g_ptr_array_add (items, standard_item (_("Verify…"), TRUE));
        }
      g_ptr_array_add (keys, g_strconcat ("account-check:", email, NULL));
      g_ptr_array_add (items, standard_item (_("Check Again"), TRUE));
      break;
    case AG_ACCOUNT_STATE_BANNED:
      if (has_page)
        {
          g_ptr_array_add (keys, g_strconcat ("account-open-page:", email, NULL));
          g_ptr_array_add (items, standard_item (_("Appeal…"), TRUE));
        }
      break;
    default:
      break;
    }
}

static guint
count_usable_accounts (AgTray *self)
{
  guint usable = 0;

  for (guint i = 0; i < g_list_model_get_n_items (self->accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (self->accounts, i);
      usable += account_is_usable (account);
    }
  return usable;
}

static void
rebuild_menu (AgTray *self)
{
  guint n_accounts = g_list_model_get_n_items (self->accounts);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gboolean running = ag_proxy_service_get_running (self->service);

  g_ptr_array_add (keys, g_strdup ("show"));
  g_ptr_array_add (items, standard_item (_("Show ag-cl"), TRUE));
  g_ptr_array_add (keys, g_strdup ("proxy"));
  g_ptr_array_add (items, g_variant_new_parsed ("{'label': <%s>, 'toggle-type': <'checkmark'>, "
                                                "'toggle-state': <%i>, 'enabled': <true>}",
                                                _("Proxy on"), running ? 1 : 0));
  g_ptr_array_add (keys, g_strdup ("separator-accounts"));
  g_ptr_array_add (items, separator_item ());
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (self->accounts, i);
      const char *email = ag_account_get_email (account);
      /* Translators: an account line in the tray menu: e-mail address — state. */
      g_autofree char *label = g_strdup_printf (_("%s — %s"), email, account_state_label (account));

      g_ptr_array_add (keys, g_strconcat ("account:", email, NULL));
      /* An account that needs the user (sign-in, verification) opens the Accounts page. */
      g_ptr_array_add (items, standard_item (label, account_needs_user (account)));
      add_fix_items (keys, items, account);
      if (self->ide_found && account_is_usable (account))
        {
          g_ptr_array_add (keys, g_strconcat ("antigravity:", email, NULL));
          g_ptr_array_add (items, standard_item (_("Use in Antigravity"), TRUE));
        }
    }
  if (n_accounts == 0)
    {
      g_ptr_array_add (keys, g_strdup ("no-accounts"));
      g_ptr_array_add (items, standard_item (_("No accounts"), FALSE));
    }
  g_ptr_array_add (keys, g_strdup ("separator-actions"));
  g_ptr_array_add (items, separator_item ());
  g_ptr_array_add (keys, g_strdup ("copy"));
  g_ptr_array_add (items, standard_item (_("Copy Claude Code settings"), TRUE));
  g_ptr_array_add (keys, g_strdup ("quit"));
  g_ptr_array_add (items, standard_item (_("Quit"), TRUE));
  g_ptr_array_add (keys, NULL);

  ag_tray_menu_set_items (self->menu, (const char *const *) keys->pdata, (GVariant *const *) items->pdata,
                          items->len);
}

static char *
build_tooltip (AgTray *self, guint usable)
{
  g_autofree char *url = ag_proxy_service_get_url (self->service);
  guint n_accounts = g_list_model_get_n_items (self->accounts);
  g_autofree char *accounts = NULL;

  if (url == NULL)
    return g_strdup (_("Proxy off"));
  accounts = g_strdup_printf (ngettext ("%u of %u account ready", "%u of %u accounts ready",
                                n_accounts),
                              usable, n_accounts);
  /* Translators: the tray tooltip: the proxy's address, then the accounts line. */
  return g_strdup_printf (_("Listening on %s\n%s"), url, accounts);
}

/* Brings the icon, tooltip and menu in line with the proxy and the accounts. */
static void
update (AgTray *self)
{
  guint usable = count_usable_accounts (self);
  AgTrayIconState state;
  g_autofree char *tooltip = build_tooltip (self, usable);

  if (!ag_proxy_service_get_running (self->service))
    state = AG_TRAY_ICON_OFF;
  else
    state = usable == 0 ? AG_TRAY_ICON_LIMITED : AG_TRAY_ICON_ON;

  rebuild_menu (self);
  ag_tray_item_set_icon_state (self->item, state);
  ag_tray_item_set_tooltip (self->item, tooltip);
}

static void
activate_app_action (AgTray *self, const char *name)
{
  if (!g_action_group_has_action (G_ACTION_GROUP (self->app), name))
    {
      g_message ("The application has no action app.%s", name);
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (self->app), name, NULL);
}

/* A click on the icon. */
static void
show_window (AgTray *self)
{
  activate_app_action (self, "show-window");
}

static void
show_page (AgTray *self, const char *page)
{
  if (!g_action_group_has_action (G_ACTION_GROUP (self->app), "show-page"))
    {
      g_message ("The application has no action app.show-page");
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (self->app), "show-page", g_variant_new_string (page));
}

static void
toggle_proxy (AgTray *self)
{
  g_autoptr(GError) error = NULL;

  if (ag_proxy_service_get_running (self->service))
    {
      ag_proxy_service_stop (self->service);
      return;
    }
  /* The application already tells the user about "listen-failed" (a notification): reuse it. */
  if (!ag_proxy_service_start (self->service, &error))
    g_signal_emit_by_name (self->service, "listen-failed", error->message);
}

static void
on_flushed_quit (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgTray) self = user_data;

  g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (self->app != NULL)
    activate_app_action (self, "quit");
}

static void
on_menu_clicked (AgTrayMenu *menu, const char *key, gpointer user_data)
{
  AgTray *self = user_data;

  if (g_str_equal (key, "show"))
    show_page (self, "overview");
  else if (g_str_has_prefix (key, "account:"))
    show_page (self, "accounts");
  else if (g_str_equal (key, "proxy"))
    toggle_proxy (self);
  else if (g_str_equal (key, "copy"))
    activate_app_action (self, "copy-claude-settings");
  else if (g_str_has_prefix (key, "antigravity:") &&
           g_action_group_has_action (G_ACTION_GROUP (self->app), "use-in-antigravity"))
    /* The app asks before it switches: the tray only says which account. */
    g_action_group_activate_action (G_ACTION_GROUP (self->app), "use-in-antigravity",
                                    g_variant_new_string (key + strlen ("antigravity:")));
  else if (g_str_has_prefix (key, "account-open-page:") || g_str_has_prefix (key, "account-check:"))
    {
      const char *email = strchr (key, ':') + 1;
      g_autofree char *action = g_strndup (key, (gsize) (email - 1 - key));

      if (g_action_group_has_action (G_ACTION_GROUP (self->app), action))
        g_action_group_activate_action (G_ACTION_GROUP (self->app), action, g_variant_new_string (email));
    }
  else if (g_str_equal (key, "quit"))
    /* Let the host's reply leave before the process goes (else the host sees NoReply). */
    g_dbus_connection_flush (ag_tray_item_get_connection (self->item), NULL, on_flushed_quit, g_object_ref (self));
}

static void
on_bus_got (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_bus_get_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (connection == NULL)
    {
      g_message ("No session bus, so no tray icon: %s", error->message);
      return;
    }
  ag_tray_item_export (AG_TRAY (user_data)->item, connection);
}

static void
on_accounts_changed (GListModel *accounts, guint position, guint removed, guint added, gpointer user_data)
{
  AgTray *self = user_data;

  unwatch_accounts (self);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      AgAccount *account = g_list_model_get_item (accounts, i);

      g_signal_connect_swapped (account, "notify::enabled", G_CALLBACK (update), self);
      g_signal_connect_swapped (account, "notify::state", G_CALLBACK (update), self);
      g_ptr_array_add (self->watched_accounts, account);
    }
  update (self);
}

static void
find_ide_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(AgAntigravityInstall) install = ag_antigravity_install_find (NULL);

  g_task_return_boolean (task, install != NULL);
}

/* @user_data is the tray, not a reference: a tray disposed meanwhile has cancelled the lookup, and a lookup that
 * outlives it must not keep it (and the application) alive. */
static void
ide_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean found = g_task_propagate_boolean (G_TASK (result), NULL);
  AgTray *self;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  self = AG_TRAY (user_data);
  self->ide_found = found;
  if (found)
    rebuild_menu (self);
}

/* The folder lookup reads /proc and stats files: off the main loop. */
static void
look_for_ide (AgTray *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, ide_looked_up, self);

  g_task_run_in_thread (task, find_ide_in_thread);
}

AgTray *
ag_tray_new (AgProxyService *service, GApplication *app)
{
  AgTray *self;
  GDBusConnection *connection;

  g_return_val_if_fail (AG_IS_PROXY_SERVICE (service), NULL);
  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);

  self = g_object_new (AG_TYPE_TRAY, NULL);
  self->service = g_object_ref (service);
  self->app = g_object_ref (app);
  self->accounts = g_object_ref (ag_account_pool_get_accounts (ag_proxy_service_get_pool (service)));

  g_signal_connect_swapped (service, "notify::running", G_CALLBACK (update), self);
  g_signal_connect (self->accounts, "items-changed", G_CALLBACK (on_accounts_changed), self);
  g_signal_connect (self->menu, "clicked", G_CALLBACK (on_menu_clicked), self);
  g_signal_connect_swapped (self->item, "activate", G_CALLBACK (show_window), self);
  g_signal_connect_swapped (self->item, "notify::available", G_CALLBACK (on_item_available), self);
  on_accounts_changed (self->accounts, 0, 0, 0, self);

  look_for_ide (self);
  connection = g_application_get_dbus_connection (app);
  if (connection != NULL)
    ag_tray_item_export (self->item, connection);
  else
    g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus_got, self);
  return self;
}

gboolean
ag_tray_get_available (AgTray *self)
{
  g_return_val_if_fail (AG_IS_TRAY (self), FALSE);
  return ag_tray_item_get_available (self->item);
}
