/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-signature-cache.h"

#define SIGNATURE_A "EuYBCkgIARACGAIiQNnQ4a2KQ1Yp5XR3MvZ0LrZg3S4H5kzq9yP0x7hWcK8tD1mEw2aB6fJ9uL0sG3qR4vN"
#define SIGNATURE_B "CiQB0e2Kb7n8v9u1t2s3r4q5p6o7n8m9l0k1j2i3h4g5f6e7d8c9b0a1Z2Y3X4W5V6U7T8S9R0Q1P2O3N4M"

static void
test_tool_signatures (void)
{
  g_autoptr(AgSignatureCache) cache = ag_signature_cache_new ();

  g_assert_null (ag_signature_cache_lookup_tool (cache, "toolu_1"));
  ag_signature_cache_put_tool (cache, "toolu_1", SIGNATURE_A);
  g_assert_cmpstr (ag_signature_cache_lookup_tool (cache, "toolu_1"), ==, SIGNATURE_A);
  g_assert_null (ag_signature_cache_lookup_tool (cache, "toolu_2"));
  g_assert_null (ag_signature_cache_lookup_tool (cache, NULL));

  ag_signature_cache_put_tool (cache, "toolu_1", SIGNATURE_B);
  g_assert_cmpstr (ag_signature_cache_lookup_tool (cache, "toolu_1"), ==, SIGNATURE_B);
  g_assert_cmpuint (ag_signature_cache_size (cache), ==, 1);
}

static void
test_placeholders_rejected (void)
{
  g_autoptr(AgSignatureCache) cache = ag_signature_cache_new ();
  g_autofree char *just_short = g_strndup (SIGNATURE_A, AG_SIGNATURE_MIN_LENGTH - 1);
  g_autofree char *just_long = g_strndup (SIGNATURE_A, AG_SIGNATURE_MIN_LENGTH);
  AgModelFamily family;

  ag_signature_cache_put_tool (cache, "toolu_1", just_short);
  ag_signature_cache_put_tool (cache, "toolu_2", NULL);
  ag_signature_cache_put_thinking (cache, "skip", AG_MODEL_FAMILY_CLAUDE);
  g_assert_cmpuint (ag_signature_cache_size (cache), ==, 0);
  g_assert_false (ag_signature_cache_lookup_thinking (cache, "skip", &family));

  ag_signature_cache_put_tool (cache, "toolu_3", just_long);
  g_assert_cmpstr (ag_signature_cache_lookup_tool (cache, "toolu_3"), ==, just_long);
}

static void
test_thinking_family (void)
{
  g_autoptr(AgSignatureCache) cache = ag_signature_cache_new ();
  AgModelFamily family = AG_MODEL_FAMILY_CLAUDE;

  ag_signature_cache_put_thinking (cache, SIGNATURE_A, AG_MODEL_FAMILY_GEMINI);
  ag_signature_cache_put_thinking (cache, SIGNATURE_B, AG_MODEL_FAMILY_CLAUDE);

  g_assert_true (ag_signature_cache_lookup_thinking (cache, SIGNATURE_A, &family));
  g_assert_cmpint (family, ==, AG_MODEL_FAMILY_GEMINI);
  g_assert_true (ag_signature_cache_lookup_thinking (cache, SIGNATURE_B, &family));
  g_assert_cmpint (family, ==, AG_MODEL_FAMILY_CLAUDE);
  g_assert_true (ag_signature_cache_lookup_thinking (cache, SIGNATURE_B, NULL));
  g_assert_false (ag_signature_cache_lookup_thinking (cache, SIGNATURE_A "x", &family));
  g_assert_false (ag_signature_cache_lookup_thinking (cache, NULL, &family));
  /* Tool ids and thinking signatures are separate tables. */
  g_assert_null (ag_signature_cache_lookup_tool (cache, SIGNATURE_A));
  g_assert_cmpuint (ag_signature_cache_size (cache), ==, 2);
}

static void
test_expiry (void)
{
  g_autoptr(AgSignatureCache) cache = ag_signature_cache_new ();

  ag_signature_cache_set_ttl (cache, 20 * G_TIME_SPAN_MILLISECOND);
  ag_signature_cache_put_tool (cache, "toolu_1", SIGNATURE_A);
  ag_signature_cache_put_thinking (cache, SIGNATURE_B, AG_MODEL_FAMILY_CLAUDE);
  g_assert_nonnull (ag_signature_cache_lookup_tool (cache, "toolu_1"));
  g_assert_true (ag_signature_cache_lookup_thinking (cache, SIGNATURE_B, NULL));

  g_usleep (40 * G_TIME_SPAN_MILLISECOND);
  g_assert_null (ag_signature_cache_lookup_tool (cache, "toolu_1"));
  g_assert_false (ag_signature_cache_lookup_thinking (cache, SIGNATURE_B, NULL));
  g_assert_cmpuint (ag_signature_cache_size (cache), ==, 0);
}

/* Expired entries are swept while inserting, so size stays bounded by what is alive. */
static void
test_sweep (void)
{
  g_autoptr(AgSignatureCache) cache = ag_signature_cache_new ();

  ag_signature_cache_set_ttl (cache, 10 * G_TIME_SPAN_MILLISECOND);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = g_strdup_printf ("old_%u", i);
      ag_signature_cache_put_tool (cache, id, SIGNATURE_A);
    }
  g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  ag_signature_cache_set_ttl (cache, G_TIME_SPAN_HOUR);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("new_%u", i);
      ag_signature_cache_put_tool (cache, id, SIGNATURE_B);
    }
  g_assert_cmpuint (ag_signature_cache_size (cache), ==, 300);
  g_assert_cmpstr (ag_signature_cache_lookup_tool (cache, "new_0"), ==, SIGNATURE_B);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signature-cache/tool", test_tool_signatures);
  g_test_add_func ("/signature-cache/placeholders", test_placeholders_rejected);
  g_test_add_func ("/signature-cache/thinking-family", test_thinking_family);
  g_test_add_func ("/signature-cache/expiry", test_expiry);
  g_test_add_func ("/signature-cache/sweep", test_sweep);
  return g_test_run ();
}
