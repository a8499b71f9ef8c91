/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-forecast.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include "ag-quota-sample.h"
#include "ag-quota-series.h"

#define HOUR_MS ((gint64) 3600 * 1000)
/* A pace measured over less than this is noise. */
#define MIN_SPAN_MS ((gint64) 10 * 60 * 1000)

/* What one account's model says now. */
typedef struct {
  double remaining;
  double use_per_hour;
  gint64 reset_ms;
} Reading;

/* The newest sample of @samples[first…last] (one series, ascending) and the pace since the last reset within
 * the window. */
static Reading
read_series (GPtrArray *series, gint64 now_ms, gint64 window_ms)
{
  const AgQuotaSample *newest = g_ptr_array_index (series, series->len - 1);
  const AgQuotaSample *start = newest;
  Reading reading = { newest->remaining_fraction, 0, newest->reset_ms };

  /* Back in time while inside the window and not across a reset (a rise going forward). */
  for (guint i = series->len - 1; i > 0; i--)
    {
      const AgQuotaSample *earlier = g_ptr_array_index (series, i - 1);

      if (earlier->time_ms < now_ms - window_ms ||
          start->remaining_fraction > earlier->remaining_fraction + AG_QUOTA_SERIES_RESET_RISE)
        break;
      start = earlier;
    }
  if (newest->time_ms - start->time_ms >= MIN_SPAN_MS && start->remaining_fraction > newest->remaining_fraction)
    reading.use_per_hour = (start->remaining_fraction - newest->remaining_fraction) * HOUR_MS /
                           (double) (newest->time_ms - start->time_ms);
  return reading;
}

/* The binding model of an account for a family: the least left; its pace is the account's. */
static void
merge_model (Reading *account, const Reading *model, gboolean first)
{
  if (first || model->remaining < account->remaining)
    *account = *model;
}

GArray *
ag_quota_forecast_compute (GPtrArray *samples, gint64 now_ms, gint64 window_ms)
{
  GArray *forecasts = g_array_new (FALSE, TRUE, sizeof (AgQuotaForecast));
  /* account\nmodel → GPtrArray of its samples (borrowed) */
  g_autoptr(GHashTable) series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  /* family\naccount → Reading */
  g_autoptr(GHashTable) accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < samples->len; i++)
    {
      AgQuotaSample *sample = g_ptr_array_index (samples, i);
      g_autofree char *name = g_strconcat (sample->account, "\n", sample->model, NULL);
      GPtrArray *one = g_hash_table_lookup (series, name);

      if (one == NULL)
        {
          one = g_ptr_array_new ();
          g_hash_table_insert (series, g_steal_pointer (&name), one);
        }
      g_ptr_array_add (one, sample);
    }
  g_hash_table_iter_init (&iter, series);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *one = value;
      const AgQuotaSample *newest = g_ptr_array_index (one, one->len - 1);
      AgModelFamily family = ag_model_family_from_id (newest->model);
      g_autofree char *name = NULL;
      Reading reading, *account;

      if (newest->time_ms < now_ms - AG_QUOTA_FORECAST_STALE_MS)
        continue;
      reading = read_series (one, now_ms, window_ms);
      name = g_strdup_printf ("%d\n%s", family, newest->account);
      account = g_hash_table_lookup (accounts, name);
      if (account == NULL)
        {
          account = g_new0 (Reading, 1);
          merge_model (account, &reading, TRUE);
          g_hash_table_insert (accounts, g_steal_pointer (&name), account);
        }
      else
        merge_model (account, &reading, FALSE);
    }

  for (AgModelFamily family = AG_MODEL_FAMILY_CLAUDE; family <= AG_MODEL_FAMILY_GEMINI; family++)
    {
      AgQuotaForecast forecast = { family, 0, 0, 0, 0, 0, 0 };
      g_autofree char *prefix = g_strdup_printf ("%d\n", family);

      g_hash_table_iter_init (&iter, accounts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Reading *account = value;

          if (!g_str_has_prefix (key, prefix))
            continue;
          forecast.accounts++;
          forecast.usable += account->remaining > 0 ? 1 : 0;
          forecast.pool_remaining += account->remaining;
          forecast.use_per_hour += account->use_per_hour;
          if (account->reset_ms > now_ms && (forecast.next_reset_ms == 0 || account->reset_ms < forecast.next_reset_ms))
            forecast.next_reset_ms = account->reset_ms;
        }
      if (forecast.accounts == 0)
        continue;
      if (forecast.use_per_hour > 0)
        forecast.empty_at_ms = now_ms + (gint64) (forecast.pool_remaining / forecast.use_per_hour * HOUR_MS);
      g_array_append_val (forecasts, forecast);
    }
  return forecasts;
}

/* "2 h 40 min", "45 min", "3 d 2 h" */
static char *
describe_duration (gint64 ms)
{
  gint64 minutes = (MAX (ms, 0) + 30000) / 60000;   /* to the nearest minute: 0.3 is 0.29999… */

  if (minutes >= 48 * 60)
    return g_strdup_printf (_("%" PRId64 " d %" PRId64 " h"), minutes / 1440, minutes % 1440 / 60);
  if (minutes >= 60)
    return g_strdup_printf (_("%" PRId64 " h %" PRId64 " min"), minutes / 60, minutes % 60);
  return g_strdup_printf (_("%" PRId64 " min"), minutes);
}

const char *
ag_quota_forecast_family_name (const AgQuotaForecast *forecast)
{
  return forecast->family == AG_MODEL_FAMILY_CLAUDE ? "Claude" : "Gemini";
}

char *
ag_quota_forecast_describe_state (const AgQuotaForecast *forecast, gint64 now_ms)
{
  g_autofree char *reset = forecast->next_reset_ms > 0 ? describe_duration (forecast->next_reset_ms - now_ms) : NULL;
  g_autofree char *then = NULL;
  g_autofree char *left = NULL;

  if (reset != NULL)
    then = g_strdup_printf (_("; the first account resets in %s"), reset);
  if (forecast->usable == 0)
    return g_strdup_printf (_("out of quota on every account%s"), then != NULL ? then : "");
  if (forecast->empty_at_ms == 0)
    return g_strdup_printf (_("%.1f of %u accounts' quota left, not used lately%s"), forecast->pool_remaining,
                            forecast->accounts, then != NULL ? then : "");
  left = describe_duration (forecast->empty_at_ms - now_ms);
  return g_strdup_printf (_("about %s left at this pace%s%s"), left, then != NULL ? then : "",
                          forecast->next_reset_ms > 0 && forecast->next_reset_ms < forecast->empty_at_ms
                          ? _(", before it runs out") : "");
}

char *
ag_quota_forecast_describe (const AgQuotaForecast *forecast, gint64 now_ms)
{
  g_autofree char *state = ag_quota_forecast_describe_state (forecast, now_ms);

  /* TRANSLATORS: a model family's quota forecast: "Claude: about 2 h left at this pace". */
  return g_strdup_printf (_("%s: %s"), ag_quota_forecast_family_name (forecast), state);
}
