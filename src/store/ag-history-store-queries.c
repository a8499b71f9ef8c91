// SPDX-License-Identifier: GPL-3.0-or-later
#include "ag-history-store-private.h"

/* The reads of AgHistoryStore. Each kind of query is one row of a table (what it runs on the worker's connection,
 * how its answer is freed); every public _async copies its arguments into a job and queues it behind the writes
 * already queued, so a query sees every row added before it. The answer comes back as an event on the owner's
 * main context (ag-history-store.c). */

static gpointer
run_requests (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error)
{
  return ag_history_db_query_requests (db, args->limit, args->since_ms, error);
}

static gpointer
run_quota (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error)
{
  return ag_history_db_query_quota (db, args->account, args->model, args->since_ms, args->until_ms, error);
}

static gpointer
run_usage (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error)
{
  return ag_history_db_query_usage (db, args->edges, args->n_edges, args->grouping, error);
}

static gpointer
run_load_limits (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error)
{
  return ag_history_db_load_limits (db, args->since_ms, error);
}

static gpointer
run_quota_windows (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error)
{
  return ag_quota_window_db_query (db, args->account, args->since_ms, error);
}

static gpointer
run_load_account_states (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error)
{
  return ag_account_state_db_load (db, error);
}

#define ROWS (GDestroyNotify) g_ptr_array_unref

typedef enum {
  QUERY_REQUESTS,
  QUERY_QUOTA,
  QUERY_USAGE,
  QUERY_QUOTA_WINDOWS,
  LOAD_LIMITS,
  LOAD_ACCOUNT_STATES,
} QueryId;

static const AgHistoryQueryKind queries[] = {
  [QUERY_REQUESTS] = { run_requests, ROWS, ag_history_store_query_requests_async },
  [QUERY_QUOTA] = { run_quota, ROWS, ag_history_store_query_quota_async },
  [QUERY_USAGE] = { run_usage, (GDestroyNotify) ag_usage_report_free, ag_history_store_query_usage_async },
  [QUERY_QUOTA_WINDOWS] = { run_quota_windows, ROWS, ag_history_store_query_quota_windows_async },
  [LOAD_LIMITS] = { run_load_limits, ROWS, ag_history_store_load_limits_async },
  [LOAD_ACCOUNT_STATES] = { run_load_account_states, ROWS, ag_history_store_load_account_states_async },
};

/* Queues query @id with a copy of @args; the answer completes a GTask on the caller's thread-default context. */
static void
queue_query (AgHistoryStore           *self,
             QueryId                   id,
             const AgHistoryQueryArgs *args,
             GCancellable             *cancellable,
             GAsyncReadyCallback       callback,
             gpointer                  user_data)
{
  AgHistoryJob *job = ag_history_job_new (AG_HISTORY_JOB_QUERY);

  job->query = &queries[id];
  job->args = *args;
  job->args.account = job->account = g_strdup (args->account);
  job->args.model = job->model = g_strdup (args->model);
  job->args.edges = job->edges = g_memdup2 (args->edges, sizeof (gint64) * args->n_edges);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, queries[id].source_tag);
  ag_history_store_push_job (self, job);
}

static gpointer
finish_query (AgHistoryStore *self, QueryId id, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == queries[id].source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_history_store_query_requests_async (AgHistoryStore     *self,
                                       guint               limit,
                                       gint64              since_ms,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  queue_query (self, QUERY_REQUESTS, &(AgHistoryQueryArgs) { .limit = limit, .since_ms = since_ms },
               cancellable, callback, user_data);
}

GPtrArray *
ag_history_store_query_requests_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  return finish_query (self, QUERY_REQUESTS, result, error);
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
  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  queue_query (self, QUERY_QUOTA,
               &(AgHistoryQueryArgs) { .account = account, .model = model, .since_ms = since_ms,
                                       .until_ms = until_ms },
               cancellable, callback, user_data);
}

GPtrArray *
ag_history_store_query_quota_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  return finish_query (self, QUERY_QUOTA, result, error);
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
  g_return_if_fail (AG_IS_HISTORY_STORE (self));
  g_return_if_fail (edges != NULL && n_edges >= 2);

  queue_query (self, QUERY_USAGE,
               &(AgHistoryQueryArgs) { .edges = edges, .n_edges = n_edges, .grouping = grouping },
               cancellable, callback, user_data);
}

AgUsageReport *
ag_history_store_query_usage_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  return finish_query (self, QUERY_USAGE, result, error);
}

void
ag_history_store_load_limits_async (AgHistoryStore     *self,
                                    gint64              now_ms,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  queue_query (self, LOAD_LIMITS, &(AgHistoryQueryArgs) { .since_ms = now_ms }, cancellable, callback, user_data);
}

GPtrArray *
ag_history_store_load_limits_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  return finish_query (self, LOAD_LIMITS, result, error);
}

void
ag_history_store_query_quota_windows_async (AgHistoryStore     *self,
                                            const char         *account,
                                            gint64              since_ms,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  queue_query (self, QUERY_QUOTA_WINDOWS, &(AgHistoryQueryArgs) { .account = account, .since_ms = since_ms },
               cancellable, callback, user_data);
}

GPtrArray *
ag_history_store_query_quota_windows_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  return finish_query (self, QUERY_QUOTA_WINDOWS, result, error);
}

void
ag_history_store_load_account_states_async (AgHistoryStore     *self,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  g_return_if_fail (AG_IS_HISTORY_STORE (self));

  queue_query (self, LOAD_ACCOUNT_STATES, &(AgHistoryQueryArgs) { 0 }, cancellable, callback, user_data);
}

GPtrArray *
ag_history_store_load_account_states_finish (AgHistoryStore *self, GAsyncResult *result, GError **error)
{
  return finish_query (self, LOAD_ACCOUNT_STATES, result, error);
}
