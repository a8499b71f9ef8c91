/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-chart.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "ag-chart-geometry.h"

#define MARGIN_LEFT 52
#define MARGIN_RIGHT 12
#define MARGIN_TOP 26      /* the legend */
#define MARGIN_BOTTOM 22   /* the time labels */
#define TABLE_ROWS_PER_LINE 200
#define KEY_STEPS 48       /* arrow-key steps across the range of a line chart */
#define LINE_WIDTH 2

/* libadwaita's palette; each line or stack takes the next. The same names exist in light and dark. */
static const char * const palette[] = {
  "blue_3", "green_4", "orange_3", "purple_3", "red_3", "yellow_5", "brown_3", "blue_5", "green_2", "purple_1",
};

typedef struct {
  char   *name;
  GArray *points;    /* AgSeriesPoint */
  GArray *markers;   /* gint64 */
} Line;

struct _AgChart
{
  GtkWidget      parent_instance;

  AgChartUnit    unit;
  gint64         t0, t1;
  GPtrArray     *lines;        /* Line */
  GArray        *edges;        /* bars: gint64, n_buckets + 1 */
  GPtrArray     *bar_names;
  GArray        *bar_values;   /* double, n_buckets × names */
  GTimeZone     *tz;
  gint64         cursor;       /* -1 = none */
  char          *readout;
  char          *summary;
  GtkStringList *table;
  /* The dense lines' bitmap, kept while the data, the frame and the scale stay: moving the cursor or a redraw
   * of the window costs nothing for them. */
  GdkTexture    *lines_texture;
  AgChartFrame   lines_frame;
  int            lines_scale;
};

G_DEFINE_FINAL_TYPE (AgChart, ag_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_READOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
line_free (Line *line)
{
  g_free (line->name);
  g_array_unref (line->points);
  g_clear_pointer (&line->markers, g_array_unref);
  g_free (line);
}

static guint
n_buckets (AgChart *self)
{
  return self->edges != NULL && self->edges->len > 1 ? self->edges->len - 1 : 0;
}

static double
bar_value (AgChart *self, guint bucket, guint key)
{
  return g_array_index (self->bar_values, double, bucket * self->bar_names->len + key);
}

static double
bucket_total (AgChart *self, guint bucket)
{
  double total = 0;

  for (guint k = 0; k < self->bar_names->len; k++)
    total += bar_value (self, bucket, k);
  return total;
}

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

static char *
format_time (AgChart *self, gint64 time_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->tz);

  return g_date_time_format (local, "%a %-d %b %H:%M");
}

/* --- what the data says: readout, table, summary ------------------------------------------------------------ */

static void
append_bucket (AgChart *self, GString *text, guint bucket)
{
  g_autofree char *from = format_time (self, g_array_index (self->edges, gint64, bucket));
  g_autofree char *total = ag_chart_format_value (self->unit, bucket_total (self, bucket));

  g_string_append_printf (text, "%s · %s %s", from, _("total"), total);
  for (guint k = 0; k < self->bar_names->len; k++)
    if (bar_value (self, bucket, k) > 0)
      {
        g_autofree char *value = ag_chart_format_value (self->unit, bar_value (self, bucket, k));

        g_string_append_printf (text, ", %s %s", (char *) g_ptr_array_index (self->bar_names, k), value);
      }
}

static int
bucket_at (AgChart *self, gint64 time_ms)
{
  for (guint b = 0; b < n_buckets (self); b++)
    if (time_ms >= g_array_index (self->edges, gint64, b) && time_ms < g_array_index (self->edges, gint64, b + 1))
      return (int) b;
  return -1;
}

static void
update_readout (AgChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  /* A line's point counts when it is within 1/40 of the range: nearer than that is "at" the cursor. */
  gint64 reach = MAX ((self->t1 - self->t0) / 40, 1);

  if (self->cursor >= 0 && n_buckets (self) > 0)
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
        when = format_time (self, point->time_ms);
        value = ag_chart_format_value (self->unit, point->value);
        g_string_append_printf (text, "%s%s · %s: %s", text->len > 0 ? "\n" : "", when, line->name, value);
      }
  if (g_strcmp0 (self->readout, text->str) == 0)
    return;
  g_free (self->readout);
  self->readout = g_strdup (text->str);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

static void
rebuild_table (AgChart *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *from = format_time (self, self->t0);
  g_autofree char *to = format_time (self, self->t1);

  for (guint b = 0; b < n_buckets (self); b++)
    if (bucket_total (self, b) > 0)
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
          when = format_time (self, point->time_ms);
          value = ag_chart_format_value (self->unit, point->value);
          g_ptr_array_add (rows, g_strdup_printf ("%s · %s: %s", when, line->name, value));
        }
    }
  g_ptr_array_add (rows, NULL);
  gtk_string_list_splice (self->table, 0, g_list_model_get_n_items (G_LIST_MODEL (self->table)),
                          (const char * const *) rows->pdata);

  if (self->lines->len > 0)
    g_string_printf (summary, g_dngettext (GETTEXT_PACKAGE, "A chart of %u line from %s to %s.",
                                           "A chart of %u lines from %s to %s.", self->lines->len),
                     self->lines->len, from, to);
  else if (n_buckets (self) > 0)
    g_string_printf (summary, _("A bar chart of %u periods from %s to %s."), n_buckets (self), from, to);
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
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
}

static void
data_changed (AgChart *self)
{
  g_clear_object (&self->lines_texture);
  rebuild_table (self);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- drawing ------------------------------------------------------------------------------------------------ */

static GdkRGBA
named_color (AgChart *self, const char *name, float alpha)
{
  GdkRGBA color = { 0.2f, 0.4f, 0.8f, 1 };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)), name, &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color.alpha *= alpha;
  return color;
}

static GdkRGBA
foreground (AgChart *self, float alpha)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  color.alpha *= alpha;
  return color;
}

static double
data_max (AgChart *self)
{
  double max = 0;

  if (self->unit == AG_CHART_UNIT_FRACTION)
    return 1;
  for (guint b = 0; b < n_buckets (self); b++)
    max = MAX (max, bucket_total (self, b));
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      for (guint p = 0; p < line->points->len; p++)
        {
          double value = g_array_index (line->points, AgSeriesPoint, p).value;

          if (!isnan (value))
            max = MAX (max, value);
        }
    }
  return max;
}

static void
draw_text (AgChart *self, GtkSnapshot *snapshot, const char *text, double x, double y, double align,
           const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x - width * align), round (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
fill (GtkSnapshot *snapshot, const GdkRGBA *color, double x, double y, double width, double height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
draw_axes (AgChart *self, GtkSnapshot *snapshot, AgChartFrame *frame, GArray *value_ticks)
{
  GdkRGBA grid = foreground (self, 0.1f), strong = foreground (self, 0.25f), label = foreground (self, 0.7f);
  g_autoptr(GArray) time_ticks = ag_chart_time_ticks (self->tz, self->t0, self->t1,
                                                      MAX ((guint) (frame->plot.width / 90), 2));

  for (guint i = 0; i < value_ticks->len; i++)
    {
      double value = g_array_index (value_ticks, double, i);
      double y = round (ag_chart_y_for_value (frame, value));
      g_autofree char *text = ag_chart_format_value (self->unit, value);

      fill (snapshot, i == 0 ? &strong : &grid, frame->plot.x, y, frame->plot.width, 1);
      draw_text (self, snapshot, text, frame->plot.x - 6, y, 1, &label);
    }
  for (guint i = 0; i < time_ticks->len; i++)
    {
      AgChartTimeTick *tick = &g_array_index (time_ticks, AgChartTimeTick, i);
      double x = round (ag_chart_x_for_time (frame, tick->time_ms));

      fill (snapshot, tick->day ? &strong : &grid, x, frame->plot.y, 1, frame->plot.height);
      draw_text (self, snapshot, tick->label, x, frame->plot.y + frame->plot.height + MARGIN_BOTTOM / 2.0, 0.5,
                 &label);
    }
}

static void
draw_legend (AgChart *self, GtkSnapshot *snapshot, guint n, const char *(*name_of) (AgChart *, guint))
{
  GdkRGBA label = foreground (self, 0.8f);
  double x = MARGIN_LEFT;

  for (guint i = 0; i < n; i++)
    {
      GdkRGBA color = named_color (self, palette[i % G_N_ELEMENTS (palette)], 1);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name_of (self, i));
      int width, height;

      pango_layout_get_pixel_size (layout, &width, &height);
      if (x + 14 + width > gtk_widget_get_width (GTK_WIDGET (self)))
        break;
      fill (snapshot, &color, x, MARGIN_TOP / 2.0 - 5, 10, 10);
      draw_text (self, snapshot, name_of (self, i), x + 14, MARGIN_TOP / 2.0, 0, &label);
      x += 14 + width + 16;
    }
}

static const char *
line_name (AgChart *self, guint i)
{
  return ((Line *) g_ptr_array_index (self->lines, i))->name;
}

static const char *
bar_name (AgChart *self, guint i)
{
  return g_ptr_array_index (self->bar_names, i);
}

static void
draw_bars (AgChart *self, GtkSnapshot *snapshot, AgChartFrame *frame)
{
  for (guint b = 0; b < n_buckets (self); b++)
    {
      double bottom = 0;

      for (guint k = 0; k < self->bar_names->len; k++)
        {
          double value = bar_value (self, b, k);
          GdkRGBA color = named_color (self, palette[k % G_N_ELEMENTS (palette)], 0.85f);
          AgChartRect rect;

          if (value <= 0)
            continue;
          rect = ag_chart_bar (frame, g_array_index (self->edges, gint64, b),
                               g_array_index (self->edges, gint64, b + 1), bottom, bottom + value);
          fill (snapshot, &color, rect.x, rect.y, rect.width, rect.height);
          bottom += value;
        }
    }
}

static void
stroke_line (cairo_t *cr, GArray *pixels)
{
  gboolean pen_down = FALSE;

  for (guint p = 0; p < pixels->len; p++)
    {
      AgChartPoint *point = &g_array_index (pixels, AgChartPoint, p);
      gboolean alone;

      if (isnan (point->x))
        {
          pen_down = FALSE;
          continue;
        }
      /* A point with no neighbour on its segment would vanish: a dot instead. */
      alone = !pen_down && (p + 1 == pixels->len || isnan (g_array_index (pixels, AgChartPoint, p + 1).x));
      if (alone)
        cairo_rectangle (cr, point->x - 1.5, point->y - 1.5, 3, 3);
      else if (pen_down)
        cairo_line_to (cr, point->x, point->y);
      else
        cairo_move_to (cr, point->x, point->y);
      pen_down = !alone;
    }
}

/* More points than half the pixels across: drawn as pixel columns into a bitmap rather than stroked. */
static gboolean
is_dense (Line *line, AgChartFrame *frame)
{
  return line->points->len > frame->plot.width / 2;
}

/* Blends @color (straight alpha) over the box @box of the premultiplied BGRA bitmap @pixels. */
static void
fill_box (guint32 *pixels, int width, int height, const AgChartRect *box, const GdkRGBA *color)
{
  int x = (int) box->x, y0 = MAX ((int) box->y, 0), y1 = MIN ((int) (box->y + box->height), height);
  guint a = (guint) (color->alpha * 255 + 0.5);
  guint r = (guint) (color->red * a + 0.5), g = (guint) (color->green * a + 0.5), b = (guint) (color->blue * a + 0.5);

  if (x < 0 || x >= width)
    return;
  for (int y = y0; y < y1; y++)
    {
      guint32 *pixel = &pixels[(gsize) y * width + x];
      guint32 old = *pixel, keep = 255 - a;

      *pixel = ((a + ((old >> 24) * keep) / 255) << 24) | ((r + (((old >> 16) & 0xff) * keep) / 255) << 16) |
               ((g + (((old >> 8) & 0xff) * keep) / 255) << 8) | (b + ((old & 0xff) * keep) / 255);
    }
}

/* Dense lines as one bitmap at the display's scale: per pixel column the span each line covers, from the pure
 * geometry. A stroke of 4 000 points per line costs cairo tens of milliseconds; this costs well under one. */
static GdkTexture *
render_dense_lines (AgChart *self, AgChartFrame *frame, int scale)
{
  int width = (int) ceil (frame->plot.width * scale), height = (int) ceil ((frame->plot.height + 4) * scale);
  AgChartFrame device = { { 0, 2 * scale, width, frame->plot.height * scale }, frame->t0, frame->t1,
                          frame->v0, frame->v1 };
  g_autofree guint32 *pixels = g_new0 (guint32, (gsize) width * height);
  g_autoptr(GBytes) bytes = NULL;
  gboolean any = FALSE;

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      GdkRGBA color = named_color (self, palette[i % G_N_ELEMENTS (palette)], 1);
      g_autoptr(GArray) spans = NULL;

      if (!is_dense (line, frame))
        continue;
      spans = ag_chart_line_spans (&device, (AgSeriesPoint *) line->points->data, line->points->len,
                                   LINE_WIDTH * scale);
      for (guint b = 0; b < spans->len; b++)
        fill_box (pixels, width, height, &g_array_index (spans, AgChartRect, b), &color);
      any = TRUE;
    }
  if (!any)
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), (gsize) width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, (gsize) width * 4);
}

static void
draw_dense_lines (AgChart *self, GtkSnapshot *snapshot, AgChartFrame *frame)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->lines_texture == NULL || self->lines_scale != scale ||
      memcmp (&self->lines_frame, frame, sizeof (AgChartFrame)) != 0)
    {
      g_clear_object (&self->lines_texture);
      self->lines_texture = render_dense_lines (self, frame, scale);
      self->lines_frame = *frame;
      self->lines_scale = scale;
    }
  if (self->lines_texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->lines_texture,
                                 &GRAPHENE_RECT_INIT (frame->plot.x, frame->plot.y - 2, frame->plot.width,
                                                      frame->plot.height + 4));
}

static void
draw_lines (AgChart *self, GtkSnapshot *snapshot, AgChartFrame *frame)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                               gtk_widget_get_height (GTK_WIDGET (self)));
  cairo_t *cr;

  draw_dense_lines (self, snapshot, frame);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);

  cairo_rectangle (cr, frame->plot.x, frame->plot.y - 2, frame->plot.width, frame->plot.height + 4);
  cairo_clip (cr);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      GdkRGBA color = named_color (self, palette[i % G_N_ELEMENTS (palette)], 1);

      gdk_cairo_set_source_rgba (cr, &color);
      if (!is_dense (line, frame))
        {
          g_autoptr(GArray) pixels = ag_chart_line (frame, (AgSeriesPoint *) line->points->data, line->points->len);

          stroke_line (cr, pixels);
          cairo_stroke (cr);
        }
      /* Resets: a small triangle in the line's colour on the time axis; a full-height rule per reset would bury
       * a month of 5-hour windows. */
      for (guint m = 0; line->markers != NULL && m < line->markers->len; m++)
        {
          gint64 at = g_array_index (line->markers, gint64, m);
          double x = ag_chart_x_for_time (frame, at), bottom = frame->plot.y + frame->plot.height;

          if (at < self->t0 || at > self->t1)
            continue;
          cairo_move_to (cr, x, bottom - 6);
          cairo_line_to (cr, x - 3.5, bottom);
          cairo_line_to (cr, x + 3.5, bottom);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

static void
ag_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AgChart *self = AG_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  AgChartFrame frame = {
    { MARGIN_LEFT, MARGIN_TOP, width - MARGIN_LEFT - MARGIN_RIGHT, height - MARGIN_TOP - MARGIN_BOTTOM },
    self->t0, self->t1, 0, 1,
  };
  g_autoptr(GArray) value_ticks = NULL;

  if (frame.plot.width < 10 || frame.plot.height < 10 || self->t1 <= self->t0)
    return;
  value_ticks = ag_chart_value_ticks (data_max (self), MAX ((guint) (frame.plot.height / 40), 1), &frame.v1);
  draw_axes (self, snapshot, &frame, value_ticks);
  if (n_buckets (self) > 0)
    {
      draw_legend (self, snapshot, self->bar_names->len, bar_name);
      draw_bars (self, snapshot, &frame);
    }
  if (self->lines->len > 0)
    {
      draw_legend (self, snapshot, self->lines->len, line_name);
      draw_lines (self, snapshot, &frame);
    }
  if (self->cursor >= self->t0 && self->cursor <= self->t1)
    {
      GdkRGBA cursor = named_color (self, "accent_color", gtk_widget_has_focus (widget) ? 1.0f : 0.6f);

      fill (snapshot, &cursor, round (ag_chart_x_for_time (&frame, self->cursor)), frame.plot.y, 1,
            frame.plot.height);
    }
}

/* --- input -------------------------------------------------------------------------------------------------- */

static gint64
time_at (AgChart *self, double x)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  AgChartFrame frame = { { MARGIN_LEFT, 0, width - MARGIN_LEFT - MARGIN_RIGHT, 1 }, self->t0, self->t1, 0, 1 };

  return CLAMP (ag_chart_time_for_x (&frame, x), self->t0, self->t1);
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, gpointer user_data)
{
  AgChart *self = user_data;

  ag_chart_select_time (self, time_at (self, x));
}

static void
on_leave (GtkEventControllerMotion *controller, gpointer user_data)
{
  AgChart *self = user_data;

  if (!gtk_widget_has_focus (GTK_WIDGET (self)))
    ag_chart_select_time (self, -1);
}

static gboolean
on_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state, gpointer user_data)
{
  AgChart *self = user_data;
  gint64 step = n_buckets (self) > 0 ? (self->t1 - self->t0) / (gint64) n_buckets (self)
                                      : (self->t1 - self->t0) / KEY_STEPS;
  gint64 cursor = self->cursor >= 0 ? self->cursor : self->t1;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      cursor -= step;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      cursor += step;
      break;
    case GDK_KEY_Home:
      cursor = self->t0;
      break;
    case GDK_KEY_End:
      cursor = self->t1 - 1;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }
  ag_chart_select_time (self, CLAMP (cursor, self->t0, self->t1 - 1));
  return GDK_EVENT_STOP;
}

static void
on_focus_enter (GtkEventControllerFocus *controller, gpointer user_data)
{
  AgChart *self = user_data;

  /* The newest data is what one asks about first. */
  if (self->cursor < 0)
    ag_chart_select_time (self, self->t1 - 1);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer user_data)
{
  AgChart *self = AG_CHART (widget);

  if (!keyboard)
    ag_chart_select_time (self, time_at (self, x));
  if (self->readout == NULL || self->readout[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->readout);
  return TRUE;
}

/* --- object ------------------------------------------------------------------------------------------------- */

static void
ag_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                  int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 220;
}

static void
ag_chart_finalize (GObject *object)
{
  AgChart *self = AG_CHART (object);

  g_ptr_array_unref (self->lines);
  g_clear_pointer (&self->edges, g_array_unref);
  g_clear_pointer (&self->bar_names, g_ptr_array_unref);
  g_clear_pointer (&self->bar_values, g_array_unref);
  g_time_zone_unref (self->tz);
  g_free (self->readout);
  g_free (self->summary);
  g_object_unref (self->table);
  g_clear_object (&self->lines_texture);
  G_OBJECT_CLASS (ag_chart_parent_class)->finalize (object);
}

static void
ag_chart_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READOUT:
      g_value_set_string (value, ag_chart_get_readout (AG_CHART (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_chart_class_init (AgChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ag_chart_finalize;
  object_class->get_property = ag_chart_get_property;
  widget_class->snapshot = ag_chart_snapshot;
  widget_class->measure = ag_chart_measure;

  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
on_dark_changed (AgChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ag_chart_init (AgChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  self->tz = g_time_zone_new_local ();
  self->cursor = -1;
  self->readout = g_strdup ("");
  self->table = gtk_string_list_new (NULL);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
ag_chart_new (AgChartUnit unit)
{
  AgChart *self = g_object_new (AG_TYPE_CHART, NULL);

  self->unit = unit;
  return GTK_WIDGET (self);
}

void
ag_chart_set_range (AgChart *self, gint64 t0, gint64 t1)
{
  g_return_if_fail (AG_IS_CHART (self));
  self->t0 = t0;
  self->t1 = t1;
  data_changed (self);
}

void
ag_chart_clear (AgChart *self)
{
  g_return_if_fail (AG_IS_CHART (self));
  g_ptr_array_set_size (self->lines, 0);
  g_clear_pointer (&self->edges, g_array_unref);
  g_clear_pointer (&self->bar_names, g_ptr_array_unref);
  g_clear_pointer (&self->bar_values, g_array_unref);
  data_changed (self);
}

void
ag_chart_add_line (AgChart *self, const char *name, GArray *points, GArray *markers)
{
  Line *line;

  g_return_if_fail (AG_IS_CHART (self));
  line = g_new0 (Line, 1);
  line->name = g_strdup (name);
  line->points = g_array_copy (points);
  line->markers = markers != NULL ? g_array_copy (markers) : NULL;
  g_ptr_array_add (self->lines, line);
  data_changed (self);
}

void
ag_chart_set_bars (AgChart *self, const gint64 *edges, guint n_buckets, const char * const *names, guint n_names,
                   const double *values)
{
  g_return_if_fail (AG_IS_CHART (self));
  g_clear_pointer (&self->edges, g_array_unref);
  g_clear_pointer (&self->bar_names, g_ptr_array_unref);
  g_clear_pointer (&self->bar_values, g_array_unref);
  self->edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (self->edges, edges, n_buckets + 1);
  self->bar_names = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < n_names; k++)
    g_ptr_array_add (self->bar_names, g_strdup (names[k]));
  self->bar_values = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (self->bar_values, values, n_buckets * n_names);
  data_changed (self);
}

guint ag_chart_get_n_lines (AgChart *self) { return self->lines->len; }
const char *ag_chart_get_readout (AgChart *self) { return self->readout; }
GListModel *ag_chart_get_table (AgChart *self) { return G_LIST_MODEL (self->table); }
const char *ag_chart_get_summary (AgChart *self) { return self->summary; }

void
ag_chart_select_time (AgChart *self, gint64 time_ms)
{
  g_return_if_fail (AG_IS_CHART (self));
  if (self->cursor == time_ms)
    return;
  self->cursor = time_ms;
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
