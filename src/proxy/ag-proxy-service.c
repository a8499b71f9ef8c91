/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-proxy-service.h"
#include "ag-proxy-preferences.h"
#include "ag-proxy-unary.h"
#include "ag-heap-trim.h"
#include "ag-limit-keeper.h"
#include "ag-account-probe.h"
#include "ag-account-state-keeper.h"
#include "ag-version-check.h"

#include <glib/gi18n.h>

struct _AgProxyService {
  GObject            parent_instance;

  GSettings          *settings;
  AgCloudcodeConfig  *config;
  AgCloudcodeClient  *cloudcode;
  AgOAuthClient      *oauth;
  AgAccountPool      *pool;
  AgAccountRegistry  *registry;
  AgModelCatalogue   *catalogue;
  AgProxyServer      *server;
  AgProxyPreferences *preferences;
  AgLocalApiKey      *api_key;
  AgHistoryStore     *history;
  AgLimitKeeper      *limit_keeper;
  AgAccountStateKeeper *state_keeper;
  AgQuotaPoller      *poller;
  AgVersionCheck     *version_check;

  char               *address_override;
  int                port_override;
  char               *address;            /* of the running listener */
};

enum { PROP_0, PROP_RUNNING, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { LISTEN_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgProxyService, ag_proxy_service, G_TYPE_OBJECT)

static void
ag_proxy_service_dispose (GObject *object)
{
  AgProxyService *self = AG_PROXY_SERVICE (object);

  if (self->server != NULL)
    ag_proxy_server_stop (self->server);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->version_check);
  g_clear_object (&self->poller);
  g_clear_object (&self->registry);
  g_clear_object (&self->limit_keeper);
  g_clear_object (&self->state_keeper);
  g_clear_object (&self->api_key);
  g_clear_object (&self->preferences);
  g_clear_object (&self->server);
  g_clear_object (&self->history);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->pool);
  g_clear_object (&self->oauth);
  g_clear_object (&self->cloudcode);
  g_clear_object (&self->config);
  g_clear_pointer (&self->address_override, g_free);
  g_clear_pointer (&self->address, g_free);
  G_OBJECT_CLASS (ag_proxy_service_parent_class)->dispose (object);
}

static void
ag_proxy_service_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgProxyService *self = AG_PROXY_SERVICE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ag_proxy_service_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_proxy_service_class_init (AgProxyServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_proxy_service_dispose;
  object_class->get_property = ag_proxy_service_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The listener could not be (re)started after a settings change, or stopped when the local API key went; the
   * argument says why. */
  signals[LISTEN_FAILED] = g_signal_new ("listen-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ag_proxy_service_init (AgProxyService *self)
{
  self->port_override = -1;
}

static void
on_listen_setting_changed (GSettings *settings, const char *key, gpointer user_data)
{
  AgProxyService *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_proxy_service_get_running (self))
    return;
  /* A new port or address takes effect at once: restart the listener (calls in flight finish on their own). */
  ag_proxy_service_stop (self);
  if (!ag_proxy_service_start (self, &error))
    {
      g_warning ("%s", error->message);
      g_signal_emit (self, signals[LISTEN_FAILED], 0, error->message);
    }
}

static void
on_history_failed (AgHistoryStore *history, const char *message, gpointer user_data)
{
  g_warning ("the request log is not being written: %s", message);
}

/* A quota error is the moment to learn an account's real quota figures (and its reset times). */
static void
on_rate_limited (AgAccountPool *pool, AgAccount *account, const char *model, guint kind, gint64 until_ms,
                 gpointer user_data)
{
  AgProxyService *self = user_data;

  if (kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED)
    ag_quota_poller_poll_account (self->poller, account);
}

/* Each account may see other models: /v1/models lists the union of what the poller finds. */
static void
on_models_fetched (AgQuotaPoller *poller, AgAccount *account, JsonNode *response, gpointer user_data)
{
  AgProxyService *self = user_data;
  g_autoptr(GError) error = NULL;

  if (response != NULL && JSON_NODE_HOLDS_OBJECT (response) &&
      !ag_model_catalogue_merge (self->catalogue, json_node_get_object (response), &error))
    g_warning ("ignoring the model list of %s: %s", ag_account_get_email (account), error->message);
}

/* A poll parses a model list per account (and the first one loads the TLS stack and CA store): what it freed goes
 * back to the system, as after a burst of requests. */
static void
on_quota_polled (AgQuotaPoller *poller, AgAccount *account, const GError *error, gpointer user_data)
{
  ag_heap_trim_when_idle ();
}

/* The request log, quota history and rests (SQLite) and the quota poller that feeds the pool. */
static void
wire_history (AgProxyService *self)
{
  self->history = ag_history_store_new (NULL);
  g_signal_connect (self->history, "failed", G_CALLBACK (on_history_failed), NULL);
  ag_proxy_server_set_history (self->server, self->history);
  self->limit_keeper = ag_limit_keeper_new (self->history, self->pool);
  self->state_keeper = ag_account_state_keeper_new (self->history, self->pool);
  self->poller = ag_quota_poller_new (self->pool, self->cloudcode, self->oauth);
  ag_history_store_follow_quota (self->history, self->poller);
  g_signal_connect_object (self->pool, "rate-limited", G_CALLBACK (on_rate_limited), self, 0);
  g_signal_connect_object (self->poller, "models-fetched", G_CALLBACK (on_models_fetched), self, 0);
  g_signal_connect (self->poller, "polled", G_CALLBACK (on_quota_polled), NULL);
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "request-log-max-rows", self->history, "max-rows", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "history-retention-days", self->history, "retention-days",
                       G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "quota-poll-interval", self->poller, "interval", G_SETTINGS_BIND_GET);
    }
}

static void
catalogue_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ag_proxy_unary_refresh_catalogue_finish (result, &error))
    g_warning ("cannot fetch the model list yet: %s", error->message);
}

static void
refresh_catalogue (AgProxyService *self)
{
  ag_proxy_unary_refresh_catalogue_async (ag_proxy_server_get_context (self->server), NULL, catalogue_ready, NULL);
}

/* The accounts are in the pool: the quota poller starts (and polls each one joining later), the model list follows. */
static void
on_accounts_loaded (AgProxyService *self)
{
  ag_quota_poller_start (self->poller);
  if (ag_account_pool_get_n_accounts (self->pool) > 0)
    refresh_catalogue (self);
}

/* An account signed in while the proxy runs (here, or with the CLI): the model list may still be missing if it is
 * the first. */
static void
on_account_added (AgProxyService *self, AgAccount *account)
{
  if (ag_model_catalogue_is_empty (self->catalogue))
    refresh_catalogue (self);
}

/* Without a key the network must not reach the accounts: a listener beyond loopback stops at once. */
static void
on_api_key_changed (AgProxyService *self)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *message = NULL;

  if (!ag_proxy_service_get_running (self))
    return;
  inet = g_inet_address_new_from_string (self->address);
  if (inet == NULL || ag_local_api_key_allows_address (self->api_key, inet))
    return;
  ag_proxy_service_stop (self);
  message = g_strdup_printf ("stopped listening on %s: only loopback addresses are allowed without a local API key",
                             self->address);
  g_warning ("%s", message);
  g_signal_emit (self, signals[LISTEN_FAILED], 0, message);
}

/* The accounts' life and the local API key, both kept in the keyring and followed there through one watch. */
static void
wire_keyring (AgProxyService *self)
{
  const char *profile = g_getenv ("AGCL_PROFILE");
  g_autoptr(AgKeyringWatch) watch = ag_keyring_watch_new ();
  g_autoptr(AgTokenStore) accounts = NULL;
  g_autoptr(AgApiKeyStore) api_key = NULL;

  if (profile == NULL || profile[0] == '\0')
    profile = "default";
  accounts = ag_token_store_new (profile);
  api_key = ag_api_key_store_new (profile);
  self->registry = ag_account_registry_new (accounts, self->pool, self->oauth, self->cloudcode, watch);
  g_signal_connect_object (self->registry, "notify::loaded", G_CALLBACK (on_accounts_loaded), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->registry, "account-added", G_CALLBACK (on_account_added), self, G_CONNECT_SWAPPED);
  self->api_key = ag_local_api_key_new (api_key, self->server, watch);
  g_signal_connect_object (self->api_key, "notify::is-set", G_CALLBACK (on_api_key_changed), self,
                           G_CONNECT_SWAPPED);
}

AgProxyService *
ag_proxy_service_new (GSettings *settings, GError **error)
{
  g_autoptr(AgProxyService) self = g_object_new (AG_TYPE_PROXY_SERVICE, NULL);

  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->config = ag_cloudcode_config_new_from_env ();
  if (!ag_cloudcode_config_check (self->config, error))
    return NULL;
  self->cloudcode = ag_cloudcode_client_new (self->config);
  self->oauth = ag_oauth_client_new (self->config, ag_cloudcode_client_get_session (self->cloudcode));
  self->pool = ag_account_pool_new ();
  self->catalogue = ag_model_catalogue_new ();
  self->server = ag_proxy_server_new (self->cloudcode, self->oauth, self->pool, self->catalogue);
  self->preferences = ag_proxy_preferences_new (self->settings, self->pool, self->catalogue, self->server, error);
  if (self->preferences == NULL)
    return NULL;
  if (self->settings != NULL)
    {
      g_signal_connect (self->settings, "changed::port", G_CALLBACK (on_listen_setting_changed), self);
      g_signal_connect (self->settings, "changed::listen-address", G_CALLBACK (on_listen_setting_changed), self);
    }
  wire_history (self);
  self->version_check = ag_version_check_new (self->config);
  ag_version_check_start (self->version_check);
  ag_proxy_server_set_version_check (self->server, self->version_check);
  wire_keyring (self);
  return g_steal_pointer (&self);
}

void
ag_proxy_service_set_listen_override (AgProxyService *self, const char *address, int port)
{
  g_free (self->address_override);
  self->address_override = g_strdup (address);
  self->port_override = port;
}

gboolean
ag_proxy_service_start (AgProxyService *self, GError **error)
{
  g_autofree char *address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  guint port;

  if (ag_proxy_service_get_running (self))
    return TRUE;
  if (self->address_override != NULL)
    address = g_strdup (self->address_override);
  else if (self->settings != NULL)
    address = g_settings_get_string (self->settings, "listen-address");
  else
    address = g_strdup (AG_PROXY_DEFAULT_ADDRESS);
  if (self->port_override >= 0)
    port = (guint) self->port_override;
  else if (self->settings != NULL)
    {
      g_autoptr(GVariant) value = g_settings_get_value (self->settings, "port");

      port = g_variant_get_uint16 (value);
    }
  else
    port = AG_PROXY_DEFAULT_PORT;

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the listen address “%s” is not an IP address",
                   address);
      return FALSE;
    }
  /* Beyond loopback the proxy would hand the accounts to the network; that needs the local API key. */
  if (!ag_local_api_key_allows_address (self->api_key, inet))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "refusing to listen on %s: only loopback addresses are allowed without a local API key", address);
      return FALSE;
    }
  if (!ag_proxy_server_listen (self->server, address, port, error))
    return FALSE;
  g_free (self->address);
  self->address = g_steal_pointer (&address);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
ag_proxy_service_stop (AgProxyService *self)
{
  if (!ag_proxy_service_get_running (self))
    return;
  ag_proxy_server_stop (self->server);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
ag_proxy_service_get_running (AgProxyService *self)
{
  return self->server != NULL && ag_proxy_server_is_listening (self->server);
}

const char *
ag_proxy_service_get_address (AgProxyService *self)
{
  return self->address;
}

guint
ag_proxy_service_get_port (AgProxyService *self)
{
  return ag_proxy_server_get_port (self->server);
}

char *
ag_proxy_service_get_url (AgProxyService *self)
{
  if (!ag_proxy_service_get_running (self))
    return NULL;
  return g_strdup_printf ("http://%s:%u", self->address, ag_proxy_server_get_port (self->server));
}

GSettings *ag_proxy_service_get_settings (AgProxyService *self) { return self->settings; }
AgProxyServer *ag_proxy_service_get_server (AgProxyService *self) { return self->server; }
AgAccountPool *ag_proxy_service_get_pool (AgProxyService *self) { return self->pool; }
AgCloudcodeClient *ag_proxy_service_get_cloudcode (AgProxyService *self) { return self->cloudcode; }
AgOAuthClient *ag_proxy_service_get_oauth (AgProxyService *self) { return self->oauth; }
AgModelCatalogue *ag_proxy_service_get_catalogue (AgProxyService *self) { return self->catalogue; }
AgHistoryStore *ag_proxy_service_get_history (AgProxyService *self) { return self->history; }
AgQuotaPoller *ag_proxy_service_get_quota_poller (AgProxyService *self) { return self->poller; }
AgAccountRegistry *ag_proxy_service_get_registry (AgProxyService *self) { return self->registry; }
AgLocalApiKey *ag_proxy_service_get_local_api_key (AgProxyService *self) { return self->api_key; }

void
ag_proxy_service_check_account_async (AgProxyService *self, const char *email, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(AgAccount) account = NULL;

  g_return_if_fail (AG_IS_PROXY_SERVICE (self));

  account = ag_account_pool_find (self->pool, email);
  if (account == NULL)
    {
      g_task_report_new_error (self, callback, user_data, ag_proxy_service_check_account_async, G_IO_ERROR,
                               G_IO_ERROR_NOT_FOUND, _("No account %s"), email);
      return;
    }
  ag_account_probe_async (self->pool, self->oauth, self->cloudcode, account, cancellable, callback, user_data);
}

gboolean
ag_proxy_service_check_account_finish (AgProxyService *self, GAsyncResult *result, GError **error)
{
  if (g_async_result_is_tagged (result, ag_proxy_service_check_account_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return ag_account_probe_finish (result, error);
}

gboolean
ag_proxy_service_reenable_account (AgProxyService *self, const char *email)
{
  g_autoptr(AgAccount) account = NULL;

  g_return_val_if_fail (AG_IS_PROXY_SERVICE (self), FALSE);

  account = ag_account_pool_find (self->pool, email);
  if (account == NULL)
    return FALSE;
  ag_account_pool_revalidate (self->pool, account);
  return TRUE;
}
