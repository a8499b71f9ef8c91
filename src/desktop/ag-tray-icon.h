/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-tray-icon.h — the tray icon per proxy state: a themed icon name and the same picture drawn as ARGB32 pixmaps
 * for hosts that cannot see our icon theme (Flatpak, missing icons). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  AG_TRAY_ICON_ON,        /* listening, an account can serve */
  AG_TRAY_ICON_OFF,       /* not listening */
  AG_TRAY_ICON_LIMITED,   /* listening, but no account can serve right now */
} AgTrayIconState;

const char *ag_tray_icon_name (AgTrayIconState state);
/* StatusNotifierItem "IconPixmap" value, type a(iiay): 16, 22, 32 and 48 px, pixels A,R,G,B in network order. */
GVariant   *ag_tray_icon_pixmaps (AgTrayIconState state);

G_END_DECLS
