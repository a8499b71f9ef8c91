/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-usage-page-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include "ag-chart-geometry.h"
#include "ag-log-follower.h"
#include "ag-quota-forecast.h"
#include "ag-quota-series.h"
#include "ag-time-steps.h"

#define HOUR_MS ((gint64) 3600 * 1000)
/* Samples further apart than this many poll intervals were not taken in one run of ag-cl: the line breaks. */
#define GAP_POLLS 3
/* The third choice of the quota drop-down: Google's 5-hour and weekly windows. */
#define QUOTA_WINDOWS 2
/* The forecast's pace is read over this much recent history (as on the Overview). */
#define PACE_WINDOW_MS (2 * HOUR_MS)

struct _AgUsagePage
{
  AgPage          parent_instance;

  GtkToggleButton *day_button;
  GtkToggleButton *week_button;
  GtkToggleButton *month_button;
  GtkDropDown     *metric_dropdown;
  GtkDropDown     *grouping_dropdown;
  GtkDropDown     *quota_dropdown;
  GtkToggleButton *table_button;
  GtkStack        *view_stack;
  GtkBox          *charts_box;
  GtkBox          *tables_box;

  AgChart         *quota_chart;
  AgChart         *usage_chart;
  AgChart         *ttfb_chart;
  GtkLabel        *totals_label;
  GtkLabel        *forecast_label;

  AgUsagePeriod    period;
  AgLogFollower   *follower;
  GCancellable    *cancellable;    /* the load in flight */
  guint            pending;        /* queries of that load not answered yet */
  gint64           t0, t1;
  gint64           now_ms;
  gint64           quota_t1;       /* the quota chart looks ahead of now, where its forecasts go */
  guint            loads;
};

G_DEFINE_FINAL_TYPE (AgUsagePage, ag_usage_page, AG_TYPE_PAGE)

static AgHistoryStore *
history (AgUsagePage *self)
{
  return ag_proxy_service_get_history (ag_page_get_service (AG_PAGE (self)));
}

static void
load_done (AgUsagePage *self)
{
  if (--self->pending == 0)
    self->loads++;
}

/* "user@example.com" → "user": the legend has room for names, not addresses. */
static char *
short_account (const char *account)
{
  const char *at = account != NULL ? strchr (account, '@') : NULL;

  return at != NULL ? g_strndup (account, at - account) : g_strdup (account != NULL ? account : "");
}

/* Per family whose pool runs dry at the recent pace: a dashed line from its quota now to empty, as far as the
 * chart reaches. */
static void
add_forecasts (AgUsagePage *self, GPtrArray *samples, GPtrArray *series)
{
  g_autoptr(GArray) forecasts = ag_quota_forecast_compute (samples, self->now_ms, PACE_WINDOW_MS);
  guint drawn = 0;

  for (guint i = 0; i < forecasts->len; i++)
    {
      AgQuotaForecast *forecast = &g_array_index (forecasts, AgQuotaForecast, i);
      g_autoptr(GArray) points = NULL;

      if (forecast->accounts == 0)
        continue;
      points = ag_chart_forecast_line (self->now_ms, forecast->pool_remaining / forecast->accounts,
                                       forecast->empty_at_ms, self->quota_t1);
      if (points->len == 0)
        continue;
      for (guint s = 0; s < series->len; s++)
        if (((AgQuotaSeries *) g_ptr_array_index (series, s))->family == forecast->family)
          {
            ag_chart_add_forecast (self->quota_chart, s, points);
            drawn++;
          }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), drawn > 0);
}

/* The gap beyond which quota readings were not taken by one running ag-cl: a few poll intervals. */
static gint64
quota_gap_ms (AgUsagePage *self)
{
  GSettings *settings = ag_ui_context_get_settings (ag_page_get_context (AG_PAGE (self)));
  gint64 gap_ms = 15 * 60 * 1000;

  if (settings != NULL)
    gap_ms = MAX (gap_ms, (gint64) g_settings_get_uint (settings, "quota-poll-interval") * 1000 * GAP_POLLS);
  return gap_ms;
}

static void
windows_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) windows = ag_history_store_query_quota_windows_finish (AG_HISTORY_STORE (source), result,
                                                                              &error);
  g_autoptr(GPtrArray) series = NULL;
  AgUsagePage *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ag_chart_clear (self->quota_chart);
  ag_chart_set_range (self->quota_chart, self->t0, self->quota_t1);
  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), FALSE);
  if (windows == NULL)
    g_warning ("cannot read the quota windows: %s", error->message);
  series = windows != NULL ? ag_quota_series_by_window (windows, quota_gap_ms (self)) : g_ptr_array_new ();
  for (guint i = 0; i < series->len; i++)
    {
      AgQuotaSeries *one = g_ptr_array_index (series, i);
      /* The group's name is Google's ("Claude and GPT models"), the window's ours. */
      g_autofree char *name = g_strdup_printf ("%s · %s", one->model,
                                               g_strcmp0 (one->window, "5h") == 0 ? _("5 h") : _("weekly"));

      ag_chart_add_line (self->quota_chart, name, one->points, one->resets);
    }
  load_done (self);
}

static void
quota_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = ag_history_store_query_quota_finish (AG_HISTORY_STORE (source), result, &error);
  g_autoptr(GPtrArray) series = NULL;
  AgUsagePage *self = user_data;
  gboolean by_family = gtk_drop_down_get_selected (self->quota_dropdown) == 0;
  gint64 gap_ms = quota_gap_ms (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ag_chart_clear (self->quota_chart);
  ag_chart_set_range (self->quota_chart, self->t0, self->quota_t1);
  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), FALSE);
  if (samples == NULL)
    g_warning ("cannot read the quota history: %s", error->message);
  if (samples == NULL)
    series = g_ptr_array_new ();
  else
    series = by_family ? ag_quota_series_by_family (samples, gap_ms) : ag_quota_series_build (samples, gap_ms);
  for (guint i = 0; i < series->len; i++)
    {
      AgQuotaSeries *one = g_ptr_array_index (series, i);
      g_autofree char *account = short_account (one->account);
      g_autofree char *name = by_family ? g_strdup (one->model) : g_strdup_printf ("%s · %s", account, one->model);

      ag_chart_add_line (self->quota_chart, name, one->points, one->resets);
    }
  if (by_family && samples != NULL)
    add_forecasts (self, samples, series);
  load_done (self);
}

static double
cell_value (AgUsagePage *self, const AgUsageCell *cell)
{
  if (gtk_drop_down_get_selected (self->metric_dropdown) == 1)
    return cell->requests;
  return (double) (cell->input_tokens + cell->output_tokens + cell->cache_read_tokens);
}

static void
show_totals (AgUsagePage *self, const AgUsageReport *report)
{
  AgUsageCell sum = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *cached = NULL;

  for (guint b = 0; b < report->n_buckets; b++)
    {
      AgUsageCell total = ag_usage_report_get_total (report, b);

      sum.requests += total.requests;
      sum.errors += total.errors;
      sum.refused += total.refused;
      sum.rotations += total.rotations;
      sum.input_tokens += total.input_tokens;
      sum.output_tokens += total.output_tokens;
      sum.cache_read_tokens += total.cache_read_tokens;
    }
  input = ag_chart_format_value (AG_CHART_UNIT_COUNT, sum.input_tokens);
  output = ag_chart_format_value (AG_CHART_UNIT_COUNT, sum.output_tokens);
  cached = ag_chart_format_value (AG_CHART_UNIT_COUNT, sum.cache_read_tokens);
  /* Refused requests never reached a model: counted apart, not in the share of errors. */
  sum.requests -= sum.refused;
  text = g_strdup_printf (_("%u requests · %.1f %% errors · %u rotations · %u refused · tokens: %s in, %s out, %s "
                            "read from cache"),
                          sum.requests, sum.requests > 0 ? 100.0 * sum.errors / sum.requests : 0.0, sum.rotations,
                          sum.refused, input, output, cached);
  gtk_label_set_text (self->totals_label, text);
}

static void
show_ttfb (AgUsagePage *self, const AgUsageReport *report)
{
  g_autoptr(GArray) median = g_array_new (FALSE, FALSE, sizeof (AgSeriesPoint));
  g_autoptr(GArray) p95 = g_array_new (FALSE, FALSE, sizeof (AgSeriesPoint));

  for (guint b = 0; b < report->n_buckets; b++)
    {
      gint64 middle = report->edges[b] + (report->edges[b + 1] - report->edges[b]) / 2;
      AgSeriesPoint point = { middle, report->ttfb_median[b] >= 0 ? (double) report->ttfb_median[b] : NAN };
      AgSeriesPoint high = { middle, report->ttfb_p95[b] >= 0 ? (double) report->ttfb_p95[b] : NAN };

      g_array_append_val (median, point);
      g_array_append_val (p95, high);
    }
  ag_chart_clear (self->ttfb_chart);
  ag_chart_set_range (self->ttfb_chart, self->t0, self->t1);
  ag_chart_add_line (self->ttfb_chart, _("median"), median, NULL);
  ag_chart_add_line (self->ttfb_chart, _("95th percentile"), p95, NULL);
}

static void
usage_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgUsageReport) report = ag_history_store_query_usage_finish (AG_HISTORY_STORE (source), result, &error);
  AgUsagePage *self = user_data;
  g_autofree double *values = NULL;
  guint n_keys;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ag_chart_clear (self->usage_chart);
  ag_chart_set_range (self->usage_chart, self->t0, self->t1);
  if (report == NULL)
    {
      g_warning ("cannot read the request history: %s", error->message);
      gtk_label_set_text (self->totals_label, error->message);
      load_done (self);
      return;
    }
  n_keys = report->keys->len;
  values = g_new0 (double, (gsize) report->n_buckets * MAX (n_keys, 1));
  for (guint b = 0; b < report->n_buckets; b++)
    for (guint k = 0; k < n_keys; k++)
      values[b * n_keys + k] = cell_value (self, ag_usage_report_get_cell (report, b, k));
  /* Requests that never reached a model (refused, answered locally) or an account still count. */
  for (guint k = 0; k < n_keys; k++)
    if (((char *) g_ptr_array_index (report->keys, k))[0] == '\0')
      {
        g_free (report->keys->pdata[k]);
        report->keys->pdata[k] = g_strdup (gtk_drop_down_get_selected (self->grouping_dropdown) == 1
                                           ? _("no account") : _("no model"));
      }
  g_ptr_array_add (report->keys, NULL);
  ag_chart_set_bars (self->usage_chart, report->edges, report->n_buckets, (const char * const *) report->keys->pdata,
                     n_keys, values);
  g_ptr_array_set_size (report->keys, n_keys);
  show_totals (self, report);
  show_ttfb (self, report);
  load_done (self);
}

static void
reload (AgUsagePage *self)
{
  static const gint64 period_ms[] = { 24 * HOUR_MS, 7 * 24 * HOUR_MS, 30 * 24 * HOUR_MS };
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GArray) edges = NULL;
  AgTimeUnit unit = self->period == AG_USAGE_PERIOD_DAY ? AG_TIME_UNIT_HOUR : AG_TIME_UNIT_DAY;
  AgUsageGrouping grouping = gtk_drop_down_get_selected (self->grouping_dropdown) == 1 ? AG_USAGE_BY_ACCOUNT
                                                                                        : AG_USAGE_BY_MODEL;
  gint64 end;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->now_ms = self->t1 = g_get_real_time () / 1000;
  self->t0 = self->t1 - period_ms[self->period];
  /* Buckets on the local clock's hours or days, the last one holding now. */
  edges = ag_time_steps (tz, ag_time_floor (tz, self->t0, unit), self->t1, unit, 1);
  end = ag_time_floor (tz, self->t1, unit) + (unit == AG_TIME_UNIT_HOUR ? HOUR_MS : 25 * HOUR_MS);
  end = unit == AG_TIME_UNIT_HOUR ? end : ag_time_floor (tz, end, AG_TIME_UNIT_DAY);
  g_array_append_val (edges, end);
  self->t0 = g_array_index (edges, gint64, 0);
  self->t1 = end;
  self->quota_t1 = MAX (end, self->now_ms + period_ms[self->period] / 8);
  self->pending = 2;
  if (gtk_drop_down_get_selected (self->quota_dropdown) == QUOTA_WINDOWS)
    ag_history_store_query_quota_windows_async (history (self), NULL, self->t0, self->cancellable, windows_loaded,
                                                self);
  else
    ag_history_store_query_quota_async (history (self), NULL, NULL, self->t0, 0, self->cancellable, quota_loaded,
                                        self);
  ag_history_store_query_usage_async (history (self), (gint64 *) edges->data, edges->len, grouping,
                                      self->cancellable, usage_loaded, self);
}

static void
period_toggled (AgUsagePage *self, GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  ag_usage_page_set_period (self, button == self->month_button ? AG_USAGE_PERIOD_MONTH
                                  : button == self->week_button ? AG_USAGE_PERIOD_WEEK : AG_USAGE_PERIOD_DAY);
}

static void
options_changed (AgUsagePage *self)
{
  if (ag_page_get_context (AG_PAGE (self)) != NULL)
    reload (self);
}

static void
table_toggled (AgUsagePage *self, GtkToggleButton *button)
{
  gtk_stack_set_visible_child_name (self->view_stack, gtk_toggle_button_get_active (button) ? "tables" : "charts");
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  return label;
}

static GtkWidget *
table_row (gpointer item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (gtk_string_object_get_string (item));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 12);
  return label;
}

/* A chart under its title with its readout, and the same data as a list in the tables view. */
static AgChart *
add_chart (AgUsagePage *self, const char *title, AgChartUnit unit, int height)
{
  GtkWidget *chart = ag_chart_new (unit);
  GtkWidget *readout = gtk_label_new (NULL);
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_set_size_request (chart, -1, height);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_label_set_xalign (GTK_LABEL (readout), 0);
  gtk_widget_add_css_class (readout, "dim-label");
  gtk_widget_add_css_class (readout, "caption");
  g_object_bind_property (chart, "readout", readout, "label", G_BINDING_SYNC_CREATE);
  gtk_box_append (self->charts_box, heading (title));
  gtk_box_append (self->charts_box, chart);
  gtk_box_append (self->charts_box, readout);

  gtk_list_box_bind_model (GTK_LIST_BOX (list), ag_chart_get_table (AG_CHART (chart)), table_row, NULL, NULL);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_box_append (self->tables_box, heading (title));
  gtk_box_append (self->tables_box, list);
  return AG_CHART (chart);
}

static void
ag_usage_page_constructed (GObject *object)
{
  AgUsagePage *self = AG_USAGE_PAGE (object);

  G_OBJECT_CLASS (ag_usage_page_parent_class)->constructed (object);

  self->quota_chart = add_chart (self, _("Quota Remaining"), AG_CHART_UNIT_FRACTION, 260);
  self->forecast_label = GTK_LABEL (gtk_label_new (_("Dashed: where each family's pool runs dry if use goes on at "
                                                     "the pace of the last two hours of quota readings, and no "
                                                     "account is refilled first.")));
  gtk_label_set_xalign (self->forecast_label, 0);
  gtk_label_set_wrap (self->forecast_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->forecast_label), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->forecast_label), FALSE);
  gtk_box_append (self->charts_box, GTK_WIDGET (self->forecast_label));
  self->usage_chart = add_chart (self, _("Usage"), AG_CHART_UNIT_COUNT, 220);
  self->totals_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->totals_label, 0);
  gtk_label_set_wrap (self->totals_label, TRUE);
  gtk_box_append (self->charts_box, GTK_WIDGET (self->totals_label));
  self->ttfb_chart = add_chart (self, _("Time to First Byte"), AG_CHART_UNIT_MILLISECONDS, 180);
  self->follower = ag_log_follower_new (GTK_WIDGET (self), history (self));
  g_signal_connect_swapped (self->follower, "refresh", G_CALLBACK (reload), self);
}

static void
ag_usage_page_dispose (GObject *object)
{
  AgUsagePage *self = AG_USAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->follower);
  G_OBJECT_CLASS (ag_usage_page_parent_class)->dispose (object);
}

static void
ag_usage_page_class_init (AgUsagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ag_usage_page_constructed;
  object_class->dispose = ag_usage_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/agcl/AgCl/ag-usage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, day_button);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, week_button);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, month_button);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, grouping_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, quota_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, table_button);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, AgUsagePage, tables_box);
  gtk_widget_class_bind_template_callback (widget_class, period_toggled);
  gtk_widget_class_bind_template_callback (widget_class, options_changed);
  gtk_widget_class_bind_template_callback (widget_class, table_toggled);
}

static void
ag_usage_page_init (AgUsagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ag_usage_page_new (AgUiContext *context)
{
  return g_object_new (AG_TYPE_USAGE_PAGE, "context", context, NULL);
}

AgChart *ag_usage_page_get_quota_chart (AgUsagePage *self) { return self->quota_chart; }
gboolean ag_usage_page_get_forecast_shown (AgUsagePage *self) { return gtk_widget_get_visible (GTK_WIDGET (self->forecast_label)); }

void
ag_usage_page_set_quota_by_family (AgUsagePage *self, gboolean by_family)
{
  gtk_drop_down_set_selected (self->quota_dropdown, by_family ? 0 : 1);
}

void
ag_usage_page_show_quota_windows (AgUsagePage *self)
{
  gtk_drop_down_set_selected (self->quota_dropdown, QUOTA_WINDOWS);
}
AgChart *ag_usage_page_get_usage_chart (AgUsagePage *self) { return self->usage_chart; }
AgChart *ag_usage_page_get_ttfb_chart (AgUsagePage *self) { return self->ttfb_chart; }
const char *ag_usage_page_get_totals_text (AgUsagePage *self) { return gtk_label_get_text (self->totals_label); }
guint ag_usage_page_get_loads (AgUsagePage *self) { return self->loads; }

void
ag_usage_page_set_period (AgUsagePage *self, AgUsagePeriod period)
{
  GtkToggleButton *buttons[] = { self->day_button, self->week_button, self->month_button };

  self->period = period;
  if (!gtk_toggle_button_get_active (buttons[period]))
    gtk_toggle_button_set_active (buttons[period], TRUE);   /* toggles back into here */
  else
    reload (self);
}

void
ag_usage_page_set_table_view (AgUsagePage *self, gboolean table)
{
  gtk_toggle_button_set_active (self->table_button, table);
}
