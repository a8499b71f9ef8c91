/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-quota-series.h — the quota history as lines to draw: one series per account and model, broken where ag-cl
 * was not sampling (no line is invented across a gap) and at each reset, with the resets as markers. Pure. */
#pragma once

#include <glib.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

/* A point of a series; value is NAN at a break (the line stops and starts again at the next point). */
typedef struct {
  gint64 time_ms;
  double value;
} AgSeriesPoint;

typedef struct {
  char   *account;        /* NULL for a family's series */
  char   *model;          /* the model, the family's name, or a window's model group */
  char   *window;         /* a window's series: "5h" or "weekly"; else NULL */
  AgModelFamily family;   /* a family's series: which */
  GArray *points;   /* AgSeriesPoint, ascending in time */
  GArray *resets;   /* gint64 instants at which the quota was refilled */
} AgQuotaSeries;

/* A rise of the remaining fraction by more than this between two samples is a reset, not noise. */
#define AG_QUOTA_SERIES_RESET_RISE 0.05

/* One series per (account, model) in @samples (AgQuotaSample, ascending in time, as the history store returns
 * them), ordered by account then model. Two samples more than @max_gap_ms apart are not joined. A reset is put at
 * the time Google announced (the earlier sample's reset time) when that lies between the two samples, else at the
 * later sample. */
GPtrArray     *ag_quota_series_build (GPtrArray *samples, gint64 max_gap_ms);

/* Readings less than this apart are one poll of the accounts: a family series has one point per poll. */
#define AG_QUOTA_SERIES_POLL_MS ((gint64) 60 * 1000)

/* One series per model family in @samples (Claude first; account NULL, model "Claude" or "Gemini"): at each poll
 * the pool's remaining quota as the mean over the accounts read within @max_gap_ms of each account's quota for
 * the family, which is its model of the family with the least left (the one that stops it first, as the forecast
 * counts it). The line breaks where no account was read within @max_gap_ms and where an account was refilled
 * (marked as a reset, as in ag_quota_series_build). */
GPtrArray     *ag_quota_series_by_family (GPtrArray *samples, gint64 max_gap_ms);
/* One series per model group and window in @windows (AgQuotaWindowSample, ascending in time; account NULL, model
 * the group, window "5h" or "weekly"), ordered by group then window: the pool over the accounts, as the family
 * series pools them (the mean at each poll of the accounts read within @max_gap_ms; a break where none was read or
 * an account was refilled, a marker at the refill). */
GPtrArray     *ag_quota_series_by_window (GPtrArray *windows, gint64 max_gap_ms);
void           ag_quota_series_free (AgQuotaSeries *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgQuotaSeries, ag_quota_series_free)

G_END_DECLS
