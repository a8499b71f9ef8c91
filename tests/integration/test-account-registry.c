/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The account registry against a real gnome-keyring (run inside build-aux/with-keyring.sh) and the mock: loading,
 * adding from a sign-in, removing, saving changes, and following what another writer of the keyring (the CLI) does:
 * new accounts join, removed ones leave, a signed-out account signed in again is replaced, a healthy one is not,
 * and a late token refresh never brings back a removed account. */
#include "ag-test.h"
#include "ag-account-registry.h"

#define SCRIPT                                                                                                  \
  "{\"accounts\":[{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"},"    \
  "               {\"refresh_token\":\"rt-2\",\"email\":\"user2@example.com\",\"project\":\"proj-2\"}]}"

typedef struct {
  AgMockServer      *mock;
  AgTokenStore      *store;      /* the registry's */
  AgTokenStore      *cli;        /* another writer of the same profile, as `ag-cl account …` is */
  AgAccountPool     *pool;
  AgKeyringWatch    *watch;
  AgAccountRegistry *registry;
  GPtrArray         *added;      /* what "account-added" brought */
  guint              loaded_notifications;
  guint              keyring_changes;
} Fixture;

static void
on_account_added (AgAccountRegistry *registry, AgAccount *account, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->added, g_object_ref (account));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *profile = ag_test_profile_new ("test-account-registry");
  g_autoptr(AgCloudcodeClient) cloudcode = NULL;
  g_autoptr(AgOAuthClient) oauth = NULL;

  fixture->mock = ag_test_mock_start (SCRIPT);
  ag_test_google_clients_new (&cloudcode, &oauth);
  fixture->store = ag_token_store_new (profile);
  fixture->cli = ag_token_store_new (profile);
  fixture->pool = ag_account_pool_new ();
  fixture->watch = ag_keyring_watch_new ();
  fixture->registry = ag_account_registry_new (fixture->store, fixture->pool, oauth, cloudcode, fixture->watch);
  fixture->added = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->registry, "account-added", G_CALLBACK (on_account_added), fixture);
  AG_TEST_COUNT_SIGNAL (fixture->registry, "notify::loaded", &fixture->loaded_notifications);
  /* Connected after the registry: when this counts a change, the registry has already reacted to it. */
  AG_TEST_COUNT_SIGNAL (fixture->watch, "changed", &fixture->keyring_changes);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (fixture->registry, fixture);
  g_signal_handlers_disconnect_by_data (fixture->registry, &fixture->loaded_notifications);
  g_signal_handlers_disconnect_by_data (fixture->watch, &fixture->keyring_changes);
  g_clear_object (&fixture->registry);
  g_clear_object (&fixture->watch);
  g_clear_object (&fixture->pool);
  g_clear_object (&fixture->cli);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->added, g_ptr_array_unref);
  g_clear_object (&fixture->mock);
}

/* ── the keyring as another writer sees it ────────────────────────────────────────────────────────────────── */

static void
cli_save (Fixture *fixture, AgAccount *account)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_test_token_store_save (fixture->cli, account, &error));
  g_assert_no_error (error);
}

static void
cli_save_new (Fixture *fixture, const char *email, const char *refresh_token)
{
  g_autoptr(AgAccount) account = ag_account_new (email, "proj-x", refresh_token);

  cli_save (fixture, account);
}

static void
cli_remove (Fixture *fixture, const char *email)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_test_token_store_remove (fixture->cli, email, &error));
  g_assert_no_error (error);
}

/* "email|enabled|refresh token" per stored account, sorted by e-mail. */
static char *
cli_describe (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ag_test_token_store_load_all (fixture->cli, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < accounts->len; i++)
    {
      AgAccount *account = g_ptr_array_index (accounts, i);

      g_string_append_printf (text, "%s|%s|%s\n", ag_account_get_email (account),
                              ag_account_get_enabled (account) ? "on" : "off",
                              ag_account_get_refresh_token (account));
    }
  return g_string_free (text, FALSE);
}

/* Waits for the keyring change after the @changes-th, then reads the keyring (cli_describe). The keyring is read
 * only once writes are over: libsecret 0.20 reports an item deleted between a search and the read of its secret
 * with a critical. Reading also lets the registry finish its own read of that change first: both go over one bus
 * connection and are answered in order. */
static char *
settle (Fixture *fixture, guint changes)
{
  AG_TEST_WAIT (fixture->keyring_changes > changes, AG_TEST_TIMEOUT_MS);
  return cli_describe (fixture);
}

/* Whether a keyring change after the @changes-th came within @seconds. */
static gboolean
changed_within (Fixture *fixture, guint changes, guint seconds)
{
  g_autoptr(AgTestDeadline) deadline = ag_test_deadline_new (seconds * 1000);

  while (fixture->keyring_changes <= changes && ag_test_iterate (deadline))
    ;
  return fixture->keyring_changes > changes;
}

/* Settles until the keyring reads @expected: the registry saves in the background, and the first change may be
 * another writer's. Fails when the keyring stays different. */
static void
settle_until (Fixture *fixture, guint changes, const char *expected)
{
  g_autofree char *now = settle (fixture, changes);

  for (guint i = 0; i < 5 && !g_str_equal (now, expected); i++)
    {
      changes = fixture->keyring_changes;
      if (!changed_within (fixture, changes, 2))
        break;
      g_free (now);
      now = cli_describe (fixture);
    }
  g_assert_cmpstr (now, ==, expected);
}

/* Changes the keyring as the CLI does, and lets the registry react. */
static void
cli_save_settled (Fixture *fixture, const char *email, const char *refresh_token)
{
  cli_save_new (fixture, email, refresh_token);
  /* The write is answered after its item signals: the next change is after them. */
  g_free (settle (fixture, fixture->keyring_changes));
}

static void
cli_remove_settled (Fixture *fixture, const char *email)
{
  cli_remove (fixture, email);
  g_free (settle (fixture, fixture->keyring_changes));
}

/* ── the registry ─────────────────────────────────────────────────────────────────────────────────────────── */

static void
load (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_account_registry_load_async, fixture->registry, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_account_registry_load_finish (fixture->registry, result, &error));
  g_assert_no_error (error);
}

static AgAccount *
add (Fixture *fixture, const char *refresh_token, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_account_registry_add_async, fixture->registry,
                                                       refresh_token, NULL);

  return ag_account_registry_add_finish (fixture->registry, result, error);
}

static gboolean
remove_account (Fixture *fixture, const char *email, GError **error)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_account_registry_remove_async, fixture->registry, email,
                                                       NULL);

  return ag_account_registry_remove_finish (fixture->registry, result, error);
}

/* The pooled account for @email (borrowed; the pool keeps it), or NULL. */
static AgAccount *
pooled (Fixture *fixture, const char *email)
{
  AgAccount *account = ag_account_pool_find (fixture->pool, email);

  if (account != NULL)
    g_object_unref (account);
  return account;
}

static void
test_load (Fixture *fixture, gconstpointer data)
{
  /* Before the first load a keyring change is not followed: the load reads the latest state anyway. */
  cli_save_settled (fixture, "user1@example.com", "rt-1");
  g_assert_cmpuint (ag_account_pool_get_n_accounts (fixture->pool), ==, 0);
  g_assert_false (ag_account_registry_get_loaded (fixture->registry));

  cli_save_settled (fixture, "user2@example.com", "rt-2");
  load (fixture);
  g_assert_true (ag_account_registry_get_loaded (fixture->registry));
  g_assert_cmpuint (fixture->loaded_notifications, ==, 1);
  g_assert_cmpuint (ag_account_pool_get_n_accounts (fixture->pool), ==, 2);
  g_assert_cmpstr (ag_account_get_refresh_token (pooled (fixture, "user1@example.com")), ==, "rt-1");
  g_assert_cmpstr (ag_account_get_refresh_token (pooled (fixture, "user2@example.com")), ==, "rt-2");
  /* Loaded accounts did not "join": only later ones are announced. */
  g_assert_cmpuint (fixture->added->len, ==, 0);
}

static void
test_add_and_remove (Fixture *fixture, gconstpointer data)
{
  g_autoptr(AgAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;
  guint changes;

  load (fixture);
  account = add (fixture, "rt-1", &error);
  g_assert_no_error (error);
  changes = fixture->keyring_changes;
  g_assert_cmpstr (ag_account_get_email (account), ==, "user1@example.com");
  g_assert_cmpstr (ag_account_get_project_id (account), ==, "proj-1");
  g_assert_true (pooled (fixture, "user1@example.com") == account);
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->added, 0) == account);
  keyring = settle (fixture, changes);
  g_assert_cmpstr (keyring, ==, "user1@example.com|on|rt-1\n");
  g_clear_pointer (&keyring, g_free);

  /* A refresh token Google does not know: nothing is saved, pooled or announced. */
  g_assert_null (add (fixture, "rt-unknown", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (ag_account_pool_get_n_accounts (fixture->pool), ==, 1);
  g_assert_cmpuint (fixture->added->len, ==, 1);

  g_assert_true (remove_account (fixture, "user1@example.com", &error));
  g_assert_no_error (error);
  changes = fixture->keyring_changes;
  g_assert_cmpuint (ag_account_pool_get_n_accounts (fixture->pool), ==, 0);
  keyring = settle (fixture, changes);
  g_assert_cmpstr (keyring, ==, "");

  g_assert_false (remove_account (fixture, "user1@example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Disabling an account is saved to the keyring; so is a refresh token Google rotated. */
static void
test_saves_changes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *keyring = NULL;
  AgAccount *account;

  cli_save_settled (fixture, "user1@example.com", "rt-1");
  load (fixture);
  account = pooled (fixture, "user1@example.com");
  ag_account_set_enabled (account, FALSE);
  settle_until (fixture, fixture->keyring_changes, "user1@example.com|off|rt-1\n");

  /* The CLI enables it again; the account's own save after a token rotation writes what the pool holds. */
  cli_save_settled (fixture, "user1@example.com", "rt-1");
  keyring = cli_describe (fixture);
  g_assert_cmpstr (keyring, ==, "user1@example.com|on|rt-1\n");
  g_assert_true (pooled (fixture, "user1@example.com") == account);
  g_signal_emit_by_name (account, "refresh-token-changed");
  settle_until (fixture, fixture->keyring_changes, "user1@example.com|off|rt-1\n");
}

static void
test_follows_the_keyring (Fixture *fixture, gconstpointer data)
{
  AgAccount *user1;

  load (fixture);
  cli_save_settled (fixture, "user1@example.com", "rt-1");
  g_assert_cmpuint (fixture->added->len, ==, 1);
  user1 = pooled (fixture, "user1@example.com");
  g_assert_nonnull (user1);
  g_assert_true (g_ptr_array_index (fixture->added, 0) == user1);

  /* Another account joins; the one already pooled stays the same object, with its state. */
  cli_save_settled (fixture, "user2@example.com", "rt-2");
  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpstr (ag_account_get_email (g_ptr_array_index (fixture->added, 1)), ==, "user2@example.com");
  g_assert_true (pooled (fixture, "user1@example.com") == user1);

  cli_remove_settled (fixture, "user1@example.com");
  g_assert_cmpuint (ag_account_pool_get_n_accounts (fixture->pool), ==, 1);
  g_assert_null (pooled (fixture, "user1@example.com"));
  g_assert_nonnull (pooled (fixture, "user2@example.com"));
  g_assert_cmpuint (fixture->added->len, ==, 2);
}

/* Only an account that needs a new sign-in and got one elsewhere (another refresh token) is replaced. */
static void
test_signed_in_again (Fixture *fixture, gconstpointer data)
{
  g_autofree char *keyring = NULL;
  AgAccount *healthy, *signed_out, *same_token, *again;
  guint changes;

  cli_save_new (fixture, "again@example.com", "rt-old");
  cli_save_new (fixture, "healthy@example.com", "rt-healthy");
  cli_save_settled (fixture, "same@example.com", "rt-same");
  load (fixture);
  healthy = pooled (fixture, "healthy@example.com");
  signed_out = pooled (fixture, "again@example.com");
  same_token = pooled (fixture, "same@example.com");
  ag_account_set_state (signed_out, AG_ACCOUNT_STATE_SIGNED_OUT, "signed out", NULL);
  ag_account_set_state (same_token, AG_ACCOUNT_STATE_SIGNED_OUT, "signed out", NULL);

  cli_save_new (fixture, "healthy@example.com", "rt-healthy-2");
  cli_save_new (fixture, "same@example.com", "rt-same");
  cli_save_new (fixture, "again@example.com", "rt-new");
  changes = fixture->keyring_changes;
  keyring = settle (fixture, changes);
  g_assert_cmpstr (keyring, ==, "again@example.com|on|rt-new\nhealthy@example.com|on|rt-healthy-2\n"
                                "same@example.com|on|rt-same\n");

  again = pooled (fixture, "again@example.com");
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->added, 0) == again);
  g_assert_true (again != signed_out);
  g_assert_cmpstr (ag_account_get_refresh_token (again), ==, "rt-new");
  g_assert_cmpint (ag_account_get_state (again), ==, AG_ACCOUNT_STATE_VALID);
  g_assert_true (pooled (fixture, "healthy@example.com") == healthy);
  g_assert_cmpstr (ag_account_get_refresh_token (healthy), ==, "rt-healthy");
  g_assert_true (pooled (fixture, "same@example.com") == same_token);
  g_assert_cmpint (ag_account_get_state (same_token), ==, AG_ACCOUNT_STATE_SIGNED_OUT);
}

/* An account removed with the CLI while one of its token refreshes was under way stays removed. */
static void
test_late_refresh_does_not_resurrect (Fixture *fixture, gconstpointer data)
{
  g_autoptr(AgAccount) removed = NULL;

  cli_save_new (fixture, "user1@example.com", "rt-1");
  cli_save_settled (fixture, "user2@example.com", "rt-2");
  load (fixture);
  removed = g_object_ref (pooled (fixture, "user1@example.com"));
  cli_remove_settled (fixture, "user1@example.com");
  g_assert_null (pooled (fixture, "user1@example.com"));

  g_signal_emit_by_name (removed, "refresh-token-changed");
  /* The same change to a pooled account is saved, after any save of the removed one would have been. */
  ag_account_set_enabled (pooled (fixture, "user2@example.com"), FALSE);
  settle_until (fixture, fixture->keyring_changes, "user2@example.com|off|rt-2\n");
  g_assert_null (pooled (fixture, "user1@example.com"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/account-registry/load", test_load);
  ADD ("/account-registry/add-and-remove", test_add_and_remove);
  ADD ("/account-registry/saves-changes", test_saves_changes);
  ADD ("/account-registry/follows-the-keyring", test_follows_the_keyring);
  ADD ("/account-registry/signed-in-again", test_signed_in_again);
  ADD ("/account-registry/late-refresh-does-not-resurrect", test_late_refresh_does_not_resurrect);
#undef ADD
  return g_test_run ();
}
