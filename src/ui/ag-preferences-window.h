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

G_END_DECLS
