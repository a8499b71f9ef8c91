/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accounts Google refuses, through the real ag-cl and the mock: a banned account and one that needs verification
 * are marked once, never asked again (not after a restart either), shown by `ag-cl account list`, and the other
 * account answers; when none is left the client gets one answer naming each account and what to do; an account
 * whose tier the Gemini CLI pool refuses has that fallback turned off for good, with one log line. */
#include "ag-test.h"

#include <glib/gstdio.h>
#include <string.h>

#define REQUEST(model, text) \
  "{\"model\":\"" model "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"" text "\"}]}"

static AgTestHarness *harness;

static void
forget_history (void)
{
  static const char *const files[] = { "history.db", "history.db-wal", "history.db-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (harness->data_dir, files[i], NULL);

      g_remove (path);
    }
}

/* A fresh proxy (nothing kept from the last test) with @script. */
static void
restart_fresh (const char *script)
{
  ag_test_harness_stop_proxy (harness);
  forget_history ();
  ag_test_harness_set_script (harness, script);
  ag_test_harness_start_proxy (harness);
  g_assert_true (ag_test_harness_wait_log (harness, "account states", 5000));
}

/* The same proxy stopped and started: what history.db keeps comes back. */
static void
restart_keeping (void)
{
  ag_test_harness_restart_proxy (harness);
  g_assert_true (ag_test_harness_wait_log (harness, "account states", 5000));
}

static guint
count_in_log (const char *needle)
{
  guint n = 0;

  for (const char *at = harness->proxy_log->str; (at = strstr (at, needle)) != NULL; at += strlen (needle))
    n++;
  return n;
}

/* The generate requests the mock got, per project ("proj-1"), and how many carried the Gemini CLI identity. */
static guint
count_generates (const char *project, gboolean gemini_cli)
{
  g_autoptr(JsonArray) array = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      JsonObject *body = json_object_get_object_member (request, "body");
      const char *agent = json_object_get_string_member (json_object_get_object_member (request, "headers"),
                                                         "user-agent");

      if ((project == NULL || g_strcmp0 (json_object_get_string_member (body, "project"), project) == 0) &&
          g_str_has_prefix (agent, "google-api-nodejs-client/") == gemini_cli)
        n++;
    }
  return n;
}

static char *
account_list (void)
{
  const char *args[] = { "account", "list", NULL };
  char *out = NULL;

  g_assert_cmpint (ag_test_harness_run_cli (harness, args, NULL, &out, NULL), ==, 0);
  return out;
}

/* Waits until `ag-cl account list` shows @needle (the state is written by the store's thread). */
static char *
wait_for_listing (const char *needle)
{
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *listing = account_list ();

      if (strstr (listing, needle) != NULL)
        return g_steal_pointer (&listing);
      ag_test_sleep (100);
    }
  g_error ("account list never showed “%s”", needle);
}

static void
assert_gemini_answered (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *answer = NULL;

  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("gemini-3-flash", "hello"), &body), ==, 200);
  answer = ag_test_reply_text (body);
  g_assert_cmpstr (answer, ==, "Hello from the mock.");
}

static void
assert_answered (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *answer = NULL;

  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("claude-sonnet-4-6", "hello"), &body), ==, 200);
  answer = ag_test_reply_text (body);
  g_assert_cmpstr (answer, ==, "Hello from the mock.");
}

typedef struct {
  const char *name;
  const char *flags;          /* user1's script entry beyond its refresh token */
  const char *listed[4];      /* in user1's `account list` line */
} RefusedCase;

static const RefusedCase refused_cases[] = {
  { "banned", "\"banned\":true",
    { "\tbanned\tThis service has been disabled in this account for violation of Terms of Service",
      "— https://support.google.com/accounts/contact/disabled2?mock=1", NULL } },
  { "verification", "\"verification\":true",
    { "\tvalidation-required\tGoogle asks you to verify this account",
      "— https://accounts.google.com/signin/continue?", "&authuser=user1%40example.com", NULL } },
};

/* user1 is refused, user2 serves: every request is answered, user1 is asked once in all, and stays out after a
 * restart. */
static void
test_refused_account (gconstpointer data)
{
  const RefusedCase *c = data;
  g_autofree char *script = g_strdup_printf ("{\"accounts\":[{\"refresh_token\":\"rt-1\",%s},"
                                             "{\"refresh_token\":\"rt-2\"}]}", c->flags);
  g_autofree char *listing = NULL;

  restart_fresh (script);
  /* The default strategy tries fresh accounts first, in the pool's order: user1 is asked first, unless the quota
   * poll at start met the refusal before. */
  for (guint i = 0; i < 2; i++)
    assert_answered ();
  g_assert_true (ag_test_harness_wait_log (harness, "user1@example.com cannot be used until it is fixed", 5000));
  g_assert_cmpuint (count_generates ("proj-1", FALSE), <=, 1);
  g_assert_cmpuint (count_in_log ("user1@example.com cannot be used until it is fixed"), ==, 1);
  ag_test_harness_set_script (harness, script);
  listing = wait_for_listing (c->listed[0]);
  for (guint i = 0; c->listed[i] != NULL; i++)
    g_assert_nonnull (strstr (listing, c->listed[i]));
  g_assert_nonnull (strstr (listing, "user2@example.com\tproj-2\tfree-tier\tenabled\n"));

  for (guint i = 0; i < 3; i++)
    assert_answered ();
  g_assert_cmpuint (count_generates ("proj-1", FALSE), ==, 0);

  restart_keeping ();
  ag_test_harness_set_script (harness, script);
  for (guint i = 0; i < 3; i++)
    assert_answered ();
  g_assert_cmpuint (count_generates ("proj-1", FALSE), ==, 0);
  g_assert_cmpuint (count_generates ("proj-2", FALSE), ==, 3);
  /* Restored, not met again: nothing new to tell the user. */
  g_assert_cmpuint (count_in_log ("cannot be used until it is fixed"), ==, 0);
}

/* Nothing is left: one answer in the client's shape that names each account, its state and where to act; and no
 * request upstream for it. */
static void
test_none_left (void)
{
  const char *script = "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"banned\":true},"
                       "{\"refresh_token\":\"rt-2\",\"verification\":true}]}";
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;

  restart_fresh (script);
  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("claude-sonnet-4-6", "hello"), &body), ==, 503);
  ag_test_assert_error_body (body, "api_error", "user1@example.com is banned by Google for a Terms of Service "
                             "violation (appeal: https://support.google.com/accounts/contact/disabled2?mock=1)");
  ag_test_assert_error_body (body, "api_error", "user2@example.com needs verification (verify at https://accounts.google.com/");
  ag_test_assert_error_body (body, "api_error", "&authuser=user2%40example.com, then “Check again” in ag-cl)");
  /* Each account was asked at most once (the quota poll at start may have met user1's ban first). */
  g_assert_cmpuint (count_generates ("proj-1", FALSE), <=, 1);
  g_assert_cmpuint (count_generates ("proj-2", FALSE), ==, 1);

  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", REQUEST ("claude-sonnet-4-6", "again"),
                                             &second, &headers), ==, 503);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-should-retry"), ==, "false");
  ag_test_assert_error_body (second, "api_error", "Fix them in the ag-cl window, or see “ag-cl account list”");
  g_assert_cmpuint (count_generates (NULL, FALSE), ==, 0);
}

/* Both accounts' Antigravity quota is gone and the Gemini CLI pool refuses their tier: each is asked there once,
 * the fallback is off for each with one log line, and no later request (nor a restart) spends one on it. */
static void
test_gemini_cli_closed (void)
{
  const char *script = "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"gemini_cli\":\"ineligible\"},"
                       "{\"refresh_token\":\"rt-2\",\"gemini_cli\":\"ineligible\"}],"
                       "\"generate\":[{\"match\":{\"model\":\"gemini-3-flash\"},\"respond\":{"
                       "\"error_preset\":\"quota_exhausted\",\"reset_delay\":\"3h\"}}]}";
  g_autoptr(GBytes) body = NULL;
  g_autofree char *listing = NULL;

  restart_fresh (script);
  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("gemini-3-flash", "hello"), &body), ==, 429);
  ag_test_assert_error_body (body, "rate_limit_error", "gemini-3-flash");
  g_assert_cmpuint (count_generates (NULL, FALSE), ==, 2);
  g_assert_cmpuint (count_generates (NULL, TRUE), ==, 2);
  g_assert_cmpuint (count_in_log ("the Gemini CLI quota no longer serves user1@example.com"), ==, 1);
  g_assert_cmpuint (count_in_log ("the Gemini CLI quota no longer serves user2@example.com"), ==, 1);
  listing = wait_for_listing ("user2@example.com\tproj-2\tfree-tier\tenabled\tgemini-cli-closed\n");
  g_assert_nonnull (strstr (listing, "user1@example.com\tproj-1\tfree-tier\tenabled\tgemini-cli-closed\n"));

  g_clear_pointer (&body, g_bytes_unref);
  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("gemini-3-flash", "again"), &body), ==, 429);
  g_assert_cmpuint (count_generates (NULL, TRUE), ==, 0);
  g_assert_cmpuint (count_in_log ("no longer serves"), ==, 2);

  restart_keeping ();
  g_clear_pointer (&body, g_bytes_unref);
  ag_test_harness_set_script (harness, script);
  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("gemini-3-flash", "after a restart"), &body), ==, 429);
  g_assert_cmpuint (count_generates (NULL, TRUE), ==, 0);
}

/* user1's weekly Claude window is used up (the summary says so, and so does its 429 "Resets in 71h15m"): Claude
 * requests go to user2, at most one is spent finding out; with both used up the client is told the day and time. */
static void
test_weekly_exhausted (void)
{
  const char *script = "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"weekly_exhausted\":\"claude\"},"
                       "{\"refresh_token\":\"rt-2\"}]}";

  restart_fresh (script);
  for (guint i = 0; i < 3; i++)
    assert_answered ();
  g_assert_cmpuint (count_generates ("proj-1", FALSE), <=, 1);
  g_assert_cmpuint (count_generates ("proj-2", FALSE), ==, 3);
  ag_test_harness_set_script (harness, script);
  for (guint i = 0; i < 2; i++)
    assert_answered ();
  g_assert_cmpuint (count_generates ("proj-1", FALSE), ==, 0);
}

static void
test_weekly_exhausted_everywhere (void)
{
  const char *script = "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"weekly_exhausted\":\"claude\"},"
                       "{\"refresh_token\":\"rt-2\",\"weekly_exhausted\":\"claude\"}]}";
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) reset = g_date_time_add_minutes (now, 71 * 60 + 15);
  g_autofree char *day = g_date_time_format (reset, "resets at %a ");

  restart_fresh (script);
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages", REQUEST ("claude-sonnet-4-6", "hello"),
                                             &body, &headers), ==, 429);
  ag_test_assert_error_body (body, "rate_limit_error", "have used up their quota for claude-sonnet-4-6");
  ag_test_assert_error_body (body, "rate_limit_error", day);
  ag_test_assert_error_body (body, "rate_limit_error", "in 71 h 1");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-should-retry"), ==, "false");
  /* Gemini models count against the other group: still served. */
  assert_gemini_answered ();
}

/* Both accounts' weekly Claude window is used up; user2 has Google One AI credits (120: one request's worth).
 * Off (the default), nothing is spent: the client hears when the week resets. On (AGCL_AI_CREDITS=1), the request
 * goes out once more with enabledCreditTypes on user2 and is answered, and the log marks it; the next one meets
 * INSUFFICIENT_G1_CREDITS_BALANCE, which ends the credits, not the free quota. */
static void
test_ai_credits (void)
{
  const char *script = "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"weekly_exhausted\":\"claude\"},"
                       "{\"refresh_token\":\"rt-2\",\"weekly_exhausted\":\"claude\",\"credits\":120}]}";
  const char *log_args[] = { "log", "--json", NULL };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonArray) generates = NULL;
  g_autofree char *log = NULL;
  JsonObject *last;

  restart_fresh (script);
  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("claude-sonnet-4-6", "hello"), &body), ==, 429);
  generates = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  for (guint i = 0; i < json_array_get_length (generates); i++)
    g_assert_false (json_object_has_member (json_object_get_object_member (
                      json_array_get_object_element (generates, i), "body"), "enabledCreditTypes"));

  ag_test_harness_setenv (harness, "AGCL_AI_CREDITS", "1");
  restart_fresh (script);
  /* The quota poll reads the balance (loadCodeAssist → paidTier.availableCredits) of both accounts. */
  for (guint i = 0; i < 100 && ag_mock_server_count_requests (harness->mock, ":loadCodeAssist") < 2; i++)
    ag_test_sleep (50);
  ag_test_sleep (100);
  g_clear_pointer (&body, g_bytes_unref);
  assert_answered ();
  g_assert_true (ag_test_harness_wait_log (harness, "spending the AI credits of user2@example.com (balance 120)",
                                           5000));
  last = ag_test_mock_last_request (harness->mock, ":streamGenerateContent");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "body"), "project"), ==,
                   "proj-2");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_object_get_object_member (last, "body"), "enabledCreditTypes"), 0), ==, "GOOGLE_ONE_AI");
  json_object_unref (last);

  /* The balance is spent upstream (ag-cl still believes 120 until its next poll). */
  g_assert_cmpuint (ag_test_harness_post (harness, REQUEST ("claude-sonnet-4-6", "again"), &body), ==, 429);
  g_assert_true (ag_test_harness_wait_log (harness, "user2@example.com has no Google One AI credits left", 5000));
  ag_test_assert_error_body (body, "rate_limit_error", "have used up their quota for claude-sonnet-4-6");
  ag_test_harness_unsetenv (harness, "AGCL_AI_CREDITS");

  ag_test_sleep (300);
  {
    const char *table_args[] = { "log", NULL };
    g_autofree char *table = NULL;

    g_assert_cmpint (ag_test_harness_run_cli (harness, table_args, NULL, &table, NULL), ==, 0);
    g_assert_nonnull (strstr (table, "credits: paid with Google One AI credits"));
    g_test_message ("ag-cl log:\n%s", table);
  }
  g_assert_cmpint (ag_test_harness_run_cli (harness, log_args, NULL, &log, NULL), ==, 0);
  {
    g_autoptr(JsonNode) rows = json_from_string (log, NULL);
    JsonArray *array = json_node_get_array (rows);
    guint credited = 0;

    /* Exactly the answered request is marked; the refused one spent nothing. */
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *row = json_array_get_object_element (array, i);

        if (json_object_get_boolean_member (row, "credits"))
          {
            credited++;
            g_assert_cmpint (json_object_get_int_member (row, "status"), ==, 200);
            g_assert_cmpstr (json_object_get_string_member (row, "account"), ==, "user2@example.com");
          }
      }
    g_assert_cmpuint (credited, ==, 1);
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = ag_test_harness_new ("{\"accounts\":[{\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\"}]}");
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_add_account (harness, "rt-2");
  ag_test_harness_start_proxy (harness);

  ag_test_add_cases ("/account-trouble/refused-", refused_cases, G_N_ELEMENTS (refused_cases), sizeof refused_cases[0],
                     test_refused_account);
  g_test_add_func ("/account-trouble/none-left", test_none_left);
  g_test_add_func ("/account-trouble/gemini-cli-closed", test_gemini_cli_closed);
  g_test_add_func ("/account-trouble/weekly-exhausted", test_weekly_exhausted);
  g_test_add_func ("/account-trouble/weekly-exhausted-everywhere", test_weekly_exhausted_everywhere);
  g_test_add_func ("/account-trouble/ai-credits", test_ai_credits);
  status = g_test_run ();

  ag_test_harness_free (harness);
  return status;
}
