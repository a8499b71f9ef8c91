/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for account selection on a fake clock: every strategy's order, sessions, the preferred account, per-model
 * rests, the quota poller's zeros, optimistic reset, invalidation and the signals observers rely on. */
#include "ag-account-pool-private.h"
#include "ag-test-clock.h"

#define MODEL "claude-sonnet-4-6"

typedef struct {
  AgAccountPool *pool;
  AgAccount     *a, *b, *c;
  guint          changed;
  GPtrArray     *invalidated;
  GString       *rate_limited;
} Fixture;

static void
on_rate_limited (AgAccountPool *pool, AgAccount *account, const char *model, guint kind, gint64 until_ms,
                 gpointer user_data)
{
  Fixture *f = user_data;

  g_string_append_printf (f->rate_limited, "%s %s %u +%" G_GINT64_FORMAT ";", ag_account_get_email (account), model,
                          kind, until_ms - ag_test_now);
}

static void
on_changed (AgAccountPool *pool, gpointer user_data)
{
  ((Fixture *) user_data)->changed++;
}

static void
on_invalidated (AgAccountPool *pool, AgAccount *account, gpointer user_data)
{
  g_ptr_array_add (((Fixture *) user_data)->invalidated, g_object_ref (account));
}

static void
fixture_set_up (Fixture *f, gconstpointer strategy)
{
  f->pool = ag_account_pool_new ();
  ag_test_clock_install (f->pool);
  ag_account_pool_set_strategy (f->pool, GPOINTER_TO_INT (strategy));
  f->a = ag_account_new ("a@example.com", "proj-a", "rt-a");
  f->b = ag_account_new ("b@example.com", "proj-b", "rt-b");
  f->c = ag_account_new ("c@example.com", "proj-c", "rt-c");
  ag_account_pool_add (f->pool, f->a);
  ag_account_pool_add (f->pool, f->b);
  ag_account_pool_add (f->pool, f->c);
  f->invalidated = g_ptr_array_new_with_free_func (g_object_unref);
  f->rate_limited = g_string_new (NULL);
  g_signal_connect (f->pool, "rate-limited", G_CALLBACK (on_rate_limited), f);
  g_signal_connect (f->pool, "changed", G_CALLBACK (on_changed), f);
  g_signal_connect (f->pool, "account-invalidated", G_CALLBACK (on_invalidated), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer strategy)
{
  g_object_unref (f->a);
  g_object_unref (f->b);
  g_object_unref (f->c);
  g_ptr_array_unref (f->invalidated);
  g_string_free (f->rate_limited, TRUE);
  g_assert_finalize_object (f->pool);
}

/* The e-mail of the account picked (the reference is dropped), or "-" when none. */
static const char *
pick (Fixture *f, const char *model, const char *session)
{
  g_autoptr(AgAccount) account = ag_account_pool_pick (f->pool, model, session, NULL, NULL);

  return account != NULL ? ag_account_get_email (account) : "-";
}

static AgGoogleError
failure (AgUpstreamFailure kind, gint64 delay_ms)
{
  AgGoogleError error = { 0 };

  error.http_status = 429;
  error.kind = kind;
  error.retry_delay_ms = delay_ms;
  error.reset_time_ms = -1;
  return error;
}

static void
rest (Fixture *f, AgAccount *account, const char *model, gint64 delay_ms)
{
  AgGoogleError error = failure (AG_UPSTREAM_FAILURE_RATE_LIMIT, delay_ms);

  g_assert_cmpint (ag_account_pool_report_failure (f->pool, account, model, &error), ==, delay_ms);
}

static void
test_fill_first (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s2"), ==, "a@example.com");
  rest (f, f->a, MODEL, 60000);
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "b@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "b@example.com");
  /* The rest is per model. */
  g_assert_cmpstr (pick (f, "gemini-3-flash", NULL), ==, "a@example.com");
  ag_test_now += 60000;
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
}

static void
test_round_robin (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "b@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "c@example.com");
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  rest (f, f->b, MODEL, 5000);
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "c@example.com");
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "c@example.com");
  ag_account_set_enabled (f->c, FALSE);
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  ag_test_now += 5000;
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "b@example.com");
}

static void
test_sticky (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s2"), ==, "a@example.com");
  /* A long rest moves everyone to the next account, and they stay there after the rest ends. */
  rest (f, f->a, MODEL, 60000);
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "b@example.com");
  ag_test_now += 61000;
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "b@example.com");
  rest (f, f->b, MODEL, 60000);
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "c@example.com");
  /* Failover wraps around in pool order. */
  rest (f, f->c, MODEL, 60000);
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
}

static void
test_sticky_short_rest_keeps_binding (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
  rest (f, f->a, MODEL, 1500);
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "b@example.com");
  ag_test_now += 1500;
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
}

static void
test_hybrid_sessions (Fixture *f, gconstpointer data)
{
  /* Every fresh account first, in pool order. */
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  ag_test_now += 1000;
  g_assert_cmpstr (pick (f, MODEL, "s2"), ==, "b@example.com");
  ag_test_now += 1000;
  g_assert_cmpstr (pick (f, MODEL, "s3"), ==, "c@example.com");
  ag_test_now += 1000;
  /* Sessions stick. */
  g_assert_cmpstr (pick (f, MODEL, "s2"), ==, "b@example.com");
  ag_test_now += 1000;
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  ag_test_now += 1000;
  g_assert_cmpstr (pick (f, MODEL, "s3"), ==, "c@example.com");
  /* A new session goes to the best score; with equal health and quota, the account idle longest (b). */
  ag_test_now += 10000;
  g_assert_cmpstr (pick (f, MODEL, "s4"), ==, "b@example.com");
  /* b, just used and rate-limited on another model (health −10), scores below a, idle longest again. */
  rest (f, f->b, "other-model", 1000);
  ag_test_now += 10000;
  g_assert_cmpstr (pick (f, MODEL, "s5"), ==, "a@example.com");
  /* A session whose account rests long moves for good. */
  rest (f, f->b, MODEL, 60000);
  g_assert_cmpstr (pick (f, MODEL, "s2"), !=, "b@example.com");
  ag_test_now += 60000;
  g_assert_cmpstr (pick (f, MODEL, "s2"), !=, "b@example.com");
  /* Requests without a session id stick together too. */
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, pick (f, MODEL, NULL));
}

static void
test_hybrid_short_rest_keeps_session (Fixture *f, gconstpointer data)
{
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  rest (f, f->a, MODEL, 2000);
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "b@example.com");
  ag_test_now += 2000;
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
}

static void
test_preferred_account (Fixture *f, gconstpointer data)
{
  ag_account_pool_set_preferred_account (f->pool, "c@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "c@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s2"), ==, "c@example.com");
  rest (f, f->c, MODEL, 60000);
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  ag_account_pool_set_preferred_account (f->pool, "");
  ag_test_now += 60000;
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
  ag_account_pool_set_preferred_account (f->pool, "nobody@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");
}

static void
test_all_resting (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) exclude = g_ptr_array_new ();
  g_autoptr(GPtrArray) limits = NULL;
  AgAccount *none;
  gint64 wait = 0;

  rest (f, f->a, MODEL, 5000);
  rest (f, f->b, MODEL, 1200);
  rest (f, f->c, MODEL, 3000);
  g_assert_cmpuint (f->changed, ==, 3);
  none = ag_account_pool_pick (f->pool, MODEL, "s1", NULL, &wait);
  g_assert_null (none);
  g_assert_cmpint (wait, ==, 1200);
  g_assert_cmpint (ag_account_pool_get_remaining_ms (f->pool, f->c, MODEL), ==, 3000);
  limits = ag_account_pool_list_limits (f->pool);
  g_assert_cmpuint (limits->len, ==, 3);
  g_assert_cmpstr (((AgRateLimit *) g_ptr_array_index (limits, 0))->account, ==, "b@example.com");

  /* Excluded and disabled accounts do not count as "soon free". */
  g_ptr_array_add (exclude, f->b);
  ag_account_set_enabled (f->c, FALSE);
  g_assert_null (ag_account_pool_pick (f->pool, MODEL, NULL, exclude, &wait));
  g_assert_cmpint (wait, ==, 5000);
  ag_account_set_enabled (f->a, FALSE);
  g_assert_null (ag_account_pool_pick (f->pool, MODEL, NULL, exclude, &wait));
  g_assert_cmpint (wait, ==, -1);
  ag_account_set_enabled (f->a, TRUE);
  ag_account_set_enabled (f->c, TRUE);

  /* Optimistic reset: the model's rests are forgotten at once. */
  g_assert_true (ag_account_pool_clear_limits (f->pool, MODEL));
  g_assert_cmpuint (f->changed, ==, 4);
  g_assert_false (ag_account_pool_clear_limits (f->pool, MODEL));
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "a@example.com");

  /* A success ends a rest early and tells observers. */
  rest (f, f->a, MODEL, 5000);
  ag_account_pool_report_success (f->pool, f->a, MODEL);
  g_assert_cmpuint (f->changed, ==, 6);
  g_assert_cmpint (ag_account_pool_get_remaining_ms (f->pool, f->a, MODEL), ==, 0);
}

static void
test_quota_zero_skipped (Fixture *f, gconstpointer data)
{
  gint64 wait = 0;

  ag_account_set_model_quota (f->a, MODEL, 0.0, ag_test_now + 90000);
  ag_account_set_model_quota (f->b, MODEL, 0.0, ag_test_now + 30000);
  ag_account_set_model_quota (f->c, MODEL, 0.0, ag_test_now + 60000);
  g_assert_null (ag_account_pool_pick (f->pool, MODEL, NULL, NULL, &wait));
  g_assert_cmpint (wait, ==, 30000);
  g_assert_cmpstr (pick (f, "gemini-3-flash", NULL), ==, "a@example.com");
  ag_test_now += 30000;
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "b@example.com");
  /* Hybrid: c is still fresh; then the higher remaining fraction (c 0.9) beats a longer idle time (a 0.2). */
  ag_account_set_model_quota (f->a, MODEL, 0.2, ag_test_now + 90000);
  ag_account_set_model_quota (f->c, MODEL, 0.9, ag_test_now + 90000);
  ag_account_set_model_quota (f->b, MODEL, 0.0, ag_test_now + 90000);
  g_assert_cmpstr (pick (f, MODEL, "s9"), ==, "c@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s10"), ==, "c@example.com");
  ag_account_set_model_quota (f->c, MODEL, 0.1, ag_test_now + 90000);
  g_assert_cmpstr (pick (f, MODEL, "s11"), ==, "a@example.com");
}

static void
test_invalidation (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (ag_account_get_state (f->a), ==, AG_ACCOUNT_STATE_VALID);
  ag_account_pool_invalidate (f->pool, f->a, AG_ACCOUNT_STATE_VALIDATION_REQUIRED, "Verify your account",
                              "https://accounts.google.com/signin/continue?x=1");
  g_assert_cmpuint (f->invalidated->len, ==, 1);
  g_assert_true (g_ptr_array_index (f->invalidated, 0) == f->a);
  g_assert_cmpint (ag_account_get_state (f->a), ==, AG_ACCOUNT_STATE_VALIDATION_REQUIRED);
  g_assert_cmpstr (ag_account_get_invalid_reason (f->a), ==, "Verify your account");
  g_assert_cmpstr (ag_account_get_validation_url (f->a), ==, "https://accounts.google.com/signin/continue?x=1");
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "b@example.com");

  ag_account_pool_invalidate (f->pool, f->b, AG_ACCOUNT_STATE_SIGNED_OUT, "Sign in again", NULL);
  ag_account_pool_invalidate (f->pool, f->c, AG_ACCOUNT_STATE_DISABLED, "Disabled", NULL);
  g_assert_cmpuint (f->invalidated->len, ==, 3);
  {
    gint64 wait = 0;

    g_assert_null (ag_account_pool_pick (f->pool, MODEL, NULL, NULL, &wait));
    g_assert_cmpint (wait, ==, -1);
  }
  /* Fixed by the user: usable again, reason and URL gone. */
  ag_account_set_state (f->a, AG_ACCOUNT_STATE_VALID, "ignored", "ignored");
  g_assert_null (ag_account_get_invalid_reason (f->a));
  g_assert_null (ag_account_get_validation_url (f->a));
  g_assert_cmpstr (pick (f, MODEL, NULL), ==, "a@example.com");
}

static void
test_add_remove_in_flight (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) held = ag_account_pool_pick (f->pool, MODEL, "s1", NULL, NULL);
  g_autoptr(AgAccount) d = ag_account_new ("d@example.com", NULL, "rt-d");
  g_autoptr(AgAccount) found = NULL;

  g_assert_cmpstr (ag_account_get_email (held), ==, "a@example.com");
  rest (f, f->a, MODEL, 60000);
  /* Removing the account a request holds: the request keeps its reference, the session moves on. */
  g_assert_true (ag_account_pool_remove (f->pool, "a@example.com"));
  g_assert_false (ag_account_pool_remove (f->pool, "a@example.com"));
  g_assert_cmpuint (ag_account_pool_get_n_accounts (f->pool), ==, 2);
  g_assert_cmpstr (ag_account_get_email (held), ==, "a@example.com");
  g_assert_cmpstr (pick (f, MODEL, "s1"), ==, "b@example.com");
  /* Re-adding it starts without its old rest. */
  ag_account_pool_add (f->pool, f->a);
  g_assert_cmpint (ag_account_pool_get_remaining_ms (f->pool, f->a, MODEL), ==, 0);
  ag_account_pool_add (f->pool, d);
  ag_account_pool_add (f->pool, d);
  g_assert_cmpuint (ag_account_pool_get_n_accounts (f->pool), ==, 4);
  found = ag_account_pool_find (f->pool, "d@example.com");
  g_assert_true (found == d);
  g_assert_null (ag_account_pool_find (f->pool, "x@example.com"));
}

static void
test_settings (Fixture *f, gconstpointer data)
{
  const guint ladder[] = { 1, 2 };
  AgGoogleError quota = failure (AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, -1);
  AgGoogleError capacity = failure (AG_UPSTREAM_FAILURE_CAPACITY, -1);
  AgGoogleError server = failure (AG_UPSTREAM_FAILURE_SERVER, -1);

  g_assert_cmpint (ag_account_pool_get_strategy (f->pool), ==, AG_SELECTION_HYBRID);
  g_assert_cmpuint (ag_account_pool_get_max_wait_in_place_ms (f->pool), ==, 2000);
  g_assert_cmpuint (ag_account_pool_get_empty_answer_retries (f->pool), ==, 2);
  g_assert_true (ag_account_pool_get_dual_quota_pool (f->pool));
  ag_account_pool_set_quota_ladder (f->pool, ladder, G_N_ELEMENTS (ladder));
  ag_account_pool_set_capacity_backoff (f->pool, 7);
  ag_account_pool_set_rate_limit_backoff (f->pool, 9);
  ag_account_pool_set_max_wait_in_place_ms (f->pool, 100);
  ag_account_pool_set_empty_answer_retries (f->pool, 0);
  ag_account_pool_set_dual_quota_pool (f->pool, FALSE);
  g_assert_cmpint (ag_account_pool_report_failure (f->pool, f->a, MODEL, &quota), ==, 1000);
  g_assert_cmpint (ag_account_pool_report_failure (f->pool, f->b, MODEL, &capacity), ==, 7000);
  g_assert_cmpint (ag_account_pool_report_failure (f->pool, f->c, MODEL, &server), ==, 0);
  g_assert_cmpuint (f->changed, ==, 2);
  g_assert_cmpstr (f->rate_limited->str, ==, "a@example.com " MODEL " 2 +1000;b@example.com " MODEL " 3 +7000;");
  g_assert_cmpuint (ag_account_pool_get_max_wait_in_place_ms (f->pool), ==, 100);
  g_assert_cmpuint (ag_account_pool_get_empty_answer_retries (f->pool), ==, 0);
  g_assert_false (ag_account_pool_get_dual_quota_pool (f->pool));
  ag_account_pool_set_clock (f->pool, NULL, NULL);
  g_assert_cmpint (ABS (ag_account_pool_now_ms (f->pool) - g_get_real_time () / 1000), <, 5000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, strategy, func) \
  g_test_add ("/account-pool/" path, Fixture, GINT_TO_POINTER (strategy), fixture_set_up, func, fixture_tear_down)
  ADD ("fill-first", AG_SELECTION_FILL_FIRST, test_fill_first);
  ADD ("round-robin", AG_SELECTION_ROUND_ROBIN, test_round_robin);
  ADD ("sticky", AG_SELECTION_STICKY, test_sticky);
  ADD ("sticky-short-rest-keeps-binding", AG_SELECTION_STICKY, test_sticky_short_rest_keeps_binding);
  ADD ("hybrid-sessions", AG_SELECTION_HYBRID, test_hybrid_sessions);
  ADD ("hybrid-short-rest-keeps-session", AG_SELECTION_HYBRID, test_hybrid_short_rest_keeps_session);
  ADD ("preferred-account", AG_SELECTION_HYBRID, test_preferred_account);
  ADD ("all-resting", AG_SELECTION_HYBRID, test_all_resting);
  ADD ("quota-zero-skipped", AG_SELECTION_HYBRID, test_quota_zero_skipped);
  ADD ("invalidation", AG_SELECTION_FILL_FIRST, test_invalidation);
  ADD ("add-remove-in-flight", AG_SELECTION_HYBRID, test_add_remove_in_flight);
  ADD ("settings", AG_SELECTION_HYBRID, test_settings);
#undef ADD
  return g_test_run ();
}
