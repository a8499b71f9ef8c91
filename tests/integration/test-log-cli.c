/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `ag-cl log` (the real binary) reading the request log another process keeps open and writing: the aligned table,
 * --limit, --since, --json, bad arguments, and a data directory without a log. */
#include "ag-history-store.h"
#include "ag-test.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  AgTestHarness  *harness;
  char           *dir;
  AgHistoryStore *store;   /* stands for the running proxy: open while the CLI reads */
  gint64          now_ms;
} Fixture;

static AgRequestRecord *
record_at (gint64 time_ms, const char *model, const char *upstream, const char *account, guint status,
           gint64 input_tokens)
{
  AgRequestRecord *record = ag_request_record_new ();

  record->time_ms = time_ms;
  record->model = g_strdup (model);
  record->upstream_model = g_strdup (upstream);
  record->account = g_strdup (account);
  record->outcome = status == 200 ? AG_REQUEST_OUTCOME_OK : AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
  record->status = status;
  record->ttfb_ms = status == 200 ? 250 : -1;
  record->total_ms = 2500;
  record->input_tokens = input_tokens;
  record->output_tokens = 40;
  record->cache_read_tokens = 0;
  return record;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) written = NULL;
  AgRequestRecord *record;

  fixture->dir = g_dir_make_tmp ("ag-log-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->harness = ag_test_harness_new (NULL);
  ag_test_harness_setenv (fixture->harness, "AGCL_DATA_DIR", fixture->dir);
  ag_test_harness_setenv (fixture->harness, "TZ", "UTC");
  if (data == NULL)
    return;

  /* Whole seconds: the table shows seconds. */
  fixture->now_ms = g_get_real_time () / G_USEC_PER_SEC * 1000;
  path = g_build_filename (fixture->dir, "history.db", NULL);
  fixture->store = ag_history_store_new (path);
  ag_history_store_add_request (fixture->store,
                                record_at (fixture->now_ms - 2 * 3600 * 1000, "claude-sonnet-4-6", "claude-sonnet-4-6",
                                           "user1@example.com", 200, 100));
  record = record_at (fixture->now_ms - 600 * 1000, "claude-opus-4-6", "claude-opus-4-6-thinking",
                      "user2@example.com", 200, 1200);
  ag_request_record_add_attempt (record, "user1@example.com", "quota", 429, 0);
  record->session_id = g_strdup ("session-1");
  ag_history_store_add_request (fixture->store, record);
  record = record_at (fixture->now_ms - 60 * 1000, "claude-opus-4-6", "claude-opus-4-6-thinking",
                      "user2@example.com", 503, 1300);
  ag_request_record_add_attempt (record, "user2@example.com", "capacity", 503, 0);
  ag_history_store_add_request (fixture->store, record);

  /* The rows are committed once a query queued after them is answered. */
  written = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 3);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  ag_test_harness_free (fixture->harness);
  ag_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
utc_time (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static void
test_table (Fixture *fixture, gconstpointer data)
{
  const char *args[] = { "log", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *t1 = utc_time (fixture->now_ms - 2 * 3600 * 1000);
  g_autofree char *t2 = utc_time (fixture->now_ms - 600 * 1000);
  g_autofree char *t3 = utc_time (fixture->now_ms - 60 * 1000);
  g_autofree char *expected = NULL;

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, args, NULL, &out, &err), ==, 0);
  expected = g_strdup_printf (
    "TIME                 MODEL                                       ACCOUNT            RESULT                "
    "TTFB  TOTAL  IN/OUT/CACHED  ATTEMPTS\n"
    "%s  claude-sonnet-4-6                           user1@example.com  ok 200              250 ms  2.5 s       "
    "100/40/0\n"
    "%s  claude-opus-4-6 → claude-opus-4-6-thinking  user2@example.com  ok 200              250 ms  2.5 s      "
    "1200/40/0  rotated: user1 429 quota\n"
    "%s  claude-opus-4-6 → claude-opus-4-6-thinking  user2@example.com  upstream_error 503       -  2.5 s      "
    "1300/40/0  failed: user2 503 capacity\n",
    t1, t2, t3);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "");
}

static void
test_limit_and_since (Fixture *fixture, gconstpointer data)
{
  const char *limit_args[] = { "log", "--limit", "1", NULL };
  const char *since_args[] = { "log", "--since", "30m", NULL };
  const char *empty_args[] = { "log", "--since", "10s", NULL };
  g_autofree char *limited = NULL;
  g_autofree char *recent = NULL;
  g_autofree char *empty = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, limit_args, NULL, &limited, NULL), ==, 0);
  lines = g_strsplit (limited, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* header, one row, "" after the last newline */
  g_assert_true (g_str_has_prefix (lines[0], "TIME "));
  g_assert_nonnull (strstr (lines[1], "upstream_error 503"));
  g_clear_pointer (&lines, g_strfreev);

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, since_args, NULL, &recent, NULL), ==, 0);
  lines = g_strsplit (recent, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_nonnull (strstr (lines[1], "rotated: user1 429 quota"));
  g_assert_nonnull (strstr (lines[2], "failed: user2 503 capacity"));

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, empty_args, NULL, &empty, NULL), ==, 0);
  g_assert_cmpstr (empty, ==, "No requests recorded in that period.\n");
}

static void
test_json (Fixture *fixture, gconstpointer data)
{
  const char *args[] = { "log", "--json", "-n", "2", NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonObject *row;
  JsonObject *attempt;

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, args, NULL, &out, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);

  row = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_object_get_int_member (row, "time_ms"), ==, fixture->now_ms - 600 * 1000);
  g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, "claude-opus-4-6");
  g_assert_cmpstr (json_object_get_string_member (row, "upstream_model"), ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (json_object_get_string_member (row, "session_id"), ==, "session-1");
  g_assert_cmpstr (json_object_get_string_member (row, "outcome"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (row, "ttfb_ms"), ==, 250);
  g_assert_cmpint (json_object_get_int_member (row, "input_tokens"), ==, 1200);
  attempt = json_array_get_object_element (json_object_get_array_member (row, "attempts"), 0);
  g_assert_cmpstr (json_object_get_string_member (attempt, "account"), ==, "user1@example.com");
  g_assert_cmpstr (json_object_get_string_member (attempt, "reason"), ==, "quota");
  g_assert_cmpint (json_object_get_int_member (attempt, "status"), ==, 429);

  row = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "outcome"), ==, "upstream_error");
  g_assert_true (json_object_get_null_member (row, "ttfb_ms"));
}

static void
test_bad_arguments (Fixture *fixture, gconstpointer data)
{
  const char *bad_since[] = { "log", "--since", "yesterday", NULL };
  const char *bad_limit[] = { "log", "--limit", "-3", NULL };
  const char *extra[] = { "log", "all", NULL };
  g_autofree char *err1 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, bad_since, NULL, NULL, &err1), ==, 2);
  g_assert_cmpstr (err1, ==, "ag-cl log: --since: “yesterday” is not a duration (examples: 90s, 15m, 2h, 1d12h)\n");
  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, bad_limit, NULL, NULL, &err2), ==, 2);
  g_assert_cmpstr (err2, ==, "ag-cl log: --limit must be 0 or more\n");
  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, extra, NULL, NULL, &err3), ==, 2);
  g_assert_cmpstr (err3, ==, "ag-cl log: unexpected argument “all”\n");
}

static void
test_no_log_yet (Fixture *fixture, gconstpointer data)
{
  const char *args[] = { "log", NULL };
  const char *json_args[] = { "log", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "history.db", NULL);
  g_autofree char *expected = g_strdup_printf ("No requests recorded yet (%s does not exist).\n", path);

  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, args, NULL, &out, NULL), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, json_args, NULL, &json, NULL), ==, 0);
  g_assert_cmpstr (json, ==, "[]\n");
  /* Reading does not create an empty log. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/log-cli/table", Fixture, "rows", fixture_set_up, test_table, fixture_tear_down);
  g_test_add ("/log-cli/limit-and-since", Fixture, "rows", fixture_set_up, test_limit_and_since, fixture_tear_down);
  g_test_add ("/log-cli/json", Fixture, "rows", fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/log-cli/bad-arguments", Fixture, NULL, fixture_set_up, test_bad_arguments, fixture_tear_down);
  g_test_add ("/log-cli/no-log-yet", Fixture, NULL, fixture_set_up, test_no_log_yet, fixture_tear_down);
  return g_test_run ();
}
