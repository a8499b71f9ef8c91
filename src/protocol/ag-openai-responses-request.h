/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-openai-responses-request.h — the OpenAI Responses front translator (what Codex CLI speaks): a /v1/responses
 * body read into the Anthropic Messages shape that is ag-cl's internal call description. Stateless: the whole
 * conversation comes in "input" (store:false use); previous_response_id is refused. Pure. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-client-request.h"

G_BEGIN_DECLS

/* Validates @body and returns the equivalent Anthropic Messages body. The names of freeform ("custom") tools, whose
 * calls are answered as custom_tool_call items, are added to @freeform_tools (char *). */
JsonObject      *ag_openai_responses_to_messages (JsonObject *body, GPtrArray *freeform_tools, GError **error);
/* The surface's read_request. @session_header is Codex's session-id header (nullable); prompt_cache_key is the
 * session otherwise. */
AgClientRequest *ag_openai_responses_request_read (JsonObject *body, const char *session_header, GError **error);

/* The one string argument a freeform tool is declared with upstream, which carries the tool's raw input. */
#define AG_FREEFORM_TOOL_ARGUMENT "input"

G_END_DECLS
