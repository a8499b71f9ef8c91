/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-history-store.h"

#include "ag-history-db.h"

/* This file is the thread, its job queue and the events back to the owner's main context; what the database holds
 * and how it is read and written is ag-history-db.c's. */

/* Rows written per transaction at most: one commit per burst instead of one per row. */
#define MAX_BATCH 512
#define DEFAULT_RETRY_INTERVAL_S 30

G_STATIC_ASSERT (AG_HISTORY_STORE_SCHEMA_VERSION == AG_HISTORY_DB_SCHEMA_VERSION);

typedef enum {
  JOB_ADD_REQUEST,
  JOB_ADD_QUOTA,
  JOB_TRIM,
  JOB_SAVE_LIMITS,
  JOB_QUERY_REQUESTS,
  JOB_QUERY_QUOTA,
  JOB_QUERY_USAGE,
  JOB_LOAD_LIMITS,
  JOB_QUIT,
} JobKind;

typedef struct {
  guint  limit;
  gint64 since_ms;
  gint64 until_ms;
  char  *account;
  char  *model;
  GArray *edges;               /* usage: gint64 bucket edges */
  AgUsageGrouping grouping;
} QueryParams;

typedef struct {
  JobKind          kind;
  AgRequestRecord *record;
  AgQuotaSample   *sample;
  GPtrArray       *limits;  /* JOB_SAVE_LIMITS: in force, and ended early (AgRateLimit) */
  GPtrArray       *ended;
  GTask           *task;    /* queries; only ever referenced or unreferenced on the main thread */
} Job;

/* What the worker hands back to the main thread. */
typedef enum {
  EVENT_REQUEST_ADDED,
  EVENT_FAILED,
  EVENT_QUERY_DONE,
} EventKind;

typedef struct {
  EventKind  kind;
  gint64     id;
  char      *message;
  GTask     *task;
  gpointer   result;           /* a query's answer: a GPtrArray of rows, or an AgUsageReport */
  GDestroyNotify result_free;
  GError    *error;
} Event;

/* State only the worker thread touches. */
typedef struct {
  AgHistoryDb *db;
  gint64       failed_at_us;   /* monotonic time of the last failure; reopening waits retry-interval after it */
  char        *last_error;     /* the last error reported, so each distinct one is reported once */
  char        *unavailable;    /* why there is no database right now */
} Worker;

struct _AgHistoryStore
{
  GObject parent_instance;

  char         *path;
  guint         max_rows;        /* atomic */
  guint         retention_days;  /* atomic */
  guint         retry_interval;  /* atomic, seconds */
  guint         dropped;         /* atomic */
  GAsyncQueue  *jobs;
  GThread      *thread;

  AgRequestsInFlight *in_flight;

  GMutex        events_lock;
  GQueue        events;
  GSource      *notify;          /* made ready by the worker, dispatches events on the owner's context */
};

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

static void
query_params_free (QueryParams *params)
{
  g_free (params->account);
  g_free (params->model);
  g_clear_pointer (&params->edges, g_array_unref);
  g_free (params);
}

static Job *
job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  return job;
}

static void
job_free (Job *job)
{
  ag_request_record_free (job->record);
  ag_quota_sample_free (job->sample);
  g_clear_pointer (&job->limits, g_ptr_array_unref);
  g_clear_pointer (&job->ended, g_ptr_array_unref);
  g_free (job);
}

static void
event_free (Event *event)
{
  g_free (event->message);
  g_clear_object (&event->task);
  if (event->result != NULL)
    event->result_free (event->result);
  g_clear_error (&event->error);
  g_free (event);
}

/* --- worker thread ------------------------------------------------------------------------------------------ */

static void
post_event (AgHistoryStore *self, Event *event)
{
  g_mutex_lock (&self->events_lock);
  g_queue_push_tail (&self->events, event);
  g_mutex_unlock (&self->events_lock);
  g_source_set_ready_time (self->notify, 0);
}

static void
report_failure (AgHistoryStore *self, Worker *worker, const char *message)
{
  Event *event;

  if (g_strcmp0 (worker->last_error, message) == 0)
    return;
  g_free (worker->last_error);
  worker->last_error = g_strdup (message);
  event = g_new0 (Event, 1);
  event->kind = EVENT_FAILED;
  event->message = g_strdup (message);
  post_event (self, event);
}

static void
close_database (Worker *worker)
{
  g_clear_pointer (&worker->db, ag_history_db_close);
}

static void
mark_unavailable (AgHistoryStore *self, Worker *worker, const char *message)
{
  close_database (worker);
  g_free (worker->unavailable);
  worker->unavailable = g_strdup (message);
  worker->failed_at_us = g_get_monotonic_time ();
  report_failure (self, worker, message);
}

static void
ensure_open (AgHistoryStore *self, Worker *worker)
{
  gint64 retry_us = (gint64) g_atomic_int_get (&self->retry_interval) * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  if (worker->db != NULL || (worker->failed_at_us != 0 && g_get_monotonic_time () < worker->failed_at_us + retry_us))
    return;
  worker->db = ag_history_db_open (self->path, &error);
  if (worker->db != NULL)
    g_clear_pointer (&worker->unavailable, g_free);
  else
    mark_unavailable (self, worker, error->message);
}

static gboolean
is_write (Job *job)
{
  return job->kind == JOB_ADD_REQUEST || job->kind == JOB_ADD_QUOTA || job->kind == JOB_TRIM ||
         job->kind == JOB_SAVE_LIMITS;
}

static gboolean
write_job (Worker *worker, Job *job, GError **error)
{
  switch (job->kind)
    {
    case JOB_ADD_REQUEST:
      return ag_history_db_insert_request (worker->db, job->record, error);
    case JOB_ADD_QUOTA:
      return ag_history_db_insert_quota_sample (worker->db, job->sample, error);
    case JOB_SAVE_LIMITS:
      return ag_history_db_save_limits (worker->db, job->limits, job->ended, error);
    default:
      return TRUE;
    }
}

/* Writes @first and every write queued behind it in one transaction, then tells the main thread. A failure
 * drops the whole batch (the transaction is rolled back) and closes the database until the retry. */
static void
write_batch (AgHistoryStore *self, Worker *worker, Job *first)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  g_autoptr(GError) error = NULL;
  gboolean ok;
  gboolean prune_now = first->kind == JOB_TRIM;
  Job *next;

  g_ptr_array_add (batch, first);
  while (batch->len < MAX_BATCH && (next = g_async_queue_try_pop (self->jobs)) != NULL)
    {
      if (!is_write (next))
        {
          g_async_queue_push_front (self->jobs, next);
          break;
        }
      prune_now = prune_now || next->kind == JOB_TRIM;
      g_ptr_array_add (batch, next);
    }

  ok = worker->db != NULL && ag_history_db_begin (worker->db, &error);
  for (guint i = 0; ok && i < batch->len; i++)
    ok = write_job (worker, g_ptr_array_index (batch, i), &error);
  ok = ok && ag_history_db_trim_requests (worker->db, g_atomic_int_get (&self->max_rows), &error) &&
       ag_history_db_prune (worker->db, g_get_real_time () / 1000, g_atomic_int_get (&self->retention_days),
                            prune_now, &error) &&
       ag_history_db_commit (worker->db, &error);

  if (!ok)
    {
      for (guint i = 0; i < batch->len; i++)
        if (((Job *) g_ptr_array_index (batch, i))->kind != JOB_TRIM &&
            ((Job *) g_ptr_array_index (batch, i))->kind != JOB_SAVE_LIMITS)
          g_atomic_int_inc (&self->dropped);
      if (worker->db != NULL)
        {
          g_autofree char *message = g_strdup_printf ("cannot write the request history %s: %s", self->path,
                                                      error->message);

          ag_history_db_rollback (worker->db);
          mark_unavailable (self, worker, message);
        }
      return;
    }
  g_clear_pointer (&worker->last_error, g_free);
  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);
      Event *event;

      if (job->kind != JOB_ADD_REQUEST)
        continue;
      event = g_new0 (Event, 1);
      event->kind = EVENT_REQUEST_ADDED;
      event->id = job->record->id;
      post_event (self, event);
    }
}

static gpointer
run_query (Worker *worker, JobKind kind, QueryParams *params, GDestroyNotify *result_free, GError **error)
{
  if (worker->db == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   worker->unavailable != NULL ? worker->unavailable : "the request history is not open");
      return NULL;
    }
  *result_free = (GDestroyNotify) g_ptr_array_unref;
  switch (kind)
    {
    case JOB_QUERY_REQUESTS:
      return ag_history_db_query_requests (worker->db, params->limit, params->since_ms, error);
    case JOB_LOAD_LIMITS:
      return ag_history_db_load_limits (worker->db, params->since_ms, error);
    case JOB_QUERY_USAGE:
      *result_free = (GDestroyNotify) ag_usage_report_free;
      return ag_history_db_query_usage (worker->db, (gint64 *) params->edges->data, params->edges->len,
                                        params->grouping, error);
    default:
      return ag_history_db_query_quota (worker->db, params->account, params->model, params->since_ms,
                                        params->until_ms, error);
    }
}

static void
answer_query (AgHistoryStore *self, Worker *worker, Job *job)
{
  Event *event = g_new0 (Event, 1);

  event->kind = EVENT_QUERY_DONE;
  event->task = g_steal_pointer (&job->task);
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (event->task), &event->error))
    event->result = run_query (worker, job->kind, g_task_get_task_data (event->task), &event->result_free,
                               &event->error);
  post_event (self, event);
  job_free (job);
}

static gpointer
worker_main (gpointer data)
{
  AgHistoryStore *self = data;
  Worker worker = { 0 };

  ensure_open (self, &worker);
  for (;;)
    {
      Job *job = g_async_queue_pop (self->jobs);

      if (job->kind == JOB_QUIT)
        {
          job_free (job);
          break;
        }
      ensure_open (self, &worker);
      if (is_write (job))
        write_batch (self, &worker, job);
      else
        answer_query (self, &worker, job);
    }
  close_database (&worker);
  g_free (worker.last_error);
  g_free (worker.unavailable);
  return NULL;
}

/* --- main thread -------------------------------------------------------------------------------------------- */

static void
deliver_event (AgHistoryStore *self, Event *event)
{
  switch (event->kind)
    {
    case EVENT_REQUEST_ADDED:
      g_signal_emit (self, signals[SIGNAL_REQUEST_ADDED], 0, event->id);
      break;
    case EVENT_FAILED:
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, event->message);
      break;
    case EVENT_QUERY_DONE:
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
      Event *event;

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
push_job (AgHistoryStore *self, Job *job)
{
  g_async_queue_push (self->jobs, job);
}

static void
ag_history_store_dispose (GObject *object)
{
  AgHistoryStore *self = AG_HISTORY_STORE (object);

  if (self->thread != NULL)
    {
      /* The worker writes everything queued before it quits: nothing added is lost on a clean exit. */
      push_job (self, job_new (JOB_QUIT));
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
  self->thread = g_thread_new ("ag-history", worker_main, self);
  return self;
}

const char *
ag_history_store_get_path (AgHistoryStore *self)
{
  g_return_val_if_fail (AG_IS_HISTORY_STORE (self), NULL);
  return self->path;
}

void
ag_history_store_set_max_rows (AgHistoryStore *self, guint max_rows)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  if ((guint) g_atomic_int_get (&self->max_rows) == max_rows)
    return;
  g_atomic_int_set (&self->max_rows, max_rows);
  push_job (self, job_new (JOB_TRIM));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ROWS]);
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
  if ((guint) g_atomic_int_get (&self->retry_interval) == seconds)
    return;
  g_atomic_int_set (&self->retry_interval, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_INTERVAL]);
}

void
ag_history_store_set_retention_days (AgHistoryStore *self, guint days)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  if ((guint) g_atomic_int_get (&self->retention_days) == days)
    return;
  g_atomic_int_set (&self->retention_days, days);
  push_job (self, job_new (JOB_TRIM));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETENTION_DAYS]);
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
  Job *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (record != NULL);

  job = job_new (JOB_ADD_REQUEST);
  job->record = record;
  push_job (self, job);
}

void
ag_history_store_add_quota_sample (AgHistoryStore *self, const char *account, const char *model,
                                   double remaining_fraction, gint64 reset_ms, gint64 time_ms)
{
  Job *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (account != NULL && model != NULL);

  job = job_new (JOB_ADD_QUOTA);
  job->sample = ag_quota_sample_new (time_ms, account, model, remaining_fraction, reset_ms);
  push_job (self, job);
}

static void
on_quota_sampled (AgQuotaPoller *poller, AgAccount *account, const char *model, double fraction, gint64 reset_ms,
                  gint64 time_ms, gpointer user_data)
{
  ag_history_store_add_quota_sample (AG_HISTORY_STORE (user_data), ag_account_get_email (account), model, fraction,
                                     reset_ms, time_ms);
}

void
ag_history_store_follow_quota (AgHistoryStore *self, AgQuotaPoller *poller)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (AG_IS_QUOTA_POLLER (poller));

  g_signal_connect_object (poller, "quota-sampled", G_CALLBACK (on_quota_sampled), self, 0);
}

static void
queue_query (AgHistoryStore *self, JobKind kind, QueryParams *params, gpointer source_tag,
             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = job_new (kind);

  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_task_set_task_data (job->task, params, (GDestroyNotify) query_params_free);
  push_job (self, job);
}

void
ag_history_store_query_requests_async (AgHistoryStore     *self,
                                       guint               limit,
                                       gint64              since_ms,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  QueryParams *params;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  params = g_new0 (QueryParams, 1);
  params->limit = limit;
  params->since_ms = since_ms;
  queue_query (self, JOB_QUERY_REQUESTS, params, ag_history_store_query_requests_async, cancellable, callback,
               user_data);
}

GPtrArray *
ag_history_store_query_requests_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_history_store_query_quota_async (AgHistoryStore     *self,
                                    const char         *account,
                                    const char         *model,
                                    gint64              since_ms,
                                    gint64              until_ms,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  QueryParams *params;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  params = g_new0 (QueryParams, 1);
  params->account = g_strdup (account);
  params->model = g_strdup (model);
  params->since_ms = since_ms;
  params->until_ms = until_ms;
  queue_query (self, JOB_QUERY_QUOTA, params, ag_history_store_query_quota_async, cancellable, callback,
               user_data);
}

GPtrArray *
ag_history_store_query_quota_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_history_store_query_usage_async (AgHistoryStore     *self,
                                    const gint64       *edges,
                                    guint               n_edges,
                                    AgUsageGrouping     grouping,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  QueryParams *params;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (edges != NULL && n_edges >= 2);

  params = g_new0 (QueryParams, 1);
  params->edges = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_edges);
  g_array_append_vals (params->edges, edges, n_edges);
  params->grouping = grouping;
  queue_query (self, JOB_QUERY_USAGE, params, ag_history_store_query_usage_async, cancellable, callback,
               user_data);
}

AgUsageReport *
ag_history_store_query_usage_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_history_store_save_limits (AgHistoryStore *self, GPtrArray *limits, GPtrArray *ended)
{
  Job *job;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  job = job_new (JOB_SAVE_LIMITS);
  job->limits = limits != NULL ? g_ptr_array_ref (limits) : NULL;
  job->ended = ended != NULL ? g_ptr_array_ref (ended) : NULL;
  push_job (self, job);
}

void
ag_history_store_load_limits_async (AgHistoryStore     *self,
                                    gint64              now_ms,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  QueryParams *params;

  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  params = g_new0 (QueryParams, 1);
  params->since_ms = now_ms;
  queue_query (self, JOB_LOAD_LIMITS, params, ag_history_store_load_limits_async, cancellable, callback, user_data);
}

GPtrArray *
ag_history_store_load_limits_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ag_history_store_load_limits_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
