/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-ui-module.h — the entry point of the desktop app's loadable module. GTK lives only in that module, so neither
 * `ag-cl --headless` nor the desktop app in the tray maps GTK and its libraries (RSS bars); the host
 * (AgDesktopHost) opens the module through main.c only when a window is first needed. */
#pragma once

#include <gmodule.h>
#include "ag-desktop-host.h"

G_BEGIN_DECLS

#define AG_UI_MODULE_ENTRY "ag_ui_module_create"

/* An AgDesktopUiFactory: initialises GTK (an error when there is no display) and returns @host's windows,
 * registered. */
G_MODULE_EXPORT AgDesktopUi *ag_ui_module_create (AgDesktopHost *host, GError **error);

G_END_DECLS
