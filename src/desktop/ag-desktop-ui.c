/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-desktop-ui.h"

G_DEFINE_INTERFACE (AgDesktopUi, ag_desktop_ui, G_TYPE_ACTION_GROUP)

static void
ag_desktop_ui_default_init (AgDesktopUiInterface *iface)
{
}

void
ag_desktop_ui_close_windows (AgDesktopUi *self)
{
  g_return_if_fail (AG_IS_DESKTOP_UI (self));

  AG_DESKTOP_UI_GET_IFACE (self)->close_windows (self);
}

gboolean
ag_desktop_ui_has_windows (AgDesktopUi *self)
{
  g_return_val_if_fail (AG_IS_DESKTOP_UI (self), FALSE);

  return AG_DESKTOP_UI_GET_IFACE (self)->has_windows (self);
}
