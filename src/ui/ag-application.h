/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-application.h — the desktop app: one instance per session that runs the proxy (AgProxyService), the tray and
 * the window, and keeps the proxy running when the window is closed. Its actions: app.show-window,
 * app.preferences, app.about, app.quit, app.copy-claude-settings and app.proxy-enabled (turns the proxy on or off
 * and remembers it; its state is whether the proxy runs). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_APPLICATION (ag_application_get_type ())
G_DECLARE_FINAL_TYPE (AgApplication, ag_application, AG, APPLICATION, AdwApplication)

/* @settings: nullable (built-in defaults). @address/@port: command-line overrides (NULL / -1 = the settings).
 * @background: start in the tray without the window (unless ag-cl has never been set up). */
AgApplication *ag_application_new (GSettings *settings, const char *address, int port, gboolean background);

G_END_DECLS
