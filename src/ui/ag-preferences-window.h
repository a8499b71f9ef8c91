/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-preferences-window.h — the preferences (GSettings io.github.agcl.AgCl): listener, account selection, model
 * mapping and the experimental behaviours, each applied live. */
#pragma once

#include <adwaita.h>
#include "ag-proxy-service.h"

G_BEGIN_DECLS

#define AG_TYPE_PREFERENCES_WINDOW (ag_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, AG, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Properties "settings" (nullable: then every row is insensitive) and "service" (nullable: then the API key row
 * is insensitive). */
AgPreferencesWindow *ag_preferences_window_new (GSettings *settings, AgProxyService *service);

/* For tests. */
GtkSpinButton *ag_preferences_window_get_port_spin (AgPreferencesWindow *self);
/* The "Local API Key" row (its subtitle says whether a key is set) and its Generate button. */
AdwActionRow  *ag_preferences_window_get_api_key_row (AgPreferencesWindow *self);
GtkButton     *ag_preferences_window_get_api_key_generate_button (AgPreferencesWindow *self);
/* The row under the listen address that shows why the proxy refuses it (hidden when it does not). */
AdwActionRow  *ag_preferences_window_get_address_status_row (AgPreferencesWindow *self);

G_END_DECLS
