/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Histories upstream would refuse, mended by ag-cl before they go (ag-history-repair.h), each with the exact
 * contents upstream received: a call interrupted before its result, a result whose call was compacted away, an id
 * used twice; and the one repaired retry when upstream still refuses (a signature it never issued), recorded in the
 * request log; and a Claude tool loop under thinking whose thinking was dropped (not ag-cl's signature), closed so
 * Claude takes it. The mock refuses each of these histories as Google does, so without the repair the request fails.
 */
#include "ag-test.h"

#include <string.h>

typedef struct {
  const char *name;
  const char *body;       /* POST /v1/messages */
  const char *contents;   /* what the last upstream request carried */
  const char *repairs;    /* as the request log records them */
  guint       requests;   /* upstream generate requests the answer took */
} RecoveryCase;

static const RecoveryCase cases[] = {
  { "interrupted-claude",
    "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":\"something else\"}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"},\"id\":\"t1\"}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"id\":\"t1\",\"response\":{\"error\":\"The tool call was interrupted before it returned a result.\"}}},{\"text\":\"something else\"}]}]",
    "interrupted:t1", 1 },
  { "interrupted-gemini",
    "{\"model\":\"gemini-3-flash\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":\"something else\"}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"}},\"thoughtSignature\":\"skip_thought_signature_validator\"}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"response\":{\"error\":\"The tool call was interrupted before it returned a result.\"}}},{\"text\":\"something else\"}]}]",
    "interrupted:t1", 1 },
  { "orphan-result-claude",
    "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"summary of earlier work\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t9\",\"content\":\"a.txt\"},{\"type\":\"text\",\"text\":\"go on\"}]}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"summary of earlier work\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"[Result of tool call t9, whose call is no longer in this conversation]a.txt\"},{\"text\":\"go on\"}]}]",
    "orphan:t9", 1 },
  { "orphan-result-gemini",
    "{\"model\":\"gemini-3-flash\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"summary of earlier work\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t9\",\"content\":\"a.txt\"},{\"type\":\"text\",\"text\":\"go on\"}]}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"summary of earlier work\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"[Result of tool call t9, whose call is no longer in this conversation]a.txt\"},{\"text\":\"go on\"}]}]",
    "orphan:t9", 1 },
  { "duplicate-id-claude",
    "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"a\"}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"b\"}]}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"},\"id\":\"t1\"}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"id\":\"t1\",\"response\":{\"result\":\"a\"}}}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"},\"id\":\"t1_dup2\"}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"id\":\"t1_dup2\",\"response\":{\"result\":\"b\"}}}]}]",
    "duplicate:t1", 1 },
  { "unsigned-tool-loop-claude",
    "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"EqQDCkYIBxgCKkAnthropicsOwnSignatureNotFromAgCl0123456789abcdefghijklmnopqrstuvwxyz\"},{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"a.txt\"}]}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"},\"id\":\"t1\"}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"id\":\"t1\",\"response\":{\"result\":\"a.txt\"}}}]},{\"role\":\"model\",\"parts\":[{\"text\":\"[The tool results above are in.]\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"Continue.\"}]}]",
    "thinking-dropped:1 tool-loop-closed", 1 },
  { "refused-thinking-signature-claude",
    "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"agcl1c.EqQDCkYIBxgCKkNotIssuedByGoogle0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP\"},{\"type\":\"text\",\"text\":\"hi\"}]},{\"role\":\"user\",\"content\":\"more\"}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"more\"}]}]",
    "signatures-dropped", 2 },
  { "refused-call-signature-gemini",
    "{\"model\":\"gemini-3-flash\",\"max_tokens\":4096,\"tools\":[{\"name\":\"Bash\",\"description\":\"Runs a command.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},\"required\":[\"command\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1_agsig1_0CiQBjz1rNotIssuedByGoogle0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1_agsig1_0CiQBjz1rNotIssuedByGoogle0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS\",\"content\":\"a.txt\"}]}]}",
    "[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"}},\"thoughtSignature\":\"skip_thought_signature_validator\"}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"Bash\",\"response\":{\"result\":\"a.txt\"}}}]}]",
    "signatures-dropped", 2 },
};

static AgTestHarness *harness;

typedef struct {
  const char *repairs;
  gboolean    found;
} LogSearch;

static gboolean
logged (gpointer user_data)
{
  LogSearch *search = user_data;
  const char *args[] = { "log", "--json", "-n", "1", NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) rows = NULL;
  JsonObject *row;

  g_assert_cmpint (ag_test_harness_run_cli (harness, args, NULL, &out, NULL), ==, 0);
  rows = ag_test_parse_json_text (out);
  if (json_array_get_length (json_node_get_array (rows)) == 0)
    return FALSE;
  row = json_array_get_object_element (json_node_get_array (rows), 0);
  search->found = g_strcmp0 (json_object_get_string_member_with_default (row, "repairs", ""), search->repairs) == 0;
  return search->found;
}

static void
test_recovery (gconstpointer data)
{
  const RecoveryCase *c = data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *needle = g_strdup_printf ("repaired: %s", c->repairs);
  LogSearch search = { c->repairs, FALSE };
  JsonObject *last;

  ag_test_harness_set_script (harness, NULL);
  if (ag_test_harness_post (harness, c->body, &body) != 200)
    g_error ("%s: %.*s", c->name, (int) g_bytes_get_size (body), (const char *) g_bytes_get_data (body, NULL));
  requests = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  g_assert_cmpuint (json_array_get_length (requests), ==, c->requests);
  last = json_object_get_object_member (json_array_get_object_element (requests, c->requests - 1), "body");
  ag_test_assert_json_text (json_object_get_member (json_object_get_object_member (last, "request"), "contents"),
                            c->contents);
  g_assert_true (ag_test_harness_wait_log (harness, needle, 5000));
  ag_test_wait_until (logged, &search, 5000);
  g_assert_true (search.found);
}

/* Upstream refuses the history again after the repaired retry: that answer is final, after exactly two tries. */
static void
test_second_refusal_final (void)
{
  g_autoptr(GBytes) body = NULL;

  ag_test_harness_set_script (harness, "{\"generate\":[{\"respond\":{\"status\":400,\"error\":{\"code\":400,"
                                       "\"status\":\"INVALID_ARGUMENT\",\"message\":\"messages.1: `tool_use` ids were "
                                       "found without `tool_result` blocks immediately after: x.\"}}}]}");
  g_assert_cmpuint (ag_test_harness_post (harness, "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,"
                                                   "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", &body),
                    ==, 400);
  ag_test_assert_error_body (body, "invalid_request_error", "tool_use");
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 2);
}

int
main (int argc, char **argv)
{
  harness = ag_test_harness_init (&argc, &argv);
  ag_test_harness_start_proxy (harness);
  AG_TEST_ADD_CASES ("/recovery/", cases, test_recovery);
  g_test_add_func ("/recovery/second-refusal-final", test_second_refusal_final);
  return ag_test_harness_run (harness);
}
