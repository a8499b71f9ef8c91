/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-autostart-cli.c — "ag-cl autostart …"; see the header. */
#include "ag-autostart-cli.h"
#include "ag-autostart.h"

#include <glib/gi18n.h>

#define USAGE N_( \
  "Usage:\n" \
  "  ag-cl autostart on       start ag-cl in the tray (--background) when you log in\n" \
  "  ag-cl autostart off      stop doing so\n" \
  "  ag-cl autostart status   say whether it is registered\n")

typedef struct {
  GMainLoop *loop;
  gboolean   enabled;
  int        status;
} Request;

static void
report (gboolean enabled, const char *where)
{
  if (enabled)
    g_print (_("ag-cl will start in the tray when you log in (%s).\n"), where);
  else
    g_print (_("ag-cl will not start when you log in.\n"));
}

static void
set_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  gboolean now_enabled = FALSE;

  if (!ag_autostart_set_finish (result, &now_enabled, &error))
    {
      g_printerr ("ag-cl: %s\n", error->message);
      request->status = 1;
    }
  else if (now_enabled != request->enabled)
    {
      g_printerr (request->enabled ? _("ag-cl: the background portal did not register ag-cl to start at login\n")
                                   : _("ag-cl: the background portal kept ag-cl starting at login\n"));
      request->status = 1;
    }
  else
    {
      report (now_enabled, _("through the background portal"));
      request->status = 0;
    }
  g_main_loop_quit (request->loop);
}

static int
set (gboolean enabled)
{
  g_autofree char *executable = ag_autostart_default_executable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Request request = { NULL, enabled, 1 };

  if (!ag_autostart_is_sandboxed ())
    {
      g_autofree char *path = ag_autostart_entry_path ();

      if (!ag_autostart_set_file (enabled, executable, &error))
        {
          g_printerr ("ag-cl: %s\n", error->message);
          return 1;
        }
      report (enabled, path);
      return 0;
    }
  loop = g_main_loop_new (NULL, FALSE);
  request.loop = loop;
  ag_autostart_set_async (enabled, executable, NULL, set_done, &request);
  g_main_loop_run (loop);
  return request.status;
}

int
ag_autostart_cli_run (int argc, char **argv)
{
  const char *command = argc == 2 ? argv[1] : NULL;

  if (g_strcmp0 (command, "--help") == 0 || g_strcmp0 (command, "-h") == 0)
    {
      g_print ("%s", _(USAGE));
      return 0;
    }
  if (g_strcmp0 (command, "on") == 0)
    return set (TRUE);
  if (g_strcmp0 (command, "off") == 0)
    return set (FALSE);
  if (g_strcmp0 (command, "status") == 0)
    {
      g_autofree char *path = ag_autostart_entry_path ();

      switch (ag_autostart_get_state ())
        {
        case AG_AUTOSTART_ON:
          g_print (_("on (%s)\n"), path);
          break;
        case AG_AUTOSTART_OFF:
          g_print (_("off\n"));
          break;
        case AG_AUTOSTART_UNKNOWN:
        default:
          g_print (_("unknown: in a Flatpak only the background portal knows; see your system's background apps\n"));
          break;
        }
      return 0;
    }
  g_printerr ("ag-cl: %s\n%s", _("unknown autostart command"), _(USAGE));
  return 2;
}
