/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-rate-limits.c — per account and model rests, and the failure → wait decision. */
#include "ag-rate-limits.h"

#include <string.h>

/* A server delay this short is padded, so the retry does not arrive a hair early (antigravity-claude-proxy
 * rate-limit-parser). */
#define SHORT_DELAY_MS   500
#define SHORT_DELAY_PAD  200
#define MAX_LADDER_STEPS 16

typedef struct {
  AgUpstreamFailure kind;
  gint64            until_ms;
  guint             failures;
} Rest;

struct _AgRateLimits {
  GHashTable *rests;                    /* "account\nmodel" → Rest */
  guint       ladder[MAX_LADDER_STEPS];
  gsize       n_ladder;
  guint       rate_limit_s;
  guint       capacity_s;
};

static char *
rest_key (const char *account, const char *model)
{
  return g_strconcat (account, "\n", model != NULL ? model : "", NULL);
}

AgRateLimits *
ag_rate_limits_new (void)
{
  AgRateLimits *self = g_new0 (AgRateLimits, 1);
  const guint ladder[] = AG_RATE_LIMITS_DEFAULT_LADDER;

  self->rests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ag_rate_limits_set_quota_ladder (self, ladder, G_N_ELEMENTS (ladder));
  self->rate_limit_s = AG_RATE_LIMITS_DEFAULT_RATE_LIMIT_S;
  self->capacity_s = AG_RATE_LIMITS_DEFAULT_CAPACITY_S;
  return self;
}

void
ag_rate_limits_free (AgRateLimits *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->rests);
  g_free (self);
}

void
ag_rate_limit_free (AgRateLimit *limit)
{
  if (limit == NULL)
    return;
  g_free (limit->account);
  g_free (limit->model);
  g_free (limit);
}

void
ag_rate_limits_set_quota_ladder (AgRateLimits *self, const guint *seconds, gsize n_seconds)
{
  if (n_seconds == 0)
    return;
  self->n_ladder = MIN (n_seconds, MAX_LADDER_STEPS);
  for (gsize i = 0; i < self->n_ladder; i++)
    self->ladder[i] = seconds[i];
}

void
ag_rate_limits_set_rate_limit_backoff (AgRateLimits *self, guint seconds)
{
  self->rate_limit_s = seconds;
}

void
ag_rate_limits_set_capacity_backoff (AgRateLimits *self, guint seconds)
{
  self->capacity_s = seconds;
}

static gboolean
kind_rests (AgUpstreamFailure kind)
{
  return kind == AG_UPSTREAM_FAILURE_RATE_LIMIT || kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED ||
         kind == AG_UPSTREAM_FAILURE_CAPACITY;
}

/* The server's own word on when to come back, in ms from now; -1 when it said nothing. */
static gint64
server_wait_ms (const AgGoogleError *error, gint64 now_ms)
{
  gint64 wait;

  if (error->retry_delay_ms >= 0)
    wait = error->retry_delay_ms;
  else if (error->reset_time_ms >= 0)
    wait = MAX (error->reset_time_ms - now_ms, 0);
  else
    return -1;
  return wait < SHORT_DELAY_MS ? wait + SHORT_DELAY_PAD : wait;
}

/* Consecutive failures of @kind including this one: the count goes on while failures follow each other (within
 * the ladder memory of the previous rest's end), else starts again. */
static guint
next_failure_count (const Rest *rest, AgUpstreamFailure kind, gint64 now_ms)
{
  if (rest == NULL || rest->kind != kind || now_ms - rest->until_ms > AG_RATE_LIMITS_LADDER_MEMORY_MS)
    return 1;
  return rest->failures + 1;
}

static gint64
decide (AgRateLimits *self, const Rest *rest, const AgGoogleError *error, gint64 now_ms, guint *failures_out)
{
  guint failures = next_failure_count (rest, error->kind, now_ms);
  gint64 server = server_wait_ms (error, now_ms);

  if (failures_out != NULL)
    *failures_out = failures;
  /* The server knows its own reset; our ladder only guesses. */
  if (server >= 0)
    return server;
  switch (error->kind)
    {
    case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED:
      return (gint64) self->ladder[MIN (failures, self->n_ladder) - 1] * 1000;
    case AG_UPSTREAM_FAILURE_RATE_LIMIT:
      return (gint64) self->rate_limit_s * 1000;
    case AG_UPSTREAM_FAILURE_CAPACITY:
      return (gint64) self->capacity_s * 1000;
    default:
      return 0;
    }
}

gint64
ag_rate_limits_decide (AgRateLimits *self, const char *account, const char *model, const AgGoogleError *error,
                       gint64 now_ms)
{
  g_autofree char *key = rest_key (account, model);

  if (!kind_rests (error->kind))
    return 0;
  return decide (self, g_hash_table_lookup (self->rests, key), error, now_ms, NULL);
}

gint64
ag_rate_limits_record_failure (AgRateLimits *self, const char *account, const char *model,
                               const AgGoogleError *error, gint64 now_ms)
{
  g_autofree char *key = rest_key (account, model);
  Rest *rest;
  guint failures;
  gint64 wait;

  if (!kind_rests (error->kind))
    return 0;
  rest = g_hash_table_lookup (self->rests, key);
  wait = decide (self, rest, error, now_ms, &failures);
  if (rest == NULL)
    {
      rest = g_new0 (Rest, 1);
      g_hash_table_insert (self->rests, g_steal_pointer (&key), rest);
    }
  rest->kind = error->kind;
  rest->failures = failures;
  rest->until_ms = now_ms + wait;
  return wait;
}

gboolean
ag_rate_limits_restore (AgRateLimits *self, const AgRateLimit *limit)
{
  g_autofree char *key = rest_key (limit->account, limit->model);
  Rest *rest = g_hash_table_lookup (self->rests, key);

  if (!kind_rests (limit->kind) || (rest != NULL && rest->until_ms >= limit->until_ms))
    return FALSE;
  if (rest == NULL)
    {
      rest = g_new0 (Rest, 1);
      g_hash_table_insert (self->rests, g_steal_pointer (&key), rest);
    }
  rest->kind = limit->kind;
  rest->until_ms = limit->until_ms;
  rest->failures = MAX (limit->failures, 1);
  return TRUE;
}

gboolean
ag_rate_limits_record_success (AgRateLimits *self, const char *account, const char *model)
{
  g_autofree char *key = rest_key (account, model);

  return g_hash_table_remove (self->rests, key);
}

gint64
ag_rate_limits_remaining (AgRateLimits *self, const char *account, const char *model, gint64 now_ms)
{
  g_autofree char *key = rest_key (account, model);
  Rest *rest = g_hash_table_lookup (self->rests, key);

  return rest != NULL && rest->until_ms > now_ms ? rest->until_ms - now_ms : 0;
}

static gboolean
key_has_model (const char *key, const char *model)
{
  const char *newline = strchr (key, '\n');

  return model == NULL || g_strcmp0 (newline + 1, model) == 0;
}

gboolean
ag_rate_limits_clear_model (AgRateLimits *self, const char *model, gint64 now_ms)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean changed = FALSE;

  g_hash_table_iter_init (&iter, self->rests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (key_has_model (key, model))
      {
        Rest *rest = value;

        /* The count stays: if the reset was too optimistic, the ladder goes on where it was. */
        if (rest->until_ms > now_ms)
          {
            rest->until_ms = now_ms;
            changed = TRUE;
          }
      }
  return changed;
}

void
ag_rate_limits_forget_account (AgRateLimits *self, const char *account)
{
  g_autofree char *prefix = g_strconcat (account, "\n", NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->rests);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, prefix))
      g_hash_table_iter_remove (&iter);
}

static gint
compare_until (gconstpointer a, gconstpointer b)
{
  const AgRateLimit *left = *(AgRateLimit * const *) a;
  const AgRateLimit *right = *(AgRateLimit * const *) b;

  if (left->until_ms != right->until_ms)
    return left->until_ms < right->until_ms ? -1 : 1;
  return g_strcmp0 (left->account, right->account);
}

GPtrArray *
ag_rate_limits_list (AgRateLimits *self, gint64 now_ms)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->rests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Rest *rest = value;
      const char *newline = strchr (key, '\n');
      AgRateLimit *limit;

      if (rest->until_ms <= now_ms)
        continue;
      limit = g_new0 (AgRateLimit, 1);
      limit->account = g_strndup (key, (gsize) (newline - (const char *) key));
      limit->model = g_strdup (newline + 1);
      limit->kind = rest->kind;
      limit->until_ms = rest->until_ms;
      limit->failures = rest->failures;
      g_ptr_array_add (list, limit);
    }
  g_ptr_array_sort (list, compare_until);
  return list;
}
