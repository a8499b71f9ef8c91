/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-proxy-unary.h"
#include "ag-anthropic-error.h"
#include "ag-proxy-reply.h"
#include "ag-protocol-error.h"
#include "ag-request-translator.h"

/* How long GET /v1/models trusts the catalogue before asking upstream again. */
#define CATALOGUE_MAX_AGE_US (10 * G_USEC_PER_SEC * 60)

typedef struct {
  AgProxyServer  *server;
  char           *method;
  AgUnaryBodyFunc body_func;
  gpointer        body_data;
  GDestroyNotify  body_data_free;
  GPtrArray      *tried;          /* accounts given up on for this call */
  AgAccount      *account;
  gboolean        renewed_token;  /* the token of @account was already renewed once after a 401 */
  guint           status;
  const char     *error_type;
} UnaryCall;

static void
unary_call_free (gpointer data)
{
  UnaryCall *call = data;

  g_object_unref (call->server);
  g_free (call->method);
  if (call->body_data_free != NULL)
    call->body_data_free (call->body_data);
  g_ptr_array_unref (call->tried);
  g_clear_object (&call->account);
  g_free (call);
}

static void try_next_account (GTask *task);

static void
fail (GTask *task, guint status, const char *error_type, GError *error)
{
  UnaryCall *call = g_task_get_task_data (task);

  call->status = status;
  call->error_type = error_type;
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
give_up_on_account (GTask *task)
{
  UnaryCall *call = g_task_get_task_data (task);

  g_ptr_array_add (call->tried, g_steal_pointer (&call->account));
  call->renewed_token = FALSE;
  try_next_account (task);
}

static void
call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  UnaryCall *call = g_task_get_task_data (task);
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *response;
  const char *error_type = NULL;
  g_autofree char *message = NULL;
  guint status;

  response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result, &google_error, &error);
  if (response != NULL)
    {
      ag_account_pool_report_success (ag_proxy_server_get_pool (call->server), call->account, NULL);
      g_task_return_pointer (task, response, (GDestroyNotify) json_node_unref);
      g_object_unref (task);
      return;
    }
  if (google_error == NULL)
    {
      fail (task, 502, "api_error", g_steal_pointer (&error));
      return;
    }
  if (google_error->kind == AG_UPSTREAM_FAILURE_AUTH && !call->renewed_token)
    {
      /* The access token may have been revoked early: renew it once before giving up on the account. */
      call->renewed_token = TRUE;
      ag_account_invalidate_access_token (call->account);
      try_next_account (task);
      return;
    }
  if (google_error->kind == AG_UPSTREAM_FAILURE_AUTH ||
      google_error->kind == AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED ||
      google_error->kind == AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED ||
      google_error->kind == AG_UPSTREAM_FAILURE_RATE_LIMIT ||
      google_error->kind == AG_UPSTREAM_FAILURE_QUOTA_EXHAUSTED ||
      google_error->kind == AG_UPSTREAM_FAILURE_CAPACITY)
    {
      AgAccountPool *pool = ag_proxy_server_get_pool (call->server);

      g_message ("%s failed for %s (HTTP %u); trying another account", call->method,
                 ag_account_get_email (call->account), google_error->http_status);
      /* The simple form of the messages loop: no waiting in place, but rests and invalid accounts are shared. */
      if (google_error->kind == AG_UPSTREAM_FAILURE_VALIDATION_REQUIRED)
        ag_account_pool_invalidate (pool, call->account, AG_ACCOUNT_STATE_VALIDATION_REQUIRED,
                                    "Google asks you to verify this account before it can be used again",
                                    google_error->validation_url);
      else if (google_error->kind == AG_UPSTREAM_FAILURE_ACCOUNT_DISABLED)
        ag_account_pool_invalidate (pool, call->account, AG_ACCOUNT_STATE_DISABLED, google_error->message,
                                    google_error->validation_url);
      else if (google_error->kind != AG_UPSTREAM_FAILURE_AUTH)
        ag_account_pool_report_failure (pool, call->account, NULL, google_error);
      give_up_on_account (task);
      return;
    }
  status = ag_anthropic_error_from_google (google_error, &error_type, &message);
  fail (task, status, error_type, g_error_new_literal (AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM, message));
}

static void
token_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  UnaryCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) body = NULL;

  token = ag_account_get_access_token_finish (AG_ACCOUNT (source), result, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          fail (task, 499, "api_error", g_steal_pointer (&error));
          return;
        }
      g_warning ("cannot renew the sign-in of %s: %s", ag_account_get_email (call->account), error->message);
      if (g_error_matches (error, AG_OAUTH_ERROR, AG_OAUTH_ERROR_INVALID_GRANT))
        ag_account_pool_invalidate (ag_proxy_server_get_pool (call->server), call->account,
                                    AG_ACCOUNT_STATE_SIGNED_OUT,
                                    "Google no longer accepts this account's sign-in; sign in again", NULL);
      give_up_on_account (task);
      return;
    }
  body = call->body_func (call->account, call->body_data);
  ag_cloudcode_client_call_async (ag_proxy_server_get_cloudcode (call->server), NULL, call->method, token, body,
                                  g_task_get_cancellable (task), call_done, task);
}

static void
try_next_account (GTask *task)
{
  UnaryCall *call = g_task_get_task_data (task);

  if (call->account == NULL)
    call->account = ag_account_pool_pick (ag_proxy_server_get_pool (call->server), NULL, NULL, call->tried, NULL);
  if (call->account == NULL)
    {
      if (call->tried->len == 0)
        fail (task, 503, "api_error",
              g_error_new_literal (AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                                   "ag-cl has no Google account to use; add one with “ag-cl account add” "
                                   "or in the ag-cl window"));
      else
        fail (task, 503, "api_error",
              g_error_new_literal (AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                                   "none of your Google accounts could serve the request (signed out, limited or "
                                   "disabled); see “ag-cl account list” and the log"));
      return;
    }
  ag_account_get_access_token_async (call->account, ag_proxy_server_get_oauth (call->server),
                                     g_task_get_cancellable (task), token_done, task);
}

void
ag_proxy_unary_call_async (AgProxyServer      *server,
                           const char         *method,
                           AgUnaryBodyFunc     body_func,
                           gpointer            body_data,
                           GDestroyNotify      body_data_free,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task = g_task_new (server, cancellable, callback, user_data);
  UnaryCall *call = g_new0 (UnaryCall, 1);

  call->server = g_object_ref (server);
  call->method = g_strdup (method);
  call->body_func = body_func;
  call->body_data = body_data;
  call->body_data_free = body_data_free;
  call->tried = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, call, unary_call_free);
  g_task_set_source_tag (task, ag_proxy_unary_call_async);
  try_next_account (task);
}

JsonNode *
ag_proxy_unary_call_finish (AgProxyServer *server, GAsyncResult *result, guint *status_out,
                            const char **error_type_out, GError **error)
{
  UnaryCall *call = g_task_get_task_data (G_TASK (result));

  if (status_out != NULL)
    *status_out = call->status;
  if (error_type_out != NULL)
    *error_type_out = call->error_type;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ── count_tokens ─────────────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  SoupServerMessage *msg;
  JsonNode          *request;
} CountTokens;

static void
count_tokens_free (gpointer data)
{
  CountTokens *count = data;

  g_object_unref (count->msg);
  json_node_unref (count->request);
  g_free (count);
}

/* countTokens accepts only {"request":{…}}: a top-level model or project is rejected (cloudcode-api.md §1.2). */
static JsonNode *
count_tokens_body (AgAccount *account, gpointer user_data)
{
  CountTokens *count = user_data;
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (object, "request", json_node_ref (count->request));
  json_node_take_object (node, object);
  return node;
}

static void
count_tokens_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CountTokens *count = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  const char *error_type = NULL;
  guint status = 0;

  response = ag_proxy_unary_call_finish (AG_PROXY_SERVER (source), result, &status, &error_type, &error);
  if (response == NULL)
    ag_proxy_reply_error (count->msg, status, error_type, error->message);
  else
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
      JsonNode *total = NULL;

      /* Antigravity-Manager also saw the count wrapped in "response". */
      if (object != NULL && json_object_has_member (object, "response") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "response")))
        object = json_object_get_object_member (object, "response");
      if (object != NULL)
        total = json_object_get_member (object, "totalTokens");
      if (total == NULL || !JSON_NODE_HOLDS_VALUE (total))
        ag_proxy_reply_error (count->msg, 502, "api_error", "countTokens answered without totalTokens");
      else
        {
          g_autoptr(JsonNode) body = json_from_string ("{}", NULL);

          json_object_set_int_member (json_node_get_object (body), "input_tokens",
                                      json_node_get_value_type (total) == G_TYPE_STRING
                                        ? g_ascii_strtoll (json_node_get_string (total), NULL, 10)
                                        : json_node_get_int (total));
          ag_proxy_reply_json (count->msg, 200, body);
        }
    }
  count_tokens_free (count);
}

void
ag_proxy_unary_count_tokens (AgProxyServer *server, SoupServerMessage *msg, JsonObject *body)
{
  AgModelCatalogue *catalogue = ag_proxy_server_get_catalogue (server);
  g_auto(AgResolvedModel) model = { 0 };
  g_autoptr(AgTranslatedRequest) translated = NULL;
  g_autoptr(GError) error = NULL;
  AgTranslateOptions options = { 0 };
  CountTokens *count;
  const char *client_model = NULL;
  gboolean stream = FALSE;

  /* count_tokens bodies carry no max_tokens; the translator's validation defaults it. */
  if (!ag_request_peek (body, &client_model, &stream, &error) ||
      !ag_model_catalogue_resolve (catalogue, client_model, &model, &error))
    {
      ag_proxy_reply_error (msg, 400, "invalid_request_error", error->message);
      return;
    }
  options.upstream_model = model.upstream_model;
  options.family = model.family;
  options.supports_thinking = model.supports_thinking;
  options.max_output_cap = model.max_output_tokens;
  options.signatures = ag_proxy_server_get_signatures (server);
  translated = ag_request_translate (body, &options, &error);
  if (translated == NULL)
    {
      ag_proxy_reply_error (msg, 400, "invalid_request_error", error->message);
      return;
    }
  /* Only what is counted: generation settings and the session id are not part of the prompt. */
  json_object_remove_member (json_node_get_object (translated->request), "generationConfig");
  json_object_remove_member (json_node_get_object (translated->request), "sessionId");
  json_object_remove_member (json_node_get_object (translated->request), "safetySettings");
  json_object_remove_member (json_node_get_object (translated->request), "toolConfig");

  count = g_new0 (CountTokens, 1);
  count->msg = g_object_ref (msg);
  count->request = json_node_ref (translated->request);
  ag_proxy_unary_call_async (server, "countTokens", count_tokens_body, count, NULL, NULL, count_tokens_done, count);
}

/* ── models ───────────────────────────────────────────────────────────────────────────────────────────────── */

static JsonNode *
models_body (AgAccount *account, gpointer user_data)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  /* The project gives the account's own quota figures (antigravity-claude-proxy model-api.js). */
  if (ag_account_get_project_id (account) != NULL)
    json_object_set_string_member (object, "project", ag_account_get_project_id (account));
  json_node_take_object (node, object);
  return node;
}

static void
catalogue_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  AgProxyServer *server = AG_PROXY_SERVER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;

  response = ag_proxy_unary_call_finish (server, result, NULL, NULL, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (response))
    g_task_return_new_error (task, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                             "fetchAvailableModels answered something other than an object");
  else if (!ag_model_catalogue_merge (ag_proxy_server_get_catalogue (server), json_node_get_object (response),
                                      &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

void
ag_proxy_server_refresh_catalogue_async (AgProxyServer *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  ag_proxy_unary_call_async (self, "fetchAvailableModels", models_body, NULL, NULL, cancellable,
                             catalogue_fetched, task);
}

gboolean
ag_proxy_server_refresh_catalogue_finish (AgProxyServer *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reply_models (AgProxyServer *server, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) list = ag_model_catalogue_to_anthropic_list (ag_proxy_server_get_catalogue (server));

  ag_proxy_reply_json (msg, 200, list);
}

static void
models_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  AgProxyServer *server = AG_PROXY_SERVER (source);
  g_autoptr(GError) error = NULL;

  if (!ag_proxy_server_refresh_catalogue_finish (server, result, &error) &&
      ag_model_catalogue_is_empty (ag_proxy_server_get_catalogue (server)))
    {
      ag_proxy_reply_error (msg, 503, "api_error", error->message);
      return;
    }
  if (error != NULL)
    g_warning ("serving a stale model list: %s", error->message);
  reply_models (server, msg);
}

void
ag_proxy_unary_list_models (AgProxyServer *server, SoupServerMessage *msg)
{
  AgModelCatalogue *catalogue = ag_proxy_server_get_catalogue (server);
  gint64 updated_at = ag_model_catalogue_get_updated_at (catalogue);

  if (updated_at != 0 && g_get_monotonic_time () - updated_at < CATALOGUE_MAX_AGE_US)
    {
      reply_models (server, msg);
      return;
    }
  ag_proxy_server_refresh_catalogue_async (server, NULL, models_refreshed, g_object_ref (msg));
}
