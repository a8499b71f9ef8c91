/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-pool.c — account list, selection strategies, sticky sessions, rests and health. */
#include "ag-account-pool-private.h"

/* Sessions are forgotten after an hour without a request (CLIProxyAPI's session-affinity TTL), and at most this
 * many are remembered. */
#define SESSION_TTL_MS (3600 * 1000)
#define MAX_SESSIONS   1024

/* Hybrid health, as antigravity-claude-proxy and opencode-antigravity-auth score it: start at 70, +1 per success,
 * −10 per rate limit, −20 per other failure, +10 per hour of rest, within [0, 100]. */
#define HEALTH_INITIAL          70.0
#define HEALTH_MAX              100.0
#define HEALTH_SUCCESS          1.0
#define HEALTH_RATE_LIMITED     10.0
#define HEALTH_FAILED           20.0
#define HEALTH_RECOVERY_PER_MS  (10.0 / (3600.0 * 1000.0))
/* Hybrid score = health·2 + remaining quota (percent)·3 + idle seconds (at most an hour)·0.1. */
#define SCORE_HEALTH_WEIGHT     2.0
#define SCORE_QUOTA_WEIGHT      3.0
#define SCORE_IDLE_WEIGHT       0.1
#define SCORE_IDLE_CAP_S        3600.0

typedef struct {
  gint64 last_used_ms;   /* 0 = never used since it joined the pool */
  double health;
  gint64 health_at_ms;
} AccountStats;

typedef struct {
  char  *email;
  gint64 last_used_ms;
} SessionBinding;

struct _AgAccountPool {
  GObject              parent_instance;

  GListStore          *accounts;
  AgRateLimits        *limits;
  GHashTable          *stats;        /* email → AccountStats */
  GHashTable          *sessions;     /* session id → SessionBinding; "" is the binding of requests without one */
  guint                round_robin_cursor;

  AgSelectionStrategy  strategy;
  char                *preferred;
  guint                max_wait_in_place_ms;
  guint                empty_answer_retries;
  gboolean             dual_quota_pool;
  gboolean             ai_credits;
  AgClockFunc          clock;
  gpointer             clock_data;
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_RATE_LIMITED,
  SIGNAL_ACCOUNT_INVALIDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgAccountPool, ag_account_pool, G_TYPE_OBJECT)

static void
session_binding_free (SessionBinding *binding)
{
  g_free (binding->email);
  g_free (binding);
}

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
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_binding_free);
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

static AgAccount *
account_at (AgAccountPool *self, guint position)
{
  /* The store keeps its own reference; callers that keep the account take one. */
  g_autoptr(AgAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);

  return account;
}

static gboolean
find_position (AgAccountPool *self, const char *email, guint *position)
{
  guint n = ag_account_pool_get_n_accounts (self);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ag_account_get_email (account_at (self, i)), email) == 0)
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
  if (find_position (self, ag_account_get_email (account), &position))
    g_list_store_splice (self->accounts, position, 1, (gpointer *) &account, 1);
  else
    g_list_store_append (self->accounts, account);
}

gboolean
ag_account_pool_remove (AgAccountPool *self, const char *email)
{
  guint position;

  if (!find_position (self, email, &position))
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

  if (!find_position (self, email, &position))
    return NULL;
  return g_object_ref (account_at (self, position));
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

/* ── health and idle time ──────────────────────────────────────────────────────────────────────────────────── */

static AccountStats *
stats_for (AgAccountPool *self, const char *email, gint64 now_ms)
{
  AccountStats *stats = g_hash_table_lookup (self->stats, email);

  if (stats == NULL)
    {
      stats = g_new0 (AccountStats, 1);
      stats->health = HEALTH_INITIAL;
      stats->health_at_ms = now_ms;
      g_hash_table_insert (self->stats, g_strdup (email), stats);
    }
  return stats;
}

static double
current_health (AccountStats *stats, gint64 now_ms)
{
  double recovered = stats->health + (double) MAX (now_ms - stats->health_at_ms, 0) * HEALTH_RECOVERY_PER_MS;

  return MIN (recovered, HEALTH_MAX);
}

static void
change_health (AgAccountPool *self, AgAccount *account, double delta)
{
  gint64 now = ag_account_pool_now_ms (self);
  AccountStats *stats = stats_for (self, ag_account_get_email (account), now);

  stats->health = CLAMP (current_health (stats, now) + delta, 0.0, HEALTH_MAX);
  stats->health_at_ms = now;
}

/* ── choosing ──────────────────────────────────────────────────────────────────────────────────────────────── */

/* What the quota poller last saw: a model at 0 rests until its reset (when the reset is known and ahead). */
static gint64
quota_rest_ms (AgAccount *account, const char *model, gint64 now_ms)
{
  double fraction;
  gint64 reset_ms;

  if (model == NULL || !ag_account_get_model_quota (account, model, &fraction, &reset_ms))
    return 0;
  return fraction <= 0.0 && reset_ms > now_ms ? reset_ms - now_ms : 0;
}

/* The remaining fraction the poller saw; unknown, or past its reset, counts as full. */
static double
quota_fraction (AgAccount *account, const char *model, gint64 now_ms)
{
  double fraction;
  gint64 reset_ms;

  if (model == NULL || !ag_account_get_model_quota (account, model, &fraction, &reset_ms))
    return 1.0;
  return reset_ms > 0 && reset_ms <= now_ms ? 1.0 : fraction;
}

/* How long @account must still wait before it can serve @model: 0 when usable now, -1 when it cannot serve at
 * all (disabled, invalid, excluded). */
static gint64
account_wait_ms (AgAccountPool *self, AgAccount *account, const char *model, GPtrArray *exclude, gint64 now_ms)
{
  if (!ag_account_get_enabled (account) || ag_account_get_state (account) != AG_ACCOUNT_STATE_VALID)
    return -1;
  if (exclude != NULL && g_ptr_array_find (exclude, account, NULL))
    return -1;
  return MAX (MAX (MAX (ag_rate_limits_remaining (self->limits, ag_account_get_email (account), model, now_ms),
                        quota_rest_ms (account, model, now_ms)),
                   ag_quota_windows_rest_ms (ag_account_get_quota_windows (account), model, now_ms)),
              MAX (ag_account_get_proxy_rest_until (account) - now_ms, 0));
}

/* The first usable account at or after @start in pool order (wrapping), or -1. */
static gint
first_usable_from (AgAccountPool *self, const char *model, GPtrArray *exclude, gint64 now_ms, guint start)
{
  guint n = ag_account_pool_get_n_accounts (self);

  for (guint k = 0; k < n; k++)
    {
      guint i = (start + k) % n;

      if (account_wait_ms (self, account_at (self, i), model, exclude, now_ms) == 0)
        return (gint) i;
    }
  return -1;
}

static double
hybrid_score (AgAccountPool *self, AgAccount *account, const char *model, gint64 now_ms)
{
  AccountStats *stats = stats_for (self, ag_account_get_email (account), now_ms);
  double idle_s = MIN ((double) (now_ms - stats->last_used_ms) / 1000.0, SCORE_IDLE_CAP_S);

  return current_health (stats, now_ms) * SCORE_HEALTH_WEIGHT +
         quota_fraction (account, model, now_ms) * 100.0 * SCORE_QUOTA_WEIGHT + idle_s * SCORE_IDLE_WEIGHT;
}

/* Hybrid's choice for a new binding: an account never used yet (pool order), else the best score. */
static gint
hybrid_choice (AgAccountPool *self, const char *model, GPtrArray *exclude, gint64 now_ms)
{
  guint n = ag_account_pool_get_n_accounts (self);
  gint best = -1;
  double best_score = 0.0;

  for (guint i = 0; i < n; i++)
    {
      AgAccount *account = account_at (self, i);
      AccountStats *stats;
      double score;

      if (account_wait_ms (self, account, model, exclude, now_ms) != 0)
        continue;
      stats = stats_for (self, ag_account_get_email (account), now_ms);
      if (stats->last_used_ms == 0)
        return (gint) i;
      score = hybrid_score (self, account, model, now_ms);
      if (best < 0 || score > best_score)
        {
          best = (gint) i;
          best_score = score;
        }
    }
  return best;
}

static void
forget_oldest_session (AgAccountPool *self, gint64 now_ms)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *oldest = NULL;
  gint64 oldest_ms = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SessionBinding *binding = value;

      if (now_ms - binding->last_used_ms > SESSION_TTL_MS)
        g_hash_table_iter_remove (&iter);
      else if (binding->last_used_ms < oldest_ms)
        {
          oldest = key;
          oldest_ms = binding->last_used_ms;
        }
    }
  if (g_hash_table_size (self->sessions) >= MAX_SESSIONS && oldest != NULL)
    g_hash_table_remove (self->sessions, oldest);
}

static void
bind_session (AgAccountPool *self, const char *session, AgAccount *account, gint64 now_ms)
{
  SessionBinding *binding = g_hash_table_lookup (self->sessions, session);

  if (binding == NULL)
    {
      if (g_hash_table_size (self->sessions) >= MAX_SESSIONS)
        forget_oldest_session (self, now_ms);
      binding = g_new0 (SessionBinding, 1);
      g_hash_table_insert (self->sessions, g_strdup (session), binding);
    }
  g_free (binding->email);
  binding->email = g_strdup (ag_account_get_email (account));
  binding->last_used_ms = now_ms;
}

/* Sticky and hybrid keep a session on its account. A bound account that only has to wait a moment keeps the
 * binding (the request goes elsewhere this once); a longer rest moves the session for good. */
static gint
choose_bound (AgAccountPool *self, const char *session, const char *model, GPtrArray *exclude, gint64 now_ms,
              gboolean *rebind)
{
  SessionBinding *binding = g_hash_table_lookup (self->sessions, session);
  guint position;
  gint64 wait;

  *rebind = TRUE;
  if (binding == NULL || !find_position (self, binding->email, &position))
    return -1;
  wait = account_wait_ms (self, account_at (self, position), model, exclude, now_ms);
  if (wait == 0)
    {
      binding->last_used_ms = now_ms;
      *rebind = FALSE;
      return (gint) position;
    }
  *rebind = wait < 0 || wait > self->max_wait_in_place_ms;
  return -1;
}

static gint
choose (AgAccountPool *self, const char *model, const char *session_id, GPtrArray *exclude, gint64 now_ms)
{
  guint n = ag_account_pool_get_n_accounts (self);
  /* Requests without a session share one binding, so sticky means sticky for them too. */
  const char *session = session_id != NULL ? session_id : "";
  gboolean rebind;
  gint chosen;
  guint position;

  if (self->preferred != NULL && find_position (self, self->preferred, &position) &&
      account_wait_ms (self, account_at (self, position), model, exclude, now_ms) == 0)
    return (gint) position;

  switch (self->strategy)
    {
    case AG_SELECTION_FILL_FIRST:
      return first_usable_from (self, model, exclude, now_ms, 0);

    case AG_SELECTION_ROUND_ROBIN:
      chosen = first_usable_from (self, model, exclude, now_ms, n > 0 ? self->round_robin_cursor % n : 0);
      if (chosen >= 0)
        self->round_robin_cursor = (guint) chosen + 1;
      return chosen;

    case AG_SELECTION_STICKY:
      /* One account for everyone (sessions need no binding of their own); failover takes the next in order. */
      chosen = choose_bound (self, "", model, exclude, now_ms, &rebind);
      if (chosen < 0)
        {
          SessionBinding *current = g_hash_table_lookup (self->sessions, "");
          guint start = current != NULL && find_position (self, current->email, &position) ? position + 1 : 0;

          chosen = first_usable_from (self, model, exclude, now_ms, start);
          if (chosen >= 0 && rebind)
            bind_session (self, "", account_at (self, (guint) chosen), now_ms);
        }
      return chosen;

    case AG_SELECTION_HYBRID:
    default:
      chosen = choose_bound (self, session, model, exclude, now_ms, &rebind);
      if (chosen >= 0)
        return chosen;
      chosen = hybrid_choice (self, model, exclude, now_ms);
      if (chosen >= 0 && rebind)
        bind_session (self, session, account_at (self, (guint) chosen), now_ms);
      return chosen;
    }
}

AgAccount *
ag_account_pool_pick (AgAccountPool *self, const char *model, const char *session_id, GPtrArray *exclude,
                      gint64 *wait_ms)
{
  gint64 now = ag_account_pool_now_ms (self);
  gint chosen = choose (self, model, session_id, exclude, now);
  guint n = ag_account_pool_get_n_accounts (self);
  gint64 shortest = -1;
  AgAccount *account;

  if (chosen >= 0)
    {
      account = account_at (self, (guint) chosen);
      stats_for (self, ag_account_get_email (account), now)->last_used_ms = now;
      if (wait_ms != NULL)
        *wait_ms = 0;
      return g_object_ref (account);
    }
  for (guint i = 0; i < n; i++)
    {
      gint64 wait = account_wait_ms (self, account_at (self, i), model, exclude, now);

      if (wait > 0 && (shortest < 0 || wait < shortest))
        shortest = wait;
    }
  if (wait_ms != NULL)
    *wait_ms = shortest;
  return NULL;
}

/* ── outcomes ──────────────────────────────────────────────────────────────────────────────────────────────── */

void
ag_account_pool_report_success (AgAccountPool *self, AgAccount *account, const char *model)
{
  change_health (self, account, HEALTH_SUCCESS);
  if (ag_rate_limits_record_success (self->limits, ag_account_get_email (account), model))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gint64
ag_account_pool_report_failure (AgAccountPool *self, AgAccount *account, const char *model,
                                const AgGoogleError *error)
{
  gint64 now = ag_account_pool_now_ms (self);
  gint64 wait = ag_rate_limits_record_failure (self->limits, ag_account_get_email (account), model, error, now);

  change_health (self, account, error->kind == AG_UPSTREAM_FAILURE_RATE_LIMIT ? -HEALTH_RATE_LIMITED
                                                                              : -HEALTH_FAILED);
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
