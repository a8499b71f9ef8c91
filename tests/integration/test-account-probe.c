/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Check again" and the kept account states, in-process against the mock: a probe of an account Google asks to
 * verify fails until the validation URL was opened (as the user does in the browser), then passes and the pool
 * takes the account back; a banned account's probe fails and it stays banned. The states written to history.db
 * come back onto the accounts of a new pool (a restart) without a new "account-invalidated". */
#include "ag-test.h"
#include "ag-account-probe.h"
#include "ag-account-state-keeper.h"

#include <string.h>

#define SCRIPT \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"verification\":true},{\"refresh_token\":\"rt-2\",\"banned\":true}," \
  "{\"refresh_token\":\"rt-3\"}]}"

typedef struct {
  AgMockServer      *mock;
  AgCloudcodeClient *cloudcode;
  AgOAuthClient     *oauth;
  AgAccountPool     *pool;
  char              *dir;
  guint              invalidated;
} Fixture;

static void
on_invalidated (AgAccountPool *pool, AgAccount *account, gpointer user_data)
{
  ((Fixture *) user_data)->invalidated++;
}

static AgAccount *
add_account (AgAccountPool *pool, guint n)
{
  g_autofree char *email = g_strdup_printf ("user%u@example.com", n);
  g_autofree char *project = g_strdup_printf ("proj-%u", n);
  g_autofree char *token = g_strdup_printf ("rt-%u", n);
  g_autoptr(AgAccount) account = ag_account_new (email, project, token);

  ag_account_pool_add (pool, account);
  return account;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->mock = ag_test_mock_start (SCRIPT);
  ag_test_google_clients_new (&fixture->cloudcode, &fixture->oauth);
  fixture->pool = ag_account_pool_new ();
  g_signal_connect (fixture->pool, "account-invalidated", G_CALLBACK (on_invalidated), fixture);
  for (guint n = 1; n <= 3; n++)
    add_account (fixture->pool, n);
  fixture->dir = ag_test_make_tmp_dir ("ag-probe-XXXXXX");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->pool);
  g_clear_object (&fixture->oauth);
  g_clear_object (&fixture->cloudcode);
  g_clear_object (&fixture->mock);
  ag_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
probe (Fixture *fixture, const char *email, GError **error)
{
  g_autoptr(AgAccount) account = ag_account_pool_find (fixture->pool, email);
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_account_probe_async, fixture->pool, fixture->oauth,
                                                       fixture->cloudcode, account, NULL);

  return ag_account_probe_finish (result, error);
}

static AgAccountState
state_of (AgAccountPool *pool, const char *email)
{
  g_autoptr(AgAccount) account = ag_account_pool_find (pool, email);

  return ag_account_get_state (account);
}

/* What the user does on Google's page, which the mock cannot serve (ag-cl opens only https pages). */
static void
finish_verification (AgMockServer *mock, const char *email)
{
  g_autofree char *base = ag_mock_server_get_base_url (mock);
  g_autofree char *url = g_strdup_printf ("%s/_mock/verify?account=%s", base, email);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (soup_session_send_and_read_async, session, msg,
                                                       G_PRIORITY_DEFAULT, NULL);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (body);
}

static void
test_verify_then_check_again (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAccount) account = ag_account_pool_find (fixture->pool, "user1@example.com");
  g_autofree char *url = NULL;

  /* The first probe meets the verification: the account is marked, once, with the URL Google gave. */
  g_assert_false (probe (fixture, "user1@example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "verify"));
  g_clear_error (&error);
  g_assert_cmpint (ag_account_get_state (account), ==, AG_ACCOUNT_STATE_VALIDATION_REQUIRED);
  g_assert_cmpuint (fixture->invalidated, ==, 1);
  url = g_strdup (ag_account_get_validation_url (account));
  g_assert_true (g_str_has_prefix (url, "https://accounts.google.com/signin/continue?"));
  g_assert_nonnull (strstr (url, "&authuser=user1%40example.com"));

  /* "Check again" before verifying: still refused, and no second notification. */
  g_assert_false (probe (fixture, "user1@example.com", &error));
  g_clear_error (&error);
  g_assert_cmpint (ag_account_get_state (account), ==, AG_ACCOUNT_STATE_VALIDATION_REQUIRED);
  g_assert_cmpuint (fixture->invalidated, ==, 1);

  /* "Verify" opens the page; then one probe request brings the account back. */
  finish_verification (fixture->mock, "user1@example.com");
  g_assert_true (probe (fixture, "user1@example.com", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ag_account_get_state (account), ==, AG_ACCOUNT_STATE_VALID);
  g_assert_null (ag_account_get_validation_url (account));
  /* Exactly one generation request per probe, with one output token. */
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":generateContent"), ==, 3);
}

static void
test_banned_stays_banned (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgAccount) account = ag_account_pool_find (fixture->pool, "user2@example.com");

  g_assert_false (probe (fixture, "user2@example.com", &error));
  g_assert_nonnull (strstr (error->message, "banned"));
  g_assert_cmpint (ag_account_get_state (account), ==, AG_ACCOUNT_STATE_BANNED);
  g_assert_nonnull (strstr (ag_account_get_invalid_reason (account), "violation of Terms of Service"));
  g_assert_cmpstr (ag_account_get_validation_url (account), ==,
                   "https://support.google.com/accounts/contact/disabled2?mock=1");
  /* Never picked while banned; only the user's re-enable brings it back. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GPtrArray) exclude = g_ptr_array_new ();
      g_autoptr(AgAccount) picked = ag_account_pool_pick (fixture->pool, "gemini-3-flash", NULL, exclude, NULL);

      g_assert_cmpstr (ag_account_get_email (picked), !=, "user2@example.com");
    }
  ag_account_pool_revalidate (fixture->pool, account);
  g_assert_cmpint (ag_account_get_state (account), ==, AG_ACCOUNT_STATE_VALID);
}

static void
count_invalidated (guint *count)
{
  (*count)++;
}

static gboolean
keeper_restored (gpointer keeper)
{
  return ag_account_state_keeper_get_restored (keeper);
}

/* States written by one keeper come back onto a new pool's accounts; a fresh sign-in forgets them. */
static void
test_states_survive_restart (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "history.db", NULL);
  g_autoptr(AgHistoryStore) history = ag_history_store_new (path);
  g_autoptr(AgAccountStateKeeper) keeper = ag_account_state_keeper_new (history, fixture->pool);
  g_autoptr(AgAccountPool) pool = NULL;
  g_autoptr(AgAccountStateKeeper) second = NULL;
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint invalidated = 0;

  ag_test_wait_until (keeper_restored, keeper, 5000);
  g_assert_false (probe (fixture, "user1@example.com", &error));
  g_clear_error (&error);
  g_assert_false (probe (fixture, "user2@example.com", &error));
  g_clear_error (&error);
  account = ag_account_pool_find (fixture->pool, "user3@example.com");
  ag_account_set_gemini_cli_closed (account, TRUE);
  g_clear_object (&account);
  g_clear_object (&keeper);
  g_clear_object (&history);  /* waits for the writes */

  history = ag_history_store_new (path);
  pool = ag_account_pool_new ();
  g_signal_connect_swapped (pool, "account-invalidated", G_CALLBACK (count_invalidated), &invalidated);
  add_account (pool, 1);
  second = ag_account_state_keeper_new (history, pool);
  ag_test_wait_until (keeper_restored, second, 5000);
  /* An account joining after the read (the keyring answers late) still gets its state. */
  add_account (pool, 2);
  add_account (pool, 3);
  g_assert_cmpint (state_of (pool, "user1@example.com"), ==, AG_ACCOUNT_STATE_VALIDATION_REQUIRED);
  g_assert_cmpint (state_of (pool, "user2@example.com"), ==, AG_ACCOUNT_STATE_BANNED);
  g_assert_cmpint (state_of (pool, "user3@example.com"), ==, AG_ACCOUNT_STATE_VALID);
  account = ag_account_pool_find (pool, "user3@example.com");
  g_assert_true (ag_account_get_gemini_cli_closed (account));
  g_clear_object (&account);
  account = ag_account_pool_find (pool, "user2@example.com");
  g_assert_nonnull (strstr (ag_account_get_invalid_reason (account), "Terms of Service"));
  g_clear_object (&account);
  g_assert_cmpuint (invalidated, ==, 0);

  /* user1 signs in again: a new account object, and its old state is forgotten on disk too. */
  g_assert_true (ag_account_pool_remove (pool, "user1@example.com"));
  add_account (pool, 1);
  g_assert_cmpint (state_of (pool, "user1@example.com"), ==, AG_ACCOUNT_STATE_VALID);
  g_clear_object (&second);
  g_clear_object (&history);
  history = ag_history_store_new (path);
  {
    g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_history_store_load_account_states_async, history, NULL);
    g_autoptr(GPtrArray) rows = ag_history_store_load_account_states_finish (history, result, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (((AgAccountStateRow *) rows->pdata[0])->account, ==, "user2@example.com");
    g_assert_cmpstr (((AgAccountStateRow *) rows->pdata[0])->state, ==, "banned");
    g_assert_cmpstr (((AgAccountStateRow *) rows->pdata[1])->account, ==, "user3@example.com");
    g_assert_cmpstr (((AgAccountStateRow *) rows->pdata[1])->state, ==, "valid");
    g_assert_true (((AgAccountStateRow *) rows->pdata[1])->gemini_cli_closed);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/account-probe/verify-then-check-again", Fixture, NULL, fixture_set_up, test_verify_then_check_again,
              fixture_tear_down);
  g_test_add ("/account-probe/banned-stays-banned", Fixture, NULL, fixture_set_up, test_banned_stays_banned,
              fixture_tear_down);
  g_test_add ("/account-probe/states-survive-restart", Fixture, NULL, fixture_set_up, test_states_survive_restart,
              fixture_tear_down);
  return g_test_run ();
}
