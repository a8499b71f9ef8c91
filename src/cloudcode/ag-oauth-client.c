/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-oauth-client.h"
#include "ag-upstream-proxy.h"

#include <json-glib/json-glib.h>

/* Google omits expires_in only in odd cases; an hour is what it always grants (opencode-antigravity-auth
 * (src/plugin/auth.ts) assumes the same). */
#define AG_OAUTH_DEFAULT_EXPIRES_IN 3600

struct _AgOAuthClient
{
  GObject parent_instance;

  AgCloudcodeConfig *config;
  SoupSession       *session;
  GHashTable        *egress;   /* proxy URI → AgOAuthClient: token calls of accounts with their own proxy */
};

G_DEFINE_FINAL_TYPE (AgOAuthClient, ag_oauth_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (ag-oauth-error-quark, ag_oauth_error)

void
ag_oauth_tokens_free (AgOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_free (tokens);
}

static void
ag_oauth_client_dispose (GObject *object)
{
  AgOAuthClient *self = AG_OAUTH_CLIENT (object);

  g_clear_object (&self->config);
  g_clear_object (&self->session);
  g_clear_pointer (&self->egress, g_hash_table_unref);

  G_OBJECT_CLASS (ag_oauth_client_parent_class)->dispose (object);
}

static void
ag_oauth_client_class_init (AgOAuthClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ag_oauth_client_dispose;
}

static void
ag_oauth_client_init (AgOAuthClient *self)
{
}

/* @session may be NULL: the client then keeps its own. */
AgOAuthClient *
ag_oauth_client_new (AgCloudcodeConfig *config, SoupSession *session)
{
  AgOAuthClient *self;

  g_return_val_if_fail (AG_IS_CLOUDCODE_CONFIG (config), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  self = g_object_new (AG_TYPE_OAUTH_CLIENT, NULL);
  self->config = g_object_ref (config);
  if (session != NULL)
    self->session = g_object_ref (session);
  else
    {
      self->session = soup_session_new ();
      ag_cloudcode_config_configure_session (config, self->session);
    }
  return self;
}

static gpointer
client_for_proxy_new (gpointer direct, const char *proxy_uri)
{
  AgCloudcodeConfig *config = AG_OAUTH_CLIENT (direct)->config;
  g_autoptr(SoupSession) session = soup_session_new ();

  ag_cloudcode_config_configure_session_for_proxy (config, session, proxy_uri);
  return ag_oauth_client_new (config, session);
}

AgOAuthClient *
ag_oauth_client_for_proxy (AgOAuthClient *self, const char *proxy_uri)
{
  g_return_val_if_fail (AG_IS_OAUTH_CLIENT (self), NULL);
  return ag_upstream_proxy_client_for (&self->egress, self, proxy_uri, client_for_proxy_new);
}

/* The body as a JSON object, or NULL. */
static JsonObject *
parse_object (GBytes *body, JsonParser *parser)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

/* OAuth errors are {"error":"…","error_description":"…"}; Google APIs nest {"error":{"message":…}}. */
static char *
describe_error_body (JsonObject *object)
{
  JsonNode *error_node;

  if (object == NULL || (error_node = json_object_get_member (object, "error")) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (error_node) && json_node_get_value_type (error_node) == G_TYPE_STRING)
    {
      const char *code = json_node_get_string (error_node);
      const char *description = json_object_get_string_member_with_default (object, "error_description", NULL);

      if (description != NULL)
        return g_strdup_printf ("%s: %s", code, description);
      return g_strdup (code);
    }
  if (JSON_NODE_HOLDS_OBJECT (error_node))
    {
      const char *message = json_object_get_string_member_with_default (json_node_get_object (error_node),
                                                                        "message", NULL);
      return message != NULL ? g_strdup (message) : NULL;
    }
  return NULL;
}

static const char *
error_code (JsonObject *object)
{
  JsonNode *error_node;

  if (object == NULL || (error_node = json_object_get_member (object, "error")) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (error_node) && json_node_get_value_type (error_node) == G_TYPE_STRING)
    return json_node_get_string (error_node);
  return NULL;
}

/* Collects the answer of a Google endpoint (@endpoint names it in errors). TRUE on a 2xx status, with *object the
 * body's JSON object (NULL when it is not one; @parser owns it); otherwise the error has been returned on @task.
 * @invalid_grant_message, when not NULL, is the INVALID_GRANT error for a 400/401 {"error":"invalid_grant"}. */
static gboolean
finish_google_call (GTask *task, GObject *source, GAsyncResult *result, const char *endpoint,
                    const char *invalid_grant_message, JsonParser *parser, JsonObject **object)
{
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *description = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_UNREACHABLE,
                                 "cannot reach the Google %s endpoint: %s", endpoint, error->message);
      return FALSE;
    }

  status = soup_message_get_status (message);
  *object = parse_object (body, parser);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;
  /* Not Google's answer but a proxy's (libsoup returns a refused CONNECT as the response): no answer from Google. */
  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    {
      g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_UNREACHABLE,
                               "cannot reach the Google %s endpoint: the proxy wants credentials (HTTP 407)", endpoint);
      return FALSE;
    }

  if (invalid_grant_message != NULL
      && (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNAUTHORIZED)
      && g_strcmp0 (error_code (*object), "invalid_grant") == 0)
    {
      g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT, "%s", invalid_grant_message);
      return FALSE;
    }
  description = describe_error_body (*object);
  g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_FAILED,
                           "the Google %s endpoint answered HTTP %u%s%s", endpoint, status,
                           description != NULL ? ": " : "", description != NULL ? description : "");
  return FALSE;
}

/* The answer of a refresh and of a code exchange: both have the same shape. */
static void
token_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(AgOAuthTokens) tokens = NULL;
  const char *invalid_grant_message;
  JsonObject *object;
  const char *access_token;
  const char *refresh_token;
  gint64 expires_in;

  if (g_task_get_source_tag (task) == ag_oauth_client_exchange_code_async)
    invalid_grant_message = "Google rejected the sign-in code (invalid_grant); sign in again";
  else
    invalid_grant_message = "the refresh token was rejected by Google (invalid_grant); sign in again";
  if (!finish_google_call (task, source, result, "token", invalid_grant_message, parser, &object))
    return;

  access_token = object != NULL ? json_object_get_string_member_with_default (object, "access_token", NULL) : NULL;
  if (access_token == NULL || *access_token == '\0')
    {
      g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_BAD_RESPONSE,
                               "the Google token endpoint answered without an access token");
      return;
    }
  refresh_token = json_object_get_string_member_with_default (object, "refresh_token", NULL);
  expires_in = json_object_get_int_member_with_default (object, "expires_in", AG_OAUTH_DEFAULT_EXPIRES_IN);
  if (expires_in <= 0)
    expires_in = AG_OAUTH_DEFAULT_EXPIRES_IN;

  tokens = g_new0 (AgOAuthTokens, 1);
  tokens->access_token = g_strdup (access_token);
  tokens->refresh_token = refresh_token != NULL && *refresh_token != '\0' ? g_strdup (refresh_token) : NULL;
  tokens->expires_at_unix_s = g_get_real_time () / G_USEC_PER_SEC + expires_in;
  g_task_return_pointer (task, g_steal_pointer (&tokens), (GDestroyNotify) ag_oauth_tokens_free);
}

/* POSTs @form (taken) to the token endpoint; @task (taken) gets the tokens. */
static void
post_token_form (AgOAuthClient *self, GTask *task, char *form)
{
  const char *token_url = ag_cloudcode_config_get_token_url (self->config);
  g_autoptr(SoupMessage) message = soup_message_new_from_encoded_form ("POST", token_url, form);

  if (message == NULL)
    {
      g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_FAILED, "the token URL is not valid: %s",
                               token_url);
      g_object_unref (task);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    token_cb, task);
}

void
ag_oauth_client_refresh_async (AgOAuthClient *self, const char *refresh_token, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_OAUTH_CLIENT (self));
  g_return_if_fail (refresh_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oauth_client_refresh_async);
  post_token_form (self, task,
                   soup_form_encode ("client_id", ag_cloudcode_config_get_client_id (self->config),
                                     "client_secret", ag_cloudcode_config_get_client_secret (self->config),
                                     "refresh_token", refresh_token,
                                     "grant_type", "refresh_token",
                                     NULL));
}

AgOAuthTokens *
ag_oauth_client_refresh_finish (AgOAuthClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ag_oauth_client_exchange_code_async (AgOAuthClient *self, const char *code, const char *code_verifier,
                                     const char *redirect_uri, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (AG_IS_OAUTH_CLIENT (self));
  g_return_if_fail (code != NULL && code_verifier != NULL && redirect_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oauth_client_exchange_code_async);
  post_token_form (self, task,
                   soup_form_encode ("code", code,
                                     "code_verifier", code_verifier,
                                     "client_id", ag_cloudcode_config_get_client_id (self->config),
                                     "client_secret", ag_cloudcode_config_get_client_secret (self->config),
                                     "redirect_uri", redirect_uri,
                                     "grant_type", "authorization_code",
                                     NULL));
}

AgOAuthTokens *
ag_oauth_client_exchange_code_finish (AgOAuthClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_email_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *email;

  if (!finish_google_call (task, source, result, "userinfo", NULL, parser, &object))
    return;

  email = object != NULL ? json_object_get_string_member_with_default (object, "email", NULL) : NULL;
  if (email == NULL || *email == '\0')
    {
      g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_BAD_RESPONSE,
                               "the Google userinfo endpoint answered without an e-mail address");
      return;
    }
  g_task_return_pointer (task, g_strdup (email), g_free);
}

void
ag_oauth_client_get_email_async (AgOAuthClient *self, const char *access_token, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (AG_IS_OAUTH_CLIENT (self));
  g_return_if_fail (access_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ag_oauth_client_get_email_async);

  message = soup_message_new ("GET", ag_cloudcode_config_get_userinfo_url (self->config));
  if (message == NULL)
    {
      g_task_return_new_error (task, AG_OAUTH_ERROR, AG_OAUTH_ERROR_FAILED, "the userinfo URL is not valid: %s",
                               ag_cloudcode_config_get_userinfo_url (self->config));
      return;
    }
  headers = soup_message_get_request_headers (message);
  authorization = g_strconcat ("Bearer ", access_token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    get_email_cb, g_steal_pointer (&task));
}

char *
ag_oauth_client_get_email_finish (AgOAuthClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
