/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Several accounts against the mock: rotation on quota and capacity errors, waiting in place on a short rate limit,
 * the Gemini CLI quota fallback, the deliberate answer when every account rests, a revoked sign-in, and sessions
 * that stick while others spread. The proxy restarts for each test, without the last one's rests. */
#include "ag-test.h"

#include <glib/gstdio.h>
#include <string.h>

#define ACCOUNTS "\"accounts\":[{\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\"},{\"refresh_token\":\"rt-3\"}]"

static AgTestHarness *harness;

/* Rests outlive a restart (they are kept in history.db): each test starts without any. */
static void
forget_rests (void)
{
  static const char *const files[] = { "history.db", "history.db-wal", "history.db-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (harness->data_dir, files[i], NULL);

      g_remove (path);
    }
}

static void
restart_proxy (const char *script_json)
{
  ag_test_harness_stop_proxy (harness);
  forget_rests ();
  ag_test_harness_set_script (harness, script_json);
  ag_test_harness_start_proxy (harness);
}

typedef struct {
  gboolean            done;
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  gint64              elapsed_us;
  gint64              started_us;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
}

static void
sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reply *reply = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->elapsed_us = g_get_monotonic_time () - reply->started_us;
  reply->done = TRUE;
}

/* Starts POST /v1/messages (non-streaming) for @model in @session; wait with ag_test_wait_for (&reply->done). */
static void
send_message (Reply *reply, const char *session, const char *model, const char *text)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/messages", harness->port);
  g_autofree char *json = g_strdup_printf ("{\"model\":\"%s\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                                           "\"content\":\"%s\"}]}", model, text);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  memset (reply, 0, sizeof *reply);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_message_headers_replace (headers, "anthropic-version", "2023-06-01");
  soup_message_headers_replace (headers, "x-api-key", "test");
  if (session != NULL)
    soup_message_headers_replace (headers, "x-claude-code-session-id", session);
  reply->started_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (harness->session, msg, G_PRIORITY_DEFAULT, NULL, sent, reply);
}

static guint
request (Reply *reply, const char *session, const char *model, const char *text)
{
  send_message (reply, session, model, text);
  ag_test_wait_for (&reply->done, 30000);
  return reply->status;
}

/* The generate requests the mock received, as "project model session" strings in order. */
static GPtrArray *
upstream_generates (void)
{
  g_autoptr(JsonArray) array = ag_test_mock_requests (harness->mock, ":streamGenerateContent");
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *body = json_object_get_object_member (json_array_get_object_element (array, i), "body");
      JsonObject *inner;

      inner = json_object_get_object_member (body, "request");
      g_ptr_array_add (out, g_strdup_printf ("%s %s %s", json_object_get_string_member (body, "project"),
                                             json_object_get_string_member (body, "model"),
                                             json_object_get_string_member_with_default (inner, "sessionId", "-")));
    }
  return out;
}

static char *
project_of (GPtrArray *generates, guint index)
{
  const char *entry = g_ptr_array_index (generates, index);

  return g_strndup (entry, strcspn (entry, " "));
}

/* One upstream failure on the session's first account, then an answer: from another account (rotation) or from
 * the same one after the server's delay (waiting in place). The client sees only the 200. */
typedef struct {
  const char *script;           /* the failure, scripted once */
  const char *session;
  gboolean    same_account;     /* the retry went to the account that failed */
  gint64      min_elapsed_us;   /* bounds of the client's wait; 0: not checked */
  gint64      max_elapsed_us;
  guint       sticks;           /* further requests of the session, each served by the same account alone */
  const char *logged[4];        /* in the proxy's log afterwards */
} RetryCase;

static const RetryCase quota_rotates = {
  /* The session's first account is exhausted for hours: the client never sees it. The session then stays on the
   * account that served it, and the rest is the server's reset time (2h21m25.831582438s), not the ladder's first
   * step. The request log line names the account given up on and why. */
  "{" ACCOUNTS ",\"generate\":[{\"times\":1,\"respond\":{\"error_preset\":\"quota_exhausted\","
  "\"reset_delay\":\"2h21m25.831582438s\"}}]}",
  "sess-q", FALSE, 0, 0, 2, { "; retried: user", "@example.com quota 429\n", "rests 8485832 ms" },
};

/* Google can also say "quota exhausted" inside a 200 stream, before any content: that rotates like a 429. */
static const RetryCase error_inside_stream_rotates = {
  "{" ACCOUNTS ",\"generate\":[{\"times\":1,\"respond\":{\"status\":200,\"content_type\":"
  "\"text/event-stream\",\"raw\":\"data: {\\\"error\\\":{\\\"code\\\":429,\\\"message\\\":"
  "\\\"Resource has been exhausted (e.g. check quota).\\\",\\\"status\\\":\\\"RESOURCE_EXHAUSTED\\\","
  "\\\"details\\\":[{\\\"@type\\\":\\\"type.googleapis.com/google.rpc.ErrorInfo\\\",\\\"reason\\\":"
  "\\\"QUOTA_EXHAUSTED\\\",\\\"metadata\\\":{\\\"quotaResetDelay\\\":\\\"3h\\\"}}]}}\\n\\n\"}}]}",
  "sess-e", FALSE, 0, 0, 0, { "@example.com quota 429\n" },
};

/* Retried on the same account after the server's delay, not rotated. */
static const RetryCase rate_limit_waits_in_place = {
  "{" ACCOUNTS ",\"generate\":[{\"times\":1,\"respond\":{\"error_preset\":\"rate_limit\","
  "\"retry_delay\":\"0.4s\"}}]}",
  "sess-r", TRUE, 400000, 2000000, 0, { NULL },
};

/* No server delay: the capacity backoff (10 s) is longer than a wait in place, so another account serves. */
static const RetryCase capacity_rotates = {
  "{" ACCOUNTS ",\"generate\":[{\"times\":1,\"respond\":{\"error_preset\":\"capacity\"}}]}",
  "sess-c", FALSE, 0, 2000000, 0, { NULL },
};

static void
test_retry (gconstpointer data)
{
  const RetryCase *c = data;
  g_autoptr(GPtrArray) generates = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  Reply reply;

  restart_proxy (c->script);
  g_assert_cmpuint (request (&reply, c->session, "claude-sonnet-4-6", "hello"), ==, 200);
  if (c->min_elapsed_us > 0)
    g_assert_cmpint (reply.elapsed_us, >=, c->min_elapsed_us);
  if (c->max_elapsed_us > 0)
    g_assert_cmpint (reply.elapsed_us, <, c->max_elapsed_us);
  reply_clear (&reply);
  generates = upstream_generates ();
  g_assert_cmpuint (generates->len, ==, 2);
  first = project_of (generates, 0);
  second = project_of (generates, 1);
  if (c->same_account)
    g_assert_cmpstr (first, ==, second);
  else
    g_assert_cmpstr (first, !=, second);
  g_clear_pointer (&generates, g_ptr_array_unref);

  for (guint i = 0; i < c->sticks; i++)
    {
      g_autofree char *project = NULL;

      g_assert_cmpuint (request (&reply, c->session, "claude-sonnet-4-6", "again"), ==, 200);
      reply_clear (&reply);
      generates = upstream_generates ();
      g_assert_cmpuint (generates->len, ==, 3 + i);
      project = project_of (generates, generates->len - 1);
      g_assert_cmpstr (project, ==, second);
      g_clear_pointer (&generates, g_ptr_array_unref);
    }
  for (guint i = 0; c->logged[i] != NULL; i++)
    g_assert_nonnull (strstr (harness->proxy_log->str, c->logged[i]));
}

static void
test_gemini_cli_fallback (void)
{
  g_autoptr(GPtrArray) generates = NULL;
  g_autoptr(JsonObject) last = NULL;
  JsonObject *headers, *body;
  Reply reply;

  restart_proxy ("{" ACCOUNTS ",\"generate\":[{\"match\":{\"model\":\"gemini-3-flash\"},\"respond\":{"
                 "\"error_preset\":\"quota_exhausted\",\"reset_delay\":\"3h\"}}]}");
  g_assert_cmpuint (request (&reply, "sess-g", "gemini-3-flash", "hello"), ==, 200);
  reply_clear (&reply);
  /* Every account's Antigravity quota first, then the Gemini CLI pool. */
  generates = upstream_generates ();
  g_assert_cmpuint (generates->len, ==, 4);
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (generates, i), " gemini-3-flash "));
  g_assert_nonnull (strstr (g_ptr_array_index (generates, 3), " gemini-3-flash-preview "));

  last = ag_test_mock_last_request (harness->mock, ":streamGenerateContent");
  g_assert_nonnull (last);
  headers = json_object_get_object_member (last, "headers");
  body = json_object_get_object_member (last, "body");
  g_assert_cmpstr (json_object_get_string_member (headers, "user-agent"), ==, "google-api-nodejs-client/9.15.1");
  g_assert_cmpstr (json_object_get_string_member (headers, "x-goog-api-client"), ==, "gl-node/22.17.0");
  g_assert_cmpstr (json_object_get_string_member (headers, "client-metadata"), ==,
                   "ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI");
  g_assert_false (json_object_has_member (body, "requestType"));
  g_assert_false (json_object_has_member (body, "userAgent"));
  g_assert_true (json_object_has_member (body, "project"));

  /* The next request knows the Antigravity quota is gone and goes straight to the Gemini CLI pool. */
  g_clear_pointer (&generates, g_ptr_array_unref);
  g_assert_cmpuint (request (&reply, "sess-g", "gemini-3-flash", "again"), ==, 200);
  reply_clear (&reply);
  generates = upstream_generates ();
  g_assert_cmpuint (generates->len, ==, 5);
  g_assert_nonnull (strstr (g_ptr_array_index (generates, 4), " gemini-3-flash-preview "));
}

/* Every account rests for the model: the client gets a 429 that says why, with the retry headers that fit how
 * long the rest is. */
typedef struct {
  const char *script;
  const char *session;
  const char *should_retry;     /* x-should-retry; NULL: absent */
  const char *retry_after;      /* retry-after; NULL: absent */
  const char *message[4];       /* in the rate_limit_error's message */
  gboolean    asked_again;      /* a second ask is answered at once, without a request upstream */
} RestCase;

/* Final: the client must not retry for hours. */
static const RestCase all_exhausted = {
  "{" ACCOUNTS ",\"generate\":[{\"respond\":{\"error_preset\":\"quota_exhausted\","
  "\"reset_delay\":\"2h21m25.831582438s\"}}]}",
  "sess-x", "false", NULL,
  { "All 3 Google accounts have used up their quota for claude-sonnet-4-6", "the earliest resets at ", "in 2 h 22 min" },
  TRUE,
};

/* Retryable: Claude Code honours retry-after and comes back once the limit is over. */
static const RestCase all_rate_limited_briefly = {
  "{" ACCOUNTS ",\"generate\":[{\"respond\":{\"error_preset\":\"rate_limit\",\"retry_delay\":\"5s\"}}]}",
  "sess-b", NULL, "5",
  { "All 3 Google accounts are rate-limited for claude-sonnet-4-6; retry in 5 s" },
  FALSE,
};

static void
test_all_rest (gconstpointer data)
{
  const RestCase *c = data;
  Reply reply;

  restart_proxy (c->script);
  g_assert_cmpuint (request (&reply, c->session, "claude-sonnet-4-6", "hello"), ==, 429);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 3);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "x-should-retry"), ==, c->should_retry);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "retry-after"), ==, c->retry_after);
  for (guint i = 0; c->message[i] != NULL; i++)
    ag_test_assert_error_body (reply.body, "rate_limit_error", c->message[i]);
  reply_clear (&reply);
  if (!c->asked_again)
    return;

  g_assert_cmpuint (request (&reply, c->session, "claude-sonnet-4-6", "hello?"), ==, 429);
  g_assert_cmpint (reply.elapsed_us, <, 500000);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 3);
  reply_clear (&reply);
}

static void
test_revoked_account (void)
{
  g_autoptr(GPtrArray) generates = NULL;
  Reply reply;

  restart_proxy ("{\"accounts\":[{\"refresh_token\":\"rt-1\"},{\"refresh_token\":\"rt-2\",\"revoked\":true},"
                 "{\"refresh_token\":\"rt-3\"}]}");
  /* Three new sessions touch every account; the revoked one is marked and another serves its session. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *session = g_strdup_printf ("sess-v%u", i);

      g_assert_cmpuint (request (&reply, session, "claude-sonnet-4-6", "hello"), ==, 200);
      reply_clear (&reply);
    }
  generates = upstream_generates ();
  g_assert_cmpuint (generates->len, ==, 3);
  for (guint i = 0; i < generates->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (generates, i), "proj-2 "));
  g_assert_nonnull (strstr (harness->proxy_log->str, "user2@example.com cannot be used until it is fixed: "
                                                     "Google no longer accepts this account's sign-in"));
  /* It stays out: no further refresh attempt with the revoked token. */
  g_assert_cmpuint (request (&reply, "sess-v9", "claude-sonnet-4-6", "hello"), ==, 200);
  reply_clear (&reply);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, "/token"), ==, 3);
}

/* A streamed answer with nothing but metadata, after keepalives went out while Google was silent: the client has
 * seen no message yet (the keepalives are comments), so it is asked again and the client gets one whole message. */
static void
test_empty_streamed_answer_after_keepalives (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autofree char *text = NULL;
  JsonArray *array;
  guint starts = 0;

  ag_test_harness_setenv (harness, "AGCL_KEEPALIVE_MS", "100");
  restart_proxy ("{" ACCOUNTS ",\"generate\":[{\"times\":1,\"respond\":{\"first_byte_delay_ms\":600,\"chunks\":["
                 "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[]},\"finishReason\":\"STOP\"}],"
                 "\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5}}]}}]}");
  g_assert_cmpuint (ag_test_harness_request (harness, "POST", "/v1/messages",
                                             "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"stream\":true,"
                                             "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", &body,
                                             NULL), ==, 200);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (body, NULL), ": ping\n\n"));
  events = ag_test_parse_sse (body);
  array = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (array, i), "event"),
                     "message_start"))
      starts++;
  text = ag_test_joined_deltas (events, "text_delta", "text");
  g_assert_cmpuint (starts, ==, 1);
  g_assert_cmpstr (text, ==, "Hello from the mock.");
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 2);
  ag_test_harness_stop_proxy (harness);
  g_assert_nonnull (strstr (harness->proxy_log->str, "retried: user1@example.com empty 200"));
  ag_test_harness_unsetenv (harness, "AGCL_KEEPALIVE_MS");
}

static void
test_empty_answer_retried (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) generates = NULL;
  Reply reply;

  restart_proxy ("{" ACCOUNTS ",\"generate\":[{\"times\":2,\"respond\":{\"chunks\":[]}}]}");
  /* Two empty answers are asked again (empty-answer-retries 2); the third is the real one. */
  g_assert_cmpuint (request (&reply, "sess-e", "claude-sonnet-4-6", "hello"), ==, 200);
  text = ag_test_reply_text (reply.body);
  g_assert_cmpstr (text, ==, "Hello from the mock.");
  reply_clear (&reply);
  generates = upstream_generates ();
  g_assert_cmpuint (generates->len, ==, 3);
  g_assert_nonnull (strstr (harness->proxy_log->str, "retried: user"));
  g_assert_nonnull (strstr (harness->proxy_log->str, "empty 200, user"));

  /* Three in a row: the retries are bounded and the client gets an error. */
  g_clear_pointer (&generates, g_ptr_array_unref);
  restart_proxy ("{" ACCOUNTS ",\"generate\":[{\"respond\":{\"chunks\":[]}}]}");
  g_assert_cmpuint (request (&reply, "sess-e", "claude-sonnet-4-6", "hello"), ==, 502);
  reply_clear (&reply);
  g_assert_cmpuint (ag_mock_server_count_requests (harness->mock, ":streamGenerateContent"), ==, 3);
}

static void
test_sessions_spread_and_stick (void)
{
  g_autoptr(GPtrArray) generates = NULL;
  g_autoptr(GHashTable) session_project = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *sessions[] = { "sess-A", "sess-B", "sess-C", "sess-A", "sess-A", "sess-B", "sess-A", "sess-C" };
  Reply replies[G_N_ELEMENTS (sessions)];
  guint distinct;

  restart_proxy ("{" ACCOUNTS ",\"generate\":[{\"respond\":{\"text\":\"parallel answer\","
                 "\"first_byte_delay_ms\":150}}]}");
  /* One request per session first, so each session has its account; then all of them at once. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (request (&replies[i], sessions[i], "claude-sonnet-4-6", "first"), ==, 200);
      reply_clear (&replies[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    send_message (&replies[i], sessions[i], "claude-sonnet-4-6", "in parallel");
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      ag_test_wait_for (&replies[i].done, 30000);
      g_assert_cmpuint (replies[i].status, ==, 200);
      reply_clear (&replies[i]);
    }

  generates = upstream_generates ();
  g_assert_cmpuint (generates->len, ==, 3 + G_N_ELEMENTS (sessions));
  for (guint i = 0; i < generates->len; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (generates, i), " ", 3);
      const char *known = g_hash_table_lookup (session_project, fields[2]);

      if (known == NULL)
        g_hash_table_insert (session_project, g_strdup (fields[2]), g_strdup (fields[0]));
      else
        g_assert_cmpstr (known, ==, fields[0]);
    }
  g_assert_cmpuint (g_hash_table_size (session_project), ==, 3);
  {
    g_autoptr(GHashTable) projects = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, session_project);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_hash_table_add (projects, value);
    distinct = g_hash_table_size (projects);
  }
  g_assert_cmpuint (distinct, ==, 3);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = ag_test_harness_new ("{" ACCOUNTS "}");
  ag_test_harness_add_account (harness, "rt-1");
  ag_test_harness_add_account (harness, "rt-2");
  ag_test_harness_add_account (harness, "rt-3");

  g_test_add_data_func ("/rotation/quota-rotates", &quota_rotates, test_retry);
  g_test_add_data_func ("/rotation/error-inside-stream-rotates", &error_inside_stream_rotates, test_retry);
  g_test_add_data_func ("/rotation/rate-limit-waits-in-place", &rate_limit_waits_in_place, test_retry);
  g_test_add_data_func ("/rotation/capacity-rotates", &capacity_rotates, test_retry);
  g_test_add_func ("/rotation/gemini-cli-fallback", test_gemini_cli_fallback);
  g_test_add_data_func ("/rotation/all-exhausted", &all_exhausted, test_all_rest);
  g_test_add_data_func ("/rotation/all-rate-limited-briefly", &all_rate_limited_briefly, test_all_rest);
  g_test_add_func ("/rotation/revoked-account", test_revoked_account);
  g_test_add_func ("/rotation/empty-answer-retried", test_empty_answer_retried);
  g_test_add_func ("/rotation/empty-streamed-answer-after-keepalives", test_empty_streamed_answer_after_keepalives);
  g_test_add_func ("/rotation/sessions-spread-and-stick", test_sessions_spread_and_stick);
  status = g_test_run ();

  ag_test_harness_free (harness);
  return status;
}
