/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-surface.h — one client API the proxy speaks, as the pair of translators and the error shape the call needs.
 * The Anthropic Messages API is the first; OpenAI Chat Completions, OpenAI Responses and Gemini generateContent
 * are each a new table and a route, not a new call. */
#pragma once

#include <libsoup/soup.h>
#include "ag-back-translator.h"
#include "ag-client-request.h"
#include "ag-request-translator.h"
#include "ag-stream-translator.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;   /* "anthropic", … */
  const char *path;   /* the route of a model request, for the log: "/v1/messages", … */
  /* Front translator, step one: the parsed body read into the description every later step uses. @path is the
   * request's (Gemini names the model and the action in it). */
  AgClientRequest     *(*read_request) (JsonObject *body, SoupMessageHeaders *headers, const char *path,
                                        GError **error);
  /* Front translator, step two: the Cloud Code request. */
  AgTranslatedRequest *(*translate) (const AgClientRequest *request, const AgTranslateOptions *options,
                                     GError **error);
  /* Back translator for one answer: streamed (the surface's events) or whole (one body at the end). */
  AgBackTranslator    *(*new_back_translator) (const AgStreamOptions *options, gboolean stream);
  /* The surface's error body; @error_type is the Anthropic category the rest of ag-cl speaks. */
  JsonNode            *(*error_body) (guint status, const char *error_type, const char *message);
  /* Keepalives before the answer starts may be SSE comments (FALSE: the client's stream reader cannot skip them). */
  gboolean             comment_keepalives;
} AgSurface;

/* POST /v1/messages and /v1/messages/count_tokens. */
extern const AgSurface ag_surface_anthropic;

/* POST /v1/chat/completions: OpenAI Chat Completions. */
extern const AgSurface ag_surface_openai_chat;

/* POST /v1/responses: OpenAI Responses, what Codex CLI speaks. */
extern const AgSurface ag_surface_openai_responses;

/* POST …/models/{model}:generateContent, :streamGenerateContent and :countTokens: Gemini's own API. */
extern const AgSurface ag_surface_gemini;

/* The surface whose requests come to @path (model requests, count_tokens, Gemini's actions), NULL for none. */
const AgSurface *ag_surface_for_path (const char *path);
/* The surface whose error shape a request to @path gets, whatever it asked for (refusals before its body is read,
 * 404s): the one serving @path, else the client family the path belongs to, else Anthropic's. */
const AgSurface *ag_surface_for_errors (const char *path);

/* Answers @msg with the surface's error shape. */
void ag_surface_reply_error (const AgSurface *surface, SoupServerMessage *msg, guint status, const char *error_type,
                             const char *message);

G_END_DECLS
