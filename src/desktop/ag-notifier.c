/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-notifier.h"
#include "ag-account-actions.h"
#include "ag-reset-time.h"

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

/* Clicking a notification opens the window on @page, where the user can act on it (app.show-page). */
static void
send (AgNotifier *self, const char *id, const char *title, const char *body, GNotificationPriority priority,
      const char *page)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  if (self->app == NULL)
    return;
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", page);
  g_application_send_notification (self->app, id, notification);
}

void
ag_notifier_listen_failed (AgNotifier *self, const char *message)
{
  send (self, "listen-failed", _("The proxy is not running"), message, G_NOTIFICATION_PRIORITY_HIGH,
        "overview");
}

static void
on_listen_failed (AgProxyService *service, const char *message, gpointer user_data)
{
  ag_notifier_listen_failed (user_data, message);
}

/* Said once per refusal (the pool emits it only when the state changes), with the buttons that fix it. */
static void
on_account_invalidated (AgAccountPool *pool, AgAccount *account, gpointer user_data)
{
  AgNotifier *self = user_data;
  const char *email = ag_account_get_email (account);
  const char *reason = ag_account_get_invalid_reason (account);
  gboolean has_page = ag_account_get_validation_url (account) != NULL;
  g_autofree char *id = g_strconcat ("account-", email, NULL);
  g_autofree char *title = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (self->app == NULL)
    return;
  switch (ag_account_get_state (account))
    {
    case AG_ACCOUNT_STATE_BANNED:
      /* Translators: %s is an e-mail address. */
      title = g_strdup_printf (_("Google banned %s"), email);
      break;
    case AG_ACCOUNT_STATE_VALIDATION_REQUIRED:
      title = g_strdup_printf (_("%s needs verification"), email);
      break;
    default:
      title = g_strdup_printf (_("%s needs attention"), email);
      break;
    }
  notification = g_notification_new (title);
  g_notification_set_body (notification, reason != NULL ? reason : _("Sign in to this account again."));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "accounts");
  if (ag_account_get_state (account) == AG_ACCOUNT_STATE_VALIDATION_REQUIRED)
    {
      if (has_page)
        g_notification_add_button_with_target (notification, _("Verify"), "app.account-open-page", "s", email);
      g_notification_add_button_with_target (notification, _("Check Again"), "app.account-check", "s", email);
    }
  else if (ag_account_get_state (account) == AG_ACCOUNT_STATE_BANNED && has_page)
    g_notification_add_button_with_target (notification, _("Appeal"), "app.account-open-page", "s", email);
  g_application_send_notification (self->app, id, notification);
}

/* When @account can serve @model again as far as quota goes (Unix ms), or 0 when it can now: the end of its quota
 * rest, of a used-up 5-hour or weekly window counting the model, or of the model's own quota read at 0, whichever is
 * last (the pool waits for all of them). */
static gint64
back_for_quota (AgAccount *account, const char *model, GPtrArray *limits, gint64 now_ms)
{
  const char *email = ag_account_get_email (account);
  gint64 window_ms = ag_quota_windows_rest_ms (ag_account_get_quota_windows (account), model, now_ms);
  gint64 back = window_ms > 0 ? now_ms + window_ms : 0;
  double fraction;
  gint64 reset_ms;

  for (guint i = 0; i < limits->len; i++)
    {
      AgRateLimit *limit = g_ptr_array_index (limits, i);

      if (limit->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED && limit->until_ms > now_ms &&
          g_str_equal (limit->account, email) && g_str_equal (limit->model, model))
        back = MAX (back, limit->until_ms);
    }
  if (ag_account_get_model_quota (account, model, &fraction, &reset_ms) && fraction <= 0.0 && reset_ms > now_ms)
    back = MAX (back, reset_ms);
  return back;
}

GHashTable *
ag_notifier_find_exhausted_models (GPtrArray *limits, GPtrArray *accounts, gint64 now_ms)
{
  g_autoptr(GHashTable) models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *exhausted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  const char *model;

  if (accounts->len == 0)
    return exhausted;
  /* The models any account is known to be out of, or to have figures for (which a window may count). */
  for (guint i = 0; i < limits->len; i++)
    {
      AgRateLimit *limit = g_ptr_array_index (limits, i);

      if (limit->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED && !g_hash_table_contains (models, limit->model))
        g_hash_table_add (models, g_strdup (limit->model));
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      g_auto(GStrv) known = ag_account_list_quota_models (g_ptr_array_index (accounts, i));

      for (guint j = 0; known[j] != NULL; j++)
        if (!g_hash_table_contains (models, known[j]))
          g_hash_table_add (models, g_strdup (known[j]));
    }
  g_hash_table_iter_init (&iter, models);
  while (g_hash_table_iter_next (&iter, (gpointer *) &model, NULL))
    {
      gint64 earliest = G_MAXINT64;

      for (guint i = 0; i < accounts->len && earliest > 0; i++)
        earliest = MIN (earliest, back_for_quota (g_ptr_array_index (accounts, i), model, limits, now_ms));
      if (earliest > 0)
        g_hash_table_replace (exhausted, g_strdup (model), g_memdup2 (&earliest, sizeof earliest));
    }
  return exhausted;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
ag_notifier_take_newly_exhausted (GHashTable *announced, GHashTable *exhausted, gint64 *back_ms)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();
  GHashTableIter iter;
  const char *model;
  const gint64 *back;

  *back_ms = G_MAXINT64;
  /* Models that came back may be announced again when they run out next time. */
  g_hash_table_iter_init (&iter, announced);
  while (g_hash_table_iter_next (&iter, (gpointer *) &model, NULL))
    if (!g_hash_table_contains (exhausted, model))
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, exhausted);
  while (g_hash_table_iter_next (&iter, (gpointer *) &model, (gpointer *) &back))
    if (!g_hash_table_contains (announced, model))
      {
        g_hash_table_add (announced, g_strdup (model));
        g_ptr_array_add (fresh, g_strdup (model));
        *back_ms = MIN (*back_ms, *back);
      }
  if (fresh->len == 0)
    {
      *back_ms = 0;
      return NULL;
    }
  g_ptr_array_sort (fresh, compare_names);
  g_ptr_array_add (fresh, NULL);
  return (char **) g_ptr_array_steal (fresh, NULL);
}

void
ag_notifier_describe_exhausted (const char * const *models, gint64 back_ms, gint64 now_ms, char **title,
                                char **body)
{
  g_autofree char *at = ag_reset_time_format (back_ms, now_ms);

  if (models[1] == NULL)
    {
      /* Translators: %s is a model id, e.g. "claude-sonnet-4-6". */
      *title = g_strdup_printf (_("%s is out of quota"), models[0]);
      /* Translators: %s is when the first account can serve the model again: "14:20", "Fri 14:20" or
       * "Fri 12 Dec 14:20". Its quota may be a 5-hour or weekly limit. */
      *body = g_strdup_printf (_("Every account has used up its quota for this model. The first one is back at %s."),
                               at);
    }
  else
    {
      g_autofree char *list = g_strjoinv (", ", (char **) models);

      *title = g_strdup (_("Every account is out of quota"));
      /* Translators: the first %s is a list of model ids separated by commas, the second when the first account
       * can serve one of them again: "14:20", "Fri 14:20" or "Fri 12 Dec 14:20". */
      *body = g_strdup_printf (_("No account has quota left for %s. The first one is back at %s."), list, at);
    }
}

/* The enabled, valid accounts: the ones the pool could choose but for quota. */
static GPtrArray *
list_usable_accounts (AgAccountPool *pool)
{
  GListModel *accounts = ag_account_pool_get_accounts (pool);
  GPtrArray *usable = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_get_enabled (account) && ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID)
        g_ptr_array_add (usable, g_steal_pointer (&account));
    }
  return usable;
}

/* Said once per depletion, for rests (a quota error) and used-up windows alike: after a rest starts or ends and after
 * each quota poll. */
static void
check_exhausted (AgNotifier *self)
{
  AgAccountPool *pool = ag_proxy_service_get_pool (self->service);
  gint64 now_ms = g_get_real_time () / 1000;
  g_autoptr(GPtrArray) limits = ag_account_pool_list_limits (pool);
  g_autoptr(GPtrArray) accounts = list_usable_accounts (pool);
  g_autoptr(GHashTable) exhausted = ag_notifier_find_exhausted_models (limits, accounts, now_ms);
  gint64 back_ms;
  g_auto(GStrv) fresh = ag_notifier_take_newly_exhausted (self->exhausted, exhausted, &back_ms);
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (fresh == NULL)
    return;
  ag_notifier_describe_exhausted ((const char * const *) fresh, back_ms, now_ms, &title, &body);
  id = g_strconcat ("exhausted-", fresh[0], NULL);
  send (self, id, title, body, G_NOTIFICATION_PRIORITY_NORMAL, "usage");
}

static void
on_pool_changed (AgAccountPool *pool, gpointer user_data)
{
  check_exhausted (user_data);
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
      g_autofree char *state = ag_quota_forecast_describe_state (forecast, now_ms);
      g_autofree char *title = g_strdup_printf (_("%s quota runs out within the hour"),
                                                ag_quota_forecast_family_name (forecast));

      send (self, id, title, state, G_NOTIFICATION_PRIORITY_HIGH, "usage");
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

  check_exhausted (self);
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
  /* The buttons above (and the tray's and window's) act through these. */
  if (G_IS_ACTION_MAP (app) && !g_action_group_has_action (G_ACTION_GROUP (app), "account-check"))
    ag_account_actions_add (G_ACTION_MAP (app), app, service);
  g_signal_connect (pool, "changed", G_CALLBACK (on_pool_changed), self);
  if (ag_proxy_service_get_quota_poller (service) != NULL)
    g_signal_connect (ag_proxy_service_get_quota_poller (service), "polled", G_CALLBACK (on_polled), self);
  return self;
}
