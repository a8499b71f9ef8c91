/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-application-private.h"

#include <glib/gi18n.h>
#include "ag-claude-settings.h"
#include "ag-heap-trim.h"
#include "ag-local-api-key.h"
#include "ag-preferences-window.h"
#include "ag-release-notes.h"
#include "ag-window-private.h"

struct _AgApplication
{
  AdwApplication  parent_instance;

  AgDesktopHost  *host;              /* weak: the host owns this UI */
  gboolean        welcome_pending;   /* first run showed Add Account before the keyring answered */

  AgUriLauncher  *uri_launcher;
  AgUiContext    *context;
};

static void ag_application_desktop_ui_init (AgDesktopUiInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AgApplication, ag_application, ADW_TYPE_APPLICATION,
                               G_IMPLEMENT_INTERFACE (AG_TYPE_DESKTOP_UI, ag_application_desktop_ui_init))

static void
ag_application_dispose (GObject *object)
{
  AgApplication *self = AG_APPLICATION (object);

  g_clear_object (&self->context);
  g_clear_object (&self->uri_launcher);
  g_clear_weak_pointer (&self->host);
  G_OBJECT_CLASS (ag_application_parent_class)->dispose (object);
}

static GSettings *
get_settings (AgApplication *self)
{
  return self->host != NULL ? ag_desktop_host_get_settings (self->host) : NULL;
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
  GSettings *settings = get_settings (self);

  /* A new user's first step is an account, unless the keyring already holds some (added with the CLI). */
  if (settings != NULL && g_settings_get_boolean (settings, "first-run"))
    {
      AgAccountPool *pool = ag_proxy_service_get_pool (ag_application_get_service (self));
      gboolean loaded = ag_desktop_host_get_accounts_loaded (self->host);
      gboolean has_accounts = ag_account_pool_get_n_accounts (pool) > 0;

      ag_window_show_page (window, loaded && has_accounts ? "overview" : "add-account");
      self->welcome_pending = !loaded;
    }
  gtk_window_present (GTK_WINDOW (window));
  if (settings != NULL)
    g_settings_set_boolean (settings, "first-run", FALSE);
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
copy_claude_settings_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  AgProxyService *service = ag_application_get_service (self);
  g_autofree char *url = ag_proxy_service_get_url (service);
  g_autofree char *lines = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (url == NULL)
    {
      notification = g_notification_new (_("The proxy is off"));
      g_notification_set_body (notification, _("Turn the proxy on to use it from Claude Code."));
    }
  else
    {
      AgLocalApiKey *key = ag_proxy_service_get_local_api_key (service);

      lines = ag_claude_settings_export_lines (url, ag_local_api_key_get_value (key));
      gdk_clipboard_set_text (gdk_display_get_clipboard (gdk_display_get_default ()), lines);
      notification = g_notification_new (_("Claude Code settings copied"));
      g_notification_set_body (notification, _("Paste them into a terminal before starting Claude Code."));
    }
  /* The host is the application the session knows (its id, its bus name). */
  if (self->host != NULL)
    g_application_send_notification (G_APPLICATION (self->host), "claude-settings", notification);
}

/* The tray's "Use in Antigravity": the window's Devices page asks before anything is written. */
static void
use_in_antigravity_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgApplication *self = user_data;
  AgWindow *window;

  show_window (self);
  window = get_window (self);
  ag_window_show_page (window, "devices");
  ag_devices_page_ask_switch (ag_window_get_devices_page (window), g_variant_get_string (parameter, NULL));
}

/* The host forwards its window actions here under the same names (ag-desktop-ui.h). */
static const GActionEntry window_actions[] = {
  { "show-window", show_window_activated },
  { "show-page", show_page_activated, "s" },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "copy-claude-settings", copy_claude_settings_activated },
  { "use-in-antigravity", use_in_antigravity_activated, "s" },
};

/* What the windows reach as app.* without a window of their own: the host's actions themselves. */
static const char * const host_actions[] = { "quit", "proxy-enabled", "account-check", "account-open-page" };

static void
on_accounts_loaded (AgApplication *self)
{
  GtkWindow *window;

  if (!self->welcome_pending)
    return;
  self->welcome_pending = FALSE;
  /* The first run's Add Account page was a guess made before the keyring answered: with accounts there, the
   * Overview is the better first page, unless the user has moved on already. */
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL &&
      ag_account_pool_get_n_accounts (ag_proxy_service_get_pool (ag_application_get_service (self))) > 0 &&
      g_strcmp0 (ag_window_get_visible_page (AG_WINDOW (window)), "add-account") == 0 &&
      !ag_window_get_adding_account (AG_WINDOW (window)))
    ag_window_show_page (AG_WINDOW (window), "overview");
}

/* Alt+1, Alt+2, … in this order. */
static const char * const page_shortcuts[] = { "overview", "accounts", "usage", "requests" };

static void
ag_application_startup (GApplication *application)
{
  AgApplication *self = AG_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (ag_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions, G_N_ELEMENTS (window_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (host_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->host), host_actions[i]);

      if (action != NULL)
        g_action_map_add_action (G_ACTION_MAP (self), action);
    }
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", shortcuts_accels);
  for (guint i = 0; i < G_N_ELEMENTS (page_shortcuts); i++)
    {
      g_autofree char *action = g_strdup_printf ("app.show-page::%s", page_shortcuts[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      const char *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), action, accels);
    }
  self->context = ag_ui_context_new (ag_application_get_service (self), get_settings (self), self->uri_launcher);
  g_signal_connect_object (self->host, "notify::accounts-loaded", G_CALLBACK (on_accounts_loaded), self,
                           G_CONNECT_SWAPPED);
}

/* Tests and the host's "activate" both mean: show the window. */
static void
ag_application_activate (GApplication *application)
{
  show_window (AG_APPLICATION (application));
}

/* A closed window is destroyed, not hidden: its widgets, textures and renderer go with it, and the heap they freed
 * goes back to the system a second later. What GTK itself keeps (its libraries, the display connection, font
 * and icon caches) only an exec sheds: the host relaunches the app in the tray a while later. */
static void
ag_application_window_removed (GtkApplication *application, GtkWindow *window)
{
  GTK_APPLICATION_CLASS (ag_application_parent_class)->window_removed (application, window);
  if (gtk_application_get_windows (application) != NULL)
    return;
  ag_heap_trim_when_idle ();
  if (AG_APPLICATION (application)->host != NULL)
    ag_desktop_host_windows_closed (AG_APPLICATION (application)->host);
}

static gboolean
has_windows (AgDesktopUi *ui)
{
  return gtk_application_get_windows (GTK_APPLICATION (ui)) != NULL;
}

static void
close_windows (AgDesktopUi *ui)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (ui))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
ag_application_desktop_ui_init (AgDesktopUiInterface *iface)
{
  iface->close_windows = close_windows;
  iface->has_windows = has_windows;
}

static void
ag_application_class_init (AgApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_application_dispose;
  G_APPLICATION_CLASS (klass)->startup = ag_application_startup;
  G_APPLICATION_CLASS (klass)->activate = ag_application_activate;
  GTK_APPLICATION_CLASS (klass)->window_removed = ag_application_window_removed;
}

static void
ag_application_init (AgApplication *self)
{
  self->uri_launcher = ag_uri_launcher_new ();
}

AgApplication *
ag_application_new (AgDesktopHost *host)
{
  /* No id and no bus name: the host is the application the session sees; this one only gives GTK its windows,
   * shortcuts and styles, and is registered (started up) but never run. */
  AgApplication *self = g_object_new (AG_TYPE_APPLICATION,
                                      "flags", G_APPLICATION_NON_UNIQUE,
                                      /* Not derived from the id: the development build's is another one. */
                                      "resource-base-path", "/io/github/agcl/AgCl",
                                      NULL);

  g_set_weak_pointer (&self->host, host);
  return self;
}

AgDesktopHost *
ag_application_get_host (AgApplication *self)
{
  return self->host;
}

AgProxyService *
ag_application_get_service (AgApplication *self)
{
  return self->host != NULL ? ag_desktop_host_get_service (self->host) : NULL;
}

void
ag_application_set_uri_launcher (AgApplication *self, AgUriLaunchFunc launcher, gpointer user_data)
{
  ag_uri_launcher_set_func (self->uri_launcher, launcher, user_data);
}

gboolean
ag_application_set_proxy_enabled (AgApplication *self, gboolean enabled, GError **error)
{
  return ag_desktop_host_set_proxy_enabled (self->host, enabled, error);
}
