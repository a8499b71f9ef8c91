/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What survives a restart of ag-cl: a thinking + tool conversation (Claude and Gemini models) whose signatures
 * ride in what the client sends back, with ag-cl stopped and started between the turns (the mock refuses any
 * signature it did not issue and any Gemini call without one, so a lost signature fails the second turn); and an
 * account Google rested for hours, which stays at rest after the restart. */
#include "ag-test.h"

#include <string.h>

typedef struct {
  const char *name;
  const char *client_model;
  const char *upstream_model;
  const char *signature;    /* what the mock signs the first turn with */
  gboolean    claude;
} Conversation;

/* Base64 with '+', '/' and padding, so the carrier's mapping of each is exercised. */
#define CLAUDE_SIG "EqQDCkYIBxgCKkRestartClaude+Signature/ThatMustSurviveAStopAndAStartOfAgCl0123456789abcdefgh=="
#define GEMINI_SIG "CiQBjz1rRestart+Gemini/SignatureThatMustSurviveAStopAndAStartOfAgCl0123456789abcdefghijk="

static const Conversation conversations[] = {
  { "claude", "claude-opus-4-8", "claude-opus-4-6-thinking", CLAUDE_SIG, TRUE },
  { "gemini", "gemini-3-flash", "gemini-3-flash", GEMINI_SIG, FALSE },
};

#define TOOLS "\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":" \
              "\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}]"

static JsonNode *
post (AgTestHarness *harness, const char *body_json)
{
  g_autoptr(GBytes) body = NULL;
  guint status = ag_test_harness_post (harness, body_json, &body);

  if (status != 200)
    g_error ("POST /v1/messages: %u %.*s", status, (int) g_bytes_get_size (body),
             (const char *) g_bytes_get_data (body, NULL));
  return ag_test_parse_json (body);
}

static void
test_restart_between_turns (gconstpointer data)
{
  const Conversation *c = data;
  g_autofree char *script = g_strdup_printf (
    "{\"generate\":[{\"match\":{\"has_function_response\":true},\"respond\":{\"text\":\"Two files.\"}},"
    "{\"match\":{\"text_contains\":\"List\"},\"respond\":{\"thinking\":\"I should run ls.\",\"signature\":\"%s\","
    "\"function_call\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"}}}}]}", c->signature);
  AgTestHarness *harness = ag_test_harness_new (script);
  g_autofree char *first = g_strdup_printf ("{\"model\":\"%s\",\"max_tokens\":64000,\"thinking\":{\"type\":"
                                            "\"adaptive\"}," TOOLS ",\"messages\":[{\"role\":\"user\",\"content\":"
                                            "\"List the files.\"}]}", c->client_model);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *content = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) final = NULL;
  g_autofree char *tool_id = NULL;
  g_autofree char *expected = NULL;
  JsonArray *blocks;
  JsonObject *recorded;
  JsonArray *contents;

  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);
  answer = post (harness, first);
  blocks = json_object_get_array_member (json_node_get_object (answer), "content");
  g_assert_cmpuint (json_array_get_length (blocks), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (blocks, 0), "type"), ==, "thinking");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (blocks, 1), "type"), ==, "tool_use");
  tool_id = g_strdup (json_object_get_string_member (json_array_get_object_element (blocks, 1), "id"));
  content = json_to_string (json_object_get_member (json_node_get_object (answer), "content"), FALSE);

  /* Nothing of the first run is left but what the client holds. */
  ag_test_harness_restart_proxy (harness);
  ag_test_harness_set_script (harness, script);

  second = g_strdup_printf ("{\"model\":\"%s\",\"max_tokens\":64000,\"thinking\":{\"type\":\"adaptive\"}," TOOLS
                            ",\"messages\":[{\"role\":\"user\",\"content\":\"List the files.\"},"
                            "{\"role\":\"assistant\",\"content\":%s},{\"role\":\"user\",\"content\":[{\"type\":"
                            "\"tool_result\",\"tool_use_id\":\"%s\",\"content\":\"a.txt b.txt\"}]}]}",
                            c->client_model, content, tool_id);
  final = post (harness, second);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (final), "content"), 0), "text"), ==,
                   "Two files.");

  /* The exact history upstream got: Google's own signature back on the thinking, and for Gemini on the call. */
  recorded = ag_test_mock_last_request (harness->mock, ":streamGenerateContent");
  contents = json_object_get_array_member (json_object_get_object_member (json_object_get_object_member (recorded,
                                           "body"), "request"), "contents");
  if (c->claude)
    expected = g_strdup_printf (
      "[{\"role\":\"user\",\"parts\":[{\"text\":\"List the files.\"}]},"
      "{\"role\":\"model\",\"parts\":[{\"text\":\"I should run ls.\",\"thought\":true,\"thoughtSignature\":\"%s\"},"
      "{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"},\"id\":\"%s\"}}]},"
      "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"id\":\"%s\",\"response\":"
      "{\"result\":\"a.txt b.txt\"}}}]}]", c->signature, tool_id, tool_id);
  else
    expected = g_strdup_printf (
      "[{\"role\":\"user\",\"parts\":[{\"text\":\"List the files.\"}]},"
      "{\"role\":\"model\",\"parts\":[{\"text\":\"I should run ls.\",\"thought\":true,\"thoughtSignature\":\"%s\"},"
      "{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"}},\"thoughtSignature\":\"%s\"}]},"
      "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"response\":"
      "{\"result\":\"a.txt b.txt\"}}}]}]", c->signature, c->signature);
  {
    g_autoptr(JsonNode) actual = json_node_init_array (json_node_alloc (), contents);

    ag_test_assert_json_text (actual, expected);
  }
  ag_test_harness_free (harness);
}

/* Requests the mock received for @project's account. */
static guint
requests_for (AgTestHarness *harness, const char *project)
{
  g_autoptr(JsonArray) requests = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *body = json_object_get_object_member (json_array_get_object_element (requests, i), "body");

      n += g_strcmp0 (json_object_get_string_member (body, "project"), project) == 0;
    }
  return n;
}

/* New conversations (each its own session) until one has gone to user1, or @n were sent. */
static void
converse (AgTestHarness *harness, guint n, gboolean until_user1)
{
  for (guint i = 0; i < n && !(until_user1 && requests_for (harness, "proj-1") > 0); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"model\":\"gemini-3-flash\",\"max_tokens\":100,\"messages\":"
                                               "[{\"role\":\"user\",\"content\":\"conversation %u\"}]}", i);
      g_autoptr(GBytes) reply = NULL;

      g_assert_cmpuint (ag_test_harness_post (harness, body, &reply), ==, 200);
    }
}

static void
test_rest_survives_restart (void)
{
  const char *script = "{\"accounts\":[{},{}],\"generate\":[{\"match\":{\"account\":\"user1@example.com\"},"
                       "\"respond\":{\"error_preset\":\"quota_exhausted\",\"reset_delay\":\"3h0m0s\"}}]}";
  AgTestHarness *harness = ag_test_harness_new (script);

  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_add_account (harness, "rt-2");
  ag_test_harness_start_proxy (harness);
  converse (harness, 8, TRUE);
  g_assert_cmpuint (requests_for (harness, "proj-1"), ==, 1);
  g_assert_true (ag_test_harness_wait_log (harness, "restored 0 rests", 5000));

  ag_test_harness_restart_proxy (harness);
  g_assert_true (ag_test_harness_wait_log (harness, "restored 1 rests", 5000));
  /* user1 would answer now: only the rest ag-cl remembers keeps it out. */
  ag_test_harness_set_script (harness, "{\"accounts\":[{},{}]}");
  converse (harness, 6, FALSE);
  g_assert_cmpuint (requests_for (harness, "proj-1"), ==, 0);
  g_assert_cmpuint (requests_for (harness, "proj-2"), ==, 6);
  ag_test_harness_free (harness);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/restart/rest-survives", test_rest_survives_restart);
  for (gsize i = 0; i < G_N_ELEMENTS (conversations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/restart/signatures/%s", conversations[i].name);

      g_test_add_data_func (path, &conversations[i], test_restart_between_turns);
    }
  return g_test_run ();
}
