/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-accounts-page-private.h"

#include "ag-account-row.h"

struct _AgAccountsPage
{
  AdwBin          parent_instance;

  GtkStack       *stack;
  GtkListBox     *list;

  AgUiContext    *context;
  GListModel     *accounts;
};

G_DEFINE_FINAL_TYPE (AgAccountsPage, ag_accounts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sync_empty (AgAccountsPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (self->accounts) > 0 ? "list" : "empty");
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  AgAccountsPage *self = user_data;

  return ag_account_row_new (item, self->context);
}

static void
ag_accounts_page_constructed (GObject *object)
{
  AgAccountsPage *self = AG_ACCOUNTS_PAGE (object);
  AgProxyService *service;

  G_OBJECT_CLASS (ag_accounts_page_parent_class)->constructed (object);

  g_assert (AG_IS_UI_CONTEXT (self->context));
  service = ag_ui_context_get_service (self->context);
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
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ag_accounts_page_parent_class)->dispose (object);
}

static void
ag_accounts_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgAccountsPage *self = AG_ACCOUNTS_PAGE (object);

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
ag_accounts_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgAccountsPage *self = AG_ACCOUNTS_PAGE (object);

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
ag_accounts_page_class_init (AgAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = ag_accounts_page_constructed;
  object_class->dispose = ag_accounts_page_dispose;
  object_class->get_property = ag_accounts_page_get_property;
  object_class->set_property = ag_accounts_page_set_property;

  properties[PROP_CONTEXT] = g_param_spec_object ("context", NULL, NULL, AG_TYPE_UI_CONTEXT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
