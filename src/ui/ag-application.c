/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-application-private.h"
#include "ag-account-registry.h"
#include "ag-local-api-key.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include "ag-claude-settings.h"
#include "ag-notifier.h"
#include "ag-preferences-window.h"
#include "ag-release-notes.h"
#include "ag-tray.h"
#include "ag-window-private.h"

struct _AgApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *address_override;
  int             port_override;
  gboolean        background;
  gboolean        accounts_loaded;   /* the keyring has answered, either way */
  gboolean        welcome_pending;   /* first run showed Add Account before the keyring answered */

  AgProxyService *service;
  AgNotifier     *notifier;
  AgTray         *tray;
  AgUriLauncher  *uri_launcher;
  AgUiContext    *context;         /* what the windows depend on, once the service exists */
};

G_DEFINE_FINAL_TYPE (AgApplication, ag_application, ADW_TYPE_APPLICATION)

static void
ag_application_dispose (GObject *object)
{
  AgApplication *self = AG_APPLICATION (object);

  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->context);
  if (self->service != NULL)
    ag_proxy_service_stop (self->service);
  g_clear_object (&self->service);
  g_clear_object (&self->settings);
  g_clear_object (&self->uri_launcher);
  g_clear_pointer (&self->address_override, g_free);
  G_OBJECT_CLASS (ag_application_parent_class)->dispose (object);
}

static AgWindow *
get_window (AgApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (ag_window_new (GTK_APPLICATION (self), self->context));
  return AG_WINDOW (window);
}

static void
show_window (AgApplication *self)
{
  AgWindow *window = get_window (self);

  /* A new user's first step is an account, unless the keyring already holds some (added with the CLI). */
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "first-run"))
    {
      gboolean has_accounts = ag_account_pool_get_n_accounts (ag_proxy_service_get_pool (self->service)) > 0;

      ag_window_show_page (window, self->accounts_loaded && has_accounts ? "overview" : "add-account");
      self->welcome_pending = !self->accounts_loaded;
    }
  gtk_window_present (GTK_WINDOW (window));
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "first-run", FALSE);
}

static void
show_window_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  show_window (user_data);
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  AgPreferencesWindow *preferences = ag_preferences_window_new (self->context);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (get_window (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* app.show-page: notifications and the tray open the window on a page ("overview", "accounts", "usage",
 * "requests", "add-account", any page the window has) or the preferences ("preferences"). */
static void
show_page_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  const char *page = g_variant_get_string (parameter, NULL);

  if (g_strcmp0 (page, "preferences") == 0)
    {
      preferences_activated (action, NULL, self);
      return;
    }
  show_window (self);
  /* Asked for by name: the first run's guess of a page no longer applies. */
  self->welcome_pending = FALSE;
  ag_window_show_page (get_window (self), page);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  const char *developers[] = { "The ag-cl authors", NULL };
  GtkWidget *about = adw_about_window_new ();
  g_autoptr(GBytes) metainfo = g_resources_lookup_data ("/io/github/agcl/AgCl/metainfo.xml", 0, NULL);
  g_autofree char *notes_version = NULL;
  /* The release notes are written once, in the metainfo. */
  g_autofree char *notes = metainfo != NULL
                             ? ag_release_notes_from_metainfo (g_bytes_get_data (metainfo, NULL), AG_VERSION,
                                                               &notes_version, NULL)
                             : NULL;

  g_object_set (about,
                "transient-for", get_window (self),
                "application-name", "ag-cl",
                "application-icon", AG_APP_ID,
                "version", AG_VERSION,
                "comments", _("Use your Google Antigravity accounts from Claude Code and other coding agents"),
                "license-type", GTK_LICENSE_GPL_3_0,
                "website", "https://github.com/agcl/ag-cl",
                "issue-url", "https://github.com/agcl/ag-cl/issues",
                "developers", developers,
                "translator-credits", _("translator-credits"),
                NULL);
  if (notes != NULL)
    {
      adw_about_window_set_release_notes (ADW_ABOUT_WINDOW (about), notes);
      adw_about_window_set_release_notes_version (ADW_ABOUT_WINDOW (about), notes_version);
    }
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Destroying the windows first lets them drop their references on the service. */
  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (self));
    }
  g_application_quit (G_APPLICATION (self));
}

static void
copy_claude_settings_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  g_autofree char *url = ag_proxy_service_get_url (self->service);
  g_autofree char *lines = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (url == NULL)
    {
      notification = g_notification_new (_("The proxy is off"));
      g_notification_set_body (notification, _("Turn the proxy on to use it from Claude Code."));
    }
  else
    {
      lines = ag_claude_settings_export_lines (url, ag_local_api_key_get_value (ag_proxy_service_get_local_api_key (self->service)));
      gdk_clipboard_set_text (gdk_display_get_clipboard (gdk_display_get_default ()), lines);
      notification = g_notification_new (_("Claude Code settings copied"));
      g_notification_set_body (notification, _("Paste them into a terminal before starting Claude Code."));
    }
  g_application_send_notification (G_APPLICATION (self), "claude-settings", notification);
}

/* Activated with the wanted state (the Overview's switch). A failed start is announced like every other one (the
 * tray's, a restart for new settings): "listen-failed" reaches the notifier and the Overview. */
static void
proxy_enabled_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AgApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_application_set_proxy_enabled (self, g_variant_get_boolean (value), &error))
    g_signal_emit_by_name (self->service, "listen-failed", error->message);
}

static void
sync_proxy_enabled (AgApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "proxy-enabled");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (ag_proxy_service_get_running (self->service)));
}

/* The tray's "Use in Antigravity": the window's Devices page asks before anything is written. */
static void
use_in_antigravity_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  AgWindow *window;

  g_action_group_activate_action (G_ACTION_GROUP (self), "show-window", NULL);
  window = AG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self)));
  if (window == NULL)
    return;
  ag_window_show_page (window, "devices");
  ag_devices_page_ask_switch (ag_window_get_devices_page (window), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "show-window", show_window_activated },
  { "show-page", show_page_activated, "s" },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "quit", quit_activated },
  { "copy-claude-settings", copy_claude_settings_activated },
  { "use-in-antigravity", use_in_antigravity_activated, "s" },
  { "proxy-enabled", NULL, "b", "false", proxy_enabled_changed },
};

static void
accounts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if (!ag_account_registry_load_finish (AG_ACCOUNT_REGISTRY (source), result, &error))
    g_warning ("cannot read accounts from the keyring: %s", error->message);
  self->accounts_loaded = TRUE;
  if (!self->welcome_pending)
    return;
  self->welcome_pending = FALSE;
  /* The first run's Add Account page was a guess made before the keyring answered: with accounts there, the
   * Overview is the better first page, unless the user has moved on already. */
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL && ag_account_pool_get_n_accounts (ag_proxy_service_get_pool (self->service)) > 0 &&
      g_strcmp0 (ag_window_get_visible_page (AG_WINDOW (window)), "add-account") == 0 &&
      !ag_window_get_adding_account (AG_WINDOW (window)))
    ag_window_show_page (AG_WINDOW (window), "overview");
}

/* The listener opens only once the key is known, so no request is served without a key that is set. */
static void
api_key_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_local_api_key_load_finish (AG_LOCAL_API_KEY (source), result, &error))
    g_warning ("cannot read the local API key from the keyring: %s", error->message);
  g_clear_error (&error);
  if (self->tray == NULL)
    return;   /* shutdown (which drops the tray) came first */
  if (self->settings == NULL || g_settings_get_boolean (self->settings, "proxy-enabled"))
    if (!ag_proxy_service_start (self->service, &error))
      ag_notifier_listen_failed (self->notifier, error->message);
}

/* Logging out or `kill` ends the session cleanly (the listener closes, state is saved). */
static gboolean
quit_on_signal (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Alt+1, Alt+2, … in this order. */
static const char * const page_shortcuts[] = { "overview", "accounts", "usage", "requests" };

static void
ag_application_startup (GApplication *application)
{
  AgApplication *self = AG_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (ag_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  for (guint i = 0; i < G_N_ELEMENTS (page_shortcuts); i++)
    {
      g_autofree char *action = g_strdup_printf ("app.show-page::%s", page_shortcuts[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      const char *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), action, accels);
    }

  self->service = ag_proxy_service_new (self->settings, &error);
  if (self->service == NULL)
    {
      g_critical ("cannot set up the proxy: %s", error->message);
      return;
    }
  ag_proxy_service_set_listen_override (self->service, self->address_override, self->port_override);
  self->context = ag_ui_context_new (self->service, self->settings, self->uri_launcher);
  g_signal_connect_object (self->service, "notify::running", G_CALLBACK (sync_proxy_enabled), self,
                           G_CONNECT_SWAPPED);
  self->notifier = ag_notifier_new (self->service, application);
  ag_local_api_key_load_async (ag_proxy_service_get_local_api_key (self->service), NULL, api_key_loaded, g_object_ref (self));
  ag_account_registry_load_async (ag_proxy_service_get_registry (self->service), NULL, accounts_loaded, g_object_ref (self));
  self->tray = ag_tray_new (self->service, application);
  /* The proxy outlives the window: closing it hides it, and only app.quit ends the process. */
  g_application_hold (application);
  g_unix_signal_add (SIGINT, quit_on_signal, self);
  g_unix_signal_add (SIGTERM, quit_on_signal, self);
}

static void
ag_application_shutdown (GApplication *application)
{
  AgApplication *self = AG_APPLICATION (application);

  g_clear_object (&self->tray);
  if (self->service != NULL)
    ag_proxy_service_stop (self->service);
  G_APPLICATION_CLASS (ag_application_parent_class)->shutdown (application);
}

static void
ag_application_activate (GApplication *application)
{
  AgApplication *self = AG_APPLICATION (application);
  gboolean first_run = self->settings == NULL || g_settings_get_boolean (self->settings, "first-run");

  /* Only the first activation can be a background start; a second launch always presents the window. */
  if (self->background && !first_run)
    {
      self->background = FALSE;
      return;
    }
  self->background = FALSE;
  show_window (self);
}

static void
ag_application_class_init (AgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ag_application_dispose;
  app_class->startup = ag_application_startup;
  app_class->shutdown = ag_application_shutdown;
  app_class->activate = ag_application_activate;
}

static void
ag_application_init (AgApplication *self)
{
  self->port_override = -1;
  self->uri_launcher = ag_uri_launcher_new ();
}

AgApplication *
ag_application_new (GSettings *settings, const char *address, int port, gboolean background)
{
  AgApplication *self = g_object_new (AG_TYPE_APPLICATION,
                                      "application-id", AG_APP_ID,
                                      "flags", G_APPLICATION_DEFAULT_FLAGS,
                                      /* Not derived from the id: the development build's is another one. */
                                      "resource-base-path", "/io/github/agcl/AgCl",
                                      NULL);

  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->address_override = g_strdup (address);
  self->port_override = port;
  self->background = background;
  return self;
}

AgProxyService *
ag_application_get_service (AgApplication *self)
{
  return self->service;
}

void
ag_application_set_uri_launcher (AgApplication *self, AgUriLaunchFunc launcher, gpointer user_data)
{
  ag_uri_launcher_set_func (self->uri_launcher, launcher, user_data);
}

gboolean
ag_application_set_proxy_enabled (AgApplication *self, gboolean enabled, GError **error)
{
  if (enabled && !ag_proxy_service_start (self->service, error))
    return FALSE;
  if (!enabled)
    ag_proxy_service_stop (self->service);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "proxy-enabled", enabled);
  return TRUE;
}
