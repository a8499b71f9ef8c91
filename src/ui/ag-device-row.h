// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-device-row.h — one account on the Devices page: its device profile (the four ids), Generate and Capture, the
 * history of versions with Restore, and "Switch Antigravity to This Account", which it hands to the page through
 * the "switch-requested" signal (the page owns the confirmation and the IDE's status). */
#pragma once

#include <adwaita.h>
#include "ag-account-expander-row.h"

G_BEGIN_DECLS

#define AG_TYPE_DEVICE_ROW (ag_device_row_get_type ())
G_DECLARE_FINAL_TYPE (AgDeviceRow, ag_device_row, AG, DEVICE_ROW, AgAccountExpanderRow)

/* Properties "account" and "context" (construct-only). */
GtkWidget *ag_device_row_new (AgAccount *account, AgUiContext *context);
AgAccount *ag_device_row_get_account (AgDeviceRow *self);
/* Whether an IDE was found to switch (the page says so after each status read). */
void       ag_device_row_set_can_switch (AgDeviceRow *self, gboolean can_switch);

G_END_DECLS
