/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The history database on its own, on a real file in a temporary directory, without the store's thread: rows go
 * in and come back field for field, queries filter and order, trimming and pruning keep what they should, and a
 * file that is not ours (garbage, a newer schema) is refused without being touched. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include "ag-history-db.h"
#include "ag-test.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)
#define BASE_MS ((gint64) 1764000000000)

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = ag_test_make_tmp_dir ("history-db-XXXXXX");
  /* In a folder that does not exist yet: opening creates it. */
  f->path = g_build_filename (f->dir, "data", "history.db", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ag_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static AgHistoryDb *
open_db (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  AgHistoryDb *db = ag_history_db_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static AgRequestRecord *
numbered_record (guint n)
{
  AgRequestRecord *record = ag_request_record_new ();

  record->time_ms = BASE_MS + (gint64) n * 1000;
  record->client = g_strdup ("claude-cli/2.0.50 (external, cli)");
  record->model = g_strdup ("claude-opus-4-6");
  record->upstream_model = g_strdup ("claude-opus-4-6-thinking");
  record->account = g_strdup_printf ("user%u@example.com", n % 2 + 1);
  record->outcome = AG_REQUEST_OUTCOME_OK;
  record->status = 200;
  record->ttfb_ms = n;
  record->total_ms = 1000 + n;
  record->input_tokens = n * 10;
  record->output_tokens = n * 2;
  record->cache_read_tokens = n * 5;
  return record;
}

/* Inserts records @first … @last in one transaction. */
static void
insert_numbered (AgHistoryDb *db, guint first, guint last)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_history_db_begin (db, &error));
  for (guint n = first; n <= last; n++)
    {
      g_autoptr(AgRequestRecord) record = numbered_record (n);

      g_assert_true (ag_history_db_insert_request (db, record, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ag_history_db_commit (db, &error));
  g_assert_no_error (error);
}

static GPtrArray *
query_requests (AgHistoryDb *db, guint limit, gint64 since_ms)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = ag_history_db_query_requests (db, limit, since_ms, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static guint
record_number (GPtrArray *rows, guint index)
{
  AgRequestRecord *record = g_ptr_array_index (rows, index);

  return (guint) ((record->time_ms - BASE_MS) / 1000);
}

static void
test_requests_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  g_autoptr(AgRequestRecord) full = ag_request_record_new ();
  g_autoptr(AgRequestRecord) sparse = ag_request_record_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  AgRequestRecord *row;

  full->time_ms = BASE_MS;
  full->client = g_strdup ("claude-cli/2.0.50 (external, cli)");
  full->session_id = g_strdup ("session-1");
  full->model = g_strdup ("claude-opus-4-6");
  full->upstream_model = g_strdup ("claude-opus-4-6-thinking");
  full->account = g_strdup ("user1@example.com");
  ag_request_record_add_attempt (full, "user2@example.com", "quota", 429, 0);
  ag_request_record_add_attempt (full, NULL, "all_limited_wait", 0, 1200);
  full->outcome = AG_REQUEST_OUTCOME_OK;
  full->status = 200;
  full->ttfb_ms = 35;
  full->total_ms = 1800;
  full->input_tokens = 1200;
  full->output_tokens = 300;
  full->cache_read_tokens = 800;
  /* Nothing was sent upstream and no byte reached the client: every nullable column is NULL. */
  sparse->time_ms = BASE_MS + 1000;
  sparse->outcome = AG_REQUEST_OUTCOME_CANCELLED;
  sparse->status = 499;

  g_assert_true (ag_history_db_begin (db, &error));
  g_assert_true (ag_history_db_insert_request (db, full, &error));
  g_assert_true (ag_history_db_insert_request (db, sparse, &error));
  g_assert_true (ag_history_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (full->id, ==, 1);
  g_assert_cmpint (sparse->id, ==, 2);

  /* Closed and reopened: the rows are on disk, not in the connection. */
  g_clear_pointer (&db, ag_history_db_close);
  db = open_db (f);
  rows = query_requests (db, 0, 0);
  g_assert_cmpuint (rows->len, ==, 2);

  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->id, ==, 1);
  g_assert_cmpint (row->time_ms, ==, BASE_MS);
  g_assert_cmpstr (row->client, ==, "claude-cli/2.0.50 (external, cli)");
  g_assert_cmpstr (row->session_id, ==, "session-1");
  g_assert_cmpstr (row->model, ==, "claude-opus-4-6");
  g_assert_cmpstr (row->upstream_model, ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (row->account, ==, "user1@example.com");
  g_assert_cmpint (row->outcome, ==, AG_REQUEST_OUTCOME_OK);
  g_assert_cmpuint (row->status, ==, 200);
  g_assert_cmpint (row->ttfb_ms, ==, 35);
  g_assert_cmpint (row->total_ms, ==, 1800);
  g_assert_cmpint (row->input_tokens, ==, 1200);
  g_assert_cmpint (row->output_tokens, ==, 300);
  g_assert_cmpint (row->cache_read_tokens, ==, 800);
  g_assert_cmpuint (row->attempts->len, ==, 2);
  {
    AgRequestAttempt *first = g_ptr_array_index (row->attempts, 0);
    AgRequestAttempt *second = g_ptr_array_index (row->attempts, 1);

    g_assert_cmpstr (first->account, ==, "user2@example.com");
    g_assert_cmpstr (first->reason, ==, "quota");
    g_assert_cmpuint (first->status, ==, 429);
    g_assert_null (second->account);
    g_assert_cmpstr (second->reason, ==, "all_limited_wait");
    g_assert_cmpint (second->wait_ms, ==, 1200);
  }

  row = g_ptr_array_index (rows, 1);
  g_assert_cmpint (row->id, ==, 2);
  g_assert_null (row->client);
  g_assert_null (row->session_id);
  g_assert_null (row->model);
  g_assert_null (row->upstream_model);
  g_assert_null (row->account);
  g_assert_cmpuint (row->attempts->len, ==, 0);
  g_assert_cmpint (row->outcome, ==, AG_REQUEST_OUTCOME_CANCELLED);
  g_assert_cmpuint (row->status, ==, 499);
  g_assert_cmpint (row->ttfb_ms, ==, -1);
}

static void
test_requests_limit_since (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) since = NULL;
  g_autoptr(GPtrArray) both = NULL;

  insert_numbered (db, 0, 9);

  /* The newest three, oldest first. */
  newest = query_requests (db, 3, 0);
  g_assert_cmpuint (newest->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (record_number (newest, i), ==, 7 + i);

  /* At or after since_ms. */
  since = query_requests (db, 0, BASE_MS + 6 * 1000);
  g_assert_cmpuint (since->len, ==, 4);
  g_assert_cmpuint (record_number (since, 0), ==, 6);

  both = query_requests (db, 2, BASE_MS + 6 * 1000);
  g_assert_cmpuint (both->len, ==, 2);
  g_assert_cmpuint (record_number (both, 0), ==, 8);
  g_assert_cmpuint (record_number (both, 1), ==, 9);
}

static void
test_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  g_autoptr(AgRequestRecord) record = numbered_record (1);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_history_db_begin (db, &error));
  g_assert_true (ag_history_db_insert_request (db, record, &error));
  g_assert_no_error (error);
  ag_history_db_rollback (db);

  rows = query_requests (db, 0, 0);
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
test_trim (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  insert_numbered (db, 1, 20);
  /* At the bound: nothing to do. */
  g_assert_true (ag_history_db_trim_requests (db, 20, &error));
  g_assert_no_error (error);
  rows = query_requests (db, 0, 0);
  g_assert_cmpuint (rows->len, ==, 20);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* One over: down to 90 % of the bound, the oldest first. */
  insert_numbered (db, 21, 21);
  g_assert_true (ag_history_db_trim_requests (db, 20, &error));
  g_assert_no_error (error);
  rows = query_requests (db, 0, 0);
  g_assert_cmpuint (rows->len, ==, 18);
  g_assert_cmpuint (record_number (rows, 0), ==, 4);
  g_assert_cmpuint (record_number (rows, 17), ==, 21);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The count is kept across a reopen: the next trim sees the 18 rows already there. */
  g_clear_pointer (&db, ag_history_db_close);
  db = open_db (f);
  insert_numbered (db, 22, 23);
  g_assert_true (ag_history_db_trim_requests (db, 20, &error));
  rows = query_requests (db, 0, 0);
  g_assert_cmpuint (rows->len, ==, 20);
  g_clear_pointer (&rows, g_ptr_array_unref);
  insert_numbered (db, 24, 24);
  g_assert_true (ag_history_db_trim_requests (db, 20, &error));
  g_assert_no_error (error);
  rows = query_requests (db, 0, 0);
  g_assert_cmpuint (rows->len, ==, 18);
  g_assert_cmpuint (record_number (rows, 0), ==, 7);
}

static void
insert_sample (AgHistoryDb *db, const char *account, const char *model, double fraction, gint64 reset_ms,
               gint64 time_ms)
{
  g_autoptr(AgQuotaSample) sample = ag_quota_sample_new (time_ms, account, model, fraction, reset_ms);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_history_db_insert_quota_sample (db, sample, &error));
  g_assert_no_error (error);
}

static GPtrArray *
query_quota (AgHistoryDb *db, const char *account, const char *model, gint64 since_ms, gint64 until_ms)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = ag_history_db_query_quota (db, account, model, since_ms, until_ms, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static void
test_quota_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GPtrArray) window = NULL;
  g_autoptr(GPtrArray) account = NULL;
  g_autoptr(GPtrArray) model = NULL;
  g_autoptr(GPtrArray) all = NULL;
  AgQuotaSample *sample;

  /* Out of time order: queries sort by time. */
  for (gint i = 3; i >= 0; i--)
    {
      gint64 time_ms = BASE_MS + i * 60000;

      insert_sample (db, "user1@example.com", "gemini-3-flash", 1.0 - i * 0.25, BASE_MS + DAY_MS, time_ms);
      insert_sample (db, "user1@example.com", "claude-sonnet-4-6", 0.5, 0, time_ms);
      insert_sample (db, "user2@example.com", "gemini-3-flash", 0.1, 0, time_ms);
    }

  series = query_quota (db, "user1@example.com", "gemini-3-flash", 0, 0);
  g_assert_cmpuint (series->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      sample = g_ptr_array_index (series, i);
      g_assert_cmpint (sample->time_ms, ==, BASE_MS + i * 60000);
      g_assert_cmpstr (sample->account, ==, "user1@example.com");
      g_assert_cmpstr (sample->model, ==, "gemini-3-flash");
      g_assert_cmpfloat_with_epsilon (sample->remaining_fraction, 1.0 - i * 0.25, 1e-9);
      g_assert_cmpint (sample->reset_ms, ==, BASE_MS + DAY_MS);
    }

  /* [since, until): the two middle readings. */
  window = query_quota (db, "user1@example.com", "gemini-3-flash", BASE_MS + 60000, BASE_MS + 3 * 60000);
  g_assert_cmpuint (window->len, ==, 2);
  g_assert_cmpint (((AgQuotaSample *) g_ptr_array_index (window, 0))->time_ms, ==, BASE_MS + 60000);
  g_assert_cmpint (((AgQuotaSample *) g_ptr_array_index (window, 1))->time_ms, ==, BASE_MS + 2 * 60000);

  account = query_quota (db, "user1@example.com", NULL, 0, 0);
  g_assert_cmpuint (account->len, ==, 8);
  model = query_quota (db, NULL, "gemini-3-flash", 0, 0);
  g_assert_cmpuint (model->len, ==, 8);
  all = query_quota (db, NULL, NULL, 0, 0);
  g_assert_cmpuint (all->len, ==, 12);
}

static void
test_prune_quota (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = BASE_MS + 365 * DAY_MS;

  insert_sample (db, "user1@example.com", "gemini-3-flash", 0.2, 0, now - 91 * DAY_MS);
  insert_sample (db, "user1@example.com", "gemini-3-flash", 0.4, 0, now - 89 * DAY_MS);
  /* Not yet due: pruning runs once per many inserts. */
  g_assert_true (ag_history_db_prune (db, now, 90, FALSE, &error));
  g_assert_no_error (error);
  before = query_quota (db, NULL, NULL, 0, 0);
  g_assert_cmpuint (before->len, ==, 2);

  g_assert_true (ag_history_db_begin (db, &error));
  for (guint i = 2; i < 500; i++)
    insert_sample (db, "user2@example.com", "gemini-3-flash", 0.5, 0, now - i);
  g_assert_true (ag_history_db_prune (db, now, 90, FALSE, &error));
  g_assert_true (ag_history_db_commit (db, &error));
  g_assert_no_error (error);

  /* Only the sample older than 90 days is gone. */
  after = query_quota (db, "user1@example.com", NULL, 0, 0);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (((AgQuotaSample *) g_ptr_array_index (after, 0))->time_ms, ==, now - 89 * DAY_MS);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = query_quota (db, NULL, NULL, 0, 0);
  g_assert_cmpuint (after->len, ==, 499);
}

static void
test_schema (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) db = open_db (f);
  sqlite3 *raw = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA user_version", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (statement, 0), ==, AG_HISTORY_DB_SCHEMA_VERSION);
  sqlite3_finalize (statement);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA journal_mode", -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, "wal");
  sqlite3_finalize (statement);
  sqlite3_close (raw);

  /* Opening an up-to-date file again migrates nothing and keeps working. */
  g_clear_pointer (&db, ag_history_db_close);
  db = open_db (f);
  insert_numbered (db, 1, 1);
}

static void
write_file (const char *path, const char *contents, gssize length)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_corrupt_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgHistoryDb) db = NULL;
  g_autofree char *garbage = g_malloc (8192);
  g_autofree char *prefix = g_strdup_printf ("cannot open the request history %s: ", f->path);
  g_autofree char *contents = NULL;
  gsize length = 0;

  for (guint i = 0; i < 8192; i++)
    garbage[i] = (char) ('a' + i % 26);
  write_file (f->path, garbage, 8192);

  db = ag_history_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_cmpuint (strlen (error->message), >, strlen (prefix));

  /* Refused, not repaired: the user's file is left as it was. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, 8192);
  g_assert_cmpmem (contents, length, garbage, 8192);
}

static void
test_newer_schema (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgHistoryDb) db = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *expected = NULL;
  sqlite3 *raw = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  db = ag_history_db_open (f->path, &error);
  g_assert_null (db);
  expected = g_strdup_printf ("cannot open the request history %s: it was written by a newer ag-cl (schema 99, "
                              "this one knows %d)", f->path, AG_HISTORY_DB_SCHEMA_VERSION);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_folder_not_creatable (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgHistoryDb) db = NULL;
  g_autofree char *file = g_build_filename (f->dir, "data", NULL);
  g_autofree char *path = g_build_filename (file, "sub", "history.db", NULL);

  write_file (file, "", 0);
  db = ag_history_db_open (path, &error);
  g_assert_null (db);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_true (g_str_has_prefix (error->message, "cannot create the folder "));
}

static AgRateLimit *
rest (const char *account, const char *model, AgUpstreamFailure kind, gint64 until_ms, guint failures)
{
  AgRateLimit *limit = g_new0 (AgRateLimit, 1);

  limit->account = g_strdup (account);
  limit->model = g_strdup (model);
  limit->kind = kind;
  limit->until_ms = until_ms;
  limit->failures = failures;
  return limit;
}

static GPtrArray *
rests (AgRateLimit *first, ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  va_list args;

  va_start (args, first);
  for (AgRateLimit *limit = first; limit != NULL; limit = va_arg (args, AgRateLimit *))
    g_ptr_array_add (array, limit);
  va_end (args);
  return array;
}

static void
assert_rests (GPtrArray *actual, const char *expected)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < actual->len; i++)
    {
      AgRateLimit *limit = actual->pdata[i];

      g_string_append_printf (text, "%s%s/%s/%d/%" G_GINT64_FORMAT "/%u", i > 0 ? " " : "", limit->account,
                              limit->model, limit->kind, limit->until_ms - BASE_MS, limit->failures);
    }
  g_assert_cmpstr (text->str, ==, expected);
}

/* Two ag-cl on one data directory (two connections to one file): the later end of a rest wins whoever writes it,
 * an early end forgets only what its writer knew, and loading drops what is over. */
static void
test_limits_two_instances (Fixture *f, gconstpointer data)
{
  g_autoptr(AgHistoryDb) a = open_db (f);
  g_autoptr(AgHistoryDb) b = open_db (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) from_a = rests (rest ("u1", "m", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, BASE_MS + 7200000, 1),
                                       rest ("u2", "m", AG_UPSTREAM_FAILURE_RATE_LIMIT, BASE_MS + 30000, 1),
                                       rest ("u3", "m", AG_UPSTREAM_FAILURE_CAPACITY, BASE_MS + 10000, 1), NULL);
  g_autoptr(GPtrArray) from_b = rests (rest ("u1", "m", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, BASE_MS + 3600000, 3),
                                       rest ("u2", "m", AG_UPSTREAM_FAILURE_RATE_LIMIT, BASE_MS + 60000, 2), NULL);
  /* a saw u2's rest (to +30 s) end early; b's later one (to +60 s) stays. a saw u3's end: it goes. */
  g_autoptr(GPtrArray) ended_in_a = rests (rest ("u2", "m", AG_UPSTREAM_FAILURE_RATE_LIMIT, BASE_MS + 30000, 1),
                                           rest ("u3", "m", AG_UPSTREAM_FAILURE_CAPACITY, BASE_MS + 10000, 1), NULL);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) later = NULL;

  g_assert_true (ag_history_db_save_limits (a, from_a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ag_history_db_save_limits (b, from_b, NULL, &error));
  g_assert_true (ag_history_db_save_limits (a, NULL, ended_in_a, &error));
  g_assert_no_error (error);

  loaded = ag_history_db_load_limits (b, BASE_MS, &error);
  g_assert_no_error (error);
  assert_rests (loaded, "u2/m/1/60000/2 u1/m/2/7200000/1");
  /* An hour and a minute later only u1's two-hour rest is left, and the rest are gone from the file. */
  later = ag_history_db_load_limits (a, BASE_MS + 3660000, &error);
  g_assert_no_error (error);
  assert_rests (later, "u1/m/2/7200000/1");
  g_clear_pointer (&later, g_ptr_array_unref);
  later = ag_history_db_load_limits (b, BASE_MS, &error);
  assert_rests (later, "u1/m/2/7200000/1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/history-db/requests/round-trip", test_requests_round_trip);
  ADD ("/history-db/requests/limit-since", test_requests_limit_since);
  ADD ("/history-db/requests/rollback", test_rollback);
  ADD ("/history-db/requests/trim", test_trim);
  ADD ("/history-db/quota/round-trip", test_quota_round_trip);
  ADD ("/history-db/quota/prune", test_prune_quota);
  ADD ("/history-db/limits/two-instances", test_limits_two_instances);
  ADD ("/history-db/open/schema", test_schema);
  ADD ("/history-db/open/corrupt-file", test_corrupt_file);
  ADD ("/history-db/open/newer-schema", test_newer_schema);
  ADD ("/history-db/open/folder-not-creatable", test_folder_not_creatable);
#undef ADD

  return g_test_run ();
}
