/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-lease.h — one request's hold on the account pool, and the one place that decides what a failure
 * means for an account: which account serves next, a fresh token for it, waiting out short rests, rotating,
 * renewing a revoked token, marking an account unusable, the Gemini CLI quota fallback, and the final answer when
 * nothing can serve. The streaming call, the unary calls and the quota poller all go through it.
 *
 * Signal "attempt" (const char *account or NULL, const char *reason, guint http_status, gint64 wait_ms): one try
 * that did not give the answer, or a change of course (a wait, a reset, a fallback), for the request log. */
#pragma once

#include <gio/gio.h>
#include "ag-account-pool.h"
#include "ag-cloudcode-config.h"
#include "ag-google-error.h"
#include "ag-oauth-client.h"

G_BEGIN_DECLS

typedef enum {
  AG_LEASE_GENERATE,  /* a model's answer: short rests of one account are waited out, quota rests are per model */
  AG_LEASE_UNARY,     /* a model-independent call (countTokens, the model list): any account, no waiting */
  AG_LEASE_POLL,      /* one given account's quota: never another account, never rests it */
} AgLeasePurpose;

typedef struct {
  AgLeasePurpose purpose;
  const char    *model;       /* GENERATE: the upstream model, the pool's key for rests */
  AgModelFamily  family;      /* GENERATE: Gemini models may fall back to the Gemini CLI quota */
  const char    *session_id;  /* nullable: keeps a conversation on one account */
  AgAccount     *account;     /* POLL: the account */
} AgLeaseOptions;

/* What to tell the client when the lease gives up. @error_type is the Anthropic error category, which every
 * front end maps to its own shape. */
typedef struct {
  guint       status;
  const char *error_type;
  char       *message;
  guint       retry_after_s;    /* 0: no retry-after */
  gboolean    no_retry;         /* tell the client not to retry (x-should-retry: false) */
  gboolean    client_outdated;  /* Google refused the client version: the version should be checked again */
} AgLeaseAnswer;

#define AG_LEASE_ERROR (ag_lease_error_quark ())
GQuark ag_lease_error_quark (void);
typedef enum {
  AG_LEASE_ERROR_FINAL,  /* the lease gave up: ag_account_lease_get_answer says what to answer */
} AgLeaseError;

#define AG_TYPE_ACCOUNT_LEASE (ag_account_lease_get_type ())
G_DECLARE_FINAL_TYPE (AgAccountLease, ag_account_lease, AG, ACCOUNT_LEASE, GObject)

/* @config (nullable) tells which client version a request announced, for the outdated-client retry. */
AgAccountLease *ag_account_lease_new (AgAccountPool        *pool,
                                      AgOAuthClient        *oauth,
                                      AgCloudcodeConfig    *config,
                                      const AgLeaseOptions *options);

/* An account that can serve now, with a fresh access token (the result). Waits out what the last failure asked
 * for. Fails with AG_LEASE_ERROR_FINAL (see get_answer), G_IO_ERROR_CANCELLED, or — POLL only — the token error. */
void            ag_account_lease_acquire_async (AgAccountLease     *self,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
char           *ag_account_lease_acquire_finish (AgAccountLease *self, GAsyncResult *result, GError **error);

/* The account of the last acquire (nullable), and the model id to send upstream (the Gemini CLI name after the
 * fallback). */
AgAccount      *ag_account_lease_get_account (AgAccountLease *self);
const char     *ag_account_lease_get_model (AgAccountLease *self);
gboolean        ag_account_lease_get_gemini_cli (AgAccountLease *self);
/* Whether the current account serves by spending its Google One AI credits: the caller adds
 * enabledCreditTypes to the envelope (ag_ai_credits_enable) and marks the request in the log. */
gboolean        ag_account_lease_get_credits (AgAccountLease *self);

/* The account answered: its rest for the model ends, its health improves. */
void            ag_account_lease_succeeded (AgAccountLease *self);
/* Google refused (takes @error). TRUE: acquire again; FALSE: the answer is final (get_answer). */
gboolean        ag_account_lease_failed (AgAccountLease *self, AgGoogleError *error);
/* TRUE once Google refused the request's history and failed granted the one retry: the caller sends the history
 * again without what upstream may have refused (signatures), and a second refusal is final. */
gboolean        ag_account_lease_get_history_retry (AgAccountLease *self);
/* Google could not be reached at all. TRUE (acquire again) when the account has its own proxy: that proxy is
 * the account's failure ("proxy unreachable"), so another account is tried; FALSE: the answer is final. */
gboolean        ag_account_lease_unreachable (AgAccountLease *self, const GError *error);
/* Whether an empty answer may still be asked for again (without counting it). */
gboolean        ag_account_lease_may_retry_empty (AgAccountLease *self);
/* The answer was empty and the client has seen nothing: TRUE when it is worth asking the same account again
 * (then acquire again), FALSE when the retries are used up. */
gboolean        ag_account_lease_empty_answer (AgAccountLease *self);

/* Valid after a FALSE from failed, after unreachable, or after acquire failed with AG_LEASE_ERROR_FINAL. */
const AgLeaseAnswer *ag_account_lease_get_answer (AgAccountLease *self);

G_END_DECLS
