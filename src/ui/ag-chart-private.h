/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-chart-private.h — what the chart's files share: its state, and the parts each file makes (ag-chart.c: the
 * object, its data and input; ag-chart-describe.c: the readout, the table and the summary; ag-chart-draw.c: the
 * snapshot). */
#pragma once

#include "ag-chart.h"
#include "ag-chart-geometry.h"

G_BEGIN_DECLS

#define MARGIN_LEFT 52
#define MARGIN_RIGHT 12
#define MARGIN_TOP 26      /* the legend */
#define MARGIN_BOTTOM 22   /* the time labels */
#define TABLE_ROWS_PER_LINE 200
#define KEY_STEPS 48       /* arrow-key steps across the range of a line chart */
#define LINE_WIDTH 2
#define MARKER_HEIGHT 6    /* a reset's triangle */
#define MARKER_HALF_WIDTH 3.5

typedef struct {
  char   *name;
  GArray *points;    /* AgSeriesPoint */
  GArray *markers;   /* gint64 */
  guint   color;     /* index into the palette */
} Line;

struct _AgChart
{
  GtkWidget      parent_instance;

  AgChartUnit    unit;
  gboolean       compact;      /* a sparkline: no axes, no legend */
  gint64         t0, t1;
  GPtrArray     *lines;        /* Line */
  GPtrArray     *forecasts;    /* Line: continuations, dashed in the colour of the line they continue */
  GArray        *edges;        /* bars: gint64, n_buckets + 1 */
  GPtrArray     *bar_names;
  GArray        *bar_values;   /* double, n_buckets × names */
  GTimeZone     *tz;
  gint64         cursor;       /* -1 = none */
  char          *readout;
  char          *summary;
  GtkStringList *table;
  /* The dense lines' bitmap, kept while the data, the frame and the scale stay: moving the cursor or a redraw
   * of the window costs nothing for them. New data is drawn into the same pixels when the size stays. */
  cairo_surface_t *lines_surface;
  gboolean       lines_dirty;
  gboolean       lines_any;    /* the bitmap holds at least one line */
  AgChartFrame   lines_frame;
  int            lines_scale;
};

/* Bars: how many buckets, the value of @key in @bucket, and the bucket's stack. */
guint   ag_chart_n_buckets (AgChart *self);
double  ag_chart_bar_value (AgChart *self, guint bucket, guint key);
double  ag_chart_bucket_total (AgChart *self, guint bucket);
/* "Tue 3 Dec 14:00" on the local clock. */
char   *ag_chart_format_time (AgChart *self, gint64 time_ms);
/* Refreshes "readout" for the cursor, and the table rows and accessible summary for the data. */
void    ag_chart_update_readout (AgChart *self);
void    ag_chart_rebuild_table (AgChart *self);
/* Where the data is drawn: inside the axes and legend, or all of the widget when compact. */
AgChartRect ag_chart_plot_area (AgChart *self);
/* GtkWidget.snapshot. */
void    ag_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot);

G_END_DECLS
