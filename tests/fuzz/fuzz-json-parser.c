/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the reusable JSON parser against json-glib's: whatever its fast path accepts, json-glib must accept and read
 * identically (types, bits, member order); and the parser as a whole must always give json-glib's reading, or
 * refuse what json-glib refuses. One parser serves every input, as one serves every event of a stream. */
#include "fuzz-common.h"
#include "ag-json-parser-private.h"
#include "../unit/json-identical.h"

static AgJsonParser *parser;
static JsonParser   *reference_parser;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_make_glib_strict ();
  parser = ag_json_parser_new ();
  reference_parser = json_parser_new ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  g_autoptr(JsonNode) fast = ag_json_parser_parse_fast (parser, text, size);
  g_autoptr(JsonNode) reference = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;

  if (json_parser_load_from_data (reference_parser, text, (gssize) size, NULL))
    reference = json_parser_steal_root (reference_parser);
  if (fast != NULL)
    {
      g_assert_nonnull (reference);
      g_assert_true (json_identical (fast, reference));
    }
  parsed = ag_json_parser_parse (parser, text, size, &error);
  g_assert_true (json_identical (parsed, reference));
  g_assert_true ((parsed == NULL) == (error != NULL));
  return 0;
}
