/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-history-db.h — the history database itself: one SQLite connection (migrated on open by ag-history-schema.c),
 * its transactions, and the reads and writes of the request log, the quota samples and the rests. Plain functions,
 * no threads: AgHistoryStore calls them from its worker thread, and a connection is used by one thread at a time.
 * Every failure is a G_IO_ERROR with a message fit for the user.
 *
 * A new table is a new migration in ag-history-schema.c (with AG_HISTORY_DB_SCHEMA_VERSION bumped) plus its own
 * file of insert and query functions beside this one (as ag-quota-window-db.c), taking and returning plain row
 * types like AgRequestRecord. */
#pragma once

#include <gio/gio.h>
#include "ag-quota-sample.h"
#include "ag-rate-limits.h"
#include "ag-request-record.h"
#include "ag-usage-report.h"

G_BEGIN_DECLS

/* The PRAGMA user_version this build writes; a file with a higher one is refused. */
#define AG_HISTORY_DB_SCHEMA_VERSION 7

typedef struct _AgHistoryDb AgHistoryDb;

/* Opens @path, creating it and its folder when needed, in WAL mode, and migrates its schema to the current
 * version. Fails when the file is not a database or was written by a newer schema. */
AgHistoryDb *ag_history_db_open (const char *path, GError **error);
/* Closes the connection; NULL is ignored. */
void         ag_history_db_close (AgHistoryDb *self);

/* One transaction around a batch of writes: one commit per burst instead of one per row. */
gboolean     ag_history_db_begin (AgHistoryDb *self, GError **error);
gboolean     ag_history_db_commit (AgHistoryDb *self, GError **error);
/* Undoes the open transaction after a failed write; a failure to roll back is ignored (closing undoes it too). */
void         ag_history_db_rollback (AgHistoryDb *self);

/* Appends @record to the request log and sets its id. */
gboolean     ag_history_db_insert_request (AgHistoryDb *self, AgRequestRecord *record, GError **error);
/* Appends @sample to the quota history. */
gboolean     ag_history_db_insert_quota_sample (AgHistoryDb *self, const AgQuotaSample *sample, GError **error);

/* When the request log holds more than @max_rows rows, deletes the oldest down to 90 % of it, so trimming runs
 * once per many inserts rather than on every one. */
gboolean     ag_history_db_trim_requests (AgHistoryDb *self, guint max_rows, GError **error);
/* Deletes the requests and quota samples older than @retention_days (0 = keep them) before @now_ms: at once when
 * @force, else once every 500 rows inserted through @self, so pruning costs nothing per batch. */
gboolean     ag_history_db_prune (AgHistoryDb *self, gint64 now_ms, guint retention_days, gboolean force,
                                  GError **error);

/* The newest @limit requests (0 = all) at or after @since_ms, oldest first, as a GPtrArray of AgRequestRecord. */
GPtrArray   *ag_history_db_query_requests (AgHistoryDb *self, guint limit, gint64 since_ms, GError **error);
/* Quota samples of @account and @model (NULL = any) with @since_ms <= time < @until_ms (0 = no upper bound),
 * oldest first, as a GPtrArray of AgQuotaSample. */
GPtrArray   *ag_history_db_query_quota (AgHistoryDb *self, const char *account, const char *model, gint64 since_ms,
                                        gint64 until_ms, GError **error);

/* The requests in the buckets between the @n_edges @edges, summed per bucket and per model or account. */
AgUsageReport *ag_history_db_query_usage (AgHistoryDb *self, const gint64 *edges, guint n_edges,
                                          AgUsageGrouping grouping, GError **error);
/* Records the rests in force @limits (AgRateLimit, nullable; a later end already recorded wins) and forgets the
 * rests in @ended (nullable) that ended early, unless a later end was recorded since. */
gboolean     ag_history_db_save_limits (AgHistoryDb *self, GPtrArray *limits, GPtrArray *ended, GError **error);
/* Deletes the rests over at @now_ms and returns the others (AgRateLimit), earliest end first. */
GPtrArray   *ag_history_db_load_limits (AgHistoryDb *self, gint64 now_ms, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgHistoryDb, ag_history_db_close)

G_END_DECLS
