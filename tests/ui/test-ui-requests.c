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

static gboolean
scrolled_to_top (gpointer data)
{
  return ag_requests_page_get_scroll (page ()) == 0;
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

static guint
count_where (const char *model, const char *account)
{
  GListModel *log = G_LIST_MODEL (ag_requests_page_get_log (page ()));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(AgRequestItem) item = g_list_model_get_item (log, i);
      const AgRequestRecord *r = ag_request_item_get_record (item);

      n += (model == NULL || g_strcmp0 (r->upstream_model, model) == 0) &&
           (account == NULL || g_strcmp0 (r->account, account) == 0);
    }
  return n;
}

/* The model and account filters offer what the log holds, and show exactly the rows of their choice. */
static void
test_model_and_account_filters (void)
{
  GListModel *models = ag_requests_page_get_models (page ());
  GListModel *accounts = ag_requests_page_get_accounts (page ());
  GListModel *shown = ag_requests_page_get_shown (page ());
  guint flash = count_where ("gemini-3-flash", NULL), flash_on_ide = count_where ("gemini-3-flash", "ide@example.com");

  g_assert_cmpuint (g_list_model_get_n_items (models), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (models), 0), ==, "All Models");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (models), 1), ==, "claude-opus-4-6-thinking");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (models), 2), ==, "gemini-3-flash");
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (accounts), 1), ==, "desktop@example.com");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (accounts), 2), ==, "ide@example.com");

  g_assert_cmpuint (flash, >, seed.requests / 5);
  g_assert_true (ag_requests_page_set_model (page (), "gemini-3-flash"));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, flash);
  g_assert_true (ag_requests_page_set_account (page (), "ide@example.com"));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, flash_on_ide);
  g_assert_cmpuint (flash_on_ide, <, flash);
  for (guint i = 0; i < flash_on_ide; i += 41)
    {
      g_assert_cmpstr (shown_record (i)->upstream_model, ==, "gemini-3-flash");
      g_assert_cmpstr (shown_record (i)->account, ==, "ide@example.com");
    }
  g_assert_false (ag_requests_page_set_model (page (), "no-such-model"));
  g_assert_true (ag_requests_page_set_account (page (), NULL));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, seed.requests);
}

static void
count_shrinking (GListModel *list, guint position, guint removed, guint added, gpointer data)
{
  if (removed > added)
    (*(guint *) data)++;
}

static gboolean
first_row_is (gpointer data)
{
  GListModel *shown = ag_requests_page_get_shown (page ());

  return g_list_model_get_n_items (shown) > 0 && shown_record (0)->outcome == GPOINTER_TO_UINT (data);
}

/* A request through the proxy shows as in flight while upstream is slow, then its answered row takes its place
 * in one change (the list never shrinks on the way). */
static void
test_in_flight (void)
{
  AgHistoryStore *store = ag_proxy_service_get_history (ag_application_get_service (ui.app));
  GListModel *shown = ag_requests_page_get_shown (page ());
  guint before = g_list_model_get_n_items (shown), shrank = 0;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = ag_proxy_service_get_url (ag_application_get_service (ui.app));
  g_autofree char *url = g_strconcat (base, "/v1/messages", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  const char body[] = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,"
                      "\"messages\":[{\"role\":\"user\",\"content\":\"slowly\"}]}";
  g_autoptr(GBytes) request = g_bytes_new_static (body, strlen (body));
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  g_autoptr(AgRequestItem) item = NULL;
  gulong handler;

  g_object_unref (ui_add_account ("rt-ui"));
  g_assert_true (ag_mock_server_set_script_json (ui.mock,
                                                 "{\"accounts\":[{\"refresh_token\":\"rt-ui\",\"email\":"
                                                 "\"desktop@example.com\",\"project\":\"proj-ui\"}],"
                                                 "\"generate\":[{\"respond\":{\"first_byte_delay_ms\":1500}}]}",
                                                 &error));
  g_assert_no_error (error);
  handler = g_signal_connect (ag_requests_page_get_log (page ()), "items-changed", G_CALLBACK (count_shrinking),
                              &shrank);
  soup_message_set_request_body_from_bytes (message, "application/json", request);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, ag_test_store_result, &slot);

  ui_wait_until (first_row_is, GUINT_TO_POINTER (AG_REQUEST_OUTCOME_IN_FLIGHT));
  g_assert_cmpuint (ag_requests_in_flight_count (ag_history_store_get_in_flight (store)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, before + 1);
  item = g_list_model_get_item (shown, 0);
  title = ag_requests_page_describe_row (item, &subtitle);
  g_assert_nonnull (strstr (title, "claude-sonnet-4-6  ·  …"));
  g_assert_true (g_str_has_prefix (subtitle, "in flight · from "));
  ag_requests_page_set_show (page (), AG_REQUESTS_SHOW_IN_FLIGHT);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  ag_requests_page_set_show (page (), AG_REQUESTS_SHOW_ALL);
  ui_settle (100);
  ui_save_screenshot (GTK_WIDGET (ui.window), "requests-in-flight");

  result = ag_test_await (&slot);
  answer = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  ui_wait_until (first_row_is, GUINT_TO_POINTER (AG_REQUEST_OUTCOME_OK));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, before + 1);
  g_assert_cmpstr (shown_record (0)->account, ==, "desktop@example.com");
  g_assert_cmpint (shown_record (0)->ttfb_ms, >=, 1500);
  g_assert_cmpuint (ag_requests_in_flight_count (ag_history_store_get_in_flight (store)), ==, 0);
  g_assert_cmpuint (shrank, ==, 0);
  g_signal_handler_disconnect (ag_requests_page_get_log (page ()), handler);
}

static void
test_live_and_detail (void)
{
  AgHistoryStore *store = ag_proxy_service_get_history (ag_application_get_service (ui.app));
  AgRequestRecord *record = ag_request_record_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  g_autoptr(AgRequestItem) item = NULL;
  guint before;

  record->model = g_strdup ("claude-sonnet-4-6");
  record->upstream_model = g_strdup ("claude-sonnet-4-6-thinking");
  record->account = g_strdup ("desktop@example.com");
  record->status = 200;
  record->ttfb_ms = 412;
  record->total_ms = 2300;
  record->input_tokens = 1234;
  record->output_tokens = 56;
  ag_request_record_add_attempt (record, "ide@example.com", "rate_limit", 429, 0);
  before = g_list_model_get_n_items (ag_requests_page_get_shown (page ()));
  ag_history_store_add_request (store, record);
  ui_wait_until (shown_count_is, GUINT_TO_POINTER (before + 1));
  g_assert_cmpstr (shown_record (0)->model, ==, "claude-sonnet-4-6");
  /* Watching the top, the new row comes into view (the list scrolls back to it on its next frame: waited for, as
   * a slow machine may take longer than a fixed pause). */
  ui_wait_until (scrolled_to_top, NULL);

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
  g_test_add_func ("/ui/requests/model-and-account-filters", test_model_and_account_filters);
  g_test_add_func ("/ui/requests/in-flight", test_in_flight);
  g_test_add_func ("/ui/requests/live-and-detail", test_live_and_detail);
  return ui_test_run ();
}
