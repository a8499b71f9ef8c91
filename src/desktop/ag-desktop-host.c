/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-desktop-host.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include "ag-account-registry.h"
#include "ag-inherited-listener.h"
#include "ag-local-api-key.h"
#include "ag-notifier.h"
#include "ag-tray.h"

struct _AgDesktopHost
{
  GApplication        parent_instance;

  GSettings          *settings;
  char               *address_override;
  int                 port_override;
  gboolean            background;
  gboolean            accounts_loaded;
  gboolean            start_failed;      /* the proxy could not be set up: nothing runs, the process ends */

  AgProxyService     *service;
  AgNotifier         *notifier;
  AgTray             *tray;
  AgDesktopUiFactory  ui_factory;
  AgDesktopUi        *ui;

  guint               relaunch_delay_ms;
  guint               relaunch_source;
  GStrv               relaunch_args;     /* set when the run ended to relaunch */
};

enum { PROP_0, PROP_ACCOUNTS_LOADED, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AgDesktopHost, ag_desktop_host, G_TYPE_APPLICATION)

static void
ag_desktop_host_dispose (GObject *object)
{
  AgDesktopHost *self = AG_DESKTOP_HOST (object);

  if (self->ui != NULL)
    ag_desktop_ui_close_windows (self->ui);
  g_clear_object (&self->ui);
  g_clear_handle_id (&self->relaunch_source, g_source_remove);
  g_clear_pointer (&self->relaunch_args, g_strfreev);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  if (self->service != NULL)
    ag_proxy_service_stop (self->service);
  g_clear_object (&self->service);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->address_override, g_free);
  G_OBJECT_CLASS (ag_desktop_host_parent_class)->dispose (object);
}

static void
ag_desktop_host_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgDesktopHost *self = AG_DESKTOP_HOST (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS_LOADED:
      g_value_set_boolean (value, self->accounts_loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

AgDesktopUi *
ag_desktop_host_ensure_ui (AgDesktopHost *self, GError **error)
{
  if (self->ui != NULL)
    return self->ui;
  if (self->ui_factory == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "this ag-cl has no windows");
      return NULL;
    }
  self->ui = self->ui_factory (self, error);
  return self->ui;
}

/* The window actions are the UI's: the first one loads it, and each is handed on under the same name. */
static void
forward_to_ui (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgDesktopHost *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  g_autoptr(GError) error = NULL;
  AgDesktopUi *ui;

  if (self->start_failed)
    return;
  ui = ag_desktop_host_ensure_ui (self, &error);
  if (ui == NULL)
    {
      g_warning ("cannot open the window: %s", error->message);
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (ui), name, parameter);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  AgDesktopHost *self = user_data;

  /* Destroying the windows first lets them drop their references on the service. */
  if (self->ui != NULL)
    ag_desktop_ui_close_windows (self->ui);
  g_application_quit (G_APPLICATION (self));
}

/* Activated with the wanted state (the Overview's switch). A failed start is announced like every other one (the
 * tray's, a restart for new settings): "listen-failed" reaches the notifier and the Overview. */
static void
proxy_enabled_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  AgDesktopHost *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_desktop_host_set_proxy_enabled (self, g_variant_get_boolean (value), &error))
    g_signal_emit_by_name (self->service, "listen-failed", error->message);
}

static void
sync_proxy_enabled (AgDesktopHost *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "proxy-enabled");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (ag_proxy_service_get_running (self->service)));
}

static const GActionEntry host_actions[] = {
  { "show-window", forward_to_ui },
  { "show-page", forward_to_ui, "s" },
  { "preferences", forward_to_ui },
  { "about", forward_to_ui },
  { "copy-claude-settings", forward_to_ui },
  { "use-in-antigravity", forward_to_ui, "s" },
  { "quit", quit_activated },
  { "proxy-enabled", NULL, "b", "false", proxy_enabled_changed },
};

static void
accounts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDesktopHost) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_account_registry_load_finish (AG_ACCOUNT_REGISTRY (source), result, &error))
    g_warning ("cannot read accounts from the keyring: %s", error->message);
  self->accounts_loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNTS_LOADED]);
}

/* The listener opens only once the key is known, so no request is served without a key that is set. */
static void
api_key_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDesktopHost) self = user_data;
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

static void
ag_desktop_host_startup (GApplication *application)
{
  AgDesktopHost *self = AG_DESKTOP_HOST (application);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (ag_desktop_host_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), host_actions, G_N_ELEMENTS (host_actions), self);
  self->service = ag_proxy_service_new (self->settings, &error);
  if (self->service == NULL)
    {
      /* Without the proxy there is nothing to show (a bad AGCL_CA_FILE, say): say why where a desktop user sees
       * it, and end without holding the application, so the process exits (status 1, see main.c). */
      g_autoptr(GNotification) notification = g_notification_new (_("ag-cl Cannot Start"));

      g_printerr ("ag-cl: cannot set up the proxy: %s\n", error->message);
      g_notification_set_body (notification, error->message);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
      g_application_send_notification (application, "start-failed", notification);
      self->start_failed = TRUE;
      return;
    }
  ag_proxy_service_set_listen_override (self->service, self->address_override, self->port_override);
  g_signal_connect_object (self->service, "notify::running", G_CALLBACK (sync_proxy_enabled), self,
                           G_CONNECT_SWAPPED);
  self->notifier = ag_notifier_new (self->service, application);
  ag_local_api_key_load_async (ag_proxy_service_get_local_api_key (self->service), NULL, api_key_loaded,
                               g_object_ref (self));
  ag_account_registry_load_async (ag_proxy_service_get_registry (self->service), NULL, accounts_loaded,
                                  g_object_ref (self));
  self->tray = ag_tray_new (self->service, application);
  /* The proxy outlives the window: only app.quit ends the process. */
  g_application_hold (application);
  g_unix_signal_add (SIGINT, quit_on_signal, self);
  g_unix_signal_add (SIGTERM, quit_on_signal, self);
}

static void
ag_desktop_host_shutdown (GApplication *application)
{
  AgDesktopHost *self = AG_DESKTOP_HOST (application);

  g_clear_object (&self->tray);
  if (self->service != NULL)
    ag_proxy_service_stop (self->service);
  G_APPLICATION_CLASS (ag_desktop_host_parent_class)->shutdown (application);
}

static void
ag_desktop_host_activate (GApplication *application)
{
  AgDesktopHost *self = AG_DESKTOP_HOST (application);
  gboolean first_run = self->settings == NULL || g_settings_get_boolean (self->settings, "first-run");
  gboolean background = self->background;

  /* Only the first activation can be a background start; a second launch always presents the window. */
  self->background = FALSE;
  if (self->start_failed)
    return;
  if (background && !first_run)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (self), "show-window", NULL);
}

static void
ag_desktop_host_class_init (AgDesktopHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ag_desktop_host_dispose;
  object_class->get_property = ag_desktop_host_get_property;
  app_class->startup = ag_desktop_host_startup;
  app_class->shutdown = ag_desktop_host_shutdown;
  app_class->activate = ag_desktop_host_activate;

  properties[PROP_ACCOUNTS_LOADED] = g_param_spec_boolean ("accounts-loaded", NULL, NULL, FALSE,
                                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                           G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_desktop_host_init (AgDesktopHost *self)
{
  self->port_override = -1;
}

AgDesktopHost *
ag_desktop_host_new (GSettings *settings, const char *address, int port, gboolean background)
{
  AgDesktopHost *self = g_object_new (AG_TYPE_DESKTOP_HOST,
                                      "application-id", AG_APP_ID,
                                      "flags", G_APPLICATION_DEFAULT_FLAGS,
                                      NULL);

  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->address_override = g_strdup (address);
  self->port_override = port;
  self->background = background;
  return self;
}

void
ag_desktop_host_set_ui_factory (AgDesktopHost *self, AgDesktopUiFactory factory)
{
  self->ui_factory = factory;
}

AgProxyService *
ag_desktop_host_get_service (AgDesktopHost *self)
{
  return self->service;
}

GSettings *
ag_desktop_host_get_settings (AgDesktopHost *self)
{
  return self->settings;
}

gboolean
ag_desktop_host_get_accounts_loaded (AgDesktopHost *self)
{
  return self->accounts_loaded;
}

gboolean
ag_desktop_host_get_start_failed (AgDesktopHost *self)
{
  return self->start_failed;
}

AgDesktopUi *
ag_desktop_host_get_ui (AgDesktopHost *self)
{
  return self->ui;
}

static GStrv
build_relaunch_args (AgDesktopHost *self)
{
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();

  g_strv_builder_add (args, "--background");
  if (self->address_override != NULL)
    g_strv_builder_add_many (args, "--address", self->address_override, NULL);
  /* A port picked by the system (0) is the one the inherited socket has. */
  if (self->port_override == 0 && ag_proxy_service_get_running (self->service))
    {
      g_autofree char *port = g_strdup_printf ("%u", ag_proxy_service_get_port (self->service));

      g_strv_builder_add_many (args, "--port", port, NULL);
    }
  else if (self->port_override > 0)
    {
      g_autofree char *port = g_strdup_printf ("%d", self->port_override);

      g_strv_builder_add_many (args, "--port", port, NULL);
    }
  return g_strv_builder_end (args);
}

static gboolean
relaunch_when_idle (gpointer user_data)
{
  AgDesktopHost *self = user_data;
  GSocket *listener = ag_proxy_server_get_listener (ag_proxy_service_get_server (self->service));
  g_autoptr(GError) error = NULL;

  if (self->ui != NULL && ag_desktop_ui_has_windows (self->ui))
    {
      self->relaunch_source = 0;
      return G_SOURCE_REMOVE;   /* opened again */
    }
  /* A request in flight would be cut: wait for it (the next check is a second later). */
  if (ag_proxy_server_get_requests_open (ag_proxy_service_get_server (self->service)) > 0)
    {
      self->relaunch_source = g_timeout_add_seconds (1, relaunch_when_idle, self);
      return G_SOURCE_REMOVE;
    }
  self->relaunch_source = 0;
  if (listener != NULL && !ag_inherited_listener_export (listener, &error))
    {
      g_warning ("staying as I am: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  g_message ("the window is closed: relaunching in the tray without GTK");
  self->relaunch_args = build_relaunch_args (self);
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  return G_SOURCE_REMOVE;
}

void
ag_desktop_host_windows_closed (AgDesktopHost *self)
{
  if (self->relaunch_delay_ms == 0 || self->relaunch_source != 0)
    return;
  self->relaunch_source = g_timeout_add (self->relaunch_delay_ms, relaunch_when_idle, self);
}

void
ag_desktop_host_set_relaunch_delay (AgDesktopHost *self, guint delay_ms)
{
  self->relaunch_delay_ms = delay_ms;
}

const char * const *
ag_desktop_host_get_relaunch_args (AgDesktopHost *self)
{
  return (const char * const *) self->relaunch_args;
}

gboolean
ag_desktop_host_set_proxy_enabled (AgDesktopHost *self, gboolean enabled, GError **error)
{
  if (enabled && !ag_proxy_service_start (self->service, error))
    return FALSE;
  if (!enabled)
    ag_proxy_service_stop (self->service);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "proxy-enabled", enabled);
  return TRUE;
}
