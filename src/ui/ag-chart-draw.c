/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chart's snapshot: axes, legend, bars, lines (dense ones as a cached bitmap), reset markers and the cursor,
 * where ag-chart-geometry.c says, in libadwaita's colours. */
#include "config.h"
#include "ag-chart-private.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>
#include "ag-chart-geometry.h"

/* libadwaita's palette; each line or stack takes the next. The same names exist in light and dark. */
static const char * const palette[] = {
  "blue_3", "green_4", "orange_3", "purple_3", "red_3", "yellow_5", "brown_3", "blue_5", "green_2", "purple_1",
};

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
  for (guint b = 0; b < ag_chart_n_buckets (self); b++)
    max = MAX (max, ag_chart_bucket_total (self, b));
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
  for (guint b = 0; b < ag_chart_n_buckets (self); b++)
    {
      double bottom = 0;

      for (guint k = 0; k < self->bar_names->len; k++)
        {
          double value = ag_chart_bar_value (self, b, k);
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

/* Blends @color (straight alpha) over the box @box of the premultiplied ARGB32 bitmap @pixels (@stride in
 * pixels). The palette is opaque, so most boxes are plain stores. */
static void
fill_box (guint32 *pixels, int stride, int width, int height, const AgChartRect *box, const GdkRGBA *color)
{
  int x0 = MAX ((int) box->x, 0), x1 = MIN ((int) ceil (box->x + box->width), width);
  int y0 = MAX ((int) box->y, 0), y1 = MIN ((int) (box->y + box->height), height);
  guint a = (guint) (color->alpha * 255 + 0.5);
  guint r = (guint) (color->red * a + 0.5), g = (guint) (color->green * a + 0.5), b = (guint) (color->blue * a + 0.5);
  guint32 solid = (a << 24) | (r << 16) | (g << 8) | b;

  for (int y = y0; y < y1; y++)
    {
      guint32 *row = &pixels[(gsize) y * stride];

      if (a == 255)
        {
          for (int x = x0; x < x1; x++)
            row[x] = solid;
          continue;
        }
      for (int x = x0; x < x1; x++)
        {
          guint32 old = row[x], keep = 255 - a;

          row[x] = ((a + ((old >> 24) * keep) / 255) << 24) | ((r + (((old >> 16) & 0xff) * keep) / 255) << 16) |
                   ((g + (((old >> 8) & 0xff) * keep) / 255) << 8) | (b + ((old & 0xff) * keep) / 255);
        }
    }
}

/* A reset: a small triangle standing on the time axis at @x, 6 px tall, as rows of pixels. */
static void
fill_marker (guint32 *pixels, int stride, int width, int height, double x, double bottom, int scale,
             const GdkRGBA *color)
{
  int rows = MARKER_HEIGHT * scale;

  for (int row = 0; row < rows; row++)
    {
      double half = MARKER_HALF_WIDTH * scale * (row + 1) / rows;
      AgChartRect line = { round (x - half), bottom - rows + row, MAX (round (2 * half), 1), 1 };

      fill_box (pixels, stride, width, height, &line, color);
    }
}

/* Dense lines into the chart's bitmap at the display's scale: per pixel column the span each line covers, from
 * the pure geometry. A stroke of 4 000 points per line costs cairo tens of milliseconds; this costs about one.
 * The bitmap is a cairo image surface, reused while the size stays: GTK 4.8's cairo renderer converts a
 * GdkTexture through floats on every frame (about 4 ms for this size), an image surface it paints directly. */
static void
render_dense_lines (AgChart *self, AgChartFrame *frame, int scale)
{
  int width = (int) ceil (frame->plot.width * scale), height = (int) ceil ((frame->plot.height + 4) * scale);
  AgChartFrame device = { { 0, 2 * scale, width, frame->plot.height * scale }, frame->t0, frame->t1,
                          frame->v0, frame->v1 };
  guint32 *pixels;
  int stride;

  self->lines_any = FALSE;
  for (guint i = 0; i < self->lines->len && !self->lines_any; i++)
    self->lines_any = is_dense (g_ptr_array_index (self->lines, i), frame);
  if (!self->lines_any)
    return;
  if (self->lines_surface != NULL && (cairo_image_surface_get_width (self->lines_surface) != width ||
                                      cairo_image_surface_get_height (self->lines_surface) != height))
    g_clear_pointer (&self->lines_surface, cairo_surface_destroy);
  if (self->lines_surface == NULL)
    self->lines_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  /* A render node still showing the old picture keeps its own copy (cairo copies on write). */
  cairo_surface_flush (self->lines_surface);
  pixels = (guint32 *) cairo_image_surface_get_data (self->lines_surface);
  stride = cairo_image_surface_get_stride (self->lines_surface) / 4;
  memset (pixels, 0, (gsize) stride * 4 * height);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      GdkRGBA color = named_color (self, palette[line->color % G_N_ELEMENTS (palette)], 1);
      g_autoptr(GArray) spans = NULL;

      if (!is_dense (line, frame))
        continue;
      spans = ag_chart_line_spans (&device, (AgSeriesPoint *) line->points->data, line->points->len,
                                   LINE_WIDTH * scale);
      for (guint b = 0; b < spans->len; b++)
        fill_box (pixels, stride, width, height, &g_array_index (spans, AgChartRect, b), &color);
      for (guint m = 0; line->markers != NULL && m < line->markers->len; m++)
        {
          gint64 at = g_array_index (line->markers, gint64, m);

          if (at >= frame->t0 && at <= frame->t1)
            fill_marker (pixels, stride, width, height, ag_chart_x_for_time (&device, at),
                         device.plot.y + device.plot.height, scale, &color);
        }
    }
  cairo_surface_mark_dirty (self->lines_surface);
  cairo_surface_set_device_scale (self->lines_surface, scale, scale);
}

static void
draw_dense_lines (AgChart *self, GtkSnapshot *snapshot, AgChartFrame *frame)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (frame->plot.x, frame->plot.y - 2, frame->plot.width,
                                               frame->plot.height + 4);
  cairo_t *cr;

  if (self->lines_dirty || self->lines_scale != scale || memcmp (&self->lines_frame, frame, sizeof (AgChartFrame)) != 0)
    {
      render_dense_lines (self, frame, scale);
      self->lines_dirty = FALSE;
      self->lines_frame = *frame;
      self->lines_scale = scale;
    }
  if (!self->lines_any)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_set_source_surface (cr, self->lines_surface, bounds.origin.x, bounds.origin.y);
  cairo_paint (cr);
  cairo_destroy (cr);
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
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      GdkRGBA color = named_color (self, palette[line->color % G_N_ELEMENTS (palette)], 1);
      g_autoptr(GArray) pixels = NULL;

      /* Dense lines and their markers are in the bitmap. */
      if (is_dense (line, frame))
        continue;
      gdk_cairo_set_source_rgba (cr, &color);
      pixels = ag_chart_line (frame, (AgSeriesPoint *) line->points->data, line->points->len);
      stroke_line (cr, pixels);
      cairo_stroke (cr);
      /* Resets: a small triangle in the line's colour on the time axis; a full-height rule per reset would bury
       * a month of 5-hour windows. */
      for (guint m = 0; line->markers != NULL && m < line->markers->len; m++)
        {
          gint64 at = g_array_index (line->markers, gint64, m);
          double x = ag_chart_x_for_time (frame, at), bottom = frame->plot.y + frame->plot.height;

          if (at < self->t0 || at > self->t1)
            continue;
          cairo_move_to (cr, x, bottom - MARKER_HEIGHT);
          cairo_line_to (cr, x - MARKER_HALF_WIDTH, bottom);
          cairo_line_to (cr, x + MARKER_HALF_WIDTH, bottom);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
    }
  /* Forecasts: what has not happened yet is dashed. */
  cairo_set_dash (cr, (const double[]) { 6, 4 }, 2, 0);
  for (guint i = 0; i < self->forecasts->len; i++)
    {
      Line *forecast = g_ptr_array_index (self->forecasts, i);
      GdkRGBA color = named_color (self, palette[forecast->color % G_N_ELEMENTS (palette)], 1);
      g_autoptr(GArray) pixels = ag_chart_line (frame, (AgSeriesPoint *) forecast->points->data,
                                                forecast->points->len);

      gdk_cairo_set_source_rgba (cr, &color);
      stroke_line (cr, pixels);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

void
ag_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AgChart *self = AG_CHART (widget);
  AgChartFrame frame = { ag_chart_plot_area (self), self->t0, self->t1, 0, 1 };
  g_autoptr(GArray) value_ticks = NULL;

  if (frame.plot.width < 10 || frame.plot.height < 10 || self->t1 <= self->t0)
    return;
  value_ticks = ag_chart_value_ticks (data_max (self), MAX ((guint) (frame.plot.height / 40), 1), &frame.v1);
  if (!self->compact)
    draw_axes (self, snapshot, &frame, value_ticks);
  if (ag_chart_n_buckets (self) > 0)
    {
      if (!self->compact)
        draw_legend (self, snapshot, self->bar_names->len, bar_name);
      draw_bars (self, snapshot, &frame);
    }
  if (self->lines->len > 0)
    {
      if (!self->compact)
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
