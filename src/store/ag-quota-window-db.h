/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-window-db.h — the quota_windows table of history.db (schema v6): every reading of an account's 5-hour and
 * weekly windows (group, window, remaining fraction, reset), so the charts can draw them beside the per-model
 * quota samples. Plain functions on the worker thread's connection, like ag-history-db.h; pruned with the quota
 * samples. */
#pragma once

#include <gio/gio.h>
#include "ag-history-db.h"
#include "ag-quota-window.h"

G_BEGIN_DECLS

typedef struct {
  gint64  time_ms;
  char   *account;
  char   *group;     /* "Gemini Models", … */
  char   *window;    /* "5h" or "weekly" */
  double  remaining;
  gint64  reset_ms;  /* 0 = unknown */
} AgQuotaWindowSample;

void       ag_quota_window_sample_free (AgQuotaWindowSample *sample);

/* Appends one row per window of @windows (AgQuotaWindow) read for @account at @time_ms. */
gboolean   ag_quota_window_db_insert (AgHistoryDb *db, const char *account, GPtrArray *windows, gint64 time_ms,
                                      GError **error);
/* The readings of @account (NULL = any) with @since_ms <= time, oldest first (AgQuotaWindowSample). */
GPtrArray *ag_quota_window_db_query (AgHistoryDb *db, const char *account, gint64 since_ms, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgQuotaWindowSample, ag_quota_window_sample_free)

G_END_DECLS
