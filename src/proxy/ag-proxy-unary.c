/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-proxy-unary.h"
#include "ag-account-lease.h"
#include "ag-cloudcode-client.h"
#include "ag-model-catalogue.h"
#include "ag-proxy-reply.h"
#include "ag-protocol-error.h"
#include "ag-request-translator.h"

/* How long GET /v1/models trusts the catalogue before asking upstream again. */
#define CATALOGUE_MAX_AGE_US (10 * G_USEC_PER_SEC * 60)

typedef struct {
  AgCallContext  *context;
  char           *method;
  AgUnaryBodyFunc body_func;
  gpointer        body_data;
  GDestroyNotify  body_data_free;
  AgAccountLease *lease;
  AgLeaseAnswer   failure;   /* how to answer the client when the call failed (message in the GError) */
} UnaryCall;

static void
unary_call_free (gpointer data)
{
  UnaryCall *call = data;

  ag_call_context_unref (call->context);
  g_free (call->method);
  if (call->body_data_free != NULL)
    call->body_data_free (call->body_data);
  g_clear_object (&call->lease);
  g_free (call);
}

/* The lease gave up: its answer is the client's. */
static void
fail_with_answer (GTask *task)
{
  UnaryCall *call = g_task_get_task_data (task);
  const AgLeaseAnswer *answer = ag_account_lease_get_answer (call->lease);

  call->failure = *answer;
  call->failure.message = NULL;
  g_task_return_new_error (task, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM, "%s", answer->message);
  g_object_unref (task);
}

static void acquire (GTask *task);

static void
call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  UnaryCall *call = g_task_get_task_data (task);
  g_autoptr(AgGoogleError) google_error = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *response;

  response = ag_cloudcode_client_call_finish (AG_CLOUDCODE_CLIENT (source), result, &google_error, &error);
  if (response != NULL)
    {
      ag_account_lease_succeeded (call->lease);
      g_task_return_pointer (task, response, (GDestroyNotify) json_node_unref);
      g_object_unref (task);
      return;
    }
  if (google_error == NULL)
    {
      if (ag_account_lease_unreachable (call->lease, error))
        acquire (task);
      else
        fail_with_answer (task);
      return;
    }
  if (ag_account_lease_failed (call->lease, g_steal_pointer (&google_error)))
    acquire (task);
  else
    fail_with_answer (task);
}

static void
acquired (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  UnaryCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = ag_account_lease_acquire_finish (call->lease, result, &error);
  g_autoptr(JsonNode) body = NULL;

  if (token == NULL)
    {
      if (g_error_matches (error, AG_LEASE_ERROR, AG_LEASE_ERROR_FINAL))
        fail_with_answer (task);
      else
        {
          call->failure = (AgLeaseAnswer) { .status = 499, .error_type = "api_error" };
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
        }
      return;
    }
  body = call->body_func (ag_account_lease_get_account (call->lease), call->body_data);
  ag_cloudcode_client_call_async (ag_cloudcode_client_for_proxy (call->context->cloudcode,
                                                                 ag_account_get_proxy (ag_account_lease_get_account (call->lease))),
                                  NULL, call->method, token, body,
                                  g_task_get_cancellable (task), call_done, task);
}

static void
acquire (GTask *task)
{
  UnaryCall *call = g_task_get_task_data (task);

  ag_account_lease_acquire_async (call->lease, g_task_get_cancellable (task), acquired, task);
}

void
ag_proxy_unary_call_async (AgCallContext      *context,
                           const char         *method,
                           AgUnaryBodyFunc     body_func,
                           gpointer            body_data,
                           GDestroyNotify      body_data_free,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  UnaryCall *call = g_new0 (UnaryCall, 1);
  AgLeaseOptions options = { .purpose = AG_LEASE_UNARY };

  call->context = ag_call_context_ref (context);
  call->method = g_strdup (method);
  call->body_func = body_func;
  call->body_data = body_data;
  call->body_data_free = body_data_free;
  call->lease = ag_account_lease_new (context->pool, context->oauth,
                                      ag_cloudcode_client_get_config (context->cloudcode), &options);
  g_task_set_task_data (task, call, unary_call_free);
  g_task_set_source_tag (task, ag_proxy_unary_call_async);
  acquire (task);
}

JsonNode *
ag_proxy_unary_call_finish (GAsyncResult *result, const AgLeaseAnswer **failure_out, GError **error)
{
  UnaryCall *call = g_task_get_task_data (G_TASK (result));

  if (failure_out != NULL)
    *failure_out = &call->failure;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ── count_tokens ─────────────────────────────────────────────────────────────────────────────────────────── */

typedef struct {
  AgCallContext     *context;
  SoupServerMessage *msg;
  const AgSurface   *surface;
  JsonNode          *request;
} CountTokens;

static void
count_tokens_free (gpointer data)
{
  CountTokens *count = data;

  ag_call_context_unref (count->context);
  g_object_unref (count->msg);
  json_node_unref (count->request);
  g_free (count);
}

/* countTokens accepts only {"request":{…}}: a top-level model or project is rejected
 * (docs/upstream-cloudcode.md#counttokens). */
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
  const AgLeaseAnswer *failure = NULL;

  response = ag_proxy_unary_call_finish (result, &failure, &error);
  if (response == NULL)
    {
      ag_call_context_answer_given (count->context, failure->client_outdated);
      ag_proxy_reply_set_retry_advice (count->msg, failure);
      ag_surface_reply_error (count->surface, count->msg, failure->status, failure->error_type, error->message);
    }
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
        ag_surface_reply_error (count->surface, count->msg, 502, "api_error", "countTokens answered without totalTokens");
      else
        {
          g_autoptr(JsonNode) body = json_from_string ("{}", NULL);

          /* Gemini's clients get Gemini's answer; Anthropic's get count_tokens'. */
          json_object_set_int_member (json_node_get_object (body),
                                      count->surface == &ag_surface_gemini ? "totalTokens" : "input_tokens",
                                      json_node_get_value_type (total) == G_TYPE_STRING
                                        ? g_ascii_strtoll (json_node_get_string (total), NULL, 10)
                                        : json_node_get_int (total));
          ag_proxy_reply_json (count->msg, 200, body);
        }
    }
  count_tokens_free (count);
}

void
ag_proxy_unary_count_tokens (AgCallContext *context, SoupServerMessage *msg, const AgSurface *surface,
                             const AgClientRequest *request)
{
  AgModelCatalogue *catalogue = context->catalogue;
  g_auto(AgResolvedModel) model = { 0 };
  g_autoptr(AgTranslatedRequest) translated = NULL;
  g_autoptr(GError) error = NULL;
  AgTranslateOptions options = { 0 };
  CountTokens *count;

  /* count_tokens bodies carry no max_tokens; the translator's validation defaults it. */
  if (!ag_model_catalogue_resolve (catalogue, request->model, &model, &error))
    {
      ag_surface_reply_error (surface, msg, 400, "invalid_request_error", error->message);
      return;
    }
  options.upstream_model = model.upstream_model;
  options.family = model.family;
  options.supports_thinking = model.supports_thinking;
  options.max_output_cap = model.max_output_tokens;
  translated = surface->translate (request, &options, &error);
  if (translated == NULL)
    {
      ag_surface_reply_error (surface, msg, 400, "invalid_request_error", error->message);
      return;
    }
  /* Only what is counted: generation settings and the session id are not part of the prompt. */
  json_object_remove_member (json_node_get_object (translated->request), "generationConfig");
  json_object_remove_member (json_node_get_object (translated->request), "sessionId");
  json_object_remove_member (json_node_get_object (translated->request), "safetySettings");
  json_object_remove_member (json_node_get_object (translated->request), "toolConfig");

  count = g_new0 (CountTokens, 1);
  count->context = ag_call_context_ref (context);
  count->msg = g_object_ref (msg);
  count->surface = surface;
  count->request = json_node_ref (translated->request);
  ag_proxy_unary_call_async (context, "countTokens", count_tokens_body, count, NULL, NULL, count_tokens_done, count);
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
  g_autoptr(GTask) task = user_data;
  AgCallContext *context = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;

  response = ag_proxy_unary_call_finish (result, NULL, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (response))
    g_task_return_new_error (task, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                             "fetchAvailableModels answered something other than an object");
  else if (!ag_model_catalogue_merge (context->catalogue, json_node_get_object (response), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ag_proxy_unary_refresh_catalogue_async (AgCallContext *context, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_task_data (task, ag_call_context_ref (context), (GDestroyNotify) ag_call_context_unref);
  ag_proxy_unary_call_async (context, "fetchAvailableModels", models_body, NULL, NULL, cancellable,
                             catalogue_fetched, task);
}

gboolean
ag_proxy_unary_refresh_catalogue_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
reply_models (AgCallContext *context, SoupServerMessage *msg, AgModelListShape shape)
{
  g_autoptr(JsonNode) list = shape == AG_MODEL_LIST_OPENAI ? ag_model_catalogue_to_openai_list (context->catalogue)
                           : shape == AG_MODEL_LIST_GEMINI ? ag_model_catalogue_to_gemini_list (context->catalogue)
                                                           : ag_model_catalogue_to_anthropic_list (context->catalogue);

  ag_proxy_reply_json (msg, 200, list);
}

typedef struct {
  AgCallContext     *context;
  SoupServerMessage *msg;
  AgModelListShape   shape;
} ListModels;

static void
models_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ListModels *list = user_data;
  g_autoptr(GError) error = NULL;

  if (!ag_proxy_unary_refresh_catalogue_finish (result, &error) &&
      ag_model_catalogue_is_empty (list->context->catalogue))
    ag_proxy_reply_error (list->msg, 503, "api_error", error->message);
  else
    {
      if (error != NULL)
        g_warning ("serving a stale model list: %s", error->message);
      reply_models (list->context, list->msg, list->shape);
    }
  ag_call_context_unref (list->context);
  g_object_unref (list->msg);
  g_free (list);
}

void
ag_proxy_unary_list_models (AgCallContext *context, SoupServerMessage *msg, AgModelListShape shape)
{
  gint64 updated_at = ag_model_catalogue_get_updated_at (context->catalogue);
  ListModels *list;

  if (updated_at != 0 && g_get_monotonic_time () - updated_at < CATALOGUE_MAX_AGE_US)
    {
      reply_models (context, msg, shape);
      return;
    }
  list = g_new0 (ListModels, 1);
  list->context = ag_call_context_ref (context);
  list->msg = g_object_ref (msg);
  list->shape = shape;
  ag_proxy_unary_refresh_catalogue_async (context, NULL, models_refreshed, list);
}
