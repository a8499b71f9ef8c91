/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Local faults: the request log cannot be written (no folder, read-only folder, full disk) and the keyring is
 * locked. Each case asserts what the client receives and that ag-cl keeps serving afterwards. The locked keyring
 * is a private gnome-keyring on a private bus, so locking it cannot disturb tests running in parallel. */
#include "ag-test.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define MESSAGE "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\"," \
                "\"content\":\"hello\"}]}"
#define LOG_FAILURE "the request log is not being written: "

static guint
count_occurrences (const char *text, const char *needle)
{
  guint count = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    count++;
  return count;
}

static void
assert_answers_from_mock (AgTestHarness *harness)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpuint (ag_test_harness_post (harness, MESSAGE, &body), ==, 200);
  text = ag_test_reply_text (body);
  g_assert_cmpstr (text, ==, "Hello from the mock.");
}

/* Runs the proxy (under @command_prefix, when not NULL) with its request log at @data_dir, which cannot be
 * written: every request is still answered, and the log reports the failure once — with @reason — however many
 * requests follow. */
static void
assert_served_without_request_log (const char *data_dir, const char *reason, const char **command_prefix)
{
  AgTestHarness *harness = ag_test_harness_new (NULL);
  const char *line;

  harness->command_prefix = command_prefix;
  ag_test_harness_setenv (harness, "AGCL_DATA_DIR", data_dir);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  for (int i = 0; i < 3; i++)
    assert_answers_from_mock (harness);
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  ag_test_harness_wait_log (harness, LOG_FAILURE, 4000);
  line = strstr (harness->proxy_log->str, LOG_FAILURE);
  if (line == NULL || strstr (line, reason) == NULL)
    g_error ("the request log failure (%s) was not reported: %s", reason, harness->proxy_log->str);
  g_assert_cmpuint (count_occurrences (harness->proxy_log->str, LOG_FAILURE), ==, 1);
  ag_test_harness_free (harness);
}

static void
test_history_folder_under_a_file (void)
{
  g_autofree char *file = NULL;
  g_autofree char *data_dir = NULL;
  int fd = g_file_open_tmp ("ag-cl-test-XXXXXX", &file, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  data_dir = g_build_filename (file, "data", NULL);
  assert_served_without_request_log (data_dir, "cannot create the folder", NULL);
  g_unlink (file);
}

/* Whether the file permissions bind a process started under @command_prefix (NULL: as this one). */
static gboolean
permissions_bind (const char *dir, const char **command_prefix)
{
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = -1;

  for (guint i = 0; command_prefix != NULL && command_prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) command_prefix[i]);
  g_ptr_array_add (argv, "touch");
  g_ptr_array_add (argv, probe);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                     NULL, NULL, NULL, &status, NULL))
    return FALSE;
  if (g_spawn_check_wait_status (status, NULL))
    {
      g_unlink (probe);
      return FALSE;
    }
  return TRUE;
}

static void
test_history_folder_read_only (void)
{
  /* root writes through 0500 (CAP_DAC_OVERRIDE): run ag-cl without that capability, still as uid 0 so that the
   * keyring's session bus accepts it. */
  static const char *without_override[] = { "setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner",
                                            NULL };
  g_autofree char *data_dir = g_dir_make_tmp ("ag-cl-test-XXXXXX", NULL);
  const char **command_prefix = NULL;

  g_assert_cmpint (g_chmod (data_dir, 0500), ==, 0);
  if (!permissions_bind (data_dir, NULL))
    {
      command_prefix = without_override;
      if (!permissions_bind (data_dir, command_prefix))
        {
          g_chmod (data_dir, 0700);
          ag_test_remove_tree (data_dir);
          g_test_skip ("a read-only folder is writable by this user, and setpriv cannot drop CAP_DAC_OVERRIDE");
          return;
        }
    }
  assert_served_without_request_log (data_dir, "unable to open database file", command_prefix);
  g_chmod (data_dir, 0700);
  ag_test_remove_tree (data_dir);
}

/* The disk is full: the database file is /dev/full, whose every write fails with ENOSPC. */
static void
test_history_disk_full (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("ag-cl-test-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (data_dir, "history.db", NULL);

  g_assert_cmpint (symlink ("/dev/full", db), ==, 0);
  assert_served_without_request_log (data_dir, "database or disk is full", NULL);
  ag_test_remove_tree (data_dir);
}

/* ── locked keyring ────────────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  char            *home;
  char            *address;
  GSubprocess     *bus;
  GSubprocess     *daemon;
  GDBusConnection *connection;
} PrivateKeyring;

static gboolean
secrets_owned (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL,
                                                           NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* A dbus-daemon and an unlocked gnome-keyring of our own, like build-aux/with-keyring.sh sets up. */
static void
private_keyring_start (PrivateKeyring *keyring)
{
  /* Its stderr only tells of the desktop prompter it cannot start without a display. */
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyrings = NULL;
  GOutputStream *in;

  keyring->home = g_dir_make_tmp ("ag-cl-keyring-XXXXXX", NULL);
  keyrings = g_build_filename (keyring->home, "keyrings", NULL);
  g_assert_cmpint (g_mkdir (keyrings, 0700), ==, 0);
  keyring->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session", "--nofork",
                                              "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (keyring->bus));
  keyring->address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keyring->address);

  g_clear_object (&launcher);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", keyring->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", keyring->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", keyring->home, TRUE);
  keyring->daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                                 "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (keyring->daemon);
  g_assert_true (g_output_stream_write_all (in, "test", 4, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);

  keyring->connection = g_dbus_connection_new_for_address_sync (keyring->address,
                                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                                NULL, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 100 && !secrets_owned (keyring->connection); i++)
    g_usleep (50000);
  g_assert_true (secrets_owned (keyring->connection));
}

static void
private_keyring_stop (PrivateKeyring *keyring)
{
  g_clear_object (&keyring->connection);
  g_subprocess_send_signal (keyring->daemon, SIGTERM);
  g_subprocess_wait (keyring->daemon, NULL, NULL);
  g_subprocess_send_signal (keyring->bus, SIGTERM);
  g_subprocess_wait (keyring->bus, NULL, NULL);
  g_clear_object (&keyring->daemon);
  g_clear_object (&keyring->bus);
  ag_test_remove_tree (keyring->home);
  g_free (keyring->home);
  g_free (keyring->address);
}

static gboolean
default_collection_locked (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets",
                                                           "/org/freedesktop/secrets/aliases/default",
                                                           "org.freedesktop.DBus.Properties", "Get",
                                                           g_variant_new ("(ss)", "org.freedesktop.Secret.Collection",
                                                                          "Locked"),
                                                           G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                                                           &error);
  g_autoptr(GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_boolean (value);
}

static void
lock_default_collection (GDBusConnection *connection)
{
  const char *objects[] = { "/org/freedesktop/secrets/aliases/default" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *prompt = NULL;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(@ao)", g_variant_new_objv (objects, 1)),
                                       G_VARIANT_TYPE ("(aoo)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@ao&o)", NULL, &prompt);
  /* Locking needs no prompt: "/" says so. */
  g_assert_cmpstr (prompt, ==, "/");
  g_assert_true (default_collection_locked (connection));
}

/* With its default collection locked, the proxy starts, says why it has no account, keeps listening and answers
 * 503; the CLI fails fast with one line (a Secret Service unlock prompt nobody can answer must not hang it: the
 * harness bounds every CLI run). */
static void
test_keyring_locked (void)
{
  PrivateKeyring keyring = { 0 };
  AgTestHarness *harness = ag_test_harness_new (NULL);
  const char *list_args[] = { "account", "list", NULL };
  g_autoptr(GBytes) body = NULL;
  g_autofree char *shared_bus = g_strdup (g_environ_getenv (harness->env, "DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  private_keyring_start (&keyring);
  ag_test_harness_setenv (harness, "DBUS_SESSION_BUS_ADDRESS", keyring.address);
  ag_test_harness_add_account (harness, "rt-1");
  lock_default_collection (keyring.connection);

  ag_test_harness_start_proxy (harness);
  if (strstr (harness->proxy_log->str, "cannot read accounts from the keyring") == NULL)
    g_error ("no clear message about the locked keyring: %s", harness->proxy_log->str);
  g_assert_null (strstr (harness->proxy_log->str, "loaded from the keyring"));

  g_assert_cmpuint (ag_test_harness_post (harness, MESSAGE, &body), ==, 503);
  ag_test_assert_error_body (body, "api_error", "no Google account");
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);

  g_assert_cmpint (ag_test_harness_run_cli (harness, list_args, NULL, &out, &err), ==, 1);
  g_test_message ("account list: %s", err);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "ag-cl: "));
  g_assert_nonnull (strstr (err, "keyring"));
  /* One line. */
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
  /* Still listening after the CLI's attempt, and it stops cleanly. */
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  ag_test_harness_stop_proxy (harness);

  /* The private keyring goes away with its test account; the harness cleans up on the shared bus. */
  private_keyring_stop (&keyring);
  if (shared_bus != NULL)
    ag_test_harness_setenv (harness, "DBUS_SESSION_BUS_ADDRESS", shared_bus);
  else
    ag_test_harness_unsetenv (harness, "DBUS_SESSION_BUS_ADDRESS");
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults-local/history/folder-under-a-file", test_history_folder_under_a_file);
  g_test_add_func ("/faults-local/history/folder-read-only", test_history_folder_read_only);
  g_test_add_func ("/faults-local/history/disk-full", test_history_disk_full);
  g_test_add_func ("/faults-local/keyring-locked", test_keyring_locked);
  return g_test_run ();
}
