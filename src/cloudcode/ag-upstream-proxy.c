/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-upstream-proxy.c — the upstream HTTP proxy from ag-cl's environment; see the header for the rules. */
#include "ag-upstream-proxy.h"

#include <string.h>

/* The scheme under which GIO's own HTTP proxy client carries https:// targets of a proxy with credentials
 * (ag_upstream_proxy_uri_for_https). */
#define TUNNEL_SCHEME "agcl-http-tunnel"

/* Hosts that never go through a proxy: the mock in tests, a local gateway. */
static const char * const loopback_hosts[] = { "localhost", "127.0.0.0/8", "::1" };

/* @name's value in @envp, else its upper-case form's; NULL when unset or blank. */
static const char *
proxy_variable (const char * const *envp, const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);
  const char *value = g_environ_getenv ((char **) envp, name);

  if (value == NULL || *value == '\0')
    value = g_environ_getenv ((char **) envp, upper);
  if (value == NULL)
    return NULL;
  while (g_ascii_isspace (*value))
    value++;
  return *value != '\0' ? value : NULL;
}

gboolean
ag_upstream_proxy_from_environ (const char * const *envp, AgUpstreamProxy *mode, GError **error)
{
  const char *requested = g_environ_getenv ((char **) envp, "AGCL_UPSTREAM_PROXY");
  const char *desktop = g_environ_getenv ((char **) envp, "XDG_CURRENT_DESKTOP");

  g_return_val_if_fail (mode != NULL, FALSE);

  *mode = desktop != NULL && *desktop != '\0' ? AG_UPSTREAM_PROXY_SYSTEM : AG_UPSTREAM_PROXY_ENVIRONMENT;
  if (requested == NULL || *requested == '\0' || g_ascii_strcasecmp (requested, "auto") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (requested, "system") == 0)
    *mode = AG_UPSTREAM_PROXY_SYSTEM;
  else if (g_ascii_strcasecmp (requested, "environment") == 0)
    *mode = AG_UPSTREAM_PROXY_ENVIRONMENT;
  else if (g_ascii_strcasecmp (requested, "none") == 0)
    *mode = AG_UPSTREAM_PROXY_NONE;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "AGCL_UPSTREAM_PROXY must be auto, system, environment or none, not “%s”", requested);
      return FALSE;
    }
  return TRUE;
}

/* @value as a proxy URI GIO takes: "host:port" means an HTTP proxy, as curl takes it. */
static char *
proxy_uri (const char *name, const char *value, GError **error)
{
  g_autofree char *uri = strstr (value, "://") != NULL ? g_strdup (value) : g_strconcat ("http://", value, NULL);

  g_strchomp (uri);
  if (!g_uri_is_valid (uri, G_URI_FLAGS_NONE, NULL))
    {
      /* The value itself stays out of the message: it may hold a password. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s is not a proxy URI", name);
      return NULL;
    }
  return ag_upstream_proxy_uri_for_gio (uri);
}

static GStrv
ignore_hosts (const char *no_proxy)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (loopback_hosts); i++)
    g_strv_builder_add (builder, loopback_hosts[i]);
  if (no_proxy != NULL)
    {
      g_auto(GStrv) entries = g_strsplit_set (no_proxy, ", \t", -1);

      /* GSimpleProxyResolver already reads "example.com", ".example.com" and "*.example.com" as the domain and
       * every host under it, which is what no_proxy means to curl and wget. */
      for (guint i = 0; entries[i] != NULL; i++)
        if (entries[i][0] != '\0')
          g_strv_builder_add (builder, entries[i]);
    }
  return g_strv_builder_end (builder);
}

GProxyResolver *
ag_upstream_proxy_resolver_from_environ (const char * const *envp, GError **error)
{
  static const char * const schemes[] = { "https", "http" };
  const char *no_proxy = proxy_variable (envp, "no_proxy");
  const char *all = proxy_variable (envp, "all_proxy");
  g_autofree char *default_uri = NULL;
  g_auto(GStrv) ignore = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;
  gboolean any = FALSE;

  if (no_proxy != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (no_proxy));

      if (strcmp (trimmed, "*") == 0)
        return NULL;
    }
  if (all != NULL && (default_uri = proxy_uri ("all_proxy", all, error)) == NULL)
    return NULL;
  ignore = ignore_hosts (no_proxy);
  resolver = g_simple_proxy_resolver_new (default_uri, ignore);
  any = default_uri != NULL;
  if (all != NULL)
    {
      g_autofree char *for_https = ag_upstream_proxy_uri_for_https (default_uri);

      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", for_https);
    }
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *name = g_strconcat (schemes[i], "_proxy", NULL);
      const char *value = proxy_variable (envp, name);
      g_autofree char *uri = NULL;

      if (value == NULL)
        continue;
      if ((uri = proxy_uri (name, value, error)) == NULL)
        return NULL;
      /* The proxy for https:// targets is https_proxy, else all_proxy (set above), never http_proxy. */
      if (g_str_equal (schemes[i], "https"))
        {
          g_autofree char *for_https = ag_upstream_proxy_uri_for_https (uri);

          g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), schemes[i], for_https);
        }
      else
        g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), schemes[i], uri);
      any = TRUE;
    }
  return any ? g_steal_pointer (&resolver) : NULL;
}

char *
ag_upstream_proxy_uri_for_gio (const char *uri)
{
  /* curl's socks5h:// asks the proxy to resolve the host; GIO has no such protocol, but its socks5 always sends
   * the host name (GSocks5Proxy supports hostnames, so nothing is resolved locally), which is the same. */
  if (g_ascii_strncasecmp (uri, "socks5h://", strlen ("socks5h://")) == 0)
    return g_strconcat ("socks5://", uri + strlen ("socks5h://"), NULL);
  return g_strdup (uri);
}

/* libsoup 3.2 keeps "http" proxies for itself and sends their credentials only after a 407; its retry of a CONNECT
 * then asks the proxy for a tunnel to the proxy's own address (and a retry on a new connection loses a POST's
 * body), so no request gets through. GIO's HTTP proxy client sends the credentials with its CONNECT; it is
 * registered for "http" only, which libsoup claims, so it is registered once more under a name of our own that
 * libsoup leaves to GIO. A tunnel is all it makes, which an https:// target needs anyway. */
static gpointer
register_tunnel (gpointer data)
{
  g_autoptr(GProxy) http = g_proxy_get_default_for_protocol ("http");
  GTypeQuery query;
  GType tunnel;

  if (http == NULL)
    return NULL;
  /* A subclass that changes nothing: GIO registers each type under one name only. */
  g_type_query (G_OBJECT_TYPE (http), &query);
  tunnel = g_type_register_static_simple (G_OBJECT_TYPE (http), "AgHttpTunnelProxy", query.class_size, NULL,
                                          query.instance_size, NULL, 0);
  g_io_extension_point_implement (G_PROXY_EXTENSION_POINT_NAME, tunnel, TUNNEL_SCHEME, 0);
  return NULL;
}

char *
ag_upstream_proxy_uri_for_https (const char *uri)
{
  static GOnce registered = G_ONCE_INIT;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);

  if (parsed == NULL || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "http") != 0 || g_uri_get_user (parsed) == NULL)
    return ag_upstream_proxy_uri_for_gio (uri);
  g_once (&registered, register_tunnel, NULL);
  return g_strconcat (TUNNEL_SCHEME, uri + strlen ("http"), NULL);
}

gboolean
ag_upstream_proxy_uri_check (const char *uri, GError **error)
{
  static const char * const schemes[] = { "http", "https", "socks5", "socks5h", NULL };
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  if (parsed == NULL || !g_strv_contains (schemes, g_uri_get_scheme (parsed)) || g_uri_get_host (parsed) == NULL ||
      *g_uri_get_host (parsed) == '\0' || (g_uri_get_path (parsed)[0] != '\0' && !g_str_equal (g_uri_get_path (parsed), "/")))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a proxy must be http://, https:// or socks5://[user:password@]host[:port] (socks5h:// as well)");
      return FALSE;
    }
  return TRUE;
}

char *
ag_upstream_proxy_uri_display (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  if (parsed == NULL)
    return g_strdup ("(invalid proxy)");
  if (g_uri_get_port (parsed) > 0)
    return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (parsed), g_uri_get_host (parsed), g_uri_get_port (parsed));
  return g_strdup_printf ("%s://%s", g_uri_get_scheme (parsed), g_uri_get_host (parsed));
}

const char *
ag_upstream_proxy_to_string (AgUpstreamProxy mode)
{
  switch (mode)
    {
    case AG_UPSTREAM_PROXY_SYSTEM: return "system";
    case AG_UPSTREAM_PROXY_ENVIRONMENT: return "environment";
    case AG_UPSTREAM_PROXY_NONE: return "none";
    default: g_return_val_if_reached ("none");
    }
}

gpointer
ag_upstream_proxy_client_for (GHashTable **cache, gpointer direct, const char *proxy_uri,
                              AgUpstreamProxyClientNew client_new)
{
  gpointer client;

  g_return_val_if_fail (cache != NULL && client_new != NULL, NULL);

  if (proxy_uri == NULL || *proxy_uri == '\0')
    return direct;
  if (*cache == NULL)
    *cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  client = g_hash_table_lookup (*cache, proxy_uri);
  if (client == NULL)
    {
      client = client_new (direct, proxy_uri);
      g_hash_table_insert (*cache, g_strdup (proxy_uri), client);
    }
  return client;
}
