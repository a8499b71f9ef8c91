/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the stream decoder: the recorded streams through each kind of back translator and in every chunking,
 * and each way a stream can end — with the state, the message, the error and the client's bytes each gives. */
#include "ag-stream-decoder.h"
#include "ag-protocol-error.h"
#include "ag-sse-parser.h"
#include "ag-stream-translator.h"
#include "ag-test.h"

#include <string.h>

/* ---- warnings: malformed upstream events are reported with one warning each, which must not be fatal here -- */

static GPtrArray *warnings;

static GLogWriterOutput
record_warnings (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if ((level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "ag-cl-protocol") == 0)
    {
      g_ptr_array_add (warnings, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* ---- running a stream ----------------------------------------------------------------------------------- */

typedef enum {
  CHUNKS_WHOLE,   /* one read */
  CHUNKS_BYTES,   /* one byte per read */
  CHUNKS_ODD,     /* reads of 1, 2, 3 … 17 bytes, over and over */
} Chunking;

static const char *const chunking_names[] = { "whole", "bytes", "odd" };

typedef enum {
  OUT_EVENTS,    /* an event-function translator, recorded as [{event, data}] */
  OUT_SSE,       /* the SSE back translator's bytes */
  OUT_MESSAGE,   /* the collected back translator's response */
} OutputKind;

typedef struct {
  AgStreamDecoder *decoder;
  JsonArray       *events;       /* OUT_EVENTS */
  GString         *output;       /* OUT_SSE, OUT_MESSAGE: everything taken from the output */
  AgStreamState    fed;          /* the state the last feed returned */
  guint            feeds;        /* feeds that returned READING */
  AgToolNames     *tool_names;
} Run;

#define ID_SEED 4242

static void
run_init (Run *run, OutputKind kind, AgModelFamily family)
{
  AgStreamOptions options = { 0 };
  AgBackTranslator *back;

  memset (run, 0, sizeof *run);
  run->tool_names = ag_tool_names_new ();
  ag_tool_names_to_upstream (run->tool_names, "mcp__files/list");
  options.client_model = "claude-sonnet-4-6";
  options.family = family;
  options.tool_names = run->tool_names;
  run->output = g_string_new (NULL);
  g_random_set_seed (ID_SEED);
  if (kind == OUT_EVENTS)
    {
      run->events = json_array_new ();
      back = ag_stream_translator_as_back_translator (ag_stream_translator_new (&options, ag_test_record_event,
                                                                                run->events));
    }
  else
    back = ag_anthropic_back_translator_new (&options, kind == OUT_SSE);
  run->decoder = ag_stream_decoder_new (back);
}

static void
run_clear (Run *run)
{
  ag_stream_decoder_free (run->decoder);
  g_clear_pointer (&run->events, json_array_unref);
  g_string_free (run->output, TRUE);
  ag_tool_names_unref (run->tool_names);
}

static void
take_output (Run *run)
{
  g_autoptr(GBytes) bytes = ag_back_translator_take_output (ag_stream_decoder_get_back_translator (run->decoder));

  if (bytes != NULL)
    g_string_append_len (run->output, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
}

/* Feeds @sse as a caller would: read by read until the decoder says stop; returns the last state. */
static AgStreamState
run_feed (Run *run, const char *sse, gsize len, Chunking chunking)
{
  gsize offset = 0;
  gsize step = 1;

  run->fed = AG_STREAM_STATE_READING;
  while (offset < len && run->fed == AG_STREAM_STATE_READING)
    {
      gsize n = chunking == CHUNKS_WHOLE ? len : chunking == CHUNKS_BYTES ? 1 : step;

      n = MIN (n, len - offset);
      run->fed = ag_stream_decoder_feed (run->decoder, sse + offset, n);
      take_output (run);
      if (run->fed == AG_STREAM_STATE_READING)
        run->feeds++;
      offset += n;
      step = step % 17 + 1;
    }
  return run->fed;
}

/* The whole stream, then its end unless a feed already ended it. */
static AgStreamState
run_stream (Run *run, const char *sse, gsize len, Chunking chunking, gboolean may_retry_empty)
{
  AgStreamState state = run_feed (run, sse, len, chunking);

  if (state == AG_STREAM_STATE_READING)
    state = ag_stream_decoder_finish (run->decoder, may_retry_empty);
  take_output (run);
  g_assert_cmpint (ag_stream_decoder_get_state (run->decoder), ==, state);
  return state;
}

static void
collect_sse_event (const char *event, const char *data, gsize data_len, gpointer events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (data, &error);

  g_assert_no_error (error);
  ag_test_record_event (event, node, events);
}

/* The client's SSE bytes read back as [{event, data}], ids normalized. */
static JsonNode *
sse_events (const GString *sse)
{
  g_autoptr(JsonArray) events = json_array_new ();
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (collect_sse_event, events);
  JsonNode *node;

  g_assert_true (ag_sse_parser_feed (parser, sse->str, sse->len, NULL));
  ag_sse_parser_finish (parser);
  node = json_node_init_array (json_node_alloc (), events);
  ag_test_normalize_ids (node, NULL);
  return node;
}

/* ---- the recorded streams -------------------------------------------------------------------------------- */

typedef struct {
  const AgTestResponseFixture *fixture;
  OutputKind             kind;
  Chunking               chunking;
} FixtureCase;

static void
test_fixture (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autofree char *sse_name = g_strconcat (c->fixture->name, ".sse", NULL);
  g_autofree char *expected_name = g_strconcat (c->fixture->name, c->kind == OUT_MESSAGE ? ".message.json"
                                                                                         : ".events.json", NULL);
  gsize len;
  g_autofree char *sse = ag_test_fixture_load ("response", sse_name, &len);
  g_autoptr(JsonNode) expected = ag_test_fixture_load_json ("response", expected_name);
  g_autoptr(JsonNode) actual = NULL;
  gboolean empty = g_str_equal (c->fixture->name, "empty");
  AgBackTranslator *back;
  Run run;

  run_init (&run, c->kind, c->fixture->family);
  /* An empty answer may be asked for again; when it may not, it ends like any other. */
  if (empty)
    {
      Run retry;

      run_init (&retry, c->kind, c->fixture->family);
      g_assert_cmpint (run_stream (&retry, sse, len, c->chunking, TRUE), ==, AG_STREAM_STATE_EMPTY);
      g_assert_cmpuint (retry.output->len, ==, 0);
      g_assert_null (retry.events != NULL && json_array_get_length (retry.events) > 0 ? "events" : NULL);
      run_clear (&retry);
    }
  g_assert_cmpint (run_stream (&run, sse, len, c->chunking, FALSE), ==, AG_STREAM_STATE_COMPLETE);
  g_assert_null (ag_stream_decoder_get_message (run.decoder));
  g_assert_null (ag_stream_decoder_get_error (run.decoder));
  g_assert_cmpuint (ag_stream_decoder_get_n_events (run.decoder), >, 0);
  back = ag_stream_decoder_get_back_translator (run.decoder);
  g_assert_cmpint (ag_back_translator_is_empty (back), ==, empty);

  switch (c->kind)
    {
    case OUT_EVENTS:
      g_assert_cmpuint (run.output->len, ==, 0);
      actual = json_node_init_array (json_node_alloc (), run.events);
      ag_test_normalize_ids (actual, NULL);
      break;
    case OUT_SSE:
      actual = sse_events (run.output);
      break;
    case OUT_MESSAGE:
      actual = json_from_string (run.output->str, NULL);
      g_assert_nonnull (actual);
      ag_test_normalize_ids (actual, NULL);
      break;
    }
  ag_test_assert_json_equal (actual, expected);
  run_clear (&run);
}

/* ---- each way a stream ends ---------------------------------------------------------------------------- */

#define CHUNK(parts, extra) \
  "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" parts "]}" extra "}]}}\n\n"
#define TEXT(text) CHUNK ("{\"text\":\"" text "\"}", "")
#define STOP CHUNK ("", ",\"finishReason\":\"STOP\"")
#define USAGE_ONLY "data: {\"response\":{\"usageMetadata\":{\"promptTokenCount\":9}}}\n\n"
#define RATE_LIMITED                                                                                        \
  "data: {\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"Rate limited. Your quota " \
  "will reset after 2s.\"}}\n\n"
/* 140 bytes of data: over a limit of 130, which the other events here stay under. */
#define LONG_EVENT                                                                                           \
  "data: {\"response\":\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901" \
  "23456789012345678901234567890123456789\"}\n\n"
#define OUTDATED "This version of Antigravity is no longer supported. Please update to receive the latest features!"

typedef struct {
  const char       *name;
  const char       *sse;
  gboolean          may_retry_empty;
  gsize             max_event_size;     /* 0: the default */
  AgStreamState     state;
  const char       *message;            /* the 502's message, or NULL */
  AgUpstreamFailure error_kind;         /* the error's class, for the FAILED states */
  guint             error_status;
  guint             warnings;
  const char *const output_has[4];      /* substrings of the SSE output, NULL-terminated */
  const char *const output_lacks[3];
} EndCase;

static const EndCase end_cases[] = {
  { "complete", TEXT ("Hello") STOP, TRUE, 0, AG_STREAM_STATE_COMPLETE, NULL, 0, 0, 0,
    { "\"text\":\"Hello\"", "\"stop_reason\":\"end_turn\"", "event: message_stop\n", NULL } },
  { "empty-may-retry", CHUNK ("{\"text\":\"\"}", ",\"finishReason\":\"STOP\""), TRUE, 0, AG_STREAM_STATE_EMPTY,
    NULL, 0, 0, 0, { NULL }, { "event:" } },
  { "empty-last-try", CHUNK ("{\"text\":\"\"}", ",\"finishReason\":\"STOP\""), FALSE, 0, AG_STREAM_STATE_COMPLETE,
    NULL, 0, 0, 0, { "event: message_start\n", "event: message_stop\n", NULL }, { "content_block" } },
  { "nothing-may-retry", ": keepalive\n\n", TRUE, 0, AG_STREAM_STATE_EMPTY, NULL, 0, 0, 0, { NULL }, { "event:" } },
  { "nothing-received", ": keepalive\n\n", FALSE, 0, AG_STREAM_STATE_NOTHING_RECEIVED,
    "Cloud Code ended the stream without sending any content", 0, 0, 0, { NULL }, { "event:" } },
  { "nothing-but-malformed", "data: {not json\n\ndata: [1,2]\n\ndata: {\"traceId\":\"t\"}\n\n", FALSE, 0,
    AG_STREAM_STATE_NOTHING_RECEIVED, "Cloud Code ended the stream without sending any content", 0, 0, 3,
    { NULL }, { "event:" } },
  { "metadata-only", USAGE_ONLY, FALSE, 0, AG_STREAM_STATE_TRUNCATED,
    "the connection to Cloud Code ended before the answer was complete", 0, 0, 0, { NULL }, { "event:" } },
  { "truncated", TEXT ("Hel"), TRUE, 0, AG_STREAM_STATE_TRUNCATED,
    "the connection to Cloud Code ended before the answer was complete", 0, 0, 0,
    { "\"text\":\"Hel\"", NULL }, { "message_stop", "\"error\"" } },
  { "malformed-skipped", TEXT ("a") "data: {oops\n\n" "data: {\"traceId\":\"t\"}\n\n" TEXT ("b") STOP, FALSE, 0,
    AG_STREAM_STATE_COMPLETE, NULL, 0, 0, 2, { "\"text\":\"a\"", "\"text\":\"b\"", "message_stop", NULL } },
  { "error-before-content", USAGE_ONLY RATE_LIMITED TEXT ("never shown"), TRUE, 0,
    AG_STREAM_STATE_FAILED_BEFORE_CONTENT, NULL, AG_UPSTREAM_FAILURE_RATE_LIMIT, 429, 0, { NULL },
    { "event:", "never shown" } },
  { "error-after-content", TEXT ("partial") RATE_LIMITED TEXT ("never shown"), TRUE, 0,
    AG_STREAM_STATE_FAILED_AFTER_CONTENT, NULL, AG_UPSTREAM_FAILURE_RATE_LIMIT, 429, 0,
    { "\"text\":\"partial\"", NULL }, { "never shown", "message_stop" } },
  { "oauth-error-before-content", "data: {\"error\":\"invalid_grant\"}\n\n", TRUE, 0,
    AG_STREAM_STATE_FAILED_BEFORE_CONTENT, NULL, AG_UPSTREAM_FAILURE_AUTH, 200, 0, { NULL }, { "event:" } },
  { "error-as-last-line", TEXT ("x") "data: {\"error\":{\"code\":503,\"message\":\"overloaded\"}}", TRUE, 0,
    AG_STREAM_STATE_FAILED_AFTER_CONTENT, NULL, AG_UPSTREAM_FAILURE_CAPACITY, 503, 0, { "\"text\":\"x\"", NULL },
    { "message_stop" } },
  { "outdated-notice", TEXT (OUTDATED) STOP, TRUE, 0, AG_STREAM_STATE_FAILED_BEFORE_CONTENT, NULL,
    AG_UPSTREAM_FAILURE_CLIENT_OUTDATED, 200, 0, { NULL }, { "event:" } },
  { "outdated-text-inside-answer", TEXT ("Quoting: ") TEXT (OUTDATED) STOP, TRUE, 0, AG_STREAM_STATE_COMPLETE,
    NULL, 0, 0, 0, { "no longer supported", "message_stop", NULL } },
  { "error-inside-response-skipped", TEXT ("a") "data: {\"response\":{\"error\":{\"message\":\"odd\"}}}\n\n" STOP,
    TRUE, 0, AG_STREAM_STATE_COMPLETE, NULL, 0, 0, 1, { "\"text\":\"a\"", "message_stop", NULL } },
  { "oversized-event", TEXT ("a") "data: {\"response\":\"" "0123456789012345678901234567890123456789"
    "0123456789012345678901234567890123456789" "\"}\n\n" TEXT ("after"), TRUE, 100,
    AG_STREAM_STATE_OVERSIZED_EVENT, "Upstream event exceeds 100 bytes", 0, 0, 1,
    { "\"text\":\"a\"", "\"text\":\"after\"", NULL }, { "message_stop" } },
  { "oversized-after-content", TEXT ("a") LONG_EVENT, TRUE, 130, AG_STREAM_STATE_OVERSIZED_EVENT,
    "Upstream event exceeds 130 bytes", 0, 0, 1, { "\"text\":\"a\"", NULL } },
  { "oversized-after-error-before-content", RATE_LIMITED LONG_EVENT, TRUE, 130,
    AG_STREAM_STATE_OVERSIZED_EVENT, "Upstream event exceeds 130 bytes", 0, 0, 1, { NULL }, { "event:" } },
  { "error-after-content-beats-oversized", TEXT ("a") RATE_LIMITED LONG_EVENT, TRUE, 130,
    AG_STREAM_STATE_FAILED_AFTER_CONTENT, NULL, AG_UPSTREAM_FAILURE_RATE_LIMIT, 429, 0, { "\"text\":\"a\"", NULL } },
};

static void
assert_end_case (const EndCase *c, Run *run, AgStreamState state)
{
  const AgGoogleError *error = ag_stream_decoder_get_error (run->decoder);

  g_assert_cmpstr (ag_stream_state_to_string (state), ==, ag_stream_state_to_string (c->state));
  g_assert_cmpstr (ag_stream_decoder_get_message (run->decoder), ==, c->message);
  if (c->state == AG_STREAM_STATE_FAILED_BEFORE_CONTENT || c->state == AG_STREAM_STATE_FAILED_AFTER_CONTENT)
    {
      g_assert_nonnull (error);
      g_assert_cmpint (error->kind, ==, c->error_kind);
      g_assert_cmpuint (error->http_status, ==, c->error_status);
      if (c->error_kind == AG_UPSTREAM_FAILURE_CLIENT_OUTDATED)
        g_assert_cmpstr (error->message, ==, OUTDATED);
    }
  else
    g_assert_null (error);
  for (const char *const *s = c->output_has; *s != NULL; s++)
    if (strstr (run->output->str, *s) == NULL)
      g_error ("%s: the output lacks %s:\n%s", c->name, *s, run->output->str);
  for (gsize i = 0; i < G_N_ELEMENTS (c->output_lacks) && c->output_lacks[i] != NULL; i++)
    if (strstr (run->output->str, c->output_lacks[i]) != NULL)
      g_error ("%s: the output has %s:\n%s", c->name, c->output_lacks[i], run->output->str);
}

static void
test_end (gconstpointer data)
{
  const EndCase *c = data;
  g_autoptr(GString) whole_output = NULL;
  guint64 whole_events = 0;

  for (Chunking chunking = CHUNKS_WHOLE; chunking <= CHUNKS_ODD; chunking++)
    {
      AgStreamState state;
      Run run;

      /* An oversized event is only noticed where its read crosses the limit; the events after it in that read are
       * still decoded, so the output depends on the reads: the one-read run is the one that is checked. */
      if (chunking != CHUNKS_WHOLE && c->state == AG_STREAM_STATE_OVERSIZED_EVENT)
        continue;
      g_test_message ("%s in %s reads", c->name, chunking_names[chunking]);
      g_ptr_array_set_size (warnings, 0);
      run_init (&run, OUT_SSE, AG_MODEL_FAMILY_GEMINI);
      if (c->max_event_size > 0)
        ag_stream_decoder_set_max_event_size (run.decoder, c->max_event_size);
      state = run_stream (&run, c->sse, strlen (c->sse), chunking, c->may_retry_empty);
      assert_end_case (c, &run, state);
      g_assert_cmpuint (warnings->len, ==, c->warnings);
      /* Every chunking gives the client the same bytes. */
      if (chunking == CHUNKS_WHOLE)
        {
          whole_output = g_string_new (run.output->str);
          whole_events = ag_stream_decoder_get_n_events (run.decoder);
        }
      else
        {
          g_assert_cmpstr (run.output->str, ==, whole_output->str);
          g_assert_cmpuint (ag_stream_decoder_get_n_events (run.decoder), ==, whole_events);
        }
      /* The end is final: more bytes, another end or a read failure change nothing. */
      g_assert_cmpint (ag_stream_decoder_feed (run.decoder, TEXT ("late") STOP, strlen (TEXT ("late") STOP)), ==,
                       state);
      g_assert_cmpint (ag_stream_decoder_finish (run.decoder, FALSE), ==, state);
      g_assert_cmpint (ag_stream_decoder_get_n_events (run.decoder), ==, whole_events);
      take_output (&run);
      g_assert_cmpstr (run.output->str, ==, whole_output->str);
      run_clear (&run);
    }
}

/* A stopping state is returned by the feed that brought it, and the rest of that read is left alone. */
static void
test_feed_stops_early (void)
{
  static const char sse[] = TEXT ("a") RATE_LIMITED TEXT ("b") STOP;
  Run run;

  run_init (&run, OUT_SSE, AG_MODEL_FAMILY_GEMINI);
  g_assert_cmpint (run_feed (&run, sse, strlen (sse), CHUNKS_BYTES), ==, AG_STREAM_STATE_FAILED_AFTER_CONTENT);
  g_assert_cmpuint (run.feeds, ==, strlen (TEXT ("a") RATE_LIMITED) - 1);
  g_assert_cmpuint (ag_stream_decoder_get_n_events (run.decoder), ==, 2);
  {
    g_autoptr(AgGoogleError) error = ag_stream_decoder_steal_error (run.decoder);

    g_assert_nonnull (error);
    g_assert_null (ag_stream_decoder_get_error (run.decoder));
    g_assert_cmpint (error->kind, ==, AG_UPSTREAM_FAILURE_RATE_LIMIT);
    g_assert_cmpint (error->retry_delay_ms, ==, 2000);
  }
  /* The caller ends the started answer with an in-stream error. */
  ag_back_translator_fail (ag_stream_decoder_get_back_translator (run.decoder), "rate_limit_error", "Rate limited");
  take_output (&run);
  g_assert_true (g_str_has_suffix (run.output->str, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
                                                    "\"rate_limit_error\",\"message\":\"Rate limited\"}}\n\n"));
  run_clear (&run);
}

static void
test_read_failed (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Connection reset");
  Run run;

  run_init (&run, OUT_SSE, AG_MODEL_FAMILY_GEMINI);
  g_assert_cmpint (run_feed (&run, TEXT ("partial"), strlen (TEXT ("partial")), CHUNKS_WHOLE), ==,
                   AG_STREAM_STATE_READING);
  g_assert_cmpint (ag_stream_decoder_read_failed (run.decoder, error), ==, AG_STREAM_STATE_READ_FAILED);
  g_assert_cmpstr (ag_stream_decoder_get_message (run.decoder), ==,
                   "the connection to Cloud Code failed mid-answer: Connection reset");
  g_assert_cmpint (ag_stream_decoder_finish (run.decoder, TRUE), ==, AG_STREAM_STATE_READ_FAILED);
  run_clear (&run);
}

/* A collected answer whose tool input json-glib writes as "1e+22.0" (its generator appends ".0" to any double
 * printed without a point) cannot be read back: the answer cannot be put together. */
static void
test_malformed_answer (void)
{
  static const char sse[] =
    CHUNK ("{\"functionCall\":{\"name\":\"Calc\",\"id\":\"t1\",\"args\":{\"x\":1e22}}}", ",\"finishReason\":\"STOP\"");
  Run run;

  run_init (&run, OUT_MESSAGE, AG_MODEL_FAMILY_CLAUDE);
  g_assert_cmpint (run_stream (&run, sse, strlen (sse), CHUNKS_WHOLE, TRUE), ==, AG_STREAM_STATE_MALFORMED_ANSWER);
  g_assert_cmpstr (ag_stream_decoder_get_message (run.decoder), ==,
                   "Tool call t1 has input that is not a JSON object");
  g_assert_cmpuint (run.output->len, ==, 0);
  run_clear (&run);
}

/* Keepalives go through the back translator: an event inside a started answer, nothing before it. */
static void
test_keepalive (void)
{
  Run run;
  AgBackTranslator *back;

  run_init (&run, OUT_SSE, AG_MODEL_FAMILY_GEMINI);
  back = ag_stream_decoder_get_back_translator (run.decoder);
  g_assert_false (ag_back_translator_ping (back));
  run_feed (&run, USAGE_ONLY, strlen (USAGE_ONLY), CHUNKS_WHOLE);
  g_assert_false (ag_back_translator_ping (back));
  g_assert_cmpuint (run.output->len, ==, 0);
  run_feed (&run, TEXT ("hi"), strlen (TEXT ("hi")), CHUNKS_WHOLE);
  g_assert_true (ag_back_translator_ping (back));
  take_output (&run);
  g_assert_true (g_str_has_suffix (run.output->str, "event: ping\ndata: {\"type\":\"ping\"}\n\n"));
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  static const char *const kind_names[] = { "events", "sse", "message" };
  g_autoptr(GPtrArray) fixture_cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);
  warnings = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (record_warnings, NULL, NULL);

  for (gsize i = 0; i < ag_test_response_n_fixtures; i++)
    for (OutputKind kind = OUT_EVENTS; kind <= OUT_MESSAGE; kind++)
      for (Chunking chunking = CHUNKS_WHOLE; chunking <= CHUNKS_ODD; chunking++)
        {
          FixtureCase *c = g_new0 (FixtureCase, 1);
          g_autofree char *path = g_strdup_printf ("/stream-decoder/fixture/%s/%s/%s", ag_test_response_fixtures[i].name,
                                                   kind_names[kind], chunking_names[chunking]);

          c->fixture = &ag_test_response_fixtures[i];
          c->kind = kind;
          c->chunking = chunking;
          g_ptr_array_add (fixture_cases, c);
          g_test_add_data_func (path, c, test_fixture);
        }
  for (gsize i = 0; i < G_N_ELEMENTS (end_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/stream-decoder/end/", end_cases[i].name, NULL);

      g_test_add_data_func (path, &end_cases[i], test_end);
    }
  g_test_add_func ("/stream-decoder/feed-stops-early", test_feed_stops_early);
  g_test_add_func ("/stream-decoder/read-failed", test_read_failed);
  g_test_add_func ("/stream-decoder/malformed-answer", test_malformed_answer);
  g_test_add_func ("/stream-decoder/keepalive", test_keepalive);
  return g_test_run ();
}
