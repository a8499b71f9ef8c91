/* ag-preferences-window.h — the preferences (GSettings io.github.agcl.AgCl): listener, account selection, model
 * mapping and the experimental behaviours, each applied live. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AG_TYPE_PREFERENCES_WINDOW (ag_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, AG, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @settings: nullable (then every row is insensitive). */
AgPreferencesWindow *ag_preferences_window_new (GSettings *settings);
GtkSpinButton       *ag_preferences_window_get_port_spin (AgPreferencesWindow *self);

G_END_DECLS
