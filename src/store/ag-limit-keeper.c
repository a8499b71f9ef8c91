/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-limit-keeper.h"

struct _AgLimitKeeper {
  GObject         parent_instance;
  AgHistoryStore *history;
  AgAccountPool  *pool;
  GCancellable   *cancellable;
  GHashTable     *written;   /* "account\nmodel" → AgRateLimit last written, to tell which rests ended early */
  gboolean        restored;
};

G_DEFINE_FINAL_TYPE (AgLimitKeeper, ag_limit_keeper, G_TYPE_OBJECT)

static char *
limit_key (const AgRateLimit *limit)
{
  return g_strconcat (limit->account, "\n", limit->model, NULL);
}

static AgRateLimit *
limit_copy (const AgRateLimit *limit)
{
  AgRateLimit *copy = g_memdup2 (limit, sizeof *limit);

  copy->account = g_strdup (limit->account);
  copy->model = g_strdup (limit->model);
  return copy;
}

/* Writes the rests in force and forgets the ones written before that are no longer (ended early or over). */
static void
on_pool_changed (AgAccountPool *pool, gpointer user_data)
{
  AgLimitKeeper *self = user_data;
  g_autoptr(GPtrArray) limits = ag_account_pool_list_limits (pool);
  g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  g_autoptr(GHashTable) now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify) ag_rate_limit_free);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < limits->len; i++)
    g_hash_table_replace (now, limit_key (limits->pdata[i]), limit_copy (limits->pdata[i]));
  g_hash_table_iter_init (&iter, self->written);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (now, key))
      g_ptr_array_add (ended, limit_copy (value));
  if (limits->len == 0 && ended->len == 0)
    return;
  ag_history_store_save_limits (self->history, limits, ended);
  g_hash_table_unref (self->written);
  self->written = g_steal_pointer (&now);
}

static void
limits_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgLimitKeeper) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) limits = ag_history_store_load_limits_finish (AG_HISTORY_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->restored = TRUE;
  if (limits == NULL)
    g_message ("no rests restored: %s", error->message);
  else
    {
      g_message ("restored %u rests from %s", limits->len, ag_history_store_get_path (self->history));
      ag_account_pool_restore_limits (self->pool, limits);
    }
  g_signal_connect_object (self->pool, "changed", G_CALLBACK (on_pool_changed), self, 0);
  /* Rests met while reading are written too, and the restored ones count as written. */
  on_pool_changed (self->pool, self);
}

static void
ag_limit_keeper_dispose (GObject *object)
{
  AgLimitKeeper *self = AG_LIMIT_KEEPER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->history);
  g_clear_object (&self->pool);
  G_OBJECT_CLASS (ag_limit_keeper_parent_class)->dispose (object);
}

static void
ag_limit_keeper_finalize (GObject *object)
{
  AgLimitKeeper *self = AG_LIMIT_KEEPER (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->written);
  G_OBJECT_CLASS (ag_limit_keeper_parent_class)->finalize (object);
}

static void
ag_limit_keeper_class_init (AgLimitKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_limit_keeper_dispose;
  object_class->finalize = ag_limit_keeper_finalize;
}

static void
ag_limit_keeper_init (AgLimitKeeper *self)
{
  self->cancellable = g_cancellable_new ();
  self->written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ag_rate_limit_free);
}

AgLimitKeeper *
ag_limit_keeper_new (AgHistoryStore *history, AgAccountPool *pool)
{
  AgLimitKeeper *self;

  g_return_val_if_fail (AG_IS_HISTORY_STORE (history), NULL);
  g_return_val_if_fail (AG_IS_ACCOUNT_POOL (pool), NULL);

  self = g_object_new (AG_TYPE_LIMIT_KEEPER, NULL);
  self->history = g_object_ref (history);
  self->pool = g_object_ref (pool);
  ag_history_store_load_limits_async (history, ag_account_pool_now_ms (pool), self->cancellable, limits_loaded,
                                      g_object_ref (self));
  return self;
}

gboolean
ag_limit_keeper_get_restored (AgLimitKeeper *self)
{
  g_return_val_if_fail (AG_IS_LIMIT_KEEPER (self), FALSE);

  return self->restored;
}
