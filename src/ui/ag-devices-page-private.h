// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-devices-page-private.h — for tests: the rows, the confirmation and what the status rows say. */
#pragma once

#include "ag-devices-page.h"
#include "ag-device-row-private.h"

G_BEGIN_DECLS

GtkListBox       *ag_devices_page_get_list (AgDevicesPage *self);
/* The open confirmation, or NULL. */
AdwMessageDialog *ag_devices_page_get_dialog (AgDevicesPage *self);
const char       *ag_devices_page_get_signed_in (AgDevicesPage *self);
const char       *ag_devices_page_get_identity (AgDevicesPage *self);
/* A switch or a status read is under way. */
gboolean          ag_devices_page_get_busy (AgDevicesPage *self);

G_END_DECLS
