/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real `ag-cl --background` (under Xvfb, on the test's session bus, against the mock): in the tray it never
 * maps GTK; the tray's "Show ag-cl" and a second `ag-cl` load the window; once the window is closed the app
 * relaunches itself in the tray without GTK, in the same process, without refusing a single connection, and not
 * while a request is being answered. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include "ag-test.h"

static struct {
  AgTestHarness *harness;
  char          *dir;
  char          *log_path;
  GSubprocess   *app;
  guint          port;
  GPid           pid;
} bg;

static gboolean
maps_contain (const char *library)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", (int) bg.pid);
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents (path, &maps, NULL, NULL));
  return strstr (maps, library) != NULL;
}

static gboolean
connection_accepted (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 5);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", bg.port, NULL, NULL);
  return connection != NULL;
}

static guint
count_in_log (const char *needle);

static char *
read_log (void)
{
  char *log = NULL;

  g_file_get_contents (bg.log_path, &log, NULL, NULL);
  return log != NULL ? log : g_strdup ("");
}

static guint
count_in_log (const char *needle)
{
  g_autofree char *log = read_log ();
  guint count = 0;

  for (const char *at = strstr (log, needle); at != NULL; at = strstr (at + 1, needle))
    count++;
  return count;
}

static GDBusConnection *
session_bus (void)
{
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_assert_nonnull (bus);
  return bus;
}

/* The pid of the process that holds the application's name, 0 when nobody does. */
static guint
name_owner_pid (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                                           g_variant_new ("(s)", AG_APP_ID), G_VARIANT_TYPE ("(u)"),
                                                           G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  guint pid = 0;

  if (reply != NULL)
    g_variant_get (reply, "(u)", &pid);
  return pid;
}

static char *
name_owner (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "GetNameOwner",
                                                           g_variant_new ("(s)", AG_APP_ID), G_VARIANT_TYPE ("(s)"),
                                                           G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  char *owner = NULL;

  g_assert_nonnull (reply);
  g_variant_get (reply, "(s)", &owner);
  return owner;
}

#define RELAUNCHED "listening on the socket of the ag-cl this one replaced"

/* Polls @condition (what another process does wakes nothing here) every 20 ms while the main context runs (the
 * mock answers on it); generous, for a loaded machine. */
#define TIMEOUT_S 30
#define WAIT_FOR(condition)                                                                       \
  G_STMT_START {                                                                                  \
    gint64 wait_deadline_ = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;                 \
    while (!(condition))                                                                          \
      {                                                                                           \
        g_assert_cmpint (g_get_monotonic_time (), <, wait_deadline_);                             \
        ag_test_sleep (20);                                                                       \
      }                                                                                           \
  } G_STMT_END

static void
start_app (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *settings_dir = g_build_filename (bg.dir, "config", "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *config = g_build_filename (bg.dir, "config", NULL);
  g_autofree char *home = g_build_filename (bg.dir, "home", NULL);
  g_autofree char *port = NULL;
  const char *variables[][2] = {
    { "XDG_CONFIG_HOME", config }, { "HOME", home }, { "GSETTINGS_BACKEND", "keyfile" },
    { "AGCL_RELAUNCH_DELAY_MS", "300" }, { "GSK_RENDERER", "cairo" }, { "GDK_DEBUG", "gl-disable" },
    { "GTK_A11Y", "none" }, { "GDK_BACKEND", "x11" },
  };

  /* Set up already: a background start stays in the tray. */
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[io/github/agcl/AgCl]\nfirst-run=false\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    ag_test_harness_setenv (bg.harness, variables[i][0], variables[i][1]);
  bg.port = ag_test_free_port ();
  port = g_strdup_printf ("%u", bg.port);
  g_subprocess_launcher_set_environ (launcher, bg.harness->env);
  g_subprocess_launcher_set_stderr_file_path (launcher, bg.log_path);
  bg.app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("AG_CL"), "--background", "--port", port, NULL);
  g_assert_no_error (error);
  bg.pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (bg.app), NULL, 10);
  WAIT_FOR (connection_accepted () && name_owner_pid () == (guint) bg.pid);
}

/* The tray app of the tests below, started by the first of them to run. */
static void
ensure_app (void)
{
  if (bg.app == NULL)
    start_app ();
}

/* A proxy that cannot be set up (here AGCL_CA_FILE names no file) ends the app with status 1, saying why on stderr
 * (and in a notification); it neither opens a window nor listens. Run before the tray app: it would otherwise
 * become a second instance. */
static void
test_start_failure_ends (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *missing = g_build_filename (bg.dir, "no-such-ca.pem", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_strdupv (bg.harness->env), "AGCL_CA_FILE", missing, TRUE);
  g_autofree char *port = g_strdup_printf ("%u", ag_test_free_port ());
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_assert_null (bg.app);
  g_subprocess_launcher_set_environ (launcher, env);
  app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("AG_CL"), "--port", port, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (app, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (app));
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 1);
  g_assert_nonnull (strstr (err, "cannot set up the proxy"));
  g_assert_nonnull (strstr (err, missing));
}

/* In the tray: the proxy listens and the app holds the application's name, and no GTK is mapped. */
static void
test_background_without_gtk (void)
{
  ensure_app ();
  WAIT_FOR (({ g_autofree char *now = read_log (); strstr (now, "loaded from the keyring") != NULL; }));
  g_assert_false (maps_contain ("libgtk-4"));
  g_assert_false (maps_contain ("libagcl-ui"));
  g_assert_false (maps_contain ("libadwaita"));
}

/* The tray's "Show ag-cl" (dbusmenu item 1) loads the window module and puts a window on screen. */
static void
test_tray_show_loads_window (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autofree char *owner = name_owner ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  ensure_app ();

  reply = g_dbus_connection_call_sync (bus, owner, "/MenuBar", "com.canonical.dbusmenu", "Event",
                                       g_variant_new ("(isvu)", 1, "clicked", g_variant_new_int32 (0), 0), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  WAIT_FOR (maps_contain ("libgtk-4") && maps_contain ("libagcl-ui"));
}

/* Closing the window (as a window manager does) ends in `ag-cl --background` again: the same pid, the name held
 * again, no GTK, and every connection attempt meanwhile accepted (the socket outlived the exec). */
/* Closes the app's window as a window manager would, once it is on screen. */
static void
close_window (void)
{
  g_autofree char *closer = g_build_filename (g_getenv ("AGCL_BUILD_DIR"), "tests", "ui", "ag-close-window", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) bg.pid);
  const char *argv[] = { closer, pid, NULL };
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  int status;

  do
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                                   &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_spawn_check_wait_status (status, NULL))
        ag_test_sleep (50);
    }
  while (!g_spawn_check_wait_status (status, NULL));
}

static void
test_closed_window_relaunches (void)
{
  guint attempts = 0;
  gboolean relaunched = FALSE;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  ensure_app ();

  close_window ();

  while (!relaunched)
    {
      g_assert_true (connection_accepted ());
      attempts++;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      relaunched = count_in_log (RELAUNCHED) == 1;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_test_message ("%u connections accepted while the app relaunched", attempts);
  g_assert_cmpuint (attempts, >, 10);
  WAIT_FOR (name_owner_pid () == (guint) bg.pid);
  g_assert_cmpint (kill (bg.pid, 0), ==, 0);
  g_assert_false (maps_contain ("libgtk-4"));
  g_assert_false (maps_contain ("libagcl-ui"));
  g_assert_true (connection_accepted ());
}

/* A second `ag-cl` hands over to the one running (it exits at once, successfully) and the window opens there. */
static void
test_second_instance_opens_window (void)
{
  g_autofree char *out = NULL;
  int status;

  ensure_app ();

  g_assert_false (maps_contain ("libgtk-4"));
  status = ag_test_harness_run_cli (bg.harness, (const char *[]) { NULL }, NULL, &out, NULL);
  g_assert_cmpint (status, ==, 0);
  WAIT_FOR (maps_contain ("libgtk-4") && maps_contain ("libagcl-ui"));
  g_assert_cmpuint (name_owner_pid (), ==, (guint) bg.pid);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A request in flight when the window closes holds the relaunch back: its answer arrives whole (Google takes 3 s
 * to answer, ten times the relaunch delay), and the app relaunches after it. */
static void
test_relaunch_waits_for_requests (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", bg.port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  const char *request = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
                        "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  ensure_app ();

  g_assert_true (maps_contain ("libgtk-4"));
  /* This process (relaunched once) has read its account. */
  WAIT_FOR (count_in_log ("1 account(s) loaded from the keyring") == 2);
  ag_test_harness_set_script (bg.harness, "{\"generate\":[{\"respond\":{\"text\":\"Worth the wait.\","
                                          "\"first_byte_delay_ms\":3000}}]}");
  soup_message_headers_append (soup_message_get_request_headers (msg), "anthropic-version", "2023-06-01");
  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new_static (request, strlen (request)));
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  WAIT_FOR (ag_mock_server_count_requests (bg.harness->mock, "streamGenerateContent") == 1);
  close_window ();
  WAIT_FOR (result != NULL);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "\"text\":\"wait.\""));
  g_assert_nonnull (strstr (text, "event: message_stop"));
  g_assert_cmpuint (count_in_log (RELAUNCHED), ==, 1);
  WAIT_FOR (count_in_log (RELAUNCHED) == 2);
  WAIT_FOR (!maps_contain ("libgtk-4") && name_owner_pid () == (guint) bg.pid);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (run the ui suite under xvfb-run)\n");
      return 0;
    }
  bg.harness = ag_test_harness_new (NULL);
  bg.dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ui-background", NULL);
  ag_test_remove_tree (bg.dir);
  bg.log_path = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ui-background.log", NULL);
  g_remove (bg.log_path);   /* the launcher appends */
  ag_test_harness_add_account (bg.harness, "rt-1");

  g_test_add_func ("/ui/background/start-failure-ends", test_start_failure_ends);
  g_test_add_func ("/ui/background/without-gtk", test_background_without_gtk);
  g_test_add_func ("/ui/background/tray-show-loads-window", test_tray_show_loads_window);
  g_test_add_func ("/ui/background/closed-window-relaunches", test_closed_window_relaunches);
  g_test_add_func ("/ui/background/second-instance-opens-window", test_second_instance_opens_window);
  g_test_add_func ("/ui/background/relaunch-waits-for-requests", test_relaunch_waits_for_requests);
  status = g_test_run ();

  if (bg.app != NULL)
    {
      g_subprocess_send_signal (bg.app, SIGTERM);
      g_assert_true (g_subprocess_wait (bg.app, NULL, NULL));
      g_assert_true (g_subprocess_get_if_exited (bg.app));
      g_assert_cmpint (g_subprocess_get_exit_status (bg.app), ==, 0);
    }
  g_clear_object (&bg.app);
  ag_test_harness_free (bg.harness);
  ag_test_remove_tree (bg.dir);
  g_free (bg.dir);
  g_free (bg.log_path);
  return status;
}
