// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-history-sql.h"

gboolean
ag_history_sql_exec (sqlite3 *db, const char *sql, GError **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message != NULL ? message : sqlite3_errmsg (db));
  sqlite3_free (message);
  return FALSE;
}

gboolean
ag_history_sql_query_int (sqlite3 *db, const char *sql, gint64 *value, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (statement, 0);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (db));
  sqlite3_finalize (statement);
  return rc == SQLITE_ROW;
}

void
ag_history_sql_bind_text (sqlite3_stmt *statement, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (statement, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (statement, index);
}

gboolean
ag_history_sql_each_row (sqlite3       *db,
                         sqlite3_stmt  *statement,
                         int            rc,
                         void         (*read_row) (sqlite3_stmt *statement, gpointer user_data),
                         gpointer       user_data,
                         const char    *what,
                         GError       **error)
{
  while (rc == SQLITE_OK && (rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      read_row (statement, user_data);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot read %s: %s", what, sqlite3_errmsg (db));
  sqlite3_finalize (statement);
  return rc == SQLITE_DONE;
}

typedef struct {
  GPtrArray *rows;
  gpointer (*make_row) (sqlite3_stmt *statement);
} Collect;

static void
collect_row (sqlite3_stmt *statement, gpointer user_data)
{
  Collect *collect = user_data;

  g_ptr_array_add (collect->rows, collect->make_row (statement));
}

GPtrArray *
ag_history_sql_collect_rows (sqlite3       *db,
                             sqlite3_stmt  *statement,
                             int            rc,
                             gpointer     (*make_row) (sqlite3_stmt *statement),
                             GDestroyNotify free_row,
                             const char    *what,
                             GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  Collect collect = { rows, make_row };

  if (!ag_history_sql_each_row (db, statement, rc, collect_row, &collect, what, error))
    return NULL;
  return g_steal_pointer (&rows);
}
