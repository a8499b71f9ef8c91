// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-pool-choice.c — which account serves the next request: the preferred account, the strategy
 * (sticky, round robin, hybrid scoring, fill first), sticky sessions, and each account's health. */
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

static void
session_binding_free (SessionBinding *binding)
{
  g_free (binding->email);
  g_free (binding);
}

void
ag_account_pool_choice_init (AgAccountPool *self)
{
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_binding_free);
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

void
ag_account_pool_record_health (AgAccountPool *self, AgAccount *account, AgUpstreamFailure kind)
{
  double delta = kind == AG_UPSTREAM_FAILURE_NONE         ? HEALTH_SUCCESS
                 : kind == AG_UPSTREAM_FAILURE_RATE_LIMIT ? -HEALTH_RATE_LIMITED
                                                          : -HEALTH_FAILED;
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

      if (account_wait_ms (self, ag_account_pool_account_at (self, i), model, exclude, now_ms) == 0)
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
      AgAccount *account = ag_account_pool_account_at (self, i);
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
  if (binding == NULL || !ag_account_pool_find_position (self, binding->email, &position))
    return -1;
  wait = account_wait_ms (self, ag_account_pool_account_at (self, position), model, exclude, now_ms);
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

  if (self->preferred != NULL && ag_account_pool_find_position (self, self->preferred, &position) &&
      account_wait_ms (self, ag_account_pool_account_at (self, position), model, exclude, now_ms) == 0)
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
          guint start = current != NULL && ag_account_pool_find_position (self, current->email, &position)
                        ? position + 1 : 0;

          chosen = first_usable_from (self, model, exclude, now_ms, start);
          if (chosen >= 0 && rebind)
            bind_session (self, "", ag_account_pool_account_at (self, (guint) chosen), now_ms);
        }
      return chosen;

    case AG_SELECTION_HYBRID:
    default:
      chosen = choose_bound (self, session, model, exclude, now_ms, &rebind);
      if (chosen >= 0)
        return chosen;
      chosen = hybrid_choice (self, model, exclude, now_ms);
      if (chosen >= 0 && rebind)
        bind_session (self, session, ag_account_pool_account_at (self, (guint) chosen), now_ms);
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
      account = ag_account_pool_account_at (self, (guint) chosen);
      stats_for (self, ag_account_get_email (account), now)->last_used_ms = now;
      if (wait_ms != NULL)
        *wait_ms = 0;
      return g_object_ref (account);
    }
  for (guint i = 0; i < n; i++)
    {
      gint64 wait = account_wait_ms (self, ag_account_pool_account_at (self, i), model, exclude, now);

      if (wait > 0 && (shortest < 0 || wait < shortest))
        shortest = wait;
    }
  if (wait_ms != NULL)
    *wait_ms = shortest;
  return NULL;
}
