/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-ui-module.h — the entry point of the desktop app's loadable module. GTK lives only in that module, so
 * `ag-cl --headless` never maps GTK and its libraries (RSS bar); main.c opens the module only for the GUI. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_UI_MODULE_ENTRY "ag_ui_main"

/* Runs the desktop app (AgApplication) to the end; returns the exit status. Arguments as ag_application_new. */
typedef int (*AgUiMainFunc) (GSettings *settings, const char *address, int port, gboolean background,
                             const char *argv0);

G_MODULE_EXPORT int ag_ui_main (GSettings *settings, const char *address, int port, gboolean background,
                                const char *argv0);

G_END_DECLS
