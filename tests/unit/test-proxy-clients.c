// SPDX-License-Identifier: GPL-3.0-or-later
/* The clients that go through an account's own proxy (ag_upstream_proxy_client_for): the Cloud Code and the OAuth
 * client each hand out one client per distinct proxy URI, themselves for none, and keep them as long as they live;
 * a Cloud Code client's proxied session resolves every host through that proxy. */
#include "ag-cloudcode-client.h"
#include "ag-oauth-client.h"

#define PROXY_A "http://user:secret@proxy-a.example:3128"
#define PROXY_B "socks5://proxy-b.example:1080"

typedef struct {
  const char *name;
  GObject  *(*make) (AgCloudcodeConfig *config);
  GObject  *(*for_proxy) (GObject *client, const char *proxy_uri);
} ClientKind;

static GObject *
make_cloudcode (AgCloudcodeConfig *config)
{
  return G_OBJECT (ag_cloudcode_client_new (config));
}

static GObject *
cloudcode_for_proxy (GObject *client, const char *proxy_uri)
{
  return G_OBJECT (ag_cloudcode_client_for_proxy (AG_CLOUDCODE_CLIENT (client), proxy_uri));
}

static GObject *
make_oauth (AgCloudcodeConfig *config)
{
  return G_OBJECT (ag_oauth_client_new (config, NULL));
}

static GObject *
oauth_for_proxy (GObject *client, const char *proxy_uri)
{
  return G_OBJECT (ag_oauth_client_for_proxy (AG_OAUTH_CLIENT (client), proxy_uri));
}

static const ClientKind kinds[] = {
  { "cloudcode", make_cloudcode, cloudcode_for_proxy },
  { "oauth", make_oauth, oauth_for_proxy },
};

static void
test_one_client_per_proxy (gconstpointer data)
{
  const ClientKind *kind = data;
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();
  GObject *direct = kind->make (config);
  GObject *a, *b;

  g_assert_true (kind->for_proxy (direct, NULL) == direct);
  g_assert_true (kind->for_proxy (direct, "") == direct);

  a = kind->for_proxy (direct, PROXY_A);
  b = kind->for_proxy (direct, PROXY_B);
  g_assert_true (a != direct);
  g_assert_true (b != direct);
  g_assert_true (a != b);
  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (direct));
  g_assert_true (kind->for_proxy (direct, PROXY_A) == a);
  g_assert_true (kind->for_proxy (direct, PROXY_B) == b);

  /* The direct client owns the proxied ones: they go with it. */
  g_object_add_weak_pointer (a, (gpointer *) &a);
  g_object_add_weak_pointer (b, (gpointer *) &b);
  g_object_unref (direct);
  g_assert_null (a);
  g_assert_null (b);
}

static void
test_proxied_session_resolves_through_the_proxy (void)
{
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();
  g_autoptr(AgCloudcodeClient) direct = ag_cloudcode_client_new (config);
  AgCloudcodeClient *proxied = ag_cloudcode_client_for_proxy (direct, PROXY_B);
  GProxyResolver *resolver = soup_session_get_proxy_resolver (ag_cloudcode_client_get_session (proxied));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = NULL;

  g_assert_nonnull (resolver);
  proxies = g_proxy_resolver_lookup (resolver, "https://daily-cloudcode-pa.googleapis.com/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (proxies, ((const char *[]) { PROXY_B, NULL }));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("AGCL_UPSTREAM_PROXY", "none", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/proxy-clients/%s/one-per-proxy", kinds[i].name);

      g_test_add_data_func (path, &kinds[i], test_one_client_per_proxy);
    }
  g_test_add_func ("/proxy-clients/cloudcode/proxied-session-uses-the-proxy",
                   test_proxied_session_resolves_through_the_proxy);
  return g_test_run ();
}
