/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ag-model-catalogue.c — what upstream lists (fetchAvailableModels, merged over accounts) and how a client's model
 * name resolves to one of those models. The lists shown to clients are in ag-model-catalogue-lists.c. */
#include "ag-model-catalogue-private.h"
#include "ag-json.h"
#include "ag-protocol-error.h"
#include "ag-web-search.h"

#include <string.h>

/* Defaults when the user set no alias: the presets of antigravity-claude-proxy and Antigravity-Manager agree on
 * opus → claude-opus-4-6-thinking and sonnet/haiku → claude-sonnet-4-6 (docs/upstream-cloudcode.md#model-names). */
#define DEFAULT_OPUS_MODEL   "claude-opus-4-6-thinking"
#define DEFAULT_SONNET_MODEL "claude-sonnet-4-6"

G_DEFINE_FINAL_TYPE (AgModelCatalogue, ag_model_catalogue, G_TYPE_OBJECT)

static void
model_info_free (gpointer data)
{
  AgModelInfo *info = data;

  g_free (info->id);
  g_free (info->display_name);
  g_free (info);
}

void
ag_resolved_model_clear (AgResolvedModel *self)
{
  g_clear_pointer (&self->upstream_model, g_free);
}

static void
ag_model_catalogue_finalize (GObject *object)
{
  AgModelCatalogue *self = AG_MODEL_CATALOGUE (object);

  g_ptr_array_unref (self->models);
  g_hash_table_unref (self->deprecated);
  g_ptr_array_unref (self->web_search);
  g_hash_table_unref (self->aliases);
  g_hash_table_unref (self->announced);
  G_OBJECT_CLASS (ag_model_catalogue_parent_class)->finalize (object);
}

static void
ag_model_catalogue_class_init (AgModelCatalogueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ag_model_catalogue_finalize;
}

static void
ag_model_catalogue_init (AgModelCatalogue *self)
{
  self->models = g_ptr_array_new_with_free_func (model_info_free);
  self->deprecated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->web_search = g_ptr_array_new_with_free_func (g_free);
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

AgModelCatalogue *
ag_model_catalogue_new (void)
{
  return g_object_new (AG_TYPE_MODEL_CATALOGUE, NULL);
}

/* Only ids a client can use: the Cloud Code list also carries internal completion models (chat_…, tab_…). */
static gboolean
is_servable_model_id (const char *id)
{
  return g_str_has_prefix (id, "claude") || g_str_has_prefix (id, "gemini") || g_str_has_prefix (id, "gpt");
}

/* Thinking support when upstream doesn't say: Claude only in its -thinking variants, Gemini from 2.5 on. */
static gboolean
guess_supports_thinking (const char *id)
{
  if (g_str_has_prefix (id, "claude"))
    return g_str_has_suffix (id, "-thinking");
  if (g_str_has_prefix (id, "gemini"))
    return !g_str_has_prefix (id, "gemini-1") && !g_str_has_prefix (id, "gemini-2.0") && strstr (id, "image") == NULL;
  return FALSE;
}

static gint64
member_int (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return 0;
}

static AgModelInfo *find_model (AgModelCatalogue *self, const char *id);

/* The catalogue's copy of @id when upstream listed it in webSearchModelIds, else NULL. */
static const char *
listed_web_search_model (AgModelCatalogue *self, const char *id)
{
  for (guint i = 0; id != NULL && i < self->web_search->len; i++)
    if (g_str_equal (g_ptr_array_index (self->web_search, i), id))
      return g_ptr_array_index (self->web_search, i);
  return NULL;
}

static void
add_web_search_models (AgModelCatalogue *self, JsonArray *ids)
{
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      const char *id = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                       ? json_node_get_string (node) : NULL;

      if (id != NULL && *id != '\0' && listed_web_search_model (self, id) == NULL)
        g_ptr_array_add (self->web_search, g_strdup (id));
    }
}

static gboolean
add_models (AgModelCatalogue *self, JsonObject *response, gboolean replace, GError **error)
{
  JsonNode *models_node = json_object_get_member (response, "models");
  JsonNode *deprecated_node = json_object_get_member (response, "deprecatedModelIds");
  g_autoptr(GList) ids = NULL;

  if (models_node == NULL || !JSON_NODE_HOLDS_OBJECT (models_node))
    {
      g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_BAD_UPSTREAM,
                   "fetchAvailableModels answered without a \"models\" object");
      return FALSE;
    }

  if (replace)
    {
      g_ptr_array_set_size (self->models, 0);
      g_hash_table_remove_all (self->deprecated);
      g_ptr_array_set_size (self->web_search, 0);
    }
  add_web_search_models (self, ag_json_array (response, "webSearchModelIds"));

  ids = json_object_get_members (json_node_get_object (models_node));
  for (GList *l = ids; l != NULL; l = l->next)
    {
      const char *id = l->data;
      JsonNode *entry = json_object_get_member (json_node_get_object (models_node), id);
      JsonObject *object;
      AgModelInfo *info;

      if (!is_servable_model_id (id) || !JSON_NODE_HOLDS_OBJECT (entry) || find_model (self, id) != NULL)
        continue;
      object = json_node_get_object (entry);
      info = g_new0 (AgModelInfo, 1);
      info->id = g_strdup (id);
      info->display_name = g_strdup (json_object_get_string_member_with_default (object, "displayName", id));
      info->context_tokens = member_int (object, "maxTokens");
      info->max_output_tokens = member_int (object, "maxOutputTokens");
      if (json_object_has_member (object, "supportsThinking"))
        info->supports_thinking = json_object_get_boolean_member_with_default (object, "supportsThinking", FALSE);
      else
        info->supports_thinking = guess_supports_thinking (id);
      g_ptr_array_add (self->models, info);
    }

  if (deprecated_node != NULL && JSON_NODE_HOLDS_OBJECT (deprecated_node))
    {
      g_autoptr(GList) old_ids = json_object_get_members (json_node_get_object (deprecated_node));

      for (GList *l = old_ids; l != NULL; l = l->next)
        {
          JsonNode *rule = json_object_get_member (json_node_get_object (deprecated_node), l->data);
          const char *new_id;

          if (!JSON_NODE_HOLDS_OBJECT (rule))
            continue;
          new_id = json_object_get_string_member_with_default (json_node_get_object (rule), "newModelId", NULL);
          if (new_id != NULL)
            g_hash_table_insert (self->deprecated, g_strdup (l->data), g_strdup (new_id));
        }
    }

  self->updated_at = g_get_monotonic_time ();
  return TRUE;
}

gboolean
ag_model_catalogue_update (AgModelCatalogue *self, JsonObject *response, GError **error)
{
  return add_models (self, response, TRUE, error);
}

gboolean
ag_model_catalogue_merge (AgModelCatalogue *self, JsonObject *response, GError **error)
{
  return add_models (self, response, FALSE, error);
}

gint64
ag_model_catalogue_get_updated_at (AgModelCatalogue *self)
{
  return self->updated_at;
}

gboolean
ag_model_catalogue_is_empty (AgModelCatalogue *self)
{
  return self->models->len == 0;
}

void
ag_model_catalogue_set_alias (AgModelCatalogue *self, const char *from, const char *to)
{
  g_hash_table_insert (self->aliases, g_ascii_strdown (from, -1), g_strdup (to));
}

gboolean
ag_model_catalogue_parse_aliases (AgModelCatalogue *self, const char *spec, GError **error)
{
  g_auto(GStrv) entries = g_strsplit (spec, ",", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) pair = NULL;

      g_strstrip (entries[i]);
      if (entries[i][0] == '\0')
        continue;
      pair = g_strsplit (entries[i], "=", 2);
      if (pair[1] == NULL || *g_strstrip (pair[0]) == '\0' || *g_strstrip (pair[1]) == '\0')
        {
          g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST,
                       "model alias \"%s\" is not of the form from=to", entries[i]);
          return FALSE;
        }
      ag_model_catalogue_set_alias (self, pair[0], pair[1]);
    }
  return TRUE;
}

static AgModelInfo *
find_model (AgModelCatalogue *self, const char *id)
{
  for (guint i = 0; i < self->models->len; i++)
    {
      AgModelInfo *info = g_ptr_array_index (self->models, i);

      if (g_ascii_strcasecmp (info->id, id) == 0)
        return info;
    }
  return NULL;
}

/* Compares the version numbers embedded in two ids ("claude-opus-4-6" > "claude-opus-4-5", "gemini-3.1" >
 * "gemini-3"), so that the newest model of a tier wins. */
static int
compare_versions (const char *a, const char *b)
{
  while (*a != '\0' || *b != '\0')
    {
      while (*a != '\0' && !g_ascii_isdigit (*a))
        a++;
      while (*b != '\0' && !g_ascii_isdigit (*b))
        b++;
      if (*a == '\0' || *b == '\0')
        return (*a != '\0') - (*b != '\0');
      {
        char *end_a, *end_b;
        guint64 va = g_ascii_strtoull (a, &end_a, 10);
        guint64 vb = g_ascii_strtoull (b, &end_b, 10);

        if (va != vb)
          return va < vb ? -1 : 1;
        a = end_a;
        b = end_b;
      }
    }
  return 0;
}

/* The newest catalogue model whose id starts with @prefix and contains @word (NULL = any), preferring ids that
 * end in @preferred_suffix (NULL = no preference). */
static AgModelInfo *
find_best (AgModelCatalogue *self, const char *prefix, const char *word, const char *preferred_suffix)
{
  AgModelInfo *best = NULL;
  gboolean best_preferred = FALSE;

  for (guint i = 0; i < self->models->len; i++)
    {
      AgModelInfo *info = g_ptr_array_index (self->models, i);
      gboolean preferred;

      if (!g_str_has_prefix (info->id, prefix) || (word != NULL && strstr (info->id, word) == NULL))
        continue;
      preferred = preferred_suffix != NULL && g_str_has_suffix (info->id, preferred_suffix);
      if (best == NULL || (preferred && !best_preferred) ||
          (preferred == best_preferred && compare_versions (info->id, best->id) > 0))
        {
          best = info;
          best_preferred = preferred;
        }
    }
  return best;
}

static const char *
claude_tier (const char *lower_name)
{
  if (strstr (lower_name, "opus") != NULL)
    return "opus";
  if (strstr (lower_name, "haiku") != NULL)
    return "haiku";
  return "sonnet";
}

/* A Claude name the catalogue doesn't list: the same tier's newest model (haiku is served by sonnet, as every
 * peer does), then any Claude model, then the newest Gemini Pro. */
static AgModelInfo *
closest_claude (AgModelCatalogue *self, const char *tier)
{
  AgModelInfo *info;

  if (g_str_equal (tier, "opus"))
    info = find_best (self, "claude", "opus", "-thinking");
  else
    info = find_best (self, "claude", "sonnet", NULL);
  if (info == NULL)
    info = find_best (self, "claude", NULL, "-thinking");
  if (info == NULL)
    info = find_best (self, "gemini", "pro", NULL);
  return info;
}

static AgModelInfo *
closest_gemini (AgModelCatalogue *self, const char *lower_name)
{
  if (strstr (lower_name, "flash-lite") != NULL)
    return find_best (self, "gemini", "flash-lite", NULL);
  if (strstr (lower_name, "flash") != NULL)
    return find_best (self, "gemini", "flash", NULL);
  if (strstr (lower_name, "pro") != NULL)
    return find_best (self, "gemini", "pro", NULL);
  return NULL;
}

static void
fill_resolved (AgModelCatalogue *self, const char *id, AgResolvedModel *out)
{
  AgModelInfo *info = find_model (self, id);

  out->upstream_model = g_strdup (info != NULL ? info->id : id);
  out->family = ag_model_family_from_id (out->upstream_model);
  out->supports_thinking = info != NULL ? info->supports_thinking : guess_supports_thinking (out->upstream_model);
  out->max_output_tokens = info != NULL ? info->max_output_tokens : 0;
  out->context_tokens = info != NULL ? info->context_tokens : 0;
}

/* Upstream's successor of a retired @id (deprecatedModelIds, followed through a few renames), or NULL. Each
 * retired id is logged once per run, so a client still asking for it is visible without flooding the log. */
static const char *
follow_deprecated (AgModelCatalogue *self, const char *id)
{
  const char *target = NULL;
  const char *next = id;

  for (guint hops = 0; hops < 4 && (next = g_hash_table_lookup (self->deprecated, next)) != NULL; hops++)
    target = next;
  if (target != NULL && g_hash_table_add (self->announced, g_strdup (id)))
    g_message ("model %s is retired upstream; using its successor %s", id, target);
  return target;
}

gboolean
ag_model_catalogue_resolve (AgModelCatalogue *self, const char *client_model, AgResolvedModel *out, GError **error)
{
  g_autofree char *name = g_strstrip (g_strdup (client_model));
  g_autofree char *lower = NULL;
  const char *target;
  AgModelInfo *info;
  gsize len;

  memset (out, 0, sizeof *out);

  /* Clients that pick the 1M context path append "[1m]"; upstream knows no such id. */
  len = strlen (name);
  if (len >= 4 && g_ascii_strcasecmp (name + len - 4, "[1m]") == 0)
    name[len - 4] = '\0';
  g_strstrip (name);
  if (name[0] == '\0')
    {
      g_set_error_literal (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST, "model: must not be empty");
      return FALSE;
    }
  lower = g_ascii_strdown (name, -1);

  target = g_hash_table_lookup (self->aliases, lower);
  if (target != NULL)
    {
      fill_resolved (self, target, out);
      return TRUE;
    }

  if (find_model (self, name) != NULL)
    {
      fill_resolved (self, name, out);
      return TRUE;
    }

  target = follow_deprecated (self, name);
  if (target != NULL)
    {
      fill_resolved (self, target, out);
      return TRUE;
    }

  if (g_str_has_prefix (lower, "claude") || strstr (lower, "opus") || strstr (lower, "sonnet") || strstr (lower, "haiku"))
    {
      const char *tier = claude_tier (lower);

      target = g_hash_table_lookup (self->aliases, tier);
      if (target == NULL)
        target = g_str_equal (tier, "opus") ? DEFAULT_OPUS_MODEL : DEFAULT_SONNET_MODEL;
      if (ag_model_catalogue_is_empty (self) || find_model (self, target) != NULL)
        {
          fill_resolved (self, target, out);
          return TRUE;
        }
      info = closest_claude (self, tier);
    }
  else if (ag_model_catalogue_is_empty (self))
    {
      /* Without a catalogue yet, trust the name: upstream will say if it doesn't know it. */
      fill_resolved (self, name, out);
      return TRUE;
    }
  else
    info = g_str_has_prefix (lower, "gemini") ? closest_gemini (self, lower) : NULL;

  if (info == NULL)
    {
      g_set_error (error, AG_PROTOCOL_ERROR, AG_PROTOCOL_ERROR_INVALID_REQUEST,
                   "model: \"%s\" is not available on your Antigravity accounts; GET /v1/models lists the models "
                   "that are", client_model);
      return FALSE;
    }
  fill_resolved (self, info->id, out);
  return TRUE;
}

const char *
ag_model_catalogue_web_search_model (AgModelCatalogue *self, const char *client_model)
{
  g_auto(AgResolvedModel) resolved = { 0 };
  const char *listed = NULL;

  if (ag_model_catalogue_resolve (self, client_model, &resolved, NULL))
    listed = listed_web_search_model (self, resolved.upstream_model);
  if (listed != NULL)
    return listed;
  return self->web_search->len > 0 ? g_ptr_array_index (self->web_search, 0) : AG_WEB_SEARCH_FALLBACK_MODEL;
}
