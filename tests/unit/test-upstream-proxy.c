/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The upstream proxy from the environment: which mode, which proxy for which URL, what is never proxied. */
#include "ag-upstream-proxy.h"

/* Where @resolver sends a request for @uri: "direct://" or the proxy URI. */
static char *
proxy_for (GProxyResolver *resolver, const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup (resolver, uri, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (proxies);
  g_assert_nonnull (proxies[0]);
  return g_strdup (proxies[0]);
}

static AgUpstreamProxy
mode_of (const char * const *envp)
{
  AgUpstreamProxy mode;
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_upstream_proxy_from_environ (envp, &mode, &error));
  g_assert_no_error (error);
  return mode;
}

static void
test_mode_auto (void)
{
  const char *server[] = { "HOME=/root", NULL };
  const char *desktop[] = { "XDG_CURRENT_DESKTOP=GNOME", NULL };
  const char *blank_desktop[] = { "XDG_CURRENT_DESKTOP=", NULL };
  const char *explicit_auto[] = { "AGCL_UPSTREAM_PROXY=auto", "XDG_CURRENT_DESKTOP=KDE", NULL };

  g_assert_cmpint (mode_of (server), ==, AG_UPSTREAM_PROXY_ENVIRONMENT);
  g_assert_cmpint (mode_of (blank_desktop), ==, AG_UPSTREAM_PROXY_ENVIRONMENT);
  g_assert_cmpint (mode_of (desktop), ==, AG_UPSTREAM_PROXY_SYSTEM);
  g_assert_cmpint (mode_of (explicit_auto), ==, AG_UPSTREAM_PROXY_SYSTEM);
}

static void
test_mode_explicit (void)
{
  const char *system[] = { "AGCL_UPSTREAM_PROXY=system", NULL };
  const char *environment[] = { "AGCL_UPSTREAM_PROXY=Environment", "XDG_CURRENT_DESKTOP=GNOME", NULL };
  const char *none[] = { "AGCL_UPSTREAM_PROXY=none", "https_proxy=http://proxy:3128", NULL };
  const char *unknown[] = { "AGCL_UPSTREAM_PROXY=libproxy", "XDG_CURRENT_DESKTOP=GNOME", NULL };
  g_autoptr(GError) error = NULL;
  AgUpstreamProxy mode;

  g_assert_cmpint (mode_of (system), ==, AG_UPSTREAM_PROXY_SYSTEM);
  g_assert_cmpint (mode_of (environment), ==, AG_UPSTREAM_PROXY_ENVIRONMENT);
  g_assert_cmpint (mode_of (none), ==, AG_UPSTREAM_PROXY_NONE);

  /* A typo is an error that names the choices; the mode is then what auto gives. */
  g_assert_false (ag_upstream_proxy_from_environ (unknown, &mode, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "auto, system, environment or none"));
  g_assert_cmpint (mode, ==, AG_UPSTREAM_PROXY_SYSTEM);
  g_assert_cmpstr (ag_upstream_proxy_to_string (AG_UPSTREAM_PROXY_ENVIRONMENT), ==, "environment");
}

static void
test_no_variables_means_direct (void)
{
  const char *empty[] = { "HOME=/root", NULL };
  const char *blank[] = { "https_proxy=", "HTTP_PROXY=  ", NULL };
  const char *only_no_proxy[] = { "no_proxy=example.com", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (ag_upstream_proxy_resolver_from_environ (empty, &error));
  g_assert_null (ag_upstream_proxy_resolver_from_environ (blank, &error));
  g_assert_null (ag_upstream_proxy_resolver_from_environ (only_no_proxy, &error));
  g_assert_no_error (error);
}

static void
test_per_scheme_and_all_proxy (void)
{
  const char *envp[] = { "https_proxy=http://secure.proxy:3128", "http_proxy=plain.proxy:8080",
                         "all_proxy=socks5://socks.proxy:1080", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) resolver = ag_upstream_proxy_resolver_from_environ (envp, &error);
  g_autofree char *https = NULL, *http = NULL, *other = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (resolver);
  https = proxy_for (resolver, "https://cloudcode-pa.googleapis.com/v1internal:loadCodeAssist");
  http = proxy_for (resolver, "http://example.net/");
  other = proxy_for (resolver, "ftp://example.net/");
  g_assert_cmpstr (https, ==, "http://secure.proxy:3128");
  /* "host:port" without a scheme is an HTTP proxy, as curl reads it. */
  g_assert_cmpstr (http, ==, "http://plain.proxy:8080");
  g_assert_cmpstr (other, ==, "socks5://socks.proxy:1080");
}

static void
test_upper_case_and_precedence (void)
{
  const char *upper[] = { "HTTPS_PROXY=http://upper.proxy:3128", NULL };
  const char *both[] = { "HTTPS_PROXY=http://upper.proxy:3128", "https_proxy=http://lower.proxy:3128", NULL };
  g_autoptr(GProxyResolver) from_upper = ag_upstream_proxy_resolver_from_environ (upper, NULL);
  g_autoptr(GProxyResolver) from_both = ag_upstream_proxy_resolver_from_environ (both, NULL);
  g_autofree char *a = proxy_for (from_upper, "https://oauth2.googleapis.com/token");
  g_autofree char *b = proxy_for (from_both, "https://oauth2.googleapis.com/token");

  g_assert_cmpstr (a, ==, "http://upper.proxy:3128");
  g_assert_cmpstr (b, ==, "http://lower.proxy:3128");
}

static void
test_no_proxy (void)
{
  const char *envp[] = { "https_proxy=http://proxy:3128", "no_proxy= internal.example, .corp.example,10.0.0.0/8",
                         NULL };
  const char *everything[] = { "https_proxy=http://proxy:3128", "NO_PROXY=*", NULL };
  g_autoptr(GProxyResolver) resolver = ag_upstream_proxy_resolver_from_environ (envp, NULL);
  struct { const char *uri; const char *expected; } cases[] = {
    { "https://internal.example/", "direct://" },
    { "https://api.internal.example/", "direct://" },       /* a domain covers its subdomains */
    { "https://build.corp.example/", "direct://" },
    { "https://10.1.2.3/", "direct://" },
    { "https://cloudcode-pa.googleapis.com/", "http://proxy:3128" },
    { "https://notinternal.example/", "http://proxy:3128" },
    /* Loopback never goes through the proxy, listed or not: the mock, a local gateway. */
    { "https://127.0.0.1:8443/", "direct://" },
    { "http://localhost:8080/", "direct://" },
    { "https://[::1]:8443/", "direct://" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *proxy = proxy_for (resolver, cases[i].uri);

      g_test_message ("%s", cases[i].uri);
      g_assert_cmpstr (proxy, ==, cases[i].expected);
    }
  g_assert_null (ag_upstream_proxy_resolver_from_environ (everything, NULL));
}

static void
test_invalid_proxy_is_an_error_without_the_value (void)
{
  const char *envp[] = { "https_proxy=http://user:s3cret@[bad", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (ag_upstream_proxy_resolver_from_environ (envp, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "https_proxy"));
  g_assert_null (strstr (error->message, "s3cret"));
}

/* curl's socks5h:// (the proxy resolves names) is GIO's socks5://, which never resolves a target itself; GIO knows
 * no "socks5h" and would fail every request with it. */
static void
test_socks5h (void)
{
  const char *envp[] = { "all_proxy=socks5h://user:s3cret@socks.proxy:1080", NULL };
  g_autoptr(GProxyResolver) resolver = ag_upstream_proxy_resolver_from_environ (envp, NULL);
  g_autofree char *proxy = proxy_for (resolver, "https://cloudcode-pa.googleapis.com/");
  g_autofree char *for_gio = ag_upstream_proxy_uri_for_gio ("SOCKS5H://proxy.example:1080");
  g_autofree char *unchanged = ag_upstream_proxy_uri_for_gio ("socks5://proxy.example:1080");

  g_assert_cmpstr (proxy, ==, "socks5://user:s3cret@socks.proxy:1080");
  g_assert_cmpstr (for_gio, ==, "socks5://proxy.example:1080");
  g_assert_cmpstr (unchanged, ==, "socks5://proxy.example:1080");
}

/* An HTTP proxy with credentials carries https:// targets through GIO's own CONNECT (libsoup 3.2's 407 retry never
 * gets through: docs/upstream-cloudcode.md#http-proxies-with-credentials); GIO must know the scheme it is given
 * under. Other proxies, and every plain-http target, stay as they were. */
static void
test_credentials_for_https (void)
{
  static const struct { const char *uri; const char *for_https; } cases[] = {
    { "http://agcl:s3cret%40pass@proxy.example:3128", "agcl-http-tunnel://agcl:s3cret%40pass@proxy.example:3128" },
    { "HTTP://agcl:s3cret@proxy.example:3128", "agcl-http-tunnel://agcl:s3cret@proxy.example:3128" },
    { "http://proxy.example:3128", "http://proxy.example:3128" },
    { "https://agcl:s3cret@proxy.example:3128", "https://agcl:s3cret@proxy.example:3128" },
    { "socks5h://agcl:s3cret@proxy.example:1080", "socks5://agcl:s3cret@proxy.example:1080" },
  };
  const char *envp[] = { "https_proxy=http://agcl:s3cret@secure.proxy:3128",
                         "http_proxy=http://agcl:s3cret@plain.proxy:8080", NULL };
  const char *all[] = { "all_proxy=agcl:s3cret@any.proxy:3128", NULL };
  g_autoptr(GProxyResolver) resolver = ag_upstream_proxy_resolver_from_environ (envp, NULL);
  g_autoptr(GProxyResolver) all_resolver = ag_upstream_proxy_resolver_from_environ (all, NULL);
  g_autofree char *https = proxy_for (resolver, "https://cloudcode-pa.googleapis.com/");
  g_autofree char *http = proxy_for (resolver, "http://example.net/");
  g_autofree char *any_https = proxy_for (all_resolver, "https://oauth2.googleapis.com/token");
  g_autofree char *any_http = proxy_for (all_resolver, "http://example.net/");
  g_autoptr(GProxy) tunnel = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *for_https = ag_upstream_proxy_uri_for_https (cases[i].uri);

      g_assert_cmpstr (for_https, ==, cases[i].for_https);
    }
  g_assert_cmpstr (https, ==, "agcl-http-tunnel://agcl:s3cret@secure.proxy:3128");
  g_assert_cmpstr (http, ==, "http://agcl:s3cret@plain.proxy:8080");
  g_assert_cmpstr (any_https, ==, "agcl-http-tunnel://agcl:s3cret@any.proxy:3128");
  g_assert_cmpstr (any_http, ==, "http://agcl:s3cret@any.proxy:3128");
  tunnel = g_proxy_get_default_for_protocol ("agcl-http-tunnel");
  g_assert_nonnull (tunnel);
  g_assert_true (g_type_is_a (G_OBJECT_TYPE (tunnel), G_TYPE_PROXY));
}

/* What an account's own proxy may be: the error never repeats the URI. */
static void
test_account_proxy_check (void)
{
  static const struct { const char *uri; gboolean valid; } cases[] = {
    { "http://proxy.example:3128", TRUE },
    { "https://user:s3cret@proxy.example", TRUE },
    { "socks5://user:s3cret@127.0.0.1:1080", TRUE },
    { "socks5://user:p%40ss%3Aw0rd@proxy.example:1080", TRUE },  /* "@" and ":" in a password, percent-encoded */
    { "socks5h://user:s3cret@proxy.example:1080", TRUE },
    { "socks4://user:s3cret@proxy.example:1080", FALSE },
    { "socks5://user:s3cret@proxy.example:1080/path", FALSE },
    { "socks5://", FALSE },
    { "proxy.example:1080", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].uri);
      g_assert_cmpint (ag_upstream_proxy_uri_check (cases[i].uri, &error), ==, cases[i].valid);
      if (!cases[i].valid)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_null (strstr (error->message, "s3cret"));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/upstream-proxy/mode/auto", test_mode_auto);
  g_test_add_func ("/upstream-proxy/mode/explicit", test_mode_explicit);
  g_test_add_func ("/upstream-proxy/environment/none-set-is-direct", test_no_variables_means_direct);
  g_test_add_func ("/upstream-proxy/environment/per-scheme-and-all-proxy", test_per_scheme_and_all_proxy);
  g_test_add_func ("/upstream-proxy/environment/upper-case", test_upper_case_and_precedence);
  g_test_add_func ("/upstream-proxy/environment/no-proxy", test_no_proxy);
  g_test_add_func ("/upstream-proxy/environment/invalid", test_invalid_proxy_is_an_error_without_the_value);
  g_test_add_func ("/upstream-proxy/environment/socks5h", test_socks5h);
  g_test_add_func ("/upstream-proxy/account/check", test_account_proxy_check);
  g_test_add_func ("/upstream-proxy/credentials-for-https", test_credentials_for_https);
  return g_test_run ();
}
