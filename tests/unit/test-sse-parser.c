/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the incremental SSE parser: WHATWG line and field rules, any chunking, size limits. */
#include "ag-test.h"
#include "ag-sse-parser.h"
#include "ag-protocol-error.h"

#include <string.h>

typedef struct {
  GPtrArray *events;  /* "name\x1Fdata" per event, plus "!too-large" for each error */
} Recorder;

static void
record_event (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  Recorder *recorder = user_data;

  g_assert_cmpuint (strlen (data), ==, data_len);
  g_ptr_array_add (recorder->events, g_strdup_printf ("%s\x1F%s", event, data));
}

static void
feed (AgSseParser *parser, Recorder *recorder, const char *bytes, gsize len)
{
  g_autoptr(GError) error = NULL;

  if (!ag_sse_parser_feed (parser, bytes, len, &error))
    {
      g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_TOO_LARGE);
      g_ptr_array_add (recorder->events, g_strdup ("!too-large"));
    }
  else
    g_assert_no_error (error);
}

/* Parses @stream cut at the given (sorted) positions and returns the recorded events. */
static GPtrArray *
parse_cut (const char *stream, gsize len, const gsize *cuts, gsize n_cuts, gsize max_event_size)
{
  Recorder recorder = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (record_event, &recorder);
  gsize from = 0;

  if (max_event_size > 0)
    ag_sse_parser_set_max_event_size (parser, max_event_size);
  for (gsize i = 0; i <= n_cuts; i++)
    {
      gsize to = i < n_cuts ? cuts[i] : len;

      feed (parser, &recorder, stream + from, to - from);
      from = to;
    }
  ag_sse_parser_finish (parser);
  return recorder.events;
}

static GPtrArray *
parse_whole (const char *stream)
{
  return parse_cut (stream, strlen (stream), NULL, 0, 0);
}

static void
assert_events (GPtrArray *events, const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, events->len); i++)
    g_assert_cmpstr (g_ptr_array_index (events, i), ==, expected[i]);
  g_assert_cmpuint (events->len, ==, n);
}

static void
assert_same_events (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

/* A stream exercising every rule: BOM, comments, event names, multi-line data, the three line ends, fields
 * without a colon, an event with no data, unknown fields and a final event without its blank line. */
static const char mixed_stream[] =
  "\xEF\xBB\xBF: a comment\n"
  "data: first\n"
  "\n"
  "event: custom\r\n"
  "data:second\r\n"
  "data:  two spaces\r\n"
  "\r\n"
  "id: 7\r"
  "retry: 1000\r"
  "\r"
  "data\n"
  "\n"
  "event: ignored-without-data\n"
  "\n"
  "data: after\n"
  "unknown: field\n"
  "data: \xEF\xBB\xBFnot a BOM here\n"
  "\n"
  ":data: commented\n"
  "data: {\"response\":{}}\r"
  "\r\n"
  "data: last without blank line";

static const char *const mixed_expected[] = {
  "message\x1F" "first",
  "custom\x1F" "second\n two spaces",
  "message\x1F",
  "message\x1F" "after\n\xEF\xBB\xBFnot a BOM here",
  "message\x1F{\"response\":{}}",
  "message\x1F" "last without blank line",
  NULL,
};

static void
test_rules (void)
{
  g_autoptr(GPtrArray) events = parse_whole (mixed_stream);

  assert_events (events, mixed_expected);
}

static void
test_cr_lf_across_feeds_is_one_line_end (void)
{
  static const char *const expected[] = { "message\x1F" "a\nb", NULL };
  static const char stream[] = "data: a\r\ndata: b\r\n\r\n";
  gsize cut = strlen ("data: a\r");
  g_autoptr(GPtrArray) events = parse_cut (stream, strlen (stream), &cut, 1, 0);

  assert_events (events, expected);
}

static void
test_lone_cr_is_a_line_end (void)
{
  static const char *const expected[] = { "message\x1F" "a", "message\x1F" "b", NULL };
  g_autoptr(GPtrArray) events = parse_whole ("data: a\r\rdata: b\r\r");

  assert_events (events, expected);
}

static void
test_partial_bom_is_data (void)
{
  /* Two BOM bytes then something else: nothing is stripped, the bytes are part of the field name. */
  static const char *const expected[] = { "message\x1F" "x", NULL };
  static const char stream[] = "\xEF\xBB" "data: y\n\ndata: x\n\n";
  gsize cut = 1;
  g_autoptr(GPtrArray) events = parse_cut (stream, strlen (stream), &cut, 1, 0);

  assert_events (events, expected);
}

static void
test_event_name_resets (void)
{
  static const char *const expected[] = { "a\x1F" "1", "message\x1F" "2", NULL };
  g_autoptr(GPtrArray) events = parse_whole ("event: a\ndata: 1\n\ndata: 2\n\n");

  assert_events (events, expected);
}

static void
test_finish_without_data (void)
{
  g_autoptr(GPtrArray) empty = parse_whole ("");
  g_autoptr(GPtrArray) comment = parse_whole (": only a comment");
  g_autoptr(GPtrArray) event_only = parse_whole ("event: x\n");

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (comment->len, ==, 0);
  g_assert_cmpuint (event_only->len, ==, 0);
}

/* The same events must come out however the bytes are cut. */
static void
assert_chunking_invariant (const char *stream, gsize len, gsize max_event_size)
{
  g_autoptr(GPtrArray) whole = parse_cut (stream, len, NULL, 0, max_event_size);
  g_autofree gsize *cuts = g_new (gsize, len + 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);

  g_assert_cmpuint (whole->len, >, 0);

  for (gsize step = 1; step <= 2; step++)
    {
      g_autoptr(GPtrArray) events = NULL;
      gsize n = 0;

      for (gsize at = step; at < len; at += step)
        cuts[n++] = at;
      events = parse_cut (stream, len, cuts, n, max_event_size);
      assert_same_events (whole, events);
    }

  for (gsize at = 0; at <= len; at++)
    {
      g_autoptr(GPtrArray) events = parse_cut (stream, len, &at, 1, max_event_size);

      assert_same_events (whole, events);
    }

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GPtrArray) events = NULL;
      gsize n = 0;

      for (gsize at = (gsize) g_rand_int_range (rand, 0, 64); at < len; at += (gsize) g_rand_int_range (rand, 1, 64))
        cuts[n++] = at;
      events = parse_cut (stream, len, cuts, n, max_event_size);
      assert_same_events (whole, events);
    }
}

static void
test_every_split_mixed (void)
{
  assert_chunking_invariant (mixed_stream, strlen (mixed_stream), 0);
}

static void
test_every_split_fixtures (void)
{
  static const char *const names[] = {
    "thinking-tool-claude.sse", "crlf-comments.sse", "parallel-calls-gemini.sse", NULL,
  };

  for (const char *const *name = names; *name != NULL; name++)
    {
      gsize len;
      g_autofree char *stream = ag_test_fixture_load ("response", *name, &len);

      assert_chunking_invariant (stream, len, 0);
    }
}

static const char oversized_stream[] =
  "data: small\n"
  "\n"
  "event: big\n"
  "data: 0123456789012345678901234567890123456789\n"
  "data: more that is dropped\n"
  "\n"
  "data: after\r\n"
  "\r\n"
  "data: 01234567890123456789012345678901234567890123456789 unterminated line that is long\n"
  "\n"
  "data: end\n"
  "\n";

static void
test_too_large (void)
{
  static const char *const expected[] = {
    "message\x1F" "small", "!too-large", "message\x1F" "after", "!too-large", "message\x1F" "end", NULL,
  };
  static const char *const expected_in_one_feed[] = {
    "message\x1F" "small", "message\x1F" "after", "message\x1F" "end", "!too-large", NULL,
  };
  g_autoptr(GPtrArray) by_line = NULL;
  g_autoptr(GPtrArray) whole = parse_cut (oversized_stream, strlen (oversized_stream), NULL, 0, 32);

  /* One feed reports its first error once, after parsing on past both oversized events. */
  assert_events (whole, expected_in_one_feed);

  /* Fed line by line, each error is reported by the feed that crosses the limit. */
  {
    g_autofree gsize *cuts = g_new (gsize, sizeof oversized_stream);
    gsize n = 0;

    for (gsize i = 0; oversized_stream[i] != '\0'; i++)
      if (oversized_stream[i] == '\n')
        cuts[n++] = i + 1;
    by_line = parse_cut (oversized_stream, strlen (oversized_stream), cuts, n, 32);
    assert_events (by_line, expected);
  }
}

static void
test_too_large_byte_by_byte (void)
{
  static const char *const expected[] = {
    "message\x1F" "small", "!too-large", "message\x1F" "after", "!too-large", "message\x1F" "end", NULL,
  };
  gsize len = strlen (oversized_stream);
  g_autofree gsize *cuts = g_new (gsize, len);
  g_autoptr(GPtrArray) events = NULL;

  for (gsize i = 0; i + 1 < len; i++)
    cuts[i] = i + 1;
  events = parse_cut (oversized_stream, len, cuts, len - 1, 32);
  assert_events (events, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sse-parser/rules", test_rules);
  g_test_add_func ("/sse-parser/cr-lf-across-feeds", test_cr_lf_across_feeds_is_one_line_end);
  g_test_add_func ("/sse-parser/lone-cr", test_lone_cr_is_a_line_end);
  g_test_add_func ("/sse-parser/partial-bom", test_partial_bom_is_data);
  g_test_add_func ("/sse-parser/event-name-resets", test_event_name_resets);
  g_test_add_func ("/sse-parser/finish-without-data", test_finish_without_data);
  g_test_add_func ("/sse-parser/every-split/mixed", test_every_split_mixed);
  g_test_add_func ("/sse-parser/every-split/fixtures", test_every_split_fixtures);
  g_test_add_func ("/sse-parser/too-large", test_too_large);
  g_test_add_func ("/sse-parser/too-large-byte-by-byte", test_too_large_byte_by_byte);
  return g_test_run ();
}
