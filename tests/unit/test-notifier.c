/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which models every usable account is out of quota for (the "all accounts exhausted" notification), and when
 * the first of them comes back. */
#include "ag-notifier.h"

typedef struct {
  const char       *account;
  const char       *model;
  AgUpstreamFailure kind;
  gint64            until_ms;
} Limit;

/* The rests the pool holds, how many accounts are usable, and the one model reported with its reset (if any). */
typedef struct {
  Limit       limits[4];
  guint       usable_accounts;
  const char *exhausted_model;   /* NULL: none is reported */
  gint64      reset_ms;
} ExhaustedCase;

static const ExhaustedCase all_accounts = {
  { { "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 3000 },
    { "b@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000 },
    { "a@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 1000 },
    { "b@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_RATE_LIMIT, 900 } },
  2, "gemini-3-pro", 3000,
};

static const ExhaustedCase one_account_left = {
  { { "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000 } },
  2, NULL, 0,
};

static const ExhaustedCase no_usable_accounts = {
  { { "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000 } },
  0, NULL, 0,
};

static void
test_exhausted (gconstpointer data)
{
  const ExhaustedCase *c = data;
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  g_autoptr(GHashTable) exhausted = NULL;

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
  exhausted = ag_notifier_find_exhausted_models (limits, c->usable_accounts);
  g_assert_cmpuint (g_hash_table_size (exhausted), ==, c->exhausted_model != NULL ? 1 : 0);
  if (c->exhausted_model != NULL)
    {
      const gint64 *reset = g_hash_table_lookup (exhausted, c->exhausted_model);

      g_assert_nonnull (reset);
      g_assert_cmpint (*reset, ==, c->reset_ms);
    }
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
  g_test_add_data_func ("/notifier/exhausted/all-accounts", &all_accounts, test_exhausted);
  g_test_add_data_func ("/notifier/exhausted/one-account-left", &one_account_left, test_exhausted);
  g_test_add_data_func ("/notifier/exhausted/no-usable-accounts", &no_usable_accounts, test_exhausted);
  g_test_add_func ("/notifier/running-dry", test_running_dry);
  return g_test_run ();
}
