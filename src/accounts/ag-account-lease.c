/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-account-lease.c — the lease object and how it acquires an account: pick, wait out a short rest, forget
 * estimated rests once, fall back to the Gemini CLI quota or AI credits, get the token. What a failure means is
 * ag-account-lease-verdict.c's. */
#include "ag-account-lease-private.h"
#include "ag-account-trouble.h"

G_DEFINE_FINAL_TYPE (AgAccountLease, ag_account_lease, G_TYPE_OBJECT)
G_DEFINE_QUARK (ag-lease-error-quark, ag_lease_error)

enum {
  SIGNAL_ATTEMPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_wait (AgAccountLease *self)
{
  if (self->wait_source != NULL)
    {
      g_source_destroy (self->wait_source);
      g_clear_pointer (&self->wait_source, g_source_unref);
    }
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
}

static void
ag_account_lease_dispose (GObject *object)
{
  AgAccountLease *self = AG_ACCOUNT_LEASE (object);

  clear_wait (self);
  g_clear_object (&self->pool);
  g_clear_object (&self->oauth);
  g_clear_object (&self->config);
  g_clear_object (&self->pinned);
  g_clear_object (&self->account);
  g_clear_pointer (&self->tried, g_ptr_array_unref);
  G_OBJECT_CLASS (ag_account_lease_parent_class)->dispose (object);
}

static void
ag_account_lease_finalize (GObject *object)
{
  AgAccountLease *self = AG_ACCOUNT_LEASE (object);

  g_free (self->model);
  g_free (self->session_id);
  g_free (self->pool_model);
  g_free (self->sent_version);
  g_clear_pointer (&self->last_error, ag_google_error_free);
  g_clear_error (&self->token_error);
  g_free (self->answer.message);
  G_OBJECT_CLASS (ag_account_lease_parent_class)->finalize (object);
}

static void
ag_account_lease_class_init (AgAccountLeaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_account_lease_dispose;
  object_class->finalize = ag_account_lease_finalize;

  signals[SIGNAL_ATTEMPT] =
    g_signal_new ("attempt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_INT64);
}

static void
ag_account_lease_init (AgAccountLease *self)
{
  self->tried = g_ptr_array_new_with_free_func (g_object_unref);
  self->shortest_wait_ms = -1;
}

AgAccountLease *
ag_account_lease_new (AgAccountPool *pool, AgOAuthClient *oauth, AgCloudcodeConfig *config,
                      const AgLeaseOptions *options)
{
  AgAccountLease *self;

  g_return_val_if_fail (AG_IS_ACCOUNT_POOL (pool), NULL);
  g_return_val_if_fail (AG_IS_OAUTH_CLIENT (oauth), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->purpose != AG_LEASE_POLL || AG_IS_ACCOUNT (options->account), NULL);

  self = g_object_new (AG_TYPE_ACCOUNT_LEASE, NULL);
  self->pool = g_object_ref (pool);
  self->oauth = g_object_ref (oauth);
  self->config = config != NULL ? g_object_ref (config) : NULL;
  self->purpose = options->purpose;
  self->family = options->family;
  self->session_id = g_strdup (options->session_id);
  if (options->purpose == AG_LEASE_GENERATE)
    {
      self->model = g_strdup (options->model);
      self->pool_model = g_strdup (options->model);
    }
  if (options->purpose == AG_LEASE_POLL)
    self->pinned = g_object_ref (options->account);
  return self;
}

AgAccount *
ag_account_lease_get_account (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), NULL);
  return self->account;
}

const char *
ag_account_lease_get_model (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), NULL);
  return self->pool_model;
}

gboolean
ag_account_lease_get_gemini_cli (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  return self->gemini_cli;
}

gboolean
ag_account_lease_get_credits (AgAccountLease *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT_LEASE (self), FALSE);
  return self->credits;
}

/* ── what happened, for the request log ─────────────────────────────────────────────────────────────────────── */

void
ag_account_lease_add_attempt (AgAccountLease *self, const char *reason, guint status, gint64 wait_ms)
{
  g_signal_emit (self, signals[SIGNAL_ATTEMPT], 0, self->account != NULL ? ag_account_get_email (self->account) : NULL,
                 reason, status, wait_ms);
}

/* ── acquiring ─────────────────────────────────────────────────────────────────────────────────────────────── */

static void try_account (AgAccountLease *self);

static void
return_final (AgAccountLease *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  clear_wait (self);
  if (self->purpose == AG_LEASE_POLL && self->token_error != NULL && self->last_error == NULL)
    g_task_return_error (task, g_error_copy (self->token_error));
  else
    g_task_return_new_error (task, AG_LEASE_ERROR, AG_LEASE_ERROR_FINAL, "%s", self->answer.message);
}

static gboolean
wait_over (gpointer user_data)
{
  AgAccountLease *self = user_data;

  clear_wait (self);
  try_account (self);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled (GCancellable *cancellable, gpointer user_data)
{
  AgAccountLease *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  clear_wait (self);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the request was cancelled");
  return G_SOURCE_REMOVE;
}

/* Waits on the main loop, or returns at once when the request is cancelled meanwhile. */
static void
wait_then_try (AgAccountLease *self, gint64 wait_ms)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  self->wait_source = g_timeout_source_new ((guint) CLAMP (wait_ms, 0, G_MAXUINT));
  g_source_set_callback (self->wait_source, wait_over, self, NULL);
  g_source_attach (self->wait_source, NULL);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (wait_cancelled), self, NULL);
      g_source_attach (self->cancel_source, NULL);
    }
}

/* Only Gemini models have a second quota, and only those the Gemini CLI knows. */
static gboolean
fall_back_to_gemini_cli (AgAccountLease *self)
{
  g_autofree char *model = NULL;

  if (self->gemini_cli || self->family != AG_MODEL_FAMILY_GEMINI || self->model == NULL ||
      !ag_account_pool_get_dual_quota_pool (self->pool))
    return FALSE;
  /* No request is spent on a pool that has refused every account's tier. */
  if (!ag_account_trouble_gemini_cli_open (ag_account_pool_get_accounts (self->pool)))
    return FALSE;
  model = ag_cloudcode_gemini_cli_model (self->model);
  if (model == NULL)
    return FALSE;
  g_message ("every account rests for %s; trying the Gemini CLI quota (%s)", self->model, model);
  ag_account_lease_add_attempt (self, "gemini_cli_fallback", 0, 0);
  self->gemini_cli = TRUE;
  g_free (self->pool_model);
  self->pool_model = g_steal_pointer (&model);
  self->waited_for_all = FALSE;
  self->optimistic_reset = FALSE;
  return TRUE;
}

/* Only when the user allowed it, and only for a request no account can serve from free quota: an account with
 * Google One AI credits serves it with enabledCreditTypes (its free-quota rest stays as it is). */
static gboolean
spend_credits (AgAccountLease *self)
{
  GListModel *accounts = ag_account_pool_get_accounts (self->pool);

  if (self->purpose != AG_LEASE_GENERATE || self->model == NULL || !ag_account_pool_get_ai_credits (self->pool))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_trouble_is_unusable (account) || !ag_account_has_ai_credits (account) ||
          g_ptr_array_find (self->tried, account, NULL))
        continue;
      g_message ("no free quota left for %s anywhere; spending the AI credits of %s (balance %" G_GINT64_FORMAT ")",
                 self->model, ag_account_get_email (account), ag_account_get_ai_credits (account, NULL));
      self->account = g_steal_pointer (&account);
      self->credits = TRUE;
      self->gemini_cli = FALSE;
      g_free (self->pool_model);
      self->pool_model = g_strdup (self->model);
      return TRUE;
    }
  return FALSE;
}

/* No account can take the request now; @wait_ms is the shortest rest among those that could later (-1: none). */
static void
no_account_available (AgAccountLease *self, gint64 wait_ms)
{
  gint64 max_wait = self->purpose == AG_LEASE_GENERATE ? ag_account_pool_get_max_wait_in_place_ms (self->pool) : 0;

  if (wait_ms > 0 && (self->shortest_wait_ms < 0 || wait_ms < self->shortest_wait_ms))
    self->shortest_wait_ms = wait_ms;
  if (wait_ms > 0 && wait_ms <= max_wait && !self->waited_for_all)
    {
      self->waited_for_all = TRUE;
      ag_account_lease_add_attempt (self, "all_limited_wait", 0, wait_ms);
      wait_then_try (self, wait_ms);
      return;
    }
  if (wait_ms > 0 && wait_ms <= max_wait && !self->optimistic_reset)
    {
      /* Our rests are estimates; one more try after forgetting them beats failing (Antigravity-Manager does the
       * same). */
      self->optimistic_reset = TRUE;
      ag_account_lease_add_attempt (self, "optimistic_reset", 0, 0);
      ag_account_pool_clear_limits (self->pool, self->pool_model);
      try_account (self);
      return;
    }
  if (wait_ms > max_wait && fall_back_to_gemini_cli (self))
    {
      try_account (self);
      return;
    }
  if ((wait_ms > max_wait || self->shortest_wait_ms > max_wait) && spend_credits (self))
    {
      try_account (self);
      return;
    }
  if (self->shortest_wait_ms > 0)
    ag_account_lease_answer_all_limited (self, self->shortest_wait_ms);
  else
    ag_account_lease_answer_nothing_usable (self);
  return_final (self);
}

static void
token_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgAccountLease) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = ag_account_get_access_token_finish (AG_ACCOUNT (source), result, &error);

  if (token != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_free (self->sent_version);
      self->sent_version = self->config != NULL ? g_strdup (ag_cloudcode_config_get_client_version (self->config))
                                                : NULL;
      g_task_return_pointer (task, token, g_free);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ag_account_lease_token_failed (self, g_steal_pointer (&error));
  try_account (self);
}

/* In the Gemini CLI pool, the accounts whose tier it refused count as given up on for this request. */
static void
skip_gemini_cli_closed (AgAccountLease *self)
{
  GListModel *accounts = ag_account_pool_get_accounts (self->pool);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (accounts, i);

      if (ag_account_get_gemini_cli_closed (account) && !g_ptr_array_find (self->tried, account, NULL))
        g_ptr_array_add (self->tried, g_steal_pointer (&account));
    }
}

static AgAccount *
pick (AgAccountLease *self, gint64 *wait_ms)
{
  if (self->gemini_cli)
    skip_gemini_cli_closed (self);
  if (self->pinned == NULL)
    return ag_account_pool_pick (self->pool, self->pool_model, self->session_id, self->tried, wait_ms);
  *wait_ms = -1;
  return self->tried->len == 0 ? g_object_ref (self->pinned) : NULL;
}

static void
try_account (AgAccountLease *self)
{
  gint64 wait_ms = -1;

  if (g_task_return_error_if_cancelled (self->task))
    {
      g_clear_object (&self->task);
      return;
    }
  if (self->account == NULL)
    self->account = pick (self, &wait_ms);
  if (self->account == NULL)
    {
      no_account_available (self, wait_ms);
      return;
    }
  /* The account's own proxy carries its token refresh too. */
  ag_account_get_access_token_async (self->account, ag_oauth_client_for_proxy (self->oauth,
                                                                              ag_account_get_proxy (self->account)),
                                     g_task_get_cancellable (self->task), token_ready, g_object_ref (self));
}

void
ag_account_lease_acquire_async (AgAccountLease *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  gint64 wait_ms;

  g_return_if_fail (AG_IS_ACCOUNT_LEASE (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, ag_account_lease_acquire_async);
  wait_ms = self->next_wait_ms;
  self->next_wait_ms = 0;
  if (wait_ms > 0)
    wait_then_try (self, wait_ms);
  else
    try_account (self);
}

char *
ag_account_lease_acquire_finish (AgAccountLease *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
