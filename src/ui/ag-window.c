/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-window.h"

#include <glib/gi18n.h>
#include "ag-accounts-page.h"
#include "ag-add-account-page.h"
#include "ag-overview-page.h"

struct _AgWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwViewStack        *stack;
  AgOverviewPage      *overview_page;
  AgAccountsPage      *accounts_page;
  AgAddAccountPage    *add_account_page;
};

G_DEFINE_FINAL_TYPE (AgWindow, ag_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_page_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ag_window_show_page (AG_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
toast_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  AgWindow *self = AG_WINDOW (widget);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (g_variant_get_string (parameter, NULL)));
}

static void
ag_window_class_init (AgWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (AG_TYPE_OVERVIEW_PAGE);
  g_type_ensure (AG_TYPE_ACCOUNTS_PAGE);
  g_type_ensure (AG_TYPE_ADD_ACCOUNT_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, add_account_page);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_activated);
}

static void
ag_window_init (AgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

AgWindow *
ag_window_new (AgApplication *app)
{
  AgWindow *self = g_object_new (AG_TYPE_WINDOW, "application", app, NULL);

  ag_overview_page_bind (self->overview_page, app);
  ag_accounts_page_bind (self->accounts_page, app);
  ag_add_account_page_bind (self->add_account_page, app);
  return self;
}

void
ag_window_show_page (AgWindow *self, const char *name)
{
  adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
ag_window_get_visible_page (AgWindow *self)
{
  return adw_view_stack_get_visible_child_name (self->stack);
}

AgOverviewPage *ag_window_get_overview_page (AgWindow *self) { return self->overview_page; }
AgAccountsPage *ag_window_get_accounts_page (AgWindow *self) { return self->accounts_page; }
AgAddAccountPage *ag_window_get_add_account_page (AgWindow *self) { return self->add_account_page; }
