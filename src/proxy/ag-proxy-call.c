/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-proxy-call.h"
#include "ag-account-lease.h"
#include "ag-cloudcode-client.h"
#include "ag-history-store.h"
#include "ag-model-catalogue.h"
#include "ag-signature-cache.h"
#include "ag-version-check.h"
#include "ag-anthropic-error.h"
#include "ag-client-socket.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-proxy-reply.h"
#include "ag-sse-parser.h"
#include "ag-sse-writer.h"
#include "ag-stream-translator.h"

#include <string.h>

#define READ_SIZE 16384
#define MAX_READS_PER_WAKEUP 16

struct _AgProxyCall {
  GObject              parent_instance;

  AgCallContext       *context;
  SoupServerMessage   *msg;
  gulong               disconnected_id;
  GCancellable        *cancellable;
  gint64               started_at;
  gint64               started_at_wall_ms;
  gint64               first_byte_at;       /* monotonic µs of the first byte to the client; 0 = none yet */

  char                *client_model;
  AgResolvedModel      model;
  AgTranslatedRequest *translated;
  char                *session_id;          /* the client's session: keeps its requests on one account */
  AgAccountLease      *lease;               /* which account serves, and what each failure means */
  AgRequestRecord     *record;              /* the request log's entry, its attempts filled as they happen */

  GInputStream        *upstream;
  AgSseParser         *parser;
  AgStreamTranslator  *translator;
  AgMessageCollector  *collector;           /* non-streaming clients only */
  AgGoogleError       *early_failure;       /* an error event before any content: handled like an HTTP error */

  gboolean             headers_sent;
  gboolean             completed;
  guint                keepalive_id;
  guint                idle_timeout_id;     /* ends a stream that upstream has gone silent on */
  GSource             *client_watch;        /* notices a client that hangs up while its message is paused */
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
  g_clear_pointer (&self->context, ag_call_context_unref);
  g_clear_object (&self->msg);
  g_clear_object (&self->cancellable);
  g_free (self->client_model);
  ag_resolved_model_clear (&self->model);
  g_clear_pointer (&self->translated, ag_translated_request_free);
  g_free (self->session_id);
  g_clear_object (&self->lease);
  g_clear_pointer (&self->early_failure, ag_google_error_free);
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
  self->record = ag_request_record_new ();
  self->started_at = g_get_monotonic_time ();
  self->started_at_wall_ms = g_get_real_time () / 1000;
}

/* Hands the finished request to the history store (queued: never blocks or fails the request). */
static void
record_request (AgProxyCall *self, guint status, gint64 input, gint64 output, gint64 cached)
{
  AgHistoryStore *store = self->context->history;
  AgRequestRecord *record = self->record;
  AgAccount *account = self->lease != NULL ? ag_account_lease_get_account (self->lease) : NULL;
  gint64 now = g_get_monotonic_time ();

  if (store == NULL)
    return;
  record->time_ms = self->started_at_wall_ms;
  record->client = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (self->msg),
                                                           "User-Agent"));
  record->session_id = g_strdup (self->session_id);
  record->model = g_strdup (self->client_model);
  record->upstream_model = self->lease != NULL ? g_strdup (ag_account_lease_get_model (self->lease)) : NULL;
  record->account = account != NULL ? g_strdup (ag_account_get_email (account)) : NULL;
  record->outcome = ag_request_outcome_for_status (status);
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
  AgAccount *account = self->lease != NULL ? ag_account_lease_get_account (self->lease) : NULL;
  const char *pool_model = self->lease != NULL ? ag_account_lease_get_model (self->lease) : NULL;

  if (self->completed)
    return;
  self->completed = TRUE;
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  if (self->client_watch != NULL)
    {
      g_source_destroy (self->client_watch);
      g_clear_pointer (&self->client_watch, g_source_unref);
    }
  /* Ends a wait of the lease, if one is running. */
  g_cancellable_cancel (self->cancellable);
  if (self->disconnected_id != 0)
    g_clear_signal_handler (&self->disconnected_id, self->msg);
  if (self->upstream != NULL)
    g_input_stream_close_async (self->upstream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->translator != NULL)
    ag_stream_translator_get_usage (self->translator, &input, &output, &cached);
  attempts = ag_request_record_describe_attempts (self->record);
  g_message ("POST /v1/messages %s → %s via %s: %u in %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " in (%"
             G_GINT64_FORMAT " cached), %" G_GINT64_FORMAT " out%s",
             self->client_model, pool_model != NULL ? pool_model : "-",
             account != NULL ? ag_account_get_email (account) : "-", status,
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
    ag_proxy_reply_error (self->msg, status, error_type, message);
  complete (self, status);
}

/* The lease gave up: its answer, with the retry advice in headers while they can still be sent. */
static void
reply_lease_answer (AgProxyCall *self)
{
  const AgLeaseAnswer *answer = ag_account_lease_get_answer (self->lease);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);

  if (answer->client_outdated && self->context->version_check != NULL)
    ag_version_check_recheck (self->context->version_check);
  if (!self->headers_sent && answer->retry_after_s > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", answer->retry_after_s);

      soup_message_headers_replace (headers, "retry-after", seconds);
    }
  if (!self->headers_sent && answer->no_retry)
    soup_message_headers_replace (headers, "x-should-retry", "false");
  reply_error (self, answer->status, answer->error_type, answer->message);
}

/* ── writing to the client ─────────────────────────────────────────────────────────────────────────────────── */

static gboolean
is_streaming (AgProxyCall *self)
{
  return self->translated->stream;
}

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
  self->first_byte_at = g_get_monotonic_time ();
}

static void
on_client_event (const char *event_name, JsonNode *data, gpointer user_data)
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
    send_stream_headers (self);
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
    send_stream_headers (self);
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
      g_get_monotonic_time () - self->last_write_at < (gint64) self->context->keepalive_ms * 1000)
    return G_SOURCE_CONTINUE;
  if (!ag_stream_translator_ping (self->translator))
    send_keepalive_comment (self);
  return G_SOURCE_CONTINUE;
}

/* ── reading upstream ──────────────────────────────────────────────────────────────────────────────────────── */

static void acquire (AgProxyCall *self);
static void on_sse_event (const char *event, const char *data, gsize data_len, gpointer user_data);

static gboolean
upstream_idle (gpointer user_data)
{
  AgProxyCall *self = user_data;
  guint timeout_ms = self->context->stream_idle_timeout_ms;
  g_autofree char *message = g_strdup_printf ("Cloud Code sent nothing for %g s; the answer was abandoned",
                                              timeout_ms / 1000.0);

  self->idle_timeout_id = 0;
  g_message ("upstream silent for %u ms; ending the call", timeout_ms);
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
  self->idle_timeout_id = g_timeout_add (self->context->stream_idle_timeout_ms, upstream_idle, self);
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
  options.signatures = self->context->signatures;
  options.usage_scale = ag_call_context_usage_scale (self->context, self->model.context_tokens);
  self->translator = ag_stream_translator_new (&options, on_client_event, self);
  self->parser = ag_sse_parser_new (on_sse_event, self);
  if (!is_streaming (self))
    self->collector = ag_message_collector_new ();
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

/* Upstream answered 200 and then an error before any content: drop that stream and let the lease treat the error
 * like an HTTP one (rotate, rest, or answer). */
static void
restart_after_early_failure (AgProxyCall *self)
{
  drop_upstream_answer (self);
  if (ag_account_lease_failed (self->lease, g_steal_pointer (&self->early_failure)))
    acquire (self);
  else
    reply_lease_answer (self);
}

static void
finish_stream (AgProxyCall *self)
{
  if (ag_stream_translator_is_empty (self->translator) && !ag_stream_translator_started (self->translator) &&
      ag_account_lease_empty_answer (self->lease))
    {
      drop_upstream_answer (self);
      acquire (self);
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

/* One piece of the upstream answer. FALSE when the call must stop reading: it ended, or an error came before any
 * content and the request is asked again elsewhere. */
static gboolean
feed_upstream (AgProxyCall *self, const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;

  if (length == 0)
    {
      ag_sse_parser_finish (self->parser);
      if (self->early_failure != NULL)
        restart_after_early_failure (self);
      else if (!self->completed)
        finish_stream (self);
      return FALSE;
    }
  if (!ag_sse_parser_feed (self->parser, data, length, &error) && !self->completed)
    {
      /* Dropping a giant event would silently leave a hole in the answer; end it with an error instead. */
      g_warning ("ending the call: %s", error->message);
      reply_error (self, 502, "api_error", error->message);
      g_cancellable_cancel (self->cancellable);
      return FALSE;
    }
  if (self->completed)
    return FALSE;
  if (self->early_failure != NULL)
    {
      restart_after_early_failure (self);
      return FALSE;
    }
  return TRUE;
}

static void
upstream_failed (AgProxyCall *self, const GError *error)
{
  g_autofree char *message = g_strdup_printf ("the connection to Cloud Code failed mid-answer: %s", error->message);

  reply_error (self, 502, "api_error", message);
}

static void read_upstream (AgProxyCall *self);

static gboolean
upstream_readable (GObject *stream, gpointer user_data)
{
  AgProxyCall *self = user_data;

  read_upstream (self);
  return G_SOURCE_REMOVE;
}

/* Reads all that upstream has sent without waiting, then waits for more on the main loop: one wake-up and one
 * write to the client per burst of upstream data, rather than one per HTTP chunk. */
static void
read_upstream (AgProxyCall *self)
{
  g_autoptr(AgProxyCall) keep = g_object_ref (self);
  GPollableInputStream *pollable;
  char buffer[READ_SIZE];

  if (self->completed || self->upstream == NULL)
    return;
  pollable = G_POLLABLE_INPUT_STREAM (self->upstream);
  for (guint reads = 0; !self->completed; reads++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = -1;

      /* A bounded burst: other calls on the main loop get their turn even while this upstream floods. */
      if (reads < MAX_READS_PER_WAKEUP)
        n = g_pollable_input_stream_read_nonblocking (pollable, buffer, sizeof buffer, self->cancellable, &error);
      else
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "yielding");
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_autoptr(GSource) source = g_pollable_input_stream_create_source (pollable, self->cancellable);

          g_source_set_callback (source, G_SOURCE_FUNC (upstream_readable), g_object_ref (self), g_object_unref);
          g_source_attach (source, NULL);
          return;
        }
      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            upstream_failed (self, error);
          return;
        }
      if (!feed_upstream (self, buffer, (gsize) n))
        return;
    }
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize length = 0;
  const char *data;

  if (self->completed)
    return;
  if (bytes == NULL)
    {
      upstream_failed (self, error);
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  if (feed_upstream (self, data, length))
    g_input_stream_read_bytes_async (self->upstream, READ_SIZE, G_PRIORITY_DEFAULT, self->cancellable, read_done,
                                     g_object_ref (self));
}

static void
start_reading (AgProxyCall *self)
{
  restart_idle_timeout (self);
  if (G_IS_POLLABLE_INPUT_STREAM (self->upstream) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->upstream)))
    read_upstream (self);
  else
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

  if (self->completed || self->early_failure != NULL)
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
       * it goes through the lease like an HTTP error — once the parser has returned (feed_upstream), since that frees
       * the parser. */
      if (!ag_stream_translator_started (self->translator) && ag_stream_translator_is_empty (self->translator))
        {
          self->early_failure = g_steal_pointer (&google_error);
          return;
        }
      {
        const char *error_type = NULL;
        g_autofree char *message = NULL;
        guint status = ag_anthropic_error_from_google (google_error, &error_type, &message);

        reply_error (self, status, error_type, message);
      }
      return;
    }
  if (ag_stream_translator_push (self->translator, json_node_get_object (root), &error))
    return;
  /* Google's "this version is no longer supported", dressed as the model's answer: not for the client to read as
   * one. Handled like the HTTP error it stands for. */
  if (g_error_matches (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_CLIENT_OUTDATED))
    {
      self->early_failure = ag_google_error_new_outdated_client (error->message);
      return;
    }
  g_warning ("skipping an upstream event: %s", error->message);
}

/* ── asking upstream ───────────────────────────────────────────────────────────────────────────────────────── */

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
      ag_account_lease_unreachable (self->lease, error);
      reply_lease_answer (self);
      return;
    }
  if (stream == NULL)
    {
      if (ag_account_lease_failed (self->lease, g_steal_pointer (&google_error)))
        acquire (self);
      else
        reply_lease_answer (self);
      return;
    }
  ag_account_lease_succeeded (self->lease);
  self->upstream = stream;
  start_reading (self);
}

static void
acquired (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_account_lease_acquire_finish (self->lease, result, &error);
  AgCloudcodeClient *cloudcode = self->context->cloudcode;
  const char *project;
  const char *model;
  g_autoptr(JsonNode) envelope = NULL;

  if (self->completed)
    return;
  if (token == NULL)
    {
      reply_lease_answer (self);
      return;
    }
  project = ag_account_get_project_id (ag_account_lease_get_account (self->lease));
  model = ag_account_lease_get_model (self->lease);
  if (ag_account_lease_get_gemini_cli (self->lease))
    {
      envelope = ag_cloudcode_build_gemini_cli_envelope (project, model, self->translated->request);
      ag_cloudcode_client_open_gemini_cli_stream_async (cloudcode, token, envelope, self->cancellable,
                                                        stream_opened, g_object_ref (self));
      return;
    }
  envelope = ag_cloudcode_build_envelope (project, model, self->translated->request);
  ag_cloudcode_client_open_stream_async (cloudcode, token, envelope, self->model.family, self->translated->thinking,
                                         self->cancellable, stream_opened, g_object_ref (self));
}

static void
acquire (AgProxyCall *self)
{
  if (self->completed)
    return;
  ag_account_lease_acquire_async (self->lease, self->cancellable, acquired, g_object_ref (self));
}

static void
on_lease_attempt (AgAccountLease *lease, const char *account, const char *reason, guint status, gint64 wait_ms,
                  gpointer user_data)
{
  AgProxyCall *self = user_data;

  ag_request_record_add_attempt (self->record, account, reason, status, wait_ms);
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

void
ag_proxy_call_start (AgCallContext *context, SoupServerMessage *msg, const AgClientRequest *request,
                     const char *route_model)
{
  AgProxyCall *self = g_object_new (AG_TYPE_PROXY_CALL, NULL);
  g_autoptr(GError) error = NULL;
  AgTranslateOptions options = { 0 };
  AgLeaseOptions lease = { .purpose = AG_LEASE_GENERATE };

  self->context = ag_call_context_ref (context);
  self->msg = g_object_ref (msg);
  self->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_client_disconnected), self);
  self->client_model = g_strdup (request->model);
  self->session_id = g_strdup (request->session_id);
  if (!ag_model_catalogue_resolve (context->catalogue, route_model != NULL ? route_model : request->model,
                                   &self->model, &error))
    {
      reply_error (self, 404, "not_found_error", error->message);
      return;
    }

  options.upstream_model = self->model.upstream_model;
  options.family = self->model.family;
  options.supports_thinking = self->model.supports_thinking;
  options.max_output_cap = self->model.max_output_tokens;
  options.session_id = self->session_id;
  options.thinking_keys = context->thinking_keys;
  options.signatures = context->signatures;
  self->translated = ag_request_translate (request, &options, &error);
  if (self->translated == NULL)
    {
      reply_error (self, 400, "invalid_request_error", error->message);
      return;
    }

  lease.model = self->model.upstream_model;
  lease.family = self->model.family;
  lease.session_id = self->session_id;
  self->lease = ag_account_lease_new (context->pool, context->oauth, ag_cloudcode_client_get_config (context->cloudcode),
                                      &lease);
  g_signal_connect (self->lease, "attempt", G_CALLBACK (on_lease_attempt), self);

  create_translation (self);
  if (is_streaming (self))
    {
      self->last_write_at = g_get_monotonic_time ();
      self->keepalive_id = g_timeout_add (MAX (context->keepalive_ms / 4, 10), keepalive_tick, self);
    }
  watch_client_socket (self);
  acquire (self);
}
