/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-account.h"

struct _AgAccount
{
  GObject parent_instance;

  char    *email;
  char    *project_id;
  char    *tier;
  char    *proxy;            /* the account's own upstream proxy URI (may hold a password), or NULL */
  gint64   proxy_rest_until; /* ms on the pool's clock: its proxy did not answer, so it waits until then */
  gboolean enabled;
  AgAccountState state;
  char    *invalid_reason;
  char    *validation_url;
  gboolean gemini_cli_closed;
  gint64   ai_credits;         /* -1: unknown */
  gint64   ai_credits_minimum;

  char    *refresh_token;
  char    *access_token;
  gint64   access_expires_at_unix_s;

  /* Callers waiting for the refresh in flight (NULL when none is running). The refresh itself takes no
   * caller's cancellable, so one caller giving up does not fail the others. */
  GPtrArray *waiters;

  GHashTable *quota;   /* model id → ModelQuota, from the quota poller */
  GPtrArray  *windows; /* AgQuotaWindow, from the quota poller */
};

typedef struct {
  double fraction;
  gint64 reset_unix_ms;
} ModelQuota;

G_DEFINE_FINAL_TYPE (AgAccount, ag_account, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (AgAccountState, ag_account_state,
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_VALID, "valid"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_VALIDATION_REQUIRED, "validation-required"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_DISABLED, "disabled"),
                    G_DEFINE_ENUM_VALUE (AG_ACCOUNT_STATE_BANNED, "banned"))

/* g_set_str() is GLib 2.76. */
static gboolean
replace_str (char **slot, const char *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_PROJECT_ID,
  PROP_TIER,
  PROP_ENABLED,
  PROP_STATE,
  PROP_INVALID_REASON,
  PROP_VALIDATION_URL,
  PROP_GEMINI_CLI_CLOSED,
  PROP_AI_CREDITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REFRESH_TOKEN_CHANGED,
  SIGNAL_QUOTA_CHANGED,
  SIGNAL_QUOTA_WINDOWS_CHANGED,
  SIGNAL_PROXY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

static void
ag_account_finalize (GObject *object)
{
  AgAccount *self = AG_ACCOUNT (object);

  g_free (self->email);
  g_free (self->project_id);
  g_free (self->tier);
  g_free (self->proxy);
  g_free (self->invalid_reason);
  g_free (self->validation_url);
  g_clear_pointer (&self->windows, g_ptr_array_unref);
  g_free (self->refresh_token);
  g_free (self->access_token);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->quota, g_hash_table_unref);

  G_OBJECT_CLASS (ag_account_parent_class)->finalize (object);
}

static void
ag_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgAccount *self = AG_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_TIER:
      g_value_set_string (value, self->tier);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_INVALID_REASON:
      g_value_set_string (value, self->invalid_reason);
      break;
    case PROP_VALIDATION_URL:
      g_value_set_string (value, self->validation_url);
      break;
    case PROP_GEMINI_CLI_CLOSED:
      g_value_set_boolean (value, self->gemini_cli_closed);
      break;
    case PROP_AI_CREDITS:
      g_value_set_int64 (value, self->ai_credits);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgAccount *self = AG_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_free (self->email);
      self->email = g_value_dup_string (value);
      break;
    case PROP_PROJECT_ID:
      ag_account_set_project_id (self, g_value_get_string (value));
      break;
    case PROP_TIER:
      ag_account_set_tier (self, g_value_get_string (value));
      break;
    case PROP_ENABLED:
      ag_account_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_account_class_init (AgAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ag_account_finalize;
  object_class->get_property = ag_account_get_property;
  object_class->set_property = ag_account_set_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIER] =
    g_param_spec_string ("tier", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, AG_TYPE_ACCOUNT_STATE, AG_ACCOUNT_STATE_VALID,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVALID_REASON] =
    g_param_spec_string ("invalid-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATION_URL] =
    g_param_spec_string ("validation-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GEMINI_CLI_CLOSED] =
    g_param_spec_boolean ("gemini-cli-closed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AI_CREDITS] =
    g_param_spec_int64 ("ai-credits", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Google rotated the refresh token: the owner must save the account again (read the new token with
   * ag_account_get_refresh_token; it is not passed along so it does not travel through signal logs). */
  signals[SIGNAL_REFRESH_TOKEN_CHANGED] =
    g_signal_new ("refresh-token-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The account's own proxy changed (a signal, not a property: the URI may hold a password). */
  signals[SIGNAL_PROXY_CHANGED] =
    g_signal_new ("proxy-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The 5-hour or weekly windows changed. */
  signals[SIGNAL_QUOTA_WINDOWS_CHANGED] =
    g_signal_new ("quota-windows-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The remaining quota or reset time of a model changed (argument: the model id). */
  signals[SIGNAL_QUOTA_CHANGED] =
    g_signal_new ("quota-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ag_account_init (AgAccount *self)
{
  self->enabled = TRUE;
  self->ai_credits = -1;
  self->quota = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

AgAccount *
ag_account_new (const char *email, const char *project_id, const char *refresh_token)
{
  AgAccount *self;

  g_return_val_if_fail (email != NULL, NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);

  self = g_object_new (AG_TYPE_ACCOUNT, "email", email, "project-id", project_id, NULL);
  self->refresh_token = g_strdup (refresh_token);
  return self;
}

const char *
ag_account_get_email (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->email;
}

const char *
ag_account_get_project_id (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->project_id;
}

void
ag_account_set_project_id (AgAccount *self, const char *project_id)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (replace_str (&self->project_id, project_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_ID]);
}

const char *
ag_account_get_tier (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->tier;
}

void
ag_account_set_tier (AgAccount *self, const char *tier)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (replace_str (&self->tier, tier))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER]);
}

const char *
ag_account_get_proxy (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->proxy;
}

void
ag_account_set_proxy (AgAccount *self, const char *proxy_uri)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));
  if (!replace_str (&self->proxy, proxy_uri != NULL && *proxy_uri != '\0' ? proxy_uri : NULL))
    return;
  /* Another proxy deserves its own chance. */
  self->proxy_rest_until = 0;
  g_signal_emit (self, signals[SIGNAL_PROXY_CHANGED], 0);
}

gboolean
ag_account_get_enabled (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), FALSE);
  return self->enabled;
}

void
ag_account_set_enabled (AgAccount *self, gboolean enabled)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

const char *
ag_account_get_refresh_token (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->refresh_token;
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

AgAccountState
ag_account_get_state (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), AG_ACCOUNT_STATE_VALID);
  return self->state;
}

const char *
ag_account_get_invalid_reason (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->invalid_reason;
}

const char *
ag_account_get_validation_url (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), NULL);
  return self->validation_url;
}

void
ag_account_set_state (AgAccount *self, AgAccountState state, const char *reason, const char *validation_url)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (state == AG_ACCOUNT_STATE_VALID)
    reason = validation_url = NULL;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (replace_str (&self->invalid_reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVALID_REASON]);
  if (replace_str (&self->validation_url, validation_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATION_URL]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
ag_account_state_to_nick (AgAccountState state)
{
  /* A static enum class is never finalised: the nick outlives the reference. */
  GEnumClass *klass = g_type_class_ref (AG_TYPE_ACCOUNT_STATE);
  GEnumValue *value = g_enum_get_value (klass, (gint) state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "valid";
}

gboolean
ag_account_state_from_nick (const char *nick, AgAccountState *out_state)
{
  GEnumClass *klass = g_type_class_ref (AG_TYPE_ACCOUNT_STATE);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (value != NULL)
    *out_state = (AgAccountState) value->value;
  g_type_class_unref (klass);
  return value != NULL;
}

gboolean
ag_account_get_gemini_cli_closed (AgAccount *self)
{
  g_return_val_if_fail (AG_IS_ACCOUNT (self), FALSE);
  return self->gemini_cli_closed;
}

void
ag_account_set_gemini_cli_closed (AgAccount *self, gboolean closed)
{
  g_return_if_fail (AG_IS_ACCOUNT (self));

  if (self->gemini_cli_closed == !!closed)
    return;
  self->gemini_cli_closed = !!closed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GEMINI_CLI_CLOSED]);
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
          g_signal_emit (self, signals[SIGNAL_REFRESH_TOKEN_CHANGED], 0);
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
  g_signal_emit (self, signals[SIGNAL_QUOTA_CHANGED], 0, model);
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
    g_signal_emit (self, signals[SIGNAL_QUOTA_WINDOWS_CHANGED], 0);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AI_CREDITS]);
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
