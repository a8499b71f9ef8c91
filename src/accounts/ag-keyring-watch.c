/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-keyring-watch.c — Secret Service item signals, debounced; see the header. */
#include "ag-keyring-watch.h"

#define SECRET_COLLECTION_INTERFACE "org.freedesktop.Secret.Collection"
#define QUIET_MS 250

struct _AgKeyringWatch
{
  GObject          parent_instance;
  GCancellable    *cancellable;
  GDBusConnection *bus;
  guint            subscription;
  guint            debounce_id;
};

G_DEFINE_FINAL_TYPE (AgKeyringWatch, ag_keyring_watch, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
ag_keyring_watch_dispose (GObject *object)
{
  AgKeyringWatch *self = AG_KEYRING_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->subscription);
  self->subscription = 0;
  g_clear_object (&self->bus);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  G_OBJECT_CLASS (ag_keyring_watch_parent_class)->dispose (object);
}

static void
ag_keyring_watch_class_init (AgKeyringWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_keyring_watch_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
ag_keyring_watch_init (AgKeyringWatch *self)
{
  self->cancellable = g_cancellable_new ();
}

static gboolean
emit_changed (gpointer user_data)
{
  AgKeyringWatch *self = user_data;

  self->debounce_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_item_signal (GDBusConnection *bus, const char *sender, const char *path, const char *interface,
                const char *member, GVariant *parameters, gpointer user_data)
{
  AgKeyringWatch *self = user_data;

  if (g_strcmp0 (member, "ItemCreated") != 0 && g_strcmp0 (member, "ItemDeleted") != 0 &&
      g_strcmp0 (member, "ItemChanged") != 0)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (QUIET_MS, emit_changed, self);
}

static void
bus_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgKeyringWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("not following keyring changes: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  self->bus = bus;
  /* Any sender: a forged signal can only make the owner re-read the keyring. */
  self->subscription = g_dbus_connection_signal_subscribe (bus, NULL, SECRET_COLLECTION_INTERFACE, NULL, NULL, NULL,
                                                           G_DBUS_SIGNAL_FLAGS_NONE, on_item_signal, self, NULL);
}

AgKeyringWatch *
ag_keyring_watch_new (void)
{
  AgKeyringWatch *self = g_object_new (AG_TYPE_KEYRING_WATCH, NULL);

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, bus_ready, g_object_ref (self));
  return self;
}
