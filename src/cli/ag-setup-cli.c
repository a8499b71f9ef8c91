/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-setup-cli.h"

#include <glib/gi18n.h>
#include <string.h>
#include "ag-api-key-store.h"
#include "ag-agent-setup.h"
#include "ag-settings.h"

typedef struct {
  GMainLoop  *loop;
  char       *api_key;
  GError     *error;
} Lookup;

static void
looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;

  lookup->api_key = ag_api_key_store_lookup_finish (AG_API_KEY_STORE (source), result, &lookup->error);
  g_main_loop_quit (lookup->loop);
}

/* The local API key from the keyring (NULL when none is set). */
static gboolean
read_api_key (char **api_key, GError **error)
{
  const char *profile = g_getenv ("AGCL_PROFILE");
  g_autoptr(AgApiKeyStore) store = ag_api_key_store_new (profile != NULL && *profile != '\0' ? profile : "default");
  Lookup lookup = { .loop = g_main_loop_new (NULL, FALSE) };

  ag_api_key_store_lookup_async (store, NULL, looked_up_cb, &lookup);
  g_main_loop_run (lookup.loop);
  g_main_loop_unref (lookup.loop);
  if (lookup.error != NULL)
    {
      g_propagate_error (error, lookup.error);
      return FALSE;
    }
  *api_key = lookup.api_key;
  return TRUE;
}

/* http://ADDRESS:PORT from the settings the proxy listens with; an any-address is reached on loopback. */
static char *
default_base_url (void)
{
  g_autoptr(GSettings) settings = ag_settings_new ();
  g_autofree char *address = settings != NULL ? g_settings_get_string (settings, "listen-address") : NULL;
  guint16 port = 8045;

  if (settings != NULL)
    g_settings_get (settings, "port", "q", &port);
  if (address == NULL || *address == '\0' || g_str_equal (address, "0.0.0.0") || g_str_equal (address, "::"))
    {
      g_free (address);
      address = g_strdup ("127.0.0.1");
    }
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u", address, port);
  return g_strdup_printf ("http://%s:%u", address, port);
}

static void
print_backups (const char *path, GPtrArray *backups)
{
  g_print (_("Updated %s.\n"), path);
  for (guint i = 0; i < backups->len; i++)
    g_print (_("The previous file is kept as %s.\n"), (char *) backups->pdata[i]);
}

/* Writes (or with @print previews) @agent's settings. */
static gboolean
run (AgAgent agent, gboolean print, const AgAgentTarget *target, GError **error)
{
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = ag_agent_get_path (agent);
  g_autofree char *preview = NULL;

  if (print)
    {
      if ((preview = ag_agent_setup_preview (agent, target, error)) == NULL)
        return FALSE;
      g_print ("%s", preview);
      return TRUE;
    }
  if (!ag_agent_setup_apply (agent, target, backups, error))
    return FALSE;
  print_backups (path, backups);
  return TRUE;
}

int
ag_setup_cli_run (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("claude-code|codex|gemini-cli");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL, *model = NULL, *api_key = NULL;
  gboolean print = FALSE;
  GOptionEntry entries[] = {
    { "print", 0, 0, G_OPTION_ARG_NONE, &print, N_("Show what would change instead of writing it"), NULL },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("The model the client asks for (Codex, Gemini CLI)"),
      N_("MODEL") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("ag-cl's address (default: from its listen settings)"), N_("URL") },
    { NULL },
  };
  AgAgent agent;
  AgAgentTarget target;

  g_option_context_set_summary (context, _("Points a coding agent at ag-cl: writes the settings it reads, keeping "
                                           "the rest of the file and a backup.\n"
                                           "  claude-code  ~/.claude/settings.json\n"
                                           "  codex        ~/.codex/config.toml (or $CODEX_HOME/config.toml)\n"
                                           "  gemini-cli   ~/.gemini/settings.json and ~/.gemini/.env"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || !ag_agent_from_id (argv[1], &agent))
    {
      g_printerr ("ag-cl: %s\n", _("name one agent: claude-code, codex or gemini-cli"));
      return 2;
    }
  if (!read_api_key (&api_key, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 1;
    }
  if (url == NULL)
    url = default_base_url ();
  else if (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  target = (AgAgentTarget) { .base_url = url, .api_key = api_key, .model = model };
  if (!run (agent, print, &target, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 1;
    }
  if (api_key != NULL)
    memset (api_key, 0, strlen (api_key));
  return 0;
}
