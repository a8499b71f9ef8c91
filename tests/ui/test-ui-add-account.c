/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Add Account page in the real window (under Xvfb) against the in-process mock: the click-through sign-in (the
 * test plays the browser), the Antigravity IDE's account, a sign-in the user declines, and the sentences shown for
 * failures. */
#include "ui-test-util.h"
#include "ag-account-row-private.h"
#include "ag-accounts-page-private.h"
#include "ag-add-account-page-private.h"
#include "ag-antigravity-import.h"
#include "ag-oauth-login.h"

static gboolean
has_one_account_row (gpointer data)
{
  AgAccountsPage *page = ag_window_get_accounts_page (ui.window);

  return gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0) != NULL
         && !ag_add_account_page_get_busy (ag_window_get_add_account_page (ui.window));
}

static void
test_add_account_by_sign_in (void)
{
  AgAddAccountPage *page = ag_window_get_add_account_page (ui.window);
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autofree char *location = NULL;
  GtkListBoxRow *row;

  g_assert_null (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)),
                                                0));
  ag_window_show_page (ui.window, "add-account");
  g_signal_emit_by_name (ag_add_account_page_get_sign_in_button (page), "clicked");
  g_assert_true (ag_add_account_page_get_busy (page));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ag_add_account_page_get_cancel_button (page))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (ag_add_account_page_get_sign_in_button (page))));
  g_assert_nonnull (ui.launched_uri);
  g_assert_true (g_str_has_prefix (ui.launched_uri, g_getenv ("AGCL_OAUTH_AUTH_URL")));
  ui_save_screenshot (GTK_WIDGET (ui.window), "add-account-waiting");

  /* The browser: Google's consent page redirects to ag-cl's loopback listener, which shows the "go back" page. */
  location = ui_browse (browser, ui.launched_uri, 302);
  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  g_free (ui_browse (browser, location, 200));
  ui_wait_until (has_one_account_row, NULL);

  row = gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)), 0);
  g_assert_true (AG_IS_ACCOUNT_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "desktop@example.com");
  g_assert_cmpstr (ag_account_row_get_state_text (AG_ACCOUNT_ROW (row)), ==, "Active");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Active · free-tier · proj-ui");
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "accounts");
  g_assert_cmpstr (ag_add_account_page_get_error_text (page), ==, "");
  g_assert_cmpuint (ag_mock_server_count_requests (ui.mock, "/token"), >=, 1);
}

static gboolean
has_two_account_rows (gpointer data)
{
  return gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)), 1)
         != NULL
         && !ag_add_account_page_get_busy (ag_window_get_add_account_page (ui.window));
}

static void
test_import_from_ide (void)
{
  AgAddAccountPage *page = ag_window_get_add_account_page (ui.window);
  GtkListBoxRow *row;

  ag_window_show_page (ui.window, "add-account");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (ag_add_account_page_get_import_button (page))));
  ui_save_screenshot (GTK_WIDGET (ui.window), "add-account");
  g_signal_emit_by_name (ag_add_account_page_get_import_button (page), "clicked");
  g_assert_true (ag_add_account_page_get_busy (page));
  ui_wait_until (has_two_account_rows, NULL);
  row = gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)), 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "ide@example.com");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Active · free-tier · proj-ide");
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "accounts");
}

static void
test_sign_in_denied (void)
{
  AgAddAccountPage *page = ag_window_get_add_account_page (ui.window);
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *denied = NULL;

  ag_window_show_page (ui.window, "add-account");
  g_signal_emit_by_name (ag_add_account_page_get_sign_in_button (page), "clicked");
  uri = g_uri_parse (ui.launched_uri, G_URI_FLAGS_NONE, NULL);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  denied = g_strconcat (g_hash_table_lookup (params, "redirect_uri"), "?error=access_denied&state=",
                        (const char *) g_hash_table_lookup (params, "state"), NULL);
  g_free (ui_browse (browser, denied, 200));
  while (ag_add_account_page_get_busy (page))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (ag_add_account_page_get_error_text (page), ==,
                   "You declined access on Google's page, so no account was added.");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (ag_add_account_page_get_sign_in_button (page))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ag_add_account_page_get_cancel_button (page))));
  ui_save_screenshot (GTK_WIDGET (ui.window), "add-account-denied");
}

/* Each failure the user can act on gets its own sentence; anything else says what went wrong. */
static void
test_explain_error (void)
{
  g_autoptr(GError) timed_out = g_error_new_literal (AG_OAUTH_LOGIN_ERROR, AG_OAUTH_LOGIN_ERROR_TIMED_OUT, "late");
  g_autoptr(GError) not_signed_in = g_error_new_literal (AG_ANTIGRAVITY_IMPORT_ERROR,
                                                         AG_ANTIGRAVITY_IMPORT_ERROR_NOT_SIGNED_IN, "no token");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP 500");
  g_autofree char *timed_out_text = ag_add_account_page_explain_error (timed_out);
  g_autofree char *not_signed_in_text = ag_add_account_page_explain_error (not_signed_in);
  g_autofree char *other_text = ag_add_account_page_explain_error (other);

  g_assert_cmpstr (timed_out_text, ==,
                   "The browser did not come back within 5 minutes. Sign in again when you are ready.");
  g_assert_cmpstr (not_signed_in_text, ==, "The Antigravity IDE on this computer is not signed in. Sign in there "
                                           "first, or use “Sign In with Google”.");
  g_assert_cmpstr (other_text, ==, "The account could not be added: HTTP 500");
}

/* After the sign-in and the IDE import: no refresh or access token on disk. */
static void
test_no_secret_at_rest (void)
{
  ui_assert_no_secret_at_rest ("first-run=false");
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "add-account"))
    return 0;
  ui_test_start ();

  g_test_add_func ("/ui/add-account/sign-in", test_add_account_by_sign_in);
  g_test_add_func ("/ui/add-account/import-ide", test_import_from_ide);
  g_test_add_func ("/ui/add-account/denied", test_sign_in_denied);
  g_test_add_func ("/ui/add-account/explain-error", test_explain_error);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  return ui_test_run ();
}
