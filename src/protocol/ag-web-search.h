/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-web-search.h — Anthropic's web search server tool served by Google Search grounding
 * (docs/client-formats.md#websearch): which Messages requests are web searches, and the Cloud Code request one
 * becomes. Pure: no I/O. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Searches per request when the tool names no max_uses (Anthropic's own default is unlimited; one Cloud Code
 * grounding call is what ag-cl makes, so this only bounds what is reported). */
#define AG_WEB_SEARCH_DEFAULT_MAX_USES 5
/* The model that serves a web search while no account has listed its webSearchModelIds yet. */
#define AG_WEB_SEARCH_FALLBACK_MODEL "gemini-3-flash"
/* The envelope's requestType for a grounding call (CLIProxyAPI). */
#define AG_WEB_SEARCH_REQUEST_TYPE "web_search"

/* TRUE when @type names Anthropic's web search tool (web_search_20250305, web_search_20260209, a later date). */
gboolean ag_web_search_is_tool_type (const char *type);

/* The max_uses of @body's web search tool when @body is a web search request, else 0. A request is one when its
 * tools hold a web_search_* server tool and either no function tool or a tool_choice that names that tool: Google
 * refuses googleSearch beside function declarations, so a request that also offers functions without forcing the
 * search stays a normal request (and the search tool is left out of it). */
gint64   ag_web_search_max_uses (JsonObject *body);

/* Turns the translated Cloud Code @request (a JSON object, modified in place) into a grounding request: tools
 * [{"googleSearch":{}}], no toolConfig, no sessionId (CLIProxyAPI sends none), one candidate, no thinking. */
void     ag_web_search_shape_request (JsonObject *request);

G_END_DECLS
