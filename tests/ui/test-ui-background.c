/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real `ag-cl --background` (under Xvfb, on the test's session bus, against the mock): in the tray it never
 * maps GTK; the tray's "Show ag-cl" and a second `ag-cl` load the window; once the window is closed the app
 * relaunches itself in the tray without GTK, in the same process, without refusing a single connection. */
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

static char *
read_log (void)
{
  char *log = NULL;

  g_file_get_contents (bg.log_path, &log, NULL, NULL);
  return log != NULL ? log : g_strdup ("");
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

/* Polls @condition (what another process does wakes nothing here) every 20 ms while the main context runs (the
 * mock answers on it); generous, for a loaded machine. */
#define TIMEOUT_S 60
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

/* In the tray: the proxy listens and the app holds the application's name, and no GTK is mapped. */
static void
test_background_without_gtk (void)
{
  g_autofree char *log = NULL;

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

  reply = g_dbus_connection_call_sync (bus, owner, "/MenuBar", "com.canonical.dbusmenu", "Event",
                                       g_variant_new ("(isvu)", 1, "clicked", g_variant_new_int32 (0), 0), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  WAIT_FOR (maps_contain ("libgtk-4") && maps_contain ("libagcl-ui"));
}

/* Closing the window (as a window manager does) ends in `ag-cl --background` again: the same pid, the name held
 * again, no GTK, and every connection attempt meanwhile accepted (the socket outlived the exec). */
static void
test_closed_window_relaunches (void)
{
  g_autofree char *closer = g_build_filename (g_getenv ("AGCL_BUILD_DIR"), "tests", "ui", "ag-close-window", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) bg.pid);
  const char *argv[] = { closer, pid, NULL };
  g_autoptr(GError) error = NULL;
  guint attempts = 0;
  gboolean relaunched = FALSE;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  int status;

  /* The window may still be on its way to the screen. */
  do
    {
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                                   &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_spawn_check_wait_status (status, NULL))
        ag_test_sleep (50);
    }
  while (!g_spawn_check_wait_status (status, NULL));

  while (!relaunched)
    {
      g_autofree char *log = read_log ();

      g_assert_true (connection_accepted ());
      attempts++;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      relaunched = strstr (log, "listening on the socket of the ag-cl this one replaced") != NULL;
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

  g_assert_false (maps_contain ("libgtk-4"));
  status = ag_test_harness_run_cli (bg.harness, (const char *[]) { NULL }, NULL, &out, NULL);
  g_assert_cmpint (status, ==, 0);
  WAIT_FOR (maps_contain ("libgtk-4") && maps_contain ("libagcl-ui"));
  g_assert_cmpuint (name_owner_pid (), ==, (guint) bg.pid);
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
  start_app ();

  g_test_add_func ("/ui/background/without-gtk", test_background_without_gtk);
  g_test_add_func ("/ui/background/tray-show-loads-window", test_tray_show_loads_window);
  g_test_add_func ("/ui/background/closed-window-relaunches", test_closed_window_relaunches);
  g_test_add_func ("/ui/background/second-instance-opens-window", test_second_instance_opens_window);
  status = g_test_run ();

  g_subprocess_send_signal (bg.app, SIGTERM);
  g_assert_true (g_subprocess_wait (bg.app, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (bg.app));
  g_assert_cmpint (g_subprocess_get_exit_status (bg.app), ==, 0);
  g_clear_object (&bg.app);
  ag_test_harness_free (bg.harness);
  ag_test_remove_tree (bg.dir);
  g_free (bg.dir);
  g_free (bg.log_path);
  return status;
}
