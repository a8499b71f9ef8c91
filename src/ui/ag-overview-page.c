/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-overview-page-private.h"
#include "ag-local-api-key.h"

#include <glib/gi18n.h>
#include <string.h>
#include "ag-agent-row.h"
#include "ag-quota-glance.h"

struct _AgOverviewPage
{
  AgPage          parent_instance;

  AdwActionRow   *proxy_row;
  GtkSwitch      *proxy_switch;
  AdwActionRow   *address_row;
  GtkButton      *copy_button;
  AdwActionRow   *accounts_row;
  AdwActionRow   *requests_row;
  AdwActionRow   *warmup_row;
  AdwPreferencesGroup *agents_group;
  GtkWidget      *agent_rows[AG_N_AGENTS];

  char           *listen_error;
  GCancellable   *cancellable;
  guint           requests_today;   /* not counting requests refused by the guard */
  gint64          newest_id;        /* the newest row counted, and its time */
  gint64          newest_ms;
  gboolean        counting;         /* a read is in flight; a new row meanwhile asks for another */
  gboolean        count_again;
  int             counted_day;     /* day of year the count is for; -1 while it is being read */
};

G_DEFINE_FINAL_TYPE (AgOverviewPage, ag_overview_page, AG_TYPE_PAGE)

static void
sync_proxy (AgOverviewPage *self)
{
  AgProxyService *service = ag_page_get_service (AG_PAGE (self));
  gboolean running = ag_proxy_service_get_running (service);
  g_autofree char *url = ag_proxy_service_get_url (service);

  g_signal_handlers_block_matched (self->proxy_switch, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_switch_set_active (self->proxy_switch, running);
  g_signal_handlers_unblock_matched (self->proxy_switch, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  if (running)
    adw_action_row_set_subtitle (self->proxy_row, _("On: your coding agents can connect"));
  else if (self->listen_error != NULL)
    adw_action_row_set_subtitle (self->proxy_row, self->listen_error);
  else
    adw_action_row_set_subtitle (self->proxy_row, _("Off"));
  adw_action_row_set_subtitle (self->address_row, url != NULL ? url : _("Not listening"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), running);
  for (guint i = 0; i < AG_N_AGENTS; i++)
    if (self->agent_rows[i] != NULL)
      ag_agent_row_refresh (AG_AGENT_ROW (self->agent_rows[i]));
}

static void
sync_accounts (AgOverviewPage *self)
{
  AgAccountPool *pool = ag_proxy_service_get_pool (ag_page_get_service (AG_PAGE (self)));
  GListModel *accounts = ag_account_pool_get_accounts (pool);
  guint n = g_list_model_get_n_items (accounts);
  guint usable = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_get_enabled (account) && ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID)
        usable++;
    }
  if (n == 0)
    text = g_strdup (_("None yet: add one to start"));
  else
    /* Translators: "2 accounts, 1 usable" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u account, %u usable", "%u accounts, %u usable", n),
                            n, usable);
  adw_action_row_set_subtitle (self->accounts_row, text);
}

static void
show_requests (AgOverviewPage *self)
{
  g_autofree char *text = NULL;

  if (self->counted_day < 0)
    text = g_strdup ("…");
  else
    text = g_strdup_printf ("%u", self->requests_today);
  adw_action_row_set_subtitle (self->requests_row, text);
}

static void
show_warmups (AgOverviewPage *self)
{
  AgProxyServer *server = ag_proxy_service_get_server (ag_page_get_service (AG_PAGE (self)));
  guint64 intercepted = ag_proxy_server_get_requests_intercepted (server);
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, intercepted);
  /* Translators: %s is the number of Claude Code warmup requests ag-cl answered itself */
  g_autofree char *text = g_strdup_printf (_("%s since ag-cl started, no quota used"), count);

  adw_action_row_set_subtitle (self->warmup_row, text);
}

static void count_new_requests (AgOverviewPage *self);

static int
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_day_of_year (now);
}

/* Adds today's rows not counted yet; a request refused by the guard is nobody's work and is not counted. */
static void
requests_counted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AgOverviewPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = ag_history_store_query_requests_finish (AG_HISTORY_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->counting = FALSE;
  if (self->counted_day < 0)
    self->counted_day = today ();
  if (requests == NULL)
    g_warning ("cannot count today's requests: %s", error->message);
  for (guint i = 0; requests != NULL && i < requests->len; i++)
    {
      const AgRequestRecord *record = g_ptr_array_index (requests, i);

      /* Rows at the newest time already counted come again; the id tells them apart. */
      if (record->id <= self->newest_id)
        continue;
      self->newest_id = record->id;
      self->newest_ms = record->time_ms;
      if (record->outcome != AG_REQUEST_OUTCOME_REFUSED)
        self->requests_today++;
    }
  show_requests (self);
  if (self->count_again)
    count_new_requests (self);
}

/* Reads the rows written since the newest one counted (on the store's worker). */
static void
count_new_requests (AgOverviewPage *self)
{
  AgHistoryStore *history = ag_proxy_service_get_history (ag_page_get_service (AG_PAGE (self)));

  self->count_again = FALSE;
  self->counting = TRUE;
  ag_history_store_query_requests_async (history, 0, self->newest_ms, self->cancellable, requests_counted, self);
}

/* Counts the request log from local midnight; afterwards each new row is read and counted. */
static void
count_requests_today (AgOverviewPage *self)
{
  AgHistoryStore *history = ag_proxy_service_get_history (ag_page_get_service (AG_PAGE (self)));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now), 0, 0, 0);

  if (history == NULL)
    return;
  self->counted_day = -1;
  self->requests_today = 0;
  self->newest_id = 0;
  self->newest_ms = g_date_time_to_unix (midnight) * 1000;
  show_requests (self);
  count_new_requests (self);
}

static void
on_request_added (AgHistoryStore *history, gint64 id, gpointer user_data)
{
  AgOverviewPage *self = user_data;

  if (self->counted_day >= 0 && self->counted_day != today ())
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->counting = FALSE;
      count_requests_today (self);
      return;
    }
  if (self->counting)
    self->count_again = TRUE;
  else
    count_new_requests (self);
}

static void
on_running_changed (AgOverviewPage *self)
{
  if (ag_proxy_service_get_running (ag_page_get_service (AG_PAGE (self))))
    g_clear_pointer (&self->listen_error, g_free);
  sync_proxy (self);
}

static void
on_listen_failed (AgProxyService *service, const char *message, gpointer user_data)
{
  AgOverviewPage *self = user_data;

  g_free (self->listen_error);
  self->listen_error = g_strdup (message);
  sync_proxy (self);
}

static void
on_switch_active (GtkSwitch *proxy_switch, GParamSpec *pspec, gpointer user_data)
{
  AgOverviewPage *self = user_data;

  /* The application turns the proxy on or off and remembers it; a failed start comes back as "listen-failed". */
  gtk_widget_activate_action (GTK_WIDGET (self), "app.proxy-enabled", "b", gtk_switch_get_active (proxy_switch));
  sync_proxy (self);
}

static void
copy_address (AgOverviewPage *self)
{
  g_autofree char *url = ag_proxy_service_get_url (ag_page_get_service (AG_PAGE (self)));

  if (url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Address copied"));
}

static void
ag_overview_page_dispose (GObject *object)
{
  AgOverviewPage *self = AG_OVERVIEW_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (ag_page_get_context (AG_PAGE (self)) != NULL)
    {
      AgProxyService *service = ag_page_get_service (AG_PAGE (self));
      AgHistoryStore *history = ag_proxy_service_get_history (service);

      if (history != NULL)
        g_signal_handlers_disconnect_by_data (history, self);
      g_signal_handlers_disconnect_by_data (ag_proxy_service_get_server (service), self);
      g_signal_handlers_disconnect_by_data (service, self);
      g_signal_handlers_disconnect_by_data (ag_account_pool_get_accounts (ag_proxy_service_get_pool (service)), self);
    }
  g_clear_pointer (&self->listen_error, g_free);
  G_OBJECT_CLASS (ag_overview_page_parent_class)->dispose (object);
}

static void
ag_overview_page_constructed (GObject *object)
{
  AgOverviewPage *self = AG_OVERVIEW_PAGE (object);
  AgProxyService *service;
  AgHistoryStore *history;
  GListModel *accounts;

  G_OBJECT_CLASS (ag_overview_page_parent_class)->constructed (object);

  service = ag_page_get_service (AG_PAGE (self));
  history = ag_proxy_service_get_history (service);
  accounts = ag_account_pool_get_accounts (ag_proxy_service_get_pool (service));
  g_signal_connect_swapped (service, "notify::running", G_CALLBACK (on_running_changed), self);
  g_signal_connect (service, "listen-failed", G_CALLBACK (on_listen_failed), self);
  g_signal_connect_swapped (accounts, "items-changed", G_CALLBACK (sync_accounts), self);
  g_signal_connect (self->proxy_switch, "notify::active", G_CALLBACK (on_switch_active), self);
  g_signal_connect_swapped (ag_proxy_service_get_server (service), "notify::requests-intercepted",
                            G_CALLBACK (show_warmups), self);
  if (history != NULL)
    g_signal_connect (history, "request-added", G_CALLBACK (on_request_added), self);
  gtk_widget_set_visible (GTK_WIDGET (self->requests_row), history != NULL);
  if (history != NULL)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (adw_bin_get_child (ADW_BIN (self))),
                              ADW_PREFERENCES_GROUP (ag_quota_glance_new (ag_page_get_context (AG_PAGE (self)))));
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < AG_N_AGENTS; i++)
    {
      self->agent_rows[i] = ag_agent_row_new (ag_page_get_context (AG_PAGE (self)), i);
      adw_preferences_group_add (self->agents_group, self->agent_rows[i]);
    }
  sync_proxy (self);
  sync_accounts (self);
  show_warmups (self);
  count_requests_today (self);
}

static void
ag_overview_page_class_init (AgOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ag_overview_page_dispose;
  object_class->constructed = ag_overview_page_constructed;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, proxy_switch);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, accounts_row);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, requests_row);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, warmup_row);
  gtk_widget_class_bind_template_child (widget_class, AgOverviewPage, agents_group);
  gtk_widget_class_bind_template_callback (widget_class, copy_address);
}

static void
ag_overview_page_init (AgOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_overview_page_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_OVERVIEW_PAGE, "context", context, NULL);
}

GtkSwitch *ag_overview_page_get_proxy_switch (AgOverviewPage *self) { return self->proxy_switch; }
const char *ag_overview_page_get_status_text (AgOverviewPage *self)
{
  return adw_action_row_get_subtitle (self->proxy_row);
}
const char *ag_overview_page_get_address_text (AgOverviewPage *self)
{
  return adw_action_row_get_subtitle (self->address_row);
}
const char *ag_overview_page_get_requests_text (AgOverviewPage *self)
{
  return adw_action_row_get_subtitle (self->requests_row);
}
GtkWidget *ag_overview_page_get_agent_row (AgOverviewPage *self, AgAgent agent) { return self->agent_rows[agent]; }
const char *ag_overview_page_get_warmups_text (AgOverviewPage *self)
{
  return adw_action_row_get_subtitle (self->warmup_row);
}
