// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-history-store-private.h"

/* The worker thread of AgHistoryStore: the only place the connection is used. Writes are batched into one
 * transaction; a failure closes the database until the retry interval has passed, and meanwhile writes are
 * dropped (and counted) and queries fail with the reason. What the database holds is ag-history-db.c's. */

/* Rows written per transaction at most: one commit per burst instead of one per row. */
#define MAX_BATCH 512

/* Under load a commit costs more than the rows it holds (WAL append, locks, a wake-up of the main thread per
 * commit): when the last commit is less than this old, the worker sleeps this long before gathering a batch, so
 * the writes of that time share one commit (sleeping rather than waiting on the queue: a waiting worker would be
 * woken by every row). A query behind them waits as long at most; when idle, a write is committed at once. */
#define COALESCE_US (20 * 1000)

/* State only the worker thread touches. */
typedef struct {
  AgHistoryDb *db;
  gint64       failed_at_us;   /* monotonic time of the last failure; reopening waits retry-interval after it */
  char        *last_error;     /* the last error reported, so each distinct one is reported once */
  char        *unavailable;    /* why there is no database right now */
  gint64       committed_at_us; /* monotonic time the last batch was written */
} Worker;

static void
post_event (AgHistoryStore *self, AgHistoryEvent *event)
{
  g_mutex_lock (&self->events_lock);
  g_queue_push_tail (&self->events, event);
  g_mutex_unlock (&self->events_lock);
  g_source_set_ready_time (self->notify, 0);
}

static AgHistoryEvent *
event_new (AgHistoryEventKind kind)
{
  AgHistoryEvent *event = g_new0 (AgHistoryEvent, 1);

  event->kind = kind;
  return event;
}

static void
report_failure (AgHistoryStore *self, Worker *worker, const char *message)
{
  AgHistoryEvent *event;

  if (g_strcmp0 (worker->last_error, message) == 0)
    return;
  g_free (worker->last_error);
  worker->last_error = g_strdup (message);
  event = event_new (AG_HISTORY_EVENT_FAILED);
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
is_write (AgHistoryJob *job)
{
  return job->kind != AG_HISTORY_JOB_QUERY && job->kind != AG_HISTORY_JOB_QUIT;
}

/* Whether @job adds a row to the request log or the quota history: those are what "dropped" counts. */
static gboolean
is_row (AgHistoryJob *job)
{
  return job->kind == AG_HISTORY_JOB_ADD_REQUEST || job->kind == AG_HISTORY_JOB_ADD_QUOTA ||
         job->kind == AG_HISTORY_JOB_ADD_WINDOWS;
}

static gboolean
write_job (Worker *worker, AgHistoryJob *job, GError **error)
{
  switch (job->kind)
    {
    case AG_HISTORY_JOB_ADD_REQUEST:
      return ag_history_db_insert_request (worker->db, job->record, error);
    case AG_HISTORY_JOB_ADD_QUOTA:
      return ag_history_db_insert_quota_sample (worker->db, job->sample, error);
    case AG_HISTORY_JOB_SAVE_LIMITS:
      return ag_history_db_save_limits (worker->db, job->limits, job->ended, error);
    case AG_HISTORY_JOB_SAVE_ACCOUNT_STATE:
      return ag_account_state_db_save (worker->db, job->state, error);
    case AG_HISTORY_JOB_ADD_WINDOWS:
      return ag_quota_window_db_insert (worker->db, job->account, job->limits, job->time_ms, error);
    default:
      return TRUE;
    }
}

/* Writes @first and every write queued behind it (under load, also those arriving within COALESCE_US) in one
 * transaction, then tells the main thread. A failure drops the whole batch (the transaction is rolled back) and
 * closes the database until the retry. */
static void
write_batch (AgHistoryStore *self, Worker *worker, AgHistoryJob *first)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_history_job_free);
  g_autoptr(GError) error = NULL;
  gboolean ok;
  gboolean prune_now = first->kind == AG_HISTORY_JOB_TRIM;
  AgHistoryJob *next;

  if (g_get_monotonic_time () - worker->committed_at_us < COALESCE_US)
    g_usleep (COALESCE_US);
  g_ptr_array_add (batch, first);
  while (batch->len < MAX_BATCH && (next = g_async_queue_try_pop (self->jobs)) != NULL)
    {
      if (!is_write (next))
        {
          g_async_queue_push_front (self->jobs, next);
          break;
        }
      prune_now = prune_now || next->kind == AG_HISTORY_JOB_TRIM;
      g_ptr_array_add (batch, next);
    }

  ok = worker->db != NULL && ag_history_db_begin (worker->db, &error);
  for (guint i = 0; ok && i < batch->len; i++)
    ok = write_job (worker, g_ptr_array_index (batch, i), &error);
  ok = ok && ag_history_db_trim_requests (worker->db, g_atomic_int_get (&self->max_rows), &error) &&
       ag_history_db_prune (worker->db, g_get_real_time () / 1000, g_atomic_int_get (&self->retention_days),
                            prune_now, &error) &&
       ag_history_db_commit (worker->db, &error);
  worker->committed_at_us = g_get_monotonic_time ();

  if (!ok)
    {
      for (guint i = 0; i < batch->len; i++)
        if (is_row (g_ptr_array_index (batch, i)))
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
      AgHistoryJob *job = g_ptr_array_index (batch, i);
      AgHistoryEvent *event;

      if (job->kind != AG_HISTORY_JOB_ADD_REQUEST)
        continue;
      event = event_new (AG_HISTORY_EVENT_REQUEST_ADDED);
      event->id = job->record->id;
      post_event (self, event);
    }
}

static gpointer
run_query (Worker *worker, AgHistoryJob *job, GError **error)
{
  if (worker->db == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   worker->unavailable != NULL ? worker->unavailable : "the request history is not open");
      return NULL;
    }
  return job->query->run (worker->db, &job->args, error);
}

static void
answer_query (AgHistoryStore *self, Worker *worker, AgHistoryJob *job)
{
  AgHistoryEvent *event = event_new (AG_HISTORY_EVENT_QUERY_DONE);

  event->task = g_steal_pointer (&job->task);
  event->result_free = job->query->free_result;
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (event->task), &event->error))
    event->result = run_query (worker, job, &event->error);
  post_event (self, event);
  ag_history_job_free (job);
}

gpointer
ag_history_store_worker_main (gpointer data)
{
  AgHistoryStore *self = data;
  Worker worker = { 0 };

  ensure_open (self, &worker);
  for (;;)
    {
      AgHistoryJob *job = g_async_queue_pop (self->jobs);

      if (job->kind == AG_HISTORY_JOB_QUIT)
        {
          ag_history_job_free (job);
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
