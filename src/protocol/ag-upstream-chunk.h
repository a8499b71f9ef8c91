/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-upstream-chunk.h — what every back translator reads the same way from a Cloud Code stream chunk: the response
 * inside its envelope, and the token counts of its usageMetadata (running totals, docs/upstream-cloudcode.md). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The response object of @chunk ({"response":{…},"traceId":…} or the bare response), or NULL with
 * AG_PROTOCOL_ERROR_BAD_UPSTREAM when @chunk is not a response: none of candidates, usageMetadata, modelVersion,
 * responseId, promptFeedback (an error object, whose message the error then quotes). */
JsonObject *ag_upstream_chunk_response (JsonObject *chunk, GError **error);

/* Token counts so far, each held to 0…G_MAXINT32 so that their sums and differences cannot overflow. */
typedef struct {
  gint64   prompt, cached, candidates, thoughts, total;
  gboolean have_candidates, have_thoughts, have_total;
} AgUpstreamUsage;

/* Every chunk carries the running totals; a count missing from @usage_metadata keeps its earlier value. */
void   ag_upstream_usage_read   (AgUpstreamUsage *self, JsonObject *usage_metadata);
/* Input the client did not get from the cache: prompt − cached. */
gint64 ag_upstream_usage_input  (const AgUpstreamUsage *self);
/* Output, thoughts included (they are output the user pays for); without either count, total − prompt. */
gint64 ag_upstream_usage_output (const AgUpstreamUsage *self);
/* @tokens times @scale, rounded; a scale of 0 or 1 leaves them as they are (usage scaling: what a client is told
 * about its context, never what the request log records). */
gint64 ag_usage_scaled (gint64 tokens, double scale);

G_END_DECLS
