/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the incremental SSE parser: any bytes, cut into chunks of sizes the input itself chooses, must give
 * exactly the events that feeding them at once gives; a small event limit exercises the resync path. */
#include "fuzz-common.h"
#include "ag-protocol-error.h"
#include "ag-sse-parser.h"

#include <string.h>

static void
record_event (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  GString *log = user_data;

  g_assert_nonnull (event);
  g_assert_true (data[data_len] == '\0');
  g_string_append_printf (log, "%s\x1F%" G_GSIZE_FORMAT "\x1F", event, data_len);
  g_string_append_len (log, data, (gssize) data_len);
  g_string_append_c (log, '\x1E');
}

static void
feed_checked (AgSseParser *parser, const uint8_t *data, gsize len, GString *log)
{
  g_autoptr(GError) error = NULL;

  if (!ag_sse_parser_feed (parser, (const char *) data, len, &error))
    {
      g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_TOO_LARGE);
      g_string_append (log, "!too-large\x1E");
    }
}

/* Feeds @data in chunks whose sizes cycle through the first bytes of the input (1 to 16 bytes each). */
static void
parse (const uint8_t *data, size_t size, gboolean chunked, gsize max_event_size, GString *log)
{
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (record_event, log);
  gsize offset = 0;
  gsize step = 0;

  if (max_event_size > 0)
    ag_sse_parser_set_max_event_size (parser, max_event_size);
  while (offset < size)
    {
      gsize piece = (gsize) (data[step++ % size] % 16) + 1;
      gsize len = chunked ? MIN (piece, size - offset) : size - offset;

      feed_checked (parser, data + offset, len, log);
      offset += len;
    }
  ag_sse_parser_finish (parser);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_make_glib_strict ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) chunked = g_string_new (NULL);
  g_autoptr(GString) limited = g_string_new (NULL);

  parse (data, size, FALSE, 0, whole);
  parse (data, size, TRUE, 0, chunked);
  g_assert_cmpuint (whole->len, ==, chunked->len);
  g_assert_true (memcmp (whole->str, chunked->str, whole->len) == 0);
  parse (data, size, TRUE, 64, limited);
  return 0;
}
