/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-preferences-window.h — the preferences (GSettings io.github.agcl.AgCl): listener, account selection, model
 * mapping and the experimental behaviours, each applied live. */
#pragma once

#include <adwaita.h>
#include "ag-ui-context.h"

G_BEGIN_DECLS

#define AG_TYPE_PREFERENCES_WINDOW (ag_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, AG, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Property "context": its settings (none: then every row is insensitive) and its service (the local API key and
 * the listener's state). */
AgPreferencesWindow *ag_preferences_window_new (AgUiContext *context);

G_END_DECLS
