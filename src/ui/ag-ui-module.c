/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-ui-module.h"

#include <gmodule.h>
#include "ag-application.h"

AgDesktopUi *
ag_ui_module_create (AgDesktopHost *host, GError **error)
{
  g_autoptr(AgApplication) app = NULL;

  /* GtkApplication's own start-up would exit the process without a display; the tray and the proxy go on. */
  if (!gtk_init_check ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open the display");
      return NULL;
    }
  app = ag_application_new (host);
  if (!g_application_register (G_APPLICATION (app), NULL, error))
    return NULL;
  return AG_DESKTOP_UI (g_steal_pointer (&app));
}
