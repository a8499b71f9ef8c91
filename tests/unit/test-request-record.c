/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests for request-log records: outcome names, the attempts column and the JSON of `ag-cl log --json`. */
#include "ag-request-record.h"

static void
test_outcome_names (void)
{
  const char *names[] = { "ok", "client_error", "upstream_error", "cancelled", "intercepted" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      AgRequestOutcome outcome = 99;

      g_assert_cmpstr (ag_request_outcome_to_string ((AgRequestOutcome) i), ==, names[i]);
      g_assert_true (ag_request_outcome_from_string (names[i], &outcome));
      g_assert_cmpint (outcome, ==, i);
    }
  {
    AgRequestOutcome outcome = AG_REQUEST_OUTCOME_CANCELLED;

    g_assert_false (ag_request_outcome_from_string ("OK", &outcome));
    g_assert_false (ag_request_outcome_from_string (NULL, &outcome));
    g_assert_cmpint (outcome, ==, AG_REQUEST_OUTCOME_CANCELLED);
  }
}

static void
test_new_defaults (void)
{
  g_autoptr(AgRequestRecord) record = ag_request_record_new ();
  gint64 now_ms = g_get_real_time () / 1000;

  g_assert_cmpint (record->id, ==, 0);
  g_assert_cmpint (record->ttfb_ms, ==, -1);
  g_assert_cmpuint (record->attempts->len, ==, 0);
  g_assert_cmpint (record->time_ms, <=, now_ms);
  g_assert_cmpint (record->time_ms, >, now_ms - 5000);
}

static void
test_attempts_json (void)
{
  g_autoptr(AgRequestRecord) record = ag_request_record_new ();
  g_autoptr(AgRequestRecord) copy = ag_request_record_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *empty = NULL;
  AgRequestAttempt *attempt;

  empty = ag_request_record_attempts_to_json (record);
  g_assert_cmpstr (empty, ==, "[]");

  ag_request_record_add_attempt (record, "user1@example.com", "quota", 429, 0);
  ag_request_record_add_attempt (record, "user2@example.com", "rate_limit", 429, 400);
  ag_request_record_add_attempt (record, NULL, "network", 0, 0);
  json = ag_request_record_attempts_to_json (record);
  g_assert_cmpstr (json, ==,
                   "[{\"account\":\"user1@example.com\",\"reason\":\"quota\",\"status\":429,\"wait_ms\":0},"
                   "{\"account\":\"user2@example.com\",\"reason\":\"rate_limit\",\"status\":429,\"wait_ms\":400},"
                   "{\"account\":null,\"reason\":\"network\",\"status\":0,\"wait_ms\":0}]");

  g_assert_true (ag_request_record_set_attempts_from_json (copy, json, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copy->attempts->len, ==, 3);
  attempt = g_ptr_array_index (copy->attempts, 1);
  g_assert_cmpstr (attempt->account, ==, "user2@example.com");
  g_assert_cmpstr (attempt->reason, ==, "rate_limit");
  g_assert_cmpuint (attempt->status, ==, 429);
  g_assert_cmpint (attempt->wait_ms, ==, 400);
  attempt = g_ptr_array_index (copy->attempts, 2);
  g_assert_null (attempt->account);
  g_assert_cmpuint (attempt->status, ==, 0);
}

static void
test_attempts_json_invalid (void)
{
  const char *bad[] = { "{\"account\":\"a\"}", "[1]", "[{\"status\":429}", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(AgRequestRecord) record = ag_request_record_new ();
      g_autoptr(GError) error = NULL;

      ag_request_record_add_attempt (record, "kept@example.com", "quota", 429, 0);
      g_assert_false (ag_request_record_set_attempts_from_json (record, bad[i], &error));
      g_assert_nonnull (error);
      g_assert_cmpuint (record->attempts->len, ==, 1);
      g_assert_cmpstr (((AgRequestAttempt *) g_ptr_array_index (record->attempts, 0))->account, ==,
                       "kept@example.com");
    }
}

static void
test_record_json (void)
{
  g_autoptr(AgRequestRecord) record = ag_request_record_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  record->id = 7;
  record->time_ms = 1764000000123;   /* 2025-11-24T16:00:00.123Z */
  record->client = g_strdup ("claude-cli/2.0.50 (external, cli)");
  record->model = g_strdup ("claude-opus-4-6");
  record->upstream_model = g_strdup ("claude-opus-4-6-thinking");
  record->account = g_strdup ("user2@example.com");
  ag_request_record_add_attempt (record, "user1@example.com", "quota", 429, 0);
  record->outcome = AG_REQUEST_OUTCOME_OK;
  record->status = 200;
  record->total_ms = 1500;
  record->input_tokens = 1200;
  record->output_tokens = 300;
  record->cache_read_tokens = 800;

  node = ag_request_record_to_json (record);
  json = json_to_string (node, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"id\":7,\"time\":\"2025-11-24T16:00:00.123Z\",\"time_ms\":1764000000123,"
                   "\"client\":\"claude-cli/2.0.50 (external, cli)\",\"session_id\":null,"
                   "\"model\":\"claude-opus-4-6\",\"upstream_model\":\"claude-opus-4-6-thinking\","
                   "\"account\":\"user2@example.com\",\"attempts\":[{\"account\":\"user1@example.com\","
                   "\"reason\":\"quota\",\"status\":429,\"wait_ms\":0}],\"outcome\":\"ok\",\"status\":200,"
                   "\"ttfb_ms\":null,\"total_ms\":1500,\"input_tokens\":1200,\"output_tokens\":300,"
                   "\"cache_read_tokens\":800,\"detail\":null,\"repairs\":null,\"credits\":false}");

  record->ttfb_ms = 42;
  g_clear_pointer (&node, json_node_unref);
  node = ag_request_record_to_json (record);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "ttfb_ms"), ==, 42);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/request-record/outcome-names", test_outcome_names);
  g_test_add_func ("/request-record/new-defaults", test_new_defaults);
  g_test_add_func ("/request-record/attempts-json", test_attempts_json);
  g_test_add_func ("/request-record/attempts-json-invalid", test_attempts_json_invalid);
  g_test_add_func ("/request-record/record-json", test_record_json);
  return g_test_run ();
}
