/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-notifier.h"
#include "ag-account-actions.h"
#include "ag-reset-time.h"

#include <glib/gi18n.h>

struct _AgNotifier
{
  GObject         parent_instance;

  AgProxyService *service;
  GApplication   *app;         /* weak */
  GHashTable     *exhausted;   /* models already announced, until they recover */
};

G_DEFINE_FINAL_TYPE (AgNotifier, ag_notifier, G_TYPE_OBJECT)

static void
ag_notifier_dispose (GObject *object)
{
  AgNotifier *self = AG_NOTIFIER (object);

  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (ag_proxy_service_get_pool (self->service), self);
  g_clear_object (&self->service);
  g_clear_weak_pointer (&self->app);
  g_clear_pointer (&self->exhausted, g_hash_table_unref);
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
  g_notification_set_default_action (notification, "app.show-window");
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
      g_autofree char *time = NULL;
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;

      if (g_hash_table_contains (self->exhausted, model))
        continue;
      g_hash_table_add (self->exhausted, g_strdup (model));
      time = ag_reset_time_format (*reset_ms, g_get_real_time () / 1000);
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
  return self;
}
