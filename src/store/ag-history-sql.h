// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-history-sql.h — the few SQLite steps every table of history.db takes (ag-history-db.c, ag-history-schema.c,
 * ag-account-state-db.c, ag-quota-window-db.c), each turning SQLite's failure into a G_IO_ERROR. No state. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Runs @sql, one or more statements without parameters. */
gboolean   ag_history_sql_exec (sqlite3 *db, const char *sql, GError **error);
/* The first column of the first row of @sql. */
gboolean   ag_history_sql_query_int (sqlite3 *db, const char *sql, gint64 *value, GError **error);
/* Binds @text, or NULL for a NULL @text; the text must outlive the next reset or finalize of @statement. */
void       ag_history_sql_bind_text (sqlite3_stmt *statement, int index, const char *text);
/* Steps @statement, prepared with result @rc and bound, to its end, handing each row to @read_row, and
 * finalizes it. FALSE, with @error "cannot read @what: …", when preparing or a step failed. */
gboolean   ag_history_sql_each_row (sqlite3       *db,
                                    sqlite3_stmt  *statement,
                                    int            rc,
                                    void         (*read_row) (sqlite3_stmt *statement, gpointer user_data),
                                    gpointer       user_data,
                                    const char    *what,
                                    GError       **error);
/* The same, collecting what @make_row makes of each row into a GPtrArray that frees them with @free_row; NULL on
 * failure. */
GPtrArray *ag_history_sql_collect_rows (sqlite3       *db,
                                        sqlite3_stmt  *statement,
                                        int            rc,
                                        gpointer     (*make_row) (sqlite3_stmt *statement),
                                        GDestroyNotify free_row,
                                        const char    *what,
                                        GError       **error);

G_END_DECLS
