/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-cloudcode.c — the mock Cloud Code server as a program, for tests that run ag-cl as a separate process:
 *   ag-mock-cloudcode [--port N] [--script FILE]
 * prints "LISTENING http://127.0.0.1:PORT" once it accepts connections, and runs until SIGTERM or SIGINT. */
#include "ag-mock-server.h"

#include <glib-unix.h>
#include <stdio.h>

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  int port = 0;
  g_autofree char *script_path = NULL;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: any free port)", "N" },
    { "script", 's', 0, G_OPTION_ARG_FILENAME, &script_path, "Initial script (JSON, see ag-mock-server.h)", "FILE" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— mock of Google's Cloud Code and OAuth services");
  g_autoptr(GError) error = NULL;
  g_autoptr(AgMockServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *base_url = NULL;
  guint term_id, int_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ag-mock-cloudcode: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("ag-mock-cloudcode: invalid port %d\n", port);
      return 2;
    }

  server = ag_mock_server_new ();
  if (script_path != NULL)
    {
      g_autofree char *script = NULL;

      if (!g_file_get_contents (script_path, &script, NULL, &error) ||
          !ag_mock_server_set_script_json (server, script, &error))
        {
          g_printerr ("ag-mock-cloudcode: %s: %s\n", script_path, error->message);
          return 1;
        }
    }
  if (!ag_mock_server_listen (server, (guint) port, &error))
    {
      g_printerr ("ag-mock-cloudcode: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  term_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  int_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);

  base_url = ag_mock_server_get_base_url (server);
  printf ("LISTENING %s\n", base_url);
  fflush (stdout);

  g_main_loop_run (loop);
  g_source_remove (term_id);
  g_source_remove (int_id);
  return 0;
}
