/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-accounts-page.h"

#include "ag-account-row.h"

struct _AgAccountsPage
{
  AdwBin         parent_instance;

  GtkStack      *stack;
  GtkListBox    *list;

  AgApplication *app;      /* weak */
  GListModel    *accounts;
};

G_DEFINE_FINAL_TYPE (AgAccountsPage, ag_accounts_page, ADW_TYPE_BIN)

static void
sync_empty (AgAccountsPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (self->accounts) > 0 ? "list" : "empty");
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  AgAccountsPage *self = user_data;

  return GTK_WIDGET (ag_account_row_new (self->app, item));
}

static void
ag_accounts_page_dispose (GObject *object)
{
  AgAccountsPage *self = AG_ACCOUNTS_PAGE (object);

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  g_clear_weak_pointer (&self->app);
  G_OBJECT_CLASS (ag_accounts_page_parent_class)->dispose (object);
}

static void
ag_accounts_page_class_init (AgAccountsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ag_accounts_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgAccountsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AgAccountsPage, list);
}

static void
ag_accounts_page_init (AgAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
ag_accounts_page_bind (AgAccountsPage *self, AgApplication *app)
{
  g_set_weak_pointer (&self->app, app);
  self->accounts = g_object_ref (ag_account_pool_get_accounts (ag_proxy_service_get_pool (
                                   ag_application_get_service (app))));
  gtk_list_box_bind_model (self->list, self->accounts, create_row, self, NULL);
  g_signal_connect_swapped (self->accounts, "items-changed", G_CALLBACK (sync_empty), self);
  sync_empty (self);
}

GtkListBox *
ag_accounts_page_get_list (AgAccountsPage *self)
{
  return self->list;
}
