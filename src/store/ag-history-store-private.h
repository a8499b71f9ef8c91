// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-history-store-private.h — what the three parts of AgHistoryStore share: ag-history-store.c is the object, its
 * settings and its writes; ag-history-store-worker.c the thread that owns the connection; ag-history-store-queries.c
 * the reads. Jobs go from the main thread to the worker, events come back. */
#pragma once

#include "ag-history-db.h"
#include "ag-history-store.h"

G_BEGIN_DECLS

/* A query's arguments, by value; each kind reads the ones it needs. */
typedef struct {
  guint           limit;
  gint64          since_ms;
  gint64          until_ms;
  const char     *account;
  const char     *model;
  const gint64   *edges;     /* usage: bucket edges */
  guint           n_edges;
  AgUsageGrouping grouping;
} AgHistoryQueryArgs;

/* One kind of query: what it reads on the worker's connection, how its answer is freed, and the public _async
 * function it comes from (the GTask's source tag). */
typedef struct {
  gpointer      (*run) (AgHistoryDb *db, const AgHistoryQueryArgs *args, GError **error);
  GDestroyNotify  free_result;
  gpointer        source_tag;
} AgHistoryQueryKind;

typedef enum {
  AG_HISTORY_JOB_ADD_REQUEST,
  AG_HISTORY_JOB_ADD_QUOTA,
  AG_HISTORY_JOB_ADD_WINDOWS,
  AG_HISTORY_JOB_SAVE_LIMITS,
  AG_HISTORY_JOB_SAVE_ACCOUNT_STATE,
  AG_HISTORY_JOB_TRIM,
  AG_HISTORY_JOB_QUERY,
  AG_HISTORY_JOB_QUIT,
} AgHistoryJobKind;

typedef struct {
  AgHistoryJobKind   kind;
  AgRequestRecord   *record;
  AgQuotaSample     *sample;
  GPtrArray         *limits;   /* SAVE_LIMITS: in force, and ended early (AgRateLimit); ADD_WINDOWS: AgQuotaWindow */
  GPtrArray         *ended;
  AgAccountStateRow *state;
  char              *account;  /* ADD_WINDOWS: whose windows, read when (time_ms); a query: args.account */
  gint64             time_ms;

  const AgHistoryQueryKind *query;
  AgHistoryQueryArgs args;     /* its strings and edges point into the copies below */
  char              *model;
  gint64            *edges;
  GTask             *task;     /* only ever referenced or unreferenced on the main thread */
} AgHistoryJob;

/* What the worker hands back to the main thread. */
typedef enum {
  AG_HISTORY_EVENT_REQUEST_ADDED,
  AG_HISTORY_EVENT_FAILED,
  AG_HISTORY_EVENT_QUERY_DONE,
} AgHistoryEventKind;

typedef struct {
  AgHistoryEventKind kind;
  gint64             id;
  char              *message;
  GTask             *task;
  gpointer           result;     /* a query's answer */
  GDestroyNotify     result_free;
  GError            *error;
} AgHistoryEvent;

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

AgHistoryJob *ag_history_job_new (AgHistoryJobKind kind);
void          ag_history_job_free (AgHistoryJob *job);
void          ag_history_store_push_job (AgHistoryStore *self, AgHistoryJob *job);

/* The worker thread's body (ag-history-store-worker.c): runs jobs until AG_HISTORY_JOB_QUIT, then writes nothing
 * more. */
gpointer      ag_history_store_worker_main (gpointer store);

G_END_DECLS
