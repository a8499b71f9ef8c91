/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Usage page in the real window (under Xvfb) over a history database seeded with 30 days of use: reached
 * through app.show-page, its charts hold what the store answered (one quota line per account and model, the
 * requests and tokens of the period, TTFB lines), the cursor reads exact values and finds the gap where ag-cl was
 * not running, the table view lists the same data, and screenshots in light and dark mode are saved. */
#include <glib/gstdio.h>
#include "ui-test-util.h"
#include "ui-history-seed.h"
#include "ag-usage-page-private.h"

static UiHistorySeed seed;

static gboolean
loads_reached (gpointer data)
{
  return ag_usage_page_get_loads (ag_window_get_usage_page (ui.window)) >= GPOINTER_TO_UINT (data);
}

/* Shows @period and waits for the page to draw the store's answer. */
static void
show_period (AgUsagePeriod period)
{
  AgUsagePage *page = ag_window_get_usage_page (ui.window);
  guint loads = ag_usage_page_get_loads (page);

  ag_usage_page_set_period (page, period);
  ui_wait_until (loads_reached, GUINT_TO_POINTER (loads + 1));
  ui_settle (200);
}

static void
test_show_page (void)
{
  g_autofree char **accels = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "show-page", g_variant_new_string ("usage"));
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "usage");
  ui_wait_until (loads_reached, GUINT_TO_POINTER (1));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui.app), "app.show-page::usage");
  g_assert_cmpstr (accels[0], ==, "<Alt>3");
}

static void
test_month (void)
{
  AgUsagePage *page = ag_window_get_usage_page (ui.window);
  AgChart *quota = ag_usage_page_get_quota_chart (page);
  g_autofree char *totals = g_strdup_printf ("%u requests · ", seed.requests);
  gint64 middle = seed.end_ms - 15 * 24 * 3600 * 1000LL;

  gtk_window_set_default_size (GTK_WINDOW (ui.window), 1000, 1000);
  show_period (AG_USAGE_PERIOD_MONTH);
  /* Two accounts × two models. */
  g_assert_cmpuint (ag_chart_get_n_lines (quota), ==, 4);
  g_assert_true (g_str_has_prefix (ag_usage_page_get_totals_text (page), totals));
  g_assert_cmpuint (ag_chart_get_n_lines (ag_usage_page_get_ttfb_chart (page)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ag_chart_get_table (ag_usage_page_get_usage_chart (page))), >=, 30);

  /* The newest samples, exactly. */
  ag_chart_select_time (quota, seed.end_ms);
  g_assert_nonnull (strstr (ag_chart_get_readout (quota), "desktop · claude-opus-4-6-thinking: "));
  g_assert_nonnull (strstr (ag_chart_get_readout (quota), "ide · gemini-3-flash: "));
  /* In the middle of the two days ag-cl was not running there is nothing to read. */
  ag_chart_select_time (quota, middle + 24 * 3600 * 1000LL);
  g_assert_cmpstr (ag_chart_get_readout (quota), ==, "");
  ag_chart_select_time (quota, -1);

  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_day_and_table (void)
{
  AgUsagePage *page = ag_window_get_usage_page (ui.window);
  AgChart *usage = ag_usage_page_get_usage_chart (page);
  GListModel *table;

  show_period (AG_USAGE_PERIOD_DAY);
  /* Hourly buckets: the one holding the newest request reads its time and a total. */
  ag_chart_select_time (usage, seed.end_ms);
  g_assert_nonnull (strstr (ag_chart_get_readout (usage), " · total "));
  ag_chart_select_time (usage, -1);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-24-hours");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-24-hours-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  ag_usage_page_set_table_view (page, TRUE);
  table = ag_chart_get_table (usage);
  g_assert_cmpuint (g_list_model_get_n_items (table), >=, 20);
  g_assert_cmpuint (g_list_model_get_n_items (table), <=, 25);
  ui_settle (200);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-table");
  ag_usage_page_set_table_view (page, FALSE);
}

/* 30 simulated days: the size history.db reaches, for the record. */
static void
test_history_size (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("AGCL_DATA_DIR"), "history.db", NULL);
  GStatBuf info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_test_message ("history.db after 30 days: %u requests, %u quota samples, %" G_GINT64_FORMAT " bytes",
                  seed.requests, seed.samples, (gint64) info.st_size);
  g_assert_cmpint (info.st_size, <, 20 * 1024 * 1024);
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "usage"))
    return 0;
  ui_test_seed_history_on_start (&seed);
  ui_test_start ();

  g_test_add_func ("/ui/usage/show-page", test_show_page);
  g_test_add_func ("/ui/usage/month", test_month);
  g_test_add_func ("/ui/usage/day-and-table", test_day_and_table);
  g_test_add_func ("/ui/usage/history-size", test_history_size);
  return ui_test_run ();
}
