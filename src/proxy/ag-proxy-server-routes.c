// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-proxy-server-routes.c — what each request to the server gets: refused from its headers (the guard, the body
 * limit), or dispatched by route to a Messages call, a unary call, a locally answered warmup, a health answer or a
 * 404 in the shape of the surface it asked for. */
#include "ag-proxy-server-private.h"
#include "ag-history-store.h"
#include "ag-proxy-call.h"
#include "ag-proxy-reply.h"
#include "ag-proxy-unary.h"
#include "ag-request-body.h"
#include "ag-request-classifier.h"
#include "ag-surface.h"

#include <string.h>

/* ── refused from the headers ──────────────────────────────────────────────────────────────────────────────── */

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
void
ag_proxy_server_early_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                               gpointer user_data)
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

/* ── dispatched by route ───────────────────────────────────────────────────────────────────────────────────── */

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
  ag_proxy_server_count_intercepted (self);
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

      ag_proxy_server_count_received (self);
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

void
ag_proxy_server_request_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                                 gpointer user_data)
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
