/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-proxy-call.h"
#include "ag-account-lease.h"
#include "ag-anthropic-error.h"
#include "ag-client-socket.h"
#include "ag-cloudcode-client.h"
#include "ag-history-store.h"
#include "ag-model-catalogue.h"
#include "ag-proxy-reply.h"
#include "ag-stream-decoder.h"
#include "ag-upstream-reader.h"

struct _AgProxyCall {
  GObject              parent_instance;

  AgCallContext       *context;
  const AgSurface     *surface;
  SoupServerMessage   *msg;
  gulong               disconnected_id;
  GCancellable        *cancellable;
  gint64               started_at;
  gint64               started_at_wall_ms;
  gint64               first_byte_at;       /* monotonic µs of the first byte to the client; 0 = none yet */

  char                *client_model;
  AgResolvedModel      model;
  AgTranslatedRequest *translated;
  JsonObject          *body;                /* the client's body, translated again for a history retry */
  char                *repairs;             /* what was mended in the history (ag_history_repair), or NULL */
  gboolean             history_retranslated;
  char                *session_id;          /* the client's session: keeps its requests on one account */
  AgAccountLease      *lease;               /* which account serves, and what each failure means */
  AgRequestRecord     *record;              /* the request log's entry, its attempts filled as they happen */
  guint64              flight;              /* its handle among the requests in flight, 0 = not watched */

  AgStreamDecoder     *decoder;             /* the answer being read; exists before upstream answers */
  AgUpstreamReader    *reader;

  gboolean             headers_sent;
  gboolean             completed;
  guint                keepalive_id;
  GSource             *client_watch;        /* notices a client that hangs up while its message is paused */
  gint64               last_write_at;
};

G_DEFINE_FINAL_TYPE (AgProxyCall, ag_proxy_call, G_TYPE_OBJECT)

static void
ag_proxy_call_finalize (GObject *object)
{
  AgProxyCall *self = AG_PROXY_CALL (object);

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->client_watch != NULL)
    {
      g_source_destroy (self->client_watch);
      g_clear_pointer (&self->client_watch, g_source_unref);
    }
  g_clear_pointer (&self->reader, ag_upstream_reader_free);
  g_clear_pointer (&self->decoder, ag_stream_decoder_free);
  if (self->flight != 0 && self->context != NULL && self->context->history != NULL)
    ag_requests_in_flight_end (ag_history_store_get_in_flight (self->context->history), self->flight);
  g_clear_pointer (&self->context, ag_call_context_unref);
  g_clear_object (&self->msg);
  g_clear_object (&self->cancellable);
  g_free (self->client_model);
  ag_resolved_model_clear (&self->model);
  g_clear_pointer (&self->translated, ag_translated_request_free);
  g_clear_pointer (&self->body, json_object_unref);
  g_free (self->repairs);
  g_free (self->session_id);
  g_clear_object (&self->lease);
  g_clear_pointer (&self->record, ag_request_record_free);
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

static gboolean
is_streaming (AgProxyCall *self)
{
  return self->translated != NULL && self->translated->stream;
}

static AgBackTranslator *
back_translator (AgProxyCall *self)
{
  return self->decoder != NULL ? ag_stream_decoder_get_back_translator (self->decoder) : NULL;
}

/* ── ending ────────────────────────────────────────────────────────────────────────────────────────────────── */

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
  ag_requests_in_flight_end (ag_history_store_get_in_flight (store), self->flight);
  self->flight = 0;
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
  record->repairs = g_strdup (self->repairs);
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
  if (self->client_watch != NULL)
    {
      g_source_destroy (self->client_watch);
      g_clear_pointer (&self->client_watch, g_source_unref);
    }
  /* Ends a wait of the lease or a request to Google, if one is running. */
  g_cancellable_cancel (self->cancellable);
  if (self->disconnected_id != 0)
    g_clear_signal_handler (&self->disconnected_id, self->msg);
  g_clear_pointer (&self->reader, ag_upstream_reader_free);
  if (back_translator (self) != NULL)
    ag_back_translator_get_usage (back_translator (self), &input, &output, &cached);
  attempts = ag_request_record_describe_attempts (self->record);
  g_message ("POST %s %s → %s via %s: %u in %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " in (%"
             G_GINT64_FORMAT " cached), %" G_GINT64_FORMAT " out%s%s%s",
             self->surface->path, self->client_model, pool_model != NULL ? pool_model : "-",
             account != NULL ? ag_account_get_email (account) : "-", status,
             (g_get_monotonic_time () - self->started_at) / 1000, input, cached, output, attempts,
             self->repairs != NULL ? "; repaired: " : "", self->repairs != NULL ? self->repairs : "");
  record_request (self, status, input, output, cached);
  g_object_unref (self);
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
  self->first_byte_at = g_get_monotonic_time ();
}

static void
write_bytes (AgProxyCall *self, GBytes *bytes)
{
  if (!self->headers_sent)
    send_stream_headers (self);
  soup_message_body_append_bytes (soup_server_message_get_response_body (self->msg), bytes);
  soup_server_message_unpause (self->msg);
  self->last_write_at = g_get_monotonic_time ();
}

/* What the back translator wrote since the last time, as one chunk. A whole answer is written at its end. */
static void
write_output (AgProxyCall *self)
{
  g_autoptr(GBytes) bytes = NULL;

  if (self->completed || !is_streaming (self))
    return;
  bytes = ag_back_translator_take_output (back_translator (self));
  if (bytes != NULL)
    write_bytes (self, bytes);
}

static void
reply_error (AgProxyCall *self, guint status, const char *error_type, const char *message)
{
  if (self->headers_sent)
    {
      ag_back_translator_fail (back_translator (self), error_type != NULL ? error_type
                                                                          : ag_anthropic_error_type_for_status (status),
                               message);
      write_output (self);
      soup_message_body_complete (soup_server_message_get_response_body (self->msg));
      soup_server_message_unpause (self->msg);
    }
  else
    ag_surface_reply_error (self->surface, self->msg, status, error_type, message);
  complete (self, status);
}

static void
reply_google_error (AgProxyCall *self, const AgGoogleError *error)
{
  const char *error_type = NULL;
  g_autofree char *message = NULL;
  guint status = ag_anthropic_error_from_google (error, &error_type, &message);

  reply_error (self, status, error_type, message);
}

/* The lease gave up: its answer, with the retry advice in headers while they can still be sent. */
static void
reply_lease_answer (AgProxyCall *self)
{
  const AgLeaseAnswer *answer = ag_account_lease_get_answer (self->lease);

  ag_call_context_answer_given (self->context, answer->client_outdated);
  if (!self->headers_sent)
    ag_proxy_reply_set_retry_advice (self->msg, answer);
  reply_error (self, answer->status, answer->error_type, answer->message);
}

static void
reply_complete (AgProxyCall *self)
{
  g_autoptr(GBytes) bytes = ag_back_translator_take_output (back_translator (self));

  if (is_streaming (self))
    {
      if (bytes != NULL)
        write_bytes (self, bytes);
      soup_message_body_complete (soup_server_message_get_response_body (self->msg));
    }
  else
    {
      soup_server_message_set_status (self->msg, 200, NULL);
      soup_server_message_set_response (self->msg, "application/json", SOUP_MEMORY_COPY,
                                        bytes != NULL ? g_bytes_get_data (bytes, NULL) : "",
                                        bytes != NULL ? g_bytes_get_size (bytes) : 0);
    }
  soup_server_message_unpause (self->msg);
  complete (self, 200);
}

/* Before the message starts a keepalive is an SSE comment: bytes for the client's stall watchdog, no event, so
 * the answer can still be dropped and asked for again (empty answer, error before content). */
static gboolean
keepalive_tick (gpointer user_data)
{
  AgProxyCall *self = user_data;
  static const char comment[] = ": ping\n\n";

  if (self->completed || g_get_monotonic_time () - self->last_write_at < (gint64) self->context->keepalive_ms * 1000)
    return G_SOURCE_CONTINUE;
  if (ag_back_translator_ping (back_translator (self)))
    write_output (self);
  else if (self->surface->comment_keepalives)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (comment, sizeof comment - 1);

      write_bytes (self, bytes);
    }
  return G_SOURCE_CONTINUE;
}

/* ── translating ───────────────────────────────────────────────────────────────────────────────────────────── */

static AgTranslatedRequest *
translate (AgProxyCall *self, const AgClientRequest *request, gboolean drop_signatures, GError **error)
{
  AgTranslateOptions options = { 0 };
  AgTranslatedRequest *translated;

  options.upstream_model = self->model.upstream_model;
  options.family = self->model.family;
  options.supports_thinking = self->model.supports_thinking;
  options.max_output_cap = self->model.max_output_tokens;
  options.session_id = self->session_id;
  options.thinking_keys = self->context->thinking_keys;
  options.drop_signatures = drop_signatures;
  translated = self->surface->translate (request, &options, error);
  if (translated != NULL && translated->repairs != NULL)
    {
      g_autofree char *before = g_steal_pointer (&self->repairs);

      self->repairs = before != NULL ? g_strconcat (before, " ", translated->repairs, NULL)
                                     : g_strdup (translated->repairs);
    }
  return translated;
}

static void drop_upstream_answer (AgProxyCall *self);

/* Google refused the history and the lease granted its one retry: the same request again without what upstream may
 * have refused. FALSE (the client answered) when the body no longer translates. */
static gboolean
repair_if_asked (AgProxyCall *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AgClientRequest) request = NULL;
  AgTranslatedRequest *translated = NULL;

  if (!ag_account_lease_get_history_retry (self->lease) || self->history_retranslated)
    return TRUE;
  self->history_retranslated = TRUE;
  request = self->surface->read_request (self->body, soup_server_message_get_request_headers (self->msg),
                                         g_uri_get_path (soup_server_message_get_uri (self->msg)), &error);
  if (request != NULL)
    translated = translate (self, request, TRUE, &error);
  if (translated == NULL)
    {
      reply_error (self, 400, "invalid_request_error", error->message);
      return FALSE;
    }
  g_message ("upstream refused the history of %s; sending it once more without signatures",
             self->session_id != NULL ? self->session_id : "a request");
  ag_translated_request_free (self->translated);
  self->translated = translated;
  drop_upstream_answer (self);
  return TRUE;
}

/* ── the upstream answer ───────────────────────────────────────────────────────────────────────────────────── */

static void acquire (AgProxyCall *self);

/* The decoder exists before upstream answers so that keepalives can flow while upstream is slow to send even its
 * headers. */
static void
create_decoder (AgProxyCall *self)
{
  AgStreamOptions options = { 0 };

  options.client_model = self->client_model;
  options.family = self->model.family;
  options.tool_names = self->translated->tool_names;
  options.usage_scale = ag_call_context_usage_scale (self->context, self->model.context_tokens);
  options.include_usage = self->translated->include_usage;
  options.freeform_tools = (const char *const *) self->translated->freeform_tools;
  options.compact_at = self->model.context_tokens * AG_COMPACT_AT_PERCENT / 100;
  self->decoder = ag_stream_decoder_new (self->surface->new_back_translator (&options, is_streaming (self)));
}

/* Forgets an upstream answer the client has seen nothing of, so the request can be tried again from scratch. */
static void
drop_upstream_answer (AgProxyCall *self)
{
  g_clear_pointer (&self->reader, ag_upstream_reader_free);
  g_clear_pointer (&self->decoder, ag_stream_decoder_free);
  create_decoder (self);
}

static void
upstream_ended (AgProxyCall *self)
{
  AgStreamState state = ag_stream_decoder_get_state (self->decoder);
  g_autoptr(AgGoogleError) error = NULL;

  switch (state)
    {
    case AG_STREAM_STATE_COMPLETE:
      reply_complete (self);
      return;
    case AG_STREAM_STATE_EMPTY:
      ag_account_lease_empty_answer (self->lease);
      drop_upstream_answer (self);
      acquire (self);
      return;
    case AG_STREAM_STATE_FAILED_BEFORE_CONTENT:
      /* The client has seen nothing: the error may be an account's limit, so the lease treats it like an HTTP
       * failure of the request. */
      error = ag_stream_decoder_steal_error (self->decoder);
      drop_upstream_answer (self);
      if (!ag_account_lease_failed (self->lease, g_steal_pointer (&error)))
        reply_lease_answer (self);
      else if (repair_if_asked (self))
        acquire (self);
      return;
    case AG_STREAM_STATE_FAILED_AFTER_CONTENT:
      write_output (self);
      error = ag_stream_decoder_steal_error (self->decoder);
      reply_google_error (self, error);
      return;
    case AG_STREAM_STATE_OVERSIZED_EVENT:
      write_output (self);
      reply_error (self, 502, "api_error", ag_stream_decoder_get_message (self->decoder));
      return;
    case AG_STREAM_STATE_NOTHING_RECEIVED:
    case AG_STREAM_STATE_TRUNCATED:
    case AG_STREAM_STATE_READ_FAILED:
    case AG_STREAM_STATE_MALFORMED_ANSWER:
    case AG_STREAM_STATE_READING:
    default:
      write_output (self);
      reply_error (self, 502, "api_error", ag_stream_decoder_get_message (self->decoder));
      return;
    }
}

static void
on_upstream (AgUpstreamProgress progress, gpointer user_data)
{
  AgProxyCall *self = user_data;
  g_autoptr(AgProxyCall) keep = g_object_ref (self);

  if (self->completed)
    return;
  if (progress == AG_UPSTREAM_MORE)
    {
      write_output (self);
      return;
    }
  if (progress == AG_UPSTREAM_SILENT)
    {
      guint timeout_ms = self->context->stream_idle_timeout_ms;
      g_autofree char *message = g_strdup_printf ("Cloud Code sent nothing for %g s; the answer was abandoned",
                                                  timeout_ms / 1000.0);

      g_message ("upstream silent for %u ms; ending the call", timeout_ms);
      reply_error (self, 504, "api_error", message);
      return;
    }
  upstream_ended (self);
}

/* ── asking upstream ───────────────────────────────────────────────────────────────────────────────────────── */

static void
stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AgProxyCall) self = user_data;
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;

  stream = ag_cloudcode_client_open_stream_finish (AG_CLOUDCODE_CLIENT (source), result, &google_error, &error);
  if (self->completed)
    return;
  if (stream == NULL && google_error == NULL)
    {
      ag_account_lease_unreachable (self->lease, error);
      reply_lease_answer (self);
      return;
    }
  if (stream == NULL)
    {
      if (!ag_account_lease_failed (self->lease, g_steal_pointer (&google_error)))
        reply_lease_answer (self);
      else if (repair_if_asked (self))
        acquire (self);
      return;
    }
  ag_account_lease_succeeded (self->lease);
  self->reader = ag_upstream_reader_new (stream, self->decoder, ag_account_lease_may_retry_empty (self->lease),
                                         self->context->stream_idle_timeout_ms, self->cancellable, on_upstream,
                                         self);
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

/* ── the client going away ─────────────────────────────────────────────────────────────────────────────────── */

static void
on_client_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  AgProxyCall *self = user_data;

  /* Also emitted after a normal end; only an unfinished call has anything to cancel. */
  if (self->completed)
    return;
  g_message ("the client went away; cancelling its upstream request");
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

/* ── start ─────────────────────────────────────────────────────────────────────────────────────────────────── */

void
ag_proxy_call_start (AgCallContext *context, const AgSurface *surface, SoupServerMessage *msg,
                     const AgClientRequest *request, const char *route_model)
{
  AgProxyCall *self = g_object_new (AG_TYPE_PROXY_CALL, NULL);
  g_autoptr(GError) error = NULL;
  AgLeaseOptions lease = { .purpose = AG_LEASE_GENERATE };

  self->context = ag_call_context_ref (context);
  self->surface = surface;
  self->msg = g_object_ref (msg);
  self->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_client_disconnected), self);
  self->client_model = g_strdup (request->model);
  self->session_id = g_strdup (request->session_id);
  self->body = json_object_ref (request->body);
  /* Nothing but a comparison unless the request monitor is open. */
  if (context->history != NULL)
    self->flight = ag_requests_in_flight_start (ag_history_store_get_in_flight (context->history),
                                                self->started_at_wall_ms,
                                                soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                              "User-Agent"),
                                                request->model);
  if (!ag_model_catalogue_resolve (context->catalogue, route_model != NULL ? route_model : request->model,
                                   &self->model, &error))
    {
      reply_error (self, 404, "not_found_error", error->message);
      return;
    }

  self->translated = translate (self, request, FALSE, &error);
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

  create_decoder (self);
  if (is_streaming (self))
    {
      self->last_write_at = g_get_monotonic_time ();
      self->keepalive_id = g_timeout_add (MAX (context->keepalive_ms / 4, 10), keepalive_tick, self);
    }
  watch_client_socket (self);
  acquire (self);
}
