/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-tray-menu.h — a flat com.canonical.dbusmenu menu exported on a D-Bus connection. The owner describes the items
 * by stable keys; the menu gives them ids, and tells the host what changed (LayoutUpdated when items come or go,
 * ItemsPropertiesUpdated when only labels or states change). Clicks, through Event or EventGroup, are emitted as
 * the "clicked" signal with the item's key. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_TRAY_MENU_PATH "/MenuBar"

#define AG_TYPE_TRAY_MENU (ag_tray_menu_get_type ())
G_DECLARE_FINAL_TYPE (AgTrayMenu, ag_tray_menu, AG, TRAY_MENU, GObject)

AgTrayMenu *ag_tray_menu_new (void);
/* Exports the menu at AG_TRAY_MENU_PATH on @connection (once). */
gboolean    ag_tray_menu_export (AgTrayMenu *self, GDBusConnection *connection, GError **error);
void        ag_tray_menu_unexport (AgTrayMenu *self);

/* Replaces the items. @keys and @properties (each a floating a{sv}, consumed, of dbusmenu item properties such as
 * "label", "enabled", "type", "toggle-type", "toggle-state") have @n_items entries. Items keep their id as long as
 * their key stays. */
void        ag_tray_menu_set_items (AgTrayMenu *self, const char *const *keys, GVariant *const *properties,
                                    guint n_items);

G_END_DECLS
