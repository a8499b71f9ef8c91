/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — ag-cl's entry point: the desktop app, the proxy alone (--headless), or a subcommand. */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <gmodule.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "ag-account-cli.h"
#include "ag-api-key-cli.h"
#include "ag-autostart-cli.h"
#include "ag-device-cli.h"
#include "ag-desktop-host.h"
#include "ag-ui-module.h"
#include "ag-log-cli.h"
#include "ag-setup-cli.h"
#include "ag-proxy-service.h"
#include "ag-settings.h"

/* Translators: the summary of "ag-cl --help"; keep the commands and their arguments as they are. */
#define SUMMARY N_( \
  "Use your Google Antigravity accounts from Claude Code: a local Anthropic API proxy.\n\n" \
  "  ag-cl                                 the desktop app (proxy, window, tray)\n" \
  "  ag-cl --headless                      run the proxy without GTK\n" \
  "  ag-cl account add --refresh-token T   add an account (T = - reads stdin)\n" \
  "  ag-cl account list                    list accounts\n" \
  "  ag-cl account remove EMAIL            remove an account\n" \
  "  ag-cl log [--limit N] [--since 1h]    show the last requests\n" \
  "  ag-cl api-key show|generate|clear     the local API key clients must send (needed to\n" \
  "                                        listen beyond loopback)\n" \
  "  ag-cl autostart on|off|status         start in the tray when you log in\n" \
  "  ag-cl device show|generate|capture|history EMAIL, device restore EMAIL VERSION\n" \
  "                                        an account's device profile (IDE identity)\n" \
  "  ag-cl ide status|switch EMAIL|reset   sign the Antigravity IDE in as an account\n" \
  "  ag-cl setup claude-code|codex|gemini-cli [--print]\n" \
  "                                        point a coding agent at ag-cl")

typedef struct {
  GMainLoop      *loop;
  AgProxyService *service;
  int             status;
} Headless;

static gboolean
quit_on_signal (gpointer user_data)
{
  g_message ("stopping");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
accounts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ag_account_registry_load_finish (AG_ACCOUNT_REGISTRY (source), result, &error))
    g_warning ("cannot read accounts from the keyring: %s", error->message);
}

/* The listener opens only once the key is known, so no request is ever served without a key that is set. */
static void
api_key_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Headless *headless = user_data;
  AgProxyService *service = headless->service;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (!ag_local_api_key_load_finish (AG_LOCAL_API_KEY (source), result, &error))
    g_warning ("cannot read the local API key from the keyring: %s", error->message);
  g_clear_error (&error);
  if (!ag_proxy_service_start (service, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      headless->status = 1;
      g_main_loop_quit (headless->loop);
      return;
    }
  /* Scripts and tests read the actual port from this line (useful with --port 0). */
  url = ag_proxy_service_get_url (service);
  g_print ("ag-cl: listening on %s\n", url);
  fflush (stdout);
  ag_account_registry_load_async (ag_proxy_service_get_registry (service), NULL, accounts_loaded, NULL);
}

static int
run_headless (GSettings *settings, const char *address, int port)
{
  g_autoptr(AgProxyService) service = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Headless headless = { loop, NULL, 0 };

  service = ag_proxy_service_new (settings, &error);
  if (service == NULL)
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 2;
    }
  ag_proxy_service_set_listen_override (service, address, port);
  headless.service = service;
  ag_local_api_key_load_async (ag_proxy_service_get_local_api_key (service), NULL, api_key_loaded, &headless);
  g_unix_signal_add (SIGINT, quit_on_signal, loop);
  g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  g_main_loop_run (loop);
  ag_proxy_service_stop (service);
  return headless.status;
}

/* TRUE for the binary in the build tree (tests, `_build/src/ag-cl`), which takes the UI module and the
 * translations from the build tree, not from an older installed copy. */
static gboolean
running_uninstalled (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *self_dir = self != NULL ? g_path_get_dirname (self) : NULL;

  return self_dir != NULL && g_str_equal (self_dir, AG_BUILD_UI_MODULE_DIR);
}

/* The module next to the binary when running from the build tree, else the installed one. */
static char *
find_ui_module (void)
{
  return g_module_build_path (running_uninstalled () ? AG_BUILD_UI_MODULE_DIR : AG_UI_MODULE_DIR, "agcl-ui");
}

/* Messages follow the desktop language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), in every mode: the GTK-free proxy and
 * the subcommands too. The build tree's po/ holds the compiled catalogues in the installed layout. */
static void
set_up_translations (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, running_uninstalled () ? AG_BUILD_LOCALE_DIR : AG_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* The host's AgDesktopUiFactory: the GTK module, opened the first time a window is needed. */
static AgDesktopUi *
load_ui_module (AgDesktopHost *host, GError **error)
{
  g_autofree char *path = find_ui_module ();
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
  AgDesktopUiFactory create = NULL;

  if (module == NULL || !g_module_symbol (module, AG_UI_MODULE_ENTRY, (gpointer *) &create))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("cannot load the window module: %s"), g_module_error ());
      return NULL;
    }
  /* The module stays loaded until exit: GTK's types cannot be unregistered. */
  g_module_make_resident (module);
  return create (host, error);
}

/* How long the desktop app waits after its window closed before it relaunches itself in the tray without GTK. */
static guint
relaunch_delay_ms (void)
{
  const char *value = g_getenv ("AGCL_RELAUNCH_DELAY_MS");
  guint64 delay;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &delay, NULL))
    return (guint) delay;
  return 10000;
}

/* The app in the tray again, as `ag-cl --background`, in this process (same pid, so a service manager or the
 * session still knows it) and on the same listening socket. Returns only on failure. */
static void
relaunch (const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, "ag-cl");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  execv ("/proc/self/exe", argv);
  g_printerr ("ag-cl: cannot relaunch in the tray: %s\n", g_strerror (errno));
}

static int
run_desktop_app (GSettings *settings, const char *address, int port, gboolean background, const char *argv0)
{
  g_autoptr(AgDesktopHost) host = ag_desktop_host_new (settings, address, port, background);
  char *argv[] = { (char *) argv0, NULL };
  g_auto(GStrv) relaunch_args = NULL;
  int status;

  ag_desktop_host_set_ui_factory (host, load_ui_module);
  ag_desktop_host_set_relaunch_delay (host, relaunch_delay_ms ());
  /* main() has parsed the options; the application only decides between first and second instance. */
  status = g_application_run (G_APPLICATION (host), 1, argv);
  if (ag_desktop_host_get_start_failed (host))
    status = 1;
  relaunch_args = g_strdupv ((GStrv) ag_desktop_host_get_relaunch_args (host));
  /* Everything ends cleanly first: the request log and settings reach the disk, the listener closes (its copy for
   * the next process stays open). */
  g_clear_object (&host);
  g_settings_sync ();
  if (relaunch_args != NULL)
    relaunch ((const char * const *) relaunch_args);
  return status;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *address = NULL;
  gboolean headless = FALSE;
  gboolean background = FALSE;
  gboolean version = FALSE;
  int port = -1;
  GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless, N_("Run the proxy without a window"), NULL },
    { "background", 0, 0, G_OPTION_ARG_NONE, &background,
      N_("Start the desktop app in the tray without opening the window (used at login)"), NULL },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port to listen on (default: the port setting, 8045; 0 picks a free port)"), N_("PORT") },
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address, N_("Address to listen on (default 127.0.0.1)"),
      N_("ADDRESS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  ag_cloudcode_config_prepare_process ();
  set_up_translations ();

  if (argc >= 2 && g_str_equal (argv[1], "account"))
    return ag_account_cli_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "log"))
    return ag_log_cli_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "api-key"))
    return ag_api_key_cli_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "autostart"))
    return ag_autostart_cli_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "device"))
    return ag_device_cli_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "ide"))
    return ag_ide_cli_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "setup"))
    return ag_setup_cli_run (argc - 1, argv + 1);

  context = g_option_context_new ("[account … | log … | api-key … | autostart … | device … | ide … | setup …]");
  g_option_context_set_summary (context, _(SUMMARY));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      return 2;
    }
  /* Whatever is left is no option and no subcommand: a typo must not start the app. */
  if (argc > 1)
    {
      g_printerr (_("ag-cl: unknown command “%s”; see “ag-cl --help”\n"), argv[1]);
      return 2;
    }
  if (version)
    {
      g_print ("ag-cl %s\n", AG_VERSION);
      return 0;
    }
  if (port < -1 || port > 65535)
    {
      g_printerr (_("ag-cl: --port must be between 0 and 65535\n"));
      return 2;
    }
  settings = ag_settings_new ();
  if (!headless)
    return run_desktop_app (settings, address, port, background, argv[0]);
  return run_headless (settings, address, port);
}
