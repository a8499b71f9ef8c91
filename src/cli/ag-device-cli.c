// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-device-cli.h"
#include "ag-cli-loop.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include "ag-antigravity-switch.h"
#include "ag-token-store.h"

#define DEVICE_USAGE N_( \
  "Usage:\n" \
  "  ag-cl device show EMAIL               the device profile EMAIL is bound to\n" \
  "  ag-cl device generate EMAIL           bind EMAIL to a fresh random profile\n" \
  "  ag-cl device capture EMAIL            bind EMAIL to the profile the Antigravity IDE uses now\n" \
  "  ag-cl device history EMAIL            every version of EMAIL's profile, newest first\n" \
  "  ag-cl device restore EMAIL VERSION    bind EMAIL to an earlier version\n")
#define IDE_USAGE N_( \
  "Usage:\n" \
  "  ag-cl ide status                      the IDE's folder, its sign-in and device profile\n" \
  "  ag-cl ide switch EMAIL [--yes]        sign the Antigravity IDE (and agy) in as EMAIL with its profile\n" \
  "  ag-cl ide reset [--yes]               put this machine's own device identity back\n" \
  "Without --yes, what would change is shown and you are asked first.\n")

typedef struct {
  AgCliLoop     run;
  AgTokenStore        *tokens;
  AgDeviceStore       *devices;
  AgAntigravitySwitch *ide;
  GPtrArray           *accounts;
  AgAccount           *account;   /* the one named on the command line */
  char                *command;
  char                *email;
  gint64               version;
  gboolean             yes;
} Cli;

static char *
format_ms (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* The version's heading line for @command, then its ids. */
static void
print_version (const char *command, AgDeviceVersion *version)
{
  g_autofree char *when = format_ms (version->created_ms);
  g_autofree char *ids = ag_device_profile_describe (version->profile, "  ");

  if (g_str_equal (command, "show"))
    g_print (_("Device profile of %s: version %" PRId64 " (%s, %s)\n"), version->account, version->id,
             version->label, when);
  else if (g_str_equal (command, "restore"))
    g_print (_("%s now uses version %" PRId64 " (%s, %s):\n"), version->account, version->id,
             version->label, when);
  else
    g_print (_("%s is bound to the new version %" PRId64 " (%s, %s):\n"), version->account, version->id,
             version->label, when);
  g_print ("%s", ids);
}

/* ---- device ---- */

static void
version_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgDeviceVersion) version = NULL;

  version = ag_antigravity_switch_version_finish (source, result, &error);
  if (error != NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  if (version == NULL)
    g_print (_("%s has no device profile yet: one is generated when Antigravity is first switched to it, or now "
               "with \"ag-cl device generate %s\".\n"), cli->email, cli->email);
  else
    print_version (cli->command, version);
  ag_cli_loop_quit (&cli->run, 0);
}

static void
history_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = ag_device_store_list_finish (AG_DEVICE_STORE (source), result, &error);

  if (versions == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  if (versions->len == 0)
    g_print (_("%s has no device profile yet.\n"), cli->email);
  else
    g_print ("%-8s %-20s %-16s %-8s %s\n", _("VERSION"), _("CREATED"), _("LABEL"), _("CURRENT"), "machineId");
  for (guint i = 0; i < versions->len; i++)
    {
      AgDeviceVersion *version = g_ptr_array_index (versions, i);
      g_autofree char *when = format_ms (version->created_ms);

      g_print ("%-8" G_GINT64_FORMAT " %-20s %-16s %-8s %s\n", version->id, when, version->label,
               version->current ? _("yes") : "", version->profile->machine_id);
    }
  ag_cli_loop_quit (&cli->run, 0);
}

static void
run_device_command (Cli *cli)
{
  if (g_str_equal (cli->command, "show"))
    ag_device_store_current_async (cli->devices, cli->email, NULL, version_done, cli);
  else if (g_str_equal (cli->command, "generate"))
    ag_device_store_generate_async (cli->devices, cli->email, NULL, version_done, cli);
  else if (g_str_equal (cli->command, "capture"))
    ag_antigravity_switch_capture_async (cli->ide, cli->email, NULL, version_done, cli);
  else if (g_str_equal (cli->command, "history"))
    ag_device_store_list_async (cli->devices, cli->email, NULL, history_done, cli);
  else
    ag_device_store_restore_async (cli->devices, cli->email, cli->version, NULL, version_done, cli);
}

/* ---- ide ---- */

static const char *
sign_in_store_name (AgAntigravitySignInStore store)
{
  return store == AG_ANTIGRAVITY_SIGN_IN_STATE_DB
         ? _("state.vscdb's antigravityUnifiedStateSync.oauthToken (an Antigravity IDE before 2.0)")
         : _("the keyring item service=gemini username=antigravity (Antigravity 2.0 and later, agy)");
}

static void
status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAntigravityStatus) status = ag_antigravity_switch_status_finish (AG_ANTIGRAVITY_SWITCH (source),
                                                                               result, &error);

  if (status == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  g_print (_("Antigravity IDE: %s\n"), status->folder);
  g_print (_("Running: %s\n"), status->running ? _("yes") : _("no"));
  g_print (_("Sign-in read from: %s\n"), sign_in_store_name (status->sign_in_store));
  g_print (_("Signed in as: %s\n"), status->signed_in != NULL ? status->signed_in : _("none of ag-cl's accounts"));
  if (status->profile == NULL)
    g_print (_("Device profile: none in storage.json\n"));
  else
    {
      g_autofree char *ids = ag_device_profile_describe (status->profile, "  ");

      g_print (_("Device profile: %s\n%s"),
               status->profile_owner == NULL ? _("not one of ag-cl's")
               : g_str_equal (status->profile_owner, "baseline") ? _("this machine's own (the baseline)")
               : status->profile_owner, ids);
    }
  ag_cli_loop_quit (&cli->run, 0);
}

static void
switched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAntigravityPlan) plan = ag_antigravity_switch_finish (AG_ANTIGRAVITY_SWITCH (source), result, &error);

  if (plan == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  if (cli->account == NULL)
    g_print (_("Antigravity has this machine's own device identity back (its sign-in is unchanged).\n"));
  else if (plan->profile_generated)
    g_print (_("Antigravity now signs in as %s, with a device profile generated for it just now.\n"), cli->email);
  else
    g_print (_("Antigravity now signs in as %s, with its device profile.\n"), cli->email);
  for (guint i = 0; i < plan->backups->len; i++)
    g_print (_("Backup: %s\n"), (const char *) g_ptr_array_index (plan->backups, i));
  if (plan->reopened)
    g_print (_("Antigravity was started again.\n"));
  ag_cli_loop_quit (&cli->run, 0);
}

static gboolean
confirmed (void)
{
  char answer[16] = "";

  g_print (_("Continue? [y/N] "));
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  return answer[0] == 'y' || answer[0] == 'Y';
}

static void
previewed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAntigravityPlan) plan = ag_antigravity_switch_finish (AG_ANTIGRAVITY_SWITCH (source), result, &error);
  g_autofree char *ids = NULL;

  if (plan == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  if (cli->account != NULL)
    g_print (_("Switch the Antigravity IDE in %s to %s:\n"), plan->folder, cli->email);
  else if (plan->profile == NULL)
    {
      g_printerr (_("ag-cl: no baseline is kept: ag-cl has not changed this machine's identity\n"));
      ag_cli_loop_quit (&cli->run, 1);
      return;
    }
  else
    g_print (_("Put this machine's own device identity back into the Antigravity IDE in %s:\n"), plan->folder);
  if (plan->profile != NULL)
    {
      ids = ag_device_profile_describe (plan->profile, "    ");
      g_print (_("  device profile:\n%s"), ids);
    }
  else
    g_print (_("  device profile: none bound yet; a new one will be generated\n"));
  g_print (_("  written to: %s (telemetry.*, storage.serviceMachineId)\n"), plan->storage_path);
  if (plan->state_path != NULL)
    g_print (_("              %s (storage.serviceMachineId)\n"), plan->state_path);
  if (cli->account != NULL)
    g_print (_("  sign-in: %s\n"), sign_in_store_name (plan->sign_in_store));
  g_print (_("  backups: timestamped copies beside them (storage.json.backup-…, state.vscdb.backup-…)\n"));
  if (plan->running)
    g_print (_("Antigravity is running: it will be closed first and started again afterwards.\n"));
  if (!cli->yes && !confirmed ())
    {
      g_print (_("Nothing was changed.\n"));
      ag_cli_loop_quit (&cli->run, 1);
      return;
    }
  if (cli->account != NULL)
    ag_antigravity_switch_account_async (cli->ide, cli->account, AG_ANTIGRAVITY_SWITCH_CLOSE_IDE, NULL, switched,
                                         cli);
  else
    ag_antigravity_switch_reset_async (cli->ide, AG_ANTIGRAVITY_SWITCH_CLOSE_IDE, NULL, switched, cli);
}

/* ---- both ---- */

static void
accounts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  cli->accounts = ag_token_store_load_all_finish (AG_TOKEN_STORE (source), result, &error);
  if (cli->accounts == NULL)
    {
      ag_cli_loop_fail (&cli->run, error);
      return;
    }
  for (guint i = 0; cli->email != NULL && i < cli->accounts->len; i++)
    if (g_str_equal (ag_account_get_email (g_ptr_array_index (cli->accounts, i)), cli->email))
      cli->account = g_object_ref (g_ptr_array_index (cli->accounts, i));
  if (cli->email != NULL && cli->account == NULL)
    {
      g_printerr (_("ag-cl: no account %s (see \"ag-cl account list\")\n"), cli->email);
      ag_cli_loop_quit (&cli->run, 1);
      return;
    }
  if (g_str_equal (cli->command, "status"))
    ag_antigravity_switch_status_async (cli->ide, cli->accounts, NULL, status_done, cli);
  else if (g_str_equal (cli->command, "switch") || g_str_equal (cli->command, "reset"))
    ag_antigravity_switch_preview_async (cli->ide, cli->email, NULL, previewed, cli);
  else
    run_device_command (cli);
}

static int
run (const char *usage, char *command, char *email, gint64 version, gboolean yes)
{
  Cli cli = { 0 };
  const char *profile = g_getenv ("AGCL_PROFILE");
  g_autoptr(AgCloudcodeConfig) config = ag_cloudcode_config_new_from_env ();
  g_autoptr(AgOAuthClient) oauth = ag_oauth_client_new (config, NULL);
  g_autoptr(GError) error = NULL;

  if (!ag_cloudcode_config_check (config, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 1;
    }
  ag_cli_loop_init (&cli.run);
  cli.tokens = ag_token_store_new (profile != NULL && *profile != '\0' ? profile : "default");
  cli.devices = ag_device_store_new (NULL);
  cli.ide = ag_antigravity_switch_new (cli.devices, oauth);
  cli.command = command;
  cli.email = email;
  cli.version = version;
  cli.yes = yes;
  ag_token_store_load_all_async (cli.tokens, NULL, accounts_loaded, &cli);
  g_main_loop_run (cli.run.loop);

  g_clear_pointer (&cli.accounts, g_ptr_array_unref);
  g_clear_object (&cli.account);
  g_clear_object (&cli.ide);
  g_clear_object (&cli.devices);
  g_clear_object (&cli.tokens);
  ag_cli_loop_clear (&cli.run);
  return cli.run.status;
}

static int
usage_error (const char *usage, const char *message)
{
  g_printerr ("ag-cl: %s\n%s", message, usage);
  return 2;
}

static gboolean
is_help (int argc, char **argv)
{
  return argc < 2 || g_strcmp0 (argv[1], "--help") == 0 || g_strcmp0 (argv[1], "-h") == 0;
}

int
ag_device_cli_run (int argc, char **argv)
{
  const char *commands[] = { "show", "generate", "capture", "history", NULL };
  guint64 version = 0;

  if (is_help (argc, argv))
    {
      g_print ("%s", _(DEVICE_USAGE));
      return argc < 2 ? 2 : 0;
    }
  if (argc == 3 && g_strv_contains (commands, argv[1]))
    return run (DEVICE_USAGE, argv[1], argv[2], 0, FALSE);
  if (argc == 4 && g_str_equal (argv[1], "restore"))
    {
      if (!g_ascii_string_to_unsigned (argv[3], 10, 1, G_MAXINT64, &version, NULL))
        return usage_error (_(DEVICE_USAGE), _("VERSION is a version number from \"ag-cl device history\""));
      return run (DEVICE_USAGE, argv[1], argv[2], (gint64) version, FALSE);
    }
  return usage_error (_(DEVICE_USAGE), _("unknown device command"));
}

int
ag_ide_cli_run (int argc, char **argv)
{
  gboolean yes = argc > 2 && g_str_equal (argv[argc - 1], "--yes");
  int args = yes ? argc - 1 : argc;

  if (is_help (argc, argv))
    {
      g_print ("%s", _(IDE_USAGE));
      return argc < 2 ? 2 : 0;
    }
  if (args == 2 && g_str_equal (argv[1], "status") && !yes)
    return run (IDE_USAGE, argv[1], NULL, 0, FALSE);
  if (args == 2 && g_str_equal (argv[1], "reset"))
    return run (IDE_USAGE, argv[1], NULL, 0, yes);
  if (args == 3 && g_str_equal (argv[1], "switch"))
    return run (IDE_USAGE, argv[1], argv[2], 0, yes);
  return usage_error (_(IDE_USAGE), _("unknown ide command"));
}
