/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-poller-private.h"
#include "ag-account-lease.h"
#include "ag-account-setup.h"
#include "ag-ai-credits.h"
#include "ag-google-error.h"

/* One poll of one account. It owns itself: the async callbacks free it, and a poll whose poller went away (or
 * whose account left the pool) is cancelled and detached (poller = NULL) so the callbacks only clean up. */
typedef struct {
  AgQuotaPoller  *poller;
  AgAccount      *account;
  AgAccountLease *lease;
  GCancellable   *cancellable;
  char           *token;        /* the poll's access token, for its second call (secret: never logged) */
} Poll;

struct _AgQuotaPoller
{
  GObject parent_instance;

  AgAccountPool     *pool;
  GListModel        *accounts;
  AgCloudcodeClient *cloudcode;
  AgOAuthClient     *oauth;
  guint              interval;
  gboolean           started;
  guint              timer_id;
  GHashTable        *polls;   /* AgAccount * → Poll * running for it */
};

G_DEFINE_FINAL_TYPE (AgQuotaPoller, ag_quota_poller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_POLLED,
  SIGNAL_MODELS_FETCHED,
  SIGNAL_WINDOWS_SAMPLED,
  SIGNAL_QUOTA_SAMPLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
poll_free (Poll *poll)
{
  g_object_unref (poll->account);
  g_object_unref (poll->lease);
  g_object_unref (poll->cancellable);
  g_free (poll->token);
  g_free (poll);
}

static void
detach_poll (Poll *poll)
{
  poll->poller = NULL;
  g_cancellable_cancel (poll->cancellable);
}

static void
finish_poll (Poll *poll, const GError *error)
{
  g_autoptr(AgQuotaPoller) self = g_object_ref (poll->poller);

  g_hash_table_remove (self->polls, poll->account);
  g_signal_emit (self, signals[SIGNAL_POLLED], 0, poll->account, error);
  poll_free (poll);
}

void
ag_quota_poller_parse_models (JsonNode *response, AgQuotaFunc func, gpointer user_data)
{
  JsonObject *root;
  JsonObject *models;
  JsonNode *models_node;
  g_autoptr(GList) names = NULL;

  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    return;
  root = json_node_get_object (response);
  models_node = json_object_get_member (root, "models");
  if (models_node == NULL || !JSON_NODE_HOLDS_OBJECT (models_node))
    return;

  models = json_node_get_object (models_node);
  /* In the answer's order, so callers (and the quota history) see a stable sequence. */
  names = json_object_get_members (models);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *model = l->data;
      JsonNode *model_node = json_object_get_member (models, model);
      JsonNode *quota_node, *fraction_node, *reset_node;
      JsonObject *quota_info;
      gint64 reset_ms = 0;
      double fraction;

      if (!JSON_NODE_HOLDS_OBJECT (model_node))
        continue;
      quota_node = json_object_get_member (json_node_get_object (model_node), "quotaInfo");
      if (quota_node == NULL || !JSON_NODE_HOLDS_OBJECT (quota_node))
        continue;
      quota_info = json_node_get_object (quota_node);
      fraction_node = json_object_get_member (quota_info, "remainingFraction");
      reset_node = json_object_get_member (quota_info, "resetTime");
      if (reset_node != NULL && JSON_NODE_HOLDS_VALUE (reset_node) &&
          json_node_get_value_type (reset_node) == G_TYPE_STRING &&
          !ag_parse_rfc3339 (json_node_get_string (reset_node), &reset_ms))
        reset_ms = 0;
      if (fraction_node != NULL && JSON_NODE_HOLDS_VALUE (fraction_node) &&
          (json_node_get_value_type (fraction_node) == G_TYPE_DOUBLE ||
           json_node_get_value_type (fraction_node) == G_TYPE_INT64))
        fraction = json_node_get_double (fraction_node);
      else if (reset_ms != 0)
        fraction = 0.0;  /* Google omits the fraction of an exhausted model and keeps only its reset time. */
      else
        continue;
      func (model, CLAMP (fraction, 0.0, 1.0), reset_ms, user_data);
    }
}

typedef struct {
  AgQuotaPoller *self;
  AgAccount     *account;
  gint64         now_ms;
} Reading;

static void
record_quota (const char *model, double fraction, gint64 reset_unix_ms, gpointer user_data)
{
  Reading *reading = user_data;

  ag_account_set_model_quota (reading->account, model, fraction, reset_unix_ms);
  g_signal_emit (reading->self, signals[SIGNAL_QUOTA_SAMPLED], 0, reading->account, model, fraction, reset_unix_ms,
                 reading->now_ms);
}

static void token_ready (GObject *source, GAsyncResult *result, gpointer user_data);

static void read_credits (Poll *poll);

static void
windows_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Poll *poll = user_data;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result,
                                                                  &google_error, &error);
  g_autoptr(GPtrArray) windows = NULL;

  if (poll->poller == NULL)
    {
      poll_free (poll);
      return;
    }
  /* Older backends do not know the summary; the per-model figures already read stand on their own. */
  if (response == NULL)
    {
      g_debug ("no quota windows for %s: %s", ag_account_get_email (poll->account),
               google_error != NULL ? google_error->message : error->message);
      read_credits (poll);
      return;
    }
  windows = ag_quota_windows_parse (response);
  ag_account_set_quota_windows (poll->account, windows);
  g_signal_emit (poll->poller, signals[SIGNAL_WINDOWS_SAMPLED], 0, poll->account, windows,
                 g_get_real_time () / 1000);
  read_credits (poll);
}

static void
credits_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Poll *poll = user_data;
  g_autoptr(JsonNode) response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result, NULL, NULL);
  gint64 balance = -1;
  gint64 minimum = 0;

  if (poll->poller == NULL)
    {
      poll_free (poll);
      return;
    }
  if (response != NULL)
    {
      if (!ag_ai_credits_parse (response, &balance, &minimum))
        balance = -1;
      ag_account_set_ai_credits (poll->account, balance, minimum);
    }
  finish_poll (poll, NULL);
}

/* Every call of an account's poll goes out the way its content calls do: through its own proxy, if it has one. */
static AgCloudcodeClient *
poll_client (Poll *poll)
{
  return ag_cloudcode_client_for_proxy (poll->poller->cloudcode, ag_account_get_proxy (poll->account));
}

/* The Google One AI credit balance (loadCodeAssist → paidTier.availableCredits), shown per account and used by
 * the lease when the user allows spending it. */
static void
read_credits (Poll *poll)
{
  g_autoptr(JsonNode) body = ag_account_setup_load_code_assist_body ();

  ag_cloudcode_client_call_async (poll_client (poll), NULL, "loadCodeAssist", poll->token, body,
                                  poll->cancellable, credits_read, poll);
}

/* The 5-hour and weekly windows (retrieveUserQuotaSummary, same hosts as the quota; upstream-2026-addendum §2). */
static void
read_windows (Poll *poll)
{
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);

  ag_cloudcode_client_call_async (poll_client (poll), NULL, "retrieveUserQuotaSummary", poll->token, body,
                                  poll->cancellable, windows_read, poll);
}

static void
models_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Poll *poll = user_data;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  Reading reading;

  response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result, &google_error, &error);
  if (poll->poller == NULL)
    {
      poll_free (poll);
      return;
    }
  if (response == NULL)
    {
      /* The lease decides what the refusal means for the account; it asks again only with a renewed token. */
      if (google_error != NULL && ag_account_lease_failed (poll->lease, g_steal_pointer (&google_error)))
        ag_account_lease_acquire_async (poll->lease, poll->cancellable, token_ready, poll);
      else
        finish_poll (poll, error);
      return;
    }
  reading.self = poll->poller;
  reading.account = poll->account;
  reading.now_ms = g_get_real_time () / 1000;
  ag_quota_poller_parse_models (response, record_quota, &reading);
  g_signal_emit (poll->poller, signals[SIGNAL_MODELS_FETCHED], 0, poll->account, response);
  read_windows (poll);
}

static void
token_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Poll *poll = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_account_lease_acquire_finish (AG_ACCOUNT_LEASE (source), result, &error);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *project;

  if (poll->poller == NULL)
    {
      poll_free (poll);
      return;
    }
  if (token == NULL)
    {
      finish_poll (poll, error);
      return;
    }
  /* With the project Google reports this account's own figures (docs/upstream-cloudcode.md#fetchavailablemodels). */
  object = json_object_new ();
  project = ag_account_get_project_id (poll->account);
  if (project != NULL)
    json_object_set_string_member (object, "project", project);
  body = json_node_init_object (json_node_alloc (), object);
  g_free (poll->token);
  poll->token = g_strdup (token);
  ag_cloudcode_client_call_async (poll_client (poll), NULL, "fetchAvailableModels", token, body,
                                  poll->cancellable, models_fetched, poll);
}

void
ag_quota_poller_poll_account (AgQuotaPoller *self, AgAccount *account)
{
  Poll *poll;

  g_return_if_fail (AG_IS_QUOTA_POLLER (self));
  g_return_if_fail (AG_IS_ACCOUNT (account));

  if (g_hash_table_contains (self->polls, account))
    return;
  poll = g_new0 (Poll, 1);
  poll->poller = self;
  poll->account = g_object_ref (account);
  poll->cancellable = g_cancellable_new ();
  poll->lease = ag_account_lease_new (self->pool, self->oauth, ag_cloudcode_client_get_config (self->cloudcode),
                                      &(AgLeaseOptions) { .purpose = AG_LEASE_POLL, .account = account });
  g_hash_table_insert (self->polls, account, poll);
  ag_account_lease_acquire_async (poll->lease, poll->cancellable, token_ready, poll);
}

/* Signed-out or refused accounts are left alone: their token refresh would only fail again. */
static void
poll_range (AgQuotaPoller *self, guint position, guint count)
{
  for (guint i = position; i < position + count; i++)
    {
      g_autoptr(AgAccount) account = g_list_model_get_item (self->accounts, i);

      if (ag_account_get_state (account) == AG_ACCOUNT_STATE_VALID)
        ag_quota_poller_poll_account (self, account);
    }
}

static gboolean
poll_all (gpointer user_data)
{
  AgQuotaPoller *self = user_data;

  poll_range (self, 0, g_list_model_get_n_items (self->accounts));
  return G_SOURCE_CONTINUE;
}

/* The timer runs only while there is something to poll: an idle ag-cl without accounts never wakes up. */
static void
update_timer (AgQuotaPoller *self, gboolean restart)
{
  gboolean wanted = self->started && self->interval > 0 && g_list_model_get_n_items (self->accounts) > 0;

  if (self->timer_id != 0 && (!wanted || restart))
    g_clear_handle_id (&self->timer_id, g_source_remove);
  if (wanted && self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (self->interval, poll_all, self);
}

static gboolean
pool_contains (AgQuotaPoller *self, AgAccount *account)
{
  guint n = g_list_model_get_n_items (self->accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AgAccount) item = g_list_model_get_item (self->accounts, i);

      if (item == account)
        return TRUE;
    }
  return FALSE;
}

static void
accounts_changed (GListModel *accounts, guint position, guint removed, guint added, gpointer user_data)
{
  AgQuotaPoller *self = user_data;
  GHashTableIter iter;
  Poll *poll;

  if (removed > 0)
    {
      g_hash_table_iter_init (&iter, self->polls);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &poll))
        if (!pool_contains (self, poll->account))
          {
            detach_poll (poll);
            g_hash_table_iter_remove (&iter);
          }
    }
  if (self->started)
    poll_range (self, position, added);
  update_timer (self, FALSE);
}

static void
ag_quota_poller_dispose (GObject *object)
{
  AgQuotaPoller *self = AG_QUOTA_POLLER (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->polls != NULL)
    {
      GHashTableIter iter;
      Poll *poll;

      g_hash_table_iter_init (&iter, self->polls);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &poll))
        detach_poll (poll);
      g_hash_table_remove_all (self->polls);
    }
  g_clear_object (&self->accounts);
  g_clear_object (&self->pool);
  g_clear_object (&self->cloudcode);
  g_clear_object (&self->oauth);
  G_OBJECT_CLASS (ag_quota_poller_parent_class)->dispose (object);
}

static void
ag_quota_poller_finalize (GObject *object)
{
  AgQuotaPoller *self = AG_QUOTA_POLLER (object);

  g_hash_table_unref (self->polls);
  G_OBJECT_CLASS (ag_quota_poller_parent_class)->finalize (object);
}

static void
ag_quota_poller_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, AG_QUOTA_POLLER (object)->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_quota_poller_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_INTERVAL:
      ag_quota_poller_set_interval (AG_QUOTA_POLLER (object), g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_quota_poller_class_init (AgQuotaPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_quota_poller_dispose;
  object_class->finalize = ag_quota_poller_finalize;
  object_class->get_property = ag_quota_poller_get_property;
  object_class->set_property = ag_quota_poller_set_property;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT, AG_QUOTA_POLLER_DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_POLLED] =
    g_signal_new ("polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, AG_TYPE_ACCOUNT, G_TYPE_ERROR);
  /* The whole fetchAvailableModels answer of an account, for the model catalogue. */
  signals[SIGNAL_MODELS_FETCHED] =
    g_signal_new ("models-fetched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, AG_TYPE_ACCOUNT, JSON_TYPE_NODE);
  /* One reading of an account's 5-hour and weekly windows (a GPtrArray of AgQuotaWindow) at a Unix ms time, for
   * the history. */
  signals[SIGNAL_WINDOWS_SAMPLED] =
    g_signal_new ("windows-sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, AG_TYPE_ACCOUNT, G_TYPE_PTR_ARRAY, G_TYPE_INT64);
  /* One reading of one model's quota, for whoever keeps the history (the accounts room knows no store). */
  signals[SIGNAL_QUOTA_SAMPLED] =
    g_signal_new ("quota-sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, AG_TYPE_ACCOUNT, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_INT64, G_TYPE_INT64);
}

static void
ag_quota_poller_init (AgQuotaPoller *self)
{
  self->interval = AG_QUOTA_POLLER_DEFAULT_INTERVAL;
  self->polls = g_hash_table_new (NULL, NULL);
}

AgQuotaPoller *
ag_quota_poller_new (AgAccountPool *pool, AgCloudcodeClient *cloudcode, AgOAuthClient *oauth)
{
  AgQuotaPoller *self;

  g_return_val_if_fail (AG_IS_ACCOUNT_POOL (pool), NULL);
  g_return_val_if_fail (AG_IS_CLOUDCODE_CLIENT (cloudcode), NULL);
  g_return_val_if_fail (AG_IS_OAUTH_CLIENT (oauth), NULL);

  self = g_object_new (AG_TYPE_QUOTA_POLLER, NULL);
  self->pool = g_object_ref (pool);
  self->accounts = g_object_ref (ag_account_pool_get_accounts (pool));
  self->cloudcode = g_object_ref (cloudcode);
  self->oauth = g_object_ref (oauth);
  g_signal_connect (self->accounts, "items-changed", G_CALLBACK (accounts_changed), self);
  return self;
}

void
ag_quota_poller_start (AgQuotaPoller *self)
{
  g_return_if_fail (AG_IS_QUOTA_POLLER (self));

  if (self->started)
    return;
  self->started = TRUE;
  poll_all (self);
  update_timer (self, FALSE);
}

void
ag_quota_poller_set_interval (AgQuotaPoller *self, guint seconds)
{
  g_return_if_fail (AG_IS_QUOTA_POLLER (self));

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  update_timer (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
ag_quota_poller_get_interval (AgQuotaPoller *self)
{
  g_return_val_if_fail (AG_IS_QUOTA_POLLER (self), 0);
  return self->interval;
}

gboolean
ag_quota_poller_is_scheduled (AgQuotaPoller *self)
{
  g_return_val_if_fail (AG_IS_QUOTA_POLLER (self), FALSE);
  return self->timer_id != 0;
}
