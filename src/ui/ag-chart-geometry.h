/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-chart-geometry.h — where things go on a chart, without a display: the mapping between time/value and
 * pixels, "nice" value ticks, time ticks on the local clock, lines reduced to what a pixel column can show (with
 * their gaps kept), bars, and which point or bucket lies under the pointer. AgChart draws what this computes;
 * the unit tests check it with no GTK at all. */
#pragma once

#include <glib.h>
#include "ag-quota-series.h"

G_BEGIN_DECLS

typedef struct {
  double x, y, width, height;
} AgChartRect;

/* The plot area in pixels and what its edges stand for: time @t0…@t1 left to right, value @v0…@v1 bottom to top. */
typedef struct {
  AgChartRect plot;
  gint64      t0, t1;
  double      v0, v1;
} AgChartFrame;

/* A point in pixels; x is NAN where a line breaks. */
typedef struct {
  double x, y;
} AgChartPoint;

typedef struct {
  gint64  time_ms;
  char   *label;   /* "14:00", or the day ("Tue 3") at a midnight */
  gboolean day;    /* a midnight: drawn stronger */
} AgChartTimeTick;

double  ag_chart_x_for_time (const AgChartFrame *frame, gint64 time_ms);
gint64  ag_chart_time_for_x (const AgChartFrame *frame, double x);
double  ag_chart_y_for_value (const AgChartFrame *frame, double value);

/* Ticks 0, step, 2·step, … up to the first multiple of step at or above @max, step being 1, 2 or 5 × 10^n, at
 * most @max_ticks + 1 of them; *@top is the last. @max <= 0 gives 0 and 1. A GArray of double. */
GArray *ag_chart_value_ticks (double max, guint max_ticks, double *top);

/* Time ticks on the clock of @tz between @t0 and @t1: round hours (every 1, 2, 3, 6 or 12) or midnights (every 1,
 * 2 or 7 days), the finest step that gives at most @max_ticks. A GArray of AgChartTimeTick (clear func set). */
GArray *ag_chart_time_ticks (GTimeZone *tz, gint64 t0, gint64 t1, guint max_ticks);

/* @points (ascending in time; NAN values are breaks) in pixels, keeping in each pixel column only its first,
 * lowest, highest and last point: a 30-day line of 100 000 samples costs what the width costs. Points outside
 * t0…t1 are dropped, and a break is kept as a point with x = NAN. A GArray of AgChartPoint. */
GArray *ag_chart_line (const AgChartFrame *frame, const AgSeriesPoint *points, guint n_points);

/* The same line as whole-pixel boxes, one per pixel column it crosses: from its lowest to its highest point in
 * that column, joins to its neighbours included, widened by @thickness. For a line with more points than pixels
 * this draws what a stroke would, far faster: boxes on the pixel grid need no tessellation. Breaks (NAN) leave the
 * columns between their neighbours empty. A GArray of AgChartRect, left to right. */
GArray *ag_chart_line_spans (const AgChartFrame *frame, const AgSeriesPoint *points, guint n_points,
                             double thickness);

/* A forecast as a line: from @value at @from_ms straight down to 0 at @empty_ms, cut at @until_ms when that
 * comes first (the value there on the same slope). A GArray of two AgSeriesPoint, empty when @empty_ms or
 * @until_ms is not after @from_ms. */
GArray *ag_chart_forecast_line (gint64 from_ms, double value, gint64 empty_ms, gint64 until_ms);

/* The bar of a bucket [@start_ms, @end_ms) from value @bottom to @top, one pixel narrower than the bucket so
 * neighbours stay apart (never narrower than one pixel). */
AgChartRect ag_chart_bar (const AgChartFrame *frame, gint64 start_ms, gint64 end_ms, double bottom, double top);

/* The index of the point of @points nearest in time to @time_ms, skipping breaks; -1 when there is none within
 * @max_distance_ms. */
int     ag_chart_nearest_point (const AgSeriesPoint *points, guint n_points, gint64 time_ms, gint64 max_distance_ms);

G_END_DECLS
