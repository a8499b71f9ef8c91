/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chart's draw time (prints a figure, is not a test): a 30-day quota chart of 100 000 samples (10 lines of
 * 10 000, with resets and a gap) in a 1200 × 400 widget, drawn 60 times with new data and 60 times after a cursor
 * move. Each draw is the widget's snapshot (the geometry and the render nodes) and its rasterisation by the
 * window's renderer into a texture, timed in CPU time of the thread (the machine may be busy with other work);
 * the median and the slowest tenth are printed against the 8 ms target. Needs a display: build-aux/chart-bench.sh runs it under Xvfb. */
#include <math.h>
#include <string.h>
#include <time.h>
#include <adwaita.h>
#include "ag-chart.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)
#define LINES 10
#define SAMPLES_PER_LINE 10000
#define RUNS 60
#define TARGET_MS 8.0

static GArray *
make_line (guint index, gint64 t0, gint64 t1, GArray *resets)
{
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (AgSeriesPoint), SAMPLES_PER_LINE + 4);
  gint64 step = (t1 - t0) / SAMPLES_PER_LINE;
  gint64 window = (5 + index) * 3600 * 1000LL;

  for (guint i = 0; i < SAMPLES_PER_LINE; i++)
    {
      gint64 t = t0 + i * step;
      gint64 into = (t + index * 977 * 1000LL) % window;
      AgSeriesPoint point = { t, 1.0 - (double) into / window * (0.6 + 0.04 * index) };

      /* Two days without samples in the middle, as when ag-cl was not running. */
      if (i == SAMPLES_PER_LINE / 2)
        {
          AgSeriesPoint gap = { t, NAN };

          g_array_append_val (points, gap);
        }
      if (into < step)
        g_array_append_val (resets, t);
      g_array_append_val (points, point);
    }
  return points;
}

/* CPU time of this thread, ms: on a machine shared with other work the wall clock measures the others too. */
static double
cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  gint64 t1 = g_get_real_time () / 1000, t0 = t1 - 30 * DAY_MS;
  double first_ms[RUNS], repaint_ms[RUNS], wall_ms[RUNS];
  GtkWidget *window, *chart;
  GskRenderer *renderer;
  guint samples = 0;
  g_autofree char *load_average = NULL;

  gtk_init ();
  adw_init ();
  window = gtk_window_new ();
  chart = ag_chart_new (AG_CHART_UNIT_FRACTION);
  gtk_widget_set_size_request (chart, 1200, 400);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  ag_chart_set_range (AG_CHART (chart), t0, t1);
  for (guint i = 0; i < LINES; i++)
    {
      g_autoptr(GArray) resets = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) points = make_line (i, t0, t1, resets);
      g_autofree char *name = g_strdup_printf ("account%u · model", i);

      ag_chart_add_line (AG_CHART (chart), name, points, resets);
      samples += SAMPLES_PER_LINE;
    }
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (chart) == 0 || !gtk_widget_get_mapped (chart))
    g_main_context_iteration (NULL, TRUE);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  for (guint run = 0; run < 2 * RUNS; run++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gboolean fresh = run % 2 == 0;
      gint64 wall_start = g_get_monotonic_time ();
      double start;

      /* Even runs draw new data (the range moved by a millisecond, as when the page reloads), odd runs repaint
       * (the cursor moved: the lines' bitmap is reused). */
      if (fresh)
        ag_chart_set_range (AG_CHART (chart), t0 + run, t1 + run);
      else
        ag_chart_select_time (AG_CHART (chart), t0 + run * DAY_MS / 5);
      start = cpu_ms ();
      GTK_WIDGET_GET_CLASS (chart)->snapshot (chart, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (chart),
                                                                                     gtk_widget_get_height (chart)));
      (fresh ? first_ms : repaint_ms)[run / 2] = cpu_ms () - start;
      if (fresh)
        wall_ms[run / 2] = (g_get_monotonic_time () - wall_start) / 1000.0;
    }
  if (g_file_get_contents ("/proc/loadavg", &load_average, NULL, NULL))
    *strchr (load_average, ' ') = '\0';
  qsort (first_ms, RUNS, sizeof (double), compare_double);
  qsort (repaint_ms, RUNS, sizeof (double), compare_double);
  qsort (wall_ms, RUNS, sizeof (double), compare_double);
  g_print ("chart draw: %u samples in %u lines over 30 days, %d x %d px, %s, %d runs each\n", samples, LINES,
           gtk_widget_get_width (chart), gtk_widget_get_height (chart), G_OBJECT_TYPE_NAME (renderer), RUNS);
  g_print ("  new data (snapshot + rasterise), CPU: median %.2f ms, p90 %.2f ms (target <= %.0f ms: %s)\n",
           first_ms[RUNS / 2], first_ms[RUNS * 9 / 10], TARGET_MS, first_ms[RUNS / 2] <= TARGET_MS ? "met" : "MISSED");
  g_print ("  repaint (cursor moved), CPU:         median %.2f ms, p90 %.2f ms\n", repaint_ms[RUNS / 2],
           repaint_ms[RUNS * 9 / 10]);
  g_print ("  new data, wall clock: median %.2f ms (load average %s on this machine)\n", wall_ms[RUNS / 2],
           load_average);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
