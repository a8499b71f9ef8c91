// SPDX-License-Identifier: GPL-3.0-or-later
/* The IDE writer's failures: each one (storage.json not JSON or not an object, state.vscdb corrupt or locked, no
 * install, an unreadable sign-in record, a keyring that refuses) is a clear error, and storage.json and state.vscdb
 * are byte-identical afterwards, with no temporary file left. The keyring here is a bus that does not exist. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include "ag-test.h"
#include "ag-antigravity-writer.h"

#define GOOD_STORAGE "{\"telemetry.machineId\": \"orig\", \"theme\": \"dark\"}"

typedef enum { STATE_NONE, STATE_GOOD, STATE_CORRUPT, STATE_LOCKED, STATE_BAD_TOPIC } StateKind;

typedef struct {
  const char *name;
  const char *storage;       /* storage.json's text; NULL: no file */
  StateKind   state;
  gboolean    sign_in;
  int         code;          /* the AG_ANTIGRAVITY_ERROR expected; -1: G_IO_ERROR_INVALID_DATA */
} Case;

static const Case cases[] = {
  { "storage-not-json", "{\"telemetry.machineId\": ", STATE_GOOD, TRUE, AG_ANTIGRAVITY_ERROR_BAD_FILE },
  { "storage-array", "[1, 2]", STATE_GOOD, TRUE, AG_ANTIGRAVITY_ERROR_BAD_FILE },
  { "no-install", NULL, STATE_NONE, TRUE, AG_ANTIGRAVITY_ERROR_NOT_INSTALLED },
  { "state-corrupt", GOOD_STORAGE, STATE_CORRUPT, TRUE, AG_ANTIGRAVITY_ERROR_BAD_FILE },
  { "state-locked", GOOD_STORAGE, STATE_LOCKED, TRUE, AG_ANTIGRAVITY_ERROR_LOCKED },
  { "sign-in-record-corrupt", GOOD_STORAGE, STATE_BAD_TOPIC, TRUE, -1 },
  { "keyring-refuses", GOOD_STORAGE, STATE_GOOD, TRUE, AG_ANTIGRAVITY_ERROR_KEYRING },
};

static void
exec_ok (sqlite3 *db, const char *sql)
{
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static sqlite3 *
make_state (const char *path, StateKind kind)
{
  sqlite3 *db = NULL;

  if (kind == STATE_NONE)
    return NULL;
  if (kind == STATE_CORRUPT)
    {
      g_autofree char *garbage = g_strnfill (4096, 'x');

      g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
      return NULL;
    }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);"
               "INSERT INTO ItemTable VALUES ('storage.serviceMachineId', 'orig-dev'), ('other', 'keep');");
  if (kind == STATE_BAD_TOPIC)
    exec_ok (db, "INSERT INTO ItemTable VALUES ('antigravityUnifiedStateSync.oauthToken', '/w==');");
  if (kind != STATE_LOCKED)
    {
      sqlite3_close (db);
      return NULL;
    }
  /* Held until the case ends, as a running IDE would. */
  exec_ok (db, "BEGIN EXCLUSIVE; UPDATE ItemTable SET value = 'busy' WHERE key = 'other';");
  return db;
}

static GBytes *
snapshot (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static void
assert_same (GBytes *before, const char *path)
{
  g_autoptr(GBytes) after = snapshot (path);

  if (before == NULL)
    g_assert_null (after);
  else
    g_assert_true (after != NULL && g_bytes_equal (before, after));
}

static void
test_failure (gconstpointer data)
{
  const Case *test_case = data;
  g_autofree char *dir = g_dir_make_tmp ("ag-ide-XXXXXX", NULL);
  g_autofree char *global = g_build_filename (dir, "User", "globalStorage", NULL);
  g_autoptr(AgAntigravityInstall) install = ag_antigravity_install_new (dir);
  const char *storage = ag_antigravity_install_get_storage_path (install);
  const char *state = ag_antigravity_install_get_state_path (install);
  g_autofree char *temp = g_strconcat (storage, ".ag-cl-new", NULL);
  g_autoptr(AgDeviceProfile) profile = ag_device_profile_generate ();
  g_autoptr(AgAntigravitySignIn) sign_in = ag_antigravity_sign_in_new ("ya29.x", "rt-writer", 1800000000);
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) storage_before = NULL;
  g_autoptr(GBytes) state_before = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *lock = NULL;

  g_assert_cmpint (g_mkdir_with_parents (global, 0700), ==, 0);
  if (test_case->storage != NULL)
    g_assert_true (g_file_set_contents (storage, test_case->storage, -1, NULL));
  lock = make_state (state, test_case->state);
  storage_before = snapshot (storage);
  state_before = snapshot (state);

  g_assert_false (ag_antigravity_write (install, profile, test_case->sign_in ? sign_in : NULL, backups, &error));
  if (test_case->code < 0)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  else
    g_assert_error (error, AG_ANTIGRAVITY_ERROR, test_case->code);
  g_assert_null (strstr (error->message, "rt-writer"));
  if (lock != NULL)
    sqlite3_close (lock);

  assert_same (storage_before, storage);
  assert_same (state_before, state);
  g_assert_false (g_file_test (temp, G_FILE_TEST_EXISTS));
  /* Backups are made once the files are known good, and kept. */
  for (guint i = 0; i < backups->len; i++)
    g_assert_true (g_file_test (g_ptr_array_index (backups, i), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (backups->len, ==, test_case->code == AG_ANTIGRAVITY_ERROR_KEYRING || test_case->code < 0 ? 2 : 0);
  ag_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  /* libsecret finds no Secret Service on this bus: the keyring refuses. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ag-cl-test-bus", TRUE);
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/antigravity-writer/fails/", cases[i].name, NULL);

      g_test_add_data_func (path, &cases[i], test_failure);
    }
  return g_test_run ();
}
