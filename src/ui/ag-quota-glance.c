/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-quota-glance.h"

#include <glib/gi18n.h>
#include "ag-chart.h"
#include "ag-log-follower.h"
#include "ag-quota-forecast.h"
#include "ag-time-steps.h"

#define HOUR_MS ((gint64) 3600 * 1000)
/* The pace is read over this much recent history. */
#define PACE_WINDOW_MS (2 * HOUR_MS)

struct _AgQuotaGlance
{
  AdwPreferencesGroup parent_instance;

  AgUiContext  *context;
  GPtrArray    *family_rows;   /* AdwActionRow, one per family shown */
  AdwActionRow *today_row;
  AgChart      *sparkline;
  AgLogFollower *follower;
  GCancellable *cancellable;
  guint         pending;
  guint         loads;
  gint64        now_ms;
};

G_DEFINE_FINAL_TYPE (AgQuotaGlance, ag_quota_glance, ADW_TYPE_PREFERENCES_GROUP)

static AgHistoryStore *
history (AgQuotaGlance *self)
{
  return ag_proxy_service_get_history (ag_ui_context_get_service (self->context));
}

static void
load_done (AgQuotaGlance *self)
{
  if (--self->pending == 0)
    self->loads++;
}

static void
show_forecasts (AgQuotaGlance *self, GArray *forecasts)
{
  for (guint i = 0; i < self->family_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->family_rows, i));
  g_ptr_array_set_size (self->family_rows, 0);
  for (guint i = 0; i < forecasts->len; i++)
    {
      AgQuotaForecast *forecast = &g_array_index (forecasts, AgQuotaForecast, i);
      g_autofree char *text = ag_quota_forecast_describe (forecast, self->now_ms);
      g_autofree char *usable = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u account can serve now",
                                                              "%u of %u accounts can serve now", forecast->accounts),
                                                 forecast->usable, forecast->accounts);
      GtkWidget *row = adw_action_row_new ();
      char *colon = strchr (text, ':');

      /* "Claude" as the title, the rest of the sentence under it. */
      if (colon != NULL)
        *colon = '\0';
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), colon != NULL ? g_strstrip (colon + 1) : "");
      gtk_widget_set_tooltip_text (row, usable);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (usable));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->family_rows, row);
    }
}

static void
quota_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) samples = ag_history_store_query_quota_finish (AG_HISTORY_STORE (source), result, &error);
  g_autoptr(GArray) forecasts = NULL;
  AgQuotaGlance *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (samples == NULL)
    g_warning ("cannot read the quota history: %s", error->message);
  else
    {
      forecasts = ag_quota_forecast_compute (samples, self->now_ms, PACE_WINDOW_MS);
      show_forecasts (self, forecasts);
    }
  load_done (self);
}

static void
usage_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgUsageReport) report = ag_history_store_query_usage_finish (AG_HISTORY_STORE (source), result, &error);
  AgQuotaGlance *self = user_data;
  g_autofree double *tokens = NULL;
  g_autofree char *text = NULL;
  g_autofree char *total = NULL;
  guint requests = 0;
  double sum = 0;
  const char *names[] = { _("tokens"), NULL };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (report == NULL)
    {
      g_warning ("cannot read the request history: %s", error->message);
      load_done (self);
      return;
    }
  tokens = g_new0 (double, report->n_buckets);
  for (guint b = 0; b < report->n_buckets; b++)
    {
      AgUsageCell cell = ag_usage_report_get_total (report, b);

      tokens[b] = (double) (cell.input_tokens + cell.output_tokens + cell.cache_read_tokens);
      sum += tokens[b];
      /* Refused by the guard (a web page, another user, a wrong key) is nobody's work. */
      requests += cell.requests - cell.refused;
    }
  ag_chart_set_range (self->sparkline, report->edges[0], report->edges[report->n_buckets]);
  ag_chart_set_bars (self->sparkline, report->edges, report->n_buckets, names, 1, tokens);
  total = ag_chart_format_value (AG_CHART_UNIT_COUNT, sum);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request, %s tokens", "%u requests, %s tokens", requests),
                          requests, total);
  adw_action_row_set_subtitle (self->today_row, text);
  load_done (self);
}

static void
reload (AgQuotaGlance *self)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GArray) edges = NULL;
  gint64 end;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->now_ms = g_get_real_time () / 1000;
  /* Today's hours on the local clock, the last one holding now. */
  edges = ag_time_steps (tz, ag_time_floor (tz, self->now_ms, AG_TIME_UNIT_DAY), self->now_ms, AG_TIME_UNIT_HOUR, 1);
  end = ag_time_floor (tz, self->now_ms, AG_TIME_UNIT_HOUR) + HOUR_MS;
  g_array_append_val (edges, end);
  self->pending = 2;
  ag_history_store_query_quota_async (history (self), NULL, NULL, self->now_ms - AG_QUOTA_FORECAST_STALE_MS, 0,
                                      self->cancellable, quota_loaded, self);
  ag_history_store_query_usage_async (history (self), (gint64 *) edges->data, edges->len, AG_USAGE_BY_MODEL,
                                      self->cancellable, usage_loaded, self);
}

static void
ag_quota_glance_dispose (GObject *object)
{
  AgQuotaGlance *self = AG_QUOTA_GLANCE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->follower);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ag_quota_glance_parent_class)->dispose (object);
}

static void
ag_quota_glance_finalize (GObject *object)
{
  g_ptr_array_unref (AG_QUOTA_GLANCE (object)->family_rows);
  G_OBJECT_CLASS (ag_quota_glance_parent_class)->finalize (object);
}

static void
ag_quota_glance_class_init (AgQuotaGlanceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_quota_glance_dispose;
  G_OBJECT_CLASS (klass)->finalize = ag_quota_glance_finalize;
}

static void
ag_quota_glance_init (AgQuotaGlance *self)
{
  self->family_rows = g_ptr_array_new ();
}

GtkWidget *
ag_quota_glance_new (AgUiContext *context)
{
  AgQuotaGlance *self = g_object_new (AG_TYPE_QUOTA_GLANCE,
                                      "title", _("Quota at a Glance"),
                                      "description", _("Forecasts assume use goes on at the pace of the last two "
                                                       "hours of quota readings, and that a reset refills only its "
                                                       "own account."),
                                      NULL);
  GtkWidget *sparkline = ag_chart_new (AG_CHART_UNIT_COUNT);

  self->context = g_object_ref (context);
  self->today_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->today_row), _("Today"));
  self->sparkline = AG_CHART (sparkline);
  ag_chart_set_compact (self->sparkline, TRUE);
  gtk_widget_set_valign (sparkline, GTK_ALIGN_CENTER);
  gtk_widget_set_focusable (sparkline, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tokens per hour today"),
                                  -1);
  adw_action_row_add_suffix (self->today_row, sparkline);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->today_row));
  self->follower = ag_log_follower_new (GTK_WIDGET (self), history (self));
  g_signal_connect_swapped (self->follower, "refresh", G_CALLBACK (reload), self);
  return GTK_WIDGET (self);
}

guint ag_quota_glance_get_loads (AgQuotaGlance *self) { return self->loads; }

char *
ag_quota_glance_describe (AgQuotaGlance *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->family_rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->family_rows, i);

      g_string_append_printf (text, "%s: %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (row));
    }
  g_string_append_printf (text, "Today: %s", adw_action_row_get_subtitle (self->today_row));
  return g_string_free (text, FALSE);
}
