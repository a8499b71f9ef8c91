/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the reusable JSON parser against json-glib's: whatever its fast path accepts, json-glib must accept and read
 * identically (types, bits, member order); and the parser as a whole must always give json-glib's reading, or
 * refuse what json-glib refuses. One parser serves every input, as one serves every event of a stream. The input
 * is also read as a run of texts (split at 0x1e, each read twice) through parse_reused, which must give json-glib's
 * reading of each whatever the shapes before it. */
#include "fuzz-common.h"
#include <string.h>
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

  {
    g_autoptr(AgJsonParser) run = ag_json_parser_new ();
    const char *piece = text;
    const char *end = text + size;

    while (piece <= end)
      {
        const char *cut = memchr (piece, 0x1e, (size_t) (end - piece));
        gsize len = (gsize) ((cut != NULL ? cut : end) - piece);
        g_autoptr(JsonNode) expected = NULL;

        if (json_parser_load_from_data (reference_parser, piece, (gssize) len, NULL))
          expected = json_parser_steal_root (reference_parser);
        for (int twice = 0; twice < 2; twice++)
          {
            g_autoptr(GError) reused_error = NULL;
            JsonNode *reused = ag_json_parser_parse_reused (run, piece, len, &reused_error);

            g_assert_true (json_identical (reused, expected));
            g_assert_true ((reused == NULL) == (reused_error != NULL));
          }
        if (cut == NULL)
          break;
        piece = cut + 1;
      }
  }
  return 0;
}
