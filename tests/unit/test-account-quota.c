/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the per-model quota an account keeps from the quota poller: clamping, change signals, listing. */
#include "ag-account.h"

static void
count_change (AgAccount *account, const char *model, gpointer user_data)
{
  GString *changes = user_data;

  g_string_append_printf (changes, "%s;", model);
}

static void
test_model_quota (void)
{
  g_autoptr(AgAccount) account = ag_account_new ("user1@example.com", "proj-1", "rt-1");
  g_autoptr(GString) changes = g_string_new (NULL);
  g_auto(GStrv) empty = NULL;
  g_auto(GStrv) models = NULL;
  double fraction = -1;
  gint64 reset = -1;

  g_signal_connect (account, "quota-changed", G_CALLBACK (count_change), changes);
  empty = ag_account_list_quota_models (account);
  g_assert_cmpuint (g_strv_length (empty), ==, 0);
  g_assert_false (ag_account_get_model_quota (account, "gemini-3-flash", &fraction, &reset));
  g_assert_cmpfloat (fraction, ==, -1);

  ag_account_set_model_quota (account, "gemini-3-flash", 0.5, 1785897537000);
  ag_account_set_model_quota (account, "claude-sonnet-4-6", 1.7, 0);
  ag_account_set_model_quota (account, "claude-opus-4-6-thinking", -0.1, 42);
  /* The same values again change nothing and say nothing. */
  ag_account_set_model_quota (account, "gemini-3-flash", 0.5, 1785897537000);
  g_assert_cmpstr (changes->str, ==, "gemini-3-flash;claude-sonnet-4-6;claude-opus-4-6-thinking;");

  g_assert_true (ag_account_get_model_quota (account, "gemini-3-flash", &fraction, &reset));
  g_assert_cmpfloat (fraction, ==, 0.5);
  g_assert_cmpint (reset, ==, 1785897537000);
  g_assert_true (ag_account_get_model_quota (account, "claude-sonnet-4-6", &fraction, NULL));
  g_assert_cmpfloat (fraction, ==, 1.0);
  g_assert_true (ag_account_get_model_quota (account, "claude-opus-4-6-thinking", &fraction, &reset));
  g_assert_cmpfloat (fraction, ==, 0.0);
  g_assert_cmpint (reset, ==, 42);

  ag_account_set_model_quota (account, "gemini-3-flash", 0.5, 1785900000000);
  g_assert_cmpstr (changes->str, ==, "gemini-3-flash;claude-sonnet-4-6;claude-opus-4-6-thinking;gemini-3-flash;");

  models = ag_account_list_quota_models (account);
  g_assert_cmpuint (g_strv_length (models), ==, 3);
  g_assert_cmpstr (models[0], ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (models[1], ==, "claude-sonnet-4-6");
  g_assert_cmpstr (models[2], ==, "gemini-3-flash");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/account-quota/model-quota", test_model_quota);
  return g_test_run ();
}
