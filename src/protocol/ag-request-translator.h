/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-translator.h — turns an Anthropic Messages request into the Cloud Code `request` object
 * (the Gemini GenerateContentRequest shape inside the v1internal envelope). Pure: no I/O. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-client-request.h"
#include "ag-model-family.h"
#include "ag-tool-names.h"

G_BEGIN_DECLS

typedef enum {
  /* {"includeThoughts":true,"thinkingBudget":N} — Antigravity-Manager and CLIProxyAPI (the default). */
  AG_THINKING_KEYS_CAMEL,
  /* {"include_thoughts":true,"thinking_budget":N} — antigravity-claude-proxy and opencode-antigravity-auth. */
  AG_THINKING_KEYS_SNAKE,
} AgThinkingKeys;

typedef struct {
  const char       *upstream_model;      /* resolved upstream id, e.g. "claude-opus-4-6-thinking" */
  AgModelFamily     family;
  gboolean          supports_thinking;   /* the upstream model accepts a thinkingConfig */
  gint64            max_output_cap;      /* the model's output limit from the catalogue; 0 = family default */
  const char       *session_id;          /* stable per client session; NULL = derive from the first user message */
  AgThinkingKeys    thinking_keys;
  gint64            thinking_budget;     /* > 0: the budget whenever thinking is on (a Flash effort tier) */
  gboolean          drop_signatures;     /* upstream refused the history once: no thinking and no carried call
                                          * signature goes back (Gemini calls get the sentinel) */
} AgTranslateOptions;

typedef struct {
  JsonNode    *request;        /* the Cloud Code `request` object, owned */
  AgToolNames *tool_names;     /* the name map used, for translating the response back, owned */
  gboolean     thinking;       /* thinking was requested and enabled upstream */
  gboolean     stream;         /* the client asked for "stream": true */
  char        *client_model;   /* the model name as the client sent it, echoed in responses */
  gboolean     include_usage;  /* from AgClientRequest, for the back translator */
  char       **freeform_tools; /* from AgClientRequest, for the back translator; nullable */
  char        *repairs;        /* what ag_history_repair mended (and "signatures-dropped"), or NULL */
  const char  *request_type;   /* the envelope's requestType: "agent", or "web_search" for a grounding call */
  gint64       web_search_max_uses; /* > 0: a web search (ag-web-search.h), answered as server tool blocks */
} AgTranslatedRequest;

/* Validates the rest of @request's body and translates it. Errors are AG_PROTOCOL_ERROR_INVALID_REQUEST
 * with a message naming the offending field, e.g. "messages.2.content.0: unknown block type \"foo\"". */
AgTranslatedRequest *ag_request_translate (const AgClientRequest    *request,
                                           const AgTranslateOptions *options,
                                           GError                  **error);
void ag_translated_request_free (AgTranslatedRequest *self);

/* Shared with the other surfaces' translators. */
/* The thinking budget of an effort word (low, medium, high, max; anything else counts as high) for @family. */
gint64      ag_thinking_budget_for_effort (AgModelFamily family, const char *effort);
/* maxOutputTokens for a client's @max_tokens within the model's cap, above the thinking *@budget (which gives way
 * when the cap leaves no room; docs/upstream-cloudcode.md#output-limits). */
void        ag_request_fit_output_tokens (gint64 max_tokens, const AgTranslateOptions *options, gint64 *max_output,
                                          gint64 *budget);
/* {"includeThoughts":true,"thinkingBudget":N} in the casing of @keys. */
JsonObject *ag_thinking_config_new (AgThinkingKeys keys, gint64 budget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgTranslatedRequest, ag_translated_request_free)

G_END_DECLS
