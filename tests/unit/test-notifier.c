/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which models every usable account is out of quota for (the "all accounts exhausted" notification), and when
 * the first of them comes back. */
#include "ag-notifier.h"
#include "ag-reset-time.h"
#include "ag-test.h"

#include <string.h>

#define NOW_MS  ((gint64) 1790000000000)
#define HOUR_MS ((gint64) 3600 * 1000)
#define DAY_MS  (24 * HOUR_MS)

typedef struct {
  const char       *account;
  const char       *model;
  AgUpstreamFailure kind;
  gint64            until_ms;
} Limit;

/* A 5-hour or weekly window of an account, as the quota poll read it. */
typedef struct {
  const char       *account;
  const char       *group;
  AgQuotaWindowKind kind;
  double            fraction;
  gint64            reset_ms;
} Window;

/* A model's own quota on an account (fetchAvailableModels), which also names the models a window counts. */
typedef struct {
  const char *account;
  const char *model;
  double      fraction;
  gint64      reset_ms;
} ModelQuota;

/* The usable accounts, the rests the pool holds, the windows and model quotas the poll read; the models reported
 * out of quota everywhere, each with when the first account is back. */
typedef struct {
  const char *name;
  const char *accounts[3];
  Limit       limits[4];
  Window      windows[4];
  ModelQuota  quotas[6];
  gint64      now_ms;
  const char *exhausted[3];
  gint64      back_ms[3];
} ExhaustedCase;

static const ExhaustedCase exhausted_cases[] = {
  { .name = "all-accounts",
    .accounts = { "a@example.com", "b@example.com" },
    .limits = { { "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 3000 },
                { "b@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000 },
                { "a@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 1000 },
                { "b@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_RATE_LIMIT, 900 } },
    .exhausted = { "gemini-3-pro" }, .back_ms = { 3000 } },
  { .name = "one-account-left",
    .accounts = { "a@example.com", "b@example.com" },
    .limits = { { "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000 } } },
  { .name = "no-usable-accounts",
    .limits = { { "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000 } } },
  /* Nothing rests: the pool never asks an account whose week is used up, so no quota error ever comes. The models
   * a window counts are the ones the accounts report; the week ends first on b. */
  { .name = "weekly-window-everywhere",
    .accounts = { "a@example.com", "b@example.com" },
    .windows = { { "a@example.com", "Claude and GPT models", AG_QUOTA_WINDOW_WEEKLY, 0.0, NOW_MS + 3 * DAY_MS },
                 { "b@example.com", "Claude and GPT models", AG_QUOTA_WINDOW_WEEKLY, 0.0, NOW_MS + 2 * DAY_MS },
                 { "b@example.com", "Gemini Models", AG_QUOTA_WINDOW_WEEKLY, 0.0, NOW_MS + 2 * DAY_MS } },
    .quotas = { { "a@example.com", "claude-sonnet-4-6", 0.4, NOW_MS + HOUR_MS },
                { "b@example.com", "claude-sonnet-4-6", 0.4, NOW_MS + HOUR_MS },
                { "a@example.com", "gpt-oss-120b-medium", 1.0, 0 },
                { "b@example.com", "gpt-oss-120b-medium", 1.0, 0 },
                { "a@example.com", "gemini-3-flash", 0.9, 0 },
                { "b@example.com", "gemini-3-flash", 0.9, 0 } },
    .now_ms = NOW_MS,
    .exhausted = { "claude-sonnet-4-6", "gpt-oss-120b-medium" }, .back_ms = { NOW_MS + 2 * DAY_MS, NOW_MS + 2 * DAY_MS } },
  /* One account rests after a quota error, the other's 5 hours are used up: out everywhere, back with the rest. */
  { .name = "rest-and-window",
    .accounts = { "a@example.com", "b@example.com" },
    .limits = { { "a@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, NOW_MS + HOUR_MS } },
    .windows = { { "b@example.com", "Claude and GPT models", AG_QUOTA_WINDOW_5H, 0.0, NOW_MS + 3 * HOUR_MS } },
    .quotas = { { "b@example.com", "claude-sonnet-4-6", 0.2, NOW_MS + 3 * HOUR_MS } },
    .now_ms = NOW_MS,
    .exhausted = { "claude-sonnet-4-6" }, .back_ms = { NOW_MS + HOUR_MS } },
  /* a's rest ends in an hour but its week is used up: a is back in three days, b first, in two hours. */
  { .name = "rest-inside-a-used-up-week",
    .accounts = { "a@example.com", "b@example.com" },
    .limits = { { "a@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, NOW_MS + HOUR_MS },
                { "b@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, NOW_MS + 2 * HOUR_MS } },
    .windows = { { "a@example.com", "Claude and GPT models", AG_QUOTA_WINDOW_WEEKLY, 0.0, NOW_MS + 3 * DAY_MS } },
    .now_ms = NOW_MS,
    .exhausted = { "claude-sonnet-4-6" }, .back_ms = { NOW_MS + 2 * HOUR_MS } },
  /* Windows past their reset (not polled since) and windows with quota left keep nobody out. */
  { .name = "windows-reset-or-left",
    .accounts = { "a@example.com", "b@example.com" },
    .windows = { { "a@example.com", "Gemini Models", AG_QUOTA_WINDOW_WEEKLY, 0.0, NOW_MS - 60 * 1000 },
                 { "b@example.com", "Gemini Models", AG_QUOTA_WINDOW_5H, 0.05, NOW_MS + HOUR_MS } },
    .quotas = { { "a@example.com", "gemini-3-flash", 0.5, 0 }, { "b@example.com", "gemini-3-flash", 0.5, 0 } },
    .now_ms = NOW_MS },
  /* The model's own quota read at 0 keeps the pool away as well. */
  { .name = "model-quota-used-up",
    .accounts = { "a@example.com", "b@example.com" },
    .quotas = { { "a@example.com", "gemini-3-pro", 0.0, NOW_MS + 5 * HOUR_MS },
                { "b@example.com", "gemini-3-pro", 0.0, NOW_MS + 4 * HOUR_MS },
                { "a@example.com", "gemini-3-flash", 0.0, NOW_MS + HOUR_MS },
                { "b@example.com", "gemini-3-flash", 0.3, NOW_MS + HOUR_MS } },
    .now_ms = NOW_MS,
    .exhausted = { "gemini-3-pro" }, .back_ms = { NOW_MS + 4 * HOUR_MS } },
};

static AgAccount *
case_account (const ExhaustedCase *c, const char *email)
{
  AgAccount *account = ag_account_new (email, "proj", "rt-test");
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_quota_window_free);

  for (guint i = 0; i < G_N_ELEMENTS (c->windows) && c->windows[i].account != NULL; i++)
    if (g_str_equal (c->windows[i].account, email))
      {
        AgQuotaWindow window = { (char *) c->windows[i].group, NULL, c->windows[i].kind, c->windows[i].fraction,
                                 c->windows[i].reset_ms };

        g_ptr_array_add (windows, ag_quota_window_copy (&window));
      }
  ag_account_set_quota_windows (account, windows);
  for (guint i = 0; i < G_N_ELEMENTS (c->quotas) && c->quotas[i].account != NULL; i++)
    if (g_str_equal (c->quotas[i].account, email))
      ag_account_set_model_quota (account, c->quotas[i].model, c->quotas[i].fraction, c->quotas[i].reset_ms);
  return account;
}

static void
test_exhausted (gconstpointer data)
{
  const ExhaustedCase *c = data;
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) exhausted = NULL;
  guint expected = 0;

  for (guint i = 0; i < G_N_ELEMENTS (c->limits) && c->limits[i].account != NULL; i++)
    {
      AgRateLimit *limit = g_new0 (AgRateLimit, 1);

      limit->account = g_strdup (c->limits[i].account);
      limit->model = g_strdup (c->limits[i].model);
      limit->kind = c->limits[i].kind;
      limit->until_ms = c->limits[i].until_ms;
      limit->failures = 1;
      g_ptr_array_add (limits, limit);
    }
  for (guint i = 0; i < G_N_ELEMENTS (c->accounts) && c->accounts[i] != NULL; i++)
    g_ptr_array_add (accounts, case_account (c, c->accounts[i]));
  exhausted = ag_notifier_find_exhausted_models (limits, accounts, c->now_ms);
  for (; expected < G_N_ELEMENTS (c->exhausted) && c->exhausted[expected] != NULL; expected++)
    {
      const gint64 *back = g_hash_table_lookup (exhausted, c->exhausted[expected]);

      g_test_message ("%s", c->exhausted[expected]);
      g_assert_nonnull (back);
      g_assert_cmpint (*back, ==, c->back_ms[expected]);
    }
  g_assert_cmpuint (g_hash_table_size (exhausted), ==, expected);
}

/* @model, @back_ms, further pairs, NULL: as ag_notifier_find_exhausted_models gives them. */
static GHashTable *
exhausted_now (const char *model, gint64 back_ms, ...)
{
  GHashTable *exhausted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, back_ms);
  while (model != NULL)
    {
      g_hash_table_replace (exhausted, g_strdup (model), g_memdup2 (&back_ms, sizeof back_ms));
      if ((model = va_arg (args, const char *)) != NULL)
        back_ms = va_arg (args, gint64);
    }
  va_end (args);
  return exhausted;
}

static void
assert_names (char **names, const char *expected)
{
  g_autofree char *joined = names != NULL ? g_strjoinv (",", names) : NULL;

  g_assert_cmpstr (joined, ==, expected);
}

/* Once per depletion: what ran out together is said together, then not again until it came back and ran out anew. */
static void
test_exhausted_once (void)
{
  g_autoptr(GHashTable) announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) both = exhausted_now ("gpt-oss-120b-medium", NOW_MS + 2 * DAY_MS,
                                              "claude-sonnet-4-6", NOW_MS + DAY_MS, NULL);
  g_autoptr(GHashTable) with_gemini = exhausted_now ("claude-sonnet-4-6", NOW_MS + DAY_MS,
                                                     "gemini-3-pro", NOW_MS + HOUR_MS, NULL);
  g_autoptr(GHashTable) none = exhausted_now (NULL, (gint64) 0);
  g_autoptr(GHashTable) claude = exhausted_now ("claude-sonnet-4-6", NOW_MS + 3 * HOUR_MS, NULL);
  gint64 back = -1;
  g_auto(GStrv) first = ag_notifier_take_newly_exhausted (announced, both, &back);
  g_auto(GStrv) again = NULL;
  g_auto(GStrv) gemini = NULL;
  g_auto(GStrv) after_recovery = NULL;
  g_auto(GStrv) anew = NULL;

  assert_names (first, "claude-sonnet-4-6,gpt-oss-120b-medium");
  g_assert_cmpint (back, ==, NOW_MS + DAY_MS);
  again = ag_notifier_take_newly_exhausted (announced, both, &back);
  assert_names (again, NULL);
  g_assert_cmpint (back, ==, 0);
  /* gpt came back; Gemini ran out: only Gemini is news. */
  gemini = ag_notifier_take_newly_exhausted (announced, with_gemini, &back);
  assert_names (gemini, "gemini-3-pro");
  g_assert_cmpint (back, ==, NOW_MS + HOUR_MS);
  after_recovery = ag_notifier_take_newly_exhausted (announced, none, &back);
  assert_names (after_recovery, NULL);
  g_assert_cmpuint (g_hash_table_size (announced), ==, 0);
  anew = ag_notifier_take_newly_exhausted (announced, claude, &back);
  assert_names (anew, "claude-sonnet-4-6");
  g_assert_cmpint (back, ==, NOW_MS + 3 * HOUR_MS);
}

/* The words name when the first account is back: a time within a day, a day and time beyond (as everywhere). */
static void
test_exhausted_words (void)
{
  const char *one[] = { "claude-sonnet-4-6", NULL };
  const char *two[] = { "claude-sonnet-4-6", "gpt-oss-120b-medium", NULL };
  g_autofree char *soon = ag_reset_time_format (NOW_MS + 2 * HOUR_MS, NOW_MS);
  g_autofree char *days = ag_reset_time_format (NOW_MS + 2 * DAY_MS, NOW_MS);
  g_autofree char *title1 = NULL, *body1 = NULL, *title2 = NULL, *body2 = NULL;
  g_autofree char *expected1 = g_strdup_printf ("Every account has used up its quota for this model. The first one is "
                                                "back at %s.", soon);
  g_autofree char *expected2 = g_strdup_printf ("No account has quota left for claude-sonnet-4-6, "
                                                "gpt-oss-120b-medium. The first one is back at %s.", days);

  /* Two days away names the day: more than the five characters of "14:20". */
  g_assert_cmpuint (strlen (days), >, 5);
  ag_notifier_describe_exhausted (one, NOW_MS + 2 * HOUR_MS, NOW_MS, &title1, &body1);
  g_assert_cmpstr (title1, ==, "claude-sonnet-4-6 is out of quota");
  g_assert_cmpstr (body1, ==, expected1);
  ag_notifier_describe_exhausted (two, NOW_MS + 2 * DAY_MS, NOW_MS, &title2, &body2);
  g_assert_cmpstr (title2, ==, "Every account is out of quota");
  g_assert_cmpstr (body2, ==, expected2);
}

#define MINUTE_MS ((gint64) 60 * 1000)

static guint
announced_now (GHashTable *announced, const AgQuotaForecast *forecast, gint64 now_ms)
{
  g_autoptr(GArray) forecasts = g_array_new (FALSE, FALSE, sizeof (AgQuotaForecast));
  g_autoptr(GArray) announce = NULL;

  g_array_append_val (forecasts, *forecast);
  announce = ag_notifier_find_running_dry (announced, forecasts, now_ms);
  return announce->len;
}

/* Running dry within the hour is said once per family per depletion: not again while it lasts (the pace wobbling
 * around the hour included), again after a refill; not when a reset comes first or it is further away. */
static void
test_running_dry (void)
{
  g_autoptr(GHashTable) announced = ag_notifier_new_announced ();
  const gint64 now = 1000 * MINUTE_MS;
  AgQuotaForecast claude = { AG_MODEL_FAMILY_CLAUDE, 2, 2, 0.5, 0.6, now + 50 * MINUTE_MS, now + 3 * 60 * MINUTE_MS };
  AgQuotaForecast gemini = { AG_MODEL_FAMILY_GEMINI, 2, 2, 1.5, 0.1, now + 15 * 60 * MINUTE_MS, 0 };
  AgQuotaForecast later = claude, reset_first = claude, refilled = claude;

  g_assert_cmpuint (announced_now (announced, &gemini, now), ==, 0);
  reset_first.next_reset_ms = now + 20 * MINUTE_MS;
  g_assert_cmpuint (announced_now (announced, &reset_first, now), ==, 0);

  g_assert_cmpuint (announced_now (announced, &claude, now), ==, 1);
  /* The same depletion, five minutes on, and with the pace easing to 70 minutes: said already. */
  claude.pool_remaining = 0.45;
  g_assert_cmpuint (announced_now (announced, &claude, now + 5 * MINUTE_MS), ==, 0);
  later.empty_at_ms = now + 80 * MINUTE_MS;
  g_assert_cmpuint (announced_now (announced, &later, now), ==, 0);
  later.empty_at_ms = now + 40 * MINUTE_MS;
  g_assert_cmpuint (announced_now (announced, &later, now), ==, 0);

  /* An account was refilled: a new depletion, said again when it comes. */
  refilled.pool_remaining = 1.4;
  refilled.empty_at_ms = now + 140 * MINUTE_MS;
  g_assert_cmpuint (announced_now (announced, &refilled, now), ==, 0);
  refilled.pool_remaining = 0.4;
  refilled.empty_at_ms = now + 30 * MINUTE_MS;
  g_assert_cmpuint (announced_now (announced, &refilled, now + 100 * MINUTE_MS), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/notifier/exhausted/", exhausted_cases, test_exhausted);
  g_test_add_func ("/notifier/exhausted-once", test_exhausted_once);
  g_test_add_func ("/notifier/exhausted-words", test_exhausted_words);
  g_test_add_func ("/notifier/running-dry", test_running_dry);
  return g_test_run ();
}
