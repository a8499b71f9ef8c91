// SPDX-License-Identifier: GPL-3.0-or-later
/* Device profiles: the generated ids' formats, uniqueness over many draws, and the store (devices.db): versions
 * newest first with the bound one marked, restore, "ensure" generating once, the baseline kept exactly once. */
#include <glib/gstdio.h>
#include "ag-test.h"
#include "ag-device-store.h"

#define DRAWS 5000

static void
test_formats (void)
{
  g_autoptr(GRegex) machine = g_regex_new ("^auth0\\|user_[a-z0-9]{32}$", 0, 0, NULL);
  g_autoptr(GRegex) uuid4 = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                         0, 0, NULL);
  g_autoptr(GRegex) sqm = g_regex_new ("^\\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\\}$",
                                       0, 0, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(AgDeviceProfile) profile = ag_device_profile_generate ();

      g_assert_true (g_regex_match (machine, profile->machine_id, 0, NULL));
      g_assert_true (g_regex_match (uuid4, profile->mac_machine_id, 0, NULL));
      g_assert_true (g_regex_match (uuid4, profile->dev_device_id, 0, NULL));
      g_assert_true (g_regex_match (sqm, profile->sqm_id, 0, NULL));
    }
}

/* No id repeats across DRAWS profiles, and every alphabet character of machineId shows up (a biased or constant
 * generator fails one or the other). */
static void
test_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };

  for (guint i = 0; i < DRAWS; i++)
    {
      g_autoptr(AgDeviceProfile) profile = ag_device_profile_generate ();
      const char *ids[] = { profile->machine_id, profile->mac_machine_id, profile->dev_device_id, profile->sqm_id };

      for (guint j = 0; j < G_N_ELEMENTS (ids); j++)
        g_assert_true (g_hash_table_add (seen, g_strdup (ids[j])));
      for (const char *c = profile->machine_id + strlen ("auth0|user_"); *c != '\0'; c++)
        counts[(guchar) *c]++;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4 * DRAWS);
  for (const char *c = "abcdefghijklmnopqrstuvwxyz0123456789"; *c != '\0'; c++)
    {
      /* Expected 32 × DRAWS / 36 ≈ 4444 each. */
      g_assert_cmpuint (counts[(guchar) *c], >, 3800);
      g_assert_cmpuint (counts[(guchar) *c], <, 5100);
    }
}

typedef struct {
  char          *dir;
  AgDeviceStore *store;
  GPtrArray     *changed;
} Fixture;

static void
on_changed (AgDeviceStore *store, const char *account, Fixture *fixture)
{
  g_ptr_array_add (fixture->changed, g_strdup (account));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("ag-devices-XXXXXX", NULL);
  path = g_build_filename (fixture->dir, "sub", "devices.db", NULL);
  fixture->store = ag_device_store_new (path);
  fixture->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->changed);
  ag_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static AgDeviceVersion *
await_version (AgDeviceStore *store, GAsyncResult *result, gboolean *created)
{
  g_autoptr(GAsyncResult) owned = result;
  g_autoptr(GError) error = NULL;
  AgDeviceVersion *version = ag_device_store_version_finish (store, owned, created, &error);

  g_assert_no_error (error);
  return version;
}

static GPtrArray *
history (AgDeviceStore *store, const char *account)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_device_store_list_async, store, account, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *versions = ag_device_store_list_finish (store, result, &error);

  g_assert_no_error (error);
  return versions;
}

static void
test_history (Fixture *fixture, gconstpointer data)
{
  AgDeviceStore *store = fixture->store;
  g_autoptr(AgDeviceProfile) captured = ag_device_profile_new ("m", "mac", "dev", "{SQM}");
  g_autoptr(AgDeviceVersion) none = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_current_async, store,
                                                                               "a@example.com", NULL), NULL);
  g_autoptr(AgDeviceVersion) first = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_generate_async,
                                                                                store, "a@example.com", NULL), NULL);
  g_autoptr(AgDeviceVersion) second = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_add_async, store,
                                                                                 "a@example.com", captured,
                                                                                 "captured", NULL), NULL);
  g_autoptr(AgDeviceVersion) other = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_generate_async,
                                                                                store, "b@example.com", NULL), NULL);
  g_autoptr(AgDeviceVersion) restored = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) foreign = NULL;

  g_assert_null (none);
  g_assert_true (first->current && second->current);
  g_assert_cmpint (second->id, >, first->id);
  g_assert_cmpstr (second->label, ==, "captured");
  g_assert_true (ag_device_profile_equal (second->profile, captured));

  versions = history (store, "a@example.com");
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpint (((AgDeviceVersion *) versions->pdata[0])->id, ==, second->id);
  g_assert_true (((AgDeviceVersion *) versions->pdata[0])->current);
  g_assert_false (((AgDeviceVersion *) versions->pdata[1])->current);
  g_clear_pointer (&versions, g_ptr_array_unref);

  restored = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_restore_async, store, "a@example.com",
                                                       first->id, NULL), NULL);
  g_assert_true (ag_device_profile_equal (restored->profile, first->profile));
  versions = history (store, "a@example.com");
  g_assert_false (((AgDeviceVersion *) versions->pdata[0])->current);
  g_assert_true (((AgDeviceVersion *) versions->pdata[1])->current);

  /* Another account's version is not this one's to restore. */
  foreign = AG_TEST_AWAIT_CALL (ag_device_store_restore_async, store, "a@example.com", other->id, NULL);
  g_assert_null (ag_device_store_version_finish (store, foreign, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* changed: generate, add, generate(b), restore — on the main context, after each write. */
  AG_TEST_WAIT (fixture->changed->len == 4, 2000);
  g_assert_cmpstr (fixture->changed->pdata[2], ==, "b@example.com");
}

static void
test_ensure (Fixture *fixture, gconstpointer data)
{
  AgDeviceStore *store = fixture->store;
  gboolean created = FALSE;
  g_autoptr(AgDeviceVersion) made = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_ensure_async, store,
                                                                               "a@example.com", NULL), &created);
  g_autoptr(AgDeviceVersion) again = NULL;

  g_assert_true (created);
  g_assert_cmpstr (made->label, ==, "auto_generated");
  again = await_version (store, AG_TEST_AWAIT_CALL (ag_device_store_ensure_async, store, "a@example.com", NULL),
                         &created);
  g_assert_false (created);
  g_assert_cmpint (again->id, ==, made->id);
}

static AgDeviceProfile *
keep_baseline (AgDeviceStore *store, const AgDeviceProfile *profile, gboolean *kept)
{
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_device_store_keep_baseline_async, store, profile, NULL);
  g_autoptr(GError) error = NULL;
  AgDeviceProfile *baseline = ag_device_store_baseline_finish (store, result, kept, &error);

  g_assert_no_error (error);
  return baseline;
}

static void
test_baseline_once (Fixture *fixture, gconstpointer data)
{
  g_autoptr(AgDeviceProfile) original = ag_device_profile_new ("orig", "orig-mac", "orig-dev", "{ORIG}");
  g_autoptr(AgDeviceProfile) later = ag_device_profile_generate ();
  g_autoptr(AgDeviceProfile) kept_first = NULL;
  g_autoptr(AgDeviceProfile) kept_second = NULL;
  g_autoptr(AgDeviceProfile) read_back = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AgDeviceStore) reopened = NULL;
  gboolean kept = FALSE;

  result = AG_TEST_AWAIT_CALL (ag_device_store_get_baseline_async, fixture->store, NULL);
  g_assert_null (ag_device_store_baseline_finish (fixture->store, result, NULL, NULL));
  kept_first = keep_baseline (fixture->store, original, &kept);
  g_assert_true (kept);
  g_assert_true (ag_device_profile_equal (kept_first, original));
  kept_second = keep_baseline (fixture->store, later, &kept);
  g_assert_false (kept);
  g_assert_true (ag_device_profile_equal (kept_second, original));

  /* And it persists: a new store on the same file reads the first one. */
  reopened = ag_device_store_new (ag_device_store_get_path (fixture->store));
  g_clear_object (&result);
  result = AG_TEST_AWAIT_CALL (ag_device_store_get_baseline_async, reopened, NULL);
  read_back = ag_device_store_baseline_finish (reopened, result, NULL, NULL);
  g_assert_true (ag_device_profile_equal (read_back, original));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device-profile/formats", test_formats);
  g_test_add_func ("/device-profile/unique", test_unique);
  g_test_add ("/device-profile/store/history", Fixture, NULL, fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/device-profile/store/ensure", Fixture, NULL, fixture_set_up, test_ensure, fixture_tear_down);
  g_test_add ("/device-profile/store/baseline-once", Fixture, NULL, fixture_set_up, test_baseline_once,
              fixture_tear_down);
  return g_test_run ();
}
