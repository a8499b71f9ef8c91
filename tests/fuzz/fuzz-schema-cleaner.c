/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the JSON-schema cleaner: any JSON value, cleaned for both families, gives an object schema that
 * serialises; cleaning is idempotent (a cleaned schema cleans to the same schema). */
#include "fuzz-common.h"
#include "ag-schema-cleaner.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_make_glib_strict ();
  return 0;
}

static void
clean (JsonNode *schema, AgModelFamily family)
{
  g_autoptr(JsonNode) cleaned = ag_schema_clean (schema, family);
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (cleaned));
  text = json_to_string (cleaned, FALSE);
  g_assert_nonnull (text);
  again = ag_schema_clean (cleaned, family);
  /* Member order may differ (the top level is forced to an object last); the content may not. */
  if (!json_node_equal (cleaned, again))
    g_error ("cleaning is not idempotent: %s", text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL) ||
      json_parser_get_root (parser) == NULL)
    return 0;
  clean (json_parser_get_root (parser), AG_MODEL_FAMILY_CLAUDE);
  clean (json_parser_get_root (parser), AG_MODEL_FAMILY_GEMINI);
  return 0;
}
