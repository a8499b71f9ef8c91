// SPDX-License-Identifier: GPL-3.0-or-later
/* ag-model-catalogue-lists.c — the known models as each client API lists them (Anthropic, OpenAI, Gemini), with
 * the limits a client would otherwise not know. */
#include "ag-model-catalogue-private.h"

/* The id of @info, or null when the list is empty. */
static void
add_id_member (JsonBuilder *builder, const char *name, const AgModelInfo *info)
{
  json_builder_set_member_name (builder, name);
  if (info != NULL)
    json_builder_add_string_value (builder, info->id);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
ag_model_catalogue_to_anthropic_list (AgModelCatalogue *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  /* Anthropic lists carry a creation date; upstream gives none, so report when ag-cl learned of them. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->models->len; i++)
    {
      AgModelInfo *info = g_ptr_array_index (self->models, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "model");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, info->id);
      json_builder_set_member_name (builder, "display_name");
      json_builder_add_string_value (builder, info->display_name);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created_at);
      json_builder_set_member_name (builder, "max_input_tokens");
      json_builder_add_int_value (builder, info->context_tokens > 0 ? info->context_tokens : 200000);
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, info->max_output_tokens > 0 ? info->max_output_tokens : 64000);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, FALSE);
  add_id_member (builder, "first_id", self->models->len > 0 ? g_ptr_array_index (self->models, 0) : NULL);
  add_id_member (builder, "last_id",
                 self->models->len > 0 ? g_ptr_array_index (self->models, self->models->len - 1) : NULL);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
ag_model_catalogue_to_openai_list (AgModelCatalogue *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->models->len; i++)
    {
      AgModelInfo *info = g_ptr_array_index (self->models, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, info->id);
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "model");
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, now);
      json_builder_set_member_name (builder, "owned_by");
      json_builder_add_string_value (builder, "ag-cl");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
ag_model_catalogue_to_gemini_list (AgModelCatalogue *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->models->len; i++)
    {
      AgModelInfo *info = g_ptr_array_index (self->models, i);
      g_autofree char *name = g_strconcat ("models/", info->id, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "displayName");
      json_builder_add_string_value (builder, info->display_name);
      json_builder_set_member_name (builder, "inputTokenLimit");
      json_builder_add_int_value (builder, info->context_tokens > 0 ? info->context_tokens : 200000);
      json_builder_set_member_name (builder, "outputTokenLimit");
      json_builder_add_int_value (builder, info->max_output_tokens > 0 ? info->max_output_tokens : 64000);
      json_builder_set_member_name (builder, "supportedGenerationMethods");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "generateContent");
      json_builder_add_string_value (builder, "countTokens");
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
