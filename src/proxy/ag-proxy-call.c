#include "ag-proxy-call.h"
#include "ag-anthropic-error.h"
#include "ag-message-collector.h"
#include "ag-protocol-error.h"
#include "ag-proxy-reply.h"
#include "ag-request-translator.h"
#include "ag-sse-parser.h"
#include "ag-stream-translator.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define READ_SIZE 16384

struct _AgProxyCall {
  GObject              parent_instance;

  AgProxyServer       *server;
  SoupServerMessage   *msg;
  gulong               disconnected_id;
  GCancellable        *cancellable;
  gint64               started_at;

  char                *client_model;
  AgResolvedModel      model;
  AgTranslatedRequest *translated;

  AgAccount           *account;
  GPtrArray           *tried;              /* accounts given up on for this request */
  gboolean             renewed_token;
  AgGoogleError       *last_error;          /* the most recent upstream failure, for the final answer */

  GInputStream        *upstream;
  AgSseParser         *parser;
  AgStreamTranslator  *translator;
  AgMessageCollector  *collector;           /* non-streaming clients only */
  gboolean             upstream_failed;     /* an error arrived inside the upstream stream */

  gboolean             headers_sent;
  gboolean             completed;
  guint                keepalive_id;
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
  self->started_at = g_get_monotonic_time ();
}

static gboolean
is_streaming (AgProxyCall *self)
{
  return self->translated->stream;
}

/* Ends the call: the client has its answer (or is gone). Drops the self-reference taken in start. */
static void
complete (AgProxyCall *self, guint status)
{
  gint64 input = 0, output = 0, cached = 0;

  if (self->completed)
    return;
  self->completed = TRUE;
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
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
  g_message ("POST /v1/messages %s → %s via %s: %u in %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " in (%"
             G_GINT64_FORMAT " cached), %" G_GINT64_FORMAT " out",
             self->client_model, self->model.upstream_model != NULL ? self->model.upstream_model : "-",
             self->account != NULL ? ag_account_get_email (self->account) : "-", status,
             (g_get_monotonic_time () - self->started_at) / 1000, input, cached, output);
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
      if (status == 503)
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
    send_stream_headers (self);
  bytes = ag_proxy_format_sse_event (event_name, data);
  soup_message_body_append_bytes (soup_server_message_get_response_body (self->msg), bytes);
  soup_server_message_unpause (self->msg);
  self->last_write_at = g_get_monotonic_time ();
}

static gboolean
keepalive_tick (gpointer user_data)
{
  AgProxyCall *self = user_data;

  if (self->translator != NULL && g_get_monotonic_time () - self->last_write_at >= self->keepalive_interval_us)
    ag_stream_translator_ping (self->translator);
  return G_SOURCE_CONTINUE;
}

/* ── reading upstream ──────────────────────────────────────────────────────────────────────────────────────── */

static void on_sse_event (const char *event, const char *data, gsize data_len, gpointer user_data);

static void
finish_stream (AgProxyCall *self)
{
  if (!ag_stream_translator_started (self->translator))
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
      if (!self->completed)
        finish_stream (self);
      return;
    }
  if (!ag_sse_parser_feed (self->parser, data, length, &error))
    g_warning ("skipping an upstream event: %s", error->message);
  if (self->completed)
    return;
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

  if (self->completed)
    return;
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

      reply_google_error (self, google_error);
      return;
    }
  if (!ag_stream_translator_push (self->translator, json_node_get_object (root), &error))
    g_warning ("skipping an upstream event: %s", error->message);
}

/* The translator exists before upstream answers so that keepalive pings (which start the message) can flow
 * while upstream is slow to send even its headers. */
static void
prepare_translation (AgProxyCall *self)
{
  AgStreamOptions options = { 0 };

  options.client_model = self->client_model;
  options.family = self->model.family;
  options.tool_names = self->translated->tool_names;
  options.signatures = ag_proxy_server_get_signatures (self->server);
  self->translator = ag_stream_translator_new (&options, on_anthropic_event, self);
  self->parser = ag_sse_parser_new (on_sse_event, self);
  if (!is_streaming (self))
    self->collector = ag_message_collector_new ();
  else
    {
      self->last_write_at = g_get_monotonic_time ();
      self->keepalive_id = g_timeout_add (MAX (self->keepalive_interval_us / 4000, 10), keepalive_tick, self);
    }
}

/* ── choosing an account and opening the stream ────────────────────────────────────────────────────────────── */

static void try_account (AgProxyCall *self);

static void
give_up_on_account (AgProxyCall *self)
{
  g_ptr_array_add (self->tried, g_steal_pointer (&self->account));
  self->renewed_token = FALSE;
  try_account (self);
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

      reply_error (self, 502, "api_error", message);
      return;
    }
  if (stream == NULL)
    {
      g_clear_pointer (&self->last_error, ag_google_error_free);
      self->last_error = g_steal_pointer (&google_error);
      switch (self->last_error->kind)
        {
        case AG_UPSTREAM_FAILURE_AUTH:
          if (!self->renewed_token)
            {
              /* A token revoked before its expiry: renew once before giving up on the account. */
              self->renewed_token = TRUE;
              ag_account_invalidate_access_token (self->account);
              try_account (self);
              return;
            }
          G_GNUC_FALLTHROUGH;
        case AG_UPSTREAM_FAILURE_RATE_LIMIT:
        case AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED:
        case AG_UPSTREAM_FAILURE_CAPACITY:
        case AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED:
        case AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED:
          g_message ("%s cannot serve %s now (HTTP %u %s); trying another account",
                     ag_account_get_email (self->account), self->model.upstream_model,
                     self->last_error->http_status,
                     self->last_error->reason != NULL ? self->last_error->reason : "");
          give_up_on_account (self);
          return;
        default:
          reply_google_error (self, self->last_error);
          return;
        }
    }

  self->upstream = stream;
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

  if (self->completed)
    return;
  if (token == NULL)
    {
      g_warning ("cannot renew the sign-in of %s: %s", ag_account_get_email (self->account), error->message);
      give_up_on_account (self);
      return;
    }
  envelope = ag_cloudcode_build_envelope (ag_account_get_project_id (self->account), self->model.upstream_model,
                                          self->translated->request);
  ag_cloudcode_client_open_stream_async (ag_proxy_server_get_cloudcode (self->server), token, envelope,
                                         self->model.family, self->translated->thinking, self->cancellable,
                                         stream_opened, g_object_ref (self));
}

static void
try_account (AgProxyCall *self)
{
  AgAccountPool *pool = ag_proxy_server_get_pool (self->server);

  if (self->account == NULL)
    self->account = ag_account_pool_pick (pool, self->model.upstream_model, self->tried);
  if (self->account == NULL)
    {
      if (self->last_error != NULL)
        reply_google_error (self, self->last_error);
      else if (self->tried->len == 0)
        reply_error (self, 503, "api_error",
                     "ag-cl has no Google account to use; add one with “ag-cl account add” or in the ag-cl window");
      else
        reply_error (self, 503, "api_error",
                     "none of your Google accounts could be signed in; add the account again");
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
 * go unnoticed until the first write; a readable socket that peeks zero bytes is a hang-up. */
static gboolean
client_socket_ready (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  AgProxyCall *self = user_data;
  char byte;
  gssize peeked;

  if ((condition & (G_IO_HUP | G_IO_ERR)) == 0)
    {
      peeked = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (peeked < 0 && (errno == EAGAIN || errno == EINTR))
        return G_SOURCE_CONTINUE;
      /* Data (a pipelined request) is libsoup's business: stop watching. */
      if (peeked > 0)
        {
          g_clear_pointer (&self->client_watch, g_source_unref);
          return G_SOURCE_REMOVE;
        }
    }
  g_clear_pointer (&self->client_watch, g_source_unref);
  if (!self->completed)
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
