/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The history store on a real SQLite file: adding never blocks the main loop, rows come back in order, the log
 * is bounded, quota samples are queried by series, and a database that cannot be opened drops rows and reports
 * "failed" without crashing, then recovers. */
#include "ag-test.h"
#include "ag-history-store.h"
#include "ag-settings.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef struct {
  char           *dir;
  char           *path;
  AgHistoryStore *store;
  guint           added;
  gint64          last_id;
  guint           failed;
  char           *failure;
} Fixture;

static void
on_request_added (AgHistoryStore *store, gint64 id, gpointer user_data)
{
  Fixture *fixture = user_data;

  /* Ids grow: the UI can append without sorting. */
  g_assert_cmpint (id, >, fixture->last_id);
  fixture->last_id = id;
  fixture->added++;
}

static void
on_failed (AgHistoryStore *store, const char *message, gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->failed++;
  g_free (fixture->failure);
  fixture->failure = g_strdup (message);
}

static void
watch (Fixture *fixture, AgHistoryStore *store)
{
  g_signal_connect (store, "request-added", G_CALLBACK (on_request_added), fixture);
  g_signal_connect (store, "failed", G_CALLBACK (on_failed), fixture);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = ag_test_make_tmp_dir ("ag-history-XXXXXX");
  fixture->path = g_build_filename (fixture->dir, "data", "history.db", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  ag_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->failure);
}

/* A day ago: rows older than the retention period (90 days) would be pruned as they are written. */
static gint64 base_ms;

static AgRequestRecord *
numbered_record (guint n)
{
  AgRequestRecord *record = ag_request_record_new ();

  record->time_ms = base_ms + (gint64) n * 1000;
  record->client = g_strdup ("claude-cli/2.0.50 (external, cli)");
  record->session_id = g_strdup_printf ("session-%u", n % 3);
  record->model = g_strdup ("claude-opus-4-6");
  record->upstream_model = g_strdup ("claude-opus-4-6-thinking");
  record->account = g_strdup (n % 2 == 0 ? "user1@example.com" : "user2@example.com");
  record->outcome = AG_REQUEST_OUTCOME_OK;
  record->status = 200;
  record->ttfb_ms = n;
  record->total_ms = 1000 + n;
  record->input_tokens = n * 10;
  record->output_tokens = n * 2;
  record->cache_read_tokens = n * 5;
  if (n % 10 == 0)
    ag_request_record_add_attempt (record, "user3@example.com", "quota", 429, 0);
  return record;
}

static void
assert_numbered (AgRequestRecord *record, guint n)
{
  g_assert_cmpint (record->time_ms, ==, base_ms + (gint64) n * 1000);
  g_assert_cmpint (record->ttfb_ms, ==, n);
  g_assert_cmpint (record->total_ms, ==, 1000 + n);
  g_assert_cmpint (record->input_tokens, ==, n * 10);
  g_assert_cmpint (record->output_tokens, ==, n * 2);
  g_assert_cmpint (record->cache_read_tokens, ==, n * 5);
  g_assert_cmpstr (record->account, ==, n % 2 == 0 ? "user1@example.com" : "user2@example.com");
  g_assert_cmpuint (record->attempts->len, ==, n % 10 == 0 ? 1 : 0);
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Runs first: the environment is set before any thread exists, and stays set (unsetenv is not thread-safe). */
static void
test_default_path (Fixture *fixture, gconstpointer data)
{
  g_autofree char *data_dir = g_build_filename (fixture->dir, "from-env", NULL);
  g_autofree char *expected = g_build_filename (data_dir, "history.db", NULL);
  g_autofree char *expected_default = g_build_filename (g_get_user_data_dir (), "ag-cl", NULL);
  g_autofree char *user_default = NULL;
  g_autofree char *dir = NULL;

  g_setenv ("AGCL_DATA_DIR", "", TRUE);
  user_default = ag_history_store_get_data_dir ();
  g_assert_cmpstr (user_default, ==, expected_default);
  g_setenv ("AGCL_DATA_DIR", data_dir, TRUE);
  dir = ag_history_store_get_data_dir ();
  g_assert_cmpstr (dir, ==, data_dir);

  fixture->store = ag_history_store_new (NULL);
  g_assert_cmpstr (ag_history_store_get_path (fixture->store), ==, expected);
  ag_history_store_add_request (fixture->store, numbered_record (1));
  g_clear_object (&fixture->store);
  /* Created on first use, private to the user. */
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  {
    GStatBuf buf;

    g_assert_cmpint (g_stat (data_dir, &buf), ==, 0);
    g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
  }
}

static void
test_thousand_requests (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gint64 durations[1000];
  gint64 started;
  AgRequestRecord *first, *last;

  fixture->store = ag_history_store_new (fixture->path);
  watch (fixture, fixture->store);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      AgRequestRecord *record = numbered_record (i);
      gint64 before = g_get_monotonic_time ();

      ag_history_store_add_request (fixture->store, record);
      durations[i] = g_get_monotonic_time () - before;
      /* Interleave with the main loop, as the proxy does. */
      g_main_context_iteration (NULL, FALSE);
    }
  ag_test_wait_count (&fixture->added, 1000, AG_TEST_TIMEOUT_MS);
  qsort (durations, G_N_ELEMENTS (durations), sizeof (gint64), compare_gint64);
  g_test_message ("add_request: median %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT
                  " µs; 1000 rows written in %" G_GINT64_FORMAT " ms",
                  durations[500], durations[990], durations[999], (g_get_monotonic_time () - started) / 1000);
  /* Queueing only: a few µs. The bars leave room for the scheduler preempting the test on a busy machine (a
   * blocking write would wait on the disk every time, not once in a hundred). */
  g_assert_cmpint (durations[990], <, 500);
  g_assert_cmpint (durations[999], <, 20000);
  g_assert_cmpuint (fixture->failed, ==, 0);
  g_assert_cmpuint (ag_history_store_get_dropped (fixture->store), ==, 0);

  records = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1000);
  for (guint i = 0; i < records->len; i++)
    assert_numbered (g_ptr_array_index (records, i), i);
  first = g_ptr_array_index (records, 0);
  last = g_ptr_array_index (records, 999);
  g_assert_cmpint (last->id, ==, fixture->last_id);
  g_assert_cmpint (last->id - first->id, ==, 999);
  g_assert_cmpstr (first->client, ==, "claude-cli/2.0.50 (external, cli)");
  g_assert_cmpstr (first->session_id, ==, "session-0");
  g_assert_cmpstr (first->upstream_model, ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (((AgRequestAttempt *) g_ptr_array_index (first->attempts, 0))->reason, ==, "quota");
}

static void
test_query_limit_since (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GPtrArray) both = NULL;
  g_autoptr(GError) error = NULL;
  AgRequestRecord *record;

  fixture->store = ag_history_store_new (fixture->path);
  for (guint i = 0; i < 30; i++)
    ag_history_store_add_request (fixture->store, numbered_record (i));
  record = ag_request_record_new ();
  record->time_ms = base_ms + 100000;
  record->outcome = AG_REQUEST_OUTCOME_INTERCEPTED;
  ag_history_store_add_request (fixture->store, record);

  /* Queries are answered after the writes queued before them: no waiting for "request-added" needed. */
  newest = ag_test_history_query_requests (fixture->store, 5, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 5);
  for (guint i = 0; i < 4; i++)
    assert_numbered (g_ptr_array_index (newest, i), 26 + i);
  record = g_ptr_array_index (newest, 4);
  g_assert_cmpint (record->outcome, ==, AG_REQUEST_OUTCOME_INTERCEPTED);
  g_assert_null (record->model);
  g_assert_null (record->account);
  g_assert_cmpint (record->ttfb_ms, ==, -1);

  recent = ag_test_history_query_requests (fixture->store, 0, base_ms + 25 * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 6);
  assert_numbered (g_ptr_array_index (recent, 0), 25);

  both = ag_test_history_query_requests (fixture->store, 2, base_ms + 10 * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (both->len, ==, 2);
  assert_numbered (g_ptr_array_index (both, 0), 29);
}

static void
test_bounded (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) fewer = NULL;
  g_autoptr(GError) error = NULL;

  fixture->store = ag_history_store_new (fixture->path);
  watch (fixture, fixture->store);
  ag_history_store_set_max_rows (fixture->store, 100);
  g_assert_cmpuint (ag_history_store_get_max_rows (fixture->store), ==, 100);
  for (guint i = 0; i < 250; i++)
    ag_history_store_add_request (fixture->store, numbered_record (i));
  ag_test_wait_count (&fixture->added, 250, AG_TEST_TIMEOUT_MS);

  /* Never more than max-rows; trimming in batches leaves at least 90 % of it; always the newest. */
  kept = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, <=, 100);
  g_assert_cmpuint (kept->len, >=, 90);
  for (guint i = 0; i < kept->len; i++)
    assert_numbered (g_ptr_array_index (kept, i), 250 - kept->len + i);

  g_object_set (fixture->store, "max-rows", 20, NULL);
  fewer = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fewer->len, ==, 18);
  assert_numbered (g_ptr_array_index (fewer, 17), 249);
  g_assert_cmpuint (ag_history_store_get_dropped (fixture->store), ==, 0);
}

/* The setting the app binds to "max-rows" has the property's type and default. */
static void
test_settings_binding (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GSettings) settings = ag_settings_new ();

  fixture->store = ag_history_store_new (fixture->path);
  g_assert_nonnull (settings);
  g_settings_bind (settings, "request-log-max-rows", fixture->store, "max-rows", G_SETTINGS_BIND_GET);
  g_assert_cmpuint (ag_history_store_get_max_rows (fixture->store), ==, AG_HISTORY_STORE_DEFAULT_MAX_ROWS);
  g_settings_set_uint (settings, "request-log-max-rows", 1234);
  g_assert_cmpuint (ag_history_store_get_max_rows (fixture->store), ==, 1234);
}

static GPtrArray *
query_quota (AgHistoryStore *store, const char *account, const char *model, gint64 since_ms, gint64 until_ms)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *samples = ag_test_history_query_quota (store, account, model, since_ms, until_ms, &error);

  g_assert_no_error (error);
  return samples;
}

static void
test_quota_samples (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GPtrArray) window = NULL;
  g_autoptr(GPtrArray) account = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 now = g_get_real_time () / 1000;
  AgQuotaSample *sample;

  fixture->store = ag_history_store_new (fixture->path);
  for (guint i = 0; i < 4; i++)
    {
      ag_history_store_add_quota_sample (fixture->store, "user1@example.com", "gemini-3-flash", 1.0 - i * 0.25,
                                         now + 3600000, now - (4 - i) * 60000);
      ag_history_store_add_quota_sample (fixture->store, "user1@example.com", "claude-sonnet-4-6", 0.5, 0,
                                         now - (4 - i) * 60000);
      ag_history_store_add_quota_sample (fixture->store, "user2@example.com", "gemini-3-flash", 0.1, 0,
                                         now - (4 - i) * 60000);
    }

  series = query_quota (fixture->store, "user1@example.com", "gemini-3-flash", 0, 0);
  g_assert_cmpuint (series->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      sample = g_ptr_array_index (series, i);
      g_assert_cmpstr (sample->account, ==, "user1@example.com");
      g_assert_cmpstr (sample->model, ==, "gemini-3-flash");
      g_assert_cmpfloat_with_epsilon (sample->remaining_fraction, 1.0 - i * 0.25, 1e-9);
      g_assert_cmpint (sample->reset_ms, ==, now + 3600000);
      g_assert_cmpint (sample->time_ms, ==, now - (4 - i) * 60000);
    }

  /* [since, until): the two middle readings. */
  window = query_quota (fixture->store, "user1@example.com", "gemini-3-flash", now - 3 * 60000, now - 60000);
  g_assert_cmpuint (window->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (((AgQuotaSample *) g_ptr_array_index (window, 0))->remaining_fraction, 0.75, 1e-9);

  account = query_quota (fixture->store, "user1@example.com", NULL, 0, 0);
  g_assert_cmpuint (account->len, ==, 8);
  all = query_quota (fixture->store, NULL, "gemini-3-flash", 0, 0);
  g_assert_cmpuint (all->len, ==, 8);
}

static void
test_reopen_keeps_rows (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  fixture->store = ag_history_store_new (fixture->path);
  for (guint i = 0; i < 10; i++)
    ag_history_store_add_request (fixture->store, numbered_record (i));
  /* Disposing writes what is queued before the worker stops: nothing is lost on a clean exit. */
  g_clear_object (&fixture->store);

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (statement, 0), ==, AG_HISTORY_STORE_SCHEMA_VERSION);
  sqlite3_finalize (statement);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, "wal");
  sqlite3_finalize (statement);
  sqlite3_close (db);

  fixture->store = ag_history_store_new (fixture->path);
  records = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 10);
  assert_numbered (g_ptr_array_index (records, 9), 9);
}

static void
test_newer_schema_refused (Fixture *fixture, gconstpointer data)
{
  g_autofree char *parent = g_path_get_dirname (fixture->path);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = ag_history_store_new (fixture->path);
  watch (fixture, fixture->store);
  ag_test_wait_count (&fixture->failed, 1, AG_TEST_TIMEOUT_MS);
  g_assert_nonnull (strstr (fixture->failure, "written by a newer ag-cl (schema 99"));
  records = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

/* Adds @n records, then waits until the worker has handled them (a query is answered after them). */
static void
add_and_settle (AgHistoryStore *store, guint n)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    ag_history_store_add_request (store, numbered_record (i));
  records = ag_test_history_query_requests (store, 0, 0, &error);
  g_assert_null (records);
  g_assert_nonnull (error);
}

static void
test_unwritable_directory (Fixture *fixture, gconstpointer data)
{
  g_autofree char *parent = g_path_get_dirname (fixture->path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_cmpint (g_chmod (parent, 0500), ==, 0);
  if (access (parent, W_OK) == 0)
    {
      g_test_skip ("permissions do not apply to this user (root)");
      return;
    }
  fixture->store = ag_history_store_new (fixture->path);
  watch (fixture, fixture->store);
  add_and_settle (fixture->store, 5);
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_nonnull (strstr (fixture->failure, "cannot open the request history"));
  g_assert_nonnull (strstr (fixture->failure, fixture->path));
  g_assert_cmpuint (ag_history_store_get_dropped (fixture->store), ==, 5);
  g_assert_cmpuint (fixture->added, ==, 0);
}

static void
test_data_dir_under_file (Fixture *fixture, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *data_dir = g_build_filename (file, "sub", NULL);
  g_autofree char *path = g_build_filename (data_dir, "history.db", NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, "not a directory", -1, NULL));
  fixture->store = ag_history_store_new (path);
  watch (fixture, fixture->store);
  ag_history_store_set_retry_interval (fixture->store, 3600);

  add_and_settle (fixture->store, 3);
  add_and_settle (fixture->store, 4);
  ag_history_store_add_quota_sample (fixture->store, "user1@example.com", "gemini-3-flash", 1, 0, 1);
  add_and_settle (fixture->store, 0);
  /* Reported once, however many rows were dropped. */
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_nonnull (strstr (fixture->failure, "cannot create the folder"));
  g_assert_cmpuint (ag_history_store_get_dropped (fixture->store), ==, 8);

  /* The disk is fixed: the next write after the retry interval reopens the database. */
  g_assert_cmpint (g_unlink (file), ==, 0);
  ag_history_store_set_retry_interval (fixture->store, 0);
  ag_history_store_add_request (fixture->store, numbered_record (42));
  records = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  assert_numbered (g_ptr_array_index (records, 0), 42);
  ag_test_wait_count (&fixture->added, 1, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_cmpuint (ag_history_store_get_dropped (fixture->store), ==, 8);
}

/* A full disk, simulated with a file size limit on this process (it applies to the worker thread, also as root):
 * every row is either written or counted as dropped, "failed" comes once, and writing resumes when space returns. */
static void
test_disk_full (Fixture *fixture, gconstpointer data)
{
  g_autofree char *big_client = g_strnfill (4096, 'x');
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit saved, limited;
  guint written;

  fixture->store = ag_history_store_new (fixture->path);
  watch (fixture, fixture->store);
  ag_history_store_add_request (fixture->store, numbered_record (0));
  ag_test_wait_count (&fixture->added, 1, AG_TEST_TIMEOUT_MS);

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = 256 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);
  for (guint i = 1; i <= 200; i++)
    {
      AgRequestRecord *record = numbered_record (i);

      g_free (record->client);
      record->client = g_strdup (big_client);
      ag_history_store_add_request (fixture->store, record);
    }
  add_and_settle (fixture->store, 0);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);

  written = fixture->added - 1;
  g_test_message ("with 256 KiB left: %u rows written, %u dropped; “%s”", written,
                  ag_history_store_get_dropped (fixture->store), fixture->failure);
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_nonnull (strstr (fixture->failure, "cannot write the request history"));
  g_assert_cmpuint (ag_history_store_get_dropped (fixture->store), >, 0);
  g_assert_cmpuint (written + ag_history_store_get_dropped (fixture->store), ==, 200);

  ag_history_store_set_retry_interval (fixture->store, 0);
  ag_history_store_add_request (fixture->store, numbered_record (500));
  records = ag_test_history_query_requests (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, written + 2);
  assert_numbered (g_ptr_array_index (records, records->len - 1), 500);
}

/* --- every kind of query, table-driven ------------------------------------------------------------------- */

#define QUERY_ACCOUNT "user1@example.com"

/* One row of each kind, queued through the store's own writes. */
static void
queue_one_of_each (AgHistoryStore *store, gint64 now_ms)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_window_free);
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  AgQuotaWindow *window = g_new0 (AgQuotaWindow, 1);
  AgRateLimit *limit = g_new0 (AgRateLimit, 1);
  g_autoptr(AgAccountStateRow) state = ag_account_state_row_new (QUERY_ACCOUNT, "banned", "Google says no",
                                                                 NULL, FALSE, now_ms);

  ag_history_store_add_request (store, numbered_record (4));
  ag_history_store_add_quota_sample (store, QUERY_ACCOUNT, "gemini-3-flash", 0.25, now_ms + 3600000, now_ms);
  window->group = g_strdup ("Gemini Models");
  window->kind = AG_QUOTA_WINDOW_WEEKLY;
  window->fraction = 0.5;
  g_ptr_array_add (windows, window);
  ag_history_store_add_quota_windows (store, QUERY_ACCOUNT, windows, now_ms);
  limit->account = g_strdup (QUERY_ACCOUNT);
  limit->model = g_strdup ("claude-opus-4-6-thinking");
  limit->kind = AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED;
  limit->until_ms = now_ms + 60000;
  limit->failures = 2;
  g_ptr_array_add (limits, limit);
  ag_history_store_save_limits (store, limits, NULL);
  ag_history_store_save_account_state (store, state);
}

/* Asks the store one kind of query and awaits it: what the answer holds in one line ("rows: first row"), or NULL
 * with @error. */
typedef char *(*AskFunc) (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error);

static char *
ask_requests (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_query_requests_async, store, 0, 0,
                                                        cancellable);
  g_autoptr(GPtrArray) rows = ag_history_store_query_requests_finish (store, result, error);
  AgRequestRecord *record = rows != NULL && rows->len > 0 ? rows->pdata[0] : NULL;

  return record == NULL ? NULL : g_strdup_printf ("%u: %s %s %" G_GINT64_FORMAT, rows->len, record->account,
                                                  record->upstream_model, record->input_tokens);
}

static char *
ask_quota (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_query_quota_async, store, QUERY_ACCOUNT,
                                                        "gemini-3-flash", now_ms, now_ms + 1, cancellable);
  g_autoptr(GPtrArray) rows = ag_history_store_query_quota_finish (store, result, error);
  AgQuotaSample *sample = rows != NULL && rows->len > 0 ? rows->pdata[0] : NULL;

  return sample == NULL ? NULL : g_strdup_printf ("%u: %s %s %.2f", rows->len, sample->account, sample->model,
                                                  sample->remaining_fraction);
}

static char *
ask_usage (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error)
{
  gint64 edges[] = { base_ms, base_ms + 3600000 };
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_query_usage_async, store, edges, 2,
                                                        AG_USAGE_BY_ACCOUNT, cancellable);
  g_autoptr(AgUsageReport) report = ag_history_store_query_usage_finish (store, result, error);
  AgUsageCell total;

  if (report == NULL || report->keys->len == 0)
    return NULL;
  total = ag_usage_report_get_total (report, 0);
  return g_strdup_printf ("%u: %s %u requests %" G_GINT64_FORMAT " tokens in", report->keys->len,
                          (const char *) report->keys->pdata[0], total.requests, total.input_tokens);
}

static char *
ask_quota_windows (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_query_quota_windows_async, store,
                                                        QUERY_ACCOUNT, now_ms, cancellable);
  g_autoptr(GPtrArray) rows = ag_history_store_query_quota_windows_finish (store, result, error);
  AgQuotaWindowSample *sample = rows != NULL && rows->len > 0 ? rows->pdata[0] : NULL;

  return sample == NULL ? NULL : g_strdup_printf ("%u: %s %s %s %.2f", rows->len, sample->account, sample->group,
                                                  sample->window, sample->remaining);
}

static char *
ask_limits (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_load_limits_async, store, now_ms,
                                                        cancellable);
  g_autoptr(GPtrArray) rows = ag_history_store_load_limits_finish (store, result, error);
  AgRateLimit *limit = rows != NULL && rows->len > 0 ? rows->pdata[0] : NULL;

  return limit == NULL ? NULL : g_strdup_printf ("%u: %s %s %u failures", rows->len, limit->account, limit->model,
                                                 limit->failures);
}

static char *
ask_account_states (AgHistoryStore *store, GCancellable *cancellable, gint64 now_ms, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_load_account_states_async, store,
                                                        cancellable);
  g_autoptr(GPtrArray) rows = ag_history_store_load_account_states_finish (store, result, error);
  AgAccountStateRow *row = rows != NULL && rows->len > 0 ? rows->pdata[0] : NULL;

  return row == NULL ? NULL : g_strdup_printf ("%u: %s %s %s", rows->len, row->account, row->state, row->reason);
}

static const struct {
  const char *name;
  AskFunc     ask;
  const char *expected;
} query_cases[] = {
  { "requests", ask_requests, "1: user1@example.com claude-opus-4-6-thinking 40" },
  { "quota", ask_quota, "1: user1@example.com gemini-3-flash 0.25" },
  { "usage", ask_usage, "1: user1@example.com 1 requests 40 tokens in" },
  { "quota-windows", ask_quota_windows, "1: user1@example.com Gemini Models weekly 0.50" },
  { "limits", ask_limits, "1: user1@example.com claude-opus-4-6-thinking 2 failures" },
  { "account-states", ask_account_states, "1: user1@example.com banned Google says no" },
};

/* Each kind of query, asked right after the writes were queued, answers with the row written (it waits behind
 * them); asked with its cancellable already cancelled, it fails as cancelled; on a database that cannot be
 * opened, it fails with the reason. */
static void
test_every_query (Fixture *fixture, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *unopenable = g_build_filename (file, "history.db", NULL);
  g_autoptr(AgHistoryStore) broken = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  gint64 now_ms = g_get_real_time () / 1000;

  fixture->store = ag_history_store_new (fixture->path);
  queue_one_of_each (fixture->store, now_ms);
  g_cancellable_cancel (cancelled);
  g_assert_true (g_file_set_contents (file, "not a directory", -1, NULL));
  broken = ag_history_store_new (unopenable);
  ag_history_store_set_retry_interval (broken, 3600);

  for (gsize i = 0; i < G_N_ELEMENTS (query_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *answer = NULL;

      g_test_message ("query %s", query_cases[i].name);
      answer = query_cases[i].ask (fixture->store, NULL, now_ms, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (answer, ==, query_cases[i].expected);

      g_assert_null (query_cases[i].ask (fixture->store, cancelled, now_ms, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);

      g_assert_null (query_cases[i].ask (broken, NULL, now_ms, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "cannot create the folder"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  base_ms = g_get_real_time () / 1000 - 24 * 3600 * 1000;
  g_test_add ("/history-store/default-path", Fixture, NULL, fixture_set_up, test_default_path, fixture_tear_down);
  g_test_add ("/history-store/thousand-requests", Fixture, NULL, fixture_set_up, test_thousand_requests,
              fixture_tear_down);
  g_test_add ("/history-store/query-limit-since", Fixture, NULL, fixture_set_up, test_query_limit_since,
              fixture_tear_down);
  g_test_add ("/history-store/bounded", Fixture, NULL, fixture_set_up, test_bounded, fixture_tear_down);
  g_test_add ("/history-store/settings-binding", Fixture, NULL, fixture_set_up, test_settings_binding,
              fixture_tear_down);
  g_test_add ("/history-store/quota-samples", Fixture, NULL, fixture_set_up, test_quota_samples, fixture_tear_down);
  g_test_add ("/history-store/reopen-keeps-rows", Fixture, NULL, fixture_set_up, test_reopen_keeps_rows,
              fixture_tear_down);
  g_test_add ("/history-store/newer-schema-refused", Fixture, NULL, fixture_set_up, test_newer_schema_refused,
              fixture_tear_down);
  g_test_add ("/history-store/unwritable-directory", Fixture, NULL, fixture_set_up, test_unwritable_directory,
              fixture_tear_down);
  g_test_add ("/history-store/disk-full", Fixture, NULL, fixture_set_up, test_disk_full, fixture_tear_down);
  g_test_add ("/history-store/every-query", Fixture, NULL, fixture_set_up, test_every_query, fixture_tear_down);
  g_test_add ("/history-store/data-dir-under-file", Fixture, NULL, fixture_set_up, test_data_dir_under_file,
              fixture_tear_down);
  return g_test_run ();
}
