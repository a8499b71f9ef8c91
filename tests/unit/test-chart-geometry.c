/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chart's geometry without a display (this test links no GTK): scales, nice value ticks, time ticks on the
 * local clock across DST and day boundaries, lines reduced per pixel column with their gaps kept, bars, and
 * hit-testing — including an empty series and a single point. */
#include <math.h>
#include "ag-test.h"
#include "ag-chart-geometry.h"

#define HOUR_MS ((gint64) 3600 * 1000)
#define DAY_MS (24 * HOUR_MS)
/* 2026-10-24 00:00 in Berlin (UTC+2); the clocks go back on the 25th at 03:00. */
#define BERLIN_OCT24_MS ((gint64) 1792792800000)

static const AgChartFrame frame = { { 10, 20, 100, 50 }, 0, 1000, 0, 1 };

static void
test_scales (void)
{
  g_assert_cmpfloat (ag_chart_x_for_time (&frame, 0), ==, 10);
  g_assert_cmpfloat (ag_chart_x_for_time (&frame, 500), ==, 60);
  g_assert_cmpfloat (ag_chart_x_for_time (&frame, 1000), ==, 110);
  g_assert_cmpint (ag_chart_time_for_x (&frame, 60), ==, 500);
  g_assert_cmpint (ag_chart_time_for_x (&frame, 10.5), ==, 5);
  /* Values grow upwards. */
  g_assert_cmpfloat (ag_chart_y_for_value (&frame, 0), ==, 70);
  g_assert_cmpfloat (ag_chart_y_for_value (&frame, 1), ==, 20);
  g_assert_cmpfloat (ag_chart_y_for_value (&frame, 0.5), ==, 45);
}

typedef struct {
  const char *name;
  double      max;
  guint       max_ticks;
  const char *expected;
  double      top;
} ValueTickCase;

static const ValueTickCase value_tick_cases[] = {
  { "fraction", 0.87, 4, "0 0.5 1", 1 },
  { "fraction-fine", 1.0, 5, "0 0.2 0.4 0.6 0.8 1", 1 },
  { "tokens", 123456, 5, "0 50000 100000 150000", 150000 },
  { "exact", 200, 4, "0 50 100 150 200", 200 },
  { "small", 3, 3, "0 1 2 3", 3 },
  { "halves", 3, 6, "0 0.5 1 1.5 2 2.5 3", 3 },
  { "empty", 0, 4, "0 1", 1 },
};

static void
test_value_ticks (gconstpointer data)
{
  const ValueTickCase *c = data;
  double top = -1;
  g_autoptr(GArray) ticks = ag_chart_value_ticks (c->max, c->max_ticks, &top);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < ticks->len; i++)
    g_string_append_printf (text, "%s%g", i > 0 ? " " : "", g_array_index (ticks, double, i));
  g_assert_cmpstr (text->str, ==, c->expected);
  g_assert_cmpfloat_with_epsilon (top, c->top, 1e-9);
}

typedef struct {
  const char *name;
  gint64      t0;
  gint64      t1;
  guint       max_ticks;
  const char *expected;
} TimeTickCase;

static const TimeTickCase time_tick_cases[] = {
  /* 24 h from 09:00 with room for 5: every 6 h, the midnight labelled with its day. */
  { "day-boundary", BERLIN_OCT24_MS - 15 * HOUR_MS, BERLIN_OCT24_MS + 9 * HOUR_MS, 5,
    "12:00 18:00 *Sat 24 06:00" },
  /* The 25-hour day: 01:00, then 02:00 twice (summer time, then winter time), then 03:00. */
  { "dst-repeated-hour", BERLIN_OCT24_MS + 25 * HOUR_MS, BERLIN_OCT24_MS + 28 * HOUR_MS, 4,
    "01:00 02:00 02:00 03:00" },
  /* Across the change every 6 h stays on the clock's 00/06/12/18, not every 6 absolute hours. */
  { "dst-six-hours", BERLIN_OCT24_MS + 23 * HOUR_MS, BERLIN_OCT24_MS + 37 * HOUR_MS, 4,
    "*Sun 25 06:00 12:00" },
  /* 30 days with room for 6: every 7 days at midnight. */
  { "month", BERLIN_OCT24_MS, BERLIN_OCT24_MS + 30 * DAY_MS, 6,
    "*Sat 24 *Sat 31 *Sat 7 *Sat 14 *Sat 21" },
  { "no-room", 0, DAY_MS, 0, "" },
  { "empty-range", DAY_MS, DAY_MS, 5, "" },
};

static void
test_time_ticks (gconstpointer data)
{
  const TimeTickCase *c = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GArray) ticks = ag_chart_time_ticks (tz, c->t0, c->t1, c->max_ticks);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_cmpuint (ticks->len, <=, MAX (c->max_ticks, 1));
  for (guint i = 0; i < ticks->len; i++)
    {
      AgChartTimeTick *tick = &g_array_index (ticks, AgChartTimeTick, i);

      g_string_append_printf (text, "%s%s%s", i > 0 ? " " : "", tick->day ? "*" : "", tick->label);
    }
  g_assert_cmpstr (text->str, ==, c->expected);
}

static char *
describe_line (GArray *line)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < line->len; i++)
    {
      AgChartPoint *point = &g_array_index (line, AgChartPoint, i);

      if (isnan (point->x))
        g_string_append_printf (text, "%s|", i > 0 ? " " : "");
      else
        g_string_append_printf (text, "%s%g,%g", i > 0 ? " " : "", point->x, point->y);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_line_gaps (void)
{
  /* A break between two points, a break at the start (not drawn), one outside the range (dropped). */
  const AgSeriesPoint points[] = {
    { 0, NAN }, { 0, 1 }, { 100, 0.5 }, { 150, NAN }, { 200, 0 }, { 2000, 1 },
  };
  g_autoptr(GArray) line = ag_chart_line (&frame, points, G_N_ELEMENTS (points));
  g_autofree char *text = describe_line (line);

  g_assert_cmpstr (text, ==, "10,20 20,45 | 30,70");
}

static void
test_line_reduced (void)
{
  /* 10 000 points over 100 pixels: at most four per column, and the extremes survive. */
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (AgSeriesPoint));
  g_autoptr(GArray) line = NULL;
  gboolean saw_top = FALSE, saw_bottom = FALSE;

  for (guint i = 0; i < 10000; i++)
    {
      AgSeriesPoint point = { i / 10, (i % 97 == 0) ? 1.0 : (i % 89 == 0 ? 0.0 : 0.5) };

      g_array_append_val (points, point);
    }
  line = ag_chart_line (&frame, (AgSeriesPoint *) points->data, points->len);
  g_assert_cmpuint (line->len, <=, 4 * 101);
  g_assert_cmpuint (line->len, >=, 100);
  for (guint i = 0; i < line->len; i++)
    {
      AgChartPoint *point = &g_array_index (line, AgChartPoint, i);

      saw_top = saw_top || point->y == 20;
      saw_bottom = saw_bottom || point->y == 70;
      if (i > 0)
        g_assert_cmpfloat (point->x, >=, g_array_index (line, AgChartPoint, i - 1).x);
    }
  g_assert_true (saw_top);
  g_assert_true (saw_bottom);
}

static void
test_line_edge_cases (void)
{
  const AgSeriesPoint one[] = { { 500, 0.5 } };
  g_autoptr(GArray) empty = ag_chart_line (&frame, NULL, 0);
  g_autoptr(GArray) single = ag_chart_line (&frame, one, 1);
  g_autofree char *text = describe_line (single);

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpstr (text, ==, "60,45");
}

static char *
describe_boxes (GArray *boxes)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < boxes->len; i++)
    {
      AgChartRect *box = &g_array_index (boxes, AgChartRect, i);

      g_string_append_printf (text, "%s%g:%g-%g", i > 0 ? " " : "", box->x, box->y, box->y + box->height);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_line_spans (void)
{
  /* 10 px by 100 px, time 0…10 and value 0…100 (y = 100 - value): a climb across three columns, many points
   * inside one column, a break, then a single point. */
  const AgChartFrame narrow = { { 0, 0, 10, 100 }, 0, 10, 0, 100 };
  const AgSeriesPoint points[] = {
    { 0, 0 }, { 3, 30 },                                    /* columns 0…3, joined */
    { 5, 50 }, { 5, 40 }, { 5, 60 }, { 5, 50 },             /* column 5: its lowest and highest */
    { 6, NAN },
    { 8, 80 },                                              /* alone after the break */
    { 20, 0 },                                              /* outside the range */
  };
  g_autoptr(GArray) boxes = ag_chart_line_spans (&narrow, points, G_N_ELEMENTS (points), 2);
  g_autoptr(GArray) none = ag_chart_line_spans (&narrow, NULL, 0, 2);
  g_autofree char *text = describe_boxes (boxes);

  /* y = 100 - value; each span widened by 1 px up and down. Column 3 holds the join from 3 to 5 (y 70…60) too. */
  g_assert_cmpstr (text, ==, "0:89-101 1:79-91 2:69-81 3:59-71 4:49-61 5:39-61 8:19-21");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_bar (void)
{
  AgChartRect bar = ag_chart_bar (&frame, 100, 200, 0.25, 0.75);
  AgChartRect thin = ag_chart_bar (&frame, 100, 101, 0, 1);

  g_assert_cmpfloat (bar.x, ==, 20);
  g_assert_cmpfloat (bar.width, ==, 9);
  g_assert_cmpfloat (bar.y, ==, 32.5);
  g_assert_cmpfloat (bar.height, ==, 25);
  g_assert_cmpfloat (thin.width, ==, 1);
}

static void
test_nearest_point (void)
{
  const AgSeriesPoint points[] = { { 0, 1 }, { 100, 0.5 }, { 150, NAN }, { 300, 0 } };

  g_assert_cmpint (ag_chart_nearest_point (points, 4, 40, 1000), ==, 0);
  g_assert_cmpint (ag_chart_nearest_point (points, 4, 60, 1000), ==, 1);
  /* The break at 150 is never the answer: 160 is nearer 100 than 300. */
  g_assert_cmpint (ag_chart_nearest_point (points, 4, 160, 1000), ==, 1);
  g_assert_cmpint (ag_chart_nearest_point (points, 4, 250, 1000), ==, 3);
  g_assert_cmpint (ag_chart_nearest_point (points, 4, 5000, 1000), ==, -1);
  g_assert_cmpint (ag_chart_nearest_point (points, 4, -50, 1000), ==, 0);
  g_assert_cmpint (ag_chart_nearest_point (points, 4, 200, 10), ==, -1);
  g_assert_cmpint (ag_chart_nearest_point (NULL, 0, 0, 1000), ==, -1);
  g_assert_cmpint (ag_chart_nearest_point (points, 1, 999, 1000), ==, 0);
}

/* A forecast: straight to empty, cut at the chart's end on the same slope; nothing when it never empties. */
static void
test_forecast_line (void)
{
  g_autoptr(GArray) whole = ag_chart_forecast_line (1000, 0.6, 4000, 10000);
  g_autoptr(GArray) cut = ag_chart_forecast_line (1000, 0.6, 4000, 2000);
  g_autoptr(GArray) never = ag_chart_forecast_line (1000, 0.6, 0, 10000);
  g_autoptr(GArray) past_end = ag_chart_forecast_line (1000, 0.6, 4000, 1000);

  g_assert_cmpuint (whole->len, ==, 2);
  g_assert_cmpint (g_array_index (whole, AgSeriesPoint, 0).time_ms, ==, 1000);
  g_assert_cmpfloat_with_epsilon (g_array_index (whole, AgSeriesPoint, 0).value, 0.6, 1e-9);
  g_assert_cmpint (g_array_index (whole, AgSeriesPoint, 1).time_ms, ==, 4000);
  g_assert_cmpfloat_with_epsilon (g_array_index (whole, AgSeriesPoint, 1).value, 0.0, 1e-9);
  g_assert_cmpuint (cut->len, ==, 2);
  g_assert_cmpint (g_array_index (cut, AgSeriesPoint, 1).time_ms, ==, 2000);
  g_assert_cmpfloat_with_epsilon (g_array_index (cut, AgSeriesPoint, 1).value, 0.4, 1e-9);
  g_assert_cmpuint (never->len, ==, 0);
  g_assert_cmpuint (past_end->len, ==, 0);
}

int
main (int argc, char **argv)
{
  /* Day names in the labels are the C locale's. */
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart-geometry/scales", test_scales);
  AG_TEST_ADD_CASES ("/chart-geometry/value-ticks-", value_tick_cases, test_value_ticks);
  AG_TEST_ADD_CASES ("/chart-geometry/time-ticks-", time_tick_cases, test_time_ticks);
  g_test_add_func ("/chart-geometry/line-gaps", test_line_gaps);
  g_test_add_func ("/chart-geometry/line-reduced", test_line_reduced);
  g_test_add_func ("/chart-geometry/line-edge-cases", test_line_edge_cases);
  g_test_add_func ("/chart-geometry/line-spans", test_line_spans);
  g_test_add_func ("/chart-geometry/bar", test_bar);
  g_test_add_func ("/chart-geometry/nearest-point", test_nearest_point);
  g_test_add_func ("/chart-geometry/forecast-line", test_forecast_line);
  return g_test_run ();
}
