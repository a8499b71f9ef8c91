/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-tray.h — the tray indicator: what it shows and does, exported as our own org.kde.StatusNotifierItem
 * (ag-tray-item.h) and com.canonical.dbusmenu (ag-tray-menu.h) over GDBus (no GTK, so it runs headless in tests).
 * The icon follows the proxy state; the menu shows the accounts and drives the proxy and the application's
 * actions: a click on the icon is "app.show-window"; "Show ag-cl" opens the Overview and the line of an account
 * that needs the user the Accounts page ("app.show-page"); "app.copy-claude-settings", "app.use-in-antigravity",
 * "app.quit". */
#pragma once

#include <gio/gio.h>
#include "ag-proxy-service.h"

G_BEGIN_DECLS

#define AG_TYPE_TRAY (ag_tray_get_type ())
G_DECLARE_FINAL_TYPE (AgTray, ag_tray, AG, TRAY, GObject)

/* Exports the item on the session bus (the application's connection when it is registered) and registers it with
 * the StatusNotifierWatcher whenever one appears. Keeps references to @service and @app. */
AgTray  *ag_tray_new (AgProxyService *service, GApplication *app);

/* Property "available": TRUE while a StatusNotifierWatcher has accepted the item. When FALSE the application
 * should rely on its window and notifications. */
gboolean ag_tray_get_available (AgTray *self);

G_END_DECLS
