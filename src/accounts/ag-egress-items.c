/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-egress-items.h"
#include "ag-keyring-error.h"

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

typedef struct {
  GHashTable *proxies;   /* e-mail → URI */
  guint       pending;
  GError     *error;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_hash_table_unref (data->proxies);
  g_clear_error (&data->error);
  g_free (data);
}

static void
secret_retrieved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(SecretValue) value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result,
                                                                            &error);
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (SECRET_RETRIEVABLE (source));
  const char *email = g_hash_table_lookup (attributes, ATTR_EMAIL);
  const char *uri = value != NULL ? secret_value_get_text (value) : NULL;

  if (error != NULL && data->error == NULL)
    data->error = ag_keyring_error (error);
  else if (error != NULL)
    g_error_free (error);
  else if (email != NULL && uri != NULL && *uri != '\0')
    g_hash_table_replace (data->proxies, g_strdup (email), g_strdup (uri));
  if (--data->pending > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_hash_table_ref (data->proxies), (GDestroyNotify) g_hash_table_unref);
}

static void
found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, ag_keyring_error (error));
      return;
    }
  if (items == NULL)
    {
      g_task_return_pointer (task, g_hash_table_ref (data->proxies), (GDestroyNotify) g_hash_table_unref);
      return;
    }
  data->pending = g_list_length (items);
  for (GList *l = items; l != NULL; l = l->next)
    secret_retrievable_retrieve_secret (l->data, g_task_get_cancellable (task), secret_retrieved_cb,
                                        g_object_ref (task));
  g_list_free_full (items, g_object_unref);
}

void
ag_egress_items_load_async (const char *profile, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = attributes_for (profile, NULL);

  LoadData *data = g_new0 (LoadData, 1);

  data->proxies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_source_tag (task, ag_egress_items_load_async);
  secret_password_searchv (egress_schema (), attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS, cancellable,
                           found_cb, task);
}

GHashTable *
ag_egress_items_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
