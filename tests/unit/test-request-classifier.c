/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Warmup, quota-probe and background-task recognition, and the exact local answer. */
#include "ag-request-classifier.h"
#include "ag-sse-parser.h"

#include <string.h>

/* The kind of @json as the front end reads it; a body without a model gets one (the model plays no part). */
static AgRequestKind
classify (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(AgClientRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  if (!json_object_has_member (json_node_get_object (node), "model"))
    json_object_set_string_member (json_node_get_object (node), "model", "m");
  request = ag_anthropic_request_read (json_node_get_object (node), NULL, &error);
  g_assert_no_error (error);
  return ag_request_classify (request);
}

static void
test_warmups (void)
{
  g_assert_cmpint (classify ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Warmup\"}]}"), ==,
                   AG_REQUEST_KIND_WARMUP);
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Warmup\","
                             "\"cache_control\":{\"type\":\"ephemeral\"}}]}]}"), ==, AG_REQUEST_KIND_WARMUP);
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Warmup\\n"
                             "agent: Explore\"}]}]}"), ==, AG_REQUEST_KIND_WARMUP);
  /* Only the last message counts: a warmup earlier in the session must not turn later turns into "OK". */
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":\"Warmup\"},{\"role\":\"assistant\","
                             "\"content\":\"OK\"},{\"role\":\"user\",\"content\":\"fix the bug\"}]}"), ==,
                   AG_REQUEST_KIND_NORMAL);
  /* A long message that happens to start with the word is a real prompt. */
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":\"Warmup routines for athletes: write a "
                             "long essay about stretching, cardio, strength, recovery and nutrition please\"}]}"), ==,
                   AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"assistant\",\"content\":\"Warmup\"}]}"), ==,
                   AG_REQUEST_KIND_NORMAL);
}

static void
test_quota_probe (void)
{
  g_assert_cmpint (classify ("{\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"quota\"}]}"), ==,
                   AG_REQUEST_KIND_QUOTA_PROBE);
  g_assert_cmpint (classify ("{\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                             "\"text\":\"quota\"}]}]}"), ==, AG_REQUEST_KIND_QUOTA_PROBE);
  g_assert_cmpint (classify ("{\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"quota\"}]}"), ==,
                   AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"max_tokens\":1,\"system\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":"
                             "\"quota\"}]}"), ==, AG_REQUEST_KIND_NORMAL);
}

static void
test_background (void)
{
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":\"Please write a 5-10 word title for "
                             "the following conversation: ...\"}]}"), ==, AG_REQUEST_KIND_TITLE);
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                             "\"Summarize this coding conversation in under 50 characters.\"}]}]}"), ==,
                   AG_REQUEST_KIND_SUMMARY);
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":\"You are a prompt suggestion "
                             "generator.\"}]}"), ==, AG_REQUEST_KIND_SUGGESTION);
  /* Claude Code's reminders make a message a real turn, whatever it says. */
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":\"<system-reminder>x</system-reminder> "
                             "write a 5-10 word title\"}]}"), ==, AG_REQUEST_KIND_NORMAL);
  g_assert_true (ag_request_kind_is_background (AG_REQUEST_KIND_TITLE));
  g_assert_false (ag_request_kind_is_background (AG_REQUEST_KIND_WARMUP));
}

static void
test_hostile_bodies (void)
{
  g_assert_cmpint (classify ("{}"), ==, AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"messages\":7}"), ==, AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"messages\":[]}"), ==, AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"messages\":[null]}"), ==, AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"messages\":[{\"role\":\"user\",\"content\":[1,null,{\"type\":\"text\"}]}]}"), ==,
                   AG_REQUEST_KIND_NORMAL);
  g_assert_cmpint (classify ("{\"max_tokens\":\"1\",\"messages\":[{\"role\":\"user\",\"content\":\"quota\"}]}"), ==,
                   AG_REQUEST_KIND_NORMAL);
}

static void
collect (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  g_string_append_printf (user_data, "%s ", event);
}

static void
test_local_answer (void)
{
  g_autoptr(JsonNode) message = ag_intercepted_message ("claude-haiku-4-5");
  g_autoptr(GBytes) stream = ag_intercepted_stream ("claude-haiku-4-5");
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(AgSseParser) parser = ag_sse_parser_new (collect, names);
  JsonObject *object = json_node_get_object (message);

  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "claude-haiku-4-5");
  g_assert_cmpstr (json_object_get_string_member (object, "stop_reason"), ==, "end_turn");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (object, "content"), 0), "text"), ==, "OK");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "id"), "msg_warmup_"));

  g_assert_true (ag_sse_parser_feed (parser, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream), NULL));
  g_assert_cmpstr (names->str, ==, "message_start content_block_start content_block_delta content_block_stop "
                                   "message_delta message_stop ");
  g_assert_nonnull (strstr (g_bytes_get_data (stream, NULL), "\"text_delta\",\"text\":\"OK\""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/request-classifier/warmups", test_warmups);
  g_test_add_func ("/request-classifier/quota-probe", test_quota_probe);
  g_test_add_func ("/request-classifier/background", test_background);
  g_test_add_func ("/request-classifier/hostile-bodies", test_hostile_bodies);
  g_test_add_func ("/request-classifier/local-answer", test_local_answer);
  return g_test_run ();
}
