/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-antigravity-import.h"

#include "ag-antigravity-install.h"
#include "ag-protobuf.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#define UNIFIED_KEY "antigravityUnifiedStateSync.oauthToken"
#define LEGACY_KEY "jetskiStateSync.agentManagerInitState"
#define SENTINEL_KEY "oauthTokenInfoSentinelKey"

/* Field numbers of the IDE's messages (see the header). */
enum { TOPIC_DATA = 1, ENTRY_KEY = 1, ENTRY_ROW = 2, ROW_VALUE = 1, LEGACY_OAUTH = 6, OAUTH_REFRESH_TOKEN = 3 };

G_DEFINE_QUARK (ag-antigravity-import-error-quark, ag_antigravity_import_error)

char *
ag_antigravity_import_get_default_path (void)
{
  g_autofree char *folder = ag_antigravity_install_default_folder ();

  return g_build_filename (folder, "User", "globalStorage", "state.vscdb", NULL);
}

static GBytes *
decode_base64 (const char *text)
{
  gsize len = 0;
  guchar *data;

  if (text == NULL || text[0] == '\0')
    return NULL;
  data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}

static char *
not_signed_in (GError **error)
{
  g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN,
               _("the Antigravity IDE holds no sign-in"));
  return NULL;
}

/* The refresh token in an OAuthTokenInfo message; both records end here (NULL @oauth_info: none was found). */
static char *
refresh_token_of (GBytes *oauth_info, GError **error)
{
  gsize len = 0;
  const guint8 *data;
  char *token;

  if (oauth_info == NULL)
    return not_signed_in (error);
  data = g_bytes_get_data (oauth_info, &len);
  token = ag_protobuf_string_field (data, len, OAUTH_REFRESH_TOKEN);
  if (token == NULL || token[0] == '\0')
    {
      g_free (token);
      g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN,
                   _("the Antigravity IDE holds no refresh token"));
      return NULL;
    }
  return token;
}

typedef struct {
  char *row_value;   /* base64 OAuthTokenInfo of the sentinel entry */
} UnifiedSearch;

static gboolean take_bytes (const guint8 *data, gsize len, gpointer user_data);

static gboolean
visit_entry (const guint8 *data, gsize len, gpointer user_data)
{
  UnifiedSearch *search = user_data;
  g_autofree char *key = ag_protobuf_string_field (data, len, ENTRY_KEY);
  g_autoptr(GBytes) row = NULL;
  gsize row_len = 0;
  const guint8 *row_data;

  if (g_strcmp0 (key, SENTINEL_KEY) != 0)
    return FALSE;
  if (!ag_protobuf_each_field (data, len, ENTRY_ROW, take_bytes, &row) || row == NULL)
    return FALSE;
  row_data = g_bytes_get_data (row, &row_len);
  search->row_value = ag_protobuf_string_field (row_data, row_len, ROW_VALUE);
  return search->row_value != NULL;
}

char *
ag_antigravity_import_parse_unified (const char *value, GError **error)
{
  g_autoptr(GBytes) topic = decode_base64 (value);
  g_autoptr(GBytes) oauth_info = NULL;
  UnifiedSearch search = { NULL };
  gsize len = 0;
  const guint8 *data;

  if (topic == NULL)
    return not_signed_in (error);
  data = g_bytes_get_data (topic, &len);
  if (!ag_protobuf_each_field (data, len, TOPIC_DATA, visit_entry, &search))
    {
      g_free (search.row_value);
      g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_BAD_DATA,
                   _("the Antigravity IDE's sign-in record cannot be read"));
      return NULL;
    }
  oauth_info = decode_base64 (search.row_value);
  g_free (search.row_value);
  return refresh_token_of (oauth_info, error);
}

static gboolean
take_bytes (const guint8 *data, gsize len, gpointer user_data)
{
  GBytes **out = user_data;

  g_clear_pointer (out, g_bytes_unref);
  *out = g_bytes_new (data, len);
  return TRUE;
}

char *
ag_antigravity_import_parse_legacy (const char *value, GError **error)
{
  g_autoptr(GBytes) state = decode_base64 (value);
  g_autoptr(GBytes) oauth_info = NULL;
  gsize len = 0;
  const guint8 *data;

  if (state == NULL)
    return not_signed_in (error);
  data = g_bytes_get_data (state, &len);
  if (!ag_protobuf_each_field (data, len, LEGACY_OAUTH, take_bytes, &oauth_info))
    {
      g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_BAD_DATA,
                   _("the Antigravity IDE's state cannot be read"));
      return NULL;
    }
  return refresh_token_of (oauth_info, error);
}

/* The value of @key in ItemTable, or NULL when absent. */
static char *
lookup_value (sqlite3 *db, const char *key, GError **error)
{
  sqlite3_stmt *statement = NULL;
  char *value = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM ItemTable WHERE key = ?1", -1, &statement, NULL) != SQLITE_OK)
    {
      g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_DATABASE,
                   _("the Antigravity IDE's database cannot be read: %s"), sqlite3_errmsg (db));
      return NULL;
    }
  sqlite3_bind_text (statement, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW && sqlite3_column_text (statement, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_DATABASE,
                 _("the Antigravity IDE's database cannot be read: %s"), sqlite3_errmsg (db));
  sqlite3_finalize (statement);
  return value;
}

static char *
read_refresh_token (const char *path, GError **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *unified = NULL;
  g_autofree char *legacy = NULL;
  g_autoptr(GError) unified_error = NULL;
  sqlite3 *db = NULL;
  char *token = NULL;

  /* Read-only: the IDE may be running and owns the file. */
  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    return NULL;
  if (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    {
      g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_DATABASE,
                   _("cannot open the Antigravity IDE's database %s: %s"), path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 2000);
  unified = lookup_value (db, UNIFIED_KEY, error);
  if (unified == NULL && (error == NULL || *error == NULL))
    legacy = lookup_value (db, LEGACY_KEY, error);
  sqlite3_close (db);
  if (error != NULL && *error != NULL)
    return NULL;

  if (unified != NULL && (token = ag_antigravity_import_parse_unified (unified, &unified_error)) != NULL)
    return token;
  if (legacy != NULL)
    return ag_antigravity_import_parse_legacy (legacy, error);
  if (unified_error != NULL)
    g_propagate_error (error, g_steal_pointer (&unified_error));
  else
    g_set_error (error, AG_ANTIGRAVITY_IMPORT_ERROR, AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN,
                 _("the Antigravity IDE is not signed in"));
  return NULL;
}

static void
read_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  char *token = read_refresh_token (task_data, &error);

  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, g_free);
}

void
ag_antigravity_import_read_async (const char *path, GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ag_antigravity_import_read_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_in_thread);
}

char *
ag_antigravity_import_read_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
