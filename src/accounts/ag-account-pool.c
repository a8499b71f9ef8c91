#include "ag-account-pool.h"

struct _AgAccountPool {
  GObject     parent_instance;
  GListStore *accounts;
};

G_DEFINE_FINAL_TYPE (AgAccountPool, ag_account_pool, G_TYPE_OBJECT)

static void
ag_account_pool_finalize (GObject *object)
{
  AgAccountPool *self = AG_ACCOUNT_POOL (object);

  g_object_unref (self->accounts);
  G_OBJECT_CLASS (ag_account_pool_parent_class)->finalize (object);
}

static void
ag_account_pool_class_init (AgAccountPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_account_pool_finalize;
}

static void
ag_account_pool_init (AgAccountPool *self)
{
  self->accounts = g_list_store_new (AG_TYPE_ACCOUNT);
}

AgAccountPool *
ag_account_pool_new (void)
{
  return g_object_new (AG_TYPE_ACCOUNT_POOL, NULL);
}

GListModel *
ag_account_pool_get_accounts (AgAccountPool *self)
{
  return G_LIST_MODEL (self->accounts);
}

guint
ag_account_pool_get_n_accounts (AgAccountPool *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
}

static gboolean
find_position (AgAccountPool *self, const char *email, guint *position)
{
  guint n = ag_account_pool_get_n_accounts (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (ag_account_get_email (account), email) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
ag_account_pool_add (AgAccountPool *self, AgAccount *account)
{
  guint position;

  /* Re-adding an account (e.g. after a new sign-in) replaces the old entry instead of duplicating it. */
  if (find_position (self, ag_account_get_email (account), &position))
    g_list_store_splice (self->accounts, position, 1, (gpointer *) &account, 1);
  else
    g_list_store_append (self->accounts, account);
}

gboolean
ag_account_pool_remove (AgAccountPool *self, const char *email)
{
  guint position;

  if (!find_position (self, email, &position))
    return FALSE;
  g_list_store_remove (self->accounts, position);
  return TRUE;
}

AgAccount *
ag_account_pool_find (AgAccountPool *self, const char *email)
{
  guint position;

  if (!find_position (self, email, &position))
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
}

AgAccount *
ag_account_pool_pick (AgAccountPool *self, const char *model, GPtrArray *exclude)
{
  guint n = ag_account_pool_get_n_accounts (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (!ag_account_get_enabled (account))
        continue;
      if (exclude != NULL && g_ptr_array_find (exclude, account, NULL))
        continue;
      return g_steal_pointer (&account);
    }
  return NULL;
}
