// SPDX-License-Identifier: GPL-3.0-or-later
/* `ag-cl ide …` and `ag-cl device …` (the real binary, the mock's OAuth, the test keyring) on an Antigravity
 * folder built here: storage.json plus a state.vscdb without the unified-state keys (Antigravity ≥ 2.0: sign-in in
 * the keyring) or with them (an older IDE: sign-in merged into state.vscdb). Switches to user1, then user2, then
 * puts the baseline back, checking every key of both files, the keyring item, the backups and that the refresh
 * token is in no file; declining the prompt changes nothing; a running IDE is closed and started again. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sqlite3.h>
#include "ag-test.h"
#include "ag-antigravity-import.h"
#include "ag-antigravity-install.h"
#include "ag-antigravity-sign-in.h"
#include "ag-device-store.h"

#define UNIFIED_KEY "antigravityUnifiedStateSync.oauthToken"
#define LEGACY_KEY "jetskiStateSync.agentManagerInitState"

static const char *script =
  "{\"accounts\":["
  "{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"},"
  "{\"refresh_token\":\"rt-2\",\"email\":\"user2@example.com\",\"project\":\"proj-2\"}]}";

static const char original_storage[] =
  "{\n"
  "    \"telemetry.machineId\": \"0f3c9e5b7a1d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6\",\n"
  "    \"telemetry.macMachineId\": \"d1b2c3a4-0000-4000-8000-00000000abcd\",\n"
  "    \"telemetry.devDeviceId\": \"6a3b1f00-1111-4111-9111-111111111111\",\n"
  "    \"telemetry.sqmId\": \"{0A1B2C3D-2222-4222-A222-222222222222}\",\n"
  "    \"theme\": \"dark\",\n"
  "    \"windowsState\": {\"lastActiveWindow\": {\"folder\": \"file:///home/u/src\"}}\n"
  "}\n";

static const SecretSchema ide_schema = {
  "org.freedesktop.Secret.Generic", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "service", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "username", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

typedef struct {
  AgTestHarness   *harness;
  char            *dir;
  char            *ide;
  char            *storage;
  char            *state;
  AgDeviceStore   *devices;
  AgDeviceProfile *original;
  gboolean         unified;
} Fixture;

static void
exec_ok (sqlite3 *db, const char *sql)
{
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

/* A unified-state topic holding another entry (the IDE's chat state stands for it) and a sign-in with @token. */
static char *
unified_topic (const char *token)
{
  g_autoptr(AgAntigravitySignIn) sign_in = ag_antigravity_sign_in_new ("ya29.old", token, 1700000000);
  const char other[] = "\x0a\x11\x0a\x0csomeOtherKey\x12\x01\x0a";
  g_autofree char *other_base64 = g_base64_encode ((const guchar *) other, sizeof other - 1);

  return ag_antigravity_sign_in_merge_unified (other_base64, sign_in, NULL);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *global = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *devices_path = NULL;
  sqlite3 *db = NULL;

  fixture->unified = GPOINTER_TO_INT (data);
  fixture->dir = g_dir_make_tmp ("ag-ide-switch-XXXXXX", NULL);
  fixture->ide = g_build_filename (fixture->dir, "Antigravity", NULL);
  global = g_build_filename (fixture->ide, "User", "globalStorage", NULL);
  fixture->storage = g_build_filename (global, "storage.json", NULL);
  fixture->state = g_build_filename (global, "state.vscdb", NULL);
  g_assert_cmpint (g_mkdir_with_parents (global, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->storage, original_storage, -1, NULL));
  g_assert_cmpint (sqlite3_open (fixture->state, &db), ==, SQLITE_OK);
  exec_ok (db, "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);"
               "INSERT INTO ItemTable VALUES ('storage.serviceMachineId', '6a3b1f00-1111-4111-9111-111111111111'),"
               " ('workbench.panel', 'keep');");
  if (fixture->unified)
    {
      g_autofree char *topic = unified_topic ("1//ide-own-token");
      g_autofree char *sql = g_strdup_printf ("INSERT INTO ItemTable VALUES ('" UNIFIED_KEY "', '%s'),"
                                              " ('" LEGACY_KEY "', 'AAAA');", topic);

      exec_ok (db, sql);
    }
  sqlite3_close (db);
  fixture->original = ag_device_profile_new ("0f3c9e5b7a1d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6",
                                             "d1b2c3a4-0000-4000-8000-00000000abcd",
                                             "6a3b1f00-1111-4111-9111-111111111111",
                                             "{0A1B2C3D-2222-4222-A222-222222222222}");

  secret_password_clear_sync (&ide_schema, NULL, NULL, "service", "gemini", "username", "antigravity", NULL);
  fixture->harness = ag_test_harness_new (script);
  data_dir = g_build_filename (fixture->dir, "data", NULL);
  ag_test_harness_setenv (fixture->harness, "AGCL_DATA_DIR", data_dir);
  ag_test_harness_setenv (fixture->harness, "AGCL_ANTIGRAVITY_CONFIG_DIR", fixture->ide);
  ag_test_harness_add_account (fixture->harness, "rt-1");
  ag_test_harness_add_account (fixture->harness, "rt-2");
  devices_path = g_build_filename (data_dir, "devices.db", NULL);
  fixture->devices = ag_device_store_new (devices_path);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  secret_password_clear_sync (&ide_schema, NULL, NULL, "service", "gemini", "username", "antigravity", NULL);
  ag_test_harness_free (fixture->harness);
  g_clear_object (&fixture->devices);
  ag_device_profile_free (fixture->original);
  ag_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->ide);
  g_free (fixture->storage);
  g_free (fixture->state);
}

static char *
run_ok (Fixture *fixture, const char * const *args, const char *stdin_text)
{
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = ag_test_harness_run_cli (fixture->harness, args, stdin_text, &out, &err);

  if (status != 0)
    g_error ("ag-cl %s %s: status %d\n%s%s", args[0], args[1], status, out, err);
  g_assert_cmpstr (err, ==, "");
  return out;
}

static AgDeviceProfile *
bound_profile (Fixture *fixture, const char *email)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_device_store_current_async, fixture->devices, email,
                                                       NULL);
  g_autoptr(AgDeviceVersion) version = ag_device_store_version_finish (fixture->devices, result, NULL, NULL);

  g_assert_nonnull (version);
  return ag_device_profile_copy (version->profile);
}

static char *
state_item (Fixture *fixture, const char *key)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->state, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM ItemTable WHERE key = ?1", -1, &statement, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_text (statement, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (statement) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return value;
}

static void
assert_storage (Fixture *fixture, const AgDeviceProfile *profile)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *nested;
  const char *names[] = { "machineId", "macMachineId", "devDeviceId", "sqmId" };
  const char *ids[] = { profile->machine_id, profile->mac_machine_id, profile->dev_device_id, profile->sqm_id };
  g_autofree char *service_id = state_item (fixture, "storage.serviceMachineId");
  g_autofree char *kept = state_item (fixture, "workbench.panel");

  g_assert_true (json_parser_load_from_file (parser, fixture->storage, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  nested = json_object_get_object_member (root, "telemetry");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *flat = g_strconcat ("telemetry.", names[i], NULL);

      g_assert_cmpstr (json_object_get_string_member (nested, names[i]), ==, ids[i]);
      g_assert_cmpstr (json_object_get_string_member (root, flat), ==, ids[i]);
    }
  g_assert_cmpstr (json_object_get_string_member (root, "storage.serviceMachineId"), ==, profile->dev_device_id);
  g_assert_cmpstr (json_object_get_string_member (root, "theme"), ==, "dark");
  g_assert_true (json_object_has_member (json_object_get_object_member (root, "windowsState"), "lastActiveWindow"));
  g_assert_cmpuint (json_object_get_size (root), ==, 8);
  g_assert_cmpstr (service_id, ==, profile->dev_device_id);
  g_assert_cmpstr (kept, ==, "keep");
}

/* The IDE signs in with @token where it reads its sign-in, and only there. */
static void
assert_sign_in (Fixture *fixture, const char *token)
{
  g_autofree char *item = secret_password_lookup_sync (&ide_schema, NULL, NULL, "service", "gemini", "username",
                                                       "antigravity", NULL);
  g_autofree char *topic = state_item (fixture, UNIFIED_KEY);

  if (fixture->unified)
    {
      g_autofree char *in_state = ag_antigravity_import_parse_unified (topic, NULL);
      g_autofree char *onboarding = state_item (fixture, "antigravityOnboarding");
      g_autofree char *legacy = state_item (fixture, LEGACY_KEY);
      gsize len = 0;
      g_autofree guchar *raw = g_base64_decode (topic, &len);

      g_assert_null (item);
      g_assert_cmpstr (in_state, ==, token);
      /* Merged: the topic's other entry (the chat state) is still there. */
      g_assert_nonnull (g_strstr_len ((const char *) raw, (gssize) len, "someOtherKey"));
      g_assert_cmpstr (onboarding, ==, "true");
      g_assert_null (legacy);
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root, *token_object;
      g_autoptr(GDateTime) expiry = NULL;

      g_assert_nonnull (item);
      g_assert_true (json_parser_load_from_data (parser, item, -1, NULL));
      root = json_node_get_object (json_parser_get_root (parser));
      token_object = json_object_get_object_member (root, "token");
      g_assert_cmpstr (json_object_get_string_member (root, "auth_method"), ==, "consumer");
      g_assert_cmpstr (json_object_get_string_member (token_object, "refresh_token"), ==, token);
      g_assert_cmpstr (json_object_get_string_member (token_object, "token_type"), ==, "Bearer");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (token_object, "access_token"), "ya29.mock-"));
      expiry = g_date_time_new_from_iso8601 (json_object_get_string_member (token_object, "expiry"), NULL);
      g_assert_nonnull (expiry);
      g_assert_cmpint (g_date_time_to_unix (expiry), >, g_get_real_time () / G_USEC_PER_SEC);
      g_assert_null (topic);
    }
}

/* An item as Go's keyring library (agy) writes it: the two attributes and no xdg:schema. */
static void
store_go_style_item (void)
{
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, NULL);
  g_autoptr(SecretCollection) collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                                             SECRET_COLLECTION_NONE, NULL, NULL);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SecretValue) value = secret_value_new ("{\"token\":{\"refresh_token\":\"1//ide-own\"}}", -1,
                                                   "text/plain");
  g_autoptr(SecretItem) item = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (collection);
  g_hash_table_insert (attributes, "service", "gemini");
  g_hash_table_insert (attributes, "username", "antigravity");
  item = secret_item_create_sync (collection, NULL, attributes, "Password for 'antigravity' on 'gemini'", value,
                                  SECRET_ITEM_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
}

/* Through SecretService, as the writer searches: libsecret 0.20's secret_password_search_sync leaks per item. */
static guint
count_ide_items (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_autoptr(GHashTable) attributes = secret_attributes_build (&ide_schema, "service", "gemini", "username",
                                                              "antigravity", NULL);
  GList *items = secret_service_search_sync (service, &ide_schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  guint count = g_list_length (items);

  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  return count;
}

static guint
count_backups (Fixture *fixture, const char *prefix, GBytes *original)
{
  g_autofree char *global = g_path_get_dirname (fixture->storage);
  g_autoptr(GDir) dir = g_dir_open (global, 0, NULL);
  const char *name;
  guint count = 0;
  gboolean found_original = original == NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_autofree char *path = g_build_filename (global, name, NULL);
        char *contents = NULL;
        gsize length = 0;
        g_autoptr(GBytes) bytes = NULL;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        bytes = g_bytes_new_take (contents, length);
        found_original = found_original || g_bytes_equal (bytes, original);
        count++;
      }
  g_assert_true (found_original || count == 0);
  return count;
}

static void
test_switch_a_b_reset (Fixture *fixture, gconstpointer data)
{
  const char *switch_a[] = { "ide", "switch", "user1@example.com", "--yes", NULL };
  const char *switch_b[] = { "ide", "switch", "user2@example.com", "--yes", NULL };
  const char *ask_a[] = { "ide", "switch", "user1@example.com", NULL };
  const char *reset[] = { "ide", "reset", "--yes", NULL };
  const char *status[] = { "ide", "status", NULL };
  g_autoptr(GBytes) original_bytes = g_bytes_new_static (original_storage, sizeof original_storage - 1);
  g_autofree char *declined = NULL;
  g_autofree char *out = NULL;
  g_autoptr(AgDeviceProfile) profile_a = NULL;
  g_autoptr(AgDeviceProfile) profile_b = NULL;
  g_autoptr(AgDeviceProfile) baseline = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int code;

  /* Declining the prompt: the preview, then nothing written. */
  code = ag_test_harness_run_cli (fixture->harness, ask_a, "n\n", &declined, NULL);
  g_assert_cmpint (code, ==, 1);
  g_assert_nonnull (strstr (declined, "device profile: none bound yet; a new one will be generated"));
  g_assert_nonnull (strstr (declined, fixture->unified ? "antigravityUnifiedStateSync.oauthToken"
                                                      : "service=gemini username=antigravity"));
  g_assert_true (g_str_has_suffix (declined, "Continue? [y/N] Nothing was changed.\n"));
  g_assert_cmpuint (count_backups (fixture, "storage.json.backup-", NULL), ==, 0);

  /* The item agy made itself is the one updated, not shadowed by a second one. */
  if (!fixture->unified)
    {
      store_go_style_item ();
      g_assert_cmpuint (count_ide_items (), ==, 1);
    }
  out = run_ok (fixture, switch_a, NULL);
  if (!fixture->unified)
    g_assert_cmpuint (count_ide_items (), ==, 1);
  g_assert_nonnull (strstr (out, "Antigravity now signs in as user1@example.com, with a device profile generated "
                                 "for it just now.\n"));
  profile_a = bound_profile (fixture, "user1@example.com");
  assert_storage (fixture, profile_a);
  assert_sign_in (fixture, "rt-1");

  g_free (out);
  out = run_ok (fixture, switch_b, NULL);
  profile_b = bound_profile (fixture, "user2@example.com");
  g_assert_false (ag_device_profile_equal (profile_a, profile_b));
  assert_storage (fixture, profile_b);
  assert_sign_in (fixture, "rt-2");

  g_free (out);
  out = run_ok (fixture, status, NULL);
  g_assert_nonnull (strstr (out, "Signed in as: user2@example.com\n"));
  g_assert_nonnull (strstr (out, "Device profile: user2@example.com\n"));

  /* Kept once, before the first switch: the machine's own ids, not user1's. */
  result = AG_TEST_AWAIT_CALL (ag_device_store_get_baseline_async, fixture->devices, NULL);
  baseline = ag_device_store_baseline_finish (fixture->devices, result, NULL, NULL);
  g_assert_true (ag_device_profile_equal (baseline, fixture->original));

  g_free (out);
  out = run_ok (fixture, reset, NULL);
  g_assert_nonnull (strstr (out, "Antigravity has this machine's own device identity back"));
  assert_storage (fixture, fixture->original);
  assert_sign_in (fixture, "rt-2");
  g_free (out);
  out = run_ok (fixture, status, NULL);
  g_assert_nonnull (strstr (out, "Device profile: this machine's own (the baseline)\n"));

  /* One backup of each file per write; the first is the original, byte for byte. */
  g_assert_cmpuint (count_backups (fixture, "storage.json.backup-", original_bytes), ==, 3);
  g_assert_cmpuint (count_backups (fixture, "state.vscdb.backup-", NULL), ==, 3);
  /* The keyring holds the sign-in; no file does (an older IDE keeps it in state.vscdb, base64 in a protobuf, as
   * it does itself — the scan still covers storage.json, the backups and ag-cl's data). */
  ag_test_assert_no_secret_in_directory (fixture->dir);
}

static void
test_device_cli (Fixture *fixture, gconstpointer data)
{
  const char *generate[] = { "device", "generate", "user1@example.com", NULL };
  const char *capture[] = { "device", "capture", "user1@example.com", NULL };
  const char *history[] = { "device", "history", "user1@example.com", NULL };
  const char *restore[] = { "device", "restore", "user1@example.com", "1", NULL };
  const char *show[] = { "device", "show", "user1@example.com", NULL };
  const char *unknown[] = { "device", "show", "nobody@example.com", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  out = run_ok (fixture, show, NULL);
  g_assert_true (g_str_has_prefix (out, "user1@example.com has no device profile yet"));
  g_free (out);
  out = run_ok (fixture, generate, NULL);
  g_assert_true (g_str_has_prefix (out, "user1@example.com is bound to the new version 1 (generated, "));
  g_assert_nonnull (strstr (out, "  machineId     auth0|user_"));
  g_free (out);
  out = run_ok (fixture, capture, NULL);
  g_assert_true (g_str_has_prefix (out, "user1@example.com is bound to the new version 2 (captured, "));
  g_assert_nonnull (strstr (out, "  machineId     0f3c9e5b7a1d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6\n"));
  g_free (out);
  out = run_ok (fixture, restore, NULL);
  g_assert_true (g_str_has_prefix (out, "user1@example.com now uses version 1 (generated, "));
  g_free (out);
  out = run_ok (fixture, history, NULL);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], "VERSION  CREATED"));
  g_assert_true (g_str_has_prefix (lines[1], "2 "));
  g_assert_nonnull (strstr (lines[1], " captured "));
  g_assert_null (strstr (lines[1], " yes "));
  g_assert_true (g_str_has_prefix (lines[2], "1 "));
  g_assert_nonnull (strstr (lines[2], " generated        yes "));
  g_free (out);
  out = NULL;
  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, unknown, NULL, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, "ag-cl: no account nobody@example.com (see \"ag-cl account list\")\n");
}

/* The stand-in IDE runs on the folder: the preview says so, and --yes closes it, writes, and starts it again. */
static void
test_running_ide (Fixture *fixture, gconstpointer data)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "integration", "antigravity", NULL);
  g_autofree char *option = g_strconcat ("--user-data-dir=", fixture->ide, NULL);
  g_autoptr(GSubprocess) ide = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, program, option, NULL);
  g_autoptr(AgAntigravityInstall) install = ag_antigravity_install_new (fixture->ide);
  const char *ask[] = { "ide", "switch", "user1@example.com", NULL };
  const char *yes[] = { "ide", "switch", "user1@example.com", "--yes", NULL };
  const char *status[] = { "ide", "status", NULL };
  g_autoptr(GBytes) before = g_bytes_new_static (original_storage, sizeof original_storage - 1);
  g_autofree char *out = NULL;
  g_autoptr(GArray) running = NULL;
  GPid first;

  g_assert_nonnull (ide);
  first = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (ide), NULL, 10);
  AG_TEST_WAIT (({ g_autoptr(GArray) pids = ag_antigravity_install_list_running (install); pids->len == 1; }), 5000);
  out = run_ok (fixture, status, NULL);
  g_assert_nonnull (strstr (out, "Running: yes\n"));
  g_free (out);
  out = NULL;
  g_assert_cmpint (ag_test_harness_run_cli (fixture->harness, ask, "\n", &out, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "Antigravity is running: it will be closed first and started again afterwards.\n"));
  g_assert_cmpuint (count_backups (fixture, "storage.json.backup-", before), ==, 0);

  g_free (out);
  out = run_ok (fixture, yes, NULL);
  g_assert_nonnull (strstr (out, "Antigravity was started again.\n"));
  g_assert_true (g_subprocess_wait (ide, NULL, NULL));
  running = ag_antigravity_install_list_running (install);
  g_assert_cmpuint (running->len, ==, 1);
  g_assert_cmpint (g_array_index (running, GPid, 0), !=, first);
  kill (g_array_index (running, GPid, 0), SIGTERM);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The switch writes Antigravity's own keyring item, which carries no test profile: only in a private keyring. */
  if (g_getenv ("AGCL_IN_KEYRING_SESSION") == NULL)
    {
      g_test_skip ("needs the private keyring of build-aux/with-keyring.sh");
      return 0;
    }
  g_test_add ("/ide-switch/keyring/a-b-reset", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_switch_a_b_reset, fixture_tear_down);
  g_test_add ("/ide-switch/state-db/a-b-reset", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_switch_a_b_reset, fixture_tear_down);
  g_test_add ("/ide-switch/device-cli", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_device_cli,
              fixture_tear_down);
  g_test_add ("/ide-switch/running-ide", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_running_ide,
              fixture_tear_down);
  return g_test_run ();
}
