/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-quota-series.h"

#include <math.h>
#include "ag-model-family.h"
#include "ag-quota-sample.h"
#include "ag-quota-window-db.h"

void
ag_quota_series_free (AgQuotaSeries *self)
{
  if (self == NULL)
    return;
  g_free (self->account);
  g_free (self->model);
  g_free (self->window);
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

/* --- by family ------------------------------------------------------------------------------------------------ */

typedef struct {
  AgQuotaSeries *series;
  GHashTable    *readings;    /* "account\nmodel" → the newest AgQuotaSample (borrowed) */
  GHashTable    *accounts;    /* account → its family quota at the last point (double *) */
  gint64         last_point;  /* time of the last point written; G_MININT64 = none */
} Family;

static Family *
family_new (const char *name, AgModelFamily which)
{
  Family *family = g_new0 (Family, 1);

  family->last_point = G_MININT64;
  family->series = g_new0 (AgQuotaSeries, 1);
  family->series->model = g_strdup (name);
  family->series->family = which;
  family->series->points = g_array_new (FALSE, FALSE, sizeof (AgSeriesPoint));
  family->series->resets = g_array_new (FALSE, FALSE, sizeof (gint64));
  family->readings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  family->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return family;
}

static void
family_free (Family *family)
{
  g_hash_table_unref (family->readings);
  g_hash_table_unref (family->accounts);
  g_free (family);
}

/* The mean over the accounts read within @max_gap_ms of @now of each account's least model; NAN without one.
 * Marks a reset when an account's quota rose since the last point. */
static double
family_value (Family *family, gint64 now, gint64 max_gap_ms, gboolean *refilled)
{
  g_autoptr(GHashTable) least = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  double sum = 0;
  guint n = 0;

  g_hash_table_iter_init (&iter, family->readings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const AgQuotaSample *reading = value;
      double *known = g_hash_table_lookup (least, reading->account);

      if (now - reading->time_ms > max_gap_ms)
        continue;
      if (known == NULL)
        g_hash_table_insert (least, reading->account, (gpointer) &reading->remaining_fraction);
      else if (reading->remaining_fraction < *known)
        g_hash_table_insert (least, reading->account, (gpointer) &reading->remaining_fraction);
    }
  *refilled = FALSE;
  g_hash_table_iter_init (&iter, least);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *account = key;
      double now_left = *(double *) value;
      double *before = g_hash_table_lookup (family->accounts, account);

      sum += now_left;
      n++;
      if (before != NULL && now_left > *before + AG_QUOTA_SERIES_RESET_RISE)
        *refilled = TRUE;
      if (before == NULL)
        {
          before = g_new (double, 1);
          g_hash_table_insert (family->accounts, g_strdup (account), before);
        }
      *before = now_left;
    }
  return n > 0 ? sum / n : NAN;
}

static void
family_add (Family *family, const AgQuotaSample *sample, gint64 max_gap_ms)
{
  GArray *points = family->series->points;
  gboolean refilled;
  double value;
  AgSeriesPoint point;

  g_hash_table_insert (family->readings, g_strconcat (sample->account, "\n", sample->model, NULL), (gpointer) sample);
  /* The readings of one poll make one point: a later reading of the same poll replaces it. */
  if (family->last_point != G_MININT64 && sample->time_ms - family->last_point < AG_QUOTA_SERIES_POLL_MS)
    {
      AgSeriesPoint *last = &g_array_index (points, AgSeriesPoint, points->len - 1);

      value = family_value (family, sample->time_ms, max_gap_ms, &refilled);
      last->value = value;
      if (refilled)
        {
          /* Refilled within the poll: the break goes before this poll's point. */
          point = *last;
          g_array_set_size (points, points->len - 1);
          add_break (family->series, point.time_ms - 1);
          g_array_append_val (points, point);
          g_array_append_val (family->series->resets, sample->time_ms);
        }
      return;
    }
  value = family_value (family, sample->time_ms, max_gap_ms, &refilled);
  if (family->last_point != G_MININT64 && (refilled || sample->time_ms - family->last_point > max_gap_ms))
    add_break (family->series, family->last_point + (sample->time_ms - family->last_point) / 2);
  if (refilled)
    g_array_append_val (family->series->resets, sample->time_ms);
  point.time_ms = sample->time_ms;
  point.value = value;
  g_array_append_val (points, point);
  family->last_point = sample->time_ms;
}

GPtrArray *
ag_quota_series_by_family (GPtrArray *samples, gint64 max_gap_ms)
{
  static const char * const names[] = { [AG_MODEL_FAMILY_CLAUDE] = "Claude", [AG_MODEL_FAMILY_GEMINI] = "Gemini" };
  Family *families[G_N_ELEMENTS (names)] = { NULL };
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_series_free);

  for (guint i = 0; i < samples->len; i++)
    {
      const AgQuotaSample *sample = g_ptr_array_index (samples, i);
      AgModelFamily which = ag_model_family_from_id (sample->model);

      if (families[which] == NULL)
        families[which] = family_new (names[which], which);
      family_add (families[which], sample, max_gap_ms);
    }
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    if (families[f] != NULL)
      {
        g_ptr_array_add (all, families[f]->series);
        family_free (families[f]);
      }
  return all;
}

/* --- by window ------------------------------------------------------------------------------------------------ */

static int
compare_windows (gconstpointer a, gconstpointer b)
{
  const AgQuotaSeries *x = *(AgQuotaSeries * const *) a;
  const AgQuotaSeries *y = *(AgQuotaSeries * const *) b;
  int by_group = g_strcmp0 (x->model, y->model);

  return by_group != 0 ? by_group : g_strcmp0 (x->window, y->window);
}

GPtrArray *
ag_quota_series_by_window (GPtrArray *windows, gint64 max_gap_ms)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_series_free);
  /* Each reading as a sample of its account (names borrowed), so a window pools exactly as a family does. */
  g_autofree AgQuotaSample *readings = g_new0 (AgQuotaSample, MAX (windows->len, 1));
  /* "group\nwindow" → its Family */
  g_autoptr(GHashTable) pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) family_free);
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < windows->len; i++)
    {
      const AgQuotaWindowSample *window = g_ptr_array_index (windows, i);
      g_autofree char *key = g_strconcat (window->group, "\n", window->window, NULL);
      Family *pool = g_hash_table_lookup (pools, key);

      if (pool == NULL)
        {
          pool = family_new (window->group, AG_MODEL_FAMILY_CLAUDE);
          pool->series->window = g_strdup (window->window);
          g_hash_table_insert (pools, g_steal_pointer (&key), pool);
        }
      readings[i] = (AgQuotaSample) { window->time_ms, window->account, window->window, window->remaining,
                                      window->reset_ms };
      family_add (pool, &readings[i], max_gap_ms);
    }
  g_hash_table_iter_init (&iter, pools);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, g_steal_pointer (&((Family *) value)->series));
  g_ptr_array_sort (all, compare_windows);
  return all;
}
