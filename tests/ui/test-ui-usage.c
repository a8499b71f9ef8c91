/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Usage page in the real window (under Xvfb) over a history database seeded with 30 days of use: reached
 * through app.show-page, its charts hold what the store answered (one quota line per account and model, the
 * requests and tokens of the period, TTFB lines), the cursor reads exact values and finds the gap where ag-cl was
 * not running, the table view lists the same data, new requests redraw it while shown and not while hidden, and
 * screenshots in light and dark mode are saved. The quota notifications (running dry, every account out of quota)
 * reach the desktop once per depletion. */
#include <glib/gstdio.h>
#include <string.h>
#include "ui-test-util.h"
#include "ui-history-seed.h"
#include "ag-notifier.h"
#include "ag-quota-glance.h"
#include "ag-reset-time.h"
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
  g_auto(GStrv) accels = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "show-page", g_variant_new_string ("usage"));
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "usage");
  ui_wait_until (loads_reached, GUINT_TO_POINTER (1));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui.app), "app.show-page::usage");
  g_assert_cmpstr (accels[0], ==, "<Alt>3");
}

/* "Quota Windows": one pooled line per model group and window, the refills as markers and table rows. */
static void
test_windows (AgUsagePage *page, AgChart *quota, gint64 middle)
{
  static const char * const names[] = { "Claude and GPT models · 5 h", "Claude and GPT models · weekly",
                                        "Gemini Models · 5 h", "Gemini Models · weekly" };
  guint loads = ag_usage_page_get_loads (page);
  GListModel *table = ag_chart_get_table (quota);
  guint refills[G_N_ELEMENTS (names)] = { 0 };

  g_assert_cmpuint (seed.windows, >, 0);
  ag_usage_page_show_quota_windows (page);
  ui_wait_until (loads_reached, GUINT_TO_POINTER (loads + 1));
  g_assert_cmpuint (ag_chart_get_n_lines (quota), ==, G_N_ELEMENTS (names));
  g_assert_false (ag_usage_page_get_forecast_shown (page));
  ag_chart_select_time (quota, seed.end_ms);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *value = g_strdup_printf ("%s: ", names[i]);
      g_autofree char *latest = g_strdup_printf (" %s ", names[i]);

      g_assert_nonnull (strstr (ag_chart_get_readout (quota), value));
      g_assert_nonnull (strstr (ag_chart_get_summary (quota), latest));
    }
  /* Where ag-cl was not running, no window was read. */
  ag_chart_select_time (quota, middle + 24 * 3600 * 1000LL);
  g_assert_cmpstr (ag_chart_get_readout (quota), ==, "");
  ag_chart_select_time (quota, -1);
  /* Every 5 hours and every week an account's window refills: markers, listed in the table. */
  for (guint r = 0; r < g_list_model_get_n_items (table); r++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *refilled = g_strdup_printf (" · %s refilled", names[i]);

        refills[i] += g_str_has_suffix (gtk_string_list_get_string (GTK_STRING_LIST (table), r), refilled);
      }
  g_assert_cmpuint (refills[0], >=, 100);
  g_assert_cmpuint (refills[1], >=, 4);
  g_assert_cmpuint (refills[1], <=, 10);
  ui_settle (200);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days-windows");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days-windows-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_month (void)
{
  AgUsagePage *page = ag_window_get_usage_page (ui.window);
  AgChart *quota = ag_usage_page_get_quota_chart (page);
  /* Refused requests are counted apart, not as requests anyone made. */
  g_autofree char *totals = g_strdup_printf ("%u requests · ", seed.requests - seed.refused);
  g_autofree char *refused = g_strdup_printf (" · %u refused · ", seed.refused);
  gint64 middle = seed.end_ms - 15 * 24 * 3600 * 1000LL;
  guint loads, forecast_rows;
  GListModel *table;

  gtk_window_set_default_size (GTK_WINDOW (ui.window), 1000, 1000);
  show_period (AG_USAGE_PERIOD_MONTH);
  /* By family (the default): the pools of Claude and Gemini, and Claude's forecast (the seed uses it on the first
   * account faster than a window refills), dashed from now, its assumptions shown. */
  g_assert_cmpuint (ag_chart_get_n_lines (quota), ==, 2);
  g_assert_cmpuint (ag_chart_get_n_forecasts (quota), >=, 1);
  g_assert_true (ag_usage_page_get_forecast_shown (page));
  g_assert_nonnull (strstr (ag_chart_get_summary (quota), "Forecast: Claude reaches "));
  /* The table view lists the forecast too: from now to the end it reaches. */
  table = ag_chart_get_table (quota);
  forecast_rows = 0;
  for (guint i = 0; i < g_list_model_get_n_items (table); i++)
    forecast_rows += strstr (gtk_string_list_get_string (GTK_STRING_LIST (table), i), " · Claude forecast: ") != NULL;
  g_assert_cmpuint (forecast_rows, ==, 2);
  ag_chart_select_time (quota, seed.end_ms);
  g_assert_nonnull (strstr (ag_chart_get_readout (quota), " · Claude: "));
  g_assert_nonnull (strstr (ag_chart_get_readout (quota), "Gemini: "));
  ag_chart_select_time (quota, -1);
  g_assert_true (g_str_has_prefix (ag_usage_page_get_totals_text (page), totals));
  g_assert_nonnull (strstr (ag_usage_page_get_totals_text (page), refused));
  g_assert_cmpuint (ag_chart_get_n_lines (ag_usage_page_get_ttfb_chart (page)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ag_chart_get_table (ag_usage_page_get_usage_chart (page))), >=, 30);
  ui_settle (200);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Per account: two accounts × two models, no forecast. */
  loads = ag_usage_page_get_loads (page);
  ag_usage_page_set_quota_by_family (page, FALSE);
  ui_wait_until (loads_reached, GUINT_TO_POINTER (loads + 1));
  g_assert_cmpuint (ag_chart_get_n_lines (quota), ==, 4);
  g_assert_cmpuint (ag_chart_get_n_forecasts (quota), ==, 0);
  g_assert_false (ag_usage_page_get_forecast_shown (page));

  /* The newest samples, exactly. */
  ag_chart_select_time (quota, seed.end_ms);
  g_assert_nonnull (strstr (ag_chart_get_readout (quota), "desktop · claude-opus-4-6-thinking: "));
  g_assert_nonnull (strstr (ag_chart_get_readout (quota), "ide · gemini-3-flash: "));
  /* In the middle of the two days ag-cl was not running there is nothing to read. */
  ag_chart_select_time (quota, middle + 24 * 3600 * 1000LL);
  g_assert_cmpstr (ag_chart_get_readout (quota), ==, "");
  ag_chart_select_time (quota, -1);
  ui_settle (200);
  ui_save_screenshot (GTK_WIDGET (ui.window), "usage-30-days-by-account");

  test_windows (page, quota, middle);

  loads = ag_usage_page_get_loads (page);
  ag_usage_page_set_quota_by_family (page, TRUE);
  ui_wait_until (loads_reached, GUINT_TO_POINTER (loads + 1));
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

static GtkWidget *
find_widget (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
glance_loaded (gpointer data)
{
  return ag_quota_glance_get_loads (data) >= 1;
}

/* The Overview's quota at a glance over the same history: a forecast per family, today's requests. */
static void
test_overview_glance (void)
{
  AgQuotaGlance *glance;
  g_autofree char *text = NULL;
  g_autofree char *today = NULL;
  g_auto(GStrv) lines = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "show-page", g_variant_new_string ("overview"));
  glance = AG_QUOTA_GLANCE (find_widget (GTK_WIDGET (ag_window_get_overview_page (ui.window)),
                                         AG_TYPE_QUOTA_GLANCE));
  g_assert_nonnull (glance);
  ui_wait_until (glance_loaded, glance);
  text = ag_quota_glance_describe (glance);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  /* The seed uses Claude on the first account 10 % faster than a window refills: a pace, and a time. */
  g_assert_true (g_str_has_prefix (lines[0], "Claude: about "));
  g_assert_nonnull (strstr (lines[0], " left at this pace; the first account resets in "));
  g_assert_true (g_str_has_prefix (lines[1], "Gemini: "));
  g_assert_true (g_str_has_prefix (lines[2], "Today: "));
  /* Today's requests without the refused ones (the seed's newest request is a refusal). */
  g_assert_cmpuint (seed.refused_today, >=, 1);
  today = g_strdup_printf ("Today: %u request%s, ", seed.requests_today - seed.refused_today,
                           seed.requests_today - seed.refused_today == 1 ? "" : "s");
  g_assert_true (g_str_has_prefix (lines[2], today));
  ui_save_screenshot (GTK_WIDGET (ui.window), "overview-glance");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "overview-glance-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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

/* The pool running dry within the hour reaches the desktop as one notification per depletion, through the app. */
static void
test_running_dry_notification (void)
{
  g_autoptr(AgNotifier) notifier = ag_notifier_new (ag_application_get_service (ui.app), G_APPLICATION (ui.host));
  g_autoptr(GArray) forecasts = g_array_new (FALSE, FALSE, sizeof (AgQuotaForecast));
  gint64 now = g_get_real_time () / 1000;
  AgQuotaForecast claude = { AG_MODEL_FAMILY_CLAUDE, 2, 1, 0.3, 0.5, now + 36 * 60 * 1000, now + 3 * 3600 * 1000 };
  guint before = ui.notifications->len;
  const char *last;

  g_array_append_val (forecasts, claude);
  ag_notifier_check_forecasts (notifier, forecasts, now);
  ui_wait_until (ui_has_notifications, GUINT_TO_POINTER (before + 1));
  last = g_ptr_array_index (ui.notifications, ui.notifications->len - 1);
  g_assert_true (g_str_has_prefix (last, "running-dry-0\tClaude quota runs out within the hour\tabout 36 min left"));
  /* The same depletion a poll later: nothing new. */
  ag_notifier_check_forecasts (notifier, forecasts, now + 5 * 60 * 1000);
  ui_settle (300);
  g_assert_cmpuint (ui.notifications->len, ==, before + 1);
}

static void
add_request (void)
{
  AgHistoryStore *store = ag_proxy_service_get_history (ag_application_get_service (ui.app));
  AgRequestRecord *record = ag_request_record_new ();

  record->model = g_strdup ("claude-sonnet-4-6");
  record->account = g_strdup ("desktop@example.com");
  record->status = 200;
  record->ttfb_ms = 300;
  record->total_ms = 900;
  ag_history_store_add_request (store, record);
}

/* A new request redraws the shown page once, a few seconds later (not at once: a burst costs one load); on a
 * hidden page it costs nothing until the page is shown again. */
static void
test_follows_log (void)
{
  AgUsagePage *page = ag_window_get_usage_page (ui.window);
  guint loads;

  ag_window_show_page (ui.window, "usage");
  ui_settle (500);
  loads = ag_usage_page_get_loads (page);
  add_request ();
  add_request ();
  ui_settle (1000);
  g_assert_cmpuint (ag_usage_page_get_loads (page), ==, loads);
  ui_wait_until (loads_reached, GUINT_TO_POINTER (loads + 1));
  ui_settle (500);
  g_assert_cmpuint (ag_usage_page_get_loads (page), ==, loads + 1);

  ag_window_show_page (ui.window, "requests");
  ui_settle (500);
  loads = ag_usage_page_get_loads (page);
  add_request ();
  ui_settle (6500);
  g_assert_cmpuint (ag_usage_page_get_loads (page), ==, loads);
  ag_window_show_page (ui.window, "usage");
  ui_wait_until (loads_reached, GUINT_TO_POINTER (loads + 1));
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
has_exhausted_notification (gpointer data)
{
  for (guint i = 0; i < ui.notifications->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (ui.notifications, i), "exhausted-"))
      return TRUE;
  return FALSE;
}

/* An account whose weekly Claude quota is used up is never asked, so no quota error makes it rest: the app's own
 * notifier learns it from the quota poll, and says once that every account is out, with the day it comes back. */
static void
test_weekly_exhausted_notification (void)
{
  g_autoptr(AgAccount) account = ui_add_account ("rt-weekly");
  AgQuotaPoller *poller = ag_proxy_service_get_quota_poller (ag_application_get_service (ui.app));
  gboolean polled;
  gulong handler;
  g_auto(GStrv) fields = NULL;
  GPtrArray *windows;
  gint64 reset_ms = 0;
  g_autofree char *back = NULL;
  g_autofree char *expected_end = NULL;
  guint said = 0;

  ui_wait_until (has_exhausted_notification, NULL);
  for (guint i = 0; i < ui.notifications->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (ui.notifications, i), "exhausted-"))
      {
        said++;
        g_clear_pointer (&fields, g_strfreev);
        fields = g_strsplit (g_ptr_array_index (ui.notifications, i), "\t", 3);
      }
  g_test_message ("%s | %s | %s", fields[0], fields[1], fields[2]);
  windows = ag_account_get_quota_windows (account);
  g_assert_nonnull (windows);
  for (guint i = 0; i < windows->len; i++)
    {
      AgQuotaWindow *window = g_ptr_array_index (windows, i);

      if (window->fraction <= 0.0 && ag_quota_window_applies (window, "claude-sonnet-4-6"))
        reset_ms = MAX (reset_ms, window->reset_ms);
    }
  g_assert_cmpint (reset_ms, >, g_get_real_time () / 1000 + 24 * 3600 * 1000);
  back = ag_reset_time_format (reset_ms, g_get_real_time () / 1000);
  expected_end = g_strdup_printf ("The first one is back at %s.", back);
  g_assert_true (g_str_has_suffix (fields[2], expected_end));
  g_assert_nonnull (strstr (fields[2], "claude-sonnet-4-6"));
  g_assert_null (strstr (fields[2], "gemini"));
  /* Polled again, the same depletion: nothing new. */
  polled = FALSE;
  handler = g_signal_connect_swapped (poller, "polled", G_CALLBACK (set_flag), &polled);
  ag_quota_poller_poll_account (poller, account);
  ui_wait_until (ui_flag_is_set, &polled);
  g_signal_handler_disconnect (poller, handler);
  ui_settle (300);
  for (guint i = 0; i < ui.notifications->len; i++)
    said -= g_str_has_prefix (g_ptr_array_index (ui.notifications, i), "exhausted-");
  g_assert_cmpuint (said, ==, 0);
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
  g_test_add_func ("/ui/usage/overview-glance", test_overview_glance);
  g_test_add_func ("/ui/usage/running-dry-notification", test_running_dry_notification);
  /* After the tests that read the seeded totals: its requests change them. */
  g_test_add_func ("/ui/usage/follows-log", test_follows_log);
  /* After the tests that expect no account: it adds one, whose quota polls go on. */
  g_test_add_func ("/ui/usage/weekly-exhausted-notification", test_weekly_exhausted_notification);
  return ui_test_run ();
}
