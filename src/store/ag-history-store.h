/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-history-store.h — the request log, the quota history and the accounts' rests in SQLite (<data dir>/history.db, WAL). Every disk
 * access runs on one worker thread: adding a row only queues it, so the main loop never waits on the disk, and a
 * database that cannot be opened or written never fails a request — rows are dropped and counted, "failed" is
 * emitted once per distinct error, and opening is retried later. The request log is bounded ("max-rows"), and
 * requests and quota samples older than "retention-days" are pruned, so the file stays bounded.
 *
 * Signals (on the thread-default main context of the creator):
 *   "request-added" (gint64 id)        a request row was written
 *   "failed" (const char *message)     the database cannot be used (once per distinct error) */
#pragma once

#include <gio/gio.h>
#include "ag-quota-poller.h"
#include "ag-quota-sample.h"
#include "ag-request-record.h"
#include "ag-requests-in-flight.h"
#include "ag-usage-report.h"

G_BEGIN_DECLS

/* The PRAGMA user_version of history.db this build writes. */
#define AG_HISTORY_STORE_SCHEMA_VERSION 4
#define AG_HISTORY_STORE_DEFAULT_MAX_ROWS 50000
#define AG_HISTORY_STORE_DEFAULT_RETENTION_DAYS 90

/* $AGCL_DATA_DIR when set, else g_get_user_data_dir()/ag-cl. */
char *ag_history_store_get_data_dir (void);

#define AG_TYPE_HISTORY_STORE (ag_history_store_get_type ())
G_DECLARE_FINAL_TYPE (AgHistoryStore, ag_history_store, AG, HISTORY_STORE, GObject)

/* Opens (creating it when needed) @path, NULL = <data dir>/history.db, in the background. */
AgHistoryStore *ag_history_store_new (const char *path);
const char     *ag_history_store_get_path (AgHistoryStore *self);

/* Property "max-rows": the request log keeps at most this many rows, dropping the oldest in batches. */
void            ag_history_store_set_max_rows (AgHistoryStore *self, guint max_rows);
guint           ag_history_store_get_max_rows (AgHistoryStore *self);
/* Property "retry-interval": seconds before reopening a database that failed (default 30). */
void            ag_history_store_set_retry_interval (AgHistoryStore *self, guint seconds);
/* Property "retention-days": requests and quota samples older than this many days are deleted (0 = kept);
 * setting it prunes at once. */
void            ag_history_store_set_retention_days (AgHistoryStore *self, guint days);
guint           ag_history_store_get_retention_days (AgHistoryStore *self);
/* Rows that could not be written since the store was created. Any thread. */
guint           ag_history_store_get_dropped (AgHistoryStore *self);

/* The requests being answered now (the request monitor shows them before they are written). */
AgRequestsInFlight *ag_history_store_get_in_flight (AgHistoryStore *self);

/* Queues @record (takes ownership); returns at once. */
void            ag_history_store_add_request (AgHistoryStore *self, AgRequestRecord *record);
void            ag_history_store_add_quota_sample (AgHistoryStore *self, const char *account, const char *model,
                                                   double remaining_fraction, gint64 reset_ms, gint64 time_ms);
/* Records every reading @poller takes from now on (its "quota-sampled" signal), for as long as both live. */
void            ag_history_store_follow_quota (AgHistoryStore *self, AgQuotaPoller *poller);

/* The newest @limit requests (0 = all) at or after @since_ms (0 = any time), oldest first, as a GPtrArray of
 * AgRequestRecord. Sees every row added before the call. Fails when the database cannot be opened. */
void            ag_history_store_query_requests_async (AgHistoryStore     *self,
                                                       guint               limit,
                                                       gint64              since_ms,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
GPtrArray      *ag_history_store_query_requests_finish (AgHistoryStore *self, GAsyncResult *result, GError **error);

/* Quota samples of @account and @model (NULL = any) with @since_ms <= time < @until_ms (0 = no bound), oldest
 * first, as a GPtrArray of AgQuotaSample. */
void            ag_history_store_query_quota_async (AgHistoryStore     *self,
                                                    const char         *account,
                                                    const char         *model,
                                                    gint64              since_ms,
                                                    gint64              until_ms,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
GPtrArray      *ag_history_store_query_quota_finish (AgHistoryStore *self, GAsyncResult *result, GError **error);

/* The requests between the first and the last of the @n_edges @edges (Unix ms, ascending; see ag_time_steps),
 * summed per bucket and per model or account. */
void            ag_history_store_query_usage_async (AgHistoryStore     *self,
                                                    const gint64       *edges,
                                                    guint               n_edges,
                                                    AgUsageGrouping     grouping,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
AgUsageReport  *ag_history_store_query_usage_finish (AgHistoryStore *self, GAsyncResult *result, GError **error);
/* Queues a write of the rests in force (AgRateLimit, nullable) and of those that ended early (nullable); see
 * ag_history_db_save_limits. Takes a reference on each array. */
void            ag_history_store_save_limits (AgHistoryStore *self, GPtrArray *limits, GPtrArray *ended);
/* The rests any ag-cl on this database recorded that are still in force at @now_ms (AgRateLimit, earliest end
 * first); the ones over are deleted. */
void            ag_history_store_load_limits_async (AgHistoryStore     *self,
                                                    gint64              now_ms,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
GPtrArray      *ag_history_store_load_limits_finish (AgHistoryStore *self, GAsyncResult *result, GError **error);

G_END_DECLS
