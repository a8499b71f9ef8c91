/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the Cloud Code stream → Anthropic state machine: the input goes through the SSE parser, each data
 * payload that parses as a JSON object is pushed (an "error" member goes to the Google error parser, as the
 * proxy does), then the stream finishes. Every emitted event must be well framed, start with message_start,
 * end with message_stop, serialise as SSE, and fold into one message in the collector. */
#include "fuzz-common.h"
#include "ag-google-error.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-sse-writer.h"
#include "ag-sse-parser.h"
#include "ag-stream-translator.h"

typedef struct {
  AgStreamTranslator *translator;
  AgMessageCollector *collector;
  guint               n_events;
  gboolean            stopped;
  guint               n_chunks;
} Run;

static void
on_event (const char *event_name, JsonNode *data, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GBytes) sse = NULL;

  g_assert_false (run->stopped);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "type"), ==, event_name);
  if (run->n_events++ == 0)
    g_assert_cmpstr (event_name, ==, "message_start");
  if (g_str_equal (event_name, "message_stop"))
    run->stopped = TRUE;
  sse = ag_sse_format_event (event_name, data);
  g_assert_cmpuint (g_bytes_get_size (sse), >, 0);
  ag_message_collector_add_event (event_name, data, run->collector);
}

static void
on_sse (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) data_len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  if (json_object_has_member (json_node_get_object (root), "error"))
    {
      g_autoptr (AgGoogleError) google_error = ag_google_error_parse (200, data, data_len);

      g_assert_nonnull (google_error->message);
      return;
    }
  if (!ag_stream_translator_push (run->translator, json_node_get_object (root), &error))
    g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
  /* Keepalive pings interleave with content in the proxy. */
  if (++run->n_chunks % 3 == 0)
    ag_stream_translator_ping (run->translator);
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
  g_autoptr (AgToolNames) tool_names = ag_tool_names_new ();
  g_autoptr (AgSignatureCache) signatures = ag_signature_cache_new ();
  g_autoptr (AgMessageCollector) collector = ag_message_collector_new ();
  g_autoptr (AgStreamTranslator) translator = NULL;
  g_autoptr (AgSseParser) parser = NULL;
  g_autoptr (JsonNode) message = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *error_type = NULL;
  AgStreamOptions options = { 0 };
  Run run = { 0 };
  gint64 input, output, cached;

  if (size == 0)
    return 0;
  /* The last byte picks the family, whether a client tool name was mapped and whether the stream fails, so
   * every path is reached while the seeds (plain SSE files) still parse whole. */
  options.client_model = "claude-opus-4-6";
  options.family = (data[size - 1] & 1) ? AG_MODEL_FAMILY_GEMINI : AG_MODEL_FAMILY_CLAUDE;
  options.tool_names = tool_names;
  options.signatures = signatures;
  if (data[size - 1] & 2)
    ag_tool_names_to_upstream (tool_names, "mcp__server/tool name");
  translator = ag_stream_translator_new (&options, on_event, &run);
  run.translator = translator;
  run.collector = collector;
  parser = ag_sse_parser_new (on_sse, &run);
  if (!ag_sse_parser_feed (parser, (const char *) data, size, &error))
    g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_TOO_LARGE);
  ag_sse_parser_finish (parser);
  /* The proxy fails a stream only once it started (before that, the client gets a real HTTP error). */
  if ((data[size - 1] & 4) && ag_stream_translator_started (translator))
    ag_stream_translator_fail (translator, "api_error", "cut short");
  else
    ag_stream_translator_finish (translator);
  ag_stream_translator_finish (translator);
  g_assert_true (ag_stream_translator_started (translator));
  ag_stream_translator_get_usage (translator, &input, &output, &cached);

  g_clear_error (&error);
  message = ag_message_collector_finish (collector, &error_type, &error);
  if (message != NULL)
    {
      g_autofree char *text = json_to_string (message, FALSE);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (message));
      g_assert_nonnull (text);
    }
  else
    g_assert_nonnull (error);
  return 0;
}
