/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the refresh token of the Antigravity IDE's sign-in: both record formats (built here byte by byte), a
 * record without a refresh token, malformed data, and a real SQLite state database. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include "ag-test.h"
#include "ag-antigravity-import.h"

static void
put_varint (GByteArray *out, guint64 value)
{
  while (value >= 0x80)
    {
      guint8 byte = (guint8) (value | 0x80);

      g_byte_array_append (out, &byte, 1);
      value >>= 7;
    }
  g_byte_array_append (out, (guint8 *) &value, 1);
}

static void
put_bytes (GByteArray *out, guint field, const guint8 *data, gsize len)
{
  put_varint (out, (field << 3) | 2);
  put_varint (out, len);
  g_byte_array_append (out, data, (guint) len);
}

static void
put_string (GByteArray *out, guint field, const char *text)
{
  put_bytes (out, field, (const guint8 *) text, strlen (text));
}

static void
put_message (GByteArray *out, guint field, GByteArray *message)
{
  put_bytes (out, field, message->data, message->len);
}

static GByteArray *
oauth_info (const char *refresh_token)
{
  GByteArray *info = g_byte_array_new ();
  g_autoptr(GByteArray) expiry = g_byte_array_new ();

  put_string (info, 1, "ya29.access");
  put_string (info, 2, "Bearer");
  if (refresh_token != NULL)
    put_string (info, 3, refresh_token);
  put_varint (expiry, 1 << 3);
  put_varint (expiry, 1712345678);
  put_message (info, 4, expiry);
  return info;
}

static char *
unified_value (const char *refresh_token)
{
  g_autoptr(GByteArray) info = oauth_info (refresh_token);
  g_autofree char *info_base64 = g_base64_encode (info->data, info->len);
  g_autoptr(GByteArray) other_row = g_byte_array_new ();
  g_autoptr(GByteArray) other_entry = g_byte_array_new ();
  g_autoptr(GByteArray) row = g_byte_array_new ();
  g_autoptr(GByteArray) entry = g_byte_array_new ();
  g_autoptr(GByteArray) topic = g_byte_array_new ();

  put_string (other_row, 1, "bm90IGl0");
  put_string (other_entry, 1, "someOtherKey");
  put_message (other_entry, 2, other_row);
  put_string (row, 1, info_base64);
  put_string (entry, 1, "oauthTokenInfoSentinelKey");
  put_message (entry, 2, row);
  put_message (topic, 1, other_entry);
  put_message (topic, 1, entry);
  return g_base64_encode (topic->data, topic->len);
}

static char *
legacy_value (const char *refresh_token)
{
  g_autoptr(GByteArray) info = oauth_info (refresh_token);
  g_autoptr(GByteArray) state = g_byte_array_new ();

  put_string (state, 1, "agent-state");
  put_varint (state, (2 << 3) | 0);
  put_varint (state, 300);
  put_message (state, 6, info);
  return g_base64_encode (state->data, state->len);
}

static void
test_unified (void)
{
  g_autofree char *value = unified_value ("1//rt-unified");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_antigravity_import_parse_unified (value, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "1//rt-unified");
}

static void
test_legacy (void)
{
  g_autofree char *value = legacy_value ("1//rt-legacy");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_antigravity_import_parse_legacy (value, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "1//rt-legacy");
}

static void
test_without_refresh_token (void)
{
  g_autofree char *unified = unified_value (NULL);
  g_autofree char *legacy = legacy_value (NULL);
  g_autoptr(GError) unified_error = NULL;
  g_autoptr(GError) legacy_error = NULL;

  g_assert_null (ag_antigravity_import_parse_unified (unified, &unified_error));
  g_assert_error (unified_error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN);
  g_assert_null (ag_antigravity_import_parse_legacy (legacy, &legacy_error));
  g_assert_error (legacy_error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN);
}

static void
test_malformed (void)
{
  /* Field 1, length 127, but only 2 bytes follow. */
  const guint8 truncated[] = { 0x0a, 0x7f, 0x41, 0x42 };
  g_autofree char *value = g_base64_encode (truncated, sizeof truncated);
  g_autoptr(GError) unified_error = NULL;
  g_autoptr(GError) legacy_error = NULL;

  g_assert_null (ag_antigravity_import_parse_unified (value, &unified_error));
  g_assert_error (unified_error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_BAD_DATA);
  g_assert_null (ag_antigravity_import_parse_legacy (value, &legacy_error));
  g_assert_error (legacy_error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_BAD_DATA);
}

static char *
read_database (const char *path, GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  ag_antigravity_import_read_async (path, NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  return ag_antigravity_import_read_finish (result, error);
}

static char *
make_database (const char *dir, const char *key, const char *value)
{
  char *path = g_build_filename (dir, "state.vscdb", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO ItemTable VALUES (?1, ?2)", -1, &insert, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (insert, 1, "antigravityAuthStatus", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, "{\"email\":\"ide@example.com\"}", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
  if (key != NULL)
    {
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, value, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
    }
  sqlite3_finalize (insert);
  sqlite3_close (db);
  return path;
}

static void
test_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ag-ide-XXXXXX", NULL);
  g_autofree char *legacy = legacy_value ("1//rt-from-db");
  g_autofree char *path = make_database (dir, "jetskiStateSync.agentManagerInitState", legacy);
  g_autofree char *empty_dir = g_dir_make_tmp ("ag-ide-XXXXXX", NULL);
  g_autofree char *empty_path = make_database (empty_dir, NULL, NULL);
  g_autofree char *missing = g_build_filename (empty_dir, "missing.vscdb", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) empty_error = NULL;
  g_autoptr(GError) missing_error = NULL;
  g_autofree char *token = read_database (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "1//rt-from-db");
  g_assert_null (read_database (empty_path, &empty_error));
  g_assert_error (empty_error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN);
  g_assert_null (read_database (missing, &missing_error));
  g_assert_error (missing_error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_DATABASE);
  g_unlink (path);
  g_unlink (empty_path);
  g_rmdir (dir);
  g_rmdir (empty_dir);
}

static void
test_default_path (void)
{
  g_autofree char *overridden = NULL;

  g_setenv ("AGCL_ANTIGRAVITY_CONFIG_DIR", "/tmp/ag-ide", TRUE);
  overridden = ag_antigravity_import_get_default_path ();
  g_assert_cmpstr (overridden, ==, "/tmp/ag-ide/User/globalStorage/state.vscdb");
  g_unsetenv ("AGCL_ANTIGRAVITY_CONFIG_DIR");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/antigravity-import/unified", test_unified);
  g_test_add_func ("/antigravity-import/legacy", test_legacy);
  g_test_add_func ("/antigravity-import/without-refresh-token", test_without_refresh_token);
  g_test_add_func ("/antigravity-import/malformed", test_malformed);
  g_test_add_func ("/antigravity-import/database", test_database);
  g_test_add_func ("/antigravity-import/default-path", test_default_path);
  return g_test_run ();
}
