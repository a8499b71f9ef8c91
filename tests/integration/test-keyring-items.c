// SPDX-License-Identifier: GPL-3.0-or-later
/* ag_keyring_items_load against a real gnome-keyring (run inside build-aux/with-keyring.sh): every item that
 * matches comes back once with its own attributes and secret, nothing else does, no match is an empty list, and a
 * cancelled read is cancelled. */
#include <libsecret/secret.h>
#include "ag-test.h"
#include "ag-keyring-items.h"

static const SecretSchema *
test_schema (void)
{
  static const SecretSchema schema = {
    "io.github.agcl.AgCl.Test.KeyringItems", SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static GHashTable *
profile_attributes (const char *profile)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (char *) "profile", (char *) profile);
  return attributes;
}

static void
store (const char *profile, const char *name, const char *secret)
{
  g_autoptr(GHashTable) attributes = profile_attributes (profile);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (attributes, (char *) "name", (char *) name);
  g_assert_true (secret_password_storev_sync (test_schema (), attributes, SECRET_COLLECTION_DEFAULT, name, secret,
                                              NULL, &error));
  g_assert_no_error (error);
}

static void
clear (const char *profile)
{
  g_autoptr(GHashTable) attributes = profile_attributes (profile);

  secret_password_clearv_sync (test_schema (), attributes, NULL, NULL);
}

static GPtrArray *
load (const char *profile, GCancellable *cancellable, GError **error)
{
  g_autoptr(GHashTable) attributes = profile_attributes (profile);
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_keyring_items_load_async, test_schema (), attributes,
                                                       cancellable);

  return ag_keyring_items_load_finish (result, error);
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "profile|name=secret" per item, sorted (the keyring's order is its own). */
static char *
describe (GPtrArray *items)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      AgKeyringItem *item = g_ptr_array_index (items, i);

      g_assert_nonnull (item->secret);
      g_ptr_array_add (lines, g_strdup_printf ("%s|%s=%s", (char *) g_hash_table_lookup (item->attributes, "profile"),
                                               (char *) g_hash_table_lookup (item->attributes, "name"),
                                               secret_value_get_text (item->secret)));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (text, FALSE);
}

static void
test_each_item_with_its_secret (void)
{
  g_autofree char *profile = ag_test_profile_new ("test-keyring-items-each");
  g_autofree char *other = ag_test_profile_new ("test-keyring-items-other");
  g_autofree char *expected = g_strdup_printf ("%s|a=secret-a\n%s|b=secret-b\n", profile, profile);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *found = NULL;

  store (profile, "a", "secret-a");
  store (profile, "b", "secret-b");
  store (other, "c", "secret-c");
  items = load (profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  found = describe (items);
  g_assert_cmpstr (found, ==, expected);
  clear (profile);
  clear (other);
}

static void
test_no_match_is_empty (void)
{
  g_autofree char *profile = ag_test_profile_new ("test-keyring-items-none");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = load (profile, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 0);
}

static void
test_cancelled (void)
{
  g_autofree char *profile = ag_test_profile_new ("test-keyring-items-cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  store (profile, "a", "secret-a");
  g_cancellable_cancel (cancellable);
  items = load (profile, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (items);
  clear (profile);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keyring-items/each-item-with-its-secret", test_each_item_with_its_secret);
  g_test_add_func ("/keyring-items/no-match-is-empty", test_no_match_is_empty);
  g_test_add_func ("/keyring-items/cancelled", test_cancelled);
  return g_test_run ();
}
