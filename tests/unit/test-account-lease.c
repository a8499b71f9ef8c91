/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for AgAccountLease, the one place that decides what a failure means for an account: for each kind of
 * Google failure and each purpose (a model's answer, a unary call, a quota poll), whether the request goes on and
 * on which account, what rests, what is marked unusable, what the request log is told, and the final answer.
 * The pool runs on a fake clock; accounts carry seeded tokens, and a token refresh goes to a closed port. */
#include "ag-account-lease.h"
#include "ag-account-pool-private.h"
#include "ag-test-clock.h"

#define MODEL "claude-sonnet-4-6"

typedef struct {
  AgAccountPool     *pool;
  AgOAuthClient     *oauth;
  AgCloudcodeConfig *config;
  AgAccount         *a, *b;
  GString           *attempts;
} Fixture;

static AgAccount *
account_with_token (const char *email)
{
  g_autofree char *project = g_strdup_printf ("proj-%c", email[0]);
  g_autofree char *token = g_strdup_printf ("token-%c", email[0]);
  AgAccount *account = ag_account_new (email, project, "refresh");

  ag_account_set_access_token (account, token, g_get_real_time () / G_USEC_PER_SEC + 3600);
  return account;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  /* A refresh must fail at once, never reach Google. */
  g_setenv ("AGCL_OAUTH_TOKEN_URL", "http://127.0.0.1:1/token", TRUE);
  f->config = ag_cloudcode_config_new_from_env ();
  f->oauth = ag_oauth_client_new (f->config, session);
  f->pool = ag_account_pool_new ();
  ag_test_clock_install (f->pool);
  ag_account_pool_set_strategy (f->pool, AG_SELECTION_FILL_FIRST);
  f->a = account_with_token ("a@example.com");
  f->b = account_with_token ("b@example.com");
  ag_account_pool_add (f->pool, f->a);
  ag_account_pool_add (f->pool, f->b);
  f->attempts = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->a);
  g_object_unref (f->b);
  g_object_unref (f->pool);
  g_object_unref (f->oauth);
  g_object_unref (f->config);
  g_string_free (f->attempts, TRUE);
}

static void
on_attempt (AgAccountLease *lease, const char *account, const char *reason, guint status, gint64 wait_ms,
            gpointer user_data)
{
  Fixture *f = user_data;

  g_string_append_printf (f->attempts, "%s %s %u%s;", account != NULL ? account : "-", reason, status,
                          wait_ms > 0 ? " wait" : "");
}

static AgAccountLease *
new_lease (Fixture *f, AgLeasePurpose purpose, AgAccount *pinned)
{
  AgLeaseOptions options = { .purpose = purpose, .model = MODEL, .family = AG_MODEL_FAMILY_CLAUDE,
                             .account = pinned };
  AgAccountLease *lease = ag_account_lease_new (f->pool, f->oauth, f->config, &options);

  g_signal_connect (lease, "attempt", G_CALLBACK (on_attempt), f);
  return lease;
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The e-mail of the account acquired, or NULL with @error set. */
static const char *
acquire (AgAccountLease *lease, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;

  ag_account_lease_acquire_async (lease, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = ag_account_lease_acquire_finish (lease, result, error);
  if (token == NULL)
    return NULL;
  return ag_account_get_email (ag_account_lease_get_account (lease));
}

static AgGoogleError *
google_error (guint status, const char *reason, const char *delay, const char *message)
{
  g_autofree char *body = g_strdup_printf (
    "{\"error\":{\"code\":%u,\"status\":\"%s\",\"message\":\"%s\",\"details\":["
    "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"%s\","
    "\"metadata\":{\"validation_url\":\"https://accounts.google.com/verify\"}},"
    "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"%s\"}]}}",
    status, status == 429 ? "RESOURCE_EXHAUSTED" : status == 403 ? "PERMISSION_DENIED" : "INTERNAL",
    message != NULL ? message : "refused", reason != NULL ? reason : "OTHER", delay != NULL ? delay : "0s");

  return ag_google_error_parse (status, body, strlen (body));
}

/* ── one failure, table-driven ───────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  const char    *name;
  AgLeasePurpose purpose;
  guint          status;
  const char    *reason;
  const char    *delay;
  const char    *message;
  gboolean       goes_on;          /* ag_account_lease_failed returned TRUE */
  const char    *next_account;     /* the next acquire's account, or NULL when it fails */
  const char    *attempts;         /* what the request log was told, up to the next acquire */
  AgAccountState a_state;          /* what became of account a */
  gboolean       a_rests;          /* whether a rests for MODEL afterwards */
  guint          answer_status;    /* when the answer is final */
  gboolean       answer_no_retry;
  guint          answer_retry_after;
  gboolean       answer_outdated;
} FailureCase;

static const FailureCase failure_cases[] = {
  { "short-rate-limit-waits-in-place", AG_LEASE_GENERATE, 429, "RATE_LIMIT_EXCEEDED", "0.05s", NULL,
    TRUE, "a@example.com", "a@example.com rate_limit 429 wait;", AG_ACCOUNT_STATE_VALID, TRUE },
  { "long-quota-rotates", AG_LEASE_GENERATE, 429, "QUOTA_EXHAUSTED", "3h", NULL,
    TRUE, "b@example.com", "a@example.com quota 429;", AG_ACCOUNT_STATE_VALID, TRUE },
  { "unary-rate-limit-gives-up-on-account", AG_LEASE_UNARY, 429, "RATE_LIMIT_EXCEEDED", "0.05s", NULL,
    TRUE, "b@example.com", "a@example.com rate_limit 429;", AG_ACCOUNT_STATE_VALID, FALSE },
  { "validation-marks-and-rotates", AG_LEASE_GENERATE, 403, "VALIDATION_REQUIRED", NULL,
    "Verify your account to continue.", TRUE, "b@example.com", "a@example.com validation_required 403;",
    AG_ACCOUNT_STATE_VALIDATION_REQUIRED, FALSE },
  { "server-error-rotates", AG_LEASE_GENERATE, 500, NULL, NULL, NULL,
    TRUE, "b@example.com", "a@example.com server_error 500;", AG_ACCOUNT_STATE_VALID, FALSE },
  { "bad-request-is-final", AG_LEASE_GENERATE, 400, NULL, NULL, "Invalid JSON payload",
    FALSE, NULL, "a@example.com bad_request 400;", AG_ACCOUNT_STATE_VALID, FALSE, 400, FALSE, 0, FALSE },
  { "outdated-client-is-final-and-retryable", AG_LEASE_GENERATE, 400, NULL, NULL,
    "This version of Antigravity is no longer supported. Please update to receive the latest features!",
    FALSE, NULL, "a@example.com client_outdated 400;", AG_ACCOUNT_STATE_VALID, FALSE, 503, FALSE, 5, TRUE },
  { "poll-never-rests-an-account", AG_LEASE_POLL, 429, "QUOTA_EXHAUSTED", "3h", NULL,
    FALSE, NULL, "a@example.com quota 429;", AG_ACCOUNT_STATE_VALID, FALSE, 429, FALSE, 0, FALSE },
};

static void
test_failure (Fixture *f, gconstpointer data)
{
  const FailureCase *c = data;
  g_autoptr(AgAccountLease) lease = new_lease (f, c->purpose, c->purpose == AG_LEASE_POLL ? f->a : NULL);
  g_autoptr(GError) error = NULL;
  const AgLeaseAnswer *answer;

  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_cmpint (ag_account_lease_failed (lease, google_error (c->status, c->reason, c->delay, c->message)), ==,
                   c->goes_on);
  if (c->goes_on)
    {
      g_assert_cmpstr (acquire (lease, &error), ==, c->next_account);
      g_assert_no_error (error);
    }
  g_assert_cmpstr (f->attempts->str, ==, c->attempts);
  g_assert_cmpint (ag_account_get_state (f->a), ==, c->a_state);
  g_assert_cmpint (ag_account_pool_get_remaining_ms (f->pool, f->a, MODEL) > 0, ==, c->a_rests);
  answer = ag_account_lease_get_answer (lease);
  if (c->goes_on)
    {
      g_assert_null (answer);
      return;
    }
  g_assert_nonnull (answer);
  g_assert_cmpuint (answer->status, ==, c->answer_status);
  g_assert_cmpint (answer->no_retry, ==, c->answer_no_retry);
  g_assert_cmpuint (answer->retry_after_s, ==, c->answer_retry_after);
  g_assert_cmpint (answer->client_outdated, ==, c->answer_outdated);
  g_assert_nonnull (answer->message);
}

/* ── the pool's edges ───────────────────────────────────────────────────────────────────────────────────────── */

/* Every account has used up its quota for hours: a final 429 that names the model and tells the client to stop. */
static void
test_all_exhausted (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(GError) error = NULL;
  const AgLeaseAnswer *answer;

  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_true (ag_account_lease_failed (lease, google_error (429, "QUOTA_EXHAUSTED", "3h", NULL)));
  g_assert_cmpstr (acquire (lease, &error), ==, "b@example.com");
  g_assert_true (ag_account_lease_failed (lease, google_error (429, "QUOTA_EXHAUSTED", "2h", NULL)));
  g_assert_null (acquire (lease, &error));
  g_assert_error (error, AG_LEASE_ERROR, AG_LEASE_ERROR_FINAL);
  answer = ag_account_lease_get_answer (lease);
  g_assert_cmpuint (answer->status, ==, 429);
  g_assert_cmpstr (answer->error_type, ==, "rate_limit_error");
  g_assert_true (answer->no_retry);
  g_assert_cmpuint (answer->retry_after_s, ==, 0);
  g_assert_true (g_str_has_prefix (answer->message, "All 2 Google accounts have used up their quota for " MODEL));
  g_assert_nonnull (strstr (answer->message, "in 2 h 00 min"));
}

/* Every account rests briefly: wait once, then forget the (estimated) rests once, then serve. */
static void
test_all_short_wait_then_optimistic_reset (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(AgGoogleError) limit = google_error (429, "RATE_LIMIT_EXCEEDED", "0.05s", NULL);
  g_autoptr(GError) error = NULL;

  ag_account_pool_report_failure (f->pool, f->a, MODEL, limit);
  ag_account_pool_report_failure (f->pool, f->b, MODEL, limit);
  /* The fake clock stands still, so the rests are still in force after the real wait. */
  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_no_error (error);
  g_assert_cmpstr (f->attempts->str, ==, "- all_limited_wait 0 wait;- optimistic_reset 0;");
}

static void
test_no_accounts (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = NULL;
  g_autoptr(GError) error = NULL;
  const AgLeaseAnswer *answer;

  ag_account_pool_remove (f->pool, "a@example.com");
  ag_account_pool_remove (f->pool, "b@example.com");
  lease = new_lease (f, AG_LEASE_UNARY, NULL);
  g_assert_null (acquire (lease, &error));
  g_assert_error (error, AG_LEASE_ERROR, AG_LEASE_ERROR_FINAL);
  answer = ag_account_lease_get_answer (lease);
  g_assert_cmpuint (answer->status, ==, 503);
  g_assert_true (answer->no_retry);
  g_assert_true (g_str_has_prefix (answer->message, "ag-cl has no Google account to use"));
}

/* A revoked token is renewed once on the same account; when the renewal fails, the account is left for this
 * request and the next one serves. */
static void
test_auth_renews_then_moves_on (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_test_expect_message ("ag-cl-accounts", G_LOG_LEVEL_WARNING, "cannot renew the sign-in of a@example.com*");
  g_assert_true (ag_account_lease_failed (lease, google_error (401, NULL, NULL, "invalid token")));
  g_assert_cmpstr (acquire (lease, &error), ==, "b@example.com");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (f->attempts->str, ==, "a@example.com auth 401;a@example.com sign_in_failed 0;");
  g_assert_cmpint (ag_account_get_state (f->a), ==, AG_ACCOUNT_STATE_VALID);
}

static void
test_empty_answer_retries (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(GError) error = NULL;

  ag_account_pool_set_empty_answer_retries (f->pool, 2);
  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_true (ag_account_lease_empty_answer (lease));
  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_true (ag_account_lease_empty_answer (lease));
  g_assert_false (ag_account_lease_empty_answer (lease));
  g_assert_cmpstr (f->attempts->str, ==, "a@example.com empty 200;a@example.com empty 200;");
}

static void
test_unreachable (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) network = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");

  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  ag_account_lease_unreachable (lease, network);
  g_assert_cmpuint (ag_account_lease_get_answer (lease)->status, ==, 502);
  g_assert_cmpstr (ag_account_lease_get_answer (lease)->message, ==, "cannot reach Cloud Code: refused");
  g_assert_cmpstr (f->attempts->str, ==, "a@example.com network 0;");
}

/* A 407 is never Google's: for an account with its own proxy it is that proxy refusing (libsoup passes a refused
 * CONNECT on as the answer), so the account rests as its proxy's failure and the next one serves. */
static void
test_proxy_wants_credentials (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(GError) error = NULL;

  ag_account_set_proxy (f->a, "http://agcl@127.0.0.1:3128");
  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_true (ag_account_lease_failed (lease, google_error (407, NULL, NULL, "Proxy Authentication Required")));
  g_assert_cmpstr (acquire (lease, &error), ==, "b@example.com");
  g_assert_cmpstr (f->attempts->str, ==, "a@example.com proxy_unreachable 0;");
  g_assert_null (ag_account_lease_get_answer (lease));
}

/* A client that hangs up during a wait ends the wait at once. */
static void
test_cancelled_wait (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccountLease) lease = new_lease (f, AG_LEASE_GENERATE, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_cmpstr (acquire (lease, &error), ==, "a@example.com");
  g_assert_true (ag_account_lease_failed (lease, google_error (429, "RATE_LIMIT_EXCEEDED", "1.5s", NULL)));
  ag_account_lease_acquire_async (lease, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = ag_account_lease_acquire_finish (lease, result, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/account-lease/failure/%s", failure_cases[i].name);

      g_test_add (path, Fixture, &failure_cases[i], fixture_set_up, test_failure, fixture_tear_down);
    }
  g_test_add ("/account-lease/all-exhausted", Fixture, NULL, fixture_set_up, test_all_exhausted, fixture_tear_down);
  g_test_add ("/account-lease/all-short-wait-then-optimistic-reset", Fixture, NULL, fixture_set_up,
              test_all_short_wait_then_optimistic_reset, fixture_tear_down);
  g_test_add ("/account-lease/no-accounts", Fixture, NULL, fixture_set_up, test_no_accounts, fixture_tear_down);
  g_test_add ("/account-lease/auth-renews-then-moves-on", Fixture, NULL, fixture_set_up,
              test_auth_renews_then_moves_on, fixture_tear_down);
  g_test_add ("/account-lease/empty-answer-retries", Fixture, NULL, fixture_set_up, test_empty_answer_retries,
              fixture_tear_down);
  g_test_add ("/account-lease/unreachable", Fixture, NULL, fixture_set_up, test_unreachable, fixture_tear_down);
  g_test_add ("/account-lease/proxy-wants-credentials", Fixture, NULL, fixture_set_up, test_proxy_wants_credentials,
              fixture_tear_down);
  g_test_add ("/account-lease/cancelled-wait", Fixture, NULL, fixture_set_up, test_cancelled_wait,
              fixture_tear_down);
  return g_test_run ();
}
