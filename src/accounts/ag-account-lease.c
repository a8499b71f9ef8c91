/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-lease.h"
#include "ag-account-trouble.h"
#include "ag-upstream-proxy.h"
#include "ag-anthropic-error.h"
#include "ag-reset-time.h"

#include <glib/gi18n.h>

/* A short wait on the same account happens at most this often per request; then the lease rotates. */
#define MAX_IN_PLACE_RETRIES 2
/* When every account rests, a wait up to this long is worth a retryable 429 with retry-after: Claude Code caps its
 * own backoff at 32 s, so one client retry lands after the reset. Longer waits get a final answer. */
#define CLIENT_RETRY_MAX_MS 30000
/* How long a client should wait before asking again after Google refused the client version. */
#define OUTDATED_RETRY_AFTER_S 5

#define SIGNED_OUT_REASON _("Google no longer accepts this account's sign-in; sign in again")
#define VALIDATION_REASON _("Google asks you to verify this account before it can be used again")

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

G_DEFINE_FINAL_TYPE (AgAccountLease, ag_account_lease, G_TYPE_OBJECT)
G_DEFINE_QUARK (ag-lease-error-quark, ag_lease_error)

enum {
  SIGNAL_ATTEMPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_wait (AgAccountLease *self)
{
  if (self->wait_source != NULL)
    {
      g_source_destroy (self->wait_source);
      g_clear_pointer (&self->wait_source, g_source_unref);
    }
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
}

static void
ag_account_lease_dispose (GObject *object)
{
  AgAccountLease *self = AG_ACCOUNT_LEASE (object);

  clear_wait (self);
  g_clear_object (&self->pool);
  g_clear_object (&self->oauth);
  g_clear_object (&self->config);
  g_clear_object (&self->pinned);
  g_clear_object (&self->account);
  g_clear_pointer (&self->tried, g_ptr_array_unref);
  G_OBJECT_CLASS (ag_account_lease_parent_class)->dispose (object);
}

static void
ag_account_lease_finalize (GObject *object)
{
  AgAccountLease *self = AG_ACCOUNT_LEASE (object);

  g_free (self->model);
  g_free (self->session_id);
  g_free (self->pool_model);
  g_free (self->sent_version);
  g_clear_pointer (&self->last_error, ag_google_error_free);
  g_clear_error (&self->token_error);
  g_free (self->answer.message);
  G_OBJECT_CLASS (ag_account_lease_parent_class)->finalize (object);
}

static void
ag_account_lease_class_init (AgAccountLeaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_account_lease_dispose;
  object_class->finalize = ag_account_lease_finalize;

  signals[SIGNAL_ATTEMPT] =
    g_signal_new ("attempt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT64);
}

static void
ag_account_lease_init (AgAccountLease *self)
{
  self->tried = g_ptr_array_new_with_free_func (g_object_unref);
  self->shortest_wait_ms = -1;
}

AgAccountLease *
ag_account_lease_new (AgAccountPool *pool, AgOAuthClient *oauth, AgCloudcodeConfig *config,
                      const AgLeaseOptions *options)
{
  AgAccountLease *self;

  g_return_val_if_fail (AG_IS_ACCOUNT_POOL (pool), NULL);
  g_return_val_if_fail (AG_IS_OAUTH_CLIENT (oauth), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->purpose != AG_LEASE_POLL || AG_IS_ACCOUNT (options->account), NULL);

  self = g_object_new (AG_TYPE_ACCOUNT_LEASE, NULL);
  self->pool = g_object_ref (pool);
  self->oauth = g_object_ref (oauth);
  self->config = config != NULL ? g_object_ref (config) : NULL;
  self->purpose = options->purpose;
  self->family = options->family;
  self->session_id = g_strdup (options->session_id);
  if (options->purpose == AG_LEASE_GENERATE)
    {
      self->model = g_strdup (options->model);
      self->pool_model = g_strdup (options->model);
    }
  if (options->purpose == AG_LEASE_POLL)
    self->pinned = g_object_ref (options->account);
  return self;
}

AgAccount *
ag_account_lease_get_account (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), NULL);
  return self->account;
}

const char *
ag_account_lease_get_model (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), NULL);
  return self->pool_model;
}

gboolean
ag_account_lease_get_gemini_cli (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  return self->gemini_cli;
}

gboolean
ag_account_lease_get_credits (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  return self->credits;
}

const AgLeaseAnswer *
ag_account_lease_get_answer (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), NULL);
  return self->answer.status != 0 ? &self->answer : NULL;
}

/* ── what happened, for the request log ─────────────────────────────────────────────────────────────────────── */

static void
add_attempt (AgAccountLease *self, const char *reason, guint status, gint64 wait_ms)
{
  g_signal_emit (self, signals[SIGNAL_ATTEMPT], 0, self->account != NULL ? ag_account_get_email (self->account) : NULL,
                 reason, status, wait_ms);
}

static const char *
failure_reason (AgUpstreamFailure kind)
{
  switch (kind)
    {
    case AG_UPSTREAM_FAILURE_RATE_LIMIT: return "rate_limit";
    case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED: return "quota";
    case AG_UPSTREAM_FAILURE_CAPACITY: return "capacity";
    case AG_UPSTREAM_FAILURE_AUTH: return "auth";
    case AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED: return "validation_required";
    case AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED: return "account_disabled";
    case AG_UPSTREAM_FAILURE_BANNED: return "banned";
    case AG_UPSTREAM_FAILURE_CREDITS_EXHAUSTED: return "credits_spent";
    case AG_UPSTREAM_FAILURE_INELIGIBLE_TIER: return "gemini_cli_closed";
    case AG_UPSTREAM_FAILURE_BAD_REQUEST: return "bad_request";
    case AG_UPSTREAM_FAILURE_HISTORY: return "history";
    case AG_UPSTREAM_FAILURE_NOT_FOUND: return "not_found";
    case AG_UPSTREAM_FAILURE_SERVER: return "server_error";
    case AG_UPSTREAM_FAILURE_CLIENT_OUTDATED: return "client_outdated";
    case AG_UPSTREAM_FAILURE_OTHER:
    case AG_UPSTREAM_FAILURE_NONE:
    default: return "other";
    }
}

/* ── final answers ──────────────────────────────────────────────────────────────────────────────────────────── */

static void
set_answer (AgAccountLease *self, guint status, const char *error_type, char *message)
{
  g_free (self->answer.message);
  self->answer = (AgLeaseAnswer) { 0 };
  self->answer.status = status;
  self->answer.error_type = error_type;
  self->answer.message = message;
  /* An account problem should not send the client into its retry loop or its login screen. */
  self->answer.no_retry = status == 503;
}

static void
answer_google_error (AgAccountLease *self, const AgGoogleError *error)
{
  const char *error_type = NULL;
  char *message = NULL;
  guint status = ag_anthropic_error_from_google (error, &error_type, &message);

  set_answer (self, status, error_type, message);
}

static char *
describe_wait (gint64 wait_ms)
{
  gint64 minutes = (wait_ms + 59999) / 60000;

  if (wait_ms < 60000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " s", (wait_ms + 999) / 1000);
  if (minutes < 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min", minutes);
  return g_strdup_printf ("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", minutes / 60, minutes % 60);
}

/* Every account rests for this model. A short wait gets a retryable 429 with retry-after. A long one gets a final
 * answer naming the model and the earliest reset: still 429 rate_limit_error (what it is), but marked not to be
 * retried, which Claude Code and the Anthropic SDKs obey — retrying for hours would only hammer this proxy.
 * (antigravity-claude-proxy answers 400 for the same purpose; a 400 claims the request was wrong, which it was
 * not.) */
static void
answer_all_limited (AgAccountLease *self, gint64 wait_ms)
{
  g_autofree char *in = describe_wait (wait_ms);
  guint n_accounts = ag_account_pool_get_n_accounts (self->pool);
  const char *model = self->model != NULL ? self->model : "this request";

  if (wait_ms <= CLIENT_RETRY_MAX_MS)
    {
      set_answer (self, 429, "rate_limit_error",
                  g_strdup_printf ("All %u Google accounts are rate-limited for %s; retry in %s", n_accounts, model,
                                   in));
      self->answer.retry_after_s = (guint) ((wait_ms + 999) / 1000);
    }
  else
    {
      gint64 now_ms = ag_account_pool_now_ms (self->pool);
      gint64 reset_ms = now_ms + wait_ms;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (reset_ms / 1000);
      g_autofree char *local_text = ag_reset_time_format (reset_ms, now_ms);
      g_autofree char *utc_text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      set_answer (self, 429, "rate_limit_error",
                  g_strdup_printf ("All %u Google accounts have used up their quota for %s; the earliest resets at "
                                   "%s (%s, in %s). Switch to another model or wait.",
                                   n_accounts, model, local_text, utc_text, in));
      self->answer.no_retry = TRUE;
    }
  g_message ("%s", self->answer.message);
}

/* Nothing can serve and there is no rest to wait for. */
static void
answer_nothing_usable (AgAccountLease *self)
{
  g_autofree char *states = ag_account_trouble_describe_pool (ag_account_pool_get_accounts (self->pool));

  /* Every account is kept out by a lasting state: that list, not the last refusal, is what the user must act on. */
  if (states != NULL && self->purpose != AG_LEASE_POLL)
    set_answer (self, 503, "api_error", g_steal_pointer (&states));
  else if (self->last_error != NULL)
    answer_google_error (self, self->last_error);
  else if (self->purpose == AG_LEASE_POLL && self->token_error != NULL)
    set_answer (self, 503, "api_error", g_strdup (self->token_error->message));
  else if (ag_account_pool_get_n_accounts (self->pool) == 0)
    set_answer (self, 503, "api_error",
                g_strdup ("ag-cl has no Google account to use; add one with “ag-cl account add” or in the ag-cl "
                          "window"));
  else
    set_answer (self, 503, "api_error",
                g_strdup ("none of your Google accounts can be used (signed out, disabled or waiting for "
                          "verification); see “ag-cl account list” or the ag-cl window"));
}

/* ── acquiring ─────────────────────────────────────────────────────────────────────────────────────────────── */

static void try_account (AgAccountLease *self);

static void
return_final (AgAccountLease *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  clear_wait (self);
  if (self->purpose == AG_LEASE_POLL && self->token_error != NULL && self->last_error == NULL)
    g_task_return_error (task, g_error_copy (self->token_error));
  else
    g_task_return_new_error (task, AG_LEASE_ERROR, AG_LEASE_ERROR_FINAL, "%s", self->answer.message);
}

static gboolean
wait_over (gpointer user_data)
{
  AgAccountLease *self = user_data;

  clear_wait (self);
  try_account (self);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled (GCancellable *cancellable, gpointer user_data)
{
  AgAccountLease *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  clear_wait (self);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the request was cancelled");
  return G_SOURCE_REMOVE;
}

/* Waits on the main loop, or returns at once when the request is cancelled meanwhile. */
static void
wait_then_try (AgAccountLease *self, gint64 wait_ms)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  self->wait_source = g_timeout_source_new ((guint) CLAMP (wait_ms, 0, G_MAXUINT));
  g_source_set_callback (self->wait_source, wait_over, self, NULL);
  g_source_attach (self->wait_source, NULL);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (wait_cancelled), self, NULL);
      g_source_attach (self->cancel_source, NULL);
    }
}

/* Only Gemini models have a second quota, and only those the Gemini CLI knows. */
static gboolean
fall_back_to_gemini_cli (AgAccountLease *self)
{
  g_autofree char *model = NULL;

  if (self->gemini_cli || self->family != AG_MODEL_FAMILY_GEMINI || self->model == NULL ||
      !ag_account_pool_get_dual_quota_pool (self->pool))
    return FALSE;
  /* No request is spent on a pool that has refused every account's tier. */
  if (!ag_account_trouble_gemini_cli_open (ag_account_pool_get_accounts (self->pool)))
    return FALSE;
  model = ag_cloudcode_gemini_cli_model (self->model);
  if (model == NULL)
    return FALSE;
  g_message ("every account rests for %s; trying the Gemini CLI quota (%s)", self->model, model);
  add_attempt (self, "gemini_cli_fallback", 0, 0);
  self->gemini_cli = TRUE;
  g_free (self->pool_model);
  self->pool_model = g_steal_pointer (&model);
  self->waited_for_all = FALSE;
  self->optimistic_reset = FALSE;
  return TRUE;
}

/* Only when the user allowed it, and only for a request no account can serve from free quota: an account with
 * Google One AI credits serves it with enabledCreditTypes (its free-quota rest stays as it is). */
static gboolean
spend_credits (AgAccountLease *self)
{
  GListModel *accounts = ag_account_pool_get_accounts (self->pool);

  if (self->purpose != AG_LEASE_GENERATE || self->model == NULL || !ag_account_pool_get_ai_credits (self->pool))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_trouble_is_unusable (account) || !ag_account_has_ai_credits (account) ||
          g_ptr_array_find (self->tried, account, NULL))
        continue;
      g_message ("no free quota left for %s anywhere; spending the AI credits of %s (balance %" G_GINT64_FORMAT ")",
                 self->model, ag_account_get_email (account), ag_account_get_ai_credits (account, NULL));
      self->account = g_steal_pointer (&account);
      self->credits = TRUE;
      self->gemini_cli = FALSE;
      g_free (self->pool_model);
      self->pool_model = g_strdup (self->model);
      return TRUE;
    }
  return FALSE;
}

/* No account can take the request now; @wait_ms is the shortest rest among those that could later (-1: none). */
static void
no_account_available (AgAccountLease *self, gint64 wait_ms)
{
  gint64 max_wait = self->purpose == AG_LEASE_GENERATE ? ag_account_pool_get_max_wait_in_place_ms (self->pool) : 0;

  if (wait_ms > 0 && (self->shortest_wait_ms < 0 || wait_ms < self->shortest_wait_ms))
    self->shortest_wait_ms = wait_ms;
  if (wait_ms > 0 && wait_ms <= max_wait && !self->waited_for_all)
    {
      self->waited_for_all = TRUE;
      add_attempt (self, "all_limited_wait", 0, wait_ms);
      wait_then_try (self, wait_ms);
      return;
    }
  if (wait_ms > 0 && wait_ms <= max_wait && !self->optimistic_reset)
    {
      /* Our rests are estimates; one more try after forgetting them beats failing (Antigravity-Manager does the
       * same). */
      self->optimistic_reset = TRUE;
      add_attempt (self, "optimistic_reset", 0, 0);
      ag_account_pool_clear_limits (self->pool, self->pool_model);
      try_account (self);
      return;
    }
  if (wait_ms > max_wait && fall_back_to_gemini_cli (self))
    {
      try_account (self);
      return;
    }
  if ((wait_ms > max_wait || self->shortest_wait_ms > max_wait) && spend_credits (self))
    {
      try_account (self);
      return;
    }
  if (self->shortest_wait_ms > 0)
    answer_all_limited (self, self->shortest_wait_ms);
  else
    answer_nothing_usable (self);
  return_final (self);
}

static void
invalidate (AgAccountLease *self, AgAccountState state, const char *reason, const char *url)
{
  ag_account_pool_invalidate (self->pool, self->account, state, reason, url);
}

/* This account cannot serve this request at all (signed out, refused, server trouble): never again for it. */
static void
give_up_on_account (AgAccountLease *self)
{
  g_ptr_array_add (self->tried, g_steal_pointer (&self->account));
  self->renewed_token = FALSE;
}

/* Another account, without holding this one's failure against it for this request (it rests in the pool). */
static void
rotate (AgAccountLease *self)
{
  g_clear_object (&self->account);
  self->renewed_token = FALSE;
}

static gboolean proxy_failed (AgAccountLease *self, const GError *error);

static void
token_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAccountLease) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = ag_account_get_access_token_finish (AG_ACCOUNT (source), result, &error);

  if (token != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_free (self->sent_version);
      self->sent_version = self->config != NULL ? g_strdup (ag_cloudcode_config_get_client_version (self->config))
                                                : NULL;
      g_task_return_pointer (task, token, g_free);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A quota poll only reports it; a request that needed the account says it louder. */
  g_log (G_LOG_DOMAIN, self->purpose == AG_LEASE_POLL ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_WARNING,
         "cannot renew the sign-in of %s: %s", ag_account_get_email (self->account), error->message);
  if (proxy_failed (self, error))
    {
      try_account (self);
      return;
    }
  if (g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT))
    {
      add_attempt (self, "signed_out", 0, 0);
      invalidate (self, AG_ACCOUNT_STATE_SIGNED_OUT, SIGNED_OUT_REASON, NULL);
    }
  else
    add_attempt (self, "sign_in_failed", 0, 0);
  g_clear_error (&self->token_error);
  self->token_error = g_steal_pointer (&error);
  give_up_on_account (self);
  try_account (self);
}

/* In the Gemini CLI pool, the accounts whose tier it refused count as given up on for this request. */
static void
skip_gemini_cli_closed (AgAccountLease *self)
{
  GListModel *accounts = ag_account_pool_get_accounts (self->pool);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_get_gemini_cli_closed (account) && !g_ptr_array_find (self->tried, account, NULL))
        g_ptr_array_add (self->tried, g_steal_pointer (&account));
    }
}

static AgAccount *
pick (AgAccountLease *self, gint64 *wait_ms)
{
  if (self->gemini_cli)
    skip_gemini_cli_closed (self);
  if (self->pinned == NULL)
    return ag_account_pool_pick (self->pool, self->pool_model, self->session_id, self->tried, wait_ms);
  *wait_ms = -1;
  return self->tried->len == 0 ? g_object_ref (self->pinned) : NULL;
}

static void
try_account (AgAccountLease *self)
{
  gint64 wait_ms = -1;

  if (g_task_return_error_if_cancelled (self->task))
    {
      g_clear_object (&self->task);
      return;
    }
  if (self->account == NULL)
    self->account = pick (self, &wait_ms);
  if (self->account == NULL)
    {
      no_account_available (self, wait_ms);
      return;
    }
  /* The account's own proxy carries its token refresh too. */
  ag_account_get_access_token_async (self->account, ag_oauth_client_for_proxy (self->oauth,
                                                                              ag_account_get_proxy (self->account)),
                                     g_task_get_cancellable (self->task), token_ready, g_object_ref (self));
}

void
ag_account_lease_acquire_async (AgAccountLease *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  gint64 wait_ms;

  g_return_if_fail (AG_IS_ACCOUNT_LEASE (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ag_account_lease_acquire_async);
  wait_ms = self->next_wait_ms;
  self->next_wait_ms = 0;
  if (wait_ms > 0)
    wait_then_try (self, wait_ms);
  else
    try_account (self);
}

char *
ag_account_lease_acquire_finish (AgAccountLease *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ── outcomes ───────────────────────────────────────────────────────────────────────────────────────────────── */

void
ag_account_lease_succeeded (AgAccountLease *self)
{
  g_return_if_fail (AG_IS_ACCOUNT_LEASE (self));
  g_return_if_fail (self->account != NULL);

  /* Credits say nothing about the free quota: its rest stays. */
  if (self->purpose != AG_LEASE_POLL && !self->credits)
    ag_account_pool_report_success (self->pool, self->account, self->pool_model);
}

/* An account failed for a reason that rests it: wait on it when the rest is short, else go elsewhere. */
static gboolean
rest (AgAccountLease *self, const char *reason)
{
  AgGoogleError *error = self->last_error;
  gint64 wait;

  if (self->purpose == AG_LEASE_POLL)
    {
      /* A quota reading's refusal says nothing about what the account can generate. */
      answer_google_error (self, error);
      return FALSE;
    }
  wait = ag_account_pool_report_failure (self->pool, self->account, self->pool_model, error);
  g_message ("%s cannot serve %s now (HTTP %u %s): rests %" G_GINT64_FORMAT " ms",
             ag_account_get_email (self->account), self->pool_model != NULL ? self->pool_model : "any model",
             error->http_status, error->reason != NULL ? error->reason : reason, wait);
  if (wait <= 0 || self->purpose == AG_LEASE_UNARY)
    {
      /* A rest configured to nothing must not turn into an instant retry loop; a unary call never waits. */
      add_attempt (self, reason, error->http_status, 0);
      give_up_on_account (self);
      return TRUE;
    }
  if (wait <= ag_account_pool_get_max_wait_in_place_ms (self->pool) && self->in_place_retries < MAX_IN_PLACE_RETRIES)
    {
      self->in_place_retries++;
      add_attempt (self, reason, error->http_status, wait);
      self->next_wait_ms = wait;
      return TRUE;
    }
  add_attempt (self, reason, error->http_status, 0);
  rotate (self);
  return TRUE;
}

gboolean
ag_account_lease_failed (AgAccountLease *self, AgGoogleError *error)
{
  const char *reason;

  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);
  g_return_val_if_fail (self->account != NULL, FALSE);

  g_clear_pointer (&self->last_error, ag_google_error_free);
  self->last_error = error;
  reason = failure_reason (error->kind);
  /* A rest records its attempt with the wait it chose. */
  if (!(error->kind == AG_UPSTREAM_FAILURE_RATE_LIMIT || error->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED ||
        error->kind == AG_UPSTREAM_FAILURE_CAPACITY) || self->purpose == AG_LEASE_POLL)
    add_attempt (self, reason, error->http_status, 0);
  switch (error->kind)
    {
    case AG_UPSTREAM_FAILURE_AUTH:
      if (!self->renewed_token)
        {
          /* A token revoked before its expiry: renew once before giving up on the account. */
          self->renewed_token = TRUE;
          ag_account_invalidate_access_token (self->account);
          return TRUE;
        }
      give_up_on_account (self);
      return self->purpose == AG_LEASE_POLL ? (answer_google_error (self, error), FALSE) : TRUE;
    case AG_UPSTREAM_FAILURE_RATE_LIMIT:
    case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED:
    case AG_UPSTREAM_FAILURE_CAPACITY:
      return rest (self, reason);
    case AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED:
      invalidate (self, AG_ACCOUNT_STATE_VALIDATION_REQUIRED, VALIDATION_REASON, error->validation_url);
      give_up_on_account (self);
      return self->purpose == AG_LEASE_POLL ? (answer_google_error (self, error), FALSE) : TRUE;
    case AG_UPSTREAM_FAILURE_BANNED:
      /* Never retried: only the user can bring it back (after an appeal). */
      invalidate (self, AG_ACCOUNT_STATE_BANNED, error->message,
                  error->validation_url != NULL ? error->validation_url : AG_BAN_APPEAL_URL);
      give_up_on_account (self);
      return self->purpose == AG_LEASE_POLL ? (answer_google_error (self, error), FALSE) : TRUE;
    case AG_UPSTREAM_FAILURE_CREDITS_EXHAUSTED:
      /* This account has no credits left: never a rest of its free quota; another account's credits may serve. */
      g_message ("%s has no Google One AI credits left", ag_account_get_email (self->account));
      ag_account_set_ai_credits (self->account, 0, 0);
      give_up_on_account (self);
      if (self->credits)
        {
          /* Nothing was spent; the next account with credits, if any, sets it again. */
          self->credits = FALSE;
          return TRUE;
        }
      answer_google_error (self, error);
      return FALSE;
    case AG_UPSTREAM_FAILURE_INELIGIBLE_TIER:
      if (!self->gemini_cli)
        {
          answer_google_error (self, error);
          return FALSE;
        }
      /* Lasting: the pool is closed to this tier, so the fallback never spends a request on it again. */
      g_message ("the Gemini CLI quota no longer serves %s (its tier is refused); its fallback is off",
                 ag_account_get_email (self->account));
      ag_account_set_gemini_cli_closed (self->account, TRUE);
      give_up_on_account (self);
      return TRUE;
    case AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED:
      invalidate (self, AG_ACCOUNT_STATE_DISABLED, error->message, error->validation_url);
      give_up_on_account (self);
      return self->purpose == AG_LEASE_POLL ? (answer_google_error (self, error), FALSE) : TRUE;
    case AG_UPSTREAM_FAILURE_CLIENT_OUTDATED:
      /* The version check moved to a newer release since this attempt went out: ask again with it, once. */
      if (!self->retried_for_version && self->config != NULL &&
          g_strcmp0 (self->sent_version, ag_cloudcode_config_get_client_version (self->config)) != 0)
        {
          self->retried_for_version = TRUE;
          return TRUE;
        }
      g_message ("Google refused client version %s as too old; checking for the current release",
                 self->sent_version != NULL ? self->sent_version : "-");
      answer_google_error (self, error);
      self->answer.retry_after_s = OUTDATED_RETRY_AFTER_S;
      self->answer.no_retry = FALSE;
      self->answer.client_outdated = TRUE;
      return FALSE;
    case AG_UPSTREAM_FAILURE_HISTORY:
      /* Nothing to do with the account: the same one gets the history once more, repaired harder by the caller
       * (ag_account_lease_get_history_retry); a second refusal is the answer. */
      if (!self->history_retried)
        {
          self->history_retried = TRUE;
          return TRUE;
        }
      answer_google_error (self, error);
      return FALSE;
    case AG_UPSTREAM_FAILURE_SERVER:
      /* Every endpoint already failed for this account; another account may be served by a healthier backend. */
      give_up_on_account (self);
      return self->purpose == AG_LEASE_POLL ? (answer_google_error (self, error), FALSE) : TRUE;
    default:
      /* The Gemini CLI pool may not know a model the Antigravity pool has: the Antigravity limits are the news. */
      if (self->gemini_cli && self->shortest_wait_ms > 0 &&
          (error->kind == AG_UPSTREAM_FAILURE_NOT_FOUND || error->kind == AG_UPSTREAM_FAILURE_BAD_REQUEST))
        answer_all_limited (self, self->shortest_wait_ms);
      else
        answer_google_error (self, error);
      return FALSE;
    }
}

/* ── an account's own proxy ── */

/* How long an account whose own proxy did not answer rests (every model) before it is tried again. */
#define PROXY_REST_MS (60 * 1000)

/* An account with its own proxy that could not reach Google failed by its proxy, not by the network everyone
 * shares: it is left out for this request, the next account tried, and it rests a minute, so the following
 * requests do not each wait on a proxy that is down first. */
static gboolean
proxy_failed (AgAccountLease *self, const GError *error)
{
  const char *proxy = self->account != NULL ? ag_account_get_proxy (self->account) : NULL;
  g_autofree char *shown = NULL;

  if (proxy == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (error->domain != G_IO_ERROR && error->domain != G_RESOLVER_ERROR && error->domain != G_TLS_ERROR &&
       !g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_UNREACHABLE)))
    return FALSE;
  shown = ag_upstream_proxy_uri_display (proxy);
  g_message ("%s: proxy unreachable (%s): %s; resting it for %d s", ag_account_get_email (self->account), shown,
             error->message, PROXY_REST_MS / 1000);
  ag_account_set_proxy_rest_until (self->account, ag_account_pool_now_ms (self->pool) + PROXY_REST_MS);
  add_attempt (self, "proxy_unreachable", 0, 0);
  give_up_on_account (self);
  return TRUE;
}

gboolean
ag_account_lease_unreachable (AgAccountLease *self, const GError *error)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);

  if (proxy_failed (self, error))
    return TRUE;
  add_attempt (self, "network", 0, 0);
  set_answer (self, 502, "api_error", g_strdup_printf ("cannot reach Cloud Code: %s", error->message));
  return FALSE;
}

gboolean
ag_account_lease_get_history_retry (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  return self->history_retried;
}

gboolean
ag_account_lease_may_retry_empty (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  return self->empty_retries < ag_account_pool_get_empty_answer_retries (self->pool);
}

gboolean
ag_account_lease_empty_answer (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);

  if (!ag_account_lease_may_retry_empty (self))
    return FALSE;
  self->empty_retries++;
  g_message ("%s sent an empty answer for %s; asking again", ag_account_get_email (self->account),
             self->pool_model);
  add_attempt (self, "empty", 200, 0);
  return TRUE;
}
