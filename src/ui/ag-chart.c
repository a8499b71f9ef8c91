/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-chart-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "ag-chart-geometry.h"

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

guint
ag_chart_n_buckets (AgChart *self)
{
  return self->edges != NULL && self->edges->len > 1 ? self->edges->len - 1 : 0;
}

double
ag_chart_bar_value (AgChart *self, guint bucket, guint key)
{
  return g_array_index (self->bar_values, double, bucket * self->bar_names->len + key);
}

double
ag_chart_bucket_total (AgChart *self, guint bucket)
{
  double total = 0;

  for (guint k = 0; k < self->bar_names->len; k++)
    total += ag_chart_bar_value (self, bucket, k);
  return total;
}

static void
data_changed (AgChart *self)
{
  self->lines_dirty = TRUE;
  ag_chart_rebuild_table (self);
  ag_chart_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- input -------------------------------------------------------------------------------------------------- */

AgChartRect
ag_chart_plot_area (AgChart *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  AgChartRect compact = { 0, 1, width, height - 1 };
  AgChartRect full = { MARGIN_LEFT, MARGIN_TOP, width - MARGIN_LEFT - MARGIN_RIGHT,
                       height - MARGIN_TOP - MARGIN_BOTTOM };

  return self->compact ? compact : full;
}

static gint64
time_at (AgChart *self, double x)
{
  AgChartFrame frame = { ag_chart_plot_area (self), self->t0, self->t1, 0, 1 };

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
  gint64 step = ag_chart_n_buckets (self) > 0 ? (self->t1 - self->t0) / (gint64) ag_chart_n_buckets (self)
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
  if (AG_CHART (widget)->compact)
    {
      *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 32;
      return;
    }
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 220;
}

static void
ag_chart_finalize (GObject *object)
{
  AgChart *self = AG_CHART (object);

  g_ptr_array_unref (self->lines);
  g_ptr_array_unref (self->forecasts);
  g_clear_pointer (&self->edges, g_array_unref);
  g_clear_pointer (&self->bar_names, g_ptr_array_unref);
  g_clear_pointer (&self->bar_values, g_array_unref);
  g_time_zone_unref (self->tz);
  g_free (self->readout);
  g_free (self->summary);
  g_object_unref (self->table);
  g_clear_pointer (&self->lines_surface, cairo_surface_destroy);
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
  self->forecasts = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
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
  g_ptr_array_set_size (self->forecasts, 0);
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
  line->color = self->lines->len;
  g_ptr_array_add (self->lines, line);
  data_changed (self);
}

void
ag_chart_add_forecast (AgChart *self, guint line, GArray *points)
{
  Line *forecast;

  g_return_if_fail (AG_IS_CHART (self));
  g_return_if_fail (line < self->lines->len);
  g_return_if_fail (points != NULL && points->len > 0);
  forecast = g_new0 (Line, 1);
  forecast->name = g_strdup (((Line *) g_ptr_array_index (self->lines, line))->name);
  forecast->points = g_array_copy (points);
  forecast->color = line;
  g_ptr_array_add (self->forecasts, forecast);
  data_changed (self);
}

guint
ag_chart_get_n_forecasts (AgChart *self)
{
  return self->forecasts->len;
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
ag_chart_set_compact (AgChart *self, gboolean compact)
{
  g_return_if_fail (AG_IS_CHART (self));
  self->compact = compact;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ag_chart_select_time (AgChart *self, gint64 time_ms)
{
  g_return_if_fail (AG_IS_CHART (self));
  if (self->cursor == time_ms)
    return;
  self->cursor = time_ms;
  ag_chart_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
