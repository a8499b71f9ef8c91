/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-tray-watcher — a StatusNotifierWatcher for build-aux/memory-bench.sh: owns the watcher's name on the session
 * bus and accepts every item (printing it), as a panel would, so the measured app runs with its tray registered.
 * Runs until killed. */
#include <gio/gio.h>

static const char watcher_xml[] =
  "<node><interface name='org.kde.StatusNotifierWatcher'>"
  " <method name='RegisterStatusNotifierItem'><arg name='service' type='s' direction='in'/></method>"
  "</interface></node>";

static void
method_call (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
             const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer data)
{
  const char *service;

  g_variant_get (parameters, "(&s)", &service);
  g_print ("ag-tray-watcher: registered %s\n", service);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

int
main (void)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL ||
      g_dbus_connection_register_object (bus, "/StatusNotifierWatcher", info->interfaces[0], &vtable, NULL, NULL,
                                         &error) == 0)
    {
      g_printerr ("ag-tray-watcher: %s\n", error->message);
      return 1;
    }
  g_bus_own_name_on_connection (bus, "org.kde.StatusNotifierWatcher", G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL,
                                NULL);
  g_main_loop_run (loop);
  return 0;
}
