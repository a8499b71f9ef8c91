/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-api-key-cli.h"

#include <glib/gi18n.h>
#include <string.h>
#include "ag-api-key-store.h"

#define USAGE N_( \
  "Usage:\n" \
  "  ag-cl api-key show       print the local API key\n" \
  "  ag-cl api-key generate   create a new key (replacing the old one) and print it\n" \
  "  ag-cl api-key clear      remove the key: the proxy accepts loopback clients without one again\n")

typedef struct {
  GMainLoop     *loop;
  AgApiKeyStore *store;
  char          *key;       /* the key being saved by generate */
  int            status;
} Cli;

static void
cli_fail (Cli *cli, const char *message)
{
  g_printerr ("ag-cl: %s\n", message);
  cli->status = 1;
  g_main_loop_quit (cli->loop);
}

static void
cli_print_key (Cli *cli, const char *key)
{
  g_print ("%s\n", key);
  cli->status = 0;
  g_main_loop_quit (cli->loop);
}

static void
looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = ag_api_key_store_lookup_finish (AG_API_KEY_STORE (source), result, &error);

  if (error != NULL)
    cli_fail (cli, error->message);
  else if (key == NULL)
    cli_fail (cli, _("no local API key is set; create one with \"ag-cl api-key generate\""));
  else
    cli_print_key (cli, key);
}

static void
saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_api_key_store_save_finish (AG_API_KEY_STORE (source), result, &error))
    cli_fail (cli, error->message);
  else
    cli_print_key (cli, cli->key);
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  /* Clearing what is not there leaves the wanted state: not a failure. */
  if (!ag_api_key_store_clear_finish (AG_API_KEY_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      cli_fail (cli, error->message);
      return;
    }
  g_printerr ("%s\n", error != NULL ? _("No local API key was set.") : _("Local API key removed."));
  cli->status = 0;
  g_main_loop_quit (cli->loop);
}

static gboolean
start_command (Cli *cli, int argc, char **argv, GError **error)
{
  const char *command = argc == 2 ? argv[1] : NULL;

  if (g_strcmp0 (command, "show") == 0)
    ag_api_key_store_lookup_async (cli->store, NULL, looked_up_cb, cli);
  else if (g_strcmp0 (command, "generate") == 0)
    {
      cli->key = ag_api_key_generate (error);
      if (cli->key == NULL)
        return FALSE;
      ag_api_key_store_save_async (cli->store, cli->key, NULL, saved_cb, cli);
    }
  else if (g_strcmp0 (command, "clear") == 0)
    ag_api_key_store_clear_async (cli->store, NULL, cleared_cb, cli);
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                   _("unknown api-key command; see \"ag-cl api-key --help\""));
      return FALSE;
    }
  return TRUE;
}

int
ag_api_key_cli_run (int argc, char **argv)
{
  Cli cli = { 0 };
  g_autoptr(GError) error = NULL;
  const char *profile = g_getenv ("AGCL_PROFILE");

  g_return_val_if_fail (argc >= 1 && argv != NULL, 1);

  if (argc == 2 && (g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0))
    {
      g_print ("%s", _(USAGE));
      return 0;
    }

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.store = ag_api_key_store_new (profile != NULL && *profile != '\0' ? profile : "default");
  cli.status = 1;
  if (start_command (&cli, argc, argv, &error))
    g_main_loop_run (cli.loop);
  else
    g_printerr ("ag-cl: %s\n", error->message);

  if (cli.key != NULL)
    memset (cli.key, 0, strlen (cli.key));
  g_free (cli.key);
  g_clear_object (&cli.store);
  g_main_loop_unref (cli.loop);
  return cli.status;
}
