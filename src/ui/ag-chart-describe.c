/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chart in words: the readout at the cursor, the rows of the table view and the accessible summary. */
#include "config.h"
#include "ag-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include "ag-chart-geometry.h"

char *
ag_chart_format_value (AgChartUnit unit, double value)
{
  switch (unit)
    {
    case AG_CHART_UNIT_FRACTION:
      return g_strdup_printf ("%.0f %%", value * 100);
    case AG_CHART_UNIT_MILLISECONDS:
      return g_strdup_printf (_("%.0f ms"), value);
    case AG_CHART_UNIT_COUNT:
    default:
      if (value >= 1e6)
        return g_strdup_printf ("%.1f M", value / 1e6);
      if (value >= 1e4)
        return g_strdup_printf ("%.0f k", value / 1e3);
      if (value >= 1e3)
        return g_strdup_printf ("%.1f k", value / 1e3);
      return g_strdup_printf ("%.0f", value);
    }
}

char *
ag_chart_format_time (AgChart *self, gint64 time_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->tz);

  /* Translators: a moment on a chart, as a g_date_time_format() format ("Thu 3 Dec 14:05").
   * xgettext:no-c-format */
  return g_date_time_format (local, _("%a %-d %b %H:%M"));
}

static void
append_bucket (AgChart *self, GString *text, guint bucket)
{
  g_autofree char *from = ag_chart_format_time (self, g_array_index (self->edges, gint64, bucket));
  g_autofree char *total = ag_chart_format_value (self->unit, ag_chart_bucket_total (self, bucket));

  g_string_append_printf (text, "%s · %s %s", from, _("total"), total);
  for (guint k = 0; k < self->bar_names->len; k++)
    if (ag_chart_bar_value (self, bucket, k) > 0)
      {
        g_autofree char *value = ag_chart_format_value (self->unit, ag_chart_bar_value (self, bucket, k));

        g_string_append_printf (text, ", %s %s", (char *) g_ptr_array_index (self->bar_names, k), value);
      }
}

static int
bucket_at (AgChart *self, gint64 time_ms)
{
  for (guint b = 0; b < ag_chart_n_buckets (self); b++)
    if (time_ms >= g_array_index (self->edges, gint64, b) && time_ms < g_array_index (self->edges, gint64, b + 1))
      return (int) b;
  return -1;
}

void
ag_chart_update_readout (AgChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  /* A line's point counts when it is within 1/40 of the range: nearer than that is "at" the cursor. */
  gint64 reach = MAX ((self->t1 - self->t0) / 40, 1);

  if (self->cursor >= 0 && ag_chart_n_buckets (self) > 0)
    {
      int bucket = bucket_at (self, self->cursor);

      if (bucket >= 0)
        append_bucket (self, text, bucket);
    }
  else if (self->cursor >= 0)
    for (guint i = 0; i < self->lines->len; i++)
      {
        Line *line = g_ptr_array_index (self->lines, i);
        int index = ag_chart_nearest_point ((AgSeriesPoint *) line->points->data, line->points->len, self->cursor,
                                            reach);
        AgSeriesPoint *point;
        g_autofree char *when = NULL;
        g_autofree char *value = NULL;

        if (index < 0)
          continue;
        point = &g_array_index (line->points, AgSeriesPoint, index);
        when = ag_chart_format_time (self, point->time_ms);
        value = ag_chart_format_value (self->unit, point->value);
        g_string_append_printf (text, "%s%s · %s: %s", text->len > 0 ? "\n" : "", when, line->name, value);
      }
  if (g_strcmp0 (self->readout, text->str) == 0)
    return;
  g_free (self->readout);
  self->readout = g_strdup (text->str);
  g_object_notify (G_OBJECT (self), "readout");
}

void
ag_chart_rebuild_table (AgChart *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *from = ag_chart_format_time (self, self->t0);
  g_autofree char *to = ag_chart_format_time (self, self->t1);

  for (guint b = 0; b < ag_chart_n_buckets (self); b++)
    if (ag_chart_bucket_total (self, b) > 0)
      {
        GString *row = g_string_new (NULL);

        append_bucket (self, row, b);
        g_ptr_array_add (rows, g_string_free (row, FALSE));
      }
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      guint every = line->points->len / TABLE_ROWS_PER_LINE + 1;

      /* A table of 100 000 rows helps nobody: every n-th sample, at most 200 per line. */
      for (guint p = 0; p < line->points->len; p += every)
        {
          AgSeriesPoint *point = &g_array_index (line->points, AgSeriesPoint, p);
          g_autofree char *when = NULL;
          g_autofree char *value = NULL;

          if (isnan (point->value))
            continue;
          when = ag_chart_format_time (self, point->time_ms);
          value = ag_chart_format_value (self->unit, point->value);
          g_ptr_array_add (rows, g_strdup_printf ("%s · %s: %s", when, line->name, value));
        }
      /* The refills are drawn as markers: a screen reader gets them as rows. */
      for (guint m = 0; line->markers != NULL && m < line->markers->len; m++)
        {
          g_autofree char *when = ag_chart_format_time (self, g_array_index (line->markers, gint64, m));

          /* TRANSLATORS: a row of a chart's table: time · line name, where the line's quota was refilled */
          g_ptr_array_add (rows, g_strdup_printf (_("%s · %s refilled"), when, line->name));
        }
    }
  for (guint i = 0; i < self->forecasts->len; i++)
    {
      Line *forecast = g_ptr_array_index (self->forecasts, i);

      for (guint p = 0; p < forecast->points->len; p++)
        {
          AgSeriesPoint *point = &g_array_index (forecast->points, AgSeriesPoint, p);
          g_autofree char *when = ag_chart_format_time (self, point->time_ms);
          g_autofree char *value = ag_chart_format_value (self->unit, point->value);

          /* TRANSLATORS: a row of a chart's table: time · line name: value */
          g_ptr_array_add (rows, g_strdup_printf (_("%s · %s forecast: %s"), when, forecast->name, value));
        }
    }
  g_ptr_array_add (rows, NULL);
  gtk_string_list_splice (self->table, 0, g_list_model_get_n_items (G_LIST_MODEL (self->table)),
                          (const char * const *) rows->pdata);

  if (self->lines->len > 0)
    g_string_printf (summary, g_dngettext (GETTEXT_PACKAGE, "A chart of %u line from %s to %s.",
                                           "A chart of %u lines from %s to %s.", self->lines->len),
                     self->lines->len, from, to);
  else if (ag_chart_n_buckets (self) > 0)
    g_string_printf (summary, _("A bar chart of %u periods from %s to %s."), ag_chart_n_buckets (self), from, to);
  else
    g_string_assign (summary, _("No data in this period."));
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      for (guint p = line->points->len; p > 0; p--)
        if (!isnan (g_array_index (line->points, AgSeriesPoint, p - 1).value))
          {
            double last = g_array_index (line->points, AgSeriesPoint, p - 1).value;
            g_autofree char *value = ag_chart_format_value (self->unit, last);

            g_string_append_printf (summary, " %s %s.", line->name, value);
            break;
          }
    }
  for (guint i = 0; i < self->forecasts->len; i++)
    {
      Line *forecast = g_ptr_array_index (self->forecasts, i);
      AgSeriesPoint *end = &g_array_index (forecast->points, AgSeriesPoint, forecast->points->len - 1);
      g_autofree char *when = ag_chart_format_time (self, end->time_ms);
      g_autofree char *value = ag_chart_format_value (self->unit, end->value);

      g_string_append_c (summary, ' ');
      g_string_append_printf (summary, _("Forecast: %s reaches %s at %s."), forecast->name, value, when);
    }
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
}
