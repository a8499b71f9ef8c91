/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-model-family.h"

AgModelFamily
ag_model_family_from_id (const char *upstream_model_id)
{
  if (upstream_model_id != NULL && g_str_has_prefix (upstream_model_id, "claude"))
    return AG_MODEL_FAMILY_CLAUDE;
  return AG_MODEL_FAMILY_GEMINI;
}
