/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-token-store.h"
#include "ag-egress-items.h"
#include "ag-keyring-error.h"
#include "ag-keyring-items.h"

#include <libsecret/secret.h>

#define ATTR_EMAIL   "email"
#define ATTR_PROFILE "profile"
#define ATTR_PROJECT "project"
#define ATTR_TIER    "tier"
/* Not secret either, and keeps a disabled account disabled across restarts. */
#define ATTR_ENABLED "enabled"

struct _AgTokenStore
{
  GObject parent_instance;

  char *profile;
};

G_DEFINE_FINAL_TYPE (AgTokenStore, ag_token_store, G_TYPE_OBJECT)

/* Attributes are readable by any process of the session: only identity and routing data go there; the refresh
 * token is the secret. */
static const SecretSchema *
account_schema (void)
{
  static const SecretSchema schema = {
    "io.github.agcl.AgCl.Account", SECRET_SCHEMA_NONE,
    {
      { ATTR_EMAIL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_PROJECT, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_TIER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_ENABLED, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
ag_token_store_finalize (GObject *object)
{
  AgTokenStore *self = AG_TOKEN_STORE (object);

  g_free (self->profile);

  G_OBJECT_CLASS (ag_token_store_parent_class)->finalize (object);
}

static void
ag_token_store_class_init (AgTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_token_store_finalize;
}

static void
ag_token_store_init (AgTokenStore *self)
{
}

AgTokenStore *
ag_token_store_new (const char *profile)
{
  AgTokenStore *self;

  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);

  self = g_object_new (AG_TYPE_TOKEN_STORE, NULL);
  self->profile = g_strdup (profile);
  return self;
}

static GHashTable *
identity_attributes (AgTokenStore *self, const char *email)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (char *) ATTR_EMAIL, (char *) email);
  g_hash_table_insert (attributes, (char *) ATTR_PROFILE, self->profile);
  return attributes;
}

/* ---- save ---- */

typedef struct {
  GHashTable *attributes;   /* what the saved item carries (borrowed strings, owned by the strings below) */
  char       *project;
  char       *tier;
  char       *email;
  GQueue      stale;        /* GHashTable* of older items to remove (same e-mail, other attributes) */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_hash_table_unref (data->attributes);
  g_free (data->project);
  g_free (data->tier);
  g_free (data->email);
  g_queue_clear_full (&data->stale, (GDestroyNotify) g_hash_table_unref);
  g_free (data);
}

static gboolean
same_item (GHashTable *wanted, GHashTable *found)
{
  const char *keys[] = { ATTR_PROJECT, ATTR_TIER, ATTR_ENABLED };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_strcmp0 (g_hash_table_lookup (wanted, keys[i]), g_hash_table_lookup (found, keys[i])) != 0)
      return FALSE;
  return TRUE;
}

/* The schema's attributes of a found item, as a table clearv accepts. */
static GHashTable *
schema_attributes_of (GHashTable *found)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const SecretSchema *schema = account_schema ();

  for (guint i = 0; schema->attributes[i].name != NULL; i++)
    {
      const char *value = g_hash_table_lookup (found, schema->attributes[i].name);

      if (value != NULL)
        g_hash_table_insert (attributes, g_strdup (schema->attributes[i].name), g_strdup (value));
    }
  return attributes;
}

static void clear_next_stale (GTask *task);

static void
stale_cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
      return;
    }
  clear_next_stale (g_steal_pointer (&task));
}

static void
clear_next_stale (GTask *task)
{
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = g_queue_pop_head (&data->stale);

  if (attributes == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  secret_password_clearv (account_schema (), attributes, g_task_get_cancellable (task), stale_cleared_cb, task);
}

static void
saved_items_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
      g_object_unref (task);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) found = secret_retrievable_get_attributes (l->data);

      if (!same_item (data->attributes, found))
        g_queue_push_tail (&data->stale, schema_attributes_of (found));
    }
  g_list_free_full (items, g_object_unref);
  clear_next_stale (task);
}

static void
stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  AgTokenStore *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) identity = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
      g_object_unref (task);
      return;
    }
  /* Storing matches on every attribute, so a changed project or tier made a new item: drop the old ones only
   * now that the new one is safely written. */
  identity = identity_attributes (self, data->email);
  secret_password_searchv (account_schema (), identity, SECRET_SEARCH_ALL, g_task_get_cancellable (task),
                           saved_items_found_cb, task);
}

void
ag_token_store_save_async (AgTokenStore *self, AgAccount *account, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  SaveData *data;
  g_autofree char *label = NULL;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (AG_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_save_async);

  data = g_new0 (SaveData, 1);
  data->email = g_strdup (ag_account_get_email (account));
  data->project = g_strdup (ag_account_get_project_id (account) != NULL ? ag_account_get_project_id (account) : "");
  data->tier = g_strdup (ag_account_get_tier (account) != NULL ? ag_account_get_tier (account) : "");
  data->attributes = identity_attributes (self, data->email);
  g_hash_table_insert (data->attributes, (char *) ATTR_PROJECT, data->project);
  g_hash_table_insert (data->attributes, (char *) ATTR_TIER, data->tier);
  g_hash_table_insert (data->attributes, (char *) ATTR_ENABLED,
                       (char *) (ag_account_get_enabled (account) ? "true" : "false"));
  g_queue_init (&data->stale);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);

  label = g_strdup_printf ("ag-cl: %s", data->email);
  secret_password_storev (account_schema (), data->attributes, SECRET_COLLECTION_DEFAULT, label,
                          ag_account_get_refresh_token (account), cancellable, stored_cb, task);
}

gboolean
ag_token_store_save_finish (AgTokenStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- load ---- */

static const char *
nonempty (const char *value)
{
  return value != NULL && *value != '\0' ? value : NULL;
}

static int
compare_by_email (gconstpointer a, gconstpointer b)
{
  AgAccount *left = *(AgAccount **) a;
  AgAccount *right = *(AgAccount **) b;

  return g_strcmp0 (ag_account_get_email (left), ag_account_get_email (right));
}

/* Each account's own proxy (ag-egress-items.h), then the sorted accounts. */
static void
proxies_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *accounts = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GHashTable) proxies = ag_egress_items_load_finish (result, &error);

  if (proxies == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      AgAccount *account = g_ptr_array_index (accounts, i);

      ag_account_set_proxy (account, g_hash_table_lookup (proxies, ag_account_get_email (account)));
    }
  g_ptr_array_sort (accounts, compare_by_email);
  g_task_return_pointer (task, g_ptr_array_ref (accounts), (GDestroyNotify) g_ptr_array_unref);
}

static void
items_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  AgTokenStore *self = g_task_get_source_object (task);
  GPtrArray *accounts = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) items = ag_keyring_items_load_finish (result, &error);

  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      AgKeyringItem *item = g_ptr_array_index (items, i);
      const char *email = nonempty (g_hash_table_lookup (item->attributes, ATTR_EMAIL));
      const char *refresh_token = item->secret != NULL ? secret_value_get_text (item->secret) : NULL;
      g_autoptr(AgAccount) account = NULL;

      if (item->secret == NULL)
        {
          /* A locked item whose unlock was refused or is impossible (no prompter) carries no secret. */
          g_task_return_new_error (task, SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                   "the keyring is locked and could not be unlocked");
          return;
        }
      if (email == NULL || refresh_token == NULL || *refresh_token == '\0')
        continue;
      account = ag_account_new (email, nonempty (g_hash_table_lookup (item->attributes, ATTR_PROJECT)),
                                refresh_token);
      ag_account_set_tier (account, nonempty (g_hash_table_lookup (item->attributes, ATTR_TIER)));
      ag_account_set_enabled (account,
                              g_strcmp0 (g_hash_table_lookup (item->attributes, ATTR_ENABLED), "false") != 0);
      g_ptr_array_add (accounts, g_steal_pointer (&account));
    }
  ag_egress_items_load_async (self->profile, g_task_get_cancellable (task), proxies_loaded_cb, g_object_ref (task));
}

void
ag_token_store_load_all_async (AgTokenStore *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_load_all_async);
  g_task_set_task_data (task, g_ptr_array_new_with_free_func (g_object_unref), (GDestroyNotify) g_ptr_array_unref);

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (char *) ATTR_PROFILE, self->profile);
  ag_keyring_items_load_async (account_schema (), attributes, cancellable, items_loaded_cb, task);
}

GPtrArray *
ag_token_store_load_all_finish (AgTokenStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- remove ---- */

/* A removed account's proxy goes with it. */
static void
proxy_cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (ag_egress_items_set_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AgTokenStore *self = g_task_get_source_object (task);
  const char *email = g_task_get_task_data (task);

  GCancellable *cancellable = g_task_get_cancellable (task);

  if (secret_password_clear_finish (result, &error))
    ag_egress_items_set_async (self->profile, email, NULL, cancellable, proxy_cleared_cb, g_steal_pointer (&task));
  else if (error != NULL)
    g_task_return_error (task, ag_keyring_error (g_steal_pointer (&error)));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no account %s is stored (profile %s)",
                             email, self->profile);
}

void
ag_token_store_remove_async (AgTokenStore *self, const char *email, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (AG_IS_TOKEN_STORE (self));
  g_return_if_fail (email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_token_store_remove_async);
  g_task_set_task_data (task, g_strdup (email), g_free);

  attributes = identity_attributes (self, g_task_get_task_data (task));
  secret_password_clearv (account_schema (), attributes, cancellable, cleared_cb, task);
}

gboolean
ag_token_store_remove_finish (AgTokenStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
