/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-notifier.h"

#include <glib/gi18n.h>
#include <string.h>
#include "ag-quota-series.h"

struct _AgNotifier
{
  GObject         parent_instance;

  AgProxyService *service;
  GApplication   *app;         /* weak */
  GHashTable     *exhausted;   /* models already announced, until they recover */
  GHashTable     *running_dry; /* families announced as running dry (ag_notifier_new_announced) */
  GCancellable   *cancellable; /* the quota read in flight */
  guint           forecast_id; /* a read of the quota history after a round of polls, pending */
};

/* Within this much of running dry a family is announced; the announcement stands until the forecast is more than
 * twice this far, or the pool was refilled. */
#define DRY_WITHIN_MS ((gint64) 3600 * 1000)
/* The polls of one round end within a few seconds of each other: the forecast waits for the round. */
#define ROUND_SETTLE_S 3
/* The pace is read over this much recent history (as in the window). */
#define PACE_WINDOW_MS ((gint64) 2 * 3600 * 1000)

G_DEFINE_FINAL_TYPE (AgNotifier, ag_notifier, G_TYPE_OBJECT)

static void
ag_notifier_dispose (GObject *object)
{
  AgNotifier *self = AG_NOTIFIER (object);

  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (ag_proxy_service_get_pool (self->service), self);
      if (ag_proxy_service_get_quota_poller (self->service) != NULL)
        g_signal_handlers_disconnect_by_data (ag_proxy_service_get_quota_poller (self->service), self);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->forecast_id, g_source_remove);
  g_clear_object (&self->service);
  g_clear_weak_pointer (&self->app);
  g_clear_pointer (&self->exhausted, g_hash_table_unref);
  g_clear_pointer (&self->running_dry, g_hash_table_unref);
  G_OBJECT_CLASS (ag_notifier_parent_class)->dispose (object);
}

static void
ag_notifier_class_init (AgNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_notifier_dispose;
}

static void
ag_notifier_init (AgNotifier *self)
{
  self->exhausted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->running_dry = ag_notifier_new_announced ();
}

static void
send (AgNotifier *self, const char *id, const char *title, const char *body, GNotificationPriority priority)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  if (self->app == NULL)
    return;
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action (notification, "app.show-window");
  g_application_send_notification (self->app, id, notification);
}

void
ag_notifier_listen_failed (AgNotifier *self, const char *message)
{
  send (self, "listen-failed", _("The proxy is not running"), message, G_NOTIFICATION_PRIORITY_HIGH);
}

static void
on_listen_failed (AgProxyService *service, const char *message, gpointer user_data)
{
  ag_notifier_listen_failed (user_data, message);
}

static void
on_account_invalidated (AgAccountPool *pool, AgAccount *account, gpointer user_data)
{
  AgNotifier *self = user_data;
  const char *reason = ag_account_get_invalid_reason (account);
  g_autofree char *id = g_strconcat ("account-", ag_account_get_email (account), NULL);
  g_autofree char *title = g_strdup_printf (_("%s needs attention"), ag_account_get_email (account));

  send (self, id, title, reason != NULL ? reason : _("Sign in to this account again."),
        G_NOTIFICATION_PRIORITY_NORMAL);
}

GHashTable *
ag_notifier_find_exhausted_models (GPtrArray *limits, guint n_usable_accounts)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *exhausted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (n_usable_accounts == 0)
    return exhausted;
  for (guint i = 0; i < limits->len; i++)
    {
      AgRateLimit *limit = g_ptr_array_index (limits, i);
      guint count;

      if (limit->kind != AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED)
        continue;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, limit->model)) + 1;
      g_hash_table_replace (counts, g_strdup (limit->model), GUINT_TO_POINTER (count));
      if (count == n_usable_accounts)
        {
          /* The earliest end among the model's rests, whatever the order of the list. */
          gint64 earliest = limit->until_ms;

          for (guint j = 0; j < limits->len; j++)
            {
              AgRateLimit *other = g_ptr_array_index (limits, j);

              if (other->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED && g_str_equal (other->model, limit->model))
                earliest = MIN (earliest, other->until_ms);
            }
          g_hash_table_replace (exhausted, g_strdup (limit->model), g_memdup2 (&earliest, sizeof earliest));
        }
    }
  return exhausted;
}

static guint
count_usable_accounts (AgAccountPool *pool)
{
  GListModel *accounts = ag_account_pool_get_accounts (pool);
  guint usable = 0;

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_get_enabled (account) && ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID)
        usable++;
    }
  return usable;
}

static void
on_pool_changed (AgAccountPool *pool, gpointer user_data)
{
  AgNotifier *self = user_data;
  g_autoptr(GPtrArray) limits = ag_account_pool_list_limits (pool);
  g_autoptr(GHashTable) exhausted = ag_notifier_find_exhausted_models (limits, count_usable_accounts (pool));
  GHashTableIter iter;
  const char *model;
  const gint64 *reset_ms;

  g_hash_table_iter_init (&iter, exhausted);
  while (g_hash_table_iter_next (&iter, (gpointer *) &model, (gpointer *) &reset_ms))
    {
      g_autoptr(GDateTime) reset = NULL;
      g_autofree char *time = NULL;
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;

      if (g_hash_table_contains (self->exhausted, model))
        continue;
      g_hash_table_add (self->exhausted, g_strdup (model));
      reset = g_date_time_new_from_unix_local (*reset_ms / 1000);
      time = g_date_time_format (reset, "%H:%M");
      id = g_strconcat ("exhausted-", model, NULL);
      title = g_strdup_printf (_("%s is out of quota"), model);
      body = g_strdup_printf (_("Every account has used up its quota for this model. It resets at %s."), time);
      send (self, id, title, body, G_NOTIFICATION_PRIORITY_NORMAL);
    }
  /* Models that recovered may be announced again next time. */
  g_hash_table_iter_init (&iter, self->exhausted);
  while (g_hash_table_iter_next (&iter, (gpointer *) &model, NULL))
    if (!g_hash_table_contains (exhausted, model))
      g_hash_table_iter_remove (&iter);
}

GHashTable *
ag_notifier_new_announced (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

GArray *
ag_notifier_find_running_dry (GHashTable *announced, GArray *forecasts, gint64 now_ms)
{
  GArray *announce = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < forecasts->len; i++)
    {
      const AgQuotaForecast *forecast = &g_array_index (forecasts, AgQuotaForecast, i);
      gpointer key = GINT_TO_POINTER (forecast->family + 1);
      double *said = g_hash_table_lookup (announced, key);
      gint64 left = forecast->empty_at_ms > 0 ? forecast->empty_at_ms - now_ms : G_MAXINT64;
      /* A reset before the pool runs dry refills it in time: nothing to warn about. */
      gboolean reset_first = forecast->next_reset_ms > now_ms && forecast->next_reset_ms <= forecast->empty_at_ms;

      if (said != NULL)
        {
          /* Refilled (an account's window reset) or easing off: the next depletion is a new one. */
          if (forecast->pool_remaining > *said + AG_QUOTA_SERIES_RESET_RISE || left > 2 * DRY_WITHIN_MS)
            g_hash_table_remove (announced, key);
          else
            {
              *said = MIN (*said, forecast->pool_remaining);
              continue;
            }
        }
      if (left > DRY_WITHIN_MS || reset_first || forecast->usable == 0)
        continue;
      said = g_new (double, 1);
      *said = forecast->pool_remaining;
      g_hash_table_insert (announced, key, said);
      g_array_append_val (announce, i);
    }
  return announce;
}

void
ag_notifier_check_forecasts (AgNotifier *self, GArray *forecasts, gint64 now_ms)
{
  g_autoptr(GArray) announce = ag_notifier_find_running_dry (self->running_dry, forecasts, now_ms);

  for (guint i = 0; i < announce->len; i++)
    {
      const AgQuotaForecast *forecast = &g_array_index (forecasts, AgQuotaForecast,
                                                        g_array_index (announce, guint, i));
      g_autofree char *id = g_strdup_printf ("running-dry-%d", forecast->family);
      g_autofree char *text = ag_quota_forecast_describe (forecast, now_ms);
      const char *colon = strchr (text, ':');
      g_autofree char *family = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
      g_autofree char *title = g_strdup_printf (_("%s quota runs out within the hour"), family);

      send (self, id, title, colon != NULL ? colon + 2 : text, G_NOTIFICATION_PRIORITY_HIGH);
    }
}

static void
quota_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = ag_history_store_query_quota_finish (AG_HISTORY_STORE (source), result, &error);
  g_autoptr(GArray) forecasts = NULL;
  gint64 now_ms = g_get_real_time () / 1000;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (samples == NULL)
    {
      g_debug ("no forecast: %s", error->message);
      return;
    }
  forecasts = ag_quota_forecast_compute (samples, now_ms, PACE_WINDOW_MS);
  ag_notifier_check_forecasts (user_data, forecasts, now_ms);
}

static gboolean
read_forecasts (gpointer user_data)
{
  AgNotifier *self = user_data;
  AgHistoryStore *history = ag_proxy_service_get_history (self->service);

  self->forecast_id = 0;
  if (history == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ag_history_store_query_quota_async (history, NULL, NULL, g_get_real_time () / 1000 - AG_QUOTA_FORECAST_STALE_MS,
                                      0, self->cancellable, quota_read, self);
  return G_SOURCE_REMOVE;
}

/* After a round of quota polls (the readings are queued to the history before "polled"), the forecast again. */
static void
on_polled (AgQuotaPoller *poller, AgAccount *account, GError *error, gpointer user_data)
{
  AgNotifier *self = user_data;

  g_clear_handle_id (&self->forecast_id, g_source_remove);
  self->forecast_id = g_timeout_add_seconds (ROUND_SETTLE_S, read_forecasts, self);
}

AgNotifier *
ag_notifier_new (AgProxyService *service, GApplication *app)
{
  AgNotifier *self = g_object_new (AG_TYPE_NOTIFIER, NULL);
  AgAccountPool *pool = ag_proxy_service_get_pool (service);

  self->service = g_object_ref (service);
  g_set_weak_pointer (&self->app, app);
  g_signal_connect_object (service, "listen-failed", G_CALLBACK (on_listen_failed), self, 0);
  g_signal_connect (pool, "account-invalidated", G_CALLBACK (on_account_invalidated), self);
  g_signal_connect (pool, "changed", G_CALLBACK (on_pool_changed), self);
  if (ag_proxy_service_get_quota_poller (service) != NULL)
    g_signal_connect (ag_proxy_service_get_quota_poller (service), "polled", G_CALLBACK (on_polled), self);
  return self;
}
