// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-lease-verdict.c — the one place that decides what a failure means for an account (rest, wait in
 * place, rotate, renew the token, mark it unusable, retry the history, give up) and what the client is told. */
#include "ag-account-lease-private.h"
#include "ag-account-trouble.h"
#include "ag-cloudcode-client.h"
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

const AgLeaseAnswer *
ag_account_lease_get_answer (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), NULL);
  return self->answer.status != 0 ? &self->answer : NULL;
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
void
ag_account_lease_answer_all_limited (AgAccountLease *self, gint64 wait_ms)
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
void
ag_account_lease_answer_nothing_usable (AgAccountLease *self)
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

/* ── what a failure means ─────────────────────────────────────────────────────────────────────────────────── */

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

/* ── an account's own proxy ── */

/* How long an account whose own proxy did not answer rests (every model) before it is tried again. */
#define PROXY_REST_MS (60 * 1000)

/* An account with its own proxy that could not reach Google failed by its proxy, not by the network everyone
 * shares: it is left out for this request, the next account tried, and it rests a minute, so the following
 * requests do not each wait on a proxy that is down first. */
static void
rest_for_proxy (AgAccountLease *self, const char *why)
{
  g_autofree char *shown = ag_upstream_proxy_uri_display (ag_account_get_proxy (self->account));

  g_message ("%s: proxy unreachable (%s): %s; resting it for %d s", ag_account_get_email (self->account), shown,
             why, PROXY_REST_MS / 1000);
  ag_account_set_proxy_rest_until (self->account, ag_account_pool_now_ms (self->pool) + PROXY_REST_MS);
  ag_account_lease_add_attempt (self, "proxy_unreachable", 0, 0);
  give_up_on_account (self);
}

static gboolean
has_own_proxy (AgAccountLease *self)
{
  return self->account != NULL && ag_account_get_proxy (self->account) != NULL;
}

static gboolean
proxy_failed (AgAccountLease *self, const GError *error)
{
  /* The token refresh meets a dead proxy as AG_OAUTH_ERROR_UNREACHABLE; a call with a token still good, as the
   * Cloud Code client's AG_UPSTREAM_ERROR_NETWORK. */
  if (!has_own_proxy (self) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (error->domain != G_IO_ERROR && error->domain != G_RESOLVER_ERROR && error->domain != G_TLS_ERROR &&
       !g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_UNREACHABLE) &&
       !g_error_matches (error, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_NETWORK)))
    return FALSE;
  rest_for_proxy (self, error->message);
  return TRUE;
}

gboolean
ag_account_lease_unreachable (AgAccountLease *self, const GError *error)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);

  if (proxy_failed (self, error))
    return TRUE;
  ag_account_lease_add_attempt (self, "network", 0, 0);
  set_answer (self, 502, "api_error", g_strdup_printf ("cannot reach Cloud Code: %s", error->message));
  return FALSE;
}

void
ag_account_lease_token_failed (AgAccountLease *self, GError *error)
{
  /* A quota poll only reports it; a request that needed the account says it louder. */
  g_log (G_LOG_DOMAIN, self->purpose == AG_LEASE_POLL ? G_LOG_LEVEL_MESSAGE : G_LOG_LEVEL_WARNING,
         "cannot renew the sign-in of %s: %s", ag_account_get_email (self->account), error->message);
  if (proxy_failed (self, error))
    {
      g_error_free (error);
      return;
    }
  if (g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT))
    {
      ag_account_lease_add_attempt (self, "signed_out", 0, 0);
      invalidate (self, AG_ACCOUNT_STATE_SIGNED_OUT, SIGNED_OUT_REASON, NULL);
    }
  else
    ag_account_lease_add_attempt (self, "sign_in_failed", 0, 0);
  g_clear_error (&self->token_error);
  self->token_error = error;
  give_up_on_account (self);
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
      ag_account_lease_add_attempt (self, reason, error->http_status, 0);
      give_up_on_account (self);
      return TRUE;
    }
  if (wait <= ag_account_pool_get_max_wait_in_place_ms (self->pool) && self->in_place_retries < MAX_IN_PLACE_RETRIES)
    {
      self->in_place_retries++;
      ag_account_lease_add_attempt (self, reason, error->http_status, wait);
      self->next_wait_ms = wait;
      return TRUE;
    }
  ag_account_lease_add_attempt (self, reason, error->http_status, 0);
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
  /* Google never answers 407: it is the account's proxy asking for credentials it lacks (libsoup passes the
   * refused CONNECT on as the answer). */
  if (error->http_status == 407 && has_own_proxy (self))
    {
      rest_for_proxy (self, "HTTP 407, the proxy wants credentials");
      return TRUE;
    }
  reason = failure_reason (error->kind);
  /* A rest records its attempt with the wait it chose. */
  if (!(error->kind == AG_UPSTREAM_FAILURE_RATE_LIMIT || error->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED ||
        error->kind == AG_UPSTREAM_FAILURE_CAPACITY) || self->purpose == AG_LEASE_POLL)
    ag_account_lease_add_attempt (self, reason, error->http_status, 0);
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
        ag_account_lease_answer_all_limited (self, self->shortest_wait_ms);
      else
        answer_google_error (self, error);
      return FALSE;
    }
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
  ag_account_lease_add_attempt (self, "empty", 200, 0);
  return TRUE;
}
