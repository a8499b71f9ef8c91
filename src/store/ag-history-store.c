/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-history-store-private.h"

/* The object: its settings, its signals, and the writes it queues for the worker thread
 * (ag-history-store-worker.c); the reads are ag-history-store-queries.c's. */

#define DEFAULT_RETRY_INTERVAL_S 30

G_STATIC_ASSERT (AG_HISTORY_STORE_SCHEMA_VERSION == AG_HISTORY_DB_SCHEMA_VERSION);

G_DEFINE_FINAL_TYPE (AgHistoryStore, ag_history_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_ROWS,
  PROP_RETRY_INTERVAL,
  PROP_RETENTION_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REQUEST_ADDED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
ag_history_store_get_data_dir (void)
{
  const char *dir = g_getenv ("AGCL_DATA_DIR");

  if (dir != NULL && dir[0] != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_user_data_dir (), "ag-cl", NULL);
}

AgHistoryJob *
ag_history_job_new (AgHistoryJobKind kind)
{
  AgHistoryJob *job = g_new0 (AgHistoryJob, 1);

  job->kind = kind;
  return job;
}

void
ag_history_job_free (AgHistoryJob *job)
{
  ag_request_record_free (job->record);
  ag_quota_sample_free (job->sample);
  g_clear_pointer (&job->limits, g_ptr_array_unref);
  g_clear_pointer (&job->ended, g_ptr_array_unref);
  g_clear_pointer (&job->state, ag_account_state_row_free);
  g_free (job->account);
  g_free (job->model);
  g_free (job->edges);
  g_free (job);
}

void
ag_history_store_push_job (AgHistoryStore *self, AgHistoryJob *job)
{
  g_async_queue_push (self->jobs, job);
}

static void
event_free (AgHistoryEvent *event)
{
  g_free (event->message);
  g_clear_object (&event->task);
  if (event->result != NULL)
    event->result_free (event->result);
  g_clear_error (&event->error);
  g_free (event);
}

/* --- events from the worker, on the owner's main context --------------------------------------------------- */

static void
deliver_event (AgHistoryStore *self, AgHistoryEvent *event)
{
  switch (event->kind)
    {
    case AG_HISTORY_EVENT_REQUEST_ADDED:
      g_signal_emit (self, signals[SIGNAL_REQUEST_ADDED], 0, event->id);
      break;
    case AG_HISTORY_EVENT_FAILED:
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, event->message);
      break;
    case AG_HISTORY_EVENT_QUERY_DONE:
      if (event->result != NULL)
        g_task_return_pointer (event->task, g_steal_pointer (&event->result), event->result_free);
      else
        g_task_return_error (event->task, g_steal_pointer (&event->error));
      break;
    }
}

static gboolean
notify_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs notify_funcs = { .dispatch = notify_dispatch };

static gboolean
deliver_events (gpointer user_data)
{
  g_autoptr(AgHistoryStore) self = g_object_ref (user_data);

  for (;;)
    {
      AgHistoryEvent *event;

      g_mutex_lock (&self->events_lock);
      event = g_queue_pop_head (&self->events);
      g_mutex_unlock (&self->events_lock);
      if (event == NULL)
        break;
      deliver_event (self, event);
      event_free (event);
    }
  return G_SOURCE_CONTINUE;
}

static void
ag_history_store_dispose (GObject *object)
{
  AgHistoryStore *self = AG_HISTORY_STORE (object);

  if (self->thread != NULL)
    {
      /* The worker writes everything queued before it quits: nothing added is lost on a clean exit. */
      ag_history_store_push_job (self, ag_history_job_new (AG_HISTORY_JOB_QUIT));
      g_thread_join (g_steal_pointer (&self->thread));
    }
  if (self->notify != NULL)
    {
      g_source_destroy (self->notify);
      g_clear_pointer (&self->notify, g_source_unref);
    }
  G_OBJECT_CLASS (ag_history_store_parent_class)->dispose (object);
}

static void
ag_history_store_finalize (GObject *object)
{
  AgHistoryStore *self = AG_HISTORY_STORE (object);

  g_queue_clear_full (&self->events, (GDestroyNotify) event_free);
  g_object_unref (self->in_flight);
  g_mutex_clear (&self->events_lock);
  g_async_queue_unref (self->jobs);
  g_free (self->path);
  G_OBJECT_CLASS (ag_history_store_parent_class)->finalize (object);
}

static void
ag_history_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgHistoryStore *self = AG_HISTORY_STORE (object);

  switch (prop_id)
    {
    case PROP_MAX_ROWS:
      g_value_set_uint (value, ag_history_store_get_max_rows (self));
      break;
    case PROP_RETRY_INTERVAL:
      g_value_set_uint (value, g_atomic_int_get (&self->retry_interval));
      break;
    case PROP_RETENTION_DAYS:
      g_value_set_uint (value, ag_history_store_get_retention_days (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_history_store_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AgHistoryStore *self = AG_HISTORY_STORE (object);

  switch (prop_id)
    {
    case PROP_MAX_ROWS:
      ag_history_store_set_max_rows (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_INTERVAL:
      ag_history_store_set_retry_interval (self, g_value_get_uint (value));
      break;
    case PROP_RETENTION_DAYS:
      ag_history_store_set_retention_days (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_history_store_class_init (AgHistoryStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ag_history_store_dispose;
  object_class->finalize = ag_history_store_finalize;
  object_class->get_property = ag_history_store_get_property;
  object_class->set_property = ag_history_store_set_property;

  properties[PROP_MAX_ROWS] =
    g_param_spec_uint ("max-rows", NULL, NULL, 0, G_MAXUINT, AG_HISTORY_STORE_DEFAULT_MAX_ROWS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_INTERVAL] =
    g_param_spec_uint ("retry-interval", NULL, NULL, 0, G_MAXUINT, DEFAULT_RETRY_INTERVAL_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, G_MAXUINT, AG_HISTORY_STORE_DEFAULT_RETENTION_DAYS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REQUEST_ADDED] =
    g_signal_new ("request-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ag_history_store_init (AgHistoryStore *self)
{
  self->max_rows = AG_HISTORY_STORE_DEFAULT_MAX_ROWS;
  self->retry_interval = DEFAULT_RETRY_INTERVAL_S;
  self->retention_days = AG_HISTORY_STORE_DEFAULT_RETENTION_DAYS;
  self->jobs = g_async_queue_new ();
  self->in_flight = ag_requests_in_flight_new ();
  g_mutex_init (&self->events_lock);
  g_queue_init (&self->events);
}

AgHistoryStore *
ag_history_store_new (const char *path)
{
  AgHistoryStore *self = g_object_new (AG_TYPE_HISTORY_STORE, NULL);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  if (path != NULL)
    self->path = g_strdup (path);
  else
    {
      g_autofree char *dir = ag_history_store_get_data_dir ();

      self->path = g_build_filename (dir, "history.db", NULL);
    }
  self->notify = g_source_new (&notify_funcs, sizeof (GSource));
  g_source_set_static_name (self->notify, "AgHistoryStore events");
  g_source_set_callback (self->notify, deliver_events, self, NULL);
  g_source_attach (self->notify, context);
  self->thread = g_thread_new ("ag-history", ag_history_store_worker_main, self);
  return self;
}

const char *
ag_history_store_get_path (AgHistoryStore *self)
{
  g_return_val_if_fail (AG_IS_HISTORY_STORE (self), NULL);
  return self->path;
}

/* Sets the setting behind @prop_id; a new bound on what is kept trims and prunes at once. */
static void
set_setting (AgHistoryStore *self, guint prop_id, guint *field, guint value)
{
  if ((guint) g_atomic_int_get (field) == value)
    return;
  g_atomic_int_set (field, value);
  if (prop_id != PROP_RETRY_INTERVAL)
    ag_history_store_push_job (self, ag_history_job_new (AG_HISTORY_JOB_TRIM));
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
ag_history_store_set_max_rows (AgHistoryStore *self, guint max_rows)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  set_setting (self, PROP_MAX_ROWS, &self->max_rows, max_rows);
}

guint
ag_history_store_get_max_rows (AgHistoryStore *self)
{
  g_return_val_if_fail (AG_IS_HISTORY_STORE (self), 0);
  return g_atomic_int_get (&self->max_rows);
}

void
ag_history_store_set_retry_interval (AgHistoryStore *self, guint seconds)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  set_setting (self, PROP_RETRY_INTERVAL, &self->retry_interval, seconds);
}

void
ag_history_store_set_retention_days (AgHistoryStore *self, guint days)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  set_setting (self, PROP_RETENTION_DAYS, &self->retention_days, days);
}

guint
ag_history_store_get_retention_days (AgHistoryStore *self)
{
  g_return_val_if_fail (AG_IS_HISTORY_STORE (self), 0);
  return g_atomic_int_get (&self->retention_days);
}

guint
ag_history_store_get_dropped (AgHistoryStore *self)
{
  g_return_val_if_fail (AG_IS_HISTORY_STORE (self), 0);
  return g_atomic_int_get (&self->dropped);
}

AgRequestsInFlight *
ag_history_store_get_in_flight (AgHistoryStore *self)
{
  return self->in_flight;
}

void
ag_history_store_add_request (AgHistoryStore *self, AgRequestRecord *record)
{
  AgHistoryJob *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (record != NULL);

  job = ag_history_job_new (AG_HISTORY_JOB_ADD_REQUEST);
  job->record = record;
  ag_history_store_push_job (self, job);
}

void
ag_history_store_add_quota_sample (AgHistoryStore *self, const char *account, const char *model,
                                   double remaining_fraction, gint64 reset_ms, gint64 time_ms)
{
  AgHistoryJob *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (account != NULL && model != NULL);

  job = ag_history_job_new (AG_HISTORY_JOB_ADD_QUOTA);
  job->sample = ag_quota_sample_new (time_ms, account, model, remaining_fraction, reset_ms);
  ag_history_store_push_job (self, job);
}

static void
on_quota_sampled (AgQuotaPoller *poller, AgAccount *account, const char *model, double fraction, gint64 reset_ms,
                  gint64 time_ms, gpointer user_data)
{
  ag_history_store_add_quota_sample (AG_HISTORY_STORE (user_data), ag_account_get_email (account), model, fraction,
                                     reset_ms, time_ms);
}

void
ag_history_store_add_quota_windows (AgHistoryStore *self, const char *account, GPtrArray *windows, gint64 time_ms)
{
  AgHistoryJob *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  if (windows == NULL || windows->len == 0)
    return;
  job = ag_history_job_new (AG_HISTORY_JOB_ADD_WINDOWS);
  job->account = g_strdup (account);
  job->limits = g_ptr_array_ref (windows);
  job->time_ms = time_ms;
  ag_history_store_push_job (self, job);
}

static void
on_windows_sampled (AgQuotaPoller *poller, AgAccount *account, GPtrArray *windows, gint64 time_ms,
                    gpointer user_data)
{
  ag_history_store_add_quota_windows (AG_HISTORY_STORE (user_data), ag_account_get_email (account), windows, time_ms);
}

void
ag_history_store_follow_quota (AgHistoryStore *self, AgQuotaPoller *poller)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (AG_IS_QUOTA_POLLER (poller));

  g_signal_connect_object (poller, "quota-sampled", G_CALLBACK (on_quota_sampled), self, 0);
  g_signal_connect_object (poller, "windows-sampled", G_CALLBACK (on_windows_sampled), self, 0);
}

void
ag_history_store_save_limits (AgHistoryStore *self, GPtrArray *limits, GPtrArray *ended)
{
  AgHistoryJob *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  job = ag_history_job_new (AG_HISTORY_JOB_SAVE_LIMITS);
  job->limits = limits != NULL ? g_ptr_array_ref (limits) : NULL;
  job->ended = ended != NULL ? g_ptr_array_ref (ended) : NULL;
  ag_history_store_push_job (self, job);
}

void
ag_history_store_save_account_state (AgHistoryStore *self, const AgAccountStateRow *row)
{
  AgHistoryJob *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (row != NULL);

  job = ag_history_job_new (AG_HISTORY_JOB_SAVE_ACCOUNT_STATE);
  job->state = ag_account_state_row_copy (row);
  ag_history_store_push_job (self, job);
}
