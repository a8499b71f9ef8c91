/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-usage-report.h"

#include <math.h>

AgUsageReport *
ag_usage_report_new (const gint64 *edges, guint n_edges)
{
  AgUsageReport *self;

  g_return_val_if_fail (edges != NULL && n_edges >= 2, NULL);

  self = g_new0 (AgUsageReport, 1);
  self->n_buckets = n_edges - 1;
  self->edges = g_memdup2 (edges, n_edges * sizeof (gint64));
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->ttfbs = g_new0 (GArray *, self->n_buckets);
  return self;
}

void
ag_usage_report_free (AgUsageReport *self)
{
  if (self == NULL)
    return;
  g_free (self->edges);
  g_ptr_array_unref (self->keys);
  g_free (self->cells);
  g_free (self->ttfb_median);
  g_free (self->ttfb_p95);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  if (self->ttfbs != NULL)
    for (guint i = 0; i < self->n_buckets; i++)
      g_clear_pointer (&self->ttfbs[i], g_array_unref);
  g_free (self->ttfbs);
  g_free (self);
}

int
ag_usage_report_find_bucket (const AgUsageReport *self, gint64 time_ms)
{
  guint low = 0, high = self->n_buckets;

  if (time_ms < self->edges[0] || time_ms >= self->edges[self->n_buckets])
    return -1;
  while (high - low > 1)
    {
      guint middle = (low + high) / 2;

      if (self->edges[middle] <= time_ms)
        low = middle;
      else
        high = middle;
    }
  return (int) low;
}

void
ag_usage_report_add (AgUsageReport *self, gint64 time_ms, const char *key, AgUsageOutcome outcome, guint rotations,
                     gint64 ttfb_ms, gint64 input_tokens, gint64 output_tokens, gint64 cache_read_tokens)
{
  int bucket;
  GArray *row;
  AgUsageCell *cell;

  g_return_if_fail (self->rows != NULL);

  bucket = ag_usage_report_find_bucket (self, time_ms);
  if (bucket < 0)
    return;
  if (key == NULL)
    key = "";
  row = g_hash_table_lookup (self->rows, key);
  if (row == NULL)
    {
      row = g_array_sized_new (FALSE, TRUE, sizeof (AgUsageCell), self->n_buckets);
      g_array_set_size (row, self->n_buckets);
      g_hash_table_insert (self->rows, g_strdup (key), row);
    }
  cell = &g_array_index (row, AgUsageCell, bucket);
  cell->requests++;
  cell->errors += outcome == AG_USAGE_ERROR ? 1 : 0;
  cell->refused += outcome == AG_USAGE_REFUSED ? 1 : 0;
  cell->rotations += rotations;
  cell->input_tokens += input_tokens;
  cell->output_tokens += output_tokens;
  cell->cache_read_tokens += cache_read_tokens;
  if (ttfb_ms >= 0)
    {
      if (self->ttfbs[bucket] == NULL)
        self->ttfbs[bucket] = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (self->ttfbs[bucket], ttfb_ms);
    }
}

static gint64
row_tokens (GArray *row)
{
  gint64 sum = 0;

  for (guint i = 0; i < row->len; i++)
    {
      AgUsageCell *cell = &g_array_index (row, AgUsageCell, i);

      sum += cell->input_tokens + cell->output_tokens + cell->cache_read_tokens;
    }
  return sum;
}

static int
compare_keys (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GHashTable *rows = user_data;
  const char *key_a = *(const char * const *) a;
  const char *key_b = *(const char * const *) b;
  gint64 tokens_a = row_tokens (g_hash_table_lookup (rows, key_a));
  gint64 tokens_b = row_tokens (g_hash_table_lookup (rows, key_b));

  /* Busiest first, so the biggest stack sits at the bottom; names break ties for a stable order. */
  if (tokens_a != tokens_b)
    return tokens_a > tokens_b ? -1 : 1;
  return g_strcmp0 (key_a, key_b);
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

gint64
ag_usage_percentile (const gint64 *values, guint n, double fraction)
{
  guint rank;

  if (n == 0)
    return -1;
  rank = (guint) ceil (fraction * n);
  return values[CLAMP (rank, 1, n) - 1];
}

void
ag_usage_report_finish (AgUsageReport *self)
{
  GHashTableIter iter;
  gpointer key;
  guint n_keys;

  g_return_if_fail (self->rows != NULL);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (self->keys, g_strdup (key));
  g_ptr_array_sort_with_data (self->keys, compare_keys, self->rows);
  n_keys = self->keys->len;
  self->cells = g_new0 (AgUsageCell, (gsize) self->n_buckets * MAX (n_keys, 1));
  for (guint k = 0; k < n_keys; k++)
    {
      GArray *row = g_hash_table_lookup (self->rows, g_ptr_array_index (self->keys, k));

      for (guint b = 0; b < self->n_buckets; b++)
        self->cells[b * n_keys + k] = g_array_index (row, AgUsageCell, b);
    }
  self->ttfb_median = g_new (gint64, self->n_buckets);
  self->ttfb_p95 = g_new (gint64, self->n_buckets);
  for (guint b = 0; b < self->n_buckets; b++)
    {
      GArray *values = self->ttfbs[b];
      guint n = values != NULL ? values->len : 0;

      if (n > 0)
        g_array_sort (values, compare_int64);
      self->ttfb_median[b] = ag_usage_percentile (n > 0 ? (gint64 *) values->data : NULL, n, 0.5);
      self->ttfb_p95[b] = ag_usage_percentile (n > 0 ? (gint64 *) values->data : NULL, n, 0.95);
      g_clear_pointer (&self->ttfbs[b], g_array_unref);
    }
  g_clear_pointer (&self->rows, g_hash_table_unref);
}

const AgUsageCell *
ag_usage_report_get_cell (const AgUsageReport *self, guint bucket, guint key)
{
  g_return_val_if_fail (self->cells != NULL && bucket < self->n_buckets && key < self->keys->len, NULL);
  return &self->cells[bucket * self->keys->len + key];
}

AgUsageCell
ag_usage_report_get_total (const AgUsageReport *self, guint bucket)
{
  AgUsageCell total = { 0 };

  for (guint k = 0; k < self->keys->len; k++)
    {
      const AgUsageCell *cell = ag_usage_report_get_cell (self, bucket, k);

      total.requests += cell->requests;
      total.errors += cell->errors;
      total.refused += cell->refused;
      total.rotations += cell->rotations;
      total.input_tokens += cell->input_tokens;
      total.output_tokens += cell->output_tokens;
      total.cache_read_tokens += cell->cache_read_tokens;
    }
  return total;
}
