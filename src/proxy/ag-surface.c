/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-surface.h"

#include <string.h>
#include "ag-anthropic-error.h"
#include "ag-gemini-error.h"
#include "ag-gemini-request.h"
#include "ag-gemini-translator.h"
#include "ag-openai-chat-request.h"
#include "ag-openai-chat-translator.h"
#include "ag-openai-error.h"
#include "ag-openai-responses-request.h"
#include "ag-openai-responses-translator.h"
#include "ag-json.h"
#include "ag-protocol-error.h"
#include "ag-proxy-reply.h"
#include "ag-web-search-translator.h"

static AgClientRequest *
anthropic_read_request (JsonObject *body, SoupMessageHeaders *headers, const char *path, GError **error)
{
  /* Claude Code names its session in a header as well as in the body. */
  return ag_anthropic_request_read (body, soup_message_headers_get_one (headers, "x-claude-code-session-id"), error);
}

static JsonNode *
anthropic_error_body (guint status, const char *error_type, const char *message)
{
  return ag_anthropic_error_node (error_type != NULL ? error_type : ag_anthropic_error_type_for_status (status),
                                  message);
}

/* A web search is answered as Anthropic's server tool blocks, anything else by the stream translator. */
static AgBackTranslator *
anthropic_new_back_translator (const AgStreamOptions *options, gboolean stream)
{
  if (options->web_search_max_uses > 0)
    return ag_web_search_translator_new (options, stream);
  return ag_anthropic_back_translator_new (options, stream);
}

const AgSurface ag_surface_anthropic = {
  .name = "anthropic",
  .path = "/v1/messages",
  .read_request = anthropic_read_request,
  .translate = ag_request_translate,
  .new_back_translator = anthropic_new_back_translator,
  .error_body = anthropic_error_body,
  .comment_keepalives = TRUE,
};

static AgClientRequest *
openai_chat_read_request (JsonObject *body, SoupMessageHeaders *headers, const char *path, GError **error)
{
  return ag_openai_chat_request_read (body, error);
}

const AgSurface ag_surface_openai_chat = {
  .name = "openai-chat",
  .path = "/v1/chat/completions",
  .read_request = openai_chat_read_request,
  .translate = ag_request_translate,
  .new_back_translator = ag_openai_chat_back_translator_new,
  .error_body = ag_openai_error_node,
  .comment_keepalives = TRUE,
};

/* Codex names its session in a header as well as in prompt_cache_key. */
static AgClientRequest *
openai_responses_read_request (JsonObject *body, SoupMessageHeaders *headers, const char *path, GError **error)
{
  return ag_openai_responses_request_read (body, soup_message_headers_get_one (headers, "session-id"), error);
}

const AgSurface ag_surface_openai_responses = {
  .name = "openai-responses",
  .path = "/v1/responses",
  .read_request = openai_responses_read_request,
  .translate = ag_request_translate,
  .new_back_translator = ag_openai_responses_back_translator_new,
  .error_body = ag_openai_error_node,
  .comment_keepalives = TRUE,
};

/* The model and the action are in the path; the body is Gemini's request, or countTokens' wrapper of one. */
static AgClientRequest *
gemini_read_request (JsonObject *body, SoupMessageHeaders *headers, const char *path, GError **error)
{
  g_autofree char *model = NULL, *action = NULL;
  JsonObject *inner;
  AgClientRequest *request;

  if (!ag_gemini_path_parse (path, &model, &action))
    {
      g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST, "%s names no model and action", path);
      return NULL;
    }
  if (g_str_equal (action, "countTokens") && (inner = ag_json_object (body, "generateContentRequest")) != NULL)
    body = inner;
  request = ag_gemini_request_read (body, model, g_str_equal (action, "streamGenerateContent"), error);
  if (request != NULL)
    {
      /* AgClientRequest borrows its model from the body. */
      json_object_set_string_member (request->body, "model", model);
      request->model = json_object_get_string_member (request->body, "model");
    }
  return request;
}

const AgSurface ag_surface_gemini = {
  .name = "gemini",
  .path = "/v1beta/models",
  .read_request = gemini_read_request,
  .translate = ag_gemini_request_translate,
  .new_back_translator = ag_gemini_back_translator_new,
  .error_body = ag_gemini_error_node,
  .comment_keepalives = FALSE,
};

/* "…/models/{model}:{action}" with an action ag-cl serves; any prefix (/v1beta, /v1, a base URL's path). */
static gboolean
is_gemini_model_path (const char *path)
{
  static const char *const actions[] = { "generateContent", "streamGenerateContent", "countTokens", NULL };
  g_autofree char *model = NULL, *action = NULL;

  return ag_gemini_path_parse (path, &model, &action) && g_strv_contains (actions, action);
}

const AgSurface *
ag_surface_for_path (const char *path)
{
  static const AgSurface *const surfaces[] = {
    &ag_surface_anthropic, &ag_surface_openai_chat, &ag_surface_openai_responses,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (surfaces); i++)
    if (g_str_equal (path, surfaces[i]->path))
      return surfaces[i];
  if (g_str_equal (path, "/v1/messages/count_tokens"))
    return &ag_surface_anthropic;
  if (is_gemini_model_path (path))
    return &ag_surface_gemini;
  return NULL;
}

/* Paths no surface serves still belong to a client family: its error shape is the one it can read. */
const AgSurface *
ag_surface_for_errors (const char *path)
{
  const AgSurface *surface = ag_surface_for_path (path);

  if (surface != NULL)
    return surface;
  if (g_str_has_prefix (path, "/v1/chat/") || g_str_has_prefix (path, "/v1/responses"))
    return &ag_surface_openai_chat;
  if (g_str_has_prefix (path, "/v1beta/") || strstr (path, "/models/") != NULL)
    return &ag_surface_gemini;
  return &ag_surface_anthropic;
}

void
ag_surface_reply_error (const AgSurface *surface, SoupServerMessage *msg, guint status, const char *error_type,
                        const char *message)
{
  g_autoptr(JsonNode) body = surface->error_body (status, error_type, message);

  ag_proxy_reply_json (msg, status, body);
}
