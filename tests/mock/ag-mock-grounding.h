/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-mock-grounding.h — the mock's Google Search grounding (docs/upstream-cloudcode.md#web-search): a generate
 * request whose tools hold {"googleSearch":{}} is answered with groundingMetadata on its last chunk, and one that
 * also declares functions is refused as Cloud Code refuses it. Pure JSON, no I/O.
 *
 * Script (ag-mock-server.h): "web_search_model_ids": [...] — fetchAvailableModels "webSearchModelIds"
 * [["gemini-3-flash"]]; a rule's respond may carry
 *   "grounding": {"queries": ["…"] [the last user text], "sources": [{"uri","title"}] [two mock sources],
 *                 "supports": [{"text": "a span of the answer", "sources": [0, …]}] [the whole answer, source 0]}
 * which is used when the request asks for googleSearch. Offsets in groundingSupports are UTF-8 byte offsets into
 * the answer's text, as Google's are. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The two default sources' uris (Google's grounding redirect links) and titles (the sites' domains). */
#define AG_MOCK_GROUNDING_URI_1   "https://vertexaisearch.cloud.google.com/grounding-api-redirect/mock-source-one"
#define AG_MOCK_GROUNDING_TITLE_1 "example.org"
#define AG_MOCK_GROUNDING_URI_2   "https://vertexaisearch.cloud.google.com/grounding-api-redirect/mock-source-two"
#define AG_MOCK_GROUNDING_TITLE_2 "example.com"
/* What Cloud Code answers (400 INVALID_ARGUMENT) to googleSearch beside functionDeclarations (Antigravity-Manager
 * PR #3192, 2026-06); the flag it names does not help on v1internal. */
#define AG_MOCK_GROUNDING_MIXED_MESSAGE \
  "Please enable tool_config.include_server_side_tool_invocations to use Built-in tools with Function calling."

/* TRUE when @envelope's request.tools hold a googleSearch tool. */
gboolean  ag_mock_grounding_requested (JsonObject *envelope);
/* The 400 error body for a request mixing googleSearch and functionDeclarations, else NULL. */
JsonNode *ag_mock_grounding_refusal (JsonObject *envelope);
/* Adds groundingMetadata (webSearchQueries, groundingChunks, groundingSupports, searchEntryPoint) to the last of
 * @chunks, from @respond's "grounding" (nullable) and the text the chunks carry. */
void      ag_mock_grounding_attach (GPtrArray *chunks, JsonObject *respond, JsonObject *envelope);
/* fetchAvailableModels' webSearchModelIds from the script @root. */
JsonNode *ag_mock_grounding_model_ids (JsonObject *root);

G_END_DECLS
