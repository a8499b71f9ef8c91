/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the pure parts of `ag-cl log`: --since durations, times, the attempts summary and the table. */
#include "ag-log-cli-private.h"

static void
test_parse_duration (void)
{
  const struct { const char *text; gint64 ms; } good[] = {
    { "90s", 90000 }, { "15m", 900000 }, { "1h30m", 5400000 }, { "2d", 172800000 }, { "1d12h", 129600000 },
    { "250ms", 250 }, { "1.5h", 5400000 }, { "0s", 0 },
  };
  const char *bad[] = { "", "1", "h", "1x", "-1h", "1h ", " 1h", "1hm", "abc" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = -1;

      g_assert_true (ag_log_cli_parse_duration (good[i].text, &ms, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ms, ==, good[i].ms);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = 77;

      g_assert_false (ag_log_cli_parse_duration (bad[i], &ms, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_cmpint (ms, ==, 77);
    }
}

static void
test_format_ms (void)
{
  const struct { gint64 ms; const char *text; } cases[] = {
    { -1, "-" }, { 0, "0 ms" }, { 312, "312 ms" }, { 999, "999 ms" }, { 1000, "1.0 s" }, { 1234, "1.2 s" },
    { 61500, "61.5 s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ag_log_cli_format_ms (cases[i].ms);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static AgRequestRecord *
make_record (gint64 time_ms, const char *model, const char *upstream, const char *account,
             AgRequestOutcome outcome, guint status, gint64 ttfb_ms, gint64 total_ms)
{
  AgRequestRecord *record = ag_request_record_new ();

  record->time_ms = time_ms;
  record->model = g_strdup (model);
  record->upstream_model = g_strdup (upstream);
  record->account = g_strdup (account);
  record->outcome = outcome;
  record->status = status;
  record->ttfb_ms = ttfb_ms;
  record->total_ms = total_ms;
  return record;
}

static void
test_format_attempts (void)
{
  g_autoptr(AgRequestRecord) record = make_record (0, "m", "m", "user2@example.com", AG_REQUEST_OUTCOME_OK, 200,
                                                   10, 20);
  g_autofree char *none = ag_log_cli_format_attempts (record);
  g_autofree char *rotated = NULL;
  g_autofree char *waited = NULL;
  g_autofree char *failed = NULL;

  g_assert_cmpstr (none, ==, "");

  ag_request_record_add_attempt (record, "user1@example.com", "quota", 429, 0);
  rotated = ag_log_cli_format_attempts (record);
  g_assert_cmpstr (rotated, ==, "rotated: user1 429 quota");

  ag_request_record_add_attempt (record, "user2@example.com", "rate_limit", 429, 400);
  waited = ag_log_cli_format_attempts (record);
  g_assert_cmpstr (waited, ==, "rotated: user1 429 quota, retried: user2 429 rate_limit after 400 ms");

  record->outcome = AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
  record->status = 503;
  ag_request_record_add_attempt (record, "user2@example.com", "capacity", 503, 0);
  failed = ag_log_cli_format_attempts (record);
  g_assert_cmpstr (failed, ==, "rotated: user1 429 quota, retried: user2 429 rate_limit after 400 ms, "
                               "failed: user2 503 capacity");
}

static void
test_format_table (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_request_record_free);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *table = NULL;
  AgRequestRecord *record;

  /* 2025-11-24 16:00:00 UTC and later. */
  record = make_record (1764000000000, "claude-opus-4-6", "claude-opus-4-6-thinking", "user2@example.com",
                        AG_REQUEST_OUTCOME_OK, 200, 312, 4567);
  record->input_tokens = 1200;
  record->output_tokens = 300;
  record->cache_read_tokens = 800;
  ag_request_record_add_attempt (record, "user1@example.com", "quota", 429, 0);
  g_ptr_array_add (records, record);
  record = make_record (1764000065000, "claude-haiku-4-5", NULL, NULL, AG_REQUEST_OUTCOME_INTERCEPTED, 200, 1, 1);
  g_ptr_array_add (records, record);
  record = make_record (1764000130000, "gemini-3-flash", "gemini-3-flash", "user1@example.com",
                        AG_REQUEST_OUTCOME_CANCELLED, 499, -1, 15000);
  record->input_tokens = 10;
  g_ptr_array_add (records, record);

  table = ag_log_cli_format_table (records, utc);
  g_assert_cmpstr (table, ==,
    "TIME                 MODEL                                       ACCOUNT            RESULT             "
    "TTFB   TOTAL  IN/OUT/CACHED  ATTEMPTS\n"
    "2025-11-24 16:00:00  claude-opus-4-6 → claude-opus-4-6-thinking  user2@example.com  ok 200           "
    "312 ms   4.6 s   1200/300/800  rotated: user1 429 quota\n"
    "2025-11-24 16:01:05  claude-haiku-4-5                            -                  intercepted 200  "
    "  1 ms    1 ms          0/0/0\n"
    "2025-11-24 16:02:10  gemini-3-flash                              user1@example.com  cancelled 499    "
    "     -  15.0 s         10/0/0\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/log-format/parse-duration", test_parse_duration);
  g_test_add_func ("/log-format/format-ms", test_format_ms);
  g_test_add_func ("/log-format/attempts", test_format_attempts);
  g_test_add_func ("/log-format/table", test_format_table);
  return g_test_run ();
}
