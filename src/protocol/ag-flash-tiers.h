/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-flash-tiers.h — Gemini Flash effort tiers (docs/upstream-cloudcode.md#models): Antigravity serves one Flash at
 * three thinking levels as three model ids, so a client's effort (Anthropic output_config.effort, or
 * thinking.budget_tokens) picks the model and its thinking budget. The table is the one place to change them. Pure. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *effort;   /* "low", "medium", "high" */
  const char *model;    /* the upstream id serving that effort */
  gint64      budget;   /* its thinking budget */
} AgFlashTier;

/* The tier a request for @upstream_model asks for: NULL unless @upstream_model is one of the tier models and
 * @body names an effort (output_config.effort: low, medium, high; max counts as high) or a budget
 * (thinking.budget_tokens: up to a tier's budget picks that tier). */
const AgFlashTier *ag_flash_tier_for (const char *upstream_model, JsonObject *body);

G_END_DECLS
