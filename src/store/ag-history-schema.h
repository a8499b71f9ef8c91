// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-history-schema.h — the tables of history.db and how a file written by any earlier build is brought to the
 * current version (AG_HISTORY_DB_SCHEMA_VERSION). A new table or column is a new migration in
 * ag-history-schema.c, with the version bumped in ag-history-db.h. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Migrates @db to the current schema in one transaction, so that two processes opening it at once do not both
 * migrate it. Fails (G_IO_ERROR_NOT_SUPPORTED) when a newer ag-cl wrote it. */
gboolean ag_history_schema_migrate (sqlite3 *db, GError **error);

G_END_DECLS
