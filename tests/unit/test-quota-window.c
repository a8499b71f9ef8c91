/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 5-hour and weekly windows (retrieveUserQuotaSummary): reading Google's answer, which group counts a model,
 * how long a used-up window keeps a model away; the one way every message names a reset; a multi-day reset named
 * only in a 429's text. Runs in UTC. */
#include "ag-google-error.h"
#include "ag-quota-window.h"
#include "ag-rate-limits.h"
#include "ag-reset-time.h"

#include <string.h>

#define NOW G_GINT64_CONSTANT (1796127600000)   /* 2026-12-01T12:20:00Z, a Tuesday */
#define HOUR ((gint64) 3600 * 1000)

static const char summary[] =
  "{\"groups\":["
  " {\"displayName\":\"Gemini Models\",\"buckets\":["
  "   {\"bucketId\":\"g5\",\"window\":\"5h\",\"remainingFraction\":0.65,\"resetTime\":\"2026-12-01T15:20:00Z\"},"
  "   {\"bucketId\":\"gw\",\"window\":\"weekly\",\"remainingFraction\":0.88,\"resetTime\":\"2026-12-05T09:00:00Z\"}]},"
  " {\"displayName\":\"Claude and GPT models\",\"buckets\":["
  "   {\"bucketId\":\"c5\",\"window\":\"5h\",\"remainingFraction\":1,\"resetTime\":\"2026-12-01T14:00:00Z\"},"
  "   {\"bucketId\":\"cw\",\"window\":\"weekly\",\"resetTime\":\"2026-12-04T14:20:00Z\"},"
  "   {\"bucketId\":\"cm\",\"window\":\"monthly\",\"remainingFraction\":0.5}]}]}";

static GPtrArray *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return ag_quota_windows_parse (node);
}

static void
test_parse (void)
{
  g_autoptr(GPtrArray) windows = parse (summary);
  const AgQuotaWindow *w;

  g_assert_cmpuint (windows->len, ==, 4);
  w = windows->pdata[1];
  g_assert_cmpstr (w->group, ==, "Gemini Models");
  g_assert_cmpstr (w->bucket_id, ==, "gw");
  g_assert_cmpint (w->kind, ==, AG_QUOTA_WINDOW_WEEKLY);
  g_assert_cmpfloat_with_epsilon (w->fraction, 0.88, 1e-9);
  g_assert_cmpint (w->reset_ms, ==, G_GINT64_CONSTANT (1796461200000));  /* 2026-12-05T09:00:00Z */
  /* A reset without a fraction: the window is used up. */
  w = windows->pdata[3];
  g_assert_cmpint (w->kind, ==, AG_QUOTA_WINDOW_WEEKLY);
  g_assert_cmpfloat (w->fraction, ==, 0.0);
  g_assert_cmpstr (ag_quota_window_kind_to_string (w->kind), ==, "weekly");

  /* Also inside {"response":…}; anything else is no windows, not a failure. */
  g_clear_pointer (&windows, g_ptr_array_unref);
  windows = parse ("{\"response\":{\"groups\":[{\"displayName\":\"Gemini Models\",\"buckets\":["
                   "{\"window\":\"5h\",\"remainingFraction\":0.5}]}]}}");
  g_assert_cmpuint (windows->len, ==, 1);
  g_clear_pointer (&windows, g_ptr_array_unref);
  windows = parse ("[1,2]");
  g_assert_cmpuint (windows->len, ==, 0);
}

static void
test_rest (void)
{
  g_autoptr(GPtrArray) windows = parse (summary);
  gint64 claude_weekly_reset = NOW + 3 * 24 * HOUR + 2 * HOUR;   /* 2026-12-04T14:20Z */

  g_assert_true (ag_quota_window_applies (windows->pdata[0], "gemini-3-flash"));
  g_assert_false (ag_quota_window_applies (windows->pdata[0], "claude-sonnet-4-6"));
  g_assert_true (ag_quota_window_applies (windows->pdata[3], "gpt-oss-120b-medium"));
  g_assert_cmpint (ag_quota_windows_rest_ms (windows, "gemini-3-flash", NOW), ==, 0);
  g_assert_cmpint (ag_quota_windows_rest_ms (windows, "claude-opus-4-6-thinking", NOW), ==,
                   claude_weekly_reset - NOW);
  /* Over once the week resets. */
  g_assert_cmpint (ag_quota_windows_rest_ms (windows, "claude-opus-4-6-thinking", claude_weekly_reset), ==, 0);
}

static void
test_reset_format (void)
{
  static const struct { gint64 reset; const char *text; } cases[] = {
    { NOW + 2 * HOUR, "14:20" },
    { NOW + 23 * HOUR, "11:20" },
    { NOW + 3 * 24 * HOUR + 2 * HOUR, "Fri 14:20" },
    { NOW + 10 * 24 * HOUR, "Fri 11 Dec 12:20" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ag_reset_time_format (cases[i].reset, NOW);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* "Individual quota reached … Resets in 71h15m": hours past a day are read, and the account rests that long. */
static void
test_multi_day_429 (void)
{
  const char *body = "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"Individual quota "
                     "reached for this week. Resets in 71h15m.\",\"details\":[{\"@type\":\"type.googleapis.com/"
                     "google.rpc.ErrorInfo\",\"reason\":\"QUOTA_EXHAUSTED\",\"metadata\":{\"model\":"
                     "\"claude-sonnet-4-6\"}}]}}";
  g_autoptr(AgGoogleError) error = ag_google_error_parse (429, body, strlen (body));
  g_autoptr(AgRateLimits) limits = ag_rate_limits_new ();

  g_assert_cmpint (error->kind, ==, AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED);
  g_assert_cmpint (error->retry_delay_ms, ==, (71 * 60 + 15) * 60000);
  g_assert_cmpint (ag_rate_limits_record_failure (limits, "a@example.com", "claude-sonnet-4-6", error, NOW), ==,
                   (71 * 60 + 15) * 60000);
  g_assert_cmpint (ag_rate_limits_remaining (limits, "a@example.com", "claude-sonnet-4-6", NOW + 70 * HOUR), >, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quota-window/parse", test_parse);
  g_test_add_func ("/quota-window/rest", test_rest);
  g_test_add_func ("/quota-window/reset-format", test_reset_format);
  g_test_add_func ("/quota-window/multi-day-429", test_multi_day_429);
  return g_test_run ();
}
