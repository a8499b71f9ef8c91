/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-application.h — the desktop app's windows: the GtkApplication the window, the preferences and About belong
 * to, in the GTK module. It is the host's UI (AgDesktopUi): the host (no GTK) owns the proxy, the tray and the
 * session's activations, and hands its window actions (app.show-window, app.show-page, app.preferences,
 * app.about, app.copy-claude-settings, app.use-in-antigravity) on to this object; the windows reach the host's
 * own app.quit and app.proxy-enabled through it too. Ctrl+Q, Ctrl+, and Alt+1… are its shortcuts. */
#pragma once

#include <adwaita.h>
#include "ag-desktop-host.h"

G_BEGIN_DECLS

#define AG_TYPE_APPLICATION (ag_application_get_type ())
G_DECLARE_FINAL_TYPE (AgApplication, ag_application, AG, APPLICATION, AdwApplication)

/* The windows of @host (after its startup); register the result before use. */
AgApplication *ag_application_new (AgDesktopHost *host);
/* Nullable once the host is gone. */
AgDesktopHost *ag_application_get_host (AgApplication *self);

G_END_DECLS
