/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-accounts-page-private.h"

#include "ag-account-row.h"

struct _AgAccountsPage
{
  AgPage          parent_instance;

  GtkStack       *stack;
  GtkListBox     *list;

  GListModel     *accounts;
};

G_DEFINE_FINAL_TYPE (AgAccountsPage, ag_accounts_page, AG_TYPE_PAGE)

static void
sync_empty (AgAccountsPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (self->accounts) > 0 ? "list" : "empty");
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  AgAccountsPage *self = user_data;

  return ag_account_row_new (item, ag_page_get_context (AG_PAGE (self)));
}

static void
ag_accounts_page_constructed (GObject *object)
{
  AgAccountsPage *self = AG_ACCOUNTS_PAGE (object);
  AgProxyService *service;

  G_OBJECT_CLASS (ag_accounts_page_parent_class)->constructed (object);

  service = ag_page_get_service (AG_PAGE (self));
  self->accounts = g_object_ref (ag_account_pool_get_accounts (ag_proxy_service_get_pool (service)));
  gtk_list_box_bind_model (self->list, self->accounts, create_row, self, NULL);
  g_signal_connect_swapped (self->accounts, "items-changed", G_CALLBACK (sync_empty), self);
  sync_empty (self);
}

static void
ag_accounts_page_dispose (GObject *object)
{
  AgAccountsPage *self = AG_ACCOUNTS_PAGE (object);

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  G_OBJECT_CLASS (ag_accounts_page_parent_class)->dispose (object);
}

static void
ag_accounts_page_class_init (AgAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_accounts_page_constructed;
  object_class->dispose = ag_accounts_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgAccountsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AgAccountsPage, list);
}

static void
ag_accounts_page_init (AgAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_accounts_page_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_ACCOUNTS_PAGE, "context", context, NULL);
}

GtkListBox *
ag_accounts_page_get_list (AgAccountsPage *self)
{
  return self->list;
}
