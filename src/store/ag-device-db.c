// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-device-db.h"

#include <errno.h>
#include <sqlite3.h>

#define BUSY_TIMEOUT_MS 2000

static const char schema_v1[] =
  "CREATE TABLE device_versions ("
  "  id INTEGER PRIMARY KEY,"
  "  account TEXT NOT NULL,"
  "  created_ms INTEGER NOT NULL,"
  "  label TEXT NOT NULL,"
  "  machine_id TEXT NOT NULL, mac_machine_id TEXT NOT NULL, dev_device_id TEXT NOT NULL, sqm_id TEXT NOT NULL);"
  "CREATE INDEX device_versions_by_account ON device_versions (account, id);"
  "CREATE TABLE device_bindings ("
  "  account TEXT PRIMARY KEY,"
  "  version_id INTEGER NOT NULL REFERENCES device_versions (id));"
  /* One row at most: the CHECK makes a second baseline impossible, not merely unused. */
  "CREATE TABLE device_baseline ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  created_ms INTEGER NOT NULL,"
  "  machine_id TEXT NOT NULL, mac_machine_id TEXT NOT NULL, dev_device_id TEXT NOT NULL, sqm_id TEXT NOT NULL);"
  "PRAGMA user_version = 1;";

/* migrations[v] takes schema v to v + 1. Only ever append. */
static const char * const migrations[] = {
  schema_v1,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == AG_DEVICE_DB_SCHEMA_VERSION);

#define VERSION_COLUMNS \
  "v.id, v.account, v.created_ms, v.label, v.machine_id, v.mac_machine_id, v.dev_device_id, v.sqm_id," \
  " b.version_id IS NOT NULL"

struct _AgDeviceDb
{
  sqlite3 *db;
};

void
ag_device_version_free (AgDeviceVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->account);
  g_free (version->label);
  ag_device_profile_free (version->profile);
  g_free (version);
}

void
ag_device_db_close (AgDeviceDb *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_free (self);
}

static gboolean
set_sqlite_error (sqlite3 *db, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the device profiles cannot be read or written: %s",
               sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec_sql (sqlite3 *db, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  return set_sqlite_error (db, error);
}

static gboolean
user_version (sqlite3 *db, gint64 *version, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &statement, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int64 (statement, 0);
  else
    set_sqlite_error (db, error);
  sqlite3_finalize (statement);
  return rc == SQLITE_ROW;
}

static gboolean
migrate_schema (sqlite3 *db, GError **error)
{
  gint64 version = 0;
  gboolean ok;

  if (!user_version (db, &version, error))
    return FALSE;
  if (version > AG_DEVICE_DB_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "the device profiles were written by a newer ag-cl (schema %" G_GINT64_FORMAT ")", version);
      return FALSE;
    }
  if (version == AG_DEVICE_DB_SCHEMA_VERSION)
    return TRUE;
  /* Read again inside the lock: two processes opening a new database must not both migrate it. */
  if (!exec_sql (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  ok = user_version (db, &version, error);
  for (; ok && version >= 0 && version < AG_DEVICE_DB_SCHEMA_VERSION; version++)
    ok = exec_sql (db, migrations[version], error);
  if (!ok || !exec_sql (db, "COMMIT", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

AgDeviceDb *
ag_device_db_open (const char *path, GError **error)
{
  g_autoptr(AgDeviceDb) self = g_new0 (AgDeviceDb, 1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "cannot create the folder %s: %s", dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    set_sqlite_error (self->db, &local_error);
  else
    {
      sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
      if (exec_sql (self->db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", &local_error) &&
          migrate_schema (self->db, &local_error))
        return g_steal_pointer (&self);
    }
  g_set_error (error, local_error->domain, local_error->code, "cannot open %s: %s", path, local_error->message);
  return NULL;
}

gboolean
ag_device_db_begin (AgDeviceDb *self, GError **error)
{
  return exec_sql (self->db, "BEGIN IMMEDIATE", error);
}

gboolean
ag_device_db_commit (AgDeviceDb *self, GError **error)
{
  return exec_sql (self->db, "COMMIT", error);
}

void
ag_device_db_rollback (AgDeviceDb *self)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
prepare (AgDeviceDb *self, const char *sql, GError **error)
{
  sqlite3_stmt *statement = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, error);
      return NULL;
    }
  return statement;
}

static const char *
column_text (sqlite3_stmt *statement, int column)
{
  return (const char *) sqlite3_column_text (statement, column);
}

static AgDeviceProfile *
profile_at (sqlite3_stmt *statement, int first)
{
  return ag_device_profile_new (column_text (statement, first), column_text (statement, first + 1),
                                column_text (statement, first + 2), column_text (statement, first + 3));
}

static AgDeviceVersion *
version_at (sqlite3_stmt *statement)
{
  AgDeviceVersion *version = g_new0 (AgDeviceVersion, 1);

  version->id = sqlite3_column_int64 (statement, 0);
  version->account = g_strdup (column_text (statement, 1));
  version->created_ms = sqlite3_column_int64 (statement, 2);
  version->label = g_strdup (column_text (statement, 3));
  version->profile = profile_at (statement, 4);
  version->current = sqlite3_column_int (statement, 8) != 0;
  return version;
}

/* Runs @statement (bound by the caller) to the end, collecting AgDeviceVersion rows. */
static GPtrArray *
collect_versions (AgDeviceDb *self, sqlite3_stmt *statement, GError **error)
{
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_device_version_free);
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (versions, version_at (statement));
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&versions);
}

GPtrArray *
ag_device_db_list_versions (AgDeviceDb *self, const char *account, GError **error)
{
  sqlite3_stmt *statement = prepare (self,
    "SELECT " VERSION_COLUMNS " FROM device_versions v"
    " LEFT JOIN device_bindings b ON b.account = v.account AND b.version_id = v.id"
    " WHERE v.account = ?1 ORDER BY v.id DESC", error);

  if (statement == NULL)
    return NULL;
  sqlite3_bind_text (statement, 1, account, -1, SQLITE_TRANSIENT);
  return collect_versions (self, statement, error);
}

/* The one version @account has with @id, bound or not; NULL without error when none. */
static AgDeviceVersion *
get_version (AgDeviceDb *self, const char *account, gint64 id, GError **error)
{
  sqlite3_stmt *statement = prepare (self,
    "SELECT " VERSION_COLUMNS " FROM device_versions v"
    " LEFT JOIN device_bindings b ON b.account = v.account AND b.version_id = v.id"
    " WHERE v.account = ?1 AND (v.id = ?2 OR (?2 = 0 AND b.version_id IS NOT NULL))", error);
  g_autoptr(GPtrArray) found = NULL;

  if (statement == NULL)
    return NULL;
  sqlite3_bind_text (statement, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (statement, 2, id);
  found = collect_versions (self, statement, error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

AgDeviceVersion *
ag_device_db_get_current (AgDeviceDb *self, const char *account, GError **error)
{
  return get_version (self, account, 0, error);
}

static gboolean
step_done (AgDeviceDb *self, sqlite3_stmt *statement, GError **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, error);
  return TRUE;
}

static gboolean
write_binding (AgDeviceDb *self, const char *account, gint64 id, GError **error)
{
  sqlite3_stmt *statement = prepare (self, "INSERT OR REPLACE INTO device_bindings (account, version_id)"
                                           " VALUES (?1, ?2)", error);

  if (statement == NULL)
    return FALSE;
  sqlite3_bind_text (statement, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (statement, 2, id);
  return step_done (self, statement, error);
}

AgDeviceVersion *
ag_device_db_add_version (AgDeviceDb *self, const char *account, const AgDeviceProfile *profile, const char *label,
                          gint64 now_ms, GError **error)
{
  sqlite3_stmt *statement = prepare (self,
    "INSERT INTO device_versions (account, created_ms, label, machine_id, mac_machine_id, dev_device_id, sqm_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  gint64 id;

  if (statement == NULL)
    return NULL;
  sqlite3_bind_text (statement, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (statement, 2, now_ms);
  sqlite3_bind_text (statement, 3, label, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 4, profile->machine_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 5, profile->mac_machine_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 6, profile->dev_device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 7, profile->sqm_id, -1, SQLITE_TRANSIENT);
  if (!step_done (self, statement, error))
    return NULL;
  id = sqlite3_last_insert_rowid (self->db);
  if (!write_binding (self, account, id, error))
    return NULL;
  return get_version (self, account, id, error);
}

AgDeviceVersion *
ag_device_db_bind (AgDeviceDb *self, const char *account, gint64 id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AgDeviceVersion) version = id > 0 ? get_version (self, account, id, &local_error) : NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (version == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s has no device profile version %" G_GINT64_FORMAT,
                   account, id);
      return NULL;
    }
  if (!write_binding (self, account, id, error))
    return NULL;
  version->current = TRUE;
  return g_steal_pointer (&version);
}

char *
ag_device_db_find_account (AgDeviceDb *self, const AgDeviceProfile *profile, GError **error)
{
  sqlite3_stmt *statement = prepare (self,
    "SELECT v.account FROM device_versions v JOIN device_bindings b ON b.version_id = v.id"
    " WHERE v.machine_id = ?1 AND v.mac_machine_id = ?2 AND v.dev_device_id = ?3 AND v.sqm_id = ?4"
    " ORDER BY v.id DESC LIMIT 1", error);
  char *account = NULL;
  int rc;

  if (statement == NULL)
    return NULL;
  sqlite3_bind_text (statement, 1, profile->machine_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 2, profile->mac_machine_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 3, profile->dev_device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 4, profile->sqm_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    account = g_strdup (column_text (statement, 0));
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self->db, error);
  sqlite3_finalize (statement);
  return account;
}

AgDeviceProfile *
ag_device_db_get_baseline (AgDeviceDb *self, gint64 *created_ms, GError **error)
{
  sqlite3_stmt *statement = prepare (self, "SELECT created_ms, machine_id, mac_machine_id, dev_device_id, sqm_id"
                                           " FROM device_baseline WHERE id = 1", error);
  AgDeviceProfile *profile = NULL;
  int rc;

  if (statement == NULL)
    return NULL;
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    {
      profile = profile_at (statement, 1);
      if (created_ms != NULL)
        *created_ms = sqlite3_column_int64 (statement, 0);
    }
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self->db, error);
  sqlite3_finalize (statement);
  return profile;
}

gboolean
ag_device_db_keep_baseline (AgDeviceDb *self, const AgDeviceProfile *profile, gint64 now_ms, gboolean *kept,
                            GError **error)
{
  sqlite3_stmt *statement = prepare (self,
    "INSERT OR IGNORE INTO device_baseline (id, created_ms, machine_id, mac_machine_id, dev_device_id, sqm_id)"
    " VALUES (1, ?1, ?2, ?3, ?4, ?5)", error);

  if (statement == NULL)
    return FALSE;
  sqlite3_bind_int64 (statement, 1, now_ms);
  sqlite3_bind_text (statement, 2, profile->machine_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 3, profile->mac_machine_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 4, profile->dev_device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 5, profile->sqm_id, -1, SQLITE_TRANSIENT);
  if (!step_done (self, statement, error))
    return FALSE;
  if (kept != NULL)
    *kept = sqlite3_changes (self->db) > 0;
  return TRUE;
}
