/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The local API key generator: format and freshness (the keyring side is in tests/integration/test-api-key.c). */
#include "ag-api-key-store.h"

#include <string.h>

static void
test_format_and_freshness (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      char *key = ag_api_key_generate (&error);

      g_assert_no_error (error);
      /* 32 bytes in unpadded base64url are 43 characters. */
      g_assert_cmpuint (strlen (key), ==, 48);
      g_assert_true (g_regex_match_simple ("^agcl-[A-Za-z0-9_-]{43}$", key, 0, 0));
      g_assert_true (g_hash_table_add (seen, key));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 64);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api-key/generate", test_format_and_freshness);
  return g_test_run ();
}
