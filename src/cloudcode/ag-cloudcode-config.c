/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-cloudcode-config.h"

#include "ag-tls-trust.h"
#include "ag-upstream-proxy.h"

/* daily before prod for content: the majority (antigravity-claude-proxy (src/constants.js), CLIProxyAPI) and the
 * non-sandbox host both of them moved to. */
#define AG_ENDPOINT_DAILY "https://daily-cloudcode-pa.googleapis.com"
#define AG_ENDPOINT_PROD  "https://cloudcode-pa.googleapis.com"

#define AG_DEFAULT_AUTH_URL     "https://accounts.google.com/o/oauth2/v2/auth"
#define AG_DEFAULT_TOKEN_URL    "https://oauth2.googleapis.com/token"
#define AG_DEFAULT_USERINFO_URL "https://www.googleapis.com/oauth2/v2/userinfo"
/* The update manifest of the current Antigravity release, which CLIProxyAPI reads its version from. */
#define AG_DEFAULT_VERSION_MANIFEST_URL \
  "https://antigravity-hub-auto-updater-974169037036.us-central1.run.app/manifest/latest-arm64-mac.yml"

/* The public installed-app client embedded in Antigravity (identical in every peer). */
#define AG_DEFAULT_CLIENT_ID     "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com"
#define AG_DEFAULT_CLIENT_SECRET "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"

#define AG_SCOPES "https://www.googleapis.com/auth/cloud-platform " \
                  "https://www.googleapis.com/auth/userinfo.email " \
                  "https://www.googleapis.com/auth/userinfo.profile " \
                  "https://www.googleapis.com/auth/cclog " \
                  "https://www.googleapis.com/auth/experimentsandconfigs"

#define AG_INTERLEAVED_THINKING_BETA "interleaved-thinking-2025-05-14"

/* The Gemini CLI's identity (opencode-antigravity-auth src/constants.ts). */
#define AG_GEMINI_CLI_USER_AGENT      "google-api-nodejs-client/9.15.1"
#define AG_GEMINI_CLI_API_CLIENT      "gl-node/22.17.0"
#define AG_GEMINI_CLI_CLIENT_METADATA "ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI"

#if defined(__aarch64__)
#define AG_PLATFORM_ARCH "arm64"
#else
#define AG_PLATFORM_ARCH "amd64"
#endif

struct _AgCloudcodeConfig
{
  GObject parent_instance;

  GStrv endpoints;
  GStrv setup_endpoints;
  GStrv gemini_cli_endpoints;
  char *auth_url;
  char *token_url;
  char *userinfo_url;
  char *client_id;
  char *client_secret;
  char *user_agent;
  AgClientIdentity identity;
  char *client_version;
  gboolean client_version_pinned;   /* AGCL_ANTIGRAVITY_VERSION given: never replaced */
  char *version_manifest_url;       /* NULL: no version check */
  AgUpstreamProxy upstream_proxy;
  GProxyResolver *proxy_resolver;   /* environment mode only; NULL: direct */
  GTlsDatabase *tls_database;       /* AGCL_CA_FILE's trust; NULL: the backend's default */
  GError *setup_error;              /* what makes this configuration unusable (ag_cloudcode_config_check) */
};

G_DEFINE_FINAL_TYPE (AgCloudcodeConfig, ag_cloudcode_config, G_TYPE_OBJECT)

static void
ag_cloudcode_config_finalize (GObject *object)
{
  AgCloudcodeConfig *self = AG_CLOUDCODE_CONFIG (object);

  g_strfreev (self->endpoints);
  g_strfreev (self->setup_endpoints);
  g_strfreev (self->gemini_cli_endpoints);
  g_free (self->auth_url);
  g_free (self->token_url);
  g_free (self->userinfo_url);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->user_agent);
  g_free (self->client_version);
  g_free (self->version_manifest_url);
  g_clear_object (&self->proxy_resolver);
  g_clear_object (&self->tls_database);
  g_clear_error (&self->setup_error);

  G_OBJECT_CLASS (ag_cloudcode_config_parent_class)->finalize (object);
}

static void
ag_cloudcode_config_class_init (AgCloudcodeConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_cloudcode_config_finalize;
}

static void
ag_cloudcode_config_init (AgCloudcodeConfig *self)
{
}

/* The trimmed value of @name, NULL when unset or blank. */
static char *
env_value (const char *name)
{
  const char *raw = g_getenv (name);
  g_autofree char *value = NULL;

  if (raw == NULL)
    return NULL;
  value = g_strstrip (g_strdup (raw));
  if (*value == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static char *
strip_trailing_slashes (char *url)
{
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return url;
}

static char *
url_from_env (const char *name, const char *fallback)
{
  char *value = env_value (name);

  if (value == NULL)
    return g_strdup (fallback);
  strip_trailing_slashes (value);
  if (*value == '\0')
    {
      g_free (value);
      return g_strdup (fallback);
    }
  return value;
}

/* Splits a comma-separated URL list, dropping blanks; NULL when nothing usable remains. */
static GStrv
url_list_from_env (const char *name)
{
  g_autofree char *value = env_value (name);
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  guint count = 0;

  if (value == NULL)
    return NULL;
  parts = g_strsplit (value, ",", -1);
  builder = g_strv_builder_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *url = strip_trailing_slashes (g_strstrip (parts[i]));

      if (*url == '\0')
        continue;
      g_strv_builder_add (builder, url);
      count++;
    }
  if (count == 0)
    return NULL;
  return g_strv_builder_end (builder);
}

/* A mistake in the proxy variables is reported and the request goes direct: better than no start at all. */
static void
choose_upstream_proxy (AgCloudcodeConfig *self)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;

  if (!ag_upstream_proxy_from_environ ((const char * const *) envp, &self->upstream_proxy, &error))
    {
      g_message ("%s; using “%s”", error->message, ag_upstream_proxy_to_string (self->upstream_proxy));
      g_clear_error (&error);
    }
  if (self->upstream_proxy != AG_UPSTREAM_PROXY_ENVIRONMENT)
    return;
  self->proxy_resolver = ag_upstream_proxy_resolver_from_environ ((const char * const *) envp, &error);
  if (error != NULL)
    g_message ("ignoring the proxy variables: %s", error->message);
}

/* Read once: every session this configuration sets up shares the one database. */
static void
choose_tls_database (AgCloudcodeConfig *self)
{
  g_autofree char *ca_file = env_value ("AGCL_CA_FILE");

  if (ca_file != NULL)
    self->tls_database = ag_tls_trust_new (ca_file, &self->setup_error);
}

AgCloudcodeConfig *
ag_cloudcode_config_new_from_env (void)
{
  AgCloudcodeConfig *self = g_object_new (AG_TYPE_CLOUDCODE_CONFIG, NULL);
  g_autofree char *version = env_value ("AGCL_ANTIGRAVITY_VERSION");
  g_autofree char *manifest_url = NULL;
  g_autofree char *identity = NULL;
  char *client_id = env_value ("AGCL_OAUTH_CLIENT_ID");
  char *client_secret = env_value ("AGCL_OAUTH_CLIENT_SECRET");

  self->endpoints = url_list_from_env ("AGCL_CLOUDCODE_ENDPOINTS");
  if (self->endpoints != NULL)
    {
      /* An explicit list (the mock, a private gateway) replaces every Cloud Code host. */
      self->setup_endpoints = g_strdupv (self->endpoints);
      self->gemini_cli_endpoints = g_strdupv (self->endpoints);
    }
  else
    {
      const char *content[] = { AG_ENDPOINT_DAILY, AG_ENDPOINT_PROD, NULL };
      /* Set-up calls prod first. For loadCodeAssist every peer does so (antigravity-claude-proxy: "works better on
       * prod for fresh accounts"); for onboardUser the peers try a daily host first, and ag-cl keeps one order for
       * both, with daily as the fallback (docs/upstream-cloudcode.md#host-order). */
      const char *setup[] = { AG_ENDPOINT_PROD, AG_ENDPOINT_DAILY, NULL };
      const char *gemini_cli[] = { AG_ENDPOINT_PROD, NULL };

      self->endpoints = g_strdupv ((char **) content);
      self->setup_endpoints = g_strdupv ((char **) setup);
      self->gemini_cli_endpoints = g_strdupv ((char **) gemini_cli);
    }

  self->auth_url = url_from_env ("AGCL_OAUTH_AUTH_URL", AG_DEFAULT_AUTH_URL);
  self->token_url = url_from_env ("AGCL_OAUTH_TOKEN_URL", AG_DEFAULT_TOKEN_URL);
  self->userinfo_url = url_from_env ("AGCL_USERINFO_URL", AG_DEFAULT_USERINFO_URL);
  self->client_id = client_id != NULL ? client_id : g_strdup (AG_DEFAULT_CLIENT_ID);
  self->client_secret = client_secret != NULL ? client_secret : g_strdup (AG_DEFAULT_CLIENT_SECRET);
  identity = env_value ("AGCL_USER_AGENT_FAMILY");
  self->identity = g_strcmp0 (identity, "hub") == 0 ? AG_CLIENT_IDENTITY_HUB : AG_CLIENT_IDENTITY_ANTIGRAVITY;
  if (identity != NULL && self->identity == AG_CLIENT_IDENTITY_ANTIGRAVITY && !g_str_equal (identity, "antigravity"))
    g_message ("AGCL_USER_AGENT_FAMILY must be antigravity or hub; using antigravity");
  self->client_version_pinned = version != NULL;
  ag_cloudcode_config_set_client_version (self, version != NULL ? version : AG_ANTIGRAVITY_DEFAULT_VERSION);
  manifest_url = env_value ("AGCL_VERSION_MANIFEST_URL");
  if (manifest_url == NULL)
    self->version_manifest_url = g_strdup (AG_DEFAULT_VERSION_MANIFEST_URL);
  else if (g_ascii_strcasecmp (manifest_url, "none") != 0)
    self->version_manifest_url = g_steal_pointer (&manifest_url);
  choose_upstream_proxy (self);
  choose_tls_database (self);
  return self;
}

gboolean
ag_cloudcode_config_check (AgCloudcodeConfig *self, GError **error)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), FALSE);

  if (self->setup_error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (self->setup_error));
  return FALSE;
}

/* What every session to Google shares besides the way out: the certificates it trusts. */
static void
configure_tls (AgCloudcodeConfig *self, SoupSession *session)
{
  if (self->tls_database != NULL)
    soup_session_set_tls_database (session, self->tls_database);
}

const char * const *
ag_cloudcode_config_get_endpoints (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return (const char * const *) self->endpoints;
}

const char * const *
ag_cloudcode_config_get_setup_endpoints (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return (const char * const *) self->setup_endpoints;
}

const char *
ag_cloudcode_config_get_auth_url (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->auth_url;
}

const char *
ag_cloudcode_config_get_token_url (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->token_url;
}

const char *
ag_cloudcode_config_get_userinfo_url (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->userinfo_url;
}

const char *
ag_cloudcode_config_get_client_id (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->client_id;
}

const char *
ag_cloudcode_config_get_client_secret (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->client_secret;
}

const char *
ag_cloudcode_config_get_user_agent (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->user_agent;
}

const char *
ag_cloudcode_config_get_scopes (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return AG_SCOPES;
}

char *
ag_cloudcode_config_build_url (AgCloudcodeConfig *self, const char *base, const char *method, const char *query)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  g_return_val_if_fail (base != NULL && method != NULL, NULL);

  if (query != NULL)
    return g_strdup_printf ("%s/v1internal:%s?%s", base, method, query);
  return g_strdup_printf ("%s/v1internal:%s", base, method);
}

/* The headers every Cloud Code call carries; @user_agent is the identity of the quota pool spoken to. */
static SoupMessageHeaders *
apply_common_headers (SoupMessage *message, const char *user_agent, const char *access_token)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *authorization = g_strconcat ("Bearer ", access_token, NULL);

  soup_message_headers_replace (headers, "User-Agent", user_agent);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Content-Type", "application/json");
  return headers;
}

/* Content calls send only the User-Agent as client identity, as CLIProxyAPI and opencode-antigravity-auth do: the
 * richer X-Client-* and
 * x-goog-* sets of antigravity-claude-proxy/Antigravity-Manager are contradictory between them and x-goog-user-project
 * can cause 403s. */
void
ag_cloudcode_config_apply_headers (AgCloudcodeConfig *self,
                                   SoupMessage       *message,
                                   const char        *access_token,
                                   gboolean           streaming,
                                   AgModelFamily      family,
                                   gboolean           thinking)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (AG_IS_CLOUDCODE_CONFIG (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (access_token != NULL);

  headers = apply_common_headers (message, self->user_agent, access_token);
  soup_message_headers_replace (headers, "Accept", streaming ? "text/event-stream" : "application/json");
  if (family == AG_MODEL_FAMILY_CLAUDE && thinking)
    soup_message_headers_replace (headers, "anthropic-beta", AG_INTERLEAVED_THINKING_BETA);
  else
    soup_message_headers_remove (headers, "anthropic-beta");
}

void
ag_cloudcode_config_apply_unary_headers (AgCloudcodeConfig *self, SoupMessage *message, const char *access_token)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (AG_IS_CLOUDCODE_CONFIG (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (access_token != NULL);

  headers = apply_common_headers (message, self->user_agent, access_token);
  soup_message_headers_replace (headers, "Accept", "application/json");
}

/* ── the Gemini CLI quota pool ── */

const char * const *
ag_cloudcode_config_get_gemini_cli_endpoints (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return (const char * const *) self->gemini_cli_endpoints;
}

void
ag_cloudcode_config_apply_gemini_cli_headers (AgCloudcodeConfig *self, SoupMessage *message, const char *access_token)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (AG_IS_CLOUDCODE_CONFIG (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (access_token != NULL);

  headers = apply_common_headers (message, AG_GEMINI_CLI_USER_AGENT, access_token);
  soup_message_headers_replace (headers, "X-Goog-Api-Client", AG_GEMINI_CLI_API_CLIENT);
  soup_message_headers_replace (headers, "Client-Metadata", AG_GEMINI_CLI_CLIENT_METADATA);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
}

char *
ag_cloudcode_gemini_cli_model (const char *model)
{
  /* The Gemini CLI pool's models (opencode-antigravity-auth model-resolver.ts); Antigravity adds tiers to Pro. */
  static const struct { const char *antigravity; const char *gemini_cli; } names[] = {
    { "gemini-3-flash", "gemini-3-flash-preview" },
    { "gemini-3-pro", "gemini-3-pro-preview" },
    { "gemini-3.1-pro", "gemini-3.1-pro-preview" },
    { "gemini-2.5-pro", "gemini-2.5-pro" },
    { "gemini-2.5-flash", "gemini-2.5-flash" },
  };
  static const char *tiers[] = { "", "-low", "-medium", "-high", "-minimal" };

  g_return_val_if_fail (model != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    for (gsize t = 0; t < G_N_ELEMENTS (tiers); t++)
      {
        gsize base = strlen (names[i].antigravity);

        if (strncmp (model, names[i].antigravity, base) == 0 && strcmp (model + base, tiers[t]) == 0)
          return g_strdup (names[i].gemini_cli);
      }
  return NULL;
}

void
ag_cloudcode_config_configure_session (AgCloudcodeConfig *self, SoupSession *session)
{
  g_return_if_fail (AG_IS_CLOUDCODE_CONFIG (self));
  g_return_if_fail (SOUP_IS_SESSION (session));

  configure_tls (self, session);
  /* System mode leaves libsoup's default, GIO's resolver. Otherwise an explicit resolver or none: with none,
   * GIO's proxy modules (and libproxy's C++ runtime) are never loaded. */
  if (self->upstream_proxy != AG_UPSTREAM_PROXY_SYSTEM)
    g_object_set (session, "proxy-resolver", self->proxy_resolver, NULL);
}

void
ag_cloudcode_config_configure_session_for_proxy (AgCloudcodeConfig *self, SoupSession *session, const char *proxy_uri)
{
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autofree char *for_gio = NULL;
  g_autofree char *for_https = NULL;

  if (proxy_uri == NULL)
    {
      ag_cloudcode_config_configure_session (self, session);
      return;
    }
  configure_tls (self, session);
  for_gio = ag_upstream_proxy_uri_for_gio (proxy_uri);
  for_https = ag_upstream_proxy_uri_for_https (proxy_uri);
  resolver = g_simple_proxy_resolver_new (for_gio, NULL);
  g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", for_https);
  g_object_set (session, "proxy-resolver", resolver, NULL);
}

AgUpstreamProxy
ag_cloudcode_config_get_upstream_proxy (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), AG_UPSTREAM_PROXY_SYSTEM);
  return self->upstream_proxy;
}

void
ag_cloudcode_config_set_client_version (AgCloudcodeConfig *self, const char *version)
{
  g_return_if_fail (AG_IS_CLOUDCODE_CONFIG (self));
  g_return_if_fail (version != NULL);

  g_free (self->client_version);
  self->client_version = g_strdup (version);
  g_free (self->user_agent);
  /* docs/upstream-cloudcode.md#client-identity. The default is the "antigravity/<version> <os>/<arch>" family that
   * antigravity-claude-proxy and opencode-antigravity-auth send, with the OS ag-cl runs on. The Hub family is the
   * one CLIProxyAPI sends since 2026-07, as a macOS Hub on every host. */
  if (self->identity == AG_CLIENT_IDENTITY_HUB)
    self->user_agent = g_strdup_printf ("antigravity/hub/%s darwin/arm64", version);
  else
    self->user_agent = g_strdup_printf ("antigravity/%s linux/%s", version, AG_PLATFORM_ARCH);
}

const char *
ag_cloudcode_config_get_client_version (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->client_version;
}

gboolean
ag_cloudcode_config_get_client_version_pinned (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), FALSE);
  return self->client_version_pinned;
}

const char *
ag_cloudcode_config_get_version_manifest_url (AgCloudcodeConfig *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (self), NULL);
  return self->version_manifest_url;
}

void
ag_cloudcode_config_prepare_process (void)
{
  if (g_getenv ("AGCL_UPSTREAM_HTTP2") == NULL)
    g_setenv ("SOUP_FORCE_HTTP1", "1", FALSE);
}
