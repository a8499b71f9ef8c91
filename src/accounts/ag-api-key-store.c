/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-api-key-store.h"
#include "ag-keyring-error.h"

#include <libsecret/secret.h>
#include <string.h>

#define ATTR_PROFILE "profile"
#define KEY_PREFIX   "agcl-"
#define KEY_BYTES    32

struct _AgApiKeyStore
{
  GObject parent_instance;

  char *profile;
};

G_DEFINE_FINAL_TYPE (AgApiKeyStore, ag_api_key_store, G_TYPE_OBJECT)

static const SecretSchema *
api_key_schema (void)
{
  static const SecretSchema schema = {
    "io.github.agcl.AgCl.ApiKey", SECRET_SCHEMA_NONE,
    {
      { ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* GLib's g_random (and so g_uuid_string_random) is a Mersenne Twister: predictable, not for secrets. */
char *
ag_api_key_generate (GError **error)
{
  g_autoptr(GFile) source = g_file_new_for_path ("/dev/urandom");
  g_autoptr(GFileInputStream) stream = g_file_read (source, NULL, error);
  guchar bytes[KEY_BYTES];
  gsize read = 0;
  g_autofree char *encoded = NULL;
  char *key;

  if (stream == NULL)
    return NULL;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), bytes, sizeof bytes, &read, NULL, error))
    return NULL;
  if (read != sizeof bytes)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "/dev/urandom returned too few bytes");
      return NULL;
    }
  encoded = g_base64_encode (bytes, sizeof bytes);
  memset (bytes, 0, sizeof bytes);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  key = g_strconcat (KEY_PREFIX, encoded, NULL);
  memset (encoded, 0, strlen (encoded));
  return key;
}

static void
ag_api_key_store_finalize (GObject *object)
{
  AgApiKeyStore *self = AG_API_KEY_STORE (object);

  g_free (self->profile);
  G_OBJECT_CLASS (ag_api_key_store_parent_class)->finalize (object);
}

static void
ag_api_key_store_class_init (AgApiKeyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_api_key_store_finalize;
}

static void
ag_api_key_store_init (AgApiKeyStore *self)
{
}

AgApiKeyStore *
ag_api_key_store_new (const char *profile)
{
  AgApiKeyStore *self;

  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);

  self = g_object_new (AG_TYPE_API_KEY_STORE, NULL);
  self->profile = g_strdup (profile);
  return self;
}

static GHashTable *
profile_attributes (AgApiKeyStore *self)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (char *) ATTR_PROFILE, self->profile);
  return attributes;
}

/* ---- lookup ---- */

static void
looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
  else
    {
      /* Handed over as a plain string for g_free; libsecret's own copy is wiped when freed. */
      g_task_return_pointer (task, key != NULL && *key != '\0' ? g_strdup (key) : NULL, g_free);
      secret_password_free (key);
    }
}

void
ag_api_key_store_lookup_async (AgApiKeyStore *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (AG_IS_API_KEY_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_api_key_store_lookup_async);
  attributes = profile_attributes (self);
  secret_password_lookupv (api_key_schema (), attributes, cancellable, looked_up_cb, task);
}

char *
ag_api_key_store_lookup_finish (AgApiKeyStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- save ---- */

static void
stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
}

void
ag_api_key_store_save_async (AgApiKeyStore *self, const char *key, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (AG_IS_API_KEY_STORE (self));
  g_return_if_fail (key != NULL && *key != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_api_key_store_save_async);
  attributes = profile_attributes (self);
  label = g_strdup_printf ("ag-cl local API key (%s)", self->profile);
  /* Storing with the same attributes replaces the previous key. */
  secret_password_storev (api_key_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, key, cancellable,
                          stored_cb, task);
}

gboolean
ag_api_key_store_save_finish (AgApiKeyStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- clear ---- */

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no local API key is set");
}

void
ag_api_key_store_clear_async (AgApiKeyStore *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (AG_IS_API_KEY_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_api_key_store_clear_async);
  attributes = profile_attributes (self);
  secret_password_clearv (api_key_schema (), attributes, cancellable, cleared_cb, task);
}

gboolean
ag_api_key_store_clear_finish (AgApiKeyStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
