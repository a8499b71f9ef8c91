// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-devices-page.h — the Devices page: the Antigravity IDE on this computer (its folder, which account it is
 * signed in as, whose device identity it uses, this computer's own identity with Put Back), and one AgDeviceRow
 * per account. Switching asks first (what changes, where the backups go, whether the IDE will be closed). */
#pragma once

#include <adwaita.h>
#include "ag-page.h"

G_BEGIN_DECLS

#define AG_TYPE_DEVICES_PAGE (ag_devices_page_get_type ())
G_DECLARE_FINAL_TYPE (AgDevicesPage, ag_devices_page, AG, DEVICES_PAGE, AgPage)

/* Property "context": its service's pool is listed. */
GtkWidget *ag_devices_page_new (AgUiContext *context);
/* Reads the IDE's status again (after a switch made elsewhere, e.g. from the tray). */
void       ag_devices_page_refresh (AgDevicesPage *self);
/* Asks, as the account's Switch button does, to switch Antigravity to the account @email (the tray's "Use in
 * Antigravity"); nothing when no such account is listed or another switch is being asked or made. */
void       ag_devices_page_ask_switch (AgDevicesPage *self, const char *email);

G_END_DECLS
