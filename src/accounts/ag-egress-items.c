/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-egress-items.h"
#include "ag-keyring-error.h"
#include "ag-keyring-items.h"

#include <libsecret/secret.h>

#define ATTR_EMAIL   "email"
#define ATTR_PROFILE "profile"

static const SecretSchema *
egress_schema (void)
{
  static const SecretSchema schema = {
    "io.github.agcl.AgCl.Egress", SECRET_SCHEMA_NONE,
    {
      { ATTR_EMAIL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static GHashTable *
attributes_for (const char *profile, const char *email)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (char *) ATTR_PROFILE, (char *) profile);
  if (email != NULL)
    g_hash_table_insert (attributes, (char *) ATTR_EMAIL, (char *) email);
  return attributes;
}

static void
stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, ag_keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, ag_keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ag_egress_items_set_async (const char *profile, const char *email, const char *proxy_uri, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = attributes_for (profile, email);
  g_autofree char *label = g_strdup_printf ("ag-cl proxy: %s", email);

  g_task_set_source_tag (task, ag_egress_items_set_async);
  if (proxy_uri == NULL)
    secret_password_clearv (egress_schema (), attributes, cancellable, cleared_cb, task);
  else
    secret_password_storev (egress_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, proxy_uri, cancellable,
                            stored_cb, task);
}

gboolean
ag_egress_items_set_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
items_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) items = ag_keyring_items_load_finish (result, &error);
  GHashTable *proxies;

  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  proxies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < items->len; i++)
    {
      AgKeyringItem *item = g_ptr_array_index (items, i);
      const char *email = g_hash_table_lookup (item->attributes, ATTR_EMAIL);
      const char *uri = item->secret != NULL ? secret_value_get_text (item->secret) : NULL;

      if (email != NULL && uri != NULL && *uri != '\0')
        g_hash_table_replace (proxies, g_strdup (email), g_strdup (uri));
    }
  g_task_return_pointer (task, proxies, (GDestroyNotify) g_hash_table_unref);
}

void
ag_egress_items_load_async (const char *profile, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = attributes_for (profile, NULL);

  g_task_set_source_tag (task, ag_egress_items_load_async);
  ag_keyring_items_load_async (egress_schema (), attributes, cancellable, items_loaded_cb, task);
}

GHashTable *
ag_egress_items_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
