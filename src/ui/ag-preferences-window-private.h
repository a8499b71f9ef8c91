/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-preferences-window-private.h — for tests: the rows and buttons of the preferences; for the window's files
 * (ag-preferences-window.c: the object, the listener, autostart, allow-lists and model map;
 * ag-preferences-window-api-key.c: the Local API Key group): its state and what they call in each other. */
#pragma once

#include "ag-preferences-window.h"

G_BEGIN_DECLS

struct _AgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkSpinButton       *port_spin;
  AdwEntryRow         *address_row;
  AdwActionRow        *address_status_row;
  AdwActionRow        *api_key_row;
  GtkButton           *api_key_copy_button;
  GtkButton           *api_key_remove_button;
  GtkButton           *api_key_generate_button;
  GtkSwitch           *require_key_switch;
  GtkSwitch           *autostart_switch;
  AdwEntryRow         *allowed_hosts_row;
  AdwEntryRow         *allowed_origins_row;
  AdwComboRow         *strategy_row;
  AdwEntryRow         *opus_row;
  AdwEntryRow         *sonnet_row;
  AdwEntryRow         *haiku_row;
  GtkSwitch           *usage_scaling_switch;
  GtkSwitch           *warmup_switch;
  GtkSwitch           *background_switch;
  GtkSwitch           *auto_stream_switch;
  GtkSwitch           *dual_quota_switch;
  GtkSwitch           *ai_credits_switch;

  AgUiContext         *context;
  char                *listen_error;     /* why the listener last failed to start, while it is off */
  char                *previous_key;     /* the key a generation replaces, for the agents set up with it */
  GCancellable        *cancellable;
};

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

/* ag-preferences-window.c: why the proxy refuses the configured address, under the address row. */
void           ag_preferences_window_sync_address_status (AgPreferencesWindow *self);

/* ag-preferences-window-api-key.c: the key's row and buttons follow whether a key is set and required; what
 * switching "require-api-key" on does; wiping the replaced key; the group's template callbacks. */
void           ag_preferences_window_sync_api_key (AgPreferencesWindow *self);
void           ag_preferences_window_require_key_changed (AgPreferencesWindow *self);
void           ag_preferences_window_forget_previous_key (AgPreferencesWindow *self);
void           ag_preferences_window_api_key_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
