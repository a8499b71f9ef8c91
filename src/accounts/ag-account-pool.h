/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-pool.h — the accounts the proxy may use, which one serves the next request (strategy, sticky
 * sessions, preferred account), and how long each rests per model after a failure (AgRateLimits). No I/O; the
 * clock can be replaced for tests.
 * Signals: "changed" (no arguments) when a rest starts or ends early, so observers re-read
 * ag_account_pool_list_limits; "rate-limited" (AgAccount, model id, AgUpstreamFailure kind as guint, rest end in
 * Unix ms as gint64) when an account starts to rest for a model (after a quota error, ask the quota poller for fresh
 * figures); "account-invalidated" (AgAccount) when an account was marked unusable (its "state", "invalid-reason"
 * and "validation-url" say why and how to fix it). */
#pragma once

#include <gio/gio.h>
#include "ag-account.h"
#include "ag-rate-limits.h"

G_BEGIN_DECLS

/* The values of the GSettings enum io.github.agcl.AgCl.SelectionStrategy. */
typedef enum {
  AG_SELECTION_STICKY,       /* one account until it must rest: keeps the upstream prompt cache warm */
  AG_SELECTION_ROUND_ROBIN,  /* the next usable account after the last one, every request */
  AG_SELECTION_HYBRID,       /* each new session on a fresh account first, then the best scored one; sessions stay */
  AG_SELECTION_FILL_FIRST,   /* always the first usable account in the pool's order */
} AgSelectionStrategy;

/* The current time as Unix ms. */
typedef gint64 (*AgClockFunc) (gpointer user_data);

#define AG_TYPE_ACCOUNT_POOL (ag_account_pool_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountPool, ag_account_pool, AG, ACCOUNT_POOL, GObject)

/* Defaults, as in the GSettings schema. */
#define AG_ACCOUNT_POOL_DEFAULT_MAX_WAIT_IN_PLACE_MS 2000
#define AG_ACCOUNT_POOL_DEFAULT_EMPTY_ANSWER_RETRIES 2

AgAccountPool *ag_account_pool_new (void);
/* The accounts as a GListModel of AgAccount (for observers); emits items-changed. */
GListModel    *ag_account_pool_get_accounts (AgAccountPool *self);
void           ag_account_pool_add (AgAccountPool *self, AgAccount *account);
gboolean       ag_account_pool_remove (AgAccountPool *self, const char *email);
AgAccount     *ag_account_pool_find (AgAccountPool *self, const char *email);
guint          ag_account_pool_get_n_accounts (AgAccountPool *self);

/* ── settings ── */
void                ag_account_pool_set_strategy (AgAccountPool *self, AgSelectionStrategy strategy);
AgSelectionStrategy ag_account_pool_get_strategy (AgAccountPool *self);
/* E-mail of the account to use first whenever it is usable; NULL or "" for none. */
void                ag_account_pool_set_preferred_account (AgAccountPool *self, const char *email);
void                ag_account_pool_set_quota_ladder (AgAccountPool *self, const guint *seconds, gsize n_seconds);
void                ag_account_pool_set_rate_limit_backoff (AgAccountPool *self, guint seconds);
void                ag_account_pool_set_capacity_backoff (AgAccountPool *self, guint seconds);
/* How requests use the pool: waits up to this long are waited out on the same account; longer ones rotate. */
void                ag_account_pool_set_max_wait_in_place_ms (AgAccountPool *self, guint ms);
guint               ag_account_pool_get_max_wait_in_place_ms (AgAccountPool *self);
/* How many times an empty upstream answer is asked again. */
void                ag_account_pool_set_empty_answer_retries (AgAccountPool *self, guint retries);
guint               ag_account_pool_get_empty_answer_retries (AgAccountPool *self);
/* Whether a Gemini model whose Antigravity quota is exhausted everywhere falls back to the Gemini CLI quota. */
void                ag_account_pool_set_dual_quota_pool (AgAccountPool *self, gboolean enabled);
gboolean            ag_account_pool_get_dual_quota_pool (AgAccountPool *self);
/* Whether a request that no account can serve from free quota may spend Google One AI credits (GSettings
 * ai-credits, AGCL_AI_CREDITS; off by default: it costs the user money). */
void                ag_account_pool_set_ai_credits (AgAccountPool *self, gboolean enabled);
gboolean            ag_account_pool_get_ai_credits (AgAccountPool *self);
gint64              ag_account_pool_now_ms (AgAccountPool *self);

/* ── choosing ── */
/* The account to serve @model for @session_id (nullable), skipping accounts in @exclude (nullable; those that
 * failed this request for reasons other than a rest), disabled, invalid and resting ones. Returns a new reference,
 * or NULL: then *wait_ms (nullable) is the shortest rest among the otherwise usable accounts, or -1 when there is
 * no such account at all. */
AgAccount     *ag_account_pool_pick (AgAccountPool *self, const char *model, const char *session_id,
                                     GPtrArray *exclude, gint64 *wait_ms);

/* ── outcomes ── */
/* @account answered for @model: its rest and failure count for the model end, its health improves. */
void           ag_account_pool_report_success (AgAccountPool *self, AgAccount *account, const char *model);
/* @account failed for @model with @error: records the rest it calls for and returns it in ms (0 when the
 * failure does not rest the account: then the caller decides). */
gint64         ag_account_pool_report_failure (AgAccountPool *self, AgAccount *account, const char *model,
                                               const AgGoogleError *error);
/* Marks @account unusable (@state ≠ VALID) with a reason for the user and the URL to fix it (nullable), then
 * emits "account-invalidated". */
void           ag_account_pool_invalidate (AgAccountPool *self, AgAccount *account, AgAccountState state,
                                           const char *reason, const char *validation_url);
/* The user brings @account back (re-enabled after a ban, or a verification probe passed): its state becomes VALID
 * and "changed" is emitted. */
void           ag_account_pool_revalidate (AgAccountPool *self, AgAccount *account);
/* Optimistic reset: forgets every rest for @model (NULL: all models). TRUE when one was in force. */
gboolean       ag_account_pool_clear_limits (AgAccountPool *self, const char *model);
/* Takes over rests recorded before a restart (AgRateLimit; see ag_rate_limits_restore); emits "changed" when one
 * was taken. */
void           ag_account_pool_restore_limits (AgAccountPool *self, GPtrArray *limits);
/* How long @account must still rest for @model, in ms (0: usable as far as limits go). */
gint64         ag_account_pool_get_remaining_ms (AgAccountPool *self, AgAccount *account, const char *model);
/* The rests in force, earliest end first: AgRateLimit entries (for "rate limited until HH:MM"). */
GPtrArray     *ag_account_pool_list_limits (AgAccountPool *self);

G_END_DECLS
