/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Cloud Code client against the mock: the SSE stream handed back unbuffered with the answering host, the
 * headers sent, Google errors parsed, fallback on 5xx (streams and unary calls) and none on 429, and a unary call. */
#include "ag-test.h"
#include "ag-cloudcode-client.h"
#include "ag-oauth-client.h"

typedef struct {
  AgMockServer      *mock;
  char              *mock_url;
  AgCloudcodeClient *client;
  char              *access_token;
} Fixture;

/* Two distinct bases on the same mock, so a fallback is visible in the recorded paths. */
static void
fixture_set_up (Fixture *fixture, gconstpointer script)
{
  g_autoptr(AgOAuthClient) oauth = NULL;
  g_autofree char *endpoints = NULL;
  g_autoptr(AgOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mock = ag_test_mock_start (script);
  fixture->mock_url = ag_mock_server_get_base_url (fixture->mock);
  endpoints = g_strdup_printf ("%s/first,%s/second", fixture->mock_url, fixture->mock_url);
  g_setenv ("AGCL_CLOUDCODE_ENDPOINTS", endpoints, TRUE);
  ag_test_google_clients_new (&fixture->client, &oauth);
  tokens = ag_test_oauth_refresh (oauth, "rt-1", &error);
  g_assert_no_error (error);
  fixture->access_token = g_strdup (tokens->access_token);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer script)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->mock);
  g_free (fixture->mock_url);
  g_free (fixture->access_token);
}

static JsonNode *
envelope (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}",
                                             -1, NULL));
  return ag_cloudcode_build_envelope ("proj-1", "claude-sonnet-4-6", json_parser_get_root (parser));
}

static GInputStream *
open_stream (Fixture *fixture, gboolean thinking, char **endpoint, AgGoogleError **google_error, GError **error)
{
  g_autoptr(JsonNode) body = envelope ();
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_cloudcode_client_open_stream_async, fixture->client,
                                                        fixture->access_token, body, AG_MODEL_FAMILY_CLAUDE, thinking,
                                                        NULL);

  return ag_cloudcode_client_open_stream_finish_full (fixture->client, result, endpoint, google_error, error);
}

static char *
read_all (GInputStream *stream)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  /* Asynchronous reads: the mock writing this stream runs on this thread's main context. */
  for (;;)
    {
      g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (g_input_stream_read_bytes_async, stream, 4096,
                                                            G_PRIORITY_DEFAULT, NULL);
      g_autoptr(GBytes) chunk = NULL;

      chunk = g_input_stream_read_bytes_finish (stream, result, &error);
      g_assert_no_error (error);
      if (g_bytes_get_size (chunk) == 0)
        break;
      g_output_stream_write_bytes (memory, chunk, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_write (memory, "", 1, NULL, &error);
  g_output_stream_close (memory, NULL, &error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}

/* Asserts the call failed with Google's HTTP error @status, classified @kind, after @requests requests of @method. */
static void
assert_google_error (Fixture *fixture, const GError *error, const AgGoogleError *google_error, guint status,
                     AgUpstreamFailure kind, const char *method, guint requests)
{
  g_assert_error (error, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_HTTP);
  g_assert_nonnull (google_error);
  g_assert_cmpuint (google_error->http_status, ==, status);
  g_assert_cmpint (google_error->kind, ==, kind);
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, method), ==, requests);
}

static void
test_stream_success (Fixture *fixture, gconstpointer script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GInputStream) stream = open_stream (fixture, TRUE, &endpoint, &google_error, &error);
  g_autofree char *text = NULL;
  g_autofree char *expected_endpoint = g_strconcat (fixture->mock_url, "/first", NULL);
  g_autoptr(JsonObject) request = NULL;
  JsonObject *headers;

  g_assert_no_error (error);
  g_assert_null (google_error);
  g_assert_cmpstr (endpoint, ==, expected_endpoint);
  text = read_all (stream);
  g_assert_true (g_str_has_prefix (text, "data: {"));
  g_assert_nonnull (strstr (text, "\"finishReason\":\"STOP\""));

  request = ag_test_mock_last_request (fixture->mock, NULL);
  headers = json_object_get_object_member (request, "headers");
  g_assert_cmpstr (json_object_get_string_member (request, "path"), ==, "/first/v1internal:streamGenerateContent");
  g_assert_cmpstr (json_object_get_string_member (request, "query"), ==, "alt=sse");
  g_assert_cmpstr (json_object_get_string_member (headers, "accept"), ==, "text/event-stream");
  g_assert_cmpstr (json_object_get_string_member (headers, "anthropic-beta"), ==, "interleaved-thinking-2025-05-14");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "user-agent"), "antigravity/"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (request, "body"), "project"), ==,
                   "proj-1");
}

static void
test_stream_quota_error_no_fallback (Fixture *fixture, gconstpointer script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GInputStream) stream = open_stream (fixture, FALSE, &endpoint, &google_error, &error);

  g_assert_null (stream);
  g_assert_null (endpoint);
  assert_google_error (fixture, error, google_error, 429, AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED, ":streamGenerateContent",
                       1);
  g_assert_cmpstr (google_error->reason, ==, "QUOTA_EXHAUSTED");
}

static void
test_stream_server_error_falls_back (Fixture *fixture, gconstpointer script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GInputStream) stream = open_stream (fixture, FALSE, &endpoint, &google_error, &error);
  g_autofree char *expected_endpoint = g_strconcat (fixture->mock_url, "/second", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) request = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (endpoint, ==, expected_endpoint);
  text = read_all (stream);
  g_assert_nonnull (strstr (text, "\"finishReason\":\"STOP\""));
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":streamGenerateContent"), ==, 2);
  request = ag_test_mock_last_request (fixture->mock, NULL);
  g_assert_cmpstr (json_object_get_string_member (request, "path"), ==, "/second/v1internal:streamGenerateContent");
  /* No thinking: no beta header. */
  g_assert_false (json_object_has_member (json_object_get_object_member (request, "headers"), "anthropic-beta"));
}

static void
test_stream_last_endpoint_error (Fixture *fixture, gconstpointer script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GInputStream) stream = open_stream (fixture, FALSE, NULL, &google_error, &error);

  g_assert_null (stream);
  assert_google_error (fixture, error, google_error, 503, AG_UPSTREAM_FAILURE_CAPACITY, ":streamGenerateContent", 2);
  g_assert_cmpstr (google_error->message, ==, "No capacity available for model claude-sonnet-4-6 on the server");
}

/* A unary fetchAvailableModels call with @access_token and @body_json. */
static JsonNode *
fetch_models (Fixture *fixture, const char *access_token, const char *body_json, AgGoogleError **google_error,
              GError **error)
{
  g_autoptr(JsonNode) body = ag_test_parse_json_text (body_json);
  g_autoptr(GAsyncResult) result = AG_TEST_AWAIT_CALL (ag_cloudcode_client_call_async, fixture->client, NULL,
                                                        "fetchAvailableModels", access_token, body, NULL);

  return ag_cloudcode_client_call_finish (fixture->client, result, google_error, error);
}

/* A successful fetchAvailableModels, answered by the host at @path after @requests requests in all. */
static void
assert_models_fetched (Fixture *fixture, const char *path, guint requests)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) request = NULL;

  answer = fetch_models (fixture, fixture->access_token, "{\"project\":\"proj-1\"}", &google_error, &error);
  g_assert_no_error (error);
  g_assert_null (google_error);
  g_assert_true (json_object_has_member (json_object_get_object_member (json_node_get_object (answer), "models"),
                                         "claude-sonnet-4-6"));
  g_assert_cmpuint (ag_mock_server_count_requests (fixture->mock, ":fetchAvailableModels"), ==, requests);
  request = ag_test_mock_last_request (fixture->mock, NULL);
  g_assert_cmpstr (json_object_get_string_member (request, "path"), ==, path);
}

static void
test_unary_call (Fixture *fixture, gconstpointer script)
{
  g_autoptr(JsonObject) request = NULL;

  assert_models_fetched (fixture, "/first/v1internal:fetchAvailableModels", 1);
  request = ag_test_mock_last_request (fixture->mock, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (request, "headers"), "accept"), ==,
                   "application/json");
}

static void
test_unary_unauthorized (Fixture *fixture, gconstpointer script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  answer = fetch_models (fixture, "not-a-token", "{}", &google_error, &error);
  g_assert_null (answer);
  assert_google_error (fixture, error, google_error, 401, AG_UPSTREAM_FAILURE_AUTH, ":fetchAvailableModels", 1);
  g_assert_null (strstr (error->message, "not-a-token"));
}

/* A 503 from the first host sends a unary call to the next one, as it does a stream. */
static void
test_unary_server_error_falls_back (Fixture *fixture, gconstpointer script)
{
  assert_models_fetched (fixture, "/second/v1internal:fetchAvailableModels", 2);
}

#define ONE_ACCOUNT "\"accounts\":[{\"refresh_token\":\"rt-1\",\"email\":\"user1@example.com\",\"project\":\"proj-1\"}]"

static const char *plain_script = "{" ONE_ACCOUNT "}";
static const char *quota_script =
  "{" ONE_ACCOUNT ",\"generate\":[{\"respond\":{\"status\":429,\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\","
  "\"message\":\"Individual quota reached. Resets in 108h48m29s.\",\"details\":[{\"@type\":"
  "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"QUOTA_EXHAUSTED\",\"domain\":\"cloudcode-pa.googleapis.com\","
  "\"metadata\":{\"model\":\"claude-sonnet-4-6\",\"quotaResetDelay\":\"108h48m20.795762633s\"}}]}}}]}";
static const char *capacity_once_script =
  "{" ONE_ACCOUNT ",\"generate\":[{\"times\":1,\"respond\":{\"status\":503,\"error\":{\"code\":503,"
  "\"status\":\"UNAVAILABLE\",\"message\":\"No capacity available for model claude-sonnet-4-6 on the server\"}}}]}";
static const char *capacity_always_script =
  "{" ONE_ACCOUNT ",\"generate\":[{\"respond\":{\"status\":503,\"error\":{\"code\":503,"
  "\"status\":\"UNAVAILABLE\",\"message\":\"No capacity available for model claude-sonnet-4-6 on the server\"}}}]}";
static const char *models_capacity_once_script =
  "{" ONE_ACCOUNT ",\"generate\":[{\"times\":1,\"match\":{\"method\":\"fetchAvailableModels\"},"
  "\"respond\":{\"status\":503,\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"busy\"}}}]}";

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cloudcode-client/stream-success", Fixture, plain_script, fixture_set_up, test_stream_success,
              fixture_tear_down);
  g_test_add ("/cloudcode-client/stream-429-no-fallback", Fixture, quota_script, fixture_set_up,
              test_stream_quota_error_no_fallback, fixture_tear_down);
  g_test_add ("/cloudcode-client/stream-503-falls-back", Fixture, capacity_once_script, fixture_set_up,
              test_stream_server_error_falls_back, fixture_tear_down);
  g_test_add ("/cloudcode-client/stream-last-endpoint-error", Fixture, capacity_always_script, fixture_set_up,
              test_stream_last_endpoint_error, fixture_tear_down);
  g_test_add ("/cloudcode-client/unary-call", Fixture, plain_script, fixture_set_up, test_unary_call,
              fixture_tear_down);
  g_test_add ("/cloudcode-client/unary-503-falls-back", Fixture, models_capacity_once_script, fixture_set_up,
              test_unary_server_error_falls_back, fixture_tear_down);
  g_test_add ("/cloudcode-client/unary-unauthorized", Fixture, plain_script, fixture_set_up, test_unary_unauthorized,
              fixture_tear_down);

  return g_test_run ();
}
