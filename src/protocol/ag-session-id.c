/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ag-session-id.h"

#include <string.h>

char *
ag_session_id_find (const char *header, JsonObject *body)
{
  JsonNode *metadata_node;
  JsonNode *user_id_node;
  const char *user_id;
  const char *marker;

  if (header != NULL && header[0] != '\0')
    return g_strdup (header);
  metadata_node = json_object_get_member (body, "metadata");
  if (metadata_node == NULL || !JSON_NODE_HOLDS_OBJECT (metadata_node))
    return NULL;
  user_id_node = json_object_get_member (json_node_get_object (metadata_node), "user_id");
  if (user_id_node == NULL || json_node_get_value_type (user_id_node) != G_TYPE_STRING)
    return NULL;
  user_id = json_node_get_string (user_id_node);
  if (user_id[0] == '{')
    {
      g_autoptr(JsonNode) parsed = json_from_string (user_id, NULL);
      JsonNode *session;

      if (parsed == NULL || !JSON_NODE_HOLDS_OBJECT (parsed))
        return NULL;
      session = json_object_get_member (json_node_get_object (parsed), "session_id");
      /* Anything but a string (an object, a number) names no session. */
      return session != NULL && json_node_get_value_type (session) == G_TYPE_STRING
               ? g_strdup (json_node_get_string (session)) : NULL;
    }
  marker = g_strrstr (user_id, "_session_");
  return marker != NULL ? g_strdup (marker + strlen ("_session_")) : NULL;
}
