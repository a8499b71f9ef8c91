/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-upstream-chunk.h"
#include "ag-json.h"
#include "ag-protocol-error.h"

JsonObject *
ag_upstream_chunk_response (JsonObject *chunk, GError **error)
{
  JsonNode *wrapped = json_object_get_member (chunk, "response");
  JsonObject *response = chunk;
  const char *message;

  if (wrapped != NULL)
    response = JSON_NODE_HOLDS_OBJECT (wrapped) ? json_node_get_object (wrapped) : NULL;
  if (response != NULL &&
      (json_object_has_member (response, "candidates") || json_object_has_member (response, "usageMetadata") ||
       json_object_has_member (response, "modelVersion") || json_object_has_member (response, "responseId") ||
       json_object_has_member (response, "promptFeedback")))
    return response;
  message = ag_json_string (ag_json_object (response, "error"), "message");
  g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM, "Upstream sent %s%s",
               message != NULL ? "an error in the stream: " : "a chunk that is not a response",
               message != NULL ? message : "");
  return NULL;
}

static gboolean
read_count (JsonObject *usage, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (usage, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  *out = CLAMP (json_node_get_int (node), 0, G_MAXINT32);
  return TRUE;
}

void
ag_upstream_usage_read (AgUpstreamUsage *self, JsonObject *usage_metadata)
{
  read_count (usage_metadata, "promptTokenCount", &self->prompt);
  read_count (usage_metadata, "cachedContentTokenCount", &self->cached);
  self->have_candidates |= read_count (usage_metadata, "candidatesTokenCount", &self->candidates);
  self->have_thoughts |= read_count (usage_metadata, "thoughtsTokenCount", &self->thoughts);
  self->have_total |= read_count (usage_metadata, "totalTokenCount", &self->total);
}

gint64
ag_upstream_usage_input (const AgUpstreamUsage *self)
{
  return MAX (self->prompt - self->cached, 0);
}

/* CLIProxyAPI's rule. */
gint64
ag_upstream_usage_output (const AgUpstreamUsage *self)
{
  if (self->have_candidates || self->have_thoughts)
    return self->candidates + self->thoughts;
  if (self->have_total)
    return MAX (self->total - self->prompt, 0);
  return 0;
}

gint64
ag_usage_scaled (gint64 tokens, double scale)
{
  if (scale <= 0.0 || scale == 1.0)
    return tokens;
  return (gint64) (tokens * scale + 0.5);
}
