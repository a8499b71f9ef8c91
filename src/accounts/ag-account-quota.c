// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-account-quota.c — what the account has left, as the quota poller last read it: the remaining fraction per
 * model, the 5-hour and weekly windows, the AI credit balance; and how long its own proxy keeps it resting. */
#include "ag-account-private.h"

typedef struct {
  double fraction;
  gint64 reset_unix_ms;
} ModelQuota;

void
ag_account_set_model_quota (AgAccount *self, const char *model, double fraction, gint64 reset_unix_ms)
{
  ModelQuota *quota;

  g_return_if_fail (AG_IS_ACCOUNT (self));
  g_return_if_fail (model != NULL);

  fraction = CLAMP (fraction, 0.0, 1.0);
  quota = g_hash_table_lookup (self->quota, model);
  if (quota != NULL && quota->fraction == fraction && quota->reset_unix_ms == reset_unix_ms)
    return;
  if (quota == NULL)
    {
      quota = g_new0 (ModelQuota, 1);
      g_hash_table_insert (self->quota, g_strdup (model), quota);
    }
  quota->fraction = fraction;
  quota->reset_unix_ms = reset_unix_ms;
  g_signal_emit_by_name (self, "quota-changed", model);
}

gboolean
ag_account_get_model_quota (AgAccount *self, const char *model, double *fraction, gint64 *reset_unix_ms)
{
  ModelQuota *quota;

  g_return_val_if_fail (AG_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (model != NULL, FALSE);

  quota = g_hash_table_lookup (self->quota, model);
  if (quota == NULL)
    return FALSE;
  if (fraction != NULL)
    *fraction = quota->fraction;
  if (reset_unix_ms != NULL)
    *reset_unix_ms = quota->reset_unix_ms;
  return TRUE;
}

static int
compare_model_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
ag_account_list_quota_models (AgAccount *self)
{
  GPtrArray *models;
  GHashTableIter iter;
  gpointer model;

  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);

  models = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->quota);
  while (g_hash_table_iter_next (&iter, &model, NULL))
    g_ptr_array_add (models, g_strdup (model));
  g_ptr_array_sort (models, compare_model_ids);
  g_ptr_array_add (models, NULL);
  return (char **) g_ptr_array_free (models, FALSE);
}

static gboolean
same_windows (GPtrArray *a, GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return a == b;
  for (guint i = 0; i < a->len; i++)
    {
      const AgQuotaWindow *x = a->pdata[i];
      const AgQuotaWindow *y = b->pdata[i];

      if (g_strcmp0 (x->group, y->group) != 0 || x->kind != y->kind || x->fraction != y->fraction ||
          x->reset_ms != y->reset_ms)
        return FALSE;
    }
  return TRUE;
}

void
ag_account_set_quota_windows (AgAccount *self, GPtrArray *windows)
{
  gboolean changed;

  g_return_if_fail (AG_IS_ACCOUNT (self));

  changed = !same_windows (self->windows, windows);
  g_clear_pointer (&self->windows, g_ptr_array_unref);
  self->windows = windows != NULL ? g_ptr_array_ref (windows) : NULL;
  if (changed)
    g_signal_emit_by_name (self, "quota-windows-changed");
}

GPtrArray *
ag_account_get_quota_windows (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->windows;
}

gint64
ag_account_get_ai_credits (AgAccount *self, gint64 *minimum)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), -1);

  if (minimum != NULL)
    *minimum = self->ai_credits_minimum;
  return self->ai_credits;
}

void
ag_account_set_ai_credits (AgAccount *self, gint64 balance, gint64 minimum)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  self->ai_credits_minimum = MAX (minimum, 0);
  if (self->ai_credits == balance)
    return;
  self->ai_credits = balance;
  g_object_notify (G_OBJECT (self), "ai-credits");
}

gboolean
ag_account_has_ai_credits (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), FALSE);
  return self->ai_credits > 0 && self->ai_credits >= self->ai_credits_minimum;
}

gint64
ag_account_get_proxy_rest_until (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), 0);
  return self->proxy_rest_until;
}

void
ag_account_set_proxy_rest_until (AgAccount *self, gint64 until_ms)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));
  self->proxy_rest_until = until_ms;
}
