/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-local-api-key.c — the local API key in force; see the header. */
#include "ag-local-api-key.h"

#include <string.h>

struct _AgLocalApiKey {
  GObject         parent_instance;

  AgApiKeyStore  *store;
  AgProxyServer  *server;
  AgKeyringWatch *watch;
  char           *value;      /* as in the keyring, or NULL */
  gboolean        loaded;
};

enum { PROP_0, PROP_IS_SET, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AgLocalApiKey, ag_local_api_key, G_TYPE_OBJECT)

static void
wipe_and_free (char *key)
{
  if (key != NULL)
    memset (key, 0, strlen (key));
  g_free (key);
}

static void
ag_local_api_key_dispose (GObject *object)
{
  AgLocalApiKey *self = AG_LOCAL_API_KEY (object);

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_object (&self->store);
  g_clear_object (&self->server);
  g_clear_pointer (&self->value, wipe_and_free);
  G_OBJECT_CLASS (ag_local_api_key_parent_class)->dispose (object);
}

static void
ag_local_api_key_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgLocalApiKey *self = AG_LOCAL_API_KEY (object);

  switch (prop_id)
    {
    case PROP_IS_SET:
      g_value_set_boolean (value, ag_local_api_key_is_set (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_local_api_key_class_init (AgLocalApiKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_local_api_key_dispose;
  object_class->get_property = ag_local_api_key_get_property;

  properties[PROP_IS_SET] = g_param_spec_boolean ("is-set", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ag_local_api_key_init (AgLocalApiKey *self)
{
}

/* Takes @key (nullable). The one place the key changes, so the server never enforces another one than this. */
static void
replace (AgLocalApiKey *self, char *key)
{
  gboolean was_set = self->value != NULL;

  wipe_and_free (self->value);
  self->value = key;
  ag_proxy_server_set_api_key (self->server, key);
  if (was_set != (key != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SET]);
}

/* What the key in force means, for the log. */
static const char *
describe (AgLocalApiKey *self, const char *key)
{
  gboolean required = ag_request_guard_get_require_api_key (ag_proxy_server_get_guard (self->server));

  if (key == NULL)
    return required ? "none, and require-api-key is on: every request is refused until one is generated "
                      "(ag-cl api-key generate)"
                    : "none";
  return required ? "set, required from every client"
                  : "set, required from other machines and other users (require-api-key is off)";
}

/* ── following the keyring ─────────────────────────────────────────────────────────────────────────────────── */

/* `ag-cl api-key generate` or `clear` while this proxy runs: enforced (or dropped) from the next request on. */
static void
key_reread (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgLocalApiKey) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key = ag_api_key_store_lookup_finish (AG_API_KEY_STORE (source), result, &error);

  if (error != NULL)
    {
      /* The key in force stays: a locked keyring must not open the proxy. */
      g_message ("cannot re-read the local API key after a keyring change: %s", error->message);
      return;
    }
  if (g_strcmp0 (key, self->value) == 0)
    {
      wipe_and_free (key);
      return;
    }
  g_message ("local API key changed in the keyring: %s", key != NULL ? describe (self, key) : "removed");
  replace (self, key);
}

static void
on_keyring_changed (AgKeyringWatch *watch, gpointer user_data)
{
  AgLocalApiKey *self = user_data;

  /* Before the first load answered there is nothing to compare with; it reads the latest state anyway. */
  if (self->loaded)
    ag_api_key_store_lookup_async (self->store, NULL, key_reread, g_object_ref (self));
}

AgLocalApiKey *
ag_local_api_key_new (AgApiKeyStore *store, AgProxyServer *server, AgKeyringWatch *watch)
{
  AgLocalApiKey *self = g_object_new (AG_TYPE_LOCAL_API_KEY, NULL);

  self->store = g_object_ref (store);
  self->server = g_object_ref (server);
  self->watch = g_object_ref (watch);
  g_signal_connect (watch, "changed", G_CALLBACK (on_keyring_changed), self);
  return self;
}

/* ── load, generate, clear ─────────────────────────────────────────────────────────────────────────────────── */

static void
key_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgLocalApiKey *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *key = ag_api_key_store_lookup_finish (AG_API_KEY_STORE (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_message ("local API key: %s", describe (self, key));
  replace (self, key);
  self->loaded = TRUE;
  g_task_return_boolean (task, TRUE);
}

void
ag_local_api_key_load_async (AgLocalApiKey *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  ag_api_key_store_lookup_async (self->store, cancellable, key_looked_up, task);
}

gboolean
ag_local_api_key_load_finish (AgLocalApiKey *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
key_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgLocalApiKey *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ag_api_key_store_save_finish (AG_API_KEY_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_message ("a new local API key is set");
  replace (self, g_strdup (g_task_get_task_data (task)));
  g_task_return_pointer (task, g_strdup (self->value), g_free);
}

void
ag_local_api_key_generate_async (AgLocalApiKey *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  char *key = ag_api_key_generate (&error);

  if (key == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, key, (GDestroyNotify) wipe_and_free);
  ag_api_key_store_save_async (self->store, key, cancellable, key_saved, task);
}

char *
ag_local_api_key_generate_finish (AgLocalApiKey *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
key_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgLocalApiKey *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ag_api_key_store_clear_finish (AG_API_KEY_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_message ("the local API key was removed");
  replace (self, NULL);
  g_task_return_boolean (task, TRUE);
}

void
ag_local_api_key_clear_async (AgLocalApiKey *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  ag_api_key_store_clear_async (self->store, cancellable, key_cleared, task);
}

gboolean
ag_local_api_key_clear_finish (AgLocalApiKey *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
ag_local_api_key_get_value (AgLocalApiKey *self)
{
  return self->value;
}

gboolean
ag_local_api_key_is_set (AgLocalApiKey *self)
{
  return self->value != NULL;
}

gboolean
ag_local_api_key_allows_address (AgLocalApiKey *self, GInetAddress *address)
{
  return g_inet_address_get_is_loopback (address) || self->value != NULL;
}
