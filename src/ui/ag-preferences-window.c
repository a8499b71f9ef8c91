/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-preferences-window-private.h"
#include "ag-autostart.h"
#include "ag-local-api-key.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the combo row's model and of the schema's enum values. */
static const char * const strategy_nicks[] = { "sticky", "round-robin", "hybrid", "fill-first" };

static gboolean
strategy_to_selected (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (strategy_nicks); i++)
    if (g_str_equal (nick, strategy_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
selected_to_strategy (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (strategy_nicks))
    return NULL;
  return g_variant_new_string (strategy_nicks[selected]);
}

/* Says why the proxy refuses the configured address: known in advance for a network address without a key,
 * otherwise what the last failed start reported. */
void
ag_preferences_window_sync_address_status (AgPreferencesWindow *self)
{
  AgProxyService *service = ag_ui_context_get_service (self->context);
  GSettings *settings = ag_ui_context_get_settings (self->context);
  g_autofree char *address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *text = NULL;

  if (settings == NULL)
    return;
  address = g_settings_get_string (settings, "listen-address");
  inet = g_inet_address_new_from_string (address);
  if (ag_proxy_service_get_running (service))
    g_clear_pointer (&self->listen_error, g_free);
  if (inet != NULL && !g_inet_address_get_is_loopback (inet) &&
      !ag_local_api_key_is_set (ag_proxy_service_get_local_api_key (service)))
    /* Translators: %s is an IP address such as 0.0.0.0 */
    text = g_strdup_printf (_("ag-cl refuses %s without a local API key: generate one below, or use 127.0.0.1"),
                            address);
  else if (self->listen_error != NULL)
    text = g_strdup (self->listen_error);
  gtk_widget_set_visible (GTK_WIDGET (self->address_status_row), text != NULL);
  adw_action_row_set_subtitle (self->address_status_row, text != NULL ? text : "");
}

static void
on_listen_failed (AgProxyService *service, const char *message, gpointer user_data)
{
  AgPreferencesWindow *self = user_data;

  g_free (self->listen_error);
  self->listen_error = g_strdup (message);
  ag_preferences_window_sync_address_status (self);
}

static void
on_address_setting_changed (AgPreferencesWindow *self)
{
  g_autofree char *address = g_settings_get_string (ag_ui_context_get_settings (self->context), "listen-address");

  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  ag_preferences_window_sync_address_status (self);
}

static void
address_applied (AgPreferencesWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));

  g_settings_set_string (ag_ui_context_get_settings (self->context), "listen-address", address);
}

static void on_autostart_toggled (AgPreferencesWindow *self);

/* Shows what is registered, without asking to register it again. */
static void
show_autostart (AgPreferencesWindow *self, gboolean enabled)
{
  g_signal_handlers_block_by_func (self->autostart_switch, on_autostart_toggled, self);
  gtk_switch_set_active (self->autostart_switch, enabled);
  g_signal_handlers_unblock_by_func (self->autostart_switch, on_autostart_toggled, self);
}

static void
autostart_set (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean now_enabled = FALSE;

  if (!ag_autostart_set_finish (result, &now_enabled, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      now_enabled = g_settings_get_boolean (ag_ui_context_get_settings (self->context), "autostart");
    }
  /* In a sandbox nothing else remembers what the portal granted. */
  g_settings_set_boolean (ag_ui_context_get_settings (self->context), "autostart", now_enabled);
  show_autostart (self, now_enabled);
}

static void
on_autostart_toggled (AgPreferencesWindow *self)
{
  g_autofree char *executable = ag_autostart_default_executable ();

  ag_autostart_set_async (gtk_switch_get_active (self->autostart_switch), executable, self->cancellable,
                          autostart_set, g_object_ref (self));
}

/* The entry on disk is the truth outside a sandbox (the user may have removed it in the desktop's settings); in
 * one, the portal's last answer. */
static void
load_autostart (AgPreferencesWindow *self)
{
  AgAutostartState state = ag_autostart_get_state ();

  show_autostart (self, state == AG_AUTOSTART_UNKNOWN
                          ? g_settings_get_boolean (ag_ui_context_get_settings (self->context), "autostart")
                          : state == AG_AUTOSTART_ON);
  g_signal_connect_swapped (self->autostart_switch, "notify::active", G_CALLBACK (on_autostart_toggled), self);
}

/* The allow-list a row edits: "a, b" in the row, ["a", "b"] in GSettings. */
static const char *
allowed_list_key (AgPreferencesWindow *self, AdwEntryRow *row)
{
  return row == self->allowed_hosts_row ? "allowed-hosts" : "allowed-origins";
}

static void
load_allowed_list (AgPreferencesWindow *self, AdwEntryRow *row)
{
  g_auto(GStrv) entries = g_settings_get_strv (ag_ui_context_get_settings (self->context),
                                               allowed_list_key (self, row));
  g_autofree char *text = g_strjoinv (", ", entries);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
allowed_list_applied (AdwEntryRow *row, AgPreferencesWindow *self)
{
  g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (row)), ", ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) entries = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  entries = g_strv_builder_end (builder);
  g_settings_set_strv (ag_ui_context_get_settings (self->context), allowed_list_key (self, row),
                       (const char * const *) entries);
  load_allowed_list (self, row);
}

static AdwEntryRow *
alias_row (AgPreferencesWindow *self, const char *alias)
{
  if (g_str_equal (alias, "opus"))
    return self->opus_row;
  if (g_str_equal (alias, "sonnet"))
    return self->sonnet_row;
  return self->haiku_row;
}

static void
load_model_map (AgPreferencesWindow *self)
{
  g_autoptr(GVariant) map = g_settings_get_value (ag_ui_context_get_settings (self->context), "model-map");
  const char *aliases[] = { "opus", "sonnet", "haiku" };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      const char *target = NULL;

      if (!g_variant_lookup (map, aliases[i], "&s", &target))
        target = "";
      gtk_editable_set_text (GTK_EDITABLE (alias_row (self, aliases[i])), target);
    }
}

/* Writes one alias, keeping every other entry of the map (including ones this window does not show). */
static void
model_row_applied (AdwEntryRow *row, gpointer user_data)
{
  AgPreferencesWindow *self = user_data;
  const char *alias = g_object_get_data (G_OBJECT (row), "alias");
  g_autofree char *target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GVariant) map = g_settings_get_value (ag_ui_context_get_settings (self->context), "model-map");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *from, *to;

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
    if (!g_str_equal (from, alias))
      g_variant_builder_add (&builder, "{ss}", from, to);
  if (target[0] != '\0')
    g_variant_builder_add (&builder, "{ss}", alias, target);
  g_settings_set_value (ag_ui_context_get_settings (self->context), "model-map", g_variant_builder_end (&builder));
}

static void
ag_preferences_window_dispose (GObject *object)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->context != NULL)
    {
      GSettings *settings = ag_ui_context_get_settings (self->context);

      g_signal_handlers_disconnect_by_data (ag_ui_context_get_service (self->context), self);
      if (settings != NULL)
        g_signal_handlers_disconnect_by_data (settings, self);
    }
  g_clear_object (&self->context);
  g_clear_pointer (&self->listen_error, g_free);
  ag_preferences_window_forget_previous_key (self);
  G_OBJECT_CLASS (ag_preferences_window_parent_class)->dispose (object);
}

static void
ag_preferences_window_constructed (GObject *object)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);
  AgProxyService *service;
  GSettings *settings;
  g_autofree char *address = NULL;
  const struct { GtkSwitch *widget; const char *key; } toggles[] = {
    { self->usage_scaling_switch, "usage-scaling" },
    { self->warmup_switch, "warmup-interception" },
    { self->background_switch, "background-routing" },
    { self->auto_stream_switch, "auto-stream-conversion" },
    { self->dual_quota_switch, "dual-quota-pool" },
    { self->ai_credits_switch, "ai-credits" },
  };
  AdwEntryRow *model_rows[] = { self->opus_row, self->sonnet_row, self->haiku_row };
  const char *aliases[] = { "opus", "sonnet", "haiku" };

  G_OBJECT_CLASS (ag_preferences_window_parent_class)->constructed (object);

  g_assert (AG_IS_UI_CONTEXT (self->context));
  service = ag_ui_context_get_service (self->context);
  settings = ag_ui_context_get_settings (self->context);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (ag_proxy_service_get_local_api_key (service), "notify::is-set",
                           G_CALLBACK (ag_preferences_window_sync_api_key), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (service, "notify::running", G_CALLBACK (ag_preferences_window_sync_address_status), self);
  g_signal_connect (service, "listen-failed", G_CALLBACK (on_listen_failed), self);
  ag_preferences_window_sync_api_key (self);
  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return;
    }
  g_settings_bind (settings, "port", self->port_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "selection-strategy", self->strategy_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, strategy_to_selected, selected_to_strategy, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    g_settings_bind (settings, toggles[i].key, toggles[i].widget, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "require-api-key", self->require_key_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (settings, "changed::require-api-key",
                            G_CALLBACK (ag_preferences_window_require_key_changed), self);
  /* The address is applied with the row's button: every keystroke would restart the listener. */
  address = g_settings_get_string (settings, "listen-address");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  g_signal_connect_swapped (settings, "changed::listen-address", G_CALLBACK (on_address_setting_changed),
                            self);
  ag_preferences_window_sync_address_status (self);
  load_autostart (self);
  load_allowed_list (self, self->allowed_hosts_row);
  load_allowed_list (self, self->allowed_origins_row);
  load_model_map (self);
  for (guint i = 0; i < G_N_ELEMENTS (model_rows); i++)
    {
      g_object_set_data (G_OBJECT (model_rows[i]), "alias", (gpointer) aliases[i]);
      g_signal_connect (model_rows[i], "apply", G_CALLBACK (model_row_applied), self);
    }
}

static void
ag_preferences_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_preferences_window_class_init (AgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = ag_preferences_window_constructed;
  object_class->dispose = ag_preferences_window_dispose;
  object_class->get_property = ag_preferences_window_get_property;
  object_class->set_property = ag_preferences_window_set_property;

  properties[PROP_CONTEXT] = g_param_spec_object ("context", NULL, NULL, AG_TYPE_UI_CONTEXT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, address_status_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, api_key_copy_button);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, api_key_remove_button);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, api_key_generate_button);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, require_key_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, allowed_hosts_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, allowed_origins_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, opus_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, sonnet_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, haiku_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, usage_scaling_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, warmup_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, auto_stream_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, dual_quota_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, ai_credits_switch);
  gtk_widget_class_bind_template_callback (widget_class, address_applied);
  ag_preferences_window_api_key_class_init (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, allowed_list_applied);
}

static void
ag_preferences_window_init (AgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AgPreferencesWindow *
ag_preferences_window_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_PREFERENCES_WINDOW, "context", context, NULL);
}

AdwActionRow *ag_preferences_window_get_api_key_row (AgPreferencesWindow *self) { return self->api_key_row; }
GtkSwitch *ag_preferences_window_get_require_key_switch (AgPreferencesWindow *self) { return self->require_key_switch; }
GtkSwitch *ag_preferences_window_get_autostart_switch (AgPreferencesWindow *self) { return self->autostart_switch; }
AdwEntryRow *ag_preferences_window_get_allowed_origins_row (AgPreferencesWindow *self) { return self->allowed_origins_row; }
GtkButton *
ag_preferences_window_get_api_key_generate_button (AgPreferencesWindow *self)
{
  return self->api_key_generate_button;
}
AdwActionRow *ag_preferences_window_get_address_status_row (AgPreferencesWindow *self) { return self->address_status_row; }

GtkSpinButton *
ag_preferences_window_get_port_spin (AgPreferencesWindow *self)
{
  return self->port_spin;
}
