/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-mock-grounding.h"
#include "ag-mock-json.h"

#include <string.h>

static JsonArray *
request_tools (JsonObject *envelope)
{
  return ag_mock_json_array (ag_mock_json_object (envelope, "request"), "tools");
}

static gboolean
has_tool (JsonObject *envelope, const char *kind)
{
  JsonArray *tools = request_tools (envelope);

  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      JsonNode *tool = json_array_get_element (tools, i);

      if (JSON_NODE_HOLDS_OBJECT (tool) && json_object_has_member (json_node_get_object (tool), kind))
        return TRUE;
    }
  return FALSE;
}

gboolean
ag_mock_grounding_requested (JsonObject *envelope)
{
  return has_tool (envelope, "googleSearch");
}

JsonNode *
ag_mock_grounding_refusal (JsonObject *envelope)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (!has_tool (envelope, "googleSearch") || !has_tool (envelope, "functionDeclarations"))
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, 400);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, AG_MOCK_GROUNDING_MIXED_MESSAGE);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "INVALID_ARGUMENT");
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
ag_mock_grounding_model_ids (JsonObject *root)
{
  JsonNode *ids = ag_mock_json_member (root, "web_search_model_ids");

  return ids != NULL ? json_node_copy (ids) : json_from_string ("[\"gemini-3-flash\"]", NULL);
}

/* The text of the last user content, which stands for the query Google would search. */
static char *
last_user_text (JsonObject *envelope)
{
  JsonArray *contents = ag_mock_json_array (ag_mock_json_object (envelope, "request"), "contents");
  guint n = contents != NULL ? json_array_get_length (contents) : 0;
  JsonObject *last = n > 0 ? json_array_get_object_element (contents, n - 1) : NULL;
  JsonArray *parts = ag_mock_json_array (last, "parts");
  GString *text = g_string_new (NULL);

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      const char *piece = ag_mock_json_string (json_array_get_object_element (parts, i), "text");
      if (piece != NULL)
        g_string_append (text, piece);
    }
  return g_string_free (text, FALSE);
}

static GString *
answer_text (GPtrArray *chunks)
{
  GString *text = g_string_new (NULL);

  for (guint c = 0; c < chunks->len; c++)
    {
      JsonArray *candidates = ag_mock_json_array (json_node_get_object (chunks->pdata[c]), "candidates");
      JsonObject *candidate = candidates != NULL && json_array_get_length (candidates) > 0
                              ? json_array_get_object_element (candidates, 0) : NULL;
      JsonArray *parts = ag_mock_json_array (ag_mock_json_object (candidate, "content"), "parts");

      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonObject *part = json_array_get_object_element (parts, i);
          if (!ag_mock_json_bool (part, "thought", FALSE) && ag_mock_json_string (part, "text") != NULL)
            g_string_append (text, ag_mock_json_string (part, "text"));
        }
    }
  return text;
}

static void
add_source (JsonBuilder *b, const char *uri, const char *title)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "web");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uri");
  json_builder_add_string_value (b, uri);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_support (JsonBuilder *b, const char *answer, const char *span, JsonArray *sources)
{
  const char *found = span != NULL ? strstr (answer, span) : NULL;

  if (found == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "segment");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "startIndex");
  json_builder_add_int_value (b, found - answer);
  json_builder_set_member_name (b, "endIndex");
  json_builder_add_int_value (b, found - answer + strlen (span));
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, span);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "groundingChunkIndices");
  json_builder_begin_array (b);
  for (guint i = 0; sources != NULL && i < json_array_get_length (sources); i++)
    json_builder_add_int_value (b, json_array_get_int_element (sources, i));
  if (sources == NULL)
    json_builder_add_int_value (b, 0);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "confidenceScores");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, 0.9);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static JsonNode *
grounding_metadata (JsonObject *grounding, const char *answer, JsonObject *envelope)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *queries = ag_mock_json_array (grounding, "queries");
  JsonArray *sources = ag_mock_json_array (grounding, "sources");
  JsonArray *supports = ag_mock_json_array (grounding, "supports");
  g_autofree char *query = last_user_text (envelope);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "webSearchQueries");
  json_builder_begin_array (b);
  for (guint i = 0; queries != NULL && i < json_array_get_length (queries); i++)
    json_builder_add_string_value (b, json_array_get_string_element (queries, i));
  if (queries == NULL)
    json_builder_add_string_value (b, query);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "searchEntryPoint");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "renderedContent");
  json_builder_add_string_value (b, "<style>.container{}</style><div class=\"container\">mock search chips</div>");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "groundingChunks");
  json_builder_begin_array (b);
  for (guint i = 0; sources != NULL && i < json_array_get_length (sources); i++)
    {
      JsonObject *source = json_array_get_object_element (sources, i);
      add_source (b, ag_mock_json_string (source, "uri") ?: "", ag_mock_json_string (source, "title") ?: "");
    }
  if (sources == NULL)
    {
      add_source (b, AG_MOCK_GROUNDING_URI_1, AG_MOCK_GROUNDING_TITLE_1);
      add_source (b, AG_MOCK_GROUNDING_URI_2, AG_MOCK_GROUNDING_TITLE_2);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "groundingSupports");
  json_builder_begin_array (b);
  for (guint i = 0; supports != NULL && i < json_array_get_length (supports); i++)
    {
      JsonObject *support = json_array_get_object_element (supports, i);
      add_support (b, answer, ag_mock_json_string (support, "text"), ag_mock_json_array (support, "sources"));
    }
  if (supports == NULL && *answer != '\0')
    add_support (b, answer, answer, NULL);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
ag_mock_grounding_attach (GPtrArray *chunks, JsonObject *respond, JsonObject *envelope)
{
  g_autoptr(GString) answer = NULL;
  JsonArray *candidates;

  if (chunks->len == 0)
    return;
  answer = answer_text (chunks);
  candidates = ag_mock_json_array (json_node_get_object (chunks->pdata[chunks->len - 1]), "candidates");
  if (candidates == NULL || json_array_get_length (candidates) == 0)
    return;
  json_object_set_member (json_array_get_object_element (candidates, 0), "groundingMetadata",
                          grounding_metadata (ag_mock_json_object (respond, "grounding"), answer->str, envelope));
}
