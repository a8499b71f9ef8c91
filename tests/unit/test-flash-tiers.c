/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Flash effort tiers: which requests pick a tier, and which. */
#include "ag-test.h"
#include "ag-flash-tiers.h"

typedef struct {
  const char *name;
  const char *model;
  const char *body;
  const char *tier_model;   /* NULL: no tier */
  gint64      budget;
} TierCase;

static const TierCase cases[] = {
  { "effort-low", "gemini-3-flash-agent", "{\"output_config\":{\"effort\":\"low\"}}", "gemini-3.5-flash-extra-low", 1000 },
  { "effort-medium", "gemini-3.5-flash-extra-low", "{\"output_config\":{\"effort\":\"medium\"}}",
    "gemini-3.5-flash-low", 4000 },
  { "effort-high", "gemini-3.5-flash-low", "{\"output_config\":{\"effort\":\"high\"}}", "gemini-3-flash-agent", 10000 },
  { "effort-max", "gemini-3-flash-agent", "{\"output_config\":{\"effort\":\"max\"}}", "gemini-3-flash-agent", 10000 },
  { "effort-unknown", "gemini-3-flash-agent", "{\"output_config\":{\"effort\":\"xhigh\"}}", NULL, 0 },
  { "budget-small", "gemini-3-flash-agent", "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":800}}",
    "gemini-3.5-flash-extra-low", 1000 },
  { "budget-middle", "gemini-3-flash-agent", "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":3000}}",
    "gemini-3.5-flash-low", 4000 },
  { "budget-large", "gemini-3.5-flash-low", "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}}",
    "gemini-3-flash-agent", 10000 },
  { "effort-wins-over-budget", "gemini-3-flash-agent",
    "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000},\"output_config\":{\"effort\":\"low\"}}",
    "gemini-3.5-flash-extra-low", 1000 },
  { "no-effort", "gemini-3-flash-agent", "{\"thinking\":{\"type\":\"adaptive\"}}", NULL, 0 },
  { "other-flash", "gemini-3-flash", "{\"output_config\":{\"effort\":\"low\"}}", NULL, 0 },
  { "claude", "claude-sonnet-4-6", "{\"output_config\":{\"effort\":\"low\"}}", NULL, 0 },
};

static void
test_tier (gconstpointer data)
{
  const TierCase *c = data;
  g_autoptr(JsonNode) body = ag_test_parse_json_text (c->body);
  const AgFlashTier *tier = ag_flash_tier_for (c->model, json_node_get_object (body));

  if (c->tier_model == NULL)
    {
      g_assert_null (tier);
      return;
    }
  g_assert_nonnull (tier);
  g_assert_cmpstr (tier->model, ==, c->tier_model);
  g_assert_cmpint (tier->budget, ==, c->budget);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/flash-tiers/", cases, test_tier);
  return g_test_run ();
}
