// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-token.c — the account's access token: the cached one while it is fresh, else one refresh shared by
 * every caller that asks meanwhile. */
#include "ag-account-private.h"

/* One caller of get_access_token_async waiting on the shared refresh. */
typedef struct {
  AgAccount *account;
  GTask     *task;
  GSource   *cancel_source;   /* fires on the caller's main context when its cancellable is cancelled */
} Waiter;

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

void
ag_account_set_access_token (AgAccount *self, const char *access_token, gint64 expires_at_unix_s)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  g_free (self->access_token);
  self->access_token = g_strdup (access_token);
  self->access_expires_at_unix_s = access_token != NULL ? expires_at_unix_s : 0;
}

void
ag_account_invalidate_access_token (AgAccount *self)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  g_clear_pointer (&self->access_token, g_free);
  self->access_expires_at_unix_s = 0;
}

static gboolean
access_token_is_fresh (AgAccount *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return self->access_token != NULL && self->access_expires_at_unix_s - now > AG_ACCOUNT_REFRESH_MARGIN_SECONDS;
}

/* Runs on the caller's main context: a cancelled caller leaves; the refresh goes on for the others. */
static gboolean
waiter_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  Waiter *waiter = user_data;
  AgAccount *self = waiter->account;
  g_autoptr(GTask) task = g_object_ref (waiter->task);

  g_ptr_array_remove (self->waiters, waiter);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  return G_SOURCE_REMOVE;
}

static void
refresh_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAccount) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AgOAuthTokens) tokens = NULL;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  tokens = ag_oauth_client_refresh_finish (AG_OAUTH_CLIENT (source), result, &error);
  if (tokens != NULL)
    {
      ag_account_set_access_token (self, tokens->access_token, tokens->expires_at_unix_s);
      if (tokens->refresh_token != NULL && g_strcmp0 (tokens->refresh_token, self->refresh_token) != 0)
        {
          g_free (self->refresh_token);
          self->refresh_token = g_steal_pointer (&tokens->refresh_token);
          g_signal_emit_by_name (self, "refresh-token-changed");
        }
    }

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      /* A caller cancelled after its cancel source last ran still gets G_IO_ERROR_CANCELLED from GTask. */
      if (tokens != NULL)
        g_task_return_pointer (waiter->task, g_strdup (self->access_token), g_free);
      else
        g_task_return_error (waiter->task, g_error_copy (error));
    }
}

void
ag_account_get_access_token_async (AgAccount           *self,
                                   AgOAuthClient       *oauth,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;
  gboolean start_refresh;

  g_return_if_fail (AG_IS_ACCOUNT (self));
  g_return_if_fail (AG_IS_OAUTH_CLIENT (oauth));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_account_get_access_token_async);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (access_token_is_fresh (self))
    {
      g_task_return_pointer (task, g_strdup (self->access_token), g_free);
      return;
    }

  start_refresh = self->waiters == NULL;
  if (start_refresh)
    self->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);

  waiter = g_new0 (Waiter, 1);
  waiter->account = self;
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_ptr_array_add (self->waiters, waiter);

  if (start_refresh)
    ag_oauth_client_refresh_async (oauth, self->refresh_token, NULL, refresh_cb, g_object_ref (self));
}

char *
ag_account_get_access_token_finish (AgAccount *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
