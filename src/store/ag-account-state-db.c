/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-state-db.h"
#include "ag-history-db-private.h"
#include "ag-history-sql.h"

static const char upsert_sql[] =
  "INSERT INTO account_states (account, state, reason, url, gemini_cli_closed, since_ms)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account) DO UPDATE SET state = excluded.state,"
  " reason = excluded.reason, url = excluded.url, gemini_cli_closed = excluded.gemini_cli_closed,"
  " since_ms = excluded.since_ms";
static const char delete_sql[] = "DELETE FROM account_states WHERE account = ?1";
static const char query_sql[] =
  "SELECT account, state, reason, url, gemini_cli_closed, since_ms FROM account_states ORDER BY account";

AgAccountStateRow *
ag_account_state_row_new (const char *account, const char *state, const char *reason, const char *url,
                          gboolean gemini_cli_closed, gint64 since_ms)
{
  AgAccountStateRow *row = g_new0 (AgAccountStateRow, 1);

  row->account = g_strdup (account);
  row->state = g_strdup (state != NULL ? state : "valid");
  row->reason = g_strdup (reason);
  row->url = g_strdup (url);
  row->gemini_cli_closed = !!gemini_cli_closed;
  row->since_ms = since_ms;
  return row;
}

AgAccountStateRow *
ag_account_state_row_copy (const AgAccountStateRow *row)
{
  return ag_account_state_row_new (row->account, row->state, row->reason, row->url, row->gemini_cli_closed,
                                   row->since_ms);
}

void
ag_account_state_row_free (AgAccountStateRow *row)
{
  if (row == NULL)
    return;
  g_free (row->account);
  g_free (row->state);
  g_free (row->reason);
  g_free (row->url);
  g_free (row);
}

gboolean
ag_account_state_row_is_plain (const AgAccountStateRow *row)
{
  return g_strcmp0 (row->state, "valid") == 0 && !row->gemini_cli_closed;
}

gboolean
ag_account_state_db_save (AgHistoryDb *db, const AgAccountStateRow *row, GError **error)
{
  sqlite3 *handle = ag_history_db_get_handle (db);
  gboolean plain = ag_account_state_row_is_plain (row);
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (handle, plain ? delete_sql : upsert_sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      ag_history_sql_bind_text (statement, 1, row->account);
      if (!plain)
        {
          ag_history_sql_bind_text (statement, 2, row->state);
          ag_history_sql_bind_text (statement, 3, row->reason);
          ag_history_sql_bind_text (statement, 4, row->url);
          sqlite3_bind_int (statement, 5, row->gemini_cli_closed);
          sqlite3_bind_int64 (statement, 6, row->since_ms);
        }
      rc = sqlite3_step (statement);
    }
  sqlite3_finalize (statement);
  if (rc == SQLITE_DONE)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot record the state of %s: %s", row->account,
               sqlite3_errmsg (handle));
  return FALSE;
}

static gpointer
read_row (sqlite3_stmt *statement)
{
  return ag_account_state_row_new ((const char *) sqlite3_column_text (statement, 0),
                                   (const char *) sqlite3_column_text (statement, 1),
                                   (const char *) sqlite3_column_text (statement, 2),
                                   (const char *) sqlite3_column_text (statement, 3),
                                   sqlite3_column_int (statement, 4) != 0, sqlite3_column_int64 (statement, 5));
}

GPtrArray *
ag_account_state_db_load (AgHistoryDb *db, GError **error)
{
  sqlite3 *handle = ag_history_db_get_handle (db);
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (handle, query_sql, -1, &statement, NULL);

  return ag_history_sql_collect_rows (handle, statement, rc, read_row, (GDestroyNotify) ag_account_state_row_free,
                                      "the account states", error);
}
