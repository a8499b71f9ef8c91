/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-flash-tiers.h"
#include "ag-json.h"

/* Antigravity-Manager's variant mapping (proxy/common/variant_mapping.rs), lowest effort first. */
static const AgFlashTier tiers[] = {
  { "low", "gemini-3.5-flash-extra-low", 1000 },
  { "medium", "gemini-3.5-flash-low", 4000 },
  { "high", "gemini-3-flash-agent", 10000 },
};

static gboolean
is_tier_model (const char *model)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tiers); i++)
    if (g_strcmp0 (tiers[i].model, model) == 0)
      return TRUE;
  return FALSE;
}

const AgFlashTier *
ag_flash_tier_for (const char *upstream_model, JsonObject *body)
{
  const char *effort = ag_json_string (ag_json_object (body, "output_config"), "effort");
  JsonObject *thinking = ag_json_object (body, "thinking");
  gint64 budget = ag_json_int (thinking, "budget_tokens", 0);

  if (!is_tier_model (upstream_model))
    return NULL;
  if (effort != NULL)
    {
      if (g_str_equal (effort, "max"))
        effort = "high";
      for (gsize i = 0; i < G_N_ELEMENTS (tiers); i++)
        if (g_str_equal (tiers[i].effort, effort))
          return &tiers[i];
      return NULL;
    }
  if (budget <= 0 || g_strcmp0 (ag_json_string (thinking, "type"), "enabled") != 0)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (tiers) - 1; i++)
    if (budget <= tiers[i].budget)
      return &tiers[i];
  return &tiers[G_N_ELEMENTS (tiers) - 1];
}
