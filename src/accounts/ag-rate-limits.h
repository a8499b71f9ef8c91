/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-rate-limits.h — how long each account rests for each model after an upstream failure: the server's reset time
 * when it gives one, else the backoff ladder (quota) or a fixed wait (rate limit, capacity). Pure: the caller
 * passes the time (Unix ms), so tests run on a fake clock. */
#pragma once

#include <glib.h>
#include "ag-google-error.h"

G_BEGIN_DECLS

/* Defaults, as in the GSettings schema: the ladder of antigravity-claude-proxy and Antigravity-Manager. */
#define AG_RATE_LIMITS_DEFAULT_LADDER        { 60, 300, 1800, 7200 }
#define AG_RATE_LIMITS_DEFAULT_RATE_LIMIT_S  30
#define AG_RATE_LIMITS_DEFAULT_CAPACITY_S    10
/* A quota failure this long after the previous rest ended starts the ladder again (Antigravity-Manager: 1 h). */
#define AG_RATE_LIMITS_LADDER_MEMORY_MS      (3600 * 1000)

typedef struct _AgRateLimits AgRateLimits;

/* One rest in force, as listed for observers. */
typedef struct {
  char             *account;        /* e-mail */
  char             *model;          /* upstream model id the limit applies to */
  AgUpstreamFailure kind;           /* RATE_LIMIT, QUOTA_EXHAUSTED or CAPACITY */
  gint64            until_ms;       /* Unix ms */
  guint             failures;       /* consecutive failures of this kind */
} AgRateLimit;

AgRateLimits *ag_rate_limits_new (void);
void          ag_rate_limits_free (AgRateLimits *self);
void          ag_rate_limit_free (AgRateLimit *limit);

/* Seconds of rest after the 1st, 2nd, … consecutive quota failure without a server reset time (the last step
 * repeats). An empty ladder keeps the default. */
void          ag_rate_limits_set_quota_ladder (AgRateLimits *self, const guint *seconds, gsize n_seconds);
void          ag_rate_limits_set_rate_limit_backoff (AgRateLimits *self, guint seconds);
void          ag_rate_limits_set_capacity_backoff (AgRateLimits *self, guint seconds);

/* The rest @error calls for, in ms, without recording anything (0 for failures that do not rest an account). */
gint64        ag_rate_limits_decide (AgRateLimits *self, const char *account, const char *model,
                                     const AgGoogleError *error, gint64 now_ms);
/* Decides and records the rest of @account for @model, the model that was asked for (the error may name a
 * normalised one; the pool must skip what it will be asked for next). Returns the rest in ms; 0 when @error is
 * not a rate limit, quota or capacity failure. */
gint64        ag_rate_limits_record_failure (AgRateLimits *self, const char *account, const char *model,
                                             const AgGoogleError *error, gint64 now_ms);
/* A success ends the account's rest for @model and forgets its consecutive failures. TRUE when something changed. */
gboolean      ag_rate_limits_record_success (AgRateLimits *self, const char *account, const char *model);
/* How long @account must still rest for @model, in ms; 0 when it may be used. */
gint64        ag_rate_limits_remaining (AgRateLimits *self, const char *account, const char *model, gint64 now_ms);
/* Forgets every rest of @model (NULL: of every model), keeping the failure counts (optimistic reset).
 * TRUE when a rest was in force. */
gboolean      ag_rate_limits_clear_model (AgRateLimits *self, const char *model, gint64 now_ms);
/* Takes over a rest recorded earlier (by this or another instance, before a restart), unless the one in force
 * ends later or @limit's kind does not rest an account. TRUE when it was taken. */
gboolean      ag_rate_limits_restore (AgRateLimits *self, const AgRateLimit *limit);
/* Forgets everything about @account (removed from the pool). */
void          ag_rate_limits_forget_account (AgRateLimits *self, const char *account);
/* The rests still in force at @now_ms, earliest end first: a new array of AgRateLimit. */
GPtrArray    *ag_rate_limits_list (AgRateLimits *self, gint64 now_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgRateLimits, ag_rate_limits_free)

G_END_DECLS
