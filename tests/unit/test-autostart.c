/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start at login: the XDG autostart entry (contents, desktop-file-validate, what counts as on, removal) in a
 * private XDG_CONFIG_HOME, and the Background portal in a pretend sandbox, answered by a fake portal on a private
 * session bus (what it was asked, a grant, a refusal). */
#include "ag-test.h"
#include "ag-autostart.h"

#include <glib/gstdio.h>

static char *config_home;

static char *
read_entry (void)
{
  g_autofree char *path = ag_autostart_entry_path ();
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}

static void
test_entry (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ag_autostart_entry_path ();
  g_autofree char *expected_path = g_build_filename (config_home, "autostart", "io.github.agcl.AgCl.desktop", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *validator = g_find_program_in_path ("desktop-file-validate");

  g_assert_cmpstr (path, ==, expected_path);
  g_assert_cmpint (ag_autostart_get_state (), ==, AG_AUTOSTART_OFF);

  /* A build tree in a folder with a space and a quote: the Exec line quotes it as the specification asks. */
  g_assert_true (ag_autostart_set_file (TRUE, "/opt/my apps/\"ag\"/ag-cl", &error));
  g_assert_no_error (error);
  contents = read_entry ();
  g_assert_nonnull (strstr (contents, "\nExec=\"/opt/my apps/\\\"ag\\\"/ag-cl\" --background\n"));
  g_assert_cmpint (ag_autostart_get_state (), ==, AG_AUTOSTART_ON);
  g_clear_pointer (&contents, g_free);

  g_assert_true (ag_autostart_set_file (TRUE, "ag-cl", &error));
  contents = read_entry ();
  g_assert_nonnull (strstr (contents, "\nExec=ag-cl --background\n"));
  if (validator != NULL)
    {
      const char *argv[] = { validator, path, NULL };
      g_autofree char *out = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                                   &status, &error));
      if (!g_spawn_check_wait_status (status, NULL) || out[0] != '\0')
        g_error ("desktop-file-validate: %s", out);
    }

  /* Switched off by a desktop's own settings rather than deleted. */
  {
    const char *disabled[] = { "Hidden=true\n", "X-GNOME-Autostart-enabled=false\n" };

    for (gsize i = 0; i < G_N_ELEMENTS (disabled); i++)
      {
        g_autofree char *edited = g_strconcat ("[Desktop Entry]\nType=Application\nName=ag-cl\n"
                                               "Exec=ag-cl --background\n", disabled[i], NULL);

        g_file_set_contents (path, edited, -1, &error);
        g_assert_no_error (error);
        g_assert_cmpint (ag_autostart_get_state (), ==, AG_AUTOSTART_OFF);
      }
  }

  g_assert_true (ag_autostart_set_file (FALSE, "ag-cl", &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (ag_autostart_get_state (), ==, AG_AUTOSTART_OFF);
  /* Off twice is no error. */
  g_assert_true (ag_autostart_set_file (FALSE, "ag-cl", &error));
  g_assert_no_error (error);
}

/* ── a fake Background portal ────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  GDBusConnection *bus;
  guint            owner;
  guint            object;
  guint32          response;      /* what it answers */
  GVariant        *options;       /* what it was asked last */
  guint            calls;
} FakePortal;

static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  "<method name='RequestBackground'><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='o' direction='out'/></method></interface></node>";

static void
portal_method (GDBusConnection *bus, const char *sender, const char *path, const char *interface,
               const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer user_data)
{
  FakePortal *portal = user_data;
  g_autofree char *sender_part = g_strdelimit (g_strdup (sender + 1), ".", '_');
  const char *token = NULL;
  gboolean autostart = FALSE;
  g_autofree char *request_path = NULL;
  GVariantBuilder results;

  g_clear_pointer (&portal->options, g_variant_unref);
  g_variant_get (parameters, "(&s@a{sv})", NULL, &portal->options);
  portal->calls++;
  g_assert_true (g_variant_lookup (portal->options, "handle_token", "&s", &token));
  g_variant_lookup (portal->options, "autostart", "b", &autostart);
  request_path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender_part, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", request_path));
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  if (portal->response == 0)
    {
      g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (TRUE));
      g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (autostart));
    }
  g_dbus_connection_emit_signal (bus, sender, request_path, "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", portal->response, &results), NULL);
}

static gboolean
set_through_portal (gboolean enabled, gboolean *now_enabled, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_autostart_set_async, enabled, "ag-cl", NULL);

  return ag_autostart_set_finish (result, now_enabled, error);
}

static void
test_portal (void)
{
  g_autoptr(GTestDBus) dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  const GDBusInterfaceVTable vtable = { portal_method, NULL, NULL, { 0 } };
  g_autofree char *info = g_build_filename (config_home, "flatpak-info", NULL);
  FakePortal portal = { 0 };
  g_autoptr(GError) error = NULL;
  const char **commandline = NULL;
  const char *reason = NULL;
  gboolean now_enabled = FALSE;
  gboolean dbus_activatable = TRUE;

  g_test_dbus_up (dbus);
  g_file_set_contents (info, "[Application]\nname=io.github.agcl.AgCl\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("AGCL_FLATPAK_INFO", info, TRUE);
  g_assert_true (ag_autostart_is_sandboxed ());
  g_assert_cmpint (ag_autostart_get_state (), ==, AG_AUTOSTART_UNKNOWN);

  portal.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  portal.object = g_dbus_connection_register_object (portal.bus, "/org/freedesktop/portal/desktop",
                                                     node->interfaces[0], &vtable, &portal, NULL, &error);
  g_assert_no_error (error);
  portal.owner = g_bus_own_name_on_connection (portal.bus, "org.freedesktop.portal.Desktop",
                                               G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  ag_test_sleep (100);

  g_assert_true (set_through_portal (TRUE, &now_enabled, &error));
  g_assert_no_error (error);
  g_assert_true (now_enabled);
  g_assert_cmpuint (portal.calls, ==, 1);
  g_assert_true (g_variant_lookup (portal.options, "autostart", "b", &now_enabled) && now_enabled);
  g_assert_true (g_variant_lookup (portal.options, "commandline", "^a&s", &commandline));
  g_assert_cmpstr (commandline[0], ==, "ag-cl");
  g_assert_cmpstr (commandline[1], ==, "--background");
  g_assert_null (commandline[2]);
  g_free (commandline);
  g_assert_true (g_variant_lookup (portal.options, "reason", "&s", &reason) && reason[0] != '\0');
  g_assert_true (g_variant_lookup (portal.options, "dbus-activatable", "b", &dbus_activatable));
  g_assert_false (dbus_activatable);
  /* Nothing is written outside the sandbox's portal. */
  g_assert_null (read_entry ());

  g_assert_true (set_through_portal (FALSE, &now_enabled, &error));
  g_assert_false (now_enabled);

  /* The user says no: a clear error. */
  portal.response = 1;
  g_assert_false (set_through_portal (TRUE, &now_enabled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* No portal at all. */
  g_bus_unown_name (portal.owner);
  ag_test_sleep (100);
  g_assert_false (set_through_portal (TRUE, &now_enabled, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "The background portal is not available"));

  g_dbus_connection_unregister_object (portal.bus, portal.object);
  g_clear_pointer (&portal.options, g_variant_unref);
  g_clear_object (&portal.bus);
  g_unsetenv ("AGCL_FLATPAK_INFO");
  g_remove (info);
  g_test_dbus_down (dbus);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  config_home = g_dir_make_tmp ("agcl-autostart-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before anything reads the user's folders (GLib caches them). */
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/autostart/entry", test_entry);
  g_test_add_func ("/autostart/portal", test_portal);
  status = g_test_run ();
  {
    g_autofree char *folder = g_build_filename (config_home, "autostart", NULL);

    g_rmdir (folder);
  }
  g_rmdir (config_home);
  g_free (config_home);
  return status;
}
