/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-tray-menu.h"

#define ROOT_ID 0

static const char introspection_xml[] =
  "<node>"
  " <interface name='com.canonical.dbusmenu'>"
  "  <property name='Version' type='u' access='read'/>"
  "  <property name='TextDirection' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='IconThemePath' type='as' access='read'/>"
  "  <method name='GetLayout'>"
  "   <arg name='parentId' type='i' direction='in'/>"
  "   <arg name='recursionDepth' type='i' direction='in'/>"
  "   <arg name='propertyNames' type='as' direction='in'/>"
  "   <arg name='revision' type='u' direction='out'/>"
  "   <arg name='layout' type='(ia{sv}av)' direction='out'/>"
  "  </method>"
  "  <method name='GetGroupProperties'>"
  "   <arg name='ids' type='ai' direction='in'/>"
  "   <arg name='propertyNames' type='as' direction='in'/>"
  "   <arg name='properties' type='a(ia{sv})' direction='out'/>"
  "  </method>"
  "  <method name='GetProperty'>"
  "   <arg name='id' type='i' direction='in'/>"
  "   <arg name='name' type='s' direction='in'/>"
  "   <arg name='value' type='v' direction='out'/>"
  "  </method>"
  "  <method name='Event'>"
  "   <arg name='id' type='i' direction='in'/>"
  "   <arg name='eventId' type='s' direction='in'/>"
  "   <arg name='data' type='v' direction='in'/>"
  "   <arg name='timestamp' type='u' direction='in'/>"
  "  </method>"
  "  <method name='EventGroup'>"
  "   <arg name='events' type='a(isvu)' direction='in'/>"
  "   <arg name='idErrors' type='ai' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShow'>"
  "   <arg name='id' type='i' direction='in'/>"
  "   <arg name='needUpdate' type='b' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShowGroup'>"
  "   <arg name='ids' type='ai' direction='in'/>"
  "   <arg name='updatesNeeded' type='ai' direction='out'/>"
  "   <arg name='idErrors' type='ai' direction='out'/>"
  "  </method>"
  "  <signal name='ItemsPropertiesUpdated'>"
  "   <arg name='updatedProps' type='a(ia{sv})'/>"
  "   <arg name='removedProps' type='a(ias)'/>"
  "  </signal>"
  "  <signal name='LayoutUpdated'>"
  "   <arg name='revision' type='u'/>"
  "   <arg name='parent' type='i'/>"
  "  </signal>"
  "  <signal name='ItemActivationRequested'>"
  "   <arg name='id' type='i'/>"
  "   <arg name='timestamp' type='u'/>"
  "  </signal>"
  " </interface>"
  "</node>";

typedef struct {
  int       id;
  char     *key;
  GVariant *properties;   /* a{sv} */
} MenuItem;

struct _AgTrayMenu {
  GObject          parent_instance;

  GPtrArray       *items;        /* MenuItem, in menu order */
  GHashTable      *ids_by_key;   /* key → id, kept for keys that come back */
  int              next_id;
  guint            revision;

  GDBusConnection *connection;
  guint            registration_id;
};

enum { CLICKED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (AgTrayMenu, ag_tray_menu, G_TYPE_OBJECT)

static void
menu_item_free (MenuItem *item)
{
  g_free (item->key);
  g_variant_unref (item->properties);
  g_free (item);
}

static void
ag_tray_menu_dispose (GObject *object)
{
  AgTrayMenu *self = AG_TRAY_MENU (object);

  ag_tray_menu_unexport (self);
  G_OBJECT_CLASS (ag_tray_menu_parent_class)->dispose (object);
}

static void
ag_tray_menu_finalize (GObject *object)
{
  AgTrayMenu *self = AG_TRAY_MENU (object);

  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->ids_by_key);
  G_OBJECT_CLASS (ag_tray_menu_parent_class)->finalize (object);
}

static void
ag_tray_menu_class_init (AgTrayMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_tray_menu_dispose;
  object_class->finalize = ag_tray_menu_finalize;

  /* An item was clicked in the host's menu; the argument is its key. */
  signals[CLICKED] = g_signal_new ("clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ag_tray_menu_init (AgTrayMenu *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) menu_item_free);
  self->ids_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_id = ROOT_ID + 1;
  self->revision = 1;
}

AgTrayMenu *
ag_tray_menu_new (void)
{
  return g_object_new (AG_TYPE_TRAY_MENU, NULL);
}

static MenuItem *
find_item (AgTrayMenu *self, int id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      MenuItem *item = g_ptr_array_index (self->items, i);
      if (item->id == id)
        return item;
    }
  return NULL;
}

static gboolean
id_exists (AgTrayMenu *self, int id)
{
  return id == ROOT_ID || find_item (self, id) != NULL;
}

/* The item's properties, limited to @names when that list is not empty. The root only has children-display. */
static GVariant *
filtered_properties (AgTrayMenu *self, int id, const char *const *names)
{
  g_autoptr(GVariant) all = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (id == ROOT_ID)
    all = g_variant_ref_sink (g_variant_new_parsed ("{'children-display': <'submenu'>}"));
  else
    all = g_variant_ref (find_item (self, id)->properties);
  if (names == NULL || names[0] == NULL)
    return g_steal_pointer (&all);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      if (g_strv_contains (names, name))
        g_variant_builder_add (&builder, "{sv}", name, value);
      g_variant_unref (value);
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
layout_node (AgTrayMenu *self, int id, int depth, const char *const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  /* The menu is flat: only the root has children. A depth of -1 means unlimited. */
  if (id == ROOT_ID && depth != 0)
    for (guint i = 0; i < self->items->len; i++)
      {
        MenuItem *item = g_ptr_array_index (self->items, i);
        g_variant_builder_add (&children, "v", layout_node (self, item->id, depth - 1, names));
      }
  return g_variant_new ("(i@a{sv}av)", id, filtered_properties (self, id, names), &children);
}

static GVariant *
group_properties (AgTrayMenu *self, GVariant *ids, const char *const *names)
{
  GVariantBuilder builder;
  GVariantIter iter;
  int id;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
  if (g_variant_n_children (ids) == 0)
    for (guint i = 0; i < self->items->len; i++)
      {
        MenuItem *item = g_ptr_array_index (self->items, i);
        g_variant_builder_add (&builder, "(i@a{sv})", item->id, filtered_properties (self, item->id, names));
      }
  g_variant_iter_init (&iter, ids);
  while (g_variant_iter_next (&iter, "i", &id))
    if (id_exists (self, id))
      g_variant_builder_add (&builder, "(i@a{sv})", id, filtered_properties (self, id, names));
  return g_variant_builder_end (&builder);
}

/* Emitting from an idle keeps the host's method call answered before the owner reacts (it may quit or rebuild). */
typedef struct {
  AgTrayMenu *menu;
  char       *key;
} PendingClick;

static void
pending_click_free (PendingClick *click)
{
  g_object_unref (click->menu);
  g_free (click->key);
  g_free (click);
}

static gboolean
emit_click (gpointer data)
{
  PendingClick *click = data;

  g_signal_emit (click->menu, signals[CLICKED], 0, click->key);
  return G_SOURCE_REMOVE;
}

/* FALSE when @id is unknown. Only "clicked" does anything; hovered/opened/closed are accepted. */
static gboolean
handle_event (AgTrayMenu *self, int id, const char *event_id)
{
  MenuItem *item;
  PendingClick *click;

  if (!id_exists (self, id))
    return FALSE;
  item = find_item (self, id);
  if (item == NULL || !g_str_equal (event_id, "clicked"))
    return TRUE;
  click = g_new0 (PendingClick, 1);
  click->menu = g_object_ref (self);
  click->key = g_strdup (item->key);
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_click, click, (GDestroyNotify) pending_click_free);
  return TRUE;
}

static void
return_unknown_id (GDBusMethodInvocation *invocation, int id)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No menu item with id %d", id);
}

static void
handle_method_call (GDBusConnection *connection, const char *sender, const char *object_path,
                    const char *interface_name, const char *method_name, GVariant *parameters,
                    GDBusMethodInvocation *invocation, gpointer user_data)
{
  AgTrayMenu *self = user_data;

  if (g_str_equal (method_name, "GetLayout"))
    {
      g_autofree const char **names = NULL;
      int parent, depth;

      g_variant_get (parameters, "(ii^a&s)", &parent, &depth, &names);
      if (!id_exists (self, parent))
        {
          return_unknown_id (invocation, parent);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                                        layout_node (self, parent, depth, names)));
    }
  else if (g_str_equal (method_name, "GetGroupProperties"))
    {
      g_autoptr(GVariant) ids = g_variant_get_child_value (parameters, 0);
      g_autofree const char **names = NULL;

      g_variant_get_child (parameters, 1, "^a&s", &names);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(@a(ia{sv}))", group_properties (self, ids, names)));
    }
  else if (g_str_equal (method_name, "GetProperty"))
    {
      g_autoptr(GVariant) properties = NULL;
      g_autoptr(GVariant) value = NULL;
      const char *name;
      int id;

      g_variant_get (parameters, "(i&s)", &id, &name);
      if (!id_exists (self, id))
        {
          return_unknown_id (invocation, id);
          return;
        }
      properties = filtered_properties (self, id, NULL);
      value = g_variant_lookup_value (properties, name, NULL);
      if (value == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "Menu item %d has no property %s", id, name);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event_id;
      int id;

      g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);
      if (!handle_event (self, id, event_id))
        {
          return_unknown_id (invocation, id);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    {
      g_autoptr(GVariantIter) events = NULL;
      GVariantBuilder errors;
      const char *event_id;
      int id;

      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      g_variant_get (parameters, "(a(isvu))", &events);
      while (g_variant_iter_loop (events, "(i&svu)", &id, &event_id, NULL, NULL))
        if (!handle_event (self, id, event_id))
          g_variant_builder_add (&errors, "i", id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      int id;

      g_variant_get (parameters, "(i)", &id);
      if (!id_exists (self, id))
        {
          return_unknown_id (invocation, id);
          return;
        }
      /* The menu is always up to date: changes are pushed as they happen. */
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      GVariantBuilder errors;
      int id;

      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      g_variant_get (parameters, "(ai)", &ids);
      while (g_variant_iter_next (ids, "i", &id))
        if (!id_exists (self, id))
          g_variant_builder_add (&errors, "i", id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aiai)", g_variant_new ("ai", NULL),
                                                                        &errors));
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "Unknown method %s", method_name);
}

static GVariant *
handle_get_property (GDBusConnection *connection, const char *sender, const char *object_path,
                     const char *interface_name, const char *property_name, GError **error, gpointer user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    /* GTK's own catalogue says which way the user's language reads (when GTK is loaded). */
    return g_variant_new_string (g_strcmp0 (g_dgettext ("gtk40", "default:LTR"), "default:RTL") == 0 ? "rtl" : "ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = { handle_method_call, handle_get_property, NULL, { 0 } };

gboolean
ag_tray_menu_export (AgTrayMenu *self, GDBusConnection *connection, GError **error)
{
  g_autoptr(GDBusNodeInfo) info = NULL;

  g_return_val_if_fail (self->connection == NULL, FALSE);
  info = g_dbus_node_info_new_for_xml (introspection_xml, error);
  if (info == NULL)
    return FALSE;
  self->registration_id = g_dbus_connection_register_object (connection, AG_TRAY_MENU_PATH, info->interfaces[0],
                                                             &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  return TRUE;
}

void
ag_tray_menu_unexport (AgTrayMenu *self)
{
  if (self->connection == NULL)
    return;
  g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

static void
emit_signal (AgTrayMenu *self, const char *name, GVariant *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->connection == NULL)
    {
      g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }
  if (!g_dbus_connection_emit_signal (self->connection, NULL, AG_TRAY_MENU_PATH, "com.canonical.dbusmenu", name,
                                      parameters, &error))
    g_debug ("Cannot emit %s: %s", name, error->message);
}

static int
id_for_key (AgTrayMenu *self, const char *key)
{
  gpointer id;

  if (g_hash_table_lookup_extended (self->ids_by_key, key, NULL, &id))
    return GPOINTER_TO_INT (id);
  g_hash_table_insert (self->ids_by_key, g_strdup (key), GINT_TO_POINTER (self->next_id));
  return self->next_id++;
}

void
ag_tray_menu_set_items (AgTrayMenu *self, const char *const *keys, GVariant *const *properties, guint n_items)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->items);
  gboolean same_structure = old->len == n_items;
  GVariantBuilder updated;
  gboolean any_updated = FALSE;

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) menu_item_free);
  for (guint i = 0; i < n_items; i++)
    {
      MenuItem *item = g_new0 (MenuItem, 1);

      item->key = g_strdup (keys[i]);
      item->id = id_for_key (self, keys[i]);
      item->properties = g_variant_ref_sink (properties[i]);
      g_ptr_array_add (self->items, item);

      if (same_structure)
        {
          MenuItem *before = g_ptr_array_index (old, i);

          if (before->id != item->id)
            same_structure = FALSE;
          else if (!g_variant_equal (before->properties, item->properties))
            {
              g_variant_builder_add (&updated, "(i@a{sv})", item->id, item->properties);
              any_updated = TRUE;
            }
        }
    }

  if (!same_structure)
    {
      g_variant_builder_clear (&updated);
      self->revision++;
      emit_signal (self, "LayoutUpdated", g_variant_new ("(ui)", self->revision, ROOT_ID));
    }
  else if (any_updated)
    emit_signal (self, "ItemsPropertiesUpdated", g_variant_new ("(a(ia{sv})@a(ias))", &updated,
                                                                g_variant_new ("a(ias)", NULL)));
  else
    g_variant_builder_clear (&updated);
}
