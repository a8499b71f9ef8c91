/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for reading quota from a fetchAvailableModels answer (docs/upstream-cloudcode.md#fetchavailablemodels). */
#include "ag-quota-poller.h"

static void
collect (const char *model, double fraction, gint64 reset_unix_ms, gpointer user_data)
{
  g_string_append_printf (user_data, "%s=%.2f@%" G_GINT64_FORMAT ";", model, fraction, reset_unix_ms);
}

static char *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GString *out = g_string_new (NULL);

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  ag_quota_poller_parse_models (json_parser_get_root (parser), collect, out);
  return g_string_free (out, FALSE);
}

static void
test_fractions (void)
{
  g_autofree char *out = parse (
    "{\"models\":{"
    "\"a\":{\"quotaInfo\":{\"remainingFraction\":0.78,\"resetTime\":\"2026-08-05T02:38:57Z\"}},"
    "\"b\":{\"quotaInfo\":{\"resetTime\":\"2026-08-05T02:38:57Z\"}},"
    "\"c\":{\"quotaInfo\":{\"remainingFraction\":1.5}},"
    "\"d\":{\"quotaInfo\":{\"remainingFraction\":-0.2}},"
    "\"e\":{\"quotaInfo\":{\"remainingFraction\":1}},"
    "\"f\":{\"displayName\":\"no quota info\"},"
    "\"g\":{\"quotaInfo\":{}},"
    "\"h\":{\"quotaInfo\":{\"remainingFraction\":0.5,\"resetTime\":\"not a time\"}},"
    "\"i\":{\"quotaInfo\":\"wrong\"},"
    "\"j\":{\"quotaInfo\":{\"remainingFraction\":\"0.5\",\"resetTime\":\"2026-08-05T02:38:57Z\"}},"
    "\"k\":7"
    "},\"deprecatedModelIds\":{}}");

  g_assert_cmpstr (out, ==,
                   "a=0.78@1785897537000;"
                   "b=0.00@1785897537000;"
                   "c=1.00@0;"
                   "d=0.00@0;"
                   "e=1.00@0;"
                   "h=0.50@0;"
                   "j=0.00@1785897537000;");
}

static void
test_not_models (void)
{
  const char *inputs[] = { "[]", "{}", "{\"models\":[]}", "{\"models\":null}", "\"x\"" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *out = parse (inputs[i]);

      g_assert_cmpstr (out, ==, "");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quota-parse/fractions", test_fractions);
  g_test_add_func ("/quota-parse/not-models", test_not_models);
  return g_test_run ();
}
