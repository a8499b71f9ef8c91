/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-web-search.h"
#include "ag-json.h"

gboolean
ag_web_search_is_tool_type (const char *type)
{
  return type != NULL && g_str_has_prefix (type, "web_search_");
}

static gboolean
is_function_tool (JsonObject *tool)
{
  const char *type = ag_json_string (tool, "type");

  return type == NULL || g_str_equal (type, "custom");
}

gint64
ag_web_search_max_uses (JsonObject *body)
{
  JsonArray *tools = ag_json_array (body, "tools");
  JsonObject *choice = ag_json_object (body, "tool_choice");
  JsonObject *search = NULL;
  gboolean functions = FALSE;
  gint64 max_uses;

  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      JsonObject *tool = ag_json_array_object (tools, i);

      if (tool == NULL)
        continue;
      if (search == NULL && ag_web_search_is_tool_type (ag_json_string (tool, "type")))
        search = tool;
      else if (is_function_tool (tool))
        functions = TRUE;
    }
  if (search == NULL)
    return 0;
  if (g_strcmp0 (ag_json_string (choice, "type"), "none") == 0)
    return 0;
  if (functions && !(g_strcmp0 (ag_json_string (choice, "type"), "tool") == 0 &&
                     g_strcmp0 (ag_json_string (choice, "name"), ag_json_string (search, "name")) == 0))
    return 0;
  max_uses = ag_json_int (search, "max_uses", AG_WEB_SEARCH_DEFAULT_MAX_USES);
  return max_uses > 0 ? max_uses : AG_WEB_SEARCH_DEFAULT_MAX_USES;
}

void
ag_web_search_shape_request (JsonObject *request)
{
  JsonObject *config = ag_json_object (request, "generationConfig");
  JsonArray *tools = json_array_new ();
  JsonObject *search = json_object_new ();

  json_object_set_object_member (search, "googleSearch", json_object_new ());
  json_array_add_object_element (tools, search);
  json_object_set_array_member (request, "tools", tools);
  json_object_remove_member (request, "toolConfig");
  json_object_remove_member (request, "sessionId");
  if (config != NULL)
    {
      json_object_remove_member (config, "thinkingConfig");
      json_object_set_int_member (config, "candidateCount", 1);
    }
}
