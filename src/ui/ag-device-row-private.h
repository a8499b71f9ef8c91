// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-device-row-private.h — for tests: the buttons and what the row shows. */
#pragma once

#include "ag-device-row.h"

G_BEGIN_DECLS

GtkWidget  *ag_device_row_get_switch_button (AgDeviceRow *self);
GtkWidget  *ag_device_row_get_generate_button (AgDeviceRow *self);
/* The number of history rows shown (one per version). */
guint       ag_device_row_get_n_versions (AgDeviceRow *self);

G_END_DECLS
