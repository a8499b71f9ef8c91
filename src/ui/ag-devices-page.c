// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"
#include "ag-devices-page-private.h"

#include <glib/gi18n.h>
#include "ag-device-row.h"

struct _AgDevicesPage
{
  AgPage            parent_instance;

  AdwActionRow     *folder_row;
  AdwActionRow     *signed_in_row;
  AdwActionRow     *identity_row;
  AdwActionRow     *baseline_row;
  GtkWidget        *baseline_button;
  GtkListBox       *list;

  GListModel       *accounts;
  GCancellable     *cancellable;
  AdwMessageDialog *dialog;    /* weak: the window may destroy it first */
  AgAccount        *pending;    /* the account the open dialog would switch to; NULL: the baseline */
  gboolean          ide_found;
  guint             busy;
};

G_DEFINE_FINAL_TYPE (AgDevicesPage, ag_devices_page, AG_TYPE_PAGE)

static AgAntigravitySwitch *
ide_of (AgDevicesPage *self)
{
  return ag_ui_context_get_antigravity_switch (ag_page_get_context (AG_PAGE (self)));
}

static void
toast (AgDevicesPage *self, const char *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
}

static void
sync_rows (AgDevicesPage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (AG_IS_DEVICE_ROW (row))
      ag_device_row_set_can_switch (AG_DEVICE_ROW (row), self->ide_found && self->busy == 0);
  gtk_widget_set_sensitive (self->baseline_button, self->ide_found && self->busy == 0);
}

static void
set_busy (AgDevicesPage *self, gboolean busy)
{
  self->busy = busy ? self->busy + 1 : self->busy - 1;
  sync_rows (self);
}

static void
baseline_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDevicesPage) self = user_data;
  g_autoptr(AgDeviceProfile) baseline = ag_device_store_baseline_finish (AG_DEVICE_STORE (source), result, NULL,
                                                                         NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (baseline != NULL)
    adw_action_row_set_subtitle (self->baseline_row, baseline->machine_id);
  else
    adw_action_row_set_subtitle (self->baseline_row, _("Kept before ag-cl first changes the IDE"));
  gtk_widget_set_visible (self->baseline_button, baseline != NULL);
}

static void
status_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDevicesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAntigravityStatus) status = ag_antigravity_switch_status_finish (AG_ANTIGRAVITY_SWITCH (source),
                                                                               result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  self->ide_found = status != NULL;
  if (status == NULL)
    {
      adw_action_row_set_subtitle (self->folder_row, error->message);
      adw_action_row_set_subtitle (self->signed_in_row, "—");
      adw_action_row_set_subtitle (self->identity_row, "—");
    }
  else
    {
      g_autofree char *folder = status->running ? g_strdup_printf (_("%s (running)"), status->folder)
                                                : g_strdup (status->folder);

      adw_action_row_set_subtitle (self->folder_row, folder);
      adw_action_row_set_subtitle (self->signed_in_row, status->signed_in != NULL ? status->signed_in
                                                        : _("None of these accounts"));
      if (status->profile == NULL)
        adw_action_row_set_subtitle (self->identity_row, _("None yet"));
      else if (g_strcmp0 (status->profile_owner, "baseline") == 0)
        adw_action_row_set_subtitle (self->identity_row, _("This computer’s own"));
      else if (status->profile_owner != NULL)
        adw_action_row_set_subtitle (self->identity_row, status->profile_owner);
      else
        adw_action_row_set_subtitle (self->identity_row, _("Not one ag-cl made"));
    }
  sync_rows (self);
  ag_device_store_get_baseline_async (ag_antigravity_switch_get_devices (AG_ANTIGRAVITY_SWITCH (source)),
                                      self->cancellable, baseline_read, g_object_ref (self));
}

void
ag_devices_page_refresh (AgDevicesPage *self)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (AG_IS_DEVICES_PAGE (self));
  for (guint i = 0; i < g_list_model_get_n_items (self->accounts); i++)
    g_ptr_array_add (accounts, g_list_model_get_item (self->accounts, i));
  set_busy (self, TRUE);
  ag_antigravity_switch_status_async (ide_of (self), accounts, self->cancellable, status_read, g_object_ref (self));
}

static void
switched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDevicesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAntigravityPlan) plan = ag_antigravity_switch_finish (AG_ANTIGRAVITY_SWITCH (source), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (plan == NULL)
    text = g_strdup (error->message);
  else if (self->pending == NULL)
    text = g_strdup (_("Antigravity has this computer’s own identity back"));
  else if (plan->profile_generated)
    text = g_strdup_printf (_("Antigravity now signs in as %s, with a new device identity"),
                            ag_account_get_email (self->pending));
  else
    text = g_strdup_printf (_("Antigravity now signs in as %s"), ag_account_get_email (self->pending));
  toast (self, text);
  g_clear_object (&self->pending);
  ag_devices_page_refresh (self);
}

static void
dialog_response (AdwMessageDialog *dialog, const char *response, AgDevicesPage *self)
{
  g_clear_weak_pointer (&self->dialog);
  if (!g_str_equal (response, "switch"))
    {
      g_clear_object (&self->pending);
      return;
    }
  set_busy (self, TRUE);
  if (self->pending != NULL)
    ag_antigravity_switch_account_async (ide_of (self), self->pending, AG_ANTIGRAVITY_SWITCH_CLOSE_IDE,
                                         self->cancellable, switched, g_object_ref (self));
  else
    ag_antigravity_switch_reset_async (ide_of (self), AG_ANTIGRAVITY_SWITCH_CLOSE_IDE, self->cancellable, switched,
                                       g_object_ref (self));
}

static char *
describe_plan (AgDevicesPage *self, AgAntigravityPlan *plan)
{
  GString *body = g_string_new (NULL);

  if (self->pending == NULL)
    g_string_append_printf (body, _("This computer’s original ids (machineId %s) go back into storage.json and "
                                    "state.vscdb in %s. The sign-in stays as it is."),
                            plan->profile->machine_id, plan->folder);
  else if (plan->profile == NULL)
    g_string_append_printf (body, _("A new device identity is generated for this account and goes into "
                                    "storage.json and state.vscdb in %s."), plan->folder);
  else
    g_string_append_printf (body, _("Its device identity (machineId %s) goes into storage.json and state.vscdb "
                                    "in %s."), plan->profile->machine_id, plan->folder);
  if (self->pending != NULL)
    g_string_append (body, plan->sign_in_store == AG_ANTIGRAVITY_SIGN_IN_STATE_DB
                           ? _(" Its sign-in goes into state.vscdb, where this version of the IDE reads it.")
                           : _(" Its sign-in goes into the keyring, where Antigravity 2 and agy read it."));
  g_string_append (body, _("\n\nCopies of both files are kept beside them."));
  if (plan->running)
    g_string_append (body, _(" Antigravity is running: it will be closed and started again."));
  return g_string_free (body, FALSE);
}

static void
previewed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgDevicesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAntigravityPlan) plan = ag_antigravity_switch_finish (AG_ANTIGRAVITY_SWITCH (source), result, &error);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (plan == NULL)
    {
      toast (self, error->message);
      g_clear_object (&self->pending);
      return;
    }
  heading = self->pending != NULL
            ? g_strdup_printf (_("Switch Antigravity to %s?"), ag_account_get_email (self->pending))
            : g_strdup (_("Put Back This Computer’s Own Identity?"));
  body = describe_plan (self, plan);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  g_set_weak_pointer (&self->dialog,
                      ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  heading, body)));
  adw_message_dialog_add_responses (self->dialog, "cancel", _("_Cancel"), "switch",
                                    plan->running ? _("_Close Antigravity and Switch") : _("_Switch"), NULL);
  adw_message_dialog_set_response_appearance (self->dialog, "switch", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->dialog, "cancel");
  adw_message_dialog_set_close_response (self->dialog, "cancel");
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
ask (AgDevicesPage *self, AgAccount *account)
{
  g_set_object (&self->pending, account);
  set_busy (self, TRUE);
  ag_antigravity_switch_preview_async (ide_of (self), account != NULL ? ag_account_get_email (account) : NULL,
                                       self->cancellable, previewed, g_object_ref (self));
}

static void
switch_requested (AgDeviceRow *row, AgDevicesPage *self)
{
  ask (self, ag_device_row_get_account (row));
}

static void
baseline_clicked (AgDevicesPage *self)
{
  ask (self, NULL);
}

void
ag_devices_page_ask_switch (AgDevicesPage *self, const char *email)
{
  g_return_if_fail (AG_IS_DEVICES_PAGE (self));

  /* A pending account or an open dialog means a confirmation or a switch is under way already. */
  if (self->pending != NULL || self->dialog != NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (self->accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (self->accounts, i);

      if (g_strcmp0 (ag_account_get_email (account), email) == 0)
        {
          ask (self, account);
          return;
        }
    }
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  AgDevicesPage *self = user_data;
  GtkWidget *row = ag_device_row_new (item, ag_page_get_context (AG_PAGE (self)));

  g_signal_connect_object (row, "switch-requested", G_CALLBACK (switch_requested), self, 0);
  ag_device_row_set_can_switch (AG_DEVICE_ROW (row), self->ide_found && self->busy == 0);
  return row;
}

static void
store_changed (AgDevicesPage *self, const char *account)
{
  if (self->busy == 0)
    ag_devices_page_refresh (self);
}

static void
ag_devices_page_constructed (GObject *object)
{
  AgDevicesPage *self = AG_DEVICES_PAGE (object);
  AgProxyService *service;

  G_OBJECT_CLASS (ag_devices_page_parent_class)->constructed (object);

  service = ag_page_get_service (AG_PAGE (self));
  self->accounts = g_object_ref (ag_account_pool_get_accounts (ag_proxy_service_get_pool (service)));
  gtk_list_box_bind_model (self->list, self->accounts, create_row, self, NULL);
  g_signal_connect_object (ag_antigravity_switch_get_devices (ide_of (self)), "changed", G_CALLBACK (store_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts, "items-changed", G_CALLBACK (ag_devices_page_refresh), self,
                           G_CONNECT_SWAPPED);
  ag_devices_page_refresh (self);
}

static void
ag_devices_page_dispose (GObject *object)
{
  AgDevicesPage *self = AG_DEVICES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
  g_clear_object (&self->pending);
  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ag_devices_page_parent_class)->dispose (object);
}

static void
ag_devices_page_class_init (AgDevicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_devices_page_constructed;
  object_class->dispose = ag_devices_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-devices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgDevicesPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, AgDevicesPage, signed_in_row);
  gtk_widget_class_bind_template_child (widget_class, AgDevicesPage, identity_row);
  gtk_widget_class_bind_template_child (widget_class, AgDevicesPage, baseline_row);
  gtk_widget_class_bind_template_child (widget_class, AgDevicesPage, baseline_button);
  gtk_widget_class_bind_template_child (widget_class, AgDevicesPage, list);
  gtk_widget_class_bind_template_callback (widget_class, baseline_clicked);
}

static void
ag_devices_page_init (AgDevicesPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_devices_page_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_DEVICES_PAGE, "context", context, NULL);
}

GtkListBox *ag_devices_page_get_list (AgDevicesPage *self) { return self->list; }
AdwMessageDialog *ag_devices_page_get_dialog (AgDevicesPage *self) { return self->dialog; }
gboolean ag_devices_page_get_busy (AgDevicesPage *self) { return self->busy > 0; }

const char *
ag_devices_page_get_signed_in (AgDevicesPage *self)
{
  return adw_action_row_get_subtitle (self->signed_in_row);
}

const char *
ag_devices_page_get_identity (AgDevicesPage *self)
{
  return adw_action_row_get_subtitle (self->identity_row);
}
