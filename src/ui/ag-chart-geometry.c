/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-chart-geometry.h"

#include <glib/gi18n.h>
#include <math.h>
#include "ag-time-steps.h"

double
ag_chart_x_for_time (const AgChartFrame *frame, gint64 time_ms)
{
  if (frame->t1 <= frame->t0)
    return frame->plot.x;
  return frame->plot.x + frame->plot.width * (double) (time_ms - frame->t0) / (double) (frame->t1 - frame->t0);
}

gint64
ag_chart_time_for_x (const AgChartFrame *frame, double x)
{
  if (frame->plot.width <= 0)
    return frame->t0;
  return frame->t0 + (gint64) llround ((x - frame->plot.x) / frame->plot.width * (double) (frame->t1 - frame->t0));
}

double
ag_chart_y_for_value (const AgChartFrame *frame, double value)
{
  if (frame->v1 <= frame->v0)
    return frame->plot.y + frame->plot.height;
  return frame->plot.y + frame->plot.height * (1.0 - (value - frame->v0) / (frame->v1 - frame->v0));
}

GArray *
ag_chart_value_ticks (double max, guint max_ticks, double *top)
{
  static const double mantissas[] = { 1, 2, 5 };
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (double));
  double step = 1, magnitude;
  guint count;

  /* Nothing to show: one step, so an empty chart still has an axis. */
  if (max <= 0 || !isfinite (max))
    max_ticks = 1, max = 1;
  max_ticks = MAX (max_ticks, 1);
  magnitude = pow (10, floor (log10 (max / max_ticks)));
  /* The smallest 1/2/5 × 10^n step with at most max_ticks steps up to max. */
  for (guint m = 0; m < 2 * G_N_ELEMENTS (mantissas); m++)
    {
      step = mantissas[m % 3] * magnitude * (m >= 3 ? 10 : 1);
      if (ceil (max / step - 1e-9) <= max_ticks)
        break;
    }
  count = (guint) ceil (max / step - 1e-9);
  for (guint i = 0; i <= count; i++)
    {
      double value = i * step;

      g_array_append_val (ticks, value);
    }
  if (top != NULL)
    *top = count * step;
  return ticks;
}

static void
time_tick_clear (AgChartTimeTick *tick)
{
  g_free (tick->label);
}

typedef struct {
  AgTimeUnit unit;
  guint      step;
  gint64     approx_ms;
} TimeStep;

static const TimeStep time_steps[] = {
  { AG_TIME_UNIT_HOUR, 1, 3600000 },
  { AG_TIME_UNIT_HOUR, 2, 2 * 3600000 },
  { AG_TIME_UNIT_HOUR, 3, 3 * 3600000 },
  { AG_TIME_UNIT_HOUR, 6, 6 * 3600000 },
  { AG_TIME_UNIT_HOUR, 12, 12 * 3600000 },
  { AG_TIME_UNIT_DAY, 1, 24 * (gint64) 3600000 },
  { AG_TIME_UNIT_DAY, 2, 48 * (gint64) 3600000 },
  { AG_TIME_UNIT_DAY, 7, 168 * (gint64) 3600000 },
};

GArray *
ag_chart_time_ticks (GTimeZone *tz, gint64 t0, gint64 t1, guint max_ticks)
{
  GArray *ticks = g_array_new (FALSE, TRUE, sizeof (AgChartTimeTick));
  g_autoptr(GArray) instants = NULL;
  const TimeStep *step = &time_steps[G_N_ELEMENTS (time_steps) - 1];

  g_array_set_clear_func (ticks, (GDestroyNotify) time_tick_clear);
  if (t1 <= t0 || max_ticks == 0)
    return ticks;
  /* Estimated from the step's usual length, then checked: a DST day can give one tick more than estimated. */
  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    if ((t1 - t0) / time_steps[i].approx_ms + 1 <= max_ticks)
      {
        step = &time_steps[i];
        break;
      }
  instants = ag_time_steps (tz, t0, t1, step->unit, step->step);
  while (instants->len > max_ticks && step < &time_steps[G_N_ELEMENTS (time_steps) - 1])
    {
      step++;
      g_array_unref (instants);
      instants = ag_time_steps (tz, t0, t1, step->unit, step->step);
    }
  for (guint i = 0; i < instants->len; i++)
    {
      gint64 time_ms = g_array_index (instants, gint64, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_ms / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
      AgChartTimeTick tick = { time_ms, NULL, FALSE };

      tick.day = g_date_time_get_hour (local) == 0 && g_date_time_get_minute (local) == 0;
      /* Translators: a midnight on a chart's time axis, as a g_date_time_format() format ("Thu 3").
       * xgettext:no-c-format */
      tick.label = g_date_time_format (local, tick.day ? _("%a %-d") : "%H:%M");
      g_array_append_val (ticks, tick);
    }
  return ticks;
}

/* The reduction of one pixel column: its first, lowest, highest and last point, in time order. */
typedef struct {
  long         column;
  guint        count;
  AgChartPoint first, low, high, last;
  gint64       low_t, high_t;
} Column;

static void
flush_column (GArray *out, Column *column)
{
  AgChartPoint middle[2];

  if (column->count == 0)
    return;
  g_array_append_val (out, column->first);
  if (column->count > 2)
    {
      /* Lowest and highest in the order they came, so the line still goes where the data went. */
      gboolean low_first = column->low_t <= column->high_t;

      middle[0] = low_first ? column->low : column->high;
      middle[1] = low_first ? column->high : column->low;
      g_array_append_vals (out, middle, 2);
    }
  if (column->count > 1)
    g_array_append_val (out, column->last);
  column->count = 0;
}

static void
add_to_column (GArray *out, Column *column, long index, AgChartPoint point, gint64 time_ms)
{
  if (column->count > 0 && column->column != index)
    flush_column (out, column);
  if (column->count == 0)
    {
      column->column = index;
      column->first = column->low = column->high = point;
      column->low_t = column->high_t = time_ms;
    }
  /* y grows downwards: the lowest value has the largest y. */
  if (point.y > column->low.y)
    {
      column->low = point;
      column->low_t = time_ms;
    }
  if (point.y < column->high.y)
    {
      column->high = point;
      column->high_t = time_ms;
    }
  column->last = point;
  column->count++;
}

GArray *
ag_chart_line (const AgChartFrame *frame, const AgSeriesPoint *points, guint n_points)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (AgChartPoint));
  Column column = { 0 };
  gboolean broken = TRUE;  /* no point yet since the last break */

  for (guint i = 0; i < n_points; i++)
    {
      const AgSeriesPoint *point = &points[i];
      AgChartPoint pixel;

      if (point->time_ms < frame->t0 || point->time_ms > frame->t1)
        continue;
      if (isnan (point->value))
        {
          AgChartPoint gap = { NAN, NAN };

          flush_column (out, &column);
          if (!broken)
            g_array_append_val (out, gap);
          broken = TRUE;
          continue;
        }
      pixel.x = ag_chart_x_for_time (frame, point->time_ms);
      pixel.y = ag_chart_y_for_value (frame, point->value);
      add_to_column (out, &column, lround (floor (pixel.x)), pixel, point->time_ms);
      broken = FALSE;
    }
  flush_column (out, &column);
  return out;
}

typedef struct {
  GArray *out;
  double  thickness;
  long    column;     /* the column being collected; its span is top…bottom */
  double  top, bottom;
  gboolean open;
} Spans;

static void
spans_flush (Spans *spans)
{
  AgChartRect box;
  /* Rounding noise (19.999999 for 20) must not grow a box by a pixel. */
  double top = floor (spans->top - spans->thickness / 2 + 1e-6);
  double bottom = ceil (spans->bottom + spans->thickness / 2 - 1e-6);

  if (!spans->open)
    return;
  box.x = spans->column;
  box.y = top;
  box.width = 1;
  box.height = bottom - top;
  g_array_append_val (spans->out, box);
  spans->open = FALSE;
}

/* Adds y to column @column's span, moving on (and emitting the previous column) when it is a new one. */
static void
spans_add (Spans *spans, long column, double y)
{
  if (spans->open && spans->column != column)
    spans_flush (spans);
  if (!spans->open)
    {
      spans->open = TRUE;
      spans->column = column;
      spans->top = spans->bottom = y;
      return;
    }
  spans->top = MIN (spans->top, y);
  spans->bottom = MAX (spans->bottom, y);
}

GArray *
ag_chart_line_spans (const AgChartFrame *frame, const AgSeriesPoint *points, guint n_points, double thickness)
{
  Spans spans = { g_array_new (FALSE, FALSE, sizeof (AgChartRect)), thickness, 0, 0, 0, FALSE };
  gboolean have_previous = FALSE;
  double px = 0, py = 0;

  for (guint i = 0; i < n_points; i++)
    {
      double x, y;
      long from, to;

      if (points[i].time_ms < frame->t0 || points[i].time_ms > frame->t1)
        continue;
      if (isnan (points[i].value))
        {
          have_previous = FALSE;
          continue;
        }
      x = ag_chart_x_for_time (frame, points[i].time_ms);
      y = ag_chart_y_for_value (frame, points[i].value);
      from = lround (floor (px));
      to = lround (floor (x));
      /* The segment from the previous point: where it leaves its column, the columns it crosses, where it enters
       * this one. */
      if (have_previous && to > from)
        {
          double slope = (y - py) / (x - px);

          spans_add (&spans, from, py + slope * (from + 1 - px));
          for (long c = from + 1; c < to; c++)
            {
              spans_add (&spans, c, py + slope * (c - px));
              spans_add (&spans, c, py + slope * (c + 1 - px));
            }
          spans_add (&spans, to, py + slope * (to - px));
        }
      spans_add (&spans, to, y);
      have_previous = TRUE;
      px = x;
      py = y;
    }
  spans_flush (&spans);
  return spans.out;
}

GArray *
ag_chart_forecast_line (gint64 from_ms, double value, gint64 empty_ms, gint64 until_ms)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (AgSeriesPoint));
  AgSeriesPoint start = { from_ms, value }, end;

  if (empty_ms <= from_ms || until_ms <= from_ms)
    return points;
  end.time_ms = MIN (empty_ms, until_ms);
  end.value = value * (1.0 - (double) (end.time_ms - from_ms) / (double) (empty_ms - from_ms));
  g_array_append_val (points, start);
  g_array_append_val (points, end);
  return points;
}

AgChartRect
ag_chart_bar (const AgChartFrame *frame, gint64 start_ms, gint64 end_ms, double bottom, double top)
{
  double left = ag_chart_x_for_time (frame, start_ms);
  double right = ag_chart_x_for_time (frame, end_ms);
  double y_top = ag_chart_y_for_value (frame, top);
  double y_bottom = ag_chart_y_for_value (frame, bottom);
  AgChartRect rect = { left, y_top, MAX (right - left - 1, 1), y_bottom - y_top };

  return rect;
}

int
ag_chart_nearest_point (const AgSeriesPoint *points, guint n_points, gint64 time_ms, gint64 max_distance_ms)
{
  guint low = 0, high = n_points;
  int best = -1;
  gint64 best_distance = G_MAXINT64;

  /* First point at or after time_ms; then the nearest real point on either side. */
  while (low < high)
    {
      guint middle = (low + high) / 2;

      if (points[middle].time_ms < time_ms)
        low = middle + 1;
      else
        high = middle;
    }
  for (int i = (int) low - 1; i >= 0; i--)
    if (!isnan (points[i].value))
      {
        best = i;
        best_distance = time_ms - points[i].time_ms;
        break;
      }
  for (guint i = low; i < n_points; i++)
    if (!isnan (points[i].value))
      {
        if (points[i].time_ms - time_ms < best_distance)
          {
            best = (int) i;
            best_distance = points[i].time_ms - time_ms;
          }
        break;
      }
  return best_distance <= max_distance_ms ? best : -1;
}
