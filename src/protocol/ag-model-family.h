/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-model-family.h — which upstream model family a request goes to; translation rules differ per family. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  AG_MODEL_FAMILY_CLAUDE,
  AG_MODEL_FAMILY_GEMINI,
} AgModelFamily;

/* "claude-…" ids are Claude, everything else Gemini (the only two families Cloud Code serves). */
AgModelFamily ag_model_family_from_id (const char *upstream_model_id);

G_END_DECLS
