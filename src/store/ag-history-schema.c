// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-history-schema.h"

#include "ag-history-db.h"
#include "ag-history-sql.h"

static const char schema_v1[] =
  "CREATE TABLE requests ("
  "  id INTEGER PRIMARY KEY,"
  "  time_ms INTEGER NOT NULL,"
  "  client TEXT, session_id TEXT, model TEXT, upstream_model TEXT, account TEXT,"
  "  attempts TEXT NOT NULL DEFAULT '[]',"
  "  outcome TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  ttfb_ms INTEGER,"
  "  total_ms INTEGER NOT NULL,"
  "  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL);"
  "CREATE INDEX requests_by_time ON requests (time_ms);"
  "CREATE TABLE quota_samples ("
  "  id INTEGER PRIMARY KEY,"
  "  time_ms INTEGER NOT NULL,"
  "  account TEXT NOT NULL, model TEXT NOT NULL,"
  "  remaining REAL NOT NULL,"
  "  reset_ms INTEGER NOT NULL);"
  "CREATE INDEX quota_samples_by_series ON quota_samples (account, model, time_ms);"
  "PRAGMA user_version = 1;";

/* migrations[v] takes a database at schema version v to v + 1, setting user_version itself. Only ever append:
 * files written by earlier builds still start from their own version. */
/* v2: why a request was refused (or what else the log line says), for the request log. */
static const char schema_v2[] =
  "ALTER TABLE requests ADD COLUMN detail TEXT;"
  "PRAGMA user_version = 2;";

/* v3: rests of accounts in force, so they survive a restart; shared by every ag-cl on the data directory. */
static const char schema_v3[] =
  "CREATE TABLE limits ("
  "  account TEXT NOT NULL, model TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  until_ms INTEGER NOT NULL,"
  "  failures INTEGER NOT NULL,"
  "  PRIMARY KEY (account, model));"
  "PRAGMA user_version = 3;";

/* v4: what ag-cl mended in a request's history before it went upstream (ag-history-repair.h). */
static const char schema_v4[] =
  "ALTER TABLE requests ADD COLUMN repairs TEXT;"
  "PRAGMA user_version = 4;";

/* v5: the lasting states of accounts Google refused (banned, needs verification, signed out, refused) and the
 * Gemini CLI pool closed to an account's tier, so `ag-cl account list` and the next start know them. */
static const char schema_v5[] =
  "CREATE TABLE account_states ("
  "  account TEXT PRIMARY KEY,"
  "  state TEXT NOT NULL,"
  "  reason TEXT, url TEXT,"
  "  gemini_cli_closed INTEGER NOT NULL DEFAULT 0,"
  "  since_ms INTEGER NOT NULL);"
  "PRAGMA user_version = 5;";

/* v6: Google's 5-hour and weekly windows per model group, as the quota poller reads them (ag-quota-window-db.h). */
static const char schema_v6[] =
  "CREATE TABLE quota_windows ("
  "  id INTEGER PRIMARY KEY,"
  "  time_ms INTEGER NOT NULL,"
  "  account TEXT NOT NULL, group_name TEXT NOT NULL, window TEXT NOT NULL,"
  "  remaining REAL NOT NULL,"
  "  reset_ms INTEGER NOT NULL);"
  "CREATE INDEX quota_windows_by_account ON quota_windows (account, time_ms);"
  "PRAGMA user_version = 6;";

/* v7: whether a request spent Google One AI credits (only when the user allowed it). */
static const char schema_v7[] =
  "ALTER TABLE requests ADD COLUMN credits INTEGER NOT NULL DEFAULT 0;"
  "PRAGMA user_version = 7;";

static const char * const migrations[] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
  schema_v5,
  schema_v6,
  schema_v7,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == AG_HISTORY_DB_SCHEMA_VERSION);

gboolean
ag_history_schema_migrate (sqlite3 *db, GError **error)
{
  gint64 version = 0;
  gboolean ok;

  if (!ag_history_sql_query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version > AG_HISTORY_DB_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "it was written by a newer ag-cl (schema %" G_GINT64_FORMAT ", this one knows %d)",
                   version, AG_HISTORY_DB_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == AG_HISTORY_DB_SCHEMA_VERSION)
    return TRUE;
  /* IMMEDIATE, and the version read again inside: two processes opening an old or new database at once must not
   * both migrate it. */
  if (!ag_history_sql_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  ok = ag_history_sql_query_int (db, "PRAGMA user_version", &version, error);
  for (; ok && version >= 0 && version < AG_HISTORY_DB_SCHEMA_VERSION; version++)
    ok = ag_history_sql_exec (db, migrations[version], error);
  if (!ok || !ag_history_sql_exec (db, "COMMIT", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}
