/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The history repairs, case by case: the messages before, the messages after and the repairs reported; and a
 * second repair of the result changes nothing. */
#include "ag-history-repair.h"
#include "ag-signature-carrier.h"
#include "ag-test.h"

typedef struct {
  const char   *name;
  AgModelFamily family;
  gboolean      thinking;
  const char   *before;
  const char   *after;      /* NULL: as before */
  const char   *repairs;
} RepairCase;

#define USER(text) "{\"role\":\"user\",\"content\":\"" text "\"}"
#define CALL(id) "{\"type\":\"tool_use\",\"id\":\"" id "\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}"
#define RESULT(id, text) "{\"type\":\"tool_result\",\"tool_use_id\":\"" id "\",\"content\":\"" text "\"}"
#define INTERRUPTED(id) "{\"type\":\"tool_result\",\"tool_use_id\":\"" id "\",\"content\":\"" \
                        AG_HISTORY_INTERRUPTED_RESULT "\",\"is_error\":true}"
#define SIG "CiQBjz1rX8K3mQ7pL2sW9vN4hT6yB1cF5gA0eZ7uI2oP9lM4nX6qS8rD3wE1tY5vC7bH0kJ2gR4fQ8zA1"

static const RepairCase cases[] = {
  { "complete", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    RESULT ("t1", "a.txt") "]}]", NULL, "" },
  /* Esc mid-tool, then a new prompt: the result that never came goes first in the next user message. */
  { "interrupted-then-prompt", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "," CALL ("t2") "]},"
    "{\"role\":\"user\",\"content\":[" RESULT ("t2", "b") "]}," USER ("something else") "]",
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "," CALL ("t2") "]},"
    "{\"role\":\"user\",\"content\":[" INTERRUPTED ("t1") "," RESULT ("t2", "b") "]}," USER ("something else") "]",
    "interrupted:t1" },
  { "interrupted-string-prompt", AG_MODEL_FAMILY_GEMINI, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]}," USER ("stop that") "]",
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    INTERRUPTED ("t1") ",{\"type\":\"text\",\"text\":\"stop that\"}]}]",
    "interrupted:t1" },
  /* A crashed client that went on with another assistant turn: a user turn is put in between. */
  { "interrupted-before-assistant", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"assistant\",\"content\":"
    "\"done\"}," USER ("next") "]",
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    INTERRUPTED ("t1") "]},{\"role\":\"assistant\",\"content\":\"done\"}," USER ("next") "]",
    "interrupted:t1" },
  /* A call as the very last message is a prefill, not an interruption. */
  { "trailing-call", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]}]", NULL, "" },
  /* Compaction dropped the call: its result stays for the model, as text. */
  { "orphan-result", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("summary") ",{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":["
    RESULT ("t9", "a.txt") ",{\"type\":\"tool_result\",\"tool_use_id\":\"t8\",\"is_error\":true,\"content\":["
    "{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"image\",\"source\":{}}]}]}]",
    "[" USER ("summary") ",{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":["
    "{\"type\":\"text\",\"text\":\"[Result of tool call t9, whose call is no longer in this conversation]a.txt\"},"
    "{\"type\":\"text\",\"text\":\"[Result of tool call t8, whose call is no longer in this conversation]\\nx\"}]}]",
    "orphan:t9 orphan:t8" },
  { "result-twice", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    RESULT ("t1", "a") "," RESULT ("t1", "b") "]}]",
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    RESULT ("t1", "a") ",{\"type\":\"text\",\"text\":\"[Result of tool call t1, whose call is no longer in this "
    "conversation]b\"}]}]",
    "orphan:t1" },
  /* After compaction the same id came back for a new call: the later call and its result get a new id. */
  { "duplicate-id", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    RESULT ("t1", "a") "]},{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    RESULT ("t1", "b") "]}]",
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1") "]},{\"role\":\"user\",\"content\":["
    RESULT ("t1", "a") "]},{\"role\":\"assistant\",\"content\":[" CALL ("t1_dup2") "]},{\"role\":\"user\","
    "\"content\":[" RESULT ("t1_dup2", "b") "]}]",
    "duplicate:t1" },
  /* A renamed id keeps the Gemini signature it carries. */
  { "duplicate-carried-id", AG_MODEL_FAMILY_GEMINI, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1_agsig1_0" SIG) "]},{\"role\":\"user\","
    "\"content\":[" RESULT ("t1_agsig1_0" SIG, "a") "]},{\"role\":\"assistant\",\"content\":[" CALL ("t1_agsig1_0" SIG)
    "]},{\"role\":\"user\",\"content\":[" RESULT ("t1_agsig1_0" SIG, "b") "]}]",
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[" CALL ("t1_agsig1_0" SIG) "]},{\"role\":\"user\","
    "\"content\":[" RESULT ("t1_agsig1_0" SIG, "a") "]},{\"role\":\"assistant\",\"content\":[" CALL ("t1_dup2_agsig1_0"
    SIG) "]},{\"role\":\"user\",\"content\":[" RESULT ("t1_dup2_agsig1_0" SIG, "b") "]}]",
    "duplicate:t1_agsig1_0" SIG },
  /* With thinking on, thinking ag-cl did not sign for this family is counted (the translator drops it). */
  { "thinking-dropped", AG_MODEL_FAMILY_CLAUDE, TRUE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"a\",\"signature\":"
    "\"agcl1c." SIG "\"},{\"type\":\"thinking\",\"thinking\":\"b\",\"signature\":\"agcl1g." SIG "\"},"
    "{\"type\":\"thinking\",\"thinking\":\"c\",\"signature\":\"" SIG "\"},{\"type\":\"redacted_thinking\","
    "\"data\":\"x\"},{\"type\":\"text\",\"text\":\"hi\"}]}," USER ("more") "]", NULL, "thinking-dropped:3" },
  { "thinking-off", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"c\",\"signature\":"
    "\"x\"}]}," USER ("more") "]", NULL, "" },
  /* Malformed blocks are the translator's to refuse. */
  { "malformed-left-alone", AG_MODEL_FAMILY_CLAUDE, FALSE,
    "[" USER ("go") ",{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\"},7]},{\"role\":\"user\","
    "\"content\":[{\"type\":\"tool_result\"},null]},{\"role\":\"user\",\"content\":42}]", NULL, "" },
};

static void
test_repair (gconstpointer data)
{
  const RepairCase *c = data;
  g_autoptr(JsonNode) messages = ag_test_parse_json_text (c->before);
  g_autoptr(JsonNode) expected = ag_test_parse_json_text (c->after != NULL ? c->after : c->before);
  g_autoptr(GString) repairs = g_string_new (NULL);
  g_autoptr(GString) again = g_string_new (NULL);

  ag_history_repair (json_node_get_array (messages), c->family, c->thinking, repairs);
  ag_test_assert_json_equal (messages, expected);
  g_assert_cmpstr (repairs->str, ==, c->repairs);

  ag_history_repair (json_node_get_array (messages), c->family, FALSE, again);
  ag_test_assert_json_equal (messages, expected);
  g_assert_cmpstr (again->str, ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  AG_TEST_ADD_CASES ("/history-repair/", cases, test_repair);
  return g_test_run ();
}
