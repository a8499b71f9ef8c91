/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-window-private.h"

#include <glib/gi18n.h>

struct _AgWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwViewStack        *stack;
  AgOverviewPage      *overview_page;
  AgAccountsPage      *accounts_page;
  AgAddAccountPage    *add_account_page;
  AgDevicesPage       *devices_page;
  AgUsagePage         *usage_page;
  AgRequestsPage      *requests_page;

  AgUiContext         *context;
};

G_DEFINE_FINAL_TYPE (AgWindow, ag_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static GtkWidget *
add_page (AgWindow *self, GtkWidget *page, const char *name, const char *title, const char *icon_name)
{
  AdwViewStackPage *stack_page = adw_view_stack_add_titled (self->stack, page, name, title);

  adw_view_stack_page_set_icon_name (stack_page, icon_name);
  return page;
}

static void
ag_window_constructed (GObject *object)
{
  AgWindow *self = AG_WINDOW (object);

  G_OBJECT_CLASS (ag_window_parent_class)->constructed (object);

  g_assert (AG_IS_UI_CONTEXT (self->context));
  self->overview_page = AG_OVERVIEW_PAGE (add_page (self, ag_overview_page_new (self->context), "overview",
                                                    _("Overview"), "network-transmit-receive-symbolic"));
  self->accounts_page = AG_ACCOUNTS_PAGE (add_page (self, ag_accounts_page_new (self->context), "accounts",
                                                    _("Accounts"), "system-users-symbolic"));
  self->usage_page = AG_USAGE_PAGE (add_page (self, ag_usage_page_new (self->context), "usage", _("Usage"),
                                              "io.github.agcl.AgCl-usage-symbolic"));
  self->requests_page = AG_REQUESTS_PAGE (add_page (self, ag_requests_page_new (self->context), "requests",
                                                    _("Requests"), "view-list-symbolic"));
  self->devices_page = AG_DEVICES_PAGE (add_page (self, ag_devices_page_new (self->context), "devices",
                                                  _("Devices"), "computer-symbolic"));
  self->add_account_page = AG_ADD_ACCOUNT_PAGE (add_page (self, ag_add_account_page_new (self->context),
                                                          "add-account", _("Add Account"), "list-add-symbolic"));
}

static void
ag_window_dispose (GObject *object)
{
  AgWindow *self = AG_WINDOW (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (ag_window_parent_class)->dispose (object);
}

static void
ag_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgWindow *self = AG_WINDOW (object);

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
ag_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgWindow *self = AG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* win.show-help-overlay: the keyboard shortcuts, built when asked for and gone when closed (GTK 4.8 builds its
 * automatic gtk/help-overlay.ui for every window up front, and leaks part of it). */
static void
show_shortcuts_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/agcl/AgCl/ag-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_present (shortcuts);
}

static void
ag_window_class_init (AgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = ag_window_constructed;
  object_class->dispose = ag_window_dispose;
  object_class->get_property = ag_window_get_property;
  object_class->set_property = ag_window_set_property;

  properties[PROP_CONTEXT] = g_param_spec_object ("context", NULL, NULL, AG_TYPE_UI_CONTEXT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AgWindow, stack);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_activated);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts_activated);
}

static void
ag_window_init (AgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* libadwaita's stripes tell a development build from the installed app. */
  if (AG_DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

AgWindow *
ag_window_new (GtkApplication *app, AgUiContext *context)
{
  return g_object_new (AG_TYPE_WINDOW, "application", app, "context", context, NULL);
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

gboolean
ag_window_get_adding_account (AgWindow *self)
{
  return ag_add_account_page_get_busy (self->add_account_page);
}

AgOverviewPage *ag_window_get_overview_page (AgWindow *self) { return self->overview_page; }
AgAccountsPage *ag_window_get_accounts_page (AgWindow *self) { return self->accounts_page; }
AgAddAccountPage *ag_window_get_add_account_page (AgWindow *self) { return self->add_account_page; }
AgDevicesPage *ag_window_get_devices_page (AgWindow *self) { return self->devices_page; }
AgUsagePage *ag_window_get_usage_page (AgWindow *self) { return self->usage_page; }
AgRequestsPage *ag_window_get_requests_page (AgWindow *self) { return self->requests_page; }
