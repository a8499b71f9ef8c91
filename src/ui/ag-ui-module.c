/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-ui-module.h"

#include <gmodule.h>
#include "ag-application.h"

int
ag_ui_main (GSettings *settings, const char *address, int port, gboolean background, const char *argv0)
{
  g_autoptr(AgApplication) app = ag_application_new (settings, address, port, background);
  char *argv[] = { (char *) argv0, NULL };

  /* main.c has parsed the options; the application only decides between first and second instance. */
  return g_application_run (G_APPLICATION (app), 1, argv);
}
