/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-cloudcode-client.h"
#include "ag-upstream-proxy.h"

/* Parallel Claude Code streams (sub-agents, background calls) must not queue behind libsoup's default 2. */
#define AG_MAX_CONNS_PER_HOST 64
#define AG_MAX_CONNS          128
/* Keep warm connections across the gaps between a user's turns. */
#define AG_IDLE_TIMEOUT_S     600
/* An error body is read to classify the failure; nothing legitimate is larger. */
#define AG_ERROR_BODY_LIMIT   (1024 * 1024)

struct _AgCloudcodeClient
{
  GObject parent_instance;

  AgCloudcodeConfig *config;
  SoupSession       *session;
  GHashTable        *egress;   /* proxy URI → AgCloudcodeClient: one session per distinct account proxy */
};

G_DEFINE_FINAL_TYPE (AgCloudcodeClient, ag_cloudcode_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (ag-upstream-error-quark, ag_upstream_error)

/* One call walking the endpoint list. */
typedef struct {
  GStrv          endpoints;
  guint          index;
  char          *method;
  char          *query;
  char          *access_token;
  GBytes        *body;
  gboolean       streaming;
  AgModelFamily  family;
  gboolean       thinking;
  gboolean       gemini_cli;      /* the Gemini CLI quota pool's headers */
  /* Error path of a stream: the response being read for its body. */
  GInputStream  *error_stream;
  guint8        *error_buffer;
  guint          error_status;
  /* Results besides the task's value: the parsed error body, or the host that opened the stream. */
  AgGoogleError *google_error;
  char          *endpoint;
} CallData;

static void
call_data_free (CallData *data)
{
  g_strfreev (data->endpoints);
  g_free (data->method);
  g_free (data->query);
  g_free (data->access_token);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->error_stream);
  g_free (data->error_buffer);
  g_clear_pointer (&data->google_error, ag_google_error_free);
  g_free (data->endpoint);
  g_free (data);
}

static void
ag_cloudcode_client_dispose (GObject *object)
{
  AgCloudcodeClient *self = AG_CLOUDCODE_CLIENT (object);

  g_clear_object (&self->config);
  g_clear_object (&self->session);
  g_clear_pointer (&self->egress, g_hash_table_unref);

  G_OBJECT_CLASS (ag_cloudcode_client_parent_class)->dispose (object);
}

static void
ag_cloudcode_client_class_init (AgCloudcodeClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_cloudcode_client_dispose;
}

static void
ag_cloudcode_client_init (AgCloudcodeClient *self)
{
}

static AgCloudcodeClient *
client_new (AgCloudcodeConfig *config, const char *proxy_uri)
{
  AgCloudcodeClient *self;

  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (config), NULL);

  self = g_object_new (AG_TYPE_CLOUDCODE_CLIENT, NULL);
  self->config = g_object_ref (config);
  /* No I/O timeout ("timeout" stays 0): a thinking model can be silent for minutes inside a healthy stream. */
  self->session = soup_session_new_with_options ("max-conns", AG_MAX_CONNS,
                                                 "max-conns-per-host", AG_MAX_CONNS_PER_HOST,
                                                 "idle-timeout", AG_IDLE_TIMEOUT_S,
                                                 NULL);
  ag_cloudcode_config_configure_session_for_proxy (config, self->session, proxy_uri);
  return self;
}

AgCloudcodeClient *
ag_cloudcode_client_new (AgCloudcodeConfig *config)
{
  return client_new (config, NULL);
}

static gpointer
client_for_proxy_new (gpointer direct, const char *proxy_uri)
{
  return client_new (AG_CLOUDCODE_CLIENT (direct)->config, proxy_uri);
}

AgCloudcodeClient *
ag_cloudcode_client_for_proxy (AgCloudcodeClient *self, const char *proxy_uri)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CLIENT (self), NULL);
  return ag_upstream_proxy_client_for (&self->egress, self, proxy_uri, client_for_proxy_new);
}

AgCloudcodeConfig *
ag_cloudcode_client_get_config (AgCloudcodeClient *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CLIENT (self), NULL);
  return self->config;
}

SoupSession *
ag_cloudcode_client_get_session (AgCloudcodeClient *self)
{
  g_return_val_if_fail (AG_IS_CLOUDCODE_CLIENT (self), NULL);
  return self->session;
}

/* Both pools' envelopes start {"project","model",…} and end with "request"; the Antigravity one adds its identity
 * in between. */
static JsonObject *
envelope_new (const char *project, const char *model)
{
  JsonObject *envelope = json_object_new ();

  if (project != NULL)
    json_object_set_string_member (envelope, "project", project);
  json_object_set_string_member (envelope, "model", model);
  return envelope;
}

static JsonNode *
envelope_finish (JsonObject *envelope, JsonNode *request)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  /* A copy of the node shares (references) the request's object or array, and has no parent of its own. */
  json_object_set_member (envelope, "request", json_node_copy (request));
  json_node_set_object (node, envelope);
  return node;
}

JsonNode *
ag_cloudcode_build_envelope (const char *project, const char *model, JsonNode *request)
{
  return ag_cloudcode_build_typed_envelope (project, model, "agent", request);
}

JsonNode *
ag_cloudcode_build_typed_envelope (const char *project, const char *model, const char *request_type,
                                   JsonNode *request)
{
  g_autoptr(JsonObject) envelope = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *request_id = g_strconcat ("agent-", uuid, NULL);

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);

  envelope = envelope_new (project, model);
  json_object_set_string_member (envelope, "userAgent", "antigravity");
  json_object_set_string_member (envelope, "requestType", request_type != NULL ? request_type : "agent");
  json_object_set_string_member (envelope, "requestId", request_id);
  return envelope_finish (envelope, request);
}

JsonNode *
ag_cloudcode_build_gemini_cli_envelope (const char *project, const char *model, JsonNode *request)
{
  g_autoptr(JsonObject) envelope = NULL;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);

  envelope = envelope_new (project, model);
  return envelope_finish (envelope, request);
}

/* 404 (method or model unknown on this host), 408 and 5xx are the host's problem: another host may answer.
 * 429 is the account's quota, the same on every host, so it goes back to the caller (Antigravity-Manager
 * (proxy/upstream/client.rs), antigravity-claude-proxy (src/cloudcode/streaming-handler.js)). */
static gboolean
status_falls_back (guint status)
{
  return status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_REQUEST_TIMEOUT || status >= 500;
}

static gboolean
is_last_endpoint (CallData *data)
{
  return data->endpoints[data->index + 1] == NULL;
}

static void
return_http_error (GTask *task, CallData *data, guint status, const char *body, gsize body_len)
{
  AgGoogleError *google_error = ag_google_error_parse (status, body, body_len);

  /* Stored before returning: g_task_return may run the callback (and its _finish) right away. */
  data->google_error = google_error;
  g_task_return_new_error (task, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_HTTP, "%s answered HTTP %u: %s",
                           data->method, status,
                           google_error->message != NULL ? google_error->message : soup_status_get_phrase (status));
}

static SoupMessage *
build_message (AgCloudcodeClient *self, CallData *data, GError **error)
{
  const char *base = data->endpoints[data->index];
  g_autofree char *url = ag_cloudcode_config_build_url (self->config, base, data->method, data->query);
  SoupMessage *message = soup_message_new ("POST", url);

  if (message == NULL)
    {
      g_set_error (error, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_NETWORK, "not a valid Cloud Code URL: %s", url);
      return NULL;
    }
  soup_message_set_request_body_from_bytes (message, "application/json", data->body);
  /* libsoup opens a fresh connection for every POST unless allowed to reuse an idle one: without this, each call
   * would pay a TCP and TLS handshake to Google. libsoup resends once when a reused connection proves closed. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  if (data->gemini_cli)
    ag_cloudcode_config_apply_gemini_cli_headers (self->config, message, data->access_token);
  else if (data->streaming)
    ag_cloudcode_config_apply_headers (self->config, message, data->access_token, TRUE, data->family, data->thinking);
  else
    ag_cloudcode_config_apply_unary_headers (self->config, message, data->access_token);
  return message;
}

static CallData *
call_data_new (const char * const *endpoints, const char *method, const char *query,
               const char *access_token, JsonNode *body)
{
  CallData *data = g_new0 (CallData, 1);
  char *json = json_to_string (body, FALSE);

  data->endpoints = g_strdupv ((char **) endpoints);
  data->method = g_strdup (method);
  data->query = g_strdup (query);
  data->access_token = g_strdup (access_token);
  data->body = g_bytes_new_take (json, strlen (json));
  return data;
}

static void unary_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void stream_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Sends the call to its current host: a stream is handed back open, a unary answer is read whole. */
static void
send_attempt (GTask *task)
{
  AgCloudcodeClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = build_message (self, data, &error);

  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (data->streaming)
    soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             stream_sent_cb, task);
  else
    soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                      unary_cb, task);
}

/* Moves the call on to the next host of its list. */
static void
try_next_endpoint (GTask *task)
{
  CallData *data = g_task_get_task_data (task);

  data->index++;
  send_attempt (task);
}

/* A transport failure on the last host ends the call; on any other host the next one is tried. */
static void
after_transport_error (GTask *task, GError *error)
{
  CallData *data = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (is_last_endpoint (data))
    g_task_return_new_error (task, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_NETWORK, "cannot reach %s: %s",
                             data->endpoints[data->index], error->message);
  else
    try_next_endpoint (g_object_ref (task));
}

/* What a host answered, before its body is read. FALSE when the walk over hosts goes on or ends here: a transport
 * failure (after_transport_error), or a status that sends the call to the next host (404, 408, 5xx on any host but
 * the last). TRUE with the status the caller acts on. */
static gboolean
host_answered (GTask *task, GObject *session, GAsyncResult *result, gconstpointer sent, GError *error,
               guint *status)
{
  CallData *data = g_task_get_task_data (task);

  if (sent == NULL)
    {
      after_transport_error (task, error);
      return FALSE;
    }
  *status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (session), result));
  if (!SOUP_STATUS_IS_SUCCESSFUL (*status) && status_falls_back (*status) && !is_last_endpoint (data))
    {
      try_next_endpoint (g_object_ref (task));
      return FALSE;
    }
  return TRUE;
}

/* ---- unary calls ---- */

static void
unary_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *bytes;
  gsize len = 0;
  guint status;
  JsonNode *root;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (!host_answered (task, source, result, body, error, &status))
    return;
  bytes = g_bytes_get_data (body, &len);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      return_http_error (task, data, status, bytes, len);
      return;
    }

  parser = json_parser_new ();
  if (len == 0 || !json_parser_load_from_data (parser, bytes, (gssize) len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, AG_UPSTREAM_ERROR, AG_UPSTREAM_ERROR_BAD_RESPONSE,
                               "%s answered HTTP %u with a body that is not a JSON object", data->method, status);
      return;
    }
  g_task_return_pointer (task, json_node_ref (root), (GDestroyNotify) json_node_unref);
}

void
ag_cloudcode_client_call_async (AgCloudcodeClient  *self,
                                const char * const *endpoints,
                                const char         *method,
                                const char         *access_token,
                                JsonNode           *body,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_CLOUDCODE_CLIENT (self));
  g_return_if_fail (method != NULL && access_token != NULL && body != NULL);

  if (endpoints == NULL)
    endpoints = ag_cloudcode_config_get_endpoints (self->config);
  g_return_if_fail (endpoints != NULL && endpoints[0] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_cloudcode_client_call_async);
  g_task_set_task_data (task, call_data_new (endpoints, method, NULL, access_token, body),
                        (GDestroyNotify) call_data_free);
  send_attempt (task);
}

JsonNode *
ag_cloudcode_client_call_finish (AgCloudcodeClient *self, GAsyncResult *result,
                                 AgGoogleError **google_error, GError **error)
{
  CallData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (google_error != NULL)
    *google_error = g_steal_pointer (&data->google_error);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- streams ---- */

static void
error_body_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  /* A body cut short still classifies by status; only a cancellation ends the call without the error. */
  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &len, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&data->error_stream);
  return_http_error (task, data, data->error_status, (const char *) data->error_buffer, len);
}

static void
stream_sent_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  GCancellable *cancellable;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (!host_answered (task, source, result, stream, error, &status))
    return;
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      data->endpoint = g_strdup (data->endpoints[data->index]);
      g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
      return;
    }

  data->error_status = status;
  data->error_stream = g_steal_pointer (&stream);
  data->error_buffer = g_malloc (AG_ERROR_BODY_LIMIT);
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_all_async (data->error_stream, data->error_buffer, AG_ERROR_BODY_LIMIT, G_PRIORITY_DEFAULT,
                                 cancellable, error_body_read_cb, g_steal_pointer (&task));
}

/* Both pools open their streams the same way; only the hosts and the headers differ. Either opener finishes with
 * ag_cloudcode_client_open_stream_finish(_full), hence the one source tag. */
static void
open_stream (AgCloudcodeClient  *self,
             const char * const *endpoints,
             gboolean            gemini_cli,
             const char         *access_token,
             JsonNode           *envelope,
             AgModelFamily       family,
             gboolean            thinking,
             GCancellable       *cancellable,
             GAsyncReadyCallback callback,
             gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CallData *data = call_data_new (endpoints, "streamGenerateContent", "alt=sse", access_token, envelope);

  g_task_set_source_tag (task, ag_cloudcode_client_open_stream_async);
  data->streaming = TRUE;
  data->gemini_cli = gemini_cli;
  data->family = family;
  data->thinking = thinking;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);
  send_attempt (task);
}

void
ag_cloudcode_client_open_stream_async (AgCloudcodeClient  *self,
                                       const char         *access_token,
                                       JsonNode           *envelope,
                                       AgModelFamily       family,
                                       gboolean            thinking,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_return_if_fail (AG_IS_CLOUDCODE_CLIENT (self));
  g_return_if_fail (access_token != NULL && envelope != NULL);

  open_stream (self, ag_cloudcode_config_get_endpoints (self->config), FALSE, access_token, envelope, family,
               thinking, cancellable, callback, user_data);
}

void
ag_cloudcode_client_open_gemini_cli_stream_async (AgCloudcodeClient  *self,
                                                  const char         *access_token,
                                                  JsonNode           *envelope,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data)
{
  g_return_if_fail (AG_IS_CLOUDCODE_CLIENT (self));
  g_return_if_fail (access_token != NULL && envelope != NULL);

  open_stream (self, ag_cloudcode_config_get_gemini_cli_endpoints (self->config), TRUE, access_token, envelope,
               AG_MODEL_FAMILY_GEMINI, FALSE, cancellable, callback, user_data);
}

GInputStream *
ag_cloudcode_client_open_stream_finish_full (AgCloudcodeClient *self, GAsyncResult *result, char **endpoint_out,
                                             AgGoogleError **google_error, GError **error)
{
  CallData *data;
  GInputStream *stream;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (google_error != NULL)
    *google_error = g_steal_pointer (&data->google_error);
  stream = g_task_propagate_pointer (G_TASK (result), error);
  if (endpoint_out != NULL)
    *endpoint_out = stream != NULL ? g_steal_pointer (&data->endpoint) : NULL;
  return stream;
}

GInputStream *
ag_cloudcode_client_open_stream_finish (AgCloudcodeClient *self, GAsyncResult *result,
                                        AgGoogleError **google_error, GError **error)
{
  return ag_cloudcode_client_open_stream_finish_full (self, result, NULL, google_error, error);
}
