/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-history-db-private.h"

#include <errno.h>
#include "ag-history-schema.h"
#include "ag-history-sql.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)
#define PRUNE_EVERY 500
#define BUSY_TIMEOUT_MS 2000
#define PAGE_CACHE_KIB 256
/* What a failed read names. */
#define HISTORY "the request history"

static const char insert_request_sql[] =
  "INSERT INTO requests (time_ms, client, session_id, model, upstream_model, account, attempts, outcome, status,"
  " ttfb_ms, total_ms, input_tokens, output_tokens, cache_read_tokens, detail, repairs, credits)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char insert_quota_sql[] =
  "INSERT INTO quota_samples (time_ms, account, model, remaining, reset_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char query_requests_sql[] =
  "SELECT id, time_ms, client, session_id, model, upstream_model, account, attempts, outcome, status, ttfb_ms,"
  " total_ms, input_tokens, output_tokens, cache_read_tokens, detail, repairs, credits"
  " FROM (SELECT * FROM requests WHERE time_ms >= ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id";
static const char query_quota_sql[] =
  "SELECT time_ms, account, model, remaining, reset_ms FROM quota_samples"
  " WHERE (?1 IS NULL OR account = ?1) AND (?2 IS NULL OR model = ?2) AND time_ms >= ?3"
  " AND (?4 = 0 OR time_ms < ?4) ORDER BY time_ms, id";
/* One line per request for the usage buckets; a rotation is a failed try that named an account. */
static const char query_usage_sql[] =
  "SELECT time_ms, CASE ?3 WHEN 0 THEN COALESCE(upstream_model, model) ELSE account END,"
  " CASE WHEN outcome IN ('client_error', 'upstream_error') THEN 1 WHEN outcome = 'refused' THEN 2 ELSE 0 END,"
  " (SELECT COUNT(*) FROM json_each(requests.attempts) WHERE json_extract(value, '$.account') IS NOT NULL),"
  " ttfb_ms, input_tokens, output_tokens, cache_read_tokens"
  " FROM requests WHERE time_ms >= ?1 AND time_ms < ?2";

/* The later end wins: two instances that both met a limit keep the longer rest. */
static const char upsert_limit_sql[] =
  "INSERT INTO limits (account, model, kind, until_ms, failures) VALUES (?1, ?2, ?3, ?4, ?5)"
  " ON CONFLICT (account, model) DO UPDATE SET kind = excluded.kind, until_ms = excluded.until_ms,"
  " failures = excluded.failures WHERE excluded.until_ms >= limits.until_ms";
/* A rest that ended early here goes, unless another instance has since recorded a later one. */
static const char delete_limit_sql[] =
  "DELETE FROM limits WHERE account = ?1 AND model = ?2 AND until_ms <= ?3";
static const char query_limits_sql[] =
  "SELECT account, model, kind, until_ms, failures FROM limits WHERE until_ms > ?1 ORDER BY until_ms";

struct _AgHistoryDb
{
  sqlite3      *db;
  sqlite3_stmt *insert_request;  /* prepared once: they run for every row written */
  sqlite3_stmt *insert_quota;
  gint64        request_rows;    /* what trimming compares with max_rows, without a COUNT(*) per batch */
  guint         inserts;         /* rows inserted since the last prune */
};

sqlite3 *
ag_history_db_get_handle (AgHistoryDb *self)
{
  return self->db;
}

void
ag_history_db_close (AgHistoryDb *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->insert_request, sqlite3_finalize);
  g_clear_pointer (&self->insert_quota, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_free (self);
}

static gboolean
count_requests (AgHistoryDb *self, GError **error)
{
  return ag_history_sql_query_int (self->db, "SELECT COUNT(*) FROM requests", &self->request_rows, error);
}

static gboolean
prepare_statements (AgHistoryDb *self, GError **error)
{
  if (sqlite3_prepare_v2 (self->db, insert_request_sql, -1, &self->insert_request, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (self->db, insert_quota_sql, -1, &self->insert_quota, NULL) == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (self->db));
  return FALSE;
}

AgHistoryDb *
ag_history_db_open (const char *path, GError **error)
{
  g_autoptr(AgHistoryDb) self = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot create the folder %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }
  self = g_new0 (AgHistoryDb, 1);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
      /* WAL + NORMAL: a crash loses no committed row, and a commit does not wait for fsync. Rows are appended
       * and read back rarely, so a small page cache is enough; SQLite's default 2 MiB showed as the proxy's
       * resident memory creeping up as the log grew. */
      if (ag_history_sql_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                               "PRAGMA cache_size = -" G_STRINGIFY (PAGE_CACHE_KIB), &local_error) &&
          ag_history_schema_migrate (self->db, &local_error) &&
          count_requests (self, &local_error) &&
          prepare_statements (self, &local_error))
        return g_steal_pointer (&self);
    }
  else
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                 self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open the request history %s: %s", path,
               local_error->message);
  return NULL;
}

gboolean
ag_history_db_begin (AgHistoryDb *self, GError **error)
{
  return ag_history_sql_exec (self->db, "BEGIN", error);
}

gboolean
ag_history_db_commit (AgHistoryDb *self, GError **error)
{
  return ag_history_sql_exec (self->db, "COMMIT", error);
}

void
ag_history_db_rollback (AgHistoryDb *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a prepared insert and readies it for the next row, whether it worked or not. */
static gboolean
step_insert (sqlite3 *db, sqlite3_stmt *statement, GError **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  if (rc == SQLITE_DONE)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (db));
  return FALSE;
}

gboolean
ag_history_db_insert_request (AgHistoryDb *self, AgRequestRecord *record, GError **error)
{
  sqlite3_stmt *statement = self->insert_request;
  g_autofree char *attempts = ag_request_record_attempts_to_json (record);

  sqlite3_bind_int64 (statement, 1, record->time_ms);
  ag_history_sql_bind_text (statement, 2, record->client);
  ag_history_sql_bind_text (statement, 3, record->session_id);
  ag_history_sql_bind_text (statement, 4, record->model);
  ag_history_sql_bind_text (statement, 5, record->upstream_model);
  ag_history_sql_bind_text (statement, 6, record->account);
  ag_history_sql_bind_text (statement, 7, attempts);
  ag_history_sql_bind_text (statement, 8, ag_request_outcome_to_string (record->outcome));
  sqlite3_bind_int64 (statement, 9, record->status);
  if (record->ttfb_ms >= 0)
    sqlite3_bind_int64 (statement, 10, record->ttfb_ms);
  else
    sqlite3_bind_null (statement, 10);
  sqlite3_bind_int64 (statement, 11, record->total_ms);
  sqlite3_bind_int64 (statement, 12, record->input_tokens);
  sqlite3_bind_int64 (statement, 13, record->output_tokens);
  sqlite3_bind_int64 (statement, 14, record->cache_read_tokens);
  ag_history_sql_bind_text (statement, 15, record->detail);
  ag_history_sql_bind_text (statement, 16, record->repairs);
  sqlite3_bind_int (statement, 17, record->credits);
  if (!step_insert (self->db, statement, error))
    return FALSE;
  record->id = sqlite3_last_insert_rowid (self->db);
  self->request_rows++;
  self->inserts++;
  return TRUE;
}

gboolean
ag_history_db_insert_quota_sample (AgHistoryDb *self, const AgQuotaSample *sample, GError **error)
{
  sqlite3_stmt *statement = self->insert_quota;

  sqlite3_bind_int64 (statement, 1, sample->time_ms);
  ag_history_sql_bind_text (statement, 2, sample->account);
  ag_history_sql_bind_text (statement, 3, sample->model);
  sqlite3_bind_double (statement, 4, sample->remaining_fraction);
  sqlite3_bind_int64 (statement, 5, sample->reset_ms);
  if (!step_insert (self->db, statement, error))
    return FALSE;
  self->inserts++;
  return TRUE;
}

gboolean
ag_history_db_trim_requests (AgHistoryDb *self, guint max_rows, GError **error)
{
  gint64 keep = max_rows - max_rows / 10;
  g_autofree char *sql = NULL;

  if (self->request_rows <= max_rows)
    return TRUE;
  sql = g_strdup_printf ("DELETE FROM requests WHERE id <= (SELECT id FROM requests ORDER BY id DESC LIMIT 1 "
                         "OFFSET %" G_GINT64_FORMAT ")", keep);
  if (!ag_history_sql_exec (self->db, sql, error))
    return FALSE;
  return count_requests (self, error);
}

gboolean
ag_history_db_prune (AgHistoryDb *self, gint64 now_ms, guint retention_days, gboolean force, GError **error)
{
  g_autofree char *sql = NULL;
  gint64 cutoff = now_ms - retention_days * DAY_MS;

  if (!force && self->inserts < PRUNE_EVERY)
    return TRUE;
  self->inserts = 0;
  if (retention_days == 0)
    return TRUE;
  sql = g_strdup_printf ("DELETE FROM quota_samples WHERE time_ms < %" G_GINT64_FORMAT ";"
                         "DELETE FROM quota_windows WHERE time_ms < %" G_GINT64_FORMAT ";"
                         "DELETE FROM requests WHERE time_ms < %" G_GINT64_FORMAT, cutoff, cutoff, cutoff);
  return ag_history_sql_exec (self->db, sql, error) && count_requests (self, error);
}

static char *
column_strdup (sqlite3_stmt *statement, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, column));
}

/* One row of query_requests_sql. */
static gpointer
read_request (sqlite3_stmt *statement)
{
  g_autoptr(AgRequestRecord) record = ag_request_record_new ();
  const char *attempts = (const char *) sqlite3_column_text (statement, 7);

  record->id = sqlite3_column_int64 (statement, 0);
  record->time_ms = sqlite3_column_int64 (statement, 1);
  record->client = column_strdup (statement, 2);
  record->session_id = column_strdup (statement, 3);
  record->model = column_strdup (statement, 4);
  record->upstream_model = column_strdup (statement, 5);
  record->account = column_strdup (statement, 6);
  /* A row is still worth showing when its attempts column is damaged. */
  if (attempts != NULL)
    ag_request_record_set_attempts_from_json (record, attempts, NULL);
  if (!ag_request_outcome_from_string ((const char *) sqlite3_column_text (statement, 8), &record->outcome))
    record->outcome = AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
  record->status = (guint) sqlite3_column_int64 (statement, 9);
  record->ttfb_ms = sqlite3_column_type (statement, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64 (statement, 10);
  record->total_ms = sqlite3_column_int64 (statement, 11);
  record->input_tokens = sqlite3_column_int64 (statement, 12);
  record->output_tokens = sqlite3_column_int64 (statement, 13);
  record->cache_read_tokens = sqlite3_column_int64 (statement, 14);
  record->detail = column_strdup (statement, 15);
  record->repairs = column_strdup (statement, 16);
  record->credits = sqlite3_column_int (statement, 17) != 0;
  return g_steal_pointer (&record);
}

/* One row of query_quota_sql. */
static gpointer
read_quota (sqlite3_stmt *statement)
{
  return ag_quota_sample_new (sqlite3_column_int64 (statement, 0), (const char *) sqlite3_column_text (statement, 1),
                              (const char *) sqlite3_column_text (statement, 2),
                              sqlite3_column_double (statement, 3), sqlite3_column_int64 (statement, 4));
}

GPtrArray *
ag_history_db_query_requests (AgHistoryDb *self, guint limit, gint64 since_ms, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (self->db, query_requests_sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (statement, 1, since_ms);
      sqlite3_bind_int64 (statement, 2, limit > 0 ? (gint64) limit : -1);
    }
  return ag_history_sql_collect_rows (self->db, statement, rc, read_request, (GDestroyNotify) ag_request_record_free,
                                      HISTORY, error);
}

GPtrArray *
ag_history_db_query_quota (AgHistoryDb *self, const char *account, const char *model, gint64 since_ms,
                           gint64 until_ms, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (self->db, query_quota_sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      ag_history_sql_bind_text (statement, 1, account);
      ag_history_sql_bind_text (statement, 2, model);
      sqlite3_bind_int64 (statement, 3, since_ms);
      sqlite3_bind_int64 (statement, 4, until_ms);
    }
  return ag_history_sql_collect_rows (self->db, statement, rc, read_quota, (GDestroyNotify) ag_quota_sample_free,
                                      HISTORY, error);
}

/* One row of query_usage_sql, added to its bucket. */
static void
add_usage (sqlite3_stmt *statement, gpointer report)
{
  ag_usage_report_add (report, sqlite3_column_int64 (statement, 0), (const char *) sqlite3_column_text (statement, 1),
                       (AgUsageOutcome) sqlite3_column_int (statement, 2), (guint) sqlite3_column_int (statement, 3),
                       sqlite3_column_type (statement, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64 (statement, 4),
                       sqlite3_column_int64 (statement, 5), sqlite3_column_int64 (statement, 6),
                       sqlite3_column_int64 (statement, 7));
}

AgUsageReport *
ag_history_db_query_usage (AgHistoryDb *self, const gint64 *edges, guint n_edges, AgUsageGrouping grouping,
                           GError **error)
{
  g_autoptr(AgUsageReport) report = ag_usage_report_new (edges, n_edges);
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (self->db, query_usage_sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (statement, 1, edges[0]);
      sqlite3_bind_int64 (statement, 2, edges[n_edges - 1]);
      sqlite3_bind_int (statement, 3, grouping == AG_USAGE_BY_MODEL ? 0 : 1);
    }
  if (!ag_history_sql_each_row (self->db, statement, rc, add_usage, report, HISTORY, error))
    return NULL;
  ag_usage_report_finish (report);
  return g_steal_pointer (&report);
}

/* The kinds of failure that rest an account, by the names stored in the limits table. */
static const struct {
  AgUpstreamFailure kind;
  const char       *name;
} limit_kinds[] = {
  { AG_UPSTREAM_FAILURE_RATE_LIMIT, "rate_limit" },
  { AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, "quota_exhausted" },
  { AG_UPSTREAM_FAILURE_CAPACITY, "capacity" },
};

static const char *
limit_kind_name (AgUpstreamFailure kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (limit_kinds); i++)
    if (limit_kinds[i].kind == kind)
      return limit_kinds[i].name;
  return NULL;
}

static gboolean
step_statement (AgHistoryDb *self, const char *sql, const AgRateLimit *limit, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      ag_history_sql_bind_text (statement, 1, limit->account);
      ag_history_sql_bind_text (statement, 2, limit->model);
      if (sql == upsert_limit_sql)
        {
          ag_history_sql_bind_text (statement, 3, limit_kind_name (limit->kind));
          sqlite3_bind_int64 (statement, 4, limit->until_ms);
          sqlite3_bind_int64 (statement, 5, limit->failures);
        }
      else
        sqlite3_bind_int64 (statement, 3, limit->until_ms);
      rc = sqlite3_step (statement);
    }
  sqlite3_finalize (statement);
  if (rc == SQLITE_DONE)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
ag_history_db_save_limits (AgHistoryDb *self, GPtrArray *limits, GPtrArray *ended, GError **error)
{
  for (guint i = 0; limits != NULL && i < limits->len; i++)
    if (limit_kind_name (((AgRateLimit *) limits->pdata[i])->kind) != NULL &&
        !step_statement (self, upsert_limit_sql, limits->pdata[i], error))
      return FALSE;
  for (guint i = 0; ended != NULL && i < ended->len; i++)
    if (!step_statement (self, delete_limit_sql, ended->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* One row of query_limits_sql; NULL for a kind this build does not know. */
static gpointer
read_limit (sqlite3_stmt *statement)
{
  const char *kind = (const char *) sqlite3_column_text (statement, 2);
  AgRateLimit *limit = g_new0 (AgRateLimit, 1);

  limit->account = column_strdup (statement, 0);
  limit->model = column_strdup (statement, 1);
  limit->until_ms = sqlite3_column_int64 (statement, 3);
  limit->failures = (guint) CLAMP (sqlite3_column_int64 (statement, 4), 0, G_MAXUINT);
  for (gsize i = 0; i < G_N_ELEMENTS (limit_kinds); i++)
    if (g_strcmp0 (kind, limit_kinds[i].name) == 0)
      limit->kind = limit_kinds[i].kind;
  return limit;
}

GPtrArray *
ag_history_db_load_limits (AgHistoryDb *self, gint64 now_ms, GError **error)
{
  sqlite3_stmt *statement = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *known;
  int rc;

  if (!ag_history_sql_exec (self->db, "BEGIN IMMEDIATE", error))
    return NULL;
  {
    g_autofree char *prune = g_strdup_printf ("DELETE FROM limits WHERE until_ms <= %" G_GINT64_FORMAT, now_ms);

    if (!ag_history_sql_exec (self->db, prune, error))
      {
        ag_history_db_rollback (self);
        return NULL;
      }
  }
  rc = sqlite3_prepare_v2 (self->db, query_limits_sql, -1, &statement, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_int64 (statement, 1, now_ms);
  rows = ag_history_sql_collect_rows (self->db, statement, rc, read_limit, (GDestroyNotify) ag_rate_limit_free, HISTORY,
                                     error);
  if (rows == NULL || !ag_history_db_commit (self, error))
    {
      ag_history_db_rollback (self);
      return NULL;
    }
  known = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  for (guint i = 0; i < rows->len; i++)
    if (((AgRateLimit *) rows->pdata[i])->kind != AG_UPSTREAM_FAILURE_NONE)
      g_ptr_array_add (known, g_steal_pointer (&rows->pdata[i]));
  return known;
}
