/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-request-classifier.h — recognises Claude Code's traffic that needs no (or only a cheap) model: subagent
 * warmups and quota probes, answered locally, and title/summary/suggestion tasks, routed to a background model.
 * Pure: looks only at what the front end read of the request. */
#pragma once

#include "ag-client-request.h"

G_BEGIN_DECLS

typedef enum {
  AG_REQUEST_KIND_NORMAL,
  AG_REQUEST_KIND_WARMUP,       /* "Warmup" cache pre-fill of a subagent */
  AG_REQUEST_KIND_QUOTA_PROBE,  /* max_tokens 1, one user message "quota" */
  AG_REQUEST_KIND_TITLE,
  AG_REQUEST_KIND_SUMMARY,
  AG_REQUEST_KIND_SUGGESTION,
} AgRequestKind;

AgRequestKind ag_request_classify (const AgClientRequest *request);
gboolean      ag_request_kind_is_background (AgRequestKind kind);
const char   *ag_request_kind_to_string (AgRequestKind kind);

/* The local answer to an intercepted request: "OK" as one Anthropic message, for @model. */
JsonNode     *ag_intercepted_message (const char *model);
/* The same answer as the exact SSE event sequence, ready to send. */
GBytes       *ag_intercepted_stream (const char *model);

G_END_DECLS
