/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ui-history-seed.h"

#include "ag-history-db.h"
#include "ag-quota-window-db.h"

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

static const char * const accounts[] = { "desktop@example.com", "ide@example.com" };
static const char * const models[] = { "claude-opus-4-6-thinking", "gemini-3-flash" };
/* The quota windows: Claude refills every 5 hours, Gemini daily. */
static const gint64 windows[] = { 5 * HOUR_MS, DAY_MS };

/* Google's windows per model group: each refills every 5 hours and every week; used faster on the first account. */
static const char * const groups[] = { "Claude and GPT models", "Gemini Models" };

static gboolean
seed_windows (AgHistoryDb *db, gint64 t, guint a, UiHistorySeed *seed, GError **error)
{
  static const gint64 lengths[] = { [AG_QUOTA_WINDOW_5H] = 5 * HOUR_MS, [AG_QUOTA_WINDOW_WEEKLY] = 7 * DAY_MS };
  g_autoptr(GPtrArray) read = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_window_free);

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    for (AgQuotaWindowKind kind = AG_QUOTA_WINDOW_5H; kind <= AG_QUOTA_WINDOW_WEEKLY; kind++)
      {
        AgQuotaWindow *window = g_new0 (AgQuotaWindow, 1);
        gint64 into = (t + a * lengths[kind] / 2) % lengths[kind];
        double used = (double) into / lengths[kind] * (a == 0 ? 0.9 : 0.5) * (g == 0 ? 1.0 : 0.6);

        window->group = g_strdup (groups[g]);
        window->kind = kind;
        window->fraction = CLAMP (1.0 - used, 0.0, 1.0);
        window->reset_ms = t - into + lengths[kind];
        g_ptr_array_add (read, window);
      }
  seed->windows += read->len;
  return ag_quota_window_db_insert (db, accounts[a], read, t, error);
}

static void
seed_samples (AgHistoryDb *db, gint64 start, gint64 end, UiHistorySeed *seed, GError **error)
{
  /* ag-cl was not running for two days in the middle. */
  gint64 hole_start = start + (end - start) / 2, hole_end = hole_start + 2 * DAY_MS;

  for (gint64 t = start; t <= end && *error == NULL; t += 5 * MINUTE_MS)
    {
      if (t >= hole_start && t < hole_end)
        continue;
      for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
        if (!seed_windows (db, t, a, seed, error))
          return;
      for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
        for (guint m = 0; m < G_N_ELEMENTS (models); m++)
          {
            gint64 window = windows[m];
            gint64 into = (t + a * window / 3) % window;
            /* Used at a steady pace through each window, a little faster on the first account. */
            double used = (double) into / window * (a == 0 ? 1.1 : 0.7);
            g_autoptr(AgQuotaSample) sample = NULL;

            sample = ag_quota_sample_new (t, accounts[a], models[m], CLAMP (1.0 - used, 0.0, 1.0),
                                          t - into + window);
            if (!ag_history_db_insert_quota_sample (db, sample, error))
              return;
            seed->samples++;
          }
    }
}

static gint64
local_midnight (gint64 time_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (time_ms / 1000);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now), 0, 0, 0);

  return g_date_time_to_unix (midnight) * 1000;
}

static void
seed_requests (AgHistoryDb *db, gint64 start, gint64 end, UiHistorySeed *seed, GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gint64 today = local_midnight (end);
  gint64 next = start;

  for (gint64 t = start; t <= end && *error == NULL; t = next)
    {
      g_autoptr(AgRequestRecord) record = ag_request_record_new ();
      guint kind = g_rand_int_range (rand, 0, 100);
      guint m = kind % 3 == 0 ? 1 : 0;

      next = t + g_rand_int_range (rand, 1, 4) * MINUTE_MS;
      /* The newest request is a refusal, so today always has one. */
      if (next > end)
        {
          t = end;
          kind = 12;
        }
      record->time_ms = t;
      record->client = g_strdup ("claude-cli/2.0.50 (external, cli)");
      record->model = g_strdup (m == 0 ? "claude-opus-4-6" : "claude-haiku-4-5");
      record->upstream_model = g_strdup (models[m]);
      record->account = g_strdup (accounts[kind % 2]);
      record->outcome = AG_REQUEST_OUTCOME_OK;
      record->status = 200;
      record->ttfb_ms = g_rand_int_range (rand, 300, 1500);
      record->total_ms = record->ttfb_ms + g_rand_int_range (rand, 500, 20000);
      record->input_tokens = g_rand_int_range (rand, 2000, 40000);
      record->output_tokens = g_rand_int_range (rand, 50, 3000);
      record->cache_read_tokens = g_rand_int_range (rand, 0, 60000);
      if (kind < 4)
        {
          /* Out of quota everywhere. */
          record->outcome = AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
          record->status = 429;
          record->ttfb_ms = -1;
          record->output_tokens = record->input_tokens = record->cache_read_tokens = 0;
          ag_request_record_add_attempt (record, accounts[0], "quota", 429, 0);
          ag_request_record_add_attempt (record, accounts[1], "quota", 429, 0);
        }
      else if (kind < 12)
        {
          ag_request_record_add_attempt (record, accounts[(kind + 1) % 2], "rate_limit", 429, 0);
          record->ttfb_ms += 900;
        }
      else if (kind == 12)
        {
          g_clear_pointer (&record->upstream_model, g_free);
          g_clear_pointer (&record->account, g_free);
          g_clear_pointer (&record->model, g_free);
          record->outcome = AG_REQUEST_OUTCOME_REFUSED;
          record->status = 403;
          record->ttfb_ms = -1;
          record->input_tokens = record->output_tokens = record->cache_read_tokens = 0;
          record->detail = g_strdup ("POST /v1/messages: Origin https://evil.example is not allowed");
          seed->refused++;
          seed->refused_today += t >= today ? 1 : 0;
        }
      if (!ag_history_db_insert_request (db, record, error))
        return;
      seed->requests++;
      seed->requests_today += t >= today ? 1 : 0;
      seed->end_ms = t;
    }
}

UiHistorySeed
ui_seed_history (const char *path, guint days)
{
  UiHistorySeed seed = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AgHistoryDb) db = ag_history_db_open (path, &error);
  gint64 end = g_get_real_time () / 1000 - MINUTE_MS, start = end - days * DAY_MS;

  g_assert_no_error (error);
  g_assert_true (ag_history_db_begin (db, &error));
  seed_samples (db, start, end, &seed, &error);
  seed_requests (db, start, end, &seed, &error);
  g_assert_no_error (error);
  g_assert_true (ag_history_db_commit (db, &error));
  return seed;
}
