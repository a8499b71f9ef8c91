/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the charts are fed from the store: local-time steps (round hours and midnights, across DST changes), the
 * usage report's buckets, stacks and percentiles, the usage query on a seeded database, retention pruning, and
 * the quota history cut into series with gaps and resets. */
#include <math.h>
#include "ag-test.h"
#include "ag-history-db.h"
#include "ag-quota-series.h"
#include "ag-quota-window-db.h"
#include "ag-time-steps.h"
#include "ag-usage-report.h"

#define HOUR_MS ((gint64) 3600 * 1000)
#define DAY_MS (24 * HOUR_MS)
/* 2026-03-28 00:00 in Berlin (UTC+1); the clocks go forward on the 29th at 02:00 and back on 2026-10-25. */
#define BERLIN_MAR28_MS ((gint64) 1774652400000)
#define BERLIN_OCT24_MS ((gint64) 1792792800000)

static char *
format_local (GTimeZone *tz, gint64 time_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%d %H:%M");
}

/* The steps of @array as "dd HH:MM" on the clock of @tz, joined with commas. */
static char *
describe_steps (GTimeZone *tz, GArray *array)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < array->len; i++)
    {
      g_autofree char *one = format_local (tz, g_array_index (array, gint64, i));

      g_string_append_printf (text, "%s%s", i > 0 ? "," : "", one);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct {
  const char *name;
  gint64      since_ms;
  gint64      until_ms;
  AgTimeUnit  unit;
  guint       step;
  const char *expected;
} StepCase;

static const StepCase step_cases[] = {
  /* The night the clocks go forward: 02:00 does not exist, the day is 23 hours. */
  { "spring-hours", BERLIN_MAR28_MS + 24 * HOUR_MS, BERLIN_MAR28_MS + 28 * HOUR_MS, AG_TIME_UNIT_HOUR, 1,
    "29 00:00,29 01:00,29 03:00,29 04:00,29 05:00" },
  { "spring-days", BERLIN_MAR28_MS, BERLIN_MAR28_MS + 3 * DAY_MS - 2 * HOUR_MS, AG_TIME_UNIT_DAY, 1,
    "28 00:00,29 00:00,30 00:00" },
  /* The night the clocks go back: 02:00 comes twice, the day is 25 hours. */
  { "autumn-hours", BERLIN_OCT24_MS + 25 * HOUR_MS, BERLIN_OCT24_MS + 28 * HOUR_MS, AG_TIME_UNIT_HOUR, 1,
    "25 01:00,25 02:00,25 02:00,25 03:00" },
  { "autumn-days", BERLIN_OCT24_MS + HOUR_MS, BERLIN_OCT24_MS + 3 * DAY_MS + 2 * HOUR_MS, AG_TIME_UNIT_DAY, 1,
    "25 00:00,26 00:00,27 00:00" },
  { "six-hours-across-midnight", BERLIN_MAR28_MS - 7 * HOUR_MS, BERLIN_MAR28_MS + 13 * HOUR_MS,
    AG_TIME_UNIT_HOUR, 6, "27 18:00,28 00:00,28 06:00,28 12:00" },
  { "every-other-day", BERLIN_MAR28_MS - HOUR_MS, BERLIN_MAR28_MS + 5 * DAY_MS, AG_TIME_UNIT_DAY, 2,
    "28 00:00,30 00:00,01 00:00" },
  { "empty-range", BERLIN_MAR28_MS + 10, BERLIN_MAR28_MS + 20, AG_TIME_UNIT_HOUR, 1, "" },
};

static void
test_time_steps (gconstpointer data)
{
  const StepCase *c = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GArray) steps = NULL;
  g_autofree char *described = NULL;

  g_assert_nonnull (tz);
  steps = ag_time_steps (tz, c->since_ms, c->until_ms, c->unit, c->step);
  described = describe_steps (tz, steps);
  g_assert_cmpstr (described, ==, c->expected);
}

static void
test_time_floor (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) kolkata = g_time_zone_new_identifier ("Asia/Kolkata");

  g_assert_cmpint (ag_time_floor (berlin, BERLIN_MAR28_MS + 5 * HOUR_MS + 59 * 60000, AG_TIME_UNIT_HOUR), ==,
                   BERLIN_MAR28_MS + 5 * HOUR_MS);
  g_assert_cmpint (ag_time_floor (berlin, BERLIN_MAR28_MS + 23 * HOUR_MS, AG_TIME_UNIT_DAY), ==, BERLIN_MAR28_MS);
  /* UTC+5:30: the round hours are at half past in UTC. */
  g_assert_cmpint (ag_time_floor (kolkata, 1774670400000 /* 04:00 UTC */, AG_TIME_UNIT_HOUR), ==,
                   1774668600000 /* 03:30 UTC = 09:00 IST */);
}

static AgUsageReport *
three_hour_report (void)
{
  const gint64 edges[] = { 0, HOUR_MS, 2 * HOUR_MS, 3 * HOUR_MS };

  return ag_usage_report_new (edges, G_N_ELEMENTS (edges));
}

static void
test_report_buckets (void)
{
  g_autoptr(AgUsageReport) report = three_hour_report ();
  AgUsageCell total;

  ag_usage_report_add (report, 0, "gemini-3-flash", AG_USAGE_ANSWERED, 0, 100, 10, 1, 0);
  ag_usage_report_add (report, HOUR_MS - 1, "claude-opus-4-6-thinking", AG_USAGE_ERROR, 2, 300, 1000, 100, 50);
  ag_usage_report_add (report, HOUR_MS, "claude-opus-4-6-thinking", AG_USAGE_ANSWERED, 1, 200, 500, 50, 0);
  ag_usage_report_add (report, 2 * HOUR_MS + 5, NULL, AG_USAGE_REFUSED, 0, -1, 0, 0, 0);
  /* Outside the buckets: not counted. */
  ag_usage_report_add (report, 3 * HOUR_MS, "gemini-3-flash", AG_USAGE_ANSWERED, 0, 100, 99999, 0, 0);
  ag_usage_report_add (report, -1, "gemini-3-flash", AG_USAGE_ANSWERED, 0, 100, 99999, 0, 0);
  ag_usage_report_finish (report);

  /* The busiest key first; a request with no model is the key "". */
  g_assert_cmpuint (report->keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (report->keys, 0), ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (g_ptr_array_index (report->keys, 1), ==, "gemini-3-flash");
  g_assert_cmpstr (g_ptr_array_index (report->keys, 2), ==, "");

  g_assert_cmpuint (ag_usage_report_get_cell (report, 0, 0)->requests, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_cell (report, 0, 0)->errors, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_cell (report, 0, 0)->rotations, ==, 2);
  g_assert_cmpint (ag_usage_report_get_cell (report, 0, 0)->cache_read_tokens, ==, 50);
  g_assert_cmpint (ag_usage_report_get_cell (report, 0, 1)->input_tokens, ==, 10);
  g_assert_cmpint (ag_usage_report_get_cell (report, 1, 0)->input_tokens, ==, 500);
  g_assert_cmpuint (ag_usage_report_get_cell (report, 1, 1)->requests, ==, 0);
  g_assert_cmpuint (ag_usage_report_get_cell (report, 2, 2)->requests, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_cell (report, 2, 2)->refused, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_cell (report, 2, 2)->errors, ==, 0);
  g_assert_cmpuint (ag_usage_report_get_total (report, 2).refused, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_total (report, 0).refused, ==, 0);

  total = ag_usage_report_get_total (report, 0);
  g_assert_cmpuint (total.requests, ==, 2);
  g_assert_cmpint (total.input_tokens, ==, 1010);
  g_assert_cmpint (total.output_tokens, ==, 101);

  /* Median of {100, 300} by nearest rank is 100; a bucket without a first byte has none. */
  g_assert_cmpint (report->ttfb_median[0], ==, 100);
  g_assert_cmpint (report->ttfb_p95[0], ==, 300);
  g_assert_cmpint (report->ttfb_median[1], ==, 200);
  g_assert_cmpint (report->ttfb_median[2], ==, -1);
  g_assert_cmpint (report->ttfb_p95[2], ==, -1);

  g_assert_cmpint (ag_usage_report_find_bucket (report, 3 * HOUR_MS - 1), ==, 2);
  g_assert_cmpint (ag_usage_report_find_bucket (report, 3 * HOUR_MS), ==, -1);
}

static void
test_report_empty (void)
{
  g_autoptr(AgUsageReport) report = three_hour_report ();

  ag_usage_report_finish (report);
  g_assert_cmpuint (report->keys->len, ==, 0);
  g_assert_cmpuint (ag_usage_report_get_total (report, 1).requests, ==, 0);
  g_assert_cmpint (report->ttfb_median[0], ==, -1);
}

static void
test_percentile (void)
{
  gint64 values[100];

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = i + 1;
  g_assert_cmpint (ag_usage_percentile (values, 100, 0.5), ==, 50);
  g_assert_cmpint (ag_usage_percentile (values, 100, 0.95), ==, 95);
  g_assert_cmpint (ag_usage_percentile (values, 1, 0.95), ==, 1);
  g_assert_cmpint (ag_usage_percentile (values, 0, 0.5), ==, -1);
}

/* --- the database ------------------------------------------------------------------------------------------- */

typedef struct {
  char        *dir;
  AgHistoryDb *db;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("usage-history-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "history.db", NULL);
  f->db = ag_history_db_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ag_history_db_close (f->db);
  ag_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
insert_request (AgHistoryDb *db, gint64 time_ms, const char *account, const char *model, AgRequestOutcome outcome,
                gint64 ttfb_ms, gint64 input_tokens)
{
  g_autoptr(AgRequestRecord) record = ag_request_record_new ();
  g_autoptr(GError) error = NULL;

  record->time_ms = time_ms;
  record->account = g_strdup (account);
  record->model = g_strdup ("claude-opus-4-6");
  record->upstream_model = g_strdup (model);
  record->outcome = outcome;
  record->status = outcome == AG_REQUEST_OUTCOME_OK ? 200 : 429;
  record->ttfb_ms = ttfb_ms;
  record->input_tokens = input_tokens;
  record->output_tokens = input_tokens / 10;
  if (outcome == AG_REQUEST_OUTCOME_OK && ttfb_ms > 500)
    {
      /* Slow because it went round: two accounts out of quota, then the proxy's own wait. */
      ag_request_record_add_attempt (record, "a@example.com", "quota", 429, 0);
      ag_request_record_add_attempt (record, "b@example.com", "quota", 429, 0);
      ag_request_record_add_attempt (record, NULL, "all_limited_wait", 0, 1000);
    }
  g_assert_true (ag_history_db_insert_request (db, record, &error));
  g_assert_no_error (error);
}

static void
test_query_usage (Fixture *f, gconstpointer data)
{
  const gint64 base = BERLIN_MAR28_MS;
  const gint64 edges[] = { base, base + HOUR_MS, base + 2 * HOUR_MS };
  g_autoptr(AgUsageReport) by_model = NULL;
  g_autoptr(AgUsageReport) by_account = NULL;
  g_autoptr(GError) error = NULL;

  insert_request (f->db, base - 1, "a@example.com", "gemini-3-flash", AG_REQUEST_OUTCOME_OK, 50, 7777);
  insert_request (f->db, base, "a@example.com", "claude-opus-4-6-thinking", AG_REQUEST_OUTCOME_OK, 100, 1000);
  insert_request (f->db, base + 10, "c@example.com", "claude-opus-4-6-thinking", AG_REQUEST_OUTCOME_OK, 900, 2000);
  insert_request (f->db, base + 20, "a@example.com", "gemini-3-flash", AG_REQUEST_OUTCOME_UPSTREAM_ERROR, -1, 0);
  /* Refused by the guard: no account, nothing sent upstream (the client's model is its key). */
  insert_request (f->db, base + 30, NULL, NULL, AG_REQUEST_OUTCOME_REFUSED, -1, 0);
  insert_request (f->db, base + HOUR_MS, "a@example.com", "gemini-3-flash", AG_REQUEST_OUTCOME_OK, 300, 500);
  insert_request (f->db, base + 2 * HOUR_MS, "a@example.com", "gemini-3-flash", AG_REQUEST_OUTCOME_OK, 1, 9999);

  by_model = ag_history_db_query_usage (f->db, edges, G_N_ELEMENTS (edges), AG_USAGE_BY_MODEL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_model->n_buckets, ==, 2);
  g_assert_cmpuint (by_model->keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (by_model->keys, 0), ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (g_ptr_array_index (by_model->keys, 2), ==, "claude-opus-4-6");
  g_assert_cmpuint (ag_usage_report_get_total (by_model, 0).requests, ==, 4);
  g_assert_cmpuint (ag_usage_report_get_total (by_model, 0).refused, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_total (by_model, 0).errors, ==, 1);
  g_assert_cmpuint (ag_usage_report_get_total (by_model, 1).refused, ==, 0);
  g_assert_cmpuint (ag_usage_report_get_cell (by_model, 0, 0)->requests, ==, 2);
  g_assert_cmpint (ag_usage_report_get_cell (by_model, 0, 0)->input_tokens, ==, 3000);
  g_assert_cmpint (ag_usage_report_get_cell (by_model, 0, 0)->output_tokens, ==, 300);
  /* Two failed tries on accounts; the proxy's own wait is not a rotation. */
  g_assert_cmpuint (ag_usage_report_get_cell (by_model, 0, 0)->rotations, ==, 2);
  g_assert_cmpuint (ag_usage_report_get_cell (by_model, 0, 1)->errors, ==, 1);
  g_assert_cmpint (ag_usage_report_get_cell (by_model, 1, 1)->input_tokens, ==, 500);
  g_assert_cmpint (by_model->ttfb_median[0], ==, 100);
  g_assert_cmpint (by_model->ttfb_p95[0], ==, 900);

  by_account = ag_history_db_query_usage (f->db, edges, G_N_ELEMENTS (edges), AG_USAGE_BY_ACCOUNT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_account->keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (by_account->keys, 0), ==, "c@example.com");
  g_assert_cmpuint (ag_usage_report_get_cell (by_account, 0, 1)->requests, ==, 2);
}

static guint
count_rows (AgHistoryDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = ag_history_db_query_requests (db, 0, 0, &error);
  g_autoptr(GPtrArray) samples = ag_history_db_query_quota (db, NULL, NULL, 0, 0, &error);

  g_assert_no_error (error);
  return requests->len + samples->len;
}

static void
test_retention (Fixture *f, gconstpointer data)
{
  const gint64 now = BERLIN_MAR28_MS;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgQuotaSample) old_sample = ag_quota_sample_new (now - 31 * DAY_MS, "a@example.com", "m", 0.5, 0);
  g_autoptr(AgQuotaSample) new_sample = ag_quota_sample_new (now - 29 * DAY_MS, "a@example.com", "m", 0.5, 0);

  insert_request (f->db, now - 31 * DAY_MS, "a@example.com", "m", AG_REQUEST_OUTCOME_OK, 1, 1);
  insert_request (f->db, now - 29 * DAY_MS, "a@example.com", "m", AG_REQUEST_OUTCOME_OK, 1, 1);
  g_assert_true (ag_history_db_insert_quota_sample (f->db, old_sample, &error));
  g_assert_true (ag_history_db_insert_quota_sample (f->db, new_sample, &error));

  /* Not due and not forced: nothing goes. */
  g_assert_true (ag_history_db_prune (f->db, now, 30, FALSE, &error));
  g_assert_cmpuint (count_rows (f->db), ==, 4);
  /* 0 days keeps everything even when forced. */
  g_assert_true (ag_history_db_prune (f->db, now, 0, TRUE, &error));
  g_assert_cmpuint (count_rows (f->db), ==, 4);
  /* 30 days: the request and the sample of 31 days ago go, both tables at once. */
  g_assert_true (ag_history_db_prune (f->db, now, 30, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (f->db), ==, 2);
}

/* --- quota series ------------------------------------------------------------------------------------------- */

static void
add_sample (GPtrArray *samples, gint64 minute, const char *account, double remaining, gint64 reset_minute)
{
  g_ptr_array_add (samples, ag_quota_sample_new (minute * 60000, account, "gemini-3-flash", remaining,
                                                 reset_minute * 60000));
}

static char *
describe_series (const AgQuotaSeries *series)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < series->points->len; i++)
    {
      AgSeriesPoint *point = &g_array_index (series->points, AgSeriesPoint, i);

      if (isnan (point->value))
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT ":gap", i > 0 ? "," : "", point->time_ms / 60000);
      else
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT ":%.2f", i > 0 ? "," : "", point->time_ms / 60000,
                                point->value);
    }
  for (guint i = 0; i < series->resets->len; i++)
    g_string_append_printf (text, " reset@%" G_GINT64_FORMAT, g_array_index (series->resets, gint64, i) / 60000);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_quota_series (void)
{
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_sample_free);
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* b: a single sample. a: falling, a 60-minute hole (ag-cl not running), a reset at the announced minute 100,
   * small noise upwards that is no reset, then a reset without an announced time. */
  add_sample (samples, 0, "b@example.com", 1.0, 0);
  add_sample (samples, 0, "a@example.com", 0.9, 100);
  add_sample (samples, 5, "a@example.com", 0.8, 100);
  add_sample (samples, 65, "a@example.com", 0.5, 100);
  add_sample (samples, 110, "a@example.com", 1.0, 400);
  add_sample (samples, 115, "a@example.com", 1.02, 400);
  add_sample (samples, 120, "a@example.com", 0.3, 400);
  add_sample (samples, 125, "a@example.com", 0.9, 0);

  series = ag_quota_series_build (samples, 15 * 60000);
  g_assert_cmpuint (series->len, ==, 2);
  first = describe_series (g_ptr_array_index (series, 0));
  second = describe_series (g_ptr_array_index (series, 1));
  g_assert_cmpstr (first, ==,
                   "0:0.90,5:0.80,35:gap,65:0.50,87:gap,110:1.00,115:1.02,120:0.30,122:gap,125:0.90 reset@100 reset@125");
  g_assert_cmpstr (second, ==, "0:1.00");

  g_ptr_array_set_size (samples, 0);
  none = ag_quota_series_build (samples, 15 * 60000);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
add_reading (GPtrArray *samples, gint64 second, const char *account, const char *model, double remaining)
{
  g_ptr_array_add (samples, ag_quota_sample_new (second * 1000, account, model, remaining, 0));
}

/* The pool per family: one point per poll, each account counted by its least model, a break and a marker where
 * an account was refilled, a break where nothing was read, stale readings left out. */
static void
test_quota_series_by_family (void)
{
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_sample_free);
  g_autoptr(GPtrArray) series = NULL;
  g_autofree char *claude = NULL;
  g_autofree char *gemini = NULL;

  add_reading (samples, 0, "a@example.com", "claude-opus-4-6-thinking", 0.9);
  add_reading (samples, 0, "a@example.com", "claude-sonnet-4-6", 0.7);
  add_reading (samples, 1, "b@example.com", "claude-opus-4-6-thinking", 0.5);
  add_reading (samples, 1, "a@example.com", "gemini-3-flash", 1.0);
  add_reading (samples, 300, "a@example.com", "claude-sonnet-4-6", 0.6);
  add_reading (samples, 301, "b@example.com", "claude-opus-4-6-thinking", 0.4);
  /* b refilled, read a second after a in the same poll. */
  add_reading (samples, 600, "a@example.com", "claude-sonnet-4-6", 0.5);
  add_reading (samples, 602, "b@example.com", "claude-opus-4-6-thinking", 1.0);
  /* Half an hour later only a's sonnet is read: everything else is stale. */
  add_reading (samples, 2400, "a@example.com", "claude-sonnet-4-6", 0.4);

  series = ag_quota_series_by_family (samples, 15 * 60000);
  g_assert_cmpuint (series->len, ==, 2);
  g_assert_null (((AgQuotaSeries *) g_ptr_array_index (series, 0))->account);
  g_assert_cmpstr (((AgQuotaSeries *) g_ptr_array_index (series, 0))->model, ==, "Claude");
  g_assert_cmpstr (((AgQuotaSeries *) g_ptr_array_index (series, 1))->model, ==, "Gemini");
  claude = describe_series (g_ptr_array_index (series, 0));
  gemini = describe_series (g_ptr_array_index (series, 1));
  g_assert_cmpstr (claude, ==, "0:0.60,5:0.50,9:gap,10:0.75,25:gap,40:0.40 reset@10");
  g_assert_cmpstr (gemini, ==, "0:1.00");

  g_ptr_array_set_size (samples, 0);
  g_clear_pointer (&series, g_ptr_array_unref);
  series = ag_quota_series_by_family (samples, 15 * 60000);
  g_assert_cmpuint (series->len, ==, 0);
}

static void
add_window (GPtrArray *windows, gint64 second, const char *account, const char *group, const char *window,
            double remaining)
{
  AgQuotaWindowSample *sample = g_new0 (AgQuotaWindowSample, 1);

  sample->time_ms = second * 1000;
  sample->account = g_strdup (account);
  sample->group = g_strdup (group);
  sample->window = g_strdup (window);
  sample->remaining = remaining;
  g_ptr_array_add (windows, sample);
}

/* The pool per model group and window: one point per poll over the accounts, a break and a marker where an
 * account's window was refilled, a break where nothing was read, stale readings left out. */
static void
test_quota_series_by_window (void)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_window_sample_free);
  g_autoptr(GPtrArray) series = NULL;
  static const char * const claude = "Claude and GPT models";
  static const char * const expected[][3] = {
    { "Claude and GPT models", "5h", "0:0.60,5:0.50,7:gap,10:0.60,30:gap,50:0.90 reset@10" },
    { "Claude and GPT models", "weekly", "0:0.75,5:0.70" },
    { "Gemini Models", "weekly", "0:1.00" },
  };

  add_window (windows, 0, "a@example.com", claude, "5h", 0.8);
  add_window (windows, 0, "a@example.com", claude, "weekly", 0.9);
  add_window (windows, 0, "a@example.com", "Gemini Models", "weekly", 1.0);
  add_window (windows, 1, "b@example.com", claude, "5h", 0.4);
  add_window (windows, 1, "b@example.com", claude, "weekly", 0.6);
  add_window (windows, 300, "a@example.com", claude, "5h", 0.7);
  add_window (windows, 300, "a@example.com", claude, "weekly", 0.85);
  add_window (windows, 301, "b@example.com", claude, "5h", 0.3);
  add_window (windows, 301, "b@example.com", claude, "weekly", 0.55);
  /* a's 5-hour window refilled. */
  add_window (windows, 600, "a@example.com", claude, "5h", 1.0);
  add_window (windows, 601, "b@example.com", claude, "5h", 0.2);
  /* 40 minutes later only a is read: b's reading is stale. */
  add_window (windows, 3000, "a@example.com", claude, "5h", 0.9);

  series = ag_quota_series_by_window (windows, 15 * 60000);
  g_assert_cmpuint (series->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < series->len; i++)
    {
      AgQuotaSeries *one = g_ptr_array_index (series, i);
      g_autofree char *text = describe_series (one);

      g_assert_null (one->account);
      g_assert_cmpstr (one->model, ==, expected[i][0]);
      g_assert_cmpstr (one->window, ==, expected[i][1]);
      g_assert_cmpstr (text, ==, expected[i][2]);
    }

  g_ptr_array_set_size (windows, 0);
  g_clear_pointer (&series, g_ptr_array_unref);
  series = ag_quota_series_by_window (windows, 15 * 60000);
  g_assert_cmpuint (series->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  AG_TEST_ADD_CASES ("/usage-history/time-steps-", step_cases, test_time_steps);
  g_test_add_func ("/usage-history/time-floor", test_time_floor);
  g_test_add_func ("/usage-history/report/buckets", test_report_buckets);
  g_test_add_func ("/usage-history/report/empty", test_report_empty);
  g_test_add_func ("/usage-history/report/percentile", test_percentile);
  g_test_add ("/usage-history/db/query-usage", Fixture, NULL, fixture_set_up, test_query_usage, fixture_tear_down);
  g_test_add ("/usage-history/db/retention", Fixture, NULL, fixture_set_up, test_retention, fixture_tear_down);
  g_test_add_func ("/usage-history/quota-series", test_quota_series);
  g_test_add_func ("/usage-history/quota-series-by-family", test_quota_series_by_family);
  g_test_add_func ("/usage-history/quota-series-by-window", test_quota_series_by_window);
  return g_test_run ();
}
