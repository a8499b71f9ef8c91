/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-proxy-call.h"
#include "ag-anthropic-error.h"
#include "ag-client-socket.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-history-store.h"
#include "ag-proxy-reply.h"
#include "ag-sse-writer.h"
#include "ag-request-translator.h"
#include "ag-sse-parser.h"
#include "ag-stream-translator.h"

#include <string.h>

#define READ_SIZE 16384

struct _AgProxyCall {
  GObject              parent_instance;

  AgProxyServer       *server;
  SoupServerMessage   *msg;
  gulong               disconnected_id;
  GCancellable        *cancellable;
  gint64               started_at;
  gint64               started_at_wall_ms;
  gint64               first_byte_at;       /* monotonic µs of the first byte to the client; 0 = none yet */

  char                *client_model;
  AgResolvedModel      model;
  AgTranslatedRequest *translated;

  AgAccount           *account;
  GPtrArray           *tried;              /* accounts given up on for this request (not those only resting) */
  gboolean             renewed_token;
  AgGoogleError       *last_error;          /* the most recent upstream failure, for the final answer */
  char                *session_id;          /* Claude Code's session: keeps its requests on one account */
  char                *pool_model;          /* the model id sent upstream in the current quota pool */
  gboolean             gemini_cli;          /* serving from the Gemini CLI quota pool */
  guint                in_place_retries;
  gboolean             waited_for_all;      /* already waited once for a short rest of every account */
  gboolean             optimistic_reset;    /* already forgot the model's rests once */
  gint64               shortest_wait_ms;    /* the shortest rest seen when no account was free; -1 = none */
  guint                empty_retries;
  guint                retry_id;            /* a pending wait before the next try */
  AgRequestRecord     *record;              /* the request log's entry, its attempts filled as they happen */

  GInputStream        *upstream;
  AgSseParser         *parser;
  AgStreamTranslator  *translator;
  AgMessageCollector  *collector;           /* non-streaming clients only */
  gboolean             failed_before_content; /* an error event came before any content: rotate as for HTTP */
  char                *sent_version;        /* the client version announced by the current attempt */
  gboolean             retried_for_version; /* asked again once with a version updated meanwhile */
  gboolean             retryable_error;     /* the final error is transient: let the client retry it */

  gboolean             headers_sent;
  gboolean             completed;
  guint                keepalive_id;
  guint                idle_timeout_id;     /* ends a stream that upstream has gone silent on */
  guint                idle_timeout_ms;
  GSource             *client_watch;        /* notices a client that hangs up while its message is paused */
  gint64               keepalive_interval_us;
  gint64               last_write_at;
};

G_DEFINE_FINAL_TYPE (AgProxyCall, ag_proxy_call, G_TYPE_OBJECT)


static void
ag_proxy_call_finalize (GObject *object)
{
  AgProxyCall *self = AG_PROXY_CALL (object);

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  if (self->client_watch != NULL)
    {
      g_source_destroy (self->client_watch);
      g_clear_pointer (&self->client_watch, g_source_unref);
    }
  g_clear_object (&self->server);
  g_clear_object (&self->msg);
  g_clear_object (&self->cancellable);
  g_free (self->client_model);
  ag_resolved_model_clear (&self->model);
  g_clear_pointer (&self->translated, ag_translated_request_free);
  g_clear_object (&self->account);
  g_clear_pointer (&self->tried, g_ptr_array_unref);
  g_clear_pointer (&self->last_error, ag_google_error_free);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_free (self->session_id);
  g_free (self->sent_version);
  g_free (self->pool_model);
  g_clear_pointer (&self->record, ag_request_record_free);
  g_clear_object (&self->upstream);
  g_clear_pointer (&self->parser, ag_sse_parser_free);
  g_clear_pointer (&self->translator, ag_stream_translator_free);
  g_clear_pointer (&self->collector, ag_message_collector_free);
  G_OBJECT_CLASS (ag_proxy_call_parent_class)->finalize (object);
}

static void
ag_proxy_call_class_init (AgProxyCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_proxy_call_finalize;
}

static void
ag_proxy_call_init (AgProxyCall *self)
{
  self->cancellable = g_cancellable_new ();
  self->tried = g_ptr_array_new_with_free_func (g_object_unref);
  self->record = ag_request_record_new ();
  self->shortest_wait_ms = -1;
  self->started_at = g_get_monotonic_time ();
  self->started_at_wall_ms = g_get_real_time () / 1000;
}

static gboolean
is_streaming (AgProxyCall *self)
{
  return self->translated->stream;
}

/* "; retried: user1@example.com quota 429, all_limited_wait then 1200 ms, …" or "": what the loop went through. */
static char *
describe_attempts (AgProxyCall *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->record->attempts->len; i++)
    {
      AgRequestAttempt *attempt = g_ptr_array_index (self->record->attempts, i);

      g_string_append (text, i == 0 ? "; retried: " : ", ");
      if (attempt->account != NULL)
        g_string_append_printf (text, "%s ", attempt->account);
      g_string_append (text, attempt->reason);
      if (attempt->status != 0)
        g_string_append_printf (text, " %u", attempt->status);
      if (attempt->wait_ms > 0)
        g_string_append_printf (text, " then %" G_GINT64_FORMAT " ms", attempt->wait_ms);
    }
  return g_string_free (text, FALSE);
}

static AgRequestOutcome
outcome_for_status (guint status)
{
  if (status == 200)
    return AG_REQUEST_OUTCOME_OK;
  if (status == 499)
    return AG_REQUEST_OUTCOME_CANCELLED;
  if (status == 400 || status == 404 || status == 405 || status == 413)
    return AG_REQUEST_OUTCOME_CLIENT_ERROR;
  return AG_REQUEST_OUTCOME_UPSTREAM_ERROR;
}

/* Hands the finished request to the history store (queued: never blocks or fails the request). */
static void
record_request (AgProxyCall *self, guint status, gint64 input, gint64 output, gint64 cached)
{
  AgHistoryStore *store = ag_proxy_server_get_history (self->server);
  AgRequestRecord *record = self->record;
  gint64 now = g_get_monotonic_time ();

  if (store == NULL)
    return;
  record->time_ms = self->started_at_wall_ms;
  record->client = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (self->msg),
                                                           "User-Agent"));
  record->session_id = g_strdup (self->session_id);
  record->model = g_strdup (self->client_model);
  record->upstream_model = g_strdup (self->pool_model);
  record->account = self->account != NULL ? g_strdup (ag_account_get_email (self->account)) : NULL;
  record->outcome = outcome_for_status (status);
  record->status = status;
  record->ttfb_ms = self->first_byte_at != 0 ? (self->first_byte_at - self->started_at) / 1000
                                             : (status == 200 ? (now - self->started_at) / 1000 : -1);
  record->total_ms = (now - self->started_at) / 1000;
  record->input_tokens = input;
  record->output_tokens = output;
  record->cache_read_tokens = cached;
  ag_history_store_add_request (store, g_steal_pointer (&self->record));
}

/* Ends the call: the client has its answer (or is gone). Drops the self-reference taken in start. */
static void
complete (AgProxyCall *self, guint status)
{
  gint64 input = 0, output = 0, cached = 0;
  g_autofree char *attempts = NULL;

  if (self->completed)
    return;
  self->completed = TRUE;
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  if (self->client_watch != NULL)
    {
      g_source_destroy (self->client_watch);
      g_clear_pointer (&self->client_watch, g_source_unref);
    }
  if (self->disconnected_id != 0)
    g_clear_signal_handler (&self->disconnected_id, self->msg);
  if (self->upstream != NULL)
    g_input_stream_close_async (self->upstream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->translator != NULL)
    ag_stream_translator_get_usage (self->translator, &input, &output, &cached);
  attempts = describe_attempts (self);
  g_message ("POST /v1/messages %s → %s via %s: %u in %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " in (%"
             G_GINT64_FORMAT " cached), %" G_GINT64_FORMAT " out%s",
             self->client_model, self->pool_model != NULL ? self->pool_model : "-",
             self->account != NULL ? ag_account_get_email (self->account) : "-", status,
             (g_get_monotonic_time () - self->started_at) / 1000, input, cached, output, attempts);
  record_request (self, status, input, output, cached);
  g_object_unref (self);
}

static void
reply_error (AgProxyCall *self, guint status, const char *error_type, const char *message)
{
  if (self->headers_sent)
    {
      ag_stream_translator_fail (self->translator, error_type != NULL ? error_type
                                                                     : ag_anthropic_error_type_for_status (status),
                                 message);
      soup_message_body_complete (soup_server_message_get_response_body (self->msg));
      soup_server_message_unpause (self->msg);
    }
  else
    {
      ag_proxy_reply_error (self->msg, status, error_type, message);
      /* An account problem should not send Claude Code into its retry loop or its login screen. */
      if (status == 503 && !self->retryable_error)
        soup_message_headers_replace (soup_server_message_get_response_headers (self->msg), "x-should-retry", "false");
    }
  complete (self, status);
}

static void
reply_google_error (AgProxyCall *self, const AgGoogleError *error)
{
  g_autofree char *message = NULL;
  const char *error_type = NULL;
  guint status = ag_anthropic_error_from_google (error, &error_type, &message);

  reply_error (self, status, error_type, message);
}

/* ── writing to the client ─────────────────────────────────────────────────────────────────────────────────── */

static void
send_stream_headers (AgProxyCall *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);

  soup_server_message_set_status (self->msg, 200, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "Connection", "keep-alive");
  /* Written chunks need not stay in memory for the life of a long stream. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (self->msg), FALSE);
  self->headers_sent = TRUE;
}

static void
on_anthropic_event (const char *event_name, JsonNode *data, gpointer user_data)
{
  AgProxyCall *self = user_data;
  g_autoptr(GBytes) bytes = NULL;

  if (self->completed)
    return;
  if (!is_streaming (self))
    {
      ag_message_collector_add_event (event_name, data, self->collector);
      return;
    }
  if (!self->headers_sent)
    {
      send_stream_headers (self);
      self->first_byte_at = g_get_monotonic_time ();
    }
  bytes = ag_sse_format_event (event_name, data);
  soup_message_body_append_bytes (soup_server_message_get_response_body (self->msg), bytes);
  soup_server_message_unpause (self->msg);
  self->last_write_at = g_get_monotonic_time ();
}

/* Before the message starts a keepalive is an SSE comment: bytes for the client's stall watchdog, no event, so
 * the answer can still be dropped and asked for again (empty answer, error before content). */
static void
send_keepalive_comment (AgProxyCall *self)
{
  static const char comment[] = ": ping\n\n";

  if (!self->headers_sent)
    {
      send_stream_headers (self);
      self->first_byte_at = g_get_monotonic_time ();
    }
  soup_message_body_append (soup_server_message_get_response_body (self->msg), SOUP_MEMORY_STATIC, comment,
                            sizeof comment - 1);
  soup_server_message_unpause (self->msg);
  self->last_write_at = g_get_monotonic_time ();
}

static gboolean
keepalive_tick (gpointer user_data)
{
  AgProxyCall *self = user_data;

  if (self->completed || self->translator == NULL ||
      g_get_monotonic_time () - self->last_write_at < self->keepalive_interval_us)
    return G_SOURCE_CONTINUE;
  if (!ag_stream_translator_ping (self->translator))
    send_keepalive_comment (self);
  return G_SOURCE_CONTINUE;
}

/* ── reading upstream ──────────────────────────────────────────────────────────────────────────────────────── */

static void on_sse_event (const char *event, const char *data, gsize data_len, gpointer user_data);

static gboolean
upstream_idle (gpointer user_data)
{
  AgProxyCall *self = user_data;
  g_autofree char *message = g_strdup_printf ("Cloud Code sent nothing for %g s; the answer was abandoned",
                                              self->idle_timeout_ms / 1000.0);

  self->idle_timeout_id = 0;
  g_message ("upstream silent for %u ms; ending the call", self->idle_timeout_ms);
  /* Cancelled first: replying completes the call, which may drop the last reference. */
  g_cancellable_cancel (self->cancellable);
  reply_error (self, 504, "api_error", message);
  return G_SOURCE_REMOVE;
}

/* Restarted on every upstream event, not every read: a stalled connection, or one that only ever sends
 * comments, must not hold the client forever. */
static void
restart_idle_timeout (AgProxyCall *self)
{
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  self->idle_timeout_id = g_timeout_add (self->idle_timeout_ms, upstream_idle, self);
}

static void retry_empty_answer (AgProxyCall *self);
static void restart_after_early_failure (AgProxyCall *self);

static void
finish_stream (AgProxyCall *self)
{
  if (ag_stream_translator_is_empty (self->translator) && !ag_stream_translator_started (self->translator) &&
      self->empty_retries < ag_account_pool_get_empty_answer_retries (ag_proxy_server_get_pool (self->server)))
    {
      retry_empty_answer (self);
      return;
    }
  if (!ag_stream_translator_received_response (self->translator))
    {
      /* Nothing at all came back: a real HTTP error is still possible and more useful than an empty message. */
      reply_error (self, 502, "api_error", "Cloud Code ended the stream without sending any content");
      return;
    }
  if (!ag_stream_translator_saw_finish_reason (self->translator))
    {
      /* libsoup reports a chunked body cut between chunks as a clean end; only a finishReason means "done". */
      reply_error (self, 502, "api_error", "the connection to Cloud Code ended before the answer was complete");
      return;
    }
  ag_stream_translator_finish (self->translator);
  if (is_streaming (self))
    {
      soup_message_body_complete (soup_server_message_get_response_body (self->msg));
      soup_server_message_unpause (self->msg);
      complete (self, 200);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *error_type = NULL;
      g_autoptr(JsonNode) message = ag_message_collector_finish (self->collector, &error_type, &error);

      if (message == NULL)
        {
          reply_error (self, 502, error_type != NULL ? error_type : "api_error", error->message);
          return;
        }
      ag_proxy_reply_json (self->msg, 200, message);
      complete (self, 200);
    }
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize length;
  const char *data;

  if (self->completed)
    return;
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf ("the connection to Cloud Code failed mid-answer: %s",
                                                  error->message);

      reply_error (self, 502, "api_error", message);
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  if (length == 0)
    {
      ag_sse_parser_finish (self->parser);
      if (self->failed_before_content)
        restart_after_early_failure (self);
      else if (!self->completed)
        finish_stream (self);
      return;
    }
  if (!ag_sse_parser_feed (self->parser, data, length, &error) && !self->completed)
    {
      /* Dropping a giant event would silently leave a hole in the answer; end it with an error instead. */
      g_warning ("ending the call: %s", error->message);
      reply_error (self, 502, "api_error", error->message);
      g_cancellable_cancel (self->cancellable);
      return;
    }
  if (self->completed)
    return;
  if (self->failed_before_content)
    {
      restart_after_early_failure (self);
      return;
    }
  g_input_stream_read_bytes_async (self->upstream, READ_SIZE, G_PRIORITY_DEFAULT, self->cancellable, read_done,
                                   g_object_ref (self));
}

static void
on_sse_event (const char *event, const char *data, gsize data_len, gpointer user_data)
{
  AgProxyCall *self = user_data;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (self->completed || self->failed_before_content)
    return;
  restart_idle_timeout (self);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) data_len, &error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* One broken event must not take the whole answer down; it is reported and skipped. */
      g_warning ("skipping a malformed upstream event (%" G_GSIZE_FORMAT " bytes)", data_len);
      return;
    }
  if (json_object_has_member (json_node_get_object (root), "error"))
    {
      g_autoptr(AgGoogleError) google_error = ag_google_error_parse (200, data, data_len);

      /* The client has seen no message yet (keepalive comments at most): the error may be an account's limit, so
       * it goes through the same rotation as an HTTP error — once the parser has returned (read_done), since that
       * frees the parser. */
      if (!ag_stream_translator_started (self->translator) && ag_stream_translator_is_empty (self->translator))
        {
          g_clear_pointer (&self->last_error, ag_google_error_free);
          self->last_error = g_steal_pointer (&google_error);
          self->failed_before_content = TRUE;
          return;
        }
      reply_google_error (self, google_error);
      return;
    }
  if (ag_stream_translator_push (self->translator, json_node_get_object (root), &error))
    return;
  /* Google's "this version is no longer supported", dressed as the model's answer: not for the client to read as
   * one. Handled like the HTTP error it stands for. */
  if (g_error_matches (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_CLIENT_OUTDATED))
    {
      g_clear_pointer (&self->last_error, ag_google_error_free);
      self->last_error = ag_google_error_new_outdated_client (error->message);
      self->failed_before_content = TRUE;
      return;
    }
  g_warning ("skipping an upstream event: %s", error->message);
}

/* The translator exists before upstream answers so that keepalives can flow while upstream is slow to send even
 * its headers. */
static void
create_translation (AgProxyCall *self)
{
  AgStreamOptions options = { 0 };

  options.client_model = self->client_model;
  options.family = self->model.family;
  options.tool_names = self->translated->tool_names;
  options.signatures = ag_proxy_server_get_signatures (self->server);
  options.usage_scale = ag_proxy_server_get_usage_scale (self->server, self->model.context_tokens);
  self->translator = ag_stream_translator_new (&options, on_anthropic_event, self);
  self->parser = ag_sse_parser_new (on_sse_event, self);
  if (!is_streaming (self))
    self->collector = ag_message_collector_new ();
}

static void
prepare_translation (AgProxyCall *self)
{
  create_translation (self);
  if (is_streaming (self))
    {
      self->last_write_at = g_get_monotonic_time ();
      self->keepalive_id = g_timeout_add (MAX (self->keepalive_interval_us / 4000, 10), keepalive_tick, self);
    }
}

/* ── choosing an account and opening the stream ────────────────────────────────────────────────────────────── */

/* A short wait on the same account happens at most this often per request; then the loop rotates. */
#define MAX_IN_PLACE_RETRIES 2
/* When every account rests, a wait up to this long is worth a retryable 429 with retry-after: Claude Code caps its
 * own backoff at 32 s, so one client retry lands after the reset. Longer waits get a final answer. */
#define CLIENT_RETRY_MAX_MS  30000

static void try_account (AgProxyCall *self);

/* Records one try that did not give the answer (or, with no account, a pause or change of course of the loop). */
static void
add_attempt (AgProxyCall *self, const char *reason, guint status, gint64 wait_ms)
{
  ag_request_record_add_attempt (self->record, self->account != NULL ? ag_account_get_email (self->account) : NULL,
                                 reason, status, wait_ms);
}

static const char *
failure_reason (AgUpstreamFailure kind)
{
  switch (kind)
    {
    case AG_UPSTREAM_FAILURE_RATE_LIMIT: return "rate_limit";
    case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED: return "quota";
    case AG_UPSTREAM_FAILURE_CAPACITY: return "capacity";
    case AG_UPSTREAM_FAILURE_AUTH: return "auth";
    case AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED: return "validation_required";
    case AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED: return "account_disabled";
    case AG_UPSTREAM_FAILURE_BAD_REQUEST: return "bad_request";
    case AG_UPSTREAM_FAILURE_NOT_FOUND: return "not_found";
    case AG_UPSTREAM_FAILURE_SERVER: return "server_error";
    case AG_UPSTREAM_FAILURE_CLIENT_OUTDATED: return "client_outdated";
    case AG_UPSTREAM_FAILURE_OTHER:
    case AG_UPSTREAM_FAILURE_NONE:
    default: return "other";
    }
}

static gboolean
retry_now (gpointer user_data)
{
  AgProxyCall *self = user_data;

  self->retry_id = 0;
  try_account (self);
  return G_SOURCE_REMOVE;
}

/* The wait goes away with the call: complete() removes it when the client hangs up. */
static void
retry_after (AgProxyCall *self, gint64 wait_ms)
{
  self->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) CLAMP (wait_ms, 0, G_MAXUINT), retry_now,
                                       g_object_ref (self), g_object_unref);
}

/* Another account, without holding this one's failure against it for this request (it rests in the pool). */
static void
rotate (AgProxyCall *self)
{
  g_clear_object (&self->account);
  self->renewed_token = FALSE;
  try_account (self);
}

/* This account cannot serve this request at all (signed out, refused, server trouble): never again for it. */
static void
give_up_on_account (AgProxyCall *self)
{
  g_ptr_array_add (self->tried, g_steal_pointer (&self->account));
  self->renewed_token = FALSE;
  try_account (self);
}

static char *
describe_wait (gint64 wait_ms)
{
  gint64 minutes = (wait_ms + 59999) / 60000;

  if (wait_ms < 60000)
    return g_strdup_printf ("%" G_GINT64_FORMAT " s", (wait_ms + 999) / 1000);
  if (minutes < 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min", minutes);
  return g_strdup_printf ("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", minutes / 60, minutes % 60);
}

/* Every account rests for this model. A short wait gets a retryable 429 with retry-after. A long one gets a
 * final answer naming the model and the earliest reset: still 429 rate_limit_error (what it is), but with
 * `x-should-retry: false`, which Claude Code and the Anthropic SDKs obey (§B.4) — retrying for hours would only
 * hammer this proxy. (antigravity-claude-proxy answers 400 for the same purpose; a 400 claims the request was
 * wrong, which it was not.) */
static void
reply_all_limited (AgProxyCall *self, gint64 wait_ms)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);
  g_autofree char *in = describe_wait (wait_ms);
  g_autofree char *message = NULL;
  guint n_accounts = ag_account_pool_get_n_accounts (ag_proxy_server_get_pool (self->server));

  if (wait_ms <= CLIENT_RETRY_MAX_MS)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, (wait_ms + 999) / 1000);

      message = g_strdup_printf ("All %u Google accounts are rate-limited for %s; retry in %s",
                                 n_accounts, self->model.upstream_model, in);
      if (!self->headers_sent)
        soup_message_headers_replace (headers, "retry-after", seconds);
    }
  else
    {
      gint64 reset_ms = ag_account_pool_now_ms (ag_proxy_server_get_pool (self->server)) + wait_ms;
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (reset_ms / 1000);
      g_autoptr(GDateTime) utc = g_date_time_to_utc (local);
      g_autofree char *local_text = g_date_time_format (local, "%H:%M");
      g_autofree char *utc_text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      message = g_strdup_printf ("All %u Google accounts have used up their quota for %s; the earliest resets at "
                                 "%s (%s, in %s). Switch to another model or wait.",
                                 n_accounts, self->model.upstream_model, local_text, utc_text, in);
      if (!self->headers_sent)
        soup_message_headers_replace (headers, "x-should-retry", "false");
    }
  g_message ("%s", message);
  reply_error (self, 429, "rate_limit_error", message);
}

/* Only Gemini models have a second quota, and only those the Gemini CLI knows. */
static gboolean
fall_back_to_gemini_cli (AgProxyCall *self)
{
  g_autofree char *model = NULL;

  if (self->gemini_cli || self->model.family != AG_MODEL_FAMILY_GEMINI ||
      !ag_account_pool_get_dual_quota_pool (ag_proxy_server_get_pool (self->server)))
    return FALSE;
  model = ag_cloudcode_gemini_cli_model (self->model.upstream_model);
  if (model == NULL)
    return FALSE;
  g_message ("every account rests for %s; trying the Gemini CLI quota (%s)", self->model.upstream_model, model);
  add_attempt (self, "gemini_cli_fallback", 0, 0);
  self->gemini_cli = TRUE;
  g_free (self->pool_model);
  self->pool_model = g_steal_pointer (&model);
  self->waited_for_all = FALSE;
  self->optimistic_reset = FALSE;
  return TRUE;
}

/* No account can take the request now; @wait_ms is the shortest rest among those that could later (-1: none). */
static void
no_account_available (AgProxyCall *self, gint64 wait_ms)
{
  AgAccountPool *pool = ag_proxy_server_get_pool (self->server);
  gint64 max_wait = ag_account_pool_get_max_wait_in_place_ms (pool);

  if (wait_ms > 0 && (self->shortest_wait_ms < 0 || wait_ms < self->shortest_wait_ms))
    self->shortest_wait_ms = wait_ms;
  if (wait_ms > 0 && wait_ms <= max_wait && !self->waited_for_all)
    {
      self->waited_for_all = TRUE;
      add_attempt (self, "all_limited_wait", 0, wait_ms);
      retry_after (self, wait_ms);
      return;
    }
  if (wait_ms > 0 && wait_ms <= max_wait && !self->optimistic_reset)
    {
      /* Our rests are estimates; one more try after forgetting them beats failing ([AM] optimistic reset). */
      self->optimistic_reset = TRUE;
      add_attempt (self, "optimistic_reset", 0, 0);
      ag_account_pool_clear_limits (pool, self->pool_model);
      try_account (self);
      return;
    }
  if (wait_ms > max_wait && fall_back_to_gemini_cli (self))
    {
      try_account (self);
      return;
    }
  if (self->shortest_wait_ms > 0)
    reply_all_limited (self, self->shortest_wait_ms);
  else if (self->last_error != NULL)
    reply_google_error (self, self->last_error);
  else if (ag_account_pool_get_n_accounts (pool) == 0)
    reply_error (self, 503, "api_error",
                 "ag-cl has no Google account to use; add one with “ag-cl account add” or in the ag-cl window");
  else
    reply_error (self, 503, "api_error",
                 "none of your Google accounts can be used (signed out, disabled or waiting for verification); "
                 "see “ag-cl account list” or the ag-cl window");
}

static void
invalidate_account (AgProxyCall *self, AgAccountState state, const char *reason, const char *url)
{
  ag_account_pool_invalidate (ag_proxy_server_get_pool (self->server), self->account, state, reason, url);
}

/* An account failed for a reason that rests it: wait on it when the rest is short, else go elsewhere. */
static void
handle_rest (AgProxyCall *self, const char *reason)
{
  AgAccountPool *pool = ag_proxy_server_get_pool (self->server);
  gint64 wait = ag_account_pool_report_failure (pool, self->account, self->pool_model, self->last_error);

  g_message ("%s cannot serve %s now (HTTP %u %s): rests %" G_GINT64_FORMAT " ms",
             ag_account_get_email (self->account), self->pool_model, self->last_error->http_status,
             self->last_error->reason != NULL ? self->last_error->reason : reason, wait);
  if (wait <= 0)
    {
      /* A rest configured to nothing must not turn into an instant retry loop. */
      add_attempt (self, reason, self->last_error->http_status, 0);
      give_up_on_account (self);
      return;
    }
  if (wait <= ag_account_pool_get_max_wait_in_place_ms (pool) && self->in_place_retries < MAX_IN_PLACE_RETRIES)
    {
      self->in_place_retries++;
      add_attempt (self, reason, self->last_error->http_status, wait);
      retry_after (self, wait);
      return;
    }
  add_attempt (self, reason, self->last_error->http_status, 0);
  rotate (self);
}

static void
handle_upstream_failure (AgProxyCall *self)
{
  AgGoogleError *error = self->last_error;
  const char *reason = failure_reason (error->kind);

  switch (error->kind)
    {
    case AG_UPSTREAM_FAILURE_AUTH:
      if (!self->renewed_token)
        {
          /* A token revoked before its expiry: renew once before giving up on the account. */
          self->renewed_token = TRUE;
          ag_account_invalidate_access_token (self->account);
          add_attempt (self, reason, error->http_status, 0);
          try_account (self);
          return;
        }
      add_attempt (self, reason, error->http_status, 0);
      give_up_on_account (self);
      return;
    case AG_UPSTREAM_FAILURE_RATE_LIMIT:
    case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED:
    case AG_UPSTREAM_FAILURE_CAPACITY:
      handle_rest (self, reason);
      return;
    case AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED:
      add_attempt (self, reason, error->http_status, 0);
      invalidate_account (self, AG_ACCOUNT_STATE_VALIDATION_REQUIRED,
                          "Google asks you to verify this account before it can be used again",
                          error->validation_url);
      give_up_on_account (self);
      return;
    case AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED:
      add_attempt (self, reason, error->http_status, 0);
      invalidate_account (self, AG_ACCOUNT_STATE_DISABLED, error->message, error->validation_url);
      give_up_on_account (self);
      return;
    case AG_UPSTREAM_FAILURE_CLIENT_OUTDATED:
      add_attempt (self, reason, error->http_status, 0);
      /* The version check moved to a newer release since this attempt went out: ask again with it, once. */
      if (!self->retried_for_version &&
          g_strcmp0 (self->sent_version, ag_cloudcode_config_get_client_version (
                       ag_cloudcode_client_get_config (ag_proxy_server_get_cloudcode (self->server)))) != 0)
        {
          self->retried_for_version = TRUE;
          try_account (self);
          return;
        }
      g_message ("Google refused client version %s as too old; checking for the current release", self->sent_version);
      ag_proxy_server_report_client_outdated (self->server);
      self->retryable_error = TRUE;
      if (!self->headers_sent)
        soup_message_headers_replace (soup_server_message_get_response_headers (self->msg), "retry-after", "5");
      reply_google_error (self, error);
      return;
    case AG_UPSTREAM_FAILURE_SERVER:
      /* Every endpoint already failed for this account; another account may be served by a healthier backend. */
      add_attempt (self, reason, error->http_status, 0);
      give_up_on_account (self);
      return;
    default:
      add_attempt (self, reason, error->http_status, 0);
      /* The Gemini CLI pool may not know a model the Antigravity pool has: the Antigravity limits are the news. */
      if (self->gemini_cli && self->shortest_wait_ms > 0 &&
          (error->kind == AG_UPSTREAM_FAILURE_NOT_FOUND || error->kind == AG_UPSTREAM_FAILURE_BAD_REQUEST))
        reply_all_limited (self, self->shortest_wait_ms);
      else
        reply_google_error (self, error);
      return;
    }
}

static void
stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  GInputStream *stream;

  stream = ag_cloudcode_client_open_stream_finish (AG_CLOUDCODE_CLIENT (source), result, &google_error, &error);
  if (self->completed)
    {
      g_clear_object (&stream);
      return;
    }
  if (stream == NULL && google_error == NULL)
    {
      g_autofree char *message = g_strdup_printf ("cannot reach Cloud Code: %s", error->message);

      add_attempt (self, "network", 0, 0);
      reply_error (self, 502, "api_error", message);
      return;
    }
  if (stream == NULL)
    {
      g_clear_pointer (&self->last_error, ag_google_error_free);
      self->last_error = g_steal_pointer (&google_error);
      handle_upstream_failure (self);
      return;
    }

  ag_account_pool_report_success (ag_proxy_server_get_pool (self->server), self->account, self->pool_model);
  self->upstream = stream;
  restart_idle_timeout (self);
  g_input_stream_read_bytes_async (self->upstream, READ_SIZE, G_PRIORITY_DEFAULT, self->cancellable, read_done,
                                   g_object_ref (self));
}

static void
token_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_account_get_access_token_finish (AG_ACCOUNT (source), result, &error);
  g_autoptr(JsonNode) envelope = NULL;
  AgCloudcodeClient *cloudcode = ag_proxy_server_get_cloudcode (self->server);
  const char *project;

  if (self->completed)
    return;
  if (token == NULL)
    {
      g_warning ("cannot renew the sign-in of %s: %s", ag_account_get_email (self->account), error->message);
      if (g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT))
        {
          add_attempt (self, "signed_out", 0, 0);
          invalidate_account (self, AG_ACCOUNT_STATE_SIGNED_OUT,
                              "Google no longer accepts this account's sign-in; sign in again", NULL);
        }
      else
        add_attempt (self, "sign_in_failed", 0, 0);
      give_up_on_account (self);
      return;
    }
  project = ag_account_get_project_id (self->account);
  g_free (self->sent_version);
  self->sent_version = g_strdup (ag_cloudcode_config_get_client_version (ag_cloudcode_client_get_config (cloudcode)));
  if (self->gemini_cli)
    {
      envelope = ag_cloudcode_build_gemini_cli_envelope (project, self->pool_model, self->translated->request);
      ag_cloudcode_client_open_gemini_cli_stream_async (cloudcode, token, envelope, self->cancellable,
                                                        stream_opened, g_object_ref (self));
      return;
    }
  envelope = ag_cloudcode_build_envelope (project, self->pool_model, self->translated->request);
  ag_cloudcode_client_open_stream_async (cloudcode, token, envelope, self->model.family, self->translated->thinking,
                                         self->cancellable, stream_opened, g_object_ref (self));
}

/* Forgets an upstream answer the client has seen nothing of, so the request can be tried again from scratch. */
static void
drop_upstream_answer (AgProxyCall *self)
{
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  g_input_stream_close_async (self->upstream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&self->upstream);
  g_clear_pointer (&self->parser, ag_sse_parser_free);
  g_clear_pointer (&self->translator, ag_stream_translator_free);
  g_clear_pointer (&self->collector, ag_message_collector_free);
  create_translation (self);
}

/* Upstream answered nothing at all and the client has seen nothing yet: ask again, same account, a bounded number
 * of times (empty-answer-retries). */
static void
retry_empty_answer (AgProxyCall *self)
{
  self->empty_retries++;
  g_message ("%s sent an empty answer for %s; asking again", ag_account_get_email (self->account),
             self->pool_model);
  add_attempt (self, "empty", 200, 0);
  drop_upstream_answer (self);
  try_account (self);
}

/* Upstream answered 200 and then an error before any content: drop that stream and treat the error like an HTTP
 * one (rotate, rest, or answer). */
static void
restart_after_early_failure (AgProxyCall *self)
{
  self->failed_before_content = FALSE;
  drop_upstream_answer (self);
  handle_upstream_failure (self);
}

static void
try_account (AgProxyCall *self)
{
  AgAccountPool *pool = ag_proxy_server_get_pool (self->server);
  gint64 wait_ms = -1;

  if (self->completed)
    return;
  if (self->account == NULL)
    self->account = ag_account_pool_pick (pool, self->pool_model, self->session_id, self->tried, &wait_ms);
  if (self->account == NULL)
    {
      no_account_available (self, wait_ms);
      return;
    }
  ag_account_get_access_token_async (self->account, ag_proxy_server_get_oauth (self->server), self->cancellable,
                                     token_ready, g_object_ref (self));
}

/* ── start ─────────────────────────────────────────────────────────────────────────────────────────────────── */

static void
on_client_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  AgProxyCall *self = user_data;

  /* Also emitted after a normal end; only an unfinished call has anything to cancel. */
  if (self->completed)
    return;
  g_message ("the client went away; cancelling its upstream request");
  g_cancellable_cancel (self->cancellable);
  complete (self, 499);
}

/* libsoup watches a paused message's socket for nothing, so a client that gives up while upstream thinks would
 * go unnoticed until the first write. */
static gboolean
client_socket_ready (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  AgProxyCall *self = user_data;
  AgClientSocketState state = ag_client_socket_check (socket, condition);

  if (state == AG_CLIENT_SOCKET_WAITING)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->client_watch, g_source_unref);
  if (state == AG_CLIENT_SOCKET_GONE && !self->completed)
    {
      g_message ("the client went away; cancelling its upstream request");
      g_cancellable_cancel (self->cancellable);
      /* Let libsoup run into the closed socket so it releases the message and its connection. */
      if (self->headers_sent)
        soup_message_body_complete (soup_server_message_get_response_body (self->msg));
      else
        soup_server_message_set_status (self->msg, SOUP_STATUS_NO_CONTENT, NULL);
      soup_server_message_unpause (self->msg);
      complete (self, 499);
    }
  return G_SOURCE_REMOVE;
}

static void
watch_client_socket (AgProxyCall *self)
{
  GSocket *socket = soup_server_message_get_socket (self->msg);

  if (socket == NULL)
    return;
  self->client_watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->client_watch, G_SOURCE_FUNC (client_socket_ready), self, NULL);
  g_source_attach (self->client_watch, NULL);
}

/* Claude Code names its session in a header (since 2.1.86) and inside metadata.user_id (a JSON string today,
 * "user_…_session_<uuid>" before); parallel subagents of one session share it. */
static char *
find_session_id (SoupServerMessage *msg, JsonObject *body)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "x-claude-code-session-id");
  JsonObject *metadata;
  const char *user_id;
  const char *marker;

  if (header != NULL && header[0] != '\0')
    return g_strdup (header);
  if (!json_object_has_member (body, "metadata") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "metadata")))
    return NULL;
  metadata = json_object_get_object_member (body, "metadata");
  if (!json_object_has_member (metadata, "user_id") ||
      json_node_get_value_type (json_object_get_member (metadata, "user_id")) != G_TYPE_STRING)
    return NULL;
  user_id = json_object_get_string_member (metadata, "user_id");
  if (user_id[0] == '{')
    {
      g_autoptr(JsonNode) parsed = json_from_string (user_id, NULL);

      if (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed))
        {
          const char *session = json_object_get_string_member_with_default (json_node_get_object (parsed),
                                                                            "session_id", NULL);
          return g_strdup (session);
        }
      return NULL;
    }
  marker = g_strrstr (user_id, "_session_");
  return marker != NULL ? g_strdup (marker + strlen ("_session_")) : NULL;
}

void
ag_proxy_call_start (AgProxyServer *server, SoupServerMessage *msg, JsonObject *body, const char *route_model)
{
  AgProxyCall *self = g_object_new (AG_TYPE_PROXY_CALL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *session_id = NULL;
  AgTranslateOptions options = { 0 };
  const char *client_model = NULL;
  gboolean stream = FALSE;

  self->server = g_object_ref (server);
  self->msg = g_object_ref (msg);
  self->keepalive_interval_us = (gint64) ag_proxy_server_get_keepalive_ms (server) * 1000;
  self->idle_timeout_ms = ag_proxy_server_get_stream_idle_timeout_ms (server);
  self->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_client_disconnected), self);

  if (!ag_request_peek (body, &client_model, &stream, &error))
    {
      self->client_model = g_strdup ("-");
      reply_error (self, 400, "invalid_request_error", error->message);
      return;
    }
  self->client_model = g_strdup (client_model);
  if (!ag_model_catalogue_resolve (ag_proxy_server_get_catalogue (server),
                                   route_model != NULL ? route_model : client_model, &self->model, &error))
    {
      reply_error (self, 404, "not_found_error", error->message);
      return;
    }

  session_id = find_session_id (msg, body);
  self->session_id = g_strdup (session_id);
  self->pool_model = g_strdup (self->model.upstream_model);
  options.upstream_model = self->model.upstream_model;
  options.family = self->model.family;
  options.supports_thinking = self->model.supports_thinking;
  options.max_output_cap = self->model.max_output_tokens;
  options.session_id = session_id;
  options.thinking_keys = ag_proxy_server_get_thinking_keys (server);
  options.signatures = ag_proxy_server_get_signatures (server);
  self->translated = ag_request_translate (body, &options, &error);
  if (self->translated == NULL)
    {
      reply_error (self, 400, "invalid_request_error", error->message);
      return;
    }
  prepare_translation (self);
  watch_client_socket (self);
  try_account (self);
}
