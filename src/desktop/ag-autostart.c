/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-autostart.c — start at login: an XDG autostart entry, or the Background portal in a sandbox; see the header. */
#include "config.h"
#include "ag-autostart.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND "org.freedesktop.portal.Background"
#define PORTAL_REQUEST "org.freedesktop.portal.Request"

gboolean
ag_autostart_is_sandboxed (void)
{
  const char *info = g_getenv ("AGCL_FLATPAK_INFO");

  return g_file_test (info != NULL ? info : "/.flatpak-info", G_FILE_TEST_EXISTS);
}

char *
ag_autostart_entry_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", AG_APP_ID ".desktop", NULL);
}

/* An Exec argument as the Desktop Entry specification wants it: quoted when it holds anything but plain
 * characters, with ", `, $ and \ escaped inside the quotes. */
static char *
exec_argument (const char *argument)
{
  GString *quoted;

  if (strpbrk (argument, " \t\n\"'\\><~|&;$*?#()`=%") == NULL)
    return g_strdup (argument);
  quoted = g_string_new ("\"");
  for (const char *c = argument; *c != '\0'; c++)
    {
      if (strchr ("\"`$\\", *c) != NULL)
        g_string_append_c (quoted, '\\');
      if (*c == '%')
        g_string_append_c (quoted, '%');
      g_string_append_c (quoted, *c);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

char *
ag_autostart_entry_contents (const char *executable)
{
  g_autofree char *exec = exec_argument (executable);

  return g_strdup_printf ("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=ag-cl\n"
                          "Comment=%s\n"
                          "Exec=%s --background\n"
                          "Icon=" AG_APP_ID "\n"
                          "Terminal=false\n"
                          "NoDisplay=true\n"
                          "X-GNOME-Autostart-enabled=true\n"
                          "X-GNOME-UsesNotifications=true\n",
                          _("Serve your Antigravity accounts to Claude Code from the tray"), exec);
}

AgAutostartState
ag_autostart_get_state (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GKeyFile) entry = g_key_file_new ();

  if (ag_autostart_is_sandboxed ())
    return AG_AUTOSTART_UNKNOWN;
  path = ag_autostart_entry_path ();
  if (!g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, NULL))
    return AG_AUTOSTART_OFF;
  /* A desktop's own "startup applications" settings switch an entry off with these rather than deleting it. */
  if (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_HIDDEN, NULL) ||
      (g_key_file_has_key (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL) &&
       !g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL)))
    return AG_AUTOSTART_OFF;
  return AG_AUTOSTART_ON;
}

gboolean
ag_autostart_set_file (gboolean enabled, const char *executable, GError **error)
{
  g_autofree char *path = ag_autostart_entry_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;

  if (!enabled)
    {
      if (g_unlink (path) == 0 || errno == ENOENT)
        return TRUE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Cannot remove %s: %s"), path,
                   g_strerror (errno));
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Cannot create %s: %s"), dir,
                   g_strerror (errno));
      return FALSE;
    }
  contents = ag_autostart_entry_contents (executable);
  /* Written to a temporary file and renamed: a desktop reading the folder at login never sees half an entry. */
  if (!g_file_set_contents (path, contents, -1, error))
    return FALSE;
  return TRUE;
}

char *
ag_autostart_default_executable (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *on_path = g_find_program_in_path ("ag-cl");

  if (on_path != NULL && self != NULL)
    {
      g_autofree char *resolved = g_canonicalize_filename (on_path, NULL);
      g_autofree char *target = g_file_read_link (resolved, NULL);

      if (g_strcmp0 (resolved, self) == 0 || g_strcmp0 (target, self) == 0)
        return g_strdup ("ag-cl");
    }
  return self != NULL ? g_steal_pointer (&self) : g_strdup ("ag-cl");
}

/* ── the Background portal ─────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  GDBusConnection *bus;
  guint            subscription;
  gboolean         enabled;
  char            *executable;
} PortalRequest;

static void
portal_request_free (PortalRequest *request)
{
  if (request->subscription != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->subscription);
  g_clear_object (&request->bus);
  g_free (request->executable);
  g_free (request);
}

/* Request::Response (u response, a{sv} results): 0 granted, 1 the user said no, 2 anything else. */
static void
on_response (GDBusConnection *bus, const char *sender, const char *path, const char *interface, const char *signal,
             GVariant *parameters, gpointer user_data)
{
  GTask *task = user_data;
  PortalRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart = FALSE;
  guint32 response;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_dbus_connection_signal_unsubscribe (request->bus, request->subscription);
  request->subscription = 0;
  if (response == 0)
    {
      if (!g_variant_lookup (results, "autostart", "b", &autostart))
        autostart = request->enabled;
      g_task_return_int (task, autostart);
    }
  else if (response == 1)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                             _("Running in the background was not allowed"));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The background portal could not register ag-cl"));
  g_object_unref (task);
}

static void
background_requested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_prefix_error (&error, _("The background portal is not available: "));
      g_task_return_error (task, error);
      g_object_unref (task);
    }
  /* Otherwise the answer comes as the Response signal (the reference is on_response's). */
}

static void
bus_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  PortalRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *token = g_strdup_printf ("agcl%u", g_random_int ());
  g_autofree char *request_path = NULL;
  const char *commandline[] = { request->executable, "--background", NULL };
  GVariantBuilder options;

  request->bus = g_bus_get_finish (result, &error);
  if (request->bus == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* The portal answers on a Request object whose path it derives from our bus name and the token: subscribe
   * before asking, so the answer cannot come first. */
  sender = g_strdelimit (g_strdup (g_dbus_connection_get_unique_name (request->bus) + 1), ".", '_');
  request_path = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
  request->subscription = g_dbus_connection_signal_subscribe (request->bus, PORTAL_BUS_NAME, PORTAL_REQUEST,
                                                              "Response", request_path, NULL,
                                                              G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, on_response, task,
                                                              NULL);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Serve your Antigravity accounts to Claude Code while no window is "
                                                 "open")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (request->enabled));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (request->bus, PORTAL_BUS_NAME, PORTAL_PATH, PORTAL_BACKGROUND, "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task), background_requested, task);
}

static void
file_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PortalRequest *request = data;
  GError *error = NULL;

  if (ag_autostart_set_file (request->enabled, request->executable, &error))
    g_task_return_int (task, request->enabled);
  else
    g_task_return_error (task, error);
}

void
ag_autostart_set_async (gboolean enabled, const char *executable, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PortalRequest *request = g_new0 (PortalRequest, 1);

  request->enabled = enabled;
  request->executable = g_strdup (executable);
  g_task_set_source_tag (task, ag_autostart_set_async);
  g_task_set_task_data (task, request, (GDestroyNotify) portal_request_free);
  if (!ag_autostart_is_sandboxed ())
    {
      g_task_run_in_thread (task, file_thread);
      g_object_unref (task);
      return;
    }
  /* In the sandbox the command line is the app's own: flatpak runs it with the app's id. */
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, bus_ready, task);
}

gboolean
ag_autostart_set_finish (GAsyncResult *result, gboolean *now_enabled, GError **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  if (now_enabled != NULL)
    *now_enabled = value > 0;
  return TRUE;
}
