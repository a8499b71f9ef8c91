/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token store against a real gnome-keyring (run inside build-aux/with-keyring.sh): save, load, replace,
 * remove, profile isolation, and what reaches the keyring item. */
#include <libsecret/secret.h>
#include "ag-test.h"
#include "ag-token-store.h"

/* The schema as the store writes it, to look at the raw items. */
static const SecretSchema *
raw_schema (void)
{
  static const SecretSchema schema = {
    "io.github.agcl.AgCl.Account", SECRET_SCHEMA_NONE,
    { { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  return &schema;
}

static void
save (AgTokenStore *store, AgAccount *account)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ag_test_token_store_save (store, account, &error));
  g_assert_no_error (error);
}

static GPtrArray *
load_all (AgTokenStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = ag_test_token_store_load_all (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (accounts);
  return accounts;
}

/* "email|project|tier|enabled|refresh token" per account @store holds, one per line, in the order loaded. */
static char *
describe (AgTokenStore *store)
{
  g_autoptr(GPtrArray) accounts = load_all (store);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      AgAccount *account = g_ptr_array_index (accounts, i);

      g_string_append_printf (text, "%s|%s|%s|%s|%s\n", ag_account_get_email (account),
                              ag_account_get_project_id (account), ag_account_get_tier (account),
                              ag_account_get_enabled (account) ? "on" : "off",
                              ag_account_get_refresh_token (account));
    }
  return g_string_free (text, FALSE);
}

static AgAccount *
account_new (const char *email, const char *project, const char *tier, const char *refresh_token)
{
  AgAccount *account = ag_account_new (email, project, refresh_token);

  ag_account_set_tier (account, tier);
  return account;
}

/* Each test's own profile and a token store on it. */
typedef struct {
  char         *profile;
  AgTokenStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->profile = ag_test_profile_new ("test-token-store");
  f->store = ag_token_store_new (f->profile);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_free (f->profile);
}

static void
test_save_and_load_sorted (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) bob = account_new ("bob@example.com", "proj-b", "free-tier", "rt-bob-secret");
  g_autoptr(AgAccount) alice = account_new ("alice@example.com", "proj-a", "standard-tier", "rt-alice-secret");
  g_autoptr(GPtrArray) empty = NULL;
  g_autofree char *text = NULL;

  empty = load_all (f->store);
  g_assert_cmpuint (empty->len, ==, 0);

  ag_account_set_enabled (bob, FALSE);
  save (f->store, bob);
  save (f->store, alice);
  text = describe (f->store);
  g_assert_cmpstr (text, ==,
                   "alice@example.com|proj-a|standard-tier|on|rt-alice-secret\n"
                   "bob@example.com|proj-b|free-tier|off|rt-bob-secret\n");

  g_assert_true (ag_test_token_store_remove (f->store, "alice@example.com", NULL));
  g_assert_true (ag_test_token_store_remove (f->store, "bob@example.com", NULL));
}

static void
test_save_replaces (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) first = account_new ("carol@example.com", "proj-old", "free-tier", "rt-carol-1");
  g_autoptr(AgAccount) second = account_new ("carol@example.com", "proj-new", NULL, "rt-carol-2");
  g_autoptr(AgAccount) same = account_new ("carol@example.com", "proj-new", NULL, "rt-carol-3");
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  save (f->store, first);
  ag_account_set_enabled (second, FALSE);
  save (f->store, second);
  text = describe (f->store);
  g_assert_cmpstr (text, ==, "carol@example.com|proj-new|(null)|off|rt-carol-2\n");

  /* Same attributes, new secret: updated in place. */
  ag_account_set_enabled (same, FALSE);
  save (f->store, same);
  text_again = describe (f->store);
  g_assert_cmpstr (text_again, ==, "carol@example.com|proj-new|(null)|off|rt-carol-3\n");

  g_assert_true (ag_test_token_store_remove (f->store, "carol@example.com", NULL));
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) dave = account_new ("dave@example.com", "proj-d", "free-tier", "rt-dave");
  g_autoptr(AgAccount) erin = account_new ("erin@example.com", "proj-e", "free-tier", "rt-erin");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  save (f->store, dave);
  save (f->store, erin);
  g_assert_true (ag_test_token_store_remove (f->store, "dave@example.com", &error));
  g_assert_no_error (error);
  text = describe (f->store);
  g_assert_cmpstr (text, ==, "erin@example.com|proj-e|free-tier|on|rt-erin\n");

  g_assert_false (ag_test_token_store_remove (f->store, "dave@example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "dave@example.com"));

  g_assert_true (ag_test_token_store_remove (f->store, "erin@example.com", NULL));
}

static void
test_profiles_are_isolated (Fixture *f, gconstpointer data)
{
  g_autofree char *profile_b = ag_test_profile_new ("test-token-store-b");
  g_autoptr(AgTokenStore) store_b = ag_token_store_new (profile_b);
  g_autoptr(AgAccount) frank_a = account_new ("frank@example.com", "proj-a", "free-tier", "rt-frank-a");
  g_autoptr(AgAccount) frank_b = account_new ("frank@example.com", "proj-b", "free-tier", "rt-frank-b");
  g_autoptr(GPtrArray) in_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  save (f->store, frank_a);
  in_b = load_all (store_b);
  g_assert_cmpuint (in_b->len, ==, 0);
  g_assert_false (ag_test_token_store_remove (store_b, "frank@example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* The same e-mail in another profile is another item. */
  save (store_b, frank_b);
  text_a = describe (f->store);
  g_assert_cmpstr (text_a, ==, "frank@example.com|proj-a|free-tier|on|rt-frank-a\n");
  g_assert_true (ag_test_token_store_remove (f->store, "frank@example.com", NULL));
  text_b = describe (store_b);
  g_assert_cmpstr (text_b, ==, "frank@example.com|proj-b|free-tier|on|rt-frank-b\n");
  g_assert_true (ag_test_token_store_remove (store_b, "frank@example.com", NULL));
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
test_secret_only_in_secret (Fixture *f, gconstpointer data)
{
  g_autoptr(AgAccount) gina = account_new ("gina@example.com", "proj-g", "g1-pro-tier", "1//0gSECRET-refresh");
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GList *items;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) secret = NULL;
  g_autofree char *label = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  save (f->store, gina);
  /* libsecret's _sync search leaks under LeakSanitizer; the async one is what the store uses anyway. */
  secret_password_search (raw_schema (), SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS, NULL, ag_test_store_result,
                          &slot, "profile", f->profile, NULL);
  result = ag_test_await (&slot);
  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);

  attributes = secret_retrievable_get_attributes (items->data);
  label = secret_retrievable_get_label (items->data);
  g_clear_object (&result);
  result = AG_TEST_AWAIT_CALL (secret_retrievable_retrieve_secret, items->data, NULL);
  secret = secret_retrievable_retrieve_secret_finish (items->data, result, &error);
  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);

  g_assert_cmpstr (label, ==, "ag-cl: gina@example.com");
  g_assert_cmpstr (secret_value_get_text (secret), ==, "1//0gSECRET-refresh");
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (pairs, g_strdup_printf ("%s=%s", (char *) key, (char *) value));
  g_ptr_array_sort (pairs, compare_strings);
  g_ptr_array_add (pairs, NULL);
  joined = g_strjoinv ("|", (char **) pairs->pdata);
  expected = g_strdup_printf ("email=gina@example.com|enabled=true|profile=%s|project=proj-g|tier=g1-pro-tier|"
                              "xdg:schema=io.github.agcl.AgCl.Account", f->profile);
  g_assert_cmpstr (joined, ==, expected);
  g_assert_null (strstr (joined, "SECRET"));

  g_assert_true (ag_test_token_store_remove (f->store, "gina@example.com", NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/token-store/save-and-load-sorted", test_save_and_load_sorted);
  ADD ("/token-store/save-replaces", test_save_replaces);
  ADD ("/token-store/remove", test_remove);
  ADD ("/token-store/profiles-are-isolated", test_profiles_are_isolated);
  ADD ("/token-store/secret-only-in-secret", test_secret_only_in_secret);
#undef ADD

  return g_test_run ();
}
