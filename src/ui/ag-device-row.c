// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"
#include "ag-device-row-private.h"

#include <glib/gi18n.h>
#include <inttypes.h>

struct _AgDeviceRow
{
  AgAccountExpanderRow parent_instance;

  GtkWidget      *switch_button;
  AdwActionRow   *ids_row;
  GtkWidget      *generate_button;
  GtkWidget      *capture_button;

  GPtrArray      *version_rows;   /* the history rows, to replace on reload */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (AgDeviceRow, ag_device_row, AG_TYPE_ACCOUNT_EXPANDER_ROW)

enum { SIGNAL_SWITCH_REQUESTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static AgAntigravitySwitch *
antigravity_of (AgDeviceRow *self)
{
  return ag_ui_context_get_antigravity_switch (ag_account_expander_row_get_context (AG_ACCOUNT_EXPANDER_ROW (self)));
}

static AgDeviceStore *
devices_of (AgDeviceRow *self)
{
  return ag_antigravity_switch_get_devices (antigravity_of (self));
}

static const char *
email_of (AgDeviceRow *self)
{
  return ag_account_get_email (ag_device_row_get_account (self));
}

static void
toast (AgDeviceRow *self, const char *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
}

static char *
format_ms (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (time, "%x %X");
}

static void restore_clicked (GtkButton *button, AgDeviceRow *self);

/* How a version came to be, in words: the store keeps a short tag. */
static const char *
origin_text (const char *label)
{
  if (g_strcmp0 (label, "generated") == 0)
    return _("generated");
  if (g_strcmp0 (label, "captured") == 0)
    return _("captured from the IDE");
  if (g_strcmp0 (label, "auto_generated") == 0)
    return _("generated at the first switch");
  return label;
}

static GtkWidget *
version_row (AgDeviceRow *self, AgDeviceVersion *version)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (_("Version %" PRId64 " · %s"), version->id,
                                            origin_text (version->label));
  g_autofree char *when = format_ms (version->created_ms);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  if (version->current)
    {
      GtkWidget *current = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_set_tooltip_text (current, _("In use"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), current);
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "version-id", GINT_TO_POINTER ((int) version->id));
      g_signal_connect (button, "clicked", G_CALLBACK (restore_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
show_versions (AgDeviceRow *self, GPtrArray *versions)
{
  AgDeviceVersion *current = NULL;

  for (guint i = 0; i < self->version_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->version_rows, i));
  g_ptr_array_set_size (self->version_rows, 0);
  for (guint i = 0; i < versions->len; i++)
    {
      AgDeviceVersion *version = g_ptr_array_index (versions, i);
      GtkWidget *row = version_row (self, version);

      if (version->current)
        current = version;
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->version_rows, row);
    }
  if (current == NULL)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self),
                                     _("No device identity yet: one is generated at the first switch"));
      adw_action_row_set_subtitle (self->ids_row, _("None"));
    }
  else
    {
      g_autofree char *subtitle = g_strdup_printf (_("Version %" PRId64 " · %s"), current->id,
                                                   origin_text (current->label));
      g_autofree char *ids = ag_device_profile_describe (current->profile, NULL);

      g_strchomp (ids);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
      adw_action_row_set_subtitle (self->ids_row, ids);
    }
}

static void
versions_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDeviceRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = ag_device_store_list_finish (AG_DEVICE_STORE (source), result, &error);

  if (versions != NULL)
    show_versions (self, versions);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
reload (AgDeviceRow *self)
{
  ag_device_store_list_async (devices_of (self), email_of (self), self->cancellable, versions_listed,
                              g_object_ref (self));
}

static void
store_changed (AgDeviceRow *self, const char *account)
{
  if (g_strcmp0 (account, email_of (self)) == 0)
    reload (self);
}

/* Generate, capture and restore all end in a version or an error; "changed" reloads the rows. */
static void
version_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDeviceRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgDeviceVersion) version = NULL;

  version = ag_antigravity_switch_version_finish (source, result, &error);
  if (version == NULL && error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
generate_clicked (AgDeviceRow *self)
{
  ag_device_store_generate_async (devices_of (self), email_of (self), self->cancellable, version_made,
                                  g_object_ref (self));
}

static void
capture_clicked (AgDeviceRow *self)
{
  ag_antigravity_switch_capture_async (antigravity_of (self), email_of (self), self->cancellable, version_made,
                                       g_object_ref (self));
}

static void
restore_clicked (GtkButton *button, AgDeviceRow *self)
{
  gint64 id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "version-id"));

  ag_device_store_restore_async (devices_of (self), email_of (self), id, self->cancellable, version_made,
                                 g_object_ref (self));
}

static void
switch_clicked (AgDeviceRow *self)
{
  g_signal_emit (self, signals[SIGNAL_SWITCH_REQUESTED], 0);
}

static void
ag_device_row_constructed (GObject *object)
{
  AgDeviceRow *self = AG_DEVICE_ROW (object);

  G_OBJECT_CLASS (ag_device_row_parent_class)->constructed (object);

  g_signal_connect_object (devices_of (self), "changed", G_CALLBACK (store_changed), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
ag_device_row_dispose (GObject *object)
{
  AgDeviceRow *self = AG_DEVICE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->version_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (ag_device_row_parent_class)->dispose (object);
}

static void
ag_device_row_class_init (AgDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_device_row_constructed;
  object_class->dispose = ag_device_row_dispose;

  signals[SIGNAL_SWITCH_REQUESTED] = g_signal_new ("switch-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AgDeviceRow, switch_button);
  gtk_widget_class_bind_template_child (widget_class, AgDeviceRow, ids_row);
  gtk_widget_class_bind_template_child (widget_class, AgDeviceRow, generate_button);
  gtk_widget_class_bind_template_child (widget_class, AgDeviceRow, capture_button);
  gtk_widget_class_bind_template_callback (widget_class, switch_clicked);
  gtk_widget_class_bind_template_callback (widget_class, generate_clicked);
  gtk_widget_class_bind_template_callback (widget_class, capture_clicked);
}

static void
ag_device_row_init (AgDeviceRow *self)
{
  self->version_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_device_row_new (AgAccount *account, AgUiContext *context)
{
  return g_object_new (AG_TYPE_DEVICE_ROW, "account", account, "context", context, NULL);
}

AgAccount *
ag_device_row_get_account (AgDeviceRow *self)
{
  return ag_account_expander_row_get_account (AG_ACCOUNT_EXPANDER_ROW (self));
}

GtkWidget *ag_device_row_get_switch_button (AgDeviceRow *self) { return self->switch_button; }
GtkWidget *ag_device_row_get_generate_button (AgDeviceRow *self) { return self->generate_button; }
guint ag_device_row_get_n_versions (AgDeviceRow *self) { return self->version_rows->len; }

void
ag_device_row_set_can_switch (AgDeviceRow *self, gboolean can_switch)
{
  gtk_widget_set_sensitive (self->switch_button, can_switch);
  gtk_widget_set_sensitive (self->capture_button, can_switch);
}
