/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Overview page in the real window (under Xvfb) against the in-process mock, with the two accounts of the
 * mock already added: today's requests and the warmups answered locally, the proxy switch, and a port taken by
 * another program (notification, status, switch). */
#include <string.h>
#include "ui-test-util.h"
#include "ag-accounts-page-private.h"
#include "ag-overview-page-private.h"
#include "ag-agent-row-private.h"

static gboolean
has_two_account_rows (gpointer data)
{
  return gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)), 1)
         != NULL;
}

static guint
post_message_from (const char *origin, const char *body, const char *expected_header)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = ag_proxy_service_get_url (ag_application_get_service (ui.app));
  g_autofree char *url = g_strconcat (base, "/v1/messages", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  if (origin != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Origin", origin);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, ag_test_store_result, &slot);
  result = ag_test_await (&slot);
  answer = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  if (expected_header != NULL)
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (message), expected_header), ==,
                     "true");
  return soup_message_get_status (message);
}

static guint
post_message (const char *body, const char *expected_header)
{
  return post_message_from (NULL, body, expected_header);
}

static gboolean
requests_text_is (gpointer data)
{
  return g_strcmp0 (ag_overview_page_get_requests_text (ag_window_get_overview_page (ui.window)), data) == 0;
}

static void
test_counters (void)
{
  AgOverviewPage *page = ag_window_get_overview_page (ui.window);

  ag_window_show_page (ui.window, "overview");
  ui_wait_until (requests_text_is, (gpointer) "0");
  g_assert_cmpstr (ag_overview_page_get_warmups_text (page), ==, "0 since ag-cl started, no quota used");

  g_assert_cmpuint (post_message ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", NULL), ==, 200);
  ui_wait_until (requests_text_is, (gpointer) "1");
  /* A web page's request is refused by the guard and logged, but is nobody's work: not counted. The next request
   * is written after it, so once it is counted the refusal has been read too. */
  g_assert_cmpuint (post_message_from ("https://evil.example", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,"
                                       "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", NULL), ==, 403);
  g_assert_cmpuint (post_message ("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":\"hello again\"}]}", NULL), ==, 200);
  ui_wait_until (requests_text_is, (gpointer) "2");
  ui_settle (300);
  g_assert_cmpstr (ag_overview_page_get_requests_text (page), ==, "2");
  g_assert_cmpuint (post_message ("{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":32000,\"stream\":true,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                                  "\"Warmup\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}",
                                  "X-Warmup-Intercepted"), ==, 200);
  g_assert_cmpstr (ag_overview_page_get_warmups_text (page), ==, "1 since ag-cl started, no quota used");
}

static void
test_proxy_toggle (void)
{
  AgOverviewPage *page = ag_window_get_overview_page (ui.window);
  GtkSwitch *proxy_switch = ag_overview_page_get_proxy_switch (page);
  AgProxyService *service = ag_application_get_service (ui.app);
  guint port = ag_proxy_service_get_port (service);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);

  ag_window_show_page (ui.window, "overview");
  g_assert_true (gtk_switch_get_active (proxy_switch));
  g_assert_cmpstr (ag_overview_page_get_address_text (page), ==, url);
  g_assert_true (ui_connection_accepted (port));

  gtk_switch_set_active (proxy_switch, FALSE);
  g_assert_false (ag_proxy_service_get_running (service));
  g_assert_false (ui_connection_accepted (port));
  g_assert_cmpstr (ag_overview_page_get_status_text (page), ==, "Off");
  g_assert_cmpstr (ag_overview_page_get_address_text (page), ==, "Not listening");
  g_assert_false (g_settings_get_boolean (ui.settings, "proxy-enabled"));

  gtk_switch_set_active (proxy_switch, TRUE);
  g_assert_true (ui_connection_accepted (port));
  g_assert_cmpstr (ag_overview_page_get_status_text (page), ==, "On: your coding agents can connect");
  g_assert_cmpstr (ag_overview_page_get_address_text (page), ==, url);
  g_assert_true (g_settings_get_boolean (ui.settings, "proxy-enabled"));
  ui_save_screenshot (GTK_WIDGET (ui.window), "overview");
}

static void
test_port_busy_notifies (void)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  AgOverviewPage *page = ag_window_get_overview_page (ui.window);
  guint before = ui.notifications->len;
  guint busy_port = ui_free_port ();
  const char *status;
  GLogLevelFlags fatal_levels;

  g_assert_true (g_socket_listener_add_inet_port (squatter, busy_port, NULL, NULL));
  /* The service also logs the failure as a warning: expected here, so not fatal for this step. */
  fatal_levels = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_settings_set_value (ui.settings, "port", g_variant_new_uint16 ((guint16) busy_port));
  g_assert_false (ag_proxy_service_get_running (ag_application_get_service (ui.app)));
  ui_wait_until (ui_has_notifications, GUINT_TO_POINTER (before + 1));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ui.notifications, before),
                                   "listen-failed\tThe proxy is not running\t"));
  status = ag_overview_page_get_status_text (page);
  g_assert_nonnull (strstr (g_ptr_array_index (ui.notifications, before), status));
  g_assert_false (gtk_switch_get_active (ag_overview_page_get_proxy_switch (page)));
  ag_window_show_page (ui.window, "overview");
  ui_save_screenshot (GTK_WIDGET (ui.window), "overview-port-busy");

  g_log_set_always_fatal (fatal_levels);
  g_socket_listener_close (squatter);
  gtk_switch_set_active (ag_overview_page_get_proxy_switch (page), TRUE);
  g_assert_true (ui_connection_accepted (busy_port));
}

static gboolean
agent_rows_read (gpointer data)
{
  AgOverviewPage *page = ag_window_get_overview_page (ui.window);

  for (guint i = 0; i < AG_N_AGENTS; i++)
    if (ag_agent_row_get_busy (AG_AGENT_ROW (ag_overview_page_get_agent_row (page, i))))
      return FALSE;
  return TRUE;
}

/* The coding agents (HOME is this test's folder): none uses ag-cl at first; once Codex's config is written, its
 * row says so and the others do not. */
static void
test_agents (void)
{
  AgOverviewPage *page = ag_window_get_overview_page (ui.window);
  AgProxyService *service = ag_application_get_service (ui.app);
  g_autofree char *url = ag_proxy_service_get_url (service);
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  AgAgentTarget target = { url, NULL, NULL };
  GtkWidget *codex = ag_overview_page_get_agent_row (page, AG_AGENT_CODEX);

  ag_window_show_page (ui.window, "overview");
  ui_wait_until (agent_rows_read, NULL);
  for (guint i = 0; i < AG_N_AGENTS; i++)
    {
      AgAgentRow *row = AG_AGENT_ROW (ag_overview_page_get_agent_row (page, i));

      g_assert_false (ag_agent_row_get_set_up (row));
      g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (ag_agent_row_get_button (row))));
      g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), " — not set up"));
    }
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (codex)), ==, "Use with Codex");

  g_assert_true (ag_agent_setup_apply (AG_AGENT_CODEX, &target, backups, &error));
  g_assert_no_error (error);
  ag_agent_row_refresh (AG_AGENT_ROW (codex));
  ui_wait_until (agent_rows_read, NULL);
  g_assert_true (ag_agent_row_get_set_up (AG_AGENT_ROW (codex)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (codex)), ==, "~/.codex/config.toml — uses ag-cl");
  g_assert_false (ag_agent_row_get_set_up (AG_AGENT_ROW (ag_overview_page_get_agent_row (page,
                                                                                          AG_AGENT_GEMINI_CLI))));
  ui_save_screenshot (GTK_WIDGET (ui.window), "overview-agents");
}

/* After requests through the proxy: no refresh or access token on disk (nor in the request log). */
static void
test_no_secret_at_rest (void)
{
  ui_assert_no_secret_at_rest ("first-run=false");
}

int
main (int argc, char **argv)
{
  g_autofree char *home = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ui-overview", "home", NULL);

  /* The agents' settings files are looked for in this HOME, never the user's. */
  ag_test_remove_tree (home);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_unsetenv ("CODEX_HOME");
  if (!ui_test_init (&argc, &argv, "overview"))
    return 0;
  ui_test_start ();
  /* Both of the mock's accounts, as if signed in earlier: the proxy has accounts to answer with. */
  g_object_unref (ui_add_account ("rt-ui"));
  g_object_unref (ui_add_account ("rt-ide"));
  ui_wait_until (has_two_account_rows, NULL);

  g_test_add_func ("/ui/overview/counters", test_counters);
  g_test_add_func ("/ui/overview/proxy-toggle", test_proxy_toggle);
  g_test_add_func ("/ui/overview/agents", test_agents);
  g_test_add_func ("/ui/overview/port-busy", test_port_busy_notifies);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  return ui_test_run ();
}
