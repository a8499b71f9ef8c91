/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-pool-private.h — what tests may do to an AgAccountPool (run it on a fake clock), and what the pool's
 * two files share: ag-account-pool.c keeps the list, the settings and the outcomes; ag-account-pool-choice.c
 * chooses the account (strategies, sticky sessions, health). */
#pragma once

#include "ag-account-pool.h"

G_BEGIN_DECLS

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

/* ag-account-pool.c: the account at @position (borrowed), and where the account with @email stands. */
AgAccount          *ag_account_pool_account_at (AgAccountPool *self, guint position);
gboolean            ag_account_pool_find_position (AgAccountPool *self, const char *email, guint *position);

/* ag-account-pool-choice.c: creates the health and session tables (at init); records an outcome in @account's
 * health (@kind AG_UPSTREAM_FAILURE_NONE: a success). */
void                ag_account_pool_choice_init (AgAccountPool *self);
void                ag_account_pool_record_health (AgAccountPool *self, AgAccount *account, AgUpstreamFailure kind);

/* Replaces the clock (tests); NULL restores the real one. */
void                ag_account_pool_set_clock (AgAccountPool *self, AgClockFunc clock, gpointer user_data);

G_END_DECLS
