/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for the Cloud Code → Anthropic stream state machine: recorded-style upstream streams against the exact
 * expected event sequences, signatures carried to the client, usage, and the error/ping/empty paths. */
#include "ag-stream-translator.h"
#include "ag-protocol-error.h"
#include "ag-signature-carrier.h"
#include "ag-sse-parser.h"
#include "ag-sse-writer.h"
#include "ag-test.h"

#include <string.h>

#define SIG_C1 "EqQDCkYIBhgCKkBvGq1lX3kq9Zc0wYtQm7pH2s8dF4jN6uR1aE5bV0cT9yW3xK2oL8iM7nJ6hG5fD4eS3a"
#define SIG_C2 "EuYBCkYIBhgCKkDxR7mQ2pL9sW4vK8jN3hT6yB1cF5gA0eZ7uI2oP9lM4nX6qS8rD3wE1tY5vC7bH0kJ2g"
#define SIG_G1 "CiQBjz1rX8K3mQ7pL2sW9vN4hT6yB1cF5gA0eZ7uI2oP9lM4nX6qS8rD3wE1tY5vC7bH0kJ2gR4fQ8zA1"
#define SIG_G2 "Ct0BAY89a1+qR7mQ2pL9sW4vK8jN3hT6yB1cF5gA0eZ7uI2oP9lM4nX6qS8rD3wE1tY5vC7bH0kJ2gR4fQ"

typedef struct {
  AgToolNames        *tool_names;
  JsonArray          *events;
  GPtrArray          *tool_ids;   /* generated tool_use ids, in order */
  AgStreamTranslator *translator;
} Run;

static void
run_init (Run *run, AgModelFamily family)
{
  AgStreamOptions options = { 0 };

  run->tool_names = ag_tool_names_new ();
  /* An MCP-style client name that upstream cannot take; the fixtures call it by its safe name. */
  g_assert_cmpstr (ag_tool_names_to_upstream (run->tool_names, "mcp__files/list"), ==, "mcp__files_list");
  run->events = json_array_new ();
  run->tool_ids = g_ptr_array_new_with_free_func (g_free);
  options.client_model = "claude-sonnet-4-6";
  options.family = family;
  options.tool_names = run->tool_names;
  run->translator = ag_stream_translator_new (&options, ag_test_record_event, run->events);
}

static void
run_clear (Run *run)
{
  ag_stream_translator_free (run->translator);
  ag_tool_names_unref (run->tool_names);
  json_array_unref (run->events);
  g_ptr_array_unref (run->tool_ids);
}

static JsonNode *
events_node (Run *run)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), run->events);

  ag_test_normalize_ids (node, run->tool_ids);
  return node;
}

static void
run_fixture (Run *run, const char *name, AgModelFamily family)
{
  g_autofree char *sse_name = g_strconcat (name, ".sse", NULL);
  g_autofree char *events_name = g_strconcat (name, ".events.json", NULL);
  gsize len;
  g_autofree char *sse = ag_test_fixture_load ("response", sse_name, &len);
  g_autoptr(JsonNode) expected = ag_test_fixture_load_json ("response", events_name);
  g_autoptr(JsonNode) actual = NULL;

  run_init (run, family);
  ag_test_run_stream (run->translator, sse, len);
  actual = events_node (run);
  ag_test_assert_json_equal (actual, expected);
}

static void
test_fixture (gconstpointer data)
{
  const AgTestResponseFixture *fixture = data;
  Run run;

  run_fixture (&run, fixture->name, fixture->family);
  g_assert_cmpint (ag_stream_translator_is_empty (run.translator), ==, g_str_equal (fixture->name, "empty"));
  g_assert_true (ag_stream_translator_started (run.translator));
  run_clear (&run);
}

/* The signature_delta values the client got, unwrapped, in order; each must be one ag-cl issued for @family. */
static GPtrArray *
thinking_signatures (Run *run, AgModelFamily expected)
{
  GPtrArray *signatures = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (run->events); i++)
    {
      JsonObject *data = json_object_get_object_member (json_array_get_object_element (run->events, i), "data");
      JsonObject *delta = json_object_has_member (data, "delta") ? json_object_get_object_member (data, "delta") : NULL;
      AgModelFamily family = expected == AG_MODEL_FAMILY_CLAUDE ? AG_MODEL_FAMILY_GEMINI : AG_MODEL_FAMILY_CLAUDE;
      const char *carried;

      if (delta == NULL || g_strcmp0 (json_object_get_string_member_with_default (delta, "type", ""),
                                      "signature_delta") != 0)
        continue;
      carried = json_object_get_string_member (delta, "signature");
      g_assert_nonnull (ag_signature_carrier_unwrap_thinking (carried, &family));
      g_assert_cmpint (family, ==, expected);
      g_ptr_array_add (signatures, g_strdup (ag_signature_carrier_unwrap_thinking (carried, NULL)));
    }
  return signatures;
}

/* The signature a tool_use id carries (NULL: none) and the id without it. */
static char *
carried_tool_signature (const char *id, char **upstream_id)
{
  char *signature = NULL;
  g_autofree char *base = ag_signature_carrier_unwrap_tool_id (id, &signature);

  if (upstream_id != NULL)
    *upstream_id = g_steal_pointer (&base);
  return signature;
}

static void
test_signatures_claude_thinking (void)
{
  Run run;
  g_autoptr(GPtrArray) signatures = NULL;

  run_fixture (&run, "thinking-text", AG_MODEL_FAMILY_CLAUDE);
  signatures = thinking_signatures (&run, AG_MODEL_FAMILY_CLAUDE);
  g_assert_cmpuint (signatures->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (signatures, 0), ==, SIG_C1);
  run_clear (&run);
}

/* Claude's signature on the call signs the thinking before it; the call's id is Claude's own, with nothing added. */
static void
test_signatures_claude_tool (void)
{
  Run run;
  g_autoptr(GPtrArray) signatures = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autofree char *json = NULL;

  run_fixture (&run, "thinking-tool-claude", AG_MODEL_FAMILY_CLAUDE);
  signatures = thinking_signatures (&run, AG_MODEL_FAMILY_CLAUDE);
  g_assert_cmpuint (signatures->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (signatures, 0), ==, SIG_C2);
  events = json_node_init_array (json_node_alloc (), run.events);
  json = json_to_string (events, FALSE);
  g_assert_nonnull (strstr (json, "\"id\":\"toolu_vrtx_01PDbPTJ7qXw\""));
  run_clear (&run);
}

/* Gemini signs the first of parallel calls: that id carries the signature, the second carries none. */
static void
test_signatures_gemini_parallel (void)
{
  Run run;
  g_autoptr(GPtrArray) signatures = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_base = NULL;

  run_fixture (&run, "parallel-calls-gemini", AG_MODEL_FAMILY_GEMINI);
  g_assert_cmpuint (run.tool_ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (run.tool_ids, 0), !=, g_ptr_array_index (run.tool_ids, 1));
  first = carried_tool_signature (g_ptr_array_index (run.tool_ids, 0), &first_base);
  second = carried_tool_signature (g_ptr_array_index (run.tool_ids, 1), NULL);
  g_assert_cmpstr (first, ==, SIG_G1);
  g_assert_cmpuint (strlen (first_base), ==, strlen ("toolu_") + 24);
  g_assert_null (second);
  signatures = thinking_signatures (&run, AG_MODEL_FAMILY_GEMINI);
  g_assert_cmpuint (signatures->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (signatures, 0), ==, SIG_G1);
  run_clear (&run);
}

static void
test_signatures_gemini_on_text (void)
{
  Run run;
  g_autoptr(GPtrArray) signatures = NULL;
  g_autofree char *carried = NULL;

  run_fixture (&run, "signature-on-text-gemini", AG_MODEL_FAMILY_GEMINI);
  g_assert_cmpuint (run.tool_ids->len, ==, 1);
  carried = carried_tool_signature (g_ptr_array_index (run.tool_ids, 0), NULL);
  g_assert_cmpstr (carried, ==, SIG_G2);
  /* No thinking block carried it, so the client got no thinking signature. */
  signatures = thinking_signatures (&run, AG_MODEL_FAMILY_GEMINI);
  g_assert_cmpuint (signatures->len, ==, 0);
  run_clear (&run);
}

static void
test_usage (void)
{
  Run run;
  gint64 input = -1, output = -1, cache_read = -1;

  run_fixture (&run, "cached-usage", AG_MODEL_FAMILY_CLAUDE);
  ag_stream_translator_get_usage (run.translator, &input, &output, &cache_read);
  g_assert_cmpint (input, ==, 176);
  g_assert_cmpint (output, ==, 125);
  g_assert_cmpint (cache_read, ==, 1024);
  run_clear (&run);
}

/* Pushes each chunk of @chunks (JSON texts) and finishes; returns the normalized events. */
static JsonNode *
translate_chunks (Run *run, AgModelFamily family, const char *const *chunks)
{
  run_init (run, family);
  for (; *chunks != NULL; chunks++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) chunk = json_from_string (*chunks, &error);

      g_assert_no_error (error);
      g_assert_true (ag_stream_translator_push (run->translator, json_node_get_object (chunk), &error));
      g_assert_no_error (error);
    }
  ag_stream_translator_finish (run->translator);
  return events_node (run);
}

static void
assert_events_json (JsonNode *actual, const char *expected_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expected = json_from_string (expected_json, &error);

  g_assert_no_error (error);
  ag_test_assert_json_equal (actual, expected);
}

#define START(in) \
  "{\"event\":\"message_start\",\"data\":{\"type\":\"message_start\",\"message\":{\"id\":\"msg_RANDOM\"," \
  "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],"          \
  "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" #in ",\"output_tokens\":0,"   \
  "\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}}}"
#define BLOCK_START(i, block) \
  "{\"event\":\"content_block_start\",\"data\":{\"type\":\"content_block_start\",\"index\":" #i "," \
  "\"content_block\":" block "}}"
#define TEXT_BLOCK "{\"type\":\"text\",\"text\":\"\"}"
#define THINKING_BLOCK "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"
#define DELTA(i, type, field, value) \
  "{\"event\":\"content_block_delta\",\"data\":{\"type\":\"content_block_delta\",\"index\":" #i "," \
  "\"delta\":{\"type\":\"" type "\",\"" field "\":\"" value "\"}}}"
#define BLOCK_STOP(i) \
  "{\"event\":\"content_block_stop\",\"data\":{\"type\":\"content_block_stop\",\"index\":" #i "}}"
#define END(stop, in, out) \
  "{\"event\":\"message_delta\",\"data\":{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" stop "\"," \
  "\"stop_sequence\":null},\"usage\":{\"input_tokens\":" #in ",\"output_tokens\":" #out ","                 \
  "\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}},"                                      \
  "{\"event\":\"message_stop\",\"data\":{\"type\":\"message_stop\"}}"
#define PARTS(parts) "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" parts "]}}]}}"

static void
test_signature_on_following_text_part (void)
{
  static const char *const chunks[] = {
    PARTS ("{\"text\":\"hmm\",\"thought\":true}"),
    PARTS ("{\"text\":\"Answer\",\"thoughtSignature\":\"" SIG_C1 "\"}"),
    NULL,
  };
  Run run;
  g_autoptr(JsonNode) events = translate_chunks (&run, AG_MODEL_FAMILY_CLAUDE, chunks);

  assert_events_json (events, "[" START (0) "," BLOCK_START (0, THINKING_BLOCK) ","
                      DELTA (0, "thinking_delta", "thinking", "hmm") ","
                      DELTA (0, "signature_delta", "signature", "agcl1c." SIG_C1) "," BLOCK_STOP (0) ","
                      BLOCK_START (1, TEXT_BLOCK) "," DELTA (1, "text_delta", "text", "Answer") ","
                      BLOCK_STOP (1) "," END ("end_turn", 0, 0) "]");
  run_clear (&run);
}

static void
test_kind_changes_and_placeholders (void)
{
  /* text → thinking → text opens three blocks; a short (placeholder) signature and a trailing signature with
   * no open thinking block produce no signature_delta and no extra block; empty text parts are skipped. */
  static const char *const chunks[] = {
    PARTS ("{\"text\":\"a\"},{\"text\":\"\"}"),
    PARTS ("{\"text\":\"b\",\"thought\":true,\"thoughtSignature\":\"short\"}"),
    PARTS ("{\"text\":\" c\"}"),
    PARTS ("{\"text\":\"\",\"thought\":true,\"thoughtSignature\":\"" SIG_C1 "\"}"),
    NULL,
  };
  Run run;
  g_autoptr(JsonNode) events = translate_chunks (&run, AG_MODEL_FAMILY_CLAUDE, chunks);

  assert_events_json (events, "[" START (0) "," BLOCK_START (0, TEXT_BLOCK) "," DELTA (0, "text_delta", "text", "a") ","
                      BLOCK_STOP (0) "," BLOCK_START (1, THINKING_BLOCK) ","
                      DELTA (1, "thinking_delta", "thinking", "b") "," BLOCK_STOP (1) ","
                      BLOCK_START (2, TEXT_BLOCK) "," DELTA (2, "text_delta", "text", " c") "," BLOCK_STOP (2) ","
                      END ("end_turn", 0, 0) "]");
  run_clear (&run);
}

static void
test_call_without_args_and_total_fallback (void)
{
  static const char *const chunks[] = {
    "{\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"Stop\",\"id\":\"t1\"}}]},"
    "\"finishReason\":\"MAX_TOKENS\"}],\"usageMetadata\":{\"promptTokenCount\":10,\"totalTokenCount\":17}}}",
    NULL,
  };
  Run run;
  g_autoptr(JsonNode) events = translate_chunks (&run, AG_MODEL_FAMILY_CLAUDE, chunks);

  /* tool_use wins over MAX_TOKENS; with no candidate count, output is total − prompt. */
  assert_events_json (events, "[" START (10) ","
                      BLOCK_START (0, "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Stop\",\"input\":{}}") ","
                      DELTA (0, "input_json_delta", "partial_json", "{}") "," BLOCK_STOP (0) ","
                      END ("tool_use", 10, 7) "]");
  run_clear (&run);
}

static void
test_finish_without_chunks_is_idempotent (void)
{
  static const char *const chunks[] = { NULL };
  Run run;
  g_autoptr(JsonNode) events = translate_chunks (&run, AG_MODEL_FAMILY_GEMINI, chunks);

  ag_stream_translator_finish (run.translator);
  /* Nothing follows message_stop, not even a ping. */
  g_assert_false (ag_stream_translator_ping (run.translator));
  assert_events_json (events, "[" START (0) "," END ("end_turn", 0, 0) "]");
  g_assert_true (ag_stream_translator_is_empty (run.translator));
  run_clear (&run);
}

/* The message opens with its first block, not with the first chunk: an answer that brings only metadata leaves
 * the client with nothing seen, and a keepalive then cannot be an event. */
static void
test_message_starts_with_first_block (void)
{
  Run run;
  g_autoptr(JsonNode) usage_only = json_from_string ("{\"response\":{\"usageMetadata\":{\"promptTokenCount\":7}}}",
                                                      NULL);
  g_autoptr(JsonNode) text = json_from_string (PARTS ("{\"text\":\"hi\"}"), NULL);
  g_autoptr(JsonNode) events = NULL;

  run_init (&run, AG_MODEL_FAMILY_GEMINI);
  g_assert_false (ag_stream_translator_ping (run.translator));
  g_assert_true (ag_stream_translator_push (run.translator, json_node_get_object (usage_only), NULL));
  g_assert_true (ag_stream_translator_received_response (run.translator));
  g_assert_false (ag_stream_translator_started (run.translator));
  g_assert_true (ag_stream_translator_is_empty (run.translator));
  g_assert_false (ag_stream_translator_ping (run.translator));
  g_assert_cmpuint (json_array_get_length (run.events), ==, 0);

  g_assert_true (ag_stream_translator_push (run.translator, json_node_get_object (text), NULL));
  g_assert_true (ag_stream_translator_started (run.translator));
  g_assert_true (ag_stream_translator_ping (run.translator));
  /* message_start carries the usage of the chunks before it. */
  events = events_node (&run);
  assert_events_json (events, "[" START (7) "," BLOCK_START (0, TEXT_BLOCK) "," DELTA (0, "text_delta", "text", "hi") ","
                      "{\"event\":\"ping\",\"data\":{\"type\":\"ping\"}}]");
  run_clear (&run);
}

/* Google's outdated-client notice, whole in one part before anything started, is refused as an error; the same text
 * inside an answer already under way is just text. */
static void
test_outdated_client_notice (void)
{
  Run run;
  g_autoptr(JsonNode) notice = json_from_string (PARTS ("{\"text\":\"This version of Antigravity is no longer "
                                                         "supported. Please update to receive the latest features!\"}"),
                                                  NULL);
  g_autoptr(JsonNode) text = json_from_string (PARTS ("{\"text\":\"hi\"}"), NULL);
  g_autoptr(GError) error = NULL;

  run_init (&run, AG_MODEL_FAMILY_CLAUDE);
  g_assert_false (ag_stream_translator_push (run.translator, json_node_get_object (notice), &error));
  g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_CLIENT_OUTDATED);
  g_assert_true (g_str_has_prefix (error->message, "This version of Antigravity is no longer supported."));
  g_assert_false (ag_stream_translator_started (run.translator));
  g_assert_cmpuint (json_array_get_length (run.events), ==, 0);

  g_assert_true (ag_stream_translator_push (run.translator, json_node_get_object (text), NULL));
  g_assert_true (ag_stream_translator_push (run.translator, json_node_get_object (notice), NULL));
  g_assert_false (ag_stream_translator_is_empty (run.translator));
  run_clear (&run);
}

static void
test_fail (void)
{
  static const char *const chunks[] = { PARTS ("{\"text\":\"partial\"}"), NULL };
  Run run;
  g_autoptr(JsonNode) events = NULL;

  run_init (&run, AG_MODEL_FAMILY_GEMINI);
  for (const char *const *c = chunks; *c != NULL; c++)
    {
      g_autoptr(JsonNode) chunk = json_from_string (*c, NULL);

      g_assert_true (ag_stream_translator_push (run.translator, json_node_get_object (chunk), NULL));
    }
  ag_stream_translator_fail (run.translator, "overloaded_error", "Upstream stopped");
  /* Nothing may follow the error event. */
  ag_stream_translator_finish (run.translator);
  events = events_node (&run);
  assert_events_json (events, "[" START (0) "," BLOCK_START (0, TEXT_BLOCK) ","
                      DELTA (0, "text_delta", "text", "partial") ","
                      "{\"event\":\"error\",\"data\":{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                      "\"message\":\"Upstream stopped\"}}}]");
  run_clear (&run);
}

static void
test_bad_chunks (void)
{
  static const char *const bad[] = {
    "{\"response\":\"text\"}",
    "{\"traceId\":\"only\"}",
    "{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\"}}",
  };
  Run run;
  g_autoptr(JsonNode) events = NULL;

  run_init (&run, AG_MODEL_FAMILY_GEMINI);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) chunk = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (ag_stream_translator_push (run.translator, json_node_get_object (chunk), &error));
      g_assert_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM);
      if (i == 2)
        g_assert_nonnull (strstr (error->message, "Internal error encountered."));
    }
  g_assert_false (ag_stream_translator_started (run.translator));
  g_assert_cmpuint (json_array_get_length (run.events), ==, 0);

  /* Still usable afterwards. */
  {
    g_autoptr(JsonNode) chunk = json_from_string (PARTS ("{\"text\":\"ok\"}"), NULL);

    g_assert_true (ag_stream_translator_push (run.translator, json_node_get_object (chunk), NULL));
  }
  ag_stream_translator_finish (run.translator);
  events = events_node (&run);
  assert_events_json (events, "[" START (0) "," BLOCK_START (0, TEXT_BLOCK) "," DELTA (0, "text_delta", "text", "ok")
                      "," BLOCK_STOP (0) "," END ("end_turn", 0, 0) "]");
  run_clear (&run);
}

static void
test_random_ids_differ (void)
{
  static const char *const chunks[] = { PARTS ("{\"functionCall\":{\"name\":\"A\"}},{\"functionCall\":{\"name\":\"B\"}}"),
                                        NULL };
  Run first, second;
  g_autoptr(JsonNode) a = translate_chunks (&first, AG_MODEL_FAMILY_GEMINI, chunks);
  g_autoptr(JsonNode) b = translate_chunks (&second, AG_MODEL_FAMILY_GEMINI, chunks);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (a)), ==, json_array_get_length (json_node_get_array (b)));
  g_assert_cmpuint (first.tool_ids->len, ==, 2);
  g_assert_cmpuint (second.tool_ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (first.tool_ids, 0), !=, g_ptr_array_index (second.tool_ids, 0));
  g_assert_cmpstr (g_ptr_array_index (first.tool_ids, 0), !=, g_ptr_array_index (first.tool_ids, 1));
  run_clear (&first);
  run_clear (&second);
}

/* ---- SSE output: the frames written straight into the output are the bytes ag_sse_format_event() gives ---- */

#define ID_SEED 20260420

static void
append_formatted (const char *event_name, JsonNode *data, gpointer text)
{
  g_autoptr(GBytes) bytes = ag_sse_format_event (event_name, data);

  g_string_append_len (text, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
}

static void
push_to_back (const char *event, const char *data, gsize data_len, gpointer back)
{
  g_autoptr(JsonNode) chunk = json_from_string (data, NULL);

  if (chunk != NULL && JSON_NODE_HOLDS_OBJECT (chunk))
    ag_back_translator_push (back, json_node_get_object (chunk), NULL);
}

static void
push_to_translator (const char *event, const char *data, gsize data_len, gpointer translator)
{
  g_autoptr(JsonNode) chunk = json_from_string (data, NULL);

  if (chunk != NULL && JSON_NODE_HOLDS_OBJECT (chunk))
    ag_stream_translator_push (translator, json_node_get_object (chunk), NULL);
}

typedef enum { END_FINISH, END_FAIL } StreamEnd;

static void
options_for (AgStreamOptions *options, AgModelFamily family, AgToolNames *names)
{
  options->client_model = "claude-\"quoted\"\\model\x01";
  options->family = family;
  options->tool_names = names;
  options->usage_scale = 1.5;
}

/* @sse through the event-function translator, each event formatted with ag_sse_format_event (pinging after every
 * chunk), and through the SSE back translator; the random ids come out the same from the same seed. */
static void
assert_sse_matches_events (const char *sse, gsize len, AgModelFamily family, StreamEnd end)
{
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) actual = g_string_new (NULL);
  AgStreamOptions options = { 0 };

  ag_tool_names_to_upstream (names, "mcp__files/list");
  options_for (&options, family, names);
  {
    g_autoptr(AgStreamTranslator) translator = NULL;
    g_autoptr(AgSseParser) parser = NULL;

    g_random_set_seed (ID_SEED);
    translator = ag_stream_translator_new (&options, append_formatted, expected);
    parser = ag_sse_parser_new (push_to_translator, translator);
    for (gsize i = 0; i < len; i++)
      {
        ag_sse_parser_feed (parser, sse + i, 1, NULL);
        ag_stream_translator_ping (translator);
      }
    ag_sse_parser_finish (parser);
    if (end == END_FAIL)
      ag_stream_translator_fail (translator, "overloaded_error", "cut \"short\"\n\x7f\x1f done");
    ag_stream_translator_finish (translator);
  }
  {
    g_autoptr(AgBackTranslator) back = NULL;
    g_autoptr(AgSseParser) parser = NULL;
    g_autoptr(GError) error = NULL;

    g_random_set_seed (ID_SEED);
    back = ag_anthropic_back_translator_new (&options, TRUE);
    parser = ag_sse_parser_new (push_to_back, back);
    for (gsize i = 0; i < len; i++)
      {
        g_autoptr(GBytes) bytes = NULL;

        ag_sse_parser_feed (parser, sse + i, 1, NULL);
        ag_back_translator_ping (back);
        bytes = ag_back_translator_take_output (back);
        if (bytes != NULL)
          g_string_append_len (actual, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
      }
    ag_sse_parser_finish (parser);
    if (end == END_FAIL)
      ag_back_translator_fail (back, "overloaded_error", "cut \"short\"\n\x7f\x1f done");
    g_assert_true (ag_back_translator_finish (back, &error));
    g_assert_no_error (error);
    {
      g_autoptr(GBytes) bytes = ag_back_translator_take_output (back);

      if (bytes != NULL)
        g_string_append_len (actual, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
    }
    g_assert_null (ag_back_translator_take_output (back));
  }
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_cmpstr (actual->str, ==, expected->str);
}

static void
test_sse_output_fixture (gconstpointer data)
{
  const AgTestResponseFixture *fixture = data;
  g_autofree char *name = g_strconcat (fixture->name, ".sse", NULL);
  gsize len;
  g_autofree char *sse = ag_test_fixture_load ("response", name, &len);

  assert_sse_matches_events (sse, len, fixture->family, END_FINISH);
  assert_sse_matches_events (sse, len, fixture->family, END_FAIL);
}

/* Every character class the escaping treats apart, in every place a string from upstream lands; and counts out of
 * any sensible range. */
static void
test_sse_output_escaping (void)
{
  static const char sse[] =
    "data: {\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"q\\\" b\\\\ s/ "
    "\\b\\f\\n\\r\\t \\u0001\\u0007\\u000b\\u001e\\u001f\\u007f \\u00e9 \\u4e2d \\ud83d\\ude00 end\","
    "\"thought\":true}]}}]}}\n\n"
    "data: {\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\\u001f\\\"\"},"
    "{\"functionCall\":{\"name\":\"mcp__files_list\",\"args\":{\"path\":\"a\\\"b\\n\\u001f\",\"n\":-12,"
    "\"x\":1.5,\"deep\":{\"list\":[true,false,null]}}}},"
    "{\"inlineData\":{\"mimeType\":\"image/png\\u0002\",\"data\":\"iVBOR\\\\w0\"}},"
    "{\"functionCall\":{\"name\":\"odd \\\"name\\\"\",\"id\":\"id\\\\1\"}}]},"
    "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":9223372036854775807,"
    "\"cachedContentTokenCount\":-5,\"candidatesTokenCount\":3}}}\n\n";

  assert_sse_matches_events (sse, sizeof sse - 1, AG_MODEL_FAMILY_GEMINI, END_FINISH);
  assert_sse_matches_events (sse, sizeof sse - 1, AG_MODEL_FAMILY_CLAUDE, END_FAIL);
}

/* Without a stream, the output is the one Messages response, as the collector folds it. */
static void
test_message_output_fixture (gconstpointer data)
{
  const AgTestResponseFixture *fixture = data;
  g_autofree char *sse_name = g_strconcat (fixture->name, ".sse", NULL);
  g_autofree char *message_name = g_strconcat (fixture->name, ".message.json", NULL);
  gsize len;
  g_autofree char *sse = ag_test_fixture_load ("response", sse_name, &len);
  g_autoptr(JsonNode) expected = ag_test_fixture_load_json ("response", message_name);
  g_autoptr(AgToolNames) names = ag_tool_names_new ();
  AgStreamOptions options = { "claude-sonnet-4-6", fixture->family, names };
  g_autoptr(AgBackTranslator) back = NULL;
  g_autoptr(AgSseParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(JsonParser) json = json_parser_new ();
  JsonNode *message;

  ag_tool_names_to_upstream (names, "mcp__files/list");
  back = ag_anthropic_back_translator_new (&options, FALSE);
  parser = ag_sse_parser_new (push_to_back, back);
  g_assert_true (ag_sse_parser_feed (parser, sse, len, NULL));
  ag_sse_parser_finish (parser);
  /* Nothing is written before the end, keepalives included. */
  g_assert_false (ag_back_translator_ping (back));
  g_assert_null (ag_back_translator_take_output (back));
  g_assert_true (ag_back_translator_finish (back, &error));
  g_assert_no_error (error);
  output = ag_back_translator_take_output (back);
  g_assert_nonnull (output);
  /* Finishing again writes nothing more. */
  g_assert_true (ag_back_translator_finish (back, NULL));
  g_assert_null (ag_back_translator_take_output (back));
  json_parser_load_from_data (json, g_bytes_get_data (output, NULL), (gssize) g_bytes_get_size (output), &error);
  g_assert_no_error (error);
  message = json_parser_get_root (json);
  ag_test_normalize_ids (message, NULL);
  ag_test_assert_json_equal (message, expected);
}

static void
test_back_translator_facts (void)
{
  AgStreamOptions options = { "m", AG_MODEL_FAMILY_GEMINI, NULL };
  g_autoptr(AgBackTranslator) back = ag_anthropic_back_translator_new (&options, TRUE);
  g_autoptr(JsonNode) usage_only = json_from_string ("{\"response\":{\"usageMetadata\":{\"promptTokenCount\":7,"
                                                      "\"cachedContentTokenCount\":2,\"candidatesTokenCount\":1}}}",
                                                      NULL);
  g_autoptr(JsonNode) text = json_from_string (PARTS ("{\"text\":\"hi\"}"), NULL);
  g_autoptr(JsonNode) stop = json_from_string ("{\"response\":{\"candidates\":[{\"finishReason\":\"STOP\"}]}}", NULL);
  gint64 input = -1, output = -1, cached = -1;

  g_assert_false (ag_back_translator_received_response (back));
  g_assert_true (ag_back_translator_is_empty (back));
  g_assert_false (ag_back_translator_ping (back));
  g_assert_true (ag_back_translator_push (back, json_node_get_object (usage_only), NULL));
  g_assert_true (ag_back_translator_received_response (back));
  g_assert_false (ag_back_translator_started (back));
  g_assert_null (ag_back_translator_take_output (back));
  g_assert_true (ag_back_translator_push (back, json_node_get_object (text), NULL));
  g_assert_true (ag_back_translator_started (back));
  g_assert_false (ag_back_translator_is_empty (back));
  g_assert_false (ag_back_translator_saw_finish_reason (back));
  g_assert_true (ag_back_translator_push (back, json_node_get_object (stop), NULL));
  g_assert_true (ag_back_translator_saw_finish_reason (back));
  ag_back_translator_get_usage (back, &input, &output, &cached);
  g_assert_cmpint (input, ==, 5);
  g_assert_cmpint (output, ==, 1);
  g_assert_cmpint (cached, ==, 2);
  g_assert_true (ag_back_translator_ping (back));
  g_assert_true (g_str_has_suffix (back->output->str, "event: ping\ndata: {\"type\":\"ping\"}\n\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ag_test_add_cases ("/stream-translator/fixture/", ag_test_response_fixtures, ag_test_response_n_fixtures,
                     sizeof ag_test_response_fixtures[0], test_fixture);
  g_test_add_func ("/stream-translator/signatures/claude-thinking", test_signatures_claude_thinking);
  g_test_add_func ("/stream-translator/signatures/claude-tool", test_signatures_claude_tool);
  g_test_add_func ("/stream-translator/signatures/gemini-parallel", test_signatures_gemini_parallel);
  g_test_add_func ("/stream-translator/signatures/gemini-on-text", test_signatures_gemini_on_text);
  g_test_add_func ("/stream-translator/signatures/on-following-text", test_signature_on_following_text_part);
  g_test_add_func ("/stream-translator/usage", test_usage);
  g_test_add_func ("/stream-translator/kind-changes-and-placeholders", test_kind_changes_and_placeholders);
  g_test_add_func ("/stream-translator/call-without-args", test_call_without_args_and_total_fallback);
  g_test_add_func ("/stream-translator/finish-idempotent", test_finish_without_chunks_is_idempotent);
  g_test_add_func ("/stream-translator/message-starts-with-first-block", test_message_starts_with_first_block);
  g_test_add_func ("/stream-translator/outdated-client-notice", test_outdated_client_notice);
  g_test_add_func ("/stream-translator/fail", test_fail);
  g_test_add_func ("/stream-translator/bad-chunks", test_bad_chunks);
  g_test_add_func ("/stream-translator/random-ids", test_random_ids_differ);
  for (gsize i = 0; i < ag_test_response_n_fixtures; i++)
    {
      g_autofree char *sse_path = g_strconcat ("/stream-translator/sse-output/", ag_test_response_fixtures[i].name, NULL);
      g_autofree char *message_path = g_strconcat ("/stream-translator/message-output/", ag_test_response_fixtures[i].name,
                                                   NULL);

      g_test_add_data_func (sse_path, &ag_test_response_fixtures[i], test_sse_output_fixture);
      g_test_add_data_func (message_path, &ag_test_response_fixtures[i], test_message_output_fixture);
    }
  g_test_add_func ("/stream-translator/sse-output/escaping", test_sse_output_escaping);
  g_test_add_func ("/stream-translator/back-translator-facts", test_back_translator_facts);
  return g_test_run ();
}
