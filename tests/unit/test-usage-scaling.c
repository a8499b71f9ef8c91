/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Usage scaling: the client is told its context use relative to its own window; output and the real counts stay. */
#include "ag-stream-translator.h"

static void
keep_last_delta (const char *event_name, JsonNode *data, gpointer user_data)
{
  JsonNode **last = user_data;

  if (g_str_equal (event_name, "message_delta"))
    {
      g_clear_pointer (last, json_node_unref);
      *last = json_node_copy (data);
    }
}

static JsonObject *
run_full (double scale, gint64 compact_at, JsonNode **delta)
{
  AgStreamOptions options = { .client_model = "claude-opus-5-5", .family = AG_MODEL_FAMILY_GEMINI,
                              .usage_scale = scale, .compact_at = compact_at };
  g_autoptr(AgStreamTranslator) translator = ag_stream_translator_new (&options, keep_last_delta, delta);
  g_autoptr(JsonNode) chunk = json_from_string (
    "{\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]},"
    "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":500000,\"cachedContentTokenCount\":100000,"
    "\"candidatesTokenCount\":10,\"totalTokenCount\":500010}}}", NULL);
  gint64 input = 0, output = 0, cached = 0;

  g_assert_true (ag_stream_translator_push (translator, json_node_get_object (chunk), NULL));
  ag_stream_translator_finish (translator);
  /* The request log keeps the real figures. */
  ag_stream_translator_get_usage (translator, &input, &output, &cached);
  g_assert_cmpint (input, ==, 400000);
  g_assert_cmpint (cached, ==, 100000);
  g_assert_cmpint (output, ==, 10);
  return json_object_get_object_member (json_node_get_object (*delta), "usage");
}

static JsonObject *
run (double scale, JsonNode **delta)
{
  return run_full (scale, 0, delta);
}

/* From compact_at on (here 500000 prompt tokens, as from 80 % of a 625k window) the client hears that its context
 * is full: input + cache reads = 1M, whatever the scaling; below it, nothing changes. */
static void
test_compact_at (void)
{
  const struct { double scale; gint64 compact_at; gint64 input; gint64 cached; } cases[] = {
    { 0.0, 500000, AG_CLIENT_LARGEST_WINDOW - 100000, 100000 },
    { 0.2, 500000, AG_CLIENT_LARGEST_WINDOW - 20000, 20000 },
    { 0.0, 500001, 400000, 100000 },
    { 4.0, 500000, 1600000, 400000 },  /* already beyond the largest window: left as it is */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) delta = NULL;
      JsonObject *usage = run_full (cases[i].scale, cases[i].compact_at, &delta);

      g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, cases[i].input);
      g_assert_cmpint (json_object_get_int_member (usage, "cache_read_input_tokens"), ==, cases[i].cached);
      g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), ==, 10);
    }
}

static void
test_scaled (void)
{
  g_autoptr(JsonNode) delta = NULL;
  /* A 200k client window over a 1M upstream window. */
  JsonObject *usage = run (200000.0 / 1000000.0, &delta);

  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, 80000);
  g_assert_cmpint (json_object_get_int_member (usage, "cache_read_input_tokens"), ==, 20000);
  g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), ==, 10);
}

static void
test_unscaled (void)
{
  g_autoptr(JsonNode) delta = NULL;
  g_autoptr(JsonNode) delta_one = NULL;
  JsonObject *usage = run (0.0, &delta);

  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, 400000);
  g_assert_cmpint (json_object_get_int_member (usage, "cache_read_input_tokens"), ==, 100000);
  usage = run (1.0, &delta_one);
  g_assert_cmpint (json_object_get_int_member (usage, "input_tokens"), ==, 400000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/usage-scaling/scaled", test_scaled);
  g_test_add_func ("/usage-scaling/unscaled", test_unscaled);
  g_test_add_func ("/usage-scaling/compact-at", test_compact_at);
  return g_test_run ();
}
