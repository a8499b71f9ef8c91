/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tray-demo.c — the tray indicator with a real proxy service and two made-up accounts, for tray-screenshot.sh
 * (a real StatusNotifierItem host). Prints each application action it receives; "quit" ends it. */
#include "config.h"

#include "ag-proxy-service.h"
#include "ag-tray.h"

static void
on_action (GSimpleAction *action, GVariant *parameter, gpointer app)
{
  g_print ("action app.%s\n", g_action_get_name (G_ACTION (action)));
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "quit"))
    g_application_quit (app);
}

static void
on_available (AgTray *tray, GParamSpec *pspec, gpointer data)
{
  g_print ("tray available: %s\n", ag_tray_get_available (tray) ? "yes" : "no");
}

static void
on_activate (GApplication *app, gpointer data)
{
}

int
main (int argc, char **argv)
{
  static const char *const names[] = { "show-window", "copy-claude-settings", "quit" };
  g_autoptr(GApplication) app = g_application_new ("io.github.agcl.AgCl.TrayDemo", G_APPLICATION_NON_UNIQUE);
  g_autoptr(AgProxyService) service = NULL;
  g_autoptr(AgTray) tray = NULL;
  g_autoptr(AgAccount) ready = ag_account_new ("alice@example.com", "project-a", "demo");
  g_autoptr(AgAccount) signed_out = ag_account_new ("bob_smith@example.com", "project-b", "demo");
  g_autoptr(GError) error = NULL;
  int status;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (names[i], NULL);
      g_signal_connect (action, "activate", G_CALLBACK (on_action), app);
      g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (action));
    }
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  if (!g_application_register (app, NULL, &error))
    g_error ("%s", error->message);

  service = ag_proxy_service_new (NULL, &error);
  if (service == NULL)
    g_error ("%s", error->message);
  ag_proxy_service_set_listen_override (service, "127.0.0.1", argc > 1 ? (int) g_ascii_strtoll (argv[1], NULL, 10) : 0);
  if (!ag_proxy_service_start (service, &error))
    g_error ("%s", error->message);
  ag_account_set_state (signed_out, AG_ACCOUNT_STATE_SIGNED_OUT, "The sign-in expired", NULL);
  ag_account_pool_add (ag_proxy_service_get_pool (service), ready);
  ag_account_pool_add (ag_proxy_service_get_pool (service), signed_out);

  tray = ag_tray_new (service, app);
  g_signal_connect (tray, "notify::available", G_CALLBACK (on_available), NULL);
  g_application_hold (app);
  status = g_application_run (app, 1, argv);
  return status;
}
