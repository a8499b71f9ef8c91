// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-tray-item.h — the org.kde.StatusNotifierItem half of the tray: exports the item and its com.canonical.dbusmenu
 * menu on a D-Bus connection, registers them with the StatusNotifierWatcher whenever one appears, answers the
 * host's property reads from the icon state and tooltip it is given, and emits "activate" when the icon is
 * clicked. What the tray shows and does is AgTray's. */
#pragma once

#include <gio/gio.h>
#include "ag-tray-icon.h"
#include "ag-tray-menu.h"

G_BEGIN_DECLS

#define AG_TYPE_TRAY_ITEM (ag_tray_item_get_type ())
G_DECLARE_FINAL_TYPE (AgTrayItem, ag_tray_item, AG, TRAY_ITEM, GObject)

/* Keeps a reference to @menu, exported and unexported with the item. Starts as AG_TRAY_ICON_OFF, no tooltip. */
AgTrayItem      *ag_tray_item_new (AgTrayMenu *menu);
/* Once; a failure to export is logged, and the item then stays unavailable. */
void             ag_tray_item_export (AgTrayItem *self, GDBusConnection *connection);
void             ag_tray_item_unexport (AgTrayItem *self);
/* Nullable: before ag_tray_item_export. */
GDBusConnection *ag_tray_item_get_connection (AgTrayItem *self);

/* Each tells the host (NewIcon and NewStatus, NewToolTip) when the value changes. */
void             ag_tray_item_set_icon_state (AgTrayItem *self, AgTrayIconState state);
void             ag_tray_item_set_tooltip (AgTrayItem *self, const char *tooltip);

/* Property "available": TRUE while a StatusNotifierWatcher has accepted the item. */
gboolean         ag_tray_item_get_available (AgTrayItem *self);

G_END_DECLS
