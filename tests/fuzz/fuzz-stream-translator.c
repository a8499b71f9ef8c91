/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the upstream side of an answer as the proxy runs it: the input goes through the stream decoder (SSE, one
 * JSON parse per event, error detection) into the Anthropic back translator, read by read until the decoder says
 * stop, then to its end. The same input runs three times: with the event-function translator (every event well
 * framed, message_start first, nothing after message_stop, folded by the collector), with the SSE back translator
 * (its bytes must be exactly ag_sse_format_event of those events) and with the collected one (its response must be
 * the collector's). The end state must agree with what the client was shown. */
#include "fuzz-common.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-sse-writer.h"
#include "ag-stream-decoder.h"
#include "ag-stream-translator.h"
#include "ag-gemini-translator.h"
#include "ag-openai-chat-translator.h"
#include "ag-openai-responses-translator.h"

#include <string.h>

#define ID_SEED 7

typedef struct {
  AgMessageCollector *collector;
  GString            *formatted;
  guint               n_events;
  gboolean            stopped;
} Events;

typedef struct {
  AgStreamState state;
  GString      *output;
  gboolean      started;
  gboolean      has_error;
  gboolean      has_message;
} Result;

/* The decoder reports a skipped or oversized upstream event with a warning by design; anything else that warns is
 * a finding. */
static GLogWriterOutput
abort_on_unexpected (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  static const char *const expected[] = {
    "skipping a malformed upstream event", "skipping an upstream event: ", "ending the upstream stream: ",
  };
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  for (gsize i = 0; (level & G_LOG_LEVEL_WARNING) && message != NULL && i < G_N_ELEMENTS (expected); i++)
    if (g_str_has_prefix (message, expected[i]))
      return G_LOG_WRITER_HANDLED;
  return fuzz_abort_on_warnings (level, fields, n_fields, user_data);
}

static void
on_event (const char *event_name, JsonNode *data, gpointer user_data)
{
  Events *events = user_data;
  g_autoptr(GBytes) sse = NULL;

  g_assert_false (events->stopped);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "type"), ==, event_name);
  if (events->n_events++ == 0)
    g_assert_cmpstr (event_name, ==, "message_start");
  if (g_str_equal (event_name, "message_stop") || g_str_equal (event_name, "error"))
    events->stopped = TRUE;
  sse = ag_sse_format_event (event_name, data);
  g_string_append_len (events->formatted, g_bytes_get_data (sse, NULL), (gssize) g_bytes_get_size (sse));
  ag_message_collector_add_event (event_name, data, events->collector);
}

static void
take_output (AgBackTranslator *back, GString *output)
{
  g_autoptr(GBytes) bytes = ag_back_translator_take_output (back);

  if (bytes != NULL)
    g_string_append_len (output, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
}

/* The input through a decoder over @back, as the call drives it; @flags come from the input's last byte. */
static void
run (AgBackTranslator *back, const uint8_t *data, size_t size, guint8 flags, Result *result)
{
  g_autoptr(AgStreamDecoder) decoder = ag_stream_decoder_new (back);
  gsize step = (flags & 8) ? 1 : 16384;
  guint reads = 0;

  if (flags & 16)
    ag_stream_decoder_set_max_event_size (decoder, 300);
  result->state = AG_STREAM_STATE_READING;
  for (gsize offset = 0; offset < size && result->state == AG_STREAM_STATE_READING; offset += step)
    {
      result->state = ag_stream_decoder_feed (decoder, (const char *) data + offset, MIN (step, size - offset));
      /* Keepalives interleave with the reads in the proxy. */
      if (++reads % 3 == 0)
        ag_back_translator_ping (back);
      take_output (back, result->output);
    }
  if (result->state == AG_STREAM_STATE_READING)
    result->state = ag_stream_decoder_finish (decoder, (flags & 32) != 0);
  g_assert_cmpint (result->state, !=, AG_STREAM_STATE_READING);
  g_assert_cmpint (ag_stream_decoder_get_state (decoder), ==, result->state);
  result->started = ag_back_translator_started (back);
  result->has_error = ag_stream_decoder_get_error (decoder) != NULL;
  result->has_message = ag_stream_decoder_get_message (decoder) != NULL;
  /* What the call does next: a started answer that did not complete ends with an in-stream error. */
  if (result->state != AG_STREAM_STATE_COMPLETE && result->started)
    ag_back_translator_fail (back, "api_error", "cut short");
  take_output (back, result->output);
  {
    gint64 input, output, cached;

    ag_back_translator_get_usage (back, &input, &output, &cached);
    g_assert_true (input >= 0);
  }
}

static void
check_result (const Result *result)
{
  switch (result->state)
    {
    case AG_STREAM_STATE_COMPLETE:
      g_assert_false (result->has_error || result->has_message);
      break;
    case AG_STREAM_STATE_EMPTY:
    case AG_STREAM_STATE_FAILED_BEFORE_CONTENT:
      /* The answer is dropped: the client must not have been shown any of it. */
      g_assert_false (result->started);
      g_assert_cmpuint (result->output->len, ==, 0);
      g_assert_true (result->has_error == (result->state == AG_STREAM_STATE_FAILED_BEFORE_CONTENT));
      g_assert_false (result->has_message);
      break;
    case AG_STREAM_STATE_FAILED_AFTER_CONTENT:
      g_assert_true (result->has_error);
      g_assert_false (result->has_message);
      break;
    default:
      g_assert_false (result->has_error);
      g_assert_true (result->has_message);
      break;
    }
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_writer_func (abort_on_unexpected, NULL, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(AgToolNames) tool_names = ag_tool_names_new ();
  g_autoptr(AgMessageCollector) collector = ag_message_collector_new ();
  g_autoptr(GString) formatted = g_string_new (NULL);
  g_autoptr(GString) events_output = g_string_new (NULL);
  g_autoptr(GString) sse_output = g_string_new (NULL);
  g_autoptr(GString) message_output = g_string_new (NULL);
  g_autoptr(JsonNode) collected = NULL;
  g_autofree char *error_type = NULL;
  g_autoptr(GError) error = NULL;
  AgStreamOptions options = { 0 };
  Events events = { collector, formatted, 0, FALSE };
  Result by_events = { 0, events_output }, by_sse = { 0, sse_output }, by_message = { 0, message_output };
  guint8 flags;

  if (size == 0)
    return 0;
  /* The last byte picks the family, whether a client tool name was mapped, the reads (whole or bytewise), a small
   * event limit and whether an empty answer may be retried, so every path is reached while the seeds (plain SSE
   * files) still parse whole. */
  flags = data[size - 1];
  options.client_model = "claude-opus-4-6";
  options.family = (flags & 1) ? AG_MODEL_FAMILY_GEMINI : AG_MODEL_FAMILY_CLAUDE;
  options.tool_names = tool_names;
  options.usage_scale = (flags & 4) ? 0.5 : 0;
  if (flags & 2)
    ag_tool_names_to_upstream (tool_names, "mcp__server/tool name");

  g_random_set_seed (ID_SEED);
  run (ag_stream_translator_as_back_translator (ag_stream_translator_new (&options, on_event, &events)), data, size,
       flags, &by_events);
  g_random_set_seed (ID_SEED);
  run (ag_anthropic_back_translator_new (&options, TRUE), data, size, flags, &by_sse);
  g_random_set_seed (ID_SEED);
  run (ag_anthropic_back_translator_new (&options, FALSE), data, size, flags, &by_message);

  /* The other surfaces' back translators, streamed and whole: the same verdicts on the same stream. */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GString) surface_output = g_string_new (NULL);
      Result by_surface = { 0, surface_output };
      gboolean stream = i % 2 == 0;
      AgBackTranslator *back = i < 2 ? ag_openai_chat_back_translator_new (&options, stream)
                             : i < 4 ? ag_openai_responses_back_translator_new (&options, stream)
                                     : ag_gemini_back_translator_new (&options, stream);

      g_random_set_seed (ID_SEED);
      run (back, data, size, flags, &by_surface);
      if (stream)
        check_result (&by_surface);
      if (i < 4)
        g_assert_cmpint (by_surface.state == AG_STREAM_STATE_COMPLETE, ==, by_sse.state == AG_STREAM_STATE_COMPLETE);
    }

  g_assert_cmpuint (events_output->len, ==, 0);
  check_result (&by_events);
  check_result (&by_sse);
  /* All three read the same stream the same way. */
  g_assert_cmpint (by_sse.state, ==, by_events.state);
  g_assert_cmpint (by_sse.started, ==, by_events.started);
  g_assert_cmpstr (sse_output->str, ==, formatted->str);
  if (by_events.state == AG_STREAM_STATE_COMPLETE)
    g_assert_true (events.stopped);

  collected = ag_message_collector_finish (collector, &error_type, &error);
  if (by_events.state != AG_STREAM_STATE_COMPLETE)
    return 0;
  /* The collected translator ends where the others do, or cannot put together what the collector cannot. */
  if (collected == NULL)
    {
      g_assert_cmpint (by_message.state, ==, AG_STREAM_STATE_MALFORMED_ANSWER);
      g_assert_cmpuint (message_output->len, ==, 0);
    }
  else
    {
      g_autoptr(JsonNode) message = NULL;

      g_assert_cmpint (by_message.state, ==, AG_STREAM_STATE_COMPLETE);
      message = json_from_string (message_output->str, NULL);
      g_assert_nonnull (message);
      g_assert_true (json_node_equal (message, collected));
    }
  return 0;
}
