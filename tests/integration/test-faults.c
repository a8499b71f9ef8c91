/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault injection: the real ag-cl against a misbehaving mock Cloud Code server and misbehaving clients. Each case
 * asserts what the client receives and that ag-cl keeps serving afterwards. */
#include "ag-test.h"

#include <string.h>

/* Short enough to keep the suite fast, long enough that a loaded sanitizer build does not trip it by accident. */
#define IDLE_TIMEOUT_MS "1500"

#define REQUEST(stream, text)                                                                                \
  "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":" stream ",\"messages\":[{\"role\":\"user\"," \
  "\"content\":\"" text "\"}]}"

static AgTestHarness *harness;

static void
set_script (const char *json)
{
  g_autoptr(GError) error = NULL;

  ag_mock_server_reset (harness->mock);
  ag_mock_server_set_script_json (harness->mock, json != NULL ? json : "{}", &error);
  g_assert_no_error (error);
}

static guint
post (const char *json, GBytes **body)
{
  return ag_test_harness_request (harness, "POST", "/v1/messages", json, body, NULL);
}

/* Asserts an Anthropic error body of @type whose message contains @message_part. */
static void
assert_error_body (GBytes *body, const char *type, const char *message_part)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_json (body);
  JsonObject *object = json_node_get_object (parsed);
  JsonObject *error;

  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "error");
  error = json_object_get_object_member (object, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, type);
  if (strstr (json_object_get_string_member (error, "message"), message_part) == NULL)
    g_error ("error message \"%s\" lacks \"%s\"", json_object_get_string_member (error, "message"), message_part);
}

static const char *
event_name (JsonArray *events, guint i)
{
  return json_object_get_string_member (json_array_get_object_element (events, i), "event");
}

/* Asserts that a streamed body ends with one "error" event of @type whose message contains @message_part, after a
 * message that started and did not stop — or alone, when no content ever came (the 200 was sent for keepalives). */
static void
assert_stream_ends_in_error (GBytes *body, const char *type, const char *message_part)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_sse (body);
  JsonArray *events = json_node_get_array (parsed);
  guint n = json_array_get_length (events);
  JsonObject *error;

  g_assert_cmpuint (n, >=, 1);
  if (n > 1)
    g_assert_cmpstr (event_name (events, 0), ==, "message_start");
  g_assert_cmpstr (event_name (events, n - 1), ==, "error");
  for (guint i = 0; i + 1 < n; i++)
    g_assert_cmpstr (event_name (events, i), !=, "message_stop");
  error = json_object_get_object_member (json_object_get_object_member (json_array_get_object_element (events, n - 1),
                                                                        "data"), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, type);
  if (strstr (json_object_get_string_member (error, "message"), message_part) == NULL)
    g_error ("error message \"%s\" lacks \"%s\"", json_object_get_string_member (error, "message"), message_part);
}

/* The concatenated text deltas of a streamed body. */
static char *
streamed_text (GBytes *body)
{
  g_autoptr(JsonNode) parsed = ag_test_parse_sse (body);
  JsonArray *events = json_node_get_array (parsed);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *data = json_object_get_object_member (json_array_get_object_element (events, i), "data");
      JsonObject *delta;

      if (!g_str_equal (event_name (events, i), "content_block_delta"))
        continue;
      delta = json_object_get_object_member (data, "delta");
      if (g_str_equal (json_object_get_string_member (delta, "type"), "text_delta"))
        g_string_append (text, json_object_get_string_member (delta, "text"));
    }
  return g_string_free (text, FALSE);
}

/* After every fault: health check and a complete normal answer. */
static void
assert_still_serving (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonArray *content;

  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (post (REQUEST ("false", "are you still there?"), &body), ==, 200);
  parsed = ag_test_parse_json (body);
  content = json_object_get_array_member (json_node_get_object (parsed), "content");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "text"), ==,
                   "Hello from the mock.");
}

/* Scripts one raw upstream answer: @raw as the exact body bytes (JSON-escaped here), plus @extra options. */
static void
set_raw_script (const char *raw, const char *content_type, const char *extra)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *script = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 200);
  json_builder_set_member_name (builder, "raw");
  json_builder_add_string_value (builder, raw);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, content_type);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  /* Splice the extra options into the respond object. */
  json[strlen (json) - 1] = '\0';
  script = g_strdup_printf ("{\"generate\":[{\"respond\":%s%s%s}}]}", json, extra != NULL ? "," : "",
                            extra != NULL ? extra : "");
  set_script (script);
}

#define TEXT_CHUNK(text)                                                                                       \
  "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" text "\"}]}}]," \
  "\"modelVersion\":\"claude-sonnet-4-6\",\"responseId\":\"msg_vrtx_01\"},\"traceId\":\"t1\"}\n\n"

/* ── upstream faults ───────────────────────────────────────────────────────────────────────────────────────── */

static void
test_close_before_first_byte (void)
{
  g_autoptr(GBytes) body = NULL;

  set_script ("{\"generate\":[{\"respond\":{\"text\":\"never seen\",\"close_after_bytes\":0}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 502);
  assert_error_body (body, "api_error", "without sending any content");
  assert_still_serving ();
}

static void
test_close_mid_event (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  const char *second = TEXT_CHUNK ("world");

  /* One whole event, then the connection drops halfway through the next. */
  g_autofree char *raw = g_strconcat (TEXT_CHUNK ("Hello "), NULL);
  g_autofree char *cut = g_strndup (second, strlen (second) / 2);
  g_autofree char *both = g_strconcat (raw, cut, NULL);

  set_raw_script (both, "text/event-stream", NULL);
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  text = streamed_text (body);
  g_assert_cmpstr (text, ==, "Hello ");
  assert_stream_ends_in_error (body, "api_error", "ended before the answer was complete");
  g_clear_pointer (&body, g_bytes_unref);

  /* The same cut for a non-streaming client is a plain 502. */
  g_assert_cmpuint (post (REQUEST ("false", "hello"), &body), ==, 502);
  assert_error_body (body, "api_error", "ended before the answer was complete");
  assert_still_serving ();
}

static void
test_garbage (void)
{
  g_autoptr(GBytes) body = NULL;

  set_raw_script ("\x01\x02 binary noise\r\n\r\nevent: ???\ndata: not json at all\n\n:::\n\ndata: [1,2]\n\n",
                  "text/event-stream", NULL);
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 502);
  assert_error_body (body, "api_error", "without sending any content");
  assert_still_serving ();
}

static void
test_truncated_json (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  /* A broken event between two good ones is skipped; the answer still completes. */
  set_raw_script (TEXT_CHUNK ("Hello ")
                  "data: {\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lost\n\n"
                  "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
                  "\"again\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,"
                  "\"candidatesTokenCount\":2}}}\n\n", "text/event-stream", NULL);
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  text = streamed_text (body);
  g_assert_cmpstr (text, ==, "Hello again");
  g_assert_nonnull (strstr (harness->proxy_log->str, "skipping a malformed upstream event"));
  assert_still_serving ();
}

static void
test_huge_event (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) raw = g_string_new (TEXT_CHUNK ("Hello "));

  /* One event just over the 16 MiB limit: the call ends with a clean error rather than a silent gap. */
  g_string_append (raw, "data: {\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"");
  for (gsize i = 0; i < 16 * 1024 * 1024 / 64 + 1; i++)
    g_string_append (raw, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (raw, "\"}]}}]}}\n\n");
  set_raw_script (raw->str, "text/event-stream", NULL);
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  assert_stream_ends_in_error (body, "api_error", "exceeds 16777216 bytes");
  assert_still_serving ();
}

static void
test_comments_only (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) raw = g_string_new (NULL);
  gint64 started = g_get_monotonic_time ();

  /* Eight seconds of keep-alive comments and not one event: bytes flow, yet the answer must not wait forever. */
  for (int i = 0; i < 80; i++)
    g_string_append (raw, ": still here\n");
  set_raw_script (raw->str, "text/event-stream", "\"split_bytes\":13,\"chunk_delay_ms\":100");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  assert_stream_ends_in_error (body, "api_error", "Cloud Code sent nothing for 1.5 s");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 6 * G_USEC_PER_SEC);
  assert_still_serving ();
}

static void
test_html_page_with_200 (void)
{
  g_autoptr(GBytes) body = NULL;

  set_raw_script ("<!DOCTYPE html>\n<html lang=en>\n<title>Error 502 (Server Error)!!1</title>\n"
                  "<p><b>502.</b> <ins>That's an error.</ins>\n<p>Please try again in 30 seconds.</html>\n",
                  "text/html; charset=UTF-8", NULL);
  g_assert_cmpuint (post (REQUEST ("false", "hello"), &body), ==, 502);
  assert_error_body (body, "api_error", "without sending any content");
  assert_still_serving ();
}

static void
test_slow_first_byte (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *text = NULL;
  JsonArray *events;

  /* Slower than the idle timeout: that limit applies to a stream in progress, not to Google's thinking time. */
  set_script ("{\"generate\":[{\"respond\":{\"text\":\"Worth the wait.\",\"first_byte_delay_ms\":2000}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  parsed = ag_test_parse_sse (body);
  events = json_node_get_array (parsed);
  /* Keepalives while Google thinks are comments (bytes for the client's stall watchdog, no event). */
  g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), ": ping\n\n"));
  g_assert_cmpstr (event_name (events, 0), ==, "message_start");
  g_assert_cmpstr (event_name (events, json_array_get_length (events) - 1), ==, "message_stop");
  text = streamed_text (body);
  g_assert_cmpstr (text, ==, "Worth the wait.");
  assert_still_serving ();
}

static void
test_stall_mid_stream (void)
{
  g_autoptr(GBytes) body = NULL;
  gint64 started = g_get_monotonic_time ();

  /* The first pieces arrive, then upstream goes silent for far longer than the idle timeout. */
  set_script ("{\"generate\":[{\"respond\":{\"text\":\"This is the first part of an answer that stalls.\","
              "\"split_bytes\":150,\"chunk_delay_ms\":30000}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 8 * G_USEC_PER_SEC);
  assert_stream_ends_in_error (body, "api_error", "Cloud Code sent nothing for 1.5 s");
  g_assert_nonnull (strstr (harness->proxy_log->str, "upstream silent for 1500 ms"));
  assert_still_serving ();
}

typedef struct {
  gboolean     done;
  SoupMessage *msg;
  GBytes      *body;
} Storm;

static void
storm_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Storm *one = user_data;
  g_autoptr(GError) error = NULL;

  one->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  one->done = TRUE;
}

/* Twenty concurrent requests while every upstream call is rate limited: each gets a rate_limit_error — as a 429,
 * or, for a stream whose 200 went out with keepalives while ag-cl waited out the limit, as its only event. */
static void
test_429_storm (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", harness->port);
  Storm storm[20] = { 0 };

  /* Another model than the one assert_still_serving uses: rests are per model. */
  set_script ("{\"generate\":[{\"respond\":{\"error_preset\":\"rate_limit\",\"retry_delay\":\"0.05s\"}}]}");
  for (guint i = 0; i < G_N_ELEMENTS (storm); i++)
    {
      const char *json = i % 2 == 0
        ? "{\"model\":\"gemini-3-flash\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        : "{\"model\":\"gemini-3-flash\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      g_autoptr(GBytes) request = g_bytes_new_static (json, strlen (json));

      storm[i].msg = soup_message_new ("POST", url);
      soup_message_set_request_body_from_bytes (storm[i].msg, "application/json", request);
      soup_session_send_and_read_async (harness->session, storm[i].msg, G_PRIORITY_DEFAULT, NULL, storm_answered,
                                        &storm[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (storm); i++)
    {
      ag_test_wait_for (&storm[i].done, 60000);
      if (soup_message_get_status (storm[i].msg) == 200)
        {
          g_assert_true (i % 2 == 0);
          assert_stream_ends_in_error (storm[i].body, "rate_limit_error", "gemini-3-flash");
        }
      else
        {
          g_assert_cmpuint (soup_message_get_status (storm[i].msg), ==, 429);
          assert_error_body (storm[i].body, "rate_limit_error", "gemini-3-flash");
        }
      g_object_unref (storm[i].msg);
      g_bytes_unref (storm[i].body);
    }
  assert_still_serving ();
}

/* 500, 502 and 504 are transient server errors: 502 api_error naming Google's status. 503 is Google's "no
 * capacity": the account rests for that model, and the client is told to come back later. Another model than
 * assert_still_serving's, since rests are per model. */
static void
test_server_errors (void)
{
  static const guint statuses[] = { 500, 502, 504, 503 };

  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autofree char *script = g_strdup_printf ("{\"generate\":[{\"respond\":{\"status\":%u}}]}", statuses[i]);
      g_autofree char *expected = g_strdup_printf ("(HTTP %u)", statuses[i]);
      guint status;

      set_script (script);
      status = post ("{\"model\":\"gemini-3.1-pro-high\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                     "\"content\":\"hi\"}]}", &body);
      g_test_message ("upstream %u -> %u: %.*s", statuses[i], status, (int) g_bytes_get_size (body),
                      (const char *) g_bytes_get_data (body, NULL));
      if (statuses[i] == 503)
        {
          g_assert_cmpuint (status, ==, 429);
          assert_error_body (body, "rate_limit_error", "gemini-3.1-pro-high");
        }
      else
        {
          g_assert_cmpuint (status, ==, 502);
          assert_error_body (body, "api_error", expected);
        }
    }
  assert_still_serving ();
}

/* A token Google revokes before its expiry: ag-cl renews it once and retries, invisibly to the client. */
static void
test_401_renews_token (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  set_script ("{\"generate\":[{\"times\":1,\"respond\":{\"error_preset\":\"unauthenticated\"}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 200);
  text = streamed_text (body);
  g_assert_cmpstr (text, ==, "Hello from the mock.");
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 2);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 1);
  assert_still_serving ();
}

/* Restarts the proxy so that account state changed by a test does not leak into the next. */
static void
restart_proxy (void)
{
  ag_test_harness_stop_proxy (harness);
  ag_test_harness_start_proxy (harness);
}

static void
test_403_validation_required (void)
{
  g_autoptr(GBytes) body = NULL;

  set_script ("{\"generate\":[{\"respond\":{\"error_preset\":\"validation_required\","
              "\"validation_url\":\"https://accounts.google.com/signin/continue?sarp=1\"}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 503);
  assert_error_body (body, "api_error", "verify the account");
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  restart_proxy ();
  assert_still_serving ();
}

static void
test_invalid_grant_on_refresh (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  /* The access token is rejected, and renewing it fails: the refresh token was revoked. */
  set_script ("{\"accounts\":[{\"refresh_token\":\"rt-1\",\"revoked\":true}],"
              "\"generate\":[{\"respond\":{\"error_preset\":\"unauthenticated\"}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 503);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  assert_error_body (body, "api_error", "must sign in again");
  g_assert_null (strstr (text, "ya29."));
  g_assert_null (strstr (text, "rt-1"));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 1);
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  /* The account stays marked for sign-in until the user adds it again. */
  g_assert_cmpuint (post (REQUEST ("false", "hello"), NULL), ==, 503);
  set_script (NULL);
  ag_test_harness_add_account (harness, "rt-1");
  restart_proxy ();
  assert_still_serving ();
}

/* ── client faults ─────────────────────────────────────────────────────────────────────────────────────────── */

static GSocketConnection *
connect_raw (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", harness->port);
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 20);
  connection = g_socket_client_connect_to_host (client, host, 0, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
write_raw (GSocketConnection *connection, const char *bytes, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), bytes, len, NULL, NULL,
                             &error);
  g_assert_no_error (error);
}

typedef struct {
  gboolean      done;
  GInputStream *stream;
  GError       *error;
} Opened;

static void
opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Opened *o = user_data;

  o->stream = soup_session_send_finish (SOUP_SESSION (source), result, &o->error);
  o->done = TRUE;
}

typedef struct {
  gboolean done;
  gssize   got;
} Read;

static void
read_some (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Read *r = user_data;

  r->got = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  r->done = TRUE;
}

static void
test_client_disconnects_mid_stream (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", harness->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static (REQUEST ("true", "hello"), strlen (REQUEST ("true", "hello")));
  char buffer[256];
  Opened o = { 0 };
  Read r = { 0 };

  /* The answer trickles out; the client reads its first bytes and hangs up. */
  set_script ("{\"generate\":[{\"respond\":{\"text\":\"A long answer that the client will not wait for.\","
              "\"split_bytes\":100,\"chunk_delay_ms\":400}}]}");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  soup_session_send_async (harness->session, msg, G_PRIORITY_DEFAULT, NULL, opened, &o);
  ag_test_wait_for (&o.done, 10000);
  g_assert_no_error (o.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_input_stream_read_async (o.stream, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL, read_some, &r);
  ag_test_wait_for (&r.done, 10000);
  g_assert_cmpint (r.got, >, 0);
  /* The message, or a keepalive comment sent while the first pieces of it trickle in. */
  g_assert_true (g_str_has_prefix (buffer, "event: message_start") || g_str_has_prefix (buffer, ": ping\n"));
  g_input_stream_close (o.stream, NULL, NULL);
  g_object_unref (o.stream);
  soup_session_abort (harness->session);

  for (int i = 0; i < 200 && strstr (harness->proxy_log->str, "client went away") == NULL; i++)
    ag_test_sleep (20);
  g_assert_nonnull (strstr (harness->proxy_log->str, "client went away"));
  g_assert_nonnull (strstr (harness->proxy_log->str, ": 499 in"));
  assert_still_serving ();
}

static void
test_half_body (void)
{
  g_autoptr(GSocketConnection) connection = connect_raw ();
  const char *request = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        "Content-Length: 200\r\n\r\n{\"model\":\"claude-sonnet-4-6\",\"max_tok";
  char response[256] = { 0 };
  gsize got = 0;

  /* Half the announced body, then the client closes its side. */
  set_script (NULL);
  write_raw (connection, request, strlen (request));
  g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), response, sizeof response - 1,
                           &got, NULL, NULL);
  /* Nothing is answered to a request that never arrived whole; the connection just ends. */
  g_assert_cmpuint (got, ==, 0);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
  assert_still_serving ();
}

/* A 50 MB body is refused from its headers: the 413 arrives before a single body byte was sent. */
static void
test_50_mb_body (void)
{
  g_autoptr(GSocketConnection) connection = connect_raw ();
  const char *head = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "Content-Length: 52428800\r\n\r\n";
  char response[4096] = { 0 };
  gsize got = 0;

  write_raw (connection, head, strlen (head));
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), response, sizeof response - 1,
                           &got, NULL, NULL);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "\"request_too_large\""));
  g_assert_nonnull (strstr (response, "52428800 bytes exceeds the limit"));
  assert_still_serving ();
}

/* A chunked body announces no size: it is refused once past the limit, before the client has sent it all. */
static void
test_50_mb_chunked_body (void)
{
  g_autoptr(GSocketConnection) connection = connect_raw ();
  GSocket *socket = g_socket_connection_get_socket (connection);
  const char *head = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n";
  g_autofree char *chunk = g_strdup_printf ("100000\r\n%*s\r\n", 0x100000, "");
  char response[4096] = { 0 };
  gsize got = 0;
  guint sent_mb = 0;

  write_raw (connection, head, strlen (head));
  while (sent_mb < 50 && (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) == 0)
    {
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), chunk,
                                      strlen (chunk), NULL, NULL, NULL))
        break;
      sent_mb++;
    }
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), response, sizeof response - 1,
                           &got, NULL, NULL);
  g_test_message ("answered after %u MB", sent_mb);
  g_assert_cmpuint (sent_mb, <, 50);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "exceeds the limit of 33554432 bytes"));
  assert_still_serving ();
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GBytes) body = NULL;

  set_script (NULL);
  g_assert_cmpuint (post (REQUEST ("true", "caf\xc3\x28 \xff\xfe"), &body), ==, 400);
  assert_error_body (body, "invalid_request_error", "not valid UTF-8");
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
  assert_still_serving ();
}

static void
test_500_idle_connections (void)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < 500; i++)
    g_ptr_array_add (connections, connect_raw ());
  /* Some with a started request line that never ends. */
  for (guint i = 0; i < connections->len; i += 5)
    write_raw (connections->pdata[i], "POST /v1/messages HTTP/1.1\r\nHost: local", 39);
  assert_still_serving ();
  g_ptr_array_set_size (connections, 0);
  assert_still_serving ();
}

static guint
proxy_fd_count (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (harness->proxy));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* Clients close kept-alive connections when they go idle (Node's default after 4 s): each must release its socket
 * in ag-cl. libsoup 3.2 alone would keep every one open (CLOSE-WAIT) until file descriptors run out. */
static void
test_closed_keepalive_connections_released (void)
{
  const char *request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n";
  guint before;
  guint after = 0;

  assert_still_serving ();
  before = proxy_fd_count ();
  for (int i = 0; i < 100; i++)
    {
      g_autoptr(GSocketConnection) connection = connect_raw ();
      char response[512] = { 0 };
      gssize got;

      write_raw (connection, request, strlen (request));
      got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), response,
                                 sizeof response - 1, NULL, NULL);
      g_assert_cmpint (got, >, 0);
      g_assert_true (g_str_has_prefix (response, "HTTP/1.1 200"));
    }
  for (int i = 0; i < 100; i++)
    {
      after = proxy_fd_count ();
      if (after <= before + 2)
        break;
      ag_test_sleep (20);
    }
  g_assert_cmpuint (after, <=, before + 2);
  assert_still_serving ();
}

/* Without a Secret Service the proxy still starts, says why accounts are missing, and answers 503. */
static void
test_keyring_absent (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) proxy = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) request = g_bytes_new_static (REQUEST ("true", "hello"), strlen (REQUEST ("true", "hello")));
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  char *line;
  guint port = 0;

  g_subprocess_launcher_set_environ (launcher, harness->env);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  proxy = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("AG_CL"), "--headless", "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proxy));
  /* Blocking reads are fine here: this proxy never calls the in-process mock. */
  while (port == 0 && (line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL)) != NULL)
    {
      g_string_append_printf (log, "%s\n", line);
      if (g_str_has_prefix (line, "ag-cl: listening on http://127.0.0.1:"))
        port = (guint) g_ascii_strtoull (strrchr (line, ':') + 1, NULL, 10);
      g_free (line);
    }
  if (port == 0)
    g_error ("the proxy did not start without a keyring: %s", log->str);

  url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", port);
  msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 503);
  assert_error_body (body, "api_error", "no Google account");

  g_subprocess_send_signal (proxy, SIGTERM);
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL)) != NULL)
    {
      g_string_append_printf (log, "%s\n", line);
      g_free (line);
    }
  g_subprocess_wait (proxy, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", log->str);
  g_assert_true (g_subprocess_get_if_exited (proxy));
  g_assert_cmpint (g_subprocess_get_exit_status (proxy), ==, 0);
  g_assert_nonnull (strstr (log->str, "keyring"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = ag_test_harness_new (NULL);
  ag_test_harness_setenv (harness, "AGCL_KEEPALIVE_MS", "300");
  ag_test_harness_setenv (harness, "AGCL_STREAM_IDLE_TIMEOUT_MS", IDLE_TIMEOUT_MS);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_start_proxy (harness);

  g_test_add_func ("/faults/upstream/close-before-first-byte", test_close_before_first_byte);
  g_test_add_func ("/faults/upstream/close-mid-event", test_close_mid_event);
  g_test_add_func ("/faults/upstream/garbage", test_garbage);
  g_test_add_func ("/faults/upstream/truncated-json", test_truncated_json);
  g_test_add_func ("/faults/upstream/huge-event", test_huge_event);
  g_test_add_func ("/faults/upstream/comments-only", test_comments_only);
  g_test_add_func ("/faults/upstream/html-page-with-200", test_html_page_with_200);
  g_test_add_func ("/faults/upstream/slow-first-byte", test_slow_first_byte);
  g_test_add_func ("/faults/upstream/stall-mid-stream", test_stall_mid_stream);
  g_test_add_func ("/faults/upstream/429-storm", test_429_storm);
  g_test_add_func ("/faults/upstream/server-errors", test_server_errors);
  g_test_add_func ("/faults/upstream/401-renews-token", test_401_renews_token);
  g_test_add_func ("/faults/upstream/403-validation-required", test_403_validation_required);
  g_test_add_func ("/faults/upstream/invalid-grant-on-refresh", test_invalid_grant_on_refresh);
  g_test_add_func ("/faults/client/disconnects-mid-stream", test_client_disconnects_mid_stream);
  g_test_add_func ("/faults/client/half-body", test_half_body);
  g_test_add_func ("/faults/client/50-mb-body", test_50_mb_body);
  g_test_add_func ("/faults/client/50-mb-chunked-body", test_50_mb_chunked_body);
  g_test_add_func ("/faults/client/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/faults/client/500-idle-connections", test_500_idle_connections);
  g_test_add_func ("/faults/client/closed-keepalive-connections-released",
                   test_closed_keepalive_connections_released);
  g_test_add_func ("/faults/keyring-absent", test_keyring_absent);
  status = g_test_run ();

  ag_test_harness_free (harness);
  return status;
}
