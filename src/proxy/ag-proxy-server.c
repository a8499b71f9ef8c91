/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-proxy-server.c — the server object: its settings, the context each call is handed, the listening socket and
 * the count of open requests. What each request gets is decided in ag-proxy-server-routes.c. */
#include "config.h"
#include "ag-proxy-server-private.h"
#include "ag-client-socket.h"
#include "ag-heap-trim.h"
#include "ag-inherited-listener.h"

#define AG_PROXY_LISTEN_BACKLOG 512

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

void
ag_proxy_server_count_received (AgProxyServer *self)
{
  self->requests_received++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS_RECEIVED]);
}

void
ag_proxy_server_count_intercepted (AgProxyServer *self)
{
  self->requests_intercepted++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS_INTERCEPTED]);
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
  soup_server_add_early_handler (server, NULL, ag_proxy_server_early_handler, self, NULL);
  soup_server_add_handler (server, NULL, ag_proxy_server_request_handler, self, NULL);
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
