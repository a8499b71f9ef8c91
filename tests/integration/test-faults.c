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
  ag_test_harness_set_script (harness, json);
}

static guint
post (const char *json, GBytes **body)
{
  return ag_test_harness_post (harness, json, body);
}

static const char *
event_name (JsonArray *events, guint i)
{
  return json_object_get_string_member (json_array_get_object_element (events, i), "event");
}

/* After every fault: health check and a complete normal answer. */
static void
assert_still_serving (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  set_script (NULL);
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (post (REQUEST ("false", "are you still there?"), &body), ==, 200);
  text = ag_test_reply_text (body);
  g_assert_cmpstr (text, ==, "Hello from the mock.");
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

/* One fault: what the client gets, then ag-cl serves the next request normally. */
typedef struct {
  const char *name;
  const char *script;            /* the upstream answer, scripted… */
  const char *raw;               /* …or these exact bytes, with 200 and @content_type */
  char     *(*make_raw) (void);  /* …or bytes too many to write out */
  const char *content_type;
  const char *raw_options;       /* more respond options for the raw answer */
  const char *request;
  guint       status;
  const char *error_type;        /* an error of this type… */
  const char *error_part;        /* …whose message has this */
  gboolean    stream_error;      /* …as the stream's last event (else as the body) */
  guint       unary_status;      /* 0, or the status the same fault gives a non-streaming request (same error) */
  const char *prefix;            /* the body starts with it */
  gboolean    whole_message;     /* the stream opens with message_start and closes with message_stop */
  const char *text;              /* the streamed text */
  gint64      max_elapsed_s;     /* 0: not checked */
  const char *logged;            /* in the proxy's log */
  gboolean    token_renewed;     /* one /token call, and the generation retried once after it */
  gboolean    not_upstream;      /* nothing reached Google */
} Fault;

#define STREAM REQUEST ("true", "hello")

/* One whole event, then the connection drops halfway through the next. */
static char *
cut_mid_event (void)
{
  const char *second = TEXT_CHUNK ("world");
  g_autofree char *cut = g_strndup (second, strlen (second) / 2);

  return g_strconcat (TEXT_CHUNK ("Hello "), cut, NULL);
}

/* One event just over the 16 MiB limit, after a good one. */
static char *
huge_event (void)
{
  GString *raw = g_string_new (TEXT_CHUNK ("Hello "));

  g_string_append (raw, "data: {\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"");
  for (gsize i = 0; i < 16 * 1024 * 1024 / 64 + 1; i++)
    g_string_append (raw, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (raw, "\"}]}}]}}\n\n");
  return g_string_free (raw, FALSE);
}

/* Eight seconds of keep-alive comments (with the options below) and not one event. */
static char *
comments_only (void)
{
  GString *raw = g_string_new (NULL);

  for (int i = 0; i < 80; i++)
    g_string_append (raw, ": still here\n");
  return g_string_free (raw, FALSE);
}

#define SERVER_ERROR(code, answer, type, part)                                                                 \
  { .name = "server-error-" #code, .script = "{\"generate\":[{\"respond\":{\"status\":" #code "}}]}",            \
    .request = "{\"model\":\"gemini-3.1-pro-high\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","         \
               "\"content\":\"hi\"}]}",                                                                        \
    .status = answer, .error_type = type, .error_part = part }

static const Fault upstream_faults[] = {
  { .name = "close-before-first-byte",
    .script = "{\"generate\":[{\"respond\":{\"text\":\"never seen\",\"close_after_bytes\":0}}]}",
    .request = STREAM, .status = 502, .error_type = "api_error", .error_part = "without sending any content" },
  /* The stream ends in an error after the text that came; the same cut for a non-streaming client is a 502. */
  { .name = "close-mid-event", .make_raw = cut_mid_event, .content_type = "text/event-stream",
    .request = STREAM, .status = 200, .text = "Hello ",
    .error_type = "api_error", .error_part = "ended before the answer was complete", .stream_error = TRUE,
    .unary_status = 502 },
  { .name = "garbage",
    .raw = "\x01\x02 binary noise\r\n\r\nevent: ???\ndata: not json at all\n\n:::\n\ndata: [1,2]\n\n",
    .content_type = "text/event-stream",
    .request = STREAM, .status = 502, .error_type = "api_error", .error_part = "without sending any content" },
  /* A broken event between two good ones is skipped; the answer still completes. */
  { .name = "truncated-json",
    .raw = TEXT_CHUNK ("Hello ")
           "data: {\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lost\n\n"
           "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
           "\"again\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,"
           "\"candidatesTokenCount\":2}}}\n\n",
    .content_type = "text/event-stream",
    .request = STREAM, .status = 200, .text = "Hello again", .logged = "skipping a malformed upstream event" },
  /* The call ends with a clean error rather than a silent gap. */
  { .name = "huge-event", .make_raw = huge_event, .content_type = "text/event-stream",
    .request = STREAM, .status = 200,
    .error_type = "api_error", .error_part = "exceeds 16777216 bytes", .stream_error = TRUE },
  /* Bytes flow, yet the answer must not wait forever. */
  { .name = "comments-only", .make_raw = comments_only, .content_type = "text/event-stream",
    .raw_options = "\"split_bytes\":13,\"chunk_delay_ms\":100",
    .request = STREAM, .status = 200,
    .error_type = "api_error", .error_part = "Cloud Code sent nothing for 1.5 s", .stream_error = TRUE,
    .max_elapsed_s = 6 },
  { .name = "html-page-with-200",
    .raw = "<!DOCTYPE html>\n<html lang=en>\n<title>Error 502 (Server Error)!!1</title>\n"
           "<p><b>502.</b> <ins>That's an error.</ins>\n<p>Please try again in 30 seconds.</html>\n",
    .content_type = "text/html; charset=UTF-8",
    .request = REQUEST ("false", "hello"), .status = 502,
    .error_type = "api_error", .error_part = "without sending any content" },
  /* Slower than the idle timeout: that limit applies to a stream in progress, not to Google's thinking time.
   * Keepalives while Google thinks are comments (bytes for the client's stall watchdog, no event). */
  { .name = "slow-first-byte",
    .script = "{\"generate\":[{\"respond\":{\"text\":\"Worth the wait.\",\"first_byte_delay_ms\":2000}}]}",
    .request = STREAM, .status = 200, .prefix = ": ping\n\n", .whole_message = TRUE, .text = "Worth the wait." },
  /* The first pieces arrive, then upstream goes silent for far longer than the idle timeout. */
  { .name = "stall-mid-stream",
    .script = "{\"generate\":[{\"respond\":{\"text\":\"This is the first part of an answer that stalls.\","
              "\"split_bytes\":150,\"chunk_delay_ms\":30000}}]}",
    .request = STREAM, .status = 200, .max_elapsed_s = 8,
    .error_type = "api_error", .error_part = "Cloud Code sent nothing for 1.5 s", .stream_error = TRUE,
    .logged = "upstream silent for 1500 ms" },
};

/* 500, 502 and 504 are transient server errors: 502 api_error naming Google's status. 503 is Google's "no
 * capacity": the account rests for that model, and the client is told to come back later. Another model than
 * assert_still_serving's, since rests are per model. */
static const Fault server_errors[] = {
  SERVER_ERROR (500, 502, "api_error", "(HTTP 500)"),
  SERVER_ERROR (502, 502, "api_error", "(HTTP 502)"),
  SERVER_ERROR (504, 502, "api_error", "(HTTP 504)"),
  SERVER_ERROR (503, 429, "rate_limit_error", "gemini-3.1-pro-high"),
};

/* A token Google revokes before its expiry: ag-cl renews it once and retries, invisibly to the client. */
static const Fault renews_token = {
  .name = "401-renews-token",
  .script = "{\"generate\":[{\"times\":1,\"respond\":{\"error_preset\":\"unauthenticated\"}}]}",
  .request = STREAM, .status = 200, .text = "Hello from the mock.", .token_renewed = TRUE,
};

/* A client fault answered before anything goes upstream. */
static const Fault invalid_utf8 = {
  .name = "invalid-utf8", .script = "{}", .request = REQUEST ("true", "caf\xc3\x28 \xff\xfe"), .status = 400,
  .error_type = "invalid_request_error", .error_part = "not valid UTF-8", .not_upstream = TRUE,
};

static void
test_fault (gconstpointer data)
{
  const Fault *c = data;
  g_autoptr(GBytes) body = NULL;
  gint64 started = g_get_monotonic_time ();
  guint status;

  if (c->script != NULL)
    set_script (c->script);
  else
    {
      g_autofree char *made = c->make_raw != NULL ? c->make_raw () : NULL;

      set_raw_script (made != NULL ? made : c->raw, c->content_type, c->raw_options);
    }
  status = post (c->request, &body);
  g_test_message ("%s -> %u: %.*s", c->name, status, (int) MIN (g_bytes_get_size (body), 2000),
                  (const char *) g_bytes_get_data (body, NULL));
  g_assert_cmpuint (status, ==, c->status);
  if (c->max_elapsed_s > 0)
    g_assert_cmpint (g_get_monotonic_time () - started, <, c->max_elapsed_s * G_USEC_PER_SEC);
  if (c->prefix != NULL)
    g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), c->prefix));
  if (c->whole_message)
    {
      g_autoptr(JsonNode) parsed = ag_test_parse_sse (body);
      JsonArray *events = json_node_get_array (parsed);

      g_assert_cmpstr (event_name (events, 0), ==, "message_start");
      g_assert_cmpstr (event_name (events, json_array_get_length (events) - 1), ==, "message_stop");
    }
  if (c->text != NULL)
    {
      g_autofree char *text = ag_test_streamed_text (body);

      g_assert_cmpstr (text, ==, c->text);
    }
  if (c->error_type != NULL && c->stream_error)
    ag_test_assert_stream_ends_in_error (body, c->error_type, c->error_part);
  else if (c->error_type != NULL)
    ag_test_assert_error_body (body, c->error_type, c->error_part);
  if (c->logged != NULL)
    g_assert_nonnull (strstr (harness->proxy_log->str, c->logged));
  if (c->token_renewed)
    {
      g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 2);
      g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 1);
    }
  if (c->not_upstream)
    g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
  if (c->unary_status != 0)
    {
      g_clear_pointer (&body, g_bytes_unref);
      g_assert_cmpuint (post (REQUEST ("false", "hello"), &body), ==, c->unary_status);
      ag_test_assert_error_body (body, c->error_type, c->error_part);
    }
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
          ag_test_assert_stream_ends_in_error (storm[i].body, "rate_limit_error", "gemini-3-flash");
        }
      else
        {
          g_assert_cmpuint (soup_message_get_status (storm[i].msg), ==, 429);
          ag_test_assert_error_body (storm[i].body, "rate_limit_error", "gemini-3-flash");
        }
      g_object_unref (storm[i].msg);
      g_bytes_unref (storm[i].body);
    }
  assert_still_serving ();
}

static void
test_403_validation_required (void)
{
  g_autoptr(GBytes) body = NULL;

  set_script ("{\"generate\":[{\"respond\":{\"error_preset\":\"validation_required\","
              "\"validation_url\":\"https://accounts.google.com/signin/continue?sarp=1\"}}]}");
  g_assert_cmpuint (post (REQUEST ("true", "hello"), &body), ==, 503);
  /* The only account is out: the answer names it, its state and the page to verify it at. */
  ag_test_assert_error_body (body, "api_error", "user1@example.com needs verification (verify at "
                             "https://accounts.google.com/signin/continue?sarp=1");
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  /* The state is kept (history.db): a restart alone does not bring the account back, a fresh sign-in does. */
  set_script (NULL);
  ag_test_harness_restart_proxy (harness);
  g_assert_true (ag_test_harness_wait_log (harness, "restored 1 account states", 5000));
  g_clear_pointer (&body, g_bytes_unref);
  g_assert_cmpuint (post (REQUEST ("false", "hello"), &body), ==, 503);
  ag_test_assert_error_body (body, "api_error", "user1@example.com needs verification");
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_restart_proxy (harness);
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
  ag_test_assert_error_body (body, "api_error", "must sign in again");
  g_assert_null (strstr (text, "ya29."));
  g_assert_null (strstr (text, "rt-1"));
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 1);
  g_assert_cmpuint (ag_test_harness_request (harness, "GET", "/healthz", NULL, NULL, NULL), ==, 200);
  /* The account stays marked for sign-in until the user adds it again. */
  g_assert_cmpuint (post (REQUEST ("false", "hello"), NULL), ==, 503);
  set_script (NULL);
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_restart_proxy (harness);
  assert_still_serving ();
}

/* ── client faults ─────────────────────────────────────────────────────────────────────────────────────────── */

static void
test_client_disconnects_mid_stream (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", harness->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static (REQUEST ("true", "hello"), strlen (REQUEST ("true", "hello")));
  char buffer[256];
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gssize got;

  /* The answer trickles out; the client reads its first bytes and hangs up. */
  set_script ("{\"generate\":[{\"respond\":{\"text\":\"A long answer that the client will not wait for.\","
              "\"split_bytes\":100,\"chunk_delay_ms\":400}}]}");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  result = AG_TEST_AWAIT_CALL (soup_session_send_async, harness->session, msg, G_PRIORITY_DEFAULT, NULL);
  stream = soup_session_send_finish (harness->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_clear_object (&result);
  result = AG_TEST_AWAIT_CALL (g_input_stream_read_async, stream, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL);
  got = g_input_stream_read_finish (stream, result, NULL);
  g_assert_cmpint (got, >, 0);
  /* The message, or a keepalive comment sent while the first pieces of it trickle in. */
  g_assert_true (g_str_has_prefix (buffer, "event: message_start") || g_str_has_prefix (buffer, ": ping\n"));
  g_input_stream_close (stream, NULL, NULL);
  soup_session_abort (harness->session);

  /* The request log line follows the notice. */
  ag_test_harness_wait_log (harness, "client went away", 4000);
  ag_test_harness_wait_log (harness, ": 499 in", 4000);
  g_assert_nonnull (strstr (harness->proxy_log->str, "client went away"));
  g_assert_nonnull (strstr (harness->proxy_log->str, ": 499 in"));
  assert_still_serving ();
}

static void
test_half_body (void)
{
  g_autoptr(GSocketConnection) connection = ag_test_connect (harness->port, 20);
  const char *request = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        "Content-Length: 200\r\n\r\n{\"model\":\"claude-sonnet-4-6\",\"max_tok";
  g_autofree char *response = NULL;
  gsize got = 0;

  /* Half the announced body, then the client closes its side. */
  set_script (NULL);
  ag_test_write (connection, request, -1);
  g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
  response = ag_test_read_all (connection, 255, &got, NULL);
  /* Nothing is answered to a request that never arrived whole; the connection just ends. */
  g_assert_cmpuint (got, ==, 0);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 0);
  assert_still_serving ();
}

/* A 50 MB body is refused from its headers: the 413 arrives before a single body byte was sent. */
static void
test_50_mb_body (void)
{
  g_autoptr(GSocketConnection) connection = ag_test_connect (harness->port, 20);
  const char *head = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "Content-Length: 52428800\r\n\r\n";
  g_autofree char *response = NULL;

  ag_test_write (connection, head, -1);
  response = ag_test_read_all (connection, 4095, NULL, NULL);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "\"request_too_large\""));
  g_assert_nonnull (strstr (response, "52428800 bytes exceeds the limit"));
  assert_still_serving ();
}

/* A chunked body announces no size: it is refused once past the limit, before the client has sent it all. */
static void
test_50_mb_chunked_body (void)
{
  g_autoptr(GSocketConnection) connection = ag_test_connect (harness->port, 20);
  GSocket *socket = g_socket_connection_get_socket (connection);
  const char *head = "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n";
  g_autofree char *chunk = g_strdup_printf ("100000\r\n%*s\r\n", 0x100000, "");
  g_autofree char *response = NULL;
  guint sent_mb = 0;

  ag_test_write (connection, head, -1);
  while (sent_mb < 50 && (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) == 0)
    {
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), chunk,
                                      strlen (chunk), NULL, NULL, NULL))
        break;
      sent_mb++;
    }
  response = ag_test_read_all (connection, 4095, NULL, NULL);
  g_test_message ("answered after %u MB", sent_mb);
  g_assert_cmpuint (sent_mb, <, 50);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response, "exceeds the limit of 33554432 bytes"));
  assert_still_serving ();
}

static void
test_500_idle_connections (void)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < 500; i++)
    g_ptr_array_add (connections, ag_test_connect (harness->port, 20));
  /* Some with a started request line that never ends. */
  for (guint i = 0; i < connections->len; i += 5)
    ag_test_write (connections->pdata[i], "POST /v1/messages HTTP/1.1\r\nHost: local", 39);
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
      g_autoptr(GSocketConnection) connection = ag_test_connect (harness->port, 20);
      char response[512] = { 0 };
      gssize got;

      ag_test_write (connection, request, -1);
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
  ag_test_assert_error_body (body, "api_error", "no Google account");

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
  harness = ag_test_harness_init (&argc, &argv);
  ag_test_harness_setenv (harness, "AGCL_KEEPALIVE_MS", "300");
  ag_test_harness_setenv (harness, "AGCL_STREAM_IDLE_TIMEOUT_MS", IDLE_TIMEOUT_MS);
  ag_test_harness_start_proxy (harness);

  /* Flat under each prefix, in this order: the tests share one proxy (rests are per model and last). */
  AG_TEST_ADD_CASES ("/faults/upstream/", upstream_faults, test_fault);
  g_test_add_func ("/faults/upstream/429-storm", test_429_storm);
  AG_TEST_ADD_CASES ("/faults/upstream/", server_errors, test_fault);
  g_test_add_data_func ("/faults/upstream/401-renews-token", &renews_token, test_fault);
  g_test_add_func ("/faults/upstream/403-validation-required", test_403_validation_required);
  g_test_add_func ("/faults/upstream/invalid-grant-on-refresh", test_invalid_grant_on_refresh);
  g_test_add_func ("/faults/client/disconnects-mid-stream", test_client_disconnects_mid_stream);
  g_test_add_func ("/faults/client/half-body", test_half_body);
  g_test_add_func ("/faults/client/50-mb-body", test_50_mb_body);
  g_test_add_func ("/faults/client/50-mb-chunked-body", test_50_mb_chunked_body);
  g_test_add_data_func ("/faults/client/invalid-utf8", &invalid_utf8, test_fault);
  g_test_add_func ("/faults/client/500-idle-connections", test_500_idle_connections);
  g_test_add_func ("/faults/client/closed-keepalive-connections-released",
                   test_closed_keepalive_connections_released);
  g_test_add_func ("/faults/keyring-absent", test_keyring_absent);
  return ag_test_harness_run (harness);
}
