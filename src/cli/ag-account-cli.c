/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-cli.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include "ag-account-setup.h"
#include "ag-token-store.h"

#define USAGE N_( \
  "Usage:\n" \
  "  ag-cl account add --refresh-token TOKEN   add an account (TOKEN \"-\" reads it from standard input)\n" \
  "  ag-cl account list                        one line per account: e-mail, project, tier, enabled\n" \
  "  ag-cl account remove EMAIL                forget an account\n")

typedef struct {
  GMainLoop    *loop;
  AgTokenStore *store;
  AgAccount    *account;
  const char   *email;     /* the account being removed */
  int           status;
} Cli;

static void
cli_fail (Cli *cli, const GError *error)
{
  g_printerr ("ag-cl: %s\n", error->message);
  cli->status = 1;
  g_main_loop_quit (cli->loop);
}

static void
cli_done (Cli *cli)
{
  cli->status = 0;
  g_main_loop_quit (cli->loop);
}

static AgTokenStore *
store_for_profile (void)
{
  const char *profile = g_getenv ("AGCL_PROFILE");

  return ag_token_store_new (profile != NULL && *profile != '\0' ? profile : "default");
}

static const char *
or_dash (const char *value)
{
  return value != NULL ? value : "-";
}

/* ---- add ---- */

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_save_finish (AG_TOKEN_STORE (source), result, &error))
    {
      cli_fail (cli, error);
      return;
    }
  g_print (_("Added %s (project %s, tier %s).\n"), ag_account_get_email (cli->account),
           or_dash (ag_account_get_project_id (cli->account)), or_dash (ag_account_get_tier (cli->account)));
  cli_done (cli);
}

static void
set_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  cli->account = ag_account_setup_finish (result, &error);
  if (cli->account == NULL)
    {
      cli_fail (cli, error);
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
  cloudcode = ag_cloudcode_client_new (config);
  oauth = ag_oauth_client_new (config, ag_cloudcode_client_get_session (cloudcode));
  ag_account_setup_async (oauth, cloudcode, token, NULL, set_up_cb, cli);
  return TRUE;
}

/* ---- list ---- */

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);

  if (accounts == NULL)
    {
      cli_fail (cli, error);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      AgAccount *account = g_ptr_array_index (accounts, i);

      g_print ("%s\t%s\t%s\t%s\n", ag_account_get_email (account), or_dash (ag_account_get_project_id (account)),
               or_dash (ag_account_get_tier (account)), ag_account_get_enabled (account) ? "enabled" : "disabled");
    }
  if (accounts->len == 0)
    g_printerr (_("No accounts yet: add one with \"ag-cl account add --refresh-token -\".\n"));
  cli_done (cli);
}

/* ---- remove ---- */

static void
removed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_token_store_remove_finish (AG_TOKEN_STORE (source), result, &error))
    {
      cli_fail (cli, error);
      return;
    }
  g_print (_("Removed %s.\n"), cli->email);
  cli_done (cli);
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

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.store = store_for_profile ();
  cli.status = 1;
  if (start_command (&cli, argc, argv, &error))
    g_main_loop_run (cli.loop);
  else
    g_printerr ("ag-cl: %s\n", error->message);

  g_clear_object (&cli.account);
  g_clear_object (&cli.store);
  g_main_loop_unref (cli.loop);
  return cli.status;
}
