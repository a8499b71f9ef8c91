/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-schema-cleaner.h — reduces a client tool's JSON Schema to the subset the Cloud Code gateway accepts. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

/* Returns a new cleaned copy of @schema (never NULL: a missing or non-object schema becomes an empty object schema). */
JsonNode *ag_schema_clean (JsonNode *schema, AgModelFamily family);

G_END_DECLS
