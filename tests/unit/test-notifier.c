/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which models every usable account is out of quota for (the "all accounts exhausted" notification), and when
 * the first of them comes back. */
#include "ag-notifier.h"

static void
add_limit (GPtrArray *limits, const char *account, const char *model, AgUpstreamFailure kind, gint64 until_ms)
{
  AgRateLimit *limit = g_new0 (AgRateLimit, 1);

  limit->account = g_strdup (account);
  limit->model = g_strdup (model);
  limit->kind = kind;
  limit->until_ms = until_ms;
  limit->failures = 1;
  g_ptr_array_add (limits, limit);
}

static void
test_all_accounts_exhausted (void)
{
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  g_autoptr(GHashTable) exhausted = NULL;
  const gint64 *reset;

  add_limit (limits, "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 3000);
  add_limit (limits, "b@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000);
  add_limit (limits, "a@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 1000);
  add_limit (limits, "b@example.com", "claude-sonnet-4-6", AG_UPSTREAM_FAILURE_RATE_LIMIT, 900);
  exhausted = ag_notifier_find_exhausted_models (limits, 2);
  g_assert_cmpuint (g_hash_table_size (exhausted), ==, 1);
  reset = g_hash_table_lookup (exhausted, "gemini-3-pro");
  g_assert_nonnull (reset);
  g_assert_cmpint (*reset, ==, 3000);
}

static void
test_one_account_left (void)
{
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  g_autoptr(GHashTable) exhausted = NULL;

  add_limit (limits, "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000);
  exhausted = ag_notifier_find_exhausted_models (limits, 2);
  g_assert_cmpuint (g_hash_table_size (exhausted), ==, 0);
}

static void
test_no_usable_accounts (void)
{
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  g_autoptr(GHashTable) exhausted = NULL;

  add_limit (limits, "a@example.com", "gemini-3-pro", AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, 5000);
  exhausted = ag_notifier_find_exhausted_models (limits, 0);
  g_assert_cmpuint (g_hash_table_size (exhausted), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/notifier/exhausted/all-accounts", test_all_accounts_exhausted);
  g_test_add_func ("/notifier/exhausted/one-account-left", test_one_account_left);
  g_test_add_func ("/notifier/exhausted/no-usable-accounts", test_no_usable_accounts);
  return g_test_run ();
}
