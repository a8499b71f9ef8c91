/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-chart.h — our chart widget: lines (with gaps and reset markers) or stacked bars over time, drawn with
 * GtkSnapshot in libadwaita's palette (light and dark), with the exact value and time of the point under the
 * pointer or the keyboard cursor ("readout", also the tooltip), an accessible description and the same data as a
 * list of rows for a table view. Where things go is ag-chart-geometry.c's. */
#pragma once

#include <gtk/gtk.h>
#include "ag-quota-series.h"

G_BEGIN_DECLS

typedef enum {
  AG_CHART_UNIT_FRACTION,      /* 0…1, shown as percent */
  AG_CHART_UNIT_COUNT,         /* tokens, requests: 1.2 k, 3.4 M */
  AG_CHART_UNIT_MILLISECONDS,
} AgChartUnit;

#define AG_TYPE_CHART (ag_chart_get_type ())
G_DECLARE_FINAL_TYPE (AgChart, ag_chart, AG, CHART, GtkWidget)

GtkWidget  *ag_chart_new (AgChartUnit unit);
/* The time shown, left to right (Unix ms). */
void        ag_chart_set_range (AgChart *self, gint64 t0, gint64 t1);
/* Removes every line and bar. */
void        ag_chart_clear (AgChart *self);
/* A line called @name through @points (AgSeriesPoint, NAN = break; copied), with markers at @markers (gint64
 * instants, nullable; copied), in the next colour of the palette. */
void        ag_chart_add_line (AgChart *self, const char *name, GArray *points, GArray *markers);
/* A forecast continuing line @line (an index in the order the lines were added) through @points (copied): drawn
 * dashed in that line's colour, listed in the table and the accessible description, not in the legend. */
void        ag_chart_add_forecast (AgChart *self, guint line, GArray *points);
guint       ag_chart_get_n_forecasts (AgChart *self);
/* Stacked bars: bucket b spans @edges[b]…@edges[b + 1] (@n_buckets + 1 edges), and @values[b * @n_names + k] is
 * the part of @names[k] in it, stacked in that order from the bottom. Replaces earlier bars. */
void        ag_chart_set_bars (AgChart *self, const gint64 *edges, guint n_buckets, const char * const *names,
                               guint n_names, const double *values);
/* A sparkline: the data only, without axes or legend, at a small natural size. */
void        ag_chart_set_compact (AgChart *self, gboolean compact);
guint       ag_chart_get_n_lines (AgChart *self);
/* Puts the cursor on @time_ms (what the pointer and the arrow keys do) and updates "readout"; -1 removes it. */
void        ag_chart_select_time (AgChart *self, gint64 time_ms);
/* Property "readout": the time and exact values at the cursor, "" without one. */
const char *ag_chart_get_readout (AgChart *self);
/* The data as rows of text ("Tue 14:00 · name: value"), for a table view and screen readers; updated with it. */
GListModel *ag_chart_get_table (AgChart *self);
/* @value as the chart's axis and readout show it: "45 %", "1.2 k", "3.4 M", "812 ms". */
char       *ag_chart_format_value (AgChartUnit unit, double value);
/* "A chart of N lines from … to …; latest: …", also the accessible description. */
const char *ag_chart_get_summary (AgChart *self);

G_END_DECLS
