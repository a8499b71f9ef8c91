/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "ag-proxy-server.h"
#include "ag-history-store.h"
#include "ag-json-parser.h"
#include "ag-anthropic-error.h"
#include "ag-client-socket.h"
#include "ag-request-body.h"
#include "ag-heap-trim.h"
#include "ag-inherited-listener.h"
#include "ag-proxy-call.h"
#include "ag-proxy-reply.h"
#include "ag-proxy-unary.h"
#include "ag-request-classifier.h"
#include "ag-request-guard.h"
#include "ag-surface.h"
#include "ag-protocol-error.h"

#include <string.h>

#define AG_PROXY_LISTEN_BACKLOG 512

struct _AgProxyServer {
  GObject            parent_instance;
  SoupServer        *server;
  guint              port;
  gsize              body_limit;
  gboolean           intercept_warmups;
  gboolean           route_background;
  char              *background_model;
  guint64            requests_received;
  guint64            requests_intercepted;
  guint              requests_open;      /* headers read, not yet finished or aborted */
  AgCallContext     *context;            /* what the next call gets; replaced, never changed, by the setters */
  AgJsonParser      *json;               /* reused for every request body */
  AgRequestGuard    *guard;              /* who may use the proxy */
};

G_DEFINE_FINAL_TYPE (AgProxyServer, ag_proxy_server, G_TYPE_OBJECT)

enum { PROP_0, PROP_REQUESTS_RECEIVED, PROP_REQUESTS_INTERCEPTED, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
ag_proxy_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AgProxyServer *self = AG_PROXY_SERVER (object);

  switch (prop_id)
    {
    case PROP_REQUESTS_RECEIVED:
      g_value_set_uint64 (value, self->requests_received);
      break;
    case PROP_REQUESTS_INTERCEPTED:
      g_value_set_uint64 (value, self->requests_intercepted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ag_proxy_server_dispose (GObject *object)
{
  AgProxyServer *self = AG_PROXY_SERVER (object);

  ag_proxy_server_stop (self);
  g_clear_pointer (&self->context, ag_call_context_unref);
  g_clear_pointer (&self->json, ag_json_parser_free);
  g_clear_pointer (&self->background_model, g_free);
  g_clear_object (&self->guard);
  G_OBJECT_CLASS (ag_proxy_server_parent_class)->dispose (object);
}

static void
ag_proxy_server_class_init (AgProxyServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_proxy_server_dispose;
  G_OBJECT_CLASS (klass)->get_property = ag_proxy_server_get_property;

  /* Messages requests received since start, and those answered locally (warmups, quota probes). */
  properties[PROP_REQUESTS_RECEIVED] =
    g_param_spec_uint64 ("requests-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTS_INTERCEPTED] =
    g_param_spec_uint64 ("requests-intercepted", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
}

static void
ag_proxy_server_init (AgProxyServer *self)
{
  self->body_limit = AG_PROXY_DEFAULT_BODY_LIMIT;
  self->json = ag_json_parser_new ();
  self->guard = ag_request_guard_new ();
  self->intercept_warmups = TRUE;
  self->route_background = TRUE;
  self->background_model = g_strdup ("gemini-3-flash");
}

AgProxyServer *
ag_proxy_server_new (AgCloudcodeClient *cloudcode,
                     AgOAuthClient     *oauth,
                     AgAccountPool     *pool,
                     AgModelCatalogue  *catalogue)
{
  AgProxyServer *self = g_object_new (AG_TYPE_PROXY_SERVER, NULL);

  self->context = ag_call_context_new (cloudcode, oauth, pool, catalogue);
  return self;
}

AgCallContext *
ag_proxy_server_get_context (AgProxyServer *self)
{
  return self->context;
}

/* Requests already running keep the context they started with. */
static AgCallContext *
edit_context (AgProxyServer *self)
{
  AgCallContext *copy = ag_call_context_copy (self->context);

  ag_call_context_unref (self->context);
  self->context = copy;
  return copy;
}

void
ag_proxy_server_set_body_limit (AgProxyServer *self, gsize limit)
{
  self->body_limit = limit;
}

void
ag_proxy_server_set_keepalive_ms (AgProxyServer *self, guint keepalive_ms)
{
  edit_context (self)->keepalive_ms = keepalive_ms > 0 ? keepalive_ms : 15000;
}

void
ag_proxy_server_set_stream_idle_timeout_ms (AgProxyServer *self, guint timeout_ms)
{
  edit_context (self)->stream_idle_timeout_ms = timeout_ms > 0 ? timeout_ms : 300000;
}

void
ag_proxy_server_set_thinking_keys (AgProxyServer *self, AgThinkingKeys keys)
{
  edit_context (self)->thinking_keys = keys;
}

void
ag_proxy_server_set_warmup_interception (AgProxyServer *self, gboolean enabled)
{
  self->intercept_warmups = enabled;
}

void
ag_proxy_server_set_background_routing (AgProxyServer *self, gboolean enabled, const char *model)
{
  self->route_background = enabled;
  if (model != NULL && model[0] != '\0')
    {
      g_free (self->background_model);
      self->background_model = g_strdup (model);
    }
}

void
ag_proxy_server_set_usage_scaling (AgProxyServer *self, gboolean enabled, guint client_window)
{
  AgCallContext *context = edit_context (self);

  context->scale_usage = enabled;
  context->client_window = client_window;
}

void
ag_proxy_server_set_history (AgProxyServer *self, AgHistoryStore *history)
{
  g_set_object (&edit_context (self)->history, history);
}

void
ag_proxy_server_set_version_check (AgProxyServer *self, AgVersionCheck *version_check)
{
  g_set_object (&edit_context (self)->version_check, version_check);
}

void
ag_proxy_server_set_api_key (AgProxyServer *self, const char *key)
{
  ag_request_guard_set_api_key (self->guard, key);
}

gboolean
ag_proxy_server_has_api_key (AgProxyServer *self)
{
  return ag_request_guard_has_api_key (self->guard);
}

AgRequestGuard *
ag_proxy_server_get_guard (AgProxyServer *self)
{
  return self->guard;
}

guint64
ag_proxy_server_get_requests_received (AgProxyServer *self)
{
  return self->requests_received;
}

guint64
ag_proxy_server_get_requests_intercepted (AgProxyServer *self)
{
  return self->requests_intercepted;
}

/* Warmups and quota probes cost quota and tell Claude Code nothing it needs from a model: answer them here. */
static void
reply_intercepted (AgProxyServer *self, SoupServerMessage *msg, const AgClientRequest *request, AgRequestKind kind)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (request->stream)
    {
      g_autoptr(GBytes) events = ag_intercepted_stream (request->model);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (events, NULL), g_bytes_get_size (events));
      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
    }
  else
    {
      g_autoptr(JsonNode) message = ag_intercepted_message (request->model);

      ag_proxy_reply_json (msg, 200, message);
    }
  soup_message_headers_replace (headers, "X-Warmup-Intercepted", "true");
  self->requests_intercepted++;
  if (self->context->history != NULL)
    {
      AgRequestRecord *record = ag_request_record_new ();

      record->client = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                               "User-Agent"));
      record->model = g_strdup (request->model);
      record->outcome = AG_REQUEST_OUTCOME_INTERCEPTED;
      record->status = 200;
      record->ttfb_ms = 0;
      ag_history_store_add_request (self->context->history, record);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS_INTERCEPTED]);
  g_message ("POST /v1/messages %s: %s answered locally", request->model, ag_request_kind_to_string (kind));
}

static gboolean
is_telemetry_path (const char *path)
{
  return g_str_equal (path, "/api/event_logging/batch") ||
         g_str_equal (path, "/v1/api/event_logging") ||
         g_str_equal (path, "/v1/api/event_logging/batch");
}

static void
refusal_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GIOStream) connection = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (connection, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* Answers an error on a connection taken over from libsoup, then closes it: libsoup would read (and buffer) the
 * whole body before answering, unless the client sent "Expect: 100-continue". CORS headers already set for an
 * allowed origin go along. */
static void
refuse_before_body (SoupServerMessage *msg, const char *path, guint status, const char *type, const char *text)
{
  g_autoptr(JsonNode) node = ag_surface_for_errors (path)->error_body (status, type, text);
  g_autofree char *body = json_to_string (node, FALSE);
  GString *response = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GIOStream *connection;
  gsize length;

  g_string_printf (response, "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                   "Connection: close\r\n", status, soup_status_get_phrase (status), strlen (body));
  soup_message_headers_iter_init (&iter, soup_server_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strncasecmp (name, "Access-Control-", 15) == 0 || g_ascii_strcasecmp (name, "Vary") == 0 ||
        g_ascii_strcasecmp (name, "x-should-retry") == 0)
      g_string_append_printf (response, "%s: %s\r\n", name, value);
  g_string_append_printf (response, "\r\n%s", body);
  length = response->len;
  connection = soup_server_message_steal_connection (msg);
  g_object_set_data_full (G_OBJECT (connection), "ag-refusal", g_string_free (response, FALSE), g_free);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (connection),
                                   g_object_get_data (G_OBJECT (connection), "ag-refusal"), length,
                                   G_PRIORITY_DEFAULT, NULL, refusal_written, connection);
}

static void
refuse_too_large (SoupServerMessage *msg, const char *path, const char *text)
{
  refuse_before_body (msg, path, 413, "request_too_large", text);
}

/* A chunked body announces no size: it is refused as soon as what arrived passes the limit. */
static void
on_request_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  AgProxyServer *self = user_data;
  g_autofree char *text = NULL;
  g_autoptr(GUri) uri = NULL;

  if ((gsize) soup_server_message_get_request_body (msg)->length <= self->body_limit)
    return;
  g_signal_handlers_disconnect_by_func (msg, on_request_chunk, user_data);
  text = g_strdup_printf ("the request body exceeds the limit of %" G_GSIZE_FORMAT " bytes", self->body_limit);
  refuse_too_large (msg, g_uri_get_path (soup_server_message_get_uri (msg)), text);
}

/* A refused request is logged and recorded (who, and why; never its body), then answered in its surface's shape:
 * at once when it has no body, on a connection taken over when it has one. */
static void
refuse_request (AgProxyServer *self, SoupServerMessage *msg, const char *path, const AgGuardVerdict *verdict)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_message ("refused %s %s with %u: %s", method, path, verdict->status, verdict->detail);
  if (self->context->history != NULL)
    {
      AgRequestRecord *record = ag_request_record_new ();

      record->client = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
      record->outcome = AG_REQUEST_OUTCOME_REFUSED;
      record->status = verdict->status;
      record->detail = g_strdup_printf ("%s %s: %s", method, path, verdict->detail);
      record->total_ms = 0;
      ag_history_store_add_request (self->context->history, record);
    }
  /* The same request will be refused again: Claude Code and the SDKs would otherwise try it more than once. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-should-retry", "false");
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length (headers) > 0)
    refuse_before_body (msg, path, verdict->status, verdict->error_type, verdict->message);
  else
    ag_surface_reply_error (ag_surface_for_errors (path), msg, verdict->status, verdict->error_type,
                            verdict->message);
}

static void
answer_preflight (AgProxyServer *self, SoupServerMessage *msg)
{
  ag_request_guard_add_cors_headers (self->guard, msg, TRUE);
  soup_server_message_set_status (msg, 204, NULL);
}

/* Decides from the headers alone, before a byte of the body is read: who may ask (the guard), and how much. Chunked
 * bodies are watched as they arrive. */
static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  AgProxyServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  g_auto(AgGuardVerdict) verdict = { 0 };
  g_autofree char *text = NULL;

  if (!ag_request_guard_check (self->guard, msg, path, query, &verdict))
    {
      refuse_request (self, msg, path, &verdict);
      return;
    }
  if (verdict.decision == AG_GUARD_PREFLIGHT)
    {
      answer_preflight (self, msg);
      return;
    }
  ag_request_guard_add_cors_headers (self->guard, msg, FALSE);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_request_chunk), self, 0);
      return;
    }
  if (length <= 0 || (gsize) length <= self->body_limit)
    return;
  text = g_strdup_printf ("the request body of %" G_GOFFSET_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT
                          " bytes", length, self->body_limit);
  refuse_too_large (msg, path, text);
}

static void
reply_status_ok (SoupServerMessage *msg)
{
  g_autoptr(JsonNode) body = json_from_string ("{\"status\":\"ok\"}", NULL);

  ag_proxy_reply_json (msg, 200, body);
}

static void
handle_json_route (AgProxyServer *self, SoupServerMessage *msg, const AgSurface *surface, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(AgClientRequest) request = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  gboolean messages = surface == &ag_surface_anthropic && g_str_equal (path, "/v1/messages");
  gboolean count = g_str_equal (path, "/v1/messages/count_tokens") || g_str_has_suffix (path, ":countTokens");

  if ((gsize) request_body->length > self->body_limit)
    {
      ag_surface_reply_error (surface, msg, 413, "request_too_large", "the request body exceeds the size limit");
      return;
    }
  body = ag_request_body_parse (self->json, msg, &error);
  if (body != NULL)
    request = surface->read_request (body, soup_server_message_get_request_headers (msg), path, &error);
  if (request == NULL)
    {
      ag_surface_reply_error (surface, msg, 400, "invalid_request_error", error->message);
      return;
    }

  if (!count)
    {
      AgRequestKind kind = messages ? ag_request_classify (request) : AG_REQUEST_KIND_NORMAL;
      const char *route_model = NULL;

      self->requests_received++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS_RECEIVED]);
      if (self->intercept_warmups && (kind == AG_REQUEST_KIND_WARMUP || kind == AG_REQUEST_KIND_QUOTA_PROBE))
        {
          reply_intercepted (self, msg, request, kind);
          return;
        }
      if (self->route_background && ag_request_kind_is_background (kind))
        {
          /* A title or summary needs no thinking; it would only spend the cheap model's time. */
          route_model = self->background_model;
          json_object_remove_member (body, "thinking");
          json_object_remove_member (body, "output_config");
        }
      soup_server_message_pause (msg);
      ag_proxy_call_start (self->context, surface, msg, request, route_model);
    }
  else
    {
      soup_server_message_pause (msg);
      ag_proxy_unary_count_tokens (self->context, msg, surface, request);
    }
}

static void
request_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  AgProxyServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const AgSurface *surface;

  /* The early handler may already have answered (a refusal, a preflight, 413). */
  if (soup_server_message_get_status (msg) != 0)
    return;

  if ((surface = ag_surface_for_path (path)) != NULL)
    {
      if (method != SOUP_METHOD_POST)
        {
          ag_surface_reply_error (surface, msg, 405, "invalid_request_error", "this endpoint only accepts POST");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
          return;
        }
      handle_json_route (self, msg, surface, path);
    }
  else if (g_str_equal (path, "/v1/models") && method == SOUP_METHOD_GET)
    {
      /* Anthropic's clients name their API version; OpenAI's clients, and scripts, get OpenAI's list. */
      gboolean anthropic = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                         "anthropic-version") != NULL;

      soup_server_message_pause (msg);
      ag_proxy_unary_list_models (self->context, msg, anthropic ? AG_MODEL_LIST_ANTHROPIC : AG_MODEL_LIST_OPENAI);
    }
  else if (g_str_has_suffix (path, "/v1beta/models") && method == SOUP_METHOD_GET)
    {
      soup_server_message_pause (msg);
      ag_proxy_unary_list_models (self->context, msg, AG_MODEL_LIST_GEMINI);
    }
  else if ((g_str_equal (path, "/") && (method == SOUP_METHOD_HEAD || method == SOUP_METHOD_GET)) ||
           (g_str_equal (path, "/healthz") && (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)))
    reply_status_ok (msg);
  else if ((g_str_equal (path, "/") || is_telemetry_path (path)) && method == SOUP_METHOD_POST)
    reply_status_ok (msg);
  else
    {
      g_autofree char *text = g_strdup_printf ("%s %s is not an endpoint of ag-cl", method, path);

      ag_surface_reply_error (ag_surface_for_errors (path), msg, 404, "not_found_error", text);
    }
}

/* A request counts as open from its headers on: libsoup starts a message for every new connection, and one
 * that closes before sending anything ends with neither "request-finished" nor "request-aborted". */
#define OPEN_REQUEST_KEY "ag-proxy-server-open"

static void
on_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  AgProxyServer *self = user_data;

  g_object_set_data (G_OBJECT (msg), OPEN_REQUEST_KEY, GINT_TO_POINTER (TRUE));
  self->requests_open++;
}

static void
request_closed (AgProxyServer *self, SoupServerMessage *msg)
{
  if (g_object_steal_data (G_OBJECT (msg), OPEN_REQUEST_KEY) != NULL)
    self->requests_open--;
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), user_data);
}

static void
on_request_finished (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  AgProxyServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  request_closed (self, msg);
  ag_heap_trim_when_idle ();
  if (socket != NULL)
    ag_client_socket_close_when_gone (socket);
}

static void
on_request_aborted (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  AgProxyServer *self = user_data;

  request_closed (self, msg);
  ag_heap_trim_when_idle ();
}

/* A listening socket with room for a burst of connections: GLib's default backlog of 10 lets the kernel drop or
 * reset connections when a client (parallel subagents, a load test) opens many at once while the main loop is
 * busy. */
static GSocket *
listening_socket (GSocketAddress *address, GError **error)
{
  g_autoptr(GSocket) socket = NULL;

  /* The listener of the ag-cl this one replaced (exec, ag-inherited-listener.h): no connection was refused. */
  if ((socket = ag_inherited_listener_take (address)) != NULL)
    return g_steal_pointer (&socket);
  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, AG_PROXY_LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
ag_proxy_server_listen (AgProxyServer *self, const char *address, guint port, GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocket) socket = NULL;
  GSList *uris;

  g_return_val_if_fail (self->server == NULL, FALSE);

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not an IP address", address);
      return FALSE;
    }
  server = soup_server_new ("server-header", "ag-cl/" AG_VERSION " ", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, request_handler, self, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (server, "request-finished", G_CALLBACK (on_request_finished), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (on_request_aborted), self);
  socket_address = g_inet_socket_address_new (inet, port);
  if ((socket = listening_socket (socket_address, error)) == NULL ||
      !soup_server_listen_socket (server, socket, 0, error))
    {
      g_prefix_error (error, "cannot listen on %s:%u: ", address, port);
      return FALSE;
    }
  uris = soup_server_get_uris (server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->server = g_steal_pointer (&server);
  ag_request_guard_set_listen_address (self->guard, address);
  /* What start-up freed (settings, keyring, schema parsing) goes back too. */
  ag_heap_trim_when_idle ();
  return TRUE;
}

void
ag_proxy_server_stop (AgProxyServer *self)
{
  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
}

gboolean
ag_proxy_server_is_listening (AgProxyServer *self)
{
  return self->server != NULL;
}

guint
ag_proxy_server_get_requests_open (AgProxyServer *self)
{
  return self->requests_open;
}

GSocket *
ag_proxy_server_get_listener (AgProxyServer *self)
{
  GSList *listeners = self->server != NULL ? soup_server_get_listeners (self->server) : NULL;
  GSocket *socket = listeners != NULL ? listeners->data : NULL;

  g_slist_free (listeners);
  return socket;
}

guint
ag_proxy_server_get_port (AgProxyServer *self)
{
  return self->port;
}
