// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-antigravity-writer.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include "ag-antigravity-import.h"

#define UNIFIED_OAUTH_KEY "antigravityUnifiedStateSync.oauthToken"
#define LEGACY_STATE_KEY "jetskiStateSync.agentManagerInitState"
#define ONBOARDING_KEY "antigravityOnboarding"
#define SERVICE_MACHINE_ID_KEY "storage.serviceMachineId"
#define COMMIT_BUSY_TIMEOUT_MS 2000

/* storage.json's names for the profile's ids, in AgDeviceProfile's order. */
static const char * const telemetry_names[] = { "machineId", "macMachineId", "devDeviceId", "sqmId" };

static const char *
profile_id (const AgDeviceProfile *profile, guint i)
{
  const char *ids[] = { profile->machine_id, profile->mac_machine_id, profile->dev_device_id, profile->sqm_id };

  return ids[i];
}

static JsonNode *
load_storage (AgAntigravityInstall *install, GError **error)
{
  const char *path = ag_antigravity_install_get_storage_path (install);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_NOT_INSTALLED,
                   _("no Antigravity IDE found: %s does not exist"), path);
      return NULL;
    }
  if (!json_parser_load_from_file (parser, path, &local_error) || (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_BAD_FILE, _("%s is not a JSON object%s%s"), path,
                   local_error != NULL ? ": " : "", local_error != NULL ? local_error->message : "");
      return NULL;
    }
  return json_node_copy (root);
}

static const char *
string_member (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

AgDeviceProfile *
ag_antigravity_read_profile (AgAntigravityInstall *install, GError **error)
{
  g_autoptr(JsonNode) root = load_storage (install, error);
  JsonObject *object, *nested = NULL;
  JsonNode *telemetry;
  const char *ids[G_N_ELEMENTS (telemetry_names)];

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  telemetry = json_object_get_member (object, "telemetry");
  if (telemetry != NULL && JSON_NODE_HOLDS_OBJECT (telemetry))
    nested = json_node_get_object (telemetry);
  for (guint i = 0; i < G_N_ELEMENTS (telemetry_names); i++)
    {
      g_autofree char *flat = g_strconcat ("telemetry.", telemetry_names[i], NULL);

      ids[i] = string_member (nested, telemetry_names[i]);
      if (ids[i] == NULL)
        ids[i] = string_member (object, flat);
    }
  return ag_device_profile_new (ids[0], ids[1], ids[2], ids[3]);
}

static gboolean
set_db_error (sqlite3 *db, const char *path, GError **error)
{
  int code = sqlite3_errcode (db);

  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_LOCKED,
                 _("%s is in use by another program (is Antigravity running?)"), path);
  else
    g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_BAD_FILE, _("%s cannot be used: %s"), path,
                 sqlite3_errmsg (db));
  return FALSE;
}

/* state.vscdb opened for reading or writing; NULL without error when the IDE has none. */
static sqlite3 *
open_state (AgAntigravityInstall *install, gboolean write, GError **error)
{
  const char *path = ag_antigravity_install_get_state_path (install);
  sqlite3 *db = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  if (sqlite3_open_v2 (path, &db, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      set_db_error (db, path, error);
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

/* The value of @key, NULL when absent; *@failed on a read error (set in @error). */
static char *
lookup_item (sqlite3 *db, const char *path, const char *key, gboolean *failed, GError **error)
{
  sqlite3_stmt *statement = NULL;
  char *value = NULL;
  int rc = sqlite3_prepare_v2 (db, "SELECT value FROM ItemTable WHERE key = ?1", -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (statement, 1, key, -1, SQLITE_STATIC);
      rc = sqlite3_step (statement);
    }
  if (rc == SQLITE_ROW && sqlite3_column_text (statement, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  *failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
  if (*failed)
    set_db_error (db, path, error);
  sqlite3_finalize (statement);
  return value;
}

static gboolean
run_item_sql (sqlite3 *db, const char *path, const char *sql, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (statement, 1, key, -1, SQLITE_STATIC);
      if (value != NULL)
        sqlite3_bind_text (statement, 2, value, -1, SQLITE_STATIC);
      rc = sqlite3_step (statement);
    }
  sqlite3_finalize (statement);
  return rc == SQLITE_DONE || set_db_error (db, path, error);
}

static gboolean
put_item (sqlite3 *db, const char *path, const char *key, const char *value, GError **error)
{
  return run_item_sql (db, path, "INSERT OR REPLACE INTO ItemTable (key, value) VALUES (?1, ?2)", key, value, error);
}

AgAntigravitySignInStore
ag_antigravity_find_sign_in_store (AgAntigravityInstall *install, GError **error)
{
  sqlite3 *db = open_state (install, FALSE, error);
  g_autofree char *unified = NULL;
  gboolean failed = FALSE;

  if (db == NULL)
    return AG_ANTIGRAVITY_SIGN_IN_KEYRING;
  unified = lookup_item (db, ag_antigravity_install_get_state_path (install), UNIFIED_OAUTH_KEY, &failed, error);
  sqlite3_close (db);
  return unified != NULL ? AG_ANTIGRAVITY_SIGN_IN_STATE_DB : AG_ANTIGRAVITY_SIGN_IN_KEYRING;
}

char *
ag_antigravity_read_refresh_token (AgAntigravityInstall *install, GError **error)
{
  sqlite3 *db = open_state (install, FALSE, error);
  g_autofree char *unified = NULL;
  gboolean failed = FALSE;

  if (db != NULL)
    {
      unified = lookup_item (db, ag_antigravity_install_get_state_path (install), UNIFIED_OAUTH_KEY, &failed, error);
      sqlite3_close (db);
    }
  if (failed)
    return NULL;
  if (unified != NULL)
    return ag_antigravity_import_parse_unified (unified, NULL);
  return ag_antigravity_sign_in_lookup_keyring (NULL, error);
}

/* Copies @path to "@path.backup-@stamp" (a "-N" suffix when that exists) and adds the copy's path to @backups. */
static gboolean
back_up (const char *path, const char *stamp, GPtrArray *backups, GError **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autofree char *target_path = g_strdup_printf ("%s.backup-%s", path, stamp);
  g_autoptr(GError) local_error = NULL;

  for (guint n = 2; g_file_test (target_path, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target_path);
      target_path = g_strdup_printf ("%s.backup-%s-%u", path, stamp, n);
    }
  {
    g_autoptr(GFile) target = g_file_new_for_path (target_path);

    if (!g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &local_error))
      {
        g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_WRITE, _("cannot back up %s: %s"), path,
                     local_error->message);
        return FALSE;
      }
  }
  if (backups != NULL)
    g_ptr_array_add (backups, g_steal_pointer (&target_path));
  return TRUE;
}

/* The profile into storage.json's object: nested, flat, and storage.serviceMachineId. */
static void
apply_profile (JsonObject *object, const AgDeviceProfile *profile)
{
  JsonNode *telemetry = json_object_get_member (object, "telemetry");
  JsonObject *nested;

  if (telemetry == NULL || !JSON_NODE_HOLDS_OBJECT (telemetry))
    json_object_set_object_member (object, "telemetry", json_object_new ());
  nested = json_object_get_object_member (object, "telemetry");
  for (guint i = 0; i < G_N_ELEMENTS (telemetry_names); i++)
    {
      g_autofree char *flat = g_strconcat ("telemetry.", telemetry_names[i], NULL);

      json_object_set_string_member (nested, telemetry_names[i], profile_id (profile, i));
      json_object_set_string_member (object, flat, profile_id (profile, i));
    }
  json_object_set_string_member (object, SERVICE_MACHINE_ID_KEY, profile->dev_device_id);
}

/* The state.vscdb part, inside the open transaction. */
static gboolean
update_state (sqlite3 *db, const char *path, const AgDeviceProfile *profile, const AgAntigravitySignIn *sign_in,
              const char *unified, GError **error)
{
  g_autofree char *merged = NULL;

  if (!put_item (db, path, SERVICE_MACHINE_ID_KEY, profile->dev_device_id, error))
    return FALSE;
  if (sign_in == NULL || unified == NULL)
    return TRUE;
  /* Merged, not replaced: the topic's other entries carry the IDE's chat history. */
  merged = ag_antigravity_sign_in_merge_unified (unified, sign_in, error);
  if (merged == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return put_item (db, path, UNIFIED_OAUTH_KEY, merged, error) &&
         put_item (db, path, ONBOARDING_KEY, "true", error) &&
         run_item_sql (db, path, "DELETE FROM ItemTable WHERE key = ?1", LEGACY_STATE_KEY, NULL, error);
}

typedef struct {
  sqlite3 *db;
  char    *temp_path;
} WriteState;

static void
write_state_clear (WriteState *state)
{
  if (state->db != NULL)
    {
      sqlite3_exec (state->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (state->db);
    }
  if (state->temp_path != NULL)
    g_unlink (state->temp_path);
  g_free (state->temp_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WriteState, write_state_clear)

static char *
storage_text (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 4);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
ag_antigravity_write (AgAntigravityInstall *install, const AgDeviceProfile *profile,
                      const AgAntigravitySignIn *sign_in, GPtrArray *backups, GError **error)
{
  const char *storage_path = ag_antigravity_install_get_storage_path (install);
  const char *state_path = ag_antigravity_install_get_state_path (install);
  g_autoptr(JsonNode) root = load_storage (install, error);
  g_auto(WriteState) state = { NULL, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *unified = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  gboolean failed = FALSE;

  g_return_val_if_fail (profile != NULL, FALSE);
  if (root == NULL)
    return FALSE;

  /* Lock first, without waiting: a database someone holds means the IDE (or something) is using it. */
  state.db = open_state (install, TRUE, error);
  if (state.db == NULL && g_file_test (state_path, G_FILE_TEST_EXISTS))
    return FALSE;
  if (state.db != NULL)
    {
      if (sqlite3_exec (state.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return set_db_error (state.db, state_path, error);
      unified = lookup_item (state.db, state_path, UNIFIED_OAUTH_KEY, &failed, error);
      if (failed)
        return FALSE;
    }

  /* Kept whatever happens next, and handed out even when a later step fails. */
  if (!back_up (storage_path, stamp, made, error) || (state.db != NULL && !back_up (state_path, stamp, made, error)))
    return FALSE;
  if (backups != NULL)
    for (guint i = 0; i < made->len; i++)
      g_ptr_array_add (backups, g_strdup (g_ptr_array_index (made, i)));

  if (state.db != NULL && !update_state (state.db, state_path, profile, sign_in, unified, error))
    return FALSE;

  apply_profile (json_node_get_object (root), profile);
  text = storage_text (root);
  state.temp_path = g_strconcat (storage_path, ".ag-cl-new", NULL);
  if (!g_file_set_contents (state.temp_path, text, -1, error))
    {
      g_prefix_error (error, _("cannot write %s: "), storage_path);
      return FALSE;
    }
  if (sign_in != NULL && unified == NULL && !ag_antigravity_sign_in_store_keyring (sign_in, NULL, error))
    return FALSE;

  if (g_rename (state.temp_path, storage_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, AG_ANTIGRAVITY_ERROR, AG_ANTIGRAVITY_ERROR_WRITE, _("cannot replace %s: %s"), storage_path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  g_clear_pointer (&state.temp_path, g_free);
  if (state.db != NULL)
    {
      sqlite3_busy_timeout (state.db, COMMIT_BUSY_TIMEOUT_MS);
      if (sqlite3_exec (state.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        {
          /* storage.json was replaced already: put it back so the two files agree. */
          g_autoptr(GFile) backup = g_file_new_for_path (g_ptr_array_index (made, 0));
          g_autoptr(GFile) target = g_file_new_for_path (storage_path);

          set_db_error (state.db, state_path, error);
          g_file_copy (backup, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
          return FALSE;
        }
      sqlite3_close (state.db);
      state.db = NULL;
    }
  return TRUE;
}
