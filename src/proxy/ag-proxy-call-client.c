// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-proxy-call-client.c — the call's side facing its client: the response headers and writes, keepalives while
 * upstream thinks, the replies that end the call, and noticing a client that hangs up. */
#include "ag-proxy-call-private.h"

#include "ag-anthropic-error.h"
#include "ag-client-socket.h"
#include "ag-proxy-reply.h"

/* ── writing ───────────────────────────────────────────────────────────────────────────────────────────────── */

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

/* A whole (non-streamed) answer is written at its end, by reply_complete. */
void
ag_proxy_call_write_output (AgProxyCall *self)
{
  g_autoptr(GBytes) bytes = NULL;

  if (self->completed || !ag_proxy_call_is_streaming (self))
    return;
  bytes = ag_back_translator_take_output (ag_proxy_call_get_back_translator (self));
  if (bytes != NULL)
    write_bytes (self, bytes);
}

/* ── replies that end the call ─────────────────────────────────────────────────────────────────────────────── */

void
ag_proxy_call_reply_error (AgProxyCall *self, guint status, const char *error_type, const char *message)
{
  if (self->headers_sent)
    {
      ag_back_translator_fail (ag_proxy_call_get_back_translator (self),
                               error_type != NULL ? error_type : ag_anthropic_error_type_for_status (status),
                               message);
      ag_proxy_call_write_output (self);
      soup_message_body_complete (soup_server_message_get_response_body (self->msg));
      soup_server_message_unpause (self->msg);
    }
  else
    ag_surface_reply_error (self->surface, self->msg, status, error_type, message);
  ag_proxy_call_complete (self, status);
}

void
ag_proxy_call_reply_google_error (AgProxyCall *self, const AgGoogleError *error)
{
  const char *error_type = NULL;
  g_autofree char *message = NULL;
  guint status = ag_anthropic_error_from_google (error, &error_type, &message);

  ag_proxy_call_reply_error (self, status, error_type, message);
}

/* The lease gave up: its answer, with the retry advice in headers while they can still be sent. */
void
ag_proxy_call_reply_lease_answer (AgProxyCall *self)
{
  const AgLeaseAnswer *answer = ag_account_lease_get_answer (self->lease);

  ag_call_context_answer_given (self->context, answer->client_outdated);
  if (!self->headers_sent)
    ag_proxy_reply_set_retry_advice (self->msg, answer);
  ag_proxy_call_reply_error (self, answer->status, answer->error_type, answer->message);
}

void
ag_proxy_call_reply_complete (AgProxyCall *self)
{
  g_autoptr(GBytes) bytes = ag_back_translator_take_output (ag_proxy_call_get_back_translator (self));

  if (ag_proxy_call_is_streaming (self))
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
  ag_proxy_call_complete (self, 200);
}

/* ── keepalives ────────────────────────────────────────────────────────────────────────────────────────────── */

/* Before the message starts a keepalive is an SSE comment: bytes for the client's stall watchdog, no event, so
 * the answer can still be dropped and asked for again (empty answer, error before content). */
static gboolean
keepalive_tick (gpointer user_data)
{
  AgProxyCall *self = user_data;
  static const char comment[] = ": ping\n\n";

  if (self->completed || g_get_monotonic_time () - self->last_write_at < (gint64) self->context->keepalive_ms * 1000)
    return G_SOURCE_CONTINUE;
  if (ag_back_translator_ping (ag_proxy_call_get_back_translator (self)))
    ag_proxy_call_write_output (self);
  else if (self->surface->comment_keepalives)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (comment, sizeof comment - 1);

      write_bytes (self, bytes);
    }
  return G_SOURCE_CONTINUE;
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
  ag_proxy_call_complete (self, 499);
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
      ag_proxy_call_complete (self, 499);
    }
  return G_SOURCE_REMOVE;
}

void
ag_proxy_call_follow_client (AgProxyCall *self)
{
  self->disconnected_id = g_signal_connect (self->msg, "disconnected", G_CALLBACK (on_client_disconnected), self);
}

void
ag_proxy_call_watch_client (AgProxyCall *self)
{
  GSocket *socket = soup_server_message_get_socket (self->msg);

  if (ag_proxy_call_is_streaming (self))
    {
      self->last_write_at = g_get_monotonic_time ();
      self->keepalive_id = g_timeout_add (MAX (self->context->keepalive_ms / 4, 10), keepalive_tick, self);
    }
  if (socket == NULL)
    return;
  self->client_watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->client_watch, G_SOURCE_FUNC (client_socket_ready), self, NULL);
  g_source_attach (self->client_watch, NULL);
}

void
ag_proxy_call_unwatch_client (AgProxyCall *self)
{
  if (self->disconnected_id != 0)
    g_clear_signal_handler (&self->disconnected_id, self->msg);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->client_watch != NULL)
    {
      g_source_destroy (self->client_watch);
      g_clear_pointer (&self->client_watch, g_source_unref);
    }
}
