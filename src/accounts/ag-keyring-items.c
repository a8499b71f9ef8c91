// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-keyring-items.h"
#include "ag-keyring-error.h"

typedef struct {
  GPtrArray *items;    /* AgKeyringItem, as their secrets arrive */
  guint      pending;
  GError    *error;    /* the first failure among the secret reads */
} LoadData;

void
ag_keyring_item_free (AgKeyringItem *item)
{
  g_hash_table_unref (item->attributes);
  g_clear_pointer (&item->secret, secret_value_unref);
  g_free (item);
}

static void
load_data_free (LoadData *data)
{
  g_ptr_array_unref (data->items);
  g_clear_error (&data->error);
  g_free (data);
}

static void
return_items (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_ptr_array_ref (data->items), (GDestroyNotify) g_ptr_array_unref);
}

static void
secret_retrieved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  SecretRetrievable *retrievable = SECRET_RETRIEVABLE (source);
  g_autoptr(GError) error = NULL;
  SecretValue *secret = secret_retrievable_retrieve_secret_finish (retrievable, result, &error);

  if (error != NULL)
    {
      if (data->error == NULL)
        data->error = ag_keyring_error (g_steal_pointer (&error));
    }
  else
    {
      AgKeyringItem *item = g_new0 (AgKeyringItem, 1);

      item->attributes = secret_retrievable_get_attributes (retrievable);
      item->secret = secret;
      g_ptr_array_add (data->items, item);
    }
  if (--data->pending == 0)
    return_items (task);
}

static void
found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *found = secret_password_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
      return;
    }
  if (found == NULL)
    {
      return_items (task);
      return;
    }
  data->pending = g_list_length (found);
  for (GList *l = found; l != NULL; l = l->next)
    secret_retrievable_retrieve_secret (l->data, g_task_get_cancellable (task), secret_retrieved_cb,
                                        g_object_ref (task));
  g_list_free_full (found, g_object_unref);
}

void
ag_keyring_items_load_async (const SecretSchema *schema, GHashTable *attributes, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_keyring_item_free);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_source_tag (task, ag_keyring_items_load_async);
  secret_password_searchv (schema, attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           cancellable, found_cb, task);
}

GPtrArray *
ag_keyring_items_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
