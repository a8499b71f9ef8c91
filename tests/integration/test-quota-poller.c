/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The quota poller against the mock with two accounts: fetchAvailableModels for each account at start (with its
 * project), the readings on the accounts and in the quota history, the timer only while accounts exist, polls on
 * demand coalesced per account, failures reported through "polled", and accounts removed mid-poll forgotten. */
#include "ag-test.h"
#include "ag-history-store.h"
#include "ag-quota-poller-private.h"
#include "ag-settings.h"

#include <glib/gstdio.h>
#include <string.h>

/* user1 gets the catalogue; user2 a custom answer with an exhausted model (no fraction, only a reset time). */
#define SCRIPT                                                                                                  \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\"}],"                              \
  " \"models\":{"                                                                                               \
  "   \"claude-opus-4-6-thinking\":{\"quotaInfo\":{\"remainingFraction\":0.78,"                                 \
  "                                  \"resetTime\":\"2026-08-05T02:38:57Z\"}},"                                  \
  "   \"gemini-3-flash\":{\"quotaInfo\":{\"remainingFraction\":1}}},"                                          \
  " \"generate\":[{\"match\":{\"method\":\"fetchAvailableModels\",\"account\":\"user2@example.com\"},"         \
  "                \"respond\":{\"status\":200,\"body\":{\"models\":{"                                         \
  "                  \"claude-opus-4-6-thinking\":{\"quotaInfo\":{\"resetTime\":\"2026-08-05T03:00:00Z\"}},"     \
  "                  \"gemini-3-flash\":{\"quotaInfo\":{\"remainingFraction\":0.25,"                             \
  "                                                   \"resetTime\":\"2026-08-05T02:38:57Z\"}}}}}}]}"

#define WINDOWS_SCRIPT \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\",\"weekly_exhausted\":\"claude\"}]}"

#define RESET_1 1785897537000  /* 2026-08-05T02:38:57Z */
#define RESET_2 1785898800000  /* 2026-08-05T03:00:00Z */

typedef struct {
  AgMockServer      *mock;
  AgCloudcodeClient *cloudcode;
  AgOAuthClient     *oauth;
  AgAccountPool     *pool;
  AgHistoryStore    *history;
  AgQuotaPoller     *poller;
  char              *dir;
  guint              polled;
  guint              failures;
  GError            *last_error;
  guint              quota_changes;
} Fixture;

static void
on_polled (AgQuotaPoller *poller, AgAccount *account, const GError *error, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_assert_true (AG_IS_ACCOUNT (account));
  fixture->polled++;
  if (error != NULL)
    {
      fixture->failures++;
      g_clear_error (&fixture->last_error);
      fixture->last_error = g_error_copy (error);
    }
}

static void
on_quota_changed (AgAccount *account, const char *model, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_assert_nonnull (model);
  fixture->quota_changes++;
}

static AgAccount *
add_account (Fixture *fixture, const char *email, const char *project, const char *refresh_token)
{
  g_autoptr(AgAccount) account = ag_account_new (email, project, refresh_token);

  g_signal_connect (account, "quota-changed", G_CALLBACK (on_quota_changed), fixture);
  ag_account_pool_add (fixture->pool, account);
  return account;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer script)
{
  g_autofree char *path = NULL;

  fixture->mock = ag_test_mock_start (script != NULL ? script : SCRIPT);
  ag_test_google_clients_new (&fixture->cloudcode, &fixture->oauth);
  fixture->pool = ag_account_pool_new ();
  fixture->dir = ag_test_make_tmp_dir ("ag-quota-XXXXXX");
  path = g_build_filename (fixture->dir, "history.db", NULL);
  fixture->history = ag_history_store_new (path);
  fixture->poller = ag_quota_poller_new (fixture->pool, fixture->cloudcode, fixture->oauth);
  ag_history_store_follow_quota (fixture->history, fixture->poller);
  g_signal_connect (fixture->poller, "polled", G_CALLBACK (on_polled), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer script)
{
  g_clear_object (&fixture->poller);
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->pool);
  g_clear_object (&fixture->oauth);
  g_clear_object (&fixture->cloudcode);
  g_clear_object (&fixture->mock);
  g_clear_error (&fixture->last_error);
  ag_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
assert_quota (AgAccount *account, const char *model, double fraction, gint64 reset_ms)
{
  double got_fraction = -1;
  gint64 got_reset = -1;

  g_assert_true (ag_account_get_model_quota (account, model, &got_fraction, &got_reset));
  g_assert_cmpfloat_with_epsilon (got_fraction, fraction, 1e-9);
  g_assert_cmpint (got_reset, ==, reset_ms);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The "project" of every recorded fetchAvailableModels body, in order. */
static char *
fetch_projects (AgMockServer *mock)
{
  g_autoptr(JsonArray) requests = ag_test_mock_requests (mock, ":fetchAvailableModels");
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *body = json_object_get_object_member (json_array_get_object_element (requests, i), "body");

      g_ptr_array_add (projects, g_strdup (json_object_get_string_member_with_default (body, "project", "-")));
    }
  g_ptr_array_sort (projects, compare_strings);
  g_ptr_array_add (projects, NULL);
  return g_strjoinv (",", (char **) projects->pdata);
}

static void
test_start_polls_every_account (Fixture *fixture, gconstpointer script)
{
  AgAccount *user1 = add_account (fixture, "user1@example.com", "proj-1", "rt-1");
  AgAccount *user2 = add_account (fixture, "user2@example.com", "proj-2", "rt-2");
  g_auto(GStrv) models = NULL;
  g_autofree char *projects = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  AgQuotaSample *sample;

  /* Nothing happens before start. */
  g_assert_false (ag_quota_poller_is_scheduled (fixture->poller));
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels"), ==, 0);

  ag_quota_poller_start (fixture->poller);
  g_assert_true (ag_quota_poller_is_scheduled (fixture->poller));
  ag_test_wait_count (&fixture->polled, 2, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->failures, ==, 0);
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels"), ==, 2);
  projects = fetch_projects (fixture->mock);
  g_assert_cmpstr (projects, ==, "proj-1,proj-2");

  assert_quota (user1, "claude-opus-4-6-thinking", 0.78, RESET_1);
  assert_quota (user1, "gemini-3-flash", 1.0, 0);
  assert_quota (user2, "claude-opus-4-6-thinking", 0.0, RESET_2);
  assert_quota (user2, "gemini-3-flash", 0.25, RESET_1);
  g_assert_false (ag_account_get_model_quota (user1, "claude-sonnet-4-6", NULL, NULL));
  models = ag_account_list_quota_models (user2);
  g_assert_cmpuint (g_strv_length (models), ==, 2);
  g_assert_cmpstr (models[0], ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (models[1], ==, "gemini-3-flash");
  g_assert_cmpuint (fixture->quota_changes, ==, 4);

  samples = ag_test_history_query_quota (fixture->history, "user2@example.com", NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 2);
  sample = g_ptr_array_index (samples, 0);
  g_assert_cmpstr (sample->model, ==, "claude-opus-4-6-thinking");
  g_assert_cmpfloat (sample->remaining_fraction, ==, 0.0);
  g_assert_cmpint (sample->reset_ms, ==, RESET_2);
  g_assert_cmpint (sample->time_ms, >, g_get_real_time () / 1000 - 60000);
  sample = g_ptr_array_index (samples, 1);
  g_assert_cmpstr (sample->model, ==, "gemini-3-flash");
  g_assert_cmpfloat_with_epsilon (sample->remaining_fraction, 0.25, 1e-9);
}

static void
test_timer_follows_accounts (Fixture *fixture, gconstpointer script)
{
  guint requests;

  /* No account: no timer, no request. */
  ag_quota_poller_set_interval (fixture->poller, 1);
  ag_quota_poller_start (fixture->poller);
  g_assert_false (ag_quota_poller_is_scheduled (fixture->poller));

  /* An account joining is polled at once and arms the timer. */
  add_account (fixture, "user1@example.com", "proj-1", "rt-1");
  g_assert_true (ag_quota_poller_is_scheduled (fixture->poller));
  ag_test_wait_count (&fixture->polled, 1, AG_TEST_TIMEOUT_MS);
  add_account (fixture, "user2@example.com", "proj-2", "rt-2");
  ag_test_wait_count (&fixture->polled, 2, AG_TEST_TIMEOUT_MS);

  /* The timer polls both again within the interval (1 s, rounded to the second by GLib). */
  ag_test_wait_count (&fixture->polled, 4, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->failures, ==, 0);

  g_assert_true (ag_account_pool_remove (fixture->pool, "user1@example.com"));
  g_assert_true (ag_quota_poller_is_scheduled (fixture->poller));
  g_assert_true (ag_account_pool_remove (fixture->pool, "user2@example.com"));
  g_assert_false (ag_quota_poller_is_scheduled (fixture->poller));

  /* With the last account gone nothing is polled any more. */
  requests = ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels");
  ag_test_sleep (2200);
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels"), ==, requests);
}

static void
test_interval_zero_turns_off (Fixture *fixture, gconstpointer script)
{
  AgAccount *user1 = add_account (fixture, "user1@example.com", "proj-1", "rt-1");
  g_autoptr(GSettings) settings = ag_settings_new ();

  /* The app binds the setting to "interval". */
  g_assert_nonnull (settings);
  g_settings_bind (settings, "quota-poll-interval", fixture->poller, "interval", G_SETTINGS_BIND_GET);
  g_assert_cmpuint (ag_quota_poller_get_interval (fixture->poller), ==, AG_QUOTA_POLLER_DEFAULT_INTERVAL);
  ag_quota_poller_start (fixture->poller);
  g_assert_true (ag_quota_poller_is_scheduled (fixture->poller));
  g_settings_set_uint (settings, "quota-poll-interval", 0);
  g_assert_false (ag_quota_poller_is_scheduled (fixture->poller));
  g_assert_cmpuint (ag_quota_poller_get_interval (fixture->poller), ==, 0);
  ag_test_wait_count (&fixture->polled, 1, AG_TEST_TIMEOUT_MS);

  /* On demand still works, and a second request while one runs is folded into it. */
  ag_quota_poller_poll_account (fixture->poller, user1);
  ag_quota_poller_poll_account (fixture->poller, user1);
  ag_test_wait_count (&fixture->polled, 2, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels"), ==, 2);
  g_settings_set_uint (settings, "quota-poll-interval", 60);
  g_assert_cmpuint (ag_quota_poller_get_interval (fixture->poller), ==, 60);
  g_assert_true (ag_quota_poller_is_scheduled (fixture->poller));
}

#define FAILING_SCRIPT                                                                                          \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\",\"revoked\":true}],"             \
  " \"generate\":[{\"match\":{\"method\":\"fetchAvailableModels\"},"                                          \
  "                \"respond\":{\"error_preset\":\"server_error\"}}]}"

static void
test_failures_reported (Fixture *fixture, gconstpointer script)
{
  AgAccount *user1 = add_account (fixture, "user1@example.com", "proj-1", "rt-1");
  AgAccount *user2;
  g_autoptr(AgAccount) kept = NULL;
  g_auto(GStrv) models = NULL;

  ag_quota_poller_start (fixture->poller);
  ag_test_wait_count (&fixture->polled, 1, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->failures, ==, 1);
  g_assert_error (fixture->last_error, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_HTTP);
  g_assert_cmpuint (fixture->quota_changes, ==, 0);
  models = ag_account_list_quota_models (user1);
  g_assert_null (models[0]);

  /* A revoked sign-in fails at the token, before any Cloud Code call. */
  user2 = add_account (fixture, "user2@example.com", "proj-2", "rt-2");
  ag_test_wait_count (&fixture->polled, 2, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->failures, ==, 2);
  g_assert_error (fixture->last_error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT);

  /* Once marked signed out it is skipped by the rounds (here: a re-add), not by an explicit request. */
  ag_account_set_state (user2, AG_ACCOUNT_STATE_SIGNED_OUT, "signed out", NULL);
  kept = g_object_ref (user2);
  ag_account_pool_add (fixture->pool, user2);
  ag_test_sleep (200);
  g_assert_cmpuint (fixture->polled, ==, 2);
  ag_quota_poller_poll_account (fixture->poller, user2);
  ag_test_wait_count (&fixture->polled, 3, AG_TEST_TIMEOUT_MS);
}

#define SLOW_SCRIPT                                                                                             \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\"}],"                                                             \
  " \"generate\":[{\"match\":{\"method\":\"fetchAvailableModels\"},"                                          \
  "                \"respond\":{\"first_byte_delay_ms\":300}}]}"

static void
test_account_removed_mid_poll (Fixture *fixture, gconstpointer script)
{
  AgAccount *user1 = add_account (fixture, "user1@example.com", "proj-1", "rt-1");
  G_GNUC_UNUSED g_autoptr(AgAccount) kept = g_object_ref (user1);

  ag_quota_poller_start (fixture->poller);
  /* Let the poll reach the mock, which answers only after 300 ms. */
  ag_test_sleep (100);
  g_assert_true (ag_account_pool_remove (fixture->pool, "user1@example.com"));
  g_assert_false (ag_quota_poller_is_scheduled (fixture->poller));

  ag_test_sleep (600);
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels"), ==, 1);
  g_assert_cmpuint (fixture->polled, ==, 0);
  g_assert_cmpuint (fixture->quota_changes, ==, 0);
}

/* After the models, each poll reads the 5-hour and weekly windows onto the account and into history.db; a
 * weekly window the mock reports used up keeps the account away from that group's models until its reset. */
static void
test_windows (Fixture *fixture, gconstpointer script)
{
  AgAccount *user1 = add_account (fixture, "user1@example.com", "proj-1", "rt-1");
  AgAccount *user2 = add_account (fixture, "user2@example.com", "proj-2", "rt-2");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *windows;
  gint64 now = g_get_real_time () / 1000;
  AgQuotaWindowSample *row;

  ag_quota_poller_start (fixture->poller);
  ag_test_wait_count (&fixture->polled, 2, AG_TEST_TIMEOUT_MS);
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":retrieveUserQuotaSummary"), ==, 2);
  windows = ag_account_get_quota_windows (user2);
  g_assert_nonnull (windows);
  g_assert_cmpuint (windows->len, ==, 4);
  g_assert_cmpstr (((AgQuotaWindow *) windows->pdata[3])->group, ==, "Claude and GPT models");
  g_assert_cmpint (((AgQuotaWindow *) windows->pdata[3])->kind, ==, AG_QUOTA_WINDOW_WEEKLY);
  g_assert_cmpfloat (((AgQuotaWindow *) windows->pdata[3])->fraction, ==, 0.0);
  /* 71h15m ahead, to the second the mock rounds to. */
  g_assert_cmpint (((AgQuotaWindow *) windows->pdata[3])->reset_ms, >=, now + (71 * 60 + 15) * 60000 - 2000);
  g_assert_cmpint (((AgQuotaWindow *) windows->pdata[3])->reset_ms, <=, now + (71 * 60 + 15) * 60000 + 2000);
  g_assert_cmpfloat (((AgQuotaWindow *) ag_account_get_quota_windows (user1)->pdata[3])->fraction, ==, 1.0);

  /* user2 is away for Claude until the week resets, not for Gemini. */
  {
    g_autoptr(GPtrArray) not_user1 = g_ptr_array_new ();
    g_autoptr(AgAccount) claude = NULL;
    g_autoptr(AgAccount) gemini = NULL;
    gint64 wait_ms = 0;

    g_ptr_array_add (not_user1, user1);
    claude = ag_account_pool_pick (fixture->pool, "claude-sonnet-4-6", NULL, not_user1, &wait_ms);
    g_assert_null (claude);
    g_assert_cmpint (wait_ms, >, (gint64) 71 * 3600 * 1000);
    gemini = ag_account_pool_pick (fixture->pool, "gemini-3-flash", NULL, not_user1, &wait_ms);
    g_assert_true (gemini == user2);
  }

  result = AG_TEST_AWAIT_CALL (ag_history_store_query_quota_windows_async, fixture->history, "user2@example.com", 0,
                               NULL);
  rows = ag_history_store_query_quota_windows_finish (fixture->history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  row = rows->pdata[3];
  g_assert_cmpstr (row->group, ==, "Claude and GPT models");
  g_assert_cmpstr (row->window, ==, "weekly");
  g_assert_cmpfloat (row->remaining, ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/quota-poller/start-polls-every-account", Fixture, NULL, fixture_set_up,
              test_start_polls_every_account, fixture_tear_down);
  g_test_add ("/quota-poller/timer-follows-accounts", Fixture, NULL, fixture_set_up, test_timer_follows_accounts,
              fixture_tear_down);
  g_test_add ("/quota-poller/interval-zero-turns-off", Fixture, NULL, fixture_set_up, test_interval_zero_turns_off,
              fixture_tear_down);
  g_test_add ("/quota-poller/failures-reported", Fixture, FAILING_SCRIPT, fixture_set_up, test_failures_reported,
              fixture_tear_down);
  g_test_add ("/quota-poller/account-removed-mid-poll", Fixture, SLOW_SCRIPT, fixture_set_up,
              test_account_removed_mid_poll, fixture_tear_down);
  g_test_add ("/quota-poller/windows", Fixture, WINDOWS_SCRIPT, fixture_set_up, test_windows, fixture_tear_down);
  return g_test_run ();
}
