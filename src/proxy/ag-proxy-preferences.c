/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-preferences.c — preferences applied to the pool, the catalogue and the server; see the header. */
#include "ag-proxy-preferences.h"

struct _AgProxyPreferences {
  GObject           parent_instance;

  GSettings        *settings;
  AgAccountPool    *pool;
  AgModelCatalogue *catalogue;
  AgProxyServer    *server;
};

G_DEFINE_FINAL_TYPE (AgProxyPreferences, ag_proxy_preferences, G_TYPE_OBJECT)

/* Account selection and backoff: the pool reads them on every request, so changes apply to the next one. */
static const char *const pool_keys[] = {
  "selection-strategy", "preferred-account", "max-wait-in-place-ms", "quota-backoff-ladder", "rate-limit-backoff",
  "capacity-backoff", "empty-answer-retries", "dual-quota-pool", "ai-credits",
};

/* How a call is translated and answered: the server hands them to each call at its start. */
static const char *const server_keys[] = {
  "model-map", "warmup-interception", "background-routing", "background-model", "keepalive-ms", "usage-scaling",
  "client-context-window", "stream-idle-timeout", "thinking-keys", "require-api-key", "allowed-hosts",
  "allowed-origins",
};

static void
ag_proxy_preferences_dispose (GObject *object)
{
  AgProxyPreferences *self = AG_PROXY_PREFERENCES (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->pool);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (ag_proxy_preferences_parent_class)->dispose (object);
}

static void
ag_proxy_preferences_class_init (AgProxyPreferencesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_proxy_preferences_dispose;
}

static void
ag_proxy_preferences_init (AgProxyPreferences *self)
{
}

static gboolean parse_flag (const char *text);

static void
apply_pool_settings (AgProxyPreferences *self)
{
  g_autofree char *preferred = NULL;
  g_autoptr(GVariant) ladder = NULL;
  const guint32 *steps;
  gsize n_steps = 0;
  const char *credits = g_getenv ("AGCL_AI_CREDITS");

  /* Spending money is the user's explicit choice: the variable (headless) or the preference, else off. */
  if (credits != NULL)
    ag_account_pool_set_ai_credits (self->pool, parse_flag (credits));
  else if (self->settings != NULL)
    ag_account_pool_set_ai_credits (self->pool, g_settings_get_boolean (self->settings, "ai-credits"));
  if (self->settings == NULL)
    return;
  preferred = g_settings_get_string (self->settings, "preferred-account");
  ladder = g_settings_get_value (self->settings, "quota-backoff-ladder");
  steps = g_variant_get_fixed_array (ladder, &n_steps, sizeof (guint32));
  ag_account_pool_set_strategy (self->pool, (AgSelectionStrategy) g_settings_get_enum (self->settings,
                                                                                        "selection-strategy"));
  ag_account_pool_set_preferred_account (self->pool, preferred);
  ag_account_pool_set_max_wait_in_place_ms (self->pool, g_settings_get_uint (self->settings, "max-wait-in-place-ms"));
  ag_account_pool_set_quota_ladder (self->pool, steps, n_steps);
  ag_account_pool_set_rate_limit_backoff (self->pool, g_settings_get_uint (self->settings, "rate-limit-backoff"));
  ag_account_pool_set_capacity_backoff (self->pool, g_settings_get_uint (self->settings, "capacity-backoff"));
  ag_account_pool_set_empty_answer_retries (self->pool, g_settings_get_uint (self->settings, "empty-answer-retries"));
  ag_account_pool_set_dual_quota_pool (self->pool, g_settings_get_boolean (self->settings, "dual-quota-pool"));
}

/* "a, b,c" → { "a", "b", "c" }, blanks dropped (the guard normalizes the rest). */
static char **
split_list (const char *text)
{
  return g_strsplit_set (text, ", ", -1);
}

static gboolean
parse_flag (const char *text)
{
  return g_ascii_strcasecmp (text, "1") == 0 || g_ascii_strcasecmp (text, "true") == 0 ||
         g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "on") == 0;
}

/* Who may use the proxy (ag-request-guard.h). */
static void
apply_guard_settings (AgProxyPreferences *self)
{
  AgRequestGuard *guard = ag_proxy_server_get_guard (self->server);
  const char *require = g_getenv ("AGCL_REQUIRE_API_KEY");
  const char *hosts = g_getenv ("AGCL_ALLOWED_HOSTS");
  const char *origins = g_getenv ("AGCL_ALLOWED_ORIGINS");

  if (self->settings != NULL)
    {
      g_auto(GStrv) setting_hosts = g_settings_get_strv (self->settings, "allowed-hosts");
      g_auto(GStrv) setting_origins = g_settings_get_strv (self->settings, "allowed-origins");

      ag_request_guard_set_require_api_key (guard, g_settings_get_boolean (self->settings, "require-api-key"));
      ag_request_guard_set_allowed_hosts (guard, (const char * const *) setting_hosts);
      ag_request_guard_set_allowed_origins (guard, (const char * const *) setting_origins);
    }
  if (require != NULL)
    ag_request_guard_set_require_api_key (guard, parse_flag (require));
  if (hosts != NULL)
    {
      g_auto(GStrv) list = split_list (hosts);

      ag_request_guard_set_allowed_hosts (guard, (const char * const *) list);
    }
  if (origins != NULL)
    {
      g_auto(GStrv) list = split_list (origins);

      ag_request_guard_set_allowed_origins (guard, (const char * const *) list);
    }
}

/* Preferences come from GSettings; the documented AGCL_* variables override them (scripts, tests). */
static gboolean
apply_settings (AgProxyPreferences *self, GError **error)
{
  const char *aliases = g_getenv ("AGCL_MODEL_MAP");
  const char *thinking_keys = g_getenv ("AGCL_THINKING_KEYS");
  const char *keepalive = g_getenv ("AGCL_KEEPALIVE_MS");
  const char *scaling_window = g_getenv ("AGCL_USAGE_SCALING_WINDOW");
  const char *idle_timeout = g_getenv ("AGCL_STREAM_IDLE_TIMEOUT_MS");

  apply_pool_settings (self);
  apply_guard_settings (self);
  if (self->settings != NULL)
    {
      g_autoptr(GVariant) map = g_settings_get_value (self->settings, "model-map");
      GVariantIter iter;
      const char *from, *to;

      g_variant_iter_init (&iter, map);
      while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
        ag_model_catalogue_set_alias (self->catalogue, from, to);
      ag_proxy_server_set_thinking_keys (self->server, g_settings_get_enum (self->settings, "thinking-keys") == 1
                                                         ? AG_THINKING_KEYS_SNAKE : AG_THINKING_KEYS_CAMEL);
      ag_proxy_server_set_keepalive_ms (self->server, g_settings_get_uint (self->settings, "keepalive-ms"));
      ag_proxy_server_set_stream_idle_timeout_ms (self->server,
                                                  g_settings_get_uint (self->settings, "stream-idle-timeout") * 1000);
      ag_proxy_server_set_usage_scaling (self->server, g_settings_get_boolean (self->settings, "usage-scaling"),
                                         g_settings_get_uint (self->settings, "client-context-window"));
      ag_proxy_server_set_warmup_interception (self->server,
                                               g_settings_get_boolean (self->settings, "warmup-interception"));
      {
        g_autofree char *background_model = g_settings_get_string (self->settings, "background-model");

        ag_proxy_server_set_background_routing (self->server,
                                                g_settings_get_boolean (self->settings, "background-routing"),
                                                background_model);
      }
    }
  if (aliases != NULL && !ag_model_catalogue_parse_aliases (self->catalogue, aliases, error))
    {
      g_prefix_error (error, "AGCL_MODEL_MAP: ");
      return FALSE;
    }
  if (thinking_keys != NULL)
    ag_proxy_server_set_thinking_keys (self->server, g_str_equal (thinking_keys, "snake")
                                                       ? AG_THINKING_KEYS_SNAKE : AG_THINKING_KEYS_CAMEL);
  if (scaling_window != NULL)
    {
      guint window = (guint) g_ascii_strtoull (scaling_window, NULL, 10);

      ag_proxy_server_set_usage_scaling (self->server, window > 0, window);
    }
  if (keepalive != NULL)
    ag_proxy_server_set_keepalive_ms (self->server, (guint) g_ascii_strtoull (keepalive, NULL, 10));
  if (idle_timeout != NULL)
    ag_proxy_server_set_stream_idle_timeout_ms (self->server, (guint) g_ascii_strtoull (idle_timeout, NULL, 10));
  return TRUE;
}

static void
on_setting_changed (AgProxyPreferences *self)
{
  g_autoptr(GError) error = NULL;

  if (!apply_settings (self, &error))
    g_warning ("%s", error->message);
}

AgProxyPreferences *
ag_proxy_preferences_new (GSettings *settings, AgAccountPool *pool, AgModelCatalogue *catalogue,
                          AgProxyServer *server, GError **error)
{
  g_autoptr(AgProxyPreferences) self = g_object_new (AG_TYPE_PROXY_PREFERENCES, NULL);

  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->pool = g_object_ref (pool);
  self->catalogue = g_object_ref (catalogue);
  self->server = g_object_ref (server);
  if (!apply_settings (self, error))
    return NULL;
  if (self->settings == NULL)
    return g_steal_pointer (&self);
  for (gsize i = 0; i < G_N_ELEMENTS (server_keys); i++)
    {
      g_autofree char *signal = g_strconcat ("changed::", server_keys[i], NULL);

      g_signal_connect_swapped (self->settings, signal, G_CALLBACK (on_setting_changed), self);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (pool_keys); i++)
    {
      g_autofree char *signal = g_strconcat ("changed::", pool_keys[i], NULL);

      g_signal_connect_swapped (self->settings, signal, G_CALLBACK (apply_pool_settings), self);
    }
  return g_steal_pointer (&self);
}
