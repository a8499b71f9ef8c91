/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account-state-keeper.h"

struct _AgAccountStateKeeper {
  GObject         parent_instance;
  AgHistoryStore *history;
  AgAccountPool  *pool;
  GCancellable   *cancellable;
  GHashTable     *pending;    /* e-mail → AgAccountStateRow read back and not yet applied */
  GPtrArray      *followed;   /* AgAccount whose changes are written */
  gboolean        restored;
};

G_DEFINE_FINAL_TYPE (AgAccountStateKeeper, ag_account_state_keeper, G_TYPE_OBJECT)

AgAccountStateRow *
ag_account_state_keeper_row_for (AgAccount *account, gint64 now_ms)
{
  return ag_account_state_row_new (ag_account_get_email (account),
                                   ag_account_state_to_nick (ag_account_get_state (account)),
                                   ag_account_get_invalid_reason (account), ag_account_get_validation_url (account),
                                   ag_account_get_gemini_cli_closed (account), now_ms);
}

static void
save (AgAccountStateKeeper *self, AgAccount *account)
{
  g_autoptr(AgAccountStateRow) row = ag_account_state_keeper_row_for (account, ag_account_pool_now_ms (self->pool));

  ag_history_store_save_account_state (self->history, row);
}

static void
on_account_notify (AgAccount *account, GParamSpec *pspec, gpointer user_data)
{
  AgAccountStateKeeper *self = user_data;

  if (g_str_equal (pspec->name, "state") || g_str_equal (pspec->name, "invalid-reason") ||
      g_str_equal (pspec->name, "validation-url") || g_str_equal (pspec->name, "gemini-cli-closed"))
    save (self, account);
}

/* A recorded state goes back onto the account it was recorded for, unless something newer happened meanwhile. */
static void
apply (AgAccount *account, const AgAccountStateRow *row)
{
  AgAccountState state;

  if (ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID && ag_account_state_from_nick (row->state, &state) &&
      state != AG_ACCOUNT_STATE_VALID)
    ag_account_set_state (account, state, row->reason, row->url);
  if (row->gemini_cli_closed)
    ag_account_set_gemini_cli_closed (account, TRUE);
}

static void
follow (AgAccountStateKeeper *self, AgAccount *account)
{
  const AgAccountStateRow *row = g_hash_table_lookup (self->pending, ag_account_get_email (account));

  if (g_ptr_array_find (self->followed, account, NULL))
    return;
  if (row != NULL)
    {
      apply (account, row);
      g_hash_table_remove (self->pending, ag_account_get_email (account));
    }
  else
    /* Signed in afresh (or never in trouble): whatever was recorded for this e-mail is over. */
    save (self, account);
  g_ptr_array_add (self->followed, g_object_ref (account));
  g_signal_connect_object (account, "notify", G_CALLBACK (on_account_notify), self, 0);
}

static void
on_accounts_changed (GListModel *accounts, guint position, guint removed, guint added, gpointer user_data)
{
  AgAccountStateKeeper *self = user_data;

  /* Removed accounts keep their row: removing one from the keyring is not Google taking its state back. */
  for (guint i = 0; i < self->followed->len;)
    {
      AgAccount *account = self->followed->pdata[i];
      g_autoptr(AgAccount) current = ag_account_pool_find (self->pool, ag_account_get_email (account));

      if (current != account)
        {
          g_signal_handlers_disconnect_by_data (account, self);
          g_ptr_array_remove_index_fast (self->followed, i);
        }
      else
        i++;
    }
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      follow (self, account);
    }
}

static void
states_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAccountStateKeeper) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = ag_history_store_load_account_states_finish (AG_HISTORY_STORE (source), result,
                                                                            &error);
  GListModel *accounts = ag_account_pool_get_accounts (self->pool);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->restored = TRUE;
  if (rows == NULL)
    g_message ("no account states restored: %s", error->message);
  else
    g_message ("restored %u account states from %s", rows->len, ag_history_store_get_path (self->history));
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      AgAccountStateRow *row = rows->pdata[i];

      g_hash_table_replace (self->pending, row->account, row);
      rows->pdata[i] = NULL;
    }
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (on_accounts_changed), self, 0);
  on_accounts_changed (accounts, 0, 0, g_list_model_get_n_items (accounts), self);
}

static void
ag_account_state_keeper_dispose (GObject *object)
{
  AgAccountStateKeeper *self = AG_ACCOUNT_STATE_KEEPER (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; self->followed != NULL && i < self->followed->len; i++)
    g_signal_handlers_disconnect_by_data (self->followed->pdata[i], self);
  g_clear_pointer (&self->followed, g_ptr_array_unref);
  g_clear_object (&self->history);
  g_clear_object (&self->pool);
  G_OBJECT_CLASS (ag_account_state_keeper_parent_class)->dispose (object);
}

static void
ag_account_state_keeper_finalize (GObject *object)
{
  AgAccountStateKeeper *self = AG_ACCOUNT_STATE_KEEPER (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->pending);
  G_OBJECT_CLASS (ag_account_state_keeper_parent_class)->finalize (object);
}

static void
ag_account_state_keeper_class_init (AgAccountStateKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_account_state_keeper_dispose;
  object_class->finalize = ag_account_state_keeper_finalize;
}

static void
ag_account_state_keeper_init (AgAccountStateKeeper *self)
{
  self->cancellable = g_cancellable_new ();
  /* Rows are owned by the table; the key is the row's own e-mail. */
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) ag_account_state_row_free);
  self->followed = g_ptr_array_new_with_free_func (g_object_unref);
}

AgAccountStateKeeper *
ag_account_state_keeper_new (AgHistoryStore *history, AgAccountPool *pool)
{
  AgAccountStateKeeper *self;

  g_return_val_if_fail (AG_IS_HISTORY_STORE (history), NULL);
  g_return_val_if_fail (AG_IS_ACCOUNT_POOL (pool), NULL);

  self = g_object_new (AG_TYPE_ACCOUNT_STATE_KEEPER, NULL);
  self->history = g_object_ref (history);
  self->pool = g_object_ref (pool);
  ag_history_store_load_account_states_async (history, self->cancellable, states_loaded, g_object_ref (self));
  return self;
}

gboolean
ag_account_state_keeper_get_restored (AgAccountStateKeeper *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_STATE_KEEPER (self), FALSE);
  return self->restored;
}
