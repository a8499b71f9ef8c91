/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-desktop-ui.h — what the desktop host asks of its windows. The host (AgDesktopHost, no GTK) owns the proxy,
 * the tray and the notifications; the windows live in the GTK module, which is loaded only when one is first
 * needed. The module's object is an action group: the host forwards the window actions to it (AG_DESKTOP_UI_ACTIONS,
 * with the same names and parameters), asks it to close its windows before the process ends, and is told when the
 * last one has closed (ag_desktop_host_windows_closed). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AG_TYPE_DESKTOP_UI (ag_desktop_ui_get_type ())
G_DECLARE_INTERFACE (AgDesktopUi, ag_desktop_ui, AG, DESKTOP_UI, GObject)

struct _AgDesktopUiInterface
{
  GTypeInterface g_iface;

  void     (*close_windows) (AgDesktopUi *self);
  gboolean (*has_windows)   (AgDesktopUi *self);
};

/* Destroys every window, so they drop their references on the service before the host stops it. */
void     ag_desktop_ui_close_windows (AgDesktopUi *self);
gboolean ag_desktop_ui_has_windows (AgDesktopUi *self);

G_END_DECLS
