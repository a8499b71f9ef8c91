/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Accounts page in the real window (under Xvfb) against the in-process mock, with the two accounts of the
 * mock already added: quota bars per model, an account that needs signing in again (notification, state, fix
 * button, replaced by a new sign-in), and the sentence a row shows for each state. */
#include "ui-test-util.h"
#include "ag-account-proxy-dialog-private.h"
#include "ag-account-registry.h"
#include "ag-account-row-private.h"
#include "ag-accounts-page-private.h"
#include "ag-account-state-keeper.h"
#include "ag-egress-items.h"
#include "ag-limit-keeper.h"

#include <string.h>

static gboolean
has_three_account_rows (gpointer data)
{
  return gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)), 2)
         != NULL;
}

/* Quota, as the poller reports it, appears as one bar per model (the real poller may have added some). */
static void
test_quota_bars (void)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (ag_accounts_page_get_list (ag_window_get_accounts_page (
                                                         ui.window)), 0);
  g_auto(GStrv) models = NULL;
  GPtrArray *windows;

  ag_window_show_page (ui.window, "accounts");
  ag_account_set_model_quota (ag_account_row_get_account (AG_ACCOUNT_ROW (row)), "gemini-3-pro", 0.8,
                              g_get_real_time () / 1000 + 2 * 3600 * 1000);
  ag_account_set_model_quota (ag_account_row_get_account (AG_ACCOUNT_ROW (row)), "claude-sonnet-4-6", 0.25, 0);
  models = ag_account_list_quota_models (ag_account_row_get_account (AG_ACCOUNT_ROW (row)));
  g_assert_true (g_strv_contains ((const char * const *) models, "gemini-3-pro"));
  g_assert_true (g_strv_contains ((const char * const *) models, "claude-sonnet-4-6"));
  /* One bar per model, after one per 5-hour and weekly window of each group (when the poll read them). */
  windows = ag_account_get_quota_windows (ag_account_row_get_account (AG_ACCOUNT_ROW (row)));
  g_assert_cmpuint (ag_account_row_get_n_quota_bars (AG_ACCOUNT_ROW (row)), ==,
                    g_strv_length (models) + (windows != NULL ? windows->len : 0));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts");
}

static void
account_added_again (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAccount) account = ag_account_registry_add_finish (AG_ACCOUNT_REGISTRY (source), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  *(gboolean *) user_data = TRUE;
}

static void
test_account_needs_sign_in (void)
{
  g_autoptr(AgAccount) fresh = NULL;
  gboolean signed_in = FALSE;
  AgAccountsPage *page = ag_window_get_accounts_page (ui.window);
  AgAccountRow *row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0));
  AgAccount *account = ag_account_row_get_account (row);
  AgAccountPool *pool = ag_proxy_service_get_pool (ag_application_get_service (ui.app));

  ag_window_show_page (ui.window, "accounts");
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_fix_button (row)));
  ag_account_pool_invalidate (pool, account, AG_ACCOUNT_STATE_SIGNED_OUT, "Google revoked the sign-in.", NULL);
  ui_wait_until (ui_has_notifications, GUINT_TO_POINTER (1));
  g_assert_cmpstr (g_ptr_array_index (ui.notifications, ui.notifications->len - 1), ==,
                   "account-desktop@example.com\tdesktop@example.com needs attention\tGoogle revoked the sign-in.");
  g_assert_cmpstr (ag_account_row_get_state_text (row), ==, "Needs sign-in");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "Needs sign-in · free-tier · proj-ui");
  g_assert_true (gtk_widget_get_visible (ag_account_row_get_fix_button (row)));
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts-needs-sign-in");

  g_signal_emit_by_name (ag_account_row_get_fix_button (row), "clicked");
  g_assert_cmpstr (ag_window_get_visible_page (ui.window), ==, "add-account");

  /* Signing in again (by refresh token here; the browser sign-in ends the same way) replaces the signed-out
   * account with a working one, in the pool and in the list. */
  ag_account_registry_add_async (ag_proxy_service_get_registry (ag_application_get_service (ui.app)), "rt-ui", NULL, account_added_again,
                                      &signed_in);
  ui_wait_until (ui_flag_is_set, &signed_in);
  fresh = ag_account_pool_find (pool, "desktop@example.com");
  g_assert_true (fresh != account);
  g_assert_cmpint (ag_account_get_state (fresh), ==, AG_ACCOUNT_STATE_VALID);
  row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0));
  g_assert_true (ag_account_row_get_account (row) == fresh);
  g_assert_cmpstr (ag_account_row_get_state_text (row), ==, "Active");
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_fix_button (row)));
}

/* A row names the state that stops the account, else its own rest that ends first (another account's rests are
 * not its own). */
static void
test_describe_state (void)
{
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  AgRateLimit *other = g_new0 (AgRateLimit, 1);
  AgRateLimit *quota = g_new0 (AgRateLimit, 1);
  AgRateLimit *rate = g_new0 (AgRateLimit, 1);
  g_autoptr(GDateTime) until = g_date_time_new_local (2026, 3, 1, 14, 5, 0);
  char *text;

  other->account = g_strdup ("other@example.com");
  other->model = g_strdup ("claude-sonnet-4-6");
  other->kind = AG_UPSTREAM_FAILURE_RATE_LIMIT;
  other->until_ms = g_date_time_to_unix (until) * 1000 - 60000;
  quota->account = g_strdup ("me@example.com");
  quota->model = g_strdup ("gemini-3-pro");
  quota->kind = AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED;
  quota->until_ms = g_date_time_to_unix (until) * 1000;
  rate->account = g_strdup ("me@example.com");
  rate->model = g_strdup ("claude-sonnet-4-6");
  rate->kind = AG_UPSTREAM_FAILURE_RATE_LIMIT;
  rate->until_ms = g_date_time_to_unix (until) * 1000 + 60000;
  g_ptr_array_add (limits, other);
  g_ptr_array_add (limits, quota);
  g_ptr_array_add (limits, rate);

  text = ag_account_row_describe_state (AG_ACCOUNT_STATE_VALID, NULL, "me@example.com");
  g_assert_cmpstr (text, ==, "Active");
  g_free (text);
  text = ag_account_row_describe_state (AG_ACCOUNT_STATE_VALID, limits, "me@example.com");
  g_assert_cmpstr (text, ==, "gemini-3-pro: quota exhausted until 14:05");
  g_free (text);
  g_ptr_array_remove (limits, quota);
  text = ag_account_row_describe_state (AG_ACCOUNT_STATE_VALID, limits, "me@example.com");
  g_assert_cmpstr (text, ==, "claude-sonnet-4-6: rate limited until 14:06");
  g_free (text);
  text = ag_account_row_describe_state (AG_ACCOUNT_STATE_SIGNED_OUT, limits, "me@example.com");
  g_assert_cmpstr (text, ==, "Needs sign-in");
  g_free (text);
  text = ag_account_row_describe_state (AG_ACCOUNT_STATE_VALIDATION_REQUIRED, limits, "me@example.com");
  g_assert_cmpstr (text, ==, "Needs verification");
  g_free (text);
  text = ag_account_row_describe_state (AG_ACCOUNT_STATE_DISABLED, limits, "me@example.com");
  g_assert_cmpstr (text, ==, "Refused by Google");
  g_free (text);
}

static gboolean
first_row_rests (gpointer data)
{
  AgAccountsPage *page = ag_window_get_accounts_page (ui.window);
  AgAccountRow *row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0));

  return g_str_has_prefix (ag_account_row_get_state_text (row), "gemini-3-flash: quota exhausted until ");
}

/* A rest recorded in history.db (by an earlier run, or another ag-cl on the data directory) is read back into the
 * pool the way ag-cl does at start, and the account's row says until when it rests. */
static void
test_restored_rest (void)
{
  AgProxyService *service = ag_application_get_service (ui.app);
  AgAccountsPage *page = ag_window_get_accounts_page (ui.window);
  AgAccountRow *row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (page), 0));
  g_autoptr(GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) ag_rate_limit_free);
  AgRateLimit *rest = g_new0 (AgRateLimit, 1);
  g_autoptr(AgLimitKeeper) keeper = NULL;

  rest->account = g_strdup (ag_account_get_email (ag_account_row_get_account (row)));
  rest->model = g_strdup ("gemini-3-flash");
  rest->kind = AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED;
  rest->until_ms = g_get_real_time () / 1000 + 3 * 3600 * 1000;
  rest->failures = 1;
  g_ptr_array_add (limits, rest);
  ag_history_store_save_limits (ag_proxy_service_get_history (service), limits, NULL);

  ag_window_show_page (ui.window, "accounts");
  keeper = ag_limit_keeper_new (ag_proxy_service_get_history (service), ag_proxy_service_get_pool (service));
  ui_wait_until (first_row_rests, NULL);
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts-restored-rest");
  ag_account_pool_clear_limits (ag_proxy_service_get_pool (service), NULL);
}

static AgAccountRow *
row_at (guint index)
{
  return AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (
    ag_accounts_page_get_list (ag_window_get_accounts_page (ui.window)), (int) index));
}

static gboolean
row_says_weekly_used_up (gpointer data)
{
  return g_str_has_prefix (ag_account_row_get_state_text (row_at (GPOINTER_TO_UINT (data))),
                           "Claude and GPT models: weekly quota used up until ");
}

static gboolean
keeper_restored (gpointer keeper)
{
  return ag_account_state_keeper_get_restored (keeper);
}

static gboolean
row_is_active (gpointer data)
{
  return g_strcmp0 (ag_account_row_get_state_text (row_at (GPOINTER_TO_UINT (data))), "Active") == 0;
}

/* Accounts Google refused, as the keeper restores them at start (seeded in history.db): the banned one offers
 * Appeal and Re-enable, the one to verify offers Verify and Check again; Check again sends one request to the mock
 * (which serves the account) and brings it back, Re-enable brings the banned one back. */
static void
test_refused_accounts (void)
{
  AgProxyService *service = ag_application_get_service (ui.app);
  AgAccountRow *banned = row_at (0);
  AgAccountRow *verify = row_at (1);
  g_autoptr(AgAccountStateKeeper) keeper = NULL;
  g_autoptr(AgAccountStateRow) banned_row = NULL;
  g_autoptr(AgAccountStateRow) verify_row = NULL;
  guint probes_before = ag_mock_server_count_requests (ui.mock, ":generateContent");
  guint notifications = ui.notifications->len;

  banned_row = ag_account_state_row_new (ag_account_get_email (ag_account_row_get_account (banned)), "banned",
                                         "This service has been disabled in this account for violation of Terms "
                                         "of Service.", "https://support.google.com/accounts/answer/40695", FALSE,
                                         g_get_real_time () / 1000);
  verify_row = ag_account_state_row_new (ag_account_get_email (ag_account_row_get_account (verify)),
                                         "validation-required", "Google asks you to verify this account before it "
                                         "can be used again", "https://accounts.google.com/signin/continue?sarp=1",
                                         TRUE, g_get_real_time () / 1000);
  ag_history_store_save_account_state (ag_proxy_service_get_history (service), banned_row);
  ag_history_store_save_account_state (ag_proxy_service_get_history (service), verify_row);
  /* A restart's keeper: the accounts are new to it, their states come from the file. */
  keeper = ag_account_state_keeper_new (ag_proxy_service_get_history (service), ag_proxy_service_get_pool (service));
  ui_wait_until (keeper_restored, keeper);

  ag_window_show_page (ui.window, "accounts");
  /* The third account's windows, as the quota poll read them from the mock. */
  ui_wait_until (row_says_weekly_used_up, GUINT_TO_POINTER (2));
  g_assert_cmpstr (ag_account_row_get_state_text (banned), ==, "Banned by Google");
  g_assert_cmpstr (ag_account_row_get_state_text (verify), ==, "Needs verification");
  g_assert_true (gtk_widget_get_visible (ag_account_row_get_fix_button (banned)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ag_account_row_get_fix_button (banned))), ==, "_Appeal…");
  g_assert_true (gtk_widget_get_visible (ag_account_row_get_reenable_button (banned)));
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_check_button (banned)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ag_account_row_get_fix_button (verify))), ==, "_Verify…");
  g_assert_true (gtk_widget_get_visible (ag_account_row_get_check_button (verify)));
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_reenable_button (verify)));
  /* Restored states were announced when they happened: no new notification. */
  g_assert_cmpuint (ui.notifications->len, ==, notifications);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (banned), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (verify), FALSE);
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts-refused");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row_at (2)), TRUE);
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts-weekly");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row_at (2)), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (verify), TRUE);
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts-verify");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (verify), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (banned), TRUE);
  ui_save_screenshot (GTK_WIDGET (ui.window), "accounts-banned");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (banned), FALSE);

  g_signal_emit_by_name (ag_account_row_get_check_button (verify), "clicked");
  ui_wait_until (row_is_active, GUINT_TO_POINTER (1));
  g_assert_cmpuint (ag_mock_server_count_requests (ui.mock, ":generateContent"), ==, probes_before + 1);
  ui_wait_until (ui_has_notifications, GUINT_TO_POINTER (notifications + 1));
  g_assert_nonnull (strstr (g_ptr_array_index (ui.notifications, ui.notifications->len - 1),
                            "can be used again"));

  g_signal_emit_by_name (ag_account_row_get_reenable_button (banned), "clicked");
  g_assert_cmpstr (ag_account_row_get_state_text (banned), ==, "Active");
  g_assert_false (gtk_widget_get_visible (ag_account_row_get_reenable_button (banned)));
}

/* ---- the account's own proxy, set in its row ---- */

#define PROXY_SECRET "s3cret-pw"
#define NO_PROXY_TEXT "Same as the other accounts (AGCL_UPSTREAM_PROXY)"

static void
egress_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  *(GHashTable **) user_data = ag_egress_items_load_finish (result, &error);
  g_assert_no_error (error);
}

/* What the keyring holds as @email's proxy (NULL: no item), read as a separate process would. */
static char *
stored_proxy (const char *email)
{
  g_autoptr(GHashTable) table = NULL;

  ag_egress_items_load_async (g_getenv ("AGCL_PROFILE"), NULL, egress_loaded, &table);
  while (table == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_strdup (g_hash_table_lookup (table, email));
}

static AgAccountProxyDialog *
open_proxy_dialog (AgAccountRow *row)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  g_signal_emit_by_name (ag_account_row_get_proxy_button (row), "clicked");
  /* The newest first: an answered dialog may linger until it is finalized. */
  for (guint i = g_list_model_get_n_items (toplevels); i-- > 0;)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (AG_IS_ACCOUNT_PROXY_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return AG_ACCOUNT_PROXY_DIALOG (window);
    }
  g_assert_not_reached ();
}

/* Scrolls the page so that @widget (low in an expanded row) is in the screenshot. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  double x, y;

  g_assert_true (gtk_widget_translate_coordinates (widget, gtk_scrolled_window_get_child (
                                                     GTK_SCROLLED_WINDOW (scrolled)), 0, 0, &x, &y));
  gtk_adjustment_set_value (adjustment, y - gtk_widget_get_height (scrolled) / 2.0);
}

static gboolean
proxy_text_is (gpointer data)
{
  AgAccountRow *row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (
                                                 ag_window_get_accounts_page (ui.window)), 1));

  return g_strcmp0 (ag_account_row_get_proxy_text (row), data) == 0;
}

static void
egress_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_egress_items_set_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The dialog refuses an invalid URL (Save off, the error shown without the URL's password), saves a valid one to
 * the keyring and the account (the row shows it without credentials), and Remove goes back to the global default.
 * A change made outside the window (as `ag-cl account proxy` does) reaches the row through the keyring watch. */
static void
test_account_proxy (void)
{
  AgAccountRow *row = AG_ACCOUNT_ROW (gtk_list_box_get_row_at_index (ag_accounts_page_get_list (
                                                 ag_window_get_accounts_page (ui.window)), 1));
  AgAccount *account = ag_account_row_get_account (row);
  const char *email = ag_account_get_email (account);
  const char *uri = "socks5://alice:" PROXY_SECRET "@127.0.0.1:1080";
  AgAccountProxyDialog *dialog;
  g_autofree char *stored = NULL;
  gboolean written = FALSE;

  ag_window_show_page (ui.window, "accounts");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_null (ag_account_get_proxy (account));
  g_assert_cmpstr (ag_account_row_get_proxy_text (row), ==, NO_PROXY_TEXT);

  dialog = open_proxy_dialog (row);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "remove"));
  gtk_editable_set_text (ag_account_proxy_dialog_get_entry (dialog), "ftp://alice:" PROXY_SECRET "@127.0.0.1:21");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  g_assert_cmpstr (ag_account_proxy_dialog_get_error (dialog), !=, "");
  g_assert_null (strstr (ag_account_proxy_dialog_get_error (dialog), PROXY_SECRET));
  ui_settle (200);
  ui_save_screenshot (GTK_WIDGET (dialog), "account-proxy-invalid");
  gtk_editable_set_text (ag_account_proxy_dialog_get_entry (dialog), uri);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  g_assert_cmpstr (ag_account_proxy_dialog_get_error (dialog), ==, "");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  ui_wait_until (proxy_text_is, "socks5://127.0.0.1:1080");
  /* The account itself holds it: its next call goes through this proxy (ag_proxy_call reads it per call). */
  g_assert_cmpstr (ag_account_get_proxy (account), ==, uri);
  stored = stored_proxy (email);
  g_assert_cmpstr (stored, ==, uri);
  g_assert_null (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), PROXY_SECRET));
  scroll_to (ag_account_row_get_proxy_button (row));
  ui_save_screenshot (GTK_WIDGET (ui.window), "account-proxy");

  dialog = open_proxy_dialog (row);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "remove"));
  /* The entry starts empty: the stored URI and its password are not shown again. */
  g_assert_cmpstr (gtk_editable_get_text (ag_account_proxy_dialog_get_entry (dialog)), ==, "");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  ui_wait_until (proxy_text_is, NO_PROXY_TEXT);
  g_assert_null (ag_account_get_proxy (account));
  g_clear_pointer (&stored, g_free);
  stored = stored_proxy (email);
  g_assert_null (stored);

  /* As `ag-cl account proxy EMAIL URL` does it, from another process: the running window follows. */
  ag_egress_items_set_async (g_getenv ("AGCL_PROFILE"), email, "http://bob:" PROXY_SECRET "@10.0.0.1:3128", NULL,
                             egress_written, &written);
  ui_wait_until (ui_flag_is_set, &written);
  ui_wait_until (proxy_text_is, "http://10.0.0.1:3128");
  written = FALSE;
  ag_egress_items_set_async (g_getenv ("AGCL_PROFILE"), email, NULL, NULL, egress_written, &written);
  ui_wait_until (ui_flag_is_set, &written);
  ui_wait_until (proxy_text_is, NO_PROXY_TEXT);
}

/* After signing out and in again: no refresh or access token on disk. */
static void
test_no_secret_at_rest (void)
{
  ui_assert_no_secret_at_rest ("first-run=false");
}

int
main (int argc, char **argv)
{
  if (!ui_test_init (&argc, &argv, "accounts"))
    return 0;
  ui_test_start ();
  /* The mock's accounts, as if signed in earlier; the third has used up its weekly Claude quota. */
  g_object_unref (ui_add_account ("rt-ui"));
  g_object_unref (ui_add_account ("rt-ide"));
  g_object_unref (ui_add_account ("rt-weekly"));
  ui_wait_until (has_three_account_rows, NULL);

  g_test_add_func ("/ui/accounts/quota-bars", test_quota_bars);
  g_test_add_func ("/ui/accounts/needs-sign-in", test_account_needs_sign_in);
  g_test_add_func ("/ui/accounts/describe-state", test_describe_state);
  g_test_add_func ("/ui/accounts/restored-rest", test_restored_rest);
  g_test_add_func ("/ui/accounts/refused-accounts", test_refused_accounts);
  g_test_add_func ("/ui/accounts/proxy", test_account_proxy);
  g_test_add_func ("/ui/security/no-secret-at-rest", test_no_secret_at_rest);
  return ui_test_run ();
}
