/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-window-db.h"
#include "ag-history-db-private.h"
#include "ag-history-sql.h"

static const char insert_sql[] =
  "INSERT INTO quota_windows (time_ms, account, group_name, window, remaining, reset_ms)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char query_sql[] =
  "SELECT time_ms, account, group_name, window, remaining, reset_ms FROM quota_windows"
  " WHERE (?1 IS NULL OR account = ?1) AND time_ms >= ?2 ORDER BY time_ms, id";

void
ag_quota_window_sample_free (AgQuotaWindowSample *sample)
{
  if (sample == NULL)
    return;
  g_free (sample->account);
  g_free (sample->group);
  g_free (sample->window);
  g_free (sample);
}

gboolean
ag_quota_window_db_insert (AgHistoryDb *db, const char *account, GPtrArray *windows, gint64 time_ms, GError **error)
{
  sqlite3 *handle = ag_history_db_get_handle (db);
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (handle, insert_sql, -1, &statement, NULL);

  for (guint i = 0; rc == SQLITE_OK && windows != NULL && i < windows->len; i++)
    {
      const AgQuotaWindow *window = windows->pdata[i];

      sqlite3_reset (statement);
      sqlite3_bind_int64 (statement, 1, time_ms);
      ag_history_sql_bind_text (statement, 2, account);
      ag_history_sql_bind_text (statement, 3, window->group);
      sqlite3_bind_text (statement, 4, ag_quota_window_kind_to_string (window->kind), -1, SQLITE_STATIC);
      sqlite3_bind_double (statement, 5, window->fraction);
      sqlite3_bind_int64 (statement, 6, window->reset_ms);
      rc = sqlite3_step (statement) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
  sqlite3_finalize (statement);
  if (rc == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot record the quota windows: %s", sqlite3_errmsg (handle));
  return FALSE;
}

static gpointer
read_row (sqlite3_stmt *statement)
{
  AgQuotaWindowSample *sample = g_new0 (AgQuotaWindowSample, 1);

  sample->time_ms = sqlite3_column_int64 (statement, 0);
  sample->account = g_strdup ((const char *) sqlite3_column_text (statement, 1));
  sample->group = g_strdup ((const char *) sqlite3_column_text (statement, 2));
  sample->window = g_strdup ((const char *) sqlite3_column_text (statement, 3));
  sample->remaining = sqlite3_column_double (statement, 4);
  sample->reset_ms = sqlite3_column_int64 (statement, 5);
  return sample;
}

GPtrArray *
ag_quota_window_db_query (AgHistoryDb *db, const char *account, gint64 since_ms, GError **error)
{
  sqlite3 *handle = ag_history_db_get_handle (db);
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (handle, query_sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      ag_history_sql_bind_text (statement, 1, account);
      sqlite3_bind_int64 (statement, 2, since_ms);
    }
  return ag_history_sql_collect_rows (handle, statement, rc, read_row, (GDestroyNotify) ag_quota_window_sample_free,
                                      "the quota windows", error);
}
