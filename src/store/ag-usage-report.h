/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-usage-report.h — the request log summed into time buckets: requests, errors, rotations and tokens per bucket
 * and per model or account (the stacks of the usage chart), and the median and 95th percentile of the time to
 * first byte per bucket. Pure: the history database feeds it rows, the tests feed it by hand. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  AG_USAGE_BY_MODEL,     /* the upstream model, or the client's when nothing was sent upstream */
  AG_USAGE_BY_ACCOUNT,
} AgUsageGrouping;

/* How a request ended, as far as the usage sums care. */
typedef enum {
  AG_USAGE_ANSWERED,     /* answered (or cancelled, or answered locally) */
  AG_USAGE_ERROR,        /* answered with a client or upstream error */
  AG_USAGE_REFUSED,      /* refused by the request guard before it was read: nobody's work */
} AgUsageOutcome;

/* One model's or account's share of one bucket. */
typedef struct {
  guint  requests;       /* all of them, refused ones included */
  guint  errors;         /* answered with a client or upstream error */
  guint  refused;        /* refused by the request guard */
  guint  rotations;      /* tries on an account that failed before the answer (the call moved on) */
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_read_tokens;
} AgUsageCell;

typedef struct {
  guint        n_buckets;
  gint64      *edges;        /* n_buckets + 1 instants, ascending: bucket i is [edges[i], edges[i + 1]) */
  GPtrArray   *keys;         /* the models or accounts ("" = none), the busiest (most tokens) first */
  AgUsageCell *cells;        /* after ag_usage_report_finish: cells[bucket * keys->len + key] */
  gint64      *ttfb_median;  /* per bucket, ms; -1 = no request in it got a first byte */
  gint64      *ttfb_p95;
  /* private */
  GHashTable  *rows;         /* key → GArray of AgUsageCell per bucket, while adding */
  GArray     **ttfbs;        /* per bucket, while adding */
} AgUsageReport;

/* An empty report over the @n_edges - 1 buckets between consecutive @edges (copied; at least two). */
AgUsageReport *ag_usage_report_new (const gint64 *edges, guint n_edges);
void           ag_usage_report_free (AgUsageReport *self);

/* Counts one request at @time_ms (ignored outside the buckets) for @key (NULL = ""). @ttfb_ms < 0: none. */
void           ag_usage_report_add (AgUsageReport *self, gint64 time_ms, const char *key, AgUsageOutcome outcome,
                                    guint rotations, gint64 ttfb_ms, gint64 input_tokens, gint64 output_tokens,
                                    gint64 cache_read_tokens);
/* Orders the keys, lays the cells out and computes the percentiles; nothing may be added after. */
void           ag_usage_report_finish (AgUsageReport *self);

/* The index of the bucket holding @time_ms, or -1. */
int            ag_usage_report_find_bucket (const AgUsageReport *self, gint64 time_ms);
const AgUsageCell *ag_usage_report_get_cell (const AgUsageReport *self, guint bucket, guint key);
/* Sums over all keys of bucket @bucket. */
AgUsageCell    ag_usage_report_get_total (const AgUsageReport *self, guint bucket);

/* The value below which @fraction (0…1) of the @n sorted @values lie (nearest rank); -1 when @n is 0. */
gint64         ag_usage_percentile (const gint64 *values, guint n, double fraction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgUsageReport, ag_usage_report_free)

G_END_DECLS
