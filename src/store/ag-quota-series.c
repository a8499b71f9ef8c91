/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-series.h"

#include <math.h>
#include "ag-quota-sample.h"

void
ag_quota_series_free (AgQuotaSeries *self)
{
  if (self == NULL)
    return;
  g_free (self->account);
  g_free (self->model);
  g_array_unref (self->points);
  g_array_unref (self->resets);
  g_free (self);
}

static AgQuotaSeries *
series_new (const AgQuotaSample *first)
{
  AgQuotaSeries *self = g_new0 (AgQuotaSeries, 1);

  self->account = g_strdup (first->account);
  self->model = g_strdup (first->model);
  self->points = g_array_new (FALSE, FALSE, sizeof (AgSeriesPoint));
  self->resets = g_array_new (FALSE, FALSE, sizeof (gint64));
  return self;
}

static void
add_break (AgQuotaSeries *self, gint64 time_ms)
{
  AgSeriesPoint gap = { time_ms, NAN };

  g_array_append_val (self->points, gap);
}

static void
add_sample (AgQuotaSeries *self, const AgQuotaSample *previous, const AgQuotaSample *sample, gint64 max_gap_ms)
{
  AgSeriesPoint point = { sample->time_ms, sample->remaining_fraction };

  if (previous != NULL)
    {
      gboolean reset = sample->remaining_fraction > previous->remaining_fraction + AG_QUOTA_SERIES_RESET_RISE;

      if (reset)
        {
          gint64 at = previous->reset_ms > previous->time_ms && previous->reset_ms <= sample->time_ms ?
                      previous->reset_ms : sample->time_ms;

          g_array_append_val (self->resets, at);
        }
      /* A refill is a step, not a slope: the line breaks rather than drawing usage that ran backwards. */
      if (reset || sample->time_ms - previous->time_ms > max_gap_ms)
        add_break (self, previous->time_ms + (sample->time_ms - previous->time_ms) / 2);
    }
  g_array_append_val (self->points, point);
}

static char *
series_key (const AgQuotaSample *sample)
{
  return g_strconcat (sample->account, "\n", sample->model, NULL);
}

static int
compare_series (gconstpointer a, gconstpointer b)
{
  const AgQuotaSeries *x = *(AgQuotaSeries * const *) a;
  const AgQuotaSeries *y = *(AgQuotaSeries * const *) b;
  int by_account = g_strcmp0 (x->account, y->account);

  return by_account != 0 ? by_account : g_strcmp0 (x->model, y->model);
}

GPtrArray *
ag_quota_series_build (GPtrArray *samples, gint64 max_gap_ms)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_series_free);
  /* key → the series and its last sample, both borrowed */
  g_autoptr(GHashTable) series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < samples->len; i++)
    {
      const AgQuotaSample *sample = g_ptr_array_index (samples, i);
      g_autofree char *key = series_key (sample);
      AgQuotaSeries *one = g_hash_table_lookup (series, key);

      if (one == NULL)
        {
          one = series_new (sample);
          g_ptr_array_add (all, one);
          g_hash_table_insert (series, g_strdup (key), one);
        }
      add_sample (one, g_hash_table_lookup (last, key), sample, max_gap_ms);
      g_hash_table_insert (last, g_steal_pointer (&key), (gpointer) sample);
    }
  g_ptr_array_sort (all, compare_series);
  return all;
}
