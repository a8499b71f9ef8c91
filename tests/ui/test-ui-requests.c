/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Request monitor page in the real window (under Xvfb) over 30 days of seeded history: reached through
 * app.show-page, it lists every request newest first, filters by outcome and search, shows a refused request's
 * detail, takes a new request at the top as the store writes it, and is saved as screenshots in light and dark. */
#include <string.h>
#include "ui-test-util.h"
#include "ui-history-seed.h"
#include "ag-requests-page-private.h"

static UiHistorySeed seed;

static AgRequestsPage *
page (void)
{
  return ag_window_get_requests_page (ui.window);
}

static gboolean
shown_count_is (gpointer data)
{
  return g_list_model_get_n_items (ag_requests_page_get_shown (page ())) == GPOINTER_TO_UINT (data);
}

static const AgRequestRecord *
shown_record (guint position)
{
  g_autoptr(AgRequestItem) item = g_list_model_get_item (ag_requests_page_get_shown (page ()), position);

  return ag_request_item_get_record (item);
}

static void
test_whole_log (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (ui.app), "show-page", g_variant_new_string ("requests"));
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "requests");
  ui_wait_until (shown_count_is, GUINT_TO_POINTER (seed.requests));
  /* Newest first. */
  g_assert_cmpint (shown_record (0)->time_ms, ==, seed.end_ms);
  g_assert_cmpint (shown_record (1)->time_ms, <, seed.end_ms);
  g_assert_cmpint (shown_record (seed.requests - 1)->time_ms, <, shown_record (1)->time_ms);
}

static void
test_filters (void)
{
  guint n;

  g_assert_cmpfloat (ag_requests_page_get_scroll (page ()), ==, 0);

  ag_requests_page_set_show (page (), AG_REQUESTS_SHOW_REFUSED);
  g_assert_cmpuint (g_list_model_get_n_items (ag_requests_page_get_shown (page ())), ==, seed.refused);
  ag_requests_page_select (page (), 0);
  g_assert_nonnull (strstr (ag_requests_page_get_detail_text (page ()),
                            "Detail: POST /v1/messages: Origin https://evil.example is not allowed"));
  ag_requests_page_select (page (), GTK_INVALID_LIST_POSITION);

  ag_requests_page_set_show (page (), AG_REQUESTS_SHOW_ALL);
  ag_requests_page_set_search (page (), "IDE@example");
  n = g_list_model_get_n_items (ag_requests_page_get_shown (page ()));
  g_assert_cmpuint (n, >, seed.requests / 3);
  g_assert_cmpuint (n, <, seed.requests);
  for (guint i = 0; i < n; i += 97)
    g_assert_cmpstr (shown_record (i)->account, ==, "ide@example.com");
  ag_requests_page_set_search (page (), "");
  g_assert_cmpuint (g_list_model_get_n_items (ag_requests_page_get_shown (page ())), ==, seed.requests);
}

static void
test_live_and_detail (void)
{
  AgHistoryStore *store = ag_proxy_service_get_history (ag_application_get_service (ui.app));
  AgRequestRecord *record = ag_request_record_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  g_autoptr(AgRequestItem) item = NULL;

  record->model = g_strdup ("claude-sonnet-4-6");
  record->upstream_model = g_strdup ("claude-sonnet-4-6-thinking");
  record->account = g_strdup ("desktop@example.com");
  record->status = 200;
  record->ttfb_ms = 412;
  record->total_ms = 2300;
  record->input_tokens = 1234;
  record->output_tokens = 56;
  ag_request_record_add_attempt (record, "ide@example.com", "rate_limit", 429, 0);
  ag_history_store_add_request (store, record);
  ui_wait_until (shown_count_is, GUINT_TO_POINTER (seed.requests + 1));
  g_assert_cmpstr (shown_record (0)->model, ==, "claude-sonnet-4-6");
  /* Watching the top, the new row comes into view. */
  ui_settle (200);
  g_assert_cmpfloat (ag_requests_page_get_scroll (page ()), ==, 0);

  item = g_list_model_get_item (ag_requests_page_get_shown (page ()), 0);
  title = ag_requests_page_describe_row (item, &subtitle);
  g_assert_nonnull (strstr (title, "claude-sonnet-4-6 → claude-sonnet-4-6-thinking  ·  desktop@example.com"));
  g_assert_true (g_str_has_prefix (subtitle, "ok 200 · first byte 412 ms · 2.3 s · 1234 in, 56 out, 0 cached"));
  g_assert_nonnull (strstr (subtitle, "ide@example.com rate_limit 429"));

  ag_requests_page_select (page (), 0);
  g_assert_nonnull (strstr (ag_requests_page_get_detail_text (page ()),
                            "Try 1: ide@example.com — rate_limit, HTTP 429"));
  gtk_window_set_default_size (GTK_WINDOW (ui.window), 1000, 800);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "requests");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_settle (300);
  ui_save_screenshot (GTK_WIDGET (ui.window), "requests-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "requests"))
    return 0;
  ui_test_seed_history_on_start (&seed);
  ui_test_start ();

  g_test_add_func ("/ui/requests/whole-log", test_whole_log);
  g_test_add_func ("/ui/requests/filters", test_filters);
  g_test_add_func ("/ui/requests/live-and-detail", test_live_and_detail);
  return ui_test_run ();
}
