/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-web-search-translator.h — the Anthropic surface's back translator for a web search: Google's grounded answer
 * (text plus groundingMetadata: webSearchQueries, groundingChunks, groundingSupports) becomes a server_tool_use
 * block, a web_search_tool_result block with the sources, and text blocks whose cited spans carry
 * web_search_result_location citations; usage counts server_tool_use.web_search_requests. Google sends the
 * grounding with its last chunk, and Anthropic's order puts the search before the text, so the answer is held
 * until the stream ends and then written whole (as SSE events, or as one Messages response). Pure. */
#pragma once

#include "ag-back-translator.h"
#include "ag-stream-translator.h"

G_BEGIN_DECLS

/* @options->web_search_max_uses caps the searches reported (Google's queries beyond it are not counted). */
AgBackTranslator *ag_web_search_translator_new (const AgStreamOptions *options, gboolean stream);

G_END_DECLS
