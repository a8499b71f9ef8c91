/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-preferences-window-private.h — for tests: the rows and buttons of the preferences. */
#pragma once

#include "ag-preferences-window.h"

G_BEGIN_DECLS

GtkSpinButton *ag_preferences_window_get_port_spin (AgPreferencesWindow *self);
/* The "Local API Key" row (its subtitle says whether a key is set) and its Generate button. */
AdwActionRow  *ag_preferences_window_get_api_key_row (AgPreferencesWindow *self);
GtkButton     *ag_preferences_window_get_api_key_generate_button (AgPreferencesWindow *self);
/* The "Require the Key From Local Clients Too" switch (bound to require-api-key). */
GtkSwitch     *ag_preferences_window_get_require_key_switch (AgPreferencesWindow *self);
/* "Start at Login" (ag-autostart.h). */
GtkSwitch     *ag_preferences_window_get_autostart_switch (AgPreferencesWindow *self);
/* The allow-lists of host names and web origins, edited as comma-separated text. */
AdwEntryRow   *ag_preferences_window_get_allowed_origins_row (AgPreferencesWindow *self);
/* The row under the listen address that shows why the proxy refuses it (hidden when it does not). */
AdwActionRow  *ag_preferences_window_get_address_status_row (AgPreferencesWindow *self);

G_END_DECLS
