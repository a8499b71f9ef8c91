/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-account-proxy-dialog-private.h"
#include "ag-egress-items.h"
#include "ag-upstream-proxy.h"

#include <glib/gi18n.h>

struct _AgAccountProxyDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *parent;
  AgAccount        *account;
  char             *profile;
  GtkEntry         *entry;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (AgAccountProxyDialog, ag_account_proxy_dialog, ADW_TYPE_MESSAGE_DIALOG)

typedef struct
{
  GtkWidget *parent;
  AgAccount *account;
  char      *uri;       /* may hold a password: never logged */
} Write;

static void
write_free (Write *write)
{
  g_object_unref (write->parent);
  g_object_unref (write->account);
  g_free (write->uri);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

static void
written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Write) write = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_egress_items_set_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save the proxy: %s"), error->message);

      gtk_widget_activate_action (write->parent, "win.toast", "s", message);
      return;
    }
  /* Set it here too rather than wait for the keyring watch: the account's next call must use what was saved.
   * The watch then finds the same value and changes nothing. */
  ag_account_set_proxy (write->account, write->uri);
}

static void
save (AgAccountProxyDialog *self, const char *uri)
{
  Write *write = g_new0 (Write, 1);

  write->parent = g_object_ref (self->parent);
  write->account = g_object_ref (self->account);
  write->uri = g_strdup (uri);
  ag_egress_items_set_async (self->profile, ag_account_get_email (self->account), uri, NULL, written, write);
}

static void
on_response (AgAccountProxyDialog *self, const char *response)
{
  if (g_str_equal (response, "save"))
    save (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  else if (g_str_equal (response, "remove"))
    save (self, NULL);
}

static void
on_changed (AgAccountProxyDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GError) error = NULL;
  gboolean valid = text[0] != '\0' && ag_upstream_proxy_uri_check (text, &error);

  /* The checker's message never repeats the URI, so it may be shown as it is. */
  gtk_label_set_text (self->error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", valid);
}

static void
on_activate (AgAccountProxyDialog *self)
{
  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "save"))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "save");
}

static void
ag_account_proxy_dialog_dispose (GObject *object)
{
  AgAccountProxyDialog *self = AG_ACCOUNT_PROXY_DIALOG (object);

  g_clear_object (&self->parent);
  g_clear_object (&self->account);
  g_clear_pointer (&self->profile, g_free);
  G_OBJECT_CLASS (ag_account_proxy_dialog_parent_class)->dispose (object);
}

static void
ag_account_proxy_dialog_class_init (AgAccountProxyDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_account_proxy_dialog_dispose;
}

static void
ag_account_proxy_dialog_init (AgAccountProxyDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_placeholder_text (self->entry, "socks5://user:password@proxy.example:1080");
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

GtkWidget *
ag_account_proxy_dialog_new (GtkWidget *parent, AgAccount *account, const char *profile)
{
  AgAccountProxyDialog *self = g_object_new (AG_TYPE_ACCOUNT_PROXY_DIALOG,
                                             "transient-for", gtk_widget_get_root (parent), "modal", TRUE, NULL);
  g_autofree char *heading = g_strdup_printf (_("Proxy for %s"), ag_account_get_email (account));

  self->parent = g_object_ref (parent);
  self->account = g_object_ref (account);
  self->profile = g_strdup (profile);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               _("This account’s sign-in refresh, quota polls and requests reach Google through "
                                 "this proxy: http://, https:// or socks5://, with user:password@ if it needs one. "
                                 "The address is kept in the keyring only. Remove goes back to the proxy the "
                                 "other accounts use."));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "remove",
                                           ag_account_get_proxy (account) != NULL);
  return GTK_WIDGET (self);
}

GtkEditable *ag_account_proxy_dialog_get_entry (AgAccountProxyDialog *self) { return GTK_EDITABLE (self->entry); }
const char *ag_account_proxy_dialog_get_error (AgAccountProxyDialog *self)
{
  return gtk_label_get_text (self->error_label);
}
