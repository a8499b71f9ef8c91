/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-cli.h"
#include "ag-cli-loop.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include "ag-account-setup.h"
#include "ag-history-store.h"
#include "ag-egress-items.h"
#include "ag-token-store.h"
#include "ag-upstream-proxy.h"

#define USAGE N_( \
  "Usage:\n" \
  "  ag-cl account add --refresh-token TOKEN   add an account (TOKEN \"-\" reads it from standard input)\n" \
  "  ag-cl account list                        one line per account: e-mail, project, tier, enabled; then, for\n" \
  "                                            an account Google refused, its state and what to do, and its\n" \
  "                                            own proxy if it has one\n" \
  "  ag-cl account remove EMAIL                forget an account\n" \
  "  ag-cl account proxy EMAIL URL|none        send EMAIL's calls to Google through its own proxy\n" \
  "                                            (http://, https:// or socks5://[user:password@]host:port;\n" \
  "                                            kept in the keyring), or through the global one again\n")

typedef struct {
  AgCliLoop     run;
  AgTokenStore *store;
  AgAccount    *account;
  GPtrArray    *accounts;  /* list: the keyring's accounts */
  AgHistoryStore *history; /* list: where their lasting states are kept */
  const char   *email;     /* the account being removed, or given a proxy */
  const char   *proxy;     /* `account proxy`: the URI, NULL for none */
} Cli;

static const char *
profile_name (void)
{
  const char *profile = g_getenv ("AGCL_PROFILE");

  return profile != NULL && *profile != '\0' ? profile : "default";
}

static AgTokenStore *
store_for_profile (void)
{
  return ag_token_store_new (profile_name ());
}

static const char *
or_dash (const char *value)
{
  return value != NULL ? value : "-";
}

/* ---- add ---- */

/* A fresh sign-in ends what Google held against the account before (signed out, needs verification): the next
 * start of ag-cl must not restore it. */
static void
forget_state (const char *email)
{
  g_autofree char *dir = ag_history_store_get_data_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(AgHistoryStore) history = NULL;
  g_autoptr(AgAccountStateRow) row = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  history = ag_history_store_new (path);
  row = ag_account_state_row_new (email, "valid", NULL, NULL, FALSE, g_get_real_time () / 1000);
  /* Written before the store's worker ends, when the last reference goes. */
  ag_history_store_save_account_state (history, row);
}

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_save_finish (AG_TOKEN_STORE (source), result, &error))
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  forget_state (ag_account_get_email (cli->account));
  g_print (_("Added %s (project %s, tier %s).\n"), ag_account_get_email (cli->account),
           or_dash (ag_account_get_project_id (cli->account)), or_dash (ag_account_get_tier (cli->account)));
  ag_cli_loop_quit (&cli->run, 0);
}

static void
set_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  cli->account = ag_account_setup_finish (result, &error);
  if (cli->account == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  ag_token_store_save_async (cli->store, cli->account, NULL, saved_cb, cli);
}

/* One line from standard input, without its line end; never echoed. */
static char *
read_token_line (GError **error)
{
  char buffer[4096];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("no refresh token on standard input"));
      return NULL;
    }
  return g_strdup (buffer);
}

static gboolean
start_add (Cli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *token = NULL;
  g_autoptr(AgCloudcodeConfig) config = NULL;
  g_autoptr(AgCloudcodeClient) cloudcode = NULL;
  g_autoptr(AgOAuthClient) oauth = NULL;
  const char *argument = NULL;

  if (argc == 3 && g_str_has_prefix (argv[2], "--refresh-token="))
    argument = argv[2] + strlen ("--refresh-token=");
  else if (argc == 4 && g_strcmp0 (argv[2], "--refresh-token") == 0)
    argument = argv[3];
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("account add needs --refresh-token TOKEN"));
      return FALSE;
    }

  token = g_strcmp0 (argument, "-") == 0 ? read_token_line (error) : g_strdup (argument);
  if (token == NULL)
    return FALSE;
  g_strstrip (token);
  if (*token == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("the refresh token is empty"));
      return FALSE;
    }

  config = ag_cloudcode_config_new_from_env ();
  if (!ag_cloudcode_config_check (config, error))
    return FALSE;
  cloudcode = ag_cloudcode_client_new (config);
  oauth = ag_oauth_client_new (config, ag_cloudcode_client_get_session (cloudcode));
  ag_account_setup_async (oauth, cloudcode, token, NULL, set_up_cb, cli);
  return TRUE;
}

/* ---- list ---- */

/* "banned", "validation-required", … and "gemini-cli-closed", with Google's words and the page to act on. */
static void
print_account (AgAccount *account, const AgAccountStateRow *row)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean troubled = row != NULL && !ag_account_state_row_is_plain (row);

  g_string_printf (line, "%s\t%s\t%s\t%s", ag_account_get_email (account),
                   or_dash (ag_account_get_project_id (account)), or_dash (ag_account_get_tier (account)),
                   ag_account_get_enabled (account) ? "enabled" : "disabled");
  if (troubled)
    {
      gboolean valid = g_strcmp0 (row->state, "valid") == 0;

      g_string_append_printf (line, "\t%s%s%s", valid ? "" : row->state,
                              row->gemini_cli_closed && !valid ? "," : "",
                              row->gemini_cli_closed ? "gemini-cli-closed" : "");
      if (!valid)
        g_string_append_printf (line, "\t%s%s%s", or_dash (row->reason), row->url != NULL ? " — " : "",
                                row->url != NULL ? row->url : "");
    }
  if (ag_account_get_proxy (account) != NULL)
    {
      g_autofree char *proxy = ag_upstream_proxy_uri_display (ag_account_get_proxy (account));

      g_string_append_printf (line, "\tproxy %s", proxy);
    }
  g_print ("%s\n", line->str);
}

static void
print_accounts (Cli *cli, GPtrArray *rows)
{
  g_autoptr(GHashTable) by_email = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_hash_table_insert (by_email, ((AgAccountStateRow *) rows->pdata[i])->account, rows->pdata[i]);
  for (guint i = 0; i < cli->accounts->len; i++)
    {
      AgAccount *account = g_ptr_array_index (cli->accounts, i);

      print_account (account, g_hash_table_lookup (by_email, ag_account_get_email (account)));
    }
  if (cli->accounts->len == 0)
    g_printerr (_("No accounts yet: add one with \"ag-cl account add --refresh-token -\".\n"));
  ag_cli_loop_quit (&cli->run, 0);
}

static void
states_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = ag_history_store_load_account_states_finish (AG_HISTORY_STORE (source), result,
                                                                            &error);

  /* The accounts are the keyring's: an unreadable history only loses the states. */
  if (rows == NULL)
    g_printerr ("ag-cl: %s\n", error->message);
  print_accounts (cli, rows);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  cli->accounts = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);
  if (cli->accounts == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  dir = ag_history_store_get_data_dir ();
  path = g_build_filename (dir, "history.db", NULL);
  /* Listing never creates a history of its own. */
  if (cli->accounts->len == 0 || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      print_accounts (cli, NULL);
      return;
    }
  cli->history = ag_history_store_new (path);
  ag_history_store_load_account_states_async (cli->history, NULL, states_cb, cli);
}

/* ---- proxy ---- */

static void
proxy_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = cli->proxy != NULL ? ag_upstream_proxy_uri_display (cli->proxy) : NULL;

  if (!ag_egress_items_set_finish (result, &error))
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  if (shown != NULL)
    g_print (_("%s now reaches Google through %s.\n"), cli->email, shown);
  else
    g_print (_("%s now reaches Google like the other accounts (AGCL_UPSTREAM_PROXY).\n"), cli->email);
  ag_cli_loop_quit (&cli->run, 0);
}

/* The account must exist: a proxy for a typo would quietly never be used. */
static void
proxy_accounts_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);
  gboolean found = FALSE;

  if (accounts == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  for (guint i = 0; i < accounts->len && !found; i++)
    found = g_strcmp0 (ag_account_get_email (g_ptr_array_index (accounts, i)), cli->email) == 0;
  if (!found)
    {
      g_autoptr(GError) missing = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("no account %s"), cli->email);
      ag_cli_loop_fail (&cli->run, missing);
      return;
    }
  ag_egress_items_set_async (profile_name (), cli->email, cli->proxy, NULL, proxy_set_cb, cli);
}

static gboolean
start_proxy (Cli *cli, const char *email, const char *uri, GError **error)
{
  if (g_strcmp0 (uri, "none") != 0 && !ag_upstream_proxy_uri_check (uri, error))
    return FALSE;
  cli->email = email;
  cli->proxy = g_strcmp0 (uri, "none") != 0 ? uri : NULL;
  ag_token_store_load_all_async (cli->store, NULL, proxy_accounts_loaded_cb, cli);
  return TRUE;
}

/* ---- remove ---- */

static void
removed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_remove_finish (AG_TOKEN_STORE (source), result, &error))
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  g_print (_("Removed %s.\n"), cli->email);
  ag_cli_loop_quit (&cli->run, 0);
}

static gboolean
start_command (Cli *cli, int argc, char **argv, GError **error)
{
  const char *command = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (command, "add") == 0)
    return start_add (cli, argc, argv, error);
  if (g_strcmp0 (command, "list") == 0 && argc == 2)
    {
      ag_token_store_load_all_async (cli->store, NULL, loaded_cb, cli);
      return TRUE;
    }
  if (g_strcmp0 (command, "proxy") == 0 && argc == 4)
    return start_proxy (cli, argv[2], argv[3], error);
  if (g_strcmp0 (command, "remove") == 0 && argc == 3)
    {
      cli->email = argv[2];
      ag_token_store_remove_async (cli->store, cli->email, NULL, removed_cb, cli);
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
               _("unknown account command; see \"ag-cl account --help\""));
  return FALSE;
}

int
ag_account_cli_run (int argc, char **argv)
{
  Cli cli = { 0 };
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (argc >= 1 && argv != NULL, 1);

  if (argc == 2 && (g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0))
    {
      g_print ("%s", _(USAGE));
      return 0;
    }

  ag_cli_loop_init (&cli.run);
  cli.store = store_for_profile ();
  if (start_command (&cli, argc, argv, &error))
    g_main_loop_run (cli.run.loop);
  else
    g_printerr ("ag-cl: %s\n", error->message);

  g_clear_object (&cli.account);
  g_clear_object (&cli.store);
  g_clear_object (&cli.history);
  g_clear_pointer (&cli.accounts, g_ptr_array_unref);
  ag_cli_loop_clear (&cli.run);
  return cli.run.status;
}
