/* main.c — ag-cl's entry point: the proxy (--headless), or an `account` subcommand. */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "ag-account-cli.h"
#include "ag-account-pool.h"
#include "ag-cloudcode-client.h"
#include "ag-model-catalogue.h"
#include "ag-oauth-client.h"
#include "ag-proxy-server.h"
#include "ag-settings.h"
#include "ag-signature-cache.h"
#include "ag-token-store.h"

typedef struct {
  GMainLoop     *loop;
  AgProxyServer *server;
  AgTokenStore  *store;
  AgAccountPool *pool;
} Headless;

static gboolean
quit_on_signal (gpointer user_data)
{
  Headless *headless = user_data;

  g_message ("stopping");
  g_main_loop_quit (headless->loop);
  return G_SOURCE_REMOVE;
}

static void
catalogue_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ag_proxy_server_refresh_catalogue_finish (AG_PROXY_SERVER (source), result, &error))
    g_warning ("cannot fetch the model list yet: %s", error->message);
}

static void
account_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_save_finish (AG_TOKEN_STORE (source), result, &error))
    g_warning ("cannot save the renewed sign-in to the keyring: %s", error->message);
}

/* Google may rotate a refresh token when it is used; the keyring must hold the new one. */
static void
on_refresh_token_changed (AgAccount *account, gpointer user_data)
{
  Headless *headless = user_data;

  ag_token_store_save_async (headless->store, account, NULL, account_saved, NULL);
}

static void
accounts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Headless *headless = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);

  if (accounts == NULL)
    {
      g_warning ("cannot read accounts from the keyring: %s", error->message);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      AgAccount *account = g_ptr_array_index (accounts, i);

      g_signal_connect (account, "refresh-token-changed", G_CALLBACK (on_refresh_token_changed), headless);
      ag_account_pool_add (headless->pool, account);
    }
  g_message ("%u account(s) loaded from the keyring", accounts->len);
  if (accounts->len > 0)
    ag_proxy_server_refresh_catalogue_async (headless->server, NULL, catalogue_ready, NULL);
}

/* Preferences come from GSettings; the documented AGCL_* variables override them (scripts, tests). */
static gboolean
apply_settings (GSettings *settings, AgProxyServer *server, AgModelCatalogue *catalogue, GError **error)
{
  const char *aliases = g_getenv ("AGCL_MODEL_MAP");
  const char *thinking_keys = g_getenv ("AGCL_THINKING_KEYS");
  const char *keepalive = g_getenv ("AGCL_KEEPALIVE_MS");

  if (settings != NULL)
    {
      g_autoptr(GVariant) map = g_settings_get_value (settings, "model-map");
      GVariantIter iter;
      const char *from, *to;

      g_variant_iter_init (&iter, map);
      while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
        ag_model_catalogue_set_alias (catalogue, from, to);
      ag_proxy_server_set_thinking_keys (server, g_settings_get_enum (settings, "thinking-keys") == 1
                                                   ? AG_THINKING_KEYS_SNAKE : AG_THINKING_KEYS_CAMEL);
      ag_proxy_server_set_keepalive_ms (server, g_settings_get_uint (settings, "keepalive-ms"));
    }
  if (aliases != NULL && !ag_model_catalogue_parse_aliases (catalogue, aliases, error))
    {
      g_prefix_error (error, "AGCL_MODEL_MAP: ");
      return FALSE;
    }
  if (thinking_keys != NULL)
    ag_proxy_server_set_thinking_keys (server, g_str_equal (thinking_keys, "snake") ? AG_THINKING_KEYS_SNAKE
                                                                                   : AG_THINKING_KEYS_CAMEL);
  if (keepalive != NULL)
    ag_proxy_server_set_keepalive_ms (server, (guint) g_ascii_strtoull (keepalive, NULL, 10));
  return TRUE;
}

static int
run_headless (GSettings *settings, const char *address, int port)
{
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();
  g_autoptr(AgCloudcodeClient) cloudcode = ag_cloudcode_client_new (config);
  g_autoptr(AgOAuthClient) oauth = ag_oauth_client_new (config, ag_cloudcode_client_get_session (cloudcode));
  g_autoptr(AgAccountPool) pool = ag_account_pool_new ();
  g_autoptr(AgModelCatalogue) catalogue = ag_model_catalogue_new ();
  g_autoptr(AgSignatureCache) signatures = ag_signature_cache_new ();
  g_autoptr(AgProxyServer) server = NULL;
  g_autoptr(AgTokenStore) store = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  const char *profile = g_getenv ("AGCL_PROFILE");
  Headless headless = { 0 };

  server = ag_proxy_server_new (cloudcode, oauth, pool, catalogue, signatures);
  if (!apply_settings (settings, server, catalogue, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 2;
    }
  if (!ag_proxy_server_listen (server, address, (guint) port, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 1;
    }
  /* Scripts and tests read the actual port from this line (useful with --port 0). */
  g_print ("ag-cl: listening on http://%s:%u\n", address, ag_proxy_server_get_port (server));
  fflush (stdout);

  store = ag_token_store_new (profile != NULL && profile[0] != '\0' ? profile : "default");
  headless.loop = loop;
  headless.server = server;
  headless.store = store;
  headless.pool = pool;
  ag_token_store_load_all_async (store, NULL, accounts_loaded, &headless);

  g_unix_signal_add (SIGINT, quit_on_signal, &headless);
  g_unix_signal_add (SIGTERM, quit_on_signal, &headless);
  g_main_loop_run (loop);
  ag_proxy_server_stop (server);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean headless = FALSE;
  gboolean version = FALSE;
  g_autofree char *address = NULL;
  g_autoptr(GSettings) settings = NULL;
  int port = -1;
  GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless, "Run the proxy without a window", NULL },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (default: the port setting, 8045; 0 picks a free port)", "PORT" },
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address, "Address to listen on (default 127.0.0.1)", "ADDRESS" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  if (argc >= 2 && g_str_equal (argv[1], "account"))
    return ag_account_cli_run (argc - 1, argv + 1);

  context = g_option_context_new ("[account add|list|remove …]");
  g_option_context_set_summary (context,
                                "Use your Google Antigravity accounts from Claude Code: a local Anthropic API proxy.\n\n"
                                "  ag-cl --headless                      run the proxy\n"
                                "  ag-cl account add --refresh-token T   add an account (T = - reads stdin)\n"
                                "  ag-cl account list                    list accounts\n"
                                "  ag-cl account remove EMAIL            remove an account");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("ag-cl %s\n", AG_VERSION);
      return 0;
    }
  if (port < -1 || port > 65535)
    {
      g_printerr ("ag-cl: --port must be between 0 and 65535\n");
      return 2;
    }
  settings = ag_settings_new ();
  if (port == -1)
    {
      g_autoptr(GVariant) value = settings != NULL ? g_settings_get_value (settings, "port") : NULL;

      port = value != NULL ? g_variant_get_uint16 (value) : AG_PROXY_DEFAULT_PORT;
    }
  if (address == NULL)
    address = settings != NULL ? g_settings_get_string (settings, "listen-address")
                               : g_strdup (AG_PROXY_DEFAULT_ADDRESS);
  /* Listening beyond loopback would expose the accounts to the network; it needs the local API key, which the
   * desktop app's preferences introduce. Until then only loopback addresses are accepted. */
  {
    g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

    if (inet == NULL)
      {
        g_printerr ("ag-cl: --address: “%s” is not an IP address\n", address);
        return 2;
      }
    if (!g_inet_address_get_is_loopback (inet))
      {
        g_printerr ("ag-cl: refusing to listen on %s: only loopback addresses are allowed without a local API key\n",
                    address);
        return 2;
      }
  }
  if (!headless)
    g_message ("the desktop window is not part of this build yet; running the proxy headless");
  return run_headless (settings, address, port);
}
