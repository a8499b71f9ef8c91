#include "config.h"
#include "ag-preferences-window.h"

#include <glib/gi18n.h>

struct _AgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkSpinButton       *port_spin;
  AdwEntryRow         *address_row;
  AdwComboRow         *strategy_row;
  AdwEntryRow         *opus_row;
  AdwEntryRow         *sonnet_row;
  AdwEntryRow         *haiku_row;
  GtkSwitch           *usage_scaling_switch;
  GtkSwitch           *warmup_switch;
  GtkSwitch           *background_switch;
  GtkSwitch           *auto_stream_switch;
  GtkSwitch           *dual_quota_switch;

  GSettings           *settings;
};

G_DEFINE_FINAL_TYPE (AgPreferencesWindow, ag_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

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

static void
address_applied (AgPreferencesWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));

  g_settings_set_string (self->settings, "listen-address", address);
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
  g_autoptr(GVariant) map = g_settings_get_value (self->settings, "model-map");
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
  g_autoptr(GVariant) map = g_settings_get_value (self->settings, "model-map");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *from, *to;

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &from, &to))
    if (!g_str_equal (from, alias))
      g_variant_builder_add (&builder, "{ss}", from, to);
  if (target[0] != '\0')
    g_variant_builder_add (&builder, "{ss}", alias, target);
  g_settings_set_value (self->settings, "model-map", g_variant_builder_end (&builder));
}

static void
ag_preferences_window_dispose (GObject *object)
{
  AgPreferencesWindow *self = AG_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ag_preferences_window_parent_class)->dispose (object);
}

static void
ag_preferences_window_class_init (AgPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ag_preferences_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, opus_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, sonnet_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, haiku_row);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, usage_scaling_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, warmup_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, auto_stream_switch);
  gtk_widget_class_bind_template_child (widget_class, AgPreferencesWindow, dual_quota_switch);
  gtk_widget_class_bind_template_callback (widget_class, address_applied);
}

static void
ag_preferences_window_init (AgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AgPreferencesWindow *
ag_preferences_window_new (GSettings *settings)
{
  AgPreferencesWindow *self = g_object_new (AG_TYPE_PREFERENCES_WINDOW, NULL);
  g_autofree char *address = NULL;
  const struct { GtkSwitch *widget; const char *key; } toggles[] = {
    { self->usage_scaling_switch, "usage-scaling" },
    { self->warmup_switch, "warmup-interception" },
    { self->background_switch, "background-routing" },
    { self->auto_stream_switch, "auto-stream-conversion" },
    { self->dual_quota_switch, "dual-quota-pool" },
  };
  AdwEntryRow *model_rows[] = { self->opus_row, self->sonnet_row, self->haiku_row };
  const char *aliases[] = { "opus", "sonnet", "haiku" };

  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return self;
    }
  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "port", self->port_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "selection-strategy", self->strategy_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, strategy_to_selected, selected_to_strategy, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    g_settings_bind (settings, toggles[i].key, toggles[i].widget, "active", G_SETTINGS_BIND_DEFAULT);
  /* The address is applied with the row's button: every keystroke would restart the listener. */
  address = g_settings_get_string (settings, "listen-address");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  load_model_map (self);
  for (guint i = 0; i < G_N_ELEMENTS (model_rows); i++)
    {
      g_object_set_data (G_OBJECT (model_rows[i]), "alias", (gpointer) aliases[i]);
      g_signal_connect (model_rows[i], "apply", G_CALLBACK (model_row_applied), self);
    }
  return self;
}

GtkSpinButton *
ag_preferences_window_get_port_spin (AgPreferencesWindow *self)
{
  return self->port_spin;
}
