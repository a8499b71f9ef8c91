/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the rest decision: server reset times, the quota ladder, fixed waits, per-model keys, optimistic reset. */
#include "ag-rate-limits.h"

#include <string.h>

#define NOW_MS G_GINT64_CONSTANT (1780000000000)   /* a fixed "now", 2026-05-28 */

static AgGoogleError
failure (AgUpstreamFailure kind)
{
  AgGoogleError error = { 0 };

  error.http_status = kind == AG_UPSTREAM_FAILURE_CAPACITY ? 503 : 429;
  error.kind = kind;
  error.retry_delay_ms = -1;
  error.reset_time_ms = -1;
  return error;
}

static void
test_server_delay_wins (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  const char *body =
    "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"You have exhausted your capacity on "
    "this model.\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":"
    "\"QUOTA_EXHAUSTED\",\"domain\":\"cloudcode-pa.googleapis.com\",\"metadata\":{\"model\":\"gemini-3-flash\","
    "\"quotaResetDelay\":\"2h21m25.831582438s\"}}]}}";
  g_autoptr(AgGoogleError) error = ag_google_error_parse (429, body, strlen (body));

  g_assert_cmpint (error->kind, ==, AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED);
  /* 2 h 21 min 25.831582438 s, rounded up to the ms; the ladder's 60 s is not used. */
  g_assert_cmpint (ag_rate_limits_decide (limits, "a@x", "gemini-3-flash", error, NOW_MS), ==, 8485832);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "gemini-3-flash", error, NOW_MS), ==, 8485832);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "gemini-3-flash", NOW_MS), ==, 8485832);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "gemini-3-flash", NOW_MS + 8485831), ==, 1);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "gemini-3-flash", NOW_MS + 8485832), ==, 0);
}

static void
test_server_timestamp (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  const char *body =
    "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"Quota exceeded.\",\"details\":[{"
    "\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"QUOTA_EXHAUSTED\",\"metadata\":{"
    "\"quotaResetTimeStamp\":\"2026-05-28T21:00:00Z\"}}]}}";
  g_autoptr(AgGoogleError) error = ag_google_error_parse (429, body, strlen (body));
  gint64 reset_ms;

  g_assert_true (ag_parse_rfc3339 ("2026-05-28T21:00:00Z", &reset_ms));
  g_assert_cmpint (error->retry_delay_ms, ==, -1);
  g_assert_cmpint (error->reset_time_ms, ==, reset_ms);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", error, NOW_MS), ==, reset_ms - NOW_MS);
  /* A reset time already past still rests the account a moment rather than not at all. */
  g_assert_cmpint (ag_rate_limits_decide (limits, "b@x", "m", error, reset_ms + 5000), ==, 200);
}

static void
test_short_delay_padded (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  AgGoogleError error = failure (AG_UPSTREAM_FAILURE_RATE_LIMIT);

  error.retry_delay_ms = 400;
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &error, NOW_MS), ==, 600);
  error.retry_delay_ms = 500;
  g_assert_cmpint (ag_rate_limits_decide (limits, "a@x", "m", &error, NOW_MS), ==, 500);
  error.retry_delay_ms = 0;
  g_assert_cmpint (ag_rate_limits_decide (limits, "a@x", "m", &error, NOW_MS), ==, 200);
}

static void
test_quota_ladder (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  AgGoogleError error = failure (AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED);
  const gint64 expected[] = { 60000, 300000, 1800000, 7200000, 7200000 };
  gint64 now = NOW_MS;

  /* Each failure comes right after the previous rest ended: the ladder climbs and stays on its last step. */
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gint64 wait = ag_rate_limits_record_failure (limits, "a@x", "m", &error, now);

      g_assert_cmpint (wait, ==, expected[i]);
      now += wait + 1000;
    }
  /* More than an hour of calm after the last rest: the ladder starts again. */
  now += AG_RATE_LIMITS_LADDER_MEMORY_MS;
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &error, now), ==, 60000);
  /* A success forgets the count. */
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &error, now + 61000), ==, 300000);
  g_assert_true (ag_rate_limits_record_success (limits, "a@x", "m"));
  g_assert_false (ag_rate_limits_record_success (limits, "a@x", "m"));
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &error, now + 400000), ==, 60000);
}

static void
test_custom_backoff (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  AgGoogleError quota = failure (AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED);
  AgGoogleError rate = failure (AG_UPSTREAM_FAILURE_RATE_LIMIT);
  AgGoogleError capacity = failure (AG_UPSTREAM_FAILURE_CAPACITY);
  const guint ladder[] = { 5, 7 };

  g_assert_cmpint (ag_rate_limits_decide (limits, "a@x", "m", &rate, NOW_MS), ==, 30000);
  g_assert_cmpint (ag_rate_limits_decide (limits, "a@x", "m", &capacity, NOW_MS), ==, 10000);
  ag_rate_limits_set_quota_ladder (limits, ladder, G_N_ELEMENTS (ladder));
  ag_rate_limits_set_quota_ladder (limits, NULL, 0);   /* ignored */
  ag_rate_limits_set_rate_limit_backoff (limits, 3);
  ag_rate_limits_set_capacity_backoff (limits, 4);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &quota, NOW_MS), ==, 5000);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &quota, NOW_MS + 5000), ==, 7000);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &quota, NOW_MS + 12000), ==, 7000);
  /* Another kind of failure starts its own count. */
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &rate, NOW_MS + 20000), ==, 3000);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &capacity, NOW_MS + 30000), ==, 4000);
}

static void
test_other_failures_do_not_rest (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  g_autoptr(GPtrArray) list = NULL;
  const AgUpstreamFailure kinds[] = { AG_UPSTREAM_FAILURE_AUTH, AG_UPSTREAM_FAILURE_SERVER,
                                      AG_UPSTREAM_FAILURE_BAD_REQUEST, AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      AgGoogleError error = failure (kinds[i]);

      error.retry_delay_ms = 5000;
      g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &error, NOW_MS), ==, 0);
    }
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "m", NOW_MS), ==, 0);
  list = ag_rate_limits_list (limits, NOW_MS);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_per_model (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  AgGoogleError error = failure (AG_UPSTREAM_FAILURE_RATE_LIMIT);
  g_autoptr(GPtrArray) list = NULL;
  AgRateLimit *first;

  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "gemini-3-flash", &error, NOW_MS), ==, 30000);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "gemini-3-flash", NOW_MS), ==, 30000);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "claude-sonnet-4-6", NOW_MS), ==, 0);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "b@x", "gemini-3-flash", NOW_MS), ==, 0);

  error.retry_delay_ms = 10000;
  ag_rate_limits_record_failure (limits, "b@x", "claude-sonnet-4-6", &error, NOW_MS);
  list = ag_rate_limits_list (limits, NOW_MS);
  g_assert_cmpuint (list->len, ==, 2);
  first = g_ptr_array_index (list, 0);
  g_assert_cmpstr (first->account, ==, "b@x");
  g_assert_cmpstr (first->model, ==, "claude-sonnet-4-6");
  g_assert_cmpint (first->kind, ==, AG_UPSTREAM_FAILURE_RATE_LIMIT);
  g_assert_cmpint (first->until_ms, ==, NOW_MS + 10000);
  g_assert_cmpuint (first->failures, ==, 1);
  g_assert_cmpstr (((AgRateLimit *) g_ptr_array_index (list, 1))->account, ==, "a@x");

  ag_rate_limits_forget_account (limits, "a@x");
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "gemini-3-flash", NOW_MS), ==, 0);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "b@x", "claude-sonnet-4-6", NOW_MS), ==, 10000);
}

static void
test_optimistic_clear (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  AgGoogleError quota = failure (AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED);
  g_autoptr(GPtrArray) list = NULL;

  ag_rate_limits_record_failure (limits, "a@x", "m", &quota, NOW_MS);
  ag_rate_limits_record_failure (limits, "b@x", "m", &quota, NOW_MS);
  ag_rate_limits_record_failure (limits, "a@x", "other", &quota, NOW_MS);
  g_assert_true (ag_rate_limits_clear_model (limits, "m", NOW_MS + 1000));
  g_assert_false (ag_rate_limits_clear_model (limits, "m", NOW_MS + 1000));
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "m", NOW_MS + 1000), ==, 0);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "b@x", "m", NOW_MS + 1000), ==, 0);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "other", NOW_MS + 1000), ==, 59000);
  /* Too optimistic: the ladder goes on where it was. */
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &quota, NOW_MS + 2000), ==, 300000);
  g_assert_true (ag_rate_limits_clear_model (limits, NULL, NOW_MS + 3000));
  list = ag_rate_limits_list (limits, NOW_MS + 3000);
  g_assert_cmpuint (list->len, ==, 0);
}

/* A rest read back after a restart: taken when it ends later than what is in force, never for a kind that does
 * not rest; the ladder goes on from its recorded step. */
static void
test_restore (void)
{
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();
  AgGoogleError quota = failure (AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED);
  AgRateLimit recorded = { "a@x", "m", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, NOW_MS + 3 * 3600 * 1000, 2 };
  AgRateLimit earlier = { "a@x", "m", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, NOW_MS + 1000, 1 };
  AgRateLimit not_a_rest = { "b@x", "m", AG_UPSTREAM_FAILURE_BAD_REQUEST, NOW_MS + 1000, 1 };

  g_assert_true (ag_rate_limits_restore (limits, &recorded));
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "m", NOW_MS), ==, 3 * 3600 * 1000);
  g_assert_false (ag_rate_limits_restore (limits, &earlier));
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@x", "m", NOW_MS), ==, 3 * 3600 * 1000);
  g_assert_false (ag_rate_limits_restore (limits, &not_a_rest));
  g_assert_cmpint (ag_rate_limits_remaining (limits, "b@x", "m", NOW_MS), ==, 0);
  /* The third quota failure in a row (ladder 60, 300, 1800 s) right after the restored rest ended. */
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@x", "m", &quota, recorded.until_ms), ==, 1800 * 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rate-limits/server-delay-wins", test_server_delay_wins);
  g_test_add_func ("/rate-limits/server-timestamp", test_server_timestamp);
  g_test_add_func ("/rate-limits/short-delay-padded", test_short_delay_padded);
  g_test_add_func ("/rate-limits/quota-ladder", test_quota_ladder);
  g_test_add_func ("/rate-limits/custom-backoff", test_custom_backoff);
  g_test_add_func ("/rate-limits/other-failures-do-not-rest", test_other_failures_do_not_rest);
  g_test_add_func ("/rate-limits/per-model", test_per_model);
  g_test_add_func ("/rate-limits/optimistic-clear", test_optimistic_clear);
  g_test_add_func ("/rate-limits/restore", test_restore);
  return g_test_run ();
}
