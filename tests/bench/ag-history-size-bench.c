// SPDX-License-Identifier: GPL-3.0-or-later
/* The size of history.db after 30 simulated days (prints figures, is not a test). Everything goes through the
 * history store as ag-cl writes it (ag_history_store_add_request, ag_history_store_add_quota_sample: queued,
 * written by its worker in batches, trimmed to max-rows and the retention as it goes), in time order, the queue
 * drained after every simulated hour as the real trickle would keep it. A heavy user: three accounts with six
 * models each polled every 5 minutes around the clock; Claude Code busy 10 hours a day at a request every 20
 * seconds, with the titles and retries that come with it. The request log's default cap (50 000 rows) is reached
 * within the month; quota samples are kept for the retention period (90 days), so `ag-history-size-bench 90` shows
 * where the file levels off. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include "ag-history-store.h"
#include "ag-test.h"

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)
#define POLL_MS (5 * MINUTE_MS)
#define REQUEST_EVERY_MS (20 * 1000)
#define WORK_HOURS 10

static const char * const accounts[] = { "first.account@gmail.com", "second.account@gmail.com",
                                         "work.account@example.com" };
static const char * const models[] = { "claude-opus-4-6-thinking", "claude-sonnet-4-6", "gemini-3-flash",
                                       "gemini-3.1-pro-high", "gemini-3.1-pro-low", "gpt-oss-120b-medium" };

static void
drain (AgHistoryStore *store)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* A query is answered after every write queued before it. */
  ag_history_store_query_requests_async (store, 1, 0, NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  rows = ag_history_store_query_requests_finish (store, result, NULL);
}

static AgRequestRecord *
make_request (GRand *rand, gint64 time_ms, const char *session)
{
  AgRequestRecord *record = ag_request_record_new ();
  guint kind = g_rand_int_range (rand, 0, 100);
  const char *account = accounts[g_rand_int_range (rand, 0, G_N_ELEMENTS (accounts))];

  record->time_ms = time_ms;
  record->client = g_strdup ("claude-cli/2.1.12 (external, cli)");
  record->session_id = g_strdup (session);
  record->model = g_strdup (kind < 15 ? "claude-haiku-4-5-20251001" : "claude-opus-4-6");
  record->upstream_model = g_strdup (kind < 15 ? "gemini-3-flash" : "claude-opus-4-6-thinking");
  record->account = g_strdup (account);
  record->status = 200;
  record->ttfb_ms = g_rand_int_range (rand, 300, 2500);
  record->total_ms = record->ttfb_ms + g_rand_int_range (rand, 200, 60000);
  record->input_tokens = g_rand_int_range (rand, 500, 120000);
  record->output_tokens = g_rand_int_range (rand, 20, 8000);
  record->cache_read_tokens = g_rand_int_range (rand, 0, 100000);
  if (kind < 6)
    {
      ag_request_record_add_attempt (record, accounts[(kind + 1) % G_N_ELEMENTS (accounts)], "rate_limit", 429, 0);
      ag_request_record_add_attempt (record, NULL, "all_limited_wait", 0, 1200);
    }
  else if (kind < 8)
    {
      record->outcome = AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
      record->status = 429;
      record->ttfb_ms = -1;
      ag_request_record_add_attempt (record, accounts[0], "quota", 429, 0);
      ag_request_record_add_attempt (record, accounts[1], "quota", 429, 0);
      ag_request_record_add_attempt (record, accounts[2], "quota", 429, 0);
    }
  return record;
}

static gint64
file_size (const char *path)
{
  GStatBuf info;

  return g_stat (path, &info) == 0 ? (gint64) info.st_size : 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ag-history-size-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (30);
  g_autofree char *session = NULL;
  AgHistoryStore *store;
  int days = argc > 1 ? atoi (argv[1]) : 30;
  gint64 end = g_get_real_time () / 1000, start = end - days * DAY_MS, next_request = start, next_poll = start;
  guint requests = 0, samples = 0;
  double started = g_get_monotonic_time () / 1e6;

  g_assert_no_error (error);
  path = g_build_filename (dir, "history.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  store = ag_history_store_new (path);
  for (gint64 hour = start; hour < end; hour += HOUR_MS)
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (hour / 1000);
      /* 09:00 to 19:00 on the local clock. */
      gboolean working = g_date_time_get_hour (local) >= 9 && g_date_time_get_hour (local) < 9 + WORK_HOURS;

      for (; next_poll < hour + HOUR_MS; next_poll += POLL_MS)
        for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
          for (guint m = 0; m < G_N_ELEMENTS (models); m++)
            {
              gint64 window = m < 2 ? 5 * HOUR_MS : DAY_MS;
              gint64 into = (next_poll + a * window / 3) % window;

              ag_history_store_add_quota_sample (store, accounts[a], models[m],
                                                 CLAMP (1.0 - (double) into / window * 0.9, 0.0, 1.0),
                                                 next_poll - into + window, next_poll + a * 400);
              samples++;
            }
      for (; next_request < hour + HOUR_MS; next_request += g_rand_int_range (rand, 1, 2 * REQUEST_EVERY_MS))
        {
          if (!working)
            continue;
          /* A new conversation now and then. */
          if (session == NULL || g_rand_int_range (rand, 0, 200) == 0)
            {
              g_free (session);
              session = g_uuid_string_random ();
            }
          ag_history_store_add_request (store, make_request (rand, next_request, session));
          requests++;
        }
      drain (store);
    }
  g_print ("history.db after %d simulated days through the history store (%u requests offered, %u kept at "
           "most; %u quota samples: %zu accounts x %zu models every %d min):\n",
           days, requests, ag_history_store_get_max_rows (store), samples, G_N_ELEMENTS (accounts),
           G_N_ELEMENTS (models), (int) (POLL_MS / MINUTE_MS));
  g_print ("  while running: %.1f MB (+ %.1f MB write-ahead log)\n", file_size (path) / 1e6, file_size (wal) / 1e6);
  g_object_unref (store);
  g_print ("  after a clean exit: %.1f MB (+ %.1f MB write-ahead log); fed in %.1f s\n", file_size (path) / 1e6,
           file_size (wal) / 1e6, g_get_monotonic_time () / 1e6 - started);
  ag_test_remove_tree (dir);
  return 0;
}
