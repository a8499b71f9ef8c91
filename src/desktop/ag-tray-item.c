// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "ag-tray-item.h"

#define ITEM_PATH "/StatusNotifierItem"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"

static const char introspection_xml[] =
  "<node>"
  " <interface name='org.kde.StatusNotifierItem'>"
  "  <property name='Category' type='s' access='read'/>"
  "  <property name='Id' type='s' access='read'/>"
  "  <property name='Title' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='WindowId' type='i' access='read'/>"
  "  <property name='IconThemePath' type='s' access='read'/>"
  "  <property name='IconName' type='s' access='read'/>"
  "  <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='OverlayIconName' type='s' access='read'/>"
  "  <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='AttentionIconName' type='s' access='read'/>"
  "  <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='AttentionMovieName' type='s' access='read'/>"
  "  <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "  <property name='ItemIsMenu' type='b' access='read'/>"
  "  <property name='Menu' type='o' access='read'/>"
  "  <method name='ContextMenu'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "  <method name='Activate'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "  <method name='SecondaryActivate'>"
  "   <arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/>"
  "  </method>"
  "  <method name='Scroll'>"
  "   <arg name='delta' type='i' direction='in'/><arg name='orientation' type='s' direction='in'/>"
  "  </method>"
  "  <signal name='NewTitle'/>"
  "  <signal name='NewIcon'/>"
  "  <signal name='NewAttentionIcon'/>"
  "  <signal name='NewOverlayIcon'/>"
  "  <signal name='NewToolTip'/>"
  "  <signal name='NewStatus'><arg name='status' type='s'/></signal>"
  " </interface>"
  "</node>";

struct _AgTrayItem {
  GObject          parent_instance;

  AgTrayMenu      *menu;
  GCancellable    *cancellable;
  GDBusConnection *connection;
  guint            registration_id;
  guint            watch_id;
  gboolean         available;

  AgTrayIconState  icon_state;
  char            *tooltip;
};

enum { PROP_0, PROP_AVAILABLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { ACTIVATE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgTrayItem, ag_tray_item, G_TYPE_OBJECT)

static void
set_available (AgTrayItem *self, gboolean available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static const char *
status_for (AgTrayIconState state)
{
  return state == AG_TRAY_ICON_LIMITED ? "NeedsAttention" : "Active";
}

static void
emit_item_signal (AgTrayItem *self, const char *name, GVariant *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->registration_id == 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }
  if (!g_dbus_connection_emit_signal (self->connection, NULL, ITEM_PATH, ITEM_INTERFACE, name, parameters, &error))
    g_debug ("Cannot emit %s: %s", name, error->message);
}

static GVariant *
tooltip_value (AgTrayItem *self)
{
  return g_variant_new ("(s@a(iiay)ss)", ag_tray_icon_name (self->icon_state), g_variant_new ("a(iiay)", NULL),
                        "ag-cl", self->tooltip != NULL ? self->tooltip : "");
}

static GVariant *
handle_get_property (GDBusConnection *connection, const char *sender, const char *object_path,
                     const char *interface_name, const char *name, GError **error, gpointer user_data)
{
  AgTrayItem *self = user_data;

  if (g_str_equal (name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (name, "Id"))
    return g_variant_new_string (AG_APP_ID);
  if (g_str_equal (name, "Title"))
    return g_variant_new_string ("ag-cl");
  if (g_str_equal (name, "Status"))
    return g_variant_new_string (status_for (self->icon_state));
  if (g_str_equal (name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (name, "IconName"))
    return g_variant_new_string (ag_tray_icon_name (self->icon_state));
  if (g_str_equal (name, "IconPixmap"))
    return ag_tray_icon_pixmaps (self->icon_state);
  if (g_str_equal (name, "AttentionIconName"))
    return g_variant_new_string (ag_tray_icon_name (AG_TRAY_ICON_LIMITED));
  if (g_str_equal (name, "AttentionIconPixmap"))
    return ag_tray_icon_pixmaps (AG_TRAY_ICON_LIMITED);
  if (g_str_equal (name, "IconThemePath") || g_str_equal (name, "OverlayIconName") ||
      g_str_equal (name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (name, "OverlayIconPixmap"))
    return g_variant_new ("a(iiay)", NULL);
  if (g_str_equal (name, "ToolTip"))
    return tooltip_value (self);
  if (g_str_equal (name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (name, "Menu"))
    return g_variant_new_object_path (AG_TRAY_MENU_PATH);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", name);
  return NULL;
}

static void
handle_method_call (GDBusConnection *connection, const char *sender, const char *object_path,
                    const char *interface_name, const char *method_name, GVariant *parameters,
                    GDBusMethodInvocation *invocation, gpointer user_data)
{
  AgTrayItem *self = user_data;

  if (g_str_equal (method_name, "Activate") || g_str_equal (method_name, "SecondaryActivate"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_signal_emit (self, signals[ACTIVATE], 0);
    }
  else if (g_str_equal (method_name, "Scroll"))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    /* ContextMenu included: hosts then draw the menu from the "Menu" object. */
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "Unknown method %s", method_name);
}

static const GDBusInterfaceVTable vtable = { handle_method_call, handle_get_property, NULL, { 0 } };

static void
on_registered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  AgTrayItem *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (reply == NULL)
    {
      g_message ("The StatusNotifierWatcher refused the tray icon: %s", error->message);
      set_available (self, FALSE);
      return;
    }
  set_available (self, TRUE);
}

/* Also when a panel restarts: a new watcher knows nothing of us. */
static void
on_watcher_appeared (GDBusConnection *connection, const char *name, const char *owner, gpointer user_data)
{
  AgTrayItem *self = user_data;

  /* The unique name rather than an owned org.kde.StatusNotifierItem-PID-N name: works inside Flatpak. */
  g_dbus_connection_call (connection, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME, "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", g_dbus_connection_get_unique_name (connection)), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, on_registered, self);
}

static void
on_watcher_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  set_available (AG_TRAY_ITEM (user_data), FALSE);
}

static void
ag_tray_item_dispose (GObject *object)
{
  AgTrayItem *self = AG_TRAY_ITEM (object);

  ag_tray_item_unexport (self);
  g_clear_object (&self->menu);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (ag_tray_item_parent_class)->dispose (object);
}

static void
ag_tray_item_finalize (GObject *object)
{
  AgTrayItem *self = AG_TRAY_ITEM (object);

  g_free (self->tooltip);
  G_OBJECT_CLASS (ag_tray_item_parent_class)->finalize (object);
}

static void
ag_tray_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgTrayItem *self = AG_TRAY_ITEM (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_tray_item_class_init (AgTrayItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_tray_item_dispose;
  object_class->finalize = ag_tray_item_finalize;
  object_class->get_property = ag_tray_item_get_property;

  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The host's Activate or SecondaryActivate: a click on the icon. */
  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
ag_tray_item_init (AgTrayItem *self)
{
  self->cancellable = g_cancellable_new ();
  self->icon_state = AG_TRAY_ICON_OFF;
}

AgTrayItem *
ag_tray_item_new (AgTrayMenu *menu)
{
  AgTrayItem *self;

  g_return_val_if_fail (AG_IS_TRAY_MENU (menu), NULL);

  self = g_object_new (AG_TYPE_TRAY_ITEM, NULL);
  self->menu = g_object_ref (menu);
  return self;
}

void
ag_tray_item_export (AgTrayItem *self, GDBusConnection *connection)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (AG_IS_TRAY_ITEM (self) && self->connection == NULL);

  self->connection = g_object_ref (connection);
  info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  self->registration_id = g_dbus_connection_register_object (connection, ITEM_PATH, info->interfaces[0], &vtable,
                                                             self, NULL, &error);
  if (self->registration_id == 0 || !ag_tray_menu_export (self->menu, connection, &error))
    {
      g_warning ("Cannot export the tray icon: %s", error->message);
      return;
    }
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, on_watcher_vanished, self, NULL);
}

/* Stops the registration in flight, and takes the item and its menu off the bus. */
void
ag_tray_item_unexport (AgTrayItem *self)
{
  g_return_if_fail (AG_IS_TRAY_ITEM (self));

  g_cancellable_cancel (self->cancellable);
  if (self->watch_id != 0)
    g_bus_unwatch_name (self->watch_id);
  self->watch_id = 0;
  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  if (self->menu != NULL)
    ag_tray_menu_unexport (self->menu);
  g_clear_object (&self->connection);
}

GDBusConnection *
ag_tray_item_get_connection (AgTrayItem *self)
{
  g_return_val_if_fail (AG_IS_TRAY_ITEM (self), NULL);
  return self->connection;
}

void
ag_tray_item_set_icon_state (AgTrayItem *self, AgTrayIconState state)
{
  gboolean status_changed;

  g_return_if_fail (AG_IS_TRAY_ITEM (self));
  if (state == self->icon_state)
    return;
  status_changed = g_strcmp0 (status_for (state), status_for (self->icon_state)) != 0;
  self->icon_state = state;
  emit_item_signal (self, "NewIcon", NULL);
  if (status_changed)
    emit_item_signal (self, "NewStatus", g_variant_new ("(s)", status_for (state)));
}

void
ag_tray_item_set_tooltip (AgTrayItem *self, const char *tooltip)
{
  g_return_if_fail (AG_IS_TRAY_ITEM (self));
  if (g_strcmp0 (tooltip, self->tooltip) == 0)
    return;
  g_free (self->tooltip);
  self->tooltip = g_strdup (tooltip);
  emit_item_signal (self, "NewToolTip", NULL);
}

gboolean
ag_tray_item_get_available (AgTrayItem *self)
{
  g_return_val_if_fail (AG_IS_TRAY_ITEM (self), FALSE);
  return self->available;
}
