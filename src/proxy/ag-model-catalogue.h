/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-model-catalogue.h — the upstream models (from fetchAvailableModels) and how a client's model name is resolved
 * to one of them: user aliases, the `[1m]` suffix, deprecated ids, and a family/tier match so that a Claude name
 * ag-cl has never seen lands on the closest available model. Pure: fed with responses, no I/O. */
#pragma once

#include <json-glib/json-glib.h>
#include "ag-model-family.h"

G_BEGIN_DECLS

#define AG_TYPE_MODEL_CATALOGUE (ag_model_catalogue_get_type ())
G_DECLARE_FINAL_TYPE (AgModelCatalogue, ag_model_catalogue, AG, MODEL_CATALOGUE, GObject)

typedef struct {
  char          *upstream_model;
  AgModelFamily  family;
  gboolean       supports_thinking;
  gint64         max_output_tokens;   /* 0 when unknown */
  gint64         context_tokens;      /* 0 when unknown */
} AgResolvedModel;

void ag_resolved_model_clear (AgResolvedModel *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AgResolvedModel, ag_resolved_model_clear)

AgModelCatalogue *ag_model_catalogue_new (void);
/* Replaces the known models with a fetchAvailableModels response ({"models":{…},"deprecatedModelIds":{…}}). */
gboolean ag_model_catalogue_update (AgModelCatalogue *self, JsonObject *response, GError **error);
/* Adds the models of another account's fetchAvailableModels answer (the catalogue is the union over accounts);
 * models already known keep their entry. */
gboolean ag_model_catalogue_merge (AgModelCatalogue *self, JsonObject *response, GError **error);
/* Monotonic time (µs) of the last update, 0 = never. */
gint64   ag_model_catalogue_get_updated_at (AgModelCatalogue *self);
gboolean ag_model_catalogue_is_empty (AgModelCatalogue *self);
/* A user alias: @from is an exact client model name or one of the tier words "opus", "sonnet", "haiku". */
void     ag_model_catalogue_set_alias (AgModelCatalogue *self, const char *from, const char *to);
/* Reads aliases from "from=to,from=to" (the AGCL_MODEL_MAP format). FALSE on a malformed entry. */
gboolean ag_model_catalogue_parse_aliases (AgModelCatalogue *self, const char *spec, GError **error);
/* Resolves @client_model. Fails with AG_PROTOCOL_ERROR_INVALID_REQUEST when nothing sensible matches. */
gboolean ag_model_catalogue_resolve (AgModelCatalogue *self, const char *client_model, AgResolvedModel *out,
                                     GError **error);
/* The model a web search for @client_model goes to: that model when upstream grounds with it
 * (webSearchModelIds), else the first such model, else AG_WEB_SEARCH_FALLBACK_MODEL while no account listed any.
 * Owned by the catalogue until its next update. */
const char *ag_model_catalogue_web_search_model (AgModelCatalogue *self, const char *client_model);
/* The Anthropic model list {"data":[{"type":"model","id","display_name","created_at","max_input_tokens",
 * "max_tokens"}],"has_more":false,"first_id","last_id"}. */
JsonNode *ag_model_catalogue_to_anthropic_list (AgModelCatalogue *self);
/* OpenAI's {"object":"list","data":[{"id","object":"model","created","owned_by"}]}. */
JsonNode *ag_model_catalogue_to_openai_list (AgModelCatalogue *self);
/* Gemini's {"models":[{"name":"models/ID","displayName","inputTokenLimit","outputTokenLimit",
 * "supportedGenerationMethods"}]}. */
JsonNode *ag_model_catalogue_to_gemini_list (AgModelCatalogue *self);

G_END_DECLS
