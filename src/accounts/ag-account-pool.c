/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-pool.c — the account list, the pool's settings, and what a request's outcome does to the rests and
 * health. Which account serves next is ag-account-pool-choice.c's. */
#include "ag-account-pool-private.h"

enum {
  SIGNAL_CHANGED,
  SIGNAL_RATE_LIMITED,
  SIGNAL_ACCOUNT_INVALIDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgAccountPool, ag_account_pool, G_TYPE_OBJECT)

static void
ag_account_pool_finalize (GObject *object)
{
  AgAccountPool *self = AG_ACCOUNT_POOL (object);

  g_object_unref (self->accounts);
  ag_rate_limits_free (self->limits);
  g_hash_table_unref (self->stats);
  g_hash_table_unref (self->sessions);
  g_free (self->preferred);
  G_OBJECT_CLASS (ag_account_pool_parent_class)->finalize (object);
}

static void
ag_account_pool_class_init (AgAccountPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_account_pool_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RATE_LIMITED] =
    g_signal_new ("rate-limited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, AG_TYPE_ACCOUNT, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT64);
  signals[SIGNAL_ACCOUNT_INVALIDATED] =
    g_signal_new ("account-invalidated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, AG_TYPE_ACCOUNT);
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

static void
ag_account_pool_init (AgAccountPool *self)
{
  self->accounts = g_list_store_new (AG_TYPE_ACCOUNT);
  self->limits = ag_rate_limits_new ();
  ag_account_pool_choice_init (self);
  self->strategy = AG_SELECTION_HYBRID;
  self->max_wait_in_place_ms = AG_ACCOUNT_POOL_DEFAULT_MAX_WAIT_IN_PLACE_MS;
  self->empty_answer_retries = AG_ACCOUNT_POOL_DEFAULT_EMPTY_ANSWER_RETRIES;
  self->dual_quota_pool = TRUE;
  self->clock = real_clock;
}

AgAccountPool *
ag_account_pool_new (void)
{
  return g_object_new (AG_TYPE_ACCOUNT_POOL, NULL);
}

GListModel *
ag_account_pool_get_accounts (AgAccountPool *self)
{
  return G_LIST_MODEL (self->accounts);
}

guint
ag_account_pool_get_n_accounts (AgAccountPool *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
}

AgAccount *
ag_account_pool_account_at (AgAccountPool *self, guint position)
{
  /* The store keeps its own reference; callers that keep the account take one. */
  g_autoptr(AgAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);

  return account;
}

gboolean
ag_account_pool_find_position (AgAccountPool *self, const char *email, guint *position)
{
  guint n = ag_account_pool_get_n_accounts (self);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ag_account_get_email (ag_account_pool_account_at (self, i)), email) == 0)
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

void
ag_account_pool_add (AgAccountPool *self, AgAccount *account)
{
  guint position;

  /* Re-adding an account (e.g. after a new sign-in) replaces the old entry instead of duplicating it. */
  if (ag_account_pool_find_position (self, ag_account_get_email (account), &position))
    g_list_store_splice (self->accounts, position, 1, (gpointer *) &account, 1);
  else
    g_list_store_append (self->accounts, account);
}

gboolean
ag_account_pool_remove (AgAccountPool *self, const char *email)
{
  guint position;

  if (!ag_account_pool_find_position (self, email, &position))
    return FALSE;
  g_list_store_remove (self->accounts, position);
  ag_rate_limits_forget_account (self->limits, email);
  g_hash_table_remove (self->stats, email);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

AgAccount *
ag_account_pool_find (AgAccountPool *self, const char *email)
{
  guint position;

  if (!ag_account_pool_find_position (self, email, &position))
    return NULL;
  return g_object_ref (ag_account_pool_account_at (self, position));
}

/* ── settings ──────────────────────────────────────────────────────────────────────────────────────────────── */

void
ag_account_pool_set_strategy (AgAccountPool *self, AgSelectionStrategy strategy)
{
  g_return_if_fail (strategy <= AG_SELECTION_FILL_FIRST);
  self->strategy = strategy;
}

AgSelectionStrategy
ag_account_pool_get_strategy (AgAccountPool *self)
{
  return self->strategy;
}

void
ag_account_pool_set_preferred_account (AgAccountPool *self, const char *email)
{
  g_free (self->preferred);
  self->preferred = email != NULL && email[0] != '\0' ? g_strdup (email) : NULL;
}

void
ag_account_pool_set_quota_ladder (AgAccountPool *self, const guint *seconds, gsize n_seconds)
{
  ag_rate_limits_set_quota_ladder (self->limits, seconds, n_seconds);
}

void
ag_account_pool_set_rate_limit_backoff (AgAccountPool *self, guint seconds)
{
  ag_rate_limits_set_rate_limit_backoff (self->limits, seconds);
}

void
ag_account_pool_set_capacity_backoff (AgAccountPool *self, guint seconds)
{
  ag_rate_limits_set_capacity_backoff (self->limits, seconds);
}

void
ag_account_pool_set_max_wait_in_place_ms (AgAccountPool *self, guint ms)
{
  self->max_wait_in_place_ms = ms;
}

guint
ag_account_pool_get_max_wait_in_place_ms (AgAccountPool *self)
{
  return self->max_wait_in_place_ms;
}

void
ag_account_pool_set_empty_answer_retries (AgAccountPool *self, guint retries)
{
  self->empty_answer_retries = retries;
}

guint
ag_account_pool_get_empty_answer_retries (AgAccountPool *self)
{
  return self->empty_answer_retries;
}

void
ag_account_pool_set_dual_quota_pool (AgAccountPool *self, gboolean enabled)
{
  self->dual_quota_pool = !!enabled;
}

void
ag_account_pool_set_ai_credits (AgAccountPool *self, gboolean enabled)
{
  self->ai_credits = !!enabled;
}

gboolean
ag_account_pool_get_ai_credits (AgAccountPool *self)
{
  return self->ai_credits;
}

gboolean
ag_account_pool_get_dual_quota_pool (AgAccountPool *self)
{
  return self->dual_quota_pool;
}

void
ag_account_pool_set_clock (AgAccountPool *self, AgClockFunc clock, gpointer user_data)
{
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
}

gint64
ag_account_pool_now_ms (AgAccountPool *self)
{
  return self->clock (self->clock_data);
}

/* ── outcomes ──────────────────────────────────────────────────────────────────────────────────────────────── */

void
ag_account_pool_report_success (AgAccountPool *self, AgAccount *account, const char *model)
{
  ag_account_pool_record_health (self, account, AG_UPSTREAM_FAILURE_NONE);
  if (ag_rate_limits_record_success (self->limits, ag_account_get_email (account), model))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gint64
ag_account_pool_report_failure (AgAccountPool *self, AgAccount *account, const char *model,
                                const AgGoogleError *error)
{
  gint64 now = ag_account_pool_now_ms (self);
  gint64 wait = ag_rate_limits_record_failure (self->limits, ag_account_get_email (account), model, error, now);

  ag_account_pool_record_health (self, account, error->kind);
  if (wait > 0)
    {
      g_signal_emit (self, signals[SIGNAL_RATE_LIMITED], 0, account, model, (guint) error->kind, now + wait);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
  return wait;
}

void
ag_account_pool_invalidate (AgAccountPool *self, AgAccount *account, AgAccountState state, const char *reason,
                            const char *validation_url)
{
  gboolean news;

  g_return_if_fail (state != AG_ACCOUNT_STATE_VALID);

  /* Said once: the same refusal again (a failed "Check again") changes nothing the user must hear about. */
  news = ag_account_get_state (account) != state;
  if (news)
    g_message ("%s cannot be used until it is fixed: %s", ag_account_get_email (account), reason);
  ag_account_set_state (account, state, reason, validation_url);
  if (news)
    g_signal_emit (self, signals[SIGNAL_ACCOUNT_INVALIDATED], 0, account);
}

void
ag_account_pool_revalidate (AgAccountPool *self, AgAccount *account)
{
  if (ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID)
    return;
  g_message ("%s may be used again", ag_account_get_email (account));
  ag_account_set_state (account, AG_ACCOUNT_STATE_VALID, NULL, NULL);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
ag_account_pool_clear_limits (AgAccountPool *self, const char *model)
{
  if (!ag_rate_limits_clear_model (self->limits, model, ag_account_pool_now_ms (self)))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

void
ag_account_pool_restore_limits (AgAccountPool *self, GPtrArray *limits)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < limits->len; i++)
    changed |= ag_rate_limits_restore (self->limits, limits->pdata[i]);
  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gint64
ag_account_pool_get_remaining_ms (AgAccountPool *self, AgAccount *account, const char *model)
{
  return ag_rate_limits_remaining (self->limits, ag_account_get_email (account), model,
                                   ag_account_pool_now_ms (self));
}

GPtrArray *
ag_account_pool_list_limits (AgAccountPool *self)
{
  return ag_rate_limits_list (self->limits, ag_account_pool_now_ms (self));
}
