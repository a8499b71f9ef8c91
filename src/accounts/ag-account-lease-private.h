// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-lease-private.h — what the lease's two halves share. ag-account-lease.c acquires: it picks an
 * account, waits out rests, falls back (Gemini CLI quota, AI credits) and gets the token. ag-account-lease-verdict.c
 * decides what a failure means for the account and what the client is told when nothing can serve. */
#pragma once

#include "ag-account-lease.h"

G_BEGIN_DECLS

struct _AgAccountLease
{
  GObject            parent_instance;

  AgAccountPool     *pool;
  AgOAuthClient     *oauth;
  AgCloudcodeConfig *config;
  AgLeasePurpose     purpose;
  char              *model;             /* what the client asked for (upstream id); NULL for UNARY */
  AgModelFamily      family;
  char              *session_id;
  AgAccount         *pinned;            /* POLL */

  char              *pool_model;        /* the model sent upstream in the current quota pool */
  gboolean           gemini_cli;        /* serving from the Gemini CLI quota pool */
  gboolean           credits;           /* spending Google One AI credits (no free quota left anywhere) */
  AgAccount         *account;
  GPtrArray         *tried;             /* accounts given up on for this request (not those only resting) */
  gboolean           renewed_token;
  AgGoogleError     *last_error;        /* the most recent upstream failure, for the final answer */
  GError            *token_error;       /* POLL: why the account's token could not be had */
  guint              in_place_retries;
  gboolean           waited_for_all;    /* already waited once for a short rest of every account */
  gboolean           optimistic_reset;  /* already forgot the model's rests once */
  gint64             shortest_wait_ms;  /* the shortest rest seen when no account was free; -1 = none */
  gint64             next_wait_ms;      /* what the last failure asked to wait before the next try */
  guint              empty_retries;
  char              *sent_version;      /* the client version announced with the current token */
  gboolean           retried_for_version;
  gboolean           history_retried;    /* Google refused the history once; the retry is under way */
  AgLeaseAnswer      answer;

  GTask             *task;              /* the acquire in progress */
  GSource           *wait_source;
  GSource           *cancel_source;
};

/* ag-account-lease.c: emits "attempt" for the current account. */
void ag_account_lease_add_attempt (AgAccountLease *self, const char *reason, guint status, gint64 wait_ms);

/* ag-account-lease-verdict.c: the final answer when every account rests (@wait_ms: the shortest rest), or when
 * none can serve and there is no rest to wait for. */
void ag_account_lease_answer_all_limited (AgAccountLease *self, gint64 wait_ms);
void ag_account_lease_answer_nothing_usable (AgAccountLease *self);
/* The current account's token could not be had (takes @error): the account is left out for this request, and
 * marked signed out when Google revoked its sign-in. The caller then picks again. */
void ag_account_lease_token_failed (AgAccountLease *self, GError *error);

G_END_DECLS
